"""The picture of a workbook's problem sheets as HTML: the sheet drawn as Excel shows it, the problems beside it.

Renders :class:`~reportgen.document.sheet_picture.WorkbookPicture` (read by
:mod:`reportgen.workbook.read.picture_reader`) for "Nộp số liệu": each sheet as a
table with Excel's row numbers and column letters, merged cells spanned,
numbers right-aligned; every problem cell filled red (an error) or amber (a
warning only) with the number of its entry, which links to the entry in the
list beside the table; each entry names its cell, links back to it, and says
what is wrong, the value read and how to fix it.  Rows left out of a long
sheet are a row of their own saying which; problems of the whole file, or of
a sheet that cannot be drawn, are listed after the sheets, so nothing given is
dropped.

Ids are made from ``prefix`` (so two pictures can share a page), the sheet's
position and the cell's address: never from the sheet's name, which is user text.
Styles are in ``html_sheet.css``; no script, no ``style=`` attribute.
"""

from __future__ import annotations

from reportgen.core.issues import Issue, Severity
from reportgen.core.vnformat import vn_num
from reportgen.document.sheet_picture import (
    DEFAULT_WIDTH,
    PictureCell,
    PictureRow,
    ProblemEntry,
    RowGap,
    SheetPicture,
    WorkbookPicture,
    column_letter,
    cut_text,
)
from reportgen.writers.html.page import attr, page, text

SEVERITY_CLASS = {Severity.ERROR: "rg-error", Severity.WARNING: "rg-warning", Severity.NOTE: "rg-note"}
CHARACTER_PX = 8
"""A character of the sheet's font, generously (Calibri 11 at 100% averages 6 to 7): how far a text runs on."""
ROW_HEADER_PX = 44
"""The row numbers' column."""
LEGEND = "Ô có lỗi tô đỏ, ô chỉ có cảnh báo tô vàng. Bấm số trong ô để đọc lời nhắn; bấm địa chỉ ô để về ô đó."


def picture_html(picture: WorkbookPicture, prefix: str = "rg-book") -> str:
    """The sheets with their problems, then the problems no sheet shows, as one ``<div>``."""
    sheets = "".join(_sheet(sheet, f"{prefix}-s{number}") for number, sheet in enumerate(picture.sheets, 1))
    return f'<div class="rg-book">{sheets}{_elsewhere(picture.elsewhere)}</div>'


def picture_page(picture: WorkbookPicture, title: str, base: str | None = None) -> str:
    """A whole page of :func:`picture_html`; the stylesheet linked under ``base``, or embedded when None."""
    body = f'<main class="rg-book-page"><h1>{text(title)}</h1>{picture_html(picture)}</main>'
    return page(title, body, ("html_sheet.css",), base)


# ---------------------------------------------------------------- a sheet ---


def _sheet(sheet: SheetPicture, key: str) -> str:
    head = "".join(f'<th scope="col">{column_letter(column)}</th>' for column in range(1, sheet.columns + 1))
    widths = [ROW_HEADER_PX] + [excel_pixels(width) for width in sheet.widths]
    rows = "".join(
        _gap(line, sheet.columns) if isinstance(line, RowGap) else _row(line, key, widths[1:]) for line in sheet.lines
    )
    entries = "".join(_entry(entry, key) for entry in sheet.entries)
    counts = f"{sheet.errors} lỗi, {sheet.warnings} cảnh báo. {LEGEND}"
    return (
        f'<section class="rg-sheet-picture" aria-labelledby="{attr(key)}">'
        f'<h2 id="{attr(key)}" class="rg-sheet-name">Sheet “{text(sheet.name)}”</h2>'
        f'<p class="rg-sheet-counts">{text(counts)}</p>'
        '<div class="rg-sheet-layout">'
        f'<div class="rg-grid-frame"><table class="rg-grid"{_width(widths, sheet)}>{_columns(widths, sheet)}'
        f'<thead><tr><th class="rg-corner"></th>{head}</tr>'
        f"</thead><tbody>{rows}</tbody></table>{_columns_left_out(sheet)}</div>"
        f'<ol class="rg-problems">{entries}{_unlisted(sheet)}</ol></div></section>'
    )


def excel_pixels(width: float) -> int:
    """Pixels of a column ``width`` characters wide, as Excel draws it at 100% (Calibri 11: 7 px a
    character and 5 px of padding)."""
    return max(round(width * 7 + 5), 12)


def _columns(widths: list[int], sheet: SheetPicture) -> str:
    """Each column at the width the file gives it (``<col width>``: a presentational attribute, which a
    Content-Security-Policy without inline style allows)."""
    if not sheet.widths:
        return ""
    return "<colgroup>" + "".join(f'<col width="{width}">' for width in widths) + "</colgroup>"


def _width(widths: list[int], sheet: SheetPicture) -> str:
    return f' width="{sum(widths)}"' if sheet.widths else ""


def _row(row: PictureRow, key: str, widths: list[int]) -> str:
    cells = []
    index = 0
    while index < len(row.cells):
        cell = row.cells[index]
        spill = _spill(row.cells, index, widths)
        cells.append(_cell(cell, row.number, key, spill))
        index += 1 + spill
    return f'<tr><th scope="row">{row.number}</th>{"".join(cells)}</tr>'


def _spill(cells: tuple[PictureCell, ...], index: int, widths: list[int]) -> int:
    """How many empty cells after a text cell its text runs over: as many as the text needs, as Excel lets
    text run on into empty neighbours (numbers never do; a problem cell is never covered)."""
    cell = cells[index]
    if not cell.text or cell.numeric or cell.entry is not None or cell.rowspan > 1 or cell.colspan > 1:
        return 0
    needed = len(cell.text) * CHARACTER_PX - _width_of(widths, cell.column)
    count = 0
    for following in cells[index + 1 :]:
        if (
            needed <= 0
            or following.text
            or following.entry is not None
            or following.rowspan > 1
            or following.colspan > 1
        ):
            break
        needed -= _width_of(widths, following.column)
        count += 1
    return count


def _width_of(widths: list[int], column: int) -> int:
    return widths[column - 1] if column <= len(widths) else excel_pixels(DEFAULT_WIDTH)


def _cell(cell: PictureCell, row: int, key: str, spill: int = 0) -> str:
    ref = f"{column_letter(cell.column)}{row}"
    classes = (["rg-num"] if cell.numeric else []) + ([SEVERITY_CLASS[cell.severity]] if cell.severity else [])
    classes += ["rg-spill"] if spill else []
    colspan = cell.colspan + spill
    spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else ""
    )
    class_attribute = f' class="{" ".join(classes)}"' if classes else ""
    if cell.severity is None:
        return f"<td{spans}{class_attribute}>{text(cell.text)}</td>"
    if cell.entry is None:  # its entry is past the listed ones: coloured, without a number to follow
        return f'<td{spans} id="{attr(key)}-{ref}"{class_attribute}>{text(cell.text)}</td>'
    mark = (
        f'<a class="rg-mark" href="#{attr(key)}-e{cell.entry}" '
        f'aria-label="Xem vấn đề {cell.entry} của ô {ref}">{cell.entry}</a>'
    )
    return f'<td{spans} id="{attr(key)}-{ref}"{class_attribute} data-entry="{cell.entry}">{mark}{text(cell.text)}</td>'


def _gap(gap: RowGap, columns: int) -> str:
    rows = (
        f"Dòng {vn_num(gap.first, 0)}"
        if gap.first == gap.last
        else f"Các dòng {vn_num(gap.first, 0)}–{vn_num(gap.last, 0)}"
    )
    return (
        f'<tr class="rg-gap"><th scope="row">⋮</th><td colspan="{max(columns, 1)}">'
        f"{text(rows)}: không vẽ ở đây (không có vấn đề, hoặc sheet quá dài để vẽ hết).</td></tr>"
    )


def _columns_left_out(sheet: SheetPicture) -> str:
    if sheet.used_columns <= sheet.columns:
        return ""
    return (
        f'<p class="rg-columns-left-out">Các cột từ {column_letter(sheet.columns + 1)} đến '
        f"{column_letter(sheet.used_columns)} không vẽ ở đây.</p>"
    )


# ------------------------------------------------------------ the problems ---


def _entry(entry: ProblemEntry, key: str) -> str:
    severity = SEVERITY_CLASS[entry.severity]
    if entry.ref is None:
        where = "Cả sheet"
    elif entry.drawn:
        where = f'<a href="#{attr(key)}-{entry.ref}">Ô {text(entry.ref)}</a>'
    else:
        where = f"Ô {text(entry.ref)} (không vẽ ở bảng bên cạnh)"
    issues = "".join(_issue(issue) for issue in entry.issues)
    return (
        f'<li id="{attr(key)}-e{entry.number}" class="{severity}">'
        f'<p class="rg-problem-place"><span class="rg-mark">{entry.number}</span>{where}</p>{issues}</li>'
    )


def _unlisted(sheet: SheetPicture) -> str:
    if not sheet.unlisted:
        return ""
    first = sheet.unlisted[0] or "cả sheet"
    return (
        f'<li class="rg-unlisted"><p>Còn {vn_num(len(sheet.unlisted), 0)} ô có vấn đề nữa, từ ô {text(first)} trở '
        "đi, không liệt kê ở đây: xem danh sách đầy đủ của lần kiểm tra, hoặc bản đánh dấu (.xlsx).</p></li>"
    )


def _issue(issue: Issue) -> str:
    parts = [f'<p class="rg-problem-message"><strong>{text(issue.severity.value)}:</strong> {text(issue.message)}</p>']
    if issue.found is not None:
        parts.append(f'<p class="rg-problem-found">Giá trị đọc được: “{text(cut_text(issue.found))}”</p>')
    if issue.hint:
        parts.append(f'<p class="rg-problem-hint">Cách sửa: {text(issue.hint)}</p>')
    return "".join(parts)


def _elsewhere(issues: tuple[Issue, ...]) -> str:
    if not issues:
        return ""
    items = "".join(
        f'<li class="{SEVERITY_CLASS[issue.severity]}"><p class="rg-problem-place">{text(issue.location)}'
        f"</p>{_issue(issue)}</li>"
        for issue in issues
    )
    return (
        '<section class="rg-elsewhere"><h2 class="rg-sheet-name">Vấn đề không vẽ được trên sheet</h2>'
        f'<ul class="rg-problems">{items}</ul></section>'
    )
