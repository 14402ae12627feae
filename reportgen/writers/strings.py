"""Every string a writer will draw, with where it sits in the document.

The PDF writer checks each character against its font before drawing
(:func:`reportgen.typeface.glyph_check.check_glyphs`); the place lets the error say
where the offending character is ("phần 2, bảng, dòng 5, cột 2 “…”").
"""

from __future__ import annotations

from collections.abc import Iterator

from reportgen.document.model import (
    Addressees,
    Document,
    DocumentTitle,
    Figure,
    Heading,
    ListItem,
    OfficialHeader,
    PageBreak,
    Paragraph,
    SignatureBlock,
    Table,
)
from reportgen.writers.block_dispatch import BlockDispatcher

Located = tuple[str, str]
"""(where, text)."""

SNIPPET = 40
"""Characters of the text quoted in a location."""


def document_strings(document: Document) -> Iterator[Located]:
    """(where, text) for every string of every block; an unknown block raises UnsupportedBlock."""
    for number, where, text in _walk(document):
        yield f"phần {number}, {where} “{snippet(text)}”", text


def document_texts(document: Document) -> Iterator[str]:
    """The texts of :func:`document_strings` without their places, which only an error message needs
    (spelling out every place costs 0.6 ms per report, walking the blocks 0.2 ms)."""
    return (text for _number, _where, text in _walk(document))


def _walk(document: Document) -> Iterator[tuple[int, str, str]]:
    collector = _StringCollector()
    for number, section in enumerate(document.sections, 1):
        for block in section.blocks:
            for where, text in collector.render(block):
                yield number, where, text


def snippet(text: str) -> str:
    """``text`` on one line, cut to :data:`SNIPPET` characters with "…", for quoting in a message."""
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


class _StringCollector(BlockDispatcher):
    name = "pdf"

    def block_OfficialHeader(self, block: OfficialHeader) -> list[Located]:
        lines = ((block.superior,) if block.superior else ()) + block.agency
        lines += (block.national_title, block.motto, block.number, block.place_date)
        return [("tiêu đề trang 1", line) for line in lines]

    def block_DocumentTitle(self, block: DocumentTitle) -> list[Located]:
        return [("tên loại và trích yếu", line) for line in (block.kind, *block.summary)]

    def block_Addressees(self, block: Addressees) -> list[Located]:
        return [("kính gửi", line) for line in (block.label, *block.lines)]

    def block_Heading(self, block: Heading) -> list[Located]:
        return [("đề mục", block.text)]

    def block_Paragraph(self, block: Paragraph) -> list[Located]:
        return [("đoạn văn", block.text)]

    def block_ListItem(self, block: ListItem) -> list[Located]:
        return [("gạch đầu dòng", block.text)]

    def block_SignatureBlock(self, block: SignatureBlock) -> list[Located]:
        lines = (block.recipients_label, *block.recipients, *block.authority, block.title, block.name)
        return [("phần ký", line) for line in lines]

    def block_Table(self, block: Table) -> list[Located]:
        found = []
        for r, row in enumerate(block.rows, 1):
            column = 1
            for cell in row.cells:
                found.append((f"bảng, dòng {r}, cột {column}", cell.text))
                column += cell.span
        return found

    def block_Figure(self, block: Figure) -> list[Located]:
        return [("chú thích hình", block.caption)]

    def block_PageBreak(self, block: PageBreak) -> list[Located]:
        return []
