"""A picture of a workbook sheet with its problems, as plain data: what "Nộp số liệu" draws.

Staff find a problem faster on the sheet they typed than in a list of cell
addresses, so the page draws each sheet that has problems as Excel shows it —
row numbers, column letters, merged cells, the values as displayed — with the
problem cells coloured and numbered, and beside it the list of problems keyed
by cell.  :mod:`reportgen.workbook.read.picture_reader` fills these classes from the
file (openpyxl stays in the workbook package); :mod:`reportgen.writers.html.sheet_page`
renders them.  Both only meet here, in plain frozen dataclasses.

A sheet can be long (a formatted sheet runs to 20,000 rows), so the picture
is bounded: a short sheet is drawn whole, a long one only around its problem
rows (:func:`shown_rows`), and the rows left out are said, never silently
dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.core.issues import Issue, Severity

HEAD_ROWS = 3
"""Always drawn: the title and the header row of the sheets reportgen makes (the header is row 3)."""
CONTEXT_ROWS = 2
"""Rows drawn above and below each problem row, so the row can be recognised."""
WHOLE_SHEET_ROWS = 60
"""A sheet this short is drawn whole."""
MAX_DRAWN_ROWS = 400
"""At most this many rows are drawn for one sheet; problems further down are listed, not drawn."""
MAX_COLUMNS = 40
"""Columns drawn at most (A to AN); a problem in a column further right is listed, not drawn."""
DEFAULT_WIDTH = 8.43
"""Excel's width of a column the file does not size (characters of the default font)."""
MAX_LISTED = 300
"""Problem entries listed beside one sheet at most; the rest are counted, with their first cell."""
MAX_CELL_CHARS = 200
"""A longer cell text is cut, with "…": the picture is for finding the cell, not for reading a page of it."""


@dataclass(frozen=True)
class PictureCell:
    text: str
    """The value as Excel displays it ("8.000", "83,1%", "16/06/2023"), '' for an empty cell."""
    column: int
    """From 1 (A)."""
    rowspan: int = 1
    colspan: int = 1
    """A merged range drawn as one cell (cut to the rows and columns drawn)."""
    numeric: bool = False
    """A number or a date: aligned right, as Excel aligns them."""
    entry: int | None = None
    """The number of this cell's problem entry in :attr:`SheetPicture.entries`; None for a cell without one,
    or whose entry is past :data:`MAX_LISTED` (it is still coloured)."""
    severity: Severity | None = None
    """The worst problem on the cell (errors red, warnings amber)."""


@dataclass(frozen=True)
class PictureRow:
    number: int
    """The row number Excel shows."""
    cells: tuple[PictureCell, ...]
    """Left to right; the cells a merge covers are left out (the merge's first cell spans them)."""


@dataclass(frozen=True)
class RowGap:
    """Rows not drawn: no problem there, or too many rows to draw."""

    first: int
    last: int


@dataclass(frozen=True)
class ProblemEntry:
    """The problems of one cell (or of the sheet as a whole), as listed beside the picture."""

    number: int
    """From 1, in sheet order; the cell's mark shows it and links to the entry."""
    ref: str | None
    """The cell ("A6"); None for a problem of the whole sheet."""
    issues: tuple[Issue, ...]
    drawn: bool
    """The cell is in the picture (it can be outside the rows and columns drawn)."""

    @property
    def severity(self) -> Severity:
        """The gravest of the cell's problems: an error, else a warning, else a note (a column left out)."""
        for severity in (Severity.ERROR, Severity.WARNING):
            if any(issue.severity is severity for issue in self.issues):
                return severity
        return Severity.NOTE


Line = PictureRow | RowGap


@dataclass(frozen=True)
class SheetPicture:
    name: str
    columns: int
    """Columns drawn: A up to this one."""
    lines: tuple[Line, ...]
    """Rows drawn and the gaps between them, top down."""
    entries: tuple[ProblemEntry, ...]
    used_rows: int
    """The last row holding a value (or a problem)."""
    used_columns: int
    """The last column holding a value (or a problem); more than :attr:`columns` when some are not drawn."""
    widths: tuple[float, ...] = ()
    """Each drawn column's width as the file sets it, in Excel's unit (characters of the default font);
    empty when unknown."""
    errors: int = 0
    warnings: int = 0
    """The sheet's issues, listed or not."""
    unlisted: tuple[str | None, ...] = ()
    """The cells of the entries past :data:`MAX_LISTED` (None: the whole sheet), left out of the list."""


@dataclass(frozen=True)
class WorkbookPicture:
    sheets: tuple[SheetPicture, ...]
    """Each sheet with a problem, in workbook order."""
    elsewhere: tuple[Issue, ...]
    """Problems no sheet shows: of the file itself, of a sheet that is missing or is not a table."""


def shown_rows(used_rows: int, problem_rows: list[int], budget: int = MAX_DRAWN_ROWS) -> list[tuple[int, int]]:
    """The row ranges to draw, top down: a short sheet whole; else the head rows and each problem row with
    its context, at most ``budget`` rows in all (the problems furthest down are left out first)."""
    last = max([used_rows, *problem_rows], default=0)
    if last <= WHOLE_SHEET_ROWS:
        return [(1, last)] if last else []
    wanted = [(1, min(HEAD_ROWS, last))]
    wanted += [(max(1, row - CONTEXT_ROWS), min(last, row + CONTEXT_ROWS)) for row in sorted(set(problem_rows))]
    ranges: list[tuple[int, int]] = []
    for first, end in wanted:
        if ranges and first <= ranges[-1][1] + 1:  # touching or overlapping the previous range: one range
            first = ranges[-1][1] + 1
            if end < first:
                continue
            if end - first + 1 > budget:
                break
            ranges[-1] = (ranges[-1][0], end)
        else:
            if end - first + 1 > budget:
                break
            ranges.append((first, end))
        budget -= end - first + 1
    return ranges


def with_gaps(ranges: list[tuple[int, int]], used_rows: int) -> list[tuple[int, int] | RowGap]:
    """The ranges with a :class:`RowGap` between two of them and after the last, up to ``used_rows``."""
    lines: list[tuple[int, int] | RowGap] = []
    previous = 0
    for first, last in ranges:
        if first > previous + 1:
            lines.append(RowGap(previous + 1, first - 1))
        lines.append((first, last))
        previous = last
    if used_rows > previous:
        lines.append(RowGap(previous + 1, used_rows))
    return lines


def column_letter(column: int) -> str:
    """1 → 'A', 28 → 'AB': the letters Excel shows over a column."""
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cut_text(text: str) -> str:
    """``text`` on one line, at most :data:`MAX_CELL_CHARS` characters."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1].rstrip() + "…"
