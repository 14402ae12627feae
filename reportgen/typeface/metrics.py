"""Printed width of a line of text in Times New Roman, for rules and breaks that follow the text.

Decree 30 sizes two rules by the text above them: the one under the motto is
as long as the motto, the one under the agency name a fraction of the name;
the Word table keeps a number and its unit together when they fit a cell.
Word has no "as long as that line" rule, so the writer measures the text
itself, with reportlab's ``pdfmetrics.stringWidth`` on the family the PDF
writer registers: Times New Roman, or Liberation Serif / Tinos, which have
its metrics.  Vietnamese letters are measured with their own advances.

Where only the fallback family is found (DejaVu Serif, wider: see
:mod:`reportgen.typeface.font_discovery`), Word still sets the report in Times New
Roman, so the text is measured with reportlab's standard Times metrics (the
Adobe AFM files it ships), Vietnamese letters as their base letters: a tone
mark or circumflex sits above or below the letter and does not change its
advance (đ has the width of d; the horn of ư/ơ adds a hair, well under the
± 1 mm the rules need).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth

from reportgen.typeface.report_font import pdf_font_family

MM_PER_POINT = 25.4 / 72

_STANDARD_TIMES = {
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
    family = pdf_font_family()
    if family.files.fallback:
        return stringWidth(base_letters(text), _STANDARD_TIMES[(bold, italic)], size_pt) * MM_PER_POINT
    face = family.face_names()[bold + 2 * italic]
    return stringWidth(text, face, size_pt) * MM_PER_POINT


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
