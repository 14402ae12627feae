"""Writes the input workbook staff fill in (``reportgen new``, ``reportgen init``).

:mod:`reportgen.domain.plan` decides what the workbook holds (a :class:`BookContent`);
this module decides how it looks and behaves in Excel: sheets Thông tin,
Chỉ tiêu, Công trình, Nhận định and Hướng dẫn, plan cells filled and locked,
input cells unlocked and tinted, drop-down lists, number checks, formats and
widths from :mod:`reportgen.workbook.schema`, print setup, and a file that is
byte-for-byte the same for the same content.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from openpyxl.cell import Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from reportgen.core.files import atomic_write_with
from reportgen.core.periods import Period
from reportgen.domain.plan import BookContent
from reportgen.workbook import list_columns, schema
from reportgen.workbook.read.validate import demanded_plan_keys
from reportgen.workbook.write.guide import guide_rows, write_guide
from reportgen.workbook.write.input_styles import (
    BASE_FONT,
    BOLD_FONT,
    DATA_CENTER,
    DATA_NUMBER,
    DATA_TEXT,
    GRID,
    HEADER_ALIGN,
    HEADER_FILL,
    INPUT_FILL,
    LINE_HEIGHT,
    LOCKED,
    NOTE_ALIGN,
    NOTE_FONT,
    PLAN_FILL,
    SAMPLE_FONT,
    TITLE_ALIGN,
    TITLE_FONT,
    UNLOCKED,
    fit_row_height,
    protect,
    set_print_setup,
    use_default_font,
    whole_numbers_without_decimal_mark,
)
from reportgen.workbook.write.lists import (
    LIST_SHEET,
    MARK_LIST,
    ChoiceList,
    attach,
    column_validation,
    list_validation,
    prompt_only,
    write_choice_lists,
)
from reportgen.workbook.write.saving import save_reproducibly

TITLE_ROW, NOTE_ROW, HEADER_ROW, FIRST_DATA_ROW = 1, 2, 3, 4
"""Every sheet: a merged title, a one-line note, the header, then the data."""

SAMPLE_NOTE = "DỮ LIỆU MẪU — số liệu minh họa, không phải số liệu chính thức"
DATE_FORMAT = "dd/mm/yyyy"
TEXT_FORMAT = "@"
TEXT_KEYS = frozenset({"code", "unit", "target", "planned_completion", "doc_number"})
"""Cells kept as text, so that what staff type stays as typed: codes "01", targets "0" or
"97,6", a deadline "2023".  (Not the long-text columns: Excel shows a text-formatted cell
longer than 255 characters as ####.)"""
INFO_WIDTHS = (26.0, 44.0)
CARRIED_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
"""Light yellow: a paragraph carried over from the last period, still to be revised."""


@dataclass(frozen=True)
class ListSheet:
    """How one of the row-per-item sheets is laid out."""

    name: str
    title: str
    """Title before the period label: "BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI" + " THÁNG 7 NĂM 2023"."""
    note: str
    columns: tuple[schema.Column, ...]
    spare_rows: int
    """Unlocked blank rows under the data, for rows staff add."""
    freeze_after: str | None = None
    """Key of the column the panes freeze after (besides freezing under the header)."""


LIST_SHEETS = (
    ListSheet(
        schema.INDICATORS,
        "BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI",
        "Nền xám: kế hoạch (đã khóa). Nền xanh: gõ số liệu, kiểu Việt Nam (8.000; 83,1). "
        "Số ước tính: đánh “x” ở cột “Ước tính”. Cách ghi từng cột: xem sheet “Hướng dẫn”.",
        list_columns.INDICATOR_COLUMNS,
        spare_rows=20,
        freeze_after="name",
    ),
    ListSheet(
        schema.PROJECTS,
        "TIẾN ĐỘ CÁC CÔNG TRÌNH, DỰ ÁN TRỌNG ĐIỂM",
        "Nền xám: kế hoạch (đã khóa). Nền xanh: tiến độ (% khối lượng), vốn đã giải ngân (tỷ đồng), "
        "tình hình thực hiện.",
        list_columns.PROJECT_COLUMNS,
        spare_rows=20,
    ),
    ListSheet(
        schema.REMARKS,
        "NHẬN ĐỊNH, ĐÁNH GIÁ CỦA CÁN BỘ",
        "Mỗi dòng một đoạn văn: chọn Phần (lĩnh vực, đánh giá chung, tồn tại, nguyên nhân, nhiệm vụ…), "
        "gõ Nội dung; với nhiệm vụ, chọn Đơn vị chủ trì. Đoạn văn đặt sau các câu do reportgen viết. "
        "Dòng nền vàng (dấu “x” ở cột cuối) chép từ kỳ trước: sửa lại rồi xóa dấu “x”.",
        list_columns.REMARK_COLUMNS,
        spare_rows=30,
    ),
)


def write_book(content: BookContent, path: Path | str) -> Path:
    """Write the input workbook for ``content`` to ``path`` (atomically) and return the path."""
    wb = build_workbook(content)
    when = workbook_timestamp(content.period)
    return atomic_write_with(path, lambda tmp: save_reproducibly(wb, tmp, when))


def workbook_timestamp(period: Period) -> datetime:
    """Created/modified date of the file: the first day of the period's last month, never "now"."""
    return datetime(period.year, period.end_month, 1)


def build_workbook(content: BookContent) -> Workbook:
    """The whole workbook in memory, sheets in the order staff meet them."""
    wb = Workbook()
    use_default_font(wb)
    info = wb.active
    info.title = schema.INFO
    sheets = {spec.name: wb.create_sheet(spec.name) for spec in LIST_SHEETS}
    guide = wb.create_sheet(schema.GUIDE)
    lists = write_choice_lists(wb.create_sheet(LIST_SHEET), content)
    write_info_sheet(info, content, lists)
    rows_by_sheet = {
        schema.INDICATORS: content.indicators,
        schema.PROJECTS: content.projects,
        schema.REMARKS: content.remarks,
    }
    for spec in LIST_SHEETS:
        write_list_sheet(sheets[spec.name], spec, rows_by_sheet[spec.name], content, lists)
    write_guide(guide, guide_rows(content))
    set_print_setup(guide, None)
    _activate(wb, sheets[schema.INDICATORS])
    wb.properties.title = f"Số liệu báo cáo kinh tế - xã hội {content.period.label_with_year}"
    return wb


# ------------------------------------------------------------- Thông tin ----


def write_info_sheet(ws: Worksheet, content: BookContent, lists: dict[str, ChoiceList]) -> None:
    """Key/value rows (Mục, Giá trị); only Kỳ báo cáo is locked."""
    for index, width in enumerate(INFO_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    sample = _is_sample(content)
    _write_banner(
        ws,
        INFO_WIDTHS,
        "THÔNG TIN BÁO CÁO",
        "Ô nền xanh: điền nếu có; để trống thì dùng cấu hình reportgen.toml.",
        sample,
    )
    _write_header(ws, schema.INFO_HEADERS, INFO_WIDTHS)
    values = {**content.info, "sample": sample}
    for offset, key in enumerate(schema.INFO_KEYS):
        _write_info_row(ws, FIRST_DATA_ROW + offset, key, values.get(key.key), lists)
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    set_print_setup(ws, None, landscape=False)
    protect(ws)


def _write_info_row(ws: Worksheet, row: int, key: schema.InfoKey, raw: Any, lists: dict[str, ChoiceList]) -> None:
    label = ws.cell(row, 1, key.label)
    _style(label, locked=True, alignment=DATA_TEXT)
    label.font = BOLD_FONT
    value = ws.cell(row, 2, _info_value(raw))
    # Kỳ báo cáo names the file's period; another period needs its own workbook (reportgen new).
    _style(value, locked=key.key == "period", alignment=DATA_TEXT)
    if key.key == "issue_date":
        value.number_format = DATE_FORMAT
    elif key.key in TEXT_KEYS:
        value.number_format = TEXT_FORMAT
    validation = (
        list_validation(lists[MARK_LIST], key.label, key.help)
        if key.key == "sample"
        else prompt_only(key.label, key.help)
    )
    attach(ws, validation, 2, row, row)
    fit_row_height(ws, row, [(key.label, INFO_WIDTHS[0], True), (str(value.value or ""), INFO_WIDTHS[1], False)])


def _info_value(raw: Any) -> Any:
    if raw is None or raw == "" or raw is False:
        return None
    if raw is True:
        return "x"
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, (date, int, float)):
        return raw
    if isinstance(raw, Decimal):
        return excel_number(raw)
    return str(raw)


def _is_sample(content: BookContent) -> bool:
    return bool(content.sample or content.info.get("sample"))


# --------------------------------------------------------- the list sheets ---


def write_list_sheet(
    ws: Worksheet,
    spec: ListSheet,
    rows: Sequence[Mapping[str, Any]],
    content: BookContent,
    lists: dict[str, ChoiceList],
) -> None:
    """Title, note, header, one row per item, then unlocked spare rows; validated, frozen, protected."""
    if spec.name == schema.INDICATORS:  # the period's own figure, named for the period (or none)
        spec = dataclasses.replace(spec, columns=list_columns.indicator_columns(content.period))
    columns = spec.columns
    widths = tuple(c.width for c in columns)
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    title = f"{spec.title} {content.period.label_with_year.upper()}"
    _write_banner(ws, widths, title, spec.note, _is_sample(content))
    _write_header(ws, tuple(c.header for c in columns), widths)
    for offset, values in enumerate(rows):
        _write_data_row(ws, FIRST_DATA_ROW + offset, columns, values, spare=False)
    last_row = FIRST_DATA_ROW + len(rows) + spec.spare_rows - 1
    for row in range(FIRST_DATA_ROW + len(rows), last_row + 1):
        _write_data_row(ws, row, columns, {}, spare=True)
    _add_column_rules(ws, columns, lists, last_row)
    if any(c.key == "carried" for c in columns):
        _mark_carried_rows(ws, columns, last_row)
    _freeze_and_select(ws, spec)
    ws.sheet_format.defaultRowHeight = LINE_HEIGHT
    set_print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}")
    protect(ws)


def _write_data_row(
    ws: Worksheet, row: int, columns: Sequence[schema.Column], values: Mapping[str, Any], spare: bool
) -> None:
    """One row; plan cells locked, except a blank one ``check`` will ask for (the Đầu năm of a "giảm X"
    target): staff must be able to type it without unprotecting the sheet."""
    wrapped: list[tuple[str, float, bool]] = []
    demanded = demanded_plan_keys(str(values.get("target") or ""))
    for index, column in enumerate(columns, start=1):
        value = excel_value(column, values.get(column.key))
        cell = ws.cell(row, index, value)
        open_to_typing = spare or (column.key in demanded and value is None)
        _style(cell, locked=column.plan and not open_to_typing, alignment=_alignment(column))
        if column.number_format:
            cell.number_format = column.number_format
        elif column.key in TEXT_KEYS:
            cell.number_format = TEXT_FORMAT
        if isinstance(value, str) and column.kind != "number":
            wrapped.append((value, column.width, False))
    fit_row_height(ws, row, wrapped)


def excel_value(column: schema.Column, raw: Any) -> Any:
    """A model value as the cell holds it: Decimal → exact int/float, True → "x", enums → their text."""
    if raw is None or raw == "":
        return None
    if column.kind == "flag":
        return "x" if raw is True else (None if raw is False else str(raw))
    if isinstance(raw, Enum):
        return raw.value
    if isinstance(raw, Decimal):
        return excel_number(raw)
    return raw


def excel_number(value: Decimal) -> int | float:
    """Decimal → the number Excel stores, exactly: 442.0 → 442, 498.6 → 498.6.

    openpyxl cannot write Decimal reliably; going through ``str`` keeps the
    shortest float that reads back as the same decimal.
    """
    if not value.is_finite():
        raise ValueError(f"not a number a cell can hold: {value}")
    if value == value.to_integral_value():
        return int(value)
    return float(str(value))


def _alignment(column: schema.Column):
    if column.kind == "number":
        return DATA_NUMBER
    if column.kind == "flag" or column.key == "code":
        return DATA_CENTER
    return DATA_TEXT


def _add_column_rules(
    ws: Worksheet, columns: Sequence[schema.Column], lists: dict[str, ChoiceList], last_row: int
) -> None:
    """Drop-downs and number checks on every data and spare row; whole numbers without a decimal mark."""
    for index, column in enumerate(columns, start=1):
        validation = column_validation(column, lists)
        if validation is not None:
            attach(ws, validation, index, FIRST_DATA_ROW, last_row)
        if column.kind == "number":
            whole_numbers_without_decimal_mark(ws, get_column_letter(index), FIRST_DATA_ROW, last_row)


def _mark_carried_rows(ws: Worksheet, columns: Sequence[schema.Column], last_row: int) -> None:
    """A paragraph copied from the last period stays yellow until staff clear its “x” mark."""
    keys = [c.key for c in columns]
    flag = get_column_letter(keys.index("carried") + 1)
    cells = f"A{FIRST_DATA_ROW}:{get_column_letter(len(columns))}{last_row}"
    ws.conditional_formatting.add(
        cells, FormulaRule(formula=[f"LEN(TRIM(${flag}{FIRST_DATA_ROW}))>0"], fill=CARRIED_FILL, stopIfTrue=False)
    )


def _freeze_and_select(ws: Worksheet, spec: ListSheet) -> None:
    """Freeze under the header (and after the name column); put the cursor on the first input cell."""
    keys = [c.key for c in spec.columns]
    freeze_column = keys.index(spec.freeze_after) + 2 if spec.freeze_after else 1
    ws.freeze_panes = f"{get_column_letter(freeze_column)}{FIRST_DATA_ROW}"
    first_input = next((i for i, c in enumerate(spec.columns, start=1) if not c.plan), 1)
    target = f"{get_column_letter(first_input)}{FIRST_DATA_ROW}"
    ws.sheet_view.selection[-1].activeCell = target
    ws.sheet_view.selection[-1].sqref = target


# ----------------------------------------------------------------- shared ---


def _write_banner(ws: Worksheet, widths: Sequence[float], title: str, note: str, sample: bool) -> None:
    """Merged bold title, then a merged italic note (red and prefixed when the data is a sample)."""
    last = len(widths)
    title_cell = ws.cell(TITLE_ROW, 1, title)
    title_cell.font, title_cell.alignment = TITLE_FONT, TITLE_ALIGN
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=last)
    ws.row_dimensions[TITLE_ROW].height = 24
    text = f"{SAMPLE_NOTE}. {note}" if sample else note
    note_cell = ws.cell(NOTE_ROW, 1, text)
    note_cell.font = SAMPLE_FONT if sample else NOTE_FONT
    note_cell.alignment = NOTE_ALIGN
    ws.merge_cells(start_row=NOTE_ROW, start_column=1, end_row=NOTE_ROW, end_column=last)
    fit_row_height(ws, NOTE_ROW, [(text, sum(widths), sample)])


def _write_header(ws: Worksheet, headers: Sequence[str], widths: Sequence[float]) -> None:
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(HEADER_ROW, index, header)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD_FONT, HEADER_FILL, GRID, HEADER_ALIGN
        cell.protection = LOCKED
    fit_row_height(ws, HEADER_ROW, [(h, w, True) for h, w in zip(headers, widths)])


def _style(cell: Cell, locked: bool, alignment) -> None:
    """Plan cells grey and locked; input cells tinted and unlocked."""
    cell.font = BASE_FONT
    cell.border = GRID
    cell.alignment = alignment
    cell.fill = PLAN_FILL if locked else INPUT_FILL
    cell.protection = LOCKED if locked else UNLOCKED


def _activate(wb: Workbook, sheet: Worksheet) -> None:
    """Open on ``sheet``, with no other tab selected (several selected tabs would group the sheets)."""
    wb.active = wb.worksheets.index(sheet)
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is sheet
