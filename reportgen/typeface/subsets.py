"""TrueType subsets built once per process instead of once per PDF.

reportlab embeds a TrueType font as subsets of up to 256 glyphs, numbered in
the order characters are first drawn, and for every PDF it cuts each subset
out of the font file again and compresses it again: about a fifth of writing a
report.  Two things make a subset reusable from one report to the next:

- :func:`~reportgen.typeface.subset_codes.prime` gives the Vietnamese alphabet
  and the punctuation of reports their codes first, in one fixed order, so that
  the first subset of every report holds the same glyphs whatever text comes
  first (a unit's name on page 1 would otherwise reorder it).  The price: the
  glyphs of letters a report does not use, about 20 KB per PDF.
- :func:`cache_subsets` makes a registered font keep, per subset, the font
  program and its compressed form, its glyph widths as the PDF writes them and
  its compressed ToUnicode map, and write them into each new PDF as reportlab
  would have written them itself (tests/test_pdf_writer.py compares the bytes
  with reportlab's own path).

It reaches into reportlab's private parts: the TrueType font's ``addObjects`` and
per-document ``state``, and the TrueType face's ``addSubsetObjects`` and
``makeSubset``.  The gain is measured (PDF 32.5 → 25.5 ms per report,
bench/RESULTS.md, fourth pass; the widths and maps, formatted and compressed
anew for every PDF, another 2.5 ms of 23); the reportlab versions it is tested
with are pinned in pyproject.toml, and tests/test_library_internals.py fails
when those parts change.
"""

from __future__ import annotations

import zlib
from typing import Any

CACHE = True
"""False: reportlab builds every subset itself (tests compare the two ways)."""
KEPT_PER_FONT = 32
"""Subsets kept per font (programs, and widths with maps).  The first is every report's; others hold the
rarer characters a report met first, in the order it met them, and a long run could see many: past this
number they are built each time instead of held (each is some tens of KB)."""


def cache_subsets(font: Any) -> None:
    """Make ``font`` (a registered reportlab TTFont) reuse its subsets across documents."""
    _cache_programs(font.face)
    if "addObjects" not in vars(font):
        _cache_font_objects(font)


def _cache_font_objects(font: Any) -> None:
    """The font's subsets written into a PDF with their widths and ToUnicode maps made once per subset."""
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfbase.ttfonts import SUBSETN, makeToUnicodeCMap

    face = font.face
    made: dict[tuple[str, tuple[int, ...]], tuple[bytes, str, bytes]] = {}
    own_way = font.addObjects

    def add_objects(doc: Any) -> None:
        """What reportlab's TTFont.addObjects adds to ``doc``: a font object per subset, its ToUnicode map and
        its font descriptor; the widths array (256 numbers) formatted and the map compressed once per subset."""
        if not CACHE:
            return own_way(doc)
        state = font.state[doc]
        state.frozen = 1
        fonts = doc.idToObject["BasicFonts"].dict
        for n, subset in enumerate(state.subsets):
            internal_name = font.getSubsetInternalName(n, doc)[1:]
            base_name = b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
            key = (base_name, tuple(subset))
            entry = made.get(key)
            if entry is None:
                cmap = makeToUnicodeCMap(base_name, subset)
                widths = pdfdoc.PDFArray([face.getCharWidth(code) for code in subset]).format(doc)
                entry = (widths, cmap, pdfdoc.PDFZCompress.encode(cmap))
                if len(made) < KEPT_PER_FONT:
                    made[key] = entry
            widths, cmap, packed = entry
            pdf_font = pdfdoc.PDFTrueTypeFont()
            pdf_font.__Comment__ = f"Font {font.fontName} subset {n}"
            pdf_font.Name = internal_name
            pdf_font.BaseFont = base_name
            pdf_font.FirstChar = 0
            pdf_font.LastChar = len(subset) - 1
            pdf_font.Widths = widths  # bytes go into the PDF as they are
            cmap_stream = pdfdoc.PDFStream()
            cmap_stream.content = cmap
            if doc.compression:
                cmap_stream.filters = [_Compressed(packed)]
            pdf_font.ToUnicode = doc.Reference(cmap_stream, "toUnicodeCMap:" + base_name)
            pdf_font.FontDescriptor = face.addSubsetObjects(doc, base_name, subset)
            doc.Reference(pdf_font, internal_name)
            fonts[internal_name] = pdf_font
        del font.state[doc]

    # An instance attribute: reportlab's document calls font.addObjects for each font it used.
    font.addObjects = add_objects


def _cache_programs(face: Any) -> None:
    """The face's subsets cut and compressed once per process (shared by every font of the face)."""
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
