"""docs/input-format.md documents the workbook the code writes and reads."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from reportgen.workbook import list_columns, schema
from reportgen.workbook.write.guide import TARGET_EXAMPLES

DOCS = Path(__file__).resolve().parents[1] / "docs"
DOC = DOCS / "input-format.md"


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, DOCS / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def text() -> str:
    return DOC.read_text(encoding="utf-8")


def test_generated_tables_are_up_to_date(text):
    updater = _load_script("update_input_format")
    assert updater.render(text) == text, "run .venv/bin/python docs/tools/update_input_format.py"


def test_every_generated_block_is_filled(text):
    blocks = re.findall(r"<!-- bảng tự sinh: ([^>]+?) -->\n(.*?)<!-- hết bảng -->", text, re.DOTALL)
    assert {name for name, _ in blocks} >= {schema.INFO, schema.INDICATORS, schema.PROJECTS, schema.REMARKS,
                                             "Kế hoạch năm"}
    assert all(body.strip() for _, body in blocks)


@pytest.mark.parametrize("column", [*list_columns.INDICATOR_COLUMNS, *list_columns.PROJECT_COLUMNS, *list_columns.REMARK_COLUMNS],
                         ids=lambda c: c.header)
def test_every_schema_header_and_help_is_documented(text, column):
    assert f"**{column.header}**" in text
    assert column.help in text


def test_every_info_key_and_choice_is_documented(text):
    for key in schema.INFO_KEYS:
        assert f"**{key.label}**" in text and key.help in text
    for choice in (*list_columns.KIND_CHOICES, *list_columns.SECTION_CHOICES):
        assert f"- {choice}\n" in text


def test_target_grammar_number_styles_and_annotate_are_explained(text):
    for example, _ in TARGET_EXAMPLES:
        assert f"“{example}”" in text
    for style in ("8.000", "1.234,5", "83,1", "83.1", "83,1%"):
        assert style in text
    assert "reportgen check inputs/2023-07.xlsx --annotate" in text
    assert "Unprotect Sheet" in text


def test_picture_is_committed_and_shown(text):
    assert "](img/input-chi-tieu.png)" in text
    picture = DOCS / "img" / "input-chi-tieu.png"
    data = picture.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width >= 800 and 200 <= height < width  # a cropped landscape table, not a whole page
