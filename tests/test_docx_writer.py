"""The Word writer, read back from the real .docx (python-docx and lxml), and once through LibreOffice.

Golden file: tests/golden/example_document.xml is word/document.xml of the
example report, pretty-printed with volatile values masked.  After an
intended layout change, regenerate it with

    REPORTGEN_REGEN_GOLDEN=1 .venv/bin/pytest tests/test_docx_writer.py -k golden

and review the diff before committing it.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from lxml import etree

from conftest import ROOT, example_report
from reportgen.domain.assess import assess
from reportgen.settings.config import load_config
from reportgen.document.build import BuildOptions, build_document
from reportgen.document.model import (
    Chart, Document, Figure, Metadata, Orientation, Paragraph, ParagraphRole, Run, Section, Table, TableRow, Cell,
    Column, UnsupportedBlock,
)
from reportgen.charts.colours import STATUS_COLOURS
from reportgen.writers import theme
from reportgen.writers.docx.word_writer import DocxWriter
from reportgen.writers.docx.official import summary_text
from reportgen.writers.docx.xml import scale_widths
from reportgen.typeface.metrics import line_widths_mm, text_width_mm

GOLDEN = ROOT / "tests" / "golden" / "example_document.xml"
REGEN_ENV = "REPORTGEN_REGEN_GOLDEN"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
TWIPS_PER_MM = 1440 / 25.4


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def example_document() -> Document:
    report = example_report()
    config = load_config(ROOT / "reportgen.toml")
    return build_document(report, assess(report), config, BuildOptions(charts=False))


@pytest.fixture(scope="module")
def model() -> Document:
    return example_document()


@pytest.fixture(scope="module")
def docx_bytes(model) -> bytes:
    return DocxWriter().to_bytes(model)


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory, model) -> Path:
    path = tmp_path_factory.mktemp("docx") / "example.docx"
    DocxWriter().write(model, path)
    return path


@pytest.fixture(scope="module")
def word(docx_path):
    return docx.Document(str(docx_path))


@pytest.fixture(scope="module")
def body(docx_path):
    with zipfile.ZipFile(docx_path) as package:
        return etree.fromstring(package.read("word/document.xml")).find(w("body"))


def plain(text: str) -> str:
    """Text as the model has it: the writer's no-break spaces (number and unit kept together) as spaces."""
    return text.replace("\u00a0", " ")


def paragraph_starting(word, prefix: str):
    for paragraph in word.paragraphs:
        if plain(paragraph.text).startswith(prefix):
            return paragraph
    raise AssertionError(f"no paragraph starts with {prefix!r}")


def twips_attr(element, name: str) -> int:
    value = element.get(w(name)) if element is not None else None
    return int(value) if value is not None else 0


def rule_length_mm(paragraph_element, box_mm: float) -> float:
    """Length of a paragraph's bottom border: the box it sits in less its indents."""
    indent = paragraph_element.find("w:pPr/w:ind", NS)
    return box_mm - (twips_attr(indent, "left") + twips_attr(indent, "right")) / TWIPS_PER_MM


def cell_text_width_mm(cell) -> float:
    """Width inside a table cell: its tcW less the table's left and right cell margins."""
    tc = cell._tc
    width = int(tc.find("w:tcPr/w:tcW", NS).get(w("w")))
    margins = tc.getparent().getparent().find("w:tblPr/w:tblCellMar", NS)
    padding = int(margins.find("w:left", NS).get(w("w"))) + int(margins.find("w:right", NS).get(w("w")))
    return (width - padding) / TWIPS_PER_MM


_RULED = etree.XPath(".//w:p[w:pPr/w:pBdr/w:bottom[@w:val='single']]", namespaces=NS)


def ruled_paragraphs(container_element) -> list:
    """Paragraphs drawing a solid bottom border: the rules."""
    return _RULED(container_element)


# ------------------------------------------------------------------ pages ----

def test_portrait_section_is_a4_with_decree_margins(word):
    section = word.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(m.twips for m in margins) == (1134, 1134, 1701, 850)


def test_appendix_section_is_landscape_with_its_margins(word):
    assert len(word.sections) == 2
    section = word.sections[1]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (section.page_width.twips, section.page_height.twips) == (16838, 11906)
    expected = theme.LANDSCAPE_MARGINS
    assert round(section.left_margin.mm) == expected.left and round(section.right_margin.mm) == expected.right
    assert round(section.top_margin.mm) == expected.top and round(section.bottom_margin.mm) == expected.bottom


def header_fields(header) -> list[str]:
    element = header._element
    simple = [f.get(w("instr")) for f in element.iter(w("fldSimple"))]
    complex_ = [t.text for t in element.iter(w("instrText"))]
    return [instr.strip() for instr in simple + complex_]


def test_first_page_of_the_report_shows_no_number(word):
    section = word.sections[0]
    assert section.different_first_page_header_footer
    assert section._sectPr.find("w:titlePg", NS) is not None
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert header_fields(first) == [] and "".join(p.text for p in first.paragraphs).strip() == ""


def test_page_number_is_a_centred_14pt_page_field_in_the_header(word):
    header = word.sections[0].header
    assert not header.is_linked_to_previous
    assert header_fields(header) == ["PAGE"]
    paragraph = header.paragraphs[0]
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    size = paragraph._p.find(".//w:fldSimple/w:r/w:rPr/w:sz", NS).get(w("val"))
    assert int(size) == theme.PAGE_NUMBER_SIZE * 2


def test_appendix_restarts_numbering_and_numbers_its_first_page(word):
    section = word.sections[1]
    number_type = section._sectPr.find("w:pgNumType", NS)
    assert number_type is not None and number_type.get(w("start")) == "1"
    assert not section.different_first_page_header_footer
    assert not section.header.is_linked_to_previous
    assert header_fields(section.header) == ["PAGE"]
    assert word.sections[0]._sectPr.find("w:pgNumType", NS) is None


# ------------------------------------------------------------------ fonts ----

def test_normal_style_and_defaults_name_times_new_roman_for_every_script(word):
    styles = word.styles.element
    for r_fonts in (styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS),
                    word.styles["Normal"].element.find("w:rPr/w:rFonts", NS)):
        for script in ("ascii", "hAnsi", "cs", "eastAsia"):
            assert r_fonts.get(w(script)) == "Times New Roman"
        assert not [name for name in r_fonts.keys() if name.endswith("Theme")]  # theme fonts would win
    normal = word.styles["Normal"]
    assert normal.font.size == Pt(14)
    assert normal.element.find("w:rPr/w:lang", NS).get(w("val")) == "vi-VN"


def test_every_run_names_times_new_roman(body):
    runs = list(body.iter(w("r")))
    assert len(runs) > 100
    for run in runs:
        r_fonts = run.find("w:rPr/w:rFonts", NS)
        assert r_fonts is not None, etree.tostring(run)
        assert {r_fonts.get(w(s)) for s in ("ascii", "hAnsi", "cs", "eastAsia")} == {"Times New Roman"}


def test_body_paragraph_is_14pt_justified_indented_with_space_after(word):
    paragraph = paragraph_starting(word, "Thực hiện Chương trình công tác năm 2023")
    style = paragraph.style
    assert style.name == "Body Text"
    fmt = style.paragraph_format
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(fmt.first_line_indent.mm - 12.7) < 0.05
    assert fmt.space_after == Pt(6)
    assert fmt.line_spacing == pytest.approx(theme.LINE_SPACING)
    assert fmt.widow_control
    assert {run.font.size for run in paragraph.runs} == {Pt(14)}


def test_no_rule_is_drawn_with_characters_or_underline(body):
    text = "".join(body.itertext())
    assert "─" not in text and "___" not in text
    assert not list(body.iter(w("u")))


# ----------------------------------------------------------- page-1 header ----

def test_header_table_is_two_by_two_borderless_with_the_theme_widths(word):
    table = word.tables[0]
    assert (len(table.rows), len(table.columns)) == (2, 2)
    borders = table._tbl.find("w:tblPr/w:tblBorders", NS)
    assert {edge.get(w("val")) for edge in borders} == {"nil"}
    widths = [table.cell(0, i).width.mm for i in range(2)]
    assert widths == pytest.approx([theme.HEADER_LEFT_MM, theme.HEADER_RIGHT_MM], abs=0.1)


def test_header_cells_carry_agency_title_motto_number_and_date(word):
    table = word.tables[0]
    left, right = table.cell(0, 0), table.cell(0, 1)
    agency = [p for p in left.paragraphs if p.text]
    assert [p.text for p in agency] == ["ỦY BAN NHÂN DÂN", "HUYỆN BÌNH LIÊU"]
    for paragraph in agency:
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(run.bold and run.font.size == Pt(theme.AGENCY_SIZE) for run in paragraph.runs)
    title, motto = [p for p in right.paragraphs if p.text]
    assert title.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert title.runs[0].bold and title.runs[0].font.size == Pt(12)
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"
    assert motto.runs[0].bold and motto.runs[0].font.size == Pt(13)

    number, place_date = table.cell(1, 0).paragraphs[0], table.cell(1, 1).paragraphs[0]
    assert number.text.startswith("Số:") and number.text.endswith("/BC-UBND")
    assert number.runs[0].font.size == Pt(13) and not number.runs[0].italic
    assert place_date.text.startswith("Bình Liêu, ngày")
    assert place_date.runs[0].italic and place_date.runs[0].font.size == Pt(13)
    assert number.alignment == place_date.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_agency_rule_is_a_drawn_line_of_the_theme_fraction_of_the_name(word):
    left = word.tables[0].cell(0, 0)
    [rule] = ruled_paragraphs(left._tc)
    name_width = max(text_width_mm(line, 12, bold=True) for line in ("ỦY BAN NHÂN DÂN", "HUYỆN BÌNH LIÊU"))
    length = rule_length_mm(rule, cell_text_width_mm(left))
    assert length == pytest.approx(theme.AGENCY_RULE_RATIO * name_width, abs=1)
    assert name_width / 3 - 1 <= length <= name_width / 2 + 1  # Decree 30: 1/3 to 1/2 of the name
    assert "".join(rule.itertext()) == ""


def test_motto_rule_is_as_long_as_the_motto(word):
    right = word.tables[0].cell(0, 1)
    [rule] = ruled_paragraphs(right._tc)
    length = rule_length_mm(rule, cell_text_width_mm(right))
    assert length == pytest.approx(text_width_mm("Độc lập - Tự do - Hạnh phúc", 13, bold=True), abs=1)
    assert 54 <= length <= 60  # vn-conventions §1.3: the motto is ≈ 56 mm at 13 pt bold
    bottom = rule.find("w:pPr/w:pBdr/w:bottom", NS)
    assert bottom.get(w("sz")) == str(round(theme.RULE_WIDTH_PT * 8))


def test_title_and_summary_are_bold_centred_with_a_short_rule(word, model):
    kind = paragraph_starting(word, "BÁO CÁO")
    assert kind.text == "BÁO CÁO"
    summary = paragraph_starting(word, "Tình hình thực hiện nhiệm vụ")
    lines = model.sections[0].blocks[1].summary
    assert re.sub(r"\s+", " ", summary.text) == " ".join(lines)
    for paragraph in (kind, summary):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(run.bold and run.font.size == Pt(14) for run in paragraph.runs)
    rule = summary._p.getnext()
    rules = ruled_paragraphs(word.element.body)
    assert len(rules) == 3 and rule is rules[-1]  # agency, motto, summary
    printed = summary_text(lines, 165).split("\n")  # the model's lines, or one text Word wraps
    longest = max(width for line in printed for width in line_widths_mm(line, 165, 14, bold=True))
    assert rule_length_mm(rule, 165) == pytest.approx(theme.SUMMARY_RULE_RATIO * longest, abs=1)
    assert longest / 3 <= rule_length_mm(rule, 165) <= longest / 2  # Phụ lục I §II.5.b: 1/3 to 1/2 of the line


def test_summary_keeps_the_models_lines_when_they_fit():
    assert summary_text(("Tình hình tháng 01;", "nhiệm vụ tháng 02"), 165) == "Tình hình tháng 01;\nnhiệm vụ tháng 02"
    long = "Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội tháng 6 và 6 tháng đầu năm 2023;"
    assert summary_text((long, "nhiệm vụ"), 165) == f"{long} nhiệm vụ"


# ------------------------------------------------------ headings and lists ----

def test_headings_use_heading_styles_kept_with_the_next_paragraph(word):
    level1 = paragraph_starting(word, "I. KẾT QUẢ")
    level2 = paragraph_starting(word, "1. Công tác chỉ đạo")
    assert (level1.style.name, level2.style.name) == ("Heading 1", "Heading 2")
    for paragraph in (level1, level2):
        assert all(run.bold for run in paragraph.runs)
        assert paragraph.style.paragraph_format.keep_with_next
        assert paragraph.style.base_style.name == "Body Text"  # same first-line indent as the body
        assert paragraph.style.font.color.rgb is not None and str(paragraph.style.font.color.rgb) == "000000"


def test_list_items_are_body_paragraphs_starting_with_a_dash(word, model):
    item = paragraph_starting(word, "- Giá trị sản xuất (giá so sánh 2010) 6 tháng đầu năm ước đạt 498,6")
    assert item.style.name == "Body Text"
    assert item.runs[0].text == "- "


def test_closing_paragraph_is_kept_with_the_signature(word, body):
    closing = paragraph_starting(word, "Trên đây là báo cáo")
    assert closing.text.endswith("./.")
    assert closing.paragraph_format.keep_with_next
    assert closing._p.getnext().tag == w("tbl")
    assert closing._p.getnext() is word.tables[1]._tbl


# --------------------------------------------------------------- signature ----

def test_signature_table_content_and_formatting(word):
    table = word.tables[1]
    assert (len(table.rows), len(table.columns)) == (1, 2)
    assert table._tbl.find("w:tr/w:trPr/w:cantSplit", NS) is not None
    assert table.cell(0, 0).width.mm == pytest.approx(165 * theme.SIGNATURE_LEFT_RATIO, abs=0.1)
    left, right = table.cell(0, 0).paragraphs, table.cell(0, 1).paragraphs
    label, recipients = left[0], left[1:]
    assert label.text == "Nơi nhận:"
    assert label.runs[0].bold and label.runs[0].italic and label.runs[0].font.size == Pt(12)
    assert recipients[0].text.startswith("- ") and recipients[-1].text.startswith("- Lưu:")
    for line in recipients:
        assert line.runs[0].font.size == Pt(11) and not line.runs[0].bold
        assert line.alignment == WD_ALIGN_PARAGRAPH.LEFT and not line.paragraph_format.first_line_indent
    assert [p.text for p in right] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"]
    assert all(p.runs[0].bold and p.runs[0].font.size == Pt(14) for p in right)
    assert right[-1].paragraph_format.space_before.mm == pytest.approx(theme.SIGNATURE_SPACE_MM, abs=0.5)
    assert not label.paragraph_format.space_before and not right[0].paragraph_format.space_before


# ---------------------------------------------------------- indicator table ----

def test_indicator_table_columns_header_rows_and_group_rows(word):
    table = word.tables[2]
    tbl = table._tbl
    assert len(tbl.findall("w:tblGrid/w:gridCol", NS)) == 10
    total = sum(int(col.get(w("w"))) for col in tbl.findall("w:tblGrid/w:gridCol", NS))
    assert total / TWIPS_PER_MM == pytest.approx(297 - 20 - 15, abs=0.1)
    rows = tbl.findall("w:tr", NS)
    repeated = [row.find("w:trPr/w:tblHeader", NS) is not None for row in rows]
    assert repeated[:3] == [True, True, False] and not any(repeated[2:])
    assert all(row.find("w:trPr/w:cantSplit", NS) is not None for row in rows)
    group = rows[2]
    cells = group.findall("w:tc", NS)
    assert len(cells) == 2 and cells[1].find("w:tcPr/w:gridSpan", NS).get(w("val")) == "9"
    assert "".join(t.text for t in cells[1].iter(w("t"))) == "KINH TẾ"
    assert cells[1].find(".//w:rPr/w:b", NS) is not None
    borders = tbl.find("w:tblPr/w:tblBorders", NS)
    assert {edge.get(w("val")) for edge in borders} == {"single"}


def test_indicator_table_text_and_figures_are_intact(word):
    table = word.tables[2]
    texts = [plain(cell.text) for row in table.rows for cell in row.cells]
    assert "Giá trị sản xuất (giá so sánh 2010)" in texts and "498,6" in texts and "41.800" in texts
    assert "Kế hoạch năm 2023" in texts and "5=4/1" in texts
    first_data = table.rows[3].cells[6].paragraphs[0]
    assert first_data.text == "498,6" and first_data.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert first_data.runs[0].font.size == Pt(10)  # Table.font_size of the appendix table
    assert any("Bình Liêu" in p.text for p in word.paragraphs)


def test_scaled_widths_sum_exactly_to_the_text_width():
    widths = scale_widths([5, 31, 9, 13, 11, 11, 11, 9, 9, 12], 262)
    assert sum(widths) == round(262 * TWIPS_PER_MM)
    assert widths[1] > widths[0] * 6


# ------------------------------------------------------------------ blocks ----

def small_document(*blocks, orientation=Orientation.LANDSCAPE) -> Document:
    metadata = Metadata("Tiêu đề", "Chủ đề", "Tác giả", datetime(2023, 6, 30, 8), ("a", "b"))
    return Document((Section(tuple(blocks), orientation, number_first_page=True),), metadata)


def test_figure_wider_than_the_text_is_shrunk_to_the_text_width():
    chart = Chart("plan", "Biểu đồ", ("A",), (50.0,))
    figure = Figure(chart, width_mm=400, height_mm=133, caption="Hình")
    document = small_document(figure, orientation=Orientation.PORTRAIT)
    word = docx.Document(io.BytesIO(DocxWriter().to_bytes(document)))
    [inline] = word.element.body.iter(f"{{{NS['wp']}}}inline")
    extent = inline.find("wp:extent", NS)
    assert int(extent.get("cx")) == pytest.approx(Mm(165), rel=0.001)
    assert int(extent.get("cy")) == pytest.approx(Mm(165 * 133 / 400), rel=0.01)


# ----------------------------------------------------------- native charts ----

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CHART_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"


def chart_figures() -> tuple[Figure, ...]:
    """The example's figures, as the builder makes them: plan, points, levels, projects."""
    report = example_report()
    document = build_document(report, assess(report), load_config(ROOT / "reportgen.toml"), BuildOptions())
    return tuple(block for block in document.blocks() if isinstance(block, Figure))


@pytest.fixture(scope="module")
def chart_docx() -> bytes:
    return DocxWriter().to_bytes(small_document(*chart_figures()))


def chart_parts(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: etree.fromstring(package.read(name)) for name in package.namelist()
                if name.startswith("word/charts/") and "_rels" not in name}


def test_figures_become_native_charts_with_their_parts_types_and_relationships(chart_docx):
    parts = chart_parts(chart_docx)
    names = [f"word/charts/chart{n}.xml" for n in range(1, 5)]
    assert sorted(parts) == names
    with zipfile.ZipFile(io.BytesIO(chart_docx)) as package:
        types = package.read("[Content_Types].xml").decode()
        relationships = etree.fromstring(package.read("word/_rels/document.xml.rels"))
        assert not [name for name in package.namelist() if name.startswith("word/media/")]  # no picture
    for name in parts:
        assert f'PartName="/{name}" ContentType="{CHART_TYPE}"' in types
    targets = {rel.get("Target") for rel in relationships if rel.get("Type") == CHART_RELATIONSHIP}
    assert targets == {name.removeprefix("word/") for name in names}
    word = docx.Document(io.BytesIO(chart_docx))
    charts = list(word.element.body.iter(f"{{{C}}}chart"))
    rels = word.part.rels
    assert [rels[c.get(f"{{{NS['r']}}}id")].target_ref for c in charts] == [n.removeprefix("word/") for n in names]
    ids = [docpr.get("id") for docpr in word.element.body.iter(f"{{{NS['wp']}}}docPr")]
    assert len(ids) == len(set(ids)) == 4


def test_each_chart_drawing_has_the_id_python_docx_would_give_it(chart_docx):
    """The writer numbers the chart drawings itself; python-docx's ``next_id`` (the highest id in the body
    plus one, searched for each chart) gives the same numbers while the charts are the body's only
    elements with an id, as they are."""
    word = docx.Document(io.BytesIO(chart_docx))
    assert word.element.body.xpath("//@id") == ["1", "2", "3", "4"]
    assert word.part.next_id == 5


def test_the_plan_chart_caches_every_value_in_its_status_series(chart_docx):
    plan = chart_figures()[0]
    chart = chart_parts(chart_docx)["word/charts/chart1.xml"]
    bars, reference = chart.findall(".//c:barChart", {"c": C})
    assert bars.find("c:barDir", {"c": C}).get("val") == "bar"
    names = [ser.findtext("c:tx//c:v", namespaces={"c": C}) for ser in bars.findall("c:ser", {"c": C})]
    assert names == [s for s in STATUS_COLOURS if s in set(plan.chart.categories)]
    cached = {}
    for ser in bars.findall("c:ser", {"c": C}):
        for point in ser.findall("c:val//c:pt", {"c": C}):
            cached[int(point.get("idx"))] = float(point.findtext("c:v", namespaces={"c": C}))
    assert [cached[i] for i in range(len(plan.chart.values))] == list(plan.chart.values)
    categories = bars.find("c:ser/c:cat//c:strCache", {"c": C})
    assert [pt.findtext("c:v", namespaces={"c": C}) for pt in categories.findall("c:pt", {"c": C})] == \
        list(plan.chart.labels)
    formats = {fmt.get("formatCode") for fmt in bars.iter(f"{{{C}}}numFmt")}
    assert '0.0"%"' in formats  # labels show the cells' values: they follow the data when it is edited
    [axis] = chart.xpath(".//c:catAx[c:axId/@val='1003']", namespaces={"c": C})  # the reference line's axis
    assert axis.find("c:crossesAt", {"c": C}).get("val") == "50"  # the reference line, drawn at 50%
    assert reference.findtext("c:ser/c:tx//c:v", namespaces={"c": C}) == plan.chart.reference_label


def test_native_chart_labels_follow_the_picture_for_cut_and_dense_bars():
    """A bar past the axis's end is labelled inside its end in white bold; bars too dense to label each one
    get labels where the picture gives them one (and their names likewise)."""
    from reportgen.charts.layout import layout_chart
    from reportgen.writers.docx.word_chart import chart_space

    def labels(chart: Chart) -> dict[int, str]:
        root = etree.fromstring(chart_space(chart).encode())
        found = {}
        for label in root.iter(f"{{{C}}}dLbl"):
            index = int(label.find("c:idx", {"c": C}).get("val"))
            if label.find("c:delete", {"c": C}) is not None:
                found[index] = "hidden"
            else:
                bold = label.find("c:txPr//a:defRPr", {"c": C, **NS}).get("b") == "1"
                found[index] = f'{label.find("c:dLblPos", {"c": C}).get("val")}{" bold" if bold else ""}'
        return found

    cut = Chart("plan", "", ("A", "B"), (1250.0, 80.0), ("Vượt kế hoạch", "Chưa đạt"), reference=50.0,
                reference_label="Thời gian đã qua: 50%")
    assert labels(cut) == {0: "inEnd bold"}  # the other bar takes the series' default: past its end
    dense = Chart("plan", "", tuple(f"Chỉ tiêu {n}" for n in range(120)), tuple(float(n) for n in range(120)),
                  ("Chưa đạt",) * 120)
    hidden = [index for index, place in labels(dense).items() if place == "hidden"]
    assert hidden == [n for n, label in enumerate(layout_chart(dense).labels) if not label] and 0 < len(hidden) < 120


def test_chart_xml_is_reproducible_and_names_times_new_roman(chart_docx):
    assert DocxWriter().to_bytes(small_document(*chart_figures())) == chart_docx
    for chart in chart_parts(chart_docx).values():
        fonts = {latin.get("typeface") for latin in chart.iter(f"{{{NS['a']}}}latin")}
        assert fonts == {"Times New Roman"}


def test_libreoffice_draws_the_native_charts(tmp_path, chart_docx):
    """LibreOffice reads the chart parts: their texts come out in the PDF it prints, the value labels in the
    reader's number style (here a Vietnamese locale: a decimal comma)."""
    from pypdf import PdfReader

    soffice = soffice_or_skip()
    source = tmp_path / "charts.docx"
    source.write_bytes(chart_docx)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180,
                   env={**os.environ, "LANG": "vi_VN.UTF-8", "LC_ALL": "vi_VN.UTF-8"})
    text = unicodedata.normalize("NFC", "".join(page.extract_text() for page in
                                                PdfReader(str(tmp_path / "charts.pdf")).pages))
    for expected in ("Giải quyết việc làm mới", "53,0%", "84,6%", "Đúng tiến độ", "Thời gian đã qua: 50%",
                     "+3,34", "-0,19", "Cùng kỳ năm trước", "Xây dựng Trường THPT Bình Liêu", "65%",
                     "% kế hoạch năm"):
        assert expected in text, expected
    assert "KT01" not in text and "CT03" not in text  # no internal codes in the labels


def test_adjacent_tables_stay_two_tables_and_the_document_ends_with_a_paragraph():
    table = Table((Column(1), Column(1)), (TableRow((Cell("a"), Cell("b"))),))
    word = docx.Document(io.BytesIO(DocxWriter().to_bytes(small_document(table, table))))
    blocks = [child.tag.split("}")[1] for child in word.element.body]
    assert blocks == ["tbl", "p", "tbl", "p", "sectPr"]


def test_a_row_wider_than_the_table_is_refused():
    table = Table((Column(1), Column(1)), (TableRow((Cell("a", span=2), Cell("b"))),))
    with pytest.raises(ValueError, match="covers 3 columns"):
        DocxWriter().to_bytes(small_document(table))


def test_text_keeps_markup_characters_and_tabs_and_drops_what_xml_cannot_carry():
    text = "Vốn & lãi <dự kiến>\tx\x0by"
    word = docx.Document(io.BytesIO(DocxWriter().to_bytes(small_document(Paragraph((Run(text),))))))
    assert word.paragraphs[0].text == "Vốn & lãi <dự kiến>\txy"


@dataclass(frozen=True)
class Sidebar:
    text: str


def test_unknown_block_raises_instead_of_being_dropped():
    with pytest.raises(UnsupportedBlock, match="docx writer has no rule for Sidebar"):
        DocxWriter().to_bytes(small_document(Paragraph((Run("x"),)), Sidebar("y")))


# ---------------------------------------------------------------- template ----

def test_the_package_holds_only_what_a_report_uses(docx_bytes):
    """The trimmed template: no second style file, no empty custom XML, no numbering or preview picture."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as package:
        names = set(package.namelist())
        content_types = package.read("[Content_Types].xml").decode()
        relationships = package.read("word/_rels/document.xml.rels").decode()
    assert {name for name in names if not re.fullmatch(r"word/(header\d+|charts/chart\d+)\.xml", name)} == {
        "[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml",
        "word/_rels/document.xml.rels", "word/document.xml", "word/styles.xml", "word/settings.xml",
        "word/fontTable.xml", "word/webSettings.xml", "word/theme/theme1.xml",
    }
    for gone in ("stylesWithEffects", "customXml", "numbering", "thumbnail"):
        assert gone not in content_types and gone not in relationships


def test_every_style_named_in_the_file_is_defined_in_it(docx_bytes):
    """Trimming the template's styles must not leave a paragraph, a table, or another style pointing at
    a style that is gone (Word would silently fall back to Normal)."""
    from reportgen.writers.docx.base_package import KEPT_STYLES

    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
        parts = [etree.fromstring(package.read(name)) for name in package.namelist()
                 if re.fullmatch(r"word/(document|header\d+)\.xml", name)]
    defined = {style.get(w("styleId")) for style in styles.iter(w("style"))}
    assert defined == KEPT_STYLES
    named = {element.get(w("val")) for part in [*parts, styles]
             for tag in ("pStyle", "rStyle", "tblStyle", "basedOn", "next", "link")
             for element in part.iter(w(tag))}
    assert {"BodyText", "Heading1", "Heading2", "Normal"} <= named
    assert named <= defined, f"named but not defined: {sorted(named - defined)}"
    normal = styles.find("w:style[@w:styleId='Normal']", NS)
    assert normal.find("w:rPr/w:rFonts", NS).get(w("ascii")) == "Times New Roman"  # Decree 30 styles applied


# ---------------------------------------------------------- reproducibility ----

def test_core_properties_come_from_the_metadata(word, model):
    properties, metadata = word.core_properties, model.metadata
    assert properties.title == metadata.title and properties.subject == metadata.subject
    assert properties.author == properties.last_modified_by == metadata.author
    assert properties.created == properties.modified == metadata.created.replace(tzinfo=timezone.utc)
    assert properties.revision == 1
    assert properties.keywords == "; ".join(metadata.keywords)
    assert "python-docx" not in (properties.comments or "")


def test_same_document_gives_identical_bytes(model, docx_bytes, docx_path):
    assert DocxWriter().to_bytes(model) == docx_bytes
    assert docx_path.read_bytes() == docx_bytes
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as package:
        infos = package.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_packaging_in_one_pass_gives_the_bytes_of_saving_and_rewriting(model, docx_bytes, monkeypatch):
    """The zip is written once from python-docx's parts (its private package-writer steps); the public way
    (save, then rewrite the zip) must give the same file."""
    from reportgen.writers.docx import package as docx_package

    members = docx_package._members(docx.Document())
    assert members and "word/document.xml" in members and "[Content_Types].xml" in members
    monkeypatch.setattr(docx_package, "package_bytes", docx_package.saved_bytes)
    monkeypatch.setattr("reportgen.writers.docx.word_writer.package_bytes", docx_package.saved_bytes)
    assert DocxWriter().to_bytes(model) == docx_bytes


def test_another_process_writes_the_same_bytes(tmp_path, docx_bytes):
    """A fresh interpreter with another hash seed: no set or dict order may leak into the file."""
    script = (
        "import sys; sys.path[:0] = [sys.argv[2], sys.argv[3]]\n"
        "from test_docx_writer import example_document\n"
        "from reportgen.writers.docx.word_writer import DocxWriter\n"
        "DocxWriter().write(example_document(), sys.argv[1])\n"
    )
    out = tmp_path / "again.docx"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script, str(out), str(ROOT / "tests"), str(ROOT)], check=True, env=env,
                   timeout=120)
    assert out.read_bytes() == docx_bytes


# ------------------------------------------------------------------ golden ----

VOLATILE_ATTRIBUTES = re.compile(r' w:rsid\w*="[0-9A-F]+"')


def pretty_document_xml(data: bytes) -> str:
    """word/document.xml indented, with the template's revision ids (rsid) masked."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"), etree.XMLParser(remove_blank_text=True))
    text = etree.tostring(root, pretty_print=True, encoding="unicode")
    return VOLATILE_ATTRIBUTES.sub("", text)


def test_document_xml_matches_the_golden_file(docx_bytes):
    actual = pretty_document_xml(docx_bytes)
    if os.environ.get(REGEN_ENV):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(actual, encoding="utf-8")
    assert GOLDEN.exists(), f"missing {GOLDEN}; create it with {REGEN_ENV}=1"
    expected = GOLDEN.read_text(encoding="utf-8")
    assert actual == expected, f"word/document.xml differs from {GOLDEN.name}; if intended, rerun with {REGEN_ENV}=1"


# ------------------------------------------------------------- LibreOffice ----

def soffice_or_skip() -> str:
    found = shutil.which("soffice")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("soffice (LibreOffice) is not on PATH; CI must convert the .docx to check it opens")
    pytest.skip("soffice (LibreOffice) is not installed")


def test_libreoffice_opens_the_docx_and_prints_its_pages(tmp_path, docx_path):
    from pypdf import PdfReader

    soffice = soffice_or_skip()
    source = tmp_path / docx_path.name
    shutil.copy(docx_path, source)
    profile = (tmp_path / "profile").as_uri()  # its own profile: no clash with another running LibreOffice
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    pages = PdfReader(str(tmp_path / "example.pdf")).pages
    assert len(pages) >= 3
    texts = [unicodedata.normalize("NFC", page.extract_text()) for page in pages]
    assert "Bình Liêu" in texts[0] and "Hoành Mô" in "".join(texts)
    landscape = [text for page, text in zip(pages, texts) if page.mediabox.width > page.mediabox.height]
    assert "498,6" in "".join(landscape)
    first_box, last_box = pages[0].mediabox, pages[-1].mediabox
    assert first_box.width < first_box.height and last_box.width > last_box.height
    first_landscape = next(n for n, page in enumerate(pages) if page.mediabox.width > page.mediabox.height)
    assert texts[1].split()[0] == "2" and texts[first_landscape].split()[0] == "1"  # the appendix restarts at 1
    assert not texts[0].split()[0].isdigit()


# ------------------------------------------------------------------ spaces ----

SPACED_TEXTS = ("Số:      /BC-UBND", " đầu dòng", "cuối dòng ", "hai  khoảng", "thường, không khoảng thừa")


def _spaced_document():
    from dataclasses import replace

    document = example_document()
    first = document.sections[0]
    added = tuple(Paragraph((Run(text),), ParagraphRole.BODY) for text in SPACED_TEXTS)
    return replace(document, sections=(replace(first, blocks=(*first.blocks, *added)), *document.sections[1:]))


def test_text_is_marked_to_keep_its_spaces_only_where_they_could_be_lost(tmp_path):
    """xml:space="preserve" on a w:t whose spaces an application may drop (at an end, or two together), as Word
    marks it, and on no other: lxml resolves the xml: namespace again for every marked attribute it moves into
    the document, so marking all of them made a 3,000-row table quadratic to add (0.13 s instead of 0.02)."""
    path = tmp_path / "spaces.docx"
    DocxWriter().write(_spaced_document(), path)
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    preserve = "{http://www.w3.org/XML/1998/namespace}space"
    marked = {t.text: t.get(preserve) for t in root.iter(w("t")) if t.text in SPACED_TEXTS}
    assert marked == {"Số:      /BC-UBND": "preserve", " đầu dòng": "preserve", "cuối dòng ": "preserve",
                      "hai  khoảng": "preserve", "thường, không khoảng thừa": None}
    assert all(t.get(preserve) == "preserve" for t in root.iter(w("t")) if t.text != t.text.strip(" "))
    read = [p.text for p in docx.Document(str(path)).paragraphs]
    assert all(text in read for text in SPACED_TEXTS)


def test_libreoffice_keeps_the_spaces(tmp_path):
    """What another office suite makes of the marked and unmarked texts: every space where it was."""
    soffice = soffice_or_skip()
    source = tmp_path / "spaces.docx"
    DocxWriter().write(_spaced_document(), source)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "txt:Text (encoded):UTF8", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    lines = (tmp_path / "spaces.txt").read_text(encoding="utf-8-sig").splitlines()
    for text in SPACED_TEXTS:
        assert text in lines, f"{text!r} not found as a line of LibreOffice's text"


def test_read_back_text_is_every_run_of_the_body_then_the_headers_unescaped(tmp_path):
    """docx_text joins the runs' text with line ends, entities replaced (it decodes and unescapes the joined
    runs at once; a run's entities stay whole), the body first, then the headers by name."""
    from reportgen.readback.read_back import docx_text

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = (
        f"<w:document {w}><w:body><w:p><w:r><w:t>Tổng &amp; số</w:t></w:r><w:r><w:t/></w:r>"
        '<w:r><w:t xml:space="preserve"> &lt;8.000&gt; </w:t></w:r></w:p><w:p><w:r><w:t></w:t></w:r>'
        "<w:r><w:t>&quot;83,1%&quot;&apos;&#x1EA1;&#7843;&amp;lt;</w:t></w:r></w:p></w:body></w:document>"
    )
    path = tmp_path / "runs.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/header2.xml", f"<w:hdr {w}><w:p><w:r><w:t>2</w:t></w:r></w:p></w:hdr>")
        archive.writestr("word/document.xml", body)
        archive.writestr("word/header1.xml", f"<w:hdr {w}><w:p><w:r><w:t>1 &amp; 1</w:t></w:r></w:p></w:hdr>")
    assert docx_text(path) == "Tổng & số\n <8.000> \n\n\"83,1%\"'ạả&lt;\n1 & 1\n2"
