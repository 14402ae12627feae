"""A chart in the .docx as a native, editable Word chart (DrawingML) with its data in an embedded workbook.

Word and LibreOffice draw the chart themselves from the values cached in
the chart part (``word/charts/chartN.xml``); the same values are in the
workbook embedded beside it (``word/embeddings/``), so Word's "Edit Data"
opens them in a spreadsheet, and a clerk can correct a figure, restyle the
chart, retitle it or copy it into a slide like any chart made in Word.  It
follows the PDF's vector chart and the web page's SVG (:mod:`reportgen.charts.compose`):
horizontal bars with the first indicator at the top, the plot box beside
the same label column, the theme's status colours, value labels at the bars'
ends, the value axis between the same two round ticks with the same step,
and the legend's entries in the same order.

- ``"plan"``, ``"points"``, ``"levels"``: one series per status present, each
  holding only its own indicators' values and overlapping the others fully,
  so each indicator has one bar in its status's colour and the legend names
  the statuses.  The picture's hatching becomes a preset pattern of white
  lines over the colour (a grayscale print still tells the statuses apart).
  Tracks (the same period's count behind a zero target's bar) are the first
  series, drawn under the others.  On the plan chart the share of the year
  elapsed is a dashed vertical line: the category axis of an empty second
  bar chart, on hidden axes scaled like the first, drawn where its value axis
  reaches the reference value.  (A two-point scatter series, the usual trick,
  breaks a horizontal bar chart in LibreOffice; an axis line is drawn by both
  Word and LibreOffice, though under the bars, visible in the gaps between them.)
- ``"projects"``: progress in blue over a light grey track to 100%.

Value labels show the cells' values through a number format ("0.0"%""), so
they follow the data when it is edited; Word writes the decimal separator of
the reader's locale (a comma on a Vietnamese system).  Texts are in Times New
Roman, the document's font (the picture's DejaVu Sans is rarely installed
where Word runs).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.charts.compose import (
    AXIS_COLOUR,
    GRID_COLOUR,
    LINE_PT,
    PROGRESS_COLOUR,
    REFERENCE_COLOUR,
    REFERENCE_WIDTH_PT,
    STATUS_HATCHES,
    TRACK_COLOUR,
    check_chart,
    status_colour,
)
from reportgen.charts.hatch import CROSS, DIAGONAL, DIAGONAL_BACK, DOTS, HORIZONTAL
from reportgen.charts.layout import TITLE_MM, chart_size_mm, layout_chart, legend_items
from reportgen.document.model import Chart
from reportgen.writers.docx import chart_xml as d
from reportgen.writers.docx.chart_workbook import workbook_bytes
from reportgen.writers.theme import LANGUAGE

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
WORKBOOK_REL_ID = "rId1"
"""The chart part's one relationship: to its embedded workbook."""
TEXT_PT = 9.0
TITLE_PT = 10.0
PATTERNS = {DOTS: "pct20", HORIZONTAL: "narHorz", DIAGONAL: "wdUpDiag", DIAGONAL_BACK: "wdDnDiag", CROSS: "diagCross"}
"""DrawingML preset patterns for the picture's hatches."""
AXIS_FORMATS = {"plan": '0"%"', "points": "+0;-0;0", "levels": "#,##0", "projects": '0"%"'}
LABEL_FORMATS = {"plan": '0.0"%"', "points": "+0.00;-0.00;0.00", "levels": "General", "projects": '0"%"'}
"""Number formats of the value axis and of the value labels, as the picture writes them."""
GAP_PERCENT = 60
"""Gap between bars, % of a bar's thickness: the picture's bars fill about 62% of their pitch."""
LEGEND_MM = 10.0
"""Height kept above the plot box for the legend."""
TOP_MM, BOTTOM_MM = 3.0, 15.0
"""Height kept above the plot box (besides the legend) and below it (the axis, its numbers and title)."""
_CATEGORY, _VALUE, _REFERENCE_CATEGORY, _REFERENCE_VALUE = 1001, 1002, 1003, 1004
"""Axis ids: the bars' axes and the reference line's."""


@dataclass(frozen=True)
class ChartPart:
    """A chart part's XML and the workbook it is edited in."""

    xml: str
    workbook: bytes


@dataclass(frozen=True)
class _Series:
    name: str
    values: list[float | None]
    fill: str
    labelled: bool = True


@dataclass(frozen=True)
class _Frame:
    """What the picture's layout decided, reused so the Word chart reads the same."""

    chart: Chart
    low: float
    high: float
    step: float
    """The value axis: its ends (round ticks) and step, the picture's own."""
    labels: tuple[str, ...]
    """Category names as the picture fits them (wrapped lines joined, "…" where cut, "" where left out)."""
    label_pt: float
    value_pt: float
    left_mm: float
    right_mm: float
    """The plot box's left and right edges across the picture."""

    @classmethod
    def of(cls, chart: Chart) -> _Frame:
        layout = layout_chart(chart)
        labels = tuple(" ".join(label.split("\n")) for label in layout.labels)
        return cls(
            chart,
            layout.low,
            layout.high,
            layout.step,
            labels,
            layout.label_pt,
            layout.value_pt,
            layout.left,
            layout.right,
        )

    def placements(self, values: list[float | None]) -> list[str]:
        """Per bar, where its value label goes: "out" past the bar's end, "in" inside it (a bar cut at the
        axis's end), "hidden" where the picture labels no bar (too dense to label each), "" for no bar."""

        def place(value: float | None, label: str) -> str:
            if value is None:
                return ""
            if not label:
                return "hidden"
            return "out" if self.low <= value <= self.high else "in"

        return [place(value, label) for value, label in zip(values, self.labels)]


def chart_part(chart: Chart) -> ChartPart:
    """The chart part's XML (``c:chartSpace``) and its workbook; ValueError if the chart cannot be drawn."""
    check_chart(chart)
    frame = _Frame.of(chart)
    series = _series(frame)
    plot = _plot(frame, series)
    title = d.title(chart.title, TITLE_PT) if chart.title else '<c:autoTitleDeleted val="1"/>'
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}">'
        f'<c:date1904 val="0"/><c:lang val="{LANGUAGE}"/><c:roundedCorners val="0"/>'
        f'<c:chart>{title}{plot}{_legend(chart)}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        f"{d.shape_look()}{d.text_look(TEXT_PT)}"
        f'<c:externalData r:id="{WORKBOOK_REL_ID}"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>'
    )
    columns = [[series_.name, *series_.values] for series_ in series]
    if chart.kind == "plan" and chart.reference is not None:
        columns.append([chart.reference_label] + [None] * len(chart.values))
    return ChartPart(xml, workbook_bytes(d.SHEET, ["", *frame.labels], columns))


def chart_space(chart: Chart) -> str:
    """The chart part's XML alone."""
    return chart_part(chart).xml


def _legend(chart: Chart) -> str:
    """The legend above the plot, its entries in the series' order (the picture's legend order).

    The reference line's entry is its empty series, whose outline (never
    drawn, as it has no bar) makes the key a dashed box.  An entry is not
    deleted instead: Word and LibreOffice number legend entries differently.
    """
    if not legend_items(chart):
        return ""
    return f'<c:legend><c:legendPos val="t"/><c:overlay val="0"/>{d.text_look(TEXT_PT)}</c:legend>'


# ------------------------------------------------------------------- plots ----


def _series(frame: _Frame) -> list[_Series]:
    """The bar series: tracks first (drawn under the rest), then one per status in the legend's order."""
    chart = frame.chart
    series = []
    if chart.kind == "projects":
        series.append(_Series("100%", list(chart.tracks), d.solid_fill(TRACK_COLOUR), labelled=False))
        return series + [_Series(chart.axis_label or "%", list(chart.values), d.solid_fill(PROGRESS_COLOUR))]
    categories = chart.categories or ("",) * len(chart.values)
    for _text, key in legend_items(chart):
        if key == "track":
            series.append(_Series(chart.track_label, list(chart.tracks), d.solid_fill(TRACK_COLOUR), labelled=False))
        elif key != "reference":
            series.append(
                _Series(key, [v if c == key else None for v, c in zip(chart.values, categories)], _status_fill(key))
            )
    if "" in categories:
        series.append(_Series("", [v if c == "" else None for v, c in zip(chart.values, categories)], _status_fill("")))
    return series


def _plot(frame: _Frame, series: list[_Series]) -> str:
    """The bars, the category and value axes, and (plan chart) the reference line with its hidden axes."""
    chart = frame.chart
    bars = [_bar_series(number, item, frame) for number, item in enumerate(series)]
    parts = [_bar_chart(bars, _CATEGORY, _VALUE), _category_axis(frame.label_pt), _value_axis(frame)]
    if chart.kind == "plan" and chart.reference is not None:
        parts += _reference_line(len(series), chart.reference_label, chart.reference, frame)
    legend = LEGEND_MM if legend_items(chart) else 0.0
    return f"<c:plotArea>{_plot_box(frame, legend)}{''.join(parts)}</c:plotArea>"


def _plot_box(frame: _Frame, legend_mm: float) -> str:
    """The plot box placed like the picture's: beside the label column, under the title and the legend,
    above the axis, its right edge where the picture's is."""
    chart = frame.chart
    width, height = chart_size_mm(chart)
    left, right = frame.left_mm / width, frame.right_mm / width
    top = (TOP_MM + (TITLE_MM if chart.title else 0.0) + legend_mm) / height
    return (
        f'<c:layout><c:manualLayout><c:layoutTarget val="inner"/><c:xMode val="edge"/><c:yMode val="edge"/>'
        f'<c:x val="{left:.4f}"/><c:y val="{top:.4f}"/><c:w val="{right - left:.4f}"/>'
        f'<c:h val="{1 - top - BOTTOM_MM / height:.4f}"/></c:manualLayout></c:layout>'
    )


# ------------------------------------------------------------------ series ----


def _bar_chart(series: list[str], category_axis: int, value_axis: int) -> str:
    """Horizontal bars; series overlap fully, so a category shows one bar (or one bar over its track)."""
    return (
        f'<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
        f'{"".join(series)}<c:gapWidth val="{GAP_PERCENT}"/><c:overlap val="100"/>'
        f'<c:axId val="{category_axis}"/><c:axId val="{value_axis}"/></c:barChart>'
    )


def _bar_series(number: int, series: _Series, frame: _Frame) -> str:
    """One series; its name in row 1 and values in rows 2… of column B, C …, blank where it has no bar."""
    column, rows = d.column_letters(number + 1), len(series.values) + 1
    labels = (
        d.value_labels(frame.placements(series.values), frame.value_pt, LABEL_FORMATS[frame.chart.kind])
        if series.labelled
        else d.no_labels()
    )
    return (
        f'<c:ser><c:idx val="{number}"/><c:order val="{number}"/>'
        f"<c:tx>{d.text_data(f'${column}$1', [series.name])}</c:tx>{d.shape_look(series.fill)}"
        f'<c:invertIfNegative val="0"/>'
        f"{labels}<c:cat>{d.text_data(f'$A$2:$A${rows}', list(frame.labels))}</c:cat>"
        f"<c:val>{d.number_data(f'${column}$2:${column}${rows}', series.values)}</c:val></c:ser>"
    )


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
    column, rows = d.column_letters(number + 1), len(frame.labels) + 1
    series = (
        f'<c:ser><c:idx val="{number}"/><c:order val="{number}"/>'
        f"<c:tx>{d.text_data(f'${column}$1', [label])}</c:tx>"
        f'{d.shape_look(outline=dashed)}<c:invertIfNegative val="0"/>'
        f"<c:val>{d.number_data(f'${column}$2:${column}${rows}', [None] * len(frame.labels))}</c:val></c:ser>"
    )
    axis = (
        f'<c:catAx><c:axId val="{_REFERENCE_CATEGORY}"/><c:scaling><c:orientation val="maxMin"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="r"/><c:numFmt formatCode="General" sourceLinked="0"/>'
        f'<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="none"/>'
        f"{d.line_look(REFERENCE_COLOUR, REFERENCE_WIDTH_PT, dashed=True)}"
        f'<c:crossAx val="{_REFERENCE_VALUE}"/><c:crossesAt val="{d.number_text(value)}"/><c:auto val="1"/>'
        f'<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
    )
    scale = (
        f'<c:valAx><c:axId val="{_REFERENCE_VALUE}"/>{_scaling(frame.low, frame.high)}<c:delete val="1"/>'
        f'<c:axPos val="t"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/>'
        f'<c:minorTickMark val="none"/><c:tickLblPos val="none"/><c:crossAx val="{_REFERENCE_CATEGORY}"/>'
        f'<c:crosses val="max"/><c:crossBetween val="between"/></c:valAx>'
    )
    return [_bar_chart([series], _REFERENCE_CATEGORY, _REFERENCE_VALUE), axis, scale]


# -------------------------------------------------------------------- axes ----


def _scaling(low: float, high: float) -> str:
    return (
        f'<c:scaling><c:orientation val="minMax"/><c:max val="{d.number_text(high)}"/>'
        f'<c:min val="{d.number_text(low)}"/></c:scaling>'
    )


def _category_axis(size_pt: float) -> str:
    """Indicators from the top down (the first at the top, as in the table), their names at the left."""
    return (
        f'<c:catAx><c:axId val="{_CATEGORY}"/><c:scaling><c:orientation val="maxMin"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/>'
        f'<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/>'
        f"{d.line_look(AXIS_COLOUR, LINE_PT)}{d.text_look(size_pt)}"
        f'<c:crossAx val="{_VALUE}"/><c:crosses val="autoZero"/><c:auto val="1"/>'
        f'<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
    )


def _value_axis(frame: _Frame) -> str:
    """Percentages along the bottom: the category axis runs top-down, so this axis crosses it at its end."""
    title = frame.chart.axis_label
    axis_title = d.title(title, TEXT_PT, bold=False) if title else ""
    number_format = AXIS_FORMATS[frame.chart.kind].replace('"', "&quot;")
    return (
        f'<c:valAx><c:axId val="{_VALUE}"/>{_scaling(frame.low, frame.high)}<c:delete val="0"/>'
        f'<c:axPos val="b"/>'
        f"<c:majorGridlines>{d.line_look(GRID_COLOUR, LINE_PT)}</c:majorGridlines>{axis_title}"
        f'<c:numFmt formatCode="{number_format}" sourceLinked="0"/><c:majorTickMark val="out"/>'
        f'<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>{d.line_look(AXIS_COLOUR, LINE_PT)}'
        f'{d.text_look(TEXT_PT)}<c:crossAx val="{_CATEGORY}"/><c:crosses val="max"/>'
        f'<c:crossBetween val="between"/><c:majorUnit val="{d.number_text(frame.step)}"/></c:valAx>'
    )


# ------------------------------------------------------------ the package ----


def add_chart_part(document_part, chart: ChartPart, number: int) -> str:
    """Add ``word/charts/chart<number>.xml`` and its workbook ``word/embeddings/`` to the package, the chart
    related from the document and the workbook from the chart (as Word relates them); the chart's rId."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document_part.package
    part = Part(PackURI(f"/word/charts/chart{number}.xml"), CONTENT_TYPE.DML_CHART, chart.xml.encode("utf-8"), package)
    workbook = Part(
        PackURI(f"/word/embeddings/Microsoft_Excel_Worksheet{number}.xlsx"),
        CONTENT_TYPE.SML_SHEET,
        chart.workbook,
        package,
    )
    part.rels.add_relationship(RELATIONSHIP_TYPE.PACKAGE, workbook, WORKBOOK_REL_ID)
    return document_part.relate_to(part, RELATIONSHIP_TYPE.CHART)


def chart_inline(r_id: str, shape_id: int, name: str, width_mm: float, height_mm: float):
    """The ``wp:inline`` showing the chart part ``r_id`` at ``width_mm`` × ``height_mm``, for a run's drawing.

    ``name`` (the caption) is also the chart's description, which screen readers announce.
    """
    from docx.oxml import parse_xml
    from docx.shared import Mm

    from reportgen.writers.xml_escape import quoteattr

    return parse_xml(
        f'<wp:inline distT="0" distB="0" distL="0" distR="0" xmlns:wp="{WP_NS}" xmlns:a="{A_NS}" '
        f'xmlns:c="{C_NS}" xmlns:r="{R_NS}"><wp:extent cx="{Mm(width_mm)}" cy="{Mm(height_mm)}"/>'
        f'<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name={quoteattr(name)} descr={quoteattr(name)}/>'
        f'<wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="{C_NS}"><c:chart r:id="{r_id}"/></a:graphicData>'
        f"</a:graphic></wp:inline>"
    )
