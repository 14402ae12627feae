"""The figures file: every indicator with every computed value, machine-readable (JSON; XLSX elsewhere).

A report is a document for people; this is the same numbers for a program or
an auditor: what was entered, what reportgen computed from it, and the status
it concluded, so a figure in the report can be traced and re-checked.

``figures_table`` gives one ``dict`` per indicator (``"record": "indicator"``)
followed by one per key project (``"record": "project"``).  Every row of a
record type has the same keys, ``None`` where a figure is missing or undefined.
Numbers are exact :class:`~decimal.Decimal` values as computed (never floats);
the ``*_display`` keys hold the same figure rounded half up as the appendix
table prints it ("99,40", "12,81").

``figures_json`` writes them as one UTF-8 JSON object (NFC, ``ensure_ascii``
off, keys sorted, two-space indent, final newline); Decimals become strings
in plain notation ("12.8054298642533936651583710", never "1E+2") so no
precision is lost.  The same input gives the same bytes::

    {
      "schema": "reportgen-figures/1",
      "period": {"code": "2023-06", "label": "tháng 6 năm 2023", "year": 2023},
      "elapsed_ratio": "50", "elapsed_ratio_display": "50,00",
      "sample": true,
      "source": {"file": "2023-06.xlsx", "sha256": "…"},
      "summary": {"counts": [{"count": 2, "status": "Vượt kế hoạch"}, …], "on_plan": 5, "total": 13},
      "indicators": [{"code": "KT01", "growth": "12.80…", "growth_display": "12,81", "status": "Chưa đạt", …}, …],
      "projects": [{"code": "CT01", "progress": "65", …}, …]
    }

Every key is described in docs/figures.md.
"""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from reportgen.document.table import ratio_text, value_text
from reportgen.domain.assess import Assessment, AssessmentResult
from reportgen.domain.report_input import Project, ReportInput

SCHEMA = "reportgen-figures/1"
INDICATOR = "indicator"
PROJECT = "project"

RATIO_KEYS = (
    "growth",
    "plan_ratio",
    "same_period_ratio",
    "same_period_change",
    "point_diff",
    "same_period_points",
    "progress",
    "expected_ratio",
)
"""Computed figures in % or percentage points: displayed with two fixed decimals, as in the appendix table."""
AMOUNT_KEYS = ("reduction",)
"""Computed figures in the indicator's unit: displayed with up to three decimals."""

Row = dict[str, Any]


def figures_table(report: ReportInput, result: AssessmentResult) -> list[Row]:
    """One row per indicator in report order, then one per key project."""
    return [indicator_row(item) for item in result.items] + [project_row(project) for project in report.projects]


def indicator_row(item: Assessment) -> Row:
    """Everything entered for an indicator, everything computed from it, and its status."""
    ind = item.indicator
    row: Row = {
        "record": INDICATOR,
        "row": ind.row,
        "code": ind.code,
        "field": ind.field,
        "name": ind.name,
        "unit": ind.unit,
        "kind": ind.kind.value,
        **_target_columns(item),
        "baseline": ind.baseline,
        "month_value": ind.month_value,
        "value": ind.value,
        "same_period": ind.same_period,
        "growth": item.growth,
        "growth_entered": item.growth_entered,
        "estimated": ind.estimated,
        "measure": item.measure.value,
        "plan_ratio": item.plan_ratio,
        "progress": item.progress,
        "same_period_ratio": item.same_period_ratio,
        "same_period_change": item.same_period_change,
        "point_diff": item.point_diff,
        "same_period_points": item.same_period_points,
        "reduction": item.reduction,
        "expected_ratio": item.expected_ratio,
        "status": item.status.value,
        "note": ind.note,
    }
    for key in RATIO_KEYS:
        row[f"{key}_display"] = None if row[key] is None else ratio_text(row[key])
    for key in AMOUNT_KEYS:
        row[f"{key}_display"] = None if row[key] is None else value_text(row[key])
    return row


def _target_columns(item: Assessment) -> Row:
    """The annual target as written, in canonical words, and as the assessment read it."""
    ind, target = item.indicator, item.indicator.target
    return {
        "target": (target.text or ind.target_label()) if target else None,
        "target_label": ind.target_label() or None,
        "target_kind": target.kind.value if target else None,
        "target_value": target.value if target else None,
        "target_high": target.high if target else None,
        "direction": target.direction.value if target else None,
        "judged_on_growth": ind.judged_on_growth,
    }


def project_row(project: Project) -> Row:
    return {
        "record": PROJECT,
        "row": project.row,
        "code": project.code,
        "name": project.name,
        "total_investment": project.total_investment,
        "planned_completion": project.planned_completion,
        "progress": project.progress,
        "disbursed": project.disbursed,
        "status_text": project.status_text,
    }


def figures_document(report: ReportInput, result: AssessmentResult, rows: list[Row] | None = None) -> Row:
    """The JSON file's object: the period, the source workbook, the summary, and the rows
    (``rows``: :func:`figures_table`'s, when the caller has them already for the workbook)."""
    rows = figures_table(report, result) if rows is None else rows
    return {
        "schema": SCHEMA,
        "period": {"code": report.period.code, "label": report.period.label_with_year, "year": report.period.year},
        "elapsed_ratio": result.elapsed_ratio,
        "elapsed_ratio_display": ratio_text(result.elapsed_ratio),
        "sample": report.info.sample,
        # The file name only: the folder it was read from differs between machines, the checksum does not.
        "source": {"file": PurePath(report.source).name if report.source else None, "sha256": report.sha256 or None},
        "summary": {
            "counts": [{"status": status.value, "count": count} for status, count in result.summary.counts],
            "on_plan": result.summary.on_plan,
            "total": result.summary.total,
        },
        "indicators": [row for row in rows if row["record"] == INDICATOR],
        "projects": [row for row in rows if row["record"] == PROJECT],
    }


def figures_json(report: ReportInput, result: AssessmentResult, rows: list[Row] | None = None) -> bytes:
    """The figures file as UTF-8 JSON bytes; the same input gives the same bytes (``rows`` as for
    :func:`figures_document`)."""
    text = json.dumps(
        figures_document(report, result, rows), ensure_ascii=False, sort_keys=True, indent=2, default=_json_value
    )
    return unicodedata.normalize("NFC", text + "\n").encode("utf-8")


def decimal_text(value: Decimal) -> str:
    """An exact decimal in plain notation: Decimal('1E+2') → '100', Decimal('-0') → '0'."""
    if value == 0:
        return "0"
    return format(value, "f")


def _json_value(value: object) -> str:
    if isinstance(value, Decimal):
        return decimal_text(value)
    raise TypeError(f"figures: cannot write {type(value).__name__} as JSON")
