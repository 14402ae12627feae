"""Vietnamese number and date formatting (vn-conventions §4)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from reportgen.core.vnformat import (
    nd30_date, parse_vn_number, place_date, plain_int, round_half_up, short_date, vn_amount, vn_num, vn_pct,
)


@pytest.mark.parametrize("value, decimals, trim, expected", [
    (8000, 2, True, "8.000"),
    (Decimal("8000.5"), 1, True, "8.000,5"),
    (Decimal("102.265"), 2, True, "102,27"),      # half up, where Babel alone gives 102,26
    (1.005, 2, True, "1,01"),                      # float binary error removed
    (Decimal("0.125"), 2, True, "0,13"),
    (Decimal("2395.63"), 2, True, "2.395,63"),
    (Decimal("148.433"), 3, True, "148,433"),
    (Decimal("83.1"), 2, False, "83,10"),
    (Decimal("52.0"), 2, True, "52"),
    (1234, 0, True, "1.234"),
    (Decimal("-2.5"), 0, True, "-3"),
    (Decimal("-0.001"), 2, True, "0"),
])
def test_vn_num(value, decimals, trim, expected):
    assert vn_num(value, decimals, trim) == expected


def test_percent_and_amounts():
    assert vn_pct(Decimal("102.27")) == "102,27%"
    assert vn_pct(Decimal("43.70")) == "43,7%"
    assert vn_pct(100) == "100%"
    assert vn_amount(Decimal("124"), "tỷ đồng") == "124 tỷ đồng"
    assert vn_amount(Decimal("83.1"), "%") == "83,1%"
    assert vn_amount(8000, "lượt") == "8.000 lượt"
    assert plain_int(2023) == "2023"


def test_dates():
    assert nd30_date(date(2023, 1, 5)) == "ngày 05 tháng 01 năm 2023"
    assert nd30_date(date(2019, 6, 29)) == "ngày 29 tháng 6 năm 2019"
    assert nd30_date(date(2020, 3, 5)) == "ngày 05 tháng 3 năm 2020"
    assert place_date("Bình Liêu", date(2023, 1, 27)) == "Bình Liêu, ngày 27 tháng 01 năm 2023"
    assert place_date("Bình Liêu", None, 6, 2023) == "Bình Liêu, ngày      tháng 6 năm 2023"
    assert short_date(date(2023, 1, 27)) == "27/01/2023"
    assert short_date(date(2023, 5, 14)) == "14/5/2023"


@pytest.mark.parametrize("text, value, style", [
    ("83,1", Decimal("83.1"), "vi"),
    ("1.234,5", Decimal("1234.5"), "vi"),
    ("8.000", Decimal("8000"), "vi"),
    ("1 234,5", Decimal("1234.5"), "vi"),
    ("1\u00a0234", Decimal("1234"), "vi"),
    ("97,6%", Decimal("97.6"), "vi"),
    ("−5", Decimal("-5"), "vi"),
    ("83.1", Decimal("83.1"), "en"),
    ("1,234.5", Decimal("1234.5"), "en"),
])
def test_parse_vn_number(text, value, style):
    assert parse_vn_number(text) == (value, style)


@pytest.mark.parametrize("text", ["", "abc", "8.00.0", "1,2,3", "12a", "--5", "%"])
def test_parse_vn_number_rejects(text):
    assert parse_vn_number(text) is None


@given(st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_format_then_parse_round_trips(value):
    text = vn_num(value, 2)
    parsed = parse_vn_number(text)
    assert parsed is not None and parsed[0] == round_half_up(value, 2)


@given(st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False, allow_infinity=False))
def test_round_half_up_matches_excel(value):
    # Excel ROUND: away from zero on a tie, so |round(x)| == round(|x|).
    assert abs(round_half_up(value, 2)) == round_half_up(abs(value), 2)
    assert abs(round_half_up(value, 2) - value) <= Decimal("0.005")


@pytest.mark.parametrize("first, then, expected", [
    (1, Decimal("1.00"), "1"), (2.5, Decimal("2.5"), "2,5"), (Decimal("-0.001"), 0, "0"), (1, 1.0, "1"),
])
def test_remembered_numbers_format_like_the_direct_way(first, then, expected):
    """vn_num remembers results; equal numbers of any type must print the same, as they do directly."""
    from reportgen.core import vnformat

    assert vn_num(first) == vn_num(then) == expected
    assert vnformat._vn_num(then, 2, True) == expected


def test_a_boolean_is_refused_even_after_one_and_zero_were_formatted():
    assert vn_num(1) == "1" and vn_num(0) == "0"
    with pytest.raises(TypeError, match="boolean"):
        vn_num(True)
    with pytest.raises(TypeError, match="boolean"):
        vn_num(False)
