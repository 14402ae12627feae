"""A chart as inline SVG: the same drawing the PDF shows, crisp at any zoom, its texts real text.

:func:`~reportgen.charts.compose.compose` says what the chart shows, in mm from
its bottom-left corner; this module only translates that list into SVG, as
:mod:`reportgen.writers.pdf.vector_chart` translates it into PDF operators: the SVG's
user unit is the millimetre, y flipped to run downwards.  Bars keep their
colour *and* their white hatching (:mod:`reportgen.charts.hatch`), so the chart
still reads printed in black and white; each hatched bar is its own nested
``<svg>``, which clips the hatching to the bar without ids that could clash
on a page showing several reports.

Texts are SVG text in DejaVu Sans, the font the layout was measured in (the
report stylesheet serves the packaged file; the font stack falls back to other
sans-serif faces with Vietnamese), anchored where Pillow anchors them when the
layout measures them.  Bars, the light tracks behind them and the legend keys carry the classes
``rg-bar``, ``rg-track`` and ``rg-key``.
"""

from __future__ import annotations

from reportgen.charts.compose import Pen, PenShape, PenText, compose
from reportgen.charts.hatch import hatch_marks
from reportgen.charts.labels import MM_PER_INCH, pt_to_mm, text_width_mm, vertical_metrics
from reportgen.charts.layout import DPI, Layout, layout_chart
from reportgen.document.model import Chart
from reportgen.writers.html.page import attr, number, text

CHART_FONTS = "'DejaVu Sans', 'Noto Sans', 'Liberation Sans', Arial, sans-serif"
"""The chart font, then faces with Vietnamese that a PC without it has."""
BACKDROP_MM = 2 / DPI * MM_PER_INCH
"""White margin around a value label's backdrop: two pixels of the layout's DPI grid."""
BAR_ZORDER = 2.0
"""compose() draws bars and legend keys at this zorder, the light tracks below it."""
_ANCHOR = {"left": "start", "center": "middle", "right": "end"}


def chart_svg(chart: Chart, width_mm: float, height_mm: float, label: str) -> str:
    """The chart as an ``<svg>`` element ``width_mm`` × ``height_mm`` (CSS shrinks it to a narrower column)."""
    pen = compose(chart)
    layout = layout_chart(chart)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rg-chart" role="img" aria-label="{attr(label)}" '
        f'viewBox="0 0 {number(pen.width)} {number(pen.height)}" width="{number(width_mm)}mm" '
        f'height="{number(height_mm)}mm" font-family="{CHART_FONTS}">'
    ]  # no ground: the mark shows through
    for shape in pen.ordered_shapes():
        parts.append(_rect(shape, pen, layout) if shape.kind == "rect" else _line(shape, pen))
    parts += [_text(item, pen) for item in pen.texts]
    parts.append("</svg>")
    return "".join(parts)


def _role(shape: PenShape, layout: Layout) -> str:
    """A bar (in the plot, at the bars' zorder), a track behind one, or a legend key (above the plot)."""
    _x, y, _width, height = shape.coords
    if not layout.bottom <= y + height / 2 <= layout.top:
        return "rg-key"
    return "rg-bar" if shape.zorder >= BAR_ZORDER else "rg-track"


def _rect(shape: PenShape, pen: Pen, layout: Layout) -> str:
    """The rectangle filled, then its hatch in white, clipped to it by a nested viewport."""
    x, y, width, height = shape.coords
    top = pen.height - y - height
    box = f'x="{number(x)}" y="{number(top)}" width="{number(max(width, 0))}" height="{number(max(height, 0))}"'
    rect = f'<rect class="{_role(shape, layout)}" {box} fill="{attr(shape.colour)}"/>'
    if not shape.hatch or width <= 0 or height <= 0:
        return rect
    marks = hatch_marks(shape.hatch, (x, y, x + width, y + height), MM_PER_INCH)
    flip = pen.height
    path = "".join(
        f"M{number(x0)} {number(flip - y0)}L{number(x1)} {number(flip - y1)}" for x0, y0, x1, y1 in marks.lines
    )
    hatch = [f'<svg {box} viewBox="{number(x)} {number(top)} {number(width)} {number(height)}">']
    if path:
        hatch.append(f'<path d="{path}" stroke="white" stroke-width="{number(marks.line_width)}" fill="none"/>')
    hatch += [
        f'<circle cx="{number(cx)}" cy="{number(flip - cy)}" r="{number(marks.dot_radius)}" fill="white"/>'
        for cx, cy in marks.dots
    ]
    hatch.append("</svg>")
    return rect + "".join(hatch)


def _line(shape: PenShape, pen: Pen) -> str:
    x0, y0, x1, y1 = shape.coords
    dash = f' stroke-dasharray="{" ".join(number(pt_to_mm(length)) for length in shape.dash)}"' if shape.dash else ""
    return (
        f'<line x1="{number(x0)}" y1="{number(pen.height - y0)}" x2="{number(x1)}" y2="{number(pen.height - y1)}" '
        f'stroke="{attr(shape.colour)}" stroke-width="{number(pt_to_mm(shape.width))}"{dash}/>'
    )


def _text(item: PenText, pen: Pen) -> str:
    """One line of text, its baseline where Pillow's anchor puts it (see PenText), over a backdrop if asked."""
    size = pt_to_mm(item.size)
    ascender, descender = (metric * size for metric in vertical_metrics(item.bold))
    baseline = item.y - {"top": ascender, "center": (ascender - descender) / 2, "bottom": -descender}[item.va]
    weight = ' font-weight="bold"' if item.bold else ""
    backdrop = ""
    if item.backdrop:
        width = text_width_mm(item.text, item.size, DPI, item.bold)
        left = item.x - {"left": 0.0, "center": width / 2, "right": width}[item.ha]
        top = pen.height - baseline - ascender
        backdrop = (
            f'<rect x="{number(left - BACKDROP_MM)}" y="{number(top - BACKDROP_MM)}" '
            f'width="{number(width + 2 * BACKDROP_MM)}" '
            f'height="{number(ascender + descender + 2 * BACKDROP_MM)}" fill="white"/>'
        )
    return (
        f'{backdrop}<text x="{number(item.x)}" y="{number(pen.height - baseline)}" font-size="{number(size)}"'
        f'{weight} fill="{attr(item.colour)}" text-anchor="{_ANCHOR[item.ha]}">{text(item.text)}</text>'
    )
