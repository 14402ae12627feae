"""Collects the reader's issues, orders them, and folds mass repeats into one line.

Staff read the list top to bottom and fix the workbook in that order, so issues
come out file-level first, then sheet by sheet in workbook order, then by row
and column.  A sheet typed entirely in a legacy font (or written by a program
that never calculated its formulas) would otherwise produce hundreds of
identical lines; for those "bulk" codes the first few cells are listed one by
one and the rest summed up in a single issue ("… và 57 ô khác cùng lỗi").
"""

from __future__ import annotations

import re
from dataclasses import replace

from reportgen.core.issues import Issue

BULK_CODES = frozenset(
    {"text.legacy_encoding", "text.control_chars", "formula.no_cache", "formula.error", "number.english_decimal"}
)
"""Codes that come from how the file was made, not from one mistyped cell."""

BULK_SHOWN = 5
"""How many cells of one bulk code per sheet are listed individually."""

_SUMMARY_REFS = 6
_A1 = re.compile(r"^([A-Z]+)(\d+)$")


def cell_position(cell: str | None) -> tuple[int, int]:
    """'G12' → (12, 7); no cell → (0, 0) so sheet-level issues lead their sheet."""
    match = _A1.match(cell or "")
    if not match:
        return 0, 0
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)), column


class IssueLog:
    """Issues of one workbook, in the order they will be shown."""

    def __init__(self) -> None:
        self._issues: list[Issue] = []
        self._sheet_order: dict[str, int] = {}

    def set_sheet_order(self, titles: list[str]) -> None:
        self._sheet_order = {title: index for index, title in enumerate(titles)}

    def add(self, issue: Issue) -> None:
        self._issues.append(issue)

    def extend(self, issues: list[Issue] | tuple[Issue, ...]) -> None:
        self._issues.extend(issues)

    @property
    def has_errors(self) -> bool:
        return any(issue.is_error for issue in self._issues)

    def result(self) -> tuple[Issue, ...]:
        """All issues sorted, with bulk repeats summarised."""
        ordered = sorted(enumerate(self._issues), key=lambda pair: self._sort_key(*pair))
        return tuple(_fold_bulk([issue for _, issue in ordered]))

    def _sort_key(self, seq: int, issue: Issue) -> tuple[int, int, int, int]:
        sheet = -1 if issue.sheet is None else self._sheet_order.get(issue.sheet, len(self._sheet_order))
        row, column = cell_position(issue.cell)
        return sheet, row, column, seq


def _fold_bulk(ordered: list[Issue]) -> list[Issue]:
    """Keep the first BULK_SHOWN issues of each (sheet, bulk code); summarise the rest
    in one issue placed right after the last one shown."""
    groups: dict[tuple[str | None, str], list[Issue]] = {}
    for issue in ordered:
        if issue.code in BULK_CODES and issue.cell:
            groups.setdefault((issue.sheet, issue.code), []).append(issue)
    hidden = {id(i) for group in groups.values() for i in group[BULK_SHOWN:]}
    summaries = {
        id(group[BULK_SHOWN - 1]): _summary(group[0], group[BULK_SHOWN:])
        for group in groups.values()
        if len(group) > BULK_SHOWN
    }
    folded: list[Issue] = []
    for issue in ordered:
        if id(issue) in hidden:
            continue
        folded.append(issue)
        if id(issue) in summaries:
            folded.append(summaries[id(issue)])
    return folded


def _summary(first: Issue, rest: list[Issue]) -> Issue:
    refs = ", ".join(issue.cell or "" for issue in rest[:_SUMMARY_REFS])
    more = "…" if len(rest) > _SUMMARY_REFS else ""
    message = f"… và {len(rest)} ô khác cùng lỗi như trên ({refs}{more})."
    return replace(first, message=message, cell=None, found=None)
