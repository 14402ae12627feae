"""The assessment's rules stated as properties (issue 14 "Assessment"), and the example's 16 indicators pinned.

For every kind of target and every period: the label a figure gets, its
direction (a better figure never gets a worse label), and that everything
derived from the assessment — the counts of section I, the lists of sections
II and III, the appendix's "Đánh giá" column, the chart's data, the figures
file — says the same as the labels.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from reportgen.domain.assess import Measure, Status, assess, assess_indicator, elapsed_ratio, measure_of
from reportgen.settings.config import load_config
from reportgen.document.build import build_document
from reportgen.document.charts_data import ChartWords, indicator_charts, measure_of as chart_measure
from reportgen.document.model import RowKind, Table
from reportgen.document.table import indicator_table
from reportgen.report.figures_file import figures_document
from reportgen.domain.report_input import Indicator, IndicatorKind, ReportInfo, ReportInput
from reportgen.narrative.context import build_context
from reportgen.core.periods import Period
from reportgen.core.targets import parse_target
from reportgen.core.vnformat import round_half_up
from reportgen.writers.plain_text import TextWriter

from conftest import ROOT, example_report

WORDS = ChartWords(plan_axis="% kế hoạch năm", elapsed="Thời gian đã qua", points_axis="điểm phần trăm",
                   levels_axis=lambda unit: unit, same_period="Cùng kỳ", growth_label=lambda name: name,
                   projects_axis="%")
PERIODS = ("2023-01", "2023-02", "2023-03", "2023-05", "2023-06", "2023-07", "2023-11", "2023-12", "2023-Q1",
           "2023-Q2", "2023-Q3", "2023-Q4", "2023-H1", "2023-H2", "2023-9M", "2023")
TARGETS = ("trên 100", "100 trở lên", "khoảng 50", "khoảng 83,1", "10 - 20", "97,6", "dưới 30", "không quá 30",
           "0", "không còn", "giảm 5", "giảm 0,17", "trên 0", "tăng trên 13%", "tăng 10%", "tăng 0%",
           "tăng khoảng 7%", "tăng 6 - 8%", "giảm 5%")
RANK = {Status.EXCEEDED: 6, Status.MET: 5, Status.ON_TRACK: 4, Status.BEHIND: 3, Status.NOT_YET: 2, Status.FAILED: 1}
"""Better labels rank higher; for a flow with a limit, passing the annual limit (Chưa đạt) is worse than
only passing its share so far (Chậm tiến độ)."""

amounts = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
kinds = st.sampled_from(list(IndicatorKind))


def indicator(kind, target, value, same=None, baseline=None, growth=None, unit="đơn vị", code="X"):
    parsed = parse_target(target)
    if target.startswith("giảm") and target.endswith("%"):
        kind = IndicatorKind.GROWTH   # "giảm 5%" is a rate of decline on a growth row
    return Indicator(code, "Kinh tế", "Chỉ tiêu", unit, kind, parsed, baseline=baseline, value=value,
                     same_period=same, growth=growth)


def status_of(ind, period):
    return assess_indicator(ind, period, elapsed_ratio(period))


@settings(max_examples=400, deadline=None)
@given(kinds, st.sampled_from(TARGETS), amounts, amounts, st.sampled_from(PERIODS))
def test_the_label_of_every_kind_of_target_in_every_period(kind, target, value, same, code):
    period = Period.parse(code)
    baseline = D(40) if "giảm" in target and not target.endswith("%") else None
    a = status_of(indicator(kind, target, value, same or None, baseline), period)
    measure = measure_of(a.indicator)
    if a.status is Status.NO_DATA:
        assert measure is Measure.GROWTH and not same   # nothing to compute growth from
        return
    if period.is_year_end:
        # a result, and only at year end "Không đạt"
        assert a.status in (Status.EXCEEDED, Status.MET, Status.FAILED)
        return
    assert a.status is not Status.FAILED
    if measure is Measure.GROWTH:
        # mid-year, growth is a trend: never "Vượt/Đạt kế hoạch"
        assert a.status in (Status.ON_TRACK, Status.NOT_YET)
    if measure is Measure.FLOW_LIMIT:
        assert a.status in (Status.ON_TRACK, Status.BEHIND, Status.NOT_YET)
    if measure is Measure.LEVEL:
        assert a.status in (Status.EXCEEDED, Status.MET, Status.NOT_YET)
    if a.status in (Status.ON_TRACK, Status.BEHIND) and measure.paced:
        assert a.expected_ratio == elapsed_ratio(period)
    if a.status is Status.BEHIND:
        assert measure in (Measure.FLOW, Measure.REDUCTION, Measure.FLOW_LIMIT)


@settings(max_examples=400, deadline=None)
@given(kinds, st.sampled_from(TARGETS), amounts, amounts, st.sampled_from(PERIODS))
def test_a_better_figure_never_gets_a_worse_label(kind, target, first, second, code):
    """Direction: for a 'higher is better' target a larger figure ranks at least as high, and the reverse."""
    period = Period.parse(code)
    low, high = sorted((first, second))
    baseline = D(40) if "giảm" in target and not target.endswith("%") else None
    same = D(100)
    a_low = status_of(indicator(kind, target, low, same, baseline), period)
    a_high = status_of(indicator(kind, target, high, same, baseline), period)
    if Status.NO_DATA in (a_low.status, a_high.status):
        return
    rule_target = a_low.indicator.target
    lower_is_better = rule_target.direction.value == "lower"
    if a_low.measure is Measure.GROWTH:
        lower_is_better = rule_target.kind.value in ("ceiling", "reduction")
    if a_low.measure is Measure.REDUCTION:
        lower_is_better = True   # a lower current level is a larger reduction
    better, worse = (a_low, a_high) if lower_is_better else (a_high, a_low)
    assert RANK[better.status] >= RANK[worse.status], (target, kind, low, high, better.status, worse.status)


def test_a_growth_target_judges_growth_and_rates_are_in_points():
    a = status_of(indicator(IndicatorKind.GROWTH, "tăng trên 13%", D("498.6"), D("442")), Period.parse("2023-06"))
    assert a.plan_ratio is None and a.progress is None            # a growth ratio is never "% kế hoạch"
    assert round(a.point_diff, 2) == D("-0.19")
    rate = status_of(indicator(IndicatorKind.POINT, "97,6", D("96.8"), D("96.1"), unit="%"), Period.parse("2023-06"))
    assert rate.plan_ratio is None and rate.same_period_ratio is None
    assert (rate.point_diff, rate.same_period_points) == (D("-0.8"), D("0.7"))


# ------------------------------------------------- one assessment, every use ----

rows = st.lists(st.tuples(kinds, st.sampled_from(TARGETS + ("",)), amounts, amounts), min_size=1, max_size=8)


def _report(specs, code) -> ReportInput:
    indicators = []
    for n, (kind, target, value, same) in enumerate(specs):
        baseline = D(40) if "giảm" in target and not target.endswith("%") else None
        if target:
            ind = indicator(kind, target, value, same or None, baseline, code=f"C{n}")
        else:
            ind = Indicator(f"C{n}", "Kinh tế", "Chỉ tiêu", "đơn vị", kind, None, value=value, same_period=same or None)
        indicators.append(replace(ind, name=f"Chỉ tiêu số {n}", field="Kinh tế" if n % 2 else "Văn hóa - Xã hội"))
    return ReportInput(ReportInfo(Period.parse(code), sample=True), tuple(indicators))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows, st.sampled_from(PERIODS))
def test_counts_lists_table_chart_and_figures_come_from_the_same_labels(specs, code):
    report = _report(specs, code)
    result = assess(report)
    statuses = [a.status for a in result.items]
    # section I's counts
    assert sum(n for _, n in result.summary.counts) == len(statuses)
    assert result.summary.total == sum(1 for s in statuses if s is not Status.NO_TARGET)
    assert result.summary.on_plan == sum(1 for s in statuses if s in (Status.EXCEEDED, Status.MET))
    for status in Status:
        assert result.summary.count(status) == statuses.count(status)
    # sections II and III name exactly the lagging indicators
    context = build_context(report, result, load_config(ROOT / "reportgen.toml"))
    assert [c.ma for c in context["can_chu_y"]] == [a.indicator.code for a in result.items if a.status.lagging]
    assert context["tong_hop"].dat_va_vuot == result.summary.on_plan
    # the appendix's Đánh giá column
    table = indicator_table(result)
    column = {row.cells[1].text: row.cells[-1].text for row in table.rows if row.kind is RowKind.DATA}
    assert column == {a.indicator.name: a.status.value for a in result.items}   # rows grouped by Lĩnh vực
    # the charts: every judged indicator on exactly one, with its status; every paced one on the plan chart
    # with its progress against the elapsed-time line
    charts = indicator_charts(result, WORDS)
    drawn = [(label, category) for chart in charts for label, category in zip(chart.labels, chart.categories)]
    judged = [a for a in result.items if a.status.judged and chart_measure(a) is not None]
    assert sorted(drawn) == sorted((a.indicator.name, a.status.value) for a in judged)
    plan = next((chart for chart in charts if chart.kind == "plan"), None)
    for item in result.items:
        if item.status.judged and item.measure.paced and item.progress is not None:
            assert plan is not None and plan.values[plan.labels.index(item.indicator.name)] == \
                float(round_half_up(item.progress, 2))
    # the figures file
    assert [row["status"] for row in figures_document(report, result)["indicators"]] == [s.value for s in statuses]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows, st.sampled_from(PERIODS))
def test_the_prose_counts_agree_with_the_labels_and_never_print_an_undefined_figure(specs, code):
    report = _report(specs, code)
    result = assess(report)
    text = TextWriter().dumps(build_document(report, result, load_config(ROOT / "reportgen.toml"),))
    flat = " ".join(text.split())
    for broken in ("bằng - ", " - điểm", "giảm -", "tăng -", "bằng -", "đạt -", "(kế hoạch:", "None", "{{"):
        assert broken not in flat, broken
    summary = result.summary
    if summary.total and summary.on_plan:
        assert f"có {summary.on_plan}/{summary.total} chỉ tiêu đạt và vượt kế hoạch" in flat
    if summary.count(Status.FAILED):
        assert f"{summary.count(Status.FAILED)} chỉ tiêu không đạt" in flat
    if summary.count(Status.BEHIND):
        assert f"{summary.count(Status.BEHIND)} chỉ tiêu chậm tiến độ" in flat


# ------------------------------------------------------ the example, pinned ----

EXAMPLE = {
    # code: (measure, status, % KH năm column, so với cùng kỳ column)
    "KT01": (Measure.GROWTH, Status.NOT_YET, "-", "112,81"),
    "KT02": (Measure.GROWTH, Status.ON_TRACK, "-", "113,34"),
    "KT03": (Measure.GROWTH, Status.NOT_YET, "-", "106,43"),
    "KT04": (Measure.GROWTH, Status.ON_TRACK, "-", "112,04"),
    "KT05": (Measure.FLOW, Status.BEHIND, "45,49", "111,97"),
    "KT06": (Measure.NONE, Status.NO_TARGET, "-", "+2,7"),
    "KT07": (Measure.NONE, Status.NO_TARGET, "-", "125,12"),
    "KT08": (Measure.NONE, Status.NO_TARGET, "-", "133,84"),
    "XH01": (Measure.FLOW, Status.ON_TRACK, "53", "107,8"),
    "XH02": (Measure.LEVEL, Status.NOT_YET, "-0,5", "+0,7"),
    "XH03": (Measure.LEVEL, Status.MET, "-", "0"),
    "XH04": (Measure.FLOW_LIMIT, Status.ON_TRACK, "-", "-"),
    "XH05": (Measure.FLOW_LIMIT, Status.ON_TRACK, "-", "0"),
    "XH06": (Measure.REDUCTION, Status.ON_TRACK, "64,71", "-0,32"),
    "XH07": (Measure.REDUCTION, Status.ON_TRACK, "84,62", "77,6"),
    "XH08": (Measure.LEVEL, Status.NOT_YET, "-0,8", "+0,7"),
}


@pytest.mark.parametrize("code", list(EXAMPLE))
def test_the_examples_sixteen_indicators(code):
    report = example_report()
    result = assess(report)
    item = result.by_code(code)
    table = indicator_table(result)
    row = next(r for r in table.rows if r.kind is RowKind.DATA and r.cells[1].text == item.indicator.name)
    measure, status, plan, same = EXAMPLE[code]
    assert (item.measure, item.status, row.cells[-3].text, row.cells[-2].text, row.cells[-1].text) == \
        (measure, status, plan, same, status.value)


def test_the_example_has_sixteen_indicators_and_the_pinned_counts():
    result = assess(example_report())
    assert [a.indicator.code for a in result.items] == list(EXAMPLE)
    assert dict(result.summary.counts) == {Status.MET: 1, Status.ON_TRACK: 7, Status.BEHIND: 1, Status.NOT_YET: 4,
                                           Status.NO_TARGET: 3}
    assert not [a for a in result.items if a.measure is Measure.GROWTH and a.status.on_plan]


def test_the_plan_chart_holds_progress_against_time():
    result = assess(example_report())
    [chart] = [chart for chart in indicator_charts(result, WORDS) if chart.kind == "plan"]
    assert chart.labels == ("Thu ngân sách nhà nước trên địa bàn", "Giải quyết việc làm mới", "Tỷ lệ hộ cận nghèo",
                            "Số hộ cận nghèo")
    assert chart.values == (45.49, 53.0, 64.71, 84.62) and chart.reference == 50.0
    assert isinstance(indicator_table(result), Table)
