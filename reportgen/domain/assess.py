"""Assessment of every indicator against the plan and the same period: the only judgement the report makes.

Pure functions over :mod:`reportgen.domain.report_input`: no I/O, exact decimal arithmetic;
ratios are kept exact and rounded half up only where compared or printed.

One rule per kind of indicator (:class:`Measure`), and everything else — the
counts of section I, the lists of sections II and III, the appendix's
"Đánh giá" column, the charts, the figures file — is derived from the one
:class:`Assessment` of each indicator, so none of them can disagree.

=============  ===========================================  ==============================  ===============
measure        what is compared                             mid-year                        year end
=============  ===========================================  ==============================  ===============
FLOW           year to date against the annual amount       Vượt/Đạt once the annual        Vượt / Đạt /
               ("600 lao động trở lên" on a Lũy kế row)     amount is reached; else Đúng /  Không đạt
                                                            Chậm tiến độ against the share
                                                            of the year elapsed
FLOW_LIMIT     year to date against a ceiling or zero       Đúng tiến độ within the share   Vượt / Đạt /
               ("không để tái nghèo", "dưới 50 vụ")         of the year elapsed, Chậm tiến  Không đạt
                                                            độ above it, Chưa đạt above
                                                            the annual limit
REDUCTION      start-of-year level minus the current level  as FLOW                         as FLOW
               against the annual reduction ("giảm 13")
LEVEL          the current level against the target        Vượt / Đạt when it holds,       Vượt / Đạt /
               ("97,6", "khoảng 83,1", "không còn")         else Chưa đạt                   Không đạt
GROWTH         growth on the same period against the        a trend, never a result: Đúng   Vượt / Đạt /
               target rate ("tăng trên 13%")                tiến độ at or above the rate,   Không đạt
                                                            else Chưa đạt
NONE           no target: compared with the same period only                                Không có kế hoạch
=============  ===========================================  ==============================  ===============

A figure that is missing is "Chưa có số liệu" whatever the measure.  "Không
đạt" is only ever said in a report whose figures cover the whole year.
Differences between rates (a % level against a % target, a growth rate
against its target) are in percentage points, never a ratio of two rates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum

from reportgen.core.periods import Period
from reportgen.core.targets import DEFAULT_CEILING_EXCEED_RATIO, Target, TargetKind, grade, growth_target
from reportgen.core.vnformat import round_half_up
from reportgen.domain.report_input import Indicator, IndicatorKind, ReportInput

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

    @property
    def judged(self) -> bool:
        """The indicator has a target and a figure, so a judgement was made."""
        return self not in (Status.NO_DATA, Status.NO_TARGET)


class Measure(Enum):
    """What an indicator is judged on: one rule per kind (module docstring)."""

    FLOW = "flow"
    FLOW_LIMIT = "flow_limit"
    REDUCTION = "reduction"
    LEVEL = "level"
    GROWTH = "growth"
    NONE = "none"

    @property
    def paced(self) -> bool:
        """Judged mid-year against the share of the year elapsed (its progress goes on a chart with
        the elapsed-time line)."""
        return self in (Measure.FLOW, Measure.REDUCTION)


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
    measure: Measure = Measure.NONE
    plan_ratio: Decimal | None = None
    """The "% KH năm" figure: a flow's year to date, a reduction achieved, or a level (not a rate) as
    % of its annual target.  None where it means nothing: growth, rates, ceilings, zero targets."""
    same_period_ratio: Decimal | None = None
    """Value as % of the same period last year ("bằng 102,27% so với cùng kỳ"); None for rates and
    where either figure is not positive."""
    growth: Decimal | None = None
    """Growth on the same period in % (computed from values, else as entered)."""
    growth_entered: bool = False
    """True when ``growth`` is the figure typed in "Tốc độ tăng (%)" rather than computed."""
    point_diff: Decimal | None = None
    """For rates (%) and growth: actual minus target, in percentage points."""
    same_period_points: Decimal | None = None
    """For rates (%): value minus the same period, in percentage points."""
    reduction: Decimal | None = None
    """For "giảm X" targets: start-of-year level minus the current level."""
    expected_ratio: Decimal | None = None
    """For paced measures mid-year: the % of the annual plan the elapsed time calls for."""

    @property
    def same_period_change(self) -> Decimal | None:
        """Change on the same period in % ("tăng 2,27%" is +2.27)."""
        return None if self.same_period_ratio is None else self.same_period_ratio - HUNDRED

    @property
    def compares_growth(self) -> bool:
        return self.measure is Measure.GROWTH or self.indicator.judged_on_growth

    @property
    def in_points(self) -> bool:
        """Differences of this indicator are stated in percentage points (a rate, or a growth rate)."""
        return self.indicator.is_rate or self.compares_growth

    @property
    def progress(self) -> Decimal | None:
        """Share of the annual plan achieved, for paced measures (a chart against elapsed time)."""
        return self.plan_ratio if self.measure.paced else None

    @property
    def lagging(self) -> bool:
        return self.status.lagging


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

    @property
    def lagging(self) -> tuple[Assessment, ...]:
        """Behind schedule or not met, in report order: section II's list and section III's tasks."""
        return tuple(item for item in self.items if item.status.lagging)

    @property
    def paced(self) -> tuple[Assessment, ...]:
        """Judged indicators whose progress is measured against the elapsed share of the year."""
        return tuple(item for item in self.items if item.status.judged and item.progress is not None)


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


def measure_of(ind: Indicator) -> Measure:
    """The kind of judgement an indicator gets, from its Loại and its target."""
    target = ind.target
    if target is None:
        return Measure.NONE
    if ind.judged_on_growth:
        return Measure.GROWTH
    if target.kind is TargetKind.REDUCTION:
        return Measure.REDUCTION
    if ind.kind is IndicatorKind.CUMULATIVE:
        return Measure.FLOW_LIMIT if target.kind in (TargetKind.CEILING, TargetKind.ZERO) else Measure.FLOW
    return Measure.LEVEL


def assess_indicator(ind: Indicator, period: Period, elapsed: Decimal, options: Options = Options()) -> Assessment:
    """Assess one indicator; ``elapsed`` is the share of the year elapsed in %."""
    measure = measure_of(ind)
    same_ratio = None if ind.is_rate else _ratio(ind.value, ind.same_period)
    growth, entered = _growth(ind)
    same_points = (
        (ind.value - ind.same_period) if ind.is_rate and ind.value is not None and ind.same_period is not None else None
    )
    target = ind.target
    measured = growth if measure is Measure.GROWTH else ind.value
    # The figures every outcome shares; each return below sets the status (and what it adds).
    base = Assessment(
        ind,
        Status.NO_DATA,
        measure=measure,
        same_period_ratio=same_ratio,
        growth=growth,
        growth_entered=entered,
        same_period_points=same_points,
    )

    if target is None:
        return replace(base, status=Status.NO_DATA if ind.value is None and growth is None else Status.NO_TARGET)
    if measured is None or (measure is Measure.REDUCTION and ind.baseline is None):
        return base

    rule = growth_target(target) if measure is Measure.GROWTH else target
    reduction = ind.baseline - measured if measure is Measure.REDUCTION and ind.baseline is not None else None
    figures = replace(
        base,
        plan_ratio=_plan_ratio(ind, measure, target, reduction),
        point_diff=_point_diff(ind, measure, rule, measured),
        reduction=reduction,
    )
    result = grade(rule, measured, ind.baseline, options.ceiling_exceed_ratio)
    year_end = period.is_year_end

    if year_end or measure in (Measure.FLOW, Measure.REDUCTION, Measure.LEVEL):
        if result.exceeded:
            return replace(figures, status=Status.EXCEEDED)
        if result.met:
            return replace(figures, status=Status.MET)
        if year_end:
            return replace(figures, status=Status.FAILED)
    if measure is Measure.GROWTH:  # mid-year a growth rate is a trend, not a result
        return replace(figures, status=Status.ON_TRACK if result.met else Status.NOT_YET)
    if measure is Measure.LEVEL:
        return replace(figures, status=Status.NOT_YET)
    if measure is Measure.FLOW_LIMIT:
        return _within_limit(rule, measured, result.met, elapsed, figures)
    done = measured if reduction is None else reduction  # a reduction is set exactly for Measure.REDUCTION
    return _pace(target.value, done, elapsed, figures)


def _pace(annual: Decimal, done: Decimal, elapsed: Decimal, figures: Assessment) -> Assessment:
    """A flow (or a reduction) short of its annual amount mid-year: is it keeping pace with the calendar?"""
    allowed = round_half_up(annual * elapsed / HUNDRED)
    status = Status.ON_TRACK if round_half_up(done) >= allowed else Status.BEHIND
    return replace(figures, status=status, expected_ratio=elapsed)


def _within_limit(target: Target, ytd: Decimal, met: bool, elapsed: Decimal, figures: Assessment) -> Assessment:
    """A flow with a ceiling or none allowed, mid-year: within the year's share of the limit so far?"""
    if not met:
        return replace(figures, status=Status.NOT_YET)  # past the annual limit already
    if target.kind is TargetKind.ZERO:
        return replace(figures, status=Status.ON_TRACK)
    allowed = round_half_up(target.value * elapsed / HUNDRED)
    status = Status.ON_TRACK if round_half_up(ytd) <= allowed else Status.BEHIND
    return replace(figures, status=status, expected_ratio=elapsed)


def _ratio(value: Decimal | None, base: Decimal | None) -> Decimal | None:
    """value as % of base; undefined (None) for a base that is not positive or a negative value."""
    if value is None or base is None or base <= 0 or value < 0:
        return None
    return value * HUNDRED / base


def _plan_ratio(ind: Indicator, measure: Measure, target: Target, reduction: Decimal | None) -> Decimal | None:
    if measure is Measure.REDUCTION:
        return None if reduction is None or reduction < 0 else _ratio(reduction, target.value)
    if measure is Measure.FLOW or (measure is Measure.LEVEL and not ind.is_rate):
        return _ratio(ind.value, target.value) if target.has_ratio else None
    return None


def _growth(ind: Indicator) -> tuple[Decimal | None, bool]:
    if ind.value is not None and ind.same_period is not None and ind.same_period > 0 and ind.value >= 0:
        return ind.value * HUNDRED / ind.same_period - HUNDRED, False
    if ind.growth is not None:
        return ind.growth, True
    return None, False


def _point_diff(ind: Indicator, measure: Measure, target: Target, measured: Decimal) -> Decimal | None:
    """Percentage points between a rate and its target: "thấp hơn 0,8 điểm phần trăm"."""
    if target.kind in (TargetKind.ZERO, TargetKind.REDUCTION):
        return None
    if not (measure is Measure.GROWTH or (measure is Measure.LEVEL and ind.is_rate)):
        return None
    if target.kind is TargetKind.RANGE and target.high is not None:
        if measured > target.high:
            return measured - target.high
        return min(measured - target.value, Decimal(0))  # within the range: no gap to state
    return measured - target.value
