"""Writers: each renders a :class:`reportgen.document.model.Document` into one format.

Formats are looked up by name so that heavy libraries (python-docx, reportlab)
are imported only when their format is written.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Protocol

from reportgen.document.model import Document


class Writer(Protocol):
    format: str
    suffix: str

    def write(self, document: Document, path: Path) -> None:
        """Write ``document`` to ``path`` (the caller makes it atomic)."""


_WRITERS = {
    "docx": ("reportgen.writers.docx.word_writer", "DocxWriter"),
    "pdf": ("reportgen.writers.pdf.pdf_writer", "PdfWriter"),
    "txt": ("reportgen.writers.plain_text", "TextWriter"),
}
FORMATS = tuple(_WRITERS)


def get_writer(fmt: str) -> Writer:
    try:
        module_name, class_name = _WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}") from None
    return getattr(import_module(module_name), class_name)()
