"""The picture of a workbook's problem sheets: the cells coloured where the reader found the problems, the
exact messages beside them, Excel's display of values, bounded for long sheets, and drawn by Chromium."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html
from openpyxl import Workbook, load_workbook
from PIL import Image

from browser import dom_after_scripts, screenshot
from conftest import ROOT
from reportgen.document.sheet_picture import MAX_DRAWN_ROWS, MAX_LISTED, RowGap, column_letter, shown_rows
from reportgen.core.issues import Issue, Severity, error, warning
from reportgen.workbook.read.reader import read_workbook
from reportgen.workbook.read import picture_reader as sheet_reading
from reportgen.workbook.read.picture_reader import workbook_picture
from reportgen.workbook.read.shown_values import shown_value
from reportgen.writers.html.sheet_page import picture_html, picture_page

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
EXAMPLE = ROOT / "inputs" / "2023-06.xlsx"
ERROR_FILL = (0xFF, 0xC7, 0xCE)
WARNING_FILL = (0xFF, 0xEB, 0x9C)


def words(text: str) -> str:
    return " ".join(text.split())


def checked(path: Path):
    """(issues, picture, parsed HTML) of one workbook, as "Nộp số liệu" makes them."""
    issues = read_workbook(path).issues
    picture = workbook_picture(path, issues)
    return issues, picture, lxml_html.fromstring(picture_html(picture))


def links_resolve(tree) -> bool:
    """Every in-page link of the picture leads to an element of it."""
    ids = set(tree.xpath("//@id"))
    return all(href[1:] in ids for href in tree.xpath("//a/@href"))


def marked_cells(tree) -> dict[str, str]:
    """Address → severity class of every coloured cell."""
    return {cell.get("id").rsplit("-", 1)[1]: cell.get("class").split()[-1]
            for cell in tree.xpath('//td[contains(@class, "rg-error") or contains(@class, "rg-warning")]')}


@pytest.fixture(scope="module")
def mistakes(tmp_path_factory) -> Path:
    """The example workbook as staff get it wrong: text in a figure, a code typed twice, an unknown mark."""
    book = load_workbook(EXAMPLE)
    sheet = book["Chỉ tiêu"]
    sheet["H5"] = "12,4 tỷ"
    sheet["A8"] = sheet["A7"].value
    sheet["L9"] = "chắc vậy"
    sheet["C10"] = "<script>alert(1)</script> Tên & mã"
    path = tmp_path_factory.mktemp("book") / "2023-06.xlsx"
    book.save(path)
    return path


# ------------------------------------------------------------- the fixtures ---

def test_a_code_typed_twice_colours_exactly_its_cell_and_says_why():
    issues, picture, tree = checked(HOSTILE / "code_duplicate.xlsx")
    assert [sheet.name for sheet in picture.sheets] == ["Chỉ tiêu"] and picture.elsewhere == ()
    assert marked_cells(tree) == {"A6": "rg-error"}
    cell = tree.xpath('//td[@id="rg-book-s1-A6"]')[0]
    assert cell.text_content() == "1KT02"
    assert cell.xpath("./a")[0].get("href") == "#rg-book-s1-e1"
    entry = tree.xpath('//li[@id="rg-book-s1-e1"]')[0]
    assert entry.get("class") == "rg-error"
    assert entry.xpath(".//a")[0].get("href") == "#rg-book-s1-A6"
    assert [words(p.text_content()) for p in entry.xpath("./p")] == [
        "1Ô A6",
        "Lỗi: Mã “KT02” trùng với mã ở ô A5.",
        "Giá trị đọc được: “KT02”",
        "Cách sửa: Mỗi dòng cần một mã riêng; sửa một trong hai mã (ví dụ đánh số tiếp theo).",
    ]
    assert tree.xpath('//p[@class="rg-sheet-counts"]')[0].text_content().startswith("1 lỗi, 0 cảnh báo.")


def test_a_warning_is_amber():
    _issues, _picture, tree = checked(HOSTILE / "column_duplicate.xlsx")
    assert marked_cells(tree) == {"N3": "rg-warning"}
    assert tree.xpath('//li[@id="rg-book-s1-e1"]')[0].get("class") == "rg-warning"


def test_the_sheet_is_drawn_as_excel_shows_it():
    _issues, picture, tree = checked(HOSTILE / "code_duplicate.xlsx")
    sheet = picture.sheets[0]
    assert [th.text_content() for th in tree.xpath("//thead/tr/th")] == [""] + [column_letter(n) for n in range(1, 14)]
    assert [tr[0].text_content() for tr in tree.xpath("//tbody/tr")] == [str(n) for n in range(1, 10)]
    title = tree.xpath("//tbody/tr")[0]
    assert title[1].get("colspan") == "13" and "rg-spill" not in (title[1].get("class") or "")  # A1:M1 merged
    assert sheet.lines[0].cells[0].colspan == 13
    figures = [cell for cell in tree.xpath("//tbody/tr")[5] if "rg-num" in (cell.get("class") or "")]
    assert [cell.text_content() for cell in figures] == ["57", "318", "295"]


def test_merged_and_wide_columns_of_the_real_template(mistakes):
    _issues, picture, tree = checked(mistakes)
    sheet = picture.sheets[0]
    assert sheet.widths[:3] == (8.0, 30.0, 46.0)  # the template's widths, in Excel's unit
    assert [col.get("width") for col in tree.xpath("//colgroup/col")][:4] == ["44", "61", "215", "327"]
    numbers = {cell.text_content() for cell in tree.xpath('//td[contains(@class, "rg-num")]')}
    assert {"498,6", "41.800", "52.300", "9.150"} <= numbers  # Vietnamese separators, the cells' formats


def test_merges_and_widths_found_across_the_chunks_a_part_is_read_in(mistakes, monkeypatch):
    issues = read_workbook(mistakes).issues
    whole = workbook_picture(mistakes, issues).sheets[0]
    monkeypatch.setattr(sheet_reading, "_CHUNK", 37)  # every tag is cut by some chunk's end
    chunked = workbook_picture(mistakes, issues).sheets[0]
    assert chunked == whole
    assert whole.lines[0].cells[0].colspan == whole.lines[1].cells[0].colspan == 13  # A1:M1, A2:M2


def test_every_fixture_gives_every_message_and_colours_every_placed_cell():
    for path in sorted(HOSTILE.iterdir()):
        issues, picture, tree = checked(path)
        text = words(tree.text_content())
        for issue in issues:
            assert words(issue.message) in text, (path.name, issue.code)
            assert not issue.hint or words(issue.hint) in text, (path.name, issue.code)
        drawn = {entry.ref: entry.severity for sheet in picture.sheets for entry in sheet.entries if entry.drawn}
        if len(picture.sheets) == 1:
            assert marked_cells(tree) == {ref: "rg-error" if severity is Severity.ERROR else "rg-warning"
                                          for ref, severity in drawn.items()}, path.name
        assert not tree.xpath("//script"), path.name
        assert links_resolve(tree), path.name


def test_problems_of_the_file_itself_are_listed_not_drawn():
    issues, picture, tree = checked(HOSTILE / "legacy.xls")
    assert picture.sheets == () and picture.elsewhere == issues
    section = tree.xpath('//section[@class="rg-elsewhere"]')[0]
    assert words(issues[0].message) in words(section.text_content())
    _issues, missing, _tree = checked(HOSTILE / "missing_sheet.xlsx")
    assert missing.sheets == () and len(missing.elsewhere) == 1


# ------------------------------------------------------------- made sheets ---

def _long_sheet(path: Path, rows: int, title: str = "Chỉ tiêu") -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(["TIÊU ĐỀ"])
    sheet.append(["ghi chú"])
    sheet.append(["Mã", "Chỉ tiêu", "Lũy kế"])
    for row in range(4, rows + 1):
        sheet.append([f"M{row}", f"Chỉ tiêu số {row}", row * 1.5])
    book.save(path)
    return path


def test_a_long_sheet_is_drawn_around_its_problems_and_says_what_is_left_out(tmp_path):
    path = _long_sheet(tmp_path / "dai.xlsx", 20000)
    issues = [error("x", "Lỗi đầu.", sheet="Chỉ tiêu", cell="A5"),
              warning("y", "Cảnh báo giữa.", sheet="Chỉ tiêu", cell="C10000"),
              error("z", "Lỗi cuối.", sheet="Chỉ tiêu", cell="B19999")]
    picture = workbook_picture(path, issues)
    sheet = picture.sheets[0]
    assert sheet.used_rows == 20000
    drawn = [line.number for line in sheet.lines if not isinstance(line, RowGap)]
    assert drawn == [*range(1, 8), *range(9998, 10003), *range(19997, 20001)]
    page = picture_html(picture)
    assert len(page) < 60_000
    tree = lxml_html.fromstring(page)
    gaps = [words(tr.text_content()) for tr in tree.xpath('//tr[@class="rg-gap"]')]
    assert gaps == ["⋮Các dòng 8–9.997: không vẽ ở đây (không có vấn đề, hoặc sheet quá dài để vẽ hết).",
                    "⋮Các dòng 10.003–19.996: không vẽ ở đây (không có vấn đề, hoặc sheet quá dài để vẽ hết)."]
    assert marked_cells(tree) == {"A5": "rg-error", "C10000": "rg-warning", "B19999": "rg-error"}
    assert tree.xpath('//td[@id="rg-book-s1-C10000"]')[0].text_content() == "2" + "15000"  # mark 2, 1,5 × 10.000


def test_a_problem_on_every_row_of_a_long_sheet_stays_bounded(tmp_path):
    path = _long_sheet(tmp_path / "moi-dong.xlsx", 20000)
    issues = [error("number.invalid", f"Dòng {row} sai.", sheet="Chỉ tiêu", cell=f"C{row}") for row in range(4, 20001)]
    picture = workbook_picture(path, issues)
    sheet = picture.sheets[0]
    drawn = [line for line in sheet.lines if not isinstance(line, RowGap)]
    assert len(drawn) == MAX_DRAWN_ROWS
    assert len(sheet.entries) == MAX_LISTED and len(sheet.unlisted) == len(issues) - MAX_LISTED
    assert sheet.errors == len(issues)
    page = picture_html(picture)
    assert len(page) < 1_000_000
    tree = lxml_html.fromstring(page)
    assert words(tree.xpath('//li[@class="rg-unlisted"]')[0].text_content()).startswith(
        f"Còn 19.697 ô có vấn đề nữa, từ ô C{4 + MAX_LISTED} trở đi, không liệt kê ở đây")
    assert links_resolve(tree)
    coloured = tree.xpath('//td[contains(@class, "rg-error")]')
    assert len(coloured) == MAX_DRAWN_ROWS - 3  # every problem row drawn (rows 4 to 400) is coloured
    assert len([cell for cell in coloured if cell.xpath("./a")]) == MAX_LISTED  # numbered while listed
    last_gap = tree.xpath('//tr[@class="rg-gap"]')[-1]
    assert words(last_gap.text_content()).startswith(f"⋮Các dòng {MAX_DRAWN_ROWS + 1}–20.000:")
    # Memory follows the rows drawn, not the sheet: the values of 20,000 rows are streamed past, not kept.
    book = load_workbook(path, read_only=True, data_only=True)
    values, used_rows, _columns = sheet_reading._read_values(book["Chỉ tiêu"], [row for row in range(4, 20001)])
    assert used_rows == 20000 and len({row for row, _column in values}) < MAX_DRAWN_ROWS + 20


def test_columns_past_the_drawn_ones_are_said(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Chỉ tiêu"
    sheet["A1"] = "Mã"
    sheet["BH2"] = "xa"
    book.save(tmp_path / "rong.xlsx")
    picture = workbook_picture(tmp_path / "rong.xlsx", [error("x", "Ô xa.", sheet="Chỉ tiêu", cell="BH2")])
    entry = picture.sheets[0].entries[0]
    assert (entry.ref, entry.drawn) == ("BH2", False)
    tree = lxml_html.fromstring(picture_html(picture))
    assert tree.xpath('//p[@class="rg-columns-left-out"]')[0].text_content() == "Các cột từ AO đến BH không vẽ ở đây."
    assert words(tree.xpath("//li")[0].xpath("./p")[0].text_content()) == "1Ô BH2 (không vẽ ở bảng bên cạnh)"


def test_workbook_text_and_sheet_names_are_escaped(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "<b onclick=x>Chỉ tiêu"
    sheet["A1"] = "<script>alert(1)</script>"
    sheet["B1"] = "a & b <img src=x onerror=alert(1)>"
    book.save(tmp_path / "doc.xlsx")
    issues = [error("x", "<b>thông báo</b>", "<script>sửa</script>", sheet="<b onclick=x>Chỉ tiêu", cell="A1",
                    found="<script>")]
    page = picture_html(workbook_picture(tmp_path / "doc.xlsx", issues))
    tree = lxml_html.fromstring(page)
    assert not tree.xpath("//script | //img | //i | //b")
    assert tree.xpath("//h2")[0].text_content() == "Sheet “<b onclick=x>Chỉ tiêu”"
    assert tree.xpath('//td[@id="rg-book-s1-A1"]')[0].text_content() == "1<script>alert(1)</script>"
    assert "Lỗi: <b>thông báo</b>" in tree.text_content() and "Cách sửa: <script>sửa</script>" in tree.text_content()


def test_the_page_has_no_script_and_links_its_stylesheet_when_served(mistakes):
    issues = read_workbook(mistakes).issues
    picture = workbook_picture(mistakes, issues)
    served = picture_page(picture, "Kiểm tra", base="/static/")
    assert '<link rel="stylesheet" href="/static/html_sheet.css">' in served and "<style>" not in served
    tree = lxml_html.fromstring(served)
    assert not tree.xpath("//script") and not tree.xpath("//@style")


# ------------------------------------------------------------ the values ---

@pytest.mark.parametrize("value, number_format, shown", [
    (8000, "#,##0", "8.000"),
    (498.6, "#,##0.##", "498,6"),
    (0.831, "0.0%", "83,1%"),
    (97.6, "General", "97,6"),
    (0.1 + 0.2, "General", "0,3"),
    (1234567.891, "#,##0.00", "1.234.567,89"),
    (2.5, "0", "3"),
    (-2.5, "0", "-3"),
    (-5, "#,##0;(#,##0)", "(5)"),
    (0, '#,##0;-#,##0;"-"', "-"),
    (12.5, '0.0" tỷ"', "12,5 tỷ"),
    (5, "[Red]0.00", "5,00"),
    (8000, "#,##0 [$₫-42A]", "8.000 ₫"),
    (1500000, "#,##0,", "1.500"),
    (True, "General", "TRUE"),
    (date(2023, 6, 16), "dd/mm/yyyy", "16/06/2023"),
    (datetime(2023, 6, 16, 8, 5), "d/m/yyyy h:mm", "16/6/2023 8:05"),
    (datetime(2023, 6, 16), "General", "16/06/2023"),
    ("văn bản", "@", "văn bản"),
    (None, "General", ""),
])
def test_values_as_excel_shows_them_in_vietnamese(value, number_format, shown):
    assert shown_value(value, number_format)[0] == shown


def test_rows_drawn_for_a_short_and_a_long_sheet():
    assert shown_rows(40, [39]) == [(1, 40)]
    assert shown_rows(100, [50, 52, 90]) == [(1, 3), (48, 54), (88, 92)]
    assert shown_rows(100, [2]) == [(1, 4)]


# ------------------------------------------------------------ in a browser ---

RECORD_BOXES = """<script>
document.body.dataset.boxes = JSON.stringify(Array.from(document.querySelectorAll('td[data-entry]')).map(
  cell => { const box = cell.getBoundingClientRect();
            return [cell.id.split('-').pop(), box.left, box.top, box.right, box.bottom]; }));
</script>"""
"""Test-only: records where the browser put each problem cell (the product's pages carry no script)."""


def test_chromium_draws_the_problem_cells_red_and_amber_where_they_are(mistakes, tmp_path):
    issues = read_workbook(mistakes).issues
    assert [(issue.cell, issue.severity) for issue in issues] == [
        ("H5", Severity.ERROR), ("A8", Severity.ERROR), ("L9", Severity.WARNING)]
    page = tmp_path / "kiem-tra.html"
    page.write_text(picture_page(workbook_picture(mistakes, issues), "Kiểm tra"), encoding="utf-8")
    size = (2400, 900)
    image = Image.open(screenshot(page, tmp_path / "kiem-tra.png", size, tmp_path)).convert("RGB")
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", RECORD_BOXES + "</body>"), encoding="utf-8")
    dom = lxml_html.fromstring(dom_after_scripts(probe, size, tmp_path))
    boxes = {ref: box for ref, *box in json.loads(dom.xpath("//body")[0].get("data-boxes"))}
    assert set(boxes) == {"H5", "A8", "L9"}

    pixels = image.load()
    expected = {"H5": ERROR_FILL, "A8": ERROR_FILL, "L9": WARNING_FILL}
    for ref, fill in expected.items():
        left, top, right, bottom = (round(v) for v in boxes[ref])
        assert right - left > 20 and bottom - top > 10, ref
        inside = [pixels[x, y] for x in range(left + 4, right - 4) for y in range(top + 4, bottom - 4)]
        share = sum(1 for pixel in inside if _near(pixel, fill)) / len(inside)
        assert share > 0.5, (ref, share)  # the cell is filled (its text and mark cover the rest)

    def in_a_box(x: int, y: int) -> bool:
        return any(left <= x <= right and top <= y <= bottom for left, top, right, bottom in boxes.values())

    stray = [(x, y) for x in range(0, size[0], 2) for y in range(0, size[1], 2)
             if (_near(pixels[x, y], ERROR_FILL) or _near(pixels[x, y], WARNING_FILL)) and not in_a_box(x, y)]
    assert stray == []  # no other cell is coloured
    grey = image.convert("L").histogram()
    assert sum(grey[:120]) > 3000  # the sheet's text is drawn: not a blank page


def _near(pixel: tuple[int, int, int], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 3 for a, b in zip(pixel, colour))
