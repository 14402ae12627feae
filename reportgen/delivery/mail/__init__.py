"""Mail: composing messages, handing them to an SMTP server, and the .eml outbox.

- :mod:`.message` — pure and deterministic: the same arguments give the same bytes;
- :mod:`.transport` — smtplib, with every failure sorted into transient or permanent;
- :mod:`.outbox` — .eml files for a machine without mail settings.

What is sent when, and how often, is decided by the ledger and the run (:mod:`reportgen.run`), not here.
"""

from reportgen.delivery.mail.credentials import resolve_password
from reportgen.delivery.mail.failures import MailFailure, PermanentMailFailure, ServerReply, TransientMailFailure
from reportgen.delivery.mail.message import (
    MIME_DOCX,
    MIME_PDF,
    Attachment,
    ascii_fallback,
    attachment_size_mb,
    compose,
    make_message_id,
)
from reportgen.delivery.mail.outbox import write_eml
from reportgen.delivery.mail.transport import (
    TEST_SUBJECT,
    check_attachment_limit,
    default_tls_context,
    send,
    send_test_message,
)

__all__ = [
    "MIME_DOCX",
    "MIME_PDF",
    "TEST_SUBJECT",
    "Attachment",
    "MailFailure",
    "PermanentMailFailure",
    "ServerReply",
    "TransientMailFailure",
    "ascii_fallback",
    "attachment_size_mb",
    "check_attachment_limit",
    "compose",
    "default_tls_context",
    "make_message_id",
    "resolve_password",
    "send",
    "send_test_message",
    "write_eml",
]
