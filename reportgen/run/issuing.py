"""``reportgen issue PERIOD``: the văn thư numbers, dates, signs, registers and sends an approved report.

In order, and nothing recorded before the end (Decree 30/2020, Art. 13–18):

1. the latest revision of the period, approved by its signer (or approved here, ``--approve-as``, when the
   signer issues it), its files as recorded;
2. the date (today, or ``--date``: not before the approval, in the register's year) and the number (the
   register's next, or ``--number`` when it is free);
3. the recorded workbook read again (it must be the one the revision was built from) and the document
   re-rendered with the number and the date — and, for a correction of an issued report, a line saying which
   report it replaces — so the unsigned issued PDF is reproducible from the workbook;
4. signed (the signer's key, then the office's), in staged files: a wrong PIN, an absent token or an expired
   certificate leaves no file behind and no number taken;
5. the files held (whole, hidden, not yet output), then in one transaction: the approval (``--approve-as``),
   the register's entry with each file's SHA-256, the mail to [mail] to;
6. the held files moved into place — a process killed before that is settled by the next command's sweep
   (:mod:`reportgen.run.issue_publishing`);
7. the mail sent now, or left queued for the next run when the server is down.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reportgen.core.errors import ExitStatus, InputError, UsageError
from reportgen.core.failpoints import failpoint
from reportgen.core.files import Stage, publish_held, sha256_file
from reportgen.core.periods import Period
from reportgen.core.vnformat import short_date
from reportgen.delivery.composer import IssuedMail
from reportgen.delivery.ledger import Ledger, ReportRecord
from reportgen.delivery.ledger_issuance import IssuedRecord
from reportgen.delivery.lock import run_lock
from reportgen.delivery.receipt import RunLog
from reportgen.document.model import Document, DocumentTitle, SignatureBlock
from reportgen.domain.assess import assess
from reportgen.domain.headline import assessment_options
from reportgen.issuance import Secrets, SignatureMade, SignedInfo, SignerLines, SignSettings, sign_pdf
from reportgen.issuance.numbering import document_number, held_number, issue_date
from reportgen.issuance.signing_errors import IssueRefused
from reportgen.report.generate import GenerateOptions, build, write_formats
from reportgen.run.approving import approver, content_hash, revision_to_issue
from reportgen.run.daily import LOCK_NAME, RunResult, finish, sweep, unit_jobs
from reportgen.run.mailing import Deliverer
from reportgen.run.unit_job import UnitJob
from reportgen.settings.workspace import Workspace
from reportgen.workbook.read.read_settings import read_settings
from reportgen.workbook.read.reader import read_workbook


@dataclass(frozen=True)
class IssueOptions:
    now: datetime
    number: int | None = None
    on: date | None = None
    approve_as: str | None = None
    secrets: Secrets | Callable[[], Secrets] | None = None
    """The PIN or passphrase; a callable is asked only once every check has passed (a terminal prompt need
    not be answered for a report that cannot be issued)."""
    wait: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    progress: Callable[[str], None] = lambda _text: None


@dataclass(frozen=True)
class Issued:
    unit: str
    period_code: str
    number: int
    symbol: str
    """Number and symbol: "01/BC-UBND"."""
    on: date
    pdf: Path
    """The signed PDF (what the recipients get)."""
    docx: Path
    signatures: tuple[SignatureMade, ...]
    run: RunResult | None
    """The sending, with its receipt."""
    replaces: str | None
    """The issued document this one replaces: "01/BC-UBND ngày 20/6/2023"."""
    unsigned_pdf: Path | None = None
    """The issued document before signing (reproducible from the workbook)."""


def issued_names(period_code: str, revision: int, number: int, year: int) -> dict[str, str]:
    """bao-cao-2023-06-lan-2-so-01-2023.pdf (signed), …-chua-ky.pdf (unsigned), .docx: a revision's issue never
    overwrites another's files."""
    stem = f"bao-cao-{period_code}-lan-{revision}-so-{number:02d}-{year}"
    return {"pdf": f"{stem}.pdf", "pdf_unsigned": f"{stem}-chua-ky.pdf", "docx": f"{stem}.docx"}


def issue_report(workspace: Workspace, period: Period, unit: str, options: IssueOptions) -> Issued:
    """Issue the approved latest revision of ``unit``'s report of ``period`` (see the module's steps)."""
    workspace.require_folder()
    unit_workspace = workspace.for_unit(unit)
    now = options.now
    with run_lock(workspace.root / LOCK_NAME, wait=options.wait), Ledger(workspace.ledger) as ledger:
        settled = sweep(workspace, ledger)
        record = revision_to_issue(ledger, unit_workspace, period)
        approval = ledger.approval_of(record.id, content_hash(record))
        approve_as = approver(options.approve_as, "--approve-as") if options.approve_as is not None else None
        if approval is None and approve_as is None:
            raise IssueRefused(
                f"Bản {record.revision} của báo cáo {period.label_with_year} chưa được duyệt: người ký duyệt bằng "
                f'“reportgen approve {period.code}{_unit_option(unit)} --by "Họ tên"”, rồi ban hành; hoặc, khi '
                f'chính người ký ban hành, thêm --approve-as "Họ tên" để duyệt và ban hành một lần.'
            )
        approved_on = datetime.fromisoformat(approval.approved_at).date() if approval else now.date()
        on = issue_date(options.on, now.date(), approved_on)
        config = unit_workspace.config
        number = document_number(ledger, unit, on.year, options.number, config.unit.doc_symbol)
        settings = SignSettings.from_config(config.sign, workspace.root, config.source or None)
        secrets = options.secrets() if callable(options.secrets) else options.secrets
        if secrets is None:
            raise UsageError("Cần mã PIN hoặc mật khẩu khóa ký số để ký (nhập khi được hỏi, hoặc --pin-env TÊN_BIẾN).")
        previous = ledger.latest_issued(unit, period.code)
        replaces = f"{previous.number_symbol} ngày {short_date(previous.date)}" if previous else None
        document = _issued_document(ledger, unit_workspace, record, number, on, replaces, now)
        out_dir = workspace.root / record.out_dir
        names = issued_names(period.code, record.revision, number, on.year)
        files = {fmt: out_dir / name for fmt, name in names.items()}
        options.progress(f"Ký số báo cáo số {number:02d}/{config.unit.doc_symbol}…")
        with Stage() as stage:
            staged = {fmt: stage.path_for(path) for fmt, path in files.items()}
            write_formats(document, {"docx": staged["docx"], "pdf": staged["pdf_unsigned"]})
            block = next(b for b in document.blocks() if isinstance(b, SignatureBlock))
            # Signed at the real time (the certificates must be valid then), whatever date the document bears.
            signed = sign_pdf(staged["pdf_unsigned"], staged["pdf"], settings, secrets, SignerLines.of(block))
            held = stage.hold()
        # Held, not yet output: the register takes the number and the files together, then they go into place.
        # A kill before the commit leaves held files no entry owns; after it, held files the register owns:
        # the next command's sweep removes the first and publishes the second (run/issue_publishing.py).
        failpoint("issue_held")
        try:
            issued = _record(
                ledger,
                unit_workspace,
                record,
                document,
                block,
                {fmt: held[path] for fmt, path in files.items()},
                files,
                signed,
                number,
                on,
                previous,
                now,
                approval.id if approval else None,
                approve_as,
            )
        except BaseException:
            for path in held.values():  # never a signed file that the register does not hold
                path.unlink(missing_ok=True)
            raise
        failpoint("issue_registered")
        publish_held(held)
        result = _deliver(workspace, ledger, options, issued, files, signed, settled)
    return Issued(
        unit,
        period.code,
        number,
        issued.number_symbol,
        on,
        files["pdf"],
        files["docx"],
        signed.signatures,
        result,
        replaces,
        files["pdf_unsigned"],
    )


def _unit_option(unit: str) -> str:
    return f" --unit {unit}" if unit else ""


def _issued_document(
    ledger: Ledger,
    workspace: Workspace,
    record: ReportRecord,
    number: int,
    on: date,
    replaces: str | None,
    now: datetime,
) -> Document:
    """The revision's document with its number and date, built again from the workbook it was built from."""
    row = next(r for r in ledger.inputs(record.unit) if r["id"] == record.input_id)
    path = Path(row["path"]) if Path(row["path"]).is_absolute() else workspace.root / row["path"]
    if not path.is_file() or sha256_file(path) != row["sha256"]:
        raise IssueRefused(
            f"Tệp số liệu {row['path']} đã {'bị xóa hoặc chuyển đi' if not path.is_file() else 'thay đổi'} từ khi "
            f"lập bản {record.revision}: bản ban hành phải lập từ đúng số liệu đã duyệt. Chạy “reportgen run” để lập "
            "dự thảo mới từ tệp hiện có, duyệt lại rồi ban hành."
        )
    read = read_workbook(path, read_settings(workspace.config, today=now.date()))
    if not read.ok or read.report is None:
        raise InputError(read.issues, row["path"])
    info = dataclasses.replace(read.report.info, doc_number=str(number), issue_date=on)
    report = dataclasses.replace(read.report, info=info)
    result = assess(report, assessment_options(workspace.config))
    options = GenerateOptions(replaces=f"Báo cáo số {replaces}" if replaces else "")
    return build(report, result, workspace, options)


def _record(
    ledger: Ledger,
    workspace: Workspace,
    record: ReportRecord,
    document: Document,
    block: SignatureBlock,
    held: dict[str, Path],
    files: dict[str, Path],
    signed: SignedInfo,
    number: int,
    on: date,
    previous: IssuedRecord | None,
    now: datetime,
    approval_id: int | None,
    approve_as: str | None,
) -> IssuedRecord:
    """The approval (``--approve-as``), the register's entry and the mail, in one transaction.  ``held``: the
    files as they are now (read for their hashes and the mail's attachments); ``files``: where they will be."""
    config = workspace.config
    title = next(b for b in document.blocks() if isinstance(b, DocumentTitle))
    shown = {fmt: path.relative_to(workspace.root).as_posix() for fmt, path in files.items()}
    try:
        with ledger.transaction() as db:
            if approval_id is None:
                approval_id = ledger.record_approval(
                    db,
                    report_id=record.id,
                    unit=record.unit,
                    period=record.period,
                    revision=record.revision,
                    content_hash=content_hash(record),
                    by=approve_as or "",
                    now=now,
                ).id
            issued = ledger.record_issue(
                db,
                unit=record.unit,
                number=number,
                symbol=config.unit.doc_symbol,
                on=on,
                period=record.period,
                report_id=record.id,
                approval_id=approval_id,
                replaces=previous.id if previous else None,
                summary=" ".join(title.summary),
                signer=block.name,
                recipients=tuple(line.lstrip("- ").rstrip(";.") for line in block.recipients),
                copies=len(block.recipients),
                notes=(
                    f"Thay thế Báo cáo số {previous.number_symbol} ngày {short_date(previous.date)}" if previous else ""
                ),
                files={
                    fmt: {"path": shown[fmt], "sha256": signed.sha256 if fmt == "pdf" else sha256_file(path)}
                    for fmt, path in held.items()
                },
                signatures=[
                    {"role": s.role, "signer": s.signer, "issuer": s.issuer, "level": s.level}
                    for s in signed.signatures
                ],
                now=now,
            )
            _queue_mail(db, ledger, workspace, record, issued, held, now)
            ledger.supersede(db, record.id, now)  # a draft still waiting for its due day is of no use now
    except sqlite3.IntegrityError:
        taken = ledger.issued_with_number(record.unit, on.year, number)
        if taken is None:
            raise
        raise IssueRefused(held_number(taken, ledger.next_number(record.unit, on.year))) from None
    return issued


def _queue_mail(
    db: sqlite3.Connection,
    ledger: Ledger,
    workspace: Workspace,
    record: ReportRecord,
    issued: IssuedRecord,
    files: dict[str, Path],
    now: datetime,
) -> None:
    job = UnitJob(workspace, ledger, now, RunLog(now, workspace.root))
    period = Period.parse(record.period)
    recipients = [""] if job.composer.outbox_only else list(workspace.config.mail.to)
    replaced = ledger.issued(issued.replaces) if issued.replaces else None
    mail = IssuedMail(
        issued.number_symbol,
        issued.date,
        f"{replaced.number_symbol} ngày {short_date(replaced.date)}" if replaced else "",
    )
    for recipient in recipients:
        message = job.composer.report(
            report_id=record.id,
            period=period,
            recipient=recipient,
            pdf=files["pdf"],
            docx=files["docx"],
            replaces_sent_on=None,
            summary="",
            key=f"issued:{issued.id}",
            issued=mail,
        )
        job.queue(db, message, period=record.period, report_id=record.id, due=now)


def _deliver(
    workspace: Workspace,
    ledger: Ledger,
    options: IssueOptions,
    issued: IssuedRecord,
    files: dict[str, Path],
    signed: SignedInfo,
    settled: list[str],
) -> RunResult:
    """Send the issued report's mail now (with a receipt, like every sending)."""
    log = RunLog(options.now, workspace.root)
    log.reports.extend(settled)
    unit = f"[{issued.unit}] " if issued.unit else ""
    log.reports.append(
        f"{unit}Ban hành Báo cáo số {issued.number_symbol} ngày {short_date(issued.date)} "
        f"({Period.parse(issued.period).label_with_year}): "
        + ", ".join(path.relative_to(workspace.root).as_posix() for path in files.values())
        + "; "
        + "; ".join(f"ký số: {s.signer} ({s.level})" for s in signed.signatures)
    )
    for note in signed.notes:
        log.todo.append(f"{unit}{note}")
    if not workspace.config.mail.to and workspace.config.mail.configured:
        log.todo.append(f"{unit}Chưa khai báo người nhận ([mail] to): báo cáo đã ban hành nhưng chưa gửi ai.")
    log.periods.add(f"{issued.unit}/{issued.period}" if issued.unit else issued.period)
    jobs = unit_jobs(workspace, ledger, options.now, log)
    run_id = ledger.start_run(options.now)
    Deliverer(workspace, ledger, options.now, log, jobs, sleep=options.sleep, progress=options.progress).deliver_due()
    if ExitStatus.DELIVERY in log.problems:  # the exit status says "not all sent"; the issue itself is done
        log.todo.append(
            f"{unit}Báo cáo số {issued.number_symbol} đã ban hành và vào sổ; thư gửi người nhận đang chờ trong hàng "
            "đợi vì chưa gửi được: lần “reportgen run” sau tự gửi tiếp (hoặc “reportgen send --retry-failed” khi "
            "máy chủ thư đã chạy lại). Không ban hành lại."
        )
    return finish(workspace, ledger, run_id, log)
