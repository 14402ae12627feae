"""Draw a :class:`~reportgen.document.model.Chart` into PNG bytes with Pillow alone.

:mod:`reportgen.charts.compose` says what the chart shows, in mm; this module
rasterises it at :data:`DPI`, the size the document places it at:

- bars snapped to whole pixels, so their edges are crisp;
- lines (all horizontal or vertical) with their centres snapped like
  matplotlib's, and anti-aliased exactly: the pixels a line only partly
  covers are blended by the share it covers;
- hatching (diagonals, dots) drawn per bar on a mask :data:`SUPERSAMPLE`
  times larger, averaged down, and painted white through it: anti-aliased
  hatching without drawing the whole chart large;
- texts last, by Pillow in DejaVu Sans (see :mod:`reportgen.charts.labels`),
  anti-aliased by FreeType.

No matplotlib, no numpy: importing this module costs next to nothing, and
drawing both charts of a report takes a few tens of milliseconds.  The PNG is
opaque RGB with the pixel density as its only metadata (no software name, no
time): the same Chart gives the same bytes.  A chart that cannot be drawn
raises :class:`ValueError` (see :func:`~reportgen.charts.compose.compose`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from reportgen.charts.compose import STATUS_HATCHES, Pen, PenShape, PenText, compose
from reportgen.charts.hatch import hatch_marks
from reportgen.charts.layout import DPI, chart_size_mm, pixel_size
from reportgen.charts.labels import MM_PER_INCH, PT_PER_INCH, pil_font
from reportgen.document.model import Chart
from pngfile import encode_rgb

__all__ = ["DPI", "STATUS_HATCHES", "SUPERSAMPLE", "chart_size_mm", "compose", "draw_chart",
           "pixel_size", "render_chart", "text_box"]

if TYPE_CHECKING:  # pragma: no cover - typing only; Pillow is imported when drawing
    from PIL.Image import Image
    from PIL.ImageDraw import ImageDraw

SUPERSAMPLE = 4
"""Hatch masks are drawn this many times larger, then averaged down: 16 samples per pixel."""
PX_PER_MM = DPI / MM_PER_INCH
BACKDROP_PX = 2
"""White margin around a value label's backdrop."""
_ANCHORS = {"left": "l", "center": "m", "right": "r", "top": "a", "bottom": "d"}
"""Pillow anchors: horizontal l/m/r; vertical a (ascender), m (middle), d (descender)."""


# ------------------------------------------------------------------ public ----

def render_chart(chart: Chart) -> bytes:
    """The chart as PNG bytes (opaque RGB at :data:`DPI`); the same Chart always gives the same bytes."""
    return _encode_png(draw_chart(chart))


def draw_chart(chart: Chart) -> "Image":
    """The chart as a Pillow RGB image of :func:`pixel_size` (what :func:`render_chart` encodes)."""
    pen = compose(chart)
    image = _rasterise(pen, pixel_size(chart))
    _draw_texts(image, pen.texts)
    return image


def text_box(text: PenText, image_height: int) -> tuple[float, float, float, float]:
    """Pixel box (left, top, right, bottom) the text's ink covers in an image ``image_height`` pixels high."""
    from PIL import Image, ImageDraw

    at, anchor, font = _placement(text, image_height)
    return ImageDraw.Draw(Image.new("1", (1, 1))).textbbox(at, text.text, font=font, anchor=anchor)


# ------------------------------------------------------------- rasterising ----

Box = tuple[float, float, float, float]
"""(left, top, right, bottom) in pixels of the final image, y downwards; fractional."""


def _rasterise(pen: Pen, size: tuple[int, int]) -> "Image":
    """Every shape, lowest zorder first, on a white canvas of ``size`` pixels."""
    from PIL import Image, ImageDraw

    canvas = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(canvas, "RGBA")  # RGBA fills blend into the RGB canvas (anti-aliased line edges)
    for shape in pen.ordered_shapes():
        if shape.kind == "rect":
            _fill_rect(canvas, draw, shape)
        else:
            _stroke_line(canvas.height, draw, shape)
    return canvas


def _fill_rect(canvas: "Image", draw: "ImageDraw", shape: PenShape) -> None:
    """The rectangle snapped to whole pixels (crisp bar edges), filled, then its hatch in white."""
    x, y, width, height = shape.coords
    left, right = round(x * PX_PER_MM), round((x + width) * PX_PER_MM)
    top, bottom = round(canvas.height - (y + height) * PX_PER_MM), round(canvas.height - y * PX_PER_MM)
    if right <= left or bottom <= top:
        return  # a zero-length bar (value 0) shows only its value label
    draw.rectangle((left, top, right - 1, bottom - 1), fill=shape.colour)
    if shape.hatch:
        canvas.paste("white", (left, top), _hatch_mask(shape.hatch, left, right, canvas.height - bottom,
                                                       canvas.height - top))


def _hatch_mask(hatch: str, left: int, right: int, low: int, high: int) -> "Image":
    """Coverage of the box's hatch marks: drawn :data:`SUPERSAMPLE` times larger, then averaged down.

    The box is in pixels with y upwards from the chart's foot, as the
    pattern is anchored there (:mod:`reportgen.charts.hatch`).
    """
    from PIL import Image, ImageDraw

    s = SUPERSAMPLE
    marks = hatch_marks(hatch, (left, low, right, high), DPI)
    mask = Image.new("L", ((right - left) * s, (high - low) * s), 0)
    draw = ImageDraw.Draw(mask)
    to_mask = lambda px, py: ((px - left) * s, (high - py) * s)  # noqa: E731 - y flips downwards here
    width = max(1, round(marks.line_width * s))
    for x0, y0, x1, y1 in marks.lines:
        if y0 == y1:  # a horizontal rule: on whole pixels, like every other horizontal line
            y0 = y1 = _snap(y0, marks.line_width)
        draw.line((to_mask(x0, y0), to_mask(x1, y1)), fill=255, width=width)
    r = marks.dot_radius * s
    for cx, cy in marks.dots:
        mx, my = to_mask(cx, cy)
        draw.ellipse((mx - r, my - r, mx + r, my + r), fill=255)
    return mask.reduce(s)


def _stroke_line(height: int, draw: "ImageDraw", shape: PenShape) -> None:
    """A horizontal or vertical line, dashed if the shape says so, its centre snapped for crisp edges."""
    x0, y0, x1, y1 = shape.coords
    half = shape.width / PT_PER_INCH * DPI / 2  # pixels
    if x0 == x1:
        x = _snap(x0 * PX_PER_MM, 2 * half)
        ends = sorted((height - y0 * PX_PER_MM, height - y1 * PX_PER_MM))
        boxes = [(x - half, a, x + half, b) for a, b in _dashes(ends, shape.dash, y0 < y1)]
    else:
        y = _snap(height - y0 * PX_PER_MM, 2 * half)
        ends = sorted((x0 * PX_PER_MM, x1 * PX_PER_MM))
        boxes = [(a, y - half, b, y + half) for a, b in _dashes(ends, shape.dash, x1 < x0)]
    for box in boxes:
        _fill_box(draw, box, shape.colour)


def _snap(centre: float, width: float) -> float:
    """A line's centre moved so that its width covers whole pixels where it can (matplotlib did the same)."""
    return math.floor(centre) + 0.5 if max(1, round(width)) % 2 else float(round(centre))


def _dashes(ends: list[float], dash_pt: tuple[float, float] | None, backwards: bool) -> list[tuple[float, float]]:
    """The pieces of a line from ``ends[0]`` to ``ends[1]``; dashed, the first dash at the line's start
    (the far end when the line is drawn ``backwards``: it starts where its first point is)."""
    start, stop = ends
    if dash_pt is None:
        return [(start, stop)]
    on, off = (length / PT_PER_INCH * DPI for length in dash_pt)
    pieces, at = [], 0.0
    while at < stop - start:
        pieces.append((at, min(at + on, stop - start)))
        at += on + off
    if backwards:
        return [(stop - b, stop - a) for a, b in pieces]
    return [(start + a, start + b) for a, b in pieces]


def _fill_box(draw: "ImageDraw", box: Box, colour: str) -> None:
    """Fill a box with fractional edges exactly: whole pixels in the colour, edge pixels blended by the share
    of them covered (area coverage, which a supersampled drawing only approximates)."""
    from PIL import ImageColor

    rgb = ImageColor.getrgb(colour)[:3]
    for (left, right), across in _spans(box[0], box[2]):
        for (top, bottom), down in _spans(box[1], box[3]):
            coverage = across * down
            if coverage > 0.0:  # the drawing blends an RGBA fill into the RGB canvas
                draw.rectangle((left, top, right - 1, bottom - 1), fill=(*rgb, min(255, round(255 * coverage))))


def _spans(start: float, stop: float) -> list[tuple[tuple[int, int], float]]:
    """Pixel ranges [a, b) covering start..stop with the share of each pixel covered: edge, middle, edge."""
    first, last = math.floor(start), math.ceil(stop)
    if last - first == 1:
        return [((first, last), stop - start)]
    spans = [((first, first + 1), first + 1 - start)]
    if last - first > 2:
        spans.append(((first + 1, last - 1), 1.0))
    spans.append(((last - 1, last), stop - (last - 1)))
    return spans


# ------------------------------------------------------------------- texts ----

def _draw_texts(image: "Image", texts: list[PenText]) -> None:
    """Every text, one line each, in DejaVu Sans (see :mod:`reportgen.charts.labels`)."""
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    for text in texts:
        at, anchor, font = _placement(text, image.height)
        if text.backdrop:
            left, top, right, bottom = draw.textbbox(at, text.text, font=font, anchor=anchor)
            draw.rectangle((left - BACKDROP_PX, top - BACKDROP_PX, right + BACKDROP_PX, bottom + BACKDROP_PX),
                           fill="white")
        draw.text(at, text.text, fill=text.colour, font=font, anchor=anchor)


def _placement(text: PenText, image_height: int):
    """Pillow's position (pixels, y downwards), anchor and font for ``text``."""
    anchor = _ANCHORS[text.ha] + ("m" if text.va == "center" else _ANCHORS[text.va])
    return (text.x * PX_PER_MM, image_height - text.y * PX_PER_MM), anchor, pil_font(text.size, DPI, text.bold)


# --------------------------------------------------------------------- PNG ----

def _encode_png(image: "Image") -> bytes:
    """PNG whose only metadata is the pixel density (no software name, no time); see :mod:`pngfile`.

    Opaque RGB: the chart has no transparency, the file is smaller, and a
    writer embeds it without a soft mask.
    """
    return encode_rgb(image.tobytes(), image.width, image.height, DPI)
