"""Hatch patterns of the chart's bars, as plain geometry every renderer can draw.

A hatch is drawn in white over a bar's colour, so a grayscale print still
tells the statuses apart.  The patterns and their densities are those the
charts had when matplotlib drew them: rows of dots or horizontal rules
1/12 inch apart, diagonals one way, the other way or both, 1/9 inch apart
along a row.  Rows of dots and rules are centred on each bar, so a thin bar
still shows its pattern and none sits on an edge like a border; diagonals
and the dots' columns are anchored at the chart's origin, so the hatching
of bars one above the other lines up like one printed screen.

Geometry is in any unit with y upwards (mm for the PDF and the SVG, or pixels);
``per_inch`` says how many of those units make an inch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SOLID = ""
DOTS = "dots"
HORIZONTAL = "horizontal"
DIAGONAL = "diagonal"
"""Rising to the right, like "/"."""
DIAGONAL_BACK = "diagonal-back"
"""Falling to the right, like "\\"."""
CROSS = "cross"

ROWS_PER_INCH = {DOTS: 12, HORIZONTAL: 12, DIAGONAL: 9, DIAGONAL_BACK: 9, CROSS: 9}
"""Marks per inch: rows of dots and rules across the bar; diagonals counted along a row."""
LINE_PT = 0.7
"""Width of a hatch line, pt."""
DOT_SHARE = 0.1
"""A dot's radius as a share of the dot spacing (plus half a line width: the dot is outlined too)."""
PT_PER_INCH = 72.0

Box = tuple[float, float, float, float]
"""(x0, y0, x1, y1) with x0 < x1, y0 < y1."""
Segment = tuple[float, float, float, float]


@dataclass(frozen=True)
class HatchMarks:
    """What to draw in white over a bar: line segments of ``line_width`` and dots of ``dot_radius``."""

    lines: tuple[Segment, ...]
    dots: tuple[tuple[float, float], ...]
    line_width: float
    dot_radius: float


def hatch_marks(hatch: str, box: Box, per_inch: float) -> HatchMarks:
    """The marks of ``hatch`` inside ``box``; none for :data:`SOLID`; ValueError for an unknown hatch."""
    if hatch == SOLID:
        return HatchMarks((), (), 0.0, 0.0)
    if hatch not in ROWS_PER_INCH:
        raise ValueError(f"unknown hatch {hatch!r}; expected one of {sorted(ROWS_PER_INCH)}")
    step = per_inch / ROWS_PER_INCH[hatch]
    width = LINE_PT / PT_PER_INCH * per_inch
    lines: list[Segment] = []
    if hatch == HORIZONTAL:
        lines = _horizontal(box, step)
    if hatch in (DIAGONAL, CROSS):
        lines += _diagonals(box, step, rising=True)
    if hatch in (DIAGONAL_BACK, CROSS):
        lines += _diagonals(box, step, rising=False)
    radius = DOT_SHARE * step + width / 2
    dots = _dots(box, step, radius) if hatch == DOTS else []
    return HatchMarks(tuple(lines), tuple(dots), width, radius)


def _rows(low: float, high: float, step: float) -> list[float]:
    """Heights of rows a step apart, centred between ``low`` and ``high``, none within a quarter step of
    either edge (a rule there reads as a border); a box too thin for that gets one row in its middle."""
    count = max(1, math.floor((high - low - step / 2) / step) + 1)
    middle = (low + high) / 2
    return [middle + (n - (count - 1) / 2) * step for n in range(count)]


def _horizontal(box: Box, step: float) -> list[Segment]:
    """Rules across the box, centred on it (so every bar, thin or thick, shows them symmetrically)."""
    x0, y0, x1, y1 = box
    return [(x0, y, x1, y) for y in _rows(y0, y1, step)]


def _diagonals(box: Box, step: float, rising: bool) -> list[Segment]:
    """45° lines ``x - y = n·step`` (rising) or ``x + y = n·step`` (falling), cut to the box."""
    x0, y0, x1, y1 = box
    low, high = (x0 - y1, x1 - y0) if rising else (x0 + y0, x1 + y1)
    segments = []
    for n in range(math.ceil(low / step), math.floor(high / step) + 1):
        c = n * step
        if rising:  # x = y + c
            bottom, top = max(y0, x0 - c), min(y1, x1 - c)
            segment = (bottom + c, bottom, top + c, top)
        else:  # x = c - y
            bottom, top = max(y0, c - x1), min(y1, c - x0)
            segment = (c - bottom, bottom, c - top, top)
        if top > bottom:
            segments.append(segment)
    return segments


def _dots(box: Box, step: float, radius: float) -> list[tuple[float, float]]:
    """Rows of dots centred on the box, every other row shifted half a step; only dots wholly inside the box.

    Columns are anchored at the chart's origin, so the dots of bars one
    above the other line up.
    """
    x0, y0, x1, y1 = box
    dots = []
    for number, y in enumerate(_rows(y0, y1, step)):
        if y - radius < y0 or y + radius > y1:
            continue
        shift = 0.5 * step if number % 2 else 0.0
        first = math.ceil((x0 + radius - shift) / step)
        last = math.floor((x1 - radius - shift) / step)
        dots += [(n * step + shift, y) for n in range(first, last + 1)]
    return dots
