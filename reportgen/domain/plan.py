"""The year's plan and the content of a new input workbook.

``reportgen new PERIOD`` fills a workbook with the plan (codes, names, units,
targets, key projects) taken from the newest earlier workbook in inputs/, or
from the built-in default plan (data/default_plan.toml: Bình Liêu 2023, from
the seed article).  The bundled example (data/example_2023-06.toml) is the
default plan plus sample June 2023 figures.  This module decides *what* goes in
the workbook; :mod:`reportgen.workbook.write.input_workbook` decides how it looks.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from decimal import Decimal
from importlib import resources
from typing import Any

from reportgen.core.periods import Period, PeriodKind
from reportgen.core.vnformat import parse_vn_number
from reportgen.domain.report_input import DEFAULT_FIELDS, IndicatorKind, Remark, ReportInput


@dataclass(frozen=True)
class PlanIndicator:
    code: str
    field: str
    name: str
    unit: str
    kind: IndicatorKind
    target_text: str
    """Kế hoạch năm as written; '' when the plan sets no target."""
    baseline: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class PlanProject:
    code: str
    name: str
    total_investment: Decimal | None = None
    planned_completion: str = ""


@dataclass(frozen=True)
class Plan:
    year: int
    indicators: tuple[PlanIndicator, ...]
    projects: tuple[PlanProject, ...] = ()
    source: str = ""
    """Where the plan came from: 'default' or the workbook path."""

    @property
    def fields(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for ind in self.indicators:
            seen.setdefault(ind.field, None)
        return tuple(seen)


@dataclass(frozen=True)
class BookContent:
    """Everything a new input workbook holds, by schema column key."""

    period: Period
    info: dict[str, Any]
    """InfoKey.key → value ('period' is the Vietnamese label, e.g. 'Tháng 7/2023')."""
    indicators: tuple[dict[str, Any], ...]
    """One dict per row, keyed by INDICATOR_COLUMNS keys; numbers are Decimal, 'estimated' a bool."""
    projects: tuple[dict[str, Any], ...] = ()
    remarks: tuple[dict[str, Any], ...] = ()
    fields: tuple[str, ...] = ()
    """Values offered in the Lĩnh vực drop-down."""
    plan_source: str = ""
    sample: bool = False
    offices: tuple[str, ...] = ()
    """Values offered in the Đơn vị chủ trì drop-down (default: :data:`DEFAULT_OFFICES`)."""


DEFAULT_OFFICES = (
    "Văn phòng HĐND và UBND",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Kinh tế và Hạ tầng",
    "Phòng Nông nghiệp và Phát triển nông thôn",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Y tế",
    "Phòng Văn hóa và Thông tin",
    "Phòng Nội vụ",
    "Phòng Tư pháp",
    "Thanh tra",
    "Phòng Dân tộc",
    "Ban Quản lý dự án đầu tư xây dựng",
    "Công an",
    "Ban Chỉ huy Quân sự",
    "Chi cục Thuế khu vực",
    "Ủy ban nhân dân các xã, thị trấn",
)
"""The offices of a district People's Committee (Decree 37/2014, amended by Decree 108/2020) that a task
is usually given to: a suggestion list; any other name may be typed."""


def _data(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("reportgen").joinpath("data", name).read_text(encoding="utf-8"))


def _num(text: Any) -> Decimal | None:
    if text is None or text == "":
        return None
    parsed = parse_vn_number(str(text))
    if parsed is None:  # pragma: no cover - bundled data is checked by tests
        raise ValueError(f"bad number in bundled data: {text!r}")
    return parsed[0]


def default_plan() -> Plan:
    """The built-in plan: Bình Liêu 2023, every target the seed article states."""
    data = _data("default_plan.toml")
    indicators = tuple(
        PlanIndicator(
            code=row["code"],
            field=row["field"],
            name=row["name"],
            unit=row["unit"],
            kind=IndicatorKind(row["kind"]),
            target_text=row.get("target", ""),
        )
        for row in data["indicators"]
    )
    projects = tuple(PlanProject(code=p["code"], name=p["name"]) for p in data.get("projects", []))
    return Plan(int(data["year"]), indicators, projects, source="default")


def plan_from_report(report: ReportInput) -> Plan:
    """The plan columns of an earlier workbook (names, units, targets, baselines, projects)."""
    indicators = tuple(
        PlanIndicator(
            code=i.code,
            field=i.field,
            name=i.name,
            unit=i.unit,
            kind=i.kind,
            target_text=i.target.text if i.target else "",
            baseline=i.baseline,
        )
        for i in report.indicators
    )
    projects = tuple(PlanProject(p.code, p.name, p.total_investment, p.planned_completion) for p in report.projects)
    return Plan(report.period.year, indicators, projects, source=report.source)


def period_label(period: Period) -> str:
    """The Kỳ báo cáo cell: 'Tháng 7/2023', 'Quý II/2023', '6 tháng đầu năm 2023', 'Năm 2023'."""
    text = f"tháng {period.index}/{period.year}" if period.kind is PeriodKind.MONTH else period.label_with_year
    return text[0].upper() + text[1:]


def book_for_period(
    period: Period, plan: Plan, same_period: ReportInput | None = None, last_period: ReportInput | None = None
) -> BookContent:
    """A blank workbook for ``period``: the plan filled, input columns empty.

    ``same_period`` is last year's workbook for the same period, if inputs/ has
    one: its figures become this year's "Cùng kỳ năm trước".  ``last_period`` is
    the newest earlier workbook: its staff paragraphs are carried forward as a
    starting point, each marked "Chép từ kỳ trước" until staff revise it.
    """
    previous = {i.code: i for i in same_period.indicators} if same_period else {}
    carry_baseline = plan.year == period.year
    rows = []
    for ind in plan.indicators:
        old = previous.get(ind.code)
        rows.append(
            {
                "code": ind.code,
                "field": ind.field,
                "name": ind.name,
                "unit": ind.unit,
                "kind": ind.kind.value,
                "target": ind.target_text,
                "baseline": ind.baseline if carry_baseline else None,
                "same_period": old.value if old else None,
                "note": ind.note,
            }
        )
    projects = tuple(
        {
            "code": p.code,
            "name": p.name,
            "total_investment": p.total_investment,
            "planned_completion": p.planned_completion,
        }
        for p in plan.projects
    )
    info = {"period": period_label(period)}
    paragraphs = _paragraph_rows(last_period) if last_period else []
    remarks = tuple({"section": r.section.value, "text": r.text, "owner": r.owner, "carried": True} for r in paragraphs)
    offices = tuple(dict.fromkeys((*DEFAULT_OFFICES, *(r.owner for r in paragraphs if r.owner))))
    return BookContent(period, info, tuple(rows), projects, remarks, _fields(plan), plan.source, offices=offices)


def _paragraph_rows(report: ReportInput) -> list[Remark]:
    """The staff paragraphs of a workbook as its rows held them: a cell's lines were read as one paragraph
    each, and go back into one cell."""
    rows: list[Remark] = []
    for remark in report.remarks:
        last = rows[-1] if rows else None
        if last is not None and remark.row and last.row == remark.row:
            rows[-1] = replace(last, text=f"{last.text}\n{remark.text}")
        else:
            rows.append(remark)
    return rows


def example_book() -> BookContent:
    """The bundled example: default plan plus sample June 2023 figures (marked as sample data)."""
    plan = default_plan()
    data = _data("example_2023-06.toml")
    period = Period.parse(data["period"])
    base = book_for_period(period, plan)
    values = data.get("values", {})
    rows = []
    for row in base.indicators:
        given = values.get(row["code"], {})
        merged = dict(row)
        for key in ("baseline", "month_value", "value", "same_period", "growth"):
            if key in given:
                merged[key] = _num(given[key])
        if "target" in given:  # a sample target the published plan lacks (the budget's dự toán)
            merged["target"] = given["target"]
        merged["estimated"] = bool(given.get("estimated", False))
        if "note" in given:
            merged["note"] = given["note"]
        rows.append(merged)
    project_values = data.get("projects", {})
    projects = []
    for proj in base.projects:
        given = project_values.get(proj["code"], {})
        projects.append(
            {
                **proj,
                "total_investment": _num(given.get("total_investment")),
                "planned_completion": given.get("planned_completion", ""),
                "progress": _num(given.get("progress")),
                "disbursed": _num(given.get("disbursed")),
                "status_text": given.get("status_text", ""),
            }
        )
    remarks = tuple(
        {"section": r["section"], "text": r["text"], "owner": r.get("owner", ""), "carried": False}
        for r in data.get("remarks", [])
    )
    offices = tuple(dict.fromkeys((*DEFAULT_OFFICES, *(r["owner"] for r in remarks if r["owner"]))))
    info = {"period": data.get("period_label", period_label(period)), "sample": True}
    return BookContent(
        period,
        info,
        tuple(rows),
        tuple(projects),
        remarks,
        base.fields,
        plan_source="default",
        sample=True,
        offices=offices,
    )


def _fields(plan: Plan) -> tuple[str, ...]:
    extra = tuple(f for f in plan.fields if f not in DEFAULT_FIELDS)
    return DEFAULT_FIELDS + extra
