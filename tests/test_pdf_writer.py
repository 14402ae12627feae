"""The PDF writer, checked on the real file read back with pypdf."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import unicodedata
import warnings
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from conftest import ROOT, example_report
from pdf_helpers import page_texts, pdf_fonts, placed_text
from reportgen.domain.assess import assess
from reportgen.settings.config import load_config
from reportgen.document.build import BuildOptions, build_document
from reportgen.document.model import (
    Align, Chart, Cell, Column, Document, Figure, Heading, Metadata, OfficialHeader, Orientation, Paragraph,
    ParagraphRole, Run, RowKind, Section, SignatureBlock, Table, TableRow, UnsupportedBlock,
)
from reportgen.core.errors import RenderError
from reportgen.writers import get_writer, theme
from reportgen.typeface import font_discovery
from reportgen.typeface import report_font as fonts
from reportgen.writers.pdf.pdf_writer import PdfWriter
from reportgen.writers.pdf.flowables import HorizontalRule, official_header
from reportgen.writers.pdf.paragraph_styles import face, styles_for

A4_PORTRAIT = (210 * mm, 297 * mm)
A4_LANDSCAPE = (297 * mm, 210 * mm)


@pytest.fixture(scope="module")
def example_document() -> Document:
    report = example_report()
    return build_document(report, assess(report), load_config(ROOT / "reportgen.toml"), BuildOptions(charts=False))


@pytest.fixture(scope="module")
def example_pdf(example_document, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    PdfWriter().write(example_document, path)
    return path


@pytest.fixture(scope="module")
def reader(example_pdf) -> PdfReader:
    return PdfReader(str(example_pdf))


def _size(page) -> tuple[float, float]:
    return float(page.mediabox.width), float(page.mediabox.height)


def _minimal(*blocks, orientation=Orientation.PORTRAIT) -> Document:
    metadata = Metadata("Tiêu đề", "Chủ đề", "Tác giả", created=datetime(2023, 6, 14, 8))
    return Document((Section(tuple(blocks), orientation),), metadata)


def _body(text: str, role: ParagraphRole = ParagraphRole.BODY) -> Paragraph:
    return Paragraph((Run(text),), role)


# ------------------------------------------------------------------ the example ----

def test_registered_as_the_pdf_format():
    assert isinstance(get_writer("pdf"), PdfWriter)
    assert (PdfWriter.name, PdfWriter.format, PdfWriter.suffix) == ("pdf", "pdf", ".pdf")


def test_page_count_and_sizes(reader):
    sizes = [_size(page) for page in reader.pages]
    assert 4 <= len(sizes) <= 10
    portrait = [s for s in sizes if s == pytest.approx(A4_PORTRAIT, abs=0.5)]
    landscape = [s for s in sizes if s == pytest.approx(A4_LANDSCAPE, abs=0.5)]
    assert len(portrait) + len(landscape) == len(sizes)
    assert portrait and landscape
    assert sizes == portrait + landscape  # the report first, then the appendix


def test_pdf_version_and_metadata(example_pdf, reader, example_document):
    assert example_pdf.read_bytes()[:8] >= b"%PDF-1.4"
    info = reader.metadata
    meta = example_document.metadata
    assert info.title == meta.title and info.author == meta.author and info.subject == meta.subject
    assert info.creator == "reportgen"
    assert info["/CreationDate"] == meta.created.strftime("D:%Y%m%d%H%M%S")


@pytest.mark.parametrize("expected", [
    "Bình Liêu", "Hoành Mô", "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc", "498,6", "BÁO CÁO", "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "Nguyễn Văn A",
    "Phụ lục", "./.",
])
def test_text_with_diacritics_intact(example_pdf, expected):
    text = unicodedata.normalize("NFC", "\n".join(page_texts(example_pdf)))
    assert expected in text


def test_expected_text_of_the_model_is_in_the_pdf(example_pdf, example_document):
    # The lead's read-back check compares without whitespace; so does this.
    text = "".join(unicodedata.normalize("NFC", "\n".join(page_texts(example_pdf))).split())
    missing = [e for e in example_document.expected_text if "".join(e.split()) not in text]
    assert not missing


def test_every_font_is_embedded(example_pdf):
    found = pdf_fonts(example_pdf)
    assert found, "no fonts found: the helper is broken"
    assert all(embedded for _name, embedded in found), found
    assert len(found) >= 3  # regular, bold, italic at least: the family mapping works


def test_page_numbers_in_the_top_margin(reader):
    def top_numbers(page) -> list[str]:
        width, height = _size(page)
        return [p.text for p in placed_text(page) if p.y > height - theme.PORTRAIT_MARGINS.top * mm]

    sizes = [_size(page) for page in reader.pages]
    first_appendix = next(i for i, s in enumerate(sizes) if s[0] > s[1])
    assert top_numbers(reader.pages[0]) == []
    assert top_numbers(reader.pages[1]) == ["2"]
    assert top_numbers(reader.pages[first_appendix]) == ["1"]
    if first_appendix + 1 < len(reader.pages):
        assert top_numbers(reader.pages[first_appendix + 1]) == ["2"]


def test_page_number_centred_over_the_text(reader):
    page = reader.pages[1]
    number = next(p for p in placed_text(page) if p.text == "2" and p.y > _size(page)[1] - 20 * mm)
    centre = (theme.PORTRAIT_MARGINS.left * mm + A4_PORTRAIT[0] - theme.PORTRAIT_MARGINS.right * mm) / 2
    assert number.x + stringWidth("2", fonts.pdf_font_family().regular, 14) / 2 == pytest.approx(centre, abs=1.5)
    assert number.size == theme.PAGE_NUMBER_SIZE


def _baseline(page, start: str) -> float:
    return next(p.y for p in placed_text(page) if p.text.startswith(start))


def test_number_and_place_date_share_a_baseline(reader):
    page = reader.pages[0]
    assert _baseline(page, "Số:") == pytest.approx(_baseline(page, "Bình Liêu, ngày"), abs=0.01)
    assert _baseline(page, "ỦY BAN") == pytest.approx(_baseline(page, "CỘNG HÒA"), abs=0.01)


def test_recipients_label_level_with_the_signing_authority(reader):
    page = next(p for p in reader.pages if "Nơi nhận" in p.extract_text())
    assert _baseline(page, "Nơi nhận:") == pytest.approx(_baseline(page, "TM. ỦY BAN"), abs=0.01)


def test_same_document_same_bytes(example_document, example_pdf, tmp_path):
    again = tmp_path / "again.pdf"
    PdfWriter().write(example_document, again)
    assert again.read_bytes() == example_pdf.read_bytes()


# ---------------------------------------------------------------- rules ----

def test_header_rules_have_the_decree_lengths(example_document):
    header = next(b for b in example_document.blocks() if isinstance(b, OfficialHeader))
    styles = styles_for(fonts.pdf_font_family())
    table = official_header(header, styles, 165 * mm)
    left, right = table._cellvalues[0]
    bold = face(styles.family, bold=True)
    motto_rule = [f for f in right if isinstance(f, HorizontalRule)]
    agency_rule = [f for f in left if isinstance(f, HorizontalRule)]
    assert [r.length for r in motto_rule] == [pytest.approx(stringWidth(header.motto, bold, theme.MOTTO_SIZE))]
    widest = max(stringWidth(line, bold, theme.AGENCY_SIZE) for line in header.agency)
    assert [r.length for r in agency_rule] == [pytest.approx(widest * theme.AGENCY_RULE_RATIO)]


def test_rules_are_drawn_lines_not_characters(example_pdf):
    text = "\n".join(page_texts(example_pdf))
    assert "─" not in text and "___" not in text


# ---------------------------------------------------------------- blocks ----

def test_unknown_block_raises(tmp_path):
    class Sticker:
        pass

    with pytest.raises(UnsupportedBlock, match="pdf writer has no rule for Sticker"):
        PdfWriter().write(_minimal(_body("Trước"), Sticker()), tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_markup_characters_are_text(tmp_path):
    path = tmp_path / "m.pdf"
    # <para> and <bullet> would set a paragraph's style or bullet as markup (which the paragraph caches refuse)
    PdfWriter().write(_minimal(_body("Tỷ lệ <b>a</b> & b > c; <para>x</para> <bullet>-</bullet> Số:      /BC")), path)
    text = page_texts(path)[0]
    assert "Tỷ lệ <b>a</b> & b > c; <para>x</para> <bullet>-</bullet>" in text
    assert "Số:" in text and "/BC" in text


def test_table_spans_repeats_header_and_keeps_rows_whole(tmp_path):
    header = TableRow((Cell("STT", bold=True), Cell("Chỉ tiêu", bold=True), Cell("Giá trị", bold=True)), RowKind.HEADER)
    group = TableRow((Cell("I"), Cell("KINH TẾ", span=2)), RowKind.GROUP)
    rows = [TableRow((Cell(str(n)), Cell(f"Chỉ tiêu số {n} có tên dài " * 3), Cell("1.234,5"))) for n in range(80)]
    table = Table((Column(1, Align.CENTER), Column(6), Column(2, Align.RIGHT)), (header, group, *rows), 11)
    path = tmp_path / "t.pdf"
    PdfWriter().write(_minimal(table, orientation=Orientation.LANDSCAPE), path)
    texts = page_texts(path)
    assert len(texts) > 1
    assert all("Chỉ tiêu" in t and "STT" in t for t in texts)  # the header row repeats
    for n in range(80):  # each row's number and its name on one page
        assert sum(f"Chỉ tiêu số {n} có" in t for t in texts) == 1


def _long_table(count: int) -> Table:
    header = TableRow((Cell("STT", bold=True), Cell("Chỉ tiêu", bold=True), Cell("Giá trị", bold=True)), RowKind.HEADER)
    numbers = TableRow((Cell("A"), Cell("B"), Cell("1")), RowKind.NUMBERING)
    rows = []
    for n in range(count):
        if n % 50 == 0:
            rows.append(TableRow((Cell(f"Nhóm {n // 50}"), Cell("LĨNH VỰC", span=2)), RowKind.GROUP))
        rows.append(TableRow((Cell(str(n)), Cell(f"Chỉ tiêu số {n}" + " có tên dài" * (n % 7)), Cell(f"{n},5"))))
    return Table((Column(1, Align.CENTER), Column(6), Column(2, Align.RIGHT)), (header, numbers, *rows), 11)


def test_a_long_table_in_runs_pages_exactly_as_one_table(tmp_path, monkeypatch):
    """Cut into runs of rows (linear cost), the table still breaks where one platypus table would break."""
    from reportgen.writers.pdf import table_run as pdf_table_run
    table = _long_table(700)
    runs = tmp_path / "runs.pdf"
    PdfWriter().write(_minimal(table, orientation=Orientation.LANDSCAPE), runs)
    monkeypatch.setattr(pdf_table_run, "RUN_ROWS", 10_000)
    whole = tmp_path / "whole.pdf"
    PdfWriter().write(_minimal(table, orientation=Orientation.LANDSCAPE), whole)
    assert page_texts(runs) == page_texts(whole)
    texts = page_texts(runs)
    assert len(texts) > 10
    for text in texts:  # the header rows once at the top of every page, never between two runs
        assert text.count("STT") == 1 and text.count("Giá trị") == 1
        assert text.index("STT") < text.index("Chỉ tiêu số")
    found = [int(n) for t in texts for n in re.findall(r"Chỉ tiêu số (\d+)", t)]
    assert found == list(range(700))  # every row once, in order


def test_one_cell_style_for_every_cell_draws_as_the_table_style_commands(chart_document, monkeypatch):
    """Data tables share one cell style (font, vertical centring, padding) instead of the table style's commands
    applied cell by cell; the PDFs are the same bytes, for a long table in runs over many pages (header rows
    repeated, spanned group rows) and for the example's tables."""
    from reportlab.platypus import Table as ReportlabTable, TableStyle
    from reportgen.writers.pdf import pdf_writer as pdf_module

    documents = [_minimal(_long_table(700), orientation=Orientation.LANDSCAPE), _minimal(_long_table(90)),
                 chart_document]
    shared = [PdfWriter().render_bytes(document) for document in documents]

    def by_commands(data, *, style, cellStyles, **options):  # noqa: N803 (platypus's keyword)
        assert all(each is cellStyles[0][0] for row in cellStyles for each in row)
        padding = theme.TABLE_CELL_PADDING_MM * mm
        commands = [("FONTNAME", (0, 0), (-1, -1), fonts.pdf_font_family().regular),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        commands += [(side, (0, 0), (-1, -1), padding)
                     for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]
        return ReportlabTable(data, style=TableStyle([*style.getCommands(), *commands]), **options)

    monkeypatch.setattr(pdf_module, "PdfTable", by_commands)
    assert [PdfWriter().render_bytes(document) for document in documents] == shared


def _page_images(path: Path, dpi: int = 150) -> list[bytes]:
    """Every page rendered by poppler, as raw grey pixels."""
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm (poppler-utils) is not on PATH; bootstrap.py installs it for CI")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    prefix = path.with_suffix("")
    subprocess.run([pdftoppm, "-r", str(dpi), "-gray", "-png", str(path), str(prefix)], check=True)
    pages = sorted(path.parent.glob(prefix.name + "-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [PILImage.open(page).tobytes() for page in pages]


def test_one_line_cells_are_placed_exactly_where_a_paragraph_places_them(example_document, tmp_path, monkeypatch):
    """Plain one-line cells skip reportlab's Paragraph (the PDF's largest cost); not a pixel moves."""
    from reportlab.platypus import Paragraph as PdfParagraph
    from reportgen.writers.pdf import pdf_writer as pdf_module
    from reportgen.writers.pdf.cell import CellLine, cell_flowable
    from reportgen.writers.pdf.paragraph_styles import markup

    made = []
    monkeypatch.setattr(pdf_module, "cell_flowable", lambda *args: made.append(cell_flowable(*args)) or made[-1])
    fast = tmp_path / "fast" / "report.pdf"
    fast.parent.mkdir()
    PdfWriter().write(example_document, fast)
    lines = sum(isinstance(flowable, CellLine) for flowable in made)
    assert lines > len(made) / 2  # most cells of the example are figures and short names
    assert any(isinstance(flowable, PdfParagraph) for flowable in made)  # names that wrap stay paragraphs
    monkeypatch.setattr(pdf_module, "cell_flowable", lambda text, style, _width: PdfParagraph(markup(text), style))
    slow = tmp_path / "slow" / "report.pdf"
    slow.parent.mkdir()
    PdfWriter().write(example_document, slow)
    assert fast.read_bytes() != slow.read_bytes()
    # The same words on each page (pypdf's line breaks follow the content stream's structure, which differs).
    assert [text.split() for text in page_texts(fast)] == [text.split() for text in page_texts(slow)]
    fast_pages, slow_pages = _page_images(fast), _page_images(slow)
    assert len(fast_pages) == len(slow_pages) >= 5
    for number, (one, other) in enumerate(zip(fast_pages, slow_pages), 1):
        assert one == other, f"page {number} differs"


def test_paragraphs_parsed_once_and_measured_once_per_width_make_the_same_pdf_as_reportlabs_paragraph(monkeypatch):
    """PdfParagraph takes the fragments of a text parsed before from its cache, and answers a second measurement
    at the same width from the first; the bytes do not change, whether the cache is cold or warm, with bold and
    italic runs, charts kept with their captions and long paragraphs split over pages (widows and orphans
    refused)."""
    from dataclasses import replace

    from reportlab.platypus import Paragraph as ReportlabParagraph
    from reportgen.writers.pdf import measured_paragraph
    from reportgen.writers.pdf.measured_paragraph import PdfParagraph

    report = example_report()
    document = build_document(report, assess(report), load_config(ROOT / "reportgen.toml"), BuildOptions(charts=True))
    sentence = "Các hợp tác xã mở rộng diện tích trồng quế, hồi và chè, giá trị thu hoạch tăng so với cùng kỳ. "
    long = tuple(_body(f"Đoạn {index}. " + sentence * (5 + 17 * index)) for index in range(5))
    runs = Paragraph((Run("Thu ngân sách "), Run("đạt 8.000", bold=True), Run(" tỷ & <hơn>", italic=True)))
    soft = _body("Chuyển đổi số trong quản\u00adlý nhà nước, phát\u00adtriển kinh\u00adtế số và xã hội số. " * 40)
    first = document.sections[0]
    blocks = (*first.blocks, runs, *long, runs, soft, *long[:2], soft)
    document = replace(document, sections=(replace(first, blocks=blocks), *document.sections[1:]))
    measured_paragraph._parsed.cache_clear()
    measured_paragraph._one_run_lines.cache_clear()
    cold = PdfWriter().render_bytes(document)
    assert measured_paragraph._parsed.cache_info().hits > 0  # the run paragraph, twice
    assert measured_paragraph._one_run_lines.cache_info().hits > 0
    warm = PdfWriter().render_bytes(document)
    for name in ("__init__", "breakLines", "wrap", "split"):
        monkeypatch.setattr(PdfParagraph, name, getattr(ReportlabParagraph, name))
    assert PdfWriter().render_bytes(document) == cold == warm


def test_a_paragraph_over_many_pages_is_broken_into_lines_once(monkeypatch):
    """The rest of a split one-run paragraph carries the lines already broken: reportlab broke each rest
    again from its first word, so a paragraph over p pages cost p²/2 pages' worth of breaking (the list of
    lagging indicators of a 3,000-indicator report runs to nine pages).  The bytes are reportlab's own, and a
    paragraph of several runs or soft hyphens is still broken by reportlab, page by page."""
    from dataclasses import replace

    from reportlab.platypus import Paragraph as ReportlabParagraph
    from reportgen.writers.pdf import measured_paragraph
    from reportgen.writers.pdf.measured_paragraph import PdfParagraph

    report = example_report()
    document = build_document(report, assess(report), load_config(ROOT / "reportgen.toml"), BuildOptions(charts=False))
    names = "; ".join(f"tỷ lệ hộ dân được sử dụng nước sạch của thôn số {number}" for number in range(1, 1200))
    words = len(names.split())
    long = _body(f"Các chỉ tiêu còn thấp hơn kế hoạch: {names}.")
    runs = Paragraph((Run("Thu ngân sách "), Run("đạt 8.000", bold=True), Run(f" tỷ đồng; {names[:20000]}")))
    first = document.sections[0]
    document = replace(document, sections=(replace(first, blocks=(*first.blocks, long, runs)), *document.sections[1:]))

    broken: list[int] = []
    original = ReportlabParagraph.breakLines

    def counted(self, width):
        lines = original(self, width)
        if lines.kind == 0:
            broken.append(sum(len(line_words) for _spare, line_words in lines.lines))
        return lines

    monkeypatch.setattr(ReportlabParagraph, "breakLines", counted)
    measured_paragraph._parsed.cache_clear()
    measured_paragraph._one_run_lines.cache_clear()
    carried = PdfWriter().render_bytes(document)
    assert len(PdfReader(io.BytesIO(carried)).pages) > 12
    assert sum(count for count in broken if count > 1000) < 1.1 * words  # once, not once per page
    for name in ("__init__", "breakLines", "wrap", "split"):
        monkeypatch.setattr(PdfParagraph, name, getattr(ReportlabParagraph, name))
    broken.clear()
    assert PdfWriter().render_bytes(document) == carried
    assert sum(count for count in broken if count > 1000) > 3 * words  # reportlab's own: again on every page


def test_lines_are_shared_only_between_one_run_paragraphs_of_plain_words():
    from reportgen.writers.pdf.measured_paragraph import _one_run_lines

    style = styles_for(fonts.pdf_font_family()).body
    shared = _one_run_lines("Kinh tế của huyện duy trì đà phục hồi. " * 6, style, (400.0, 450.0))
    assert shared is not None and shared.kind == 0 and len(shared.lines) > 1
    assert _one_run_lines("Kinh tế <b>duy trì</b> đà phục hồi.", style, (400.0, 450.0)) is None  # two runs
    assert _one_run_lines("quản\u00adlý nhà nước " * 20, style, (400.0, 450.0)) is None  # soft hyphens


@pytest.mark.parametrize("text, why", [
    ("Tổng thu ngân sách nhà nước trên địa bàn huyện năm 2023", "wider than the column"),
    ("8.000  lượt", "a run of spaces, kept by the paragraph markup"),
    (" 8.000", "a leading space"),
    ("8.000\nlượt", "a line break"),
    ("", "nothing to draw"),
])
def test_cells_that_are_not_one_plain_line_stay_paragraphs(text, why):
    from reportlab.platypus import Paragraph as PdfParagraph
    from reportgen.writers.pdf.cell import CellLine, cell_flowable

    style = styles_for(fonts.pdf_font_family()).cell(11, False, False, Align.LEFT)
    assert isinstance(cell_flowable(text, style, 60 * mm), PdfParagraph), why
    assert isinstance(cell_flowable("8.000 lượt", style, 60 * mm), CellLine)


def test_the_text_frame_copies_deeply_as_deepcopy_does(chart_document, monkeypatch):
    """TextFrame's own deep copy (platypus copies the frame to measure every group kept together) gives what
    copy.deepcopy gives: equal attributes, nothing mutable shared, even with a frame that has drawn
    flowables, saved its geometry and holds backgrounds; and the PDF does not change."""
    import copy

    from reportlab.pdfgen.canvas import Canvas
    from reportgen.writers.pdf.measured_paragraph import PdfParagraph
    from reportgen.writers.pdf.pages import TextFrame

    frame = TextFrame(10, 20, 300, 400, id="f")
    frame.add(PdfParagraph("Ước đạt 83,1% kế hoạch.", styles_for(fonts.pdf_font_family()).body), Canvas(io.BytesIO()))
    frame._saveGeom(x1=12)
    frame._frameBGs = [("bg", [1, 2])]
    clone = copy.deepcopy(frame)
    assert type(clone) is TextFrame and vars(clone) == copy.deepcopy(vars(frame))
    assert clone._frameBGs is not frame._frameBGs and clone._frameBGs[0][1] is not frame._frameBGs[0][1]
    assert clone._savedGeom is not frame._savedGeom
    own = PdfWriter().render_bytes(chart_document)
    monkeypatch.delattr(TextFrame, "__deepcopy__")
    assert PdfWriter().render_bytes(chart_document) == own


def test_figure_is_drawn_scaled_to_a_narrower_column_with_its_caption(tmp_path):
    chart = Chart("plan", "Biểu đồ", ("A",), (50.0,))
    figure = Figure(chart, width_mm=240, height_mm=100, caption="Biểu đồ 1. Mức độ thực hiện")
    path = tmp_path / "f.pdf"
    PdfWriter().write(_minimal(figure), path)  # 240 mm in a 165 mm portrait column: scaled, not overflowing
    page = PdfReader(str(path)).pages[0]
    text = page.extract_text()
    assert "Biểu đồ 1. Mức độ thực hiện" in text and "Biểu đồ" in text and "50,0%" in text
    assert not list(page.images)  # drawn, not the PNG placed
    left, right = theme.PORTRAIT_MARGINS.left * mm, A4_PORTRAIT[0] - theme.PORTRAIT_MARGINS.right * mm
    assert all(left - 0.5 <= p.x <= right for p in placed_text(page))


def test_heading_never_ends_a_page(tmp_path):
    for fillers in range(28, 40):
        blocks = [_body(f"Đoạn đệm số {n}.") for n in range(fillers)]
        blocks += [Heading(2, "1. Lĩnh vực kinh tế"), _body("Đoạn ngay sau đề mục.")]
        path = tmp_path / f"h{fillers}.pdf"
        PdfWriter().write(_minimal(*blocks), path)
        texts = page_texts(path)
        heading_page = next(i for i, t in enumerate(texts) if "Lĩnh vực kinh tế" in t)
        assert "Đoạn ngay sau đề mục" in texts[heading_page], fillers


def test_no_paragraph_leaves_a_single_line_behind(tmp_path):
    words = " ".join(f"w{n:02d}" for n in range(60))  # four lines at 14 pt in 165 mm: only 2 + 2 may split
    split_seen = False
    # A body filler is taller than a note: swapping one for the other moves the paragraph in small steps
    # (the totals are chosen so that, with the theme's line spacing, the paragraph meets a page end).
    for fillers, notes in [(total - n, n) for total in (27, 28) for n in range(11)]:
        blocks = [_body(f"Đoạn đệm số {n}.") for n in range(fillers)]
        blocks += [_body("Ghi chú.", ParagraphRole.NOTE)] * notes + [_body(words)]
        path = tmp_path / "w.pdf"
        PdfWriter().write(_minimal(*blocks), path)
        lines_per_page = [len({round(p.y) for p in placed_text(page) if p.text.startswith("w")})
                          for page in PdfReader(str(path)).pages]
        assert sum(lines_per_page) == 4
        split_seen |= max(lines_per_page) < 4
        assert all(count != 1 for count in lines_per_page), (fillers, notes, lines_per_page)
    assert split_seen  # the fillers did push the paragraph across a page end


def test_signature_stays_with_the_closing_paragraph(tmp_path):
    signature = SignatureBlock("Nơi nhận:", ("- Như trên;", "- Lưu: VT."), ("TM. ỦY BAN NHÂN DÂN",),
                               "CHỦ TỊCH", "Nguyễn Văn A")
    pages_seen = set()
    for fillers in range(18, 36, 2):
        blocks = [_body(f"Đoạn đệm số {n}.") for n in range(fillers)]
        blocks += [_body("Trên đây là báo cáo./.", ParagraphRole.CLOSING), signature]
        path = tmp_path / f"s{fillers}.pdf"
        PdfWriter().write(_minimal(*blocks), path)
        texts = page_texts(path)
        closing_page = next(i for i, t in enumerate(texts) if "Trên đây là báo cáo" in t)
        assert "Nơi nhận:" in texts[closing_page] and "Nguyễn Văn A" in texts[closing_page], fillers
        pages_seen.add(len(texts))
    assert pages_seen == {1, 2}  # the fillers did push the closing across a page end


# ------------------------------------------------------------------- charts ----

@pytest.fixture(scope="module")
def chart_document() -> Document:
    report = example_report()
    return build_document(report, assess(report), load_config(ROOT / "reportgen.toml"), BuildOptions())


@pytest.fixture(scope="module")
def chart_pdf(chart_document, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("charts") / "report.pdf"
    PdfWriter().write(chart_document, path)
    return path


def _chart_page(path: Path):
    return next(page for page in PdfReader(str(path)).pages if "Thời gian đã qua" in page.extract_text())


def test_chart_texts_are_real_text_in_the_pdf(chart_pdf):
    text = unicodedata.normalize("NFC", _chart_page(chart_pdf).extract_text())
    for expected in ("Giải quyết việc làm mới", "Thời gian đã qua: 50%", "53,0%", "84,6%", "Đúng tiến độ",
                     "Chưa đạt", "% kế hoạch năm", "100%"):
        assert expected in text, expected
    everything = unicodedata.normalize("NFC", "\n".join(page_texts(chart_pdf)))
    for expected in ("Tốc độ tăng giá trị sản xuất (giá so sánh 2010)", "+3,34", "-0,50", "Số hộ nghèo",
                     "Cùng kỳ năm trước", "Cải tạo, nâng cấp", "65%"):
        assert expected in everything, expected
    assert not re.search(r"\b(KT|XH|CT)\d\d\b", everything)  # no internal codes


def test_charts_are_vector_drawings_not_pictures(chart_pdf):
    """Rectangles, lines, a dash pattern and clipping in the page's content; no image anywhere in the PDF."""
    page = _chart_page(chart_pdf)
    content = page.get_contents().get_data().decode("latin-1")
    operators = set(content.split())
    assert {"re", "f*", "m", "l", "S", "d", "W*", "n"} <= operators  # reportlab fills and clips even-odd
    assert content.count(" re") > 20  # bars, tracks, legend keys, hatch clips
    assert all(not list(p.images) for p in PdfReader(str(chart_pdf)).pages)


def test_chart_text_is_placed_where_the_layout_puts_it(chart_pdf, chart_document):
    """The plan chart is centred in the landscape text column; its labels start EDGE_MM inside it."""
    from reportgen.charts.layout import EDGE_MM

    figure = next(block for block in chart_document.blocks() if isinstance(block, Figure))
    column = A4_LANDSCAPE[0] - (theme.LANDSCAPE_MARGINS.left + theme.LANDSCAPE_MARGINS.right) * mm
    chart_left = theme.LANDSCAPE_MARGINS.left * mm + (column - figure.width_mm * mm) / 2
    label = next(p for p in placed_text(_chart_page(chart_pdf)) if p.text.startswith("Giải quyết việc làm"))
    assert label.x == pytest.approx(chart_left + EDGE_MM * mm, abs=0.05)


def test_chart_fonts_are_embedded_and_the_pdf_is_reproducible(chart_pdf, chart_document, tmp_path):
    found = pdf_fonts(chart_pdf)
    assert all(embedded for _name, embedded in found), found
    assert any("DejaVuSans" in name for name, _ in found)
    again = tmp_path / "again.pdf"
    PdfWriter().write(chart_document, again)
    assert again.read_bytes() == chart_pdf.read_bytes()


def test_a_bar_beyond_the_cap_sets_its_value_in_the_embedded_bold_face(tmp_path):
    chart = Chart("plan", "", ("KT01 Thu ngân sách",), (1250.0,), ("Vượt kế hoạch",))
    path = tmp_path / "bold.pdf"
    PdfWriter().write(_minimal(Figure(chart, 240, 92, "Biểu đồ"), orientation=Orientation.LANDSCAPE),
                      path)
    found = dict(pdf_fonts(path))
    assert any("DejaVuSans-Bold" in name or "DejaVuSansBold" in name for name in found) and all(found.values())
    assert "1.250,0%" in page_texts(path)[0]


def test_a_chart_character_the_chart_font_lacks_is_refused(tmp_path):
    chart = Chart("plan", "", ("KT01 Chữ Hán 中",), (50.0,), ("Chưa đạt",))
    figure = Figure(chart, 240, 92, "Biểu đồ 1. Mức độ thực hiện")
    with pytest.raises(RenderError) as error:
        PdfWriter().write(_minimal(figure, orientation=Orientation.LANDSCAPE), tmp_path / "c.pdf")
    message = str(error.value)
    assert "DejaVu Sans" in message and "U+4E2D" in message and "biểu đồ “Biểu đồ 1. Mức độ thực hiện”" in message
    assert not (tmp_path / "c.pdf").exists()


# ------------------------------------------------------------------- fonts ----

def test_missing_glyph_is_refused(tmp_path):
    document = _minimal(_body("Thu ngân sách"), _body("Chữ Hán 中 lọt vào"))
    with pytest.raises(RenderError) as error:
        PdfWriter().write(document, tmp_path / "g.pdf")
    message = str(error.value)
    assert "U+4E2D" in message and "đoạn văn" in message and "Chữ Hán" in message
    assert fonts.pdf_font_family().family in message
    assert not (tmp_path / "g.pdf").exists()


def test_missing_glyph_in_a_table_cell_names_the_cell(tmp_path):
    table = Table((Column(1), Column(1)), (TableRow((Cell("Tên"), Cell("Đạt 😀"))),))
    with pytest.raises(RenderError, match=r"U\+1F600.*bảng, dòng 1, cột 2"):
        PdfWriter().write(_minimal(table), tmp_path / "g.pdf")


@pytest.mark.parametrize("where", ["first", "middle", "last", "watermark"])
def test_the_whole_text_glyph_check_names_the_place_the_string_by_string_check_names(example_document, where):
    """The writer checks all text at once and spells out places only when a character is missing: the message
    is the one the check of every located string gives."""
    from dataclasses import replace

    from reportgen.typeface.glyph_check import check_glyphs
    from reportgen.writers.pdf.paragraph_styles import WRITER_CHARACTERS
    from reportgen.writers.pdf.pdf_writer import WRITER_TEXT_PLACE
    from reportgen.writers.strings import document_strings

    assert PdfWriter().render_bytes(example_document)  # every character drawable: no error
    sections = list(example_document.sections)
    watermark = "BẢN NHÁP 中" if where == "watermark" else ""
    if where != "watermark":
        index = {"first": 0, "middle": len(sections) // 2, "last": -1}[where]
        blocks = (*sections[index].blocks, _body("Chữ Hán 中 lọt vào"))
        sections[index] = replace(sections[index], blocks=blocks)
    document = replace(example_document, sections=tuple(sections), watermark=watermark)
    with pytest.raises(RenderError) as written:
        PdfWriter().render_bytes(document)
    located = [*document_strings(document), (WRITER_TEXT_PLACE, WRITER_CHARACTERS)]
    with pytest.raises(RenderError) as checked:
        check_glyphs(fonts.pdf_font_family(), located + ([("dấu chìm", watermark)] if watermark else []))
    assert str(written.value) == str(checked.value)
    assert ("dấu chìm" if watermark else "đoạn văn “Chữ Hán 中 lọt vào”") in str(written.value)


@pytest.fixture
def fresh_fonts(monkeypatch):
    """Forget registered families so discovery and its warning run again."""
    monkeypatch.setattr(fonts, "_REGISTERED", {})
    monkeypatch.setattr(fonts, "_FAMILIES", {})
    monkeypatch.delenv(font_discovery.FONT_DIR_ENV, raising=False)


def test_fallback_font_warns_and_is_embedded(fresh_fonts, tmp_path):
    with pytest.warns(fonts.FontFallbackWarning, match="DejaVu Serif"):
        PdfWriter(system_fonts=False).write(_minimal(_body("Hoành Mô, Bình Liêu")), tmp_path / "d.pdf")
    found = pdf_fonts(tmp_path / "d.pdf")
    assert found and all("DejaVuSerif" in name and embedded for name, embedded in found)
    assert "Hoành Mô, Bình Liêu" in page_texts(tmp_path / "d.pdf")[0]


def test_fallback_font_also_refuses_missing_glyphs(fresh_fonts, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fonts.FontFallbackWarning)
        with pytest.raises(RenderError, match=r"U\+4E2D.*DejaVu Serif|DejaVu Serif.*U\+4E2D"):
            PdfWriter(system_fonts=False).write(_minimal(_body("中")), tmp_path / "d.pdf")


def test_font_dir_from_the_environment_comes_first(fresh_fonts, monkeypatch, tmp_path):
    bundled = font_discovery.BUNDLED_FONT_DIR
    for name in ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf"):
        shutil.copy(bundled / name, tmp_path / name.lower())  # file names match case-insensitively
    monkeypatch.setenv(font_discovery.FONT_DIR_ENV, str(tmp_path))
    found = font_discovery.find_font_files()
    assert found.family == "DejaVu Serif" and all(p.parent == tmp_path for p in found.paths)


def test_font_dir_without_fonts_is_an_error(fresh_fonts, tmp_path):
    with pytest.raises(RenderError, match="không có đủ 4 tệp"):
        font_discovery.find_font_files(tmp_path)


def test_system_font_is_preferred_when_present():
    found = font_discovery.find_font_files()
    names = [c.name for c in font_discovery.PREFERRED]
    if not any(font_discovery._files_in(d, c) for d in font_discovery.system_font_dirs() for c in font_discovery.PREFERRED):
        pytest.skip("no Times New Roman, Liberation Serif or Tinos on this machine")
    assert found.family in names and not found.fallback


def test_fontconfig_listing_is_parsed():
    listing = [
        ("Liberation Serif", 80, 0, 100, Path("/f/LiberationSerif-Regular.ttf")),
        ("Liberation Serif", 200, 0, 100, Path("/f/LiberationSerif-Bold.ttf")),
        ("Liberation Serif", 80, 100, 100, Path("/f/LiberationSerif-Italic.ttf")),
        ("Liberation Serif,Liberation Serif Condensed", 80, 0, 87, Path("/f/Condensed.ttf")),
        ("Liberation Serif", 200, 100, 100, Path("/f/LiberationSerif-BoldItalic.ttf")),
    ]
    found = font_discovery._files_from_fontconfig(listing, font_discovery.LIBERATION)
    assert [p.name for p in found.paths] == ["LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
                                             "LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf"]
    assert font_discovery._files_from_fontconfig(listing[:2], font_discovery.LIBERATION) is None


def test_family_registered_once(fresh_fonts):
    first = fonts.pdf_font_family()
    assert fonts.pdf_font_family() is first
    assert len(set(first.face_names())) == 4


# ------------------------------------------------------------- font subsets ----

def test_subsets_built_once_give_the_bytes_reportlab_writes(chart_document, monkeypatch):
    """The second PDF takes its font subsets from the cache; both equal the PDF reportlab builds
    subset by subset itself (same objects, same compressed font programs)."""
    from reportgen.typeface import subsets as pdf_subsets

    first, again = PdfWriter().render_bytes(chart_document), PdfWriter().render_bytes(chart_document)
    monkeypatch.setattr(pdf_subsets, "CACHE", False)
    assert first == again == PdfWriter().render_bytes(chart_document)


def test_subset_objects_made_once_give_the_bytes_reportlab_writes(monkeypatch):
    """The widths and ToUnicode maps of subsets met before come from the cache, in documents whose rarer
    characters make subsets of their own in different orders; every PDF equals reportlab's own."""
    from reportgen.typeface import subsets as pdf_subsets

    documents = [
        _minimal(_body("Ước đạt 83,1% kế hoạch — Ωμέγα, Ж."), _body("Thu ngân sách\u00a0nhà nước: 8.000 tỷ")),
        _minimal(_body("Ж, Ωμέγα: ước đạt 83,1%."), orientation=Orientation.LANDSCAPE),
        _minimal(_body("Ước đạt 83,1% kế hoạch — Ωμέγα, Ж.")),
    ]
    cached = [PdfWriter().render_bytes(document) for document in documents * 2]
    assert cached[:3] == cached[3:]
    monkeypatch.setattr(pdf_subsets, "CACHE", False)
    assert [PdfWriter().render_bytes(document) for document in documents] == cached[:3]


def test_primed_text_is_coded_as_reportlab_codes_it(chart_document, monkeypatch):
    """Text made only of ASCII and the primed letters is given its subset codes by one translation; text with
    other characters (met in any order, a no-break space among them) by reportlab, one character at a time.
    The PDFs are reportlab's own, byte for byte."""
    from reportlab.pdfbase import pdfmetrics
    from reportgen.typeface import subset_codes

    family = fonts.pdf_font_family()
    asked = []
    for name in family.face_names():
        codes = vars(pdfmetrics.getFont(name))["splitString"]
        assert isinstance(codes, subset_codes.PrimedCodes)
        monkeypatch.setattr(codes, "own", lambda *args, own=codes.own: asked.append(args[0]) or own(*args))
    rare = _minimal(
        _body("Ж đạt 83,1%\u00a0kế hoạch; Ωμέγα “tăng” 8.000 lượt – xã Đồng Văn."),
        Paragraph((Run("Ước đạt "), Run("Ж 8.000", bold=True), Run(" Ωμέγα", italic=True))),
    )
    documents = [chart_document, rare, chart_document]
    translated = [PdfWriter().render_bytes(document) for document in documents]
    reportlab_asked = len(asked)
    assert "Ước đạt " not in asked and any("Ж" in text for text in asked)
    monkeypatch.setattr(subset_codes, "TRANSLATE", False)
    asked.clear()
    assert [PdfWriter().render_bytes(document) for document in documents] == translated
    assert len(asked) > 10 * reportlab_asked


def test_a_canvas_not_primed_is_coded_by_reportlab(monkeypatch):
    """Another canvas drawing in the report's font (nothing primed there) gets reportlab's codes."""
    from reportlab.pdfgen.canvas import Canvas
    from reportgen.typeface import subset_codes

    regular = fonts.pdf_font_family().regular
    PdfWriter().render_bytes(_minimal(_body("Ước đạt 83,1%.")))  # a primed PDF first: the table is made

    def drawn() -> bytes:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1)
        canvas.setFont(regular, 12)
        canvas.drawString(72, 720, "Ж ước đạt 83,1%")
        canvas.drawString(72, 700, "ước đạt 8.000")
        canvas.save()
        return buffer.getvalue()

    mine = drawn()
    monkeypatch.setattr(subset_codes, "TRANSLATE", False)
    assert drawn() == mine


def test_units_named_differently_share_their_font_subsets(monkeypatch):
    """The Vietnamese alphabet gets its codes first, in a fixed order: a report whose text meets its
    letters in another order (another commune's name on page 1) needs no new subset."""
    from reportlab.pdfbase import ttfonts

    built = []
    make_subset = ttfonts.TTFontFile.makeSubset
    monkeypatch.setattr(ttfonts.TTFontFile, "makeSubset",
                        lambda face, subset: built.append(len(subset)) or make_subset(face, subset))
    PdfWriter().render_bytes(_minimal(_body("Ủy ban nhân dân xã Hoành Mô, huyện Bình Liêu: ước đạt 83,1%.")))
    built.clear()
    pdf = PdfWriter().render_bytes(_minimal(_body("Ủy ban nhân dân xã Đồng Văn – Lục Hồn “tăng” 8.000 lượt.")))
    assert built == []
    assert "xã Đồng Văn – Lục Hồn “tăng”" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_subsets_past_the_cache_limit_are_built_each_time_with_the_same_bytes(monkeypatch):
    """A long run meeting many different rare characters keeps at most KEPT_PER_FONT subsets per font;
    the others are built for each PDF, giving the same file."""
    from reportgen.typeface import subsets as pdf_subsets

    monkeypatch.setattr(pdf_subsets, "KEPT_PER_FONT", 0)
    document = _minimal(_body("Ước đạt 83,1% kế hoạch — Ωμέγα, Ж."))
    first = PdfWriter().render_bytes(document)
    assert PdfWriter().render_bytes(document) == first
    monkeypatch.setattr(pdf_subsets, "CACHE", False)
    assert PdfWriter().render_bytes(document) == first
