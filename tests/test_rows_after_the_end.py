"""A row written out of order after the sheet's last row is refused, never a silent end of the data.

The byte scan (reportgen.workbook.read.partscan) tells the reader the last row that holds a value,
so that rows formatted down to the bottom of the sheet are never parsed.  When the last value in
the part sits in a row written out of order ("5" after "39"), the scan once gave that row's number:
the reader stopped at row 6 and read two indicators out of sixteen, saying nothing.
"""

from __future__ import annotations

from pathlib import Path

from fixtures.make_hostile import book_bytes, valid_book
from fixtures.variant_parts import indicators_xml, row_xml
from reportgen.workbook.read.reader import read_workbook


def _with_row_repeated_at_the_end(number: int) -> bytes:
    def repeat(xml: str) -> str:
        return xml.replace("</sheetData>", row_xml(xml, number) + "</sheetData>")

    return indicators_xml(book_bytes(valid_book()), repeat)


def test_a_row_repeated_after_the_last_one_is_refused_on_its_row(tmp_path: Path) -> None:
    path = tmp_path / "2023-06.xlsx"
    path.write_bytes(book_bytes(valid_book()))
    valid = read_workbook(path)
    assert valid.ok and valid.report is not None
    last = 3 + len(valid.report.indicators)  # header on row 3, one indicator a row

    path.write_bytes(_with_row_repeated_at_the_end(5))
    read = read_workbook(path)

    assert read.report is None
    assert [(issue.code, issue.cell) for issue in read.issues] == [("sheet.xml", "A5")]
    assert f"ghi dòng 5 sau dòng {last} (sai thứ tự)" in read.issues[0].message
