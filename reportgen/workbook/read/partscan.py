"""One pass over the bytes of a sheet part, before its rows are read.

It learns three things a row-by-row read would learn too late:

- whether the part holds a formula at all (:mod:`.formulas` then looks for
  formulas with no calculated value, which read like blank cells);
- the merged ranges: ``<mergeCells>`` comes after every row, while the reader
  needs them as it reads the rows (a merged header is read as its text, a
  value hidden under a merged range is refused on its cell);
- the last row that holds a value, so that the rows below it, often formatted
  down to row 1,048,576, are not parsed, and no row is taken for the end of the
  data while values follow further down.

The part is decompressed once, in chunks, and searched with byte patterns,
which costs a small fraction of parsing it.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from bisect import insort
from dataclasses import dataclass

from openpyxl.utils.cell import range_boundaries

_CHUNK = 1 << 20
_OVERLAP = 512
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_FORMULA_TAG = re.compile(rb"<" + _PREFIX + rb"f[\s>/]")
_MERGE = re.compile(rb"<" + _PREFIX + rb"mergeCell\b[^>]*?\bref\s*=\s*[\"']([^\"']{1,40})[\"']")
_SHEET_DATA = re.compile(rb"<(" + _PREFIX + rb")sheetData[\s>/]")
_ROW_NUMBER = re.compile(rb"""[^>]*?\sr\s*=\s*["'](\d{1,9})["']""")
MAX_MERGES = 100_000
"""Merged ranges kept per sheet; a real sheet has dozens.  More is refused (see :class:`PartScan`)."""


@dataclass(frozen=True)
class Merge:
    """One merged range: its anchor (top-left, whose value Excel shows) and the cells it covers."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int
    ref: str

    def covers(self, row: int, column: int) -> bool:
        return self.min_row <= row <= self.max_row and self.min_col <= column <= self.max_col

    @property
    def anchor(self) -> tuple[int, int]:
        return self.min_row, self.min_col


@dataclass(frozen=True)
class PartScan:
    has_formula: bool = True
    """Whether any formula may be in the part (True when the part could not be scanned)."""
    merges: tuple[Merge, ...] = ()
    """Valid ranges of more than one cell, by first row."""
    too_many_merges: bool = False
    """More than MAX_MERGES ranges: only the first were kept."""
    last_value_row: int | None = None
    """The last row holding a value or a formula; None when unknown (rows without numbers)."""


def scan_sheet_part(archive: zipfile.ZipFile, member: str) -> PartScan:
    """What the rows of ``member`` hold; the cautious answer when the part cannot be read
    (openpyxl then meets the damage itself and it is reported on the sheet)."""
    scanner = _Scanner()
    try:
        with archive.open(member) as stream:
            for chunk in iter(lambda: stream.read(_CHUNK), b""):
                if not scanner.feed(chunk):
                    break
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, RuntimeError, ValueError):
        return PartScan()
    return scanner.result()


class _Scanner:
    def __init__(self) -> None:
        self.tail = b""
        self.has_formula = False
        self.refs: list[str] = []
        self.prefix: bytes | None = None
        self.current_row: int | None = 0
        self.last_value_row: int | None = 0
        self.highest = 0
        """The highest row number written so far."""

    def feed(self, chunk: bytes) -> bool:
        window = self.tail + chunk
        start = len(self.tail)
        self.has_formula = self.has_formula or _FORMULA_TAG.search(window) is not None
        for match in _MERGE.finditer(window):
            if match.end() > start:  # not already found at the end of the previous window
                self.refs.append(match.group(1).decode("ascii", "replace"))
        if self.prefix is None:
            found = _SHEET_DATA.search(window)
            self.prefix = found.group(1) if found else None
        if self.prefix is not None:
            self._rows(window, self.prefix)
        self.tail = window[-_OVERLAP:]
        return len(self.refs) <= MAX_MERGES

    def _rows(self, window: bytes, prefix: bytes) -> None:
        row_tag = b"<" + prefix + b"row"
        value = max(window.rfind(b"<" + prefix + tag) for tag in (b"v>", b"v ", b"is>", b"is ", b"f>", b"f ", b"f/"))
        rows = _numbered_rows(window, row_tag)
        if value >= 0:
            at = window.rfind(row_tag, 0, value)
            number = self._number(window, at + len(row_tag)) if at >= 0 else self.current_row
            # A row written out of order ("5" after "39") may hold the last value: the rows are read up
            # to the highest numbered one before it, so that the reader meets the disorder and refuses it.
            before = (row for start, row in rows if start < value)
            self.last_value_row = None if number is None else max(number, self.highest, *before)
        self.highest = max([self.highest, *(row for _, row in rows)])
        at = window.rfind(row_tag)
        if at >= 0 and window.find(b">", at) >= 0:  # a complete start tag; else the next window has it
            self.current_row = self._number(window, at + len(row_tag))

    def _number(self, window: bytes, at: int) -> int | None:
        """The r="…" of the row tag starting at ``at``; None (and for good) when a row has none."""
        found = _ROW_NUMBER.match(window, at)
        if found is None:
            self.last_value_row = self.current_row = None
            self.prefix = b"\x00"  # rows without numbers: stop looking, the answer is "unknown"
            return None
        return int(found.group(1))

    def result(self) -> PartScan:
        merges = sorted(filter(None, map(_merge, self.refs[:MAX_MERGES])), key=lambda m: (m.min_row, m.min_col))
        known = self.prefix is not None and self.prefix != b"\x00"
        return PartScan(
            self.has_formula, tuple(merges), len(self.refs) > MAX_MERGES, self.last_value_row if known else None
        )


def _numbered_rows(window: bytes, row_tag: bytes) -> list[tuple[int, int]]:
    """(offset, number) of every row start tag in ``window`` that has a number."""
    numbered = re.compile(re.escape(row_tag) + _ROW_NUMBER.pattern)  # compiled once: re keeps it
    return [(found.start(), int(found.group(1))) for found in numbered.finditer(window)]


def _merge(ref: str) -> Merge | None:
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    except (ValueError, TypeError):
        return None  # a range Excel itself would drop
    if None in (min_col, min_row, max_col, max_row) or (min_row, min_col) == (max_row, max_col):
        return None
    return Merge(min_row, min_col, max_row, max_col, ref)


class MergeCursor:
    """The merged ranges that cover the row being read, rows taken in increasing order."""

    def __init__(self, merges: tuple[Merge, ...]) -> None:
        self._pending = iter(merges)
        self._next = next(self._pending, None)
        self._active: list[tuple[int, int, Merge]] = []

    def at(self, row: int) -> list[Merge]:
        """The ranges covering ``row``."""
        while self._next is not None and self._next.min_row <= row:
            insort(self._active, (self._next.max_row, id(self._next), self._next))
            self._next = next(self._pending, None)
        while self._active and self._active[0][0] < row:
            self._active.pop(0)
        return [merge for _, _, merge in self._active]
