"""Assessment of every indicator against the plan and the same period (DESIGN.md §5).

Pure functions over :mod:`reportgen.model`: no I/O, exact decimal arithmetic;
ratios are kept exact and rounded half up only where compared or printed.

Status rules:

- no figure → CHƯA CÓ SỐ LIỆU; no target → KHÔNG CÓ KẾ HOẠCH (compared with the same period only);
- the target's condition holds → VƯỢT / ĐẠT KẾ HOẠCH (for Lũy kế rows: the year to
  date already meets the annual target);
- otherwise, for Lũy kế rows before year end: year to date against the share of
  the year elapsed → ĐÚNG / CHẬM TIẾN ĐỘ;
- otherwise CHƯA ĐẠT before year end, KHÔNG ĐẠT in a report whose figures cover the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from .model import Indicator, IndicatorKind, ReportInput
from .periods import Period
from .targets import DEFAULT_CEILING_EXCEED_RATIO, Direction, Target, TargetKind, grade
from .vnformat import round_half_up

HUNDRED = Decimal(100)


class Status(Enum):
    EXCEEDED = "Vượt kế hoạch"
    MET = "Đạt kế hoạch"
    ON_TRACK = "Đúng tiến độ"
    BEHIND = "Chậm tiến độ"
    NOT_YET = "Chưa đạt"
    FAILED = "Không đạt"
    NO_DATA = "Chưa có số liệu"
    NO_TARGET = "Không có kế hoạch"

    @property
    def on_plan(self) -> bool:
        return self in (Status.EXCEEDED, Status.MET)

    @property
    def lagging(self) -> bool:
        """Behind schedule or not met: named again under shortcomings and tasks."""
        return self in (Status.BEHIND, Status.NOT_YET, Status.FAILED)


class ElapsedRule(Enum):
    """How the share of the year elapsed is measured for Đúng/Chậm tiến độ."""

    MONTHS = "months"
    """Months covered / 12 (the default: June → 50%)."""
    CUTOFF = "cutoff"
    """Days of the Decree 09 year-to-date window / days of the plan year (June → 49,86%)."""


@dataclass(frozen=True)
class Options:
    """Assessment settings (reportgen.toml [report]: elapsed, cutoff_day, ceiling_exceed_ratio)."""

    elapsed: ElapsedRule = ElapsedRule.MONTHS
    cutoff_day: int = 14
    ceiling_exceed_ratio: Decimal = DEFAULT_CEILING_EXCEED_RATIO


@dataclass(frozen=True)
class Assessment:
    """The computed figures and status of one indicator."""

    indicator: Indicator
    status: Status
    plan_ratio: Decimal | None = None
    """Value as % of the annual target (None where undefined: growth, zero, ceiling, reduction)."""
    same_period_ratio: Decimal | None = None
    """Value as % of the same period last year ("bằng 102,27% so với cùng kỳ")."""
    growth: Decimal | None = None
    """Growth on the same period in % (computed from values, else as entered)."""
    growth_entered: bool = False
    """True when ``growth`` is the figure typed in "Tốc độ tăng (%)" rather than computed."""
    point_diff: Decimal | None = None
    """For rate (%) and growth targets: actual minus target, in percentage points."""
    reduction: Decimal | None = None
    """For "giảm X" targets: start-of-year level minus the current level."""
    expected_ratio: Decimal | None = None
    """For Lũy kế rows mid-year: the % of the target the elapsed time calls for."""

    @property
    def same_period_change(self) -> Decimal | None:
        """Change on the same period in % ("tăng 2,27%" is +2.27)."""
        return None if self.same_period_ratio is None else self.same_period_ratio - HUNDRED

    @property
    def compares_growth(self) -> bool:
        return self.indicator.judged_on_growth


@dataclass(frozen=True)
class Summary:
    """Counts by status, for "9/12 chỉ tiêu đạt và vượt kế hoạch"."""

    counts: tuple[tuple[Status, int], ...]
    total: int
    """Indicators with a target (the denominator of the summary)."""

    def count(self, status: Status) -> int:
        return dict(self.counts).get(status, 0)

    @property
    def on_plan(self) -> int:
        return self.count(Status.EXCEEDED) + self.count(Status.MET)


@dataclass(frozen=True)
class AssessmentResult:
    period: Period
    elapsed_ratio: Decimal
    """Share of the plan year elapsed, in % (50 for June)."""
    items: tuple[Assessment, ...]
    summary: Summary

    def by_code(self, code: str) -> Assessment:
        for item in self.items:
            if item.indicator.code == code:
                return item
        raise KeyError(code)


def elapsed_ratio(period: Period, options: Options = Options()) -> Decimal:
    """Share of the plan year elapsed at the end of ``period``, in %."""
    if options.elapsed is ElapsedRule.CUTOFF:
        start, end = period.ytd_window(options.cutoff_day)
        year_start, year_end = Period.parse(str(period.year)).ytd_window(options.cutoff_day)
        return Decimal((end - start).days + 1) * HUNDRED / Decimal((year_end - year_start).days + 1)
    return Decimal(period.months_elapsed) * HUNDRED / Decimal(12)


def assess(report: ReportInput, options: Options = Options()) -> AssessmentResult:
    """Assess every indicator of ``report``."""
    elapsed = elapsed_ratio(report.period, options)
    items = tuple(assess_indicator(i, report.period, elapsed, options) for i in report.indicators)
    return AssessmentResult(report.period, elapsed, items, summarise(items))


def summarise(items: tuple[Assessment, ...] | list[Assessment]) -> Summary:
    counts: dict[Status, int] = {}
    for item in items:
        counts[item.status] = counts.get(item.status, 0) + 1
    total = sum(n for s, n in counts.items() if s is not Status.NO_TARGET)
    ordered = tuple((s, counts[s]) for s in Status if s in counts)
    return Summary(ordered, total)


def assess_indicator(ind: Indicator, period: Period, elapsed: Decimal,
                     options: Options = Options()) -> Assessment:
    """Assess one indicator; ``elapsed`` is the share of the year elapsed in %."""
    target = ind.target
    same_ratio = _ratio(ind.value, ind.same_period)
    growth, entered = _growth(ind, same_ratio)
    compares_growth = ind.judged_on_growth
    measured = growth if compares_growth else ind.value
    base = dict(indicator=ind, same_period_ratio=same_ratio, growth=growth, growth_entered=entered)

    if measured is None or (target and target.kind is TargetKind.REDUCTION and ind.baseline is None):
        return Assessment(status=Status.NO_DATA, **base)
    if target is None:
        return Assessment(status=Status.NO_TARGET, **base)

    plan_ratio = _ratio(ind.value, target.value) if target.has_ratio and not compares_growth else None
    point_diff = _point_diff(ind, target, measured, compares_growth)
    reduction = ind.baseline - measured if target.kind is TargetKind.REDUCTION and ind.baseline is not None else None
    figures = dict(plan_ratio=plan_ratio, point_diff=point_diff, reduction=reduction, **base)

    result = grade(target, measured, ind.baseline, options.ceiling_exceed_ratio)
    if result.exceeded:
        return Assessment(status=Status.EXCEEDED, **figures)
    if result.met:
        return Assessment(status=Status.MET, **figures)
    if period.is_year_end:
        return Assessment(status=Status.FAILED, **figures)
    if ind.kind is IndicatorKind.CUMULATIVE and not compares_growth:
        return _progress(target, measured, elapsed, figures)
    return Assessment(status=Status.NOT_YET, **figures)


def _progress(target: Target, ytd: Decimal, elapsed: Decimal, figures: dict) -> Assessment:
    """Mid-year Lũy kế row not yet at its annual target: is it keeping pace with the calendar?"""
    if target.kind is TargetKind.ZERO:
        return Assessment(status=Status.NOT_YET, **figures)
    allowed = round_half_up(target.value * elapsed / HUNDRED)
    done = round_half_up(ytd)
    if target.direction is Direction.HIGHER:
        on_track = done >= allowed
    else:  # a ceiling on a flow (accidents "dưới 50"): the year to date must stay within its share
        on_track = done <= allowed
    status = Status.ON_TRACK if on_track else Status.BEHIND
    return Assessment(status=status, expected_ratio=elapsed, **figures)


def _ratio(value: Decimal | None, base: Decimal | None) -> Decimal | None:
    if value is None or base is None or base == 0:
        return None
    return value * HUNDRED / base


def _growth(ind: Indicator, same_ratio: Decimal | None) -> tuple[Decimal | None, bool]:
    if same_ratio is not None:
        return same_ratio - HUNDRED, False
    if ind.growth is not None:
        return ind.growth, True
    return None, False


def _point_diff(ind: Indicator, target: Target, measured: Decimal, compares_growth: bool) -> Decimal | None:
    """Percentage points between a rate and its target: "thấp hơn 0,8 điểm phần trăm"."""
    if target.kind in (TargetKind.ZERO, TargetKind.REDUCTION):
        return None
    if compares_growth or ind.unit.strip() == "%":
        return measured - target.value
    return None
