"""Where everything of a chart goes, in millimetres, decided before anything is drawn.

The image is exactly the size the document places it at (:func:`chart_size_mm`,
whose height follows the number of bars, at :data:`DPI`), so point sizes here
are printed sizes.  Labels are fitted to the bar pitch: two lines at 9 pt where
there is room, down to one line at 6 pt, and for bars denser still only every
n-th bar is labelled rather than printing labels over each other.  The value
axis runs between two of its round ticks, with room for the value labels; the
Word chart is given the same ends and step, so both formats show the same
scale.  On the plan chart, bars beyond ±:data:`AXIS_CAP` % stop at the plot's
edge.  Coordinates have their origin at the figure's bottom-left corner.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportgen.charts.colours import STATUS_COLOURS
from reportgen.charts.labels import MM_PER_INCH, fit_label, line_height_mm, text_width_mm
from reportgen.core.vnformat import vn_num, vn_pct
from reportgen.document.charts_data import chart_size_mm
from reportgen.document.model import Chart

DPI = 150
"""Print quality at the placed size: a 240 mm chart is 1417 px wide."""

AXIS_CAP = 200.0
"""Plan chart: bars beyond ±200% stop at the edge with their true value inside: one outlier
(a small plan exceeded tenfold) must not flatten every other bar."""
POINTS_CAP = 50.0
"""Points chart: the same for a difference beyond ±50 percentage points."""
TICK_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000)
MAX_TICKS = 9
LABEL_COLUMN_MM = 80.0
"""Width of the label column, the same in every chart so that charts on one page line up;
longer names wrap, then end with "…"."""
LABEL_STYLES = ((9.0, 2), (8.0, 2), (9.0, 1), (8.0, 1), (7.0, 1), (6.0, 1))
"""(font size pt, lines per label), best first: the first that fits the bar pitch wins."""
LABEL_SPACING = 1.15
TICK_PT = 8.0
AXIS_LABEL_PT = 9.0
LEGEND_PT = 8.5
VALUE_MAX_PT = 8.5
TITLE_PT = 10.0
BAR_SHARE = 0.62
"""Bar thickness as a share of the pitch between bars."""
MAX_BAR_MM = 7.0
"""Thickest bar: three bars should not look like three bricks."""

# Distances in mm.
EDGE_MM = 2.0
LABEL_GAP_MM = 3.0
RIGHT_MM = 3.0
BOTTOM_MM = 11.5
TOP_MM = 2.5
TITLE_MM = 6.0
LEGEND_ROW_MM = 5.5
LEGEND_GAP_MM = 1.5
"""Between the legend and the first bar."""
LEGEND_KEY_MM = (6.0, 3.0)
LEGEND_KEY_GAP_MM = 1.5
LEGEND_COLUMN_GAP_MM = 5.0
VALUE_PAD_MM = 1.0
TICK_MM = 1.0


def pixel_size(chart: Chart) -> tuple[int, int]:
    """The chart's width and height in whole pixels: the placed size at :data:`DPI`, rounded (the grid the
    layout is measured on)."""
    width, height = chart_size_mm(chart)
    return round(width / MM_PER_INCH * DPI), round(height / MM_PER_INCH * DPI)


def axis_cap(chart: Chart) -> float:
    """Bars beyond ± this stop at the plot's edge (their true value printed inside)."""
    return {"plan": AXIS_CAP, "points": POINTS_CAP}.get(chart.kind, math.inf)


@dataclass(frozen=True)
class LegendEntry:
    text: str
    key: str
    """A status (a patch in its colour and hatch) or "reference" (the dashed line)."""
    x: float
    y: float
    """Position of the key's left edge and the row's middle, mm."""


@dataclass(frozen=True)
class Layout:
    """Where everything goes, in mm from the figure's bottom-left corner."""

    width: float
    height: float
    left: float
    right: float
    bottom: float
    top: float
    """The plot box."""
    low: float
    high: float
    """The values at the plot box's left and right edges: two round ticks."""
    step: float
    """Between two ticks of the value axis."""
    cap: float
    """The axis is sized as if no value passed ± this (:func:`axis_cap`); bars beyond it are cut at the edge."""
    labels: tuple[str, ...]
    """Fitted labels, '' where a label is left out because the bars are too dense."""
    label_pt: float
    legend: tuple[LegendEntry, ...]

    @property
    def pitch(self) -> float:
        return (self.top - self.bottom) / len(self.labels)

    @property
    def bar(self) -> float:
        return min(BAR_SHARE * self.pitch, MAX_BAR_MM)

    @property
    def value_pt(self) -> float:
        return min(self.label_pt, VALUE_MAX_PT)

    def x(self, value: float) -> float:
        return self.left + (value - self.low) / (self.high - self.low) * (self.right - self.left)

    def y(self, index: int) -> float:
        """Middle of bar ``index``, the first bar at the top."""
        return self.top - (index + 0.5) * self.pitch

    def clamp(self, value: float) -> float:
        """A bar's end: its value, or the axis's end for a value beyond it (a value past the cap: the axis
        was sized without it), so that a cut bar runs to the plot's edge and never stops mid-axis."""
        return max(min(value, self.high), self.low)

    @property
    def ticks(self) -> list[float]:
        """The round values along the axis, from end to end."""
        count = round((self.high - self.low) / self.step)
        return [self.low + n * self.step for n in range(count + 1)]


def layout_chart(chart: Chart) -> Layout:
    """Legend rows at the top, the label column at the left, the plot box, the fitted labels."""
    # The image's true size: the placed size rounded to whole pixels.
    width, height = (pixels / DPI * MM_PER_INCH for pixels in pixel_size(chart))
    legend_top = height - TOP_MM - (TITLE_MM if chart.title else 0.0)
    rows = _legend_rows(chart, width)
    top = legend_top - len(rows) * LEGEND_ROW_MM - (LEGEND_GAP_MM if rows else 0.0)
    pitch = (top - BOTTOM_MM) / len(chart.labels)
    size, lines, every = _label_style(pitch)  # every n-th label is written
    labels = tuple(
        fit_label(text, LABEL_COLUMN_MM, size, DPI, lines) if n % every == 0 else ""
        for n, text in enumerate(chart.labels)
    )
    left, right = EDGE_MM + LABEL_COLUMN_MM + LABEL_GAP_MM, width - RIGHT_MM
    low, high, step = value_axis(chart, right - left, min(size, VALUE_MAX_PT))
    overhang = text_width_mm(tick_text(chart, high), TICK_PT, DPI) / 2 + EDGE_MM / 2
    if overhang > RIGHT_MM:  # the last tick's number is centred on the plot's right edge: keep it inside
        right = width - overhang
        low, high, step = value_axis(chart, right - left, min(size, VALUE_MAX_PT))
    legend = _place_legend(rows, legend_top, (left + right) / 2, width)
    return Layout(width, height, left, right, BOTTOM_MM, top, low, high, step, axis_cap(chart), labels, size, legend)


def _label_style(pitch_mm: float) -> tuple[float, int, int]:
    """(font size, lines per label, label step) for bars ``pitch_mm`` apart.

    When even one line of the smallest size does not fit, only every
    ``step``-th bar is labelled rather than printing labels over each other.
    """
    for size, lines in LABEL_STYLES:
        if lines * line_height_mm(size, LABEL_SPACING) <= pitch_mm:
            return size, lines, 1
    size = LABEL_STYLES[-1][0]
    return size, 1, math.ceil(line_height_mm(size, LABEL_SPACING) / pitch_mm)


def value_axis(chart: Chart, plot_mm: float, value_pt: float) -> tuple[float, float, float]:
    """(low, high, step) of the value axis: round ticks at both ends, the data and the value labels inside.

    The plan chart spans at least 0–100% (and the reference line); the points chart at least one point each
    side of zero; counts at least 0–1.  The ends are widened until the longest value label fits past its bar.
    """
    cap = axis_cap(chart)
    values = [max(min(v, cap), -cap) for v in (*chart.values, *chart.tracks)]
    floor_high = {"plan": max(100.0, chart.reference or 0.0), "points": 1.0, "levels": 1.0, "projects": 100.0}
    low = min(0.0, *values) if chart.kind != "points" else min(-1.0, *values)
    high = max(floor_high.get(chart.kind, 1.0), *values)
    room = max(text_width_mm(value_text(chart, v), value_pt, DPI) for v in chart.values) + 2 * VALUE_PAD_MM
    wide_low, wide_high = low, high
    for _ in range(4):  # the room in values depends on the scale, which the room widens: settle it
        per_mm = (wide_high - wide_low) / plot_mm
        wide_high = high + room * per_mm
        wide_low = low - room * per_mm if low < 0 else low
        step = tick_step(wide_low, wide_high)
        wide_low, wide_high = math.floor(wide_low / step) * step, math.ceil(wide_high / step) * step
    return float(wide_low), float(wide_high), float(step)


def tick_step(low: float, high: float) -> float:
    """The smallest round step giving at most :data:`MAX_TICKS` ticks from ``low`` to ``high``."""
    return float(next((s for s in TICK_STEPS if (high - low) / s <= MAX_TICKS - 1), TICK_STEPS[-1]))


def legend_items(chart: Chart) -> list[tuple[str, str]]:
    """(text, key) of the legend: the tracks, the statuses present in theme order, the dashed line.

    The order of the Word chart's series, which Word's legend follows (the tracks are the first series, drawn
    under the bars; the dashed line's series is on the secondary axes, listed after the primary ones)."""
    if chart.kind == "projects":
        return []
    present = set(chart.categories) - {""}
    statuses = [s for s in STATUS_COLOURS if s in present] + sorted(present - set(STATUS_COLOURS))
    items = [(chart.track_label, "track")] if chart.tracks and chart.track_label else []
    items += [(status, status) for status in statuses]
    if chart.reference is not None and chart.reference_label:
        items.append((chart.reference_label, "reference"))
    return items


def _legend_rows(chart: Chart, width: float) -> list[list[tuple[str, str, float]]]:
    """Legend items (text, key, entry width) in rows that fit the figure's width."""
    rows: list[list[tuple[str, str, float]]] = []
    used = math.inf
    for text, key in legend_items(chart):
        entry = LEGEND_KEY_MM[0] + LEGEND_KEY_GAP_MM + text_width_mm(text, LEGEND_PT, DPI)
        if used + LEGEND_COLUMN_GAP_MM + entry > width - 2 * EDGE_MM:
            rows.append([])
            used = -LEGEND_COLUMN_GAP_MM
        rows[-1].append((text, key, entry))
        used += LEGEND_COLUMN_GAP_MM + entry
    return rows


def _place_legend(
    rows: list[list[tuple[str, str, float]]], top: float, centre: float, width: float
) -> tuple[LegendEntry, ...]:
    """Each row centred over the plot, shifted back inside the figure where it would overflow."""
    entries = []
    for number, row in enumerate(rows):
        row_width = sum(entry for _, _, entry in row) + LEGEND_COLUMN_GAP_MM * (len(row) - 1)
        x = min(max(centre - row_width / 2, EDGE_MM), width - EDGE_MM - row_width)
        y = top - (number + 0.5) * LEGEND_ROW_MM
        for text, key, entry in row:
            entries.append(LegendEntry(text, key, x, y))
            x += entry + LEGEND_COLUMN_GAP_MM
    return tuple(entries)


def value_text(chart: Chart, value: float) -> str:
    """A bar's value label: '98,5%', '53,0%' (plan), '+3,34' / '-0,50' (points), '12' (counts), '65%'
    (projects): the decimals of the Word chart's number formats."""
    if chart.kind == "points":
        return ("+" if value > 0 else "") + vn_num(value, 2, trim=False)
    if chart.kind == "levels":
        return vn_num(value, 2)
    return vn_pct(value, 0) if chart.kind == "projects" else vn_pct(value, 1, trim=False)


def tick_text(chart: Chart, value: float) -> str:
    """A tick's number: '50%' on percentage axes, '+2' / '-2' for points, '8.000' for counts."""
    if chart.kind == "points":
        return ("+" if value > 0 else "") + vn_num(value, 2)
    if chart.kind == "levels":
        return vn_num(value, 2)
    return vn_pct(value, 0)
