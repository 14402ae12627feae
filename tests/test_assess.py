"""Assessment rules of DESIGN.md §5, with cases from the seed articles."""

from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from reportgen.domain.assess import (ElapsedRule, Measure, Options, Status, assess, assess_indicator, elapsed_ratio,
                              summarise)
from reportgen.domain.report_input import Indicator, IndicatorKind, ReportInfo, ReportInput
from reportgen.core.periods import Period
from reportgen.core.targets import parse_target
from reportgen.core.vnformat import round_half_up, vn_pct

JUNE = Period.parse("2023-06")
AUGUST = Period.parse("2020-08")
YEAR = Period.parse("2023")


def ind(kind=IndicatorKind.POINT, target="", value=None, same=None, unit="%", baseline=None, growth=None, code="X"):
    return Indicator(
        code=code, field="Kinh tế", name="Chỉ tiêu", unit=unit, kind=kind,
        target=parse_target(target) if target else None,
        value=D(value) if value is not None else None, same_period=D(same) if same is not None else None,
        baseline=D(baseline) if baseline is not None else None, growth=D(growth) if growth is not None else None,
    )


def status(indicator, period=JUNE):
    return assess_indicator(indicator, period, elapsed_ratio(period)).status


def test_seed_001_import_export_52_against_50_846_is_102_27_percent():
    """"tổng kim ngạch xuất, nhập khẩu đạt trên 52 triệu USD, bằng 102,27% so cùng kỳ năm 2019"."""
    a = assess_indicator(ind(IndicatorKind.CUMULATIVE, value="52", same="50.846", unit="triệu USD"), AUGUST, D(0))
    assert vn_pct(a.same_period_ratio) == "102,27%"
    assert round_half_up(a.same_period_change) == D("2.27")
    assert a.status is Status.NO_TARGET


def test_seed_001_disbursement_43_7_percent_is_behind_in_august():
    a = assess_indicator(ind(IndicatorKind.CUMULATIVE, target="100", value="43.7", unit="tỷ đồng"),
                         AUGUST, elapsed_ratio(AUGUST))
    assert vn_pct(a.plan_ratio) == "43,7%"
    assert a.status is Status.BEHIND
    assert round_half_up(a.expected_ratio) == D("66.67")


@pytest.mark.parametrize("indicator, expected", [
    # growth targets ("tăng trên 13%") are a trend mid-year, never a result
    (ind(IndicatorKind.GROWTH, "tăng trên 13%", "498.6", "442", "tỷ đồng"), Status.NOT_YET),   # +12,81%
    (ind(IndicatorKind.GROWTH, "tăng trên 10%", "612.4", "540.3", "tỷ đồng"), Status.ON_TRACK),  # +13,34%
    (ind(IndicatorKind.GROWTH, "tăng 10%", growth="10", unit="triệu USD"), Status.ON_TRACK),
    (ind(IndicatorKind.GROWTH, "tăng 0%", "107.8", "100", "tỷ đồng"), Status.ON_TRACK),
    (ind(IndicatorKind.GROWTH, "giảm 5%", "90", "100", "vụ"), Status.ON_TRACK),     # −10%: fell by more than 5%
    (ind(IndicatorKind.GROWTH, "giảm 5%", "98", "100", "vụ"), Status.NOT_YET),
    # flows, "600 lao động trở lên": 318 in June is on track (53% ≥ 50%), 280 is behind, 600 is met
    (ind(IndicatorKind.CUMULATIVE, "600 trở lên", "318", unit="lao động"), Status.ON_TRACK),
    (ind(IndicatorKind.CUMULATIVE, "600 trở lên", "280", unit="lao động"), Status.BEHIND),
    (ind(IndicatorKind.CUMULATIVE, "600 trở lên", "600", unit="lao động"), Status.MET),
    (ind(IndicatorKind.CUMULATIVE, "600 trở lên", "640", unit="lao động"), Status.EXCEEDED),
    # levels: rates and stocks against the target as it stands
    (ind(IndicatorKind.POINT, "khoảng 83,1", "82.6"), Status.NOT_YET),
    (ind(IndicatorKind.POINT, "khoảng 83,1", "83.1"), Status.MET),
    (ind(IndicatorKind.POINT, "97,6", "96.8"), Status.NOT_YET),
    (ind(IndicatorKind.POINT, "không còn hộ nghèo", "0", unit="hộ"), Status.MET),
    (ind(IndicatorKind.POINT, "không còn hộ nghèo", "3", unit="hộ"), Status.NOT_YET),
    # reductions from the start of the year, paced like a flow: 11 of 13 households by June is on schedule
    (ind(IndicatorKind.POINT, "giảm 13", "97", unit="hộ", baseline="108"), Status.ON_TRACK),
    (ind(IndicatorKind.POINT, "giảm 0,17", "1.31", baseline="1.42"), Status.ON_TRACK),
    (ind(IndicatorKind.POINT, "giảm 13", "104", unit="hộ", baseline="108"), Status.BEHIND),   # 4 < 6,5
    (ind(IndicatorKind.POINT, "giảm 13", "112", unit="hộ", baseline="108"), Status.BEHIND),   # went up
    (ind(IndicatorKind.POINT, "giảm 13", "95", unit="hộ", baseline="108"), Status.MET),
    (ind(IndicatorKind.POINT, "giảm 13", "97", unit="hộ"), Status.NO_DATA),       # no baseline
    # limits on a flow: accidents "dưới 20" — 9 by June is within the half-year share, 19 is not
    (ind(IndicatorKind.CUMULATIVE, "dưới 20", "9", unit="vụ"), Status.ON_TRACK),
    (ind(IndicatorKind.CUMULATIVE, "dưới 20", "19", unit="vụ"), Status.BEHIND),
    (ind(IndicatorKind.CUMULATIVE, "dưới 20", "25", unit="vụ"), Status.NOT_YET),
    (ind(IndicatorKind.CUMULATIVE, "0", "0", unit="hộ"), Status.ON_TRACK),        # "không để tái nghèo"
    (ind(IndicatorKind.CUMULATIVE, "0", "1", unit="hộ"), Status.NOT_YET),
    # missing data, missing target
    (ind(IndicatorKind.POINT, "97,6"), Status.NO_DATA),
    (ind(IndicatorKind.GROWTH, "tăng 10%", unit="tỷ đồng"), Status.NO_DATA),
    (ind(IndicatorKind.POINT, "", "41.2"), Status.NO_TARGET),
    (ind(IndicatorKind.POINT, ""), Status.NO_DATA),
])
def test_status_mid_year(indicator, expected):
    assert status(indicator) is expected


@pytest.mark.parametrize("indicator, expected", [
    (ind(IndicatorKind.CUMULATIVE, "600 trở lên", "580", unit="lao động"), Status.FAILED),
    (ind(IndicatorKind.POINT, "97,6", "96.8"), Status.FAILED),
    (ind(IndicatorKind.GROWTH, "tăng trên 13%", growth="12.8", unit="%"), Status.FAILED),
    (ind(IndicatorKind.GROWTH, "tăng trên 10%", "612.4", "540.3", "tỷ đồng"), Status.EXCEEDED),
    (ind(IndicatorKind.GROWTH, "tăng 0%", "107.8", "100", "tỷ đồng"), Status.EXCEEDED),   # 7,8% > 0%
    (ind(IndicatorKind.POINT, "97,6", "97.9"), Status.EXCEEDED),
    (ind(IndicatorKind.POINT, "giảm 13", "97", unit="hộ", baseline="108"), Status.FAILED),
    (ind(IndicatorKind.CUMULATIVE, "dưới 20", "9", unit="vụ"), Status.EXCEEDED),
    (ind(IndicatorKind.CUMULATIVE, "dưới 20", "19", unit="vụ"), Status.MET),
    (ind(IndicatorKind.CUMULATIVE, "0", "0", unit="hộ"), Status.MET),
    (ind(IndicatorKind.CUMULATIVE, "0", "2", unit="hộ"), Status.FAILED),
])
def test_status_at_year_end_is_final(indicator, expected):
    assert status(indicator, YEAR) is expected


def test_a_reduction_is_measured_from_the_start_of_the_year():
    a = assess_indicator(ind(IndicatorKind.POINT, "giảm 13", "97", "125", unit="hộ", baseline="108"), JUNE, D(50))
    assert (a.measure, a.reduction, round_half_up(a.plan_ratio)) == (Measure.REDUCTION, D(11), D("84.62"))
    assert a.progress == a.plan_ratio and a.expected_ratio == D(50)
    rate = assess_indicator(ind(IndicatorKind.POINT, "giảm 0,17", "1.31", "1.63", baseline="1.42"), JUNE, D(50))
    assert rate.reduction == D("0.11") and round_half_up(rate.plan_ratio) == D("64.71")
    assert rate.same_period_ratio is None and rate.same_period_points == D("-0.32")   # a rate: points


def test_rate_difference_in_percentage_points():
    a = assess_indicator(ind(IndicatorKind.POINT, "97,6", "96.8"), JUNE, D(50))
    assert a.point_diff == D("-0.8")
    assert a.plan_ratio is None   # never a ratio of two rates
    assert a.in_points


def test_growth_from_values_else_as_entered():
    computed = assess_indicator(ind(IndicatorKind.GROWTH, "tăng trên 13%", "498.6", "442", "tỷ đồng"), JUNE, D(50))
    assert round_half_up(computed.growth) == D("12.81") and not computed.growth_entered
    assert round_half_up(computed.point_diff) == D("-0.19")
    entered = assess_indicator(ind(IndicatorKind.GROWTH, "tăng trên 13%", growth="12.8", unit="%"), JUNE, D(50))
    assert entered.growth == D("12.8") and entered.growth_entered


def test_elapsed_share():
    assert elapsed_ratio(JUNE) == D(50)
    assert round_half_up(elapsed_ratio(Period.parse("2023-9M"))) == D(75)
    cutoff = elapsed_ratio(JUNE, Options(elapsed=ElapsedRule.CUTOFF))
    assert round_half_up(cutoff) == D("49.86")     # 182 of 365 days from 15/12/2022


def test_summary_counts():
    report = ReportInput(
        info=ReportInfo(period=JUNE),
        indicators=(
            ind(IndicatorKind.GROWTH, "tăng trên 10%", "612.4", "540.3", "tỷ đồng", code="A"),
            ind(IndicatorKind.POINT, "97,6", "96.8", code="B"),
            ind(IndicatorKind.POINT, "0", "0", unit="hộ", code="C"),
            ind(IndicatorKind.POINT, "", "41.2", code="D"),
            ind(IndicatorKind.CUMULATIVE, "600 trở lên", "318", unit="lao động", code="E"),
        ),
    )
    result = assess(report)
    assert result.summary.total == 4
    assert result.summary.on_plan == 1
    assert result.summary.count(Status.NOT_YET) == 1
    assert result.summary.count(Status.ON_TRACK) == 2
    assert result.summary.count(Status.NO_TARGET) == 1
    assert result.by_code("B").status is Status.NOT_YET


