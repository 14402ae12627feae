"""Hand the messages whose time has come to the mail server — or to outputs/outbox/ as .eml files.

The exactly-once protocol, per message (docs/delivery.md):

1. mark it ``sending`` (committed) — *before* the server sees it;
2. hand the stored bytes to the server;
3. mark it ``sent`` with the server's reply (committed) — *after* the server accepted.

A crash between 1 and 3 leaves it ``sending``; the next run hands the same bytes
over again, with the same Message-ID, which mail servers and clients use to
recognise a duplicate.  That is as close to exactly once as SMTP allows: the
protocol has no way to ask a server "did you get this?".

Transient failures (refused connection, timeout, 4xx) are retried within the
run with a doubling delay, then left for a later run; permanent ones (5xx,
authentication refused) are recorded, announced to staff, and left until
someone runs ``reportgen send --retry-failed``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

from .config import Config
from .failpoints import failpoint
from .ledger import Ledger, LedgerError, Message
from .mail.outbox import write_eml
from .mail.transport import MailFailure, PermanentMailFailure, send
from .vnformat import moment, vn_num

LATER_RETRY = timedelta(minutes=15)
"""First wait before a later run retries a transient failure; doubled per attempt, capped at MAX_LATER_RETRY."""
MAX_LATER_RETRY = timedelta(hours=6)


@dataclass
class Delivery:
    """Sends for one run: the ledger, the settings, the clock and a password resolved once."""

    ledger: Ledger
    config: Config
    outbox: Path
    now: datetime
    password: Callable[[], str | None]
    sleep: Callable[[float], None] = time.sleep
    transport: Callable[..., object] = send
    shown: Callable[[Path], str] = str
    """How paths are written in the receipt (relative to the working folder)."""

    def deliver(self, message: Message) -> tuple[str, str]:
        """Deliver one message; returns (status, what to tell staff)."""
        try:
            body = self.ledger.body(message)
        except LedgerError as exc:
            self.ledger.mark(message.id, "failed", self.now, reply=str(exc), attempt="permanent")
            return "failed", f"lỗi, không gửi — {exc}"
        if not self.config.mail.configured or not message.recipient:
            return self._write_eml(message, body)
        too_big = self._over_size_limit(body)
        if too_big:
            self.ledger.mark(message.id, "failed", self.now, reply=too_big, attempt="permanent")
            return "failed", f"lỗi, không gửi — {too_big}"
        attempts = self.config.mail.retries
        for attempt in range(attempts):
            self.ledger.mark(message.id, "sending", self.now, attempt="sending")
            failpoint("before_send")
            try:
                reply = self.transport(body, sender=self.config.mail.sender, recipients=[message.recipient],
                                       mail=self.config.mail, password=self.password())
            except PermanentMailFailure as failure:
                self.ledger.mark(message.id, "failed", self.now, reply=_reply(failure), attempt="permanent")
                return "failed", f"lỗi, không gửi lại tự động — {failure.detail}"
            except MailFailure as failure:
                if attempt + 1 < attempts:
                    self.ledger.mark(message.id, "retry", self.now, reply=_reply(failure), attempt="transient")
                    self.sleep(self.config.mail.retry_delay * 2 ** attempt)
                    continue
                return self._later(message, failure)
            failpoint("after_accept")
            self.ledger.mark(message.id, "sent", self.now, reply=str(reply), attempt="accepted")
            return "sent", f"đã gửi; máy chủ trả lời: {reply}"
        raise AssertionError("unreachable: the loop returns on its last attempt")  # pragma: no cover

    def _over_size_limit(self, body: bytes) -> str:
        """Checked when sending, against the limit in force now, so raising the limit and running
        «reportgen send --retry-failed» sends the message.  The whole message counts (the
        attachments as encoded, which is what a server's size limit measures)."""
        size_mb = len(body) / (1024 * 1024)
        limit = self.config.mail.max_attachment_mb
        if size_mb <= limit:
            return ""
        return (f"thư nặng {vn_num(size_mb, 1)} MB (cả tệp đính kèm), vượt giới hạn {vn_num(limit, 1)} MB "
                "(khóa max_attachment_mb trong mục [mail])")

    def _later(self, message: Message, failure: MailFailure) -> tuple[str, str]:
        tries = self.ledger.message(message.id).attempts
        wait = min(LATER_RETRY * 2 ** max(tries - 1, 0), MAX_LATER_RETRY)
        retry_at = self.now + wait
        self.ledger.mark(message.id, "retry", self.now, reply=_reply(failure), attempt="transient",
                         next_attempt=retry_at)
        return "retry", f"lỗi tạm thời ({failure.detail}); sẽ thử lại từ {moment(retry_at)}"

    def _write_eml(self, message: Message, body: bytes) -> tuple[str, str]:
        path = write_eml(body, self.outbox / (message.period or "khac"), _eml_name(message))
        self.ledger.mark(message.id, "written", self.now, attempt="written", eml_path=str(path))
        reason = "chưa cấu hình máy chủ thư" if not self.config.mail.configured else "thư chưa có người nhận"
        return "written", f"đã ghi thư ra {self.shown(path)} ({reason}; mở tệp bằng chương trình thư để gửi)"


def _reply(failure: MailFailure) -> str:
    return str(failure.reply) if failure.reply else failure.detail


def _eml_name(message: Message) -> str:
    who = re.sub(r"[^A-Za-z0-9]+", "-", message.recipient).strip("-") or "chua-co-nguoi-nhan"
    return f"{message.kind}-{message.id:05d}-{who}"
