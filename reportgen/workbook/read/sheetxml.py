"""The rows of one worksheet as its XML holds them, or a message saying why they cannot be read.

openpyxl's parser (``WorkSheetParser``) turns each ``<row>`` into cells; its
read-only worksheet then lays the rows out, and in doing so it silently drops
a row written after a later one, takes a negative shared-string index from
the end of the table (another cell's text), and pads every missing row up to
the next one.  So this module drives the parser itself (as the read-only
worksheet does, with the same arguments, for the rows only:
tests/test_library_internals.py fails if openpyxl changes them) and:

- refuses, on the sheet and row, rows out of order or written twice, a row or
  cell number that is not a number, a cell filed under another row, and a
  shared-string index outside the table (:class:`StrictStrings`);
- yields only the rows present, with their own numbers, as {column: cell};
- counts every cell holding a value against ``max_cells`` as it goes, and
  stops after the last row holding a value (:mod:`.partscan`), so rows
  formatted down to the bottom of the sheet are never parsed;
- lays merged ranges over the rows: a cell covered by a range is a
  :class:`Covered` one, which carries the value hidden under it (refused by
  the cell reader) and, down the first column of a range, the range's value,
  as staff see it (a Lĩnh vực merged over the rows of its group).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.worksheet import _reader
from openpyxl.worksheet._reader import ROW_TAG, WorkSheetParser
from openpyxl.xml.functions import iterparse

from reportgen.core.issues import Issue, error
from reportgen.core.vnformat import vn_num
from reportgen.settings.limits import ReadBudget
from reportgen.workbook.read.issuelog import IssueLog
from reportgen.workbook.read.partscan import Merge, MergeCursor, PartScan
from reportgen.workbook.read.raw_cell import column_letter

Row = dict[int, Any]
"""One row: column number → cell (an openpyxl ReadOnlyCell or a :class:`Covered`), only cells present."""

_RESAVE = (
    "Mở tệp bằng Excel hoặc LibreOffice Calc rồi lưu lại (File → Save): chương trình đó ghi lại phần này "
    "cho đúng; rồi chạy lại. Nếu vẫn lỗi, chép lại tệp từ bản gốc."
)


class SheetUnreadable(Exception):
    """The sheet's XML cannot be read as rows; ``issue`` says where."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


class BadStringIndex(LookupError):
    def __init__(self, index: int, size: int) -> None:
        super().__init__(index)
        self.index = index
        self.size = size


class StrictStrings(list):
    """The shared-string table; an index outside it is an error, never another entry (``strings[-1]``)."""

    def __getitem__(self, index):
        if isinstance(index, int) and not 0 <= index < len(self):
            raise BadStringIndex(index, len(self))
        return super().__getitem__(index)


@dataclass(frozen=True)
class Covered:
    """A cell inside a merged range, other than the range's top-left cell (its anchor)."""

    merge: Merge
    anchor: Any
    """The anchor cell, or None when it is empty."""
    hidden: Any = None
    """A value stored in this cell itself, which Excel does not show."""
    filled: bool = False
    """The cell is in the range's first column: it reads as the anchor's value."""

    @property
    def value(self) -> Any:
        return self.anchor.value if self.filled and self.anchor is not None else None

    @property
    def data_type(self) -> str:
        return getattr(self.anchor, "data_type", "n") if self.filled else "n"

    @property
    def number_format(self) -> str:
        return self.anchor.number_format

    @property
    def font(self) -> Any:
        return self.anchor.font


def sheet_rows(worksheet: Any, scan: PartScan, budget: ReadBudget, log: IssueLog) -> Iterator[tuple[int, Row]]:
    """(row number, cells) of every row present in the sheet's XML, in order, up to the last holding a value.

    Raises :class:`SheetUnreadable` for XML that cannot be read as rows; stops (with the error
    logged once) when the workbook passes ``max_cells``.
    """
    if budget.cells_exhausted():
        return
    workbook = worksheet.parent
    with worksheet._get_source() as source:
        parser = _RowParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        yield from _Rows(worksheet, parser, scan, budget, log)


SHEET_PROPERTY_TAGS = frozenset(
    getattr(_reader, name)
    for name in (
        "COL_TAG", "PROT_TAG", "EXT_TAG", "CF_TAG", "LEGACY_TAG", "ROW_BREAK_TAG", "COL_BREAK_TAG",
        "CUSTOM_VIEWS_TAG", "PRINT_TAG", "MARGINS_TAG", "PAGE_TAG", "HEADER_TAG", "FILTER_TAG",
        "VALIDATION_TAG", "PROPERTIES_TAG", "VIEWS_TAG", "FORMAT_TAG", "SCENARIOS_TAG", "TABLE_TAG",
        "HYPERLINK_TAG", "MERGE_TAG",
    )
)  # fmt: skip
"""The elements besides rows that openpyxl's ``WorkSheetParser.parse`` reads (into sheet properties) and frees."""


class _RowParser(WorkSheetParser):
    """openpyxl's sheet parser yielding the rows only.

    Its own ``parse`` also turns the sheet's views, columns, data validations, conditional formats,
    page setup … into openpyxl objects, which a read-only worksheet drops and the reader never uses:
    0,7 ms of the 10–11 ms a workbook of the template takes to read, written by reportgen or re-saved
    by LibreOffice alike (its data validations carry long prompts).  The XML is still parsed to its
    end, so a damaged part is found as before; the rows are openpyxl's own ``parse_row``, and the same
    elements are freed as they end.
    """

    def parse(self) -> Iterator[tuple[int, list[dict]]]:
        for _, element in iterparse(self.source):
            if element.tag == ROW_TAG:
                row = self.parse_row(element)
                element.clear()
                yield row
            elif element.tag in SHEET_PROPERTY_TAGS:
                element.clear()


class _Rows:
    def __init__(
        self, worksheet: Any, parser: WorkSheetParser, scan: PartScan, budget: ReadBudget, log: IssueLog
    ) -> None:
        self.sheet = worksheet
        self.title = worksheet.title
        self.parser = parser
        self.scan = scan
        self.budget = budget
        self.log = log
        self.merges = MergeCursor(scan.merges)
        self.anchors: dict[Merge, Any] = {}
        self.previous = 0

    def __iter__(self) -> Iterator[tuple[int, Row]]:
        parsed = self.parser.parse()
        while True:
            try:
                number, cells = next(parsed)
            except StopIteration:
                return
            except MemoryError:
                raise
            except BadStringIndex as exc:
                raise SheetUnreadable(self._bad_string(exc)) from None
            except Exception as exc:  # noqa: BLE001 - whatever the XML parser or openpyxl raise on a mangled part
                raise SheetUnreadable(self._unreadable(exc)) from None
            last = self.scan.last_value_row
            if last is not None and number > last:
                return
            self._check_order(number)
            row, values = self._row(number, cells)
            issue = self.budget.spend_cells(values, self.title, number) if values else None
            if issue is not None:
                self.log.add(issue)
            if self.budget.cells_exhausted():
                return
            yield number, row

    # -- one row --------------------------------------------------------------
    def _row(self, number: int, cells: list[dict]) -> tuple[Row, int]:
        row: Row = {}
        values = 0
        for cell in cells:
            column = cell["column"]
            if cell["row"] != number:
                raise SheetUnreadable(
                    self._issue(
                        f"Phần dữ liệu của sheet ghi ô {column_letter(column)}{cell['row']} trong dòng {number}: "
                        "tệp được ghi sai cấu trúc nên không biết ô thuộc dòng nào.",
                        number,
                    )
                )
            if column in row:
                raise SheetUnreadable(
                    self._issue(
                        f"Phần dữ liệu của sheet ghi ô {column_letter(column)}{number} hai lần: tệp được ghi sai "
                        "cấu trúc nên không biết giá trị nào là đúng.",
                        number,
                    )
                )
            if cell["value"] is not None:
                values += 1
                row[column] = ReadOnlyCell(
                    self.sheet, number, column, cell["value"], cell["data_type"], cell["style_id"]
                )
        for merge in self.merges.at(number):
            self._lay(merge, number, row)
        return row, values

    def _lay(self, merge: Merge, number: int, row: Row) -> None:
        """Mark the cells ``merge`` covers on this row; keep its anchor when the range goes further down."""
        if number == merge.min_row:
            anchor = row.get(merge.min_col)
            if merge.max_row > number:
                self.anchors[merge] = anchor
            first = merge.min_col + 1
        else:
            anchor = self.anchors.get(merge)
            first = merge.min_col
        for column in [c for c in row if first <= c <= merge.max_col]:
            row[column] = Covered(merge, anchor, hidden=row[column].value, filled=column == merge.min_col)
        if number > merge.min_row and merge.min_col not in row and anchor is not None:
            row[merge.min_col] = Covered(merge, anchor, filled=True)
        if number == merge.max_row:
            self.anchors.pop(merge, None)

    def _check_order(self, number: int) -> None:
        if number > self.previous:
            self.previous = number
            return
        what = (
            f"ghi dòng {number} hai lần"
            if number == self.previous
            else f"ghi dòng {number} sau dòng {self.previous} (sai thứ tự)"
        )
        raise SheetUnreadable(
            self._issue(
                f"Phần dữ liệu của sheet {what}: tệp được tạo bằng một chương trình "
                "ghi sai cấu trúc, nên không đọc chắc chắn được.",
                number,
            )
        )

    # -- messages -------------------------------------------------------------
    def _issue(self, message: str, row: int | None = None, column: int = 1, found: object = None) -> Issue:
        cell = f"{column_letter(column)}{row}" if row and row > 0 else None
        return error("sheet.xml", message, _RESAVE, sheet=self.title, cell=cell, found=found)

    def _bad_string(self, exc: BadStringIndex) -> Issue:
        size = vn_num(exc.size, 0)
        table = f"chỉ có {size} chuỗi (số 0 đến {vn_num(exc.size - 1, 0)})" if exc.size else "không có chuỗi nào"
        return self._issue(
            f"Ô trỏ tới chuỗi chữ số {exc.index} nhưng bảng chuỗi chữ của tệp {table}: tệp bị hỏng "
            "hoặc do một chương trình khác ghi sai, nên không biết ô ghi chữ gì.",
            self.parser.row_counter,
            max(self.parser.col_counter, 1),
        )

    def _unreadable(self, exc: Exception) -> Issue:
        where = f"sau dòng {self.previous}" if self.previous else "ngay từ đầu"
        detail = ": ".join(filter(None, (type(exc).__name__, " ".join(str(exc).split())[:120])))
        return self._issue(
            f"Phần dữ liệu của sheet bị hỏng {where}: có số dòng, địa chỉ ô hoặc cấu trúc XML "
            f"không đọc được (chi tiết kỹ thuật: {detail})."
        )
