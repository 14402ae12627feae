"""`reportgen issue` as the văn thư runs it, with a timestamp server, and with the mail server down."""

from __future__ import annotations

import subprocess

from run_helpers import RECIPIENTS, make_folder, run_at
from smtp_fixtures import *  # noqa: F401,F403 - pytest fixtures
from test_issue_crash import ISSUED, issue
from test_issuing_flow import REVIEWER, sign_table
from reportgen.delivery.ledger import Ledger
from reportgen.issuance import verify_pdf

pytest_plugins = ("signing_fixtures",)


def test_issue_with_a_timestamp_server_signs_pades_b_t(tmp_path, smtp_server, pki, images, tsa):
    extra = sign_table(pki, images).replace("[sign]\n", f'[sign]\ntsa_url = "{tsa.url}"\n', 1)
    root = make_folder(tmp_path / "vp", smtp_server, approval=True, review_to=(REVIEWER,), extra=extra)
    run_at(root, "2023-06-20T07:00")
    before = tsa.requests
    done = issue(root, smtp_server)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "  Chữ ký số: Nguyễn Văn A (PAdES B-T), trang" in done.stdout
    assert "  Chữ ký số: Ủy ban nhân dân huyện Bình Liêu (PAdES B-T), trang" in done.stdout
    assert tsa.requests >= before + 2, "each signature's timestamp came from the server"
    signed = root / "outputs/2023-06" / ISSUED[0]
    reports = verify_pdf(signed, [pki.ca_pem])
    assert [(r.signer, r.intact, r.trusted, r.timestamp is not None) for r in reports] == [
        ("Nguyễn Văn A", True, True, True), ("Ủy ban nhân dân huyện Bình Liêu", True, True, True)]
    checked = subprocess.run(["pdfsig", str(signed)], capture_output=True, text=True)
    assert checked.stdout.count("Signature is Valid.") == 2
    with Ledger(root / "reportgen.db") as ledger:
        [entry] = ledger.all_issued()
    assert [s["level"] for s in entry.signatures] == ["PAdES B-T", "PAdES B-T"]
    for address in RECIPIENTS:  # what the recipients got is the timestamped file
        [mail] = smtp_server.inbox(address)
        [pdf] = [p for p in mail.message.iter_attachments() if p.get_filename().endswith(".pdf")]
        assert pdf.get_payload(decode=True) == signed.read_bytes()


def test_issue_with_the_mail_server_down_is_issued_and_its_mail_waits(tmp_path, smtp_server, pki, images):
    """The report is issued (numbered, signed, registered, its mail queued) and the command exits 6, as `run`
    does when mail could not go: the receipt says the mail waits and that the report must not be issued again."""
    root = make_folder(tmp_path / "vp", smtp_server, approval=True, review_to=(REVIEWER,),
                       extra=sign_table(pki, images))
    run_at(root, "2023-06-20T07:00")
    smtp_server.stop()
    done = issue(root, smtp_server)
    assert done.returncode == 6, done.stdout + done.stderr
    assert "Đã ban hành Báo cáo số 01/BC-UBND ngày 21/6/2023 (kỳ tháng 6 năm 2023)." in done.stdout
    assert ("Báo cáo số 01/BC-UBND đã ban hành và vào sổ; thư gửi người nhận đang chờ trong hàng đợi vì chưa gửi "
            "được: lần “reportgen run” sau tự gửi tiếp (hoặc “reportgen send --retry-failed” khi máy chủ thư đã "
            "chạy lại). Không ban hành lại.") in done.stdout
    assert "Kết quả: CHƯA GỬI XONG (mã thoát 6)" in done.stdout
    assert (root / "outputs/2023-06" / ISSUED[0]).is_file()
    with Ledger(root / "reportgen.db") as ledger:
        assert [e.number_symbol for e in ledger.all_issued()] == ["01/BC-UBND"]
        waiting = {m.recipient: m.status for m in ledger.messages() if m.kind == "report" and m.recipient != REVIEWER}
    assert waiting == {address: "retry" for address in RECIPIENTS}
    again = issue(root, smtp_server)  # issuing again is refused: the number is taken once
    assert again.returncode == 2 and "đã ban hành: Báo cáo số 01/BC-UBND" in again.stderr
    smtp_server.start()
    sent = run_at(root, "2023-06-21T10:00")
    assert sent.status == 0, sent.receipt
    for address in RECIPIENTS:
        assert ["01/BC-UBND" in str(m.message["Subject"]) for m in smtp_server.inbox(address)] == [True]
