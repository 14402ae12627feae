"""The figures file as a workbook: the rows of :func:`reportgen.report.figures.figures_table` for Excel users.

Sheet "Số liệu" has one row per indicator, sheet "Công trình" one per key
project.  Figures are numbers, not text, so staff can filter and compute with
them; number formats show them with thousands separators and two decimals for
ratios (Excel applies the reader's own separators: "1.234,5" in Vietnamese
settings).  Codes such as "floor" are written in Vietnamese words.  The header
row is bold, filtered and frozen with the code and name columns.

The file is written atomically and reproducibly: fixed creator and dates (the
caller passes the report's own date), fixed zip entry dates, so the same rows
give the same bytes.  openpyxl is imported only when a file is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Mapping

from reportgen.core.files import atomic_write_with

INDICATOR_SHEET = "Số liệu"
PROJECT_SHEET = "Công trình"
FIXED_DATE = datetime(2000, 1, 1)
"""Workbook dates when the caller gives none: never "now", so the bytes do not change from run to run."""

AMOUNT_FORMAT = "#,##0.###"
WHOLE_FORMAT = "#,##0"
RATIO_FORMAT = "#,##0.00"
HEADER_FILL = "D9E1F2"

TARGET_KINDS = {
    "floor": "Tối thiểu", "approx": "Khoảng", "range": "Trong khoảng", "ceiling": "Tối đa",
    "reduction": "Giảm", "zero": "Không còn",
}
DIRECTIONS = {"higher": "Càng cao càng tốt", "lower": "Càng thấp càng tốt"}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    kind: str = "text"
    """"text", "amount" (a figure in its unit), "ratio" (% or points), "flag" (Có / blank), "whole"."""
    words: Mapping[str, str] | None = None
    """Vietnamese words for a code ("floor" → "Tối thiểu")."""


INDICATOR_COLUMNS = (
    Column("code", "Mã", 8), Column("field", "Lĩnh vực", 16), Column("name", "Chỉ tiêu", 44),
    Column("unit", "ĐVT", 11), Column("kind", "Loại", 12),
    Column("target", "Kế hoạch năm", 18), Column("target_kind", "Dạng kế hoạch", 13, words=TARGET_KINDS),
    Column("target_value", "Số kế hoạch", 12, "amount"), Column("target_high", "Cận trên kế hoạch", 12, "amount"),
    Column("direction", "Chiều đánh giá", 17, words=DIRECTIONS),
    Column("judged_on_growth", "Đánh giá theo tốc độ tăng", 12, "flag"),
    Column("baseline", "Đầu năm", 12, "amount"), Column("month_value", "Thực hiện trong kỳ", 12, "amount"),
    Column("value", "Lũy kế / Thực hiện", 13, "amount"), Column("same_period", "Cùng kỳ năm trước", 13, "amount"),
    Column("growth", "Tốc độ tăng (%)", 11, "ratio"), Column("growth_entered", "Tốc độ tăng nhập tay", 11, "flag"),
    Column("estimated", "Ước tính", 9, "flag"), Column("plan_ratio", "% KH năm", 10, "ratio"),
    Column("same_period_ratio", "% cùng kỳ", 10, "ratio"),
    Column("same_period_change", "Tăng (+) / giảm (-) so cùng kỳ (%)", 14, "ratio"),
    Column("point_diff", "Chênh lệch so kế hoạch (điểm %)", 14, "ratio"),
    Column("same_period_points", "Chênh lệch so cùng kỳ (điểm %)", 14, "ratio"),
    Column("reduction", "Mức giảm so đầu năm", 12, "amount"),
    Column("expected_ratio", "% KH theo thời gian đã qua", 13, "ratio"),
    Column("status", "Đánh giá", 17), Column("note", "Ghi chú", 40), Column("row", "Dòng trong sổ", 9, "whole"),
)
PROJECT_COLUMNS = (
    Column("code", "Mã", 8), Column("name", "Công trình, dự án", 60),
    Column("total_investment", "Tổng mức đầu tư (tỷ đồng)", 14, "amount"),
    Column("planned_completion", "Kế hoạch hoàn thành", 16), Column("progress", "Tiến độ (%)", 10, "ratio"),
    Column("disbursed", "Giải ngân (tỷ đồng)", 12, "amount"), Column("status_text", "Tình hình", 60),
    Column("row", "Dòng trong sổ", 9, "whole"),
)
FROZEN = {INDICATOR_SHEET: "D2", PROJECT_SHEET: "C2"}
"""The header row and the columns up to the name stay in view."""
SHEETS = ((INDICATOR_SHEET, "indicator", INDICATOR_COLUMNS), (PROJECT_SHEET, "project", PROJECT_COLUMNS))
"""Sheet name, the rows' "record" kind, the columns — in the workbook's order."""


def write_figures_xlsx(rows: Iterable[Mapping[str, Any]], path: Path | str, created: datetime = FIXED_DATE,
                       title: str = "") -> Path:
    """Write the figures workbook to ``path`` atomically; ``created`` fixes every date in the file.

    The first workbook a process writes is built and saved by openpyxl (:func:`write_with_openpyxl`);
    from the second on, the rows go into a skeleton openpyxl saved once (:mod:`.figures_sheets`), which
    costs more than one save but a quarter of each further one.  Both give the same bytes (the cell styles
    are numbered in a fixed order, :func:`_number_styles_first`).  An openpyxl whose package has another
    shape always gets the openpyxl way.
    """
    from reportgen.workbook.write import figures_sheets

    global _written
    rows = list(rows)
    _written += 1
    skeleton = figures_sheets.skeleton(title) if _written > 1 else None
    if skeleton is None:
        return write_with_openpyxl(rows, path, created, title)
    cells = [[[_cell(column, row.get(column.key)) for column in columns] for row in rows if row.get("record") == record]
             for _, record, columns in SHEETS]
    return atomic_write_with(path, lambda tmp: figures_sheets.write(tmp, cells, skeleton, created, title))


_written = 0
"""Figures workbooks this process has written (a single ``reportgen generate`` writes one)."""


def write_with_openpyxl(rows: Iterable[Mapping[str, Any]], path: Path | str, created: datetime = FIXED_DATE,
                        title: str = "") -> Path:
    """The same workbook, every cell made and saved by openpyxl (the reference the fast path is tested against)."""
    from reportgen.workbook.write.saving import save_reproducibly

    workbook, _ = _workbook(list(rows), title)
    return atomic_write_with(path, lambda tmp: save_reproducibly(workbook, tmp, created))


def _workbook(rows: list[Mapping[str, Any]], title: str) -> tuple[Any, dict[str, int]]:
    """The openpyxl workbook, and the cell style id of each number format (the ``s`` its cells carry)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title or None
    number_styles: dict[str, int] = {}
    for name, record, columns in SHEETS:
        sheet = workbook.create_sheet(name)
        _header(sheet, columns)
        if not number_styles:
            number_styles = _number_styles_first(sheet)
        _fill(sheet, columns, [row for row in rows if row.get("record") == record])
        sheet.freeze_panes = FROZEN[name]
    return workbook, number_styles


NUMBER_FORMATS = (WHOLE_FORMAT, AMOUNT_FORMAT, RATIO_FORMAT)


def _number_styles_first(sheet) -> dict[str, int]:
    """Number the cell styles in a fixed order — the header's, then one per number format — whatever the
    rows meet first, so that the same rows always give the same bytes, by either way of writing.

    A cell's ``style_id`` is its style's place in the workbook's list, which openpyxl's writer keeps: the
    ids returned are the ones the saved cells carry.
    """
    sheet.cell(row=1, column=1).style_id  # noqa: B018 - reading it registers the header's style
    styles = {}
    for column, number_format in enumerate(NUMBER_FORMATS, 1):
        probe = sheet.cell(row=2, column=column, value=0)
        probe.number_format = number_format
        styles[number_format] = probe.style_id  # registers this format's style
    sheet.delete_rows(2)
    return styles


def _header(sheet, columns: tuple[Column, ...]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_style = dict(font=Font(bold=True), fill=PatternFill("solid", fgColor=HEADER_FILL),
                        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
    for number, column in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=number, value=column.header)
        for attribute, style in header_style.items():
            setattr(cell, attribute, style)
        sheet.column_dimensions[get_column_letter(number)].width = column.width


def _fill(sheet, columns: tuple[Column, ...], rows: list[Mapping[str, Any]]) -> None:
    from openpyxl.utils import get_column_letter

    for line, row in enumerate(rows, 2):
        for number, column in enumerate(columns, 1):
            value = row.get(column.key)
            if value is not None:  # an empty cell is left out of the file, not written blank
                _write(sheet.cell(row=line, column=number), column, value)
    sheet.row_dimensions[1].height = 45
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 2)}"


def _write(cell, column: Column, value: Any) -> None:
    """One value, as a number with its format, or as text that Excel will never read as a formula."""
    written = _cell(column, value)
    if written[0] is None:
        return
    cell.value, number_format = written
    if number_format is None:
        cell.data_type = "s"  # a name that begins with "=" stays text, never becomes a formula
    else:
        cell.number_format = number_format


def _cell(column: Column, value: Any) -> tuple[Any, str | None]:
    """What a cell holds: (a number, its format), (text, None), or (None, None) for an empty cell."""
    if value is None:
        return None, None
    if column.kind in ("amount", "ratio", "whole"):
        if column.kind == "ratio":
            return value, RATIO_FORMAT
        if column.kind == "whole" or value == int(value):
            return value, WHOLE_FORMAT  # "#,##0.###" would show 53 as "53." in Excel
        return value, AMOUNT_FORMAT
    if column.kind == "flag":
        return ("Có", None) if value else (None, None)
    text = str(value)
    if column.words:
        text = column.words.get(text, text)
    return (text, None) if text else (None, None)
