"""Sheet Thông tin: label/value rows → :class:`ReportInfo` and the extra labels.

A row's label is its first non-empty cell (a leading STT number is skipped)
and its value the next non-empty cell to the right, so the sheet may have a
title, a note, a "Mục | Giá trị" header, an STT column or a gap column.
Labels are matched as headers are (:mod:`.header_names`: case, spacing,
punctuation, tone placement and missing diacritics do not matter, "Nguoi ky"
is "Người ký"); a label that only resembles one gets a warning on its cell
(its value is not used), and rows with other labels go to
:attr:`~reportgen.domain.report_input.ReportInput.extra`.

A document number typed in full ("215/BC-UBND", "Số 215/BC-UBND") keeps its
number only, the symbol coming from the configuration; a symbol other than
the configured one is a warning.  A period more than a year ahead is a typo
(warning).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from reportgen.core.periods import Period, PeriodError
from reportgen.core.vnformat import short_date
from reportgen.domain.report_input import ReportInfo
from reportgen.workbook import schema
from reportgen.workbook.read.cells import CellReader
from reportgen.workbook.read.header_names import name_index, strict_key
from reportgen.workbook.read.raw_cell import INVALID, RawCell, shown_date
from reportgen.workbook.read.read_settings import ReadSettings
from reportgen.workbook.read.sheet_layout import BLANK_RUN_STOP, raw_cell
from reportgen.workbook.read.sheetxml import Row

ISSUE_DATE_SPAN_DAYS = 366
"""How long after its period's cut-off a report may still be signed."""
FUTURE_DAYS = 366
"""A period whose figures start coming in further ahead than this is a typo (a wrong year)."""
_DOC_NUMBER = re.compile(r"^(?:số(?:\s*văn\s*bản)?\s*[:.]?\s*)?(\d{1,6})\s*(?:/\s*(.*))?$", re.IGNORECASE)
_DATE_TEXT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_PERIOD_CODE = re.compile(r"^\d{4}(?:-(?:\d{2}|[Qq][1-4]|[Hh][12]|9[Mm]))?$")
_SAMPLE_MARKS = ("x", "có", "true")
_TEXT_KEYS = ("doc_number", "signer", "signer_title")
_HEADER_KEYS = {strict_key(header) for header in schema.INFO_HEADERS}
_MAX_CHARS = {info_key.key: info_key.max_chars for info_key in schema.INFO_KEYS}
_ACCEPTS = {info_key.key: info_key.accepts for info_key in schema.INFO_KEYS}
_KEYS = {info_key.key: info_key for info_key in schema.INFO_KEYS}
LABELS = name_index((info_key.key, (info_key.label, *info_key.aliases)) for info_key in schema.INFO_KEYS)


@dataclass
class _Entries:
    """Label and value cells by schema key, plus the rows with other labels."""

    known: dict[str, tuple[RawCell, RawCell]] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class InfoResult:
    info: ReportInfo | None
    """None when Kỳ báo cáo is missing or unreadable."""
    extra: dict[str, str]


def read_info(
    rows: Iterator[tuple[int, Row]],
    uncached: frozenset[tuple[int, int]],
    reader: CellReader,
    source: Path,
    settings: ReadSettings,
) -> InfoResult:
    entries = _collect(rows, uncached, reader)
    known = {key: cells[1] for key, cells in entries.known.items()}
    period = _period(known.get("period"), reader)
    texts = {key: _text(key, cell, reader) for key, cell in known.items() if key in _TEXT_KEYS}
    doc_number = texts.get("doc_number")
    if doc_number:
        texts["doc_number"] = _doc_number(doc_number, known["doc_number"], reader, settings.doc_symbol)
    issue_date = _issue_date(known["issue_date"], reader) if "issue_date" in known else None
    sample = "sample" in known and reader.flag(
        known["sample"], _where("sample"), _SAMPLE_MARKS, "sample.unknown", "số liệu minh họa"
    )
    if period is None:
        return InfoResult(None, entries.extra)
    _check_file_name(source, period, known.get("period"), reader)
    _check_not_far_ahead(period, known.get("period"), reader, settings.today_or_now())
    if issue_date is not None and not _issue_date_fits(issue_date, period, known["issue_date"], reader):
        issue_date = None
    info = ReportInfo(
        period,
        doc_number=texts.get("doc_number"),
        issue_date=issue_date,
        signer=texts.get("signer"),
        signer_title=texts.get("signer_title"),
        sample=sample,
    )
    return InfoResult(info, entries.extra)


def looks_like_info(head: list[tuple[int, Row]]) -> bool:
    """Whether the first rows hold the label of Kỳ báo cáo (a Thông tin sheet under another name)."""
    return any(
        isinstance(cell.value, str) and (LABELS.find(cell.value) or ("",))[0] == "period"
        for _, cells in head
        for cell in cells.values()
    )


def _collect(rows: Iterator[tuple[int, Row]], uncached: frozenset[tuple[int, int]], reader: CellReader) -> _Entries:
    entries = _Entries()
    last_filled = 0
    for number, row in rows:
        if number - last_filled > BLANK_RUN_STOP:
            break
        cells = [raw_cell(cell, number, column, uncached) for column, cell in sorted(row.items())]
        filled = [cell for cell in cells if not cell.blank]
        if filled:
            last_filled = number
        while filled and isinstance(filled[0].value, (int, float)):
            filled.pop(0)  # an STT column
        if filled and isinstance(filled[0].value, str):
            label = filled[0]
            value = filled[1] if len(filled) > 1 else RawCell(number, label.column + 1)
            _add_entry(entries, label, value, reader)
    return entries


def _add_entry(entries: _Entries, label_cell: RawCell, value_cell: RawCell, reader: CellReader) -> None:
    label = reader.text(label_cell, "Nhãn", printed=False)  # matched against the schema, never printed
    if not isinstance(label, str) or strict_key(label) in _HEADER_KEYS:
        return
    found = LABELS.find(label)
    info_key = _KEYS[found[0]] if found else None
    if info_key is None:
        like = LABELS.resembles(label) if not value_cell.blank else None
        if like is not None:
            meant = _KEYS[like].label
            reader.warning(
                label_cell,
                "info.unrecognised",
                f"Mục “{label}” giống mục “{meant}” nhưng không khớp tên mục nào, nên giá trị ở ô "
                f"{value_cell.ref} không được dùng.",
                f"Nếu đây là mục “{meant}”, sửa nhãn thành “{meant}”; nếu không, đổi nhãn cho khác đi để khỏi nhầm.",
                found=label,
            )
        elif not value_cell.blank:
            text = reader.text(value_cell, f"Mục “{label}”", printed=False)  # kept, never printed
            if isinstance(text, str):
                entries.extra.setdefault(label, text)
        return
    first = entries.known.get(info_key.key)
    if first is None:
        entries.known[info_key.key] = (label_cell, value_cell)
        return
    reader.warning(
        label_cell,
        "info.duplicate",
        f"Mục “{info_key.label}” ghi hai lần (ô {first[0].ref} và ô này); chỉ dùng giá trị ở ô {first[1].ref}.",
        "Xóa dòng thừa.",
        found=label,
    )


def _period(cell: RawCell | None, reader: CellReader) -> Period | None:
    if cell is None:
        reader.error(
            None,
            "info.missing",
            "Thiếu mục “Kỳ báo cáo” (kỳ của số liệu trong tệp).",
            "Thêm một dòng: cột đầu ghi “Kỳ báo cáo”, ô bên phải ghi kỳ, ví dụ “Tháng 6/2023” hoặc 2023-06.",
        )
        return None
    if isinstance(cell.value, (date, datetime)):
        return _period_from_date(cell, reader)
    text = reader.text(cell, _where("period"), max_chars=_MAX_CHARS["period"])
    if text is INVALID:
        return None
    if text is None:
        reader.error(
            cell, "info.missing", "Chưa ghi Kỳ báo cáo.", "Ghi kỳ vào ô này, ví dụ “Tháng 6/2023” hoặc 2023-06."
        )
        return None
    try:
        return Period.parse(str(text))
    except PeriodError as exc:
        reader.error(
            cell,
            "period.invalid",
            f"Không đọc được Kỳ báo cáo: {exc}.",
            "Ghi kỳ dạng “Tháng 6/2023”, “Quý II/2023”, “6 tháng đầu năm 2023”, “9 tháng năm 2023”, "
            "“Năm 2023”, hoặc mã 2023-06.",
            found=text,
        )
        return None


def _period_from_date(cell: RawCell, reader: CellReader) -> Period | None:
    """Excel turns "6/2023" or "2023-06" typed in a General cell into the 1st of that month."""
    value = cell.value
    day = value.date() if isinstance(value, datetime) else value if isinstance(value, date) else None
    if day is not None and day.day == 1:
        return Period.month(day.year, day.month)
    reader.error(
        cell,
        "period.invalid",
        "Kỳ báo cáo là một ngày cụ thể, cần ghi kỳ (tháng, quý, năm).",
        "Ghi dạng chữ “Tháng 6/2023”, hoặc gõ '2023-06 (có dấu nháy đơn ở đầu để Excel không đổi thành ngày).",
        found=shown_date(day) if day else None,
    )
    return None


def _text(key: str, cell: RawCell, reader: CellReader) -> str | None:
    text = reader.text(cell, _where(key), max_chars=_MAX_CHARS[key], accepts=_ACCEPTS[key])
    return text if isinstance(text, str) else None


def _doc_number(text: str, cell: RawCell, reader: CellReader, configured: str | None) -> str:
    """The number of a Số văn bản typed in full ("Số 215/BC-UBND" → "215"); a warning when its symbol
    is not the configured one.  Anything else is kept as typed."""
    match = _DOC_NUMBER.match(text)
    if match is None:
        return text
    number, symbol = match.group(1), (match.group(2) or "").strip()
    if symbol and configured and strict_key(symbol) != strict_key(configured):
        reader.warning(
            cell,
            "doc_number.symbol",
            f"Số văn bản ghi ký hiệu “{symbol}” nhưng ký hiệu của đơn vị trong reportgen.toml là "
            f"“{configured}”; báo cáo in “Số: {number}/{configured}”.",
            f"Chỉ ghi số ({number}) vào ô này; nếu ký hiệu trong cấu hình sai, sửa khóa doc_symbol ở "
            "mục [unit] (hoặc [units.…] của đơn vị) trong reportgen.toml.",
            found=text,
        )
    return number


def _where(key: str) -> str:
    """'Mục “Ngày ban hành”': how messages name a Thông tin row."""
    return f"Mục “{next(info_key.label for info_key in schema.INFO_KEYS if info_key.key == key)}”"


def _issue_date(cell: RawCell, reader: CellReader) -> date | None:
    value = cell.value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = reader.text(cell, _where("issue_date"), max_chars=_MAX_CHARS["issue_date"])
    if text is None or text is INVALID:
        return None
    day = _date_from_text(str(text))
    if day is not None:
        return day
    reader.error(
        cell,
        "date.invalid",
        "Ngày ban hành phải là một ngày có thật, dạng ngày/tháng/năm, ví dụ 16/06/2023.",
        "Gõ lại ngày theo dạng dd/mm/yyyy, hoặc để trống nếu văn bản chưa ký.",
        found=text,
    )
    return None


def _issue_date_fits(issue_date: date, period: Period, cell: RawCell, reader: CellReader) -> bool:
    """A report is signed once its period's figures start coming in, and within a year of its end;
    any other date is a typo (a wrong year, or Excel's 1900 and 9999), and would be printed as is."""
    first, last = period.data_window()[0], period.data_window()[1] + timedelta(days=ISSUE_DATE_SPAN_DAYS)
    if first <= issue_date <= last:
        return True
    reader.error(
        cell,
        "date.out_of_range",
        f"Ngày ban hành {shown_date(issue_date)} không khớp với kỳ báo cáo {period.label_with_year}: "
        f"báo cáo của kỳ này ban hành trong khoảng từ {shown_date(first)} đến {shown_date(last)}.",
        "Kiểm tra lại ngày, nhất là năm (gõ dạng dd/mm/yyyy); để trống nếu văn bản chưa ký.",
        found=shown_date(issue_date),
    )
    return False


def _date_from_text(text: str) -> date | None:
    """'16/06/2023', '16/6/2023', '16.6.2023' → the date; None for anything else or a day that does not exist."""
    match = _DATE_TEXT.match(text)
    if not match:
        return None
    try:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:  # 31/02/2023
        return None


def _check_not_far_ahead(period: Period, cell: RawCell | None, reader: CellReader, today: date) -> None:
    starts = period.data_window()[0]
    if starts > today + timedelta(days=FUTURE_DAYS):
        reader.warning(
            cell,
            "period.future",
            f"Kỳ báo cáo {period.label_with_year} còn hơn một năm nữa mới đến (số liệu của kỳ bắt đầu "
            f"từ {short_date(starts)}, hôm nay là {short_date(today)}); có thể gõ nhầm năm.",
            "Kiểm tra lại năm của Kỳ báo cáo (và tên tệp).",
            found=period.label_with_year,
        )


def _check_file_name(source: Path, period: Period, cell: RawCell | None, reader: CellReader) -> None:
    """Files are named by period (inputs/2023-06.xlsx); a mismatch is usually a copied file not updated."""
    if not _PERIOD_CODE.match(source.stem):
        return
    try:
        named = Period.parse(source.stem)
    except PeriodError:
        return
    if named != period:
        # Refused, not guessed: a copy of last month's workbook renamed for this month would otherwise
        # be taken as a correction of last month and mailed again.
        reader.error(
            cell,
            "period.file_name",
            f"Tên tệp “{source.name}” là kỳ {named.label_with_year} nhưng ô Kỳ báo cáo ghi "
            f"{period.label_with_year}; tệp không được dùng cho kỳ nào.",
            f"Nếu đây là số liệu {period.label_with_year}, đổi tên tệp thành “{period.code}{source.suffix}”; "
            f"nếu là số liệu {named.label_with_year}, sửa ô Kỳ báo cáo cho đúng kỳ đó.",
            found=period.label_with_year,
        )
