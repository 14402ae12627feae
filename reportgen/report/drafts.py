"""The recorded revisions of a period's report, for reading on a screen: files, figures, document, changes.

A revision is what the daily job recorded in the ledger: its Word, PDF and
figures files under outputs/ and the workbook it was built from.  Reading one
back never writes anything.  Its files are given only when they lie inside
the working folder (a ledger row is data, and data is not trusted to name a
path).  Its document model is built again from the workbook in inputs/ only
while that workbook is still the one the revision was built from (the same
SHA-256): a corrected workbook dropped since belongs to the next revision,
and the older revision is read from its PDF instead.

What changed between two revisions is told figure by figure from their
figures files (the ``*_display`` value of each indicator, as the appendix
table prints it, and the status).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reportgen.core.errors import UsageError
from reportgen.core.files import sha256_file
from reportgen.delivery.ledger import Ledger, ReportRecord
from reportgen.delivery.ledger_issuance import IssuedRecord
from reportgen.document.model import Document
from reportgen.domain.assess import assess
from reportgen.domain.headline import assessment_options
from reportgen.report.generate import GenerateOptions, build
from reportgen.settings.workspace import Workspace
from reportgen.workbook.read.read_settings import read_settings
from reportgen.workbook.read.reader import read_workbook

COMPARED = (
    ("value", "Thực hiện"),
    ("plan_ratio", "% kế hoạch"),
    ("same_period_ratio", "% cùng kỳ"),
    ("growth", "Tăng trưởng (%)"),
    ("progress", "Tiến độ (%)"),
)
"""The figures a reader compares between two revisions, with their column names in the page."""


@dataclass(frozen=True)
class FigureChange:
    code: str
    name: str
    figure: str
    """The compared figure's name as the page shows it ("Thực hiện", "Trạng thái"…)."""
    before: str
    after: str


@dataclass(frozen=True)
class RevisionView:
    record: ReportRecord
    files: dict[str, Path]
    """Format (docx, pdf, json, xlsx; issued_pdf, the signed PDF, and issued_docx once issued) → the file, for those
    that exist inside the working folder."""
    figures: dict[str, Any]
    document: Document | None
    """The report's document model, or None when its workbook has changed since (``why_no_document``)."""
    why_no_document: str = ""
    revisions: tuple[int, ...] = ()
    """Every recorded revision of the period, oldest first."""
    issued: IssuedRecord | None = None
    """The document issued from this revision (its number, date, signed files), if it was."""
    compared_to: int | None = None
    changes: tuple[FigureChange, ...] = ()
    """What changed since revision ``compared_to``, figure by figure."""


def revisions(workspace: Workspace, period_code: str) -> list[ReportRecord]:
    """The recorded revisions of ``period_code`` for the workspace's unit, oldest first."""
    if not workspace.ledger.exists():
        return []
    with Ledger(workspace.ledger) as ledger:
        return [r for r in ledger.reports(workspace.unit) if r.period == period_code]


def revision_view(
    workspace: Workspace, period_code: str, revision: int | None = None, compare_to: int | None = None
) -> RevisionView:
    """One recorded revision (the latest without ``revision``) and its changes since ``compare_to`` (by default
    the revision before it; none for the first)."""
    every = revisions(workspace, period_code)
    records = [r for r in every if revision is None or r.revision == revision]
    if not records:
        which = f"lần lập thứ {revision} của " if revision is not None else ""
        unit = f" của đơn vị {workspace.unit}" if workspace.unit else ""
        raise UsageError(f"Chưa có {which}báo cáo kỳ {period_code}{unit}.")
    if compare_to is not None and compare_to not in {r.revision for r in every}:
        raise UsageError(f"Không có lần lập thứ {compare_to} của báo cáo kỳ {period_code} để so sánh.")
    record = records[-1]
    view = _view(workspace, record)
    numbers = tuple(r.revision for r in every)
    if compare_to is None:
        compare_to = max((n for n in numbers if n < record.revision), default=None)
    if compare_to is None or compare_to == record.revision:
        return replace(view, revisions=numbers)
    before = _view(workspace, next(r for r in every if r.revision == compare_to), document=False)
    changes = tuple(figure_changes(before.figures, view.figures))
    return replace(view, revisions=numbers, compared_to=compare_to, changes=changes)


def _view(workspace: Workspace, record: ReportRecord, document: bool = True) -> RevisionView:
    files = {fmt: path for fmt, entry in record.files.items() if (path := _inside(workspace, entry.get("path")))}
    figures_file = files.get("json") or _inside(workspace, f"{record.out_dir}/{_json_name(record)}")
    figures = json.loads(figures_file.read_text(encoding="utf-8")) if figures_file else {}
    if figures_file:
        files["json"] = figures_file
    xlsx = _inside(workspace, f"{record.out_dir}/{_json_name(record)[:-5]}.xlsx")
    if xlsx:
        files.setdefault("xlsx", xlsx)
    with Ledger(workspace.ledger) as ledger:
        issued = next((i for i in reversed(ledger.all_issued(workspace.unit)) if i.report_id == record.id), None)
    for fmt, entry in (issued.files if issued else {}).items():
        if fmt in ("pdf", "docx") and (path := _inside(workspace, entry.get("path"))):
            files[f"issued_{fmt}"] = path
    built, why = _document(workspace, record) if document else (None, "")
    return RevisionView(record, files, figures, built, why, issued=issued)


def figure_changes(before: dict[str, Any], after: dict[str, Any]) -> list[FigureChange]:
    """Every compared figure that differs between two figures files, in the later one's order."""
    old = {row["code"]: row for row in before.get("indicators", []) + before.get("projects", [])}
    changes = []
    for row in after.get("indicators", []) + after.get("projects", []):
        previous = old.pop(row["code"], None)
        if previous is None:
            changes.append(FigureChange(row["code"], row.get("name", ""), "Chỉ tiêu", "(chưa có)", "(mới thêm)"))
            continue
        for key, label in (*COMPARED, ("status", "Đánh giá")):
            was, now = _shown(previous, key), _shown(row, key)
            if was != now:
                changes.append(FigureChange(row["code"], row.get("name", ""), label, was, now))
    for code, row in old.items():
        changes.append(FigureChange(code, row.get("name", ""), "Chỉ tiêu", "(có)", "(đã bỏ)"))
    return changes


def _shown(row: dict[str, Any], key: str) -> str:
    value = row.get(f"{key}_display", row.get(key))
    return "" if value is None else str(value)


def _json_name(record: ReportRecord) -> str:
    return f"so-lieu-{record.period}-lan-{record.revision}.json"


def _inside(workspace: Workspace, shown: str | None) -> Path | None:
    """The ledger's path (relative to the working folder, or absolute) when it is a file inside the folder."""
    if not shown:
        return None
    root = workspace.root.resolve()
    path = (root / shown).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def _document(workspace: Workspace, record: ReportRecord) -> tuple[Document | None, str]:
    with Ledger(workspace.ledger) as ledger:
        source = next((row for row in ledger.inputs(workspace.unit) if row["id"] == record.input_id), None)
    workbook = _inside(workspace, source["path"]) if source is not None else None
    if source is None or workbook is None or sha256_file(workbook) != source["sha256"]:
        return None, (
            f"Tệp số liệu của lần lập thứ {record.revision} đã được thay bằng tệp khác; "
            "xem bản PDF hoặc Word của lần này (tải về ở trên)."
        )
    read = read_workbook(workbook, read_settings(workspace.config))
    if read.report is None or not read.ok:
        return None, f"Tệp {source['path']} không còn đọc được; xem bản PDF của lần này."
    result = assess(read.report, assessment_options(workspace.config))
    return build(read.report, result, workspace, GenerateOptions(revision=record.revision)), ""
