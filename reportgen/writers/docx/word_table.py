"""The model's :class:`~reportgen.document.model.Table` as one Word table, built as XML in one pass.

Columns are scaled from their relative widths to the section's text width;
header and numbering rows repeat on every page (``w:tblHeader``); no row
splits across a page (``w:cantSplit``); a cell with ``span`` > 1 is one merged
cell (``w:gridSpan``), as group rows are; thin black borders everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from reportgen.document.model import Align, Table, TableRow
from reportgen.typeface.metrics import text_width_mm
from reportgen.writers.docx import xml as x
from reportgen.writers.keep_together import keep_together_within
from reportgen.writers.theme import TABLE_BORDER_PT, TABLE_CELL_PADDING_MM

ALIGN_VALUES = {Align.LEFT: "left", Align.CENTER: "center", Align.RIGHT: "right"}
_CELL_FORMATS = {align: x.ParagraphFormat(align=value) for align, value in ALIGN_VALUES.items()}
"""A cell's paragraph format by alignment, made once: a table has hundreds of cells."""


def table_xml(table: Table, width_mm: float) -> str:
    """The whole table as a ``w:tbl`` fragment, ``width_mm`` wide."""
    widths = x.scale_widths([column.width for column in table.columns], width_mm)
    header_rows = table.header_rows
    rows = (
        x.row(_cells(table, row, widths), repeat_as_header=index < header_rows) for index, row in enumerate(table.rows)
    )
    # Padded on all four sides, as the PDF pads its cells, so that both show the same row heights.
    return x.table(x.TableFormat(widths, TABLE_CELL_PADDING_MM, TABLE_BORDER_PT, vertical_padding=True), rows)


def _cells(table: Table, row: TableRow, widths: tuple[int, ...]) -> Iterator[str]:
    covered = sum(max(1, cell.span) for cell in row.cells)
    if covered > len(widths):
        raise ValueError(f"a table row covers {covered} columns; the table has {len(widths)}")
    column = 0
    for cell in row.cells:
        span = max(1, cell.span)
        fmt = _CELL_FORMATS[cell.align or table.columns[column].align]
        width = sum(widths[column : column + span])
        width_mm = width / x.twips(1) - 2 * TABLE_CELL_PADDING_MM
        bold = cell.bold or False
        text = keep_together_within(cell.text, partial(_fits, size=table.font_size, bold=bold, width_mm=width_mm))
        content = x.run(text, x.Font(table.font_size, cell.bold, cell.italic))
        yield x.cell(width, x.paragraph(fmt, content), span, "center")
        column += span


def _fits(group: str, size: float, bold: bool, width_mm: float) -> bool:
    """Whether ``group`` fits on one line of a cell ``width_mm`` wide."""
    return text_width_mm(group, size, bold) <= width_mm
