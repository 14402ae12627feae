"""Reporting periods: 2023-06, 2023-Q2, 2023-H1, 2023-9M, 2023.

Labels follow report usage ("tháng 6", "quý II", "6 tháng đầu năm", "9 tháng",
"năm 2023"); data windows follow the Decree 09/2019 cut-off: a month runs from
the 15th of the previous month to the 14th, and
year-to-date figures from 15/12 of the previous year.  The cut-off day is a
parameter because provinces set their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from reportgen.core.vnformat import month_number
from reportgen.core.vntext import match_key

DEFAULT_CUTOFF_DAY = 14


class PeriodKind(Enum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE_MONTHS = "9m"
    YEAR = "year"


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodError(ValueError):
    """A period code or label that cannot be read; the message says what is accepted."""


@dataclass(frozen=True)
class Period:
    """One reporting period of one year."""

    year: int
    end_month: int
    """Last month the period covers: 6 for 2023-06, 2023-Q2, 2023-H1; 9 for 2023-9M; 12 for 2023."""
    kind: PeriodKind
    index: int
    """Month (1–12), quarter (1–4), half (1–2); 9 for nine months; 0 for the year."""

    # -- construction -------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise PeriodError(f"tháng {month} không có; tháng phải từ 1 đến 12")
        return cls(year, month, PeriodKind.MONTH, month)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read a period code ('2023-06', '2023-Q2', '2023-H1', '2023-9M', '2023')
        or a Vietnamese label ('Tháng 6/2023', 'Quý II/2023', '6 tháng đầu năm 2023',
        '9 tháng năm 2023', 'Năm 2023')."""
        raw = str(text).strip()
        found = _parse_code(raw) or _parse_label(raw)
        if found is None:
            raise PeriodError(
                f"không hiểu kỳ báo cáo “{raw}”; viết dạng 2023-06 (tháng), 2023-Q2 (quý), "
                "2023-H1 (6 tháng), 2023-9M (9 tháng), 2023 (năm) hoặc “Tháng 6/2023”"
            )
        year, kind, index = found
        if not 1900 <= year <= 2200:
            raise PeriodError(f"năm {year} không hợp lệ trong kỳ báo cáo “{raw}”")
        return cls._make(year, kind, index)

    @classmethod
    def _make(cls, year: int, kind: PeriodKind, index: int) -> Period:
        if kind is PeriodKind.MONTH:
            return cls.month(year, index)
        if kind is PeriodKind.QUARTER:
            if not 1 <= index <= 4:
                raise PeriodError(f"quý {index} không có; quý phải từ 1 đến 4")
            return cls(year, index * 3, kind, index)
        if kind is PeriodKind.HALF:
            if index not in (1, 2):
                raise PeriodError(f"nửa năm {index} không có; dùng H1 hoặc H2")
            return cls(year, index * 6, kind, index)
        if kind is PeriodKind.NINE_MONTHS:
            return cls(year, 9, kind, 9)
        return cls(year, 12, PeriodKind.YEAR, 0)

    # -- names ----------------------------------------------------------------
    @property
    def code(self) -> str:
        """Canonical code, also the output folder name: 2023-06, 2023-Q2, 2023-H1, 2023-9M, 2023."""
        suffix = {
            PeriodKind.MONTH: f"-{self.index:02d}",
            PeriodKind.QUARTER: f"-Q{self.index}",
            PeriodKind.HALF: f"-H{self.index}",
            PeriodKind.NINE_MONTHS: "-9M",
            PeriodKind.YEAR: "",
        }[self.kind]
        return f"{self.year}{suffix}"

    @property
    def label(self) -> str:
        """'tháng 6', 'quý II', '6 tháng đầu năm', '6 tháng cuối năm', '9 tháng', 'năm 2023'."""
        if self.kind is PeriodKind.MONTH:
            return f"tháng {month_number(self.index)}"
        if self.kind is PeriodKind.QUARTER:
            return f"quý {_ROMAN[self.index]}"
        if self.kind is PeriodKind.HALF:
            return "6 tháng đầu năm" if self.index == 1 else "6 tháng cuối năm"
        if self.kind is PeriodKind.NINE_MONTHS:
            return "9 tháng"
        return f"năm {self.year}"

    @property
    def label_with_year(self) -> str:
        """'tháng 6 năm 2023', 'quý II năm 2023', '6 tháng cuối năm 2023', 'năm 2023'."""
        if self.kind is PeriodKind.YEAR:
            return self.label
        if self.kind is PeriodKind.HALF:
            return f"{self.label} {self.year}"  # "6 tháng đầu năm 2023", not "… năm năm 2023"
        return f"{self.label} năm {self.year}"

    @property
    def ytd_label(self) -> str:
        """The year-to-date span a figure covers: '6 tháng đầu năm', '9 tháng', 'năm 2023', 'tháng 01'."""
        months = self.end_month
        if months == 12:
            return f"năm {self.year}"
        if months == 1:
            return "tháng 01"
        if months == 9:
            return "9 tháng"
        return f"{months} tháng đầu năm"

    @property
    def ytd_label_with_year(self) -> str:
        """'6 tháng đầu năm 2023', '9 tháng năm 2023', 'năm 2023', 'tháng 01 năm 2023'."""
        label = self.ytd_label
        if label.startswith("năm"):
            return label
        return f"{label} {self.year}" if label.endswith("năm") else f"{label} năm {self.year}"

    @property
    def own_months(self) -> int:
        """Months the period's own figures cover: 1 for a month, 3 for a quarter, 6, 9, 12."""
        return {
            PeriodKind.MONTH: 1,
            PeriodKind.QUARTER: 3,
            PeriodKind.HALF: 6,
            PeriodKind.NINE_MONTHS: 9,
            PeriodKind.YEAR: 12,
        }[self.kind]

    @property
    def has_own_figures(self) -> bool:
        """The period's own figures differ from the year to date: a month after January, the second to
        fourth quarter, the second half.  (January, the first quarter, the first half, nine months and
        the year have only the year to date.)"""
        return self.own_months != self.end_month

    @property
    def own_figure_header(self) -> str | None:
        """Header of the workbook column for the period's own figure, None when the period has none:
        'Thực hiện tháng', 'Thực hiện quý', 'Thực hiện 6 tháng cuối năm'."""
        if not self.has_own_figures:
            return None
        if self.kind is PeriodKind.MONTH:
            return "Thực hiện tháng"
        if self.kind is PeriodKind.QUARTER:
            return "Thực hiện quý"
        return f"Thực hiện {self.label}"

    @property
    def next_year(self) -> int:
        """The year of the tasks the report sets out: the next year after a report on the whole year."""
        return self.year + 1 if self.end_month == 12 else self.year

    def __str__(self) -> str:
        return self.code

    # -- time -----------------------------------------------------------------
    @property
    def is_year_end(self) -> bool:
        """Figures cover the whole year, so a target not met is "Không đạt", not "Chưa đạt"."""
        return self.end_month == 12

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Chronological order; at the same end month the shorter period first (06 < Q2 < H1)."""
        span = {
            PeriodKind.MONTH: 1,
            PeriodKind.QUARTER: 3,
            PeriodKind.HALF: 6,
            PeriodKind.NINE_MONTHS: 9,
            PeriodKind.YEAR: 12,
        }[self.kind]
        return (self.year, self.end_month, span)

    @property
    def months_elapsed(self) -> int:
        """Months of the plan year covered by year-to-date figures."""
        return self.end_month

    def next_month(self) -> Period:
        """The month whose tasks the report sets out ("nhiệm vụ trọng tâm tháng 7")."""
        if self.end_month == 12:
            return Period.month(self.year + 1, 1)
        return Period.month(self.year, self.end_month + 1)

    def previous_year(self) -> Period:
        """The same period of the previous year ("cùng kỳ")."""
        return Period._make(self.year - 1, self.kind, self.index)

    def data_window(self, cutoff_day: int = DEFAULT_CUTOFF_DAY) -> tuple[date, date]:
        """Decree 09 window of this period's own figures: month 6 → 15/5 … 14/6."""
        first_month = {
            PeriodKind.MONTH: self.end_month,
            PeriodKind.QUARTER: self.end_month - 2,
            PeriodKind.HALF: self.end_month - 5,
            PeriodKind.NINE_MONTHS: 1,
            PeriodKind.YEAR: 1,
        }[self.kind]
        return _window_start(self.year, first_month, cutoff_day), _cutoff(self.year, self.end_month, cutoff_day)

    def ytd_window(self, cutoff_day: int = DEFAULT_CUTOFF_DAY) -> tuple[date, date]:
        """Window of the cumulative (lũy kế) figures: 15/12 of last year … 14/m."""
        return _window_start(self.year, 1, cutoff_day), _cutoff(self.year, self.end_month, cutoff_day)


def _cutoff(year: int, month: int, cutoff_day: int) -> date:
    return date(year, month, min(cutoff_day, _days_in(year, month)))


def _window_start(year: int, first_month: int, cutoff_day: int) -> date:
    prev_year, prev_month = (year - 1, 12) if first_month == 1 else (year, first_month - 1)
    return _cutoff(prev_year, prev_month, cutoff_day) + timedelta(days=1)


def _days_in(year: int, month: int) -> int:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


_CODE = re.compile(r"^(\d{4})(?:-(?:(\d{1,2})|[Qq]([1-4])|[Hh]([12])|(9)[Mm]))?$")


def _parse_code(raw: str) -> tuple[int, PeriodKind, int] | None:
    m = _CODE.match(raw)
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2):
        return year, PeriodKind.MONTH, int(m.group(2))
    if m.group(3):
        return year, PeriodKind.QUARTER, int(m.group(3))
    if m.group(4):
        return year, PeriodKind.HALF, int(m.group(4))
    if m.group(5):
        return year, PeriodKind.NINE_MONTHS, 9
    return year, PeriodKind.YEAR, 0


_ROMAN_VALUES = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_LABELS = [
    (re.compile(r"^tháng(\d{1,2})(?:/|-|năm)(\d{4})$"), PeriodKind.MONTH),
    (re.compile(r"^quý(i{1,3}|iv|[1-4])(?:/|-|năm)(\d{4})$"), PeriodKind.QUARTER),
    (re.compile(r"^6tháng(đầu|cuối)năm(\d{4})$"), PeriodKind.HALF),
    (re.compile(r"^9tháng(?:đầu)?năm(\d{4})$"), PeriodKind.NINE_MONTHS),
    (re.compile(r"^(?:cả)?năm(\d{4})$"), PeriodKind.YEAR),
]


def _parse_label(raw: str) -> tuple[int, PeriodKind, int] | None:
    key = match_key(raw)
    for pattern, kind in _LABELS:
        m = pattern.match(key)
        if not m:
            continue
        if kind is PeriodKind.MONTH:
            return int(m.group(2)), kind, int(m.group(1))
        if kind is PeriodKind.QUARTER:
            q = m.group(1)
            return int(m.group(2)), kind, int(q) if q.isdigit() else _ROMAN_VALUES[q]
        if kind is PeriodKind.HALF:
            return int(m.group(2)), kind, 1 if m.group(1) == "đầu" else 2
        if kind is PeriodKind.NINE_MONTHS:
            return int(m.group(1)), kind, 9
        return int(m.group(1)), kind, 0
    return None
