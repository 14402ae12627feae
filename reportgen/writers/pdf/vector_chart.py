"""A chart in the PDF as vector graphics: rectangles, lines and real text, crisp at any zoom.

The PDF draws the :func:`~reportgen.charts.compose.compose` output with
reportlab's canvas, the output the web page's SVG is drawn from too, so
positions, colours, hatches and dashes are the same in both (and the Word chart
follows the same layout).  Texts are set in DejaVu Sans shipped with
reportgen (the font the layout was measured in), registered and embedded like every font in the
PDF; they stay selectable and searchable.  Every text's characters are
checked against its face before anything is laid out (:func:`check_chart_glyphs`).

The chart is drawn at exactly the figure's placed size; a figure wider than
the text column (a landscape chart in a portrait section) is scaled down
whole, texts and lines included, as a picture would be.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import toColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from reportgen.charts.compose import Pen, PenShape, PenText
from reportgen.charts.hatch import hatch_marks
from reportgen.charts.labels import MM_PER_INCH, PT_PER_INCH, vertical_metrics
from reportgen.typeface.bundled import SANS_FAMILY, sans_path
from reportgen.typeface.glyph_check import check_face_glyphs
from reportgen.typeface.report_font import registered_face

PT_PER_MM = PT_PER_INCH / MM_PER_INCH
BACKDROP_PT = 2 / 150 * PT_PER_INCH
"""White margin around a value label's backdrop: two pixels of the layout's 150 dpi grid."""
BUTT_CAP = 0
"""PDF line cap 0: lines end square at their end points, as in the SVG."""


@lru_cache(maxsize=64)
def _colour(name: str):
    """reportlab's colour for "#rrggbb" or a name (cached: reportlab parses a string anew on every call)."""
    return toColor(name)


def chart_face(bold: bool = False) -> str:
    """The reportlab name of the chart font (DejaVu Sans, bold or regular), registered on first use."""
    return registered_face(sans_path(bold))


def check_chart_glyphs(pen: Pen, where: str) -> None:
    """Raise RenderError for a chart text with a character its face (regular or bold) lacks."""
    for bold in (False, True):
        texts = [(where, text.text) for text in pen.texts if text.bold == bold]
        if texts:
            check_face_glyphs(chart_face(bold), SANS_FAMILY, sans_path(bold), texts)


@dataclass(frozen=True)
class _Scale:
    """From the pen's mm to the flowable's points."""

    x: float
    y: float

    @property
    def uniform(self) -> float:
        """For sizes (fonts, line widths, dashes): 1 when the chart is drawn at its own size."""
        return self.x / PT_PER_MM


class ChartFlowable(Flowable):
    """A composed chart drawn as vector graphics in a box of ``width`` × ``height`` points."""

    def __init__(self, pen: Pen, width: float, height: float) -> None:
        super().__init__()
        self.pen = pen
        self.width = width
        self.height = height
        self._scale = _Scale(width / pen.width, height / pen.height)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab API)
        """Always its own size: the writer has already fitted it to the column."""
        return self.width, self.height

    def draw(self) -> None:
        """Shapes lowest zorder first, then the texts in reading order (which the PDF keeps)."""
        canvas = self.canv
        canvas.saveState()
        canvas.setLineCap(BUTT_CAP)
        for shape in self.pen.ordered_shapes():
            if shape.kind == "rect":
                _fill_rect(canvas, shape, self._scale)
            else:
                _stroke_line(canvas, shape, self._scale)
        for text in self.pen.texts:
            _draw_text(canvas, text, self._scale)
        canvas.restoreState()

    def __repr__(self) -> str:
        return f"ChartFlowable({self.width:.1f}×{self.height:.1f}pt, {len(self.pen.shapes)} shapes)"


def _fill_rect(canvas, shape: PenShape, scale: _Scale) -> None:
    """The rectangle filled, then its hatch in white, clipped to it."""
    x, y, width, height = shape.coords
    box = (x * scale.x, y * scale.y, (x + width) * scale.x, (y + height) * scale.y)
    if box[2] <= box[0] or box[3] <= box[1]:
        return  # a zero-length bar (value 0) shows only its value label
    canvas.setFillColor(_colour(shape.colour))
    canvas.rect(box[0], box[1], box[2] - box[0], box[3] - box[1], stroke=0, fill=1)
    if shape.hatch:
        _hatch(canvas, shape.hatch, box, scale)


def _hatch(canvas, hatch: str, box: tuple[float, float, float, float], scale: _Scale) -> None:
    marks = hatch_marks(hatch, box, PT_PER_INCH * scale.uniform)
    canvas.saveState()
    outline = canvas.beginPath()
    outline.rect(box[0], box[1], box[2] - box[0], box[3] - box[1])
    canvas.clipPath(outline, stroke=0, fill=0)
    canvas.setStrokeColor(_colour("white"))
    canvas.setFillColor(_colour("white"))
    canvas.setLineWidth(marks.line_width)
    if marks.lines:
        canvas.lines(marks.lines)
    for cx, cy in marks.dots:
        canvas.circle(cx, cy, marks.dot_radius, stroke=0, fill=1)
    canvas.restoreState()


def _stroke_line(canvas, shape: PenShape, scale: _Scale) -> None:
    x0, y0, x1, y1 = shape.coords
    canvas.setStrokeColor(_colour(shape.colour))
    canvas.setLineWidth(shape.width * scale.uniform)
    canvas.setDash([length * scale.uniform for length in shape.dash] if shape.dash else [], 0)
    canvas.line(x0 * scale.x, y0 * scale.y, x1 * scale.x, y1 * scale.y)


def _draw_text(canvas, text: PenText, scale: _Scale) -> None:
    """One line of text, anchored as Pillow anchors it when the layout measures it (see
    :class:`~reportgen.charts.compose.PenText`)."""
    face, size = chart_face(text.bold), text.size * scale.uniform
    ascender, descender = (metric * size for metric in vertical_metrics(text.bold))
    baseline = text.y * scale.y - {"top": ascender, "center": (ascender - descender) / 2, "bottom": -descender}[text.va]
    width = stringWidth(text.text, face, size)
    left = text.x * scale.x - {"left": 0.0, "center": width / 2, "right": width}[text.ha]
    if text.backdrop:
        canvas.setFillColor(_colour("white"))
        canvas.rect(
            left - BACKDROP_PT,
            baseline - descender - BACKDROP_PT,
            width + 2 * BACKDROP_PT,
            ascender + descender + 2 * BACKDROP_PT,
            stroke=0,
            fill=1,
        )
    canvas.setFillColor(_colour(text.colour))
    canvas.setFont(face, size)
    canvas.drawString(left, baseline, text.text)
