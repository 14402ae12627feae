"""The appendix table of indicators: every figure of the period against the plan and the same period.

Columns STT, Chỉ tiêu, ĐVT, Kế hoạch năm, Cùng kỳ, Thực hiện of the period
itself ("tháng 6", "quý III"; only when the period's own figures differ from
the year to date), Lũy kế, % KH, so với cùng kỳ, Đánh giá; a numbering row
"A, B, C, 1, 2 … 5=4/1, 6=4/2"; one group row per Lĩnh vực with Roman
numerals; notes under the table for the rows that read differently.

Every figure comes from the assessment: the "Đánh giá" column is the status
the prose, the counts and the charts use.  Rates (%) are compared in
percentage points (signed: "+0,7", "-0,8"), never as a ratio of two rates; a
reduction is measured from its start-of-year level, which the plan cell
names; "-" wherever a ratio is undefined.  Ratios and points have the prose's
precision (:func:`ratio_text`).
"""

from __future__ import annotations

from decimal import Decimal

from reportgen.core.periods import Period
from reportgen.core.vnformat import vn_num
from reportgen.document.model import Align, Cell, Column, RowKind, Table, TableRow
from reportgen.domain.assess import Assessment, AssessmentResult, Measure, Status

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")
COLUMNS = (
    Column(5, Align.CENTER),
    Column(35, Align.LEFT),
    Column(8, Align.CENTER),
    Column(12, Align.CENTER),
    Column(10, Align.RIGHT),
    Column(9, Align.RIGHT),
    Column(10, Align.RIGHT),
    Column(8, Align.RIGHT),
    Column(8, Align.RIGHT),
    Column(15, Align.CENTER),
)
"""Relative widths with the period's own column: names get room to stay on one line, the status column
fits "Không có kế hoạch"."""
OWN_COLUMN = 5
"""Index of the period's own figure in :data:`COLUMNS`; left out when the period has none."""
NUMBERING = ("A", "B", "C", "1", "2", "3", "4", "5=4/1", "6=4/2", "7")
NUMBERING_WITHOUT_OWN = ("A", "B", "C", "1", "2", "3", "4=3/1", "5=3/2", "6")
EMPTY = "-"
NO_TARGET_MARK = "(*)"
RATIO_DECIMALS = 2
"""Ratios and percentage points, in the table as in the prose: two decimals, half up, zeros trimmed."""


def value_text(value: Decimal | None) -> str:
    """A figure in the table: up to 3 decimals, Vietnamese separators."""
    return EMPTY if value is None else vn_num(value, 3)


def ratio_text(value: Decimal | None) -> str:
    """A % column: '102,27', '53', '99,4' (no sign; the prose's two decimals, zeros trimmed)."""
    return EMPTY if value is None else vn_num(value, RATIO_DECIMALS)


def points_text(value: Decimal | None) -> str:
    """A difference in percentage points, signed: '+0,7', '-0,8', '0'."""
    if value is None:
        return EMPTY
    text = vn_num(value, RATIO_DECIMALS)
    if text in ("0", "-0"):
        return "0"
    return f"+{text}" if value > 0 else text


def has_own_column(period: Period) -> bool:
    return period.has_own_figures


def header_texts(result: AssessmentResult) -> tuple[str, ...]:
    period = result.period
    own = period.has_own_figures
    ytd = f"Lũy kế {period.ytd_label}" if own else f"Thực hiện {period.ytd_label}"
    cells = ["STT", "Chỉ tiêu", "ĐVT", f"Kế hoạch năm {period.year}", f"Cùng kỳ năm {period.year - 1}"]
    if own:
        cells.append(f"Thực hiện {period.label}")
    cells += [ytd, "% KH năm", "So với cùng kỳ (%)", "Đánh giá"]
    return tuple(cells)


def columns_for(period: Period) -> tuple[Column, ...]:
    if period.has_own_figures:
        return COLUMNS
    return COLUMNS[:OWN_COLUMN] + COLUMNS[OWN_COLUMN + 1 :]


def indicator_table(result: AssessmentResult) -> Table:
    columns = columns_for(result.period)
    numbering = NUMBERING if result.period.has_own_figures else NUMBERING_WITHOUT_OWN
    rows = [
        TableRow(tuple(Cell(text, bold=True, align=Align.CENTER) for text in header_texts(result)), RowKind.HEADER),
        TableRow(tuple(Cell(text, italic=True, align=Align.CENTER) for text in numbering), RowKind.NUMBERING),
    ]
    groups: dict[str, list[Assessment]] = {}
    for item in result.items:
        groups.setdefault(item.indicator.group, []).append(item)
    for number, (field, items) in enumerate(groups.items()):
        roman = ROMAN[number] if number < len(ROMAN) else str(number + 1)
        rows.append(
            TableRow(
                (Cell(roman, bold=True, align=Align.CENTER), Cell(field.upper(), bold=True, span=len(columns) - 1)),
                RowKind.GROUP,
            )
        )
        rows += [_data_row(index, item, result.period.has_own_figures) for index, item in enumerate(items, 1)]
    return Table(columns, tuple(rows), font_size=10)


def table_notes(result: AssessmentResult) -> tuple[str, ...]:
    """Notes printed under the table, each only when a row needs it."""
    plan, same = ("5", "6") if result.period.has_own_figures else ("4", "5")
    notes = []
    if any(item.status is Status.NO_TARGET for item in result.items):
        notes.append(f"{NO_TARGET_MARK} Chỉ tiêu không giao kế hoạch năm, chỉ so sánh với cùng kỳ.")
    if any(item.indicator.is_rate for item in result.items):
        notes.append(
            f"Chỉ tiêu tỷ lệ (%): cột {plan}, cột {same} là mức cao hơn (+), thấp hơn (-) so với kế "
            "hoạch năm, cùng kỳ, tính bằng điểm phần trăm."
        )
    if any(item.measure is Measure.REDUCTION for item in result.items):
        notes.append(f"Chỉ tiêu giảm: cột {plan} là mức đã giảm so với đầu năm, tính bằng % mức giảm kế hoạch năm.")
    return tuple(notes)


def plan_cell(item: Assessment) -> str:
    ind = item.indicator
    if ind.target is None:
        return NO_TARGET_MARK
    text = ind.target_label(with_unit=False)
    if item.measure is Measure.REDUCTION and ind.baseline is not None:
        text += f" (đầu năm {value_text(ind.baseline)})"
    return text


def plan_column(item: Assessment) -> str:
    """Column "% KH năm": a ratio, or for a rate the points above or below its target."""
    if item.indicator.is_rate and item.measure is not Measure.REDUCTION:
        return points_text(item.point_diff)
    return ratio_text(item.plan_ratio)


def same_period_column(item: Assessment) -> str:
    """Column "so với cùng kỳ": a ratio, or for a rate the points above or below the same period."""
    if item.indicator.is_rate:
        return points_text(item.same_period_points)
    ratio = item.same_period_ratio
    if ratio is None and item.growth_entered and item.growth is not None:
        ratio = item.growth + 100
    return ratio_text(ratio)


def _data_row(index: int, item: Assessment, own: bool) -> TableRow:
    ind = item.indicator
    cells = [str(index), ind.name, ind.unit, plan_cell(item), value_text(ind.same_period)]
    if own:
        cells.append(value_text(ind.month_value))
    cells += [value_text(ind.value), plan_column(item), same_period_column(item), item.status.value]
    return TableRow(tuple(Cell(text) for text in cells))
