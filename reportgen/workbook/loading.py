"""openpyxl's read-only load of an input workbook, each distinct stylesheet parsed once per process.

An office's workbooks all come from the same template (``reportgen new``), so
their ``xl/styles.xml`` are the same bytes; openpyxl turns that file into some
five hundred style objects for every workbook it opens — a sixth of reading
one.  Here the parsed :class:`Stylesheet` is kept by the bytes of styles.xml
(small ones only, a few at a time), and each workbook gets its own lists over
the shared style objects, which reading never changes.  The cells, their
number formats and fonts come out exactly as openpyxl's own load gives them.

Left out as well: each sheet's size probe and relationships, which a read of
the values never uses.
"""

from __future__ import annotations

import io
from collections import OrderedDict

from openpyxl import load_workbook
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import Stylesheet
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.xml.constants import ARC_STYLE
from openpyxl.xml.functions import fromstring

KEPT_STYLESHEETS = 8
MAX_KEPT_STYLES_BYTES = 256 * 1024
"""A styles.xml larger than this (a hostile or heavily formatted file) is parsed for its workbook alone."""

_STYLESHEETS: OrderedDict[bytes, Stylesheet] = OrderedDict()
_READER_STEPS = ("read_manifest", "read_strings", "read_workbook", "read_properties", "read_custom", "read_theme",
                 "read_chartsheet")


def load_for_reading(data: bytes):
    """The workbook in ``data``, read-only with cached values, macros and external links dropped."""
    if not all(hasattr(ExcelReader, step) for step in _READER_STEPS):  # an openpyxl unlike 3.1: its own way
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_vba=False, keep_links=False)
    reader = _Reader(io.BytesIO(data), read_only=True, keep_vba=False, data_only=True, keep_links=False)
    reader.read()
    return reader.wb


class _Reader(ExcelReader):
    def read(self) -> None:
        # ExcelReader.read of openpyxl 3.1, step for step, with the stylesheet step remembered;
        # the archive stays open (read-only), as openpyxl leaves it.
        self.read_manifest()
        self.read_strings()
        self.read_workbook()
        self.read_properties()
        self.read_custom()
        self.read_theme()
        _apply_stylesheet(self.archive, self.wb)
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


def _apply_stylesheet(archive, wb) -> None:
    """openpyxl's ``apply_stylesheet`` on a stylesheet parsed at most once per distinct styles.xml."""
    try:
        source = archive.read(ARC_STYLE)
    except KeyError:
        return
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
