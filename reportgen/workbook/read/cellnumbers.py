"""Figures as the reader keeps them: exact decimals in the unit of the ĐVT column, written the Vietnamese way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

FIGURE_LIMIT = Decimal(10) ** 15
"""Excel keeps 15 significant digits; a larger figure is a typo or a wrong unit."""
FIGURE_DECIMALS = Decimal("0.000001")
"""Figures are kept to a millionth of their unit: far below anything a report prints."""


@dataclass(frozen=True)
class Number:
    """A figure read from a cell, in the unit of the ĐVT column."""

    value: Decimal
    percent: bool = False
    """The cell showed a percent: a %-formatted number (scaled ×100) or text ending in "%"."""


def is_percent_format(number_format: str) -> bool:
    """'0.0%' scales by 100; '0.0"%"' and '0.0\\%' only print a percent sign."""
    unquoted = re.sub(r'"[^"]*"|\\.', "", number_format or "")
    return "%" in unquoted


def tidy(value: Decimal) -> Decimal:
    """83.100 → 83.1, 8000.0 → 8000, 1E+3 → 1000: no trailing zeros, no exponent."""
    if not value.is_finite():  # "1e999" in a file reads as infinity; _figure refuses it
        return value
    if value == value.to_integral_value():
        return Decimal(int(value))  # exact at any size, unlike quantize()
    return value.normalize()


def number_text(value: Decimal) -> str:
    """A number as Vietnamese text without grouping: 101 → '101', 97.6 → '97,6'."""
    return format(tidy(value), "f").replace(".", ",")
