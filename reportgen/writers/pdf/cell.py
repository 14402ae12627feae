"""Table cells that hold one line of plain text, without a Paragraph.

Most cells of a report's tables are a figure or a short name: "8.000",
"102,27%", "Đạt". A reportlab Paragraph for each of them parses markup,
breaks lines and draws through its general machinery; that was the largest
single cost of writing the PDF. :func:`cell_flowable` gives such a cell a
:class:`CellLine`, which draws the text exactly where a one-line Paragraph of
the same style draws it (same baseline, same alignment, same font), and keeps
a Paragraph for everything else: text that would wrap, line breaks, runs of
spaces, a style with indents.  tests/test_pdf_writer.py renders both and
compares the pages pixel for pixel.
"""

from __future__ import annotations

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from reportgen.writers.pdf.measured_paragraph import PdfParagraph
from reportgen.writers.pdf.paragraph_styles import markup

FIT_MARGIN_PT = 1.0
"""A line must fit with this much to spare; near the limit the Paragraph decides where to break."""


def cell_flowable(text: str, style: ParagraphStyle, available: float) -> Flowable:
    """The flowable for one cell's ``text`` in a column ``available`` points wide (padding excluded)."""
    if _plain_line(text, style):
        width = stringWidth(text, style.fontName, style.fontSize)
        if width <= available - FIT_MARGIN_PT:
            return CellLine(text, style, width)
    return PdfParagraph(markup(text), style)


def _plain_line(text: str, style: ParagraphStyle) -> bool:
    """Text a Paragraph would lay out as the same single run: words separated by single spaces."""
    return (
        bool(text)
        and text == " ".join(text.split())
        and not (style.leftIndent or style.rightIndent or style.firstLineIndent)
        and not (style.backColor or style.borderWidth)
    )


class CellLine(Flowable):
    """One line of text, placed as reportlab's Paragraph places a single line of the same style."""

    def __init__(self, text: str, style: ParagraphStyle, text_width: float) -> None:
        super().__init__()
        self.text, self.style, self.text_width = text, style, text_width
        # Paragraph's first baseline: one font size below the top, or the font's ascent without
        # reportlab's paraFontSizeHeightOffset (on by default).
        if rl_config.paraFontSizeHeightOffset:
            self._top = style.fontSize
        else:
            self._top = getAscentDescent(style.fontName, style.fontSize)[0]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = available_width, self.style.leading
        return self.width, self.height

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803 (platypus API)
        """The line drawn at the cell's place on the page, with no coordinate system of its own: platypus's
        drawOn would save the graphics state and move the origin for each of a report's ~175 such cells, then
        draw() save it again (measured: 1.5–2 ms of the PDF's ~33 ms per report)."""
        style = self.style
        spare = self.width - self.text_width
        dx = {TA_CENTER: spare / 2, TA_RIGHT: spare}.get(style.alignment, 0.0)  # justified: a last line, left
        canvas.saveState()
        canvas.setFillColor(style.textColor)
        text = canvas.beginText(self._hAlignAdjust(x, _sW) + dx, y + self.height - self._top)
        text.setFont(style.fontName, style.fontSize, style.leading)
        text.textOut(self.text)
        canvas.drawText(text)
        canvas.restoreState()
