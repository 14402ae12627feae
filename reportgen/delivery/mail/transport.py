"""Handing one stored message to the SMTP server, with smtplib.

The message bytes are sent exactly as stored (they are in the ledger, and a
resend after a crash must be identical, Message-ID included), so this module
never re-serialises a message: it runs the dialogue itself (MAIL, RCPT, DATA)
rather than ``sendmail``, to keep the server's reply to the end of DATA, which
goes on the receipt ("250 2.0.0 Ok: queued as 4F2A").

One call is all or nothing: if the server refuses any recipient, DATA is never
sent, so nobody receives a message that the caller must then record as failed.

Every failure is a :class:`TransientMailFailure` or a :class:`PermanentMailFailure`
(see :mod:`reportgen.delivery.mail.failures`); no other exception escapes for a network
problem.  The password is handed to ``smtplib.login`` and to nothing else.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from reportgen.core.vnformat import vn_num
from reportgen.delivery.mail.credentials import resolve_password  # re-exported: run/ imports it from here
from reportgen.delivery.mail.failures import (  # the failure types are re-exported too
    AUTH,
    DATA,
    MAIL,
    RCPT,
    TLS,
    MailFailure,
    PermanentMailFailure,
    ServerReply,
    TransientMailFailure,
    Where,
    refusal,
    translate,
)
from reportgen.delivery.mail.message import Attachment, attachment_size_mb, compose, make_message_id
from reportgen.settings.sections import MailConfig

log = logging.getLogger(__name__)

TEST_SUBJECT = "[reportgen] Thư thử cấu hình gửi thư"

_SECURITY_WORDS = {"starttls": "STARTTLS trên cổng thường", "ssl": "SSL/TLS ngay từ đầu", "none": "không mã hóa"}


def default_tls_context() -> ssl.SSLContext:
    """The context used when none is injected: certificates verified against the system's CAs.

    Tests that run the whole flow against a server with their own certificate
    may monkeypatch this function (``tests/smtp_server.py`` shows how).
    """
    return ssl.create_default_context()


def send(
    message: bytes,
    *,
    sender: str,
    recipients: Sequence[str],
    mail: MailConfig,
    password: str | None,
    timeout: float | None = None,
    tls_context: ssl.SSLContext | None = None,
) -> ServerReply:
    """Hand one stored message to the server; return the server's reply to the end of DATA.

    ``sender`` and ``recipients`` are the envelope (bare ASCII addresses);
    ``password`` None means no AUTH.  ``timeout`` overrides ``mail.timeout``
    (seconds per network operation); ``tls_context`` overrides the verified
    default (tests trust their own certificate with it).
    """
    _check_envelope(mail, sender, recipients)
    where = Where(mail.host, mail.port, float(timeout if timeout is not None else mail.timeout), mail.username)
    try:
        with _session(mail, where, tls_context) as smtp:
            if password is not None:
                _login(smtp, mail.username, password, where)
            reply = _transfer(smtp, message, sender, recipients, where)
    except MailFailure as failure:
        log.info("Thư chưa gửi được tới %s: %s", ", ".join(recipients), failure.detail)
        raise
    except OSError as error:  # smtplib.SMTPException and ssl.SSLError are OSErrors too
        translated = translate(error, where)
        log.info("Thư chưa gửi được tới %s: %s", ", ".join(recipients), translated.detail)
        raise translated from error
    log.info("Máy chủ thư %s đã nhận thư cho %s: %s", where.server, ", ".join(recipients), reply)
    return reply


def _check_envelope(mail: MailConfig, sender: str, recipients: Sequence[str]) -> None:
    """Refuse before connecting what smtplib could not send (it would raise UnicodeEncodeError/ValueError)."""
    if not mail.host:
        raise PermanentMailFailure("Chưa khai báo máy chủ thư (khóa host trong mục [mail]).")
    if isinstance(recipients, str) or not recipients:
        raise ValueError("recipients must be a non-empty sequence of addresses")
    for stage, address in [(MAIL, sender), *((RCPT, r) for r in recipients)]:
        if not address.isascii() or any(ch in address for ch in "\r\n<>") or "@" not in address:
            raise PermanentMailFailure(
                f"Địa chỉ thư “{address}” không gửi được: cần địa chỉ dạng ten@mien.vn, chỉ gồm chữ không dấu.",
                stage=stage,
                recipient=address if stage == RCPT else None,
            )


@contextmanager
def _session(mail: MailConfig, where: Where, tls_context: ssl.SSLContext | None) -> Iterator[smtplib.SMTP]:
    """A connected, greeted (and, for starttls, encrypted) SMTP session, closed quietly afterwards."""
    smtp = _connect(mail, where, tls_context)
    try:
        _greet(smtp, where)
        if mail.security == "starttls":
            _starttls(smtp, where, tls_context or default_tls_context())
        yield smtp
    finally:
        _close_quietly(smtp)


def _connect(mail: MailConfig, where: Where, tls_context: ssl.SSLContext | None) -> smtplib.SMTP:
    try:
        if mail.security == "ssl":
            return smtplib.SMTP_SSL(
                mail.host, mail.port, timeout=where.timeout, context=tls_context or default_tls_context()
            )
        return smtplib.SMTP(mail.host, mail.port, timeout=where.timeout)
    except UnicodeError:  # a host name IDNA cannot encode
        raise PermanentMailFailure(
            f"Tên máy chủ thư “{mail.host}” không hợp lệ (khóa host trong mục [mail]).", stage=where.stage
        ) from None


def _greet(smtp: smtplib.SMTP, where: Where) -> None:
    """EHLO; HELO only for a server that does not know EHLO (RFC 5321 §3.2).  Any other
    refusal (a 421 "shutting down") is reported as the server gave it."""
    code, text = smtp.ehlo()
    if code in (500, 502, 504):
        code, text = smtp.helo()
    if not 200 <= code < 300:
        raise refusal(ServerReply.from_smtplib(code, text), where)


def _starttls(smtp: smtplib.SMTP, where: Where, context: ssl.SSLContext) -> None:
    """Upgrade to TLS, or fail permanently: with security = "starttls" nothing goes out in clear text."""
    where.stage = TLS
    smtp.starttls(context=context)  # SMTPNotSupportedError when the server does not offer it
    _greet(smtp, where)  # RFC 3207: forget what was learnt before TLS, greet again


def _login(smtp: smtplib.SMTP, username: str, password: str, where: Where) -> None:
    where.stage = AUTH
    if not smtp.has_extn("auth") and smtp.has_extn("starttls"):
        # Servers offer AUTH only once the connection is encrypted (RFC 4954 §4).
        raise PermanentMailFailure(
            f"Máy chủ thư {where.server} chỉ cho đăng nhập qua kết nối mã hóa: đặt "
            'security = "starttls" trong mục [mail].',
            stage=AUTH,
        )
    try:
        smtp.login(username, password)
    except UnicodeEncodeError:
        # smtplib sends credentials as ASCII.  Raised "from None": the UnicodeEncodeError
        # holds the whole credential string in its .object attribute.
        raise PermanentMailFailure(
            "Tên đăng nhập hoặc mật khẩu thư có ký tự ngoài bảng chữ không dấu (ASCII), "
            "smtplib không gửi được. Hãy đổi mật khẩu thư chỉ gồm chữ không dấu, "
            "chữ số và ký hiệu.",
            stage=AUTH,
        ) from None


def _transfer(smtp: smtplib.SMTP, message: bytes, sender: str, recipients: Sequence[str], where: Where) -> ServerReply:
    """MAIL, RCPT for each recipient, DATA; the first refusal ends it before any DATA is sent."""
    where.stage = MAIL
    options = [f"SIZE={len(message)}"] if smtp.has_extn("size") else []
    reply = ServerReply.from_smtplib(*smtp.mail(sender, options))
    if not reply.accepted:
        raise refusal(reply, where, sender=sender)
    where.stage = RCPT
    for recipient in recipients:
        reply = ServerReply.from_smtplib(*smtp.rcpt(recipient))
        if not reply.accepted:
            raise refusal(reply, where, recipient=recipient)
    where.stage = DATA
    reply = ServerReply.from_smtplib(*smtp.data(message))
    if not reply.accepted:
        raise refusal(reply, where)
    return reply


def _close_quietly(smtp: smtplib.SMTP) -> None:
    """QUIT, ignoring any trouble: once DATA was accepted, a failed QUIT must not
    turn a delivered message into a failure (and a resend into a duplicate)."""
    try:
        smtp.quit()
    except OSError:
        smtp.close()


def check_attachment_limit(attachments: Sequence[Attachment], mail: MailConfig) -> None:
    """PermanentMailFailure when the attachments, as sent, exceed ``[mail] max_attachment_mb``."""
    size = attachment_size_mb(attachments)
    if size <= mail.max_attachment_mb:
        return
    names = ", ".join(a.filename for a in attachments)
    raise PermanentMailFailure(
        f"Tệp đính kèm ({names}) nặng {vn_num(size, 1)} MB khi gửi (đã tính phần tăng do mã hóa base64), "
        f"vượt giới hạn {vn_num(mail.max_attachment_mb, 1)} MB (khóa max_attachment_mb trong mục [mail]). "
        "Thư chưa được gửi."
    )


def send_test_message(
    mail: MailConfig,
    password: str | None,
    to: str,
    now: datetime,
    *,
    timeout: float | None = None,
    tls_context: ssl.SSLContext | None = None,
) -> ServerReply:
    """``reportgen send --test``: a short Vietnamese message to ``to`` (default: staff, else the sender)."""
    recipient = to or mail.staff or mail.sender
    message = compose(
        sender=mail.sender,
        recipient=recipient,
        subject=TEST_SUBJECT,
        body=_test_body(mail, now),
        message_id=make_message_id(f"test:{recipient}:{now.isoformat()}", mail.sender),
        date=now,
    )
    return send(
        message,
        sender=mail.sender,
        recipients=[recipient],
        mail=mail,
        password=password,
        timeout=timeout,
        tls_context=tls_context,
    )


def _test_body(mail: MailConfig, now: datetime) -> str:
    return "\n".join(
        [
            "Đây là thư thử do reportgen gửi để kiểm tra cấu hình gửi thư (mục [mail] trong reportgen.toml).",
            "",
            f"Máy chủ thư: {mail.host}:{mail.port} ({_SECURITY_WORDS.get(mail.security, mail.security)})",
            f"Tài khoản đăng nhập: {mail.username or 'không đăng nhập'}",
            f"Địa chỉ gửi: {mail.sender}",
            f"Thời điểm gửi: {now:%H:%M} ngày {now:%d/%m/%Y}",
            "",
            "Nhận được thư này nghĩa là reportgen gửi thư được; không cần trả lời.",
        ]
    )


__all__ = [
    "TEST_SUBJECT",
    "MailFailure",
    "PermanentMailFailure",
    "ServerReply",
    "TransientMailFailure",
    "check_attachment_limit",
    "default_tls_context",
    "resolve_password",
    "send",
    "send_test_message",
]
