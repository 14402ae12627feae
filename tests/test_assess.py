"""Assessment rules of DESIGN.md §5, with cases from the seed articles."""

from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from reportgen.assess import ElapsedRule, Options, Status, assess, assess_indicator, elapsed_ratio, summarise
from reportgen.model import Indicator, IndicatorKind, ReportInfo, ReportInput
from reportgen.periods import Period
from reportgen.targets import parse_target
from reportgen.vnformat import round_half_up, vn_pct

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
    # growth targets of the 2023 plan ("tăng trên 13%")
    (ind(IndicatorKind.GROWTH, "tăng trên 13%", "498.6", "442", "tỷ đồng"), Status.NOT_YET),   # +12,81%
    (ind(IndicatorKind.GROWTH, "tăng trên 10%", "612.4", "540.3", "tỷ đồng"), Status.EXCEEDED),
    (ind(IndicatorKind.GROWTH, "tăng 10%", growth="10", unit="triệu USD"), Status.MET),
    # jobs "600 lao động trở lên": 318 in June is on track (53% ≥ 50%), 280 is behind, 600 is met
    (ind(IndicatorKind.CUMULATIVE, "600 trở lên", "318", unit="lao động"), Status.ON_TRACK),
    (ind(IndicatorKind.CUMULATIVE, "600 trở lên", "280", unit="lao động"), Status.BEHIND),
    (ind(IndicatorKind.CUMULATIVE, "600 trở lên", "600", unit="lao động"), Status.MET),
    (ind(IndicatorKind.CUMULATIVE, "600 trở lên", "640", unit="lao động"), Status.EXCEEDED),
    # rates
    (ind(IndicatorKind.POINT, "khoảng 83,1", "82.6"), Status.NOT_YET),
    (ind(IndicatorKind.POINT, "khoảng 83,1", "83.1"), Status.MET),
    (ind(IndicatorKind.POINT, "97,6", "96.8"), Status.NOT_YET),
    # poverty: "không còn hộ nghèo", near-poor "giảm 13" from a start-of-year level
    (ind(IndicatorKind.POINT, "không còn hộ nghèo", "0", unit="hộ"), Status.MET),
    (ind(IndicatorKind.POINT, "không còn hộ nghèo", "3", unit="hộ"), Status.NOT_YET),
    (ind(IndicatorKind.POINT, "giảm 13", "97", unit="hộ", baseline="108"), Status.NOT_YET),
    (ind(IndicatorKind.POINT, "giảm 13", "95", unit="hộ", baseline="108"), Status.MET),
    (ind(IndicatorKind.POINT, "giảm 13", "97", unit="hộ"), Status.NO_DATA),       # no baseline
    # a ceiling on a flow: accidents "dưới 20" — 9 by June is within the half-year share
    (ind(IndicatorKind.CUMULATIVE, "dưới 20", "9", unit="vụ"), Status.EXCEEDED),
    (ind(IndicatorKind.CUMULATIVE, "dưới 20", "19", unit="vụ"), Status.MET),
    (ind(IndicatorKind.CUMULATIVE, "dưới 20", "25", unit="vụ"), Status.BEHIND),
    # missing data, missing target
    (ind(IndicatorKind.POINT, "97,6"), Status.NO_DATA),
    (ind(IndicatorKind.GROWTH, "tăng 10%", unit="tỷ đồng"), Status.NO_DATA),
    (ind(IndicatorKind.POINT, "", "41.2"), Status.NO_TARGET),
])
def test_status_mid_year(indicator, expected):
    assert status(indicator) is expected


@pytest.mark.parametrize("indicator, expected", [
    (ind(IndicatorKind.CUMULATIVE, "600 trở lên", "580", unit="lao động"), Status.FAILED),
    (ind(IndicatorKind.POINT, "97,6", "96.8"), Status.FAILED),
    (ind(IndicatorKind.GROWTH, "tăng trên 13%", growth="12.8", unit="%"), Status.FAILED),
    (ind(IndicatorKind.POINT, "97,6", "97.9"), Status.EXCEEDED),
])
def test_status_at_year_end_is_final(indicator, expected):
    assert status(indicator, YEAR) is expected


def test_rate_difference_in_percentage_points():
    a = assess_indicator(ind(IndicatorKind.POINT, "97,6", "96.8"), JUNE, D(50))
    assert a.point_diff == D("-0.8")
    assert a.plan_ratio is not None and vn_pct(a.plan_ratio) == "99,18%"


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
    assert result.summary.on_plan == 2
    assert result.summary.count(Status.NOT_YET) == 1
    assert result.summary.count(Status.ON_TRACK) == 1
    assert result.summary.count(Status.NO_TARGET) == 1
    assert result.by_code("B").status is Status.NOT_YET


values = st.decimals(min_value=0, max_value=10**5, places=2, allow_nan=False, allow_infinity=False)
targets = st.sampled_from(["trên 100", "khoảng 50", "dưới 30", "không quá 30", "10 - 20", "0", "giảm 5", "97,6", ""])
kinds = st.sampled_from(list(IndicatorKind))
periods = st.sampled_from(["2023-01", "2023-06", "2023-Q3", "2023-9M", "2023-12", "2023"])


@given(kinds, targets, values, values, periods)
def test_status_rules_hold_for_any_figures(kind, target, value, same, code):
    period = Period.parse(code)
    indicator = ind(kind, target, str(value), str(same), "đơn vị", baseline="100")
    a = assess_indicator(indicator, period, elapsed_ratio(period))
    if not target:
        # a growth row on a zero base has no growth to show: no data rather than no target
        assert a.status is Status.NO_TARGET or (a.status is Status.NO_DATA and kind is IndicatorKind.GROWTH and same == 0)
    elif period.is_year_end:
        assert a.status in (Status.EXCEEDED, Status.MET, Status.FAILED, Status.NO_DATA)
    else:
        assert a.status is not Status.FAILED
        if a.status in (Status.ON_TRACK, Status.BEHIND):
            assert kind is IndicatorKind.CUMULATIVE
    if same and value is not None:
        assert a.same_period_ratio == value * 100 / same
    assert summarise([a]).total == (0 if a.status is Status.NO_TARGET else 1)
