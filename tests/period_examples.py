"""The bundled example moved to each kind of period, for the period tests and their golden files.

The June figures stand for the period's year to date; a period with figures of
its own (a quarter after the first, the second half, a month after January)
gets three times June's own figure as its own, so the two columns differ.
The staff paragraphs are the period-neutral ones below: the example's June
paragraphs name the first half-year.
"""

from __future__ import annotations

from dataclasses import replace

from reportgen.domain.report_input import Remark, ReportInput, Section
from reportgen.core.periods import Period

from conftest import example_report

PERIOD_KINDS = ("2023-06", "2023-Q3", "2023-H1", "2023-9M", "2023", "2023-12")
"""Month, quarter, half-year, nine months, the year, and December (a month that closes the year)."""

NEUTRAL_REMARKS = (
    Remark(Section.DEFENCE, "Tình hình an ninh chính trị, trật tự an toàn xã hội trên địa bàn được giữ vững.", 4),
    Remark(Section.OVERALL, "Nhìn chung, kinh tế - xã hội của huyện tiếp tục phát triển ổn định.", 5),
    Remark(Section.CAUSES, "Việc thông quan hàng hóa qua cửa khẩu chưa trở lại bình thường.", 6),
    Remark(Section.TASKS, "Đôn đốc thu ngân sách, chống thất thu.", 7, owner="Chi cục Thuế khu vực"),
)


def example_for(code: str) -> ReportInput:
    report = example_report()
    period = Period.parse(code)
    if code == "2023-06":
        return report
    indicators = tuple(
        replace(i, month_value=(i.month_value * 3 if i.month_value is not None else None)
                if period.has_own_figures else None)
        for i in report.indicators)
    return replace(report, info=replace(report.info, period=period), indicators=indicators, remarks=NEUTRAL_REMARKS)
