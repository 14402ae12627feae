"""Reporting periods, their labels and Decree 09 windows (vn-conventions §2.2)."""

from datetime import date

import pytest
from hypothesis import given, strategies as st

from reportgen.core.periods import Period, PeriodError


@pytest.mark.parametrize("text, code, label, with_year, end_month", [
    ("2023-06", "2023-06", "tháng 6", "tháng 6 năm 2023", 6),
    ("2023-01", "2023-01", "tháng 01", "tháng 01 năm 2023", 1),
    ("2023-Q2", "2023-Q2", "quý II", "quý II năm 2023", 6),
    ("2023-H1", "2023-H1", "6 tháng đầu năm", "6 tháng đầu năm 2023", 6),
    ("2023-H2", "2023-H2", "6 tháng cuối năm", "6 tháng cuối năm 2023", 12),
    ("2023-9M", "2023-9M", "9 tháng", "9 tháng năm 2023", 9),
    ("2023", "2023", "năm 2023", "năm 2023", 12),
    ("Tháng 6/2023", "2023-06", "tháng 6", "tháng 6 năm 2023", 6),
    ("tháng 01 - 2024", "2024-01", "tháng 01", "tháng 01 năm 2024", 1),
    ("Quý II/2023", "2023-Q2", "quý II", "quý II năm 2023", 6),
    ("quý 4 năm 2023", "2023-Q4", "quý IV", "quý IV năm 2023", 12),
    ("6 tháng đầu năm 2023", "2023-H1", "6 tháng đầu năm", "6 tháng đầu năm 2023", 6),
    ("9 tháng năm 2023", "2023-9M", "9 tháng", "9 tháng năm 2023", 9),
    ("Năm 2023", "2023", "năm 2023", "năm 2023", 12),
])
def test_parse_and_labels(text, code, label, with_year, end_month):
    period = Period.parse(text)
    assert (period.code, period.label, period.label_with_year, period.end_month) == (code, label, with_year, end_month)


@pytest.mark.parametrize("text, message", [
    ("2023-13", "tháng 13 không có; tháng phải từ 1 đến 12"),
    ("2023-Q5", "không hiểu kỳ báo cáo “2023-Q5”; viết dạng 2023-06 (tháng), 2023-Q2 (quý), 2023-H1 (6 tháng), "
                "2023-9M (9 tháng), 2023 (năm) hoặc “Tháng 6/2023”"),
    ("tháng sáu", "không hiểu kỳ báo cáo “tháng sáu”; viết dạng 2023-06 (tháng), 2023-Q2 (quý), 2023-H1 (6 tháng), "
                  "2023-9M (9 tháng), 2023 (năm) hoặc “Tháng 6/2023”"),
])
def test_bad_periods(text, message):
    with pytest.raises(PeriodError) as err:
        Period.parse(text)
    assert str(err.value) == message


def test_decree_09_windows():
    june = Period.parse("2023-06")
    assert june.data_window() == (date(2023, 5, 15), date(2023, 6, 14))
    assert june.ytd_window() == (date(2022, 12, 15), date(2023, 6, 14))
    assert Period.parse("2023-Q2").data_window() == (date(2023, 3, 15), date(2023, 6, 14))
    assert Period.parse("2023-H1").data_window() == (date(2022, 12, 15), date(2023, 6, 14))
    assert Period.parse("2023-H2").data_window() == (date(2023, 6, 15), date(2023, 12, 14))
    assert Period.parse("2023-9M").data_window() == (date(2022, 12, 15), date(2023, 9, 14))
    assert Period.parse("2023").data_window() == (date(2022, 12, 15), date(2023, 12, 14))
    assert Period.parse("2024-01").data_window() == (date(2023, 12, 15), date(2024, 1, 14))
    # a province with a cut-off on the 25th
    assert june.data_window(cutoff_day=25) == (date(2023, 5, 26), date(2023, 6, 25))


def test_next_and_previous():
    assert Period.parse("2023-06").next_month().code == "2023-07"
    assert Period.parse("2023-12").next_month().code == "2024-01"
    assert Period.parse("2023-Q2").previous_year().code == "2022-Q2"
    assert Period.parse("2023-12").is_year_end and not Period.parse("2023-06").is_year_end


@given(st.integers(1900, 2200), st.integers(1, 12))
def test_month_code_round_trips(year, month):
    period = Period.month(year, month)
    assert Period.parse(period.code) == period
    start, end = period.data_window()
    assert start < end and end.day == 14 and end.month == month
