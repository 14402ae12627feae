"""The figures file as a workbook: the rows of :func:`reportgen.report.figures_file.figures_table` for Excel users.

Sheet "Số liệu" has one row per indicator, sheet "Công trình" one per key
project.  Figures are numbers, not text, so staff can filter and compute with
them; number formats show them with thousands separators and two decimals for
ratios (Excel applies the reader's own separators: "1.234,5" in Vietnamese
settings).  Codes such as "floor" are written in Vietnamese words.  The header
row is bold, filtered and frozen with the code and name columns.

The file is written by XlsxWriter, a library made to write new workbooks (a
few milliseconds for a report's; openpyxl, made to read and edit them, took
8 ms), atomically and reproducibly: fixed creator and dates (the caller passes
the report's own date), fixed zip entry dates, so the same rows give the same
bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

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
    "floor": "Tối thiểu",
    "approx": "Khoảng",
    "range": "Trong khoảng",
    "ceiling": "Tối đa",
    "reduction": "Giảm",
    "zero": "Không còn",
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
    Column("code", "Mã", 8),
    Column("field", "Lĩnh vực", 16),
    Column("name", "Chỉ tiêu", 44),
    Column("unit", "ĐVT", 11),
    Column("kind", "Loại", 12),
    Column("target", "Kế hoạch năm", 18),
    Column("target_kind", "Dạng kế hoạch", 13, words=TARGET_KINDS),
    Column("target_value", "Số kế hoạch", 12, "amount"),
    Column("target_high", "Cận trên kế hoạch", 12, "amount"),
    Column("direction", "Chiều đánh giá", 17, words=DIRECTIONS),
    Column("judged_on_growth", "Đánh giá theo tốc độ tăng", 12, "flag"),
    Column("baseline", "Đầu năm", 12, "amount"),
    Column("month_value", "Thực hiện trong kỳ", 12, "amount"),
    Column("value", "Lũy kế / Thực hiện", 13, "amount"),
    Column("same_period", "Cùng kỳ năm trước", 13, "amount"),
    Column("growth", "Tốc độ tăng (%)", 11, "ratio"),
    Column("growth_entered", "Tốc độ tăng nhập tay", 11, "flag"),
    Column("estimated", "Ước tính", 9, "flag"),
    Column("plan_ratio", "% KH năm", 10, "ratio"),
    Column("same_period_ratio", "% cùng kỳ", 10, "ratio"),
    Column("same_period_change", "Tăng (+) / giảm (-) so cùng kỳ (%)", 14, "ratio"),
    Column("point_diff", "Chênh lệch so kế hoạch (điểm %)", 14, "ratio"),
    Column("same_period_points", "Chênh lệch so cùng kỳ (điểm %)", 14, "ratio"),
    Column("reduction", "Mức giảm so đầu năm", 12, "amount"),
    Column("expected_ratio", "% KH theo thời gian đã qua", 13, "ratio"),
    Column("status", "Đánh giá", 17),
    Column("note", "Ghi chú", 40),
    Column("row", "Dòng trong sổ", 9, "whole"),
)
PROJECT_COLUMNS = (
    Column("code", "Mã", 8),
    Column("name", "Công trình, dự án", 60),
    Column("total_investment", "Tổng mức đầu tư (tỷ đồng)", 14, "amount"),
    Column("planned_completion", "Kế hoạch hoàn thành", 16),
    Column("progress", "Tiến độ (%)", 10, "ratio"),
    Column("disbursed", "Giải ngân (tỷ đồng)", 12, "amount"),
    Column("status_text", "Tình hình", 60),
    Column("row", "Dòng trong sổ", 9, "whole"),
)
FROZEN = {INDICATOR_SHEET: "D2", PROJECT_SHEET: "C2"}
"""The header row and the columns up to the name stay in view."""
SHEETS = ((INDICATOR_SHEET, "indicator", INDICATOR_COLUMNS), (PROJECT_SHEET, "project", PROJECT_COLUMNS))
"""Sheet name, the rows' "record" kind, the columns — in the workbook's order."""


CREATOR = "reportgen"
HEADER_HEIGHT = 45
"""Points: the header row holds its wrapped column names on up to three lines."""
DIGIT_PIXELS = 7
"""A column's width in the file counts widths of the default font's digit, 7 pixels each; set in pixels, the
stored width is exactly the column's (XlsxWriter's ``set_column`` would add the cell's 5-pixel padding)."""
OPTIONS = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
"""Every text is written as text ("=SUM(A1)" in a name never becomes a formula); no temporary files."""


def write_figures_xlsx(
    rows: Iterable[Mapping[str, Any]], path: Path | str, created: datetime = FIXED_DATE, title: str = ""
) -> Path:
    """Write the figures workbook to ``path`` atomically; ``created`` fixes every date in the file."""
    rows = list(rows)
    return atomic_write_with(path, lambda tmp: _write(rows, tmp, created, title))


def _write(rows: list[Mapping[str, Any]], path: Path, created: datetime, title: str) -> None:
    workbook = xlsxwriter.Workbook(str(path), OPTIONS)
    workbook.set_properties({"author": CREATOR, "created": created, **({"title": title} if title else {})})
    header = workbook.add_format(
        {
            "bold": True,
            "pattern": 1,
            "bg_color": f"#{HEADER_FILL}",
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
        }
    )
    numbers = {number_format: workbook.add_format({"num_format": number_format}) for number_format in NUMBER_FORMATS}
    for name, record, columns in SHEETS:
        sheet = workbook.add_worksheet(name)
        for number, column in enumerate(columns):
            sheet.set_column_pixels(number, number, round(column.width * DIGIT_PIXELS))
            sheet.write_string(0, number, column.header, header)
        sheet.set_row(0, HEADER_HEIGHT)
        lines = [row for row in rows if row.get("record") == record]
        for line, row in enumerate(lines, 1):
            for number, column in enumerate(columns):
                value, number_format = _cell(column, row.get(column.key))
                if value is None:
                    continue  # an empty cell is left out of the file, not written blank
                if number_format is None:
                    sheet.write_string(line, number, value)
                else:
                    sheet.write_number(line, number, float(value), numbers[number_format])
        sheet.freeze_panes(FROZEN[name])
        sheet.autofilter(0, 0, max(len(lines), 1), len(columns) - 1)
    workbook.close()


NUMBER_FORMATS = (WHOLE_FORMAT, AMOUNT_FORMAT, RATIO_FORMAT)


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
