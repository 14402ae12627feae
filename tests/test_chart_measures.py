"""Honest charts (vn-conventions §3.6 "Charts"): one measure per chart, every judged indicator on one of them,
no internal codes, and the native Word chart the same as the PDF's (axis range, legend order) with its data in
an embedded workbook that Word's "Edit Data" opens."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from lxml import etree

from conftest import ROOT, example_report
from reportgen.domain.assess import Status, assess
from reportgen.charts.layout import layout_chart, legend_items
from reportgen.settings.config import load_config
from reportgen.document.build import BuildOptions, build_document
from reportgen.document.charts_data import JUDGED, ChartWords, indicator_charts, measure_of
from reportgen.document.model import Chart, Figure
from reportgen.domain.report_input import Indicator, IndicatorKind
from reportgen.core.periods import Period
from reportgen.core.targets import parse_target
from reportgen.writers.docx.word_writer import DocxWriter
from reportgen.writers.docx.word_chart import chart_part

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"c": C}
WORDS = ChartWords("% kế hoạch năm", "Thời gian đã qua: 50%", "Chênh lệch so với mục tiêu năm (điểm phần trăm)",
                   lambda unit: f"Số {unit}", "Cùng kỳ năm trước", lambda name: f"{name} (tốc độ tăng)",
                   "% khối lượng hoàn thành")


def _result(period: str = "2023-06"):
    report = example_report()
    report = dataclasses.replace(report, info=dataclasses.replace(report.info, period=Period.parse(period)))
    return assess(report)


@pytest.mark.parametrize("period", ["2023-06", "2023-Q3", "2023-H1", "2023-9M", "2023"])
def test_every_judged_indicator_is_on_exactly_one_chart_by_its_name(period):
    result = _result(period)
    charts = indicator_charts(result, WORDS)
    labels = [label for chart in charts for label in chart.labels]
    judged = [item for item in result.items if item.status in JUDGED]
    expected = [WORDS.growth_label(i.indicator.name) if i.compares_growth else i.indicator.name for i in judged]
    assert sorted(labels) == sorted(expected)
    assert not [label for label in labels if label[:2] in ("KT", "XH", "CT") and label[2:4].isdigit()]
    unjudged = {item.indicator.name for item in result.items if item.status not in JUDGED}
    assert unjudged and not unjudged & set(labels)  # no target, no data: not judged, not drawn


def test_growth_is_never_drawn_as_a_share_of_the_plan():
    """The example's growth targets were drawn as "98,5% kế hoạch năm" (12,81% / 13%): now as points."""
    result = _result()
    charts = {chart.kind: chart for chart in indicator_charts(result, WORDS)}
    growth = {item.indicator.name for item in result.items if item.compares_growth}
    assert not growth & set(charts["plan"].labels)
    points = dict(zip(charts["points"].labels, charts["points"].values))
    assert points["Giá trị sản xuất (giá so sánh 2010) (tốc độ tăng)"] == -0.19
    assert points["Tổng vốn đầu tư phát triển trên địa bàn (tốc độ tăng)"] == 3.34
    assert points["Tỷ lệ lao động qua đào tạo"] == -0.5  # a rate against its rate: points, not 99,4% of a rate
    plan = dict(zip(charts["plan"].labels, charts["plan"].values))
    assert plan == {"Thu ngân sách nhà nước trên địa bàn": 45.49, "Giải quyết việc làm mới": 53.0,
                    "Tỷ lệ hộ cận nghèo": 64.71, "Số hộ cận nghèo": 84.62}
    assert charts["plan"].reference == 50.0
    levels = charts["levels"]
    assert levels.labels[0].startswith("Số hộ nghèo") and levels.values == (0.0, 0.0, 0.0)
    assert levels.tracks == (12.0, 0.0, 1.0) and levels.track_label == "Cùng kỳ năm trước"


def _indicator(target: str, kind=IndicatorKind.CUMULATIVE, unit="tỷ đồng", value="40", same="30", baseline=None):
    return Indicator("X01", "Kinh tế", "Chỉ tiêu", unit, kind, parse_target(target),
                     baseline=Decimal(baseline) if baseline else None, value=Decimal(value),
                     same_period=Decimal(same) if same else None)


@pytest.mark.parametrize("indicator, kind, value", [
    (_indicator("100"), "plan", Decimal(40)),                                          # a flow: % of the plan
    (_indicator("dưới 50", unit="vụ"), "plan", Decimal(80)),                           # a ceiling: share used
    (_indicator("giảm 13", IndicatorKind.POINT, "hộ", "97", None, "108"), "plan",     # a reduction, like a flow
     Decimal(11) * 100 / 13),
    (_indicator("tăng trên 10%", IndicatorKind.GROWTH), "points", Decimal(100) * 40 / 30 - 100 - 10),
    (_indicator("khoảng 83,1", IndicatorKind.POINT, "%", "82.6"), "points", Decimal("-0.5")),
    (_indicator("không còn hộ nghèo", IndicatorKind.POINT, "hộ", "0", "12"), "levels", Decimal(0)),
])
def test_each_kind_of_target_has_its_measure(indicator, kind, value):
    result = assess(dataclasses.replace(example_report(), indicators=(indicator,)))
    measure = measure_of(result.items[0])
    assert measure is not None and measure[0] == kind and measure[1] == pytest.approx(value)


def test_an_indicator_without_figure_or_target_is_on_no_chart():
    missing = dataclasses.replace(_indicator("100"), value=None)
    unplanned = dataclasses.replace(_indicator("100"), target=None)
    result = assess(dataclasses.replace(example_report(), indicators=(missing, unplanned)))
    assert [item.status for item in result.items] == [Status.NO_DATA, Status.NO_TARGET]
    assert [measure_of(item) for item in result.items] == [None, None]


# ---------------------------------------------------------- the Word chart ----

def _figures() -> tuple[Figure, ...]:
    report = example_report()
    document = build_document(report, assess(report), load_config(ROOT / "reportgen.toml"), BuildOptions())
    return tuple(block for block in document.blocks() if isinstance(block, Figure))


@pytest.mark.parametrize("index", range(4))
def test_the_word_chart_has_the_pdfs_axis_and_legend_order(index):
    chart = _figures()[index].chart
    root = etree.fromstring(chart_part(chart).xml.encode())
    layout = layout_chart(chart)
    [scaling] = root.xpath("//c:valAx[c:axId/@val='1002']/c:scaling", namespaces=NS)
    assert (float(scaling.find("c:min", NS).get("val")), float(scaling.find("c:max", NS).get("val"))) == \
        (layout.low, layout.high)
    [unit] = root.xpath("//c:valAx[c:axId/@val='1002']/c:majorUnit", namespaces=NS)
    assert float(unit.get("val")) == layout.step
    names = [ser.findtext("c:tx//c:v", namespaces=NS) for ser in root.iter(f"{{{C}}}ser")]
    if chart.kind == "projects":
        assert root.find(".//c:legend", NS) is None
    else:
        # Word lists a horizontal bar chart's series in their order when its categories run top-down (maxMin),
        # the primary axes' series before the secondary's: the picture's legend order.
        assert names == [text for text, _key in legend_items(chart)]


def test_the_embedded_workbook_holds_the_charts_data_and_opens_in_a_spreadsheet():
    figures = _figures()
    data = DocxWriter().to_bytes(_small(*figures))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        types = package.read("[Content_Types].xml").decode()
        for number, figure in enumerate(figures, 1):
            chart_xml = etree.fromstring(package.read(f"word/charts/chart{number}.xml"))
            rels = etree.fromstring(package.read(f"word/charts/_rels/chart{number}.xml.rels"))
            [external] = chart_xml.iter(f"{{{C}}}externalData")
            [rel] = [r for r in rels if r.get("Id") == external.get(f"{{{R}}}id")]
            assert rel.get("Type") == f"{R}/package"
            embedded = "word/" + rel.get("Target").removeprefix("../")
            assert embedded in names and embedded.endswith(".xlsx")
            sheet = openpyxl.load_workbook(io.BytesIO(package.read(embedded)))["Sheet1"]
            # Every cell a series names holds its cached value: "Edit Data" opens the chart's own figures.
            for series in chart_xml.iter(f"{{{C}}}ser"):
                name_ref = series.findtext("c:tx/c:strRef/c:f", namespaces=NS).split("!")[1].replace("$", "")
                assert sheet[name_ref].value == series.findtext("c:tx//c:v", namespaces=NS)
                values = series.find("c:val/c:numRef", NS)
                first, last = values.findtext("c:f", namespaces=NS).split("!")[1].replace("$", "").split(":")
                column = first.rstrip("0123456789")
                cached = {int(pt.get("idx")): float(pt.findtext("c:v", namespaces=NS))
                          for pt in values.iter(f"{{{C}}}pt")}
                for offset, row in enumerate(range(2, int(last[len(column):]) + 1)):
                    assert sheet[f"{column}{row}"].value == cached.get(offset), (embedded, column, row)
            labels = [sheet[f"A{row}"].value for row in range(2, len(figure.chart.labels) + 2)]
            assert labels == list(figure.chart.labels)
        assert "spreadsheetml.sheet" in types


def _small(*blocks):
    from datetime import datetime

    from reportgen.document.model import Document, Metadata, Orientation, Section

    return Document((Section(tuple(blocks), Orientation.LANDSCAPE),),
                    Metadata("T", "S", "A", created=datetime(2023, 6, 14, 8)))


def test_a_chart_of_one_bar_per_unknown_category_still_has_its_workbook():
    chart = Chart("plan", "", ("A",), (50.0,), ("",), reference=50.0, reference_label="Thời gian đã qua: 50%")
    part = chart_part(chart)
    sheet = openpyxl.load_workbook(io.BytesIO(part.workbook))["Sheet1"]
    assert sheet["A2"].value == "A" and sheet["B2"].value == 50
