"""Where things are in a workbook: the sheets by name, and the data rows under a list sheet's header.

Sheet names are matched as headers are (:mod:`.header_names`): case, spacing,
punctuation, tone placement and missing diacritics do not matter ("Cong
trinh", "CÔNG  TRÌNH"), and the schema lists other accepted names.  A sheet
that only resembles one the report needs, or holds its columns under another
name, is never passed over in silence: a required sheet is an error pointing
at it, an optional one a warning on it (the report would lack that part).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from reportgen.core.issues import Issue, error, note, warning
from reportgen.core.vntext import match_key
from reportgen.settings.limits import Limits
from reportgen.workbook import schema
from reportgen.workbook.read.header_names import name_index
from reportgen.workbook.read.headers import Layout
from reportgen.workbook.read.issuelog import IssueLog
from reportgen.workbook.read.raw_cell import RawCell
from reportgen.workbook.read.sheetxml import Covered, Row

BLANK_RUN_STOP = 1000
"""Consecutive blank rows after which a sheet is taken to have ended, when the sheet's rows carry no
numbers to tell where its last value is (:attr:`.partscan.PartScan.last_value_row`)."""
_NUMBERING = re.compile(r"^\(?([0-9]{1,2}|[A-Za-z])\)?$")
_TOTAL_KEYS = ("tổngcộng", "tổngsố")
_SHEETS = (*schema.REQUIRED_SHEETS, *schema.OPTIONAL_SHEETS)
SHEET_INDEX = name_index((name, (name, *schema.SHEET_ALIASES.get(name, ()))) for name in _SHEETS)
_PART_OF_REPORT = {
    schema.PROJECTS: "báo cáo sẽ không có phần các công trình, dự án trọng điểm",
    schema.REMARKS: "các đoạn nhận định trong sheet đó sẽ không có trong báo cáo",
}

LooksLike = Callable[[str], set[str]]
"""Title of a sheet → the schema sheets whose columns its header row holds."""


# ----------------------------------------------------------------- sheets ----


@dataclass(frozen=True)
class _Claim:
    title: str
    priority: int


def locate_sheets(titles: list[str], log: IssueLog, looks_like: LooksLike = lambda title: set()) -> dict[str, str]:
    """Schema sheet name → the workbook's own title for it; a sheet the report needs that is missing is an
    error, one it could use a warning, each naming the sheet that resembles it when there is one."""
    claims: dict[str, list[_Claim]] = {}
    for title in titles:
        found = SHEET_INDEX.find(title)
        if found:
            claims.setdefault(found[0], []).append(_Claim(title, found[1]))
    located: dict[str, str] = {}
    for name, ranked in claims.items():
        ranked.sort(key=lambda claim: claim.priority)
        located[name] = ranked[0].title
        for extra in ranked[1:]:
            log.add(
                warning(
                    "sheet.duplicate",
                    f"Có hai sheet cùng là “{name}” (“{ranked[0].title}” và “{extra.title}”); "
                    f"chỉ đọc sheet “{ranked[0].title}”, bỏ qua sheet này.",
                    "Xóa hoặc đổi tên sheet thừa.",
                    sheet=extra.title,
                )
            )
    others = [
        title
        for title in titles
        if title not in {c.title for cs in claims.values() for c in cs}
        and SHEET_INDEX.find(title) is None
        and not _ours(title)
    ]
    named = set()
    for name in _SHEETS:
        if name not in located:
            issue = _unlocated(name, titles, others, looks_like)
            if issue is not None:
                log.add(issue)
                named.add(issue.sheet)
    left = [title for title in others if title not in named]
    if left:
        log.add(
            note(
                "sheet.ignored",
                f"Các sheet không thuộc mẫu nên không được đọc: {', '.join(f'“{title}”' for title in left)}.",
                "Không cần làm gì nếu đó là sheet phụ; nếu sheet nào cần đưa vào báo cáo thì đặt đúng tên sheet "
                f"({', '.join(_SHEETS)}).",
            )
        )
    return located


def _ours(title: str) -> bool:
    return any(match_key(title) == match_key(other) for other in schema.OTHER_SHEETS)


def _unlocated(name: str, titles: list[str], others: list[str], looks_like: LooksLike) -> Issue | None:
    required = name in schema.REQUIRED_SHEETS
    near = next((title for title in others if SHEET_INDEX.resembles(title) == name), None)
    reason = "tên giống"
    if near is None:
        near = next((title for title in others if name in looks_like(title)), None)
        reason = f"có các cột của sheet “{name}”"
    if near is None:
        if not required:
            return None
        listed = ", ".join(f"“{title}”" for title in titles)
        return error(
            "sheet.missing",
            f"Không có sheet “{name}”. Các sheet trong tệp: {listed}.",
            f"Thêm sheet “{name}” hoặc đổi tên sheet đang chứa nội dung đó thành “{name}”; "
            "dễ nhất là tạo tệp đúng mẫu bằng lệnh “reportgen new”.",
        )
    if required:
        what = "có phải sheet này?" if reason == "tên giống" else f"sheet này {reason}, có phải là nó?"
        return error(
            "sheet.missing",
            f"Không có sheet “{name}”; {what}",
            f"Đổi tên sheet “{near}” thành “{name}” (đúng chính tả, có dấu).",
            sheet=near,
        )
    why = f"có tên giống sheet “{name}”" if reason == "tên giống" else reason
    return warning(
        "sheet.unrecognised",
        f"Sheet này {why} nhưng tên không khớp nên không được đọc: {_PART_OF_REPORT[name]}.",
        f"Nếu đây là sheet “{name}”, đổi tên sheet thành “{name}”; nếu không, bỏ qua cảnh báo này.",
        sheet=near,
    )


# ------------------------------------------------------------------- rows ----


def raw_cell(cell: Any, row: int, column: int, uncached: frozenset[tuple[int, int]]) -> RawCell:
    """Copy what the reader needs out of a cell; styles are looked up only when used."""
    if cell is None:
        return RawCell(row, column, uncached_formula=(row, column) in uncached)
    merge, hidden = None, None
    if isinstance(cell, Covered):
        merge, hidden = cell.merge.ref, cell.hidden
    value = cell.value
    if value is None:
        return RawCell(row, column, uncached_formula=(row, column) in uncached, merge=merge, hidden=hidden)
    number_format = "General"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number_format = _style(lambda: cell.number_format) or "General"
    font = None
    if isinstance(value, str) and not value.isascii():
        font = _style(lambda: cell.font.name)
    return RawCell(row, column, value, getattr(cell, "data_type", "n"), number_format, font, merge=merge, hidden=hidden)


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
    return {key: raw_cell(cells.get(col), number, col, uncached) for key, col in layout.columns.items()}


def data_rows(
    rows: Iterator[tuple[int, Row]],
    layout: Layout,
    uncached: frozenset[tuple[int, int]],
    sheet: str,
    limits: Limits,
    log: IssueLog,
    unheaded: dict[int, int] | None = None,
    stop_on_blank_run: bool = False,
) -> Iterator[dict[str, RawCell]]:
    """Rows under the header with something in a schema column.

    Blank rows and a column-numbering row right under the header ("(1) (2) (3)")
    are skipped; more than ``limits.max_rows`` data rows is an error and reading
    stops there.  Columns outside the layout holding data are noted in ``unheaded``.
    With ``stop_on_blank_run`` (the sheet's rows do not say where its values end), a
    run of BLANK_RUN_STOP blank rows ends the sheet.
    """
    used = set(layout.columns.values())
    seen = 0
    last_filled = layout.header_row
    for number, cells in rows:
        if number <= layout.header_row:
            continue
        if stop_on_blank_run and number - last_filled > BLANK_RUN_STOP:
            return
        if unheaded is not None:
            for column in cells:
                if column not in used and column not in layout.headed and cells[column].value is not None:
                    unheaded.setdefault(column, number)
        found = row_cells(cells, number, layout, uncached)
        if all(cell.blank for cell in found.values()):
            continue
        last_filled = number
        if seen == 0 and _is_numbering(found):
            continue
        seen += 1
        if seen > limits.max_rows:
            log.add(
                error(
                    "rows.too_many",
                    f"Sheet có hơn {limits.max_rows} dòng dữ liệu; chỉ đọc {limits.max_rows} dòng đầu, "
                    "phần còn lại bị bỏ qua.",
                    "Xóa các dòng thừa (kể cả dòng chỉ có định dạng) hoặc tách bớt dữ liệu; nếu tệp thật sự "
                    "cần nhiều dòng như vậy, nhờ người quản trị tăng giới hạn max_rows trong reportgen.toml.",
                    sheet=sheet,
                    cell=f"A{number}",
                )
            )
            return
        yield found


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
    """ "I. KINH TẾ" typed in column A when A is the Mã column: alone on its row, and words, not a code."""
    return (
        len(filled) == 1
        and code.column == min(layout.columns.values())
        and isinstance(code.value, str)
        and len(code.value.split()) > 1
    )
