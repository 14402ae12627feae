"""reportlab's Paragraph, its markup parsed once per process and its lines broken once per width.

Two things reportlab's ``Paragraph`` does again and again for the same result:

- It parses its markup (an HTML parser, then fragments of text with their fonts) for every paragraph,
  although the reports of a batch repeat most of their paragraphs word for word: the headings, the
  fixed lines of page 1 and the signature, the indicator names that wrap in the appendix tables (of
  the 3,330 paragraphs of 30 units' reports, 599 differ).  :class:`PdfParagraph` takes the fragments of
  a text and style it has parsed before from a bounded cache and gives each paragraph its own copy of
  them (layout marks and splits its fragments), through the constructor's ``frags`` argument, which
  reportlab's own split uses.  Measured: about 3 ms of the PDF's ~32 ms per report in a batch of 30
  (nothing for the first report of a process).
- Platypus asks a paragraph for its size more than once at the same width: a table measures its cells
  to size the rows and measures them again as it draws them, and a group kept together (a heading with
  the paragraph after it, a chart with its caption) is measured whole before the frame places and
  measures each member.  ``Paragraph.wrap`` breaks the lines anew every time, the largest part of it
  measuring each word.  :class:`PdfParagraph` keeps the size of the last measurement and answers the
  same width with it; a split, which may give up or replace the lines broken, forgets it.  Measured:
  1.5–2 ms of the PDF's ~37 ms per report.

tests/test_pdf_writer.py compares the bytes with reportlab's own Paragraph's.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph


class PdfParagraph(Paragraph):
    """A Paragraph parsed once per text and style, and measured once per width (the width it is given
    decides its lines; the height it may take does not)."""

    _measured: tuple[float, float, float] | None = None
    """(width given, width, height) of the last measurement, while the lines it broke stand."""

    def __init__(self, text: str | None, style: ParagraphStyle, bulletText=None, frags=None, **options) -> None:  # noqa: ANN001, N803 (platypus API)
        if frags is None and text is not None and bulletText is None and not options:
            text, parsed = _parsed(text, style)
            frags = [fragment.clone() for fragment in parsed]
        super().__init__(text, style, bulletText, frags, **options)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (platypus API)
        if self._measured is not None and self._measured[0] == availWidth:
            return self._measured[1], self._measured[2]
        width, height = super().wrap(availWidth, availHeight)
        self._measured = (availWidth, width, height)
        return width, height

    def split(self, availWidth: float, availHeight: float) -> list:  # noqa: N803 (platypus API)
        self._measured = None
        return super().split(availWidth, availHeight)


@lru_cache(maxsize=1024)  # a report has ~110 paragraphs; the ones that repeat across reports stay, the rest pass
def _parsed(text: str, style: ParagraphStyle) -> tuple[str, tuple]:
    """The text as reportlab keeps it (whitespace cleaned) and its fragments, never handed to a paragraph."""
    paragraph = Paragraph(text, style)
    if paragraph.style is not style or paragraph.bulletText is not None:  # <para>/<bullet> markup: not ours
        raise ValueError(f"markup sets a paragraph style or bullet: {text[:40]!r}")
    return paragraph.text, tuple(paragraph.frags)
