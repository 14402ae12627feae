"""``reportgen run``: the one command the daily schedule calls.

One run, under the run lock, with the ledger:

1. every workbook in inputs/ that is new or changed (by SHA-256) is checked; a
   valid one is generated (files published only after their read-back check),
   then — in one transaction — the input, the report and its messages are
   recorded; an invalid one is recorded with a notice to staff;
2. before the due day, a missing workbook earns staff one reminder; after it, one
   overdue notice;
3. every message whose time has come is delivered (:mod:`reportgen.deliver`) —
   a report's own as soon as it is recorded, while the workers build the next
   ones, the rest (reminders, notices, retries) after the last;
4. a receipt says what happened and what still needs doing.

Running it again changes nothing: the ledger knows every input, report and
message.  The clock is an argument (``--now``), so schedules are tested by
walking a simulated year.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Callable

from .deliver import Delivery
from .errors import ConfigError, ExitStatus
from .failpoints import failpoint
from .fsutil import atomic_write_text, sha256_file
from .building import BuildOutcome, BuildTask, build_all
from .ledger import Ledger, ReportRecord
from .lock import run_lock
from .mail.transport import resolve_password
from .outgoing import Composer
from .periods import Period
from .receipt import RunLog
from .schedule import current_period, due_at, reminder_from
from .vnformat import moment
from .workspace import Workspace
from .newbook import input_workbooks

LOCK_NAME = ".reportgen.lock"
RECEIPTS = "receipts"
RECEIPT_WRITERS = 8
"""Threads writing the copies of a receipt (each mostly waits for the disk)."""


@dataclass(frozen=True)
class RunOptions:
    now: datetime
    wait: float = 60.0
    """Seconds a second run waits for the first before giving up."""
    sleep: Callable[[float], None] = time.sleep
    """Waits between retries within the run (tests pass a no-op)."""
    jobs: int = 1
    """Worker processes building reports (``--jobs``; the CLI defaults to the number of cores)."""


@dataclass(frozen=True)
class RunResult:
    status: ExitStatus
    receipt: str
    receipt_files: tuple[Path, ...]


def run(workspace: Workspace, options: RunOptions) -> RunResult:
    """Process new and changed workbooks of every unit, send what is due, and write the receipt."""
    with run_lock(workspace.root / LOCK_NAME, wait=options.wait), Ledger(workspace.ledger) as ledger:
        log = RunLog(options.now, workspace.root)
        jobs = {unit: Job(workspace.for_unit(unit), ledger, options, log) for unit in workspace.units}
        run_id = ledger.start_run(options.now)
        tasks = [task for job in jobs.values() for task in job.new_inputs()]
        workspaces = {unit: job.ws for unit, job in jobs.items()}
        mail = Deliverer(workspace, ledger, options, log, jobs)
        for outcome in build_all(tasks, options.jobs, workspaces):
            jobs[outcome.task.unit].record(outcome)
            # Sent (or written to the outbox) now: the waits on the disk and the mail server overlap the
            # building of the next reports instead of following the last one with idle cores.
            mail.deliver_due(passes=1)
        for job in jobs.values():
            job.remind()
        mail.deliver_due()
        note_pending(ledger, log, options.now)
        ledger.tidy_spool()
        files = write_receipts(workspace, log)
        receipt = log.render()
        ledger.finish_run(run_id, options.now, int(log.status), receipt)
        append_run_log(workspace, log, files)
        return RunResult(log.status, receipt, files)


RUN_LOG = "nhat-ky-chay.txt"
"""One line per run, quiet runs included, in outputs/receipts/: the proof that the schedule runs (a
Windows scheduled task keeps no output of its own)."""


def append_run_log(workspace: Workspace, log: RunLog, files: tuple[Path, ...]) -> None:
    folder = workspace.shared_outputs / RECEIPTS
    folder.mkdir(parents=True, exist_ok=True)
    what = "không có việc mới" if log.quiet else (
        f"{len(log.inputs)} tệp, {len(log.reports)} báo cáo, {len(log.deliveries)} thư, "
        f"{len(log.todo)} việc còn lại; biên nhận {files[0].name if files else '-'}")
    line = f"{log.now.isoformat(timespec='seconds')}  mã thoát {int(log.status)}  {what}\n"
    with open(folder / RUN_LOG, "a", encoding="utf-8") as handle:  # appending a line is atomic enough
        handle.write(line)


class Job:
    """One unit's part of a run: its workspace (merged configuration, inputs, outputs), its composer,
    and the shared ledger and log."""

    def __init__(self, workspace: Workspace, ledger: Ledger, options: RunOptions, log: RunLog | None = None) -> None:
        self.ws, self.ledger, self.options = workspace, ledger, options
        self.unit = workspace.unit
        self.now = options.now
        self.config = workspace.config
        self.log = log or RunLog(self.now, workspace.root)
        self.composer = Composer(self.config, workspace.templates, self.now)
        self.prefix = f"[{self.unit}] " if self.unit else ""

    # ------------------------------------------------------------ inputs ----
    def new_inputs(self) -> list[BuildTask]:
        """Workbooks of this unit not yet in the ledger (new, or changed since: another SHA-256)."""
        tasks = []
        for _, path in input_workbooks(self.ws.inputs):
            sha = sha256_file(path)
            if not self.ledger.input_seen(self.unit, self.shown(path), sha):
                config_path = str(self.ws.config_path) if self.ws.config_path else None
                tasks.append(BuildTask(str(self.ws.root), config_path, self.unit, str(path), sha))
        return tasks

    def record(self, outcome: BuildOutcome) -> None:
        """Record one build outcome: the input, the report and its messages, or the failure."""
        path, sha = Path(outcome.task.workbook), outcome.task.sha256
        shown = self.shown(path)
        if outcome.kind == "invalid":
            self._invalid(path, shown, sha, list(outcome.errors))
            return
        if outcome.kind != "built":
            self.log.problem(ExitStatus.RENDER)
            self.log.inputs.append(f"{self.prefix}{shown} (SHA-256 {sha}): không lập được báo cáo — "
                                   f"{outcome.errors[0] if outcome.errors else outcome.kind}")
            self.log.todo.append(f"{self.prefix}Kiểm tra rồi chạy lại «reportgen run» ({shown}); "
                                 "nếu lỗi lặp lại, chạy «reportgen --debug generate " + shown + "».")
            return
        failpoint("after_generation")
        period = Period.parse(outcome.period)
        record = self._record(period, shown, sha, outcome)
        failpoint("after_queue")
        self.log.periods.add(self.folder(period.code))
        self.log.inputs.append(f"{self.prefix}{shown} (SHA-256 {sha}), kỳ {period.label_with_year}: "
                               f"hợp lệ, đã lập báo cáo lần {record.revision}"
                               + (" (bản sửa đổi)" if record.revision > 1 else ""))
        pages = f", {outcome.pdf_pages} trang" if outcome.pdf_pages else ""
        self.log.reports.append(f"{self.prefix}{period.label_with_year}: "
                                + ", ".join(self.shown(Path(p)) for p in outcome.files.values()) + pages)

    def _invalid(self, path: Path, shown: str, sha: str, errors: list[str]) -> None:
        period = _period_of(path)
        with self.ledger.transaction() as db:
            self.ledger.record_input(db, unit=self.unit, path=shown, sha256=sha, period=period, valid=False,
                                     errors=len(errors), summary="\n".join(errors[:20]), now=self.now)
            if self.staff_reachable():
                notice = self.composer.invalid_input(workbook=shown, sha256=sha, errors=errors[:30])
                self.queue(db, notice, period=period)
        self.log.problem(ExitStatus.INVALID_INPUT)
        self.log.inputs.append(f"{self.prefix}{shown} (SHA-256 {sha}): có {len(errors)} lỗi, không lập báo cáo")
        self.log.todo.append(f"{self.prefix}Sửa {shown}: chạy «reportgen check {shown}» để xem từng lỗi.")

    def _record(self, period: Period, shown: str, sha: str, outcome: BuildOutcome) -> ReportRecord:
        files = {fmt: {"path": self.shown(Path(p)), "sha256": outcome.hashes[fmt]} for fmt, p in outcome.files.items()}
        out_dir = self.shown(Path(next(iter(outcome.files.values()))).parent)
        with self.ledger.transaction() as db:
            input_id = self.ledger.record_input(db, unit=self.unit, path=shown, sha256=sha, period=period.code,
                                                valid=True, errors=0, summary="", now=self.now)
            record = self.ledger.record_report(db, unit=self.unit, period=period.code, input_id=input_id,
                                               out_dir=out_dir, files=files, pdf_pages=outcome.pdf_pages,
                                               now=self.now)
            replaces_on = self._withdraw_previous(db, record)
            self._queue_report(db, record, period, outcome, replaces_on)
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

    def _queue_report(self, db, record: ReportRecord, period: Period, outcome: BuildOutcome, replaces_on) -> None:
        recipients = list(self.config.mail.to) or ([""] if self.composer.outbox_only else [])
        if not recipients:
            self.log.todo.append(f"{self.prefix}Chưa khai báo người nhận báo cáo ([mail] to, hoặc mail_to "
                                 "của đơn vị, trong reportgen.toml).")
            return
        status, not_before = self._report_timing(period, replaces_on)
        summary = outcome.summary.removeprefix("Tổng hợp: ")
        docx = Path(outcome.files["docx"]) if "docx" in outcome.files else None
        for recipient in recipients:
            message = self.composer.report(report_id=record.id, period=period, recipient=recipient,
                                           pdf=Path(outcome.files["pdf"]), docx=docx,
                                           replaces_sent_on=replaces_on, summary=summary)
            self.queue(db, message, period=period.code, report_id=record.id, not_before=not_before, status=status)

    def _report_timing(self, period: Period, replaces_on) -> tuple[str, datetime | None]:
        due = due_at(period, self.config.schedule)
        if replaces_on and self.config.delivery.resend_corrected == "hold":
            return "held", None
        if self.now > due + timedelta(days=self.config.schedule.catch_up_days):
            return "held", None  # far past its due date: never a flood of old reports; sent by hand
        return "queued", due if self.now < due else None

    def queue(self, db, message, *, period: str | None, report_id: int | None = None,
              not_before: datetime | None = None, status: str = "queued") -> int | None:
        """Queue a composed message in the ledger, inside the caller's transaction (None: already there)."""
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
                self.log.todo.append(f"{self.prefix}Chưa có {self._expected(period)} (hạn {moment(due)}): "
                                     f"chạy «reportgen new {period.code}» rồi nhập số liệu.")

    def _overdue(self, period: Period, due: datetime) -> None:
        if self.now < due or self._has_input(period) or not self._expected_exists_or_recent(period):
            return
        self._notify(self.composer.overdue(unit_key=self.unit, period=period, due=due,
                                           workbook=self._expected(period)), period)
        self.log.todo.append(f"{self.prefix}Quá hạn: chưa có báo cáo {period.label_with_year} "
                             f"(hạn {moment(due)}); cần {self._expected(period)}.")

    def _expected_exists_or_recent(self, period: Period) -> bool:
        # Overdue notices only for periods the folder is actually reporting: the ledger has seen an
        # earlier workbook (a new folder is not told off for the months before it existed).
        return any(row["period"] and row["period"] < period.code for row in self.ledger.inputs(self.unit))

    def _notify(self, message, period: Period) -> None:
        if not self.staff_reachable():
            return
        with self.ledger.transaction() as db:
            self.queue(db, message, period=period.code)

    def staff_reachable(self) -> bool:
        return bool(self.config.mail.staff) or self.composer.outbox_only

    def _has_input(self, period: Period) -> bool:
        return self.ledger.has_valid_input(self.unit, period.code)

    def _expected(self, period: Period) -> str:
        return self.shown(self.ws.inputs / f"{period.code}.xlsx")

    def folder(self, period_code: str) -> str:
        """The output folder of a period, relative to outputs/: '2023-06' or 'hoanh-mo/2023-06'."""
        return f"{self.unit}/{period_code}" if self.unit else period_code

    def shown(self, path: Path) -> str:
        try:
            return Path(path).resolve().relative_to(self._root).as_posix()
        except ValueError:
            return str(path)

    @cached_property
    def _root(self) -> Path:
        """The working folder, resolved once: a dozen paths per report are shown relative to it."""
        return self.ws.root.resolve()


class Deliverer:
    """Delivers, for one run, every message whose time has come, whatever its unit (one mail server for
    the folder).  Called as often as the run likes: after a configuration error (no password, say) it
    stops trying for the rest of the run, which the receipt says once."""

    def __init__(self, workspace: Workspace, ledger: Ledger, options: RunOptions, log: RunLog,
                 jobs: dict[str, Job]) -> None:
        config = workspace.config
        self.delivery = Delivery(ledger, config, workspace.shared_outputs / "outbox", options.now,
                                 _password(config), sleep=options.sleep, shown=jobs[""].shown)
        self.ledger, self.now, self.log, self.jobs = ledger, options.now, log, jobs
        self.stopped = False

    def deliver_due(self, passes: int = 2) -> None:
        """``passes``: a second pass delivers the failure notices the first pass queued."""
        for _ in range(passes):
            due = [] if self.stopped else self.ledger.due_messages(self.now)
            if not due:
                return
            for message in due:
                if not _deliver_one(self.delivery, message, self.log, self.jobs.get(message.unit, self.jobs[""])):
                    self.stopped = True
                    return


def deliver_due(workspace: Workspace, ledger: Ledger, options: RunOptions, log: RunLog,
                jobs: dict[str, Job]) -> None:
    """Deliver every message whose time has come, whatever its unit (one mail server for the folder)."""
    Deliverer(workspace, ledger, options, log, jobs).deliver_due()


def _deliver_one(delivery: Delivery, message, log: RunLog, job: Job) -> bool:
    try:
        status, text = delivery.deliver(message)
    except ConfigError as exc:
        log.problem(ExitStatus.CONFIG)
        log.todo.append(str(exc))
        return False
    who = message.recipient or "(chưa có người nhận)"
    log.deliveries.append(f"{job.prefix}{who} — «{message.subject}»: {text}")
    if message.period and message.report_id is not None:  # a report's folder, not a notice's
        log.periods.add(job.folder(message.period))
    if status in ("retry", "failed"):
        log.problem(ExitStatus.DELIVERY)
    if status == "failed" and message.kind in ("report", "manual") and job.staff_reachable():
        final = job.ledger.message(message.id)
        notice = job.composer.send_failed(message_key=str(message.id), recipient=message.recipient,
                                          subject=message.subject, reply=final.last_reply)
        with job.ledger.transaction() as db:
            job.queue(db, notice, period=message.period)
    return True


def _password(config) -> Callable[[], str | None]:
    """The SMTP password, looked up once, only when a message is actually sent."""
    cache: list[str | None] = []

    def resolve() -> str | None:
        if not cache:
            cache.append(resolve_password(config.mail, config.source or "reportgen.toml"))
        return cache[0]

    return resolve


def note_pending(ledger: Ledger, log: RunLog, now: datetime, unit: str | None = None) -> None:
    """List what is still waiting; a message that should have gone out and has not keeps the run
    from counting as a success (user-pain.md item 1), even when this run tried nothing."""
    for message in ledger.messages(unit=unit, statuses=("queued", "held", "retry", "failed")):
        if message.status in ("retry", "failed"):
            log.problem(ExitStatus.DELIVERY)
        line = _pending_line(message, now)
        prefix = f"[{message.unit}] " if message.unit else ""
        if line and prefix + line not in log.todo:
            log.todo.append(prefix + line)


def write_receipts(workspace: Workspace, log: RunLog) -> tuple[Path, ...]:
    """Keep the receipt in outputs/receipts/ and next to the reports of every period it touched."""
    if log.quiet:
        return ()
    name = f"bien-nhan-{log.now:%Y%m%d-%H%M%S}.txt"
    text = log.render()
    outputs = workspace.shared_outputs
    folders = [outputs / RECEIPTS] + [outputs / folder for folder in sorted(log.periods)]
    if len(folders) <= 2:
        return tuple(atomic_write_text(folder / name, text) for folder in folders)
    # A run over many units touches a folder per unit: each copy waits for its own flush to the disk
    # (fsync), and those waits overlap in threads (201 copies: 0.17 s one after the other).
    with ThreadPoolExecutor(max_workers=RECEIPT_WRITERS) as writers:
        return tuple(writers.map(lambda folder: atomic_write_text(folder / name, text), folders))


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
