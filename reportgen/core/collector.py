"""Python's cyclic garbage collector, tuned once at the edges where a process starts making reports.

Building a report allocates a great many objects that live until the report
is written (workbook cells, the document model, python-docx and reportlab
trees) and next to no garbage cycles.  With Python's default thresholds the
collector, triggered every 700 allocations, walks that growing heap again and
again: a sixth of a whole ``reportgen generate``.  The edges raise the
threshold of the youngest generation instead, once per process:

- the console entry point (:func:`reportgen.cli.app.main`), for every command;
- each batch worker's initializer (:mod:`reportgen.run.batch`).

Library functions leave the collector alone, so a program that uses reportgen
as a library keeps its own settings.  The collector stays on: a long
``reportgen run`` or ``reportgen watch`` still collects, every
:data:`YOUNG_THRESHOLD` allocations rather than every 700.

A process that ends with the command has no use for a collection at the end:
Python's shutdown would walk every object the imported libraries made.  There,
what is alive is frozen instead (:func:`spare_shutdown`, ``gc.freeze``): left
out of every later collection, freed by the operating system with the process.

Measured (bench/RESULTS.md, sixth pass): one ``reportgen generate``, best of
10, takes 0.495 s with the collector off for the whole process, 0.53 s with
this threshold, 0.60–0.68 s with Python's defaults.  A batch worker's memory
after 30 reports: 83 MiB with the defaults, 92 MiB with this threshold, 130 MiB
with 50,000, 150 MiB with the collector off (a report leaves some thousands
of objects in reference cycles, holding megabytes).
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000
"""Allocations (less deallocations) between two collections of the youngest generation (Python: 700)."""


def tune_for_reports() -> None:
    """Collect the youngest generation every :data:`YOUNG_THRESHOLD` allocations; the older ones as before."""
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, oldest)


def spare_shutdown() -> None:
    """Leave every object alive now out of the collection Python runs as the process ends."""
    gc.freeze()
