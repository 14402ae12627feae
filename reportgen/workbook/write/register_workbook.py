"""The register of outgoing documents as a workbook (Decree 30/2020, Phụ lục IV, I).

Sheet "Bìa": the cover and first page (the superior agency, the unit, "SỔ
ĐĂNG KÝ VĂN BẢN ĐI", the year, the dates and numbers it spans, the book's
number).  Sheet "Văn bản đi": the ten columns of the form with the "(1) …
(10)" row, one row per document; set up to print as the form is printed (A4
landscape, the two header rows on every page, the width of one page), and
frozen under the header for the văn thư who scrolls it.  Times New Roman
throughout, as the decree's forms are set.  Reproducible: the same book
gives the same bytes.
"""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from reportgen.core.files import atomic_write_with
from reportgen.document.register_book import FORM_TITLE, HEADERS, WIDTHS, RegisterBook, entry_cells
from reportgen.workbook.write.saving import save_reproducibly

FONT = "Times New Roman"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
TOP_CENTRE = Alignment(horizontal="center", vertical="top", wrap_text=True)
CHARACTERS_PER_WIDTH = 0.8
"""Excel column width units per relative width of the form: the ten columns (172 units of WIDTHS) fill the
≈ 137 characters of a landscape A4 page at 11 pt."""
LINE_HEIGHT_PT = 14
"""Row height per line of 11 pt text: rows are sized here, since neither openpyxl nor every spreadsheet program
grows a row to fit wrapped text."""
CENTRED_COLUMNS = (0, 1, 6, 7)


def write_register_xlsx(book: RegisterBook, path: Path | str) -> Path:
    last = max((e.date for e in book.entries), default=None)
    when = datetime.combine(last, time(17, 0)) if last else datetime(book.year, 1, 1, 8, 0)
    workbook = Workbook()
    _cover(workbook.active, book)
    _entries(workbook.create_sheet("Văn bản đi"), book)
    workbook.active = 1
    return atomic_write_with(path, lambda tmp: save_reproducibly(workbook, tmp, when))


def _cover(sheet, book: RegisterBook) -> None:
    sheet.title = "Bìa"
    sheet.column_dimensions["A"].width = 100
    lines: list[tuple[str, Font]] = []
    if book.superior:
        lines.append((book.superior.upper(), Font(name=FONT, size=13)))
    lines += [
        (book.agency.upper(), Font(name=FONT, size=13, bold=True)),
        ("", Font(name=FONT)),
        (FORM_TITLE, Font(name=FONT, size=20, bold=True)),
        ("", Font(name=FONT)),
    ]
    lines += [(line, Font(name=FONT, size=14)) for line in book.cover_lines]
    for row, (text, font) in enumerate(lines, 1):
        cell = sheet.cell(row, 1, text or None)
        cell.font, cell.alignment = font, Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[row].height = 28 if text == FORM_TITLE else 20
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_options.horizontalCentered = True


def _entries(sheet, book: RegisterBook) -> None:
    header_font, body_font = Font(name=FONT, size=11, bold=True), Font(name=FONT, size=11)
    sheet.append(list(HEADERS))
    sheet.append([f"({n})" for n in range(1, len(HEADERS) + 1)])
    for entry in book.ordered:
        cells: list[str | int] = list(entry_cells(entry))
        cells[6] = entry.copies  # a number, so the văn thư can add copies up
        sheet.append(cells)
    for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=len(HEADERS)):
        for cell in row:
            cell.border = BOX
            if cell.row <= 2:
                cell.font, cell.alignment = (header_font if cell.row == 1 else body_font), CENTRE
            else:
                cell.font = body_font
                cell.alignment = TOP_CENTRE if cell.column - 1 in CENTRED_COLUMNS else TOP_LEFT
    widths = [round(width * CHARACTERS_PER_WIDTH, 1) for width in WIDTHS]
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=len(HEADERS)):
        lines = max(_lines(str(cell.value or ""), width) for cell, width in zip(row, widths, strict=True))
        sheet.row_dimensions[row[0].row].height = lines * LINE_HEIGHT_PT + 4
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = "Trang &P/&N"


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide, wrapped at spaces."""
    per_line = max(int(width * 1.1), 1)  # Times New Roman is narrower than the width unit's default font
    count = 0
    for part in text.split("\n"):
        length = 0
        count += 1
        for word in part.split():
            if length and length + 1 + len(word) > per_line:
                count, length = count + 1, len(word)
            else:
                length += (1 if length else 0) + len(word)
    return max(count, 1)
