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
authentication refused) are recorded together with the notice to staff (one
transaction, so a run killed in between loses neither), and left until someone
runs ``reportgen send --retry-failed``.

Two rules keep an outage from turning into a flood or a long silence:

- a message whose due moment is more than ``catch_up_days`` in the past is not
  sent by itself, whenever it was queued (a report is held for ``reportgen send
  PERIOD``, a reminder or notice expires);
- once the server could not be reached at all (connection refused, timeout, no
  such host) after the in-run retries, the other messages of the run are not
  tried against it: they wait for a later run, each with its next try.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from reportgen.core.failpoints import failpoint
from reportgen.core.vnformat import moment, vn_num
from reportgen.delivery.ledger import Ledger, LedgerError, Message
from reportgen.delivery.mail.failures import CONNECT, TLS
from reportgen.delivery.mail.outbox import write_eml
from reportgen.delivery.mail.transport import MailFailure, PermanentMailFailure, send
from reportgen.settings.config import Config

LATER_RETRY = timedelta(minutes=15)
"""First wait before a later run retries a transient failure; doubled per attempt, capped at MAX_LATER_RETRY."""
MAX_LATER_RETRY = timedelta(hours=6)
REPORT_KINDS = ("report", "manual")
"""Messages that carry a report: held, not expired, when too old, and announced to staff when refused."""

FailureNotice = Callable[[sqlite3.Connection, Message, str], object]
"""Queues, inside the failure's own transaction, the notice telling staff that ``message`` was refused
(its last argument is the server's reply)."""


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
    progress: Callable[[str], None] = lambda _text: None
    """Told, in Vietnamese, of each wait and retry (a terminal shows it; a schedule does not)."""
    server_down: str = field(default="", init=False)
    """Set once the server could not be reached after the in-run retries: the rest of the run leaves it alone."""

    def deliver(
        self, message: Message, config: Config | None = None, notice: FailureNotice | None = None
    ) -> tuple[str, str]:
        """Deliver one message; returns (status, what to tell staff).

        ``config`` is the message's unit's (its catch-up rule); ``notice`` queues the notice of a
        permanent failure in the same transaction as the failure itself.
        """
        config = config or self.config
        stale = self._too_old(message, config)
        if stale:
            return stale
        try:
            body = self.ledger.body(message)
        except LedgerError as exc:
            return self._failed(message, str(exc), f"lỗi, không gửi — {exc}", notice)
        if not self.config.mail.configured or not message.recipient:
            return self._write_eml(message, body)
        too_big = self._over_size_limit(body)
        if too_big:
            return self._failed(message, too_big, f"lỗi, không gửi — {too_big}", notice)
        if self.server_down:
            return self._later(message, self.server_down, tried=False)
        return self._send(message, body, notice)

    def _send(self, message: Message, body: bytes, notice: FailureNotice | None) -> tuple[str, str]:
        attempts = self.config.mail.retries
        for attempt in range(attempts):
            self.ledger.mark(message.id, "sending", self.now, attempt="sending")
            failpoint("before_send")
            try:
                reply = self.transport(
                    body,
                    sender=self.config.mail.sender,
                    recipients=[message.recipient],
                    mail=self.config.mail,
                    password=self.password(),
                )
            except PermanentMailFailure as failure:
                return self._failed(message, _reply(failure), f"lỗi, không gửi lại tự động — {failure.detail}", notice)
            except MailFailure as failure:
                if attempt + 1 < attempts:
                    self.ledger.mark(message.id, "retry", self.now, reply=_reply(failure), attempt="transient")
                    wait = self.config.mail.retry_delay * 2**attempt
                    self.progress(
                        f"{failure.detail} Thử lại sau {vn_num(wait, 0)} giây (lần {attempt + 2}/{attempts})…"
                    )
                    self.sleep(wait)
                    continue
                if failure.stage in (CONNECT, TLS) and failure.reply is None:
                    # Unreachable (refused, timed out, no such host), not a reply about this message.
                    self.server_down = failure.detail
                    self.progress(f"{failure.detail} Các thư còn lại của lần chạy này sẽ gửi ở lần chạy sau.")
                return self._later(message, failure.detail, tried=True, reply=_reply(failure))
            failpoint("after_accept")
            self.ledger.mark(message.id, "sent", self.now, reply=str(reply), attempt="accepted")
            return "sent", f"đã gửi; máy chủ trả lời: {reply}"
        raise AssertionError("unreachable: the loop returns on its last attempt")  # pragma: no cover

    def _too_old(self, message: Message, config: Config) -> tuple[str, str] | None:
        """The catch-up rule, for every message whenever it was queued: no flood of old mail after an outage."""
        if not message.due_at:
            return None
        limit = timedelta(days=config.schedule.catch_up_days)
        due = datetime.fromisoformat(message.due_at)
        if self.now <= due + limit:
            return None
        late = (self.now - due).days
        if message.kind in REPORT_KINDS:
            reason = (
                f"quá hạn {late} ngày (quá {config.schedule.catch_up_days} ngày của catch_up_days) nên không tự "
                f"gửi; gửi bằng tay: reportgen send {message.period}"
                + (f" --unit {message.unit}" if message.unit else "")
            )
            self.ledger.expire(message.id, self.now, "held", reason)
            return "held", f"giữ lại, chưa gửi — {reason}"
        reason = f"quá hạn {late} ngày (quá {config.schedule.catch_up_days} ngày của catch_up_days): không còn cần gửi"
        self.ledger.expire(message.id, self.now, "expired", reason)
        return "expired", f"bỏ, không gửi — {reason}"

    def _failed(self, message: Message, reply: str, text: str, notice: FailureNotice | None) -> tuple[str, str]:
        def also(db: sqlite3.Connection) -> None:
            if notice is not None:
                notice(db, message, reply)
            failpoint("failure_recorded")

        self.ledger.mark(message.id, "failed", self.now, reply=reply, attempt="permanent", also=also)
        return "failed", text

    def _over_size_limit(self, body: bytes) -> str:
        """Checked when sending, against the limit in force now, so raising the limit and running
        “reportgen send --retry-failed” sends the message.  The whole message counts (the
        attachments as encoded, which is what a server's size limit measures)."""
        size_mb = len(body) / (1024 * 1024)
        limit = self.config.mail.max_attachment_mb
        if size_mb <= limit:
            return ""
        return (
            f"thư nặng {vn_num(size_mb, 1)} MB (cả tệp đính kèm), vượt giới hạn {vn_num(limit, 1)} MB "
            "(khóa max_attachment_mb trong mục [mail])"
        )

    def _later(self, message: Message, detail: str, *, tried: bool, reply: str | None = None) -> tuple[str, str]:
        tries = self.ledger.message(message.id).attempts
        wait = min(LATER_RETRY * 2 ** max(tries - 1, 0), MAX_LATER_RETRY)
        retry_at = self.now + wait
        self.ledger.mark(
            message.id,
            "retry",
            self.now,
            reply=reply or detail,
            attempt="transient" if tried else "skipped",
            next_attempt=retry_at,
        )
        if not tried:
            return "retry", (
                f"chưa gửi: máy chủ thư không kết nối được trong lần chạy này; sẽ thử lại từ {moment(retry_at)}"
            )
        return "retry", f"lỗi tạm thời ({detail}); sẽ thử lại từ {moment(retry_at)}"

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
