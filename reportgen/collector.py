"""Python's cyclic garbage collector, paused for one report.

Building a report allocates a great many objects that live until the report
is written (workbook cells, the document model, python-docx and reportlab
trees) and next to no garbage cycles.  The collector, triggered by
allocations, would walk that growing heap again and again: a sixth of a
whole ``reportgen generate`` (imports included), and for a workbook of
thousands of indicators a cost that grows faster than the workbook.  It is
paused for one bounded piece of work — one workbook, whose size the
workbook limits bound — and resumed after it, so that a long run or
``reportgen watch`` still collects between reports.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused() -> Iterator[None]:
    """The collector off inside the block, back to what it was after (nesting is fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
