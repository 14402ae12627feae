"""``reportgen register YEAR``: the unit's register of outgoing documents, from the ledger, as the Phụ lục IV form.

Every document issued through ``reportgen issue`` is an entry, in the order of
its number; the văn thư prints the PDF for the paper book (column (9) is signed
there by hand) or keeps the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportgen.delivery.ledger_issuance import IssuanceBook, IssuedRecord
from reportgen.issuance.register_files import RegisterBook, RegisterEntry, write_register
from reportgen.settings.config import Config


@dataclass(frozen=True)
class RegisterFiles:
    xlsx: Path
    pdf: Path
    count: int
    """How many documents the register holds."""


def register_book(book: IssuanceBook, config: Config, unit: str, year: int) -> RegisterBook:
    """The Phụ lục IV book of ``unit``'s documents issued in ``year``."""
    entries = tuple(register_entry(record, config) for record in book.register(unit, year))
    return RegisterBook(year, " ".join(config.unit.agency) or config.unit.name, entries, superior=config.unit.superior)


def register_entry(record: IssuedRecord, config: Config) -> RegisterEntry:
    return RegisterEntry(
        number=record.number,
        date=record.date,
        symbol=record.symbol,
        summary=record.summary,
        signer=record.signer,
        recipients=record.recipients,
        copies=record.copies,
        notes=record.notes,
        archive=config.unit.archive,
        handed_over=date.fromisoformat(record.issued_at[:10]),
    )


def write_register_of_year(book: IssuanceBook, config: Config, unit: str, year: int, folder: Path) -> RegisterFiles:
    """Write the register of ``year`` into ``folder`` (so-van-ban-di-<year>.xlsx and .pdf)."""
    made = register_book(book, config, unit, year)
    files = write_register(made, folder)
    return RegisterFiles(files["xlsx"], files["pdf"], len(made.entries))
