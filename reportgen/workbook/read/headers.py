"""Which column is which: a list sheet's header row, matched against the schema's columns.

A header the user obviously meant is accepted: every spelling is compared as
:mod:`reportgen.workbook.read.header_names` keys it (punctuation, units, a year,
missing diacritics do not matter).  A header merged over several cells is read as
its text, and a header of two rows (a merged "Thực hiện" over "Tháng" and "Lũy kế")
as the two texts together.

What cannot be matched is never dropped in silence: a header that resembles
a column gets a warning on its cell saying which column it looks like and
that its data is not used; every other column left out is listed once, in a
note on the sheet (:func:`ignored_note`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from reportgen.core.issues import Issue, error, note, warning
from reportgen.core.vntext import clean
from reportgen.workbook import schema
from reportgen.workbook.read.header_names import NameIndex, column_index
from reportgen.workbook.read.issuelog import IssueLog
from reportgen.workbook.read.partscan import Merge
from reportgen.workbook.read.raw_cell import column_letter
from reportgen.workbook.read.sheetxml import Covered, Row


@dataclass(frozen=True)
class Layout:
    """Where a list sheet's columns are."""

    header_row: int
    """The (last) row of the header; data start below it."""
    columns: dict[str, int]
    """Schema column key → 1-based column number, in sheet order."""
    labels: dict[str, str]
    """Schema column key → header as written in the sheet (cleaned), for messages."""
    ignored: dict[int, str] = field(default_factory=dict)
    """Columns with a header that is not the schema's and not like one: column → header text."""
    headed: frozenset[int] = frozenset()
    """Every column with a header that is not read (ignored, or named in a warning or an error)."""

    @property
    def last_column(self) -> int:
        return max(self.columns.values())


@dataclass(frozen=True)
class _Header:
    """A header candidate: one row, or two rows read together."""

    rows: tuple[int, ...]
    texts: dict[int, tuple[str, str]]
    """Column → (header text, the cell it is on)."""


@dataclass(frozen=True)
class _Hit:
    key: str
    priority: int
    column: int
    text: str
    cell: str


@dataclass(frozen=True)
class _HeadTexts:
    own: dict[int, dict[int, str]]
    """Row → column → the text of that cell; a cell merged into the one above it has that one's text."""
    spread: dict[int, dict[int, str]]
    """Row → column → the text of a range merged across this cell from its left (a group header)."""


def header_texts(head: list[tuple[int, Row]], merges: tuple[Merge, ...]) -> _HeadTexts:
    """The texts of the first rows, merged ranges read as their text (:class:`_HeadTexts`)."""
    own: dict[int, dict[int, str]] = {}
    for number, cells in head:
        row = own.setdefault(number, {})
        for column, cell in cells.items():
            value = None if isinstance(cell, Covered) else cell.value  # a covered cell shows its range's text
            if isinstance(value, str) and value.strip():
                row[column] = clean(value).text
    spread: dict[int, dict[int, str]] = {}
    widest = max((column for row in own.values() for column in row), default=0)
    for merge in merges:
        text = own.get(merge.min_row, {}).get(merge.min_col)
        if text is None or merge.min_row > schema.HEADER_SEARCH_ROWS:
            continue
        for number in range(merge.min_row, min(merge.max_row, schema.HEADER_SEARCH_ROWS) + 1):
            own.setdefault(number, {}).setdefault(merge.min_col, text)
            for column in range(merge.min_col + 1, min(merge.max_col, widest + 1) + 1):
                spread.setdefault(number, {}).setdefault(column, text)
    return _HeadTexts(own, spread)


def _candidates(texts: _HeadTexts) -> Iterable[_Header]:
    for number in sorted(texts.own):
        upper = texts.own[number]
        yield _Header((number,), {c: (t, f"{column_letter(c)}{number}") for c, t in upper.items()})
        lower = texts.own.get(number + 1)
        if not lower:
            continue
        over = {**texts.spread.get(number, {}), **upper}  # a group header spreads over the columns under it
        both: dict[int, tuple[str, str]] = {}
        for column in sorted({*upper, *lower}):
            top, bottom = over.get(column), lower.get(column)
            text = (top or "") if bottom is None or bottom == top else bottom if top is None else f"{top} {bottom}"
            both[column] = (text, f"{column_letter(column)}{number + (1 if bottom is not None else 0)}")
        yield _Header((number, number + 1), both)


def _hits(header: _Header, index: NameIndex) -> list[_Hit]:
    hits = []
    for column, (text, cell) in header.texts.items():
        found = index.find(text)
        if found:
            hits.append(_Hit(found[0], found[1], column, text, cell))
    return hits


def header_score(head: list[tuple[int, Row]], merges: tuple[Merge, ...], columns: tuple[schema.Column, ...]) -> bool:
    """Whether the first rows hold a header of these columns: every required one and at least two."""
    index = column_index(columns)
    required = {column.key for column in columns if column.required}
    for header in _candidates(header_texts(head, merges)):
        keys = {hit.key for hit in _hits(header, index)}
        if len(keys) >= 2 and required <= keys:
            return True
    return False


def find_layout(
    sheet: str,
    head: list[tuple[int, Row]],
    merges: tuple[Merge, ...],
    columns: tuple[schema.Column, ...],
    log: IssueLog,
) -> Layout | None:
    """The header among the first rows: the row (or two rows) naming the most schema columns, at least two."""
    index = column_index(columns)
    best: tuple[int, _Header, list[_Hit]] | None = None
    for header in _candidates(header_texts(head, merges)):
        hits = _hits(header, index)
        score = len({hit.key for hit in hits})
        if best is None or score > best[0]:
            best = (score, header, hits)
    if best is None or best[0] < 2:
        log.add(_no_header(sheet, columns))
        return None
    _, header, hits = best
    chosen = _choose(sheet, hits, log)
    used = {hit.column for hit in chosen}
    row = header.rows[-1]
    unmatched = {column: text_cell for column, text_cell in header.texts.items() if column not in used}
    headed = frozenset(unmatched)
    found = {hit.key for hit in chosen}
    missing = [column for column in columns if column.required and column.key not in found]
    for column in missing:
        log.add(_missing_column(sheet, column, columns, header, unmatched))
    ignored = _unmatched(sheet, unmatched, found, index, columns, log)
    layout = Layout(row, {h.key: h.column for h in chosen}, {h.key: h.text for h in chosen}, ignored, headed)
    return None if missing else layout


def _choose(sheet: str, hits: list[_Hit], log: IssueLog) -> list[_Hit]:
    """One column per schema key: the canonical spelling first, then the leftmost."""
    chosen: dict[str, _Hit] = {}
    for hit in sorted(hits, key=lambda h: (h.priority, h.column)):
        first = chosen.setdefault(hit.key, hit)
        if first is not hit:
            what = (
                f"Cột “{hit.text}” xuất hiện hai lần (ô {first.cell} và ô {hit.cell})"
                if hit.text == first.text
                else f"Cột “{hit.text}” (ô {hit.cell}) cũng là cột “{first.text}” (ô {first.cell})"
            )
            log.add(
                warning(
                    "column.duplicate",
                    f"{what}; chỉ đọc cột {column_letter(first.column)}, số liệu cột "
                    f"{column_letter(hit.column)} không được dùng.",
                    "Xóa hoặc đổi tên cột thừa.",
                    sheet=sheet,
                    cell=hit.cell,
                )
            )
    return sorted(chosen.values(), key=lambda h: h.column)


def _unmatched(
    sheet: str,
    unmatched: dict[int, tuple[str, str]],
    found: set[str],
    index: NameIndex,
    columns: tuple[schema.Column, ...],
    log: IssueLog,
) -> dict[int, str]:
    """Warn on headers that look like a column; return the other unused headers (column → text).
    Headers already named by an error (a required column they may be) are left out."""
    by_key = {column.key: column for column in columns}
    ignored: dict[int, str] = {}
    for column, (text, cell) in sorted(unmatched.items()):
        if index.find(text):
            continue
        like = index.resembles(text, exclude=found)
        if like is None:  # like nothing, or like a column read elsewhere ("Ghi chú thêm" beside "Ghi chú")
            ignored[column] = text
            continue
        wanted = by_key[like]
        log.add(
            warning(
                "header.unrecognised",
                f"Tiêu đề “{text}” giống cột “{wanted.header}” nhưng không khớp tên cột nào, "
                f"nên số liệu của cột {column_letter(column)} không được dùng.",
                f"Nếu đây là cột “{wanted.header}”, sửa tiêu đề thành “{wanted.header}” "
                f"(hoặc một tên khác được chấp nhận, xem sheet “Hướng dẫn”); nếu không, đổi tiêu đề "
                "cho khác đi để khỏi nhầm.",
                sheet=sheet,
                cell=cell,
                found=text,
            )
        )
    return ignored


def ignored_note(sheet: str, ignored: dict[int, str], unheaded: dict[int, int]) -> Issue | None:
    """One note listing every column of the sheet that is not read: with a header the schema does not
    know, or without a header but with data (column → first row holding data)."""
    parts = [f"“{text}” (cột {column_letter(column)})" for column, text in sorted(ignored.items())]
    parts += [
        f"cột {column_letter(column)} (không có tiêu đề, có dữ liệu từ dòng {row})"
        for column, row in sorted(unheaded.items())
    ]
    if not parts:
        return None
    return note(
        "column.ignored",
        f"Các cột không thuộc mẫu nên không được dùng trong báo cáo: {'; '.join(parts)}.",
        "Không cần làm gì nếu đúng là cột phụ; nếu cột nào cần đưa vào báo cáo thì đặt tiêu đề đúng tên cột "
        "trong sheet “Hướng dẫn”.",
        sheet=sheet,
    )


def _expected(columns: tuple[schema.Column, ...]) -> str:
    return ", ".join(column.header for column in columns if column.required)


def _no_header(sheet: str, columns: tuple[schema.Column, ...]) -> Issue:
    return error(
        "header.missing",
        f"Không tìm thấy dòng tiêu đề trong {schema.HEADER_SEARCH_ROWS} dòng đầu của sheet: "
        f"cần một dòng có các cột {_expected(columns)}.",
        "Giữ nguyên dòng tiêu đề như tệp mẫu (tạo bằng lệnh “reportgen new”); tên cột phải gõ "
        "bằng Unicode, đúng chính tả.",
        sheet=sheet,
    )


def _missing_column(
    sheet: str,
    column: schema.Column,
    columns: tuple[schema.Column, ...],
    header: _Header,
    unmatched: dict[int, tuple[str, str]],
) -> Issue:
    """The error for a required column not found, on the header it may be (which is then taken out of
    ``unmatched``, so it gets no second message)."""
    row = header.rows[-1]
    rows = " và ".join(f"dòng {r}" for r in header.rows)
    for number, (text, cell) in sorted(unmatched.items()):
        if column_index((column,)).resembles(text):
            del unmatched[number]
            return error(
                "column.missing",
                f"Dòng tiêu đề ({rows}) thiếu cột bắt buộc “{column.header}”; "
                f"tiêu đề ở ô này có phải “{column.header}”? Các cột cần có: {_expected(columns)}.",
                f"Sửa tiêu đề thành “{column.header}” (đúng chính tả, có dấu).",
                sheet=sheet,
                cell=cell,
                found=text,
            )
    return error(
        "column.missing",
        f"Dòng tiêu đề ({rows}) thiếu cột bắt buộc “{column.header}”. Các cột cần có: {_expected(columns)}.",
        f"Thêm cột “{column.header}” vào dòng tiêu đề (dòng {row}) rồi điền số liệu.",
        sheet=sheet,
    )


__all__ = ["Layout", "find_layout", "header_score", "ignored_note"]
