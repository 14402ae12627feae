"""Where things are in a workbook: the sheets by name, the header row, the columns
by header text, and the data rows under the header.

Everything is matched through :func:`reportgen.vntext.match_key`, so case,
spacing, NFC/NFD and old/new tone placement ("Luỹ kế" / "Lũy kế") do not
matter.  Columns not in the schema and sheets not in the schema are ignored.
When a required sheet or column is missing and something close exists
(same letters without diacritics, or a near spelling), the message asks
"có phải …?".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Iterable, Iterator

from ..issues import Issue, error, warning
from ..vnformat import vn_num
from ..vntext import ascii_key, clean, match_key
from . import schema
from .cells import RawCell, column_letter
from .issuelog import IssueLog
from .limits import CellBudget, Limits

MAX_COLUMNS = 64
"""Columns looked at; the widest real sheet has about 15.  Bounds the work on rows styled to XFD."""
BLANK_RUN_STOP = 1000
"""Consecutive blank rows after which a sheet is taken to have ended (sheets formatted down to row
1,048,576 would otherwise be walked to the bottom)."""
_CLOSE = 0.8
_NUMBERING = re.compile(r"^\(?([0-9]{1,2}|[A-Za-z])\)?$")
_TOTAL_KEYS = ("tổngcộng", "tổngsố")

Row = tuple[Any, ...]
"""One worksheet row as openpyxl yields it (cells with ``.value``)."""


def closest(text: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``text`` was probably meant to be: same letters without diacritics, or a near spelling."""
    key = ascii_key(text)
    if not key:
        return None
    best, best_ratio = None, _CLOSE
    for candidate in candidates:
        ratio = difflib.SequenceMatcher(None, key, ascii_key(candidate)).ratio()
        if ratio >= best_ratio:
            best, best_ratio = candidate, ratio
    return best


# ----------------------------------------------------------------- sheets ----

def locate_sheets(titles: list[str], log: IssueLog) -> dict[str, str]:
    """Schema sheet name → the workbook's own title for it; required sheets missing are errors."""
    found: dict[str, str] = {}
    for name in (*schema.REQUIRED_SHEETS, *schema.OPTIONAL_SHEETS):
        matches = [title for title in titles if match_key(title) == match_key(name)]
        if matches:
            found[name] = matches[0]
            for extra in matches[1:]:
                log.add(warning("sheet.duplicate",
                                f"Có hai sheet cùng là «{name}» («{matches[0]}» và «{extra}»); "
                                f"chỉ đọc sheet «{matches[0]}», bỏ qua sheet này.",
                                "Xóa hoặc đổi tên sheet thừa.", sheet=extra))
        elif name in schema.REQUIRED_SHEETS:
            log.add(_missing_sheet(name, titles, set(found.values())))
    return found


def _missing_sheet(name: str, titles: list[str], taken: set[str]) -> Issue:
    near = closest(name, [title for title in titles if title not in taken])
    listed = ", ".join(f"«{title}»" for title in titles)
    if near:
        return error("sheet.missing", f"Không có sheet «{name}»; có phải sheet này?",
                     f"Đổi tên sheet «{near}» thành «{name}» (đúng chính tả, có dấu).", sheet=near)
    return error("sheet.missing", f"Không có sheet «{name}». Các sheet trong tệp: {listed}.",
                 f"Thêm sheet «{name}» hoặc đổi tên sheet đang chứa nội dung đó thành «{name}»; "
                 "dễ nhất là tạo tệp đúng mẫu bằng lệnh «reportgen new».")


# ----------------------------------------------------------------- header ----

@dataclass(frozen=True)
class Layout:
    """Where a list sheet's columns are."""

    header_row: int
    columns: dict[str, int]
    """Schema column key → 1-based column number, in sheet order."""
    labels: dict[str, str]
    """Schema column key → header as written in the sheet (cleaned), for messages."""

    @property
    def last_column(self) -> int:
        return max(self.columns.values())


@dataclass(frozen=True)
class _Hit:
    key: str
    priority: int
    """0 for the canonical header, 1… for aliases in schema order."""
    column: int
    text: str


@cache  # the schema's column tuples are constants: one index each per process
def _header_index(columns: tuple[schema.Column, ...]) -> dict[str, tuple[str, int]]:
    index: dict[str, tuple[str, int]] = {}
    for column in columns:
        for priority, name in enumerate(column.names):
            index.setdefault(match_key(name), (column.key, priority))
    return index


def _row_hits(cells: Row, index: dict[str, tuple[str, int]]) -> list[_Hit]:
    hits = []
    for number, cell in enumerate(cells, start=1):
        if isinstance(cell.value, str) and cell.value.strip():
            found = index.get(match_key(cell.value))
            if found:
                hits.append(_Hit(found[0], found[1], number, clean(cell.value).text))
    return hits


def find_layout(sheet: str, head: list[Row], columns: tuple[schema.Column, ...], log: IssueLog) -> Layout | None:
    """Find the header among the first rows: the row naming the most schema columns (at least two)."""
    index = _header_index(columns)
    best_row = 0
    best_hits: list[_Hit] = []
    for number, cells in enumerate(head, start=1):
        hits = _row_hits(cells, index)
        if len({hit.key for hit in hits}) > len({hit.key for hit in best_hits}):
            best_row, best_hits = number, hits
    if len({hit.key for hit in best_hits}) < 2:
        log.add(_no_header(sheet, columns))
        return None
    layout = _layout(sheet, best_row, best_hits, log)
    missing = [column for column in columns if column.required and column.key not in layout.columns]
    for column in missing:
        log.add(_missing_column(sheet, column, columns, best_row, head[best_row - 1], layout))
    return None if missing else layout


def _layout(sheet: str, row: int, hits: list[_Hit], log: IssueLog) -> Layout:
    chosen: dict[str, _Hit] = {}
    for hit in sorted(hits, key=lambda h: (h.priority, h.column)):
        first = chosen.setdefault(hit.key, hit)
        if first is not hit and first.priority == hit.priority:
            log.add(warning("column.duplicate",
                            f"Cột «{hit.text}» xuất hiện hai lần (ô {column_letter(first.column)}{row} và "
                            f"ô {column_letter(hit.column)}{row}); chỉ đọc cột {column_letter(first.column)}.",
                            "Xóa hoặc đổi tên cột thừa.", sheet=sheet, cell=f"{column_letter(hit.column)}{row}"))
    in_sheet_order = sorted(chosen.values(), key=lambda h: h.column)
    return Layout(row, {h.key: h.column for h in in_sheet_order}, {h.key: h.text for h in in_sheet_order})


def _expected(columns: tuple[schema.Column, ...]) -> str:
    return ", ".join(column.header for column in columns if column.required)


def _no_header(sheet: str, columns: tuple[schema.Column, ...]) -> Issue:
    return error("header.missing",
                 f"Không tìm thấy dòng tiêu đề trong {schema.HEADER_SEARCH_ROWS} dòng đầu của sheet: "
                 f"cần một dòng có các cột {_expected(columns)}.",
                 "Giữ nguyên dòng tiêu đề như tệp mẫu (tạo bằng lệnh «reportgen new»); tên cột phải gõ "
                 "bằng Unicode, đúng chính tả.", sheet=sheet)


def _missing_column(sheet: str, column: schema.Column, columns: tuple[schema.Column, ...], row: int,
                    cells: Row, layout: Layout) -> Issue:
    used = set(layout.columns.values())
    free = {n: clean(c.value).text for n, c in enumerate(cells, start=1)
            if n not in used and isinstance(c.value, str) and c.value.strip()}
    for number, text in free.items():
        if closest(text, column.names):
            return error("column.missing",
                         f"Dòng tiêu đề (dòng {row}) thiếu cột bắt buộc «{column.header}»; "
                         f"tiêu đề ở ô này có phải «{column.header}»? Các cột cần có: {_expected(columns)}.",
                         f"Sửa tiêu đề thành «{column.header}» (đúng chính tả, có dấu).",
                         sheet=sheet, cell=f"{column_letter(number)}{row}", found=text)
    return error("column.missing",
                 f"Dòng tiêu đề (dòng {row}) thiếu cột bắt buộc «{column.header}». "
                 f"Các cột cần có: {_expected(columns)}.",
                 f"Thêm cột «{column.header}» vào dòng tiêu đề (dòng {row}) rồi điền số liệu.", sheet=sheet)


# ------------------------------------------------------------------- rows ----

class DamagedFile(Exception):
    """openpyxl could not parse part of the workbook while we were reading it."""


def raw_cell(cell: Any, row: int, column: int, uncached: frozenset[tuple[int, int]]) -> RawCell:
    """Copy what the reader needs out of an openpyxl cell; styles are looked up only when used."""
    value = cell.value
    if value is None:
        return RawCell(row, column, uncached_formula=(row, column) in uncached)
    number_format = "General"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number_format = _style(lambda: cell.number_format) or "General"
    font = None
    if isinstance(value, str) and not value.isascii():
        font = _style(lambda: cell.font.name)
    return RawCell(row, column, value, getattr(cell, "data_type", "n"), number_format, font)


def _style(lookup: Any) -> str | None:
    """A style attribute, or None when the cell points at a style the file does not define
    (Excel repairs such files silently; the value is still good)."""
    try:
        found = lookup()
    except (IndexError, KeyError, AttributeError, TypeError):
        return None
    return found if isinstance(found, str) else None


def row_cells(cells: Row, number: int, layout: Layout, uncached: frozenset[tuple[int, int]]) -> dict[str, RawCell]:
    """The schema columns of one row, left to right, blank ones included (their reference is where to type)."""
    return {key: raw_cell(cells[col - 1], number, col, uncached) if col <= len(cells)
            else RawCell(number, col) for key, col in layout.columns.items()}


def data_rows(rows: Iterator[tuple[int, Row]], layout: Layout, uncached: frozenset[tuple[int, int]],
              sheet: str, limits: Limits, log: IssueLog, budget: CellBudget) -> Iterator[dict[str, RawCell]]:
    """Rows under the header with something in a schema column.

    Blank rows and a column-numbering row right under the header ("(1) (2) (3)")
    are skipped; a long run of blank rows ends the sheet; more than
    ``limits.max_rows`` data rows, or more than ``limits.max_cells`` filled cells
    in the whole workbook (``budget``), is an error and reading stops there.
    """
    blank_run = seen = 0
    for number, cells in rows:
        found = row_cells(cells, number, layout, uncached)
        filled = sum(not cell.blank for cell in found.values())
        if not filled:
            blank_run += 1
            if blank_run >= BLANK_RUN_STOP:
                return
            continue
        blank_run = 0
        if not spend_cells(budget, filled, sheet, number, log):
            return
        if seen == 0 and _is_numbering(found):
            continue
        seen += 1
        if seen > limits.max_rows:
            log.add(error("rows.too_many",
                          f"Sheet có hơn {limits.max_rows} dòng dữ liệu; chỉ đọc {limits.max_rows} dòng đầu, "
                          "phần còn lại bị bỏ qua.",
                          "Xóa các dòng thừa (kể cả dòng chỉ có định dạng) hoặc tách bớt dữ liệu.",
                          sheet=sheet, cell=f"A{number}"))
            return
        yield found


def spend_cells(budget: CellBudget, filled: int, sheet: str, row: int, log: IssueLog) -> bool:
    """Count a row's filled cells; False (with one error per workbook) once the workbook holds too many."""
    if budget.spend(filled):
        return True
    if not budget.reported:
        budget.reported = True
        log.add(error("cells.too_many",
                      f"Tệp có hơn {vn_num(budget.limit, 0)} ô có dữ liệu; chỉ đọc đến dòng {row} của sheet này, "
                      "phần còn lại bị bỏ qua.",
                      "Xóa các dòng, cột, sheet thừa hoặc tách bớt dữ liệu; nếu tệp thật sự cần lớn như vậy, "
                      "nhờ người quản trị tăng giới hạn max_cells trong reportgen.toml.",
                      sheet=sheet, cell=f"A{row}"))
    return False


def _is_numbering(found: dict[str, RawCell]) -> bool:
    """'(1) (2) (3) …' or 'A B 1 2 3' under the header, as Vietnamese tables often have."""
    texts = [str(cell.value).strip() for cell in found.values() if not cell.blank]
    return len(texts) >= 3 and all(_NUMBERING.match(text) for text in texts)


def is_heading_or_total(found: dict[str, RawCell], layout: Layout, heading_keys: tuple[str, ...]) -> bool:
    """A row with no Mã that is a group heading ("I. KINH TẾ": text alone in the name or
    first column) or a total ("Tổng cộng", "Tổng số", "Cộng"): skipped silently."""
    filled = [(key, cell) for key, cell in found.items() if not cell.blank]
    code = found.get("code")
    if not filled or (code is not None and not code.blank and not _heading_in_code_column(code, filled, layout)):
        return False
    first_key, first = filled[0]
    if not isinstance(first.value, str):
        return False
    key = match_key(first.value)
    if key == "cộng" or key.startswith(_TOTAL_KEYS):
        return True
    return len(filled) == 1 and (first_key in heading_keys or first.column == min(layout.columns.values()))


def _heading_in_code_column(code: RawCell, filled: list[tuple[str, RawCell]], layout: Layout) -> bool:
    """"I. KINH TẾ" typed in column A when A is the Mã column: alone on its row, and words, not a code."""
    return (len(filled) == 1 and code.column == min(layout.columns.values())
            and isinstance(code.value, str) and len(code.value.split()) > 1)


def sheet_rows(worksheet: Any) -> Iterator[tuple[int, Row]]:
    """(row number, cells) from row 1, at most MAX_COLUMNS wide.

    The declared dimension is ignored: programs write wrong ones, and openpyxl in
    read-only mode would stop at a too-small one.
    """
    worksheet.reset_dimensions()
    rows = worksheet.iter_rows(min_row=1, max_col=MAX_COLUMNS)
    number = 0
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # anything openpyxl raises on a malformed sheet part
            raise DamagedFile(type(exc).__name__) from exc
        number += 1
        yield number, cells
