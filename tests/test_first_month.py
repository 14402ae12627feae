"""Regression tests for the defects of the first real month (issue 12), one or more per numbered item.

Each test plays the office's situation against a real SMTP server on loopback and reads the mailbox,
the receipt and the ledger back.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reportgen.cli.app import run as cli_run
from reportgen.core.errors import ExitStatus, UsageError
from reportgen.report.generate import GenerateOptions, generate
from reportgen.delivery.ledger import Ledger
from reportgen.delivery.composer import Composer
from reportgen.core.periods import Period
from reportgen.run.daily import RunOptions
from reportgen.run.by_hand import retry_failed, send_period
from reportgen import api
from reportgen.cli.texts import render_status
from reportgen.settings.workspace import Workspace

from run_helpers import (RECIPIENTS, STAFF, UNITS_TOML, ledger_of, make_folder, report_file, run_at,
                         write_month)
from smtp_fixtures import *  # noqa: F401,F403 - pytest fixtures

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"


def options(when: str) -> RunOptions:
    return RunOptions(now=datetime.fromisoformat(when), sleep=lambda _: None)


def subjects(server, address):
    return [m.message["Subject"] for m in server.inbox(address)]


# 1 ------------------------------------------------------------------------------------------------
def test_sample_data_is_mailed_to_staff_only_and_the_receipt_says_how_to_remove_it(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server, sample=True)       # init leaves the example in inputs/
    result = run_at(root, "2023-06-20T07:00")
    assert [smtp_server.inbox(a) for a in RECIPIENTS] == [[], []]
    [report] = [m for m in smtp_server.inbox(STAFF) if "Báo cáo tình hình" in m.message["Subject"]]
    assert report.message["Subject"] == \
        "[DỮ LIỆU MẪU] [UBND huyện Bình Liêu] Báo cáo tình hình kinh tế - xã hội tháng 6 năm 2023"
    assert ("inputs/2023-06.xlsx là DỮ LIỆU MẪU (sheet Thông tin có dòng “Dữ liệu mẫu”): báo cáo lập từ tệp này chỉ "
            "gửi cho cán bộ ([mail] staff), không bao giờ gửi cho người nhận. Xem xong thì xóa tệp khỏi inputs/") \
        in result.receipt
    with pytest.raises(UsageError, match="lập từ dữ liệu mẫu nên chỉ gửi được cho cán bộ"):
        send_period(Workspace.open(root), Period.parse("2023-06"), options("2023-06-21T08:00"), to=RECIPIENTS[0])
    released = send_period(Workspace.open(root), Period.parse("2023-06"), options("2023-06-21T08:00"), to=STAFF,
                           again=True)
    assert released[0] == 1 and [smtp_server.inbox(a) for a in RECIPIENTS] == [[], []]


def test_init_says_the_example_is_sample_data_and_how_to_remove_it(tmp_path, capsys):
    assert cli_run(["init", str(tmp_path / "moi")]) == 0
    out = capsys.readouterr().out
    assert "inputs/2023-06.xlsx là tệp DỮ LIỆU MẪU" in out and "xóa tệp đó" in out


# 2 ------------------------------------------------------------------------------------------------
def test_message_ids_differ_across_folders_and_content_and_stay_for_the_same_message(tmp_path):
    workspace = Workspace.open(make_folder(tmp_path / "f"))
    now = datetime(2023, 6, 20, 7)
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.7 one")

    def message_id(instance: str) -> str:
        composer = Composer(workspace.config, workspace.templates, now, instance)
        return composer.report(report_id=1, period=Period.parse("2023-06"), recipient="a@example.vn", pdf=pdf,
                               docx=None, replaces_sent_on=None, summary="").message_id

    first = message_id("ledger-a")
    assert message_id("ledger-a") == first                       # the same message: the same ID
    assert message_id("ledger-b") != first                       # another working folder (another ledger)
    pdf.write_bytes(b"%PDF-1.7 two")                            # a ledger restored from a backup reuses row 1
    assert message_id("ledger-a") != first


def test_two_folders_on_one_mail_domain_send_different_message_ids(tmp_path, smtp_server):
    for name in ("xa-a", "xa-b"):
        run_at(make_folder(tmp_path / name, smtp_server), "2023-06-20T07:00")
    ids = [m.message_id for m in smtp_server.inbox(RECIPIENTS[0])]
    assert len(ids) == 2 and len(set(ids)) == 2


# 3 ------------------------------------------------------------------------------------------------
def test_catch_up_days_holds_a_report_queued_before_an_outage(tmp_path, smtp_server_factory):
    server = smtp_server_factory(start=False)
    root = make_folder(tmp_path / "f", server)
    write_month(root, "2023-08")
    run_at(root, "2023-08-10T07:00")                               # queued for its due date, the 20th
    run_at(root, "2023-08-20T07:00")                               # the server is down
    server.start()
    result = run_at(root, "2023-10-15T07:00")                      # 56 days late
    assert [server.inbox(a) for a in RECIPIENTS] == [[], []]
    assert ("quá hạn 56 ngày (quá 45 ngày của catch_up_days) nên không tự gửi; gửi bằng tay: reportgen send "
            "2023-08") in result.receipt
    with ledger_of(root) as ledger:
        assert {m.status for m in ledger.messages() if m.kind == "report" and m.period == "2023-08"} == {"held"}
    count, sent = send_period(Workspace.open(root), Period.parse("2023-08"), options("2023-10-15T08:00"))
    assert count == 2 and [len(server.inbox(a)) for a in RECIPIENTS] == [1, 1]


def test_a_stale_reminder_expires_instead_of_going_out_months_later(tmp_path, smtp_server_factory):
    server = smtp_server_factory(start=False)
    root = make_folder(tmp_path / "f", server)
    run_at(root, "2023-07-16T07:00")                               # July's reminder, the server down
    server.start()
    run_at(root, "2023-09-20T06:00")
    assert not [m for m in server.inbox(STAFF) if "tháng 7 năm 2023 (hạn nộp" in m.message["Subject"]]
    with ledger_of(root) as ledger:
        [reminder] = [m for m in ledger.messages() if m.kind == "reminder" and m.period == "2023-07"]
        assert reminder.status == "expired"


# 4 ------------------------------------------------------------------------------------------------
def test_a_preview_never_replaces_the_sent_revision_and_send_mails_the_recorded_one(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server)
    write_month(root, "2023-07")
    run_at(root, "2023-07-20T07:00")
    sent = report_file(root, "2023-07").read_bytes()
    preview = generate(root / "inputs" / "2023-07.xlsx", Workspace.open(root), GenerateOptions(draft=True))
    assert preview.files["pdf"] == root / "outputs" / "2023-07" / "xem-truoc" / "bao-cao-2023-07.pdf"
    assert report_file(root, "2023-07").read_bytes() == sent
    send_period(Workspace.open(root), Period.parse("2023-07"), options("2023-07-21T08:00"), to="tonghop2@example.vn")
    [copy] = smtp_server.inbox("tonghop2@example.vn")
    assert copy.attachments()[0][1] == sent
    report_file(root, "2023-07").write_bytes(sent + b"% edited")
    with pytest.raises(UsageError, match=r"outputs/2023-07/bao-cao-2023-07-lan-1.pdf đã bị thay đổi sau khi lập"):
        send_period(Workspace.open(root), Period.parse("2023-07"), options("2023-07-21T09:00"), to="khac@example.vn")


def test_a_correction_keeps_every_revisions_files(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server)
    run_at(root, "2023-06-20T07:00")
    first = report_file(root, "2023-06").read_bytes()
    write_month(root, "2023-06", value="330")
    run_at(root, "2023-06-22T07:00")
    assert report_file(root, "2023-06").read_bytes() == first
    assert report_file(root, "2023-06", revision=2).read_bytes() != first
    [_, second] = smtp_server.inbox(RECIPIENTS[0])
    assert second.attachments()[0][1] == report_file(root, "2023-06", revision=2).read_bytes()


# 5 ------------------------------------------------------------------------------------------------
def test_saving_again_without_a_change_is_not_a_correction(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server)
    run_at(root, "2023-06-20T07:00")
    workbook = root / "inputs" / "2023-06.xlsx"
    before = workbook.read_bytes()
    book = load_workbook(workbook)
    book.save(workbook)                                           # opened and saved: other bytes, same figures
    assert workbook.read_bytes() != before
    result = run_at(root, "2023-06-21T07:00")
    assert "nội dung báo cáo không đổi so với lần 1 (tệp chỉ được lưu lại), nên không lập bản mới và không gửi lại" \
        in result.receipt
    assert [len(smtp_server.inbox(a)) for a in RECIPIENTS] == [1, 1]
    assert not report_file(root, "2023-06", revision=2).exists()
    with ledger_of(root) as ledger:
        assert [r.revision for r in ledger.reports()] == [1]
    assert run_at(root, "2023-06-22T07:00").receipt_files == ()   # and the next run is quiet


# 6 ------------------------------------------------------------------------------------------------
def test_a_workbook_copied_under_another_periods_name_is_refused(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server)
    november = write_month(root, "2026-11")
    run_at(root, "2026-11-20T07:00")
    shutil.copy(november, root / "inputs" / "2026-10.xlsx")
    result = run_at(root, "2026-11-21T07:00")
    assert result.status is ExitStatus.INVALID_INPUT
    assert ("Tên tệp “2026-10.xlsx” là kỳ tháng 10 năm 2026 nhưng ô Kỳ báo cáo ghi tháng 11 năm 2026; tệp không được "
            "dùng cho kỳ nào.") in (root / "outputs" / "receipts" / "bien-nhan-20261121-070000.txt").read_text(
        encoding="utf-8") or "có 1 lỗi, không lập báo cáo" in result.receipt
    assert [len(smtp_server.inbox(a)) for a in RECIPIENTS] == [1, 1]
    [notice] = [m for m in smtp_server.inbox(STAFF) if "có lỗi" in m.message["Subject"]]
    assert "Tên tệp “2026-10.xlsx” là kỳ tháng 10 năm 2026" in notice.message.get_body().get_content()


# 7: tests/test_run_crash.py kills a run between a permanent failure and its notice ------------------


# 9 ------------------------------------------------------------------------------------------------
def test_every_file_dropped_is_named_in_the_receipt_with_what_to_do(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server)
    inputs = root / "inputs"
    shutil.copy(HOSTILE / "legacy.xls", inputs / "2023-10.xls")
    shutil.copy(HOSTILE / "spreadsheet.ods", inputs / "2023-11.ods")
    write_month(root, "2023-09").rename(inputs / "2023-09 (1).xlsx")
    write_month(root, "2026-12").rename(inputs / "BC tháng 12 năm 2026.xlsx")
    (inputs / "~$2023-06.xlsx").write_bytes(b"lock")             # Excel's lock file: not something staff dropped
    result = run_at(root, "2023-10-16T07:00")
    receipt = result.receipt
    assert result.status is ExitStatus.INVALID_INPUT
    assert ("inputs/2023-10.xls: không xử lý — Đây là tệp Excel 97-2003 (.xls); chương trình chỉ đọc được tệp .xlsx."
            in receipt)
    assert ("inputs/2023-10.xls: Mở tệp trong Excel, chọn File → Save As → Excel Workbook (*.xlsx), rồi dùng tệp "
            ".xlsx mới. Đặt tên tệp mới là “2023-10.xlsx”." in receipt)
    assert "inputs/2023-11.ods: không xử lý — " in receipt and "“2023-11.xlsx”" in receipt
    assert ("inputs/2023-09 (1).xlsx: Nếu đây là số liệu tháng 9 năm 2023, đổi tên tệp thành “2023-09.xlsx”"
            in receipt)
    assert "inputs/BC tháng 12 năm 2026.xlsx: Nếu đây là số liệu tháng 12 năm 2026, đổi tên tệp thành “2026-12.xlsx”" \
        in receipt
    assert "~$2023-06" not in receipt
    # the reminder for October points at the file that is there but cannot be used
    assert ("Chưa có inputs/2023-10.xlsx (hạn 07:00 ngày 20/10/2023): chạy “reportgen new 2023-10” rồi nhập số liệu. "
            "Trong inputs/ có inputs/2023-10.xls nhưng chưa dùng được") in receipt
    notices = [m.message["Subject"] for m in smtp_server.inbox(STAFF) if "có lỗi" in m.message["Subject"]]
    assert len(notices) == 4
    again = run_at(root, "2023-10-17T07:00")
    assert "không xử lý" not in again.receipt                    # named once per file content


def test_two_workbooks_for_one_period_are_both_named_and_neither_taken(tmp_path):
    root = make_folder(tmp_path / "f")
    shutil.copy(root / "inputs" / "2023-06.xlsx", root / "inputs" / "2023-06.xlsm")
    result = run_at(root, "2023-06-16T07:00")
    assert "Có 2 tệp cùng là số liệu tháng 6 năm 2023: “2023-06.xlsm”, “2023-06.xlsx”; chưa xử lý tệp nào." \
        in result.receipt
    with ledger_of(root) as ledger:
        assert ledger.reports() == []


def test_a_folder_named_like_no_unit_is_named(tmp_path):
    root = make_folder(tmp_path / "f", extra=UNITS_TOML)
    write_month(root, "2023-06", unit="hoanh_mo")
    result = run_at(root, "2023-06-16T07:00")
    assert ("inputs/hoanh_mo: không xử lý — Thư mục này có tệp Excel nhưng không phải thư mục của đơn vị nào"
            in result.receipt)
    assert "các đơn vị: dong-van, hoanh-mo" in result.receipt


# 11 -----------------------------------------------------------------------------------------------
def test_each_unit_is_reminded_by_name_with_its_own_command_and_the_gathering_office_is_not(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server, extra=UNITS_TOML)
    (root / "inputs" / "2023-06.xlsx").unlink()                   # only the communes report
    result = run_at(root, "2023-08-16T07:00")
    reminders = sorted(m.message["Subject"] for m in smtp_server.inbox(STAFF) if "Nhắc việc" in m.message["Subject"])
    assert reminders == [
        "[UBND xã Hoành Mô] Nhắc việc: chưa có số liệu tháng 8 năm 2023 (hạn nộp 20/8/2023)",
        "[Ủy ban nhân dân xã Đồng Văn] Nhắc việc: chưa có số liệu tháng 8 năm 2023 (hạn nộp 20/8/2023)",
    ]
    [hoanh_mo] = [m for m in smtp_server.inbox(STAFF) if "Hoành Mô" in m.message["Subject"]]
    assert "reportgen new 2023-08 --unit hoanh-mo" in hoanh_mo.message.get_body().get_content()
    assert "[hoanh-mo] Chưa có inputs/hoanh-mo/2023-08.xlsx" in result.receipt
    assert "chạy “reportgen new 2023-08 --unit hoanh-mo”" in result.receipt
    assert "Chưa có inputs/2023-08.xlsx" not in result.receipt


def test_the_folders_own_unit_reports_when_told_to(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server, extra=UNITS_TOML)
    (root / "inputs" / "2023-06.xlsx").unlink()
    config = root / "reportgen.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[unit]\n", "[unit]\nreports = true\n", 1),
                      encoding="utf-8")
    result = run_at(root, "2023-08-16T07:00")
    assert "Chưa có inputs/2023-08.xlsx" in result.receipt


def test_status_of_an_unknown_unit_is_an_error(tmp_path, capsys):
    root = make_folder(tmp_path / "f", extra=UNITS_TOML)
    assert cli_run(["-C", str(root), "status", "--unit", "hoanh"]) == ExitStatus.USAGE
    assert "Không có đơn vị “hoanh” trong [units] của reportgen.toml; các đơn vị: dong-van, hoanh-mo." \
        in capsys.readouterr().err


# 12 -----------------------------------------------------------------------------------------------
def test_run_outside_a_working_folder_is_an_error_and_creates_nothing(tmp_path, capsys):
    empty = tmp_path / "khong-phai"
    empty.mkdir()
    assert cli_run(["-C", str(empty), "run", "--now", "2023-06-20T07:00"]) == ExitStatus.USAGE
    err = capsys.readouterr().err
    assert f"Thư mục {empty.resolve()} không phải thư mục làm việc của reportgen (không có reportgen.toml)" in err
    assert list(empty.iterdir()) == []
    assert cli_run(["-C", str(tmp_path / "khong-co"), "status"]) == ExitStatus.USAGE
    assert "Không có thư mục" in capsys.readouterr().err


# 13 -----------------------------------------------------------------------------------------------
def test_mail_waiting_after_an_outage_can_be_pushed_by_hand(tmp_path, smtp_server_factory):
    server = smtp_server_factory(start=False)
    root = make_folder(tmp_path / "f", server)
    down = run_at(root, "2023-06-20T07:00")
    assert "chờ gửi lại đến tonghop@example.vn từ 07:15 ngày 20/6/2023" in down.receipt
    assert "“reportgen send --retry-failed” để gửi ngay" in down.receipt
    status = render_status(api.history(Workspace.open(root)))
    assert "báo cáo → tonghop@example.vn: chờ gửi lại, 0 lần thử, thử lại từ 07:15 ngày 20/6/2023" in status
    server.start()
    count, result = retry_failed(Workspace.open(root), options("2023-06-20T07:05"))
    assert count == 2 and result.status is ExitStatus.SUCCESS
    assert [len(server.inbox(a)) for a in RECIPIENTS] == [1, 1]


def test_send_period_releases_messages_waiting_for_a_retry(tmp_path, smtp_server_factory):
    server = smtp_server_factory(start=False)
    root = make_folder(tmp_path / "f", server)
    write_month(root, "2023-07").rename(root / "inputs" / "2023-06.xlsx")   # July's workbook only
    write_month(root, "2023-07")
    (root / "inputs" / "2023-06.xlsx").unlink()
    run_at(root, "2023-07-20T07:00")
    server.start()
    count, result = send_period(Workspace.open(root), Period.parse("2023-07"), options("2023-07-20T07:02"))
    assert count == 2 and result.status is ExitStatus.SUCCESS, result.receipt
    assert [len(server.inbox(a)) for a in RECIPIENTS] == [1, 1]
    with pytest.raises(UsageError, match="đã gửi xong đến lanhdao@example.vn, tonghop@example.vn"):
        send_period(Workspace.open(root), Period.parse("2023-07"), options("2023-07-20T07:03"))


# 21 -----------------------------------------------------------------------------------------------
def test_a_down_server_is_not_tried_again_for_every_message_of_the_run(tmp_path, smtp_server_factory):
    server = smtp_server_factory(start=False)
    root = make_folder(tmp_path / "f", server, extra=UNITS_TOML)
    for unit in ("hoanh-mo", "dong-van"):
        write_month(root, "2023-06", unit=unit)
    said: list[str] = []
    result = run_at(root, "2023-06-20T07:00", progress=said.append)
    with ledger_of(root) as ledger:
        tried = [m for m in ledger.messages() if m.attempts]
        skipped = [m for m in ledger.messages() if m.status == "retry" and m.attempts == 0]
    assert len(tried) == 1 and len(skipped) == 3                 # only the first went through its retries
    assert "chưa gửi: máy chủ thư không kết nối được trong lần chạy này" in result.receipt
    assert any("Thử lại sau" in line for line in said)
    assert any("Các thư còn lại của lần chạy này sẽ gửi ở lần chạy sau." in line for line in said)
    assert any(line.startswith("Đã xử lý 3/3") for line in said)


def test_the_receipt_shows_the_warnings_check_would_give(tmp_path):
    """A scheduled run is all some offices read: what `check` warns about reaches the receipt too."""
    root = make_folder(tmp_path / "f")
    config = root / "reportgen.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('basis = "Chương trình công tác năm {năm}"',
                                                                 'basis = "Chương trình công tác năm 2022"'),
                      encoding="utf-8")
    result = run_at(root, "2023-06-16T07:00")
    assert result.status is ExitStatus.SUCCESS
    [line] = [line for line in result.receipt.splitlines() if "Xem lại inputs/2023-06.xlsx" in line]
    assert "cảnh báo; báo cáo vẫn lập" in line and "2022" in line
