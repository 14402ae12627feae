"""Pages of the PDF: one pair of page templates per document section.

Each section (the report, each appendix) gets a "first page" template and a
"later pages" template with its own frame (portrait or landscape, theme
margins).  A :class:`SectionNumbering` shared by the pair counts the section's
pages, so each appendix is numbered from 1 (Decree 30, Phụ lục I §III), and
draws the number centred in the top margin; the report's page 1 shows none.
"""

from __future__ import annotations

import copy
from typing import Any

from reportlab.lib.pagesizes import landscape, portrait
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, PageTemplate

from reportgen.document.model import Orientation, Section
from reportgen.writers import theme

A4 = (theme.PAGE_WIDTH_MM * mm, theme.PAGE_HEIGHT_MM * mm)


def page_size(section: Section) -> tuple[float, float]:
    return landscape(A4) if section.orientation is Orientation.LANDSCAPE else portrait(A4)


def margins(section: Section) -> theme.Margins:
    return theme.LANDSCAPE_MARGINS if section.orientation is Orientation.LANDSCAPE else theme.PORTRAIT_MARGINS


def frame_width(section: Section) -> float:
    """Text width of the section's pages, in points."""
    m = margins(section)
    return page_size(section)[0] - (m.left + m.right) * mm


def first_template_id(index: int) -> str:
    return f"section{index}-first"


def later_template_id(index: int) -> str:
    return f"section{index}-later"


class SectionNumbering:
    """Counts one section's pages and draws each page's number in the header, and the watermark, if any."""

    def __init__(self, section: Section, font_name: str, watermark: str = "", watermark_font: str = "") -> None:
        self.font_name = font_name
        self.watermark = watermark
        self.watermark_font = watermark_font or font_name
        self.page_size = page_size(section)
        self.number_first_page = section.number_first_page
        width, height = page_size(section)
        m = margins(section)
        self.x = (m.left * mm + width - m.right * mm) / 2
        # reportlab sets a line's baseline one font size below its top; the top is HEADER_DISTANCE from the edge.
        self.y = height - theme.HEADER_DISTANCE_MM * mm - theme.PAGE_NUMBER_SIZE
        self.first_page = 1

    def on_first_page(self, canvas: Canvas, doc: object) -> None:
        self.first_page = canvas.getPageNumber()
        self._draw_watermark(canvas)
        if self.number_first_page:
            self._draw(canvas, 1)

    def on_later_page(self, canvas: Canvas, doc: object) -> None:
        self._draw_watermark(canvas)
        self._draw(canvas, canvas.getPageNumber() - self.first_page + 1)

    def _draw_watermark(self, canvas: Canvas) -> None:
        """Light grey text across the page's centre, turned 45°; drawn when the page begins, so under the text."""
        if not self.watermark:
            return
        width, height = self.page_size
        size = theme.watermark_size(canvas.stringWidth(self.watermark, self.watermark_font, 1.0) / mm)
        canvas.saveState()
        canvas.setFillGray(theme.WATERMARK_GREY)
        canvas.setFont(self.watermark_font, size)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(theme.WATERMARK_ANGLE)
        canvas.drawCentredString(0, -size * 0.35, self.watermark)  # centred on the capitals
        canvas.restoreState()

    def _draw(self, canvas: Canvas, number: int) -> None:
        canvas.saveState()
        canvas.setFont(self.font_name, theme.PAGE_NUMBER_SIZE)
        canvas.drawCentredString(self.x, self.y, str(number))
        canvas.restoreState()


def section_templates(
    index: int, section: Section, font_name: str, watermark: str = "", watermark_font: str = ""
) -> list[PageTemplate]:
    """The first-page and later-pages templates of section ``index``; the first hands over to the later."""
    numbering = SectionNumbering(section, font_name, watermark, watermark_font)
    size = page_size(section)
    first = PageTemplate(
        id=first_template_id(index),
        frames=[_frame(section, f"s{index}a")],
        pagesize=size,
        onPage=numbering.on_first_page,
        autoNextPageTemplate=later_template_id(index),
    )
    later = PageTemplate(
        id=later_template_id(index),
        frames=[_frame(section, f"s{index}b")],
        pagesize=size,
        onPage=numbering.on_later_page,
    )
    return [first, later]


def _frame(section: Section, frame_id: str) -> Frame:
    """The text area: the page less the margins, with no padding (so it is exactly 165 mm wide in portrait)."""
    width, height = page_size(section)
    m = margins(section)
    return TextFrame(
        m.left * mm,
        m.bottom * mm,
        width - (m.left + m.right) * mm,
        height - (m.top + m.bottom) * mm,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=frame_id,
    )


_IMMUTABLE = (int, float, str, bool, type(None))
"""Values a deep copy shares rather than copies (``copy.deepcopy`` returns them as they are)."""


class TextFrame(Frame):
    """A platypus Frame whose deep copy skips the copying of its numbers.

    Platypus deep-copies the current frame whenever it measures a group kept together (a heading with its
    paragraph, a chart with its caption: about 28 times per report), and ``copy.deepcopy`` walks the frame's
    two dozen attributes one by one, numbers included (0.4–0.5 ms of the PDF's ~20 ms per report).  This is
    the same copy: a new frame whose attributes are the numbers and strings themselves and deep copies of
    everything else (its list of backgrounds), made in one pass; tests/test_pdf_writer.py compares it with
    ``copy.deepcopy``'s own.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> TextFrame:
        clone = self.__class__.__new__(self.__class__)
        memo[id(self)] = clone
        clone.__dict__.update(
            {
                name: value if type(value) in _IMMUTABLE else copy.deepcopy(value, memo)
                for name, value in vars(self).items()
            }
        )
        return clone
