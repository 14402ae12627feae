"""Delivering, for one run (or one ``reportgen send``), every message whose time has come, whatever its
unit — one mail server serves the whole working folder — and saying in the receipt what happened and
what still waits.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from reportgen.core.errors import ConfigError, ExitStatus
from reportgen.core.vnformat import moment
from reportgen.delivery.dispatch import REPORT_KINDS, Delivery
from reportgen.delivery.ledger import Ledger, Message
from reportgen.delivery.mail.transport import resolve_password
from reportgen.delivery.receipt import RunLog
from reportgen.run.unit_job import UnitJob
from reportgen.settings.config import Config
from reportgen.settings.workspace import Workspace


class Deliverer:
    """Delivers every due message of the working folder.  Called as often as the run likes (after each
    report, then once at the end); after a configuration error (no password, say) it stops trying for the
    rest of the run, which the receipt says once."""

    def __init__(
        self,
        workspace: Workspace,
        ledger: Ledger,
        now: datetime,
        log: RunLog,
        jobs: dict[str, UnitJob],
        *,
        sleep: Callable[[float], None],
        progress: Callable[[str], None],
    ) -> None:
        config = workspace.config
        self.delivery = Delivery(
            ledger,
            config,
            workspace.shared_outputs / "outbox",
            now,
            _password(config),
            sleep=sleep,
            shown=jobs[""].shown,
            progress=progress,
        )
        self.ledger, self.now, self.log, self.jobs = ledger, now, log, jobs
        self.progress = progress
        self.stopped = False
        self.handed = 0

    def deliver_due(self, passes: int = 2) -> None:
        """``passes``: a second pass delivers the failure notices the first pass queued."""
        for _ in range(passes):
            due = [] if self.stopped else self.ledger.due_messages(self.now)
            if not due:
                return
            for number, message in enumerate(due, 1):
                if len(due) > 1:
                    who = message.recipient or "(thư mục outbox)"
                    self.progress(f"Gửi thư {number}/{len(due)} đến {who}…")
                if not self._deliver_one(message):
                    self.stopped = True
                    return

    def _deliver_one(self, message: Message) -> bool:
        job = self.jobs.get(message.unit, self.jobs[""])
        try:
            status, text = self.delivery.deliver(message, job.config, self._notice(job))
        except ConfigError as exc:
            self.log.problem(ExitStatus.CONFIG)
            self.log.todo.append(str(exc))
            return False
        who = message.recipient or "(chưa có người nhận)"
        self.log.deliveries.append(f"{job.prefix}{who} — “{message.subject}”: {text}")
        if message.period and message.report_id is not None:  # a report's folder, not a notice's
            self.log.periods.add(job.folder(message.period))
        if status in ("retry", "failed"):
            self.log.problem(ExitStatus.DELIVERY)
        return True

    @staticmethod
    def _notice(job: UnitJob):
        """How a refused report is announced to staff: queued in the very transaction that records the
        refusal, so that a run killed in between loses neither."""
        if not job.staff_reachable():
            return None

        def queue_notice(db: sqlite3.Connection, message: Message, reply: str) -> None:
            if message.kind not in REPORT_KINDS:
                return  # a refused reminder goes to staff's own address: a notice would be refused too
            notice = job.composer.send_failed(
                message_key=message.message_id, recipient=message.recipient, subject=message.subject, reply=reply
            )
            job.queue(db, notice, period=message.period)

        return queue_notice


def _password(config: Config) -> Callable[[], str | None]:
    """The SMTP password, looked up once, only when a message is actually sent."""
    cache: list[str | None] = []

    def resolve() -> str | None:
        if not cache:
            cache.append(resolve_password(config.mail, config.source or "reportgen.toml"))
        return cache[0]

    return resolve


def note_pending(ledger: Ledger, log: RunLog, now: datetime, unit: str | None = None) -> None:
    """List what is still waiting, each with its next try; a message that should have gone out and has not
    keeps the run from counting as a success, even when this run tried nothing."""
    for message in ledger.messages(unit=unit, statuses=("queued", "held", "retry", "failed")):
        if message.status in ("retry", "failed"):
            log.problem(ExitStatus.DELIVERY)
        line = pending_line(message, now)
        prefix = f"[{message.unit}] " if message.unit else ""
        if line and prefix + line not in log.todo:
            log.todo.append(prefix + line)


def pending_line(message: Message, now: datetime) -> str:
    """What one waiting message waits for, and what staff can do."""
    who = message.recipient or "(chưa có người nhận)"
    unit = f" --unit {message.unit}" if message.unit else ""
    if message.status == "queued" and message.not_before and message.not_before > now.isoformat():
        when = datetime.fromisoformat(message.not_before)
        return f"“{message.subject}” sẽ gửi đến {who} lúc {moment(when)} (hạn gửi)."
    if message.status == "held":
        return (
            f"“{message.subject}” đang giữ lại, chưa gửi đến {who}: chạy “reportgen send {message.period}{unit}” "
            "để gửi."
        )
    if message.status == "retry":
        since = f" từ {moment(datetime.fromisoformat(message.next_attempt))}" if message.next_attempt else ""
        return (
            f"“{message.subject}” chờ gửi lại đến {who}{since} (lỗi tạm thời: {message.last_reply}); "
            "khi máy chủ thư đã hoạt động, chạy “reportgen send --retry-failed” để gửi ngay."
        )
    if message.status == "failed":
        return (
            f"“{message.subject}” gửi đến {who} bị từ chối ({message.last_reply}): sửa rồi chạy "
            "“reportgen send --retry-failed”."
        )
    return ""


__all__ = ["Deliverer", "note_pending", "pending_line"]
