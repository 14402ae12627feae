"""Read the sheets that have problems into :class:`~reportgen.document.sheet_picture.WorkbookPicture`.

Given a workbook and the issues :func:`~reportgen.workbook.read.reader.read_workbook`
found in it, each sheet with an issue is read again, as Excel shows it: the
cells of the rows to draw (:func:`~reportgen.document.sheet_picture.shown_rows`)
with their displayed values (:mod:`.shown_values`), the merged ranges, and each
issue placed on its cell.

The file goes through the reader's probe first (:mod:`.probe`: not an xlsx, a
zip bomb, too big), so a file the reader refused to open is never opened
here either; then openpyxl streams the sheets, loaded as the reader loads them
(:mod:`.loading`, read-only), so a sheet of 20,000 rows costs its reading
time, not its size in memory: values are kept only for the rows that may be
drawn.  Merged ranges and column widths, which openpyxl's read-only mode does
not give, are found in the sheet's XML part.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter, range_boundaries

from reportgen.core.issues import Issue
from reportgen.core.vntext import xml_safe
from reportgen.document.sheet_picture import (
    CONTEXT_ROWS,
    DEFAULT_WIDTH,
    MAX_COLUMNS,
    MAX_DRAWN_ROWS,
    MAX_LISTED,
    WHOLE_SHEET_ROWS,
    PictureCell,
    PictureRow,
    ProblemEntry,
    RowGap,
    SheetPicture,
    WorkbookPicture,
    cut_text,
    shown_rows,
    with_gaps,
)
from reportgen.settings.limits import Limits
from reportgen.workbook.read.formulas import sheet_parts
from reportgen.workbook.read.loading import load_for_reading
from reportgen.workbook.read.probe import probe_file
from reportgen.workbook.read.shown_values import shown_value

EMPTY_RUN_STOP = 1000
"""Rows past the last problem with nothing in them, after which reading stops (a sheet formatted down to
row 1,048,576 has a million empty rows; the reader stops the same way)."""

_LAYOUT_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(mergeCell|col|sheetFormatPr)\b([^>]*)>")
_ATTRIBUTE = re.compile(rb"""([A-Za-z_][\w.:-]*)\s*=\s*["']([^"']*)["']""")
_CHUNK = 1 << 20
_OVERLAP = 512
"""Bytes of a chunk carried into the next, so a tag cut by the chunk's end is found whole in the next."""

Merge = tuple[int, int, int, int]
"""(first column, first row, last column, last row)."""


def workbook_picture(path: Path | str, issues: Sequence[Issue], limits: Limits = Limits()) -> WorkbookPicture:
    """The picture of every sheet of ``path`` that ``issues`` point at; the other issues in ``elsewhere``."""
    by_sheet: dict[str, list[Issue]] = defaultdict(list)
    for issue in issues:
        if issue.sheet:
            by_sheet[issue.sheet].append(issue)
    probe = probe_file(Path(path), limits)
    if probe.data is None or not by_sheet:
        return WorkbookPicture((), tuple(issues))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's notes about extensions it drops: nothing to act on
        try:
            book = load_for_reading(probe.data)  # the reader's own load: read-only, cached values, no size probe
        except Exception:  # noqa: BLE001 - anything openpyxl raises means the package is damaged (as the reader)
            return WorkbookPicture((), tuple(issues))
        layouts = _layouts(probe.data, set(by_sheet))
        sheets = [
            _picture(book[name], name, by_sheet[name], layouts.get(name, _Layout()))
            for name in book.sheetnames
            if name in by_sheet and hasattr(book[name], "iter_rows")
        ]
    drawn = {sheet.name for sheet in sheets}
    return WorkbookPicture(tuple(sheets), tuple(issue for issue in issues if issue.sheet not in drawn))


# ----------------------------------------------------------------- one sheet ---


def _picture(sheet, name: str, issues: list[Issue], layout: _Layout) -> SheetPicture:
    placed = [(issue, _position(issue.cell)) for issue in issues]
    problem_rows = [position[0] for _, position in placed if position]
    values, used_rows, used_columns = _read_values(sheet, problem_rows)
    used_columns = max([used_columns, *(position[1] for _, position in placed if position)])
    columns = min(used_columns, MAX_COLUMNS)
    ranges = shown_rows(used_rows, problem_rows)
    covering = _covering(ranges, layout.merges, columns)

    drawn_rows = {row for first, last in ranges for row in range(first, last + 1)}
    entries = _entries(placed, covering, drawn_rows, columns)
    marks = {_position(entry.ref): entry for entry in entries if entry.drawn}

    lines: list[PictureRow | RowGap] = []
    for line in with_gaps(ranges, used_rows):
        if isinstance(line, RowGap):
            lines.append(line)
            continue
        for row in range(line[0], line[1] + 1):
            lines.append(_row(row, columns, values, covering, marks))
    widths = tuple(layout.widths.get(column, layout.default_width) for column in range(1, columns + 1))
    errors = sum(1 for issue in issues if issue.is_error)
    return SheetPicture(
        name,
        columns,
        tuple(lines),
        tuple(entries[:MAX_LISTED]),
        used_rows,
        used_columns,
        widths,
        errors,
        len(issues) - errors,
        tuple(entry.ref for entry in entries[MAX_LISTED:]),
    )


def _read_values(sheet, problem_rows: list[int]) -> tuple[dict[tuple[int, int], tuple[str, bool]], int, int]:
    """The displayed values of the rows that may be drawn, the last used row and column.

    Every row is streamed (the used range is only known at the end), but a row's values are kept only while
    the sheet is short or where it may be drawn, so memory follows the rows drawn, not the sheet's length."""
    # The rows drawn if the sheet ran past its last problem; a sheet ending sooner draws a subset of them,
    # give or take its last range, cut short, which the margin in the budget covers.
    far = max(problem_rows, default=0) + CONTEXT_ROWS + WHOLE_SHEET_ROWS
    wanted = {
        row
        for first, last in shown_rows(far, problem_rows, MAX_DRAWN_ROWS + 2 * CONTEXT_ROWS + 1)
        for row in range(first, last + 1)
    }
    values: dict[tuple[int, int], tuple[str, bool]] = {}
    used_rows = used_columns = 0
    last_problem = max(problem_rows, default=0)
    for cells in _rows(sheet):
        row_number = next((cell.row for cell in cells if getattr(cell, "row", None)), None)
        if row_number is None:
            continue
        keep = row_number <= WHOLE_SHEET_ROWS or row_number in wanted
        filled = False
        for cell in cells:
            if cell.value is None or getattr(cell, "column", None) is None:
                continue
            if isinstance(cell.value, str) and not cell.value.strip():
                continue
            filled = True
            used_columns = max(used_columns, cell.column)
            if keep and cell.column <= MAX_COLUMNS:
                text, numeric = shown_value(cell.value, cell.number_format)
                values[(row_number, cell.column)] = (cut_text(xml_safe(text)), numeric)
        if filled:
            used_rows = row_number
        elif row_number > max(used_rows, last_problem) + EMPTY_RUN_STOP:
            break
    return values, used_rows, used_columns


@dataclass
class _Layout:
    """What openpyxl's read-only mode leaves out of a sheet: its merged ranges and column widths."""

    merges: list[Merge] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    default_width: float = DEFAULT_WIDTH


def _rows(sheet) -> Iterator[tuple]:
    """The sheet's rows as openpyxl streams them, up to a damaged part if there is one (what was read is drawn)."""
    sheet.reset_dimensions()  # the declared size is often wrong, and openpyxl would pad every row to it
    rows = sheet.iter_rows()
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception:  # noqa: BLE001 - anything openpyxl raises on a malformed sheet part (as the reader)
            return
        yield cells


def _layouts(data: bytes, names: set[str]) -> dict[str, _Layout]:
    """The :class:`_Layout` of the sheets ``names``, read from their XML parts."""
    found: dict[str, _Layout] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name, member in sheet_parts(archive).items():
                if name in names:
                    found[name] = _layout(archive, member)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError):
        pass  # a damaged part: the picture is drawn without merges, at Excel's default widths
    return found


def _layout(archive: zipfile.ZipFile, member: str) -> _Layout:
    """Merges and widths from the part's <mergeCell>, <col> and <sheetFormatPr> elements.

    The part is scanned as bytes, a chunk at a time: those tags cannot occur inside the cells (cell text
    is escaped), and parsing every cell of a 20,000-row sheet as XML again took a second."""
    layout = _Layout()
    tail = b""
    with archive.open(member) as stream:
        for chunk in iter(lambda: stream.read(_CHUNK), b""):
            text = tail + chunk
            for match in _LAYOUT_TAG.finditer(text):
                if match.end() > len(tail):  # one ending inside the carried bytes was found in the last chunk
                    _add(layout, match.group(1), dict(_ATTRIBUTE.findall(match.group(2))))
            tail = text[-_OVERLAP:]
    return layout


def _add(layout: _Layout, tag: bytes, attributes: dict[bytes, bytes]) -> None:
    """One element's contribution to the layout."""
    get = lambda name: (attributes.get(name) or b"").decode("ascii", "replace")  # noqa: E731
    if tag == b"mergeCell" and get(b"ref"):
        layout.merges.append(range_boundaries(get(b"ref")))
    elif tag == b"col" and get(b"width"):
        first, last = int(get(b"min") or 1), int(get(b"max") or 1)
        for column in range(max(first, 1), min(last, MAX_COLUMNS) + 1):
            layout.widths[column] = float(get(b"width"))
    elif tag == b"sheetFormatPr":
        default, base = get(b"defaultColWidth"), get(b"baseColWidth")
        # Excel's default width is the base width plus the cell's padding (8 → 8,43).
        layout.default_width = float(default) if default else float(base) + 0.43 if base else DEFAULT_WIDTH


def _covering(ranges: list[tuple[int, int]], merges: list[Merge], columns: int) -> dict[tuple[int, int], Merge]:
    """For every drawn cell a merge covers: the part of the merge drawn, cut to each block of drawn rows."""
    covering: dict[tuple[int, int], Merge] = {}
    for first_column, first_row, last_column, last_row in merges:
        if first_column > columns:
            continue
        for block_first, block_last in ranges:
            top, bottom = max(first_row, block_first), min(last_row, block_last)
            right = min(last_column, columns)
            if top > bottom or (top == bottom and first_column == right):
                continue
            for row in range(top, bottom + 1):
                for column in range(first_column, right + 1):
                    covering[(row, column)] = (first_column, top, right, bottom)
    return covering


def _anchor(ref: str | None, covering: dict[tuple[int, int], Merge]) -> tuple[int, int]:
    """(row, column) of the drawn cell showing ``ref``: the first cell of a merge that covers it."""
    row, column = _position(ref) or (0, 0)
    merge = covering.get((row, column))
    return (merge[1], merge[0]) if merge else (row, column)


def _row(row: int, columns: int, values: dict, covering: dict, marks: dict) -> PictureRow:
    cells = []
    for column in range(1, columns + 1):
        merge = covering.get((row, column))
        if merge and (merge[1], merge[0]) != (row, column):
            continue  # drawn by the merge's first cell
        text, numeric = values.get((row, column), ("", False))
        if merge and (merge[1], merge[0]) == (row, column) and (row, column) not in values:
            text, numeric = "", False  # the merge continues from rows not drawn: its text is up there
        entry = marks.get((row, column))
        rowspan, colspan = (merge[3] - merge[1] + 1, merge[2] - merge[0] + 1) if merge else (1, 1)
        # an unlisted entry's cell is coloured only
        listed = entry.number if entry is not None and entry.number <= MAX_LISTED else None
        cells.append(PictureCell(text, column, rowspan, colspan, numeric, listed, entry.severity if entry else None))
    return PictureRow(row, tuple(cells))


def _entries(
    placed: list[tuple[Issue, tuple[int, int] | None]], covering: dict, drawn_rows: set[int], columns: int
) -> list[ProblemEntry]:
    """One entry per cell with problems (the sheet-wide ones first), numbered in sheet order."""
    by_ref: dict[str | None, list[Issue]] = {}
    for issue, position in sorted(placed, key=lambda pair: pair[1] or (0, 0)):
        ref = _ref(*_anchor(_ref(*position), covering)) if position else None
        by_ref.setdefault(ref, []).append(issue)
    entries = []
    for number, (ref, found) in enumerate(by_ref.items(), 1):
        position = _position(ref)
        drawn = position is not None and position[0] in drawn_rows and position[1] <= columns
        entries.append(ProblemEntry(number, ref, tuple(found), drawn))
    return entries


def _position(ref: str | None) -> tuple[int, int] | None:
    """(row, column) of an issue's cell: 'D14' → (14, 4); a range's first cell; None for no cell."""
    if not ref:
        return None
    first = ref.split(":")[0].replace("$", "").strip().upper()
    try:
        letters, row = coordinate_from_string(first)
        return row, column_index_from_string(letters)
    except (ValueError, TypeError):
        return None


def _ref(row: int, column: int) -> str:
    return f"{get_column_letter(column)}{row}"
