"""What a chart shows, as shapes and texts in millimetres: the drawing before any renderer.

Horizontal bars, because indicator names are long; one measure per chart
(:mod:`reportgen.document.charts_data`):

- ``"plan"``: % of the annual plan per indicator, coloured *and* hatched by
  status (reports are often printed in grayscale), a value label on every bar
  ("98,5%"), a dashed line at the share of the year elapsed, a thin line at
  100%, and a legend of the statuses present;
- ``"points"``: the difference from the annual target in percentage points,
  bars left or right of the zero line ("+3,34", "-0,19"), coloured and hatched by status;
- ``"levels"``: counts whose target is zero, each over a light bar of the same
  period's count, coloured and hatched by status;
- ``"projects"``: physical progress of each key project on a light 0–100% track.

:mod:`reportgen.charts.layout` decides where everything goes; :func:`compose`
turns that into a :class:`Pen`'s list of rectangles, lines and one-line texts,
with their colours, hatches and dashes.  Renderers only translate that list:
:mod:`reportgen.writers.pdf.vector_chart` into PDF vector graphics with reportlab,
:mod:`reportgen.writers.html.svg_chart` into inline SVG for the web page (the Word
writer makes a native chart that follows the same layout,
:mod:`reportgen.writers.docx.word_chart`).  Coordinates are mm from the chart's
bottom-left corner, y upwards (PDF's own convention).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportgen.charts.colours import STATUS_COLOURS
from reportgen.charts.hatch import CROSS, DIAGONAL, DIAGONAL_BACK, DOTS, HORIZONTAL, SOLID
from reportgen.charts.labels import line_height_mm
from reportgen.charts.layout import (
    AXIS_LABEL_PT,
    EDGE_MM,
    LABEL_SPACING,
    LEGEND_KEY_GAP_MM,
    LEGEND_KEY_MM,
    LEGEND_PT,
    TICK_MM,
    TICK_PT,
    TITLE_PT,
    TOP_MM,
    VALUE_PAD_MM,
    Layout,
    chart_size_mm,
    layout_chart,
    tick_text,
    value_text,
)
from reportgen.document.model import Chart

STATUS_HATCHES = {
    "Vượt kế hoạch": SOLID,
    "Đạt kế hoạch": DOTS,
    "Đúng tiến độ": HORIZONTAL,
    "Chậm tiến độ": DIAGONAL,
    "Chưa đạt": DIAGONAL_BACK,
    "Không đạt": CROSS,
}
"""A second cue besides colour, for grayscale prints: solid, dots or rules for the statuses on plan or on
track, diagonal hatching for the lagging ones (behind, not yet met, failed)."""
OTHER_COLOUR = "#7f7f7f"
"""A category the theme does not know."""
PROGRESS_COLOUR = "#3b6a8f"
TRACK_COLOUR = "#e6e6e6"
"""A project's 0–100% track, and the same period's count behind a zero target's bar (light enough that the
value labels on it need no backdrop)."""
TEXT_COLOUR = "#222222"
AXIS_COLOUR = "#595959"
GRID_COLOUR = "#dedede"
FULL_PLAN_COLOUR = "#8c8c8c"
REFERENCE_COLOUR = "#333333"
REFERENCE_WIDTH_PT = 1.2
REFERENCE_DASH_PT = (6.0, 3.6)
"""Dash and gap of the reference line: 5 and 3 line widths."""
LINE_PT = 0.6
"""Axes, ticks and grid."""
FULL_PLAN_PT = 0.9


@dataclass(frozen=True)
class PenShape:
    kind: str
    """"rect" (x, y, width, height) or "line" (x0, y0, x1, y1), in mm."""
    coords: tuple[float, float, float, float]
    colour: str
    hatch: str = SOLID
    """A rectangle's hatch (:mod:`reportgen.charts.hatch`), drawn in white over its colour."""
    width: float = LINE_PT
    """Line width, pt."""
    dash: tuple[float, float] | None = None
    """A line's dash and gap, pt; None for a solid line."""
    zorder: float = 2.0
    """Shapes are drawn from the lowest zorder up (grid under bars, the reference line over them)."""


@dataclass(frozen=True)
class PenText:
    x: float
    y: float
    text: str
    size: float
    """Font size, pt."""
    bold: bool
    colour: str
    ha: str
    """"left", "center" or "right": which end of the text is at x."""
    va: str
    """"top" (the font's ascender), "center" (midway between ascender and descender) or "bottom"
    (the descender) is at y."""
    backdrop: bool = False
    """Paint white behind the text first, so a grid or reference line never runs through it."""


class Pen:
    """Collects what to draw, in mm from the chart's bottom-left corner."""

    def __init__(self, width: float, height: float) -> None:
        self.width = width
        self.height = height
        """The chart's size, mm (the placed size rounded to whole pixels at the layout's DPI)."""
        self.shapes: list[PenShape] = []
        self.texts: list[PenText] = []

    def rect(
        self, x: float, y: float, width: float, height: float, colour: str, hatch: str = SOLID, zorder: float = 2.0
    ) -> None:
        """A filled rectangle from its bottom-left corner, hatched in white if ``hatch`` says so."""
        self.shapes.append(PenShape("rect", (x, y, width, height), colour, hatch, zorder=zorder))

    def line(
        self,
        xs: tuple[float, float],
        ys: tuple[float, float],
        colour: str,
        width: float = LINE_PT,
        dash: tuple[float, float] | None = None,
        zorder: float = 2.5,
    ) -> None:
        """A horizontal or vertical line (every line of these charts is; a renderer may snap it to pixels)."""
        if xs[0] != xs[1] and ys[0] != ys[1]:
            raise ValueError(f"chart lines are horizontal or vertical, not {xs} → {ys}")
        self.shapes.append(
            PenShape("line", (xs[0], ys[0], xs[1], ys[1]), colour, width=width, dash=dash, zorder=zorder)
        )

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        bold: bool = False,
        colour: str = TEXT_COLOUR,
        ha: str = "left",
        va: str = "center",
        backdrop: bool = False,
    ) -> None:
        """One line of text anchored at (x, y) as ``ha`` and ``va`` say (see :class:`PenText`)."""
        self.texts.append(PenText(x, y, text, size, bold, colour, ha, va, backdrop))

    def ordered_shapes(self) -> list[PenShape]:
        """Shapes in drawing order: by zorder, in the order added within one zorder."""
        return sorted(self.shapes, key=lambda shape: shape.zorder)


def compose(chart: Chart) -> Pen:
    """Everything the chart shows, as shapes and texts in mm; raises ValueError for a chart that cannot be drawn.

    A chart without bars, with labels, values and categories of different
    lengths, with a value that is not finite, or of an unknown kind cannot be
    drawn (the builder leaves empty charts out of the document).
    """
    check_chart(chart)
    layout = layout_chart(chart)
    pen = Pen(layout.width, layout.height)
    # Texts are added in reading order (title, legend, each bar's label then value, the axis): the PDF keeps
    # them in this order, which is what copying or a screen reader gets.  Shapes are drawn by zorder anyway.
    if chart.title:
        pen.text(EDGE_MM, layout.height - TOP_MM, chart.title, TITLE_PT, bold=True, va="top")
    _draw_legend(pen, layout)
    _draw_bars(pen, chart, layout)
    _draw_frame(pen, chart, layout)
    return pen


def check_chart(chart: Chart) -> None:
    """Raise ValueError for a chart :func:`compose` cannot draw."""
    chart_size_mm(chart)
    if not chart.labels:
        raise ValueError(f"chart {chart.kind!r} has no bars to draw")
    if len(chart.values) != len(chart.labels) or any(
        extra and len(extra) != len(chart.labels) for extra in (chart.categories, chart.tracks)
    ):
        raise ValueError(f"chart {chart.kind!r}: labels, values, categories and tracks differ in length")
    if not all(math.isfinite(value) for value in (*chart.values, *chart.tracks)):
        raise ValueError(f"chart {chart.kind!r}: a value is not a finite number")


def _draw_frame(pen: Pen, chart: Chart, layout: Layout) -> None:
    """Vertical grid at the round ticks, the value axis with its ticks and label, the zero line."""
    for tick in layout.ticks:
        x = layout.x(tick)
        pen.line((x, x), (layout.bottom, layout.top), GRID_COLOUR, zorder=0)
        pen.line((x, x), (layout.bottom - TICK_MM, layout.bottom), AXIS_COLOUR)
        pen.text(x, layout.bottom - TICK_MM - 0.6, tick_text(chart, tick), TICK_PT, ha="center", va="top")
    pen.line((layout.left, layout.right), (layout.bottom, layout.bottom), AXIS_COLOUR)
    pen.line((layout.x(0), layout.x(0)), (layout.bottom, layout.top), AXIS_COLOUR)
    if chart.axis_label:
        pen.text((layout.left + layout.right) / 2, 1.0, chart.axis_label, AXIS_LABEL_PT, ha="center", va="bottom")
    if chart.kind == "plan":
        pen.line(
            (layout.x(100), layout.x(100)), (layout.bottom, layout.top), FULL_PLAN_COLOUR, FULL_PLAN_PT, zorder=1.5
        )
        if chart.reference is not None:
            x = layout.x(chart.reference)
            pen.line(
                (x, x), (layout.bottom, layout.top), REFERENCE_COLOUR, REFERENCE_WIDTH_PT, REFERENCE_DASH_PT, zorder=3
            )


def _draw_bars(pen: Pen, chart: Chart, layout: Layout) -> None:
    """Each bar (over its track, if any) with its label in the label column and its value at its end."""
    categories = chart.categories or ("",) * len(chart.values)
    for index, (value, category) in enumerate(zip(chart.values, categories)):
        _draw_label(pen, layout, index)
        y = layout.y(index) - layout.bar / 2
        if chart.tracks:
            track_end = layout.x(layout.clamp(chart.tracks[index]))
            pen.rect(min(layout.x(0), track_end), y, abs(track_end - layout.x(0)), layout.bar, TRACK_COLOUR, zorder=1)
        if chart.kind == "projects":
            colour, hatch = PROGRESS_COLOUR, SOLID
        else:
            colour, hatch = status_colour(category), STATUS_HATCHES.get(category, SOLID)
        end = layout.x(layout.clamp(value))
        pen.rect(min(layout.x(0), end), y, abs(end - layout.x(0)), layout.bar, colour, hatch)
        if layout.labels[index]:  # bars too dense to label each one get their value where they get a label
            _draw_value(pen, chart, layout, index, value)


def status_colour(status: str) -> str:
    """The theme's colour of a status, grey for a category the theme does not know."""
    return STATUS_COLOURS.get(status, OTHER_COLOUR)


def _draw_value(pen: Pen, chart: Chart, layout: Layout, index: int, value: float) -> None:
    """'98,5%' just past the bar's end; inside the end, in bold white, for a bar cut at the axis's end."""
    clipped = layout.clamp(value) != value
    direction = (1.0 if value >= 0 else -1.0) * (-1.0 if clipped else 1.0)
    x = layout.x(layout.clamp(value)) + direction * VALUE_PAD_MM
    on_track = bool(chart.tracks) and abs(chart.tracks[index]) > abs(value)  # no line runs behind a track
    pen.text(
        x,
        layout.y(index),
        value_text(chart, value),
        layout.value_pt,
        bold=clipped,
        colour="white" if clipped else TEXT_COLOUR,
        ha="left" if direction > 0 else "right",
        backdrop=not clipped and not on_track,
    )


def _draw_label(pen: Pen, layout: Layout, index: int) -> None:
    """A bar's label in the label column, left-aligned at the chart's edge, its lines centred on the bar."""
    step = line_height_mm(layout.label_pt, LABEL_SPACING)
    label = layout.labels[index]
    lines = label.split("\n") if label else []
    for number, line in enumerate(lines):
        pen.text(EDGE_MM, layout.y(index) + ((len(lines) - 1) / 2 - number) * step, line, layout.label_pt)


def _draw_legend(pen: Pen, layout: Layout) -> None:
    key_width, key_height = LEGEND_KEY_MM
    for entry in layout.legend:
        if entry.key == "reference":
            pen.line(
                (entry.x, entry.x + key_width),
                (entry.y, entry.y),
                REFERENCE_COLOUR,
                REFERENCE_WIDTH_PT,
                REFERENCE_DASH_PT,
            )
        elif entry.key == "track":
            pen.rect(entry.x, entry.y - key_height / 2, key_width, key_height, TRACK_COLOUR)
        else:
            pen.rect(
                entry.x,
                entry.y - key_height / 2,
                key_width,
                key_height,
                status_colour(entry.key),
                STATUS_HATCHES.get(entry.key, SOLID),
            )
        pen.text(entry.x + key_width + LEGEND_KEY_GAP_MM, entry.y, entry.text, LEGEND_PT)
