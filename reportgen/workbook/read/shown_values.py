"""A cell's value as Excel shows it on a Vietnamese machine: "8.000", "83,1%", "16/06/2023".

The sheet picture of "Nộp số liệu" (:mod:`reportgen.workbook.read.picture_reader`)
draws cells as staff saw them when they typed, so a number is shown through
its cell's number format — decimals, grouping, percent, literal text, the
section for negatives — with the Vietnamese separators (``.`` for thousands,
``,`` for decimals) and Excel's rounding (half away from zero).  Formats this
module does not understand (fractions, scientific notation, conditions) fall
back to Excel's "General" display, which is still the right number.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from reportgen.core.vnformat import round_half_up, to_decimal

GENERAL_DIGITS = 10
"""Significant digits of Excel's General format (it fits numbers into 11 characters)."""
_BRACKET = re.compile(r"\[([^\]]*)\]")
_DATE_TOKENS = re.compile(r'"[^"]*"|\\.|yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p|.', re.IGNORECASE)
_PLACEHOLDERS = "0#?"


def shown_value(value: object, number_format: str | None = "General") -> tuple[str, bool]:
    """(the text Excel displays, whether it is a number or date Excel aligns right)."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, (datetime, date)):
        return shown_date(value, number_format or ""), True
    if isinstance(value, (time, timedelta)):
        return str(value), True
    if isinstance(value, (int, float, Decimal)):
        try:
            return shown_number(value, number_format or "General"), True
        except (ArithmeticError, ValueError):  # inf, nan: not something Excel stores
            return str(value), True
    return str(value), False


def shown_number(value: int | float | Decimal, number_format: str) -> str:
    """``value`` through the number format ``number_format`` (its first, second or third section)."""
    number = to_decimal(value)
    sections = _sections(number_format)
    if number < 0 and len(sections) > 1:
        section, signed = sections[1], False  # the negative section writes its own sign (or brackets)
        number = -number
    elif number == 0 and len(sections) > 2:
        section, signed = sections[2], False
    else:
        section, signed = sections[0], True
    section = _BRACKET.sub(_bracket_text, section)
    if (
        section.strip().lower() in ("", "general")
        or "@" in section
        or "e+" in section.lower()
        or "e-" in section.lower()
        or "/" in section
    ):
        return _general(number) if signed else _general(abs(number))
    return _apply(number, section, signed)


def _sections(number_format: str) -> list[str]:
    """The format's ';'-separated sections (a ';' inside quotes is text)."""
    sections, current, quoted = [], "", False
    for char in number_format:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += char
    return sections + [current]


def _bracket_text(match: re.Match) -> str:
    """[Red], [<=100], [$-42A] show nothing; [$₫-42A] shows its currency symbol."""
    inner = match.group(1)
    if inner.startswith("$"):
        return '"' + inner[1:].split("-")[0] + '"'
    return ""


def _apply(number: Decimal, section: str, signed: bool) -> str:
    """The section's literal text around its digits, the digits laid out as its placeholders say."""
    before, pattern, after, percent = _split(section)
    if not pattern:  # a section of text alone ("-" for zero): the number is not shown
        return (before + after).strip()
    if percent:
        number *= 100
    integer_part, _, fraction_part = pattern.partition(".")
    thousands = len(integer_part) - len(integer_part.rstrip(","))  # "#,##0," shows thousands
    number /= Decimal(1000) ** thousands
    integer_part = integer_part.rstrip(",")
    max_decimals = sum(fraction_part.count(p) for p in _PLACEHOLDERS)
    min_decimals = fraction_part.count("0")
    rounded = round_half_up(number, max_decimals)
    negative = rounded < 0
    whole, _, decimals = format(abs(rounded), "f").partition(".")
    decimals = decimals.rstrip("0").ljust(min_decimals, "0") if max_decimals else ""
    if "," in integer_part:
        whole = f"{int(whole):,}".replace(",", ".")
    min_whole = integer_part.count("0")
    whole = whole.lstrip("0").rjust(min_whole, "0")
    digits = whole + ("," + decimals if decimals else "")
    sign = "-" if negative and signed else ""
    return f"{sign}{before}{digits or '0'}{after}".strip()


def _split(section: str) -> tuple[str, str, str, bool]:
    """(text before the digits, the digit placeholders, text after, whether a % scales the number)."""
    before: list[str] = []
    pattern: list[str] = []
    after: list[str] = []
    percent = False
    index = 0
    while index < len(section):
        char = section[index]
        if char == '"':
            end = section.find('"', index + 1)
            end = len(section) if end < 0 else end
            text, index = section[index + 1 : end], end + 1
        elif char == "\\" and index + 1 < len(section):
            text, index = section[index + 1], index + 2
        elif char == "_" and index + 1 < len(section):  # room for a character: a space
            text, index = " ", index + 2
        elif char == "*" and index + 1 < len(section):  # repeat to fill the cell: nothing
            text, index = "", index + 2
        elif char in _PLACEHOLDERS or (char in ".," and (pattern and not after)):
            pattern.append(char)
            index += 1
            continue
        else:
            percent = percent or char == "%"
            text, index = char, index + 1
        (after if pattern else before).append(text)
    return "".join(before), "".join(pattern), "".join(after), percent


def _general(number: Decimal) -> str:
    """Excel's General display: up to :data:`GENERAL_DIGITS` significant digits, no grouping, decimal comma."""
    whole_digits = len(str(int(abs(number)))) if abs(number) >= 1 else 0
    rounded = round_half_up(number, max(0, GENERAL_DIGITS - whole_digits))
    if rounded == 0:
        rounded = abs(rounded)
    text = format(rounded.normalize(), "f")
    return text.replace(".", ",")


def shown_date(value: date, number_format: str) -> str:
    """A date through its format's day, month, year, hour, minute and second codes; 16/06/2023 by default."""
    section = _BRACKET.sub("", _sections(number_format)[0])
    tokens = _DATE_TOKENS.findall(section)
    if not any(token[0].lower() in "dmy" for token in tokens if token[0] not in '"\\'):
        return value.strftime("%d/%m/%Y") + (
            value.strftime(" %H:%M") if isinstance(value, datetime) and (value.hour or value.minute) else ""
        )
    moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
    codes = [token.lower() if token.lower() in _CODES else "" for token in tokens]
    parts = []
    for number, token in enumerate(tokens):
        previous = next((code for code in reversed(codes[:number]) if code), "")
        following = next((code for code in codes[number + 1 :] if code), "")
        parts.append(_date_token(token, moment, previous, following))
    return "".join(parts)


_CODES = frozenset({"yyyy", "yy", "mmmm", "mmm", "mm", "m", "dddd", "ddd", "dd", "d", "hh", "h", "ss", "s"})


def _date_token(token: str, moment: datetime, previous: str, following: str) -> str:
    """One code of a date format; "m" and "mm" are minutes next to an hour or a second, else the month."""
    lower = token.lower()
    if token.startswith('"'):
        return token.strip('"')
    if token.startswith("\\"):
        return token[1:]
    minutes = lower in ("m", "mm") and (previous in ("h", "hh") or following in ("s", "ss"))
    codes = {
        "yyyy": f"{moment.year:04d}",
        "yy": f"{moment.year % 100:02d}",
        "dd": f"{moment.day:02d}",
        "d": str(moment.day),
        "hh": f"{moment.hour:02d}",
        "h": str(moment.hour),
        "ss": f"{moment.second:02d}",
        "s": str(moment.second),
        "mm": f"{moment.minute:02d}" if minutes else f"{moment.month:02d}",
        "m": str(moment.minute) if minutes else str(moment.month),
        "mmm": f"thg {moment.month}",
        "mmmm": f"tháng {moment.month}",
        "ddd": _WEEKDAYS[moment.weekday()],
        "dddd": _WEEKDAYS[moment.weekday()],
    }
    return codes.get(lower, token)


_WEEKDAYS = ("Th 2", "Th 3", "Th 4", "Th 5", "Th 6", "Th 7", "CN")
