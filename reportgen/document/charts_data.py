"""What the charts show, as data (:class:`Chart`); the writers draw them (:mod:`reportgen.charts.compose`).

One chart per measure, so that the bars side by side are comparable, and
every indicator judged against a target is on exactly one of them:

- "plan": the share of the annual plan achieved, in % — flows and levels (value / target), reductions
  (the reduction since the start of the year / the annual reduction, like a flow), ceilings (the share of
  the cap used) — with a dashed line at the share of the year elapsed;
- "points": the difference from the annual target in percentage points — growth targets (growth on the
  same period against the target rate: a trend mid-year, never a "% of plan") and rate targets (a rate
  against its target rate);
- "levels": indicators whose target is zero ("không còn hộ nghèo"), as counts beside the same period's
  count, one chart per unit of measure;
- "projects": physical progress of each key project.

Labels are the indicators' names, never their codes; bars keep the table's order.  Words (axis titles,
legend names) come from the templates, through :class:`ChartWords`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from reportgen.core.targets import TargetKind
from reportgen.core.vnformat import round_half_up
from reportgen.document.model import Chart
from reportgen.domain.assess import Assessment, AssessmentResult, Status
from reportgen.domain.report_input import ReportInput

CHART_WIDTH_MM = 240.0
"""Every chart is this wide: it fits the landscape appendix page, and its label column lines up with the
next chart's."""
BAR_PITCH_MM = 8.0
"""Height per bar: a chart's height follows its number of bars, so that no chart is squeezed or stretched."""
FRAME_MM = {"plan": 24.0, "points": 22.0, "levels": 24.0, "projects": 16.0}
"""Height besides the bars: legend rows, the axis with its numbers and title."""
HEIGHT_MM = (36.0, 150.0)
"""Least and greatest height of a chart; past the greatest, labels get smaller (chart_layout)."""

JUDGED = (Status.EXCEEDED, Status.MET, Status.ON_TRACK, Status.BEHIND, Status.NOT_YET, Status.FAILED)
"""The statuses of an indicator judged against its target: each is drawn on one chart."""
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ChartWords:
    """The charts' words, from khung.j2 (staff can reword them)."""

    plan_axis: str
    """"% kế hoạch năm"."""
    elapsed: str
    """"Thời gian đã qua: 50%": the dashed line's legend entry."""
    points_axis: str
    """"Chênh lệch so với mục tiêu năm (điểm phần trăm)"."""
    levels_axis: Callable[[str], str]
    """The axis title of a count in this unit ("Số hộ")."""
    same_period: str
    """"Cùng kỳ năm trước": the light bars behind the counts."""
    growth_label: Callable[[str], str]
    """A growth indicator's label on the points chart ("Giá trị sản xuất (tốc độ tăng)")."""
    projects_axis: str


def chart_size_mm(chart: Chart) -> tuple[float, float]:
    """Width and height (mm) at which ``chart`` is drawn and placed: the height follows the bars."""
    if chart.kind not in FRAME_MM:
        raise ValueError(f"unknown chart kind {chart.kind!r}; expected one of {sorted(FRAME_MM)}")
    low, high = HEIGHT_MM
    return CHART_WIDTH_MM, min(max(FRAME_MM[chart.kind] + BAR_PITCH_MM * len(chart.labels), low), high)


def measure_of(item: Assessment) -> tuple[str, Decimal] | None:
    """(chart kind, bar value) of a judged indicator; None for one that is not judged (no target, no data)."""
    target = item.indicator.target
    if item.status not in JUDGED or target is None:
        return None
    value = item.indicator.value
    if target.kind is TargetKind.ZERO and not item.compares_growth:
        return ("levels", value) if value is not None else None
    if target.kind is TargetKind.REDUCTION:
        return (
            ("plan", item.reduction * HUNDRED / target.value) if item.reduction is not None and target.value else None
        )
    if item.compares_growth or item.indicator.unit.strip() == "%":
        return ("points", item.point_diff) if item.point_diff is not None else None
    if item.plan_ratio is not None:
        return "plan", item.plan_ratio
    if target.kind is TargetKind.CEILING and value is not None and target.value:
        return "plan", value * HUNDRED / target.value
    return None


def indicator_charts(result: AssessmentResult, words: ChartWords) -> list[Chart]:
    """The plan, points and levels charts of the judged indicators, in that order; empty ones left out."""
    bars: dict[str, list[tuple[Assessment, Decimal]]] = {"plan": [], "points": [], "levels": []}
    for item in result.items:
        measure = measure_of(item)
        if measure is not None:
            bars[measure[0]].append((item, measure[1]))
    charts = []
    if bars["plan"]:
        elapsed = float(result.elapsed_ratio)
        charts.append(
            _chart(
                "plan",
                bars["plan"],
                words.plan_axis,
                lambda item: item.indicator.name,
                reference=elapsed if elapsed < 100 else None,
                reference_label=words.elapsed,
            )
        )
    if bars["points"]:
        charts.append(
            _chart(
                "points",
                bars["points"],
                words.points_axis,
                lambda item: words.growth_label(item.indicator.name) if item.compares_growth else item.indicator.name,
            )
        )
    units: dict[str, list[tuple[Assessment, Decimal]]] = {}
    for item, value in bars["levels"]:
        units.setdefault(item.indicator.unit.strip(), []).append((item, value))
    for unit, items in units.items():
        tracks = tuple(_float(item.indicator.same_period) for item, _ in items)
        has_tracks = any(item.indicator.same_period is not None for item, _ in items)
        charts.append(
            _chart(
                "levels",
                items,
                words.levels_axis(unit),
                lambda item: item.indicator.name,
                tracks=tracks if has_tracks else (),
                track_label=words.same_period if has_tracks else "",
            )
        )
    return charts


def _chart(kind: str, items: list[tuple[Assessment, Decimal]], axis_label: str, label, **extra) -> Chart:
    return Chart(
        kind,
        "",
        tuple(label(item) for item, _ in items),
        tuple(_float(value) for _, value in items),
        tuple(item.status.value for item, _ in items),
        axis_label=axis_label,
        **extra,
    )


def _float(value: Decimal | None) -> float:
    """A bar's length: rounded half up to the two decimals the table prints, 0 for a missing figure."""
    return 0.0 if value is None else float(round_half_up(value, 2))


def project_chart(report: ReportInput, axis_label: str) -> Chart:
    """Physical progress of each key project, on a light track to 100%."""
    progress = [(p.name, float(p.progress)) for p in report.projects if p.progress is not None]
    names = tuple(name for name, _ in progress)
    return Chart(
        "projects",
        "",
        names,
        tuple(value for _, value in progress),
        tuple("" for _ in names),
        axis_label=axis_label,
        tracks=tuple(100.0 for _ in names),
    )
