"""The appendix table of indicators (vn-conventions §3.4).

Columns STT, Chỉ tiêu, ĐVT, Kế hoạch năm, Cùng kỳ, Thực hiện tháng, Lũy kế,
% KH, % cùng kỳ, Đánh giá; a numbering row "A, B, C, 1, 2 … 5=4/1, 6=4/2";
one group row per Lĩnh vực with Roman numerals.  % columns carry numbers
without the sign, two fixed decimals; "-" where a ratio is undefined.
"""

from __future__ import annotations

from decimal import Decimal

from ..assess import Assessment, AssessmentResult
from ..periods import PeriodKind
from ..vnformat import vn_num
from .model import Align, Cell, Column, RowKind, Table, TableRow

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")
COLUMNS = (
    Column(5, Align.CENTER), Column(35, Align.LEFT), Column(8, Align.CENTER), Column(12, Align.CENTER),
    Column(10, Align.RIGHT), Column(9, Align.RIGHT), Column(10, Align.RIGHT), Column(8, Align.RIGHT),
    Column(8, Align.RIGHT), Column(15, Align.CENTER),
)
"""Relative widths: names get room to stay on one line, the status column fits "Không có kế hoạch"."""
NUMBERING = ("A", "B", "C", "1", "2", "3", "4", "5=4/1", "6=4/2", "7")
EMPTY = "-"


def value_text(value: Decimal | None) -> str:
    """A figure in the table: up to 3 decimals, Vietnamese separators."""
    return EMPTY if value is None else vn_num(value, 3)


def ratio_text(value: Decimal | None) -> str:
    """A % column: '102,27', '53,00' (no sign, fixed two decimals)."""
    return EMPTY if value is None else vn_num(value, 2, trim=False)


def header_texts(result: AssessmentResult) -> tuple[str, ...]:
    period = result.period
    month = f"Thực hiện {period.label}" if period.kind is PeriodKind.MONTH else f"Thực hiện {period.label}"
    return ("STT", "Chỉ tiêu", "ĐVT", f"Kế hoạch năm {period.year}", f"Cùng kỳ năm {period.year - 1}", month,
            f"Lũy kế {period.ytd_label}", "% KH năm", "% cùng kỳ", "Đánh giá")


def indicator_table(result: AssessmentResult) -> Table:
    rows = [
        TableRow(tuple(Cell(text, bold=True, align=Align.CENTER) for text in header_texts(result)), RowKind.HEADER),
        TableRow(tuple(Cell(text, italic=True, align=Align.CENTER) for text in NUMBERING), RowKind.NUMBERING),
    ]
    groups: dict[str, list[Assessment]] = {}
    for item in result.items:
        groups.setdefault(item.indicator.field, []).append(item)
    for number, (field, items) in enumerate(groups.items()):
        roman = ROMAN[number] if number < len(ROMAN) else str(number + 1)
        rows.append(TableRow((Cell(roman, bold=True, align=Align.CENTER),
                              Cell(field.upper(), bold=True, span=len(COLUMNS) - 1)), RowKind.GROUP))
        rows += [_data_row(index, item) for index, item in enumerate(items, 1)]
    return Table(COLUMNS, tuple(rows), font_size=10)


def _data_row(index: int, item: Assessment) -> TableRow:
    ind = item.indicator
    same_ratio = item.same_period_ratio
    if same_ratio is None and item.growth_entered and item.growth is not None:
        same_ratio = item.growth + 100
    cells = (
        str(index), ind.name, ind.unit, ind.target_label(with_unit=False) or EMPTY,
        value_text(ind.same_period), value_text(ind.month_value), value_text(ind.value),
        ratio_text(item.plan_ratio), ratio_text(same_ratio), item.status.value,
    )
    return TableRow(tuple(Cell(text) for text in cells))
