"""The workbook reader on well-formed but realistic input: everything a district
office's workbook may look like and must still be read exactly.

Workbooks are built with the independent builder in tests/fixtures/make_hostile.py
and then changed in the way real files differ from the template.
"""

from __future__ import annotations

import ast
import io
import re
import unicodedata
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from fixtures.make_hostile import (HEADER_ROW, INDICATORS, INFO_ROWS, book_bytes, cell_of, info_cell, normalise_zip, patch_cell,
                                   sheet_index, valid_book, with_indicator)
from reportgen.core.files import sha256_file
from reportgen.core.issues import Severity
from reportgen.domain.report_input import IndicatorKind, Section
from reportgen.core.periods import Period
from reportgen.core.targets import TargetKind
from reportgen.workbook import schema
from reportgen.workbook.read.reader import Limits, read_workbook

PACKAGE = Path(__file__).resolve().parents[1] / "reportgen"


def save(tmp_path: Path, wb: Workbook | bytes, name: str = "2023-06.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(wb if isinstance(wb, bytes) else book_bytes(wb))
    return path


def read_ok(path: Path, notes: tuple[str, ...] = ()):
    """The report of a workbook read without errors or warnings; its notes (columns left out) are ``notes``."""
    result = read_workbook(path)
    assert [str(i) for i in result.issues if i.severity is not Severity.NOTE] == []
    assert tuple(i.message for i in result.issues if i.severity is Severity.NOTE) == notes
    assert result.ok and result.report is not None
    return result.report


def by_code(report, code: str):
    return next(i for i in report.indicators if i.code == code)


# ----------------------------------------------------------- read back ----

def test_valid_workbook_is_read_back_field_by_field(tmp_path):
    path = save(tmp_path, valid_book())
    report = read_ok(path)

    info = report.info
    assert info.period == Period.parse("2023-06")
    assert (info.doc_number, info.issue_date, info.signer, info.signer_title, info.sample) == \
        ("125", date(2023, 6, 16), "Nguyễn Văn A", "PHÓ CHỦ TỊCH", True)
    assert report.extra == {}
    assert report.source == str(path)
    assert report.sha256 == sha256_file(path)

    assert [i.code for i in report.indicators] == ["KT01", "KT02", "XH01", "XH02", "XH03", "XH04"]
    assert report.fields() == ["Kinh tế", "Văn hóa - Xã hội"]
    kt01 = by_code(report, "KT01")
    assert (kt01.name, kt01.unit, kt01.kind, kt01.row) == ("Giá trị sản xuất", "%", IndicatorKind.GROWTH, 4)
    assert (kt01.target.kind, kt01.target.value, kt01.target.growth) == (TargetKind.FLOOR, Decimal("13"), True)
    assert (kt01.value, kt01.same_period, kt01.growth, kt01.estimated) == (Decimal("498.6"), Decimal("442"), None, True)
    kt02 = by_code(report, "KT02")
    assert (kt02.kind, kt02.month_value, kt02.value, kt02.estimated) == \
        (IndicatorKind.CUMULATIVE, Decimal("21.7"), Decimal("61.2"), False)
    xh02 = by_code(report, "XH02")
    assert (xh02.target.kind, xh02.target.value, xh02.target.tolerance) == \
        (TargetKind.APPROX, Decimal("83.1"), Decimal("0.05"))
    xh03 = by_code(report, "XH03")
    assert (xh03.kind, xh03.target.kind, xh03.baseline, xh03.value) == \
        (IndicatorKind.POINT, TargetKind.REDUCTION, Decimal("312"), Decimal("305"))
    assert by_code(report, "XH04").note == "Số liệu của BHXH huyện."

    ct01 = report.projects[0]
    assert (ct01.code, ct01.name, ct01.total_investment, ct01.planned_completion, ct01.progress, ct01.disbursed,
            ct01.status_text, ct01.row) == ("CT01", "Tràn xả lũ (giai đoạn 1)", Decimal("45.5"), "Quý IV/2023",
                                            Decimal("65"), Decimal("12.3"), "Đang thi công phần thân tràn.", 4)
    assert [(r.section, r.text, r.row) for r in report.remarks] == [
        (Section.ECONOMY, "Sản xuất nông nghiệp ổn định.", 4),
        (Section.ECONOMY, "Du lịch phục hồi mạnh.", 4),
        (Section.TASKS, "Đẩy nhanh tiến độ giải ngân vốn đầu tư công.", 5),
    ]


def test_thong_tin_variants_and_extra_labels(tmp_path):
    wb = valid_book(info=[])
    ws = wb[schema.INFO]
    ws.append([1, "KỲ BÁO CÁO:", None, "2023-06"])          # STT column, colon, a gap column, a code
    ws.append([2, "Ngày ban hành", "16/6/2023"])              # date typed as text
    ws.append([3, "Số liệu mẫu", "có"])                       # alias of Dữ liệu mẫu
    ws.append([4, "Đơn vị báo cáo", "Phòng Tài chính - Kế hoạch"])
    ws.append([5, "Số điện thoại", 2033878123])
    report = read_ok(save(tmp_path, wb))
    assert report.info.period == Period.month(2023, 6)
    assert report.info.issue_date == date(2023, 6, 16)
    assert report.info.sample is True
    assert report.info.doc_number is None
    assert report.extra == {"Đơn vị báo cáo": "Phòng Tài chính - Kế hoạch", "Số điện thoại": "2033878123"}


def test_period_typed_as_a_date_by_excel(tmp_path):
    wb = valid_book()
    info_cell(wb, "Kỳ báo cáo").value = date(2023, 6, 1)     # Excel turned "6/2023" into 01/06/2023
    assert read_ok(save(tmp_path, wb)).info.period == Period.month(2023, 6)


# ------------------------------------------------------------ layout ----

def test_header_on_row_4_under_merged_titles_with_headings_totals_and_blank_rows(tmp_path):
    wb = valid_book()
    del wb[schema.INDICATORS]
    ws = wb.create_sheet(schema.INDICATORS, 1)
    ws.append(["ỦY BAN NHÂN DÂN HUYỆN BÌNH LIÊU"])
    ws.merge_cells("A1:J1")
    ws.append(["BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI"])
    ws.merge_cells("A2:J2")
    ws.append([])
    ws.append(["STT", "Mã", "Lĩnh vực", "Chỉ tiêu", "ĐVT", "Loại", "Kế hoạch năm", "Lũy kế", "Người nhập", "Ghi chú"])
    ws.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)"])
    ws.append(["I", None, None, "KINH TẾ"])
    ws.append([1, "KT02", "Kinh tế", "Thu ngân sách", "tỷ đồng", "Lũy kế", "trên 124", 61.2, "Lan"])
    ws.append([])
    ws.append([])
    ws.append(["II", None, None, "VĂN HÓA - XÃ HỘI"])
    ws.append([2, "XH01", "Văn hóa - Xã hội", "Giải quyết việc làm", "lao động", "Lũy kế", "600 trở lên", 318])
    ws.append([None, None, None, "Tổng cộng", None, None, None, 379.2])
    ws.append([None, "I. QUỐC PHÒNG - AN NINH"])                # a heading typed in the Mã column
    report = read_ok(save(tmp_path, wb), notes=(
        "Các cột không thuộc mẫu nên không được dùng trong báo cáo: “STT” (cột A); “Người nhập” (cột I).",))
    assert [(i.code, i.row, i.value) for i in report.indicators] == [
        ("KT02", 7, Decimal("61.2")), ("XH01", 11, Decimal("318"))]
    assert report.indicators[0].month_value is None              # optional columns may be absent


def test_header_aliases_case_spacing_and_tone_placement(tmp_path):
    wb = valid_book()
    ws = wb[schema.INDICATORS]
    headers = {"code": "MÃ CHỈ TIÊU", "field": "Nhóm", "name": "Tên  chỉ tiêu", "unit": "Đơn vị tính",
               "kind": "Loại chỉ tiêu", "target": "KẾ HOẠCH NĂM", "value": "Luỹ kế",
               "same_period": "Cùng kỳ", "note": "Ghi chú "}
    for key, header in headers.items():
        ws.cell(HEADER_ROW, cell_of(wb, schema.INDICATORS, "KT01", key).column, header)
    ws.cell(HEADER_ROW, cell_of(wb, schema.INDICATORS, "KT01", "target").column, "Kế hoạch\nnăm")
    cell_of(wb, schema.INDICATORS, "KT02", "kind").value = "lũy kế"
    cell_of(wb, schema.INDICATORS, "XH01", "kind").value = "Luỹ kế"
    cell_of(wb, schema.INDICATORS, "XH02", "kind").value = "THỜI ĐIỂM"
    ws.title = "tạm"                 # openpyxl compares titles case-insensitively: rename in two steps
    ws.title = "CHỈ TIÊU"
    wb[schema.INFO].title = "Thông  tin"
    report = read_ok(save(tmp_path, wb))
    assert [i.kind for i in report.indicators][1:4] == [IndicatorKind.CUMULATIVE, IndicatorKind.CUMULATIVE,
                                                        IndicatorKind.POINT]
    assert by_code(report, "KT02").value == Decimal("61.2")


def test_unknown_sheets_are_ignored_and_optional_sheets_may_be_absent(tmp_path):
    wb = valid_book()
    del wb[schema.PROJECTS]
    del wb[schema.REMARKS]
    wb.create_sheet("Hướng dẫn").append(["Điền số liệu vào các ô nền xanh."])
    hidden = wb.create_sheet("Danh mục")
    hidden.append(["Lũy kế", "Thời điểm", "Tăng trưởng"])
    hidden.sheet_state = "hidden"
    report = read_ok(save(tmp_path, wb))
    assert (report.projects, report.remarks) == ((), ())


# ------------------------------------------------------------- values ----

def test_numbers_typed_as_vietnamese_text(tmp_path):
    rows = with_indicator("KT02", month_value="21,7", value="1.234,5", same_period="8.000")
    rows = [dict(r, value="97,6%") if r["code"] == "XH04" else r for r in rows]
    rows = [dict(r, same_period="-") if r["code"] == "XH01" else r for r in rows]
    report = read_ok(save(tmp_path, valid_book(rows)))
    kt02 = by_code(report, "KT02")
    assert (kt02.month_value, kt02.value, kt02.same_period) == (Decimal("21.7"), Decimal("1234.5"), Decimal("8000"))
    assert by_code(report, "XH04").value == Decimal("97.6")
    assert by_code(report, "XH01").same_period is None          # "-" means no figure


def test_percent_formatted_cells_are_read_in_percent_units(tmp_path):
    wb = valid_book()
    scaled = cell_of(wb, schema.INDICATORS, "XH02", "value")
    scaled.value, scaled.number_format = 0.826, "0.0%"
    literal = cell_of(wb, schema.INDICATORS, "XH04", "value")
    literal.value, literal.number_format = 97.1, '0.0"%"'        # a "%" sign only printed, not a scale
    target = cell_of(wb, schema.INDICATORS, "XH04", "target")
    target.value, target.number_format = 0.976, "0.0%"           # a target typed as a percent number
    report = read_ok(save(tmp_path, wb))
    assert by_code(report, "XH02").value == Decimal("82.6")
    assert by_code(report, "XH04").value == Decimal("97.1")
    assert by_code(report, "XH04").target.value == Decimal("97.6")


def test_formula_cells_use_their_cached_value(tmp_path):
    wb = valid_book()
    cell = cell_of(wb, schema.INDICATORS, "KT02", "value")
    month = cell_of(wb, schema.INDICATORS, "KT02", "month_value")
    cell.value = "=1"
    data = patch_cell(book_bytes(wb), sheet_index(schema.INDICATORS), cell.coordinate,
                      f'<c r="{cell.coordinate}"><f>{month.coordinate}+39.5</f><v>61.2</v></c>')
    assert by_code(read_ok(save(tmp_path, data)), "KT02").value == Decimal("61.2")


def test_formula_returning_empty_text_is_a_blank_not_a_missing_result(tmp_path):
    wb = valid_book()
    cell = cell_of(wb, schema.INDICATORS, "KT02", "same_period")
    cell.value = "=1"
    data = patch_cell(book_bytes(wb), sheet_index(schema.INDICATORS), cell.coordinate,
                      f'<c r="{cell.coordinate}" t="str"><f>IF(TRUE,"")</f><v></v></c>')
    assert by_code(read_ok(save(tmp_path, data)), "KT02").same_period is None


def test_excel_escapes_are_decoded_and_line_breaks_kept_in_multiline_cells(tmp_path):
    wb = valid_book()
    cell_of(wb, schema.INDICATORS, "XH04", "note").value = "Dòng một._x000D_\nDòng hai."
    cell_of(wb, schema.INDICATORS, "XH03", "name").value = "Hộ cận nghèo_x005F_x000D_"   # a literal "_x000D_"
    cell_of(wb, schema.INDICATORS, "XH02", "name").value = "Tỷ lệ lao động\nqua đào tạo"  # Alt+Enter in a name
    report = read_ok(save(tmp_path, wb))
    assert by_code(report, "XH04").note == "Dòng một.\nDòng hai."
    assert by_code(report, "XH03").name == "Hộ cận nghèo_x000D_"
    assert by_code(report, "XH02").name == "Tỷ lệ lao động qua đào tạo"


def test_nfd_and_combining_tone_input_is_normalised_to_nfc(tmp_path):
    combining = b"Vi\xea\xf2t Nam".decode("cp1258")               # 'ê' + U+0323: neither NFC nor NFD
    assert not unicodedata.is_normalized("NFC", combining)
    wb = valid_book()
    cell_of(wb, schema.INDICATORS, "KT02", "name").value = unicodedata.normalize("NFD", "Thu ngân sách Bình Liêu")
    cell_of(wb, schema.INDICATORS, "KT02", "field").value = unicodedata.normalize("NFD", "Kinh tế")
    cell_of(wb, schema.INDICATORS, "XH01", "note").value = combining
    wb[schema.INDICATORS].cell(HEADER_ROW, 3, unicodedata.normalize("NFD", "Chỉ tiêu"))
    report = read_ok(save(tmp_path, wb))
    assert by_code(report, "KT02").name == "Thu ngân sách Bình Liêu"
    assert by_code(report, "XH01").note == "Việt Nam"
    assert report.fields() == ["Kinh tế", "Văn hóa - Xã hội"]    # NFD "Kinh tế" is the same group
    texts = [t for i in report.indicators for t in (i.code, i.field, i.name, i.unit, i.note)]
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)


def test_small_rates_under_a_ceiling_target_are_not_taken_for_fractions(tmp_path):
    rows = with_indicator("XH04", name="Tỷ lệ hộ nghèo", target="dưới 5", value=0.5, same_period=0.8)
    assert by_code(read_ok(save(tmp_path, valid_book(rows))), "XH04").value == Decimal("0.5")


def test_flags_accept_their_marks_and_an_explicit_no(tmp_path):
    rows = [dict(r, estimated=mark) for r, mark in zip(INDICATORS, ["X", "ước tính", "Có", "không", "0", None])]
    wb = valid_book(rows)
    cell_of(wb, schema.INDICATORS, "XH03", "estimated").value = True          # a ticked checkbox
    info_cell(wb, "Dữ liệu mẫu").value = "không"
    report = read_ok(save(tmp_path, wb))
    assert [i.estimated for i in report.indicators] == [True, True, True, False, True, False]
    assert report.info.sample is False


def test_growth_entered_directly_and_blank_target_are_allowed(tmp_path):
    rows = with_indicator("KT01", value=None, same_period=None, growth=13.4)
    rows = [dict(r, target=None) if r["code"] == "XH01" else r for r in rows]
    report = read_ok(save(tmp_path, valid_book(rows)))
    assert by_code(report, "KT01").growth == Decimal("13.4")
    assert by_code(report, "XH01").target is None


def test_xlsm_is_read_with_its_macros_ignored(tmp_path):
    data = book_bytes(valid_book())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    types = types.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                          "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    data = normalise_zip(data, {"[Content_Types].xml": types.encode()})
    with zipfile.ZipFile(io.BytesIO(data), "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\xcc" * 512)          # the macros: never run, never read
    path = tmp_path / "2023-06.xlsm"
    path.write_bytes(data)
    assert len(read_ok(path).indicators) == 6


def test_content_decides_not_the_extension(tmp_path):
    path = save(tmp_path, valid_book(), name="2023-06.bak")        # openpyxl itself refuses this name
    assert read_ok(path).info.period == Period.month(2023, 6)


def test_warnings_do_not_prevent_the_report(tmp_path):
    result = read_workbook(save(tmp_path, valid_book(with_indicator("XH02", value="82.6"))))
    assert result.ok and result.report is not None
    assert [i.code for i in result.issues] == ["number.english_decimal"]
    assert by_code(result.report, "XH02").value == Decimal("82.6")


def test_every_problem_is_reported_in_sheet_row_column_order(tmp_path):
    wb = valid_book(with_indicator("XH01", value="nhiều", kind="Cộng dồn"))
    cell_of(wb, schema.INDICATORS, "KT02", "target").value = "vượt"
    info_cell(wb, "Ngày ban hành").value = "hôm qua"
    cell_of(wb, schema.PROJECTS, "CT02", "progress").value = -3
    result = read_workbook(save(tmp_path, wb))
    assert [(i.sheet, i.cell, i.code) for i in result.issues] == [
        ("Thông tin", "B5", "date.invalid"),
        ("Chỉ tiêu", "F5", "target.invalid"),
        ("Chỉ tiêu", "E6", "kind.unknown"),
        ("Chỉ tiêu", "I6", "number.invalid"),
        ("Công trình", "E5", "progress.out_of_range"),
    ]
    assert result.report is None


# -------------------------------------------------------- robustness ----

def test_sheet_styled_down_to_a_million_rows_is_read_without_walking_them(tmp_path):
    data = book_bytes(valid_book())
    member = f"xl/worksheets/sheet{sheet_index(schema.INDICATORS)}.xml"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(member).decode()
    empty_rows = "".join(f'<row r="{n}" spans="1:13" s="0" customFormat="1"/>' for n in range(20, 300_000))
    xml = xml.replace("</sheetData>", empty_rows + "</sheetData>")
    xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
    report = read_ok(save(tmp_path, normalise_zip(data, {member: xml.encode()})))
    assert len(report.indicators) == 6


def test_a_sheet_declaring_too_small_a_size_is_read_whole(tmp_path):
    data = book_bytes(valid_book())
    member = f"xl/worksheets/sheet{sheet_index(schema.INDICATORS)}.xml"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(member).decode()
    xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:B2"/>', xml)
    report = read_ok(save(tmp_path, normalise_zip(data, {member: xml.encode()})))
    assert len(report.indicators) == 6


def test_limits_are_parameters(tmp_path):
    path = save(tmp_path, valid_book())
    assert read_workbook(path, Limits(max_rows=6)).ok
    assert [i.code for i in read_workbook(path, Limits(max_rows=5)).issues] == ["rows.too_many"]


def test_openpyxl_is_imported_only_by_the_workbook_package():
    offenders = []
    for source in PACKAGE.rglob("*.py"):
        if "workbook" in source.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(name.split(".")[0] == "openpyxl" for name in names):
                offenders.append(str(source.relative_to(PACKAGE)))
    assert offenders == []


def test_info_rows_of_the_builder_are_the_schema_labels():
    """Guards the fixture builder itself: its Thông tin labels are the canonical ones."""
    labels = {key.label for key in schema.INFO_KEYS}
    assert {label for label, _ in INFO_ROWS} <= labels


@pytest.mark.parametrize("name", ["valid.xlsx"])
def test_committed_valid_fixtures_read(name):
    result = read_workbook(Path(__file__).parent / "fixtures" / "hostile" / name)
    assert result.ok and result.report is not None
