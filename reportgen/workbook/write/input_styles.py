"""How the input workbook looks: fonts, fills, borders, row heights, printing.

One palette for every sheet so staff learn it once: grey cells are the plan
(locked), light green cells are where they type, blue is a header.  The input
colour is deliberately neither the light red nor the light yellow that
``reportgen check --annotate`` uses for errors and warnings, so an annotated
copy of a fresh workbook stays readable.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "Times New Roman"
FONT_SIZE = 12

PLAN_FILL_COLOR = "E7E6E6"
INPUT_FILL_COLOR = "E2EFDA"
HEADER_FILL_COLOR = "DDEBF7"
SAMPLE_COLOR = "C00000"
NOTE_COLOR = "404040"

BASE_FONT = Font(name=FONT_NAME, size=FONT_SIZE)
BOLD_FONT = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
NOTE_FONT = Font(name=FONT_NAME, size=FONT_SIZE, italic=True, color=NOTE_COLOR)
SAMPLE_FONT = Font(name=FONT_NAME, size=FONT_SIZE, italic=True, bold=True, color=SAMPLE_COLOR)
COMMAND_FONT = Font(name=FONT_NAME, size=FONT_SIZE, bold=True, color="1F3864")
LINK_FONT = Font(name=FONT_NAME, size=FONT_SIZE, color="0563C1", underline="single")

PLAN_FILL = PatternFill("solid", fgColor=PLAN_FILL_COLOR)
INPUT_FILL = PatternFill("solid", fgColor=INPUT_FILL_COLOR)
HEADER_FILL = PatternFill("solid", fgColor=HEADER_FILL_COLOR)

_THIN = Side(style="thin", color="808080")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

LOCKED = Protection(locked=True)
UNLOCKED = Protection(locked=False)

TOP_LEFT_WRAP = Alignment(horizontal="left", vertical="top", wrap_text=True)
DATA_TEXT = Alignment(horizontal="left", vertical="center", wrap_text=True)
DATA_NUMBER = Alignment(horizontal="right", vertical="center")
DATA_CENTER = Alignment(horizontal="center", vertical="center")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_ALIGN = Alignment(horizontal="center", vertical="center")
HEADING_ALIGN = Alignment(horizontal="left", vertical="bottom")
NOTE_ALIGN = Alignment(horizontal="left", vertical="center", wrap_text=True)

LINE_HEIGHT = 15.75
"""Points per line of 12 pt Times New Roman: Excel's own row height for that font."""
CHAR_WIDTH = 0.9
"""Average width of a character of Vietnamese text in Excel width units (the width of
"0"); a little more than Times New Roman's true average, so estimates err on the tall side."""
BOLD_CHAR_WIDTH = 1.0


def use_default_font(wb: Workbook) -> None:
    """Make Times New Roman 12 the workbook's default font.

    openpyxl has no public setting for it.  Excel draws every cell without
    its own style (the cells staff will type into) with font 0, and sizes
    columns by the "Normal" style, so both are replaced before anything else
    is added to the workbook.
    """
    # No public API for the default font: openpyxl is pinned, tests/test_library_internals.py checks these.
    wb._fonts = IndexedList([BASE_FONT])  # noqa: SLF001
    wb._named_styles["Normal"].font = BASE_FONT  # noqa: SLF001


def wrapped_lines(text: str, width: float, char_width: float = CHAR_WIDTH) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` units wide (word wrap)."""
    capacity = max(int((width - 1) / char_width), 1)
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += _paragraph_lines(paragraph.split(" "), capacity)
    return max(lines, 1)


def _paragraph_lines(words: list[str], capacity: int) -> int:
    lines, used = 1, 0
    for word in words:
        if used == 0 and len(word) <= capacity:
            used = len(word)
        elif used and used + 1 + len(word) <= capacity:
            used += 1 + len(word)
        else:
            if used:
                lines += 1
            # A word longer than a line is broken by Excel across several lines.
            full, rest = divmod(len(word), capacity)
            if rest == 0:
                full, rest = full - 1, capacity
            lines += full
            used = rest
    return lines


def fit_row_height(ws: Worksheet, row: int, cells: Iterable[tuple[str, float, bool]]) -> None:
    """Set ``row``'s height to fit its wrapped texts: ``(text, width, bold)`` per cell.

    Heights are set explicitly, even for one line: Excel does not re-measure
    rows of a file it did not write (a cut-off name is worse than a tall row),
    and LibreOffice would otherwise size each row its own way.
    """
    lines = max(
        (wrapped_lines(text, width, BOLD_CHAR_WIDTH if bold else CHAR_WIDTH) for text, width, bold in cells), default=1
    )
    ws.row_dimensions[row].height = math.ceil(lines * LINE_HEIGHT + 1)


def whole_numbers_without_decimal_mark(ws: Worksheet, letter: str, first_row: int, last_row: int) -> None:
    """Show whole numbers as "52", not "52," under a format such as ``#,##0.##``.

    Excel prints the decimal mark even when no decimals follow; a conditional
    format switches whole numbers to ``#,##0`` (built-in format 3), including
    the numbers staff type later.
    """
    top = f"{letter}{first_row}"
    whole = DifferentialStyle(numFmt=NumberFormat(numFmtId=3, formatCode="#,##0"))
    rule = Rule(type="expression", dxf=whole, formula=[f"AND(ISNUMBER({top}),{top}=INT({top}))"])
    ws.conditional_formatting.add(f"{letter}{first_row}:{letter}{last_row}", rule)


def set_print_setup(ws: Worksheet, title_rows: str | None, landscape: bool = True) -> None:
    """A4, fit to one page wide, header repeated on every page, page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = FONT_NAME
    if title_rows:
        ws.print_title_rows = title_rows


def protect(ws: Worksheet) -> None:
    """Protect without a password: locked cells stay put, but anyone may unprotect.

    Staff can still resize rows and columns, and Review → Unprotect Sheet
    needs no password when they must change the plan.
    """
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False
