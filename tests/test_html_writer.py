"""The HTML writer: the bundled example read back from the page as a parser (and a browser) sees it.

The example goes through the real path (the workbook, the reader, the builder with its charts); the page is
parsed with lxml and compared with the document model block by block, the appendix table and the charts
with the PDF's own text, and Chromium draws it once.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import html as lxml_html
from PIL import Image

from browser import screenshot
from conftest import ROOT, example_report
from pdf_helpers import page_texts
from reportgen.domain.assess import assess
from reportgen.charts.compose import compose
from reportgen.settings.config import load_config
from reportgen.document.build import BuildOptions, build_document
from reportgen.document.model import (
    Addressees, Cell, Chart, Column, Document, DocumentTitle, Figure, Heading, ListItem, Metadata, OfficialHeader,
    Orientation, PageBreak, Paragraph, ParagraphRole, RowKind, Run, Section, SignatureBlock, Table, TableRow,
    UnsupportedBlock,
)
from reportgen.charts.colours import STATUS_COLOURS
from reportgen.writers import theme
from reportgen.writers.html.report_page import HtmlWriter
from reportgen.writers.html.page import ASSETS, STYLESHEETS, stylesheet
from reportgen.writers.pdf.pdf_writer import PdfWriter
from reportgen.workbook.read.reader import read_workbook

HOSTILE = '<script>alert("x")</script> & <b>đậm</b>'
METADATA = Metadata("Tiêu đề", "Chủ đề", "Tác giả", __import__("datetime").datetime(2023, 6, 16))


def words(text: str) -> str:
    """Text with every run of white space (no-break spaces included) as one space."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def document() -> Document:
    result = read_workbook(ROOT / "inputs" / "2023-06.xlsx")
    assert result.report is not None, result.issues
    return build_document(result.report, assess(result.report), load_config(ROOT / "reportgen.toml"), BuildOptions())


@pytest.fixture(scope="module")
def page(document) -> str:
    return HtmlWriter().page(document)


@pytest.fixture(scope="module")
def tree(page):
    return lxml_html.fromstring(page)


@pytest.fixture(scope="module")
def pdf_text(document, tmp_path_factory) -> list[str]:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    PdfWriter().write(document, path)
    return page_texts(path)


def blocks_of(document: Document, kind: type) -> list:
    return [block for block in document.blocks() if isinstance(block, kind)]


def _minimal(*blocks, orientation=Orientation.PORTRAIT, watermark="") -> Document:
    return Document((Section(tuple(blocks), orientation),), METADATA, watermark=watermark)


# ------------------------------------------------------------ the example ---

def test_every_heading_in_order_at_its_level(document, tree):
    expected = [(block.level, block.text.upper() if block.level == 1 else block.text)
                for block in blocks_of(document, Heading)]
    found = [(int(node.get("class").split("rg-level-")[1]), words(node.text_content()))
             for node in tree.xpath('//*[contains(@class, "rg-heading")]')]
    assert found == expected
    assert [node.tag for node in tree.xpath('//*[contains(@class, "rg-heading")]')][:2] == ["h2", "h3"]


def test_every_paragraph_and_list_item_in_order(document, tree):
    expected = []
    for block in document.blocks():
        if isinstance(block, Paragraph):
            expected.append((f"rg-{block.role.value.replace('_', '-')}", block.text))
        elif isinstance(block, ListItem):
            expected.append(("rg-list-item", "- " + block.text))
        elif isinstance(block, Figure):
            expected.append(("rg-caption", block.caption))
    found = [(node.get("class").split()[1], node.text_content())
             for node in tree.xpath('//*[contains(@class, "rg-p ")]')]
    assert [(role, words(text)) for role, text in found] == [(role, words(text)) for role, text in expected]
    assert len(expected) > 50


def test_official_header_title_and_signature(document, tree):
    header = blocks_of(document, OfficialHeader)[0]
    node = tree.xpath('//header[@class="rg-official-header"]')[0]
    assert [words(p.text_content()) for p in node.xpath(".//p")] == [
        *header.agency, header.national_title, header.motto, words(header.number), words(header.place_date)]
    assert node.xpath('.//*[contains(@class, "rg-agency")]')[0].get("class") == "rg-agency rg-ruled"
    assert node.xpath('.//p[contains(@class, "rg-motto")]')[0].get("class") == "rg-motto rg-ruled"
    # The blank number keeps its spaces (as no-break spaces) for the hand-written number.
    assert "Số: \u00a0\u00a0" in node.xpath('.//p[@class="rg-number"]')[0].text_content()

    title = blocks_of(document, DocumentTitle)[0]
    assert tree.xpath("//h1")[0].text_content() == title.kind == "BÁO CÁO"
    summary = tree.xpath('//p[@class="rg-summary"]/span[@class="rg-ruled"]')[0]
    assert [words(line) for line in summary.itertext()] == [words(line) for line in title.summary]

    signature = blocks_of(document, SignatureBlock)[0]
    recipients = tree.xpath('//div[@class="rg-recipients"]/p')
    assert [p.text_content() for p in recipients] == [signature.recipients_label, *signature.recipients]
    signer = tree.xpath('//div[@class="rg-signer"]/p')
    assert [p.text_content() for p in signer] == [*signature.authority, signature.title, signature.name]
    assert tree.xpath('//div[@class="rg-signer"]/div[@class="rg-seal-space"]')


def test_sections_are_sheets_of_paper_landscape_for_the_appendices(document, tree):
    sheets = tree.xpath('//article[@class="rg-report"]/section')
    assert [sheet.get("class") for sheet in sheets] == [
        "rg-sheet rg-portrait" if section.orientation is Orientation.PORTRAIT else "rg-sheet rg-landscape"
        for section in document.sections] == ["rg-sheet rg-portrait", "rg-sheet rg-landscape", "rg-sheet rg-landscape"]


def test_appendix_table_rows_are_the_model_and_the_pdf(document, tree, pdf_text):
    table = blocks_of(document, Table)[0]
    node = tree.xpath('//table[contains(@class, "rg-table")]')[0]
    head = node.xpath("./thead/tr")
    body = node.xpath("./tbody/tr")
    assert len(head) == table.header_rows == 2
    assert [tr.get("class") for tr in head] == ["rg-header", "rg-numbering"]
    assert all(cell.tag == "th" for tr in head for cell in tr)
    rows = head + body
    assert len(rows) == len(table.rows)
    appendix = words(" ".join(text for text in pdf_text if "Phụ lục I\n" in text or "BIỂU TỔNG HỢP" in text))
    for tr, row in zip(rows, table.rows):
        cells = [words(cell.text_content()) for cell in tr]
        assert cells == [words(cell.text) for cell in row.cells]
        assert [int(cell.get("colspan", "1")) for cell in tr] == [cell.span for cell in row.cells]
        if row.kind is not RowKind.HEADER:  # the header's wrapped cells interleave in the PDF's text
            assert " ".join(cells) in appendix, cells
    group = [tr for tr, row in zip(rows, table.rows) if row.kind is RowKind.GROUP][0]
    assert group.get("class") == "rg-group" and group[1].get("colspan") == str(len(table.columns) - 1)
    # Figures right-aligned, as the model's columns say; the widths are the model's, in percent.
    first_data = body[1]
    assert [cell.get("class") for cell in first_data][5] == "rg-right"
    widths = [float(col.get("width").rstrip("%")) for col in node.xpath("./colgroup/col")]
    total = sum(column.width for column in table.columns)
    assert widths == pytest.approx([100 * column.width / total for column in table.columns], abs=0.001)
    assert "rg-pt-10" in node.get("class")  # the model's 10 pt


def test_charts_are_inline_svg_one_bar_per_indicator(document, tree, pdf_text):
    figures = blocks_of(document, Figure)
    svgs = tree.xpath('//figure[@class="rg-figure"]/*[local-name()="svg"]')
    assert len(svgs) == len(figures) == 4
    pdf_lines = [line.strip() for text in pdf_text for line in text.splitlines()]
    for figure, svg in zip(figures, svgs):
        chart = figure.chart
        assert svg.get("aria-label") == figure.caption
        assert svg.get("width") == f"{figure.width_mm:g}mm"
        bars = svg.xpath('./*[local-name()="rect"][@class="rg-bar"]')
        assert len(bars) == len(chart.labels)
        # Bar lengths follow the values: one scale for the whole chart.
        lengths = [float(bar.get("width")) for bar in bars]
        scale = [length / abs(value) for length, value in zip(lengths, chart.values) if value]
        assert not scale or max(scale) == pytest.approx(min(scale), rel=1e-3)
        assert all(length == 0 for length, value in zip(lengths, chart.values) if not value)
        # The texts are the PDF's, in the same order (labels, values, ticks, legend, axis title).
        texts = [words(node.text_content()) for node in svg.xpath('.//*[local-name()="text"]')]
        assert texts == [words(text.text) for text in compose(chart).texts]
        assert any([words(line) for line in pdf_lines[start:start + len(texts)]] == texts
                   for start in range(len(pdf_lines))), texts


def test_bars_keep_colour_and_hatch_for_black_and_white(document, tree):
    plan = tree.xpath('//*[local-name()="svg"][@class="rg-chart"]')[0]
    behind = [bar for bar in plan.xpath('./*[local-name()="rect"][@class="rg-bar"]')
              if bar.get("fill") == STATUS_COLOURS["Chậm tiến độ"]]
    assert len(behind) == 1
    hatch = behind[0].getnext()
    assert hatch.tag.endswith("svg") and hatch.get("x") == behind[0].get("x")  # the nested viewport clips it
    assert hatch[0].get("stroke") == "white" and hatch[0].get("d").count("M") > 5


def test_bars_are_where_the_pdf_draws_them(document, tree):
    figure = blocks_of(document, Figure)[0]
    pen = compose(figure.chart)
    svg = tree.xpath('//*[local-name()="svg"][@class="rg-chart"]')[0]
    assert [float(n) for n in svg.get("viewbox").split()] == pytest.approx([0, 0, pen.width, pen.height], abs=0.001)
    bars = svg.xpath('./*[local-name()="rect"][@class="rg-bar"]')
    shapes = [shape for shape in pen.ordered_shapes()
              if shape.kind == "rect" and shape.colour in STATUS_COLOURS.values() and shape.coords[1] < 40]
    for bar, shape in zip(bars, shapes[-len(bars):]):
        x, y, width, height = shape.coords
        assert float(bar.get("x")) == pytest.approx(x, abs=0.001)
        assert float(bar.get("y")) == pytest.approx(pen.height - y - height, abs=0.001)  # y runs downwards


def test_the_sample_mark_on_every_sheet(document, tree):
    assert document.watermark == "DỮ LIỆU MẪU"
    marks = tree.xpath('//section[contains(@class, "rg-sheet")]/div[@class="rg-watermark"]')
    assert len(marks) == len(document.sections)
    assert {mark.get("aria-hidden") for mark in marks} == {"true"}
    assert {words(mark.text_content()) for mark in marks} == {"DỮ LIỆU MẪU"}
    unmarked = HtmlWriter().fragment(replace(document, watermark=""))
    assert "rg-watermark" not in unmarked


def test_no_script_no_inline_style_nothing_fetched(page, tree):
    assert not tree.xpath("//script")
    assert not tree.xpath("//@style")
    assert not [name for element in tree.iter() if isinstance(element.tag, str)
                for name in element.attrib if name.startswith("on")]
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "url(http" not in stylesheet("html_report.css")


def test_metadata_and_language(document, tree):
    assert tree.xpath("//title")[0].text == document.metadata.title
    assert tree.get("lang") == "vi-VN"
    assert tree.xpath('//meta[@name="author"]')[0].get("content") == document.metadata.author


def test_page_links_the_stylesheet_when_served(document):
    served = HtmlWriter().page(document, base="/static/")
    assert '<link rel="stylesheet" href="/static/html_report.css">' in served
    assert "<style>" not in served
    assert "<style>" in HtmlWriter().page(document)


def test_assets_ship_in_the_package():
    for name, path in ASSETS.items():
        assert path.is_file(), name
    assert set(STYLESHEETS) <= set(ASSETS)
    for font in re.findall(r'url\("([^"]+)"\)', stylesheet("html_report.css")):
        assert font in ASSETS


def test_stylesheet_has_the_theme_values():
    css = stylesheet("html_report.css")

    def rule(selector: str) -> str:
        return re.search(re.escape(selector) + r" \{([^}]*)\}", css).group(1)

    portrait, landscape = theme.PORTRAIT_MARGINS, theme.LANDSCAPE_MARGINS
    assert f"width: {theme.PAGE_WIDTH_MM:g}mm;" in rule(".rg-sheet")
    assert (f"padding: {portrait.top:g}mm {portrait.right:g}mm {portrait.bottom:g}mm {portrait.left:g}mm;"
            in rule(".rg-sheet"))
    assert (f"padding: {landscape.top:g}mm {landscape.right:g}mm {landscape.bottom:g}mm {landscape.left:g}mm;"
            in rule(".rg-sheet.rg-landscape"))
    body = rule(".rg-body, .rg-closing, .rg-list-item")
    assert f"font-size: {theme.BODY_SIZE:g}pt;" in body
    assert f"text-indent: {theme.FIRST_LINE_INDENT_MM:g}mm;" in body
    assert f"line-height: {theme.SINGLE_LINE_EM * theme.LINE_SPACING:g};" in body
    assert "text-align: justify;" in body
    assert f"margin: 0 0 {theme.SPACE_AFTER_PT:g}pt;" in rule(".rg-p")
    assert f"font-size: {theme.NATIONAL_TITLE_SIZE:g}pt;" in rule(".rg-national-title")
    assert f"font-size: {theme.MOTTO_SIZE:g}pt;" in rule(".rg-motto")
    assert f"font-size: {theme.RECIPIENTS_SIZE:g}pt;" in rule(".rg-recipients")
    assert f"height: {theme.SIGNATURE_SPACE_MM:g}mm;" in rule(".rg-seal-space")
    assert f"grid-template-columns: {theme.HEADER_LEFT_MM:g}fr {theme.HEADER_RIGHT_MM:g}fr;" in rule(
        ".rg-official-header")
    assert f"border-top: {theme.RULE_WIDTH_PT:g}pt solid #000;" in rule(".rg-ruled::after")
    assert f"width: {theme.AGENCY_RULE_RATIO * 100:g}%;" in rule(".rg-ruled::after")
    for role, size in theme.PARAGRAPH_SIZE.items():
        selector = f".rg-{role.value.replace('_', '-')}"
        assert re.search(re.escape(selector) + rf"[^{{]*\{{[^}}]*font-size: {size:g}pt;", css), role


# -------------------------------------------------------- escaping, blocks ---

def test_user_text_is_escaped_everywhere():
    chart = Chart("plan", "", (HOSTILE, "Bình thường"), (40.0, 80.0), ("Chậm tiến độ", "Đúng tiến độ"),
                  reference=50.0, reference_label=HOSTILE, axis_label=HOSTILE)
    document = Document((Section((
        OfficialHeader(HOSTILE, (HOSTILE,), HOSTILE, HOSTILE, HOSTILE, HOSTILE),
        DocumentTitle(HOSTILE, (HOSTILE,)),
        Addressees("Kính gửi:", (f"- {HOSTILE};", "- Sở B.")),
        Heading(1, HOSTILE), Paragraph((Run(HOSTILE, bold=True),)), ListItem((Run(HOSTILE),)),
        Table((Column(1.0), Column(1.0)), (TableRow((Cell(HOSTILE), Cell(HOSTILE)), RowKind.HEADER),
                                           TableRow((Cell(HOSTILE, span=2),)))),
        Figure(chart, 240, 40, HOSTILE),
        SignatureBlock(HOSTILE, (HOSTILE,), (HOSTILE,), HOSTILE, HOSTILE),
    )),), replace(METADATA, title=HOSTILE, author=HOSTILE), watermark=HOSTILE)
    page = HtmlWriter().page(document)
    tree = lxml_html.fromstring(page)
    assert not tree.xpath("//script") and not tree.xpath("//b")
    assert page.count("&lt;script&gt;") >= 20
    assert tree.xpath("//title")[0].text == HOSTILE
    found = [node for node in tree.iter() if isinstance(node.tag, str) and node.text and "<script>" in node.text]
    assert len(found) >= 15


def test_a_workbook_name_with_markup_comes_out_as_text(config):
    report = example_report()
    first = report.indicators[0]
    named = replace(report, indicators=(replace(first, name=HOSTILE), *report.indicators[1:]))
    document = build_document(named, assess(named), config, BuildOptions())
    tree = lxml_html.fromstring(HtmlWriter().page(document))
    assert not tree.xpath("//script")
    cells = [cell for cell in tree.xpath("//table//td") if cell.text_content() == HOSTILE]
    assert len(cells) == 1
    labels = [text for text in tree.xpath('//*[local-name()="text"]/text()') if "<script>" in text]
    assert labels  # the chart label (fitted to its column) is text too


def test_control_characters_never_reach_the_page():
    page = HtmlWriter().page(_minimal(Paragraph((Run("a\x07b\x00c\ud800d"),))))
    assert "abcd" in page and "\x07" not in page and "\x00" not in page


def test_unknown_block_raises():
    with pytest.raises(UnsupportedBlock, match="html writer has no rule for str"):
        HtmlWriter().fragment(_minimal("not a block"))


def test_page_break_is_a_visual_break_and_runs_are_marked():
    document = _minimal(Paragraph((Run("Trước "), Run("đậm", bold=True), Run(" nghiêng", italic=True))),
                        PageBreak(), Paragraph((Run("Sau"),)), orientation=Orientation.LANDSCAPE)
    tree = lxml_html.fromstring(HtmlWriter().page(document))
    sheet = tree.xpath("//section")[0]
    assert sheet.get("class") == "rg-sheet rg-landscape"
    assert [child.tag for child in sheet] == ["p", "hr", "p"]
    assert sheet[1].get("class") == "rg-page-break"
    assert tree.xpath("//strong")[0].text == "đậm" and tree.xpath("//em")[0].text == " nghiêng"


def test_several_addressees_hang_their_dashes():
    block = Addressees("Kính gửi:", ("- Ủy ban nhân dân tỉnh;", "- Sở Kế hoạch và Đầu tư."))
    tree = lxml_html.fromstring(HtmlWriter().page(_minimal(block)))
    node = tree.xpath('//div[@class="rg-addressees rg-several"]')[0]
    assert node[0].text_content() == "Kính gửi"
    lines = node.xpath('.//span[@class="rg-addressee"]')
    assert [line.text_content() for line in lines] == ["-Ủy ban nhân dân tỉnh;", "-Sở Kế hoạch và Đầu tư."]
    assert [line[0].get("class") for line in lines] == ["rg-dash", "rg-dash"]
    single = lxml_html.fromstring(HtmlWriter().page(_minimal(Addressees("Kính gửi:", ("UBND tỉnh.",)))))
    assert single.xpath('//p[@class="rg-addressees"]')[0].text_content() == "Kính gửi: UBND tỉnh."


def test_write_saves_a_page_that_opens_on_its_own(document, tmp_path):
    path = tmp_path / "bao-cao.html"
    HtmlWriter().write(document, path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<style>" in text and "<link" not in text


# ------------------------------------------------------------ in a browser ---

def test_chromium_draws_the_report_and_its_charts(document, tmp_path):
    """One real browser: the first sheet is not blank, and the charts' bars show their status colours."""
    appendices = replace(document, sections=document.sections[2:])
    page = tmp_path / "charts.html"
    HtmlWriter().write(appendices, page)
    image = Image.open(screenshot(page, tmp_path / "charts.png", (1280, 1000), tmp_path)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None
    counts = {colour: count for count, colour in colours}
    dark = sum(count for colour, count in counts.items() if max(colour) < 100)
    assert dark > 5000  # text and lines
    for status in ("Đúng tiến độ", "Chậm tiến độ", "Chưa đạt"):
        rgb = tuple(int(STATUS_COLOURS[status][i:i + 2], 16) for i in (1, 3, 5))
        assert counts.get(rgb, 0) > 300, status  # bars drawn in their colour, hatching over it

    front = replace(document, sections=document.sections[:1])
    HtmlWriter().write(front, page)
    first = Image.open(screenshot(page, tmp_path / "front.png", (1280, 1200), tmp_path)).convert("L")
    histogram = first.histogram()
    assert sum(histogram[:100]) > 20000  # a page of text, not a blank sheet
    assert sum(histogram[250:]) > 0.3 * first.width * first.height  # on white paper
