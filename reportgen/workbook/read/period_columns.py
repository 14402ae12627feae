"""The period's own figure (Thực hiện tháng / quý / 6 tháng cuối năm) against the workbook's period.

A quarter's workbook asks for "Thực hiện quý" (:func:`reportgen.workbook.list_columns.indicator_columns`),
and the reader takes any of the schema's headers for that column as the
period's own figure.  Two mismatches are warned about on the column's first
figure, never passed over in silence:

- the period has no figure of its own (6 tháng đầu năm, 9 tháng, năm: its
  figure is the year to date), yet the column holds numbers — they are not
  printed, since "Thực hiện 6 tháng đầu năm" holding June's figure beside
  "Lũy kế 6 tháng" would mislabel it;
- the header names another span than the period's ("Thực hiện tháng" in a
  quarter's workbook): the numbers are printed as the period's own.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from reportgen.core.issues import Issue, warning
from reportgen.core.periods import Period, PeriodKind
from reportgen.core.vntext import match_key
from reportgen.domain.report_input import Indicator
from reportgen.workbook.read.headers import Layout

KEY = "month_value"


def own_figure_issues(period: Period, indicators: list[Indicator], layout: Layout | None, sheet: str) -> list[Issue]:
    if layout is None or KEY not in layout.columns:
        return []
    filled = [i for i in indicators if i.month_value is not None]
    if not filled:
        return []
    header = layout.labels.get(KEY, "Thực hiện tháng")
    cell = f"{get_column_letter(layout.columns[KEY])}{filled[0].row}"
    if not period.has_own_figures:
        return [
            warning(
                "period.own_figure_unused",
                f"Kỳ báo cáo là {period.label_with_year}: số của cả kỳ là số lũy kế (cột “Lũy kế”), nên "
                f"{len(filled)} số ở cột “{header}” không được đưa vào báo cáo.",
                f"Ghi số của cả kỳ vào cột “Lũy kế”. Nếu đó là số của riêng tháng {period.end_month}, hãy lập "
                f"báo cáo tháng (reportgen new {period.year}-{period.end_month:02d}); nếu không cần thì xóa cột “{header}”.",
                sheet=sheet,
                cell=cell,
            )
        ]
    named = _span_named(header)
    if named is not None and named is not period.kind:
        return [
            warning(
                "period.own_figure_header",
                f"Cột “{header}” nhưng kỳ báo cáo là {period.label_with_year}: số ở cột này được đưa vào báo cáo "
                f"là số của {period.label}.",
                f"Nếu đúng là số của {period.label} thì đổi tiêu đề cột thành “{period.own_figure_header}”; nếu là số "
                "của một tháng thì ghi số của cả kỳ vào cột này.",
                sheet=sheet,
                cell=f"{get_column_letter(layout.columns[KEY])}{layout.header_row}",
            )
        ]
    return []


def _span_named(header: str) -> PeriodKind | None:
    key = match_key(header)
    if "quý" in key:
        return PeriodKind.QUARTER
    if "6tháng" in key:
        return PeriodKind.HALF
    if "tháng" in key:
        return PeriodKind.MONTH
    return None
