"""The mail layer against a real SMTP server (aiosmtpd on loopback, see smtp_server.py)."""

from __future__ import annotations

import base64
import email
import logging
import os
import socket
import sys
import traceback
import types
from datetime import datetime, timedelta, timezone
from pathlib import Path
from email import policy as email_policy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.settings.sections import MailConfig
from reportgen.core.errors import ConfigError, DeliveryError
from reportgen.delivery.mail import (
    MIME_DOCX, MIME_PDF, TEST_SUBJECT, Attachment, MailFailure, PermanentMailFailure, ServerReply,
    TransientMailFailure, ascii_fallback, attachment_size_mb, check_attachment_limit, compose, make_message_id,
    resolve_password, send, send_test_message, write_eml,
)
from smtp_fixtures import (  # noqa: F401  (pytest fixtures)
    SMTP_PASSWORD, SMTP_USER, smtp_certificate, smtp_server, smtp_server_factory, ssl_server, starttls_server,
    trust_smtp_certificate,
)
from smtp_server import ACCEPT, Delay, Disconnect, Reply

SENDER = "vanphong@example.vn"
LEADER = "lanhdao@example.vn"
SUMMARY = "tonghop@example.vn"
ICT = timezone(timedelta(hours=7))
WHEN = datetime(2023, 7, 20, 7, 0, tzinfo=ICT)
SUBJECT = "Báo cáo tình hình kinh tế - xã hội tháng 6 năm 2023 (Ủy ban nhân dân huyện Bình Liêu)"
BODY = "Kính gửi: Lãnh đạo UBND huyện\n\nVăn phòng HĐND và UBND huyện gửi báo cáo tháng 6 năm 2023.\nTrân trọng.\n"
PDF_NAME = "Báo cáo KT-XH tháng 6 năm 2023.pdf"
SHORT = 0.3
"""Client timeout for the timeout tests, in seconds: the server waits longer than this."""


def pdf_bytes(size: int = 50_000) -> bytes:
    """PDF-like bytes covering every byte value (CR, LF, NUL, a line with a lone dot…)."""
    body = bytes(range(256)) * (size // 256) + b"\r\n.\r\n..\n.\r"
    return b"%PDF-1.7\n" + body + b"\n%%EOF\n"


def message_for(recipient: str = LEADER, *, key: str = "report:12", attachments=()) -> bytes:
    return compose(sender=SENDER, recipient=recipient, subject=SUBJECT, body=BODY,
                   message_id=make_message_id(f"{key}:{recipient}", SENDER), date=WHEN, attachments=attachments)


def body_of(message) -> str:
    """The text/plain body, with line ends as the template wrote them (on the wire they are CRLF)."""
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def deliver(server, message: bytes, *, recipients=(LEADER,), password: str | None = SMTP_PASSWORD, **options):
    mail = server.mail_config(**options.pop("mail", {}))
    if not server.auth:
        password = None
    return send(message, sender=SENDER, recipients=list(recipients), mail=mail, password=password,
                tls_context=server.client_context, **options)


# ------------------------------------------------------------------ composing (no server) ----

def test_the_same_arguments_give_the_same_bytes():
    attachments = [Attachment(PDF_NAME, pdf_bytes(), MIME_PDF), Attachment("Báo cáo.docx", b"PK\x03\x04", MIME_DOCX)]
    first = message_for(attachments=attachments)
    assert message_for(attachments=list(attachments)) == first
    other = message_for(key="report:13", attachments=attachments)
    assert other != first
    assert b"Message-ID: <rg." in first


def test_message_id_is_stable_and_uses_the_senders_domain():
    one = make_message_id("report:12:lanhdao@example.vn", "vanphong@Example.VN")
    assert one == make_message_id("report:12:lanhdao@example.vn", "Văn phòng <vanphong@example.vn>")
    assert one.startswith("<rg.") and one.endswith("@example.vn>")
    assert make_message_id("report:12:tonghop@example.vn", SENDER) != one
    assert make_message_id("k", "").endswith("@reportgen.invalid>")


def test_the_message_is_7bit_ascii_with_crlf_lines_and_decodes_exactly():
    raw = message_for(attachments=[Attachment(PDF_NAME, pdf_bytes(), MIME_PDF)])
    assert raw.isascii()
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    parsed = email.message_from_bytes(raw, policy=email_policy.default)
    assert parsed["Subject"] == SUBJECT
    assert parsed["Subject"].encode().isascii() is False  # decoded, not the encoded words
    assert body_of(parsed) == BODY
    assert parsed["Date"].datetime == WHEN
    assert parsed["To"] == LEADER and parsed["From"] == SENDER


def test_an_eml_to_address_by_hand_has_no_to_header_and_carries_extra_headers():
    raw = compose(sender=SENDER, recipient="", subject=SUBJECT, body=BODY, message_id="<x@example.vn>", date=WHEN,
                  reply_to=LEADER, headers={"X-Unsent": "1", "X-Reportgen-Period": "2023-06"})
    parsed = email.message_from_bytes(raw, policy=email_policy.default)
    assert "To" not in parsed
    assert parsed["Reply-To"] == LEADER
    assert parsed["X-Unsent"] == "1" and parsed["X-Reportgen-Period"] == "2023-06"
    assert not parsed.is_multipart()


def test_attachment_names_in_rfc_2231_with_an_ascii_fallback():
    raw = message_for(attachments=[Attachment(PDF_NAME, b"%PDF", MIME_PDF)])
    text = raw.decode("ascii")
    assert "filename*=utf-8''B%C3%A1o%20c%C3%A1o%20KT-XH%20th%C3%A1ng%206%20n%C4%83m%202023.pdf;" in text
    assert 'filename="Bao cao KT-XH thang 6 nam 2023.pdf"' in text
    [part] = email.message_from_bytes(raw, policy=email_policy.default).iter_attachments()
    assert part.get_filename() == PDF_NAME
    assert part.get_content_type() == MIME_PDF


@pytest.mark.parametrize("name, expected", [
    ("Báo cáo KT-XH tháng 6 năm 2023.pdf", "Bao cao KT-XH thang 6 nam 2023.pdf"),
    ("Đề án \"Nông thôn mới\".docx", "De an _Nong thon moi_.docx"),
    ("C:\\Users\\VP\\Báo cáo.pdf", "Bao cao.pdf"),
    ("   ", "tep-dinh-kem"),
])
def test_ascii_fallback(name, expected):
    assert ascii_fallback(name) == expected


def test_a_very_long_name_keeps_its_extension_and_stays_within_line_limits():
    name = "Báo cáo " + "rất dài " * 200 + ".pdf"
    raw = message_for(attachments=[Attachment(name, b"%PDF", MIME_PDF)])
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    [part] = email.message_from_bytes(raw, policy=email_policy.default).iter_attachments()
    assert part.get_filename().endswith(".pdf")


def test_header_injection_is_refused():
    with pytest.raises(ValueError):
        compose(sender=SENDER, recipient=LEADER, subject="Báo cáo\r\nBcc: ai@do.vn", body="", message_id="<x@y>",
                date=WHEN)
    with pytest.raises(ValueError):
        compose(sender=SENDER, recipient=LEADER, subject="s", body="", message_id="<x@y>", date=WHEN,
                headers={"Bcc: x": "y"})


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụ"
                        "ứừửữựýỳỷỹỵĐƯƠ ()-:,.0123456789[]", min_size=1, max_size=200)
       .map(lambda s: " ".join(s.split())).filter(bool))
def test_any_vietnamese_subject_decodes_exactly(subject):
    raw = compose(sender=SENDER, recipient=LEADER, subject=subject, body="x", message_id="<x@y.vn>", date=WHEN)
    assert email.message_from_bytes(raw, policy=email_policy.default)["Subject"] == subject


def test_attachment_size_is_the_size_on_the_wire():
    data = pdf_bytes(3_000_000)
    wire = base64.encodebytes(data).replace(b"\n", b"\r\n")
    assert attachment_size_mb([Attachment(PDF_NAME, data, MIME_PDF)]) == len(wire) / (1024 * 1024)
    assert attachment_size_mb([]) == 0
    assert attachment_size_mb([Attachment("a", data, MIME_PDF)] * 2) == 2 * len(wire) / (1024 * 1024)


def test_attachments_over_the_limit_fail_permanently():
    mail = MailConfig(host="smtp.example.vn", sender=SENDER, max_attachment_mb=1)
    small, big = Attachment(PDF_NAME, b"x" * 700_000, MIME_PDF), Attachment(PDF_NAME, b"x" * 800_000, MIME_PDF)
    check_attachment_limit([small], mail)  # 0,89 MB on the wire
    with pytest.raises(PermanentMailFailure) as caught:
        check_attachment_limit([big], mail)  # 1,01 MB on the wire
    assert "vượt giới hạn 1 MB" in caught.value.detail and PDF_NAME in caught.value.detail


def test_server_reply():
    reply = ServerReply.from_smtplib(250, b"2.0.0 Ok: queued as 4F2A")
    assert (reply.code, reply.text, str(reply)) == (250, "2.0.0 Ok: queued as 4F2A", "250 2.0.0 Ok: queued as 4F2A")
    assert str(ServerReply.from_smtplib(451, b"4.3.0 first\n4.3.0 second")) == "451 4.3.0 first 4.3.0 second"
    assert issubclass(MailFailure, DeliveryError)


# ------------------------------------------------------------------ the outbox ----

def test_write_eml_is_atomic_idempotent_and_ascii_named(tmp_path):
    message = message_for(attachments=[Attachment(PDF_NAME, pdf_bytes(), MIME_PDF)])
    path = write_eml(message, tmp_path / "outbox", "2023-06 Báo cáo → lãnh đạo")
    assert path.name == "2023-06_Bao_cao_lanh_dao.eml"
    again = write_eml(message, tmp_path / "outbox", "2023-06 Báo cáo → lãnh đạo")
    assert again == path
    assert list((tmp_path / "outbox").iterdir()) == [path]
    assert path.read_bytes() == message
    corrected = message_for(key="report:13")
    write_eml(corrected, tmp_path / "outbox", "2023-06 Báo cáo → lãnh đạo")
    assert list((tmp_path / "outbox").iterdir()) == [path] and path.read_bytes() == corrected
    assert write_eml(message, tmp_path, "con.eml").name == "con_.eml"


# ------------------------------------------------------------------ the password ----

def test_no_username_means_no_password():
    assert resolve_password(MailConfig(host="relay.example.vn", sender=SENDER)) is None


def test_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("RG_TEST_PW", "from-env")
    mail = MailConfig(host="h.example.vn", sender=SENDER, username=SMTP_USER, password_env="RG_TEST_PW")
    assert resolve_password(mail) == "from-env"


def test_password_from_the_keyring(monkeypatch):
    asked = []

    def get_password(service, user):
        asked.append((service, user))
        return "from-keyring"

    monkeypatch.setitem(sys.modules, "keyring", types.SimpleNamespace(get_password=get_password))
    monkeypatch.setenv("RG_TEST_PW", "")  # empty counts as unset
    mail = MailConfig(host="h.example.vn", sender=SENDER, username=SMTP_USER, password_env="RG_TEST_PW")
    assert resolve_password(mail) == "from-keyring"
    assert asked == [("reportgen", SMTP_USER)]


def failing_keyring(service, user):
    raise RuntimeError("No recommended backend was available")


@pytest.mark.parametrize("keyring", [None, types.SimpleNamespace(get_password=failing_keyring),
                                     types.SimpleNamespace(get_password=lambda service, user: None)])
def test_no_password_anywhere_is_a_config_error(monkeypatch, keyring):
    monkeypatch.setitem(sys.modules, "keyring", keyring)  # None: "import keyring" raises ImportError
    monkeypatch.delenv("RG_TEST_PW", raising=False)
    mail = MailConfig(host="h.example.vn", sender=SENDER, username=SMTP_USER, password_env="RG_TEST_PW")
    with pytest.raises(ConfigError) as caught:
        resolve_password(mail, "work/reportgen.toml")
    error = caught.value
    assert (error.path, error.key) == ("work/reportgen.toml", "mail.password_env")
    assert "RG_TEST_PW" in str(error) and f"keyring set reportgen {SMTP_USER}" in str(error)


# ------------------------------------------------------------------ sending: the happy paths ----

def test_starttls_and_auth_deliver_the_message_and_the_file_byte_for_byte(starttls_server, tmp_path):
    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(pdf_bytes())
    docx = Attachment("Báo cáo KT-XH tháng 6 năm 2023.docx", b"PK\x03\x04" + pdf_bytes(3000), MIME_DOCX)
    message = message_for(attachments=[Attachment(PDF_NAME, pdf.read_bytes(), MIME_PDF), docx])

    reply = deliver(starttls_server, message)

    assert reply.code == 250 and str(reply).startswith("250 2.0.0 Ok: queued as ")
    assert starttls_server.logins == [SMTP_USER]
    [received] = starttls_server.messages
    assert (received.mail_from, received.rcpt_tos) == (SENDER, (LEADER,))
    assert received.raw == message
    assert received.message["Subject"] == SUBJECT
    assert body_of(received.message) == BODY
    assert received.attachments() == [(PDF_NAME, pdf.read_bytes()), (docx.filename, docx.data)]


def test_plain_smtp_without_auth(smtp_server):
    message = message_for()
    reply = deliver(smtp_server, message, recipients=[LEADER, SUMMARY])
    assert reply.code == 250
    [received] = smtp_server.messages
    assert received.rcpt_tos == (LEADER, SUMMARY) and received.raw == message
    assert smtp_server.logins == []


def test_implicit_ssl_with_auth(ssl_server):
    message = message_for(attachments=[Attachment(PDF_NAME, pdf_bytes(), MIME_PDF)])
    assert deliver(ssl_server, message).code == 250
    assert ssl_server.messages[0].raw == message and ssl_server.logins == [SMTP_USER]


def test_a_resend_of_the_stored_bytes_arrives_identical(smtp_server, tmp_path):
    """The crash rule: the bytes stored before sending are sent again, same Message-ID."""
    stored = tmp_path / "stored.eml"
    stored.write_bytes(message_for(attachments=[Attachment(PDF_NAME, pdf_bytes(), MIME_PDF)]))
    deliver(smtp_server, stored.read_bytes())
    deliver(smtp_server, stored.read_bytes())
    first, second = smtp_server.messages
    assert first.raw == second.raw == stored.read_bytes()
    assert first.message_id == second.message_id


def test_send_test_message(starttls_server):
    mail = starttls_server.mail_config(staff="vanphong@example.vn")
    reply = send_test_message(mail, SMTP_PASSWORD, "", WHEN, tls_context=starttls_server.client_context)
    assert reply.code == 250
    send_test_message(mail, SMTP_PASSWORD, LEADER, WHEN, tls_context=starttls_server.client_context)
    to_staff, to_leader = starttls_server.messages
    assert to_staff.rcpt_tos == ("vanphong@example.vn",) and to_leader.rcpt_tos == (LEADER,)
    assert to_staff.message["Subject"] == TEST_SUBJECT == "[reportgen] Thư thử cấu hình gửi thư"
    body = body_of(to_staff.message)
    assert "thư thử" in body and f"127.0.0.1:{starttls_server.port}" in body and "20/07/2023" in body


def test_the_default_context_verifies_and_can_be_made_to_trust_the_test_certificate(
        starttls_server, trust_smtp_certificate):
    mail = starttls_server.mail_config()
    assert send(message_for(), sender=SENDER, recipients=[LEADER], mail=mail, password=SMTP_PASSWORD).code == 250


def test_an_untrusted_certificate_fails_permanently(starttls_server):
    mail = starttls_server.mail_config()
    with pytest.raises(PermanentMailFailure) as caught:
        send(message_for(), sender=SENDER, recipients=[LEADER], mail=mail, password=SMTP_PASSWORD)
    assert caught.value.stage == "tls" and "Chứng chỉ TLS" in caught.value.detail
    assert starttls_server.messages == []


# ------------------------------------------------------------------ sending: failures ----

def test_421_then_451_then_accepted(smtp_server):
    smtp_server.script(Reply("connect", "421 4.3.2 Service not available"), Reply("end", "451 4.3.0 Try again later"))
    message = message_for()
    with pytest.raises(TransientMailFailure) as first:
        deliver(smtp_server, message)
    assert str(first.value.reply) == "421 4.3.2 Service not available"
    with pytest.raises(TransientMailFailure) as second:
        deliver(smtp_server, message)
    assert (second.value.reply.code, second.value.stage) == (451, "data")
    assert "451 4.3.0 Try again later" in second.value.detail
    assert deliver(smtp_server, message).code == 250
    assert [m.raw for m in smtp_server.messages] == [message]
    assert smtp_server.connections == 3


@pytest.mark.parametrize("stage, text", [("ehlo", "421 4.3.2 Shutting down"), ("mail", "451 4.3.0 Greylisted"),
                                         ("rcpt", "450 4.2.0 Mailbox busy"), ("data", "452 4.3.1 Storage full")])
def test_any_4xx_is_transient(smtp_server, stage, text):
    smtp_server.script(Reply(stage, text))
    with pytest.raises(TransientMailFailure) as caught:
        deliver(smtp_server, message_for())
    assert str(caught.value.reply) == text
    assert smtp_server.messages == []


def test_550_to_rcpt_is_permanent_and_names_the_recipient(smtp_server):
    smtp_server.script(Reply("rcpt", "550 5.1.1 <lanhdao@example.vn>: Recipient address rejected: User unknown"))
    with pytest.raises(PermanentMailFailure) as caught:
        deliver(smtp_server, message_for())
    failure = caught.value
    assert failure.reply.code == 550 and failure.recipient == LEADER and failure.stage == "rcpt"
    assert failure.detail.startswith("Máy chủ thư từ chối người nhận lanhdao@example.vn: 550 5.1.1")
    assert smtp_server.received == []


def test_one_refused_recipient_means_nobody_gets_the_message(smtp_server):
    smtp_server.refuse_recipient(SUMMARY)
    with pytest.raises(PermanentMailFailure) as caught:
        deliver(smtp_server, message_for(), recipients=[LEADER, SUMMARY])
    assert caught.value.recipient == SUMMARY
    assert smtp_server.received == []


@pytest.mark.parametrize("stage, text", [("mail", "553 5.7.1 Sender address rejected"),
                                         ("end", "554 5.7.1 Message rejected as spam")])
def test_5xx_is_permanent(smtp_server, stage, text):
    smtp_server.script(Reply(stage, text))
    with pytest.raises(PermanentMailFailure) as caught:
        deliver(smtp_server, message_for())
    assert str(caught.value.reply) == text and text in caught.value.detail


# Each refusal is named by what it means (RFC 3463 enhanced code, else the basic code and the step), so
# staff fix the right setting: a 552 at MAIL FROM is the message's size, not the sender's address.
REFUSALS = [
    ("mail", "552 5.3.4 Message size exceeds fixed maximum message size", PermanentMailFailure,
     "Máy chủ thư từ chối vì thư quá lớn so với giới hạn dung lượng của máy chủ: 552 5.3.4 Message size exceeds "
     "fixed maximum message size. Hỏi nhà cung cấp thư giới hạn dung lượng mỗi thư; đặt max_attachment_mb trong "
     "mục [mail] nhỏ hơn giới hạn đó, bỏ đính kèm tệp Word (attach_docx = false), hoặc gửi qua máy chủ thư khác."),
    ("mail", "552 Message size exceeds maximum permitted", PermanentMailFailure, "Máy chủ thư từ chối vì thư quá lớn"),
    ("end", "552 5.2.3 Message length exceeds administrative limit", PermanentMailFailure,
     "Máy chủ thư từ chối vì thư quá lớn"),
    ("mail", "452 4.3.4 Insufficient system storage", TransientMailFailure,
     "Máy chủ thư 127.0.0.1:{port} tạm thời chưa nhận thư vì thiếu chỗ lưu hoặc thư quá lớn"),
    ("rcpt", "552 5.2.2 Mailbox full", PermanentMailFailure,
     "Hộp thư của người nhận lanhdao@example.vn đã đầy: 552 5.2.2 Mailbox full. Báo người nhận dọn hộp thư, rồi "
     "gửi lại."),
    ("rcpt", "452 4.2.2 Over quota", TransientMailFailure,
     "Hộp thư của người nhận lanhdao@example.vn đã đầy: 452 4.2.2 Over quota. Thư sẽ được gửi lại sau."),
    ("mail", "553 5.1.8 Sender address rejected: Domain not found", PermanentMailFailure,
     "Máy chủ thư từ chối địa chỉ gửi vanphong@example.vn: 553 5.1.8 Sender address rejected: Domain not found. "
     "Kiểm tra khóa sender trong mục [mail]: thường phải là chính địa chỉ của tài khoản đăng nhập (username)."),
    ("mail", "550 Sender unknown", PermanentMailFailure, "Máy chủ thư từ chối địa chỉ gửi vanphong@example.vn"),
    ("rcpt", "550 5.1.1 User unknown", PermanentMailFailure,
     "Máy chủ thư từ chối người nhận lanhdao@example.vn: 550 5.1.1 User unknown. Kiểm tra lại địa chỉ này trong "
     "mục [mail] to (hoặc mail_to của đơn vị) trong reportgen.toml."),
    ("rcpt", "554 5.7.1 <lanhdao@example.vn>: Relay access denied", PermanentMailFailure,
     "Máy chủ thư không cho gửi đến lanhdao@example.vn theo chính sách của máy chủ"),
    ("end", "554 5.7.1 Message rejected as spam", PermanentMailFailure,
     "Máy chủ thư từ chối thư theo chính sách của máy chủ"),
    ("end", "554 Transaction failed", PermanentMailFailure,
     "Máy chủ thư từ chối nội dung thư: 554 Transaction failed."),
    ("end", "550 5.6.0 Lone CR or LF in headers", PermanentMailFailure, "Máy chủ thư từ chối nội dung thư"),
    ("mail", "530 5.7.0 Authentication required", PermanentMailFailure,
     "Máy chủ thư 127.0.0.1:{port} đòi đăng nhập hoặc mã hóa trước khi nhận thư"),
    ("rcpt", "450 4.2.0 Mailbox busy", TransientMailFailure,
     "Máy chủ thư tạm thời chưa nhận người nhận lanhdao@example.vn: 450 4.2.0 Mailbox busy."),
    ("ehlo", "421 4.3.2 Shutting down", TransientMailFailure,
     "Máy chủ thư 127.0.0.1:{port} tạm thời chưa nhận thư (khi kết nối): 421 4.3.2 Shutting down."),
]


@pytest.mark.parametrize("stage, text, kind, detail", REFUSALS, ids=[f"{r[0]}-{r[1][:9]}" for r in REFUSALS])
def test_a_refusal_is_named_by_what_it_means(smtp_server, stage, text, kind, detail):
    smtp_server.script(Reply(stage, text))
    with pytest.raises(MailFailure) as caught:
        deliver(smtp_server, message_for())
    assert type(caught.value) is kind
    assert caught.value.detail.startswith(detail.format(port=smtp_server.port))
    assert smtp_server.messages == []


def test_a_wrong_password_is_permanent(starttls_server):
    with pytest.raises(PermanentMailFailure) as caught:
        deliver(starttls_server, message_for(), password="not-the-password")
    failure = caught.value
    assert failure.stage == "auth" and failure.reply.code == 535
    assert SMTP_USER in failure.detail and "not-the-password" not in failure.detail
    assert starttls_server.received == []


def test_a_server_that_is_down_then_up(smtp_server_factory):
    server = smtp_server_factory(start=False)
    with pytest.raises(TransientMailFailure) as caught:
        deliver(server, message_for())
    assert caught.value.reply is None and "từ chối kết nối" in caught.value.detail
    server.start()
    assert deliver(server, message_for()).code == 250


def test_connections_dropped_at_the_greeting_then_accepted(smtp_server):
    smtp_server.script(Disconnect("connect"), Disconnect("connect"))
    for _ in range(2):
        with pytest.raises(TransientMailFailure):
            deliver(smtp_server, message_for())
    assert deliver(smtp_server, message_for()).code == 250
    assert smtp_server.connections == 3


def test_a_connection_closed_in_the_middle_of_data_is_transient(starttls_server):
    starttls_server.script(Disconnect("data"))
    message = message_for(attachments=[Attachment(PDF_NAME, pdf_bytes(500_000), MIME_PDF)])
    with pytest.raises(TransientMailFailure) as caught:
        deliver(starttls_server, message)
    assert caught.value.stage == "data" and caught.value.reply is None
    assert starttls_server.received == []


def test_a_reply_lost_after_the_message_was_kept(smtp_server):
    """RFC 1047: the server has the message, the client does not know; the failure is transient,
    and the resend (same bytes) is recognisable as the same message by its Message-ID."""
    smtp_server.script(Disconnect("end", keep=True))
    message = message_for()
    with pytest.raises(TransientMailFailure):
        deliver(smtp_server, message)
    deliver(smtp_server, message)
    assert [m.message_id for m in smtp_server.inbox(LEADER)] == [make_message_id(f"report:12:{LEADER}", SENDER)] * 2


@pytest.mark.parametrize("stage", ["connect", "mail", "end"])
def test_a_server_that_does_not_answer_in_time(smtp_server, stage):
    smtp_server.script(Delay(stage, 10 * SHORT))
    with pytest.raises(TransientMailFailure) as caught:
        deliver(smtp_server, message_for(), timeout=SHORT)
    assert "không trả lời trong 0,3 giây" in caught.value.detail
    assert smtp_server.messages == []
    smtp_server.script(ACCEPT)
    assert deliver(smtp_server, message_for(), timeout=SHORT).code == 250


def test_starttls_required_but_not_offered_is_permanent(smtp_server):
    with pytest.raises(PermanentMailFailure) as caught:
        deliver(smtp_server, message_for(), mail={"security": "starttls"})
    assert caught.value.stage == "tls" and "không hỗ trợ STARTTLS" in caught.value.detail
    assert smtp_server.received == []


def test_ssl_against_a_plain_port_is_permanent(smtp_server):
    with pytest.raises(PermanentMailFailure) as caught:
        deliver(smtp_server, message_for(), mail={"security": "ssl"}, timeout=2)
    assert "TLS" in caught.value.detail


def test_auth_asked_of_a_server_without_auth_is_permanent(smtp_server):
    mail = smtp_server.mail_config(username=SMTP_USER)
    with pytest.raises(PermanentMailFailure) as caught:
        send(message_for(), sender=SENDER, recipients=[LEADER], mail=mail, password=SMTP_PASSWORD)
    assert caught.value.stage == "auth" and "không cho đăng nhập" in caught.value.detail


def test_auth_without_starttls_on_a_server_that_wants_it_says_so(starttls_server):
    with pytest.raises(PermanentMailFailure) as caught:
        deliver(starttls_server, message_for(), mail={"security": "none"})
    assert caught.value.stage == "auth" and 'security = "starttls"' in caught.value.detail


def test_no_login_on_a_server_that_requires_one(starttls_server):
    with pytest.raises(PermanentMailFailure) as caught:
        deliver(starttls_server, message_for(), password=None)
    assert caught.value.reply.code == 530 and "đòi đăng nhập" in caught.value.detail


def test_an_address_smtplib_cannot_send_fails_before_connecting(smtp_server):
    with pytest.raises(PermanentMailFailure) as caught:
        deliver(smtp_server, message_for(), recipients=["lãnhđạo@example.vn"])
    assert caught.value.recipient == "lãnhđạo@example.vn"
    assert smtp_server.connections == 0


def test_unknown_host_is_transient(monkeypatch):
    def no_such_host(host, *args, **kwargs):  # no real DNS: an offline resolver could take seconds
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    mail = MailConfig(host="smtp.invalid", port=587, sender=SENDER)
    with pytest.raises(TransientMailFailure) as caught:
        send(message_for(), sender=SENDER, recipients=[LEADER], mail=mail, password=None, timeout=2)
    assert "Không tìm thấy máy chủ thư “smtp.invalid”" in caught.value.detail


# ------------------------------------------------------------------ the password is never written ----

def test_the_password_is_never_written_logged_or_shown(starttls_server, tmp_path, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("RG_TEST_PW", SMTP_PASSWORD)
    mail = starttls_server.mail_config(username=SMTP_USER, password_env="RG_TEST_PW")
    password = resolve_password(mail, str(tmp_path / "reportgen.toml"))
    message = message_for(attachments=[Attachment(PDF_NAME, pdf_bytes(), MIME_PDF)])
    eml = write_eml(message, tmp_path / "outbox", "report-12")
    context = starttls_server.client_context

    replies = [send(eml.read_bytes(), sender=SENDER, recipients=[LEADER], mail=mail, password=password,
                    tls_context=context)]
    failures: list[BaseException] = []
    starttls_server.script(Reply("end", "451 4.3.0 Try again later"), Disconnect("data"))
    for _ in range(2):
        try:
            send(message, sender=SENDER, recipients=[LEADER], mail=mail, password=password, tls_context=context)
        except MailFailure as failure:
            failures.append(failure)
    monkeypatch.delenv("RG_TEST_PW")
    monkeypatch.setitem(sys.modules, "keyring", None)
    with pytest.raises(ConfigError) as missing:
        resolve_password(mail, str(tmp_path / "reportgen.toml"))
    failures.append(missing.value)

    assert len(failures) == 3 and starttls_server.logins == [SMTP_USER] * 3
    secrets = [SMTP_PASSWORD, base64.b64encode(f"\0{SMTP_USER}\0{SMTP_PASSWORD}".encode()).decode(),
               base64.b64encode(SMTP_PASSWORD.encode()).decode()]
    written = [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()] + [r.raw for r in starttls_server.received]
    shown = [str(r) for r in replies] + ["".join(traceback.format_exception(f)) for f in failures]
    shown += [f.detail for f in failures] + [repr(f) for f in failures]
    logged = [f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records if r.name.startswith("reportgen")]
    server_logged = [r.getMessage() for r in caplog.records]  # aiosmtpd's own log: the plain password at least
    assert len(written) >= 2 and logged
    for secret in secrets:
        assert not any(secret.encode() in blob for blob in written)
        assert not any(secret in text for text in shown + logged)
    assert not any(SMTP_PASSWORD in text for text in server_logged)


_VIETNAMESE_WORDS = st.lists(st.sampled_from(
    ["tình", "hình", "kinh", "tế", "xã", "hội", "tháng", "6", "năm", "2023", "[UBND", "huyện", "Bình", "Liêu]",
     "(bản", "sửa", "đổi)", "ước", "đạt", "-", "Hoành", "Mô", "Quảng", "Ninh", "báo", "cáo"]),
    min_size=1, max_size=30)


@given(_VIETNAMESE_WORDS)
def test_any_vietnamese_subject_arrives_exactly(words):
    """The email package alone drops the space where it ends an encoded word ("tìnhhình")."""
    subject = " ".join(words)
    data = compose(sender="a@example.vn", recipient="b@example.vn", subject=subject, body="x",
                   message_id="<x@example.vn>", date=datetime(2023, 6, 20, 7))
    assert email.message_from_bytes(data, policy=email_policy.default)["Subject"] == subject
    assert all(len(line) <= 78 for line in data.split(b"\r\n"))


def test_the_same_message_is_the_same_bytes_in_another_process(tmp_path):
    """The exactly-once rule: a message composed again after a crash, in a new process (another hash
    seed), carries the very same bytes as the one stored."""
    import subprocess
    import sys

    code = ("import sys; sys.path.insert(0, sys.argv[1]); from test_mail import message_for, Attachment, PDF_NAME, "
            "pdf_bytes, MIME_PDF; sys.stdout.buffer.write(message_for(attachments=[Attachment(PDF_NAME, pdf_bytes(), "
            "MIME_PDF)]))")
    here = message_for(attachments=[Attachment(PDF_NAME, pdf_bytes(), MIME_PDF)])
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent)], capture_output=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.stdout == here


@pytest.mark.parametrize("sizes", [(0,), (1, 57), (58, 76 * 3), (50_000, 4), (200_003,), tuple(range(12))])
def test_the_attachments_base64_is_what_the_email_package_writes_itself(sizes):
    """compose() puts each attachment's base64 lines in after serialising (the generator writes a payload one
    line at a time); the message is byte for byte the one the email package writes with the payload in place."""
    attachments = [Attachment(f"Tệp {n}.pdf", pdf_bytes(size)[:size], MIME_PDF) for n, size in enumerate(sizes)]
    raw = message_for(attachments=attachments)
    smtp = email_policy.SMTP.clone(refold_source="none")
    parsed = email.message_from_bytes(raw, policy=smtp)
    payloads = [part.get_payload() for part in parsed.iter_attachments()]
    assert payloads == [base64.encodebytes(a.data).decode("ascii").replace("\n", "\r\n") for a in attachments]
    for part in parsed.iter_attachments():  # the generator writes these lines itself, one by one
        part.set_payload(part.get_payload().replace("\r\n", "\n"))
    assert parsed.as_bytes(policy=smtp) == raw
