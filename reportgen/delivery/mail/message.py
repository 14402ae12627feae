"""Composing a message: pure functions, no clock, no randomness, no I/O.

A message is composed once, stored (in the ledger, or as an .eml file) and
later handed to the server *unchanged*; a resend after a crash must carry the
very same bytes and Message-ID, which mail clients and servers use to drop the
duplicate.  Hence everything here is deterministic: the Message-ID comes from
a key, the Date from the caller, and the MIME boundary from the Message-ID.

The output is 7-bit ASCII with CRLF line ends (RFC 5322 as ``email.policy.SMTP``
writes it), so no server needs SMTPUTF8 or 8BITMIME to carry it:

- Vietnamese headers (Subject, display names) are RFC 2047 encoded words;
- the body is UTF-8 text/plain, quoted-printable;
- an attachment's name is given twice: RFC 2231 ``filename*=utf-8''…`` first
  (what current clients show, and what ``email.policy.default`` reads), then
  a plain ASCII ``filename="…"`` for clients that predate RFC 2231.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import unicodedata
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email import policy as email_policy
from email.header import Header
from email.message import EmailMessage, MIMEPart
from email.utils import format_datetime, parseaddr

MIME_PDF = "application/pdf"
MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# SMTP policy (CRLF, 78-column folding, encoded words), except that headers set
# with ``set_raw`` are written exactly as given: the Content-Disposition below
# is laid out by hand, and refolding would split ``filename*`` into RFC 2231
# continuations (``filename*0*=``) that several mail clients do not join.
_POLICY = email_policy.SMTP.clone(refold_source="none")

_BYTES_PER_MB = 1024 * 1024
_BASE64_LINE = 76
"""Characters per base64 line, as the email package writes them (plus CRLF)."""
_MAX_ENCODED_NAME = 400
"""Longest percent-encoded file name kept on one header line (the hard limit is 998 octets)."""
_ID_DIGEST_CHARS = 32
_FALLBACK_DOMAIN = "reportgen.invalid"


@dataclass(frozen=True)
class Attachment:
    """One file attached to a message."""

    filename: str
    """Display name, may be Vietnamese: "Báo cáo KT-XH tháng 6 năm 2023.pdf"."""
    data: bytes
    mime_type: str
    """"application/pdf", or MIME_DOCX for the editable Word file."""


def make_message_id(key: str, sender: str) -> str:
    """Stable Message-ID from ``key`` (e.g. "report:12:lanhdao@example.vn") and the sender's domain.

    The same key always gives the same id, e.g. ``<rg.3f2a…@example.vn>``: a
    resend after a crash is recognisably the same message.
    """
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:_ID_DIGEST_CHARS]
    return f"<rg.{digest}@{_domain_of(sender)}>"


def _domain_of(sender: str) -> str:
    """'Văn phòng <vanphong@Example.VN>' → 'example.vn'; no usable domain → a reserved one."""
    address = parseaddr(sender)[1] or sender
    domain = address.rpartition("@")[2].strip().lower()
    if not domain or not re.fullmatch(r"[a-z0-9.-]+", domain):
        return _FALLBACK_DOMAIN
    return domain


def compose(
    *,
    sender: str,
    recipient: str,
    subject: str,
    body: str,
    message_id: str,
    date: datetime,
    attachments: Sequence[Attachment] = (),
    reply_to: str = "",
    headers: Mapping[str, str] = {},
) -> bytes:  # noqa: B006 - read-only default
    """The complete RFC 5322 message as bytes: what is stored and later handed to the server unchanged.

    ``recipient`` may be "" for an .eml to be addressed by hand (no To header).
    ``date`` is written as given; a naive datetime is taken as this computer's
    local time.  ``headers`` are extra headers, written in the order given
    (e.g. ``{"X-Unsent": "1"}`` makes Outlook open an .eml as a draft).
    Same arguments → same bytes.
    """
    message = EmailMessage(policy=_POLICY)
    message["Date"] = format_datetime(date if date.tzinfo else date.astimezone())
    message["From"] = sender
    if recipient:
        message["To"] = recipient
    _set_text_header(message, "Subject", subject)
    message["Message-ID"] = message_id
    if reply_to:
        message["Reply-To"] = reply_to
    for name, value in headers.items():
        if not re.fullmatch(r"[!-9;-~]+", name):  # RFC 5322 field name: printable ASCII, no colon
            raise ValueError(f"not a header name: {name!r}")
        message[name] = value
    if not attachments:
        message.set_content(_text_body(body), charset="utf-8", cte="quoted-printable")
        return _serialise(message)
    boundary = _boundary_for(message_id)
    bodies = _add_mixed_body(message, body, attachments, boundary)
    return _with_bodies(_serialise(message), bodies)


def _set_text_header(message: EmailMessage, name: str, value: str) -> None:
    """An unstructured header that may hold Vietnamese.

    The email package's own folder can end an encoded word just before a space
    and put the space *between* two encoded words, where RFC 2047 says decoders
    drop it ("tình hình" arrives as "tìnhhình").  ``email.header.Header`` keeps
    every space inside an encoded word and folds only between words, so the
    header is encoded here and written as given.
    """
    if "\r" in value or "\n" in value:
        raise ValueError(f"line break in the {name} header: {value!r}")
    if value.isascii():
        message[name] = value
        return
    encoded = Header(value, "utf-8", header_name=name).encode(linesep="\n", maxlinelen=76)
    message.set_raw(name, encoded)


def _text_body(body: str) -> str:
    """Body text with one final line end: text/plain lines end with one, whatever the template did."""
    return body.rstrip("\r\n") + "\n"


def _boundary_for(message_id: str) -> str:
    """A MIME boundary derived from the Message-ID.

    It starts with "=_", which can occur neither in base64 nor in
    quoted-printable text (where "=" is always followed by two hex digits),
    so it never collides with a part's content.
    """
    return "=_rg_" + hashlib.sha256(message_id.encode("utf-8")).hexdigest()[:24]


def _add_mixed_body(
    message: EmailMessage, body: str, attachments: Sequence[Attachment], boundary: str
) -> dict[bytes, bytes]:
    """The text and the attachment parts; returns each attachment's placeholder and its base64 lines."""
    message["MIME-Version"] = "1.0"
    message.set_raw("Content-Type", f'multipart/mixed;\n boundary="{boundary}"')
    text = MIMEPart(policy=_POLICY)
    text.set_content(_text_body(body), charset="utf-8", cte="quoted-printable")
    # typeshed has attach() take the message's own class; a multipart body holds MIMEParts (an EmailMessage
    # part would get a MIME-Version header of its own from set_content).
    message.attach(text)  # type: ignore[arg-type]
    bodies = {}
    for number, attachment in enumerate(attachments):
        placeholder = f"{boundary}.attachment-{number}."  # the dot: no placeholder begins another
        message.attach(_attachment_part(attachment, placeholder))  # type: ignore[arg-type]
        bodies[placeholder.encode("ascii")] = base64.encodebytes(attachment.data).replace(b"\n", b"\r\n")
    return bodies


def _attachment_part(attachment: Attachment, placeholder: str) -> MIMEPart:
    """A base64 part whose name survives every mail client: RFC 2231 first, ASCII fallback second.

    Its body is ``placeholder``, one line that :func:`_with_bodies` replaces by the base64 lines.
    """
    if not re.fullmatch(r"[a-z0-9.+-]+/[a-z0-9.+-]+", attachment.mime_type, re.IGNORECASE):
        raise ValueError(f"not a MIME type: {attachment.mime_type!r}")
    encoded = _rfc2231_value(attachment.filename)
    fallback = ascii_fallback(attachment.filename)
    part = MIMEPart(policy=_POLICY)
    part.set_raw("Content-Type", f'{attachment.mime_type};\n name*={encoded};\n name="{fallback}"')
    part.set_raw("Content-Transfer-Encoding", "base64")
    part.set_raw("Content-Disposition", f'attachment;\n filename*={encoded};\n filename="{fallback}"')
    part.set_payload(placeholder)
    return part


def _with_bodies(data: bytes, bodies: Mapping[bytes, bytes]) -> bytes:
    """The serialised message with each attachment's placeholder replaced by its base64 lines (CRLF each).

    Why not the base64 text as the part's payload: the email package's generator then writes it one line
    at a time, two calls per 76 characters (~2 ms for the ~200 KB of a report's PDF and Word file, of
    ~4 ms for the whole message); what it writes for a payload is its lines with CRLF, so the bytes are
    the same.  A placeholder starts with the MIME boundary, which neither base64, quoted-printable nor a
    header of this message contains; it is checked to occur once all the same.
    """
    for placeholder, lines in bodies.items():
        before, found, after = data.partition(placeholder)
        if not found or placeholder in after:
            raise ValueError(f"placeholder {placeholder!r} not exactly once in the serialised message")
        data = before + lines + after
    return data


def _rfc2231_value(filename: str) -> str:
    """'Báo cáo.pdf' → "utf-8''B%C3%A1o%20c%C3%A1o.pdf" (NFC, so every client sees one spelling)."""
    name = _clean_filename(filename)
    while True:
        encoded = urllib.parse.quote(name.encode("utf-8"), safe="!#$&+-.^_`|~")
        if len(encoded) <= _MAX_ENCODED_NAME:
            return "utf-8''" + encoded
        name = _shorten(name)


def ascii_fallback(filename: str) -> str:
    """An ASCII name for old clients and file systems: 'Báo cáo tháng 6/2023.pdf' → 'Bao cao thang 6_2023.pdf'.

    Vietnamese letters lose their diacritics (đ → d), characters unsafe in a
    file name or a quoted header parameter become "_", and very long names are
    shortened in the stem so the extension is kept.
    """
    name = _clean_filename(filename).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    safe = re.sub(r"[^A-Za-z0-9 ._()+,=-]", "_", stripped)
    safe = re.sub(r" {2,}", " ", safe).strip(" .") or "tep-dinh-kem"
    while len(safe) > _MAX_ENCODED_NAME // 3:
        safe = _shorten(safe)
    return safe


def _clean_filename(filename: str) -> str:
    """NFC, no path, no control characters: only the name a recipient should see."""
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").rpartition("/")[2]
    name = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in name)
    return name.strip() or "tep-dinh-kem"


def _shorten(name: str) -> str:
    """Drop the last character of the stem, keeping the extension."""
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 10 or len(stem) < 2:
        return name[:-1]
    return f"{stem[:-1]}.{ext}"


def _serialise(message: EmailMessage) -> bytes:
    """Bytes ending with CRLF, as the email package's own generator writes them (``as_bytes``): smtplib
    adds a CRLF to a message without one, and the server would then store bytes that differ from the
    ones we kept."""
    data = message.as_bytes(policy=_POLICY)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def attachment_size_mb(attachments: Sequence[Attachment]) -> float:
    """Size of the attachments as they travel (base64 with CRLF every 76 characters), in MB of 1024×1024 bytes.

    Servers count what is on the wire, which is about 4/3 of the files' size;
    the limit in reportgen.toml (``max_attachment_mb``) is checked against this.
    """
    return sum(_base64_wire_size(len(a.data)) for a in attachments) / _BYTES_PER_MB


def _base64_wire_size(size: int) -> int:
    encoded = 4 * math.ceil(size / 3)
    lines = math.ceil(encoded / _BASE64_LINE)
    return encoded + 2 * lines


__all__ = ["MIME_DOCX", "MIME_PDF", "Attachment", "ascii_fallback", "attachment_size_mb", "compose", "make_message_id"]
