"""The target grammar of vn-conventions §3.5 and grading."""

from decimal import Decimal as D

import pytest
from hypothesis import assume, given, strategies as st

from reportgen.domain.plan import default_plan
from reportgen.core.targets import (Direction, Grade, TargetKind, TargetSyntaxError, grade, growth_target, parse_target,
                               target_problem)


@pytest.mark.parametrize("text, kind, value, high, growth, unit, direction", [
    ("trên 13", TargetKind.FLOOR, "13", None, False, "", Direction.HIGHER),
    ("Trên 13%", TargetKind.FLOOR, "13", None, False, "%", Direction.HIGHER),
    ("hơn 8.000 lượt", TargetKind.FLOOR, "8000", None, False, "lượt", Direction.HIGHER),
    ("600 lao động trở lên", TargetKind.FLOOR, "600", None, False, "lao động", Direction.HIGHER),
    ("tối thiểu 50", TargetKind.FLOOR, "50", None, False, "", Direction.HIGHER),
    ("ít nhất 2", TargetKind.FLOOR, "2", None, False, "", Direction.HIGHER),
    ("≥ 50", TargetKind.FLOOR, "50", None, False, "", Direction.HIGHER),
    ("97,6", TargetKind.FLOOR, "97.6", None, False, "", Direction.HIGHER),
    ("đạt 97,6%", TargetKind.FLOOR, "97.6", None, False, "%", Direction.HIGHER),
    ("khoảng 83,1", TargetKind.APPROX, "83.1", None, False, "", Direction.HIGHER),
    ("~4", TargetKind.APPROX, "4", None, False, "", Direction.HIGHER),
    ("10 - 12", TargetKind.RANGE, "10", "12", False, "", Direction.HIGHER),
    ("6,6–6,8%", TargetKind.RANGE, "6.6", "6.8", False, "%", Direction.HIGHER),
    ("từ 33 đến 34", TargetKind.RANGE, "33", "34", False, "", Direction.HIGHER),
    ("dưới 5", TargetKind.CEILING, "5", None, False, "", Direction.LOWER),
    ("không quá 3 vụ", TargetKind.CEILING, "3", None, False, "vụ", Direction.LOWER),
    ("tối đa 2,5", TargetKind.CEILING, "2.5", None, False, "", Direction.LOWER),
    ("giảm 13", TargetKind.REDUCTION, "13", None, False, "", Direction.LOWER),
    ("giảm 0,17% (13 hộ)", TargetKind.REDUCTION, "0.17", None, False, "%", Direction.LOWER),
    ("không còn hộ nghèo", TargetKind.ZERO, "0", None, False, "", Direction.LOWER),
    ("0", TargetKind.ZERO, "0", None, False, "", Direction.LOWER),
    ("tăng trên 13%", TargetKind.FLOOR, "13", None, True, "%", Direction.HIGHER),
    ("tăng 10%", TargetKind.FLOOR, "10", None, True, "%", Direction.HIGHER),
    ("Tăng khoảng 7", TargetKind.APPROX, "7", None, True, "", Direction.HIGHER),
])
def test_grammar(text, kind, value, high, growth, unit, direction):
    target = parse_target(text)
    assert target.kind is kind
    assert target.value == D(value)
    assert target.high == (D(high) if high else None)
    assert (target.growth, target.unit, target.direction) == (growth, unit, direction)


def test_approx_tolerance_is_half_the_last_digit():
    assert parse_target("khoảng 83,1").tolerance == D("0.05")
    assert parse_target("khoảng 600").tolerance == D("0.5")
    assert parse_target("khoảng 1,25").tolerance == D("0.005")


@pytest.mark.parametrize("text, message", [
    ("", "chỉ tiêu kế hoạch để trống; "),
    ("tăng mạnh", "không thấy con số trong “tăng mạnh”; "),
    ("trên 13 abc 5", "không hiểu phần “abc 5” trong “trên 13 abc 5”; "),
    ("12 - 10", "khoảng “12 - 10” có cận trên nhỏ hơn cận dưới; viết cận nhỏ trước, ví dụ “10 - 12”"),
])
def test_syntax_errors_say_what_is_accepted(text, message):
    with pytest.raises(TargetSyntaxError) as err:
        parse_target(text)
    assert str(err.value).startswith(message)
    if message.endswith("; "):
        assert "“trên 13”, “600 trở lên”, “khoảng 83,1”" in str(err.value)


def test_every_default_plan_target_parses():
    """The Bình Liêu 2023 targets from seed 000."""
    parsed = {i.code: parse_target(i.target_text) for i in default_plan().indicators if i.target_text}
    assert {c: (t.kind, t.value, t.growth) for c, t in parsed.items()} == {
        "KT01": (TargetKind.FLOOR, D(13), True),
        "KT02": (TargetKind.FLOOR, D(10), True),
        "KT03": (TargetKind.FLOOR, D(10), True),
        "KT04": (TargetKind.FLOOR, D(10), True),
        "XH01": (TargetKind.FLOOR, D(600), False),
        "XH02": (TargetKind.APPROX, D("83.1"), False),
        "XH03": (TargetKind.ZERO, D(0), False),
        "XH04": (TargetKind.ZERO, D(0), False),
        "XH05": (TargetKind.ZERO, D(0), False),
        "XH06": (TargetKind.REDUCTION, D("0.17"), False),
        "XH07": (TargetKind.REDUCTION, D(13), False),
        "XH08": (TargetKind.FLOOR, D("97.6"), False),
    }


@pytest.mark.parametrize("text, actual, baseline, met, exceeded", [
    ("trên 13", "12.8", None, False, False),
    ("trên 13", "13", None, True, False),          # practice grades "trên X" met at X
    ("trên 13", "13.004", None, True, False),      # graded as printed: 13,00
    ("trên 13", "13.01", None, True, True),
    ("khoảng 83,1", "83.05", None, True, False),
    ("khoảng 83,1", "83.04", None, False, False),
    ("khoảng 83,1", "83.16", None, True, True),
    ("10 - 12", "11", None, True, False),
    ("10 - 12", "12.5", None, True, True),
    ("dưới 5", "5", None, False, False),
    ("không quá 5", "5", None, True, False),
    ("dưới 5", "4.5", None, True, True),           # ≤ 90% of the ceiling
    ("giảm 13", "95", "108", True, False),
    ("giảm 13", "97", "108", False, False),
    ("giảm 13", "90", "108", True, True),
    ("không còn", "0", None, True, False),
    ("không còn", "1", None, False, False),
])
def test_grade(text, actual, baseline, met, exceeded):
    result = grade(parse_target(text), D(actual), D(baseline) if baseline else None)
    assert (result.met, result.exceeded) == (met, exceeded)


amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
qualifiers = st.sampled_from(["trên", "hơn", "tối thiểu", "khoảng", "dưới", "không quá", "tối đa", "giảm", ""])


@given(qualifiers, amounts, st.booleans())
def test_describe_parses_back_to_the_same_target(word, value, growth):
    assume(value > 0)
    text = f"{'tăng ' if growth and word != 'giảm' else ''}{word} {value}".strip()
    target = parse_target(text.replace(".", ","))
    again = parse_target(target.describe())
    assert (again.kind, again.value, again.high, again.growth, again.strict) == \
        (target.kind, target.value, target.high, target.growth, target.strict)


@given(qualifiers, amounts, amounts, amounts)
def test_grading_is_monotonic_in_the_good_direction(word, value, a, b):
    assume(value > 0)
    target = parse_target(f"{word} {value}".strip().replace(".", ","))
    baseline = D(10**6) if word == "giảm" else None
    low, high = sorted((a, b))
    better, worse = (high, low) if target.direction is Direction.HIGHER else (low, high)
    graded_worse = grade(target, worse, baseline)
    graded_better = grade(target, better, baseline)
    assert graded_better.met >= graded_worse.met
    assert graded_better.exceeded >= graded_worse.exceeded
    assert not graded_worse.exceeded or graded_worse.met   # exceeding implies meeting


# ------------------------------------------------------- targets at the edges ----
# Issue 13 "Targets at the edges": sensible wording and a correct status, or a refusal on the cell.

@pytest.mark.parametrize("text, message", [
    ("khoảng 0", "“khoảng 0” không rõ nghĩa; nếu mục tiêu là không còn, không phát sinh thì ghi “0” hoặc “không còn”"),
    ("0 - 0", "khoảng “0 - 0” có hai cận bằng nhau; ghi một số (ví dụ “0”)"),
    ("5 - 5", "khoảng “5 - 5” có hai cận bằng nhau; ghi một số (ví dụ “5”)"),
    ("giảm -210", "“giảm -210” có số âm; mức giảm ghi “giảm X”"),
    ("trên -5", "“trên -5” có số âm;"),
    ("tăng -2%", "“tăng -2%” có số âm;"),
    ("giảm 0", "“giảm 0”: mức giảm phải lớn hơn 0"),
    ("trên 1.000.000.000.000.000", "“trên 1.000.000.000.000.000”: con số quá lớn để là chỉ tiêu kế hoạch"),
    ("tăng không còn", "“tăng không còn”: chỉ tiêu tốc độ tăng không thể là “không còn”"),
])
def test_targets_that_cannot_mean_anything_are_refused(text, message):
    with pytest.raises(TargetSyntaxError) as err:
        parse_target(text)
    assert str(err.value).startswith(message)


def test_a_growth_target_of_zero_is_a_floor_that_growth_beats():
    target = parse_target("tăng 0%")
    assert (target.kind, target.value, target.growth) == (TargetKind.FLOOR, D(0), True)
    assert grade(target, D("7.8")) == Grade(True, True)       # "tăng 7,8%" against "tăng 0%": above target
    assert grade(target, D("-1")) == Grade(False, False)
    assert target.describe("%") == "tăng 0%"


def test_more_than_zero_is_met_by_any_positive_figure():
    target = parse_target("trên 0")
    assert (grade(target, D(0)), grade(target, D(3))) == (Grade(False, False), Grade(True, False))
    assert not target.has_ratio   # "% of plan" of a zero target means nothing


def test_a_reduction_larger_than_its_baseline_is_impossible():
    assert target_problem(parse_target("giảm 200"), D(108), False) == \
        "kế hoạch “giảm 200” giảm nhiều hơn mức đầu năm (108), không thể đạt được"
    assert target_problem(parse_target("giảm 13"), D(108), False) is None
    assert target_problem(parse_target("giảm 200"), D(108), True) is None   # a rate of decline on a growth row


def test_a_decline_target_on_a_growth_row_is_a_ceiling_on_growth():
    rule = growth_target(parse_target("giảm 5%"))
    assert (rule.kind, rule.value, rule.direction) == (TargetKind.CEILING, D(-5), Direction.LOWER)
    assert grade(rule, D(-10)).met and not grade(rule, D(-2)).met
