"""The register's rules for a document's number and date (Decree 30/2020, Art. 15).

Numbers run from 01 on 1 January to 31 December of each year, in the order
documents are issued, and a number (with its symbol) is unique in its unit's
register of the year.  A number typed by hand is taken only if it is free; the
date is the day of issue, no earlier than the signer's approval of the text and
in the year of the register in use (the register of ``today``'s year: a report
issued on 2 January is number 01 of the new year, never a late number of the old
one).  Every refusal says what to do; nothing is recorded by this module.
"""

from __future__ import annotations

from datetime import date

from reportgen.core.vnformat import short_date
from reportgen.delivery.ledger_issuance import IssuanceBook, IssuedRecord
from reportgen.issuance.signing_errors import IssueRefused


def issue_date(on: date | None, today: date, approved_on: date) -> date:
    """The document's date: ``on`` (``--date``) checked, or today."""
    day = on or today
    if day.year != today.year:
        raise IssueRefused(
            f"Ngày ban hành {short_date(day)} không thuộc năm {today.year}: số văn bản lấy từ sổ đăng ký văn bản "
            f"đi của năm {today.year} (đánh số lại từ 01 mỗi ngày 01 tháng 01). Bỏ --date để lấy ngày hôm nay, hoặc "
            f"ghi một ngày của năm {today.year}."
        )
    if day > today:
        raise IssueRefused(
            f"Ngày ban hành {short_date(day)} chưa đến (hôm nay là {short_date(today)}): văn bản mang ngày "
            "ký ban hành. Bỏ --date để lấy ngày hôm nay."
        )
    if day < approved_on:
        raise IssueRefused(
            f"Ngày ban hành {short_date(day)} trước ngày duyệt bản thảo ({short_date(approved_on)}): văn "
            f"bản chỉ ban hành sau khi được duyệt. Ghi --date từ {short_date(approved_on)} trở đi, hoặc bỏ --date."
        )
    return day


def document_number(book: IssuanceBook, unit: str, year: int, wanted: int | None, symbol: str) -> int:
    """The number the document takes: the register's next one, or ``wanted`` (``--number``) when it is free."""
    following = book.next_number(unit, year)
    if wanted is None:
        return following
    if wanted < 1:
        raise IssueRefused(
            f"Số văn bản phải từ 1 trở lên (đang ghi --number {wanted}); bỏ --number để lấy số {following:02d}."
        )
    taken = book.issued_with_number(unit, year, wanted)
    if taken is not None:
        raise IssueRefused(held_number(taken, following))
    return wanted


def held_number(taken: IssuedRecord, following: int) -> str:
    return (
        f"Số {taken.number_symbol} năm {taken.year} đã cấp cho báo cáo kỳ {taken.period} ngày "
        f"{short_date(taken.date)}; mỗi số chỉ cấp một lần trong năm. Bỏ --number để lấy số tiếp theo "
        f"({following:02d}/{taken.symbol}), hoặc ghi một số chưa cấp (xem «reportgen register {taken.year}»)."
    )
