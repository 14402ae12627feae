"""``reportgen run``: the one command the daily schedule calls.

One run, under the run lock, with the ledger:

1. what a killed earlier process left half-written is swept away;
2. every file in inputs/ is accounted for: a workbook named by period that is new or
   changed (by SHA-256) is checked and, if valid, generated (files published only
   after their read-back check), then — in one transaction — the input, the report
   and its messages are recorded; an invalid one, or any other file, is recorded with
   what to do and a notice to staff;
3. before the due day, a missing workbook earns staff one reminder; after it, one
   overdue notice;
4. every message whose time has come is delivered (:mod:`reportgen.run.mailing`) — a
   report's own as soon as it is recorded, while the workers build the next ones, the
   rest (reminders, notices, retries) after the last;
5. a receipt says what happened and what still needs doing.

Running it again changes nothing: the ledger knows every input, report and
message.  The clock is an argument (``--now``), so schedules are tested by
walking a simulated year.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportgen.core.errors import ExitStatus
from reportgen.core.files import atomic_write_text, sweep_temporaries
from reportgen.delivery.ledger import Ledger
from reportgen.delivery.lock import run_lock
from reportgen.delivery.receipt import RunLog
from reportgen.run.batch import build_all
from reportgen.run.issue_publishing import settle_held_issues
from reportgen.run.mailing import Deliverer, note_pending
from reportgen.run.unit_job import UnitJob
from reportgen.settings.workspace import Workspace

LOCK_NAME = ".reportgen.lock"
RECEIPTS = "receipts"
RECEIPT_WRITERS = 8
"""Threads writing the copies of a receipt (each mostly waits for the disk)."""


def _silent(_text: str) -> None:
    return None


@dataclass(frozen=True)
class RunOptions:
    now: datetime
    wait: float = 60.0
    """Seconds a second run waits for the first before giving up."""
    sleep: Callable[[float], None] = time.sleep
    """Waits between retries within the run (tests pass a no-op)."""
    jobs: int = 1
    """Worker processes building reports (``--jobs``; the CLI defaults to the number of cores)."""
    progress: Callable[[str], None] = _silent
    """Told, in Vietnamese, what the run is doing while it works (a terminal shows it; a schedule does not)."""


@dataclass(frozen=True)
class RunResult:
    status: ExitStatus
    receipt: str
    receipt_files: tuple[Path, ...]


def run(workspace: Workspace, options: RunOptions) -> RunResult:
    """Process new and changed workbooks of every unit, send what is due, and write the receipt."""
    workspace.require_folder()
    with run_lock(workspace.root / LOCK_NAME, wait=options.wait), Ledger(workspace.ledger) as ledger:
        settled = sweep(workspace, ledger)
        log = RunLog(options.now, workspace.root)
        log.reports.extend(settled)
        jobs = unit_jobs(workspace, ledger, options.now, log)
        run_id = ledger.start_run(options.now)
        for job in jobs.values():
            job.report_dropped()
        tasks = [task for job in jobs.values() for task in job.new_inputs()]
        mail = Deliverer(workspace, ledger, options.now, log, jobs, sleep=options.sleep, progress=options.progress)
        if tasks:
            options.progress(f"Lập {len(tasks)} báo cáo…")
        workspaces = {unit: job.ws for unit, job in jobs.items()}
        for number, outcome in enumerate(build_all(tasks, options.jobs, workspaces), 1):
            jobs[outcome.task.unit].record(outcome)
            options.progress(
                f"Đã xử lý {number}/{len(tasks)}: {jobs[outcome.task.unit].shown(Path(outcome.task.workbook))}"
            )
            # Sent (or written to the outbox) now: the waits on the disk and the mail server overlap the
            # building of the next reports instead of following the last one with idle cores.
            mail.deliver_due(passes=1)
        for job in jobs.values():
            job.remind()
        mail.deliver_due()
        result = finish(workspace, ledger, run_id, log)
        append_run_log(workspace, log, result.receipt_files)
        return result


def unit_jobs(workspace: Workspace, ledger: Ledger, now: datetime, log: RunLog) -> dict[str, UnitJob]:
    """One job per unit of the folder: its own ('') first, then [units.*] in order."""
    folders = frozenset(workspace.config.units)
    return {
        unit: UnitJob(workspace.for_unit(unit), ledger, now, log, folders if not unit else frozenset())
        for unit in workspace.units
    }


def sweep(workspace: Workspace, ledger: Ledger) -> list[str]:
    """Remove what killed processes left half-written in the working folder (outputs, the spool, inputs), and
    settle the files a killed ``issue`` held (published if the register holds them, removed if not); return
    what was settled, for the receipt."""
    spool = workspace.ledger.with_name(workspace.ledger.stem + ".spool")
    sweep_temporaries([workspace.shared_outputs, spool, workspace.inputs])
    return settle_held_issues(workspace, ledger)


def finish(workspace: Workspace, ledger: Ledger, run_id: int, log: RunLog) -> RunResult:
    """What every run (and every ``reportgen send``) ends with: what still waits, the spool tidied, the receipt."""
    note_pending(ledger, log, log.now)
    ledger.tidy_spool()
    files = write_receipts(workspace, log)
    receipt = log.render()
    ledger.finish_run(run_id, log.now, int(log.status), receipt)
    return RunResult(log.status, receipt, files)


RUN_LOG = "nhat-ky-chay.txt"
"""One line per run, quiet runs included, in outputs/receipts/: the proof that the schedule runs (a
Windows scheduled task keeps no output of its own)."""


def append_run_log(workspace: Workspace, log: RunLog, files: tuple[Path, ...]) -> None:
    folder = workspace.shared_outputs / RECEIPTS
    folder.mkdir(parents=True, exist_ok=True)
    what = (
        "không có việc mới"
        if log.quiet
        else (
            f"{len(log.inputs)} tệp, {len(log.reports)} báo cáo, {len(log.deliveries)} thư, "
            f"{len(log.todo)} việc còn lại; biên nhận {files[0].name if files else '-'}"
        )
    )
    line = f"{log.now.isoformat(timespec='seconds')}  mã thoát {int(log.status)}  {what}\n"
    with open(folder / RUN_LOG, "a", encoding="utf-8") as handle:  # appending a line is atomic enough
        handle.write(line)


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
