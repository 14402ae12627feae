"""openpyxl's read-only load of an input workbook: strings and styles counted, each stylesheet parsed once.

An office's workbooks all come from the same template (``reportgen new``), so
their ``xl/styles.xml`` are the same bytes; openpyxl turns that file into some
five hundred style objects for every workbook it opens — a sixth of reading
one.  Here the parsed :class:`Stylesheet` is kept by the bytes of styles.xml
(small ones only, a few at a time), and each workbook gets its own lists over
the shared style objects, which reading never changes.  The cells, their
number formats and fonts come out exactly as openpyxl's own load gives them.

Left out as well: each sheet's size probe and relationships, which a read of
the values never uses.

Two parts are read whole before any sheet, so their size is counted first:
the shared-string table is read here, streamed and counted as it goes
(``max_strings``; openpyxl's own reader keeps every parsed element until the
end, 1,3 GB for 8 million short strings), into a :class:`StrictStrings`
table; the stylesheet's records are counted on its bytes before it is parsed
(``max_styles``; two million cell formats took openpyxl 3,6 GB).  Past a
limit, :class:`LimitReached` says which.

openpyxl's internals used here and in :mod:`.sheetxml` are those of 3.1, the
version pyproject.toml pins; tests/test_library_internals.py fails when they
change.  There is no other path: a workbook is always read this way.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import OrderedDict
from xml.etree.ElementTree import iterparse

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import Stylesheet
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import ARC_STYLE, SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import fromstring

from reportgen.core.vnformat import vn_num
from reportgen.settings.limits import LimitReached, Limits, over_limit
from reportgen.workbook.read.sheetxml import StrictStrings

KEPT_STYLESHEETS = 8
MAX_KEPT_STYLES_BYTES = 256 * 1024
"""A styles.xml larger than this (a hostile or heavily formatted file) is parsed for its workbook alone."""

_STYLESHEETS: OrderedDict[bytes, Stylesheet] = OrderedDict()
_SI = f"{{{SHEET_MAIN_NS}}}si"
_T = f"{{{SHEET_MAIN_NS}}}t"
_R = f"{{{SHEET_MAIN_NS}}}r"
_STYLE_RECORD = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:xf|font|fill|border|numFmt|dxf|cellStyle)[\s/>]")


def load_for_reading(data: bytes, limits: Limits = Limits(), archive: zipfile.ZipFile | None = None):
    """The workbook in ``data``, read-only with cached values, macros and external links dropped;
    its parts read from ``archive`` when given (``data`` open already: :meth:`.probe.Probe.package`).

    Raises :class:`LimitReached` past ``max_strings`` or ``max_styles``.
    """
    reader = _Reader(io.BytesIO(data), read_only=True, keep_vba=False, data_only=True, keep_links=False)
    if archive is not None:
        reader.archive.close()
        reader.archive = archive
    reader.limits = limits
    reader.read()
    return reader.wb


class _Reader(ExcelReader):
    limits: Limits

    def read(self) -> None:
        # ExcelReader.read of openpyxl 3.1, step for step, with the strings and stylesheet steps
        # our own; the archive stays open (read-only), as openpyxl leaves it.
        self.read_manifest()
        self.shared_strings = read_shared_strings(self.archive, self.package, self.limits.max_strings)
        self.read_workbook()
        self.read_properties()
        self.read_custom()
        self.read_theme()
        _apply_stylesheet(self.archive, self.wb, self.limits.max_styles)
        self._read_worksheets()
        self.parser.assign_names()

    def _read_worksheets(self) -> None:
        # ExcelReader.read_worksheets' read-only branch, less what reading values never uses: each
        # sheet's relationships (comments, drawings and tables are not read in read-only mode) and
        # its size probe (layout.sheet_rows reads every sheet from row 1, whatever size it declares).
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            worksheet = _UnsizedWorksheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


class _UnsizedWorksheet(ReadOnlyWorksheet):
    def _get_size(self) -> None:
        """Not probed: openpyxl parses the start of the sheet for its declared dimension, which the
        reader resets anyway (a declared size is often wrong)."""


def read_shared_strings(archive, package, limit: int) -> StrictStrings:
    """The shared-string table, streamed: each entry's text as openpyxl's ``read_string_table`` gives it
    (the text of its ``t`` and of its runs' ``t``, not the phonetic ``rPh``), counted against ``limit``."""
    strings = StrictStrings()
    part = package.find(SHARED_STRINGS)
    if part is None:
        return strings
    root = None
    with archive.open(part.PartName[1:]) as source:
        for event, element in iterparse(source, events=("start", "end")):
            if root is None:
                root = element
            if event != "end" or element.tag != _SI:
                continue
            texts = [child.text or "" for child in element if child.tag == _T]
            texts += [run.findtext(_T) or "" for run in element if run.tag == _R]
            strings.append("".join(texts).replace("x005F_", ""))
            root.clear()  # the parsed entries go, not only their content
            if len(strings) > limit:
                raise LimitReached(
                    over_limit(
                        "strings.too_many",
                        f"Tệp có hơn {vn_num(limit, 0)} chuỗi chữ khác nhau (bảng chuỗi chữ "
                        "dùng chung của mọi sheet); chương trình dừng đọc ở đó.",
                        "Xóa các sheet, dòng, cột thừa (kể cả sheet ẩn) rồi lưu lại",
                        "max_strings",
                    )
                )
    return strings


def _apply_stylesheet(archive, wb, limit: int) -> None:
    """openpyxl's ``apply_stylesheet`` on a stylesheet parsed at most once per distinct styles.xml,
    and only when it has at most ``limit`` records."""
    try:
        source = archive.read(ARC_STYLE)
    except KeyError:
        return
    records = sum(1 for _ in _STYLE_RECORD.finditer(source))
    if records > limit:
        raise LimitReached(
            over_limit(
                "styles.too_many",
                f"Tệp có {vn_num(records, 0)} định dạng (kiểu ô, phông chữ, màu nền, đường kẻ, "
                f"kiểu số), vượt giới hạn {vn_num(limit, 0)}; tệp như vậy thường do chép dán qua lại nhiều lần.",
                "Trong Excel: chọn toàn bộ sheet (Ctrl+A) ở các sheet số liệu, Home → Clear → Clear Formats, "
                "lưu lại; hoặc dùng lệnh “reportgen new” để tạo tệp mới rồi chép số liệu (Paste Special → Values) "
                "vào đó",
                "max_styles",
            )
        )
    stylesheet = _parsed(source)
    if stylesheet.cell_styles:
        wb._borders = IndexedList(stylesheet.borders)
        wb._fonts = IndexedList(stylesheet.fonts)
        wb._fills = IndexedList(stylesheet.fills)
        wb._differential_styles.styles = list(stylesheet.dxfs)
        wb._number_formats = IndexedList(stylesheet.number_formats)
        wb._protections = IndexedList(stylesheet.protections)
        wb._alignments = IndexedList(stylesheet.alignments)
        wb._table_styles = stylesheet.tableStyles
        wb._cell_styles = IndexedList(stylesheet.cell_styles)
        wb._named_styles = type(stylesheet.named_styles)(stylesheet.named_styles)
        wb._date_formats = set(stylesheet.date_formats)
        wb._timedelta_formats = set(stylesheet.timedelta_formats)
    if stylesheet.colors is not None:
        wb._colors = stylesheet.colors.index


def _parsed(source: bytes) -> Stylesheet:
    if len(source) > MAX_KEPT_STYLES_BYTES:
        return Stylesheet.from_tree(fromstring(source))
    stylesheet = _STYLESHEETS.get(source)
    if stylesheet is None:
        stylesheet = _STYLESHEETS[source] = Stylesheet.from_tree(fromstring(source))
        if len(_STYLESHEETS) > KEPT_STYLESHEETS:
            _STYLESHEETS.popitem(last=False)
    else:
        _STYLESHEETS.move_to_end(source)
    return stylesheet
