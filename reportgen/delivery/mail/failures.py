"""What the mail server said, and what went wrong, in two kinds: worth retrying or not.

Every network problem ends up as one of two exceptions, so the caller decides
with one ``except`` what to record:

- :class:`TransientMailFailure` — connection refused, timeout, DNS failure,
  disconnection in the middle of the dialogue, any 4xx reply: retry later with
  backoff;
- :class:`PermanentMailFailure` — any 5xx reply (recipient or message refused),
  authentication refused, TLS required but not offered or not trustworthy,
  attachment over the limit: recorded and not retried until someone asks.

``detail`` is a Vietnamese sentence for the receipt and ``reportgen status``;
it never contains the password (only the user name and the server's reply).
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from dataclasses import dataclass

from reportgen.core.errors import DeliveryError
from reportgen.core.vnformat import vn_num

# Steps of the SMTP dialogue, in order; a failure says at which one it happened.
CONNECT, TLS, AUTH, MAIL, RCPT, DATA = "connect", "tls", "auth", "mail", "rcpt", "data"

_STAGE_WORDS = {
    CONNECT: "khi kết nối",
    TLS: "khi thiết lập kết nối mã hóa (TLS)",
    AUTH: "khi đăng nhập",
    MAIL: "ở lệnh MAIL FROM",
    RCPT: "ở lệnh RCPT TO",
    DATA: "khi gửi nội dung thư",
}


@dataclass(frozen=True)
class ServerReply:
    """One reply of the server: "250 2.0.0 Ok: queued as 4F2A" → code 250, text "2.0.0 Ok: queued as 4F2A"."""

    code: int
    text: str

    def __str__(self) -> str:
        return f"{self.code} {self.text}".rstrip()

    @classmethod
    def from_smtplib(cls, code: int, message: bytes | str) -> ServerReply:
        """smtplib gives the text as bytes, the lines of a multi-line reply joined by "\\n";
        here they become one line, so a receipt shows the reply on one line."""
        text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
        return cls(code, " ".join(line.strip() for line in text.splitlines() if line.strip()))

    @property
    def accepted(self) -> bool:
        return 200 <= self.code < 300

    @property
    def temporary(self) -> bool:
        """4xx: the server asks to try again later (RFC 5321 §4.2.1)."""
        return 400 <= self.code < 500


class MailFailure(DeliveryError):
    """A message was not accepted by the server.

    ``reply`` is the server's reply when there was one; ``detail`` (also
    ``str(failure)``) says in Vietnamese what happened; ``stage`` is the step
    of the dialogue (connect, tls, auth, mail, rcpt, data); ``recipient`` the
    address the server refused, if that was the problem.
    """

    def __init__(
        self, detail: str, reply: ServerReply | None = None, *, stage: str = "", recipient: str | None = None
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.reply = reply
        self.stage = stage
        self.recipient = recipient


class TransientMailFailure(MailFailure):
    """Worth retrying: refused connection, timeout, DNS, disconnection, any 4xx reply."""


class PermanentMailFailure(MailFailure):
    """Not worth retrying until the settings or the message change: 5xx, login refused, no TLS, too large."""


@dataclass
class Where:
    """Where the dialogue is, so that a failure can say it in words."""

    host: str
    port: int
    timeout: float
    username: str = ""
    stage: str = CONNECT

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def stage_words(self) -> str:
        return _STAGE_WORDS.get(self.stage, "")


# What a refusal means, from its enhanced status code (RFC 3463: class.subject.detail) when the server
# gives one, else from its basic code and the step of the dialogue.  The step alone misleads: a server
# refuses an oversized message at MAIL FROM (the SIZE parameter, RFC 1870), which is not the sender's fault.
SIZE, MAILBOX_FULL, RECIPIENT, SENDER, AUTH_REQUIRED, AUTH_REFUSED, POLICY, CONTENT, BUSY, OTHER = (
    "size",
    "mailbox_full",
    "recipient",
    "sender",
    "auth_required",
    "auth_refused",
    "policy",
    "content",
    "busy",
    "other",
)
_ENHANCED = re.compile(r"^[245]\.(\d{1,3})\.(\d{1,3})\b")
_BY_ENHANCED = {
    (1, 1): RECIPIENT,
    (1, 2): RECIPIENT,
    (1, 3): RECIPIENT,
    (1, 4): RECIPIENT,
    (1, 6): RECIPIENT,
    (1, 7): SENDER,
    (1, 8): SENDER,
    (2, 1): RECIPIENT,
    (2, 2): MAILBOX_FULL,
    (2, 3): SIZE,
    (3, 4): SIZE,
    (7, 0): AUTH_REQUIRED,
    (7, 8): AUTH_REFUSED,
    (7, 9): AUTH_REFUSED,
    (7, 11): AUTH_REQUIRED,
    (7, 1): POLICY,
    (7, 26): POLICY,
    (7, 27): POLICY,
}


def meaning(reply: ServerReply, stage: str) -> str:
    """What a refusal is about: one of the constants above."""
    match = _ENHANCED.match(reply.text)
    if match:
        subject, detail = int(match.group(1)), int(match.group(2))
        found = _BY_ENHANCED.get((subject, detail))
        if found == AUTH_REQUIRED and stage not in (AUTH, MAIL) and reply.code != 530:
            found = POLICY  # "5.7.0" at RCPT or DATA is a policy refusal, not a login request
        if found:
            return found
        if subject == 1:  # other addressing status: whose address depends on the step
            return SENDER if stage == MAIL else RECIPIENT
        if subject == 2 and stage == RCPT:  # other mailbox status: the recipient's mailbox
            return RECIPIENT
        if subject == 6:
            return CONTENT
        if subject == 7:
            return POLICY
        if subject in (3, 4) and 400 <= reply.code < 500:
            return BUSY
    return _by_basic_code(reply.code, stage)


def _by_basic_code(code: int, stage: str) -> str:
    if code == 552 or (code == 452 and stage in (MAIL, DATA)):
        return SIZE  # RFC 5321: "exceeded storage allocation"; RFC 1870 uses 552 / 452 for SIZE
    if code == 530:
        return AUTH_REQUIRED
    if code in (535, 534, 538):
        return AUTH_REFUSED
    if code in (450, 550, 551, 553) and stage == RCPT:
        return RECIPIENT
    if code in (421, 450, 451) or (code == 452 and stage == RCPT):
        return BUSY
    if code in (550, 553) and stage == MAIL:
        return SENDER
    if code == 554 and stage == DATA:
        return CONTENT
    if stage == AUTH and code >= 500:
        return AUTH_REFUSED
    return OTHER


def refusal(reply: ServerReply, where: Where, *, recipient: str | None = None, sender: str = "") -> MailFailure:
    """The failure for a reply that is not 2xx: permanent for 5xx; transient for 4xx (and for a code no
    RFC allows there, which is a server's problem, not the message's).  The sentence says what the
    reply means and what to change, so staff do not fix the wrong setting."""
    temporary = reply.temporary
    about = meaning(reply, where.stage)
    detail = _DETAILS.get(about, _other)(reply, where, recipient or "", sender, temporary)
    kind = PermanentMailFailure if 500 <= reply.code < 600 else TransientMailFailure
    return kind(detail, reply, stage=where.stage, recipient=recipient)


def _size(reply: ServerReply, where: Where, recipient: str, sender: str, temporary: bool) -> str:
    if temporary:
        return (
            f"Máy chủ thư {where.server} tạm thời chưa nhận thư vì thiếu chỗ lưu hoặc thư quá lớn: {reply}. "
            "Thư sẽ được gửi lại sau."
        )
    return (
        f"Máy chủ thư từ chối vì thư quá lớn so với giới hạn dung lượng của máy chủ: {reply}. Hỏi nhà cung cấp "
        "thư giới hạn dung lượng mỗi thư; đặt max_attachment_mb trong mục [mail] nhỏ hơn giới hạn đó, bỏ đính "
        "kèm tệp Word (attach_docx = false), hoặc gửi qua máy chủ thư khác."
    )


def _mailbox_full(reply: ServerReply, where: Where, recipient: str, sender: str, temporary: bool) -> str:
    who = f" {recipient}" if recipient else ""
    later = " Thư sẽ được gửi lại sau." if temporary else " Báo người nhận dọn hộp thư, rồi gửi lại."
    return f"Hộp thư của người nhận{who} đã đầy: {reply}.{later}"


def _recipient(reply: ServerReply, where: Where, recipient: str, sender: str, temporary: bool) -> str:
    what = "tạm thời chưa nhận" if temporary else "từ chối"
    who = recipient or "(không rõ)"
    fix = (
        ""
        if temporary
        else (" Kiểm tra lại địa chỉ này trong mục [mail] to (hoặc mail_to của đơn vị) trong reportgen.toml.")
    )
    return f"Máy chủ thư {what} người nhận {who}: {reply}.{fix}"


def _sender(reply: ServerReply, where: Where, recipient: str, sender: str, temporary: bool) -> str:
    what = "tạm thời chưa nhận" if temporary else "từ chối"
    fix = (
        ""
        if temporary
        else (
            " Kiểm tra khóa sender trong mục [mail]: thường phải là chính địa chỉ của tài khoản đăng nhập (username)."
        )
    )
    return f"Máy chủ thư {what} địa chỉ gửi {sender or '(không rõ)'}: {reply}.{fix}"


def _auth_required(reply: ServerReply, where: Where, recipient: str, sender: str, temporary: bool) -> str:
    return (
        f"Máy chủ thư {where.server} đòi đăng nhập hoặc mã hóa trước khi nhận thư: {reply}. "
        "Kiểm tra các khóa security và username trong mục [mail]."
    )


def _auth_refused(reply: ServerReply, where: Where, recipient: str, sender: str, temporary: bool) -> str:
    return (
        f"Máy chủ thư từ chối đăng nhập của tài khoản {where.username or '(chưa khai báo username)'}: {reply}. "
        "Kiểm tra lại tên đăng nhập và mật khẩu (Gmail, Outlook cần mật khẩu ứng dụng)."
    )


def _policy(reply: ServerReply, where: Where, recipient: str, sender: str, temporary: bool) -> str:
    if where.stage == RCPT:
        return (
            f"Máy chủ thư không cho gửi đến {recipient or 'người nhận'} theo chính sách của máy chủ "
            f"(thường là chưa đăng nhập nên không được chuyển tiếp thư ra ngoài): {reply}. Khai báo username "
            "trong mục [mail], hoặc dùng máy chủ thư của cơ quan."
        )
    return (
        f"Máy chủ thư từ chối thư theo chính sách của máy chủ (có thể bị coi là thư rác, hoặc địa chỉ gửi "
        f"không thuộc tài khoản đăng nhập): {reply}. Kiểm tra khóa sender trong mục [mail]; nếu vẫn bị từ "
        "chối, hỏi nhà cung cấp thư."
    )


def _content(reply: ServerReply, where: Where, recipient: str, sender: str, temporary: bool) -> str:
    return f"Máy chủ thư từ chối nội dung thư: {reply}. Hỏi nhà cung cấp thư lý do từ chối."


def _busy(reply: ServerReply, where: Where, recipient: str, sender: str, temporary: bool) -> str:
    if temporary:
        return f"Máy chủ thư {where.server} tạm thời chưa nhận thư ({where.stage_words}): {reply}."
    return _other(reply, where, recipient, sender, temporary)


def _other(reply: ServerReply, where: Where, recipient: str, sender: str, temporary: bool) -> str:
    if temporary:
        return f"Máy chủ thư {where.server} tạm thời chưa nhận thư ({where.stage_words}): {reply}."
    return f"Máy chủ thư {where.server} từ chối ({where.stage_words}): {reply}."


_DETAILS = {
    SIZE: _size,
    MAILBOX_FULL: _mailbox_full,
    RECIPIENT: _recipient,
    SENDER: _sender,
    AUTH_REQUIRED: _auth_required,
    AUTH_REFUSED: _auth_refused,
    POLICY: _policy,
    CONTENT: _content,
    BUSY: _busy,
}


def translate(error: OSError, where: Where) -> MailFailure:
    """The failure for anything smtplib, ssl or the socket layer raised during the dialogue
    (all of them are OSError: smtplib.SMTPException and ssl.SSLError derive from it)."""
    if isinstance(error, smtplib.SMTPResponseException):
        return refusal(ServerReply.from_smtplib(error.smtp_code, error.smtp_error), where)
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return _not_supported(where)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return _timeout(where) if _timed_out(error) else _disconnected(where)
    if isinstance(error, smtplib.SMTPException):
        return PermanentMailFailure(
            f"Lỗi giao thức với máy chủ thư {where.server} ({where.stage_words}): {error}.", stage=where.stage
        )
    if isinstance(error, ssl.SSLError):
        return _tls_failure(error, where)
    return _network_failure(error, where)


def _timed_out(error: BaseException | None) -> bool:
    """smtplib reports a read timeout as 'Connection unexpectedly closed: timed out',
    with the TimeoutError as its context."""
    while error is not None:
        if isinstance(error, TimeoutError):
            return True
        error = error.__cause__ or error.__context__
    return False


def _timeout(where: Where) -> TransientMailFailure:
    return TransientMailFailure(
        f"Máy chủ thư {where.server} không trả lời trong {vn_num(where.timeout, 1)} giây ({where.stage_words}).",
        stage=where.stage,
    )


def _disconnected(where: Where) -> TransientMailFailure:
    return TransientMailFailure(
        f"Máy chủ thư {where.server} ngắt kết nối giữa chừng ({where.stage_words}).", stage=where.stage
    )


def _not_supported(where: Where) -> PermanentMailFailure:
    if where.stage == TLS:
        detail = (
            f"Máy chủ thư {where.server} không hỗ trợ STARTTLS, nên không gửi được thư qua kết nối "
            "mã hóa. Kiểm tra khóa security và port trong mục [mail] (xem docs/delivery.md)."
        )
    else:
        detail = (
            f"Máy chủ thư {where.server} không cho đăng nhập (không có AUTH). Xóa khóa username trong "
            "mục [mail] nếu máy chủ này nhận thư không cần đăng nhập."
        )
    return PermanentMailFailure(detail, stage=where.stage)


def _tls_failure(error: ssl.SSLError, where: Where) -> MailFailure:
    if isinstance(error, ssl.SSLCertVerificationError):
        return PermanentMailFailure(
            f"Chứng chỉ TLS của máy chủ thư {where.host} không đáng tin cậy: {error.verify_message or error.reason}.",
            stage=where.stage,
        )
    if isinstance(error, (ssl.SSLEOFError, ssl.SSLZeroReturnError, ssl.SSLSyscallError)):
        return _disconnected(where)
    return PermanentMailFailure(
        f"Không thiết lập được kết nối mã hóa (TLS) với máy chủ thư {where.server}: "
        f"{error.reason or error}. Kiểm tra khóa security và port trong mục [mail] "
        "(ssl thường dùng cổng 465, starttls cổng 587).",
        stage=where.stage,
    )


def _network_failure(error: OSError, where: Where) -> TransientMailFailure:
    if isinstance(error, TimeoutError):
        return _timeout(where)
    if isinstance(error, ConnectionRefusedError):
        detail = (
            f"Không kết nối được máy chủ thư {where.server}: máy chủ từ chối kết nối (máy chủ đang tắt, hoặc sai cổng)."
        )
    elif isinstance(error, socket.gaierror):
        detail = (
            f"Không tìm thấy máy chủ thư “{where.host}” (lỗi phân giải tên miền). Kiểm tra kết nối "
            "mạng và khóa host trong mục [mail]."
        )
    elif isinstance(error, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)):
        return _disconnected(where)
    else:
        detail = f"Lỗi mạng khi gửi thư qua {where.server} ({where.stage_words}): {error.strerror or error}."
    return TransientMailFailure(detail, stage=where.stage)


__all__ = ["MailFailure", "PermanentMailFailure", "ServerReply", "TransientMailFailure"]
