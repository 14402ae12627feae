"""The codes a PDF's TrueType subsets give the characters of reports: the same in every PDF, known once.

reportlab embeds a TrueType font as subsets of up to 256 glyphs and gives each character a code in
one, in the order characters are first drawn.  Two things here build on that:

- :func:`prime` gives the Vietnamese alphabet and the punctuation of reports their codes first, in one
  fixed order, so that the first subset of every report holds the same glyphs whatever text comes first
  (a unit's name on page 1 would otherwise reorder it), and :mod:`reportgen.typeface.subsets` can reuse
  it from one PDF to the next.  The price: the glyphs of letters a report does not use, about 20 KB per
  PDF.
- :class:`PrimedCodes` then maps a text made only of those characters to its codes with one
  ``str.translate``, where reportlab's ``TTFont.splitString`` loops over every character of every
  string drawn in Python.

Both reach into reportlab's private parts: the canvas's document (``canvas._doc``, which
``splitString`` needs) and a font's per-document ``state``; the reportlab versions they are tested
with are pinned in pyproject.toml, and tests/test_library_internals.py fails when those parts change.
"""

from __future__ import annotations

import unicodedata
import weakref
from typing import Any

_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_LETTERS = (
    "".join(c for c in (unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES) if not c.isascii()) + "đ"
)
PRIMER = _LETTERS + _LETTERS.upper() + "“”‘’–—…•·°±×≤≥"
"""Every Vietnamese letter outside ASCII, lower and upper case, then the punctuation reports use: 149
characters, which with ASCII fill one subset."""
NBSP = "\u00a0"
"""reportlab draws a no-break space with the code of a space."""

TRANSLATE = True
"""False: reportlab maps every text to its codes itself (tests compare the two ways)."""


def prime(canvas: Any, font_names: tuple[str, ...]) -> None:
    """Give :data:`PRIMER` its codes in each font, before anything is drawn on ``canvas``."""
    from reportlab.pdfbase import pdfmetrics

    doc = canvas._doc
    for name in font_names:
        font = pdfmetrics.getFont(name)
        if hasattr(font, "splitString"):
            fresh = doc not in font.state  # nothing drawn in this font yet: the primer gets the codes it always gets
            font.splitString(PRIMER, doc)
            codes = vars(font).get("splitString")
            if fresh and isinstance(codes, PrimedCodes):
                codes.primed(doc)


def primed_codes(font: Any) -> None:
    """Make ``font`` (a registered reportlab TTFont) split primed text with :class:`PrimedCodes`."""
    if not isinstance(vars(font).get("splitString"), PrimedCodes):
        # An instance attribute: reportlab's text objects call font.splitString.
        font.splitString = PrimedCodes(font)


class PrimedCodes:
    """A TrueType font's ``splitString`` that answers a text of primed characters without reportlab's loop.

    reportlab's ``TTFont.splitString`` turns every string drawn into (subset, codes) parts, looking each
    character up (and giving a new one the next code) in a Python loop.  In a PDF whose fonts were primed
    (:func:`prime`), ASCII and :data:`PRIMER` hold codes of subset 0, the same codes in every PDF: a text
    made only of them is one part of subset 0, its codes one ``str.translate`` of a table made of
    reportlab's own answers for each of those characters.  Any other text, or a PDF not primed (another
    canvas), goes through reportlab's loop.  Measured: 0.5–0.9 ms of the PDF's ~22 ms per report
    (tests/test_pdf_writer.py compares the bytes with reportlab's own way).
    """

    def __init__(self, font: Any) -> None:
        self.font = font
        self.own = font.splitString
        self.docs: weakref.WeakSet = weakref.WeakSet()
        """The documents primed in this font: those where the table's codes are the codes."""
        self.table: dict[int, str] = {}
        """Each primed character's code in subset 0 (as a character, for ``str.translate``); made at the first
        priming (the codes of a primed document do not depend on the document)."""
        self.alphabet: frozenset[str] = frozenset()
        """The characters of :attr:`table`."""

    def primed(self, doc: Any) -> None:
        """``doc`` has just been primed in this font, from a state of its own."""
        if not self.table:
            self.table = self._table(doc)
            self.alphabet = frozenset(map(chr, self.table))
        self.docs.add(doc)

    def _table(self, doc: Any) -> dict[int, str]:
        """The codes of the primed characters in ``doc``, as reportlab gives them one by one: only characters
        that have a code already are asked for, so asking gives no character a new code."""
        assigned = self.font.state[doc].assignments
        table = {}
        for character in {*map(chr, range(32, 127)), *PRIMER, NBSP}:
            if ord(" " if character == NBSP else character) in assigned:
                parts = self.own(character, doc)
                if len(parts) == 1 and parts[0][0] == 0 and len(parts[0][1]) == 1:
                    table[ord(character)] = chr(parts[0][1][0])
        return table

    def __call__(self, text: Any, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
        if TRANSLATE and isinstance(text, str) and doc in self.docs and self.alphabet.issuperset(text):
            return [(0, text.translate(self.table).encode("latin-1"))] if text else []
        return self.own(text, doc, encoding)
