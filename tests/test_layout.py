"""The report's layout as a head of office checks it (vn-conventions §3.6 "Layout"), read back from the real
.docx and .pdf of every period kind: the body pointing to its numbered appendices, "Kính gửi:" and
"- Như trên;" when configured, the sample-data mark as a watermark on every page (never a paragraph), the
issuer's full name on the appendices, the document properties of the issuing office, the space for the
signature recorded for issuing, no-break spaces, headings not stretched, the appendix table padded alike.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from conftest import ROOT, example_report
from pdf_helpers import page_texts, placed_text
from reportgen.domain.assess import assess
from reportgen.settings.config import load_config
from reportgen.document.build import BuildOptions, build_document
from reportgen.document.model import Document, DocumentTitle, OfficialHeader
from reportgen.core.periods import Period
from reportgen.typeface import report_font as fonts
from reportgen.writers import theme
from reportgen.writers.docx.word_writer import DocxWriter
from reportgen.writers.pdf.pdf_writer import PdfWriter
from reportgen.writers.pdf.flowables import HorizontalRule, document_title, official_header
from reportgen.writers.pdf.paragraph_styles import face, styles_for

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
V = "urn:schemas-microsoft-com:vml"
NBSP = "\u00a0"
PERIODS = ("2023-06", "2023-Q3", "2023-H1", "2023-9M", "2023")
UNIT = "Ủy ban nhân dân huyện Bình Liêu"
TWO_ADDRESSEES = ("Ủy ban nhân dân tỉnh Quảng Ninh", "Sở Kế hoạch và Đầu tư tỉnh Quảng Ninh")


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


def build(period: str = "2023-06", addressees: tuple[str, ...] = (), charts: bool = True) -> Document:
    report = example_report()
    report = dataclasses.replace(report, info=dataclasses.replace(report.info, period=Period.parse(period)))
    config = load_config(ROOT / "reportgen.toml")
    config = dataclasses.replace(config, report=dataclasses.replace(config.report, addressees=addressees))
    return build_document(report, assess(report), config, BuildOptions(charts=charts))


@dataclasses.dataclass
class Written:
    document: Document
    docx: Path
    pdf: Path

    @property
    def word(self):
        return docx.Document(str(self.docx))

    def part(self, name: str) -> bytes:
        with zipfile.ZipFile(self.docx) as package:
            return package.read(name)

    def names(self) -> list[str]:
        with zipfile.ZipFile(self.docx) as package:
            return package.namelist()


def write(document: Document, folder: Path) -> Written:
    folder.mkdir(parents=True, exist_ok=True)
    written = Written(document, folder / "bao-cao.docx", folder / "bao-cao.pdf")
    DocxWriter().write(document, written.docx)
    PdfWriter().write(document, written.pdf)
    return written


@pytest.fixture(scope="module", params=PERIODS)
def written(request, tmp_path_factory) -> Written:
    return write(build(request.param), tmp_path_factory.mktemp(request.param))


@pytest.fixture(scope="module")
def upward(tmp_path_factory) -> Written:
    """June's report sent to two higher bodies."""
    return write(build(addressees=TWO_ADDRESSEES), tmp_path_factory.mktemp("upward"))


def docx_paragraphs(word) -> list[str]:
    return [plain(p.text) for p in word.paragraphs]


def pdf_text(path: Path) -> str:
    return plain("\n".join(page_texts(path)))


# ------------------------------------------------------------ appendices ----

def test_the_body_points_to_both_numbered_appendices(written):
    sentence = "(chi tiết tại các Phụ lục I, II kèm theo)"
    assert any(sentence in text for text in docx_paragraphs(written.word))
    assert sentence in " ".join(pdf_text(written.pdf).split())


def test_each_appendix_is_numbered_titled_and_refers_to_the_report_by_the_issuers_full_name(written):
    paragraphs = docx_paragraphs(written.word)
    assert paragraphs.count("Phụ lục I") == paragraphs.count("Phụ lục II") == 1
    references = [text for text in paragraphs if text.startswith("(Kèm theo Báo cáo số")]
    assert len(references) == 2 and all(text.endswith(f"của {UNIT})") for text in references)
    pages = [plain(text) for text in page_texts(written.pdf)]
    first = next(n for n, text in enumerate(pages) if "Phụ lục I\n" in text or text.rstrip().endswith("Phụ lục I"))
    assert "BIỂU TỔNG HỢP" in pages[first]
    charts = [n for n, text in enumerate(pages) if "Phụ lục II" in text and "BIỂU ĐỒ" in text]
    assert charts and charts[0] > first
    assert sum(f"của {UNIT})" in " ".join(text.split()) for text in pages) == 2


def test_a_single_appendix_is_unnumbered_and_pointed_to_as_such(tmp_path):
    only = write(build(charts=False), tmp_path)
    paragraphs = docx_paragraphs(only.word)
    assert "Phụ lục" in paragraphs and "Phụ lục I" not in paragraphs
    assert any("(chi tiết tại Phụ lục kèm theo)" in text for text in paragraphs)
    assert "(chi tiết tại Phụ lục kèm theo)" in " ".join(pdf_text(only.pdf).split())


def test_charts_are_an_appendix_of_their_own_with_numbered_pages(written):
    """No chart page hangs after the signature outside a numbered appendix: each appendix is a section of its
    own, numbered from 1."""
    sections = written.document.sections
    assert len(sections) == 3
    assert [section.number_first_page for section in sections] == [False, True, True]
    sect_prs = etree.fromstring(written.part("word/document.xml")).iter(f"{{{W}}}sectPr")
    starts = [s.find(f"{{{W}}}pgNumType") for s in sect_prs]
    assert [None if start is None else start.get(f"{{{W}}}start") for start in starts] == [None, "1", "1"]


# ------------------------------------------------------------ sample mark ----

def test_the_sample_mark_is_a_watermark_on_every_page_never_a_paragraph(written):
    paragraphs = docx_paragraphs(written.word)
    assert not [text for text in paragraphs if "DỮ LIỆU MẪU" in text.upper() or "dữ liệu mẫu" in text]
    title_end = paragraphs.index(next(text for text in paragraphs if text.startswith("Tình hình thực hiện")))
    body_start = next(n for n, text in enumerate(paragraphs) if text.startswith("Thực hiện"))
    assert all(not text.strip() for text in paragraphs[title_end + 1:body_start])  # only the drawn rule between
    word = written.word
    headers = [section.header for section in word.sections]
    headers += [section.first_page_header for section in word.sections if section.different_first_page_header_footer]
    assert len({id(header.part) for header in headers}) == 4  # page 1's, the report's later pages', each appendix's
    for header in headers:
        marks = header._element.iter(f"{{{V}}}textpath")  # python-docx exposes no drawing API for VML
        assert [mark.get("string") for mark in marks if mark.get("string")] == ["DỮ LIỆU MẪU"]
    pages = page_texts(written.pdf)
    assert all("DỮ LIỆU MẪU" in text for text in pages)
    first = plain(pages[0])
    assert "Ghi chú" not in first and first.index("như sau:") > first.index("nhiệm vụ trọng tâm")


def test_a_long_watermark_is_set_smaller_to_stay_on_the_page(tmp_path):
    """A working folder's own khung.j2 may word the mark as a sentence: it shrinks to fit, never runs off."""
    long = "Ghi chú: số liệu trong báo cáo này là DỮ LIỆU MẪU dùng để minh họa, không phải số liệu chính thức."
    sizes = []
    for text in ("DỮ LIỆU MẪU", long):
        path = tmp_path / f"{len(text)}.pdf"
        PdfWriter().write(dataclasses.replace(build(charts=False), watermark=text), path)
        [mark] = [piece for piece in placed_text(PdfReader(str(path)).pages[0]) if "DỮ LIỆU MẪU" in piece.text]
        sizes.append(mark.size)  # as pypdf measures a turned text: only the ratio of the two counts
    bold = fonts.pdf_font_family().bold
    fitted = theme.WATERMARK_SPAN_MM * mm / stringWidth(long, bold, 1.0)
    assert sizes[1] / sizes[0] == pytest.approx(fitted / theme.WATERMARK_SIZE, rel=0.01) and fitted < 30


def test_a_report_of_real_data_has_no_mark(tmp_path):
    report = example_report()
    report = dataclasses.replace(report, info=dataclasses.replace(report.info, sample=False))
    config = load_config(ROOT / "reportgen.toml")
    real = write(build_document(report, assess(report), config, BuildOptions()), tmp_path)
    assert not [name for name in real.names() if b"textpath" in real.part(name)]
    assert not any("DỮ LIỆU MẪU" in text for text in page_texts(real.pdf))


# --------------------------------------------------------------- Kính gửi ----

def test_without_addressees_there_is_no_kinh_gui_and_no_nhu_tren(written):
    assert not any("Kính gửi" in text or "Như trên" in text for text in docx_paragraphs(written.word))
    assert "Kính gửi" not in pdf_text(written.pdf) and "Như trên" not in pdf_text(written.pdf)


def test_several_addressees_each_on_a_line_dashes_under_the_colon_and_nhu_tren_first(upward):
    word = upward.word
    paragraphs = word.paragraphs
    label = next(p for p in paragraphs if p.text == "Kính gửi:")
    first, second = label._p.getnext(), label._p.getnext().getnext()
    texts = [plain("".join(t.text for t in element.iter(f"{{{W}}}t"))) for element in (first, second)]
    assert texts == ["- Ủy ban nhân dân tỉnh Quảng Ninh;", "- Sở Kế hoạch và Đầu tư tỉnh Quảng Ninh."]
    from reportgen.typeface.metrics import text_width_mm

    def indent(element, name):
        ind = element.find(f"{{{W}}}pPr/{{{W}}}ind")
        return int(ind.get(f"{{{W}}}{name}", 0)) / 1440 * 25.4

    colon_x = indent(label._p, "left") + text_width_mm("Kính gửi", 14)
    for element in (first, second):
        assert indent(element, "left") - indent(element, "hanging") == pytest.approx(colon_x, abs=0.1)
    signature = word.tables[1].cell(0, 0)
    recipients = [plain(p.text) for p in signature.paragraphs]
    assert recipients[:2] == ["Nơi nhận:", "- Như trên;"] and recipients[-1] == "- Lưu: VT, TCKH."
    assert "- UBND tỉnh Quảng Ninh (b/c);" not in recipients  # addressed above: "Như trên" covers it

    page = PdfReader(str(upward.pdf)).pages[0]
    placed = {plain(piece.text): piece for piece in placed_text(page)}
    label_pdf = placed["Kính gửi:"]
    family = fonts.pdf_font_family()
    colon_pdf = label_pdf.x + stringWidth("Kính gửi", family.regular, 14)
    for line in ("- Ủy ban nhân dân tỉnh Quảng Ninh;", "- Sở Kế hoạch và Đầu tư tỉnh Quảng Ninh."):
        assert placed[line].x == pytest.approx(colon_pdf, abs=0.2)
        assert placed[line].y < label_pdf.y
    text = pdf_text(upward.pdf)
    assert text.index("Nơi nhận:") < text.index("- Như trên;") < text.index("- Lưu: VT, TCKH.")


def test_an_addressee_is_not_listed_again_after_nhu_tren():
    """reportgen.toml's recipients start with "UBND tỉnh Quảng Ninh (b/c)": addressed above, it is "Như trên"."""
    from reportgen.document.model import SignatureBlock

    [block] = [b for b in build(addressees=TWO_ADDRESSEES, charts=False).blocks() if isinstance(b, SignatureBlock)]
    assert block.recipients[:2] == ("- Như trên;", "- Sở Kế hoạch và Đầu tư (b/c);")
    assert not [line for line in block.recipients if "Quảng Ninh" in line]
    [unaddressed] = [b for b in build(charts=False).blocks() if isinstance(b, SignatureBlock)]
    assert unaddressed.recipients[0] == "- UBND tỉnh Quảng Ninh (b/c);"


def test_one_addressee_goes_on_the_labels_line(tmp_path):
    one = write(build(addressees=("Ủy ban nhân dân tỉnh Quảng Ninh",)), tmp_path)
    assert "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ninh." in docx_paragraphs(one.word)
    assert "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ninh." in pdf_text(one.pdf)
    assert "- Như trên;" in pdf_text(one.pdf)


# ----------------------------------------------------- document properties ----

def test_document_properties_are_the_issuing_offices(written):
    core = written.word.core_properties
    assert core.author == core.last_modified_by == UNIT
    assert core.title.startswith("BÁO CÁO Tình hình thực hiện nhiệm vụ")
    app = written.part("docProps/app.xml").decode("utf-8")
    assert "Microsoft" not in app and "Normal.dotm" not in app and "AppVersion" not in app
    assert "<Application>reportgen</Application>" in app and f"<Company>{UNIT}</Company>" in app
    info = PdfReader(str(written.pdf)).metadata
    assert (info.author, info.creator, info.producer) == (UNIT, "reportgen", "reportgen")
    assert info.title.startswith("BÁO CÁO Tình hình thực hiện nhiệm vụ")


# -------------------------------------------------------------- signature ----

def test_the_space_for_signature_and_seal_is_given_to_whoever_signs(written):
    """The writer says where it drew the empty space between the title and the name (≈ 30 mm high, the signer's
    column wide): the visible signature goes there when the report is issued."""
    rendered = PdfWriter().render_pdf(written.document)
    assert rendered.data == written.pdf.read_bytes()  # the same PDF as the one written
    box = rendered.signature
    assert box.top - box.bottom == pytest.approx(theme.SIGNATURE_SPACE_MM * mm, abs=0.5)
    column = 165 * mm * (1 - theme.SIGNATURE_LEFT_RATIO)
    assert box.right - box.left == pytest.approx(column - 2 * theme.TABLE_CELL_PADDING_MM * mm, abs=0.5)
    placed = placed_text(PdfReader(str(written.pdf)).pages[box.page])
    title = next(p for p in placed if plain(p.text) == "PHÓ CHỦ TỊCH")
    name = next(p for p in placed if plain(p.text) == "Nguyễn Văn A")
    assert name.y < box.bottom < box.top < title.y
    assert box.left < title.x < box.right


# --------------------------------------------------- typography of the text ----

def test_numbers_stay_with_their_units_and_words_with_their_numbers(written):
    body = written.part("word/document.xml").decode("utf-8")
    for kept in ("498,6\u00a0tỷ\u00a0đồng", "năm\u00a02023", "Phụ\u00a0lục\u00a0I", "318\u00a0lao\u00a0động"):
        assert kept in body, kept
    assert "giai\u00a0đoạn\u00a01" in body  # "(giai đoạn 1)" of the first key project
    units = re.compile(r"(tỷ|triệu|tháng|năm|hộ|lao động|lượt|điểm)\b")
    for page in page_texts(written.pdf):  # no printed line ends with a number whose unit starts the next line
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        broken = [(a, b) for a, b in zip(lines, lines[1:]) if re.search(r"\d$", a) and units.match(b)]
        assert not broken, broken


def test_headings_are_not_justified(written):
    styles = etree.fromstring(written.part("word/styles.xml"))
    for level in (1, 2, 3):
        [jc] = styles.xpath(f"//w:style[@w:styleId='Heading{level}']/w:pPr/w:jc", namespaces={"w": W})
        assert jc.get(f"{{{W}}}val") == "left"
    from reportlab.lib.enums import TA_LEFT

    pdf_styles = styles_for(fonts.pdf_font_family())
    assert {style.alignment for style in pdf_styles.headings.values()} == {TA_LEFT}


def test_the_appendix_table_is_padded_on_all_sides_as_in_the_pdf(written):
    tables = etree.fromstring(written.part("word/document.xml")).iter(f"{{{W}}}tbl")
    top = f"{{{W}}}tblPr/{{{W}}}tblBorders/{{{W}}}top"
    bordered = [t for t in tables if t.find(top).get(f"{{{W}}}val") == "single"]
    [table] = bordered
    margins = table.find(f"{{{W}}}tblPr/{{{W}}}tblCellMar")
    padding = round(theme.TABLE_CELL_PADDING_MM * 1440 / 25.4)
    assert {child.tag.split("}")[1]: int(child.get(f"{{{W}}}w")) for child in margins} == \
        {"top": padding, "left": padding, "bottom": padding, "right": padding}


# ------------------------------------------------------------- page-1 header ----

def test_the_national_title_keeps_12_pt_and_its_column_widens_with_a_wider_font(tmp_path):
    """With the DejaVu Serif fallback (no metric-compatible Times on the machine) the title is wider than the
    theme's column: the column grows, the title stays at 12 pt on one line."""
    import warnings

    document = build(charts=False)
    header = next(block for block in document.blocks() if isinstance(block, OfficialHeader))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fonts.FontFallbackWarning)
        styles = styles_for(fonts.pdf_font_family(system=False))
        PdfWriter(system_fonts=False).write(document, tmp_path / "fallback.pdf")
    bold = face(styles.family, bold=True)
    title_width = stringWidth(header.national_title, bold, theme.NATIONAL_TITLE_SIZE)
    assert title_width > (theme.HEADER_RIGHT_MM - 2 * theme.TABLE_CELL_PADDING_MM) * mm  # it would not fit
    table = official_header(header, styles, 165 * mm)
    assert table._colWidths[1] >= title_width + 2 * theme.TABLE_CELL_PADDING_MM * mm
    assert sum(table._colWidths) == pytest.approx(165 * mm)
    placed = placed_text(PdfReader(str(tmp_path / "fallback.pdf")).pages[0])
    [title] = [piece for piece in placed if "CỘNG HÒA" in piece.text]
    assert plain(title.text) == header.national_title and title.size == pytest.approx(theme.NATIONAL_TITLE_SIZE)


def test_the_rule_under_the_summary_is_a_third_to_a_half_of_its_longest_line():
    document = build(charts=False)
    title = next(block for block in document.blocks() if isinstance(block, DocumentTitle))
    styles = styles_for(fonts.pdf_font_family())
    flowables = document_title(title, styles, 165 * mm)
    [rule] = [f for f in flowables if isinstance(f, HorizontalRule)]
    bold = face(styles.family, bold=True)
    from reportlab.lib.utils import simpleSplit

    lines = [piece for f in flowables[1:-1] for piece in simpleSplit(plain(f.text), bold, 14, 165 * mm)]
    longest = max(stringWidth(line, bold, 14) for line in lines)
    assert longest / 3 <= rule.length <= longest / 2


# ------------------------------------------------------------- LibreOffice ----

def _grey_pixels(pdf: Path, tmp_path: Path) -> list[int]:
    """Per page, the pixels in the watermark's grey (± a little) of the page rendered at 30 dpi."""
    import subprocess

    from PIL import Image

    stem = tmp_path / pdf.stem
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", str(pdf), str(stem)], check=True, timeout=120)
    level = round(theme.WATERMARK_GREY * 255)
    return [sum(Image.open(page).histogram()[level - 12:level + 13])
            for page in sorted(tmp_path.glob(f"{pdf.stem}-*.png"))]


def test_libreoffice_prints_the_upward_report_with_its_watermark(upward, tmp_path):
    """Word's reading of the .docx, through LibreOffice: Kính gửi, Như trên, the pointer to both appendices, and
    the watermark on every page (compared with the same report of real data, which has none)."""
    import os
    import subprocess

    from test_docx_writer import soffice_or_skip

    soffice = soffice_or_skip()
    real = build(addressees=TWO_ADDRESSEES)
    real = dataclasses.replace(real, watermark="")
    sources = [upward.docx, tmp_path / "real.docx"]
    DocxWriter().write(real, sources[1])
    out = tmp_path / "lo"
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, sources)], check=True,
                   capture_output=True, timeout=240, env={**os.environ, "LANG": "vi_VN.UTF-8"})
    text = " ".join(plain("\n".join(page_texts(out / "bao-cao.pdf"))).split())
    for expected in ("Kính gửi:", "- Ủy ban nhân dân tỉnh Quảng Ninh;", "- Sở Kế hoạch và Đầu tư tỉnh Quảng Ninh.",
                     "- Như trên;", "(chi tiết tại các Phụ lục I, II kèm theo)", "Phụ lục I", "Phụ lục II",
                     f"của {UNIT})", "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH"):
        assert expected in text, expected
    marked, plain_pages = _grey_pixels(out / "bao-cao.pdf", tmp_path), _grey_pixels(out / "real.pdf", tmp_path)
    assert len(marked) == len(plain_pages) >= 6
    assert all(with_mark > without + 500 for with_mark, without in zip(marked, plain_pages)), (marked, plain_pages)


def test_every_chart_of_the_docx_carries_its_workbook(written):
    """Word's "Edit Data" opens the chart's own figures: one embedded workbook per chart, holding its names and
    bar values (the detailed cell-by-cell check is in test_chart_measures.py)."""
    import openpyxl

    from reportgen.document.model import Figure

    figures = [block for block in written.document.blocks() if isinstance(block, Figure)]
    embedded = sorted(name for name in written.names() if name.startswith("word/embeddings/"))
    charts = [name for name in written.names() if re.fullmatch(r"word/charts/chart\d+\.xml", name)]
    assert len(embedded) == len(figures) == len(charts)
    for number, figure in enumerate(figures, 1):
        data = written.part(f"word/embeddings/Microsoft_Excel_Worksheet{number}.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(data))
        rows = list(sheet["Sheet1"].iter_rows(min_row=2, values_only=True))
        assert [row[0] for row in rows] == list(figure.chart.labels)
        first = 2 if figure.chart.tracks else 1  # the tracks are the first series (column B), under the bars
        if figure.chart.tracks:
            assert [float(row[1]) for row in rows] == pytest.approx(list(figure.chart.tracks))
        bars = [next(v for v in row[first:] if v is not None) for row in rows]  # each bar in its status's column
        assert [float(v) for v in bars] == pytest.approx(list(figure.chart.values))


def test_keep_together_within_a_box_keeps_only_the_groups_that_fit():
    from reportgen.writers.keep_together import NBSP, keep_together_within

    text = "Thay thế Báo cáo số 02/BC-UBND ngày 20/02/2023, đạt 498,6 tỷ đồng"
    wide = keep_together_within(text, lambda group: True)
    assert f"ngày{NBSP}20/02/2023" in wide and f"498,6{NBSP}tỷ{NBSP}đồng" in wide
    narrow = keep_together_within(text, lambda group: len(group) <= 14)
    assert "ngày 20/02/2023" in narrow and f"498,6{NBSP}tỷ{NBSP}đồng" in narrow
