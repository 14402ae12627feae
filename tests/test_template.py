"""The input workbook written by ``write_book``, read back with openpyxl."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from reportgen.core.periods import Period
from reportgen.domain.plan import book_for_period, default_plan, example_book
from reportgen.workbook import list_columns, schema
from reportgen.workbook.write.guide import TARGET_EXAMPLES
from reportgen.workbook.write.lists import LIST_SHEET
from reportgen.workbook.write.input_styles import INPUT_FILL_COLOR, PLAN_FILL_COLOR, SAMPLE_COLOR
from reportgen.workbook.write.input_workbook import (FIRST_DATA_ROW, HEADER_ROW, LIST_SHEETS, SAMPLE_NOTE, excel_number,
                                         write_book)

REPO = Path(__file__).resolve().parents[1]
SPARE = {spec.name: spec.spare_rows for spec in LIST_SHEETS}
COLUMNS = {spec.name: spec.columns for spec in LIST_SHEETS}
ROWS = {schema.INDICATORS: "indicators", schema.PROJECTS: "projects", schema.REMARKS: "remarks"}


@pytest.fixture(scope="module")
def example_path(tmp_path_factory) -> Path:
    return write_book(example_book(), tmp_path_factory.mktemp("book") / "2023-06.xlsx")


@pytest.fixture(scope="module")
def wb(example_path):
    return load_workbook(example_path)


@pytest.fixture(scope="module")
def blank_wb(tmp_path_factory):
    content = book_for_period(Period.parse("2023-07"), default_plan())
    return load_workbook(write_book(content, tmp_path_factory.mktemp("blank") / "2023-07.xlsx"))


def _last_row(sheet: str) -> int:
    """Last spare row: the data rows of the example, then the spare rows."""
    return FIRST_DATA_ROW + len(getattr(example_book(), ROWS[sheet])) + SPARE[sheet] - 1


def _rgb(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:]


def _validations(ws) -> list:
    return list(ws.data_validations.dataValidation)


def _validation_for(ws, cell_ref: str):
    found = [dv for dv in _validations(ws) if cell_ref in dv.sqref]
    assert len(found) <= 1, f"several validations on {ws.title}!{cell_ref}"
    return found[0] if found else None


def _list_values(wb, formula: str) -> list[str]:
    """The cells a validation formula such as 'Danh mục'!$A$2:$A$4 refers to."""
    sheet, _, ref = formula.rpartition("!")
    assert sheet.strip("'") == LIST_SHEET, formula
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    ws = wb[LIST_SHEET]
    return [ws.cell(r, min_col).value for r in range(min_row, max_row + 1)]


# --------------------------------------------------------------- structure ---

def test_sheets_in_order_with_the_list_sheet_hidden(wb):
    assert wb.sheetnames == [schema.INFO, schema.INDICATORS, schema.PROJECTS, schema.REMARKS, schema.GUIDE,
                             LIST_SHEET]
    assert wb[LIST_SHEET].sheet_state == "hidden"
    assert all(wb[name].sheet_state == "visible" for name in wb.sheetnames[:-1])


def test_opens_on_chi_tieu_with_only_that_tab_selected(wb):
    assert wb.active.title == schema.INDICATORS
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == [schema.INDICATORS]


@pytest.mark.parametrize("sheet", [s.name for s in LIST_SHEETS])
def test_header_row_is_exactly_the_schema(wb, sheet):
    ws = wb[sheet]
    headers = [ws.cell(HEADER_ROW, i).value for i in range(1, ws.max_column + 1)]
    assert headers == [c.header for c in COLUMNS[sheet]]
    assert all(ws.cell(HEADER_ROW, i).font.b for i in range(1, len(headers) + 1))
    assert all(ws.cell(HEADER_ROW, i).alignment.wrap_text for i in range(1, len(headers) + 1))


def test_title_comes_from_the_period_and_spans_the_table(wb, blank_wb):
    ws = wb[schema.INDICATORS]
    assert ws["A1"].value == "BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI THÁNG 6 NĂM 2023"
    assert ws["A1"].font.b
    last = get_column_letter(len(list_columns.INDICATOR_COLUMNS))
    assert f"A1:{last}1" in {str(r) for r in ws.merged_cells.ranges}
    assert blank_wb[schema.INDICATORS]["A1"].value == "BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI THÁNG 7 NĂM 2023"
    assert blank_wb[schema.PROJECTS]["A1"].value.endswith("THÁNG 7 NĂM 2023")
    assert blank_wb[schema.INDICATORS]["A2"].font.i


def test_freeze_panes(wb):
    assert wb[schema.INDICATORS].freeze_panes == "D4"  # under the header, after Chỉ tiêu
    assert wb[schema.PROJECTS].freeze_panes == "A4"
    assert wb[schema.REMARKS].freeze_panes == "A4"


# ----------------------------------------------------- locking and styling ---

@pytest.mark.parametrize("sheet", [s.name for s in LIST_SHEETS])
def test_plan_cells_locked_and_grey_input_cells_unlocked_and_tinted(wb, sheet):
    ws = wb[sheet]
    data_rows = len(getattr(example_book(), ROWS[sheet]))
    assert data_rows > 0
    for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + data_rows):
        for index, column in enumerate(COLUMNS[sheet], start=1):
            cell = ws.cell(row, index)
            assert cell.protection.locked is column.plan, (cell.coordinate, column.header)
            assert _rgb(cell) == (PLAN_FILL_COLOR if column.plan else INPUT_FILL_COLOR), cell.coordinate


@pytest.mark.parametrize("sheet", [s.name for s in LIST_SHEETS])
def test_spare_rows_are_unlocked_and_nothing_follows_them(wb, sheet):
    ws = wb[sheet]
    first_spare = FIRST_DATA_ROW + len(getattr(example_book(), ROWS[sheet]))
    last_spare = first_spare + SPARE[sheet] - 1
    assert SPARE[sheet] >= 20
    for row in range(first_spare, last_spare + 1):
        for index in range(1, len(COLUMNS[sheet]) + 1):
            cell = ws.cell(row, index)
            assert cell.value is None
            assert cell.protection.locked is False, cell.coordinate
    assert ws.max_row == last_spare == _last_row(sheet)


def test_remarks_sheet_has_thirty_spare_rows():
    assert SPARE[schema.REMARKS] == 30


@pytest.mark.parametrize("sheet", [schema.INFO, *(s.name for s in LIST_SHEETS)])
def test_sheets_protected_without_password_but_resizable(wb, sheet):
    protection = wb[sheet].protection
    assert protection.sheet is True
    assert not protection.password
    assert protection.formatColumns is False  # False = allowed
    assert protection.formatRows is False


def test_header_and_title_cells_are_locked(wb):
    ws = wb[schema.INDICATORS]
    assert ws["A1"].protection.locked and ws["A3"].protection.locked and ws["H3"].protection.locked


def test_every_written_cell_is_times_new_roman_12_and_so_is_the_default(example_path):
    wb = load_workbook(example_path)  # its own copy: touching Z500 below creates a cell
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == "Times New Roman", (ws.title, cell.coordinate)
    assert wb[schema.INDICATORS]["Z500"].font.name == "Times New Roman"  # where nothing was written
    assert wb[schema.INDICATORS]["Z500"].font.sz == 12
    assert wb[schema.INDICATORS]["C5"].font.sz == 12


def test_sample_note_is_red_on_info_and_indicators(wb):
    note = wb[schema.INDICATORS]["A2"]
    assert note.value.startswith(SAMPLE_NOTE)
    assert note.font.color.rgb.endswith(SAMPLE_COLOR)
    info_notes = [c for row in wb[schema.INFO].iter_rows() for c in row
                  if isinstance(c.value, str) and SAMPLE_NOTE in c.value]
    assert info_notes and info_notes[0].font.color.rgb.endswith(SAMPLE_COLOR)


def test_no_sample_note_on_a_real_workbook(blank_wb):
    for ws in blank_wb.worksheets:
        for row in ws.iter_rows():
            assert not any(isinstance(c.value, str) and "DỮ LIỆU MẪU" in c.value for c in row), ws.title


# ----------------------------------------------------- widths and formats ---

@pytest.mark.parametrize("sheet", [s.name for s in LIST_SHEETS])
def test_widths_and_number_formats_from_the_schema(wb, sheet):
    ws = wb[sheet]
    for index, column in enumerate(COLUMNS[sheet], start=1):
        letter = get_column_letter(index)
        assert ws.column_dimensions[letter].width == column.width, column.header
        if column.number_format:
            for row in (FIRST_DATA_ROW, _last_row(sheet)):
                assert ws.cell(row, index).number_format == column.number_format, (column.header, row)


def test_whole_numbers_lose_the_trailing_decimal_mark(wb):
    ws = wb[schema.INDICATORS]
    ranges = {str(cf.sqref) for cf in ws.conditional_formatting}
    for index, column in enumerate(list_columns.INDICATOR_COLUMNS, start=1):
        if column.kind == "number":
            letter = get_column_letter(index)
            assert f"{letter}{FIRST_DATA_ROW}:{letter}{_last_row(schema.INDICATORS)}" in ranges, column.header


def test_long_text_wraps_and_tall_rows_are_tall(wb):
    ws = wb[schema.INDICATORS]
    name_col = [c.key for c in list_columns.INDICATOR_COLUMNS].index("name") + 1
    row = next(r for r in range(FIRST_DATA_ROW, _last_row(schema.INDICATORS) + 1)
               if "2021-2025" in (ws.cell(r, name_col).value or ""))
    assert ws.cell(row, name_col).alignment.wrap_text
    assert ws.row_dimensions[row].height and ws.row_dimensions[row].height >= 30
    assert ws.row_dimensions[HEADER_ROW].height >= 30  # "Cùng kỳ năm trước" takes two lines


# ---------------------------------------------------------------- values ---

def _read_rows(ws, columns, count):
    for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + count):
        yield {c.key: ws.cell(row, i).value for i, c in enumerate(columns, start=1)}


def test_indicator_values_are_exact(wb):
    expected_rows = example_book().indicators
    read = list(_read_rows(wb[schema.INDICATORS], list_columns.INDICATOR_COLUMNS, len(expected_rows)))
    for expected, got in zip(expected_rows, read):
        for column in list_columns.INDICATOR_COLUMNS:
            want = expected.get(column.key)
            value = got[column.key]
            if column.kind == "number":
                assert (value is None) == (want is None), (expected["code"], column.key)
                if want is not None:
                    assert isinstance(value, (int, float)), (expected["code"], column.key, value)
                    assert Decimal(repr(value)) == want, (expected["code"], column.key)
            elif column.key == "estimated":
                assert value == ("x" if want else None), expected["code"]
            else:
                assert value == (want or None), (expected["code"], column.key)


def test_estimates_marked_x(wb):
    ws = wb[schema.INDICATORS]
    col = [c.key for c in list_columns.INDICATOR_COLUMNS].index("estimated") + 1
    marks = [ws.cell(r, col).value for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(example_book().indicators))]
    assert marks == ["x" if row["estimated"] else None for row in example_book().indicators]
    assert "x" in marks


def test_project_and_remark_values(wb):
    book = example_book()
    projects = list(_read_rows(wb[schema.PROJECTS], list_columns.PROJECT_COLUMNS, len(book.projects)))
    assert [p["code"] for p in projects] == [p["code"] for p in book.projects]
    assert [Decimal(repr(p["disbursed"])) for p in projects] == [p["disbursed"] for p in book.projects]
    remarks = list(_read_rows(wb[schema.REMARKS], list_columns.REMARK_COLUMNS, len(book.remarks)))
    assert remarks == [{"section": r["section"], "text": r["text"], "owner": r["owner"] or None,
                        "carried": "x" if r["carried"] else None} for r in book.remarks]


@pytest.mark.parametrize("value, expected", [
    (Decimal("442.0"), 442), (Decimal("498.6"), 498.6), (Decimal("1.005"), 1.005), (Decimal("0.17"), 0.17),
    (Decimal("52300"), 52300), (Decimal("-2.5"), -2.5), (Decimal("1E+3"), 1000),
])
def test_excel_number_is_exact(value, expected):
    converted = excel_number(value)
    assert converted == expected and type(converted) is type(expected)
    assert Decimal(repr(converted)) == value


def test_excel_number_refuses_nan():
    with pytest.raises(ValueError):
        excel_number(Decimal("NaN"))


def test_blank_book_keeps_plan_and_leaves_inputs_empty(blank_wb):
    ws = blank_wb[schema.INDICATORS]
    keys = [c.key for c in list_columns.INDICATOR_COLUMNS]
    plan = default_plan()
    for offset, indicator in enumerate(plan.indicators):
        row = FIRST_DATA_ROW + offset
        assert ws.cell(row, keys.index("code") + 1).value == indicator.code
        assert ws.cell(row, keys.index("target") + 1).value == (indicator.target_text or None)
        for key in ("month_value", "value", "same_period", "growth", "estimated"):
            assert ws.cell(row, keys.index(key) + 1).value is None


# ------------------------------------------------------------- Thông tin ---

def _info_rows(ws) -> dict[str, object]:
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == schema.INFO_HEADERS[0])
    assert [ws.cell(header, 1).value, ws.cell(header, 2).value] == list(schema.INFO_HEADERS)
    return {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(header + 1, header + 1 + len(schema.INFO_KEYS))}


def test_info_sheet_rows_and_locking(wb):
    rows = _info_rows(wb[schema.INFO])
    assert list(rows) == [k.label for k in schema.INFO_KEYS]
    assert rows["Kỳ báo cáo"].value == "Tháng 6/2023"
    assert rows["Kỳ báo cáo"].protection.locked is True
    assert rows["Dữ liệu mẫu"].value == "x"
    assert rows["Ngày ban hành"].number_format == "dd/mm/yyyy"
    for label, cell in rows.items():
        if label != "Kỳ báo cáo":
            assert cell.protection.locked is False, label


def test_info_sheet_writes_dates_as_dates(tmp_path):
    content = book_for_period(Period.parse("2023-07"), default_plan())
    content = replace(content, info={**content.info, "issue_date": date(2023, 7, 5), "doc_number": "125"})
    rows = _info_rows(load_workbook(write_book(content, tmp_path / "b.xlsx"))[schema.INFO])
    assert rows["Ngày ban hành"].value == datetime(2023, 7, 5)
    assert rows["Số văn bản"].value == "125"
    assert rows["Kỳ báo cáo"].value == "Tháng 7/2023"
    assert rows["Dữ liệu mẫu"].value is None


# ------------------------------------------------------------ validations ---

@pytest.mark.parametrize("sheet, key, expected", [
    (schema.INDICATORS, "kind", list(list_columns.KIND_CHOICES)),
    (schema.INDICATORS, "estimated", ["x"]),
    (schema.INDICATORS, "field", list(example_book().fields)),
    (schema.REMARKS, "section", list(list_columns.SECTION_CHOICES)),
])
def test_drop_downs_refer_to_the_list_sheet(wb, sheet, key, expected):
    ws = wb[sheet]
    index = [c.key for c in COLUMNS[sheet]].index(key) + 1
    letter = get_column_letter(index)
    for row in (FIRST_DATA_ROW, _last_row(sheet)):
        dv = _validation_for(ws, f"{letter}{row}")
        assert dv is not None and dv.type == "list", (sheet, key, row)
        assert dv.formula1.startswith(f"'{LIST_SHEET}'!"), dv.formula1
        assert _list_values(wb, dv.formula1) == expected
        assert dv.prompt  # the column's help shows when the cell is selected


def test_section_list_keeps_values_with_commas(wb):
    assert "Tồn tại, hạn chế" in list_columns.SECTION_CHOICES
    ws = wb[schema.REMARKS]
    dv = _validation_for(ws, f"A{FIRST_DATA_ROW}")
    assert "Tồn tại, hạn chế" in _list_values(wb, dv.formula1)
    assert '"' not in dv.formula1  # not an inline list
    assert dv.errorStyle in (None, "stop")


def test_number_columns_accept_only_numbers_with_a_vietnamese_message(wb):
    ws = wb[schema.INDICATORS]
    for index, column in enumerate(list_columns.INDICATOR_COLUMNS, start=1):
        if column.kind != "number":
            continue
        dv = _validation_for(ws, f"{get_column_letter(index)}{_last_row(schema.INDICATORS)}")
        assert dv is not None and dv.type == "decimal", column.header
        assert dv.allow_blank
        assert "số" in dv.error and re.search(r"[ạảãáàâấầẩẫậăắằẳẵặơờớởỡợưừứửữựđ]", dv.error)


def test_progress_between_0_and_100(wb):
    ws = wb[schema.PROJECTS]
    index = [c.key for c in list_columns.PROJECT_COLUMNS].index("progress") + 1
    dv = _validation_for(ws, f"{get_column_letter(index)}{FIRST_DATA_ROW}")
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "0", "100")
    assert dv.errorStyle in (None, "stop")


def test_sample_flag_on_info_is_a_drop_down(wb):
    ws = wb[schema.INFO]
    row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Dữ liệu mẫu")
    dv = _validation_for(ws, f"B{row}")
    assert dv.type == "list" and _list_values(wb, dv.formula1) == ["x"]


# ------------------------------------------------------------ instructions ---

def _guide_text(wb) -> str:
    return "\n".join(str(c.value) for row in wb[schema.GUIDE].iter_rows() for c in row if c.value is not None)


def test_guide_names_every_column_with_its_help(wb):
    text = _guide_text(wb)
    for columns in COLUMNS.values():
        for column in columns:
            assert column.header in text
            assert column.help in text, column.header
    for key in schema.INFO_KEYS:
        assert key.label in text and key.help in text


def test_guide_explains_targets_estimates_unprotecting_and_commands(wb):
    text = _guide_text(wb)
    for example in ("trên 13", "600 trở lên", "khoảng 83,1", "“0”", "giảm 13", "dưới 5", "10 - 12",
                    "tăng trên 10%"):
        assert example in text, example
    assert all(example in text for example, _ in TARGET_EXAMPLES)
    assert "Ước tính" in text and "ước đạt" in text
    assert "Unprotect Sheet" in text and "mật khẩu" in text
    assert "1.234,5" in text
    assert "reportgen check inputs/2023-06.xlsx" in text
    assert "reportgen generate inputs/2023-06.xlsx" in text


def test_print_setup_landscape_fit_to_width_with_header_repeated(wb):
    ws = wb[schema.INDICATORS]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"


# --------------------------------------------------------------- the file ---

def test_properties_are_fixed_by_the_period(wb, blank_wb):
    assert wb.properties.creator == "reportgen"
    assert wb.properties.created == wb.properties.modified == datetime(2023, 6, 1)
    assert blank_wb.properties.modified == datetime(2023, 7, 1)


def test_same_content_gives_the_same_bytes(tmp_path):
    first = write_book(example_book(), tmp_path / "a.xlsx").read_bytes()
    second = write_book(example_book(), tmp_path / "b.xlsx").read_bytes()
    assert first == second


def test_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "2023-06.xlsx"
    target.write_bytes(b"old")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("reportgen.workbook.write.input_workbook.save_reproducibly", boom)
    with pytest.raises(RuntimeError):
        write_book(example_book(), target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["2023-06.xlsx"]


def test_openpyxl_is_imported_only_by_the_workbook_package():
    offenders = []
    for path in (REPO / "reportgen").rglob("*.py"):
        if "workbook" in path.relative_to(REPO / "reportgen").parts:
            continue
        if re.search(r"^\s*(from|import)\s+openpyxl", path.read_text(encoding="utf-8"), re.MULTILINE):
            offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


# ------------------------------------------------- the reader's side of it ---

def test_reader_reads_back_what_was_written(example_path):
    from reportgen.workbook.read.reader import read_workbook

    result = read_workbook(example_path)
    assert result.ok, "\n".join(str(i) for i in result.issues)
    by_code = {i.code: i for i in result.report.indicators}
    for row in example_book().indicators:
        indicator = by_code[row["code"]]
        for key in ("baseline", "month_value", "value", "same_period", "growth"):
            assert getattr(indicator, key) == row.get(key), (row["code"], key)
        assert indicator.estimated is row["estimated"]
        assert indicator.kind.value == row["kind"]
        assert (indicator.target.text if indicator.target else "") == row["target"]
    sections = [r.section.value for r in result.report.remarks]
    assert sections == [r["section"] for r in example_book().remarks]


def test_lines_of_whitespace_alone_make_no_block_as_tidying_them_would():
    """parse_markup skips a line of whitespace without tidying it: tidy makes any such line empty."""
    import sys

    from reportgen.core.vntext import tidy
    from reportgen.document.markup import parse_markup

    spaces = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]
    assert all(tidy(c) == tidy(c * 3) == "" for c in spaces) and tidy("".join(spaces)) == ""
    lines = [c * 2 for c in spaces if c not in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"]
    assert parse_markup("\n".join(["", *lines, "Đoạn văn", *lines, "- Ý một", ""])) == parse_markup("Đoạn văn\n- Ý một")
