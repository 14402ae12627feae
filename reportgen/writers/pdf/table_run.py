"""A long table laid out in runs of rows, so its cost grows linearly with its length.

Platypus splits a table at a page end by building a new table of *all* the
remaining rows and measuring it again (span ranges, row heights, style
commands): a table of n rows over p pages costs O(n·p), and a 3,000-indicator
appendix took ten seconds.  Here the body is cut into runs of
:data:`RUN_ROWS` rows; only the run that meets the page end is split, and each
run is its own platypus table.  Runs that follow each other on a page abut with
no gap (their shared border is drawn twice on the same line), and the header
rows are drawn where platypus would draw them: at the start of the table and
at the top of every page, never between two runs in the middle of a page.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable
from reportlab.platypus import Table as PdfTable

RUN_ROWS = 40
"""Body rows per run: well under a page, so a split measures at most a page's worth of rows again."""

TableFactory = Callable[[int, int, bool], PdfTable]
"""``make(start, stop, with_header)``: a platypus table of body rows ``start:stop``, the header rows first."""


def table_runs(make: TableFactory, body_rows: int, header_rows: int) -> list[Flowable]:
    """The flowables for a table of ``body_rows`` rows after ``header_rows`` header rows."""
    if body_rows <= RUN_ROWS:
        return [make(0, body_rows, True)]
    return [
        TableRun(make, start, min(start + RUN_ROWS, body_rows), header_rows, continues=start > 0)
        for start in range(0, body_rows, RUN_ROWS)
    ]


class TableRun(Flowable):
    """Body rows ``start:stop`` of a table; with the header rows when first, or at the top of a page."""

    def __init__(self, make: TableFactory, start: int, stop: int, header_rows: int, continues: bool) -> None:
        super().__init__()
        self.make, self.start, self.stop = make, start, stop
        self.header_rows = header_rows
        self.continues = continues
        """True when an earlier run of the same table comes before this one."""
        self.hAlign = "CENTER"
        self._tables: dict[bool, PdfTable] = {}
        self._current: PdfTable | None = None

    def _with_header(self) -> bool:
        # The frame sets itself on the flowable before wrap and split; at its top, a page has just begun.
        # (reportlab's private _frame and _atTop: pinned in pyproject.toml, tests/test_library_internals.py)
        frame = getattr(self, "_frame", None)
        return not self.continues or bool(frame is not None and frame._atTop)

    def _table(self) -> tuple[PdfTable, bool]:
        """The table to lay out here, and whether it begins with the header rows."""
        header = self._with_header()
        if header not in self._tables:
            self._tables[header] = self.make(self.start, self.stop, header)
        self._current = self._tables[header]
        return self._current, header

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (platypus API)
        self.width, self.height = self._table()[0].wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 (platypus API)
        table, with_header = self._table()
        parts = table.split(availWidth, availHeight)
        if len(parts) < 2:
            return parts
        first = parts[0]
        placed = len(first._cellvalues) - (self.header_rows if with_header else 0)
        if placed <= 0:  # only the header would fit: nothing of this run goes on this page
            return []
        # The rest begins the next page, where it carries the header rows again.
        return [first, TableRun(self.make, self.start + placed, self.stop, self.header_rows, continues=True)]

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802 (platypus API)
        assert self._current is not None, "drawOn before wrap"
        self._current.hAlign = self.hAlign
        self._current.drawOn(canvas, x, y, _sW)
