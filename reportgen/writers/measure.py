"""Estimated printed width of a line of text, for rules whose length follows the text.

Decree 30 sizes two rules by the text above them: the one under the motto is
as long as the motto, the one under the agency name a fraction of the name.
Word has no "as long as that line" rule, so the writer computes the length
itself.  Times New Roman is metric-compatible with Adobe Times (and with
Liberation Serif / Tinos), whose metrics (the Adobe AFM files reportlab also
ships) are tabulated below for printable ASCII: no font file, and no reportlab
import in the Word writer's process.

The standard Times metrics cover Latin-1 only.  Vietnamese letters are
measured as their base letters: a tone mark or circumflex sits above or below
the letter and does not change its advance width (đ has the width of d; the
horn of ư/ơ adds a hair, well under the ± 1 mm the rules need).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

MM_PER_POINT = 25.4 / 72

_TIMES_FACES = {
    (False, False): "Times-Roman",
    (True, False): "Times-Bold",
    (False, True): "Times-Italic",
    (True, True): "Times-BoldItalic",
}
_BASE_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})
_FIRST, _MISSING = 32, 500
"""The tables start at the space; a character outside them counts as an average letter."""

# Advance widths in 1/1000 em of Adobe Times (= Times New Roman), characters 32–126, from the AFM files.
_ADVANCES = {
    "Times-Roman": (
        250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500,
        500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611,
        556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722,
        722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500,
        278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
    ),
    "Times-Bold": (
        250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500,
        500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667,
        611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722,
        722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556,
        278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
    ),
    "Times-Italic": (
        250, 333, 420, 500, 500, 833, 778, 214, 333, 333, 500, 675, 250, 333, 250, 278, 500, 500, 500,
        500, 500, 500, 500, 500, 500, 500, 333, 333, 675, 675, 675, 500, 920, 611, 611, 667, 722, 611,
        611, 722, 722, 333, 444, 667, 556, 833, 667, 722, 611, 722, 611, 500, 556, 722, 611, 833, 611,
        556, 556, 389, 278, 389, 422, 500, 333, 500, 500, 444, 500, 444, 278, 500, 500, 278, 278, 444,
        278, 722, 500, 500, 500, 500, 389, 389, 278, 500, 444, 667, 444, 444, 389, 400, 275, 400, 541,
    ),
    "Times-BoldItalic": (
        250, 389, 555, 500, 500, 833, 778, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500,
        500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 832, 667, 667, 667, 722, 667,
        667, 722, 778, 389, 500, 667, 611, 889, 722, 722, 611, 722, 667, 556, 611, 722, 667, 889, 667,
        611, 611, 333, 278, 333, 570, 500, 333, 500, 500, 444, 500, 444, 333, 500, 556, 278, 278, 500,
        278, 778, 556, 500, 500, 500, 389, 389, 278, 556, 444, 667, 500, 444, 389, 348, 220, 348, 570,
    ),
}



@lru_cache(maxsize=256)
def base_letters(text: str) -> str:
    """The text with diacritics removed: 'Độc lập' → 'Doc lap' (same advance widths in Times)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_BASE_LETTERS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def text_width_mm(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> float:
    """Width of ``text`` set on one line in Times New Roman at ``size_pt``, in millimetres."""
    advances = _ADVANCES[_TIMES_FACES[(bold, italic)]]
    units = sum(advances[code - _FIRST] if _FIRST <= code < _FIRST + len(advances) else _MISSING
                for code in map(ord, base_letters(text)))
    return units * size_pt / 1000 * MM_PER_POINT


def line_widths_mm(text: str, width_mm: float, size_pt: float, bold: bool = False) -> list[float]:
    """Widths of the lines ``text`` takes when set in ``width_mm`` (words filled greedily, as Word sets a
    paragraph): what a rule sized by the longest printed line is measured from."""
    space = text_width_mm(" ", size_pt, bold)
    widths: list[float] = []
    line = None
    for word in (word for word in text.replace("\n", " ").split(" ") if word):  # a no-break space binds
        word_width = text_width_mm(word, size_pt, bold)
        if line is not None and line + space + word_width <= width_mm:
            line += space + word_width
        else:
            if line is not None:
                widths.append(line)
            line = word_width
    return widths + [line] if line is not None else [0.0]
