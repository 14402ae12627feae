"""Characters a report can print, so that text the report cannot show is refused on its cell.

The PDF is set in Times New Roman or, where it is missing, Liberation Serif,
Tinos or the bundled DejaVu Serif, and its charts in the bundled DejaVu Sans
(:mod:`reportgen.typeface.font_discovery`, :mod:`reportgen.typeface.bundled`).  The PDF
writer refuses a character its font lacks — rightly, since reportlab would
print an empty box — but by then the mistake is the workbook's and the exit
status would say "render failed".  So the reader refuses such text itself,
with a message on the cell (``text.unprintable``, exit 3).

:data:`PRINTABLE_RANGES` is the same on every machine: the blocks a Vietnamese
administrative text uses (Latin with Vietnamese, Greek, basic Cyrillic,
punctuation, currency and math signs staff type, list bullets) intersected
with what every one of those font files covers (computed once from Liberation
Serif 2, Tinos and DejaVu 2.37; tests/test_soak.py checks it against the fonts
of the machine it runs on).  "₫" is not in it: DejaVu Serif has no glyph for
it, and "đồng" is how reports write the unit anyway.  Emoji, other scripts,
private-use and symbol-font characters are outside it.  Invisible format
characters (zero-width, bidi controls) never get here: :func:`reportgen.core.vntext.clean`
removes them first.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

PRINTABLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),
    (0x00A0, 0x00AC),
    (0x00AE, 0x024F),
    (0x0300, 0x0303),
    (0x0306, 0x0306),
    (0x0309, 0x0309),
    (0x031B, 0x031B),
    (0x0323, 0x0323),
    (0x0374, 0x0375),
    (0x037A, 0x037E),
    (0x0384, 0x038A),
    (0x038C, 0x038C),
    (0x038E, 0x03A1),
    (0x03A3, 0x03CE),
    (0x03D0, 0x03E1),
    (0x03F0, 0x045F),
    (0x0490, 0x0491),
    (0x1E00, 0x1E9B),
    (0x1E9E, 0x1E9E),
    (0x1EA0, 0x1EF9),
    (0x2010, 0x2010),
    (0x2012, 0x2022),
    (0x2026, 0x2026),
    (0x2030, 0x2030),
    (0x2032, 0x2034),
    (0x2039, 0x203A),
    (0x203C, 0x203C),
    (0x203E, 0x203E),
    (0x2044, 0x2044),
    (0x20AC, 0x20AC),
    (0x2116, 0x2116),
    (0x2122, 0x2122),
    (0x2126, 0x2126),
    (0x2153, 0x2154),
    (0x215B, 0x215E),
    (0x2190, 0x2195),
    (0x2202, 0x2202),
    (0x2206, 0x2206),
    (0x220F, 0x220F),
    (0x2211, 0x2212),
    (0x2215, 0x2215),
    (0x2219, 0x221A),
    (0x221E, 0x221E),
    (0x2248, 0x2248),
    (0x2260, 0x2261),
    (0x2264, 0x2265),
    (0x25A0, 0x25A1),
    (0x25AA, 0x25AC),
    (0x25B2, 0x25B2),
    (0x25BA, 0x25BA),
    (0x25BC, 0x25BC),
    (0x25C4, 0x25C4),
    (0x25CA, 0x25CC),
    (0x25CF, 0x25CF),
    (0x25D8, 0x25D9),
    (0x25E6, 0x25E6),
)
_STARTS = [start for start, _ in PRINTABLE_RANGES]
LAYOUT_CHARACTERS = frozenset("\n")
"""Paragraph breaks of multi-line cells: the writers turn them into new paragraphs."""


@lru_cache(maxsize=4096)  # a workbook's text is drawn from a hundred or so characters
def is_printable(char: str) -> bool:
    """Whether every font a report may use can draw ``char``."""
    if char in LAYOUT_CHARACTERS:
        return True
    code = ord(char)
    index = bisect_right(_STARTS, code) - 1
    return index >= 0 and code <= PRINTABLE_RANGES[index][1]


_UNPRINTABLE = re.compile(
    "[^"
    + "".join(f"{re.escape(chr(start))}-{re.escape(chr(end))}" for start, end in PRINTABLE_RANGES)
    + "".join(map(re.escape, sorted(LAYOUT_CHARACTERS)))
    + "]"
)
"""A character :func:`is_printable` refuses: the same answer, for a whole text in one scan in C (a cell's
Vietnamese text was looked up character by character: 0,4 ms of reading the example workbook)."""


def unprintable(text: str) -> list[str]:
    """The distinct characters of ``text`` a report cannot print, in order of appearance."""
    if _UNPRINTABLE.search(text) is None:  # the common case: every character printable
        return []
    return [char for char in dict.fromkeys(text) if not is_printable(char)]
