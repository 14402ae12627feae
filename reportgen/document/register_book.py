"""The register of outgoing documents (Sổ đăng ký văn bản đi, Decree 30/2020, Phụ lục IV, I): entries and form.

A :class:`RegisterBook` is one issuing unit's book for one year: its cover
(the superior agency, the unit, the year, the first and last dates and numbers,
the book's number) and its entries, one per issued document.  Phụ lục IV sets
at least ten columns: (1) number and symbol, (2) date, (3) kind and summary,
(4) signer, (5) recipients, (6) the unit or person keeping the archive copy,
(7) copies, (8) date handed over, (9) receipt signature, (10) notes.  Column
(9) is signed by hand on the printed book, so it stays empty.

The same entries feed two writers: :func:`register_document` builds the
document model the PDF writer lays out (a cover page, then the table in
landscape with its header and the "(1) … (10)" row on every page), and
:mod:`reportgen.workbook.write.register_workbook` writes the workbook.  Where the
entries come from (the ledger of issued documents) is not this module's
business.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from reportgen.document.model import (
    Align,
    Cell,
    Column,
    Document,
    DocumentTitle,
    Metadata,
    Orientation,
    Paragraph,
    ParagraphRole,
    RowKind,
    Run,
    Section,
    Table,
    TableRow,
)

FORM_TITLE = "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
HEADERS = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
"""Phụ lục IV, I.2: the ten columns, in order."""
WIDTHS = (17, 14, 34, 18, 30, 13, 7, 14, 10, 15)
"""Relative widths of the columns (the PDF writer scales them to the landscape text width)."""

Day = date
"""The type of a day, by a name the field ``RegisterEntry.date`` does not hide inside the class."""


@dataclass(frozen=True)
class RegisterEntry:
    """One issued document, as the văn thư registers it."""

    number: int
    """The number in the unit's register of the year, from 1 on 1 January."""
    date: Day
    """The document's date (its issue date)."""
    symbol: str
    """The symbol after the number: "BC-UBND"."""
    summary: str
    """Trích yếu: "Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội tháng 6 …"."""
    signer: str
    recipients: tuple[str, ...]
    """Nơi nhận, one recipient per element, without the leading dash."""
    copies: int
    notes: str = ""
    """E.g. "Thay thế Báo cáo số 01/BC-UBND ngày 20/01/2023"."""
    kind: str = "Báo cáo"
    """Tên loại văn bản."""
    archive: str = ""
    """Đơn vị, người nhận bản lưu: "VT, TCKH"."""
    handed_over: Day | None = None
    """Ngày chuyển: when the văn thư sent it out."""

    @property
    def number_symbol(self) -> str:
        """ "01/BC-UBND": Decree 30 writes numbers below 10 with a leading zero."""
        return f"{self.number:02d}/{self.symbol}" if self.symbol else f"{self.number:02d}"

    @property
    def title(self) -> str:
        """Column (3): the kind, then the summary ("Báo cáo tình hình …")."""
        summary = self.summary.strip()
        if not self.kind or summary.lower().startswith(self.kind.lower()):
            return summary
        return f"{self.kind} {summary[:1].lower()}{summary[1:]}" if summary else self.kind


@dataclass(frozen=True)
class RegisterBook:
    """One unit's register for one year."""

    year: int
    agency: str
    """The unit: "ỦY BAN NHÂN DÂN HUYỆN BÌNH LIÊU" (printed upper case)."""
    entries: tuple[RegisterEntry, ...]
    superior: str = ""
    """Tên cơ quan chủ quản trực tiếp, '' when there is none."""
    book_number: int = 1
    """Quyển số."""

    @property
    def ordered(self) -> tuple[RegisterEntry, ...]:
        return tuple(sorted(self.entries, key=lambda e: (e.number, e.date)))

    @property
    def cover_lines(self) -> tuple[str, ...]:
        """Năm; Từ ngày … đến ngày …; Từ số … đến số …; Quyển số (Phụ lục IV, I.1)."""
        entries = self.ordered
        first_day = min((e.date for e in entries), default=None)
        last_day = max((e.date for e in entries), default=None)
        days = f"Từ ngày {_day(first_day)} đến ngày {_day(last_day)}" if entries else "Từ ngày … đến ngày …"
        numbers = f"Từ số {entries[0].number:02d} đến số {entries[-1].number:02d}" if entries else "Từ số … đến số …"
        return f"Năm: {self.year}", days, numbers, f"Quyển số: {self.book_number:02d}"


def entry_cells(entry: RegisterEntry) -> tuple[str, ...]:
    """The ten columns of one entry, as text (both writers show exactly these)."""
    recipients = "\n".join(f"- {r}" for r in entry.recipients)
    return (
        entry.number_symbol,
        _day(entry.date),
        entry.title,
        entry.signer,
        recipients,
        entry.archive,
        str(entry.copies),
        _day(entry.handed_over) if entry.handed_over else "",
        "",
        entry.notes,
    )


def register_document(book: RegisterBook) -> Document:
    """The book as a document: the cover page, then the table of entries (landscape)."""
    cover: list = []
    if book.superior:
        cover.append(Paragraph((Run(book.superior.upper()),), ParagraphRole.APPENDIX_LABEL))
    cover.append(Paragraph((Run(book.agency.upper(), bold=True),), ParagraphRole.APPENDIX_TITLE))
    cover.append(DocumentTitle(FORM_TITLE, ()))
    cover += [Paragraph((Run(line),), ParagraphRole.CAPTION) for line in book.cover_lines]
    columns = tuple(
        Column(width, Align.CENTER if index in (0, 1, 6, 7) else Align.LEFT) for index, width in enumerate(WIDTHS)
    )
    rows = [
        TableRow(tuple(Cell(text, bold=True, align=Align.CENTER) for text in HEADERS), RowKind.HEADER),
        TableRow(tuple(Cell(f"({n})", align=Align.CENTER) for n in range(1, len(HEADERS) + 1)), RowKind.NUMBERING),
    ]
    for entry in book.ordered:
        rows.append(TableRow(tuple(Cell(text) for text in entry_cells(entry))))
    if not book.entries:
        rows.append(TableRow((Cell("Chưa có văn bản nào được đăng ký trong năm.", italic=True, span=len(HEADERS)),)))
    title = f"{FORM_TITLE} NĂM {book.year}"
    metadata = Metadata(
        title=title,
        subject=f"{FORM_TITLE.capitalize()} — {book.agency}",
        author=book.agency,
        created=_created(book),
        keywords=("sổ đăng ký văn bản đi", str(book.year)),
    )
    expected = (FORM_TITLE, *HEADERS, *(e.number_symbol for e in book.ordered))
    return Document(
        (
            Section(tuple(cover), Orientation.LANDSCAPE),
            Section((Table(columns, tuple(rows), font_size=10),), Orientation.LANDSCAPE, number_first_page=True),
        ),
        metadata,
        expected,
    )


def _created(book: RegisterBook) -> datetime:
    """Fixed by the book's content (the last entry's day), so the same book gives the same bytes."""
    last = max((e.date for e in book.entries), default=date(book.year, 1, 1))
    return datetime.combine(last, time(17, 0))


def _day(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "…"
