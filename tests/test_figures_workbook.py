"""The figures workbook (XlsxWriter) read back by openpyxl and LibreOffice: every cell typed, formatted, laid out."""

from __future__ import annotations

import csv
import subprocess
from datetime import datetime

import pytest
from openpyxl import load_workbook

from reportgen.domain.assess import assess
from reportgen.report.figures_file import figures_table
from reportgen.workbook.write.figures_workbook import (INDICATOR_COLUMNS, INDICATOR_SHEET, PROJECT_COLUMNS, PROJECT_SHEET,
                                             write_figures_xlsx)

from conftest import example_report
from test_docx_writer import soffice_or_skip

CREATED = datetime(2023, 6, 16, 8)


def _rows() -> list[dict]:
    report = example_report()
    return figures_table(report, assess(report))


def test_the_header_row_is_bold_filled_wrapped_filtered_and_frozen(tmp_path):
    workbook = load_workbook(write_figures_xlsx(_rows(), tmp_path / "f.xlsx", created=CREATED))
    for sheet, columns, frozen, last in ((workbook[INDICATOR_SHEET], INDICATOR_COLUMNS, "D2", "AB"),
                                         (workbook[PROJECT_SHEET], PROJECT_COLUMNS, "C2", "H")):
        header = sheet[1]
        assert [cell.value for cell in header] == [column.header for column in columns]
        assert all(cell.font.b and cell.fill.fgColor.rgb == "FFD9E1F2" and cell.alignment.wrap_text
                   and cell.alignment.horizontal == "center" and cell.alignment.vertical == "center"
                   for cell in header)
        assert sheet.freeze_panes == frozen and sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
        assert sheet.row_dimensions[1].height == 45
        widths = {number: dim.width for dim in sheet.column_dimensions.values() for number in range(dim.min, dim.max + 1)}
        assert [widths[number] for number in range(1, len(columns) + 1)] == \
            [column.width for column in columns]
    assert workbook[INDICATOR_SHEET].max_row == 17 and workbook[PROJECT_SHEET].max_row == 1 + 3


def test_every_figure_is_a_number_with_its_format_and_every_text_is_text(tmp_path):
    rows = _rows()
    sheet = load_workbook(write_figures_xlsx(rows, tmp_path / "f.xlsx", created=CREATED))[INDICATOR_SHEET]
    formats = {"amount": {"#,##0.###", "#,##0"}, "ratio": {"#,##0.00"}, "whole": {"#,##0"}}
    indicators = [row for row in rows if row["record"] == "indicator"]
    for line, row in enumerate(indicators, 2):
        for number, column in enumerate(INDICATOR_COLUMNS, 1):
            cell, value = sheet.cell(line, number), row.get(column.key)
            if column.kind in formats and value is not None:
                assert cell.data_type == "n" and cell.value == pytest.approx(float(value)), (column.key, line)
                assert cell.number_format in formats[column.kind], (column.key, line)
            elif column.kind == "flag":
                assert cell.value == ("Có" if value else None), (column.key, line)
            elif value not in (None, ""):
                assert cell.data_type == "s" and cell.value == (column.words or {}).get(value, value), (column.key, line)
            else:
                assert cell.value is None, (column.key, line)


@pytest.mark.parametrize("change, indicators, projects", [
    ("no projects", "A1:AB17", "A1:H2"), ("no rows", "A1:AB2", "A1:H2"), ("title", "A1:AB17", "A1:H4")])
def test_other_rows_keep_the_layout(tmp_path, change, indicators, projects):
    rows, title = _rows(), ""
    if change == "no projects":
        rows = [row for row in rows if row.get("record") != "project"]
    elif change == "no rows":
        rows = []
    else:
        title = "Số liệu tháng 6/2023 — UBND huyện"
    workbook = load_workbook(write_figures_xlsx(rows, tmp_path / "f.xlsx", created=CREATED, title=title))
    assert workbook[INDICATOR_SHEET].auto_filter.ref == indicators
    assert workbook[PROJECT_SHEET].auto_filter.ref == projects
    assert workbook.properties.title == (title or None)
    assert workbook.properties.created == workbook.properties.modified == CREATED


def test_formula_like_text_stays_text(tmp_path):
    rows = _rows()
    rows[0] = {**rows[0], "name": "=HYPERLINK(\"http://x\")", "note": "+1"}
    sheet = load_workbook(write_figures_xlsx(rows, tmp_path / "f.xlsx"))[INDICATOR_SHEET]
    assert sheet["C2"].value == "=HYPERLINK(\"http://x\")" and sheet["C2"].data_type == "s"
    assert sheet["AA2"].value == "+1" and sheet["AA2"].data_type == "s"


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    rows = _rows()
    rows[0] = {**rows[0], "row": "không phải số"}
    with pytest.raises(ValueError):
        write_figures_xlsx(rows, tmp_path / "f.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_libreoffice_opens_it(tmp_path):
    soffice = soffice_or_skip()
    rows = _rows()
    awkward = " <b>Tên & \"ngoặc\"</b> =SUM(A1) _x0041_"
    rows[0] = {**rows[0], "name": awkward}
    path = write_figures_xlsx(rows, tmp_path / "so-lieu.xlsx", created=CREATED)
    out = tmp_path / "csv"
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    with open(out / "so-lieu.csv", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    assert table[0][:3] == ["Mã", "Lĩnh vực", "Chỉ tiêu"]
    assert table[1][2] == awkward
    kt03 = next(row for row in table if row[0] == "KT03")
    assert kt03[2] == "Tổng kim ngạch xuất, nhập khẩu hàng hóa"
    assert len(table) == 17
