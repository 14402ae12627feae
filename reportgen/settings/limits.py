"""How much the reader is willing to read.

Every limit exists so that what passes it can be processed safely: a workbook
within all of them is read, checked and made into a report within the
budget docs/operations.md gives (60 s and 1 GiB on the 2-core machine the
benchmark uses).  The defaults come from that measurement
(``bench/limits.py`` writes the table of docs/operations.md, "Giới hạn an
toàn"), and are generous for a district office's workbook (a few hundred
rows, well under a megabyte).  An administrator changes them in the
``[limits]`` table of reportgen.toml: :class:`reportgen.settings.config.LimitsConfig`
carries the table, checked against :data:`LIMIT_RANGES`, and
:func:`limits_from_config` turns it into the :class:`Limits` the reader takes.

Each limit is counted while the file is read, and reading stops at the limit
with a message naming it (:func:`over_limit`), so a file far over a limit
costs no more than one at the limit.

This module imports nothing heavy: the configuration loader uses it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from reportgen.core.issues import Issue, error
from reportgen.core.vnformat import vn_num

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_mb: int = 50
    """Size of the file on disk."""
    max_uncompressed_mb: int = 100
    """Sum of the zip members' declared uncompressed sizes."""
    max_compression_ratio: int = 200
    """A zip member expanding more than this is a decompression bomb (real sheets stay near 20)."""
    max_rows: int = 3000
    """Data rows read per sheet."""
    max_cells: int = 200000
    """Cells holding a value, in every column of every sheet read, all together."""
    max_cell_chars: int = 32767
    """Longest text accepted in one cell (Excel's own limit)."""
    max_text_chars: int = 1_000_000
    """Characters of text read from the cells, all together: what the report's paragraphs and tables hold."""
    max_strings: int = 1_000_000
    """Entries of the workbook's shared-string table (every distinct text, in every sheet)."""
    max_styles: int = 100_000
    """Records of the workbook's stylesheet (cell formats, fonts, fills, borders, number formats)."""


LIMIT_RANGES: dict[str, tuple[int, int]] = {
    "max_file_mb": (1, 2048),
    "max_uncompressed_mb": (1, 8192),
    "max_compression_ratio": (10, 10000),
    "max_rows": (10, 1_000_000),
    "max_cells": (100, 50_000_000),
    "max_cell_chars": (100, 32767),
    "max_text_chars": (10_000, 500_000_000),
    "max_strings": (1_000, 50_000_000),
    "max_styles": (1_000, 10_000_000),
}
"""Values an administrator may set, per key: below the lower bound no real workbook
can be read, above the upper one the limit no longer protects the machine (or, for
``max_cell_chars``, Excel itself cannot hold more)."""


def limits_from_config(config: Any) -> Limits:
    """The reader's :class:`Limits` from a loaded :class:`reportgen.settings.config.Config`
    (its ``[limits]`` table; the defaults when the file has none)."""
    table = getattr(config, "limits", None)
    if table is None:
        return Limits()
    return Limits(**{field.name: getattr(table, field.name) for field in dataclasses.fields(Limits)})


_RAISE = "nếu tệp thật sự cần lớn như vậy, nhờ người quản trị tăng giới hạn {key} trong reportgen.toml."


def over_limit(
    code: str, message: str, fix: str, key: str, *, sheet: str | None = None, cell: str | None = None
) -> Issue:
    """The error for a workbook past limit ``key``: what was counted, what to do, and the key to raise."""
    return error(code, message, f"{fix}; {_RAISE.format(key=key)}", sheet=sheet, cell=cell)


class LimitReached(Exception):
    """Reading stopped at a limit; ``issue`` says which, and where."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


class ReadBudget:
    """What one read of a workbook has used of the limits that add up across its sheets."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.cells = 0
        self.text_chars = 0
        self.reported: set[str] = set()
        """Limits whose error has been logged (each once per workbook)."""

    def spend_cells(self, count: int, sheet: str, row: int) -> Issue | None:
        """Count ``count`` more cells; the error (first time only) once the workbook holds too many."""
        self.cells += count
        if self.cells <= self.limits.max_cells or "cells" in self.reported:
            return None
        self.reported.add("cells")
        return over_limit(
            "cells.too_many",
            f"Tệp có hơn {vn_num(self.limits.max_cells, 0)} ô có dữ liệu; chỉ đọc đến dòng {row} "
            "của sheet này, phần còn lại bị bỏ qua.",
            "Xóa các dòng, cột, sheet thừa hoặc tách bớt dữ liệu",
            "max_cells",
            sheet=sheet,
            cell=f"A{row}",
        )

    def cells_exhausted(self) -> bool:
        return self.cells > self.limits.max_cells

    def spend_text(self, chars: int, sheet: str, cell: str) -> Issue | None:
        """Count ``chars`` more characters of text; the error (first time only) past ``max_text_chars``."""
        self.text_chars += chars
        if self.text_chars <= self.limits.max_text_chars or "text" in self.reported:
            return None
        self.reported.add("text")
        return over_limit(
            "text.too_much",
            f"Tổng số chữ trong các ô vượt {vn_num(self.limits.max_text_chars, 0)} ký tự "
            "(khoảng gấp trăm lần một báo cáo tháng); từ ô này trở đi chữ không được đọc.",
            "Rút gọn các đoạn văn, ghi chú dài, hoặc tách bớt nội dung sang văn bản khác",
            "max_text_chars",
            sheet=sheet,
            cell=cell,
        )
