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

A process that ends with the command has no use for a collection at the end:
resuming the collector after the report would walk every object the imported
libraries made (the first collection after a pause sees them all), and so
would Python's shutdown — together about 50 ms of a 0.4 s ``reportgen
generate``.  There, what is alive is frozen instead (``gc.freeze``): left out
of every later collection, freed by the operating system with the process.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

_process_ends_with_command = False


def process_ends_with_command() -> None:
    """Said by the console entry point (not by tests that run commands in their own process)."""
    global _process_ends_with_command
    _process_ends_with_command = True


@contextmanager
def paused(last: bool = False) -> Iterator[None]:
    """The collector off inside the block, back to what it was after (nesting is fine).

    ``last``: the block is its command's last work; when the process ends with
    the command, what is alive is frozen rather than walked as the collector resumes.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if last and _process_ends_with_command:
                gc.freeze()
            gc.enable()


def spare_shutdown() -> None:
    """Leave every object alive now out of the collection Python runs as the process ends."""
    gc.freeze()
