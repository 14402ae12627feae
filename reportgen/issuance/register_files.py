"""``reportgen register YEAR``'s writing: the Sổ đăng ký văn bản đi as .xlsx and .pdf, published together.

The entries come from the caller (the ledger's register of issued documents);
this writes the Phụ lục IV form from them.  Both files are staged next to
their targets and renamed into place only after the PDF has been read back
(every number and header present, fonts embedded): a failure leaves neither.
"""

from __future__ import annotations

from pathlib import Path

from reportgen.core.files import Stage
from reportgen.document.register_book import RegisterBook, RegisterEntry, register_document
from reportgen.readback.read_back import verify_pdf as read_back_pdf
from reportgen.workbook.write.register_workbook import write_register_xlsx
from reportgen.writers import get_writer

__all__ = ["RegisterBook", "RegisterEntry", "register_files", "write_register"]


def register_files(folder: Path | str, year: int) -> dict[str, Path]:
    """Where the year's register goes: so-van-ban-di-<year>.xlsx and .pdf in ``folder``."""
    return {fmt: Path(folder) / f"so-van-ban-di-{year}.{fmt}" for fmt in ("xlsx", "pdf")}


def write_register(book: RegisterBook, folder: Path | str) -> dict[str, Path]:
    """Write ``book`` as the Phụ lục IV form; returns the files by format."""
    targets = register_files(folder, book.year)
    document = register_document(book)
    with Stage() as stage:
        staged = {fmt: stage.path_for(path) for fmt, path in targets.items()}
        write_register_xlsx(book, staged["xlsx"])
        get_writer("pdf").write(document, staged["pdf"])
        read_back_pdf(staged["pdf"], document)
        stage.commit()
    return targets
