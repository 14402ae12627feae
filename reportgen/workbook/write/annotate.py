"""``reportgen check --annotate``: a copy of the workbook with every problem marked.

Each problem cell is filled (errors light red, warnings light yellow, the
colours Excel itself uses for bad and neutral cells) and carries a comment
with the message and the fix; a first sheet "Kết quả kiểm tra" lists every
problem with a link to its cell.  Staff open one file and see what to do,
where, and fix every problem in one pass.  The source file is never modified.  The copy
is what openpyxl can carry over: cells, styles, comments, validations; pictures
and charts of the original are not kept.
"""

from __future__ import annotations

import io
import warnings
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string, quote_sheetname
from openpyxl.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from reportgen.core.errors import InputError, UsageError
from reportgen.core.files import atomic_write_with
from reportgen.core.issues import Issue, Severity, error
from reportgen.workbook import schema
from reportgen.workbook.read.compact import compact
from reportgen.workbook.write.input_styles import (
    BOLD_FONT,
    DATA_TEXT,
    GRID,
    HEADER_ALIGN,
    HEADER_FILL,
    LINK_FONT,
    NOTE_FONT,
    TITLE_FONT,
    fit_row_height,
    set_print_setup,
)

SUMMARY_SHEET = schema.CHECK_RESULTS
COMMENT_AUTHOR = "reportgen"
ERROR_COLOR = "FFC7CE"
WARNING_COLOR = "FFEB9C"
NOTE_COLOR = "DDEBF7"
FILLS = {
    Severity.ERROR: PatternFill("solid", fgColor=ERROR_COLOR),
    Severity.WARNING: PatternFill("solid", fgColor=WARNING_COLOR),
    Severity.NOTE: PatternFill("solid", fgColor=NOTE_COLOR),
}
SUMMARY_HEADERS = ("Mức độ", "Sheet", "Ô", "Nội dung", "Giá trị đọc được", "Cách sửa")
SUMMARY_WIDTHS = (11.0, 14.0, 8.0, 60.0, 22.0, 50.0)
SUMMARY_HEADER_ROW = 3
UNSAFE_TO_OPEN = frozenset({"file.bomb", "file.too_big"})
"""File-level refusals of the reader's probe: opening such a file in full is what they protect against."""


def annotate_copy(source: Path | str, issues: Sequence[Issue], out: Path | str) -> Path:
    """Write a marked-up copy of ``source`` to ``out`` and return the path written.

    The copy is always an .xlsx without macros: an ``out`` ending in .xlsm is
    written as .xlsx instead, since a macro-free file with the .xlsm
    extension is refused by Excel.  Raises :class:`InputError` when the
    source cannot be opened as a workbook, :class:`UsageError` when ``out``
    is the source itself.
    """
    source = Path(source)
    target = Path(out)
    if target.suffix.lower() == ".xlsm":
        target = target.with_suffix(".xlsx")
    if target.resolve() == source.resolve():
        raise UsageError(f"Bản đánh dấu phải là tệp khác tệp gốc {source}; chọn tên khác, ví dụ kiem-tra.xlsx.")
    unsafe = [issue for issue in issues if issue.code in UNSAFE_TO_OPEN]
    if unsafe:  # the reader never unpacked it; neither may the copy
        raise InputError(unsafe, source)
    wb = _open(source)
    mark_cells(wb, issues)
    add_summary_sheet(wb, issues, source.name)
    return atomic_write_with(target, wb.save)


def _open(source: Path) -> Workbook:
    """Load the workbook (macros dropped), or raise InputError saying what to do."""
    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel extensions it drops; nothing staff could act on.
            warnings.simplefilter("ignore")
            # A file object: openpyxl then judges the content, not the name's extension.
            return load_workbook(io.BytesIO(compact(source.read_bytes())), keep_vba=False, rich_text=True)
    except Exception as exc:  # noqa: BLE001 - a corrupt file fails in many ways; all mean "cannot open"
        issue = error(
            "file.unreadable",
            f"Không mở được tệp để ghi bản đánh dấu ({type(exc).__name__}).",
            "Kiểm tra tệp là tệp Excel .xlsx hoặc .xlsm mở được bằng Excel; nếu là .xls, .ods hay .csv "
            "thì mở bằng Excel và “Lưu thành” Excel Workbook (.xlsx).",
            found=source.name,
        )
        raise InputError([issue], source) from exc


# ----------------------------------------------------------- cell marks ---


def mark_cells(wb: Workbook, issues: Sequence[Issue]) -> None:
    """Fill and comment every cell an issue points at; errors win over warnings on a shared cell.
    Notes (columns left out on purpose) are only listed on the summary sheet."""
    by_cell: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for issue in issues:
        where = issue_target(wb, issue) if issue.severity is not Severity.NOTE else None
        if where is not None:
            by_cell[where].append(issue)
    for (sheet, ref), found in by_cell.items():
        cell = wb[sheet][ref]
        worst = Severity.ERROR if any(i.is_error for i in found) else Severity.WARNING
        cell.fill = FILLS[worst]
        cell.comment = _comment(found, cell.comment)


def issue_target(wb: Workbook, issue: Issue) -> tuple[str, str] | None:
    """(sheet, A1 cell) to mark for ``issue``: its cell, else A1 of its sheet; None when its
    sheet is not in the workbook (a missing sheet) or it concerns the whole file."""
    if not issue.sheet or issue.sheet not in wb.sheetnames:
        return None
    ws = wb[issue.sheet]
    if not isinstance(ws, Worksheet):
        return None  # a chart sheet has no cells
    return issue.sheet, _merged_anchor(ws, _single_cell(issue.cell))


def _merged_anchor(ws: Worksheet, ref: str) -> str:
    """Inside a merged range only the top-left cell can hold a fill and a comment."""
    for merged in ws.merged_cells.ranges:
        if ref in merged:
            return f"{get_column_letter(merged.min_col)}{merged.min_row}"
    return ref


def _single_cell(ref: str | None) -> str:
    """'D14' → 'D14'; a range 'D14:F14' → its first cell; anything unreadable → 'A1'."""
    if not ref:
        return "A1"
    first = ref.split(":")[0].replace("$", "").strip().upper()
    try:
        coordinate_from_string(first)
    except (ValueError, TypeError):
        return "A1"
    return first


def _comment(issues: list[Issue], existing: Comment | None) -> Comment:
    parts = [_comment_text(i) for i in issues]
    if existing is not None and existing.author != COMMENT_AUTHOR:
        # Keep the staff's own note under ours rather than losing it.
        parts.append(f"(Ghi chú có sẵn) {existing.text}")
    text = "\n\n".join(parts)
    comment = Comment(text, COMMENT_AUTHOR)
    comment.width = 320
    comment.height = min(60 + 15 * (len(text) // 45 + text.count("\n")), 400)
    return comment


def _comment_text(issue: Issue) -> str:
    lines = [f"{issue.severity.value}: {issue.message}"]
    if issue.found is not None:
        lines.append(f"Giá trị đọc được: “{issue.found}”")
    if issue.hint:
        lines.append(f"Cách sửa: {issue.hint}")
    return "\n".join(lines)


# --------------------------------------------------------- summary sheet ---


def add_summary_sheet(wb: Workbook, issues: Sequence[Issue], source_name: str) -> Worksheet:
    """First sheet: a title, the counts, then one row per issue (errors first) with links."""
    if SUMMARY_SHEET in wb.sheetnames:
        del wb[SUMMARY_SHEET]  # annotating an annotated copy: one summary, the new one
    ws = wb.create_sheet(SUMMARY_SHEET, 0)
    for index, width in enumerate(SUMMARY_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.cell(1, 1, f"KẾT QUẢ KIỂM TRA TỆP {source_name}").font = TITLE_FONT
    ws.cell(2, 1, _counts_line(issues)).font = NOTE_FONT
    for column, header in enumerate(SUMMARY_HEADERS, start=1):
        cell = ws.cell(SUMMARY_HEADER_ROW, column, header)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD_FONT, HEADER_FILL, GRID, HEADER_ALIGN
    ordered = sorted(issues, key=lambda i: 0 if i.is_error else 1)  # stable: reading order kept
    for row, issue in enumerate(ordered, start=SUMMARY_HEADER_ROW + 1):
        _summary_row(ws, row, issue, issue_target(wb, issue))
    ws.freeze_panes = f"A{SUMMARY_HEADER_ROW + 1}"
    set_print_setup(ws, f"{SUMMARY_HEADER_ROW}:{SUMMARY_HEADER_ROW}")
    _activate_first(wb)
    return ws


def _counts_line(issues: Sequence[Issue]) -> str:
    errors = sum(1 for i in issues if i.is_error)
    warnings = len(issues) - errors
    if not issues:
        return "Không có lỗi hay cảnh báo nào."
    return f"{errors} lỗi, {warnings} cảnh báo. Bấm vào địa chỉ ô để đến ô đó; ô lỗi tô đỏ, ô cảnh báo tô vàng."


def _summary_row(ws: Worksheet, row: int, issue: Issue, target: tuple[str, str] | None) -> None:
    values = (issue.severity.value, issue.sheet or "", issue.cell or "", issue.message, issue.found or "", issue.hint)
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row, column, value or None)
        cell.border, cell.alignment = GRID, DATA_TEXT
    ws.cell(row, 1).fill = FILLS[issue.severity]
    if target is not None:
        link = ws.cell(row, 3, issue.cell or target[1])
        link.hyperlink = Hyperlink(
            ref=link.coordinate, location=f"{quote_sheetname(target[0])}!{target[1]}", display=link.value
        )
        link.font = LINK_FONT
    fit_row_height(ws, row, [(str(v), w, False) for v, w in zip(values, SUMMARY_WIDTHS) if v])


def _activate_first(wb: Workbook) -> None:
    wb.active = 0
    for index, ws in enumerate(wb.worksheets):
        ws.sheet_view.tabSelected = index == 0
