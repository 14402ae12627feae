"""The workbook embedded with a Word chart, so that Word's "Edit Data" opens the chart's figures.

A chart part in a .docx names its data as cells of a sheet ("Sheet1!$B$2:$B$8")
and caches their values; Word shows the cache and, on "Edit Data", opens the
workbook embedded beside the chart and re-reads those cells.  The workbook
holds exactly the cached table: column A the category names, row 1 the series
names, one column per series, a blank cell where a series has no bar.

It is written here as SpreadsheetML text (inline strings, no shared-string
table, one plain style), a few hundred bytes of XML per chart: the Word writer
runs without openpyxl (which only the workbook package imports), and the zip
is written reproducibly like the .docx around it.
"""

from __future__ import annotations

from reportgen.writers.docx.chart_xml import column_letters, number_text
from reportgen.writers.docx.package import zip_bytes
from reportgen.writers.xml_escape import escape, quoteattr

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
LABEL_COLUMN_WIDTH = 60
"""Width of column A (the indicators' names), in characters."""

_CONTENT_TYPES = (
    f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/></Types>'
)
_PACKAGE_RELS = (
    f'{_DECLARATION}<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    f'{_DECLARATION}<Relationships xmlns="{PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{R_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{R_NS}/styles" Target="styles.xml"/></Relationships>'
)
_STYLES = (
    f'{_DECLARATION}<styleSheet xmlns="{MAIN_NS}"><fonts count="1"><font><sz val="11"/><name val="Times New Roman"/>'
    '</font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
    '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/>'
    '<diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def workbook_bytes(sheet: str, categories: list[str], columns: list[list[str | float | None]]) -> bytes:
    """An .xlsx with one sheet ``sheet``: ``categories`` down column A (row 1 first), each of ``columns``
    (its name, then one value per category; None for a blank cell) in columns B, C …"""
    rows = [[text, *(column[index] for column in columns)] for index, text in enumerate(categories)]
    workbook = (
        f'{_DECLARATION}<workbook xmlns="{MAIN_NS}" xmlns:r="{R_NS}"><sheets>'
        f'<sheet name={quoteattr(sheet)} sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    return zip_bytes(
        {
            "[Content_Types].xml": _CONTENT_TYPES.encode(),
            "_rels/.rels": _PACKAGE_RELS.encode(),
            "xl/workbook.xml": workbook.encode(),
            "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS.encode(),
            "xl/styles.xml": _STYLES.encode(),
            "xl/worksheets/sheet1.xml": _worksheet(rows).encode("utf-8"),
        }
    )


def _worksheet(rows: list[list[str | float | None]]) -> str:
    last = f"{column_letters(max(len(row) for row in rows) - 1)}{len(rows)}" if rows else "A1"
    body = "".join(_row(number, row) for number, row in enumerate(rows, 1))
    return (
        f'{_DECLARATION}<worksheet xmlns="{MAIN_NS}"><dimension ref="A1:{last}"/>'
        f'<cols><col min="1" max="1" width="{LABEL_COLUMN_WIDTH}" customWidth="1"/></cols>'
        f"<sheetData>{body}</sheetData></worksheet>"
    )


def _row(number: int, values: list[str | float | None]) -> str:
    cells = "".join(_cell(f"{column_letters(column)}{number}", value) for column, value in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def _cell(ref: str, value: str | float | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
    return f'<c r="{ref}"><v>{number_text(value)}</v></c>'
