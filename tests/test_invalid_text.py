"""Text XML cannot hold never reaches python-docx or reportlab raw (issue 5, "Hardening").

A report's strings come from three places, and each is poisoned here with
control characters, U+FFFE and lone surrogates:

- workbook cells (Excel stores such characters as ``_xHHHH_`` escapes): the
  reader removes them and says so on each cell;
- reportgen.toml (TOML's ``\\u0007`` and ``\\uFFFE`` escapes are legal; a lone
  surrogate can only come from code, so it is put into the loaded Config);
- templates (literal characters, and Jinja string escapes like ``"\\ud800"``).

The whole report is then generated — Word, PDF, JSON, XLSX, each read back —
and no string of the document model holds a forbidden character.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import datetime
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from fixtures.make_hostile import book_bytes, cell_of, info_cell, valid_book
from reportgen.domain.assess import assess
from reportgen.domain.headline import assessment_options
from reportgen.document.build import BuildOptions, build_document
from reportgen.document.model import Document, Metadata, Paragraph, Run, Section
from reportgen.document.safe_text import xml_safe_document
from reportgen.report.generate import GenerateOptions, generate_from_report
from reportgen.narrative.environment import default_templates_dir
from reportgen.workbook import schema
from reportgen.workbook.read.reader import read_workbook
from reportgen.settings.workspace import Workspace
from reportgen.writers.strings import document_strings

ROOT = Path(__file__).resolve().parents[1]
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
BAD = "_x0007__xFFFE__xD800_"
"""As Excel writes BEL, U+FFFE and a lone surrogate into a cell."""

TEXT_CELLS = [(schema.INDICATORS, "KT01", key) for key in ("field", "name", "unit", "note")] + [
    (schema.INDICATORS, "KT02", "name"), (schema.PROJECTS, "CT01", "name"), (schema.PROJECTS, "CT01", "status_text"),
    (schema.REMARKS, 1, "text")]
"""Every text column, at most five cells a sheet (beyond five, one warning sums up the rest)."""
INFO_CELLS = ["Người ký", "Chức vụ người ký"]

POISONED_TOML = '''
[unit]
agency = ["ỦY BAN NHÂN DÂN\\u0007", "HUYỆN BÌNH LIÊU\\uFFFE"]
name = "Ủy ban nhân dân\\u000B huyện Bình Liêu"
short_name = "UBND huyện\\u0001 Bình Liêu"
place = "Bình\\uFFFF Liêu"
area = "huyện"
doc_symbol = "BC-UBND\\u0008"
archive = "VT\\u001F"

[signer]
authority = ["TM. ỦY BAN NHÂN DÂN\\u0002", "KT. CHỦ TỊCH"]
title = "PHÓ CHỦ TỊCH\\uFFFE"
name = "Nguyễn Văn A\\u0007"

[report]
recipients = ["UBND tỉnh Quảng Ninh (b/c)\\u0007", "Sở Kế hoạch và Đầu tư\\uFFFE"]
basis = "Chương trình công tác\\u000C năm 2023"
'''


def poisoned_workbook(folder: Path) -> Path:
    wb = valid_book()
    for sheet, row, key in TEXT_CELLS:
        cell = cell_of(wb, sheet, row, key)
        text = cell.value or "Ghi chú"
        cell.value = f"{text[:2]}{BAD}{text[2:]}"
    for label in INFO_CELLS:
        cell = info_cell(wb, label)
        cell.value = f"{cell.value}{BAD}"
    path = folder / "inputs" / "2023-06.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(book_bytes(wb))
    return path


def poisoned_templates(folder: Path) -> Path:
    """The built-in templates with a BEL, a U+FFFE and Jinja-escaped surrogates and controls added."""
    templates = folder / "templates"
    shutil.copytree(default_templates_dir(), templates, ignore=shutil.ignore_patterns("__*"))
    for path in templates.glob("*.j2"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("KẾT QUẢ", 'KẾT\x07 QUẢ{{ "\\ud800\\x0b" }}\ufffe'), encoding="utf-8")
    return templates


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    (tmp_path / "reportgen.toml").write_text(POISONED_TOML, encoding="utf-8")
    poisoned_templates(tmp_path)
    ws = Workspace.open(tmp_path)
    assert "\x07" in ws.config.signer.name and "\ufffe" in ws.config.unit.agency[1]
    lone = dataclasses.replace(ws.config.unit, superior="SỞ\ud800 NỘI VỤ")  # TOML cannot hold a surrogate
    return dataclasses.replace(ws, config=dataclasses.replace(ws.config, unit=lone))


def test_workbook_cells_lose_the_characters_with_a_warning_on_each_cell(tmp_path: Path) -> None:
    result = read_workbook(poisoned_workbook(tmp_path))
    assert result.ok
    warned = {(issue.sheet, issue.cell) for issue in result.issues if issue.code == "text.control_chars"}
    assert len(warned) == len(TEXT_CELLS) + len(INFO_CELLS)
    signer = next(issue for issue in result.issues if issue.sheet == schema.INFO and issue.cell == "B6")
    assert str(signer) == (
        'Sheet "Thông tin", ô B6: Mục “Người ký”: ô có ký tự ẩn hoặc không hợp lệ trong văn bản (U+0007, U+D800, '
        "U+FFFE), thường do dán từ trang web hoặc phần mềm khác; chương trình đã bỏ đi. Giá trị đọc được: "
        "“Nguyễn Văn A”. Cách sửa: Không cần làm gì nếu nội dung đúng; muốn hết cảnh báo, gõ lại nội dung ô "
        "hoặc dùng hàm CLEAN của Excel.")
    report = result.report
    texts = [report.info.signer, report.info.signer_title,
             *(text for ind in report.indicators for text in (ind.field, ind.name, ind.unit, ind.note)),
             *(text for p in report.projects for text in (p.name, p.status_text)), *(r.text for r in report.remarks)]
    assert not [text for text in texts if text and XML_INVALID.search(text)]


def test_a_report_from_poisoned_cells_config_and_templates_is_clean_and_reads_back(
        tmp_path: Path, workspace: Workspace) -> None:
    read = read_workbook(poisoned_workbook(tmp_path))
    out = tmp_path / "out"
    generated = generate_from_report(read.report, workspace, GenerateOptions(out_dir=out))
    assert sorted(path.suffix for path in generated.files.values()) == [".docx", ".json", ".pdf", ".xlsx"]
    word = "\n".join(p.text for p in docx.Document(str(generated.files["docx"])).paragraphs)
    assert "I. KẾT QUẢ THỰC HIỆN" in word and not XML_INVALID.search(word)
    assert "BÁO CÁO" in PdfReader(str(generated.files["pdf"])).pages[0].extract_text()


def test_no_string_of_the_document_model_holds_an_invalid_character(tmp_path: Path, workspace: Workspace) -> None:
    report = read_workbook(poisoned_workbook(tmp_path)).report
    result = assess(report, assessment_options(workspace.config))
    document = build_document(report, result, workspace.config, BuildOptions(templates_dir=workspace.templates))
    strings = [text for _, text in document_strings(document)]
    strings += [*document.expected_text, document.metadata.title, document.metadata.author]
    assert strings and not [text for text in strings if XML_INVALID.search(text)]
    assert "SỞ NỘI VỤ" in strings and "Nguyễn Văn A" in strings and "- UBND tỉnh Quảng Ninh (b/c);" in strings


def test_the_final_guard_cleans_every_field_and_keeps_clean_documents_as_they_are() -> None:
    metadata = Metadata("Báo cáo\x07", "Tháng 6", "UBND\ufffe", datetime(2023, 6, 16), ("a\ud800",))
    dirty = Document((Section((Paragraph((Run("a\x07b\ufffe\ud800c", bold=True),)),)),), metadata, ("x\x0by",))
    clean = xml_safe_document(dirty)
    assert clean.sections[0].blocks[0].runs[0] == Run("abc", bold=True)
    assert (clean.metadata.title, clean.metadata.author, clean.metadata.keywords) == ("Báo cáo", "UBND", ("a",))
    assert clean.expected_text == ("xy",)
    assert xml_safe_document(clean) is clean


def test_every_printable_character_is_drawn_by_this_machines_report_fonts() -> None:
    """The reader's fixed repertoire (reportgen/workbook/printable.py) against the PDF font in use
    here and the bundled chart font: a character the reader lets through must never fail the PDF."""
    from reportlab.pdfbase.ttfonts import TTFont

    from reportgen.typeface.bundled import sans_path
    from reportgen.workbook.read.printable import PRINTABLE_RANGES
    from reportgen.typeface.glyph_check import missing_glyph
    from reportgen.typeface.report_font import pdf_font_family

    repertoire = "".join(chr(code) for start, end in PRINTABLE_RANGES for code in range(start, end + 1))
    assert missing_glyph(pdf_font_family(None, True), repertoire) is None
    for bold in (False, True):
        chart_font = TTFont(f"soak-check-{bold}", str(sans_path(bold))).face.charToGlyph
        assert [hex(ord(char)) for char in repertoire if not chart_font.get(ord(char))] == []
