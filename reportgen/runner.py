"""``reportgen run``: the one command the daily schedule calls.

One run, under the run lock, with the ledger:

1. every workbook in inputs/ that is new or changed (by SHA-256) is checked; a
   valid one is generated (files published only after their read-back check),
   then — in one transaction — the input, the report and its messages are
   recorded; an invalid one is recorded with a notice to staff;
2. before the due day, a missing workbook earns staff one reminder; after it, one
   overdue notice;
3. every message whose time has come is delivered (:mod:`reportgen.deliver`);
4. a receipt says what happened and what still needs doing.

Running it again changes nothing: the ledger knows every input, report and
message.  The clock is an argument (``--now``), so schedules are tested by
walking a simulated year.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

from .deliver import Delivery
from .errors import ConfigError, ExitStatus, RenderError
from .failpoints import failpoint
from .fsutil import atomic_write_text, sha256_file
from .generate import GenerateOptions, generate_from_report
from .issues import errors_in
from .ledger import Ledger, ReportRecord
from .lock import run_lock
from .mail.transport import resolve_password
from .outgoing import Composer
from .periods import Period
from .receipt import RunLog
from .schedule import current_period, due_at, reminder_from
from .check import summary_line
from .workbook.reader import read_workbook
from .vnformat import moment
from .workspace import Workspace
from .newbook import input_workbooks

LOCK_NAME = ".reportgen.lock"
RECEIPTS = "receipts"


@dataclass(frozen=True)
class RunOptions:
    now: datetime
    wait: float = 60.0
    """Seconds a second run waits for the first before giving up."""
    sleep: Callable[[float], None] = time.sleep
    """Waits between retries within the run (tests pass a no-op)."""


@dataclass(frozen=True)
class RunResult:
    status: ExitStatus
    receipt: str
    receipt_files: tuple[Path, ...]


def run(workspace: Workspace, options: RunOptions) -> RunResult:
    """Process new and changed workbooks, send what is due, and write the receipt."""
    with run_lock(workspace.root / LOCK_NAME, wait=options.wait), Ledger(workspace.ledger) as ledger:
        job = Job(workspace, ledger, options)
        run_id = ledger.start_run(options.now)
        job.process_inputs()
        job.remind()
        job.deliver_due()
        job.note_pending()
        files = job.write_receipts()
        receipt = job.log.render()
        ledger.finish_run(run_id, options.now, int(job.log.status), receipt)
        return RunResult(job.log.status, receipt, files)


class Job:
    """The state of one run: workspace, ledger, clock, composer, and the log the receipt is made from."""

    def __init__(self, workspace: Workspace, ledger: Ledger, options: RunOptions, unit: str = "") -> None:
        self.ws, self.ledger, self.options, self.unit = workspace, ledger, options, unit
        self.now = options.now
        self.config = workspace.config
        self.log = RunLog(self.now, workspace.root)
        self.composer = Composer(self.config, workspace.templates, self.now)

    # ------------------------------------------------------------ inputs ----
    def process_inputs(self) -> None:
        for _, path in input_workbooks(self.ws.inputs):
            self.process(path)

    def process(self, path: Path) -> None:
        sha = sha256_file(path)
        shown = self.shown(path)
        if self.ledger.input_seen(self.unit, shown, sha):
            return
        read = read_workbook(path)
        if not read.ok or read.report is None:
            self._invalid(path, shown, sha, [str(i) for i in errors_in(read.issues)])
            return
        report = read.report
        try:
            built = generate_from_report(report, self.ws, GenerateOptions())
        except RenderError as exc:
            self.log.problem(ExitStatus.RENDER)
            self.log.inputs.append(f"{shown} (SHA-256 {sha}): không lập được báo cáo — {exc}")
            self.log.todo.append(f"Kiểm tra mẫu văn bản rồi chạy lại «reportgen run» ({shown}).")
            return
        failpoint("after_generation")
        record = self._record(report.period, shown, sha, built)
        failpoint("after_queue")
        self.log.periods.add(report.period.code)
        self.log.inputs.append(f"{shown} (SHA-256 {sha}), kỳ {report.period.label_with_year}: "
                               f"hợp lệ, đã lập báo cáo lần {record.revision}"
                               + (" (bản sửa đổi)" if record.revision > 1 else ""))
        pages = f", {built.pdf_pages} trang" if built.pdf_pages else ""
        self.log.reports.append(f"{report.period.label_with_year}: "
                                + ", ".join(self.shown(p) for p in built.files.values()) + pages)

    def _invalid(self, path: Path, shown: str, sha: str, errors: list[str]) -> None:
        period = _period_of(path)
        with self.ledger.transaction() as db:
            self.ledger.record_input(db, unit=self.unit, path=shown, sha256=sha, period=period, valid=False,
                                     errors=len(errors), summary="\n".join(errors[:20]), now=self.now)
            if self._staff_reachable():
                notice = self.composer.invalid_input(workbook=shown, sha256=sha, errors=errors[:30])
                self._queue(db, notice, period=period)
        self.log.problem(ExitStatus.INVALID_INPUT)
        self.log.inputs.append(f"{shown} (SHA-256 {sha}): có {len(errors)} lỗi, không lập báo cáo")
        self.log.todo.append(f"Sửa {shown}: chạy «reportgen check {shown}» để xem từng lỗi.")

    def _record(self, period: Period, shown: str, sha: str, built) -> ReportRecord:
        files = {fmt: {"path": self.shown(p), "sha256": built.hashes[fmt]} for fmt, p in built.files.items()}
        with self.ledger.transaction() as db:
            input_id = self.ledger.record_input(db, unit=self.unit, path=shown, sha256=sha, period=period.code,
                                                valid=True, errors=0, summary="", now=self.now)
            record = self.ledger.record_report(db, unit=self.unit, period=period.code, input_id=input_id,
                                               out_dir=self.shown(built.out_dir), files=files,
                                               pdf_pages=built.pdf_pages, now=self.now)
            replaces_on = self._withdraw_previous(db, record)
            self._queue_report(db, record, period, built, replaces_on)
        return record

    def _withdraw_previous(self, db, record: ReportRecord):
        """The earlier revision: withdraw what it has not delivered; say when it went out, if it did."""
        if record.replaces is None:
            return None
        earlier = self.ledger.messages_of_report(record.replaces)
        delivered = [m for m in earlier if m.status in ("sent", "written", "sending")]
        self.ledger.supersede(db, record.replaces, self.now)
        dates = sorted((m.sent_at or m.updated_at) for m in delivered)
        return datetime.fromisoformat(dates[0]).date() if dates else None

    def _queue_report(self, db, record: ReportRecord, period: Period, built, replaces_on) -> None:
        recipients = list(self.config.mail.to) or ([""] if self.composer.outbox_only else [])
        if not recipients:
            self.log.todo.append("Chưa khai báo người nhận báo cáo ([mail] to trong reportgen.toml).")
            return
        status, not_before = self._report_timing(period, replaces_on)
        summary = summary_line(built.assessment).removeprefix("Tổng hợp: ")
        for recipient in recipients:
            message = self.composer.report(report_id=record.id, period=period, recipient=recipient,
                                           pdf=built.files["pdf"], docx=built.files.get("docx"),
                                           replaces_sent_on=replaces_on, summary=summary)
            self._queue(db, message, period=period.code, report_id=record.id, not_before=not_before, status=status)

    def _report_timing(self, period: Period, replaces_on) -> tuple[str, datetime | None]:
        due = due_at(period, self.config.schedule)
        if replaces_on and self.config.delivery.resend_corrected == "hold":
            return "held", None
        if self.now > due + timedelta(days=self.config.schedule.catch_up_days):
            return "held", None  # far past its due date: never a flood of old reports; sent by hand
        return "queued", due if self.now < due else None

    def _queue(self, db, message, *, period: str | None, report_id: int | None = None,
               not_before: datetime | None = None, status: str = "queued") -> int | None:
        return self.ledger.queue_message(
            db, kind=message.kind, key=message.key, recipient=message.recipient, message_id=message.message_id,
            subject=message.subject, body=message.body, now=self.now, unit=self.unit, period=period,
            report_id=report_id, not_before=not_before, status=status)

    # --------------------------------------------------------- reminders ----
    def remind(self) -> None:
        """One reminder before the due day if the month's workbook is missing; one notice after it."""
        period = current_period(self.now)
        due = due_at(period, self.config.schedule)
        if self.now >= due:
            self._overdue(period, due)
        else:
            previous = Period.month(period.year - (period.end_month == 1), (period.end_month - 2) % 12 + 1)
            self._overdue(previous, due_at(previous, self.config.schedule))
            if self.now >= reminder_from(period, self.config.schedule) and not self._has_input(period):
                self._notify(self.composer.reminder(unit_key=self.unit, period=period, due=due,
                                                    workbook=self._expected(period)), period)
                self.log.todo.append(f"Chưa có {self._expected(period)} (hạn {moment(due)}): "
                                     f"chạy «reportgen new {period.code}» rồi nhập số liệu.")

    def _overdue(self, period: Period, due: datetime) -> None:
        if self.now < due or self._has_input(period) or not self._expected_exists_or_recent(period):
            return
        self._notify(self.composer.overdue(unit_key=self.unit, period=period, due=due,
                                           workbook=self._expected(period)), period)
        self.log.todo.append(f"Quá hạn: chưa có báo cáo {period.label_with_year} "
                             f"(hạn {moment(due)}); cần {self._expected(period)}.")

    def _expected_exists_or_recent(self, period: Period) -> bool:
        # Overdue notices only for periods the folder is actually reporting: the ledger has seen an
        # earlier workbook (a new folder is not told off for the months before it existed).
        return any(row["period"] and row["period"] < period.code for row in self.ledger.inputs(self.unit))

    def _notify(self, message, period: Period) -> None:
        if not self._staff_reachable():
            return
        with self.ledger.transaction() as db:
            self._queue(db, message, period=period.code)

    def _staff_reachable(self) -> bool:
        return bool(self.config.mail.staff) or self.composer.outbox_only

    def _has_input(self, period: Period) -> bool:
        return self.ledger.has_valid_input(self.unit, period.code)

    def _expected(self, period: Period) -> str:
        return self.shown(self.ws.inputs / f"{period.code}.xlsx")

    # ---------------------------------------------------------- delivery ----
    def deliver_due(self) -> None:
        delivery = Delivery(self.ledger, self.config, self.ws.outputs / "outbox", self.now,
                            self._password(), sleep=self.options.sleep, shown=self.shown)
        for _ in range(2):  # a second pass delivers the failure notices the first pass queued
            due = self.ledger.due_messages(self.now)
            if not due:
                return
            for message in due:
                if not self._deliver_one(delivery, message):
                    return

    def _deliver_one(self, delivery: Delivery, message) -> bool:
        try:
            status, text = delivery.deliver(message)
        except ConfigError as exc:
            self.log.problem(ExitStatus.CONFIG)
            self.log.todo.append(str(exc))
            return False
        who = message.recipient or "(chưa có người nhận)"
        self.log.deliveries.append(f"{who} — «{message.subject}»: {text}")
        if message.period:
            self.log.periods.add(message.period)
        if status in ("retry", "failed"):
            self.log.problem(ExitStatus.DELIVERY)
        if status == "failed" and message.kind in ("report", "manual") and self._staff_reachable():
            final = self.ledger.message(message.id)
            notice = self.composer.send_failed(message_key=str(message.id), recipient=message.recipient,
                                               subject=message.subject, reply=final.last_reply)
            with self.ledger.transaction() as db:
                self._queue(db, notice, period=message.period)
        return True

    def _password(self) -> Callable[[], str | None]:
        cache: list[str | None] = []

        def resolve() -> str | None:
            if not cache:
                cache.append(resolve_password(self.config.mail, self.config.source or "reportgen.toml"))
            return cache[0]

        return resolve

    # ----------------------------------------------------------- receipt ----
    def note_pending(self) -> None:
        """List what is still waiting; a message that should have gone out and has not keeps the run
        from counting as a success (user-pain.md item 1), even when this run tried nothing."""
        for message in self.ledger.messages(unit=self.unit, statuses=("queued", "held", "retry", "failed")):
            if message.status in ("retry", "failed"):
                self.log.problem(ExitStatus.DELIVERY)
            line = _pending_line(message, self.now)
            if line and line not in self.log.todo:
                self.log.todo.append(line)

    def write_receipts(self) -> tuple[Path, ...]:
        if self.log.quiet:
            return ()
        name = f"bien-nhan-{self.now:%Y%m%d-%H%M%S}.txt"
        text = self.log.render()
        folders = [self.ws.outputs / RECEIPTS] + [self.ws.outputs / code for code in sorted(self.log.periods)]
        return tuple(atomic_write_text(folder / name, text) for folder in folders)

    def shown(self, path: Path) -> str:
        try:
            return Path(path).resolve().relative_to(self.ws.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def _period_of(path: Path) -> str | None:
    try:
        return Period.parse(path.stem).code
    except ValueError:
        return None


def _pending_line(message, now: datetime) -> str:
    who = message.recipient or "(chưa có người nhận)"
    if message.status == "queued" and message.not_before and message.not_before > now.isoformat():
        when = datetime.fromisoformat(message.not_before)
        return f"«{message.subject}» sẽ gửi đến {who} lúc {moment(when)} (hạn gửi)."
    if message.status == "held":
        return (f"«{message.subject}» đang giữ lại, chưa gửi đến {who}: chạy «reportgen send {message.period}» "
                "để gửi.")
    if message.status == "retry":
        return f"«{message.subject}» chờ gửi lại đến {who} (lỗi tạm thời: {message.last_reply})."
    if message.status == "failed":
        return (f"«{message.subject}» gửi đến {who} bị từ chối ({message.last_reply}): sửa rồi chạy "
                "«reportgen send --retry-failed».")
    return ""
