"""reportlab's Paragraph, its lines broken once per width instead of at every measurement.

Platypus asks a paragraph for its size more than once at the same width: a
table measures its cells to size the rows and measures them again as it draws
them, and a group kept together (a heading with the paragraph after it, a chart
with its caption) is measured whole before the frame places and measures each
member.  reportlab's ``Paragraph.wrap`` breaks the lines anew every time, the
largest part of it measuring each word.  :class:`PdfParagraph` keeps the size
of the last measurement and answers the same width with it; a split, which may
give up or replace the lines broken, forgets it.  Measured: 1.5–2 ms of the
PDF's ~37 ms per report (30 varied units, warm), the pages unchanged
(tests/test_pdf_writer.py compares them with reportlab's own Paragraph).
"""

from __future__ import annotations

from reportlab.platypus import Paragraph


class PdfParagraph(Paragraph):
    """A Paragraph measured once per width (the width it is given decides its lines; the height it may
    take does not)."""

    _measured: tuple[float, float, float] | None = None
    """(width given, width, height) of the last measurement, while the lines it broke stand."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (platypus API)
        if self._measured is not None and self._measured[0] == availWidth:
            return self._measured[1], self._measured[2]
        width, height = super().wrap(availWidth, availHeight)
        self._measured = (availWidth, width, height)
        return width, height

    def split(self, availWidth: float, availHeight: float) -> list:  # noqa: N803 (platypus API)
        self._measured = None
        return super().split(availWidth, availHeight)
