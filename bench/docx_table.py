"""Micro-benchmark: time to build the appendix table in Word for 30, 300 and 3,000 rows.

    .venv/bin/python bench/docx_table.py            # the writer's XML path
    .venv/bin/python bench/docx_table.py --compare  # also python-docx's cell-by-cell API (slow; 30 and 300 rows)

"xml + parse" is what the Word writer spends per table (compose the
WordprocessingML, parse it once, append it); "whole .docx" adds styles,
section setup and the reproducible zip for a document holding only that table.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import docx  # noqa: E402

from reportgen.document.model import (  # noqa: E402
    Align, Cell, Document, Metadata, Orientation, RowKind, Section, Table, TableRow,
)
from reportgen.document.table import COLUMNS, NUMBERING  # noqa: E402
from reportgen.writers.docx import xml as docx_xml  # noqa: E402
from reportgen.writers.docx.word_writer import DocxWriter  # noqa: E402
from reportgen.writers.docx.word_table import table_xml  # noqa: E402

LANDSCAPE_TEXT_MM = 262.0
SIZES = (30, 300, 3000)


def sample_table(rows: int) -> Table:
    """A table shaped like the appendix: header, numbering row, a group row every 10 rows."""
    header = TableRow(tuple(Cell(f"Cột {n}", bold=True, align=Align.CENTER) for n in range(len(COLUMNS))),
                      RowKind.HEADER)
    numbering = TableRow(tuple(Cell(text, italic=True, align=Align.CENTER) for text in NUMBERING), RowKind.NUMBERING)
    body = []
    for index in range(rows):
        if index % 10 == 0:
            body.append(TableRow((Cell("I", bold=True), Cell("KINH TẾ", bold=True, span=len(COLUMNS) - 1)),
                                 RowKind.GROUP))
        body.append(TableRow((Cell(str(index + 1)), Cell("Giá trị sản xuất (giá so sánh 2010)"), Cell("tỷ đồng"),
                              Cell("tăng trên 13%"), Cell("442"), Cell("-"), Cell("498,6"), Cell("-"),
                              Cell("112,81"), Cell("Chưa đạt"))))
    return Table(COLUMNS, (header, numbering, *body))


def best_of(repeat: int, action, setup=lambda: None) -> float:
    """Fastest of ``repeat`` runs of ``action(setup())``; only ``action`` is timed."""
    times = []
    for _ in range(repeat):
        prepared = setup()
        start = time.perf_counter()
        action(prepared)
        times.append(time.perf_counter() - start)
    return min(times)


def time_xml(table: Table) -> float:
    """Compose the table's XML, parse it, append it to a document body (document creation not timed)."""
    def build(word) -> None:
        word.element.body.sectPr.addprevious(docx_xml.parse(table_xml(table, LANDSCAPE_TEXT_MM)))
    return best_of(3, build, docx.Document)


def time_whole_docx(table: Table) -> float:
    metadata = Metadata("bench", "bench", "bench", datetime(2023, 6, 30, 8))
    document = Document((Section((table,), Orientation.LANDSCAPE, number_first_page=True),), metadata)
    return best_of(3, lambda _: DocxWriter().to_bytes(document))


def time_python_docx_api(table: Table) -> float:
    """The high-level way, for comparison: add_table, then cell by cell."""
    def build(word) -> None:
        grid = word.add_table(rows=len(table.rows), cols=len(table.columns))
        for row, table_row in zip(grid.rows, table.rows):
            for cell, model_cell in zip(row.cells, table_row.cells):
                run = cell.paragraphs[0].add_run(model_cell.text)
                run.bold = model_cell.bold
    return best_of(1, build, docx.Document)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", action="store_true", help="also time python-docx's cell-by-cell API")
    args = parser.parse_args()
    print(f"{'rows':>6}  {'xml + parse':>12}  {'whole .docx':>12}" + ("  python-docx API" if args.compare else ""))
    for rows in SIZES:
        table = sample_table(rows)
        line = f"{rows:>6}  {time_xml(table) * 1000:>9.1f} ms  {time_whole_docx(table) * 1000:>9.1f} ms"
        if args.compare and rows <= 300:
            line += f"  {time_python_docx_api(table) * 1000:>12.1f} ms"
        print(line)


if __name__ == "__main__":
    main()
