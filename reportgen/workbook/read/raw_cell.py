"""What the reader sees of a worksheet cell, before any judgement: :class:`RawCell`.

Also the cell's address (:func:`column_letter`), a date shown the way staff write it
(:func:`shown_date`), and the :data:`INVALID` marker readers return for a cell whose
problem has already been reported, so row checks do not report the same cell twice
("blank" after "not a number").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from reportgen.core.vnformat import short_date

__all__ = ["INVALID", "Invalid", "RawCell", "column_letter", "shown_date"]


class Invalid:
    """Marker for a cell whose problem has already been reported."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Final = Invalid()


@dataclass(frozen=True)
class RawCell:
    """The parts of a worksheet cell the reader uses."""

    row: int
    column: int
    value: object = None
    data_type: str = "n"
    number_format: str = "General"
    font_name: str | None = None
    uncached_formula: bool = False
    merge: str | None = None
    """The merged range covering the cell (not at its top-left), e.g. "B5:B8"."""
    hidden: object = None
    """A value stored in a cell covered by a merged range, which Excel does not show."""

    @property
    def ref(self) -> str:
        return f"{column_letter(self.column)}{self.row}"

    @property
    def blank(self) -> bool:
        if self.uncached_formula or self.hidden is not None:
            return False
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


def shown_date(value: date | time | timedelta) -> str:
    """A date as staff write it (16/6/2023); times as Excel shows them."""
    if isinstance(value, datetime):
        return short_date(value.date())
    if isinstance(value, date):
        return short_date(value)
    return str(value)


def column_letter(column: int) -> str:
    """The column's letters as Excel shows them: 1 → A, 28 → AB."""
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
