"""reportgen's own PDF reader finds exactly what pypdf finds, in the PDFs reportgen writes."""

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
from reportgen.readback.pdftext import UnsupportedPdf, read_pdf
from reportgen.readback.verify import verify_pdf
from reportgen.writers.pdf.writer import PdfWriter

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
    with pytest.raises(UnsupportedPdf):   # no ToUnicode map: the general reader takes over …
        read_pdf(path.read_bytes())


def test_verify_falls_back_to_pypdf_for_other_pdfs(tmp_path, monkeypatch):
    import reportgen.readback.pdftext

    path, document = write_example(tmp_path)
    fast = verify_pdf(path, document)

    def unknown_shape(data):
        raise UnsupportedPdf("an object stream")

    monkeypatch.setattr(reportgen.readback.pdftext, "read_pdf", unknown_shape)
    assert verify_pdf(path, document) == fast


def test_not_a_pdf():
    with pytest.raises(UnsupportedPdf):
        read_pdf(b"PK\x03\x04 a zip")


@pytest.mark.parametrize("raw, text", [
    (rb"plain", b"plain"), (rb"a\050b", b"a(b"), (rb"\(x\)", b"(x)"), (b"\\\\", b"\\"), (rb"\n\t\r\b\f", b"\n\t\r\b\f"),
    (rb"\7", b"\x07"), (rb"\07", b"\x07"), (rb"\0012", b"\x012"), (rb"\777", b"\xff"), (rb"\341\272\241", "ạ".encode()),
    (rb"\q", b"q"),
])
def test_string_escapes_decode_as_pdf_readers_decode_them(raw, text):
    from reportgen.readback.pdftext import _unescape

    assert _unescape(raw) == text


def test_the_font_maps_reports_share_are_parsed_once(tmp_path):
    """The subsets every report shares carry the same ToUnicode maps: a second report's are looked up,
    and still give the second report's own text."""
    from reportgen.readback import pdftext

    first, _ = write_example(tmp_path / "a")
    second, _ = write_example(tmp_path / "b", extra="Một đoạn chỉ có ở báo cáo thứ hai.")
    pdftext._parse_cmap.cache_clear()
    read_pdf(first.read_bytes())
    parsed = pdftext._parse_cmap.cache_info().misses
    text = read_pdf(second.read_bytes()).text
    assert pdftext._parse_cmap.cache_info().hits >= parsed > 0
    assert "Một đoạn chỉ có ở báo cáo thứ hai." in text and squash(text) == squash(pypdf_text(second))


def test_text_operators_among_drawing_operators():
    """Names and numbers of the drawing (a graphics state, a path) are not mistaken for text operands;
    each Tf switches the map; Td, T*, ' and ET end lines; TJ arrays skip their kerning numbers."""
    from reportgen.readback.pdftext import _show_text

    content = (b"q 1 0 0 1 10.5 -10 cm /GS1 gs 0 0 m 10 10 l S Q BT /F1 12 Tf 10 20 Td (Ab) Tj "
               b"[(C) -250 (D)] TJ T* (E) ' /F2 9 Tf (Ab) Tj ET 5 w (x) Tj")
    fonts = {b"F1": {ord("A"): "Á"}, b"F2": {ord("b"): "ß"}}
    assert _show_text(content, fonts) == "\nÁbCD\nE\nAß\nx"
