"""Who writes the Word and the PDF file of one report: this process, or a child forked early.

For a single ``reportgen generate`` (Linux, 2+ cores) the PDF, the longer half,
goes to a child forked as soon as the command knows what it will write — before
this process imports openpyxl and Jinja2 and reads the workbook.  Meanwhile the
child imports reportlab and registers the fonts on the other core; once the
document is built it comes through a pipe, and the child writes the PDF and
reads it back while this process writes the Word file and the figures.
Elsewhere (Windows, macOS, one core, a batch whose workers already keep every
core busy) the PDF too is written here, when the document is submitted.

This module imports nothing heavy itself: starting the workers costs one fork.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.core import forking

if TYPE_CHECKING:
    from reportgen.document.model import Document


FORKED = frozenset({"pdf"})
"""Formats written by a child of their own.  A third process for the Word file was measured slower on
two cores (0.377 s against 0.326 s median for the example): it imports python-docx, lxml and the document
model a second time while the other two processes already keep both cores busy."""


class FormatWorkers:
    """One worker per format; :meth:`submit` hands each the document, :meth:`results` waits for them."""

    def __init__(self, formats: tuple[str, ...], parallel: bool) -> None:
        self._workers = {fmt: forking.start(partial(warm, fmt), partial(write, fmt), parallel and fmt in FORKED)
                         for fmt in formats}

    def submit(self, document: Document, paths: dict[str, Path]) -> None:
        # Children first: an inline worker writes as soon as it is handed the document.
        for fmt, worker in sorted(self._workers.items(), key=lambda item: isinstance(item[1], forking.InlineWorker)):
            worker.submit((document, paths[fmt]))

    def results(self) -> dict[str, int | None]:
        """Each format's page count (None for Word), once its file is written and read back."""
        return {fmt: worker.result() for fmt, worker in self._workers.items()}

    def cancel(self) -> None:
        """Nothing to write after all (the workbook had errors): the children leave at once."""
        for worker in self._workers.values():
            worker.cancel()


def start(formats: tuple[str, ...], parallel: bool = True) -> FormatWorkers:
    """Workers for ``formats``: a forked child warming up now for the PDF when possible, else inline ones."""
    return FormatWorkers(formats, parallel)


def inline(formats: tuple[str, ...]) -> FormatWorkers:
    """Workers that write in this process, each when the document is submitted."""
    return FormatWorkers(formats, parallel=False)


def warm(fmt: str) -> None:
    """What a forked writer needs before it has a document: its library (and the PDF's fonts)."""
    from reportgen.writers import get_writer

    get_writer(fmt)
    if fmt == "pdf":
        from reportgen.writers.pdf.fonts import pdf_font_family

        pdf_font_family()


def write(fmt: str, payload: tuple[Document, Path]) -> int | None:
    """Write one format to its staged path and read it back; the PDF's page count."""
    from reportgen.readback.verify import verify_docx, verify_pdf
    from reportgen.writers import get_writer

    document, path = payload
    get_writer(fmt).write(document, path)
    return (verify_pdf if fmt == "pdf" else verify_docx)(path, document).pages
