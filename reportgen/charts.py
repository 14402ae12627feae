"""Draw a :class:`~reportgen.document.model.Chart` into PNG bytes: the same image for Word and PDF.

Two kinds, both horizontal bars because indicator names are long:

- ``"plan"``: % of the annual plan per indicator, coloured *and* hatched by
  status (reports are often printed in grayscale), a value label on every bar
  ("98,5%"), a dashed line at the share of the year elapsed, a thin line at
  100%, and a legend of the statuses present;
- ``"projects"``: physical progress of each key project on a light 0–100% track.

:mod:`reportgen.chart_layout` decides where everything goes (in mm, at the
size the document places the image); this module draws it in two passes:

- bars, hatches and lines by matplotlib's Agg renderer, on a bare ``Figure``
  with a ``FigureCanvasAgg``: no pyplot (≈0.5 s to import, and it may pick a
  GUI backend), no backend lookup, no display needed.  matplotlib is imported
  only when a chart is drawn, and draws under its built-in defaults so a
  user's matplotlibrc cannot change the image;
- texts by Pillow in DejaVu Sans (see :mod:`reportgen.chart_text` for why).

The PNG is opaque RGB with no text chunks and no timestamp: the same Chart
gives the same bytes.  An empty chart (no bars) raises :class:`ValueError`:
there is nothing to draw, and the builder leaves empty charts out.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .chart_layout import (
    AXIS_CAP, AXIS_LABEL_PT, CHART_SIZES_MM, DPI, EDGE_MM, LABEL_SPACING, LEGEND_KEY_GAP_MM, LEGEND_KEY_MM,
    LEGEND_PT, TICK_MM, TICK_PT, TITLE_PT, TOP_MM, VALUE_PAD_MM, Layout, chart_size_mm, layout_chart, pixel_size,
    ticks, value_text,
)
from .chart_text import MM_PER_INCH, line_height_mm, pil_font
from .document.model import Chart
from .vnformat import vn_pct
from .writers.theme import STATUS_COLOURS

__all__ = ["CHART_SIZES_MM", "DPI", "chart_size_mm", "compose", "draw_chart", "pixel_size", "render_chart"]

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib and Pillow are imported lazily
    from PIL.Image import Image

STATUS_HATCHES = {
    "Vượt kế hoạch": "",
    "Đạt kế hoạch": "..",
    "Đúng tiến độ": "--",
    "Chậm tiến độ": "///",
    "Chưa đạt": "\\\\\\",
    "Không đạt": "xxx",
}
"""A second cue besides colour, for grayscale prints: solid, dots or rules for the statuses on plan or on
track, diagonal hatching for the lagging ones (behind, not yet met, failed)."""
OTHER_COLOUR = "#7f7f7f"
"""A category the theme does not know."""
PROGRESS_COLOUR = "#3b6a8f"
TRACK_COLOUR = "#e6e6e6"
TEXT_COLOUR = "#222222"
AXIS_COLOUR = "#595959"
GRID_COLOUR = "#dedede"
FULL_PLAN_COLOUR = "#8c8c8c"
REFERENCE_COLOUR = "#333333"
REFERENCE_DASHES = (0, (5, 3))

_RC = {"hatch.linewidth": 0.7}
"""Overrides of matplotlib's built-in defaults (applied after them, never on top of a user's style)."""


# ------------------------------------------------------------------ public ----

def render_chart(chart: Chart) -> bytes:
    """The chart as PNG bytes (opaque RGB at :data:`DPI`); the same Chart always gives the same bytes.

    Raises ValueError for a chart without bars, with labels, values and
    categories of different lengths, with a value that is not finite, or of an
    unknown kind.  Call it from one thread at a time: matplotlib's settings,
    which the drawing resets to their defaults for its duration, are global
    to the process (parallel reports run in separate processes).
    """
    return _encode_png(draw_chart(chart))


def draw_chart(chart: Chart) -> "Image":
    """The chart as a Pillow RGB image of :func:`pixel_size` (what :func:`render_chart` encodes)."""
    pen = compose(chart)
    image = _rasterise(pen.shapes, pixel_size(chart.kind))
    _draw_texts(image, pen.texts)
    return image


def compose(chart: Chart) -> "Pen":
    """Everything the chart shows, as shapes and texts in mm, not yet drawn (tests check the texts' places)."""
    _check(chart)
    layout = layout_chart(chart)
    pen = Pen()
    _draw_frame(pen, chart, layout)
    _draw_bars(pen, chart, layout)
    _draw_labels(pen, layout)
    _draw_legend(pen, layout)
    if chart.title:
        pen.text(EDGE_MM, layout.height - TOP_MM, chart.title, TITLE_PT, bold=True, va="top")
    return pen


def _check(chart: Chart) -> None:
    chart_size_mm(chart.kind)
    if not chart.labels:
        raise ValueError(f"chart {chart.kind!r} has no bars to draw")
    if len(chart.values) != len(chart.labels) or (chart.categories and len(chart.categories) != len(chart.labels)):
        raise ValueError(f"chart {chart.kind!r}: labels, values and categories differ in length")
    if not all(math.isfinite(value) for value in chart.values):
        raise ValueError(f"chart {chart.kind!r}: a value is not a finite number")


# ----------------------------------------------------------------- drawing ----

@dataclass(frozen=True)
class PenShape:
    kind: str
    """"rect" (x, y, width, height) or "line" (x0, y0, x1, y1), in mm."""
    coords: tuple[float, float, float, float]
    colour: str
    hatch: str = ""
    width: float = 0.6
    """Line width, pt."""
    style: object = "-"
    zorder: float = 2.0


@dataclass(frozen=True)
class PenText:
    x: float
    y: float
    text: str
    size: float
    bold: bool
    colour: str
    ha: str
    va: str
    backdrop: bool = False
    """Paint white behind the text first, so a grid or reference line never runs through it."""


class Pen:
    """Collects what to draw, in mm from the figure's bottom-left corner: shapes for matplotlib, texts for Pillow."""

    def __init__(self) -> None:
        self.shapes: list[PenShape] = []
        self.texts: list[PenText] = []

    def rect(self, x: float, y: float, width: float, height: float, colour: str, hatch: str = "",
             zorder: float = 2.0) -> None:
        self.shapes.append(PenShape("rect", (x, y, width, height), colour, hatch, zorder=zorder))

    def line(self, xs: tuple[float, float], ys: tuple[float, float], colour: str, width: float = 0.6,
             style: object = "-", zorder: float = 2.5) -> None:
        self.shapes.append(PenShape("line", (xs[0], ys[0], xs[1], ys[1]), colour, width=width, style=style,
                                    zorder=zorder))

    def text(self, x: float, y: float, text: str, size: float, bold: bool = False, colour: str = TEXT_COLOUR,
             ha: str = "left", va: str = "center", backdrop: bool = False) -> None:
        self.texts.append(PenText(x, y, text, size, bold, colour, ha, va, backdrop))


def _draw_frame(pen: Pen, chart: Chart, layout: Layout) -> None:
    """Vertical grid at round percentages, the value axis with its ticks and label, the zero line."""
    tick_top = min(layout.high, AXIS_CAP) if chart.kind == "plan" else 100.0
    for tick in ticks(max(layout.low, -AXIS_CAP), tick_top):
        x = layout.x(tick)
        pen.line((x, x), (layout.bottom, layout.top), GRID_COLOUR, zorder=0)
        pen.line((x, x), (layout.bottom - TICK_MM, layout.bottom), AXIS_COLOUR)
        pen.text(x, layout.bottom - TICK_MM - 0.6, vn_pct(tick, 0), TICK_PT, ha="center", va="top")
    pen.line((layout.left, layout.right), (layout.bottom, layout.bottom), AXIS_COLOUR)
    pen.line((layout.x(0), layout.x(0)), (layout.bottom, layout.top), AXIS_COLOUR)
    if chart.axis_label:
        pen.text((layout.left + layout.right) / 2, 1.0, chart.axis_label, AXIS_LABEL_PT, ha="center", va="bottom")
    if chart.kind == "plan":
        pen.line((layout.x(100), layout.x(100)), (layout.bottom, layout.top), FULL_PLAN_COLOUR, 0.9, zorder=1.5)
        if chart.reference is not None:
            x = layout.x(chart.reference)
            pen.line((x, x), (layout.bottom, layout.top), REFERENCE_COLOUR, 1.2, REFERENCE_DASHES, zorder=3)


def _draw_bars(pen: Pen, chart: Chart, layout: Layout) -> None:
    categories = chart.categories or ("",) * len(chart.values)
    for index, (value, category) in enumerate(zip(chart.values, categories)):
        y = layout.y(index) - layout.bar / 2
        if chart.kind == "projects":
            pen.rect(layout.x(0), y, layout.x(100) - layout.x(0), layout.bar, TRACK_COLOUR, zorder=1)
            colour, hatch = PROGRESS_COLOUR, ""
        else:
            colour, hatch = STATUS_COLOURS.get(category, OTHER_COLOUR), STATUS_HATCHES.get(category, "")
        end = layout.x(layout.clamp(value))
        pen.rect(min(layout.x(0), end), y, abs(end - layout.x(0)), layout.bar, colour, hatch)
        if layout.labels[index]:  # bars too dense to label each one get their value where they get a label
            _draw_value(pen, chart, layout, index, value)


def _draw_value(pen: Pen, chart: Chart, layout: Layout, index: int, value: float) -> None:
    """'98,5%' just past the bar's end; inside the end, in bold white, for a bar cut at the axis cap."""
    clipped = layout.clamp(value) != value
    direction = (1.0 if value >= 0 else -1.0) * (-1.0 if clipped else 1.0)
    x = layout.x(layout.clamp(value)) + direction * VALUE_PAD_MM
    pen.text(x, layout.y(index), value_text(chart, value), layout.value_pt, bold=clipped,
             colour="white" if clipped else TEXT_COLOUR, ha="left" if direction > 0 else "right",
             backdrop=chart.kind == "plan" and not clipped)  # on the projects' track no line runs behind


def _draw_labels(pen: Pen, layout: Layout) -> None:
    """The label column, left-aligned at the figure's edge, each label centred on its bar."""
    step = line_height_mm(layout.label_pt, LABEL_SPACING)
    for index, label in enumerate(layout.labels):
        lines = label.split("\n") if label else []
        for number, line in enumerate(lines):
            pen.text(EDGE_MM, layout.y(index) + ((len(lines) - 1) / 2 - number) * step, line, layout.label_pt)


def _draw_legend(pen: Pen, layout: Layout) -> None:
    key_width, key_height = LEGEND_KEY_MM
    for entry in layout.legend:
        if entry.key == "reference":
            pen.line((entry.x, entry.x + key_width), (entry.y, entry.y), REFERENCE_COLOUR, 1.2, REFERENCE_DASHES)
        else:
            pen.rect(entry.x, entry.y - key_height / 2, key_width, key_height,
                     STATUS_COLOURS.get(entry.key, OTHER_COLOUR), STATUS_HATCHES.get(entry.key, ""))
        pen.text(entry.x + key_width + LEGEND_KEY_GAP_MM, entry.y, entry.text, LEGEND_PT)


# ------------------------------------------------------------- rasterising ----

def _rasterise(shapes: list[PenShape], size: tuple[int, int]) -> "Image":
    """Bars, hatches and lines drawn antialiased by matplotlib's Agg, as an RGB image.

    A bare Figure on a FigureCanvasAgg: no pyplot, no backend lookup, no
    display.  matplotlib's built-in defaults apply (a user's matplotlibrc
    cannot change the image) plus :data:`_RC`.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.transforms import Affine2D
    from PIL import Image

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(_RC)
        figure = Figure(figsize=(size[0] / DPI, size[1] / DPI), dpi=DPI, facecolor="white")
        canvas = FigureCanvasAgg(figure)
        mm = Affine2D().scale(1 / MM_PER_INCH) + figure.dpi_scale_trans
        for shape in shapes:
            figure.add_artist(_artist(shape, mm))
        canvas.draw()
        rgba = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        return rgba.convert("RGB")


def _artist(shape: PenShape, transform):
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    if shape.kind == "rect":
        x, y, width, height = shape.coords
        # White edges make the hatch lines white (a hatch takes the edge colour); width 0 hides the outline.
        return Rectangle((x, y), width, height, facecolor=shape.colour, hatch=shape.hatch or None,
                         edgecolor="white", linewidth=0.0, transform=transform, zorder=shape.zorder)
    x0, y0, x1, y1 = shape.coords
    return Line2D((x0, x1), (y0, y1), color=shape.colour, linewidth=shape.width, linestyle=shape.style,
                  solid_capstyle="butt", transform=transform, zorder=shape.zorder)


BACKDROP_PX = 2
"""White margin around a value label's backdrop."""
_ANCHORS = {"left": "l", "center": "m", "right": "r", "top": "a", "bottom": "d"}
"""Pillow anchors: horizontal l/m/r; vertical a (ascender), m (middle), d (descender)."""


def _draw_texts(image: "Image", texts: list[PenText]) -> None:
    """Every text, one line each, in DejaVu Sans (see :mod:`reportgen.chart_text`)."""
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    for text in texts:
        at, anchor, font = _placement(text, image.height)
        if text.backdrop:
            left, top, right, bottom = draw.textbbox(at, text.text, font=font, anchor=anchor)
            draw.rectangle((left - BACKDROP_PX, top - BACKDROP_PX, right + BACKDROP_PX, bottom + BACKDROP_PX),
                           fill="white")
        draw.text(at, text.text, fill=text.colour, font=font, anchor=anchor)


def text_box(text: PenText, image_height: int) -> tuple[float, float, float, float]:
    """Pixel box (left, top, right, bottom) the text's ink covers in an image ``image_height`` pixels high."""
    from PIL import Image, ImageDraw

    at, anchor, font = _placement(text, image_height)
    return ImageDraw.Draw(Image.new("1", (1, 1))).textbbox(at, text.text, font=font, anchor=anchor)


def _placement(text: PenText, image_height: int):
    """Pillow's position (pixels, y downwards), anchor and font for ``text``."""
    scale = DPI / MM_PER_INCH
    anchor = _ANCHORS[text.ha] + ("m" if text.va == "center" else _ANCHORS[text.va])
    return (text.x * scale, image_height - text.y * scale), anchor, pil_font(text.size, DPI, text.bold)


# --------------------------------------------------------------------- PNG ----

def _encode_png(image: "Image") -> bytes:
    """PNG whose only metadata is the pixel density (no software name, no time).

    Opaque RGB rather than matplotlib's RGBA: the chart has no transparency,
    the file is smaller, and the PDF writer embeds it without a soft mask.
    """
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI), compress_level=6)
    return out.getvalue()
