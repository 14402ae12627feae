"""The read-back's PDF reader (PDFium, through pypdfium2) finds what pypdf finds in the PDFs reportgen writes,
and names every font drawn without being embedded."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from reportgen.domain.assess import assess
from reportgen.settings.config import load_config
from reportgen.document.build import BuildOptions, build_document
from reportgen.document.model import Paragraph, Run
from reportgen.core.errors import RenderError
from reportgen.readback.read_back import read_pdf, verify_pdf
from reportgen.writers.pdf.pdf_writer import PdfWriter

from conftest import ROOT, example_report


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pypdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def write_example(tmp_path: Path, extra: str = "") -> tuple[Path, object]:
    report = example_report()
    document = build_document(report, assess(report), load_config(ROOT / "reportgen.toml"), BuildOptions())
    if extra:
        first = document.sections[0]
        document = replace(document, sections=(replace(first, blocks=first.blocks + (Paragraph((Run(extra),)),)),
                                               *document.sections[1:]))
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "r.pdf"
    PdfWriter().write(document, path)
    return path, document


def test_same_text_pages_and_fonts_as_pypdf(tmp_path):
    path, _ = write_example(tmp_path, extra=r"Dấu ngoặc (a) \ gạch chéo, (b) ngoặc trong ngoặc ((c)) và Hoành Mô.")
    ours = read_pdf(path.read_bytes())
    reader = PdfReader(path)
    assert ours.pages == len(reader.pages)
    assert squash(ours.text) == squash(pypdf_text(path))
    assert "Hoành Mô" in ours.text and "((c))" in squash(ours.text)
    assert ours.unembedded_fonts == ()


def test_pages_come_in_reading_order(tmp_path):
    path, _ = write_example(tmp_path)
    ours = read_pdf(path.read_bytes()).text
    assert ours.index("BÁO CÁO") < ours.index("Nơi nhận") < ours.index("BIỂU TỔNG HỢP") < ours.index("Biểu đồ 1")


def test_an_unembedded_standard_font_is_reported(tmp_path):
    path = tmp_path / "helvetica.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("Helvetica", 12)
    page.drawString(72, 720, "plain text")
    page.save()
    contents = read_pdf(path.read_bytes())
    assert contents.unembedded_fonts == ("Helvetica",) and "plain text" in contents.text


def test_verify_refuses_a_pdf_with_an_unembedded_font(tmp_path, monkeypatch):
    """The check a report must pass: a PDF whose text uses a font it does not carry is never published,
    even when every expected text is there."""
    import reportgen.readback.read_back as verify

    _, document = write_example(tmp_path)
    other = tmp_path / "helvetica.pdf"
    page = canvas.Canvas(str(other))
    page.setFont("Helvetica", 8)
    for line, text in enumerate(document.expected_text):
        if line and line % 60 == 0:
            page.showPage()
            page.setFont("Helvetica", 8)
        page.drawString(20, 800 - 12 * (line % 60), text.encode("latin-1", "replace").decode("latin-1"))
    page.save()
    monkeypatch.setattr(verify, "missing_text", lambda found, expected: [])  # Helvetica lacks Vietnamese letters
    monkeypatch.setattr(verify, "plausible_pages", lambda document: (1, 99))
    with pytest.raises(RenderError) as refused:
        verify_pdf(other, document)
    assert str(refused.value) == "Tệp PDF helvetica.pdf có phông chữ không được nhúng: Helvetica."


def test_not_a_pdf(tmp_path):
    with pytest.raises(ValueError):
        read_pdf(b"PK\x03\x04 a zip")
    path, document = write_example(tmp_path)
    path.write_bytes(b"PK\x03\x04 a zip")
    with pytest.raises(RenderError, match="vừa ghi không mở lại được"):
        verify_pdf(path, document)


def test_the_read_back_removes_whitespace_as_the_regular_expression_does():
    """squash() splits on whitespace instead of substituting ``\\s+``: the same for every code point."""
    from reportgen.readback.read_back import squash as read_back_squash

    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    assert read_back_squash(every) == squash(every)
    assert read_back_squash(" 8.000\u00a0lượt\t\n\u2003Đạt ") == "8.000lượtĐạt"
