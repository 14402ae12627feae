"""The command line: exit statuses, exact messages, no tracebacks (DESIGN.md §2)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reportgen.cli.app import cli, run
from reportgen.core.errors import ExitStatus

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "2023-06.xlsx"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"


def invoke(capsys, *args: str) -> tuple[int, str, str]:
    status = run(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_check_the_example_prints_the_assessment(capsys):
    status, out, err = invoke(capsys, "-C", str(ROOT), "check", str(EXAMPLE))
    assert status == 0, err
    assert "Kỳ báo cáo: tháng 6 năm 2023 — DỮ LIỆU MẪU" in out
    assert "Không có lỗi." in out
    assert "ĐÁNH GIÁ CHỈ TIÊU — tháng 6 năm 2023; thời gian đã qua: 50% của năm" in out
    row = next(line for line in out.splitlines() if line.startswith("XH01"))
    assert row.endswith("Đúng tiến độ") and "53%" in row and "tăng 7,8%" in row
    assert "Tổng hợp: 1/13 chỉ tiêu có kế hoạch đã đạt và vượt (1 đạt kế hoạch, 7 đúng tiến độ, 1 chậm tiến độ, " \
           "4 chưa đạt)" in out


def test_check_a_bad_workbook_exits_3_with_every_problem(capsys):
    status, out, _ = invoke(capsys, "check", str(HOSTILE / "code_duplicate.xlsx"))
    assert status == 3
    assert "Lỗi (1):" in out
    assert '  1. Sheet "Chỉ tiêu", ô A6: Mã “KT02” trùng với mã ở ô A5.' in out
    assert "ĐÁNH GIÁ CHỈ TIÊU" not in out


def test_check_annotate_writes_a_marked_copy(capsys, tmp_path):
    out_file = tmp_path / "danh-dau.xlsx"
    status, out, _ = invoke(capsys, "check", str(HOSTILE / "code_duplicate.xlsx"), "--annotate", str(out_file))
    assert status == 3
    assert f"Đã ghi bản đánh dấu lỗi: {out_file}" in out
    sheet = load_workbook(out_file)["Chỉ tiêu"]
    assert "trùng với mã" in sheet["A6"].comment.text


def test_xls_file_is_refused_with_the_fix(capsys):
    status, out, _ = invoke(capsys, "check", str(HOSTILE / "legacy.xls"))
    assert status == 3
    assert "Đây là tệp Excel 97-2003 (.xls)" in out and "Save As" in out


def test_generate_refuses_a_bad_workbook_and_writes_nothing(capsys, tmp_path):
    status, out, err = invoke(capsys, "generate", str(HOSTILE / "code_duplicate.xlsx"), "--out", str(tmp_path / "o"))
    assert status == 3
    assert "có lỗi, không lập báo cáo." in err
    assert 'Sheet "Chỉ tiêu", ô A6: Mã “KT02” trùng với mã ở ô A5.' in err
    assert not (tmp_path / "o").exists()


def test_generate_the_example(capsys, tmp_path):
    status, out, err = invoke(capsys, "-C", str(ROOT), "generate", str(EXAMPLE), "--out", str(tmp_path))
    assert status == 0, err
    assert out.splitlines()[0] == "Đã lập báo cáo tháng 6 năm 2023 (DỮ LIỆU MẪU):"
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["bao-cao-2023-06.docx", "bao-cao-2023-06.pdf", "so-lieu-2023-06.json", "so-lieu-2023-06.xlsx"]


def test_commands_leave_the_garbage_collector_as_the_caller_set_it(capsys, tmp_path):
    """The collector is tuned at the edges (the console entry point, a batch worker's initializer), never by a
    command run as a library call: a caller's own settings stay as they were, also when a workbook is refused."""
    import gc

    before = gc.get_threshold()
    gc.unfreeze()
    assert invoke(capsys, "-C", str(ROOT), "generate", str(EXAMPLE), "--out", str(tmp_path))[0] == 0
    assert invoke(capsys, "generate", str(HOSTILE / "code_duplicate.xlsx"), "--out", str(tmp_path / "x"))[0] == 3
    assert invoke(capsys, "check", str(EXAMPLE))[0] == 0
    assert gc.get_threshold() == before and gc.isenabled() and gc.get_freeze_count() == 0


def test_the_console_entry_point_tunes_the_collector_and_freezes_what_is_left(monkeypatch):
    """reportgen.cli.app.main, the process's edge: the youngest generation collected every 10,000 allocations
    instead of 700 (still on, so a long run or watch collects), and what is alive frozen on the way out."""
    import gc

    from reportgen.cli import app as cli
    from reportgen.core import collector

    monkeypatch.setattr(sys, "argv", ["reportgen", "--version"])
    threshold = gc.get_threshold()
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit) as ended:
            cli.main()
        assert ended.value.code == 0
        assert gc.get_threshold()[0] == collector.YOUNG_THRESHOLD and gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def test_generate_one_format_draft(capsys, tmp_path):
    status, _, err = invoke(capsys, "-C", str(ROOT), "generate", str(EXAMPLE), "--format", "pdf", "--draft",
                            "--out", str(tmp_path))
    assert status == 0, err
    assert not (tmp_path / "bao-cao-2023-06.docx").exists() and (tmp_path / "bao-cao-2023-06.pdf").exists()


def test_bad_period_is_a_usage_error(capsys):
    status, _, err = invoke(capsys, "new", "2023-13")
    assert status == 2
    assert "tháng 13 không có; tháng phải từ 1 đến 12" in err


def test_unknown_format_is_a_usage_error(capsys):
    status, _, err = invoke(capsys, "generate", str(EXAMPLE), "--format", "odt")
    assert status == 2
    assert err.endswith("Lỗi: Giá trị của '--format' không hợp lệ: 'odt' không có trong các lựa chọn: 'docx', 'pdf'.\n")


def test_missing_config_names_are_a_config_error(capsys, tmp_path):
    (tmp_path / "reportgen.toml").write_text("[unit]\nplace = \"Bình Liêu\"\n", encoding="utf-8")
    status, _, err = invoke(capsys, "-C", str(tmp_path), "generate", str(EXAMPLE), "--out", str(tmp_path / "o"))
    assert status == 4
    assert err.startswith(f"Lỗi: Cấu hình {tmp_path / 'reportgen.toml'}, mục [unit], khóa “agency”: chưa khai báo")


def test_bad_config_file_is_a_config_error(capsys, tmp_path):
    (tmp_path / "reportgen.toml").write_text("[mail\n", encoding="utf-8")
    status, _, err = invoke(capsys, "-C", str(tmp_path), "check", str(EXAMPLE))
    assert status == 4
    assert err == (f"Lỗi: Cấu hình {tmp_path / 'reportgen.toml'}: sai cú pháp ở dòng 1, cột 6: tên mục thiếu dấu “]” "
                   "đóng, ví dụ [mail].\n    1 | [mail\n             ^\n")


def test_init_new_check_in_a_fresh_folder(capsys, tmp_path):
    folder = tmp_path / "donvi"
    status, out, _ = invoke(capsys, "init", str(folder))
    assert status == 0
    assert f"Đã tạo  {folder / 'reportgen.toml'}" in out
    assert (folder / "inputs" / "2023-06.xlsx").is_file()
    status, out, _ = invoke(capsys, "-C", str(folder), "new", "2023-07")
    assert status == 0
    assert out.splitlines()[:2] == [f"Đã tạo {folder / 'inputs' / '2023-07.xlsx'}",
                                    f"Kế hoạch lấy từ: {folder / 'inputs' / '2023-06.xlsx'}"]
    # a blank month is checkable: missing figures are warnings, not errors
    status, out, _ = invoke(capsys, "-C", str(folder), "check", str(folder / "inputs" / "2023-07.xlsx"))
    assert status == 0, out
    assert "Không có lỗi." in out and "Chưa có số liệu" in out
    status, _, err = invoke(capsys, "-C", str(folder), "new", "2023-07")
    assert status == 2
    assert "đã có" in err and "--force" in err


def test_unexpected_error_shows_no_traceback_without_debug(capsys, monkeypatch):
    import reportgen.report.check

    def boom(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(reportgen.report.check, "check_workbook", boom)
    status, _, err = invoke(capsys, "check", str(EXAMPLE))
    assert status == 1
    assert err.strip() == ("Lỗi không mong đợi (ZeroDivisionError: division by zero). "
                           "Chạy lại với --debug để xem chi tiết và gửi cho người hỗ trợ.")
    status, _, err = invoke(capsys, "--debug", "check", str(EXAMPLE))
    assert status == 1 and "Traceback" in err


def test_every_command_has_help_and_an_example():
    for name, command in cli.commands.items():
        assert command.help and "Ví dụ:" in command.help, name


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"reportgen {name}" in readme, name


def test_installed_entry_point_runs():
    exe = shutil.which("reportgen") or str(Path(sys.executable).parent / "reportgen")
    done = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and "reportgen" in done.stdout


def test_an_error_inside_the_pdf_writer_reaches_the_user_with_its_message(tmp_path):
    """The PDF is written in the command's own process: a library that fails to import there (a broken
    install) is shown with its message, and with --debug its traceback; nothing is published.  (A forked
    PDF child used to lose both: exit 1 and not a word.)"""
    broken = tmp_path / "site" / "reportlab"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text('raise ImportError("reportlab hỏng (thử nghiệm)")\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(broken.parent), str(ROOT)]), "PYTHONIOENCODING": "utf-8"}
    out = tmp_path / "out"
    command = [sys.executable, "-m", "reportgen", "-C", str(ROOT), "generate", str(EXAMPLE), "--format", "pdf",
               "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", env=env)
    assert done.returncode == ExitStatus.ERROR, done.stderr
    assert done.stderr.strip() == ("Lỗi không mong đợi (ImportError: reportlab hỏng (thử nghiệm)). "
                                   "Chạy lại với --debug để xem chi tiết và gửi cho người hỗ trợ.")
    debug = subprocess.run([*command[:3], "--debug", *command[3:]], capture_output=True, text=True,
                           encoding="utf-8", env=env)
    assert debug.returncode == ExitStatus.ERROR
    assert "Traceback (most recent call last)" in debug.stderr and "reportlab hỏng (thử nghiệm)" in debug.stderr
    assert not out.exists() or list(out.iterdir()) == []
