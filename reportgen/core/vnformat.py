"""Vietnamese numbers, percentages and dates — the one place that formats them.

Conventions of Vietnamese administrative text: "." groups thousands, "," marks decimals,
no space before "%", rounding half up like Excel's ROUND (Babel alone rounds
half-even), years and codes never grouped, ND30 header dates pad days 1–9 and
months 1–2 with a zero.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

Number = Decimal | int | float

_LOCALE = "vi"


def to_decimal(value: Number | str) -> Decimal:
    """Exact decimal of a number; floats go through ``str`` to drop binary error (1.005 → 1.005)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round_half_up(value: Number, decimals: int = 2) -> Decimal:
    """Round like Excel's ROUND: 102.265 → 102.27, 0.125 → 0.13, -2.5 → -3."""
    quantum = Decimal(1).scaleb(-decimals)
    return to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def vn_num(value: Number, decimals: int = 2, trim: bool = True) -> str:
    """Vietnamese number: 8000 → '8.000'; 102.265 → '102,27'; 83.1 with trim=False → '83,10'."""
    try:
        return _vn_num_remembered(value, decimals, trim)
    except TypeError:  # not hashable (a signalling NaN) or not a number: the direct way says which
        return _vn_num(value, decimals, trim)


def _vn_num(value: Number, decimals: int, trim: bool) -> str:
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never print "-0"
    with localcontext() as ctx:
        # Babel re-rounds with the active context; keep it half-up so nothing flips back.
        ctx.rounding = ROUND_HALF_UP
        return _pattern(decimals, trim).apply(rounded, _locale())


# A report prints each figure several times (table, narrative, Word and PDF): each is formatted once.
# typed: True and 1 are equal keys otherwise, and a boolean must still be refused.
_vn_num_remembered = functools.lru_cache(maxsize=4096, typed=True)(_vn_num)


@functools.cache
def _pattern(decimals: int, trim: bool) -> NumberPattern:
    """Parsed once: ``format_decimal`` parses its pattern and the locale on every call, over a third of
    the time of each number."""
    pattern = "#,##0"
    if decimals:
        pattern += "." + ("#" if trim else "0") * decimals
    return parse_pattern(pattern)


@functools.cache
def _locale() -> Locale:
    return Locale.parse(_LOCALE)


def vn_pct(value: Number, decimals: int = 2, trim: bool = True) -> str:
    """A value already in percent units: 102.27 → '102,27%'; 43.70 → '43,7%'."""
    return vn_num(value, decimals, trim) + "%"


def vn_amount(value: Number, unit: str, decimals: int = 3) -> str:
    """A figure with its unit as prose writes it: '124 tỷ đồng', '83,1%', '8.000 lượt'."""
    text = vn_num(value, decimals)
    unit = unit.strip()
    if unit == "%":
        return text + "%"
    return f"{text} {unit}" if unit else text


def plain_int(value: int) -> str:
    """Years, codes, document numbers: never grouped (2023, not 2.023)."""
    return str(int(value))


def month_number(month: int) -> str:
    """ND30 month in dates and titles: 01, 02, then 3 … 12 unpadded."""
    return f"{month:02d}" if month in (1, 2) else str(month)


def nd30_date(day: date) -> str:
    """'ngày 05 tháng 01 năm 2023', 'ngày 29 tháng 6 năm 2019' (Decree 30, Phụ lục I §II.4.b)."""
    return f"ngày {day.day:02d} tháng {month_number(day.month)} năm {day.year}"


def place_date(place: str, day: date | None, month: int | None = None, year: int | None = None) -> str:
    """Header place-and-date; with no day (draft), the day is left blank for the clerk."""
    if day is not None:
        return f"{place}, {nd30_date(day)}"
    month_text = month_number(month) if month else "     "
    year_text = str(year) if year else "     "
    return f"{place}, ngày      tháng {month_text} năm {year_text}"


def short_date(day: date) -> str:
    """Body-text date: '27/01/2023', '14/5/2023' (days 1–9 and months 1–2 padded with a zero)."""
    return f"{day.day:02d}/{month_number(day.month)}/{day.year}"


def moment(when: datetime) -> str:
    """A time in receipts and notices: '07:00 ngày 20/6/2023'."""
    return f"{when:%H:%M} ngày {short_date(when.date())}"


_VN_GROUPED = re.compile(r"^[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?$")
"""A group never starts with 0: "0.972" is an English decimal, not nine hundred and seventy-two."""
_VN_PLAIN = re.compile(r"^[+-]?\d+(?:,\d+)?$")
_EN_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_EN_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+\.\d+$|^[+-]?\d{1,3}(?:,\d{3}){2,}$")
"""'1,234.5', or '1,234,567' (two commas cannot be a Vietnamese decimal)."""
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


class NumberStyle:
    """How a text number was written, so the reader can warn on the ambiguous ones."""

    VIETNAMESE = "vi"
    ENGLISH = "en"


def parse_vn_number(text: str) -> tuple[Decimal, str] | None:
    """Parse a number typed as text, Vietnamese style first.

    Returns ``(value, style)`` or None when the text is not a number.
    '8.000' → 8000, '83,1' → 83.1, '1.234,5' → 1234.5, '1 234,5' → 1234.5,
    '97,6%' → 97.6 (the caller decides what a trailing % means).  A lone dot
    that cannot be a thousands separator ('83.1') is read as an English
    decimal point and reported as such, so the reader can warn.
    """
    cleaned = _SPACES.sub("", text.strip())
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    cleaned = cleaned.replace("\u2212", "-")  # the Unicode minus sign Word likes
    if not cleaned:
        return None
    try:
        if _VN_GROUPED.match(cleaned) or _VN_PLAIN.match(cleaned):
            return Decimal(cleaned.replace(".", "").replace(",", ".")), NumberStyle.VIETNAMESE
        if _EN_DECIMAL.match(cleaned):
            return Decimal(cleaned), NumberStyle.ENGLISH
        if _EN_GROUPED.match(cleaned):
            return Decimal(cleaned.replace(",", "")), NumberStyle.ENGLISH
    except InvalidOperation:  # pragma: no cover - the patterns admit only valid digits
        return None
    return None
