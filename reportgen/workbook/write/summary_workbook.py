"""The summary across units as a workbook (``reportgen summary PERIOD``).

Sheet "Tổng hợp": one row per unit, one column per indicator, each cell the
status in words, coloured like the charts; the last column counts indicators
on plan.  Sheet "Chi tiết": one row per unit and indicator with the figures,
for filtering and pivot tables.  Written atomically and reproducibly.
"""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reportgen.charts.colours import STATUS_COLOURS
from reportgen.core.files import atomic_write_with
from reportgen.domain.summary_table import INVALID, MISSING, SummaryTable
from reportgen.workbook.write.saving import save_reproducibly

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def write_summary_xlsx(table: SummaryTable, path: Path | str) -> Path:
    when = datetime.combine(table.period.data_window()[1], time(8, 0))
    workbook = Workbook()
    _matrix(workbook.active, table)
    _details(workbook.create_sheet("Chi tiết"), table)
    return atomic_write_with(path, lambda tmp: save_reproducibly(workbook, tmp, when))


def _matrix(sheet, table: SummaryTable) -> None:
    sheet.title = "Tổng hợp"
    sheet.append(["STT", "Đơn vị", *(f"{h.code} {h.name}" for h in table.heads), "Đạt và vượt / có kế hoạch"])
    for number, line in enumerate(table.lines, 1):
        if line.state != "ok":
            sheet.append([number, line.name, MISSING if line.state == "missing" else f"{INVALID} ({line.errors} lỗi)"])
            continue
        statuses = [line.statuses.get(h.code) for h in table.heads]
        sheet.append(
            [number, line.name, *(s.value if s else "" for s in statuses), f"{line.on_plan}/{line.with_target}"]
        )
        for column, status in enumerate(statuses, 3):
            colour = STATUS_COLOURS.get(status.value) if status else None
            if colour:
                cell = sheet.cell(sheet.max_row, column)
                cell.fill = PatternFill("solid", fgColor=colour.lstrip("#"))
                cell.font = Font(color="FFFFFF", bold=True)
    for cell in sheet[1]:
        cell.font, cell.alignment = BOLD, WRAP
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 30
    for column in range(3, len(table.heads) + 4):
        sheet.column_dimensions[get_column_letter(column)].width = 16
    sheet.row_dimensions[1].height = 60
    sheet.freeze_panes = "C2"


def _details(sheet, table: SummaryTable) -> None:
    sheet.append(["Đơn vị", "Mã", "Chỉ tiêu", "ĐVT", "Kế hoạch năm", "Lũy kế / Thực hiện", "% KH năm", "Đánh giá"])
    heads = {h.code: h for h in table.heads}
    for line in table.lines:
        for code, status in line.statuses.items():
            head = heads[code]
            value, ratio = line.values.get(code), line.plan_ratios.get(code)
            sheet.append(
                [
                    line.name,
                    code,
                    head.name,
                    head.unit,
                    head.target,
                    float(value) if value is not None else None,
                    round(float(ratio), 2) if ratio is not None else None,
                    status.value,
                ]
            )
    for cell in sheet[1]:
        cell.font = BOLD
    for letter, width in zip("ABCDEFGH", (28, 8, 44, 11, 16, 14, 10, 18)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
