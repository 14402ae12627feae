"""Many units in one folder: their own names and recipients, in parallel, one bad workbook stopping none."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from reportgen.cli.app import run as cli_run
from reportgen.settings.config import load_config
from reportgen.core.errors import ExitStatus
from reportgen.report.generate import generate
from reportgen.delivery.ledger import Ledger
from reportgen import api
from reportgen.cli.texts import render_status
from reportgen.settings.workspace import Workspace

from run_helpers import UNITS_TOML, make_folder, run_at, write_month, report_file
from smtp_fixtures import *  # noqa: F401,F403 - pytest fixtures

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"


def test_unit_config_is_merged_over_the_shared_one(tmp_path):
    root = make_folder(tmp_path / "f", extra=UNITS_TOML)
    config = load_config(root / "reportgen.toml")
    unit = config.for_unit("hoanh-mo")
    assert unit.unit.agency == ("ỦY BAN NHÂN DÂN", "XÃ HOÀNH MÔ") and unit.unit.place == "Hoành Mô"
    assert unit.unit.doc_symbol == "BC-UBND"                 # not given: the shared value
    assert unit.signer.name == "Hoàng Văn B" and unit.report.recipients == ("UBND huyện Bình Liêu (b/c)",)
    assert config.for_unit("dong-van").signer.name == "Nguyễn Văn A"
    ws = Workspace.open(root)
    assert ws.units == ("", "hoanh-mo", "dong-van")
    assert ws.for_unit("hoanh-mo").inputs == root / "inputs" / "hoanh-mo"


def test_generate_a_unit_workbook_uses_its_names_and_folder(tmp_path):
    root = make_folder(tmp_path / "f", extra=UNITS_TOML)
    workbook = write_month(root, "2023-06", unit="hoanh-mo")
    built = generate(workbook, Workspace.open(root))
    assert built.out_dir == root / "outputs" / "hoanh-mo" / "2023-06" / "xem-truoc"   # a preview
    text = "\n".join(page.extract_text() for page in PdfReader(built.files["pdf"]).pages)
    assert "XÃ HOÀNH MÔ" in text and "Hoành Mô, ngày" in text and "Hoàng Văn B" in text
    assert "Ủy ban nhân dân xã Hoành Mô" in text


def test_run_processes_every_unit_in_parallel_and_a_bad_one_stops_none(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server, extra=UNITS_TOML)
    write_month(root, "2023-06", unit="hoanh-mo")
    (root / "inputs" / "dong-van").mkdir()
    shutil.copy(HOSTILE / "code_duplicate.xlsx", root / "inputs" / "dong-van" / "2023-06.xlsx")
    result = run_at(root, "2023-06-20T07:00", jobs=2)
    assert result.status is ExitStatus.INVALID_INPUT
    assert "[dong-van] inputs/dong-van/2023-06.xlsx (SHA-256 " in result.receipt
    assert "[hoanh-mo] inputs/hoanh-mo/2023-06.xlsx (SHA-256 " in result.receipt
    assert "inputs/2023-06.xlsx (SHA-256 " in result.receipt     # the folder's own unit too
    [hoanh_mo] = smtp_server.inbox("hoanhmo@example.vn")
    assert hoanh_mo.message["Subject"] == "[UBND xã Hoành Mô] Báo cáo tình hình kinh tế - xã hội tháng 6 năm 2023"
    assert smtp_server.inbox("dongvan@example.vn") == []
    assert report_file(root, "2023-06", unit="hoanh-mo").is_file()
    assert not (root / "outputs" / "dong-van").exists()
    assert (root / "outputs" / "hoanh-mo" / "2023-06" / "bien-nhan-20230620-070000.txt").is_file()
    with Ledger(root / "reportgen.db") as ledger:
        assert sorted((r.unit, r.period) for r in ledger.reports()) == [("", "2023-06"), ("hoanh-mo", "2023-06")]
    again = run_at(root, "2023-06-21T07:00", jobs=2)
    assert "Không có việc mới" not in again.receipt or again.status is ExitStatus.SUCCESS
    assert len(smtp_server.inbox("hoanhmo@example.vn")) == 1


def test_status_filters_by_unit(tmp_path):
    root = make_folder(tmp_path / "f", extra=UNITS_TOML)
    write_month(root, "2023-06", unit="hoanh-mo")
    run_at(root, "2023-06-20T07:00", jobs=1)
    only = render_status(api.history(Workspace.open(root), "hoanh-mo"))
    assert "[hoanh-mo] inputs/hoanh-mo/2023-06.xlsx" in only and "  2023-06-20T07:00:00  inputs/2023-06.xlsx" not in only


def test_new_for_a_unit_and_unknown_unit(tmp_path, capsys):
    root = make_folder(tmp_path / "f", extra=UNITS_TOML)
    assert cli_run(["-C", str(root), "new", "2023-07", "--unit", "hoanh-mo"]) == 0
    assert (root / "inputs" / "hoanh-mo" / "2023-07.xlsx").is_file()
    assert cli_run(["-C", str(root), "new", "2023-07", "--unit", "khong-co"]) == 2
    assert "Không có đơn vị “khong-co” trong [units] của reportgen.toml; các đơn vị: dong-van, hoanh-mo." \
        in capsys.readouterr().err


def test_summary_across_units(tmp_path, capsys):
    from openpyxl import load_workbook

    root = make_folder(tmp_path / "f", extra=UNITS_TOML)
    write_month(root, "2023-06", unit="hoanh-mo", value="100")
    (root / "inputs" / "dong-van").mkdir()
    shutil.copy(HOSTILE / "code_duplicate.xlsx", root / "inputs" / "dong-van" / "2023-06.xlsx")
    assert cli_run(["-C", str(root), "summary", "2023-06", "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert "Tổng hợp tháng 6 năm 2023: 2/3 đơn vị có số liệu hợp lệ, 16 chỉ tiêu." in out
    assert "  UBND xã Đồng Văn: tệp có 1 lỗi" not in out and "Ủy ban nhân dân xã Đồng Văn: tệp có 1 lỗi" in out
    folder = root / "outputs" / "tong-hop" / "2023-06"
    sheet = load_workbook(folder / "tong-hop-2023-06.xlsx")["Tổng hợp"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["UBND huyện Bình Liêu"][2] == "Chưa đạt"                    # KT01 of the shared unit
    assert rows["UBND xã Hoành Mô"][10] == "Chậm tiến độ"                  # XH01 = 100 of 600 by June
    assert rows["Ủy ban nhân dân xã Đồng Văn"][2] == "tệp có lỗi (1 lỗi)"
    text = "\n".join(page.extract_text() for page in PdfReader(folder / "tong-hop-2023-06.pdf").pages)
    assert "TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU THÁNG 6 NĂM 2023" in text
    assert "UBND xã Hoành Mô" in text and "CTĐ" in text and "Giải quyết việc làm mới" in text


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_workers_build_with_the_workspaces_the_run_hands_them(tmp_path, monkeypatch, start):
    """Each worker gets the run's workspaces once (fork or, as on Windows, spawn) and never reads
    reportgen.toml again: with the file gone after the run opened it, every unit still builds."""
    import multiprocessing

    from reportgen.run import batch as building

    if start not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {start} start method here")
    root = make_folder(tmp_path / "f", extra=UNITS_TOML)
    ws = Workspace.open(root)
    tasks = [building.BuildTask(str(root), None, unit, str(write_month(root, "2023-06", unit=unit)), "", 1)
             for unit in ("hoanh-mo", "dong-van")]
    workspaces = {unit: ws.for_unit(unit) for unit in ("hoanh-mo", "dong-van")}
    (root / "reportgen.toml").unlink()
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: [start])
    outcomes = list(building.build_all(tasks, 2, workspaces))
    assert [outcome.kind for outcome in outcomes] == ["built", "built"], [o.errors for o in outcomes]
    pdf = report_file(root, "2023-06", unit="dong-van")
    assert Path(outcomes[1].files["pdf"]) == pdf and "Đồng Văn" in PdfReader(pdf).pages[0].extract_text()


def test_a_batch_worker_tunes_the_collector_once_and_a_build_leaves_it_alone(tmp_path, monkeypatch):
    """The worker's initializer is the edge that tunes Python's cyclic collector (reportgen.core.collector); building
    a report (in a worker, or in the run's own process with one job) neither pauses nor resumes it."""
    import gc
    import threading

    from reportgen.run import batch as building
    from reportgen.core import collector

    root = make_folder(tmp_path / "f")
    task = building.BuildTask(str(root), None, "", str(write_month(root, "2023-06")), "")
    seen = []
    real = building._build
    monkeypatch.setattr(building, "_build", lambda *a: seen.append((gc.isenabled(), gc.get_threshold())) or real(*a))
    monkeypatch.setattr(threading.Thread, "start", lambda self: None)  # no parent watch in this process
    threshold = gc.get_threshold()
    try:
        building._start_worker({}, os.getpid())
        tuned = gc.get_threshold()
        assert tuned[0] == collector.YOUNG_THRESHOLD
        assert [o.kind for o in building.build_all([task], 1)] == ["built"]
        assert seen == [(True, tuned)] and gc.get_threshold() == tuned and gc.isenabled()
    finally:
        gc.set_threshold(*threshold)


def test_a_report_is_mailed_while_the_next_one_is_built(tmp_path, smtp_server, monkeypatch):
    """Each report's mail goes out as soon as its outcome is recorded, not after the last build: the waits
    on the disk and the server overlap the building of the others."""
    from reportgen.run import batch as building

    root = make_folder(tmp_path / "f", smtp_server, extra=UNITS_TOML)
    for unit in ("hoanh-mo", "dong-van"):
        write_month(root, "2023-06", unit=unit)
    mailed_before = {}
    real_build = building.build

    def build(task, workspace=None):
        mailed_before[task.unit] = sorted(r for m in smtp_server.messages for r in m.rcpt_tos)
        return real_build(task, workspace)

    monkeypatch.setattr(building, "build", build)
    result = run_at(root, "2023-06-20T07:00", jobs=1)
    assert result.status is ExitStatus.SUCCESS, result.receipt
    first, second = [unit for unit in mailed_before if unit in ("hoanh-mo", "dong-van")]  # in build order
    address = {"hoanh-mo": "hoanhmo@example.vn", "dong-van": "dongvan@example.vn"}[first]
    assert address not in mailed_before[first]
    assert address in mailed_before[second]            # the first unit's report went out before the second's build


def test_a_missing_password_stops_delivery_once_for_the_whole_run(tmp_path, smtp_server, monkeypatch):
    monkeypatch.delenv("RG_UNSET_PASSWORD", raising=False)
    root = make_folder(tmp_path / "f", smtp_server, extra=UNITS_TOML,
                       mail={"username": "vanphong", "password_env": "RG_UNSET_PASSWORD"})
    for unit in ("hoanh-mo", "dong-van"):
        write_month(root, "2023-06", unit=unit)
    result = run_at(root, "2023-06-20T07:00", jobs=1)
    assert result.status is ExitStatus.CONFIG
    assert result.receipt.count("chưa có mật khẩu thư cho tài khoản vanphong") == 1, result.receipt
    assert smtp_server.messages == []
