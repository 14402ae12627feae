"""Read every written file back before a run counts as a success: what was not read back is not done.

:func:`write_checked` writes one format and reads it back, here or in the writing process of
``reportgen generate`` (:mod:`reportgen.report.writing_process`).

A report is "green" only when its files open, contain what the document
model says they must (headings, the summary, every figure of the table), hold
no unrendered template tags, and — for the PDF — have a plausible page count
and every font embedded.  Text is compared with all whitespace removed, because
PDF text extraction breaks lines where the layout wraps them.
"""

from __future__ import annotations

import ctypes
import pickle
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from reportgen.core.errors import RenderError, ReportgenError
from reportgen.document.model import Document, Figure, Table
from reportgen.writers import get_writer

TEMPLATE_TAGS = ("{{", "}}", "{%", "%}", "{#")


@dataclass(frozen=True)
class Verified:
    path: Path
    pages: int | None
    """Page count (PDF only)."""


def squash(text: str) -> str:
    """``text`` without whitespace: what ``\\s+`` matches, str.split() splits at (every code point agrees), in a
    third of the regular expression's time."""
    return "".join(text.split())


def missing_text(found: str, expected: tuple[str, ...]) -> list[str]:
    """The expected texts that ``found`` does not contain (whitespace ignored).

    Most expected texts are the table's figures, and a figure usually stands as a word or a number of
    its own in the text: those are found in a set of the text's words and numbers.  Only the others
    are searched for in the whole text, where a search per figure grew with the square of the number
    of indicators (0.35 s of a 6 s report at 3,000 indicators).  Either way a text counts as found
    exactly when it occurs in the text, whitespace removed.
    """
    pieces = found.split()  # split once for both (a regular expression's squash took 0.3 ms of a report's 1)
    haystack = "".join(pieces)
    words = set(pieces)
    words.update(_NUMBER.findall(found))
    missing = []
    for text in expected:
        needle = squash(text)
        if needle not in words and needle not in haystack:
            missing.append(text)
    return missing


_NUMBER = re.compile(r"\d[\d.,]*\d|\d")
"""A number as a report prints it, "8.000" or "83,1", without the words or signs around it."""


_TEXT_RUN = re.compile(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&apos;": "'"}


def docx_text(path: Path) -> str:
    """All text of word/document.xml and its headers, in document order.

    The parts are checked to be well-formed XML (expat, no tree built) and the text runs taken
    with a pattern: a full element tree of the document part cost more than writing it.
    """
    with zipfile.ZipFile(path) as archive:
        names = ["word/document.xml"] + sorted(n for n in archive.namelist() if n.startswith("word/header"))
        runs: list[bytes] = []
        for name in names:
            data = archive.read(name)
            parser = expat.ParserCreate()
            parser.Parse(data, True)
            runs.extend(_TEXT_RUN.findall(data))
    # Decoded and unescaped once, not run by run (a report's ~350 runs): a run's text holds whole entities only
    # (the part is well-formed), so joining first gives the same text.
    return _unescape(b"\n".join(runs).decode("utf-8"))


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    return re.sub(
        r"&(lt|gt|amp|quot|apos);|&#(x?[0-9A-Fa-f]+);",
        lambda m: (
            _ENTITIES.get(m.group(0)) or chr(int(m.group(2)[1:], 16) if m.group(2).startswith("x") else int(m.group(2)))
        ),
        text,
    )


def verify_docx(path: Path, document: Document) -> Verified:
    try:
        text = docx_text(path)
    except (zipfile.BadZipFile, KeyError, expat.ExpatError) as exc:
        raise RenderError(f"Tệp Word {path.name} vừa ghi không mở lại được ({exc}).") from None
    _check_text(path, text, document)
    return Verified(path, None)


def verify_pdf(path: Path, document: Document) -> Verified:
    try:
        pages, text, unembedded = _read_pdf(path)
    except (OSError, ValueError) as exc:
        raise RenderError(f"Tệp PDF {path.name} vừa ghi không mở lại được ({exc}).") from None
    low, high = plausible_pages(document)
    if not low <= pages <= high:
        raise RenderError(f"Tệp PDF {path.name} có {pages} trang, ngoài khoảng hợp lý {low}–{high}.")
    _check_text(path, text, document)
    if unembedded:
        raise RenderError(f"Tệp PDF {path.name} có phông chữ không được nhúng: {', '.join(unembedded)}.")
    return Verified(path, pages)


def _read_pdf(path: Path) -> tuple[int, str, list[str]]:
    """Pages, text and unembedded fonts of a written PDF, read with PDFium (pypdfium2)."""
    contents = read_pdf(path.read_bytes())
    return contents.pages, contents.text, list(contents.unembedded_fonts)


@dataclass(frozen=True)
class PdfContents:
    pages: int
    text: str
    """The text of every page in reading order, pages separated by newlines."""
    unembedded_fonts: tuple[str, ...]
    """The base names of the fonts that some text is drawn in without the font program in the file."""


def read_pdf(data: bytes) -> PdfContents:
    """What a viewer shows of the PDF in ``data``: its pages, its text, and the fonts it lacks.

    PDFium (pypdfium2, a dependency for signing already) reads any PDF the way Chrome displays it: the
    text through each font's ToUnicode map, and every text object's font, which must be embedded for the
    report to print the same everywhere.  A file PDFium cannot open raises ValueError.

    PDFium is imported here, not with the module: loading it costs 20–40 ms, which only a process that reads a
    PDF back pays (``reportgen generate`` itself never does: :mod:`reportgen.report.writing_process`).
    """
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ValueError(str(exc)) from None
    try:
        texts, unembedded = [], set()
        for index in range(len(document)):
            page = document[index]
            try:
                text_page = page.get_textpage()
                texts.append(text_page.get_text_range())
                text_page.close()
                unembedded.update(_unembedded_fonts(page))
            finally:
                page.close()
        return PdfContents(len(texts), "\n".join(texts), tuple(sorted(unembedded)))
    finally:
        document.close()


def load_pdfium() -> None:
    """Import pypdfium2 and load PDFium now (a process about to read a PDF back warms up with it)."""
    import pypdfium2  # noqa: F401


def _unembedded_fonts(page: Any) -> set[str]:
    """The base names of the fonts of the text objects on ``page`` (a pypdfium2 PdfPage) not embedded.

    PDFium gives no font for an object that is not text, so the font is asked of every object without asking
    its type first: one call fewer per object, on the ~670 objects of a report (0.73 → 0.64 ms)."""
    import pypdfium2.raw as pdfium_c

    raw, get_object, get_font = page.raw, pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFTextObj_GetFont
    names = set()
    for index in range(pdfium_c.FPDFPage_CountObjects(raw)):
        font = get_font(get_object(raw, index))
        if font and not pdfium_c.FPDFFont_GetIsEmbedded(font):
            names.add(_base_font_name(font))
    return names


def _base_font_name(font) -> str:  # noqa: ANN001 - a PDFium FPDF_FONT handle
    import pypdfium2.raw as pdfium_c

    size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
    return buffer.value.decode("utf-8", "replace") or "?"


CHARACTERS_PER_PAGE_AT_LEAST = 1000
"""A page of 14 pt body text holds about 3,000 characters, of an 11 pt table about as many: a page count
above one per thousand characters of text is not plausible, whatever the paragraphs' lengths."""


def plausible_pages(document: Document) -> tuple[int, int]:
    """One page per section at least; a generous ceiling from the amount of content (blocks, table rows,
    figures, and the length of the text: staff paragraphs and names may be long)."""
    blocks = list(document.blocks())
    rows = sum(len(b.rows) for b in blocks if isinstance(b, Table))
    figures = sum(1 for b in blocks if isinstance(b, Figure))
    characters = sum(len(getattr(b, "text", "") or "") for b in blocks)
    characters += sum(len(cell.text) for b in blocks if isinstance(b, Table) for row in b.rows for cell in row.cells)
    return len(document.sections), 4 + len(
        blocks
    ) // 4 + rows // 8 + figures + characters // CHARACTERS_PER_PAGE_AT_LEAST


def _check_text(path: Path, text: str, document: Document) -> None:
    leftovers = [tag for tag in TEMPLATE_TAGS if tag in text]
    if leftovers:
        raise RenderError(f"Tệp {path.name} còn thẻ mẫu chưa xử lý ({', '.join(leftovers)}); kiểm tra templates/.")
    missing = missing_text(text, document.expected_text)
    if missing:
        shown = "; ".join(f"“{m}”" for m in missing[:5])
        raise RenderError(
            f"Tệp {path.name} thiếu nội dung phải có: {shown}"
            + (f" và {len(missing) - 5} mục khác" if len(missing) > 5 else "")
            + "."
        )


# ------------------------------------------------------------- writing, checked ----


def write_checked(fmt: str, document: Document, path: Path) -> int | None:
    """Write ``document`` in ``fmt`` to ``path`` and read it back; the PDF's page count (None for Word).

    Run in the writing process too (:mod:`reportgen.report.writing_process`): reportgen's own errors cross
    back with their words (as a RenderError where the error itself cannot be pickled), any other with its
    traceback as the cause.
    """
    try:
        get_writer(fmt).write(document, path)
        if fmt == "pdf":
            return verify_pdf(path, document).pages
        verify_docx(path, document)
        return None
    except ReportgenError as exc:
        if _crosses_processes(exc):
            raise
        raise RenderError(str(exc)) from exc


def _crosses_processes(exc: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - whatever fails to pickle or unpickle
        return False
    return True
