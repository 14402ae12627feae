"""What the charts show, as data (:class:`Chart`); drawing is :mod:`reportgen.charts`' job.

- "plan": each indicator whose progress is measured against the time elapsed
  (flows and reductions: :attr:`Assessment.progress`, the share of the annual plan
  achieved), coloured by status, with a reference line at the share of the year
  elapsed.  Growth rates, rates and levels are not on it: a growth ratio is never
  "% kế hoạch năm", and a level has no pace (vn-conventions §3.6);
- "projects": physical progress of each key project.
"""

from __future__ import annotations

from ..assess import AssessmentResult, Status
from ..model import ReportInput
from .model import Chart

CHART_SIZES_MM = {"plan": (240.0, 92.0), "projects": (240.0, 46.0)}
"""Width × height (mm) at which the document places each kind of chart; the renderer draws the
image at exactly this size, so it is never stretched.  Both fit one landscape page with captions."""

CHART_STATUSES = (Status.EXCEEDED, Status.MET, Status.ON_TRACK, Status.BEHIND, Status.NOT_YET, Status.FAILED)


def plan_chart(result: AssessmentResult, axis_label: str, reference_label: str) -> Chart:
    labels, values, categories = [], [], []
    for item in result.paced:
        ind = item.indicator
        labels.append(f"{ind.code} {ind.name}")
        values.append(float(round(item.progress, 2)))
        categories.append(item.status.value)
    return Chart("plan", "", tuple(labels), tuple(values), tuple(categories),
                 reference=float(result.elapsed_ratio), reference_label=reference_label, axis_label=axis_label)


def project_chart(report: ReportInput, axis_label: str) -> Chart:
    projects = [p for p in report.projects if p.progress is not None]
    return Chart("projects", "", tuple(f"{p.code} {p.name}" for p in projects),
                 tuple(float(p.progress) for p in projects), tuple("" for _ in projects),
                 axis_label=axis_label)
