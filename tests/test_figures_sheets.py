"""The figures workbook written into openpyxl's skeleton reads back exactly as openpyxl's own workbook."""

from __future__ import annotations

import csv
import subprocess
from datetime import datetime

import pytest
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from reportgen.domain.assess import assess
from reportgen.report.figures import figures_table
from reportgen.workbook.write import figures_sheets
from reportgen.workbook.write.figures import INDICATOR_SHEET, write_figures_xlsx, write_with_openpyxl

from conftest import example_report
from test_docx_writer import soffice_or_skip

CREATED = datetime(2023, 6, 16, 8)


def _rows() -> list[dict]:
    report = example_report()
    return figures_table(report, assess(report))


def _seen(path) -> list[tuple]:
    """What a reader of the workbook sees: every cell with its type, format and look; each sheet's layout."""
    workbook = load_workbook(path)
    seen = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            seen += [(sheet.title, cell.coordinate, cell.value, cell.data_type, cell.number_format, cell.font.b,
                      cell.fill.fgColor.rgb, cell.alignment.wrap_text) for cell in row if cell.value is not None]
        seen.append((sheet.title, sheet.freeze_panes, sheet.auto_filter.ref, sheet.max_row, sheet.max_column,
                     tuple((key, dim.width) for key, dim in sorted(sheet.column_dimensions.items())),
                     sheet.row_dimensions[1].height))
    properties = workbook.properties
    seen.append((properties.created, properties.modified, properties.creator, properties.title,
                 sorted((name, value.attr_text) for sheet in workbook.worksheets
                        for name, value in sheet.defined_names.items())))
    return seen


def _both(tmp_path, rows, title: str = ""):
    write_figures_xlsx([], tmp_path / "first.xlsx")  # the first of a process goes the openpyxl way
    fast = write_figures_xlsx(rows, tmp_path / "fast.xlsx", created=CREATED, title=title)
    reference = write_with_openpyxl(rows, tmp_path / "openpyxl.xlsx", created=CREATED, title=title)
    return fast, reference


def test_the_example_gives_openpyxls_own_bytes(tmp_path):
    fast, reference = _both(tmp_path, _rows())
    assert fast.read_bytes() == reference.read_bytes()


@pytest.mark.parametrize("change", ["amount first", "no projects", "no rows", "awkward text", "title"])
def test_other_rows_read_back_as_openpyxls_own(tmp_path, change):
    rows, title = _rows(), ""
    if change == "amount first":  # the first number met is an amount: openpyxl numbers its styles otherwise
        rows = [{**row, "target_value": None} if row.get("record") == "indicator" else row for row in rows]
        rows[0] = {**rows[0], "baseline": 1234.5}
    elif change == "no projects":
        rows = [row for row in rows if row.get("record") != "project"]
    elif change == "no rows":
        rows = []
    elif change == "awkward text":
        rows[0] = {**rows[0], "name": " <b>Tên & \"ngoặc\"</b>\r\n =SUM(A1) ", "note": "=HYPERLINK(\"x\")"}
    else:
        title = "Số liệu tháng 6/2023 — UBND huyện"
    fast, reference = _both(tmp_path, rows, title)
    assert _seen(fast) == _seen(reference)
    assert fast.read_bytes() == reference.read_bytes()  # the styles are numbered in a fixed order


def test_formula_like_text_stays_text(tmp_path):
    rows = _rows()
    rows[0] = {**rows[0], "name": "=HYPERLINK(\"http://x\")"}
    cell = load_workbook(write_figures_xlsx(rows, tmp_path / "f.xlsx"))[INDICATOR_SHEET]["C2"]
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"


def test_a_character_no_workbook_can_hold_is_refused_as_openpyxl_refuses_it(tmp_path):
    rows = _rows()
    rows[0] = {**rows[0], "note": "a\x01b"}
    with pytest.raises(IllegalCharacterError):
        write_with_openpyxl(rows, tmp_path / "o.xlsx")
    with pytest.raises(IllegalCharacterError):
        write_figures_xlsx(rows, tmp_path / "f.xlsx")
    assert not (tmp_path / "f.xlsx").exists() and not list(tmp_path.glob(".*"))


def test_an_openpyxl_of_another_shape_gets_the_workbook_from_openpyxl(tmp_path, monkeypatch):
    monkeypatch.setattr(figures_sheets, "skeleton", lambda title: None)
    rows = _rows()
    fallback = write_figures_xlsx(rows, tmp_path / "f.xlsx", created=CREATED)
    assert fallback.read_bytes() == write_with_openpyxl(rows, tmp_path / "o.xlsx", created=CREATED).read_bytes()


def test_libreoffice_opens_it(tmp_path):
    soffice = soffice_or_skip()
    path = write_figures_xlsx(_rows(), tmp_path / "so-lieu.xlsx", created=CREATED)
    out = tmp_path / "csv"
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    with open(out / "so-lieu.csv", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    assert table[0][:3] == ["Mã", "Lĩnh vực", "Chỉ tiêu"]
    kt03 = next(row for row in table if row[0] == "KT03")
    assert kt03[2] == "Tổng kim ngạch xuất, nhập khẩu hàng hóa"
    assert len(table) == 17
