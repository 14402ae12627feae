"""The figures file: every computed value of the example, as JSON and as a workbook read back."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reportgen.domain.assess import assess
from reportgen.report.figures_file import SCHEMA, decimal_text, figures_document, figures_json, figures_table
from reportgen.workbook.write.figures_workbook import (
    INDICATOR_COLUMNS, INDICATOR_SHEET, PROJECT_COLUMNS, PROJECT_SHEET, write_figures_xlsx,
)

from conftest import ROOT, example_report


@pytest.fixture(scope="module")
def report():
    return example_report()


@pytest.fixture(scope="module")
def result(report):
    return assess(report)


@pytest.fixture(scope="module")
def parsed(report, result) -> dict:
    return json.loads(figures_json(report, result))


def indicator(parsed: dict, code: str) -> dict:
    (row,) = [row for row in parsed["indicators"] if row["code"] == code]
    return row


# ------------------------------------------------------------------- JSON ----

def test_growth_indicator_keeps_its_exact_growth_and_status(parsed):
    kt01 = indicator(parsed, "KT01")
    assert kt01["growth"].startswith("12.805429864253393")
    assert Decimal(kt01["growth"]) == (Decimal("498.6") * 100 / Decimal("442.0")) - 100
    assert kt01["growth_display"] == "12,81"
    assert kt01["growth_entered"] is False
    assert kt01["status"] == "Chưa đạt"
    assert kt01["target"] == "tăng trên 13%" and kt01["target_kind"] == "floor" and kt01["target_value"] == "13"
    assert kt01["judged_on_growth"] is True and kt01["direction"] == "higher"
    assert kt01["plan_ratio"] is None and kt01["plan_ratio_display"] is None
    assert kt01["point_diff_display"] == "-0,19"
    assert kt01["name"] == "Giá trị sản xuất (giá so sánh 2010)" and kt01["unit"] == "tỷ đồng"


def test_cumulative_indicator_on_track(parsed):
    xh01 = indicator(parsed, "XH01")
    assert xh01["plan_ratio"] == "53" and xh01["plan_ratio_display"] == "53"   # the prose's precision
    assert xh01["measure"] == "flow" and xh01["progress"] == "53"
    assert xh01["status"] == "Đúng tiến độ"
    assert xh01["expected_ratio"] == "50"
    assert xh01["kind"] == "Lũy kế" and xh01["value"] == "318" and xh01["month_value"] == "57"


def test_reduction_and_no_target_rows(parsed):
    xh07 = indicator(parsed, "XH07")
    assert (xh07["target_kind"], xh07["direction"], xh07["reduction"], xh07["baseline"]) == \
        ("reduction", "lower", "11", "108")
    assert xh07["measure"] == "reduction" and xh07["plan_ratio_display"] == "84,62"
    kt06 = indicator(parsed, "KT06")
    assert kt06["status"] == "Không có kế hoạch" and kt06["measure"] == "none"
    assert kt06["target"] is None and kt06["target_kind"] is None and kt06["direction"] is None
    # a rate against the same period: percentage points, never a ratio of two rates
    assert kt06["same_period_ratio"] is None and kt06["same_period_points_display"] == "2,7"


def test_document_header_summary_and_projects(parsed, result):
    assert parsed["schema"] == SCHEMA
    assert parsed["period"] == {"code": "2023-06", "label": "tháng 6 năm 2023", "year": 2023}
    assert parsed["elapsed_ratio"] == "50" and parsed["sample"] is True
    assert parsed["source"] == {"file": "2023-06.xlsx", "sha256": None}
    assert parsed["summary"]["total"] == result.summary.total
    assert sum(entry["count"] for entry in parsed["summary"]["counts"]) == len(parsed["indicators"])
    assert [row["code"] for row in parsed["projects"]] == ["CT01", "CT02", "CT03"]
    assert parsed["projects"][0]["progress"] == "65"
    assert "Bình Liêu" in parsed["projects"][0]["name"]


def test_every_row_of_a_record_has_the_same_keys(report, result):
    rows = figures_table(report, result)
    for record in ("indicator", "project"):
        keys = {frozenset(row) for row in rows if row["record"] == record}
        assert len(keys) == 1
    assert [row["record"] for row in rows] == ["indicator"] * len(result.items) + ["project"] * 3


def test_the_brief_s_columns_are_all_there(report, result):
    expected = {"code", "field", "name", "unit", "kind", "target", "target_kind", "direction", "baseline",
                "month_value", "value", "same_period", "growth", "growth_entered", "estimated", "plan_ratio",
                "same_period_ratio", "same_period_change", "point_diff", "reduction", "expected_ratio", "status"}
    assert expected <= set(figures_table(report, result)[0])


def test_json_is_byte_identical_sorted_nfc_utf8(report, result):
    first = figures_json(report, result)
    assert first == figures_json(report, assess(example_report()))
    text = first.decode("utf-8")
    assert text == unicodedata.normalize("NFC", text) and text.endswith("}\n")
    assert "Chưa đạt" in text and "\\u" not in text  # ensure_ascii off
    assert first == json.dumps(json.loads(first), ensure_ascii=False, sort_keys=True, indent=2).encode() + b"\n"


def test_json_is_the_same_in_another_process(report, result):
    code = (f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'tests')!r}]\n"
            "from conftest import example_report\nfrom reportgen.domain.assess import assess\n"
            "from reportgen.report.figures_file import figures_json\nr = example_report()\n"
            "sys.stdout.buffer.write(figures_json(r, assess(r)))\n")
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                           env={"PYTHONHASHSEED": "4242", "PATH": "/usr/bin:/bin"})
    assert child.stdout == figures_json(report, result)


def test_source_is_named_without_its_folder(report, result):
    moved = replace(report, source="/home/somebody/báo cáo/inputs/2023-06.xlsx", sha256="ab" * 32)
    assert figures_document(moved, result)["source"] == {"file": "2023-06.xlsx", "sha256": "ab" * 32}


@pytest.mark.parametrize("value, text", [
    (Decimal("1E+2"), "100"), (Decimal("-0"), "0"), (Decimal("0E-25"), "0"), (Decimal("53"), "53"),
    (Decimal("12.50"), "12.50"), (Decimal("-0.1945"), "-0.1945"),
])
def test_decimals_are_written_in_plain_notation(value, text):
    assert decimal_text(value) == text


# ------------------------------------------------------------------- XLSX ----

@pytest.fixture(scope="module")
def workbook(report, result, tmp_path_factory):
    path = tmp_path_factory.mktemp("figures") / "so-lieu.xlsx"
    write_figures_xlsx(figures_table(report, result), path, created=datetime(2023, 6, 16, 8))
    return load_workbook(path)


def _row(sheet, code: str) -> dict:
    headers = [cell.value for cell in sheet[1]]
    for cells in sheet.iter_rows(min_row=2, values_only=True):
        if cells[0] == code:
            return dict(zip(headers, cells))
    raise KeyError(code)


def test_workbook_sheets_headers_and_frozen_header(workbook):
    assert workbook.sheetnames == [INDICATOR_SHEET, PROJECT_SHEET]
    sheet = workbook[INDICATOR_SHEET]
    assert [cell.value for cell in sheet[1]] == [column.header for column in INDICATOR_COLUMNS]
    assert [cell.value for cell in workbook[PROJECT_SHEET][1]] == [column.header for column in PROJECT_COLUMNS]
    assert sheet.freeze_panes == "D2" and sheet[1][0].font.b
    assert sheet.max_row == 1 + 16
    assert sheet.column_dimensions["C"].width == 44


def test_workbook_numbers_are_numbers_with_formats(workbook):
    sheet = workbook[INDICATOR_SHEET]
    kt01 = _row(sheet, "KT01")
    assert kt01["Tốc độ tăng (%)"] == pytest.approx(12.8054298642534)
    assert kt01["Lũy kế / Thực hiện"] == pytest.approx(498.6)
    assert kt01["Đánh giá"] == "Chưa đạt" and kt01["Dạng kế hoạch"] == "Tối thiểu"
    xh01 = _row(sheet, "XH01")
    assert xh01["% KH năm"] == 53 and xh01["Đánh giá"] == "Đúng tiến độ"
    growth_cell = next(cell for cell in sheet["P"][1:] if cell.value is not None)
    assert growth_cell.data_type == "n" and growth_cell.number_format == "#,##0.00"
    assert _row(sheet, "KT07")["Lũy kế / Thực hiện"] == 52300


def test_workbook_keeps_vietnamese_text_and_projects(workbook):
    sheet = workbook[INDICATOR_SHEET]
    assert _row(sheet, "KT03")["Chỉ tiêu"] == "Tổng kim ngạch xuất, nhập khẩu hàng hóa"
    projects = workbook[PROJECT_SHEET]
    ct01 = _row(projects, "CT01")
    assert ct01["Công trình, dự án"] == "Cải tạo, nâng cấp hệ thống tràn vượt lũ trên địa bàn huyện Bình Liêu (giai đoạn 1)"
    assert ct01["Tiến độ (%)"] == 65 and ct01["Giải ngân (tỷ đồng)"] == pytest.approx(38.2)


def test_workbook_is_byte_identical_and_dated_as_asked(report, result, tmp_path):
    rows = figures_table(report, result)
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_figures_xlsx(rows, first, created=datetime(2023, 6, 16, 8))
    write_figures_xlsx(rows, second, created=datetime(2023, 6, 16, 8))
    assert first.read_bytes() == second.read_bytes()
    properties = load_workbook(first).properties
    assert properties.created == properties.modified == datetime(2023, 6, 16, 8)
    assert properties.creator == "reportgen"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx", "b.xlsx"]  # no temporary file left behind


def test_text_that_looks_like_a_formula_stays_text(report, result, tmp_path):
    rows = figures_table(report, result)
    rows[0] = {**rows[0], "name": "=HYPERLINK(\"http://x\")", "note": "+1"}
    path = write_figures_xlsx(rows, tmp_path / "f.xlsx")
    cell = load_workbook(path)[INDICATOR_SHEET]["C2"]
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"


def test_openpyxl_is_imported_only_by_the_workbook_package():
    importing = re.compile(r"^\s*(import|from)\s+openpyxl\b", re.MULTILINE)
    offenders = [path.relative_to(ROOT) for path in (ROOT / "reportgen").rglob("*.py")
                 if "workbook" not in path.parts and importing.search(path.read_text(encoding="utf-8"))]
    assert not offenders
