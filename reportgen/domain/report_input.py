"""The report's input as the rest of reportgen sees it, independent of Excel.

The workbook reader builds these; assessment, narrative and writers read them.
All text is NFC and free of control characters; all numbers are exact
``Decimal`` values in the units the workbook states.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum

from reportgen.core.periods import Period
from reportgen.core.targets import Target, TargetKind
from reportgen.domain.outline import SECTOR_SECTIONS, Section, group_of

__all__ = ["DEFAULT_FIELDS", "Indicator", "IndicatorKind", "Project", "Remark", "ReportInfo", "ReportInput", "Section"]


class IndicatorKind(Enum):
    """Column "Loại" of sheet Chỉ tiêu: how the indicator's figure relates to the year (added up, a level, a growth)."""

    CUMULATIVE = "Lũy kế"
    """A flow summed over the year (revenue, jobs, visitors)."""
    POINT = "Thời điểm"
    """A level at a date (coverage rate, households)."""
    GROWTH = "Tăng trưởng"
    """Growth in % on the same period."""


DEFAULT_FIELDS = tuple(section.value for section in SECTOR_SECTIONS)
"""Suggested values of "Lĩnh vực": the sectors of the outline ("Kinh tế", "Thu, chi ngân sách" …); any
other text is accepted and becomes its own group."""


@dataclass(frozen=True)
class Indicator:
    """One row of sheet Chỉ tiêu."""

    code: str
    """Mã: unique, e.g. KT01."""
    field: str
    """Lĩnh vực: the group; order of first appearance is report order."""
    name: str
    """Chỉ tiêu: the indicator's name."""
    unit: str
    """ĐVT: '%', 'tỷ đồng', 'lao động' …"""
    kind: IndicatorKind
    target: Target | None
    """Kế hoạch năm, parsed; None when the plan sets no target for it."""
    baseline: Decimal | None = None
    """Đầu năm: start-of-year level, needed by "giảm X" targets."""
    month_value: Decimal | None = None
    """The period's own figure (Thực hiện tháng, Thực hiện quý …): the month's, the quarter's."""
    value: Decimal | None = None
    """Lũy kế: year to date (CUMULATIVE), current level (POINT), or the measured value (GROWTH)."""
    same_period: Decimal | None = None
    """Cùng kỳ năm trước: the same figure a year earlier."""
    growth: Decimal | None = None
    """Tốc độ tăng (%): entered directly for GROWTH rows without values."""
    estimated: bool = False
    """Ước tính: the figure is an estimate ("ước đạt")."""
    note: str = ""
    """Ghi chú: free text carried into the narrative."""
    row: int = 0
    """Worksheet row the indicator came from (0 when not from a workbook)."""

    @property
    def group(self) -> str:
        """The appendix group: "Kinh tế" for an indicator of any economic sector, else its Lĩnh vực."""
        return group_of(self.field)

    @property
    def is_rate(self) -> bool:
        """A rate in % (ĐVT "%") on a level or flow row: compared in percentage points, never as a ratio."""
        return self.unit.strip().strip("()").strip() == "%" and self.kind is not IndicatorKind.GROWTH

    @property
    def judged_on_growth(self) -> bool:
        """Judged on growth on the same period: a Tăng trưởng row, or a target written "tăng …"."""
        return self.kind is IndicatorKind.GROWTH or bool(self.target and self.target.growth)

    def target_label(self, with_unit: bool = True) -> str:
        """The target in canonical words: 'tăng trên 13%', '600 lao động trở lên', 'khoảng 83,1%'.

        Growth targets are always in % whatever the row's unit; ``with_unit=False``
        leaves other units out, for a table that has its own ĐVT column.
        """
        if self.target is None:
            return ""
        growth = self.judged_on_growth
        if self.target.kind is TargetKind.ZERO and not growth:
            # a stock is "không còn" (hộ nghèo), a flow "không phát sinh" (hộ tái nghèo)
            return "không phát sinh" if self.kind is IndicatorKind.CUMULATIVE else "không còn"
        unit = "%" if growth else (self.unit if with_unit else "")
        text = self.target.describe(unit)
        if growth and not text.startswith(("tăng", "giảm")):
            text = "tăng " + text
        return text


@dataclass(frozen=True)
class Project:
    """One row of sheet Công trình (key projects)."""

    code: str
    name: str
    total_investment: Decimal | None = None
    """Tổng mức đầu tư, in tỷ đồng."""
    planned_completion: str = ""
    """Kế hoạch hoàn thành, as written ("Quý IV/2023")."""
    progress: Decimal | None = None
    """Tiến độ (%): physical progress, 0–100."""
    disbursed: Decimal | None = None
    """Giải ngân, in tỷ đồng."""
    status_text: str = ""
    """Tình hình: the staff's own sentence on the project."""
    row: int = 0


@dataclass(frozen=True)
class Remark:
    """One row of sheet Nhận định: a paragraph written by staff."""

    section: Section
    text: str
    row: int = 0
    owner: str = ""
    """Đơn vị chủ trì: the office in charge of a task ("Phòng Tài chính - Kế hoạch"), if given."""
    carried: bool = False
    """Chép từ kỳ trước: copied by ``reportgen new`` from the last period and not yet revised."""


@dataclass(frozen=True)
class ReportInfo:
    """Sheet Thông tin: the report's own identity; blanks fall back to reportgen.toml."""

    period: Period
    doc_number: str | None = None
    """Số văn bản, e.g. '125' (the symbol 'BC-UBND' comes from the configuration)."""
    issue_date: date | None = None
    """Ngày ban hành."""
    signer: str | None = None
    signer_title: str | None = None
    sample: bool = False
    """The workbook declares itself sample data ("Dữ liệu mẫu")."""


@dataclass(frozen=True)
class ReportInput:
    """Everything one workbook says: one workbook = one report."""

    info: ReportInfo
    indicators: tuple[Indicator, ...]
    projects: tuple[Project, ...] = ()
    remarks: tuple[Remark, ...] = ()
    source: str = ""
    """Path of the workbook it was read from."""
    sha256: str = ""
    """Checksum of the workbook file."""
    extra: dict[str, str] = field(default_factory=dict)
    """Other Thông tin rows, by their label, for templates that want them."""

    @property
    def period(self) -> Period:
        return self.info.period

    def fields(self) -> list[str]:
        """Lĩnh vực in order of first appearance."""
        seen: dict[str, None] = {}
        for indicator in self.indicators:
            seen.setdefault(indicator.field, None)
        return list(seen)
