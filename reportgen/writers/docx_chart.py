"""A chart in the .docx as a native, editable Word chart (DrawingML), made from the figure's chart data.

Word and LibreOffice draw the chart themselves from the values cached in
the chart part (``word/charts/chartN.xml``): a clerk can restyle it, retitle
it or copy it into a slide like any chart made in Word.  It follows the
picture and the PDF's vector chart (:mod:`reportgen.chart_compose`):
horizontal bars with the first indicator at the top, the plot box beside the
same label column, the theme's status colours, value labels in the report's
number style ("98,5%") at the bars' ends, gridlines at the same round steps.

- ``"plan"``: one series per status present, each holding only its own
  indicators' values and overlapping the others fully, so each indicator
  has one bar in its status's colour and the legend names the statuses.
  The picture's hatching becomes a preset pattern of white lines over the
  colour (a grayscale print still tells the statuses apart).  The share of
  the year elapsed is a dashed vertical line: the category axis of an empty
  second bar chart, on hidden axes scaled like the first, drawn where its
  value axis reaches the reference value.  (A two-point scatter series, the
  usual trick, breaks a horizontal bar chart in LibreOffice; an axis line
  is drawn by both Word and LibreOffice, though under the bars, visible in
  the gaps between them.)
- ``"projects"``: progress in blue over a light grey track to 100%.

Texts are in Times New Roman, the document's font (the picture's DejaVu
Sans is rarely installed where Word runs).  No workbook is embedded: the
cached values are the data, which both Word and LibreOffice display; the
labels carry their own text for the same reason they can: the data cannot be
edited in place without a workbook, so a label can never go stale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..chart_compose import (
    AXIS_COLOUR, GRID_COLOUR, LINE_PT, PROGRESS_COLOUR, REFERENCE_COLOUR, REFERENCE_WIDTH_PT,
    STATUS_HATCHES, TRACK_COLOUR, check_chart, status_colour,
)
from ..chart_hatch import CROSS, DIAGONAL, DIAGONAL_BACK, DOTS, HORIZONTAL
from ..chart_layout import (
    AXIS_CAP, EDGE_MM, LABEL_COLUMN_MM, LABEL_GAP_MM, RIGHT_MM, TITLE_MM, chart_size_mm, layout_chart,
    legend_items, ticks, value_text,
)
from ..document.model import Chart
from . import docx_chart_xml as d
from .theme import LANGUAGE

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
TEXT_PT = 9.0
TITLE_PT = 10.0
PATTERNS = {DOTS: "pct20", HORIZONTAL: "narHorz", DIAGONAL: "wdUpDiag", DIAGONAL_BACK: "wdDnDiag",
            CROSS: "diagCross"}
"""DrawingML preset patterns for the picture's hatches."""
AXIS_FORMAT = '0"%"'
GAP_PERCENT = 60
"""Gap between bars, % of a bar's thickness: the picture's bars fill about 62% of their pitch."""
LEGEND_MM = 10.0
"""Height kept above the plot box for the legend (the plan chart's statuses)."""
TOP_MM, BOTTOM_MM = 3.0, 15.0
"""Height kept above the plot box (besides the legend) and below it (the axis, its numbers and title)."""
_CATEGORY, _VALUE, _REFERENCE_CATEGORY, _REFERENCE_VALUE = 1001, 1002, 1003, 1004
"""Axis ids: the bars' axes and the reference line's."""


@dataclass(frozen=True)
class _Frame:
    """What the picture's layout decided, reused so the Word chart reads the same."""

    chart: Chart
    low: float
    high: float
    step: float
    """The value axis: its ends (whole steps, the picture's round ticks) and step."""
    labels: tuple[str, ...]
    """Category names as the picture fits them (wrapped lines joined, "…" where cut, "" where left out)."""
    label_pt: float
    value_pt: float

    @classmethod
    def of(cls, chart: Chart) -> "_Frame":
        layout = layout_chart(chart)
        low, high = max(layout.low, -AXIS_CAP), min(layout.high, AXIS_CAP + 50.0)
        marks = ticks(low, high)
        step = marks[1] - marks[0] if len(marks) > 1 else 50.0
        labels = tuple(" ".join(label.split("\n")) for label in layout.labels)
        return cls(chart, math.floor(low / step) * step, math.ceil(high / step) * step, step, labels,
                   layout.label_pt, layout.value_pt)

    def value_labels(self, values: list[float | None]) -> list[tuple[str, bool] | None]:
        """Per bar: its label text and whether it goes inside the bar's end (a bar cut at the axis's end);
        None where there is no bar, or no label in the picture (bars too dense to label each one)."""
        return [None if value is None or not label else
                (value_text(self.chart, value), not self.low <= value <= self.high)
                for value, label in zip(values, self.labels)]


def chart_space(chart: Chart) -> str:
    """The chart part's XML (``c:chartSpace``) for a plan or projects chart; ValueError if it cannot be drawn."""
    check_chart(chart)
    frame = _Frame.of(chart)
    plot = _plan_plot(frame) if chart.kind == "plan" else _projects_plot(frame)
    title = d.title(chart.title, TITLE_PT) if chart.title else '<c:autoTitleDeleted val="1"/>'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}">'
            f'<c:date1904 val="0"/><c:lang val="{LANGUAGE}"/><c:roundedCorners val="0"/>'
            f'<c:chart>{title}{plot}{_legend(chart)}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
            f'{d.shape_look()}{d.text_look(TEXT_PT)}</c:chartSpace>')


def _legend(chart: Chart) -> str:
    """The statuses and the reference line above the plot (plan chart only).

    The reference line's entry is its empty series, whose outline (never
    drawn, as it has no bar) makes the key a dashed box.  An entry is not
    deleted instead: Word and LibreOffice number legend entries differently.
    """
    if chart.kind != "plan":
        return ""
    return f'<c:legend><c:legendPos val="t"/><c:overlay val="0"/>{d.text_look(TEXT_PT)}</c:legend>'


# ------------------------------------------------------------------- plots ----

def _plan_plot(frame: _Frame) -> str:
    """Bars per status, the category and value axes, and the reference line with its hidden axes."""
    chart = frame.chart
    categories = chart.categories or ("",) * len(chart.values)
    series = [_bar_series(number, status, frame,
                          [value if category == status else None for value, category in zip(chart.values, categories)],
                          _status_fill(status))
              for number, status in enumerate(_statuses(categories, chart))]
    parts = [_bar_chart(series, _CATEGORY, _VALUE), _category_axis(frame.label_pt), _value_axis(frame)]
    if chart.reference is not None:
        parts += _reference_line(len(series), chart.reference_label, chart.reference, frame)
    return f"<c:plotArea>{_plot_box(chart, LEGEND_MM)}{''.join(parts)}</c:plotArea>"


def _statuses(categories: tuple[str, ...], chart: Chart) -> list[str]:
    """The series of the plan chart: the statuses present in the legend's order, then bars without one."""
    statuses = [key for _, key in legend_items(chart) if key != "reference"]
    return statuses + ([""] if "" in categories else [])


def _projects_plot(frame: _Frame) -> str:
    """Progress in blue over a light grey track to 100% (the track first: a later series is drawn on top)."""
    chart = frame.chart
    track = _bar_series(0, "100%", frame, [100.0] * len(chart.values), d.solid_fill(TRACK_COLOUR), labelled=False)
    progress = _bar_series(1, chart.axis_label or "%", frame, list(chart.values), d.solid_fill(PROGRESS_COLOUR))
    parts = [_bar_chart([track, progress], _CATEGORY, _VALUE), _category_axis(frame.label_pt), _value_axis(frame)]
    return f"<c:plotArea>{_plot_box(chart, 0.0)}{''.join(parts)}</c:plotArea>"


def _plot_box(chart: Chart, legend_mm: float) -> str:
    """The plot box placed like the picture's: beside the label column, under the title and the legend,
    above the axis."""
    width, height = chart_size_mm(chart.kind)
    left = (EDGE_MM + LABEL_COLUMN_MM + LABEL_GAP_MM) / width
    top = (TOP_MM + (TITLE_MM if chart.title else 0.0) + legend_mm) / height
    return (f'<c:layout><c:manualLayout><c:layoutTarget val="inner"/><c:xMode val="edge"/><c:yMode val="edge"/>'
            f'<c:x val="{left:.4f}"/><c:y val="{top:.4f}"/><c:w val="{1 - left - 2 * RIGHT_MM / width:.4f}"/>'
            f'<c:h val="{1 - top - BOTTOM_MM / height:.4f}"/></c:manualLayout></c:layout>')


# ------------------------------------------------------------------ series ----

def _bar_chart(series: list[str], category_axis: int, value_axis: int) -> str:
    """Horizontal bars; series overlap fully, so a category shows one bar (or one bar over its track)."""
    return (f'<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
            f'{"".join(series)}<c:gapWidth val="{GAP_PERCENT}"/><c:overlap val="100"/>'
            f'<c:axId val="{category_axis}"/><c:axId val="{value_axis}"/></c:barChart>')


def _bar_series(number: int, name: str, frame: _Frame, values: list[float | None], fill: str,
                labelled: bool = True) -> str:
    """One series; its name in row 1 and values in rows 2… of column B, C …, blank where it has no bar."""
    column, rows = d.column_letters(number + 1), len(values) + 1
    labels = d.value_labels(frame.value_labels(values), frame.value_pt) if labelled else d.no_labels()
    return (f'<c:ser><c:idx val="{number}"/><c:order val="{number}"/>'
            f'<c:tx>{d.text_data(f"${column}$1", [name])}</c:tx>{d.shape_look(fill)}<c:invertIfNegative val="0"/>'
            f'{labels}<c:cat>{d.text_data(f"$A$2:$A${rows}", list(frame.labels))}</c:cat>'
            f'<c:val>{d.number_data(f"${column}$2:${column}${rows}", values)}</c:val></c:ser>')


def _status_fill(status: str) -> str:
    """The status colour, with its hatch as a preset pattern of white lines over it."""
    pattern = PATTERNS.get(STATUS_HATCHES.get(status, ""))
    return d.pattern_fill(pattern, status_colour(status)) if pattern else d.solid_fill(status_colour(status))


def _reference_line(number: int, label: str, value: float, frame: _Frame) -> list[str]:
    """An empty bar series on its own axes, whose category axis is drawn, dashed, at ``value``.

    The value axis is scaled exactly like the bars' and hidden; the category
    axis crosses it at the reference value and shows only its line.
    """
    dashed = d.line(REFERENCE_COLOUR, REFERENCE_WIDTH_PT, dashed=True)
    series = (f'<c:ser><c:idx val="{number}"/><c:order val="{number}"/>'
              f'<c:tx>{d.text_data(f"${d.column_letters(number + 1)}$1", [label])}</c:tx>'
              f'{d.shape_look(outline=dashed)}'
              f'<c:invertIfNegative val="0"/><c:val>{d.number_data("$A$1:$A$1", [None])}</c:val></c:ser>')
    axis = (f'<c:catAx><c:axId val="{_REFERENCE_CATEGORY}"/><c:scaling><c:orientation val="maxMin"/></c:scaling>'
            f'<c:delete val="0"/><c:axPos val="r"/><c:numFmt formatCode="General" sourceLinked="0"/>'
            f'<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="none"/>'
            f'{d.line_look(REFERENCE_COLOUR, REFERENCE_WIDTH_PT, dashed=True)}'
            f'<c:crossAx val="{_REFERENCE_VALUE}"/><c:crossesAt val="{d.number_text(value)}"/><c:auto val="1"/>'
            f'<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>')
    scale = (f'<c:valAx><c:axId val="{_REFERENCE_VALUE}"/>{_scaling(frame.low, frame.high)}<c:delete val="1"/>'
             f'<c:axPos val="t"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/>'
             f'<c:minorTickMark val="none"/><c:tickLblPos val="none"/><c:crossAx val="{_REFERENCE_CATEGORY}"/>'
             f'<c:crosses val="max"/><c:crossBetween val="between"/></c:valAx>')
    return [_bar_chart([series], _REFERENCE_CATEGORY, _REFERENCE_VALUE), axis, scale]


# -------------------------------------------------------------------- axes ----

def _scaling(low: float, high: float) -> str:
    return (f'<c:scaling><c:orientation val="minMax"/><c:max val="{d.number_text(high)}"/>'
            f'<c:min val="{d.number_text(low)}"/></c:scaling>')


def _category_axis(size_pt: float) -> str:
    """Indicators from the top down (the first at the top, as in the table), their names at the left."""
    return (f'<c:catAx><c:axId val="{_CATEGORY}"/><c:scaling><c:orientation val="maxMin"/></c:scaling>'
            f'<c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/>'
            f'<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/>'
            f'{d.line_look(AXIS_COLOUR, LINE_PT)}{d.text_look(size_pt)}'
            f'<c:crossAx val="{_VALUE}"/><c:crosses val="autoZero"/><c:auto val="1"/>'
            f'<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>')


def _value_axis(frame: _Frame) -> str:
    """Percentages along the bottom: the category axis runs top-down, so this axis crosses it at its end."""
    title = frame.chart.axis_label
    axis_title = d.title(title, TEXT_PT, bold=False) if title else ""
    number_format = AXIS_FORMAT.replace('"', "&quot;")
    return (f'<c:valAx><c:axId val="{_VALUE}"/>{_scaling(frame.low, frame.high)}<c:delete val="0"/>'
            f'<c:axPos val="b"/>'
            f'<c:majorGridlines>{d.line_look(GRID_COLOUR, LINE_PT)}</c:majorGridlines>{axis_title}'
            f'<c:numFmt formatCode="{number_format}" sourceLinked="0"/><c:majorTickMark val="out"/>'
            f'<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>{d.line_look(AXIS_COLOUR, LINE_PT)}'
            f'{d.text_look(TEXT_PT)}<c:crossAx val="{_CATEGORY}"/><c:crosses val="max"/>'
            f'<c:crossBetween val="between"/><c:majorUnit val="{d.number_text(frame.step)}"/></c:valAx>')


# ------------------------------------------------------------ the package ----

def add_chart_part(document_part, xml: str) -> str:
    """Add ``word/charts/chartN.xml`` (the lowest free N) to the package, related from the document; its rId."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document_part.package
    taken = {str(part.partname) for part in package.iter_parts()}
    number = next(n for n in range(1, len(taken) + 2) if f"/word/charts/chart{n}.xml" not in taken)
    part = Part(PackURI(f"/word/charts/chart{number}.xml"), CONTENT_TYPE.DML_CHART, xml.encode("utf-8"), package)
    return document_part.relate_to(part, RELATIONSHIP_TYPE.CHART)


def chart_inline(r_id: str, shape_id: int, name: str, width_mm: float, height_mm: float):
    """The ``wp:inline`` showing the chart part ``r_id`` at ``width_mm`` × ``height_mm``, for a run's drawing.

    ``name`` (the caption) is also the chart's description, which screen readers announce.
    """
    from .xml_escape import quoteattr

    from docx.oxml import parse_xml
    from docx.shared import Mm

    return parse_xml(
        f'<wp:inline distT="0" distB="0" distL="0" distR="0" xmlns:wp="{WP_NS}" xmlns:a="{A_NS}" '
        f'xmlns:c="{C_NS}" xmlns:r="{R_NS}"><wp:extent cx="{Mm(width_mm)}" cy="{Mm(height_mm)}"/>'
        f'<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name={quoteattr(name)} descr={quoteattr(name)}/>'
        f'<wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="{C_NS}"><c:chart r:id="{r_id}"/></a:graphicData>'
        f'</a:graphic></wp:inline>')
