"""No-break spaces where Vietnamese words must stay on one line: a number with its unit, a word with its number.

A line may not end between a number and its unit ("498,6 | tỷ đồng", "6 | tháng"),
nor between a word and the number it introduces ("giai đoạn | 1", "tháng | 6",
"Phụ lục | II", "năm | 2023").  Both writers set the text they lay out through
:func:`keep_together`, so Word and the PDF break lines at the same places; the
model keeps its ordinary spaces (a template's words, a test's search, the
text dump stay as written).  U+00A0 is the space Word's Ctrl+Shift+Space
types, and reportlab does not break lines at it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

NBSP = "\u00a0"

UNITS = (
    "tỷ đồng",
    "triệu đồng",
    "nghìn đồng",
    "tỷ USD",
    "triệu USD",
    "nghìn USD",
    "USD",
    "đồng",
    "tỷ",
    "triệu",
    "nghìn",
    "lao động",
    "người",
    "hộ",
    "lượt",
    "khách",
    "học sinh",
    "trẻ",
    "xã",
    "thôn",
    "bản",
    "trường",
    "công trình",
    "dự án",
    "doanh nghiệp",
    "cơ sở",
    "chỉ tiêu",
    "vụ",
    "con",
    "tấn",
    "tạ",
    "ha",
    "km",
    "m",
    "m2",
    "m3",
    "kW",
    "kWh",
    "tháng",
    "năm",
    "ngày",
    "quý",
    "tuần",
    "giờ",
    "lần",
    "điểm",
    "%",
)
"""Units kept with the number before them; longest first where one begins another ("tỷ đồng" before "tỷ")."""
LEADS = (
    "giai đoạn",
    "Phụ lục",
    "tháng",
    "năm",
    "quý",
    "ngày",
    "khoản",
    "điểm",
    "Điều",
    "số",
    "lần thứ",
    "đợt",
    "khóa",
    "nhiệm kỳ",
)
"""Words kept with the number (or Roman numeral) after them."""

_NUMBER = r"\d+(?:[.,]\d+)*"
_ROMAN = r"[IVX]+"
_AFTER_NUMBER = re.compile(
    rf"(?<![\w.,])({_NUMBER}) +({'|'.join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))})(?![\w])",
    re.IGNORECASE,
)
_BEFORE_NUMBER = re.compile(
    rf"(?<!\w)({'|'.join(re.escape(w) for w in sorted(LEADS, key=len, reverse=True))}) +({_NUMBER}|{_ROMAN})(?![\w])",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def keep_together(text: str) -> str:
    """``text`` with the spaces that must not break a line made no-break spaces."""
    if not any(char.isdigit() for char in text) and not re.search(_ROMAN, text):
        return text
    text = _AFTER_NUMBER.sub(lambda m: f"{m.group(1)}{NBSP}{m.group(2).replace(' ', NBSP)}", text)
    return _BEFORE_NUMBER.sub(lambda m: f"{m.group(1).replace(' ', NBSP)}{NBSP}{m.group(2)}", text)


def keep_together_within(text: str, fits: Callable[[str], bool]) -> str:
    """:func:`keep_together` for a narrow box (a table cell): a glued group that would not fit on one line of
    the box keeps its ordinary spaces, since a writer cuts a too-long "word" inside itself ("ngày 2 | 0/02/2023"),
    which is worse than the break at a space the no-break space was meant to prevent."""
    glued = keep_together(text)
    if NBSP not in glued:
        return glued
    parts = re.split(r"( +)", glued)
    return "".join(
        part if NBSP not in part or fits(part.replace(NBSP, " ")) else part.replace(NBSP, " ") for part in parts
    )
