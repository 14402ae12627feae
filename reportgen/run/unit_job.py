"""One unit's part of a run: what is in its inputs/, the reports built from it and their mail, its reminders.

A run makes one :class:`UnitJob` per unit of the working folder (the folder's own, then each of
``[units.*]``); they share the run's ledger and receipt.  Everything a job records goes into the ledger
one transaction per fact (an input and its report and its messages together), so a run killed at any
point leaves the ledger consistent and the next run carries on.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path

from reportgen.core.errors import ExitStatus
from reportgen.core.failpoints import failpoint
from reportgen.core.files import sha256_file
from reportgen.core.periods import Period
from reportgen.delivery.composer import Composer, Outgoing
from reportgen.delivery.due_dates import due_at
from reportgen.delivery.inbox import Dropped, Inbox, scan
from reportgen.delivery.ledger import Ledger, ReportRecord
from reportgen.delivery.receipt import RunLog
from reportgen.run.batch import BuildOutcome, BuildTask
from reportgen.run.unit_drafts import UnitDrafts
from reportgen.run.unit_reminders import UnitReminders
from reportgen.settings.limits import limits_from_config
from reportgen.settings.workspace import Workspace

CONTENT_FORMATS = ("pdf", "docx")
"""What a report's content is: the documents recipients read (the figures files also name the workbook's
checksum, which changes with every save)."""


class UnitJob(UnitDrafts, UnitReminders):
    """One unit's part of a run: its workspace (merged configuration, inputs, outputs), its composer,
    and the run's shared ledger and receipt."""

    def __init__(
        self,
        workspace: Workspace,
        ledger: Ledger,
        now: datetime,
        log: RunLog,
        unit_folders: frozenset[str] = frozenset(),
    ) -> None:
        self.ws, self.ledger, self.now, self.log = workspace, ledger, now, log
        self.unit = workspace.unit
        self.config = workspace.config
        self.composer = Composer(self.config, workspace.templates, now, ledger.instance)
        self.prefix = f"[{self.unit}] " if self.unit else ""
        self._unit_folders = unit_folders
        self._root = workspace.root.resolve()
        """Resolved once: a dozen paths per report are shown relative to it."""

    # ------------------------------------------------------------ inputs ----
    @cached_property
    def inbox(self) -> Inbox:
        """What is in this unit's inputs/ folder (the shared unit's holds the unit folders too)."""
        return scan(self.ws.inputs, limits_from_config(self.config), self._unit_folders)

    def new_inputs(self) -> list[BuildTask]:
        """Workbooks of this unit not yet in the ledger (new, or changed since: another SHA-256), each with
        the revision number its files will carry."""
        tasks = []
        config_path = str(self.ws.config_path) if self.ws.config_path else None
        for period, path in self.inbox.workbooks:
            sha = sha256_file(path)
            if not self.ledger.input_seen(self.unit, self.shown(path), sha):
                tasks.append(
                    BuildTask(
                        str(self.ws.root),
                        config_path,
                        self.unit,
                        str(path),
                        sha,
                        self.next_revision(period),
                        self.now.date().isoformat(),
                        self.config.issue.approval,
                    )
                )
        return tasks

    def next_revision(self, period: Period) -> int:
        """The ledger's next revision of ``period``.  Files of that number already on disk are the output of a
        run killed before it recorded them: a report's mail is queued in the very transaction that records it,
        so a file the ledger does not know was never sent, and is rebuilt in place."""
        latest = self.ledger.latest_report(self.unit, period.code)
        return (latest.revision if latest else 0) + 1

    def report_dropped(self) -> None:
        """Every file in inputs/ that is not processed is named once per content, with what to do."""
        for dropped in self.inbox.dropped:
            shown = self.shown(dropped.path)
            sha = _fingerprint(dropped.path)
            if self.ledger.input_seen(self.unit, shown, sha):
                continue
            with self.ledger.transaction() as db:
                self.ledger.record_input(
                    db,
                    unit=self.unit,
                    path=shown,
                    sha256=sha,
                    period=dropped.period.code if dropped.period else None,
                    valid=False,
                    errors=1,
                    summary=dropped.message,
                    now=self.now,
                )
                if self.staff_reachable():
                    self.queue(
                        db,
                        self.composer.invalid_input(workbook=shown, sha256=sha, errors=[dropped.message]),
                        period=dropped.period.code if dropped.period else None,
                    )
            self.log.problem(ExitStatus.INVALID_INPUT)
            self.log.inputs.append(f"{self.prefix}{shown}: không xử lý — {dropped.problem}")
            self.log.todo.append(f"{self.prefix}{shown}: {dropped.fix}")

    def record(self, outcome: BuildOutcome) -> None:
        """Record one build outcome: the input, the report and its messages, or the failure."""
        path, sha = Path(outcome.task.workbook), outcome.task.sha256
        shown = self.shown(path)
        if outcome.kind == "invalid":
            self._invalid(path, shown, sha, list(outcome.errors))
            return
        if outcome.kind != "built" or outcome.period is None:  # a built outcome always has its period
            self.log.problem(ExitStatus.RENDER)
            self.log.inputs.append(
                f"{self.prefix}{shown} (SHA-256 {sha}): không lập được báo cáo — "
                f"{outcome.errors[0] if outcome.errors else outcome.kind}"
            )
            self.log.todo.append(
                f"{self.prefix}Kiểm tra rồi chạy lại “reportgen run” ({shown}); "
                "nếu lỗi lặp lại, chạy “reportgen --debug generate " + shown + "”."
            )
            return
        failpoint("after_generation")
        period = Period.parse(outcome.period)
        latest = self.ledger.latest_report(self.unit, period.code)
        if latest is not None and _same_content(latest, outcome):
            self._unchanged(shown, sha, period, latest, outcome)
            return
        files = {fmt: self.shown(Path(p)) for fmt, p in outcome.files.items()}  # each path resolved once
        record = self._record(period, shown, sha, outcome, files)
        failpoint("after_queue")
        self.log.periods.add(self.folder(period.code))
        self.log.inputs.append(
            f"{self.prefix}{shown} (SHA-256 {sha}), kỳ {period.label_with_year}: "
            f"hợp lệ, đã lập báo cáo lần {record.revision}"
            + (" (bản sửa đổi)" if record.revision > 1 and record.replaces else "")
        )
        pages = f", {outcome.pdf_pages} trang" if outcome.pdf_pages else ""
        self.log.reports.append(f"{self.prefix}{period.label_with_year}: " + ", ".join(files.values()) + pages)
        self._warnings(shown, outcome)
        if outcome.sample:
            self.log.todo.append(
                f"{self.prefix}{shown} là DỮ LIỆU MẪU (sheet Thông tin có dòng “Dữ liệu mẫu”): báo cáo lập từ tệp "
                "này chỉ gửi cho cán bộ ([mail] staff), không bao giờ gửi cho người nhận. Xem xong thì xóa tệp khỏi "
                "inputs/; nếu đây là số liệu thật, xóa dòng “Dữ liệu mẫu” trong sheet Thông tin rồi lưu lại."
            )

    def _warnings(self, shown: str, outcome: BuildOutcome) -> None:
        """What ``check`` would warn about (a figure missing, a stale year in reportgen.toml, a signer's lines
        corrected): a scheduled run is the only thing some offices read."""
        if outcome.warnings:
            self.log.todo.append(
                f"{self.prefix}Xem lại {shown} ({len(outcome.warnings)} cảnh báo; báo cáo vẫn lập): "
                + " | ".join(outcome.warnings)
            )

    def _unchanged(self, shown: str, sha: str, period: Period, latest: ReportRecord, outcome: BuildOutcome) -> None:
        """Saved again without a change of content (opened and saved, re-saved by another program): the
        input is recorded, nothing is rebuilt or sent; the files just written are not a revision."""
        for path in outcome.files.values():
            Path(path).unlink(missing_ok=True)
        with self.ledger.transaction() as db:
            self.ledger.record_input(
                db,
                unit=self.unit,
                path=shown,
                sha256=sha,
                period=period.code,
                valid=True,
                errors=0,
                summary=f"không đổi so với lần {latest.revision}",
                now=self.now,
            )
        self.log.inputs.append(
            f"{self.prefix}{shown} (SHA-256 {sha}), kỳ {period.label_with_year}: hợp lệ; nội dung "
            f"báo cáo không đổi so với lần {latest.revision} (tệp chỉ được lưu lại), nên không "
            "lập bản mới và không gửi lại"
        )

    def _invalid(self, path: Path, shown: str, sha: str, errors: list[str]) -> None:
        period = _period_of(path)
        with self.ledger.transaction() as db:
            self.ledger.record_input(
                db,
                unit=self.unit,
                path=shown,
                sha256=sha,
                period=period,
                valid=False,
                errors=len(errors),
                summary="\n".join(errors[:20]),
                now=self.now,
            )
            if self.staff_reachable():
                notice = self.composer.invalid_input(workbook=shown, sha256=sha, errors=errors[:30])
                self.queue(db, notice, period=period)
        self.log.problem(ExitStatus.INVALID_INPUT)
        self.log.inputs.append(f"{self.prefix}{shown} (SHA-256 {sha}): có {len(errors)} lỗi, không lập báo cáo")
        self.log.todo.append(f"{self.prefix}Sửa {shown}: chạy “reportgen check {shown}” để xem từng lỗi.")

    def _record(
        self, period: Period, shown: str, sha: str, outcome: BuildOutcome, shown_files: dict[str, str]
    ) -> ReportRecord:
        files = {fmt: {"path": path, "sha256": outcome.hashes[fmt]} for fmt, path in shown_files.items()}
        out_dir = self.shown(Path(next(iter(outcome.files.values()))).parent)
        with self.ledger.transaction() as db:
            input_id = self.ledger.record_input(
                db,
                unit=self.unit,
                path=shown,
                sha256=sha,
                period=period.code,
                valid=True,
                errors=0,
                summary="",
                now=self.now,
            )
            record = self.ledger.record_report(
                db,
                unit=self.unit,
                period=period.code,
                input_id=input_id,
                out_dir=out_dir,
                files=files,
                pdf_pages=outcome.pdf_pages,
                now=self.now,
                revision=outcome.task.revision,
                sample=outcome.sample,
            )
            replaces_on = self._withdraw_previous(db, record)
            self._queue_report(db, record, period, outcome, replaces_on)
        return record

    def _withdraw_previous(self, db: sqlite3.Connection, record: ReportRecord):
        """The earlier revision: withdraw what it has not delivered; say when it went out, if it did."""
        if record.replaces is None:
            return None
        earlier = self.ledger.messages_of_report(record.replaces)
        delivered = [m for m in earlier if m.status in ("sent", "written", "sending")]
        self.ledger.supersede(db, record.replaces, self.now)
        dates = sorted((m.sent_at or m.updated_at) for m in delivered)
        return datetime.fromisoformat(dates[0]).date() if dates else None

    def _queue_report(
        self, db: sqlite3.Connection, record: ReportRecord, period: Period, outcome: BuildOutcome, replaces_on
    ) -> None:
        if not outcome.sample:  # sample data is never approved nor issued
            self.approval_notes(db, record, period)
        recipients = self.report_recipients(outcome.sample)
        draft = self.config.issue.approval and not outcome.sample
        if not recipients:
            self.log.todo.append(
                f"{self.prefix}Chưa khai báo người duyệt dự thảo ([issue] review_to hoặc [mail] staff trong "
                "reportgen.toml)."
                if draft
                else f"{self.prefix}Chưa khai báo người nhận báo cáo ([mail] to, hoặc mail_to "
                "của đơn vị, trong reportgen.toml)."
                if not outcome.sample
                else f"{self.prefix}Báo cáo {period.label_with_year} lập từ dữ liệu mẫu nên không gửi ai "
                "(chưa khai báo [mail] staff)."
            )
            return
        status, not_before = self._report_timing(period, replaces_on)
        summary = outcome.summary.removeprefix("Tổng hợp: ")
        docx = Path(outcome.files["docx"]) if "docx" in outcome.files else None
        for recipient in recipients:
            message = self.composer.report(
                report_id=record.id,
                period=period,
                recipient=recipient,
                pdf=Path(outcome.files["pdf"]),
                docx=docx,
                replaces_sent_on=replaces_on,
                summary=summary,
                sample=outcome.sample,
                draft=draft,
                approve_command=self.approve_command(period) if draft else "",
            )
            self.queue(
                db,
                message,
                period=period.code,
                report_id=record.id,
                not_before=not_before,
                status=status,
                due=due_at(period, self.config.schedule),
            )

    def _report_timing(self, period: Period, replaces_on) -> tuple[str, datetime | None]:
        due = due_at(period, self.config.schedule)
        if replaces_on and self.config.delivery.resend_corrected == "hold":
            return "held", None
        if self.now > due + timedelta(days=self.config.schedule.catch_up_days):
            return "held", None  # far past its due date: never a flood of old reports; sent by hand
        return "queued", due if self.now < due else None

    def queue(
        self,
        db: sqlite3.Connection,
        message: Outgoing,
        *,
        period: str | None,
        report_id: int | None = None,
        not_before: datetime | None = None,
        status: str = "queued",
        due: datetime | None = None,
    ) -> int | None:
        """Queue a composed message in the ledger, inside the caller's transaction (None: already there)."""
        return self.ledger.queue_message(
            db,
            kind=message.kind,
            key=message.key,
            recipient=message.recipient,
            message_id=message.message_id,
            subject=message.subject,
            body=message.body,
            now=self.now,
            unit=self.unit,
            period=period,
            report_id=report_id,
            not_before=not_before,
            status=status,
            due_at=due,
        )

    def staff_reachable(self) -> bool:
        return bool(self.config.mail.staff) or self.composer.outbox_only

    # ------------------------------------------------------------ naming ----
    def folder(self, period_code: str) -> str:
        """The output folder of a period, relative to outputs/: '2023-06' or 'hoanh-mo/2023-06'."""
        return f"{self.unit}/{period_code}" if self.unit else period_code

    def shown(self, path: Path) -> str:
        try:
            return Path(path).resolve().relative_to(self._root).as_posix()
        except ValueError:
            return str(path)


def _same_content(latest: ReportRecord, outcome: BuildOutcome) -> bool:
    shared = [fmt for fmt in CONTENT_FORMATS if fmt in latest.files and fmt in outcome.hashes]
    return bool(shared) and all(latest.files[fmt]["sha256"] == outcome.hashes[fmt] for fmt in shared)


def _fingerprint(path: Path) -> str:
    """A file's SHA-256; for a folder, a digest of its entries' names (a folder reported again when its
    content changes)."""
    if path.is_dir():
        names = sorted(p.name for p in path.iterdir())
        return hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()
    return sha256_file(path)


def _period_of(path: Path) -> str | None:
    try:
        return Period.parse(path.stem).code
    except ValueError:
        return None


__all__ = ["CONTENT_FORMATS", "Dropped", "UnitJob"]
