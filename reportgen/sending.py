"""``reportgen send``: a test message, a retry of what failed, or one report by hand.

Each goes through the same ledger and delivery as ``reportgen run`` (under the
run lock), so a send by hand is recorded, retried and shown in ``reportgen
status`` like any other.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .errors import UsageError
from .ledger import Ledger, stamp
from .lock import run_lock
from .mail.transport import ServerReply, resolve_password, send_test_message
from .periods import Period
from .receipt import RunLog
from .runner import LOCK_NAME, Job, RunOptions, RunResult, deliver_due, note_pending, write_receipts
from .workspace import Workspace


def send_test(workspace: Workspace, now: datetime, to: str | None = None) -> ServerReply:
    """Send a test message with the [mail] settings; raises a MailFailure naming what went wrong."""
    mail = workspace.config.mail
    if not mail.configured:
        raise UsageError("Chưa cấu hình máy chủ thư ([mail] host trong reportgen.toml); thư đang được ghi ra "
                         "outputs/outbox/. Xem docs/delivery.md.")
    target = to or mail.staff or mail.sender
    password = resolve_password(mail, workspace.config.source or "reportgen.toml")
    return send_test_message(mail, password, target, now)


def retry_failed(workspace: Workspace, options: RunOptions, unit: str | None = None) -> tuple[int, RunResult]:
    """Put every permanently failed message (of one unit, or all) back in the queue and deliver it now."""
    with run_lock(workspace.root / LOCK_NAME, wait=options.wait), Ledger(workspace.ledger) as ledger:
        again = ledger.retry_failed(options.now, unit)
        return len(again), _deliver(workspace, ledger, options, _jobs(workspace, ledger, options))


def send_period(workspace: Workspace, period: Period, options: RunOptions, to: str | None = None,
                again: bool = False, unit: str = "") -> tuple[int, RunResult]:
    """Send the latest report of ``period`` now: to ``to`` only, or release it to the configured recipients."""
    with run_lock(workspace.root / LOCK_NAME, wait=options.wait), Ledger(workspace.ledger) as ledger:
        jobs = _jobs(workspace, ledger, options)
        if unit not in jobs:
            workspace.for_unit(unit)  # raises the "no such unit" message
        record = ledger.latest_report(unit, period.code)
        if record is None:
            where = f"inputs/{unit}/" if unit else "inputs/"
            raise UsageError(f"Chưa có báo cáo {period.label_with_year}: chạy «reportgen run» "
                             f"(hoặc «reportgen generate {where}{period.code}.xlsx») trước.")
        job = jobs[unit]
        count = _queue_manual(job, record, period, to, again) if to else _release(ledger, record.id, options.now)
        return count, _deliver(workspace, ledger, options, jobs)


def _queue_manual(job: Job, record, period: Period, to: str, again: bool) -> int:
    key = str(record.id) if not again else f"{record.id}:{stamp(job.now)}"
    earlier = job.ledger.find_message("manual", str(record.id), to) or job.ledger.find_message("report",
                                                                                                str(record.id), to)
    if earlier and earlier.status in ("sent", "written") and not again:
        raise UsageError(f"Báo cáo {period.label_with_year} đã gửi đến {to} lúc {earlier.sent_at}. "
                         "Thêm --again để gửi thêm một lần nữa.")
    pdf = workspace_path(job.ws, record.files["pdf"]["path"])
    docx = workspace_path(job.ws, record.files["docx"]["path"]) if "docx" in record.files else None
    message = job.composer.report(report_id=record.id, period=period, recipient=to, pdf=pdf, docx=docx,
                                  replaces_sent_on=None, summary="", kind="manual", key=key)
    with job.ledger.transaction() as db:
        queued = job.queue(db, message, period=period.code, report_id=record.id)
    if queued is None:
        raise UsageError(f"Đã có một lần gửi tay báo cáo này đến {to}; xem «reportgen status».")
    return 1


def _release(ledger: Ledger, report_id: int, now: datetime) -> int:
    released = ledger.release_held(report_id, now)
    with ledger.transaction() as db:  # queued for a later due date: send it now
        released += db.execute("UPDATE messages SET not_before = NULL, updated_at = ? WHERE report_id = ?"
                               " AND status = 'queued' AND not_before IS NOT NULL", (stamp(now), report_id)).rowcount
    return released


def _jobs(workspace: Workspace, ledger: Ledger, options: RunOptions) -> dict[str, Job]:
    log = RunLog(options.now, workspace.root)
    return {unit: Job(workspace.for_unit(unit), ledger, options, log) for unit in workspace.units}


def _deliver(workspace: Workspace, ledger: Ledger, options: RunOptions, jobs: dict[str, Job]) -> RunResult:
    log = jobs[""].log
    run_id = ledger.start_run(options.now)
    deliver_due(workspace, ledger, options, log, jobs)
    note_pending(ledger, log, options.now)
    files = write_receipts(workspace, log)
    receipt = log.render()
    ledger.finish_run(run_id, options.now, int(log.status), receipt)
    return RunResult(log.status, receipt, files)


def workspace_path(workspace: Workspace, stored: str) -> Path:
    path = Path(stored)
    return path if path.is_absolute() else workspace.root / path
