"""``reportgen send``: a test message, a push of what failed or waits, or one report by hand.

Each goes through the same ledger and delivery as ``reportgen run`` (under the
run lock), so a send by hand is recorded, retried and shown in ``reportgen
status`` like any other.  What is mailed is always a revision the ledger
recorded, checked against its recorded SHA-256: a file changed or replaced since
(a preview, an edit by hand) is never mailed in its place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportgen.core.errors import UsageError
from reportgen.core.files import sha256_file
from reportgen.core.periods import Period
from reportgen.core.vnformat import moment, short_date
from reportgen.delivery.composer import IssuedMail
from reportgen.delivery.ledger import Ledger, ReportRecord
from reportgen.delivery.lock import run_lock
from reportgen.delivery.mail.transport import ServerReply, resolve_password, send_test_message
from reportgen.delivery.receipt import RunLog
from reportgen.run.daily import LOCK_NAME, RunOptions, RunResult, finish, sweep, unit_jobs
from reportgen.run.mailing import Deliverer
from reportgen.run.unit_job import UnitJob
from reportgen.settings.workspace import Workspace


def send_test(workspace: Workspace, now: datetime, to: str | None = None) -> ServerReply:
    """Send a test message with the [mail] settings; raises a MailFailure naming what went wrong."""
    workspace.require_folder()
    mail = workspace.config.mail
    if not mail.configured:
        raise UsageError(
            "Chưa cấu hình máy chủ thư ([mail] host trong reportgen.toml); thư đang được ghi ra "
            "outputs/outbox/. Xem docs/delivery.md."
        )
    target = to or mail.staff or mail.sender
    password = resolve_password(mail, workspace.config.source or "reportgen.toml")
    return send_test_message(mail, password, target, now)


def retry_failed(workspace: Workspace, options: RunOptions, unit: str | None = None) -> tuple[int, RunResult]:
    """Put every refused message (of one unit, or all) back in the queue, make every message waiting for a
    retry due now (the server has been fixed), and deliver them."""
    workspace.require_folder()
    if unit:
        workspace.for_unit(unit)  # the "no such unit" message
    with run_lock(workspace.root / LOCK_NAME, wait=options.wait), Ledger(workspace.ledger) as ledger:
        settled = sweep(workspace, ledger)
        again = ledger.retry_failed(options.now, unit)
        return len(again), _deliver(workspace, ledger, options, settled)


def send_period(
    workspace: Workspace,
    period: Period,
    options: RunOptions,
    to: str | None = None,
    again: bool = False,
    unit: str = "",
) -> tuple[int, RunResult]:
    """Send the latest report of ``period`` now: to ``to`` only, or release it to its recipients (held, not
    yet due, or waiting for a retry)."""
    workspace.require_folder()
    unit_workspace = workspace.for_unit(unit)  # the "no such unit" message
    with run_lock(workspace.root / LOCK_NAME, wait=options.wait), Ledger(workspace.ledger) as ledger:
        settled = sweep(workspace, ledger)
        record = ledger.latest_report(unit, period.code)
        if record is None:
            where = f"inputs/{unit}/" if unit else "inputs/"
            raise UsageError(
                f"Chưa có báo cáo {period.label_with_year}: chạy “reportgen run” trước (tệp số liệu "
                f"{where}{period.code}.xlsx)."
            )
        job = UnitJob(unit_workspace, ledger, options.now, RunLog(options.now, workspace.root))
        _check_files(job, record)
        if to:
            count = _queue_manual(job, record, period, to, again)
        else:
            count = ledger.release([record.id], options.now)
            if count == 0:
                _nothing_waiting(ledger, record, period)
        return count, _deliver(workspace, ledger, options, settled)


def _check_files(job: UnitJob, record: ReportRecord) -> None:
    """The files to mail are those recorded for this revision (and, once issued, for its issued document), byte
    for byte."""
    issued = job.ledger.issued_of_report(record.id)
    for fmt, entry in [*record.files.items(), *(issued.files.items() if issued else ())]:
        if fmt not in ("pdf", "docx"):
            continue
        path = workspace_path(job.ws.root, entry["path"])
        if not path.is_file():
            raise UsageError(
                f"Không còn tệp {entry['path']} (bản {record.revision} của báo cáo {record.period}); "
                "không gửi. Thả lại tệp số liệu vào inputs/ để lập bản mới."
            )
        if sha256_file(path) != entry["sha256"]:
            raise UsageError(
                f"Tệp {entry['path']} đã bị thay đổi sau khi lập (SHA-256 khác với sổ theo dõi); "
                "không gửi bản đã bị sửa. Thả lại tệp số liệu đã sửa vào inputs/ để lập bản mới, "
                "rồi chạy “reportgen run”."
            )


def _queue_manual(job: UnitJob, record: ReportRecord, period: Period, to: str, again: bool) -> int:
    if record.sample and to != job.config.mail.staff:
        raise UsageError(
            f"Báo cáo {period.label_with_year} lập từ dữ liệu mẫu nên chỉ gửi được cho cán bộ "
            f"([mail] staff = {job.config.mail.staff or 'chưa khai báo'}), không gửi đến {to}. "
            "Nếu là số liệu thật, xóa dòng “Dữ liệu mẫu” trong sheet Thông tin rồi thả lại tệp."
        )
    key = str(record.id) if not again else f"{record.id}:{job.now.isoformat(timespec='seconds')}"
    earlier = job.ledger.find_message("manual", str(record.id), to) or job.ledger.find_message(
        "report", str(record.id), to
    )
    if earlier and earlier.status in ("sent", "written") and not again:
        raise UsageError(
            f"Báo cáo {period.label_with_year} đã gửi đến {to} lúc "
            f"{moment(datetime.fromisoformat(earlier.sent_at or earlier.updated_at))}. "
            "Thêm --again để gửi thêm một lần nữa."
        )
    # An issued revision goes as issued (the signed PDF, its number); one not issued yet, as the draft it is.
    issued = job.ledger.issued_of_report(record.id)
    files = issued.files if issued else record.files
    pdf = workspace_path(job.ws.root, files["pdf"]["path"])
    docx = workspace_path(job.ws.root, files["docx"]["path"]) if "docx" in files else None
    replaced = job.ledger.issued(issued.replaces) if issued and issued.replaces else None
    message = job.composer.report(
        report_id=record.id,
        period=period,
        recipient=to,
        pdf=pdf,
        docx=docx,
        replaces_sent_on=None,
        summary="",
        kind="manual",
        key=key,
        sample=record.sample,
        draft=issued is None and job.config.issue.approval and not record.sample,
        issued=IssuedMail(
            issued.number_symbol,
            issued.date,
            f"{replaced.number_symbol} ngày {short_date(replaced.date)}" if replaced else "",
        )
        if issued
        else None,
    )
    with job.ledger.transaction() as db:
        queued = job.queue(db, message, period=period.code, report_id=record.id)
    if queued is None:
        raise UsageError(f"Đã có một lần gửi tay báo cáo này đến {to}; xem “reportgen status”.")
    return 1


def _nothing_waiting(ledger: Ledger, record: ReportRecord, period: Period) -> None:
    """Nothing to release: say why, instead of a silent "0 messages"."""
    messages = ledger.messages_of_report(record.id)
    sent = [m for m in messages if m.status in ("sent", "written")]
    if sent:
        who = ", ".join(sorted({m.recipient or "(tệp .eml)" for m in sent}))
        raise UsageError(
            f"Báo cáo {period.label_with_year} (bản {record.revision}) đã gửi xong đến {who}; không có "
            "thư nào đang chờ. Để gửi thêm cho một địa chỉ: reportgen send "
            f"{period.code} --to ĐỊA_CHỈ --again."
        )
    if any(m.status == "failed" for m in messages):
        raise UsageError(
            f"Thư báo cáo {period.label_with_year} đã bị máy chủ từ chối; sửa nguyên nhân rồi chạy "
            "“reportgen send --retry-failed”."
        )
    raise UsageError(
        f"Báo cáo {period.label_with_year} (bản {record.revision}) không có thư nào chờ gửi (chưa khai báo "
        "người nhận?). Để gửi cho một địa chỉ: reportgen send " + period.code + " --to ĐỊA_CHỈ."
    )


def _deliver(workspace: Workspace, ledger: Ledger, options: RunOptions, settled: list[str]) -> RunResult:
    """``settled``: what the sweep completed of a killed issue (its files, now in place), for the receipt."""
    log = RunLog(options.now, workspace.root)
    log.reports.extend(settled)
    jobs = unit_jobs(workspace, ledger, options.now, log)
    run_id = ledger.start_run(options.now)
    Deliverer(workspace, ledger, options.now, log, jobs, sleep=options.sleep, progress=options.progress).deliver_due()
    return finish(workspace, ledger, run_id, log)


def workspace_path(root: Path, stored: str) -> Path:
    path = Path(stored)
    return path if path.is_absolute() else root / path


@dataclass(frozen=True)
class TestMail:
    to: str
    reply: str
    """The server's answer, as it gave it."""


@dataclass(frozen=True)
class Sending:
    queued: int
    """How many messages were queued (or put back) to go now."""
    run: RunResult
    """The run that sent them, with its receipt."""
