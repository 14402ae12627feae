"""``init_folder``: the working folder ``reportgen init DIR`` creates."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reportgen.settings.config import load_config
from reportgen.core.errors import UsageError
from reportgen.report.init_folder import InitResult, init_folder
from reportgen.workbook import schema

FILES = ("reportgen.toml", "templates/README.txt", "inputs/2023-06.xlsx")
FOLDERS = ("templates", "inputs", "outputs", "docs", "docs/img")
REPO = Path(__file__).resolve().parents[1]
GUIDES = tuple(f"docs/{p.name}" for p in (REPO / "docs").glob("*.md") if p.name != "architecture.md") + \
    tuple(f"docs/img/{p.name}" for p in (REPO / "docs" / "img").glob("*.png"))


def _packaged_config() -> bytes:
    return resources.files("reportgen").joinpath("data", "reportgen.toml").read_bytes()


def test_fresh_folder_gets_everything(tmp_path):
    root = tmp_path / "baocao" / "binhlieu"
    result = init_folder(root)
    assert isinstance(result, InitResult)
    assert result.kept == ()
    assert set(result.created) == {root, *(root / f for f in FOLDERS), *(root / f for f in FILES + GUIDES)}
    assert all((root / f).is_dir() for f in FOLDERS)
    assert (root / "reportgen.toml").read_bytes() == _packaged_config()
    load_config(root / "reportgen.toml")  # a configuration reportgen itself accepts


def test_templates_readme_explains_overriding_in_vietnamese(tmp_path):
    init_folder(tmp_path)
    text = (tmp_path / "templates" / "README.txt").read_text(encoding="utf-8")
    assert "cùng tên" in text and "thay" in text


def test_example_workbook_is_the_sample_june_report(tmp_path):
    init_folder(tmp_path)
    wb = load_workbook(tmp_path / "inputs" / "2023-06.xlsx")
    assert wb.sheetnames[:5] == [schema.INFO, schema.INDICATORS, schema.PROJECTS, schema.REMARKS, schema.GUIDE]
    info = wb[schema.INFO]
    values = {info.cell(r, 1).value: info.cell(r, 2).value for r in range(1, info.max_row + 1)}
    assert values["Kỳ báo cáo"] == "Tháng 6/2023"
    assert values["Dữ liệu mẫu"] == "x"


def test_existing_directory_is_completed_not_recreated(tmp_path):
    (tmp_path / "inputs").mkdir()
    result = init_folder(tmp_path)
    assert tmp_path not in result.created
    assert tmp_path / "inputs" not in result.created
    assert tmp_path / "outputs" in result.created
    assert tmp_path / "inputs" / "2023-06.xlsx" in result.created


def test_second_run_keeps_files_and_reports_them(tmp_path):
    init_folder(tmp_path)
    (tmp_path / "reportgen.toml").write_text("# của đơn vị\n", encoding="utf-8")
    result = init_folder(tmp_path)
    assert result.created == ()
    assert set(result.kept) == {tmp_path / f for f in FILES + GUIDES}
    assert (tmp_path / "reportgen.toml").read_text(encoding="utf-8") == "# của đơn vị\n"


def test_force_overwrites_files(tmp_path):
    init_folder(tmp_path)
    (tmp_path / "reportgen.toml").write_text("# cũ\n", encoding="utf-8")
    (tmp_path / "inputs" / "2023-06.xlsx").write_bytes(b"broken")
    result = init_folder(tmp_path, force=True)
    assert result.kept == ()
    assert set(result.created) == {tmp_path / f for f in FILES + GUIDES}
    assert (tmp_path / "reportgen.toml").read_bytes() == _packaged_config()
    load_workbook(tmp_path / "inputs" / "2023-06.xlsx")


def test_other_files_are_left_alone(tmp_path):
    init_folder(tmp_path)
    own = tmp_path / "inputs" / "2023-07.xlsx"
    own.write_bytes(b"staff file")
    init_folder(tmp_path, force=True)
    assert own.read_bytes() == b"staff file"


def test_a_file_in_the_way_is_a_usage_error(tmp_path):
    blocker = tmp_path / "baocao"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(UsageError):
        init_folder(blocker)
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "outputs").write_text("", encoding="utf-8")
    with pytest.raises(UsageError):
        init_folder(tmp_path / "ok")


def test_repository_root_is_itself_a_working_folder():
    root = Path(__file__).resolve().parents[1]
    load_config(root / "reportgen.toml")
    assert all((root / f).is_dir() for f in FOLDERS)
    assert (root / "inputs" / "2023-06.xlsx").is_file()


def test_every_guide_a_message_points_to_is_in_a_new_folder(tmp_path):
    """reportgen's messages, reportgen.toml and the templates point staff to docs/…: each such guide is there, in
    the repository and in a folder made by init (which has no repository around it)."""
    import re

    init_folder(tmp_path)
    sources = [*REPO.joinpath("reportgen").rglob("*.py"), *REPO.joinpath("templates").glob("*.j2"),
               REPO / "reportgen" / "data" / "reportgen.toml"]
    named = {match for path in sources for match in re.findall(r"docs/[a-z0-9_-]+\.md", path.read_text(encoding="utf-8"))}
    named.discard("docs/architecture.md")
    assert named, "no guide named anywhere?"
    missing = sorted(name for name in named if not (tmp_path / name).is_file())
    assert missing == []


def test_the_configuration_guide_names_every_key():
    """docs/cau-hinh.md, where reportgen.toml points, documents every key the loader accepts."""
    import dataclasses

    from reportgen.settings import config

    guide = (REPO / "docs" / "cau-hinh.md").read_text(encoding="utf-8")
    for section, cls in config._SECTIONS.items():
        assert f"[{section}]" in guide
        for field in dataclasses.fields(cls):
            if not field.name.endswith("_key") and not field.metadata.get("internal"):  # filled by the loader
                assert f"`{field.name}`" in guide, f"[{section}] {field.name}"
    for field in dataclasses.fields(config.UnitOverride):
        if field.metadata.get("internal"):  # a sub-table: [units.<mã>.issue], [units.<mã>.sign]
            assert f"`[units.<mã>.{field.name}]`" in guide, f"[units.*.{field.name}]"
        else:
            assert f"`{field.name}`" in guide, f"[units.*] {field.name}"
