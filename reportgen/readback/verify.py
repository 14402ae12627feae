"""Read every written file back before a run counts as a success (user-pain.md item 1).

A report is "green" only when its files open, contain what the document
model says they must (headings, the summary, every figure of the table), hold
no unrendered template tags, and — for the PDF — have a plausible page count
and every font embedded.  Text is compared with all whitespace removed, because
PDF text extraction breaks lines where the layout wraps them.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from reportgen.document.model import Document, Figure, Table
from reportgen.core.errors import RenderError

TEMPLATE_TAGS = ("{{", "}}", "{%", "%}", "{#")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Verified:
    path: Path
    pages: int | None
    """Page count (PDF only)."""


def squash(text: str) -> str:
    return _SPACE.sub("", text)


def missing_text(found: str, expected: tuple[str, ...]) -> list[str]:
    """The expected texts that ``found`` does not contain (whitespace ignored).

    Most expected texts are the table's figures, and a figure usually stands as a word or a number of
    its own in the text: those are found in a set of the text's words and numbers.  Only the others
    are searched for in the whole text, where a search per figure grew with the square of the number
    of indicators (0.35 s of a 6 s report at 3,000 indicators).  Either way a text counts as found
    exactly when it occurs in the text, whitespace removed.
    """
    haystack = squash(found)
    words = set(found.split())
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
        parts = []
        for name in names:
            data = archive.read(name)
            parser = expat.ParserCreate()
            parser.Parse(data, True)
            parts.extend(_unescape(m.decode("utf-8")) for m in _TEXT_RUN.findall(data))
    return "\n".join(parts)


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    return re.sub(r"&(lt|gt|amp|quot|apos);|&#(x?[0-9A-Fa-f]+);",
                  lambda m: _ENTITIES.get(m.group(0)) or chr(int(m.group(2)[1:], 16) if m.group(2).startswith("x")
                                                            else int(m.group(2))), text)


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
    """Pages, text and unembedded fonts of a written PDF: reportgen's own reader for the files it
    writes (milliseconds), pypdf for any other shape (tenths of a second)."""
    from reportgen.readback.pdftext import UnsupportedPdf, read_pdf

    data = path.read_bytes()
    try:
        contents = read_pdf(data)
        return contents.pages, contents.text, list(contents.unembedded_fonts)
    except (UnsupportedPdf, KeyError, IndexError, AttributeError, zlib.error, UnicodeDecodeError):
        pass
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        return len(reader.pages), text, _unembedded_fonts(reader)
    except PyPdfError as exc:
        raise ValueError(str(exc)) from None


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
    return len(document.sections), 4 + len(blocks) // 4 + rows // 8 + figures + characters // CHARACTERS_PER_PAGE_AT_LEAST


def _check_text(path: Path, text: str, document: Document) -> None:
    leftovers = [tag for tag in TEMPLATE_TAGS if tag in text]
    if leftovers:
        raise RenderError(f"Tệp {path.name} còn thẻ mẫu chưa xử lý ({', '.join(leftovers)}); kiểm tra templates/.")
    missing = missing_text(text, document.expected_text)
    if missing:
        shown = "; ".join(f"«{m}»" for m in missing[:5])
        raise RenderError(f"Tệp {path.name} thiếu nội dung phải có: {shown}"
                          + (f" và {len(missing) - 5} mục khác" if len(missing) > 5 else "") + ".")


def _unembedded_fonts(reader) -> list[str]:
    names = set()
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts") or [font]:
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is None:
                    names.add(str(font.get("/BaseFont")))
                    continue
                descriptor = descriptor.get_object()
                if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(font.get("/BaseFont")))
    return sorted(names)
