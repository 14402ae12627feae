"""Estimated printed width of a line of text, for rules whose length follows the text.

Decree 30 sizes two rules by the text above them: the one under the motto is
as long as the motto, the one under the agency name a fraction of the name.
Word has no "as long as that line" rule, so the writer computes the length
itself.  Times New Roman is metric-compatible with Adobe Times (and with
Liberation Serif / Tinos), whose metrics reportlab ships with its standard
fonts, so those metrics give the width without any font file.

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


@lru_cache(maxsize=256)
def base_letters(text: str) -> str:
    """The text with diacritics removed: 'Độc lập' → 'Doc lap' (same advance widths in Times)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_BASE_LETTERS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def text_width_mm(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> float:
    """Width of ``text`` set on one line in Times New Roman at ``size_pt``, in millimetres."""
    from reportlab.pdfbase.pdfmetrics import stringWidth  # only needed when a rule is drawn

    points = stringWidth(base_letters(text), _TIMES_FACES[(bold, italic)], size_pt)
    return points * MM_PER_POINT
