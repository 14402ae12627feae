"""What ``reportgen new`` writes passes ``reportgen check`` once staff type the figures, typing only in
the cells left open to them (issue 12, item 10).

Every cell a ``check`` error points at in a fresh workbook must be unlocked: a cell staff must fill but
cannot type in (a grey, locked cell of a protected sheet) is a workbook no office can hand in.  The
month is played as staff play it: the workbook made by ``new``, each empty unlocked figure typed, saved,
checked; for the built-in plan, for January from last December's workbook, and for a unit of a folder
that reports for several.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from reportgen.report.init_folder import init_folder
from reportgen.report.new_workbook import create_workbook
from reportgen.core.periods import Period
from reportgen.workbook import schema
from reportgen.workbook.read.reader import read_settings, read_workbook
from reportgen.workbook.write.input_styles import INPUT_FILL_COLOR
from reportgen.workbook.write.input_workbook import FIRST_DATA_ROW, HEADER_ROW
from reportgen.settings.workspace import Workspace

FIGURES = {"Lũy kế": 120, "Cùng kỳ năm trước": 100, "Đầu năm": 150}
RATES = {"Lũy kế": 52.5, "Cùng kỳ năm trước": 50, "Đầu năm": 60}
"""What staff type into each empty, unlocked figure cell of a plan row (rates for rows in %)."""


def _folder(tmp_path: Path, units: str = "") -> Workspace:
    root = tmp_path / "office"
    init_folder(root)
    for sample in (root / "inputs").glob("*.xlsx"):
        sample.unlink()
    if units:
        config = root / "reportgen.toml"
        config.write_text(config.read_text(encoding="utf-8") + units, encoding="utf-8")
    return Workspace.open(root)


def _errors(path: Path, workspace: Workspace) -> list:
    return [issue for issue in read_workbook(path, read_settings(workspace.config)).issues if issue.is_error]


def _type_figures(path: Path) -> list[str]:
    """Fill every empty, unlocked figure of each plan row, as staff would; the cells typed into."""
    wb = load_workbook(path)
    ws = wb[schema.INDICATORS]
    header = {ws.cell(HEADER_ROW, column).value: column for column in range(1, ws.max_column + 1)}
    typed = []
    for row in range(FIRST_DATA_ROW, ws.max_row + 1):
        if not ws.cell(row, header["Mã"]).value:
            continue
        figures = RATES if ws.cell(row, header["ĐVT"]).value == "%" else FIGURES
        for name, figure in figures.items():
            cell = ws.cell(row, header[name])
            if cell.value is None and not cell.protection.locked:
                cell.value = figure
                typed.append(cell.coordinate)
    wb.save(path)
    return typed


def _locked(path: Path, sheet: str, ref: str) -> bool:
    return bool(load_workbook(path)[sheet][ref].protection.locked)


def _made_then_checked(workspace: Workspace, period: str) -> Path:
    path = create_workbook(Period.parse(period), workspace).path
    demanded = _errors(path, workspace)
    locked = [f"{issue.sheet}!{issue.cell}: {issue.message}" for issue in demanded
              if issue.cell is None or _locked(path, issue.sheet, issue.cell)]
    assert not locked, "check asks for cells staff cannot type in:\n" + "\n".join(locked)
    typed = _type_figures(path)
    assert typed
    assert [str(issue) for issue in _errors(path, workspace)] == []
    return path


def test_the_built_in_plan_passes_check_once_typed(tmp_path: Path) -> None:
    workspace = _folder(tmp_path)
    path = _made_then_checked(workspace, "2023-07")
    ws = load_workbook(path)[schema.INDICATORS]
    # The two "giảm" targets of the built-in plan: their Đầu năm open to typing, tinted as input.
    reductions = [row for row in range(FIRST_DATA_ROW, ws.max_row + 1)
                  if str(ws.cell(row, 6).value or "").startswith("giảm")]
    assert len(reductions) == 2
    for row in reductions:
        baseline = ws.cell(row, 7)
        assert baseline.value in (FIGURES["Đầu năm"], RATES["Đầu năm"]) and not baseline.protection.locked
        assert baseline.fill.fgColor.rgb.endswith(INPUT_FILL_COLOR)


def test_january_from_last_december_passes_check_once_typed(tmp_path: Path) -> None:
    workspace = _folder(tmp_path)
    _made_then_checked(workspace, "2023-12")
    january = _made_then_checked(workspace, "2024-01")
    assert january.name == "2024-01.xlsx"


def test_a_unit_of_a_folder_of_several_passes_check_once_typed(tmp_path: Path) -> None:
    workspace = _folder(tmp_path, '\n[units.hoanh-mo]\nname = "Ủy ban nhân dân xã Hoành Mô"\n'
                                  '\n[units.dong-van]\nname = "Ủy ban nhân dân xã Đồng Văn"\n')
    for unit in ("hoanh-mo", "dong-van"):
        path = _made_then_checked(workspace.for_unit(unit), "2023-08")
        assert path.parent.name == unit


@pytest.mark.parametrize("target, demanded", [("giảm 13", {"baseline"}), ("giảm 0,17", {"baseline"}),
                                              ("trên 13", set()), ("", set()), ("không đọc được", set())])
def test_the_template_opens_exactly_what_check_demands(target: str, demanded: set[str]) -> None:
    from reportgen.workbook.read.validate import demanded_plan_keys

    assert demanded_plan_keys(target) == demanded
