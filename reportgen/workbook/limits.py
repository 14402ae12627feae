"""How much the reader is willing to read.

The defaults are generous for a district office's workbook (a few hundred
rows, well under a megabyte) and small enough that a hostile or broken file
cannot exhaust memory or time.  An administrator changes them in the
``[limits]`` table of reportgen.toml (docs/operations.md, "Giới hạn an toàn"):
:class:`reportgen.config.LimitsConfig` carries the table, checked against
:data:`LIMIT_RANGES`, and :func:`limits_from_config` turns it into the
:class:`Limits` the reader takes.

This module imports nothing heavy: the configuration loader uses it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_mb: int = 50
    """Size of the file on disk."""
    max_uncompressed_mb: int = 300
    """Sum of the zip members' declared uncompressed sizes."""
    max_compression_ratio: int = 200
    """A zip member expanding more than this is a decompression bomb (real sheets stay near 20)."""
    max_rows: int = 20000
    """Data rows scanned per sheet."""
    max_cells: int = 200000
    """Non-empty cells read in the whole workbook (all sheets together)."""
    max_cell_chars: int = 32767
    """Longest text accepted in one cell (Excel's own limit)."""


LIMIT_RANGES: dict[str, tuple[int, int]] = {
    "max_file_mb": (1, 2048),
    "max_uncompressed_mb": (1, 8192),
    "max_compression_ratio": (10, 10000),
    "max_rows": (10, 1_000_000),
    "max_cells": (100, 50_000_000),
    "max_cell_chars": (100, 32767),
}
"""Values an administrator may set, per key: below the lower bound no real workbook
can be read, above the upper one the limit no longer protects the machine (or, for
``max_cell_chars``, Excel itself cannot hold more)."""


def limits_from_config(config: Any) -> Limits:
    """The reader's :class:`Limits` from a loaded :class:`reportgen.config.Config`
    (its ``[limits]`` table; the defaults when the file has none)."""
    table = getattr(config, "limits", None)
    if table is None:
        return Limits()
    return Limits(**{field.name: getattr(table, field.name) for field in dataclasses.fields(Limits)})


class CellBudget:
    """Counts the non-empty cells read across every sheet of one workbook against ``max_cells``."""

    def __init__(self, limits: Limits) -> None:
        self.limit = limits.max_cells
        self.used = 0
        self.reported = False
        """Whether the error saying the limit was passed has been logged (once per workbook)."""

    def spend(self, cells: int) -> bool:
        """Count ``cells`` more; False once the workbook holds more than the limit."""
        self.used += cells
        return self.used <= self.limit
