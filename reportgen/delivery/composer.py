"""The messages reportgen sends, composed once and stored in the ledger as exact bytes.

Wording comes from templates/thu.j2 (staff can change it like the report's
templates); this module picks the macro, fills the context and builds the MIME
message.  A message is composed once and its bytes are stored, so a message handed
to a server twice (after a crash) is the very same message, Message-ID included.

The Message-ID is derived from the ledger's own random identity, what the message is
about, who it goes to and a digest of its content.  Two working folders, two units on
one mail domain, or a ledger restored from a backup that reuses row numbers therefore
never give two different messages the same ID, which mail servers and clients would
take for a duplicate and drop.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reportgen.core.periods import Period
from reportgen.delivery.mail.message import Attachment, compose, make_message_id
from reportgen.narrative.context import ky_view, unit_view
from reportgen.narrative.environment import call_macro, make_environment
from reportgen.settings.config import Config
from reportgen.settings.sections import MailConfig

TEMPLATE = "thu.j2"
FALLBACK_SENDER = "reportgen@localhost.localdomain"
"""From address of .eml files written when no mail server is configured."""
SAMPLE_MARK = "[DỮ LIỆU MẪU] "
"""First words of the subject of a report made from sample data."""
DRAFT_MARK = "[DỰ THẢO] "
"""First words of the subject of a draft sent to its reviewers (never to the recipients)."""
MIME = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@dataclass(frozen=True)
class Outgoing:
    """A composed message, ready to be queued."""

    kind: str
    key: str
    recipient: str
    message_id: str
    subject: str
    body: bytes


@dataclass(frozen=True)
class IssuedMail:
    """What the mail of an issued document says about it."""

    number_symbol: str
    """ "01/BC-UBND"."""
    on: date
    replaces: str = ""
    """The issued document it replaces: "01/BC-UBND ngày 20/6/2023" ('' for none)."""


class Composer:
    """Composes messages for one working folder (its templates, its mail settings, a fixed clock)."""

    def __init__(self, config: Config, templates_dir: Path | None, now: datetime, instance: str = "") -> None:
        """``instance``: the ledger's identity (:attr:`reportgen.delivery.ledger.Ledger.instance`)."""
        self.config = config
        self.instance = instance
        self.mail: MailConfig = config.mail
        self.env = make_environment(templates_dir)
        self.now = now
        self._modules: dict = {}  # the mail template's module, made once (its context is always empty)

    @property
    def sender(self) -> str:
        return self.mail.sender or FALLBACK_SENDER

    @property
    def outbox_only(self) -> bool:
        return not self.mail.configured

    def _text(self, macro: str, *args: object, **optional: object) -> str:
        text = call_macro(self.env, TEMPLATE, macro, {}, *args, modules=self._modules, optional=optional)
        return re.sub(r"\n{3,}", "\n\n", text).strip()

    def _compose(
        self, kind: str, key: str, recipient: str, subject: str, body: str, attachments: tuple[Attachment, ...] = ()
    ) -> Outgoing:
        subject = " ".join(subject.split())
        message_id = make_message_id(
            f"{self.instance}:{kind}:{key}:{recipient}:{_content_digest(subject, body, attachments)}", self.sender
        )
        # Outlook opens an .eml carrying X-Unsent as a draft, ready to address and send by hand.
        headers = {"X-Unsent": "1"} if self.outbox_only else {}
        data = compose(
            sender=self.sender,
            recipient=recipient,
            subject=subject,
            body=body + "\n",
            message_id=message_id,
            date=self.now,
            attachments=attachments,
            headers=headers,
        )
        return Outgoing(kind, key, recipient, message_id, subject, data)

    def report(
        self,
        *,
        report_id: int,
        period: Period,
        recipient: str,
        pdf: Path,
        docx: Path | None,
        replaces_sent_on: date | None,
        summary: str,
        kind: str = "report",
        key: str = "",
        sample: bool = False,
        draft: bool = False,
        approve_command: str = "",
        issued: IssuedMail | None = None,
    ) -> Outgoing:
        """The report mail; ``kind="manual"`` with its own ``key`` for a send by hand.  A report made from
        sample data says so first in its subject (it only ever goes to staff); so does a draft sent to its
        reviewers (``draft``, with the command that approves it).  ``issued``: the numbered, signed document,
        its number in the subject (and the one it replaces, for a correction)."""
        ky, unit = ky_view(period), unit_view(self.config)
        title = f"Báo cáo KT-XH {period.label_with_year}"
        if draft:
            title = f"Dự thảo - {title}"
        elif issued is not None:
            title = f"Báo cáo số {issued.number_symbol.replace('/', '-')} - KT-XH {period.label_with_year}"
        attachments = [Attachment(f"{title}.pdf", pdf.read_bytes(), MIME["pdf"])]
        if docx is not None and self.mail.attach_docx:
            attachments.append(Attachment(f"{title}.docx", docx.read_bytes(), MIME["docx"]))
        numbered = {"so_hieu": issued.number_symbol if issued else "", "thay_the_so": issued.replaces if issued else ""}
        subject = self._text("tieu_de_bao_cao", unit, ky, replaces_sent_on, du_thao=draft, **numbered)
        if issued is not None and issued.number_symbol not in subject:  # a folder's own thu.j2 of before
            subject = f"Báo cáo số {issued.number_symbol}: {subject}"
        subject = (SAMPLE_MARK if sample else "") + (DRAFT_MARK if draft else "") + subject
        body = self._text(
            "noi_dung_bao_cao",
            unit,
            ky,
            replaces_sent_on,
            attachments[0].filename,
            summary,
            du_thao=draft,
            lenh_duyet=approve_command,
            ngay_ban_hanh=issued.on if issued else None,
            **numbered,
        )
        return self._compose(kind, key or str(report_id), recipient, subject, body, tuple(attachments))

    def reminder(self, *, unit_key: str, period: Period, due: datetime, workbook: str, command: str) -> Outgoing:
        """``command``: how to make the missing workbook ("reportgen new 2023-08 --unit hoanh-mo")."""
        ky, unit = ky_view(period), unit_view(self.config)
        subject = self._text("tieu_de_nhac_viec", ky, due.date(), don_vi=unit)
        body = self._text("noi_dung_nhac_viec", ky, due.date(), workbook, don_vi=unit, lenh_tao=command)
        return self._compose("reminder", f"{unit_key}:{period.code}", self.mail.staff, subject, body)

    def overdue(self, *, unit_key: str, period: Period, due: datetime, workbook: str, command: str) -> Outgoing:
        ky, unit = ky_view(period), unit_view(self.config)
        subject = self._text("tieu_de_qua_han", ky, due.date(), don_vi=unit)
        body = self._text("noi_dung_qua_han", ky, due.date(), workbook, don_vi=unit, lenh_tao=command)
        return self._compose("notice", f"overdue:{unit_key}:{period.code}", self.mail.staff, subject, body)

    def invalid_input(self, *, workbook: str, sha256: str, errors: list[str]) -> Outgoing:
        subject = self._text("tieu_de_tep_loi", workbook)
        body = self._text("noi_dung_tep_loi", workbook, sha256, errors)
        return self._compose("notice", f"invalid:{sha256}", self.mail.staff, subject, body)

    def send_failed(self, *, message_key: str, recipient: str, subject: str, reply: str) -> Outgoing:
        notice_subject = self._text("tieu_de_gui_loi", recipient, subject)
        body = self._text("noi_dung_gui_loi", recipient, subject, reply)
        return self._compose("notice", f"failed:{message_key}", self.mail.staff, notice_subject, body)


def _content_digest(subject: str, body: str, attachments: tuple[Attachment, ...]) -> str:
    """What the message says and carries: a different report under a reused key gets another ID."""
    digest = hashlib.sha256()
    for text in (subject, body, *(a.filename for a in attachments)):
        digest.update(text.encode("utf-8") + b"\0")
    for attachment in attachments:
        digest.update(hashlib.sha256(attachment.data).digest())
    return digest.hexdigest()
