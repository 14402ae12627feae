"""Shared fixtures: the bundled example as a model, independent of the workbook reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.settings.config import load_config
from reportgen.domain.report_input import Indicator, IndicatorKind, Project, Remark, ReportInfo, ReportInput
from reportgen.domain.outline import find_section
from reportgen.domain.plan import example_book
from reportgen.core.targets import parse_target

ROOT = Path(__file__).resolve().parents[1]


def example_report() -> ReportInput:
    """The bundled June 2023 example, straight from its data file (no Excel involved)."""
    book = example_book()
    indicators = tuple(
        Indicator(
            code=r["code"], field=r["field"], name=r["name"], unit=r["unit"], kind=IndicatorKind(r["kind"]),
            target=parse_target(r["target"]) if r["target"] else None, baseline=r.get("baseline"),
            month_value=r.get("month_value"), value=r.get("value"), same_period=r.get("same_period"),
            growth=r.get("growth"), estimated=r.get("estimated", False), note=r.get("note", ""), row=n,
        )
        for n, r in enumerate(book.indicators, 4)
    )
    projects = tuple(
        Project(p["code"], p["name"], p.get("total_investment"), p.get("planned_completion", ""),
                p.get("progress"), p.get("disbursed"), p.get("status_text", ""), n)
        for n, p in enumerate(book.projects, 4)
    )
    remarks = tuple(Remark(find_section(r["section"]), r["text"], n, r.get("owner", ""), bool(r.get("carried")))
                    for n, r in enumerate(book.remarks, 4))
    return ReportInput(ReportInfo(book.period, sample=True), indicators, projects, remarks,
                       source="inputs/2023-06.xlsx")


@pytest.fixture
def example():
    return example_report()


@pytest.fixture
def config():
    return load_config(ROOT / "reportgen.toml")
