"""Every unit's status per indicator, as data: what ``reportgen summary PERIOD`` writes as a workbook and a PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reportgen.core.periods import Period
from reportgen.domain.assess import Status

STATUS_CODES = {
    Status.EXCEEDED: "V",
    Status.MET: "Đ",
    Status.ON_TRACK: "ĐTĐ",
    Status.BEHIND: "CTĐ",
    Status.NOT_YET: "CĐ",
    Status.FAILED: "KĐ",
    Status.NO_DATA: "—",
    Status.NO_TARGET: "·",
}
MISSING = "chưa có tệp"
INVALID = "tệp có lỗi"


@dataclass(frozen=True)
class IndicatorHead:
    code: str
    name: str
    unit: str
    target: str


@dataclass(frozen=True)
class UnitLine:
    unit: str
    name: str
    state: str
    """ok | missing | invalid"""
    statuses: dict[str, Status] = field(default_factory=dict)
    values: dict[str, Decimal | None] = field(default_factory=dict)
    plan_ratios: dict[str, Decimal | None] = field(default_factory=dict)
    heads: tuple[IndicatorHead, ...] = ()
    errors: int = 0

    @property
    def on_plan(self) -> int:
        return sum(1 for s in self.statuses.values() if s.on_plan)

    @property
    def with_target(self) -> int:
        return sum(1 for s in self.statuses.values() if s is not Status.NO_TARGET)


@dataclass(frozen=True)
class SummaryTable:
    period: Period
    heads: tuple[IndicatorHead, ...]
    lines: tuple[UnitLine, ...]
