"""``reportgen approve PERIOD --by NAME``: the signer approves the draft (Decree 30/2020, Art. 11).

The approval names who and when, and is bound to one revision of the period's
report and to its content hash (the SHA-256 of its PDF as recorded when the
draft was built): a workbook changed afterwards makes a new revision, which
this approval does not cover.  What can be approved is also what can be issued:
:func:`revision_to_issue` states the checks both make.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportgen.core.errors import UsageError
from reportgen.core.files import sha256_file
from reportgen.core.periods import Period
from reportgen.core.vnformat import short_date
from reportgen.delivery.ledger import Ledger, ReportRecord
from reportgen.delivery.ledger_issuance import ApprovalRecord
from reportgen.delivery.lock import run_lock
from reportgen.issuance.signing_errors import IssueRefused
from reportgen.run.daily import LOCK_NAME
from reportgen.settings.workspace import Workspace


@dataclass(frozen=True)
class Approval:
    unit: str
    period_code: str
    revision: int
    content_hash: str
    """SHA-256 of the approved revision's PDF."""
    by: str
    at: datetime

    @classmethod
    def of(cls, record: ApprovalRecord) -> Approval:
        return cls(
            record.unit,
            record.period,
            record.revision,
            record.content_hash,
            record.approved_by,
            datetime.fromisoformat(record.approved_at),
        )


def approve_report(
    workspace: Workspace, period: Period, unit: str, by: str, now: datetime, wait: float = 60.0
) -> Approval:
    """Record that ``by`` approved the latest revision of ``unit``'s report of ``period``."""
    workspace.require_folder()
    unit_workspace = workspace.for_unit(unit)  # the "no such unit" message
    name = approver(by, "--by")
    with run_lock(workspace.root / LOCK_NAME, wait=wait), Ledger(workspace.ledger) as ledger:
        record = revision_to_issue(ledger, unit_workspace, period)
        known = ledger.approval_of(record.id, content_hash(record))
        if known is not None and known.approved_by == name:
            return Approval.of(known)  # approving twice changes nothing
        with ledger.transaction() as db:
            made = ledger.record_approval(
                db,
                report_id=record.id,
                unit=unit,
                period=period.code,
                revision=record.revision,
                content_hash=content_hash(record),
                by=name,
                now=now,
            )
        return Approval.of(made)


def approver(name: str | None, option: str) -> str:
    """The approver's name as given (spaces tidied); empty is refused."""
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise UsageError(f'Cần họ tên người duyệt (người ký báo cáo): {option} "Nguyễn Văn A".')
    return cleaned


def content_hash(record: ReportRecord) -> str:
    """What an approval is bound to: the SHA-256 of the revision's PDF (the draft the signer read)."""
    return record.files["pdf"]["sha256"]


def revision_to_issue(ledger: Ledger, workspace: Workspace, period: Period) -> ReportRecord:
    """The latest revision of the period's report, if it can be approved and issued: built from real figures,
    not yet issued, its files as recorded."""
    unit = workspace.unit
    record = ledger.latest_report(unit, period.code)
    where = f"inputs/{unit}/" if unit else "inputs/"
    if record is None:
        raise IssueRefused(
            f"Chưa có báo cáo {period.label_with_year}: đặt tệp số liệu {where}{period.code}.xlsx rồi chạy "
            "«reportgen run» để lập dự thảo."
        )
    if record.sample:
        raise IssueRefused(
            f"Báo cáo {period.label_with_year} (bản {record.revision}) lập từ DỮ LIỆU MẪU nên không duyệt, không ban "
            "hành được. Nhập số liệu thật (xóa dòng «Dữ liệu mẫu» trong sheet Thông tin), thả lại tệp vào "
            f"{where} rồi chạy «reportgen run»."
        )
    issued = ledger.issued_of_report(record.id)
    if issued is not None:
        raise IssueRefused(
            f"Bản {record.revision} của báo cáo {period.label_with_year} đã ban hành: Báo cáo số "
            f"{issued.number_symbol} ngày {short_date(issued.date)}. Để sửa sau khi ban hành, sửa tệp số liệu, thả "
            f"lại vào {where} và chạy «reportgen run»: bản mới là dự thảo, khi ban hành có số mới và ghi thay thế "
            f"Báo cáo số {issued.number_symbol}."
        )
    if "pdf" not in record.files:
        raise IssueRefused(
            f"Bản {record.revision} của báo cáo {period.label_with_year} không có tệp PDF; thả lại tệp số liệu vào "
            f"{where} rồi chạy «reportgen run»."
        )
    for entry in record.files.values():
        path = Path(entry["path"]) if Path(entry["path"]).is_absolute() else workspace.root / entry["path"]
        if not path.is_file() or sha256_file(path) != entry["sha256"]:
            raise IssueRefused(
                f"Tệp {entry['path']} (bản {record.revision} của báo cáo {period.label_with_year}) "
                f"{'không còn' if not path.is_file() else 'đã bị sửa sau khi lập'}: không duyệt, không ban hành "
                f"bản khác với bản đã lập. Thả lại tệp số liệu vào {where} rồi chạy «reportgen run» để lập lại."
            )
    return record
