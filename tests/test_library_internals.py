"""Every private part of a library that reportgen relies on, checked in one place.

Each is kept for a measured reason written beside its use; pyproject.toml pins the library versions
these tests pass with, and there is no silent fallback in the code: a version that changes one of these
parts fails here (and loudly in the code) rather than slowing down or changing the output unnoticed.
"""

from __future__ import annotations

import inspect
from io import BytesIO

import docx
import pytest


def _parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


# --------------------------------------------------------------- python-docx ----

def test_python_docx_package_writer_steps():
    """writers/docx/package.py: the parts of a package, written by the package writer's own steps."""
    from docx.opc.pkgwriter import PackageWriter

    assert _parameters(PackageWriter._write_content_types_stream) == ["phys_writer", "parts"]
    assert _parameters(PackageWriter._write_pkg_rels) == ["phys_writer", "pkg_rels"]
    assert _parameters(PackageWriter._write_parts) == ["phys_writer", "parts"]
    from reportgen.writers.docx.package import _members, saved_bytes, zip_bytes

    document = docx.Document()
    assert zip_bytes(_members(document)) == saved_bytes(document)


def test_python_docx_section_and_header_elements():
    """writers/docx/setup.py: a section's w:sectPr (no API for w:pgNumType) and a header's w:hdr root."""
    section = docx.Document().sections[0]
    assert section._sectPr.tag.endswith("}sectPr") and hasattr(section._sectPr, "insert_element_before")
    header = section.header
    header.is_linked_to_previous = False
    assert header._element.tag.endswith("}hdr")


# ----------------------------------------------------------------- reportlab ----

def test_reportlab_canvas_document_and_truetype_subsets():
    """typeface/subsets.py: the canvas's document (for splitString) and a TrueType face's subset steps."""
    from reportlab.pdfbase.pdfdoc import PDFDocument
    from reportlab.pdfbase.ttfonts import TTFontFace
    from reportlab.pdfgen.canvas import Canvas

    assert isinstance(Canvas(BytesIO())._doc, PDFDocument)
    assert _parameters(TTFontFace.addSubsetObjects) == ["self", "doc", "fontname", "subset"]
    assert _parameters(TTFontFace.makeSubset) == ["self", "subset"]
    source = inspect.getsource(TTFontFace.addSubsetObjects)
    assert "FontDescriptor" in source and "FontFile2" in source and "Length1" in source


def test_reportlab_truetype_font_objects_and_codes():
    """typeface/subsets.py writes a font's subset objects as TTFont.addObjects does; typeface/subset_codes.py
    reads a font's per-document state (its codes) and answers splitString's calls."""
    from weakref import WeakKeyDictionary

    from reportlab.pdfbase.ttfonts import SUBSETN, TTFont, makeToUnicodeCMap

    assert _parameters(TTFont.addObjects) == ["self", "doc"]
    assert _parameters(TTFont.splitString) == ["self", "text", "doc", "encoding"]
    assert _parameters(makeToUnicodeCMap) == ["fontname", "subset"] and SUBSETN(1) == b"AAAAAB"
    source = inspect.getsource(TTFont.addObjects)
    for step in ("state.frozen = 1", "PDFTrueTypeFont()", "makeToUnicodeCMap(baseFontName, subset)",
                 "'toUnicodeCMap:' + baseFontName", "self.face.addSubsetObjects(doc, baseFontName, subset)",
                 "idToObject['BasicFonts']", "del self.state[doc]", "self.face.getCharWidth"):
        assert step in source, step
    from reportgen.typeface.bundled import sans_path
    from reportlab.pdfgen.canvas import Canvas

    font = TTFont("InternalsCheck", str(sans_path(False)))
    assert isinstance(font.state, WeakKeyDictionary)
    doc = Canvas(BytesIO())._doc
    assert font.splitString("Aă", doc) == [(0, bytes([65, 1]))]
    assert font.state[doc].assignments[ord("ă")] == 1


def test_reportlab_paragraph_built_from_fragments():
    """writers/pdf/measured_paragraph.py: a Paragraph built from the fragments (``frags``) and text another one
    parsed lays out and draws as the parsed one (reportlab's own split builds its parts this way)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph

    assert _parameters(Paragraph.__init__)[:5] == ["self", "text", "style", "bulletText", "frags"]
    style = ParagraphStyle("body", fontName="Helvetica", fontSize=12, leading=14)
    parsed = Paragraph("Thu ng&amp;n <b>s\u00e1ch</b>   nh\u00e0 <i>n\u01b0\u1edbc</i> " * 8, style)
    built = Paragraph(parsed.text, style, frags=[fragment.clone() for fragment in parsed.frags])
    pages = []
    for paragraph in (parsed, built):
        buffer = BytesIO()
        canvas = Canvas(buffer, invariant=1)
        assert paragraph.wrap(200, 1000) == parsed.wrap(200, 1000)
        paragraph.drawOn(canvas, 10, 10)
        canvas.save()
        pages.append(buffer.getvalue())
    assert pages[0] == pages[1]


def test_reportlab_one_run_lines_are_only_read_by_drawing_and_splitting():
    """writers/pdf/measured_paragraph.py: the lines ``breakLines`` gives a one-run paragraph ("kind 0": spare
    width and plain-string words per line) stay as they were while paragraphs sharing them are measured,
    split at every height and drawn."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph

    style = ParagraphStyle("body", fontName="Helvetica", fontSize=12, leading=14, alignment=TA_JUSTIFY,
                           firstLineIndent=20, allowWidows=0, allowOrphans=0)
    text = "Kinh te cua huyen duy tri da phuc hoi, dich vu va du lich tang kha. " * 12
    lines = Paragraph(text, style).breakLines([180, 200])
    assert lines.kind == 0 and all(type(word) is str for _spare, words in lines.lines for word in words)
    before = [(spare, list(words)) for spare, words in lines.lines]

    class Shared(Paragraph):
        def breakLines(self, width):
            return lines

    canvas = Canvas(BytesIO())
    for height in range(0, 400, 7):
        paragraph = Shared(text, style)
        paragraph.wrap(200, height)
        for part in paragraph.split(200, height) or [paragraph]:
            part.wrap(200, 1000)
            part.drawOn(canvas, 10, 10)
    assert [(spare, list(words)) for spare, words in lines.lines] == before


def test_reportlab_rest_of_a_split_paragraph_breaks_into_the_wholes_later_lines():
    """writers/pdf/measured_paragraph.py: the rest a split leaves is a paragraph of the same class, without
    the first-line indent, whose words broken at the width of the whole's later lines are the whole's lines
    from the split on (the lines it carries instead of breaking them again)."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    class Mine(Paragraph):
        pass

    style = ParagraphStyle("body", fontName="Helvetica", fontSize=12, leading=14, alignment=TA_JUSTIFY,
                           firstLineIndent=20, leftIndent=3, rightIndent=5, allowWidows=0, allowOrphans=0)
    text = "Kinh te cua huyen duy tri da phuc hoi, dich vu va du lich tang kha nho kich cau. " * 40
    for height in (30, 100, 297, 500):
        whole = Mine(text, style)
        whole.wrap(300, height)
        lines = whole.blPara.lines
        first, rest = whole.split(300, height)
        assert type(rest) is Mine and rest.style.firstLineIndent == 0 and whole.blPara.lines is lines
        placed = len(first.blPara.lines)
        later = 300 - style.leftIndent - style.rightIndent
        again = rest.breakLines([later, later])
        assert again.kind == 0 and [(spare, list(words)) for spare, words in again.lines] == [
            (spare, list(words)) for spare, words in lines[placed:]]


def test_reportlab_frame_top_and_table_rows():
    """writers/pdf/table_run.py: the frame a flowable is being laid out in (set on it during wrap and split),
    whether that frame is at its top, and the rows a split table's first part holds."""
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable, Frame, Table

    seen = []

    class Probe(Flowable):
        def wrap(self, available_width, available_height):
            frame = getattr(self, "_frame", None)
            seen.append((frame, frame._atTop if frame is not None else None))
            return 10, 10

        def draw(self):
            pass

    frame, canvas = Frame(0, 0, 200, 200), Canvas(BytesIO())
    assert frame.add(Probe(), canvas) and frame.add(Probe(), canvas)
    assert seen == [(frame, 1), (frame, 0)]
    table = Table([["a"], ["b"], ["c"]], rowHeights=[50] * 3)
    first, _rest = table.split(100, 120)
    assert len(first._cellvalues) == 2


# ------------------------------------------------------------------ openpyxl ----

def test_openpyxl_workbook_style_lists():
    """workbook/write/input_styles.py (the default font) and workbook/read/loading.py (a parsed stylesheet shared between
    workbooks): the workbook's style lists and the reader's steps."""
    from openpyxl import Workbook
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.utils.indexed_list import IndexedList
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    workbook = Workbook()
    for name in ("_fonts", "_borders", "_fills", "_number_formats", "_protections", "_alignments", "_cell_styles"):
        assert isinstance(getattr(workbook, name), IndexedList), name
    assert workbook._named_styles["Normal"].font is not None and isinstance(workbook._sheets, list)
    for name in ("_differential_styles", "_table_styles", "_date_formats", "_timedelta_formats", "_colors"):
        assert hasattr(workbook, name), name
    for step in ("read_manifest", "read_strings", "read_workbook", "read_properties", "read_custom", "read_theme",
                 "read_chartsheet"):
        assert callable(getattr(ExcelReader, step)), step
    assert callable(ReadOnlyWorksheet._get_size)


def test_openpyxl_reader_steps_and_sheet_parser():
    """workbook/read/loading.py runs openpyxl's reader step by step (its own shared strings and stylesheet
    steps, the sheets without their size probe) and workbook/read/sheetxml.py drives the sheet parser as the
    read-only worksheet does: the steps, their order, the parser's arguments and the rows it yields."""
    from openpyxl import Workbook
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.worksheet._reader import WorkSheetParser

    steps = ["read_manifest", "read_strings", "read_workbook", "read_properties", "read_custom", "read_theme",
             "apply_stylesheet", "read_worksheets", "assign_names"]
    source = inspect.getsource(ExcelReader.read)
    assert [step for step in steps if f"{step}(" in source] == steps
    assert sorted(steps, key=lambda step: source.index(f"{step}(")) == steps
    assert _parameters(ExcelReader.__init__) == ["self", "fn", "read_only", "keep_vba", "data_only", "keep_links",
                                                 "rich_text"]
    assert "self.parser.find_sheets()" in inspect.getsource(ExcelReader.read_worksheets)
    assert _parameters(ReadOnlyWorksheet.__init__) == ["self", "parent_workbook", "title", "worksheet_path",
                                                       "shared_strings"]
    assert callable(ReadOnlyWorksheet._get_source) and callable(ReadOnlyWorksheet._get_size)
    assert _parameters(WorkSheetParser.__init__) == ["self", "src", "shared_strings", "data_only", "epoch",
                                                     "date_formats", "timedelta_formats", "rich_text"]

    workbook = Workbook()
    workbook.active.append(["Mã", 8000])
    data = BytesIO()
    workbook.save(data)
    from reportgen.workbook.read.loading import load_for_reading

    sheet = load_for_reading(data.getvalue()).active
    with sheet._get_source() as part:
        parser = WorkSheetParser(part, sheet._shared_strings, data_only=True, epoch=sheet.parent.epoch,
                                 date_formats=sheet.parent._date_formats,
                                 timedelta_formats=sheet.parent._timedelta_formats)
        rows = list(parser.parse())
    assert [(number, [(c["row"], c["column"], c["value"], c["data_type"]) for c in cells]) for number, cells in rows] \
        == [(1, [(1, 1, "Mã", "s"), (1, 2, 8000, "n")])]
    assert all("style_id" in cell for _number, cells in rows for cell in cells)
    assert (parser.row_counter, parser.col_counter) == (1, 2)


def test_openpyxl_sheet_parser_reads_rows_and_these_properties():
    """workbook/read/sheetxml.py parses a sheet for its rows only: openpyxl's ``parse`` reads exactly the
    other elements the reader skips (and frees), and its rows are those ``parse_row`` gives."""
    import re

    from openpyxl import Workbook
    from openpyxl.worksheet import _reader
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.worksheet.datavalidation import DataValidation

    from reportgen.workbook.read.loading import load_for_reading
    from reportgen.workbook.read.sheetxml import SHEET_PROPERTY_TAGS, _RowParser

    source = inspect.getsource(WorkSheetParser.parse)
    named = set(re.findall(r"\b([A-Z_]+_TAG)\b", source)) - {"ROW_TAG"}
    assert {getattr(_reader, name) for name in named} == SHEET_PROPERTY_TAGS
    assert "self.parse_row(element)" in source and "iterparse(self.source)" in source

    workbook = Workbook()
    sheet = workbook.active
    for row in (["Mã", "Chỉ tiêu", 8000], [None, "Dân số", 0.831], ["A", None, None]):
        sheet.append(row)
    sheet.merge_cells("A2:A3")
    sheet.column_dimensions["B"].width = 40
    sheet.add_data_validation(DataValidation(type="decimal", sqref="C2:C3", prompt="Nhập số"))
    sheet.freeze_panes = "B2"
    data = BytesIO()
    workbook.save(data)
    read = load_for_reading(data.getvalue()).active
    rows = {}
    for parser_class in (WorkSheetParser, _RowParser):
        with read._get_source() as part:
            parser = parser_class(part, read._shared_strings, data_only=True, epoch=read.parent.epoch,
                                  date_formats=read.parent._date_formats,
                                  timedelta_formats=read.parent._timedelta_formats)
            rows[parser_class] = (list(parser.parse()), parser.row_counter, parser.col_counter)
    assert rows[_RowParser] == rows[WorkSheetParser] and len(rows[_RowParser][0]) == 3


# -------------------------------------------------------------------- Jinja2 ----

def test_jinja2_parse_step():
    """narrative/sandbox.py: the environment's parse step, where every loop gets its step counter."""
    import jinja2
    from jinja2 import nodes

    assert _parameters(jinja2.Environment._parse) == ["self", "source", "name", "filename"]
    assert isinstance(jinja2.Environment()._parse("{% for x in y %}{% endfor %}", None, None), nodes.Template)


@pytest.mark.parametrize("library, pinned", [("openpyxl", "3.1"), ("python-docx", "1.2"), ("reportlab", "5.1"),
                                             ("Jinja2", "3.1")])
def test_the_installed_versions_are_the_pinned_ones(library, pinned):
    """pyproject.toml pins each of these libraries to the minor version the tests above pass with."""
    import re
    from importlib.metadata import version

    from conftest import ROOT

    assert version(library).startswith(pinned + ".") or version(library) == pinned
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    major, minor = map(int, pinned.split("."))
    assert re.search(rf'"{re.escape(library)}>={pinned}(\.\d+)?,<{major}\.{minor + 1}"', project), library
