"""`reportgen run` against a real SMTP server on loopback: due dates, retries, corrections, reminders, a year."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from reportgen.core.errors import ExitStatus
from reportgen.delivery.ledger import Ledger
from reportgen.delivery.lock import RunLocked, run_lock
from reportgen.core.periods import Period
from reportgen.run.daily import LOCK_NAME
from reportgen.run.by_hand import retry_failed, send_period
from reportgen.run.daily import RunOptions
from reportgen import api
from reportgen.cli.texts import render_status
from reportgen.settings.workspace import Workspace

from run_helpers import RECIPIENTS, STAFF, ledger_of, make_folder, report_file, run_at, write_month
from smtp_fixtures import *  # noqa: F401,F403 - pytest fixtures, SMTP_USER, SMTP_PASSWORD
from smtp_server import Delay, Disconnect, Reply

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"


def subjects(server, address):
    return [m.message["Subject"] for m in server.inbox(address)]


def test_without_mail_settings_each_message_is_written_once_as_eml(tmp_path):
    root = make_folder(tmp_path / "f")
    first = run_at(root, "2023-06-16T07:00")
    assert first.status is ExitStatus.SUCCESS
    assert "inputs/2023-06.xlsx (SHA-256 " in first.receipt and "hợp lệ, đã lập báo cáo lần 1" in first.receipt
    assert "sẽ gửi đến (chưa có người nhận) lúc 07:00 ngày 20/6/2023 (hạn gửi)" in first.receipt
    assert not (root / "outputs" / "outbox").exists()
    due = run_at(root, "2023-06-20T07:00")
    emls = sorted((root / "outputs" / "outbox").rglob("*.eml"))
    assert len(emls) == 1 and b"X-Unsent: 1" in emls[0].read_bytes()
    assert "đã ghi thư ra outputs/outbox/2023-06/" in due.receipt
    again = run_at(root, "2023-06-21T07:00")
    assert "Không có việc mới" in again.receipt and again.receipt_files == ()
    assert sorted((root / "outputs" / "outbox").rglob("*.eml")) == emls
    assert (root / "outputs" / "2023-06" / "bien-nhan-20230616-070000.txt").read_text(encoding="utf-8") == first.receipt


def test_starttls_auth_delivery_once_per_recipient(tmp_path, starttls_server, trust_smtp_certificate, monkeypatch):
    monkeypatch.setenv("REPORTGEN_SMTP_PASSWORD", SMTP_PASSWORD)
    root = make_folder(tmp_path / "f", starttls_server)
    result = run_at(root, "2023-06-20T07:00")
    assert result.status is ExitStatus.SUCCESS, result.receipt
    pdf = report_file(root, "2023-06").read_bytes()
    for address in RECIPIENTS:
        [received] = starttls_server.inbox(address)
        assert received.message["Subject"] == \
            "[UBND huyện Bình Liêu] Báo cáo tình hình kinh tế - xã hội tháng 6 năm 2023"
        assert received.attachments() == [("Báo cáo KT-XH tháng 6 năm 2023.pdf", pdf)]
        assert f"{address} — “[UBND huyện Bình Liêu] Báo cáo tình hình kinh tế - xã hội tháng 6 năm 2023”: " \
               "đã gửi; máy chủ trả lời: 250" in result.receipt
    assert set(starttls_server.logins) == {SMTP_USER}   # one connection per message
    run_at(root, "2023-06-21T07:00")
    run_at(root, "2023-06-22T07:00")
    assert [len(starttls_server.inbox(a)) for a in RECIPIENTS] == [1, 1]
    status = render_status(api.history(Workspace.open(root)))
    assert "báo cáo → lanhdao@example.vn: đã gửi, 1 lần thử" in status and "máy chủ: 250" in status
    for path in root.rglob("*"):
        if path.is_file():
            assert SMTP_PASSWORD.encode() not in path.read_bytes(), path


def test_nothing_is_sent_before_the_due_day(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server)
    run_at(root, "2023-06-16T07:00")
    run_at(root, "2023-06-19T23:59")
    assert smtp_server.messages == []
    run_at(root, "2023-06-20T07:00")
    assert [len(smtp_server.inbox(a)) for a in RECIPIENTS] == [1, 1]


def test_pc_off_on_the_due_day_catches_up_once(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server)
    run_at(root, "2023-06-16T07:00")
    run_at(root, "2023-06-23T08:15")   # off from the 17th to the 22nd
    run_at(root, "2023-06-24T07:00")
    assert [len(smtp_server.inbox(a)) for a in RECIPIENTS] == [1, 1]


def test_a_report_long_past_due_is_held_not_flooded(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server)
    result = run_at(root, "2023-10-01T07:00")
    assert [smtp_server.inbox(a) for a in RECIPIENTS] == [[], []]
    # staff do hear that September's report is missing
    assert [m.message["Subject"] for m in smtp_server.inbox(STAFF)] == \
        ["[UBND huyện Bình Liêu] Quá hạn: chưa lập được báo cáo tháng 9 năm 2023 (hạn 20/9/2023)"]
    assert "đang giữ lại, chưa gửi đến lanhdao@example.vn: chạy “reportgen send 2023-06” để gửi." in result.receipt
    count, sent = send_period(Workspace.open(root), Period.parse("2023-06"),
                              RunOptions(now=datetime(2023, 10, 1, 8), sleep=lambda _: None))
    assert count == 2 and sent.status is ExitStatus.SUCCESS
    assert [len(smtp_server.inbox(a)) for a in RECIPIENTS] == [1, 1]


def test_corrected_figures_go_out_as_a_replacement(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server)
    run_at(root, "2023-06-20T07:00")
    write_month(root, "2023-06", value="330")          # a corrected figure, same file name
    result = run_at(root, "2023-06-22T07:00")
    assert "hợp lệ, đã lập báo cáo lần 2 (bản sửa đổi)" in result.receipt
    for address in RECIPIENTS:
        assert subjects(smtp_server, address) == [
            "[UBND huyện Bình Liêu] Báo cáo tình hình kinh tế - xã hội tháng 6 năm 2023",
            "[UBND huyện Bình Liêu] Báo cáo tình hình kinh tế - xã hội tháng 6 năm 2023 "
            "(bản sửa đổi, thay thế bản đã gửi ngày 20/6/2023)"]
        first, second = smtp_server.inbox(address)
        assert first.message_id != second.message_id
    run_at(root, "2023-06-23T07:00")
    assert [len(smtp_server.inbox(a)) for a in RECIPIENTS] == [2, 2]


def test_a_correction_before_sending_replaces_silently(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server)
    run_at(root, "2023-06-16T07:00")
    write_month(root, "2023-06", value="330")
    run_at(root, "2023-06-17T07:00")
    run_at(root, "2023-06-20T07:00")
    for address in RECIPIENTS:
        assert subjects(smtp_server, address) == [
            "[UBND huyện Bình Liêu] Báo cáo tình hình kinh tế - xã hội tháng 6 năm 2023"]
        [received] = smtp_server.inbox(address)
        pdf = report_file(root, "2023-06", revision=2).read_bytes()
        assert received.attachments()[0][1] == pdf      # the corrected report, not the first one


def test_hold_rule_keeps_the_correction_until_sent_by_hand(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server)
    config = root / "reportgen.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('resend_corrected = "send"',
                                                                 'resend_corrected = "hold"'), encoding="utf-8")
    run_at(root, "2023-06-20T07:00")
    write_month(root, "2023-06", value="330")
    result = run_at(root, "2023-06-22T07:00")
    assert [len(smtp_server.inbox(a)) for a in RECIPIENTS] == [1, 1]
    assert "đang giữ lại" in result.receipt
    send_period(Workspace.open(root), Period.parse("2023-06"), RunOptions(now=datetime(2023, 6, 22, 9)))
    assert [len(smtp_server.inbox(a)) for a in RECIPIENTS] == [2, 2]


def test_421_and_451_are_retried_within_the_run(tmp_path, smtp_server):
    smtp_server.script(Reply("connect", "421 4.3.2 Service not available"), Reply("end", "451 4.3.0 Try again later"))
    root = make_folder(tmp_path / "f", smtp_server)
    result = run_at(root, "2023-06-20T07:00")
    assert result.status is ExitStatus.SUCCESS, result.receipt
    assert [len(smtp_server.inbox(a)) for a in RECIPIENTS] == [1, 1]
    with ledger_of(root) as ledger:
        first = ledger.messages(statuses=("sent",))[0]
        assert [row["outcome"] for row in ledger.attempts(first.id)] == \
            ["sending", "transient", "sending", "transient", "sending", "accepted"]


def test_server_down_then_up_is_retried_by_a_later_run(tmp_path, smtp_server_factory):
    server = smtp_server_factory(start=False)
    root = make_folder(tmp_path / "f", server)
    down = run_at(root, "2023-06-20T07:00")
    assert down.status is ExitStatus.DELIVERY
    assert "chờ gửi lại đến lanhdao@example.vn" in down.receipt
    server.start()
    too_soon = run_at(root, "2023-06-20T07:05")
    assert server.messages == [] and too_soon.status is ExitStatus.DELIVERY
    up = run_at(root, "2023-06-21T07:00")
    assert up.status is ExitStatus.SUCCESS, up.receipt
    assert [len(server.inbox(a)) for a in RECIPIENTS] == [1, 1]


def test_connection_closed_mid_data_is_retried(tmp_path, smtp_server):
    smtp_server.script(Disconnect("data"))
    root = make_folder(tmp_path / "f", smtp_server)
    assert run_at(root, "2023-06-20T07:00").status is ExitStatus.SUCCESS
    assert [len(smtp_server.inbox(a)) for a in RECIPIENTS] == [1, 1]


def test_550_is_recorded_announced_and_not_retried_until_asked(tmp_path, smtp_server):
    smtp_server.refuse_recipient("tonghop@example.vn")
    root = make_folder(tmp_path / "f", smtp_server)
    result = run_at(root, "2023-06-20T07:00")
    assert result.status is ExitStatus.DELIVERY
    assert "550 5.1.1" in result.receipt and "reportgen send --retry-failed" in result.receipt
    [notice] = [m for m in smtp_server.inbox(STAFF) if "Không gửi được" in m.message["Subject"]]
    assert notice.message["Subject"] == "[reportgen] Không gửi được thư đến tonghop@example.vn"
    run_at(root, "2023-06-21T07:00")
    assert smtp_server.inbox("tonghop@example.vn") == []
    smtp_server._refusals.clear()
    count, again = retry_failed(Workspace.open(root), RunOptions(now=datetime(2023, 6, 21, 9), sleep=lambda _: None))
    assert count == 1 and again.status is ExitStatus.SUCCESS
    assert len(smtp_server.inbox("tonghop@example.vn")) == 1
    assert len(smtp_server.inbox("lanhdao@example.vn")) == 1


def test_message_over_the_size_limit_is_refused_before_sending(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server, mail={"max_attachment_mb": 0.01})
    result = run_at(root, "2023-06-20T07:00")
    assert result.status is ExitStatus.DELIVERY
    assert "vượt giới hạn 0 MB" in result.receipt or "vượt giới hạn 0,01 MB" in result.receipt
    assert smtp_server.inbox("lanhdao@example.vn") == []


def test_invalid_workbook_is_announced_once(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server)
    shutil.copy(HOSTILE / "code_duplicate.xlsx", root / "inputs" / "2023-06.xlsx")
    result = run_at(root, "2023-07-10T07:00")
    assert result.status is ExitStatus.INVALID_INPUT
    assert "inputs/2023-06.xlsx (SHA-256 " in result.receipt and "có 1 lỗi, không lập báo cáo" in result.receipt
    assert "Sửa inputs/2023-06.xlsx: chạy “reportgen check inputs/2023-06.xlsx” để xem từng lỗi." in result.receipt
    run_at(root, "2023-07-11T07:00")
    notices = [m for m in smtp_server.inbox(STAFF) if "có lỗi" in m.message["Subject"]]
    assert len(notices) == 1
    assert "Mã “KT02” trùng với mã ở ô A5." in notices[0].message.get_body().get_content()


def test_one_reminder_before_the_due_day(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server)
    run_at(root, "2023-06-16T07:00")
    run_at(root, "2023-07-14T07:00")          # before the reminder window (from the 15th)
    for day in (15, 16, 17):
        result = run_at(root, f"2023-07-{day}T07:00")
    assert "Chưa có inputs/2023-07.xlsx (hạn 07:00 ngày 20/7/2023)" in result.receipt
    reminders = [m for m in smtp_server.inbox(STAFF) if "Nhắc việc" in m.message["Subject"]]
    assert [m.message["Subject"] for m in reminders] == \
        ["[UBND huyện Bình Liêu] Nhắc việc: chưa có số liệu tháng 7 năm 2023 (hạn nộp 20/7/2023)"]


def test_a_second_run_waits_then_gives_up_with_a_message(tmp_path):
    root = make_folder(tmp_path / "f")
    with run_lock(root / LOCK_NAME):
        with pytest.raises(RunLocked) as err:
            run_at(root, "2023-06-20T07:00", wait=0.2)
    assert "Thư mục làm việc đang được dùng bởi một lần chạy reportgen khác" in str(err.value)
    assert run_at(root, "2023-06-20T07:00").status is ExitStatus.SUCCESS


def test_a_simulated_year_with_the_pc_off_on_some_due_days(tmp_path, smtp_server):
    """Every month's workbook arrives on the 16th; the PC is off on some due days and for a
    fortnight in November: each period is reported once and sent once to each recipient."""
    root = make_folder(tmp_path / "f", smtp_server)
    off = {date(2023, 3, 20), date(2023, 8, 20), date(2023, 8, 21)} | \
          {date(2023, 11, 10) + timedelta(days=n) for n in range(15)}
    day = date(2023, 1, 1)
    while day <= date(2024, 1, 25):
        if day.day == 16 and day.year == 2023:
            write_month(root, f"{day.year}-{day.month:02d}")
        if day not in off and day.day in (1, 10, 15, 16, 18, 20, 21, 22, 25, 26):
            run_at(root, f"{day.isoformat()}T07:00")
        day += timedelta(days=1)
    with Ledger(root / "reportgen.db") as ledger:
        reports = ledger.reports()
        assert sorted(r.period for r in reports) == [f"2023-{m:02d}" for m in range(1, 13)]
        assert all(r.revision == 1 for r in reports)
    for address in RECIPIENTS:
        periods = sorted(m.message["Subject"].rsplit(" tháng ", 1)[1] for m in smtp_server.inbox(address))
        assert periods == sorted(f"{m:02d} năm 2023" if m < 3 else f"{m} năm 2023" for m in range(1, 13))
    reminders = [m.message["Subject"] for m in smtp_server.inbox(STAFF) if "Nhắc việc" in m.message["Subject"]]
    assert len(reminders) == len(set(reminders))


def test_every_run_leaves_a_line_in_the_run_log(tmp_path):
    root = make_folder(tmp_path / "f")
    run_at(root, "2023-06-20T07:00")
    run_at(root, "2023-06-21T07:00")
    lines = (root / "outputs" / "receipts" / "nhat-ky-chay.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("2023-06-20T07:00:00  mã thoát 0  1 tệp, 1 báo cáo, 1 thư, 0 việc còn lại; "
                               "biên nhận bien-nhan-20230620-070000.txt")
    assert lines[1] == "2023-06-21T07:00:00  mã thoát 0  không có việc mới"
