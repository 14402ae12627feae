"""``check`` compares a workbook with the settings of the unit it belongs to (its document symbol), and
the period with the day it is read on."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from reportgen.report.check import check_workbook
from reportgen.report.init_folder import init_folder
from reportgen.settings.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
UNITS = '\n[units.hoanh-mo]\nname = "Ủy ban nhân dân xã Hoành Mô"\ndoc_symbol = "BC-UBND-HM"\n'


def _workbook_with_number(folder: Path, number: str) -> Path:
    path = folder / "2023-06.xlsx"
    wb = load_workbook(ROOT / "inputs" / "2023-06.xlsx")
    ws = wb["Thông tin"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Số văn bản")
    ws.cell(row, 2).value = number
    folder.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _office(tmp_path: Path) -> Workspace:
    root = tmp_path / "office"
    init_folder(root)
    config = root / "reportgen.toml"
    config.write_text(config.read_text(encoding="utf-8") + UNITS, encoding="utf-8")
    return Workspace.open(root)


def test_the_unit_s_own_symbol_is_the_one_compared(tmp_path: Path) -> None:
    workspace = _office(tmp_path)
    own = _workbook_with_number(workspace.inputs / "hoanh-mo", "05/BC-UBND-HM")
    result = check_workbook(own, workspace)
    assert result.ok and [issue.code for issue in result.warnings] == []
    assert result.read.report.info.doc_number == "05"


def test_another_symbol_is_a_warning_naming_the_unit_s(tmp_path: Path) -> None:
    workspace = _office(tmp_path)
    other = _workbook_with_number(workspace.inputs / "hoanh-mo", "Số 05/BC-UBND")
    warnings = [str(issue) for issue in check_workbook(other, workspace).warnings]
    assert warnings == [
        'Sheet "Thông tin", ô B5: Số văn bản ghi ký hiệu “BC-UBND” nhưng ký hiệu của đơn vị trong reportgen.toml là '
        "“BC-UBND-HM”; báo cáo in “Số: 05/BC-UBND-HM”. Giá trị đọc được: “Số 05/BC-UBND”. Cách sửa: Chỉ ghi số (05) "
        "vào ô này; nếu ký hiệu trong cấu hình sai, sửa khóa doc_symbol ở mục [unit] (hoặc [units.…] của đơn vị) trong reportgen.toml."]
