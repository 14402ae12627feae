"""Drop-down lists and input checks (Excel data validation) of the input workbook.

List values live on the hidden sheet "Danh mục" and validations refer to
ranges there: an inline list is comma-separated, and values such as
"Tồn tại, hạn chế" contain commas.  Every validation also carries the
column's help text as an input message, so staff see what to type when they
select a cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from reportgen.domain.plan import DEFAULT_OFFICES, BookContent
from reportgen.domain.report_input import DEFAULT_FIELDS
from reportgen.workbook import list_columns, schema
from reportgen.workbook.write.input_styles import BOLD_FONT

LIST_SHEET = schema.LISTS

KIND_LIST = "Loại"
MARK_LIST = "Ước tính"
FIELD_LIST = "Lĩnh vực"
SECTION_LIST = "Phần"
OWNER_LIST = "Đơn vị chủ trì"

LIST_FOR_COLUMN = {
    "kind": KIND_LIST,
    "estimated": MARK_LIST,
    "field": FIELD_LIST,
    "section": SECTION_LIST,
    "owner": OWNER_LIST,
    "carried": MARK_LIST,
}
"""Which Danh mục list feeds which schema column (by ``Column.key``)."""

OPEN_LISTS = (FIELD_LIST, MARK_LIST, OWNER_LIST)
"""Lists that suggest rather than restrict: any other Lĩnh vực becomes its own group, any office
may be in charge of a task, and the reader also accepts "X", "có", "ước" as an estimate mark."""

NUMBER_LIMIT = "1E+15"
PROMPT_LIMIT = 255
"""Excel refuses input messages longer than this."""


@dataclass(frozen=True)
class ChoiceList:
    name: str
    values: tuple[str, ...]
    ref: str
    """Absolute range on the list sheet, e.g. 'Danh mục'!$A$2:$A$4."""


def choice_values(content: BookContent) -> dict[str, tuple[str, ...]]:
    """The values of each drop-down list for this workbook."""
    fields = content.fields or tuple(dict.fromkeys(r["field"] for r in content.indicators if r.get("field")))
    return {
        KIND_LIST: list_columns.KIND_CHOICES,
        MARK_LIST: ("x",),
        FIELD_LIST: fields or DEFAULT_FIELDS,
        SECTION_LIST: list_columns.SECTION_CHOICES,
        OWNER_LIST: content.offices or DEFAULT_OFFICES,
    }


def write_choice_lists(ws: Worksheet, content: BookContent) -> dict[str, ChoiceList]:
    """Fill the (hidden) list sheet, one list per column, and return the lists by name."""
    lists: dict[str, ChoiceList] = {}
    for index, (name, values) in enumerate(choice_values(content).items(), start=1):
        letter = get_column_letter(index)
        ws.cell(1, index, name).font = BOLD_FONT
        for offset, value in enumerate(values, start=2):
            ws.cell(offset, index, value)
        ws.column_dimensions[letter].width = max(14, max(len(v) for v in values) + 2)
        ref = f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${len(values) + 1}"
        lists[name] = ChoiceList(name, tuple(values), ref)
    ws.sheet_state = "hidden"
    return lists


def column_validation(column: schema.Column, lists: dict[str, ChoiceList]) -> DataValidation | None:
    """The validation for a column's input cells, or None for free text."""
    list_name = LIST_FOR_COLUMN.get(column.key)
    if list_name:
        return list_validation(lists[list_name], column.header, column.help)
    if column.kind == "number":
        return number_validation(column)
    return None


def list_validation(choices: ChoiceList, title: str, help_text: str) -> DataValidation:
    strict = choices.name not in OPEN_LISTS
    validation = DataValidation(
        type="list", formula1=choices.ref, allow_blank=True, errorStyle="stop" if strict else "warning"
    )
    validation.error = (
        f"Chọn một giá trị trong danh sách “{choices.name}” (bấm mũi tên bên phải ô)."
        if strict
        else f"Giá trị này không có trong danh sách “{choices.name}”. Bấm “Yes” để giữ, “No” để sửa lại."
    )
    validation.errorTitle = "Giá trị không hợp lệ" if strict else "Giá trị ngoài danh sách"
    _add_prompt(validation, title, help_text)
    return validation


def number_validation(column: schema.Column) -> DataValidation:
    """Numbers only, blank allowed; Tiến độ (%) between 0 and 100.

    Ordinary number columns warn instead of refusing: on a computer set to
    English number style "83,1" arrives as text, which reportgen still reads.
    """
    if column.key == "progress":
        validation = DataValidation(
            type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True, errorStyle="stop"
        )
        validation.errorTitle = "Tiến độ không hợp lệ"
        validation.error = "Tiến độ là phần trăm khối lượng hoàn thành: một số từ 0 đến 100, ví dụ 65 hoặc 65,5."
    else:
        validation = DataValidation(
            type="decimal",
            operator="between",
            formula1="-" + NUMBER_LIMIT,
            formula2=NUMBER_LIMIT,
            allow_blank=True,
            errorStyle="warning",
        )
        validation.errorTitle = "Cần nhập số"
        validation.error = (
            "Ô này cần một con số, ví dụ 8.000 hoặc 83,1 (máy đặt kiểu số Việt Nam) hay 83.1 (kiểu Anh). "
            "Không gõ đơn vị hay chữ; ghi chú đưa vào cột “Ghi chú”. Bấm “No” để sửa lại."
        )
    _add_prompt(validation, column.header, column.help)
    return validation


def prompt_only(title: str, help_text: str) -> DataValidation:
    """No restriction, only the input message shown when the cell is selected."""
    validation = DataValidation(allow_blank=True)
    _add_prompt(validation, title, help_text)
    return validation


def _add_prompt(validation: DataValidation, title: str, help_text: str) -> None:
    validation.showInputMessage = True
    validation.showErrorMessage = True
    validation.promptTitle = title[:32]  # Excel's limit for the title
    validation.prompt = help_text if len(help_text) <= PROMPT_LIMIT else help_text[: PROMPT_LIMIT - 1] + "…"


def attach(ws: Worksheet, validation: DataValidation, column_index: int, first_row: int, last_row: int) -> None:
    """Apply ``validation`` to one column's rows ``first_row``..``last_row``."""
    letter = get_column_letter(column_index)
    validation.add(f"{letter}{first_row}:{letter}{last_row}")
    ws.add_data_validation(validation)
