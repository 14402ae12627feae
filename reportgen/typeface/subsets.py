"""TrueType subsets built once per process instead of once per PDF.

reportlab embeds a TrueType font as subsets of up to 256 glyphs, numbered in
the order characters are first drawn, and for every PDF it cuts each subset
out of the font file again and compresses it again: about a fifth of writing a
report.  Two things make a subset reusable from one report to the next:

- :func:`prime` gives the Vietnamese alphabet and the punctuation of reports
  their codes first, in one fixed order, so that the first subset of every
  report holds the same glyphs whatever text comes first (a unit's name on
  page 1 would otherwise reorder it).  The price: the glyphs of letters a
  report does not use, about 20 KB per PDF.
- :func:`cache_subsets` makes a registered font keep, per subset, the font
  program and its compressed form, and write them into each new PDF as
  reportlab would have written them itself (tests/test_pdf_writer.py compares
  the bytes with reportlab's own path).

Both reach into reportlab's private parts: the canvas's document (``canvas._doc``,
which ``splitString`` needs) and the TrueType face's ``addSubsetObjects`` and
``makeSubset``.  The gain is measured (PDF 32.5 → 25.5 ms per report,
bench/RESULTS.md, fourth pass); the reportlab versions it is tested with are
pinned in pyproject.toml, and tests/test_library_internals.py fails when those
parts change.
"""

from __future__ import annotations

import unicodedata
import zlib
from typing import Any

_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_LETTERS = (
    "".join(c for c in (unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES) if not c.isascii()) + "đ"
)
PRIMER = _LETTERS + _LETTERS.upper() + "“”‘’–—…•·°±×≤≥"
"""Every Vietnamese letter outside ASCII, lower and upper case, then the punctuation reports use: 149
characters, which with ASCII fill one subset."""

CACHE = True
"""False: reportlab builds every subset itself (tests compare the two ways)."""
KEPT_PER_FONT = 32
"""Subsets kept per font.  The first is every report's; others hold the rarer characters a report met
first, in the order it met them, and a long run could see many: past this number they are built each
time instead of held (each is some tens of KB)."""


def prime(canvas: Any, font_names: tuple[str, ...]) -> None:
    """Give :data:`PRIMER` its codes in each font, before anything is drawn on ``canvas``."""
    from reportlab.pdfbase import pdfmetrics

    for name in font_names:
        font = pdfmetrics.getFont(name)
        if hasattr(font, "splitString"):
            font.splitString(PRIMER, canvas._doc)


def cache_subsets(font: Any) -> None:
    """Make ``font`` (a registered reportlab TTFont) reuse its subsets across documents."""
    face = font.face
    if "addSubsetObjects" in vars(face):
        return  # done already: a face is shared by every font registered from its file
    built: dict[tuple[int, ...], tuple[bytes, bytes]] = {}
    own_way = face.addSubsetObjects

    def add_subset_objects(doc: Any, fontname: str, subset: list[int]) -> Any:
        if not CACHE:
            return own_way(doc, fontname, subset)
        key = tuple(subset)
        entry = built.get(key)
        if entry is None:
            program = face.makeSubset(subset)
            entry = (program, zlib.compress(program))
            if len(built) < KEPT_PER_FONT:
                built[key] = entry
        return _font_descriptor(doc, face, fontname, *entry)

    # An instance attribute: reportlab calls face.addSubsetObjects from TTFont.addObjects.
    face.addSubsetObjects = add_subset_objects


class _Compressed:
    """A FlateDecode filter whose result is known already (reportlab's own compresses on every write)."""

    pdfname = "FlateDecode"

    def __init__(self, packed: bytes) -> None:
        self.packed = packed

    def encode(self, text: bytes) -> bytes:
        return self.packed


def _font_descriptor(doc: Any, face: Any, fontname: str, program: bytes, packed: bytes) -> Any:
    """What reportlab's TTFontFace.addSubsetObjects adds to ``doc``, from a subset already built."""
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC

    font_file = pdfdoc.PDFStream()
    font_file.content = program
    font_file.dictionary["Length1"] = len(program)
    if doc.compression:
        font_file.filters = [_Compressed(packed)]
    font_file_ref = doc.Reference(font_file, f"fontFile:{face.filename}({fontname})")
    flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
    descriptor = pdfdoc.PDFDictionary(
        {
            "Type": "/FontDescriptor",
            "Ascent": face.ascent,
            "CapHeight": face.capHeight,
            "Descent": face.descent,
            "Flags": flags,
            "FontBBox": pdfdoc.PDFArray(face.bbox),
            "FontName": pdfdoc.PDFName(fontname),
            "ItalicAngle": face.italicAngle,
            "StemV": face.stemV,
            "FontFile2": font_file_ref,
            "MissingWidth": face.defaultWidth,
        }
    )
    return doc.Reference(descriptor, "fontDescriptor:" + fontname)
