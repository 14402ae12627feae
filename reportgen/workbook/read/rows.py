"""One data row of a list sheet, read column by column according to the schema.

The row keeps each value, the cell it came from (so later checks can point at
it) and which cells already had an error, so that "blank" or "negative"
checks never pile a second message on a cell that was not readable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reportgen.workbook.read.cellnumbers import Number
from reportgen.workbook.read.cells import CellReader
from reportgen.workbook.read.headers import Layout
from reportgen.workbook.read.raw_cell import INVALID, Invalid, RawCell
from reportgen.workbook.schema import ESTIMATE_MARKS, Column

_FLAGS = {"estimated": (ESTIMATE_MARKS, "estimate.unknown", "số ước tính")}


@dataclass
class RowValues:
    sheet_row: int
    cells: dict[str, RawCell]
    labels: dict[str, str]
    values: dict[str, object] = field(default_factory=dict)
    invalid: set[str] = field(default_factory=set)

    def cell(self, key: str) -> RawCell | None:
        return self.cells.get(key)

    def where(self, key: str) -> str:
        return f"Cột “{self.labels.get(key, key)}”"

    def text(self, key: str) -> str | None:
        value = self.values.get(key)
        return value if isinstance(value, str) else None

    def number(self, key: str) -> Number | None:
        value = self.values.get(key)
        return value if isinstance(value, Number) else None

    def decimal(self, key: str) -> Decimal | None:
        found = self.number(key)
        return found.value if found else None

    def missing(self, key: str) -> bool:
        """Blank (not merely unreadable: that was reported already)."""
        return self.values.get(key) is None and key not in self.invalid


def read_values(
    reader: CellReader, found: dict[str, RawCell], layout: Layout, columns: tuple[Column, ...]
) -> RowValues:
    row = RowValues(next(iter(found.values())).row, found, layout.labels)
    for column in columns:
        cell = found.get(column.key)
        if cell is None:
            continue
        value = _read(reader, cell, column, row.where(column.key))
        if isinstance(value, Invalid):
            row.invalid.add(column.key)
            value = None
        row.values[column.key] = value
    return row


def _read(reader: CellReader, cell: RawCell, column: Column, where: str) -> object:
    if column.kind == "number":
        return reader.number(cell, where)
    if column.kind == "flag":
        marks, code, meaning = _FLAGS.get(column.key, (("x",), f"{column.key}.unknown", column.header))
        return reader.flag(cell, where, _distinct(marks), code, meaning)
    value = reader.text(
        cell, where, multiline=column.kind == "multiline", max_chars=column.max_chars, accepts=column.accepts
    )
    return INVALID if value is INVALID else value


def _distinct(marks: tuple[str, ...]) -> tuple[str, ...]:
    """("x", "X", "có") → ("x", "có"): the message lists each accepted mark once."""
    seen: dict[str, str] = {}
    for mark in marks:
        seen.setdefault(mark.casefold(), mark)
    return tuple(seen.values())
