"""The assessment said in one line, and the settings it is made with.

"Tổng hợp: 1/13 chỉ tiêu có kế hoạch đã đạt và vượt (…)" ends ``reportgen check`` and ``generate``, sums a
report up in its mail and in a run's receipt; the options come from reportgen.toml [report].
"""

from __future__ import annotations

from reportgen.domain.assess import AssessmentResult, ElapsedRule, Options, Status
from reportgen.settings.config import Config


def assessment_options(config: Config) -> Options:
    """Assessment settings from reportgen.toml [report]."""
    report = config.report
    return Options(
        elapsed=ElapsedRule(report.elapsed),
        cutoff_day=report.cutoff_day,
        ceiling_exceed_ratio=report.ceiling_exceed_ratio,
    )


def summary_line(result: AssessmentResult) -> str:
    summary = result.summary
    parts = [f"{summary.count(s)} {s.value.lower()}" for s in Status if s is not Status.NO_TARGET and summary.count(s)]
    line = f"Tổng hợp: {summary.on_plan}/{summary.total} chỉ tiêu có kế hoạch đã đạt và vượt"
    if parts:
        line += " (" + ", ".join(parts) + ")"
    if summary.count(Status.NO_TARGET):
        line += f"; {summary.count(Status.NO_TARGET)} chỉ tiêu không có kế hoạch, chỉ so với cùng kỳ"
    return line + "."
