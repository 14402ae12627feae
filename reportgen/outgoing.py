"""The messages reportgen sends, composed once and stored in the ledger as exact bytes.

Wording comes from templates/thu.j2 (staff can change it like the report's
templates); this module picks the macro, fills the context and builds the MIME
message.  Each message has a stable Message-ID derived from what it is about
and who it goes to, so a message handed to a server twice (after a crash) is
recognisably the same message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .config import Config, MailConfig
from .mail.message import Attachment, compose, make_message_id
from .narrative.context import ky_view, unit_view
from .narrative.environment import call_macro, make_environment
from .periods import Period

TEMPLATE = "thu.j2"
FALLBACK_SENDER = "reportgen@localhost.localdomain"
"""From address of .eml files written when no mail server is configured."""
MIME = {"pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@dataclass(frozen=True)
class Outgoing:
    """A composed message, ready to be queued."""

    kind: str
    key: str
    recipient: str
    message_id: str
    subject: str
    body: bytes


class Composer:
    """Composes messages for one working folder (its templates, its mail settings, a fixed clock)."""

    def __init__(self, config: Config, templates_dir: Path | None, now: datetime) -> None:
        self.config = config
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

    def _text(self, macro: str, *args: object) -> str:
        text = call_macro(self.env, TEMPLATE, macro, {}, *args, modules=self._modules)
        return re.sub(r"\n{3,}", "\n\n", text).strip()

    def _compose(self, kind: str, key: str, recipient: str, subject: str, body: str,
                 attachments: tuple[Attachment, ...] = ()) -> Outgoing:
        subject = " ".join(subject.split())
        message_id = make_message_id(f"{kind}:{key}:{recipient}", self.sender)
        # Outlook opens an .eml carrying X-Unsent as a draft, ready to address and send by hand.
        headers = {"X-Unsent": "1"} if self.outbox_only else {}
        data = compose(sender=self.sender, recipient=recipient, subject=subject, body=body + "\n",
                       message_id=message_id, date=self.now, attachments=attachments, headers=headers)
        return Outgoing(kind, key, recipient, message_id, subject, data)

    def report(self, *, report_id: int, period: Period, recipient: str, pdf: Path, docx: Path | None,
               replaces_sent_on: date | None, summary: str, kind: str = "report", key: str = "") -> Outgoing:
        """The report mail; ``kind="manual"`` with its own ``key`` for a send by hand."""
        ky, unit = ky_view(period), unit_view(self.config)
        title = f"Báo cáo KT-XH {period.label_with_year}"
        attachments = [Attachment(f"{title}.pdf", pdf.read_bytes(), MIME["pdf"])]
        if docx is not None and self.mail.attach_docx:
            attachments.append(Attachment(f"{title}.docx", docx.read_bytes(), MIME["docx"]))
        subject = self._text("tieu_de_bao_cao", unit, ky, replaces_sent_on)
        body = self._text("noi_dung_bao_cao", unit, ky, replaces_sent_on, attachments[0].filename, summary)
        return self._compose(kind, key or str(report_id), recipient, subject, body, tuple(attachments))

    def reminder(self, *, unit_key: str, period: Period, due: datetime, workbook: str) -> Outgoing:
        ky = ky_view(period)
        subject = self._text("tieu_de_nhac_viec", ky, due.date())
        body = self._text("noi_dung_nhac_viec", ky, due.date(), workbook)
        return self._compose("reminder", f"{unit_key}:{period.code}", self.mail.staff, subject, body)

    def overdue(self, *, unit_key: str, period: Period, due: datetime, workbook: str) -> Outgoing:
        ky = ky_view(period)
        subject = self._text("tieu_de_qua_han", ky, due.date())
        body = self._text("noi_dung_qua_han", ky, due.date(), workbook)
        return self._compose("notice", f"overdue:{unit_key}:{period.code}", self.mail.staff, subject, body)

    def invalid_input(self, *, workbook: str, sha256: str, errors: list[str]) -> Outgoing:
        subject = self._text("tieu_de_tep_loi", workbook)
        body = self._text("noi_dung_tep_loi", workbook, sha256, errors)
        return self._compose("notice", f"invalid:{sha256}", self.mail.staff, subject, body)

    def send_failed(self, *, message_key: str, recipient: str, subject: str, reply: str) -> Outgoing:
        notice_subject = self._text("tieu_de_gui_loi", recipient, subject)
        body = self._text("noi_dung_gui_loi", recipient, subject, reply)
        return self._compose("notice", f"failed:{message_key}", self.mail.staff, notice_subject, body)
