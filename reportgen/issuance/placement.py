"""Where the signature images go: found in the rendered PDF, between the signer's title and name.

Phụ lục I of Decree 30 puts the signer's signature image "centred between the
title lines and the name" (II.7.d) and the office's seal "over about a third of
the signature, on its left" (II.8.a).  The PDF writer decides where the
signature block falls (which page, how far down, how wide the column), and may
change that; so the block is not computed from the writer's layout rules but
read from the finished PDF: the words of the last title line and of the name are
searched for with PDFium (pypdfium2), which returns each match's box as a
viewer lays it out.  pypdf's text visitor only gives where a text run starts,
not how wide it is, and the centre of a centred line needs its width.

A match counts only when it is a whole line or stands apart from its
neighbours on the line (the "Nơi nhận" column may share a baseline), so the
title "CHỦ TỊCH" is not found inside "KT. CHỦ TỊCH".  The block is the first
page's pair of title above name, horizontally aligned: the report body's,
before any appendix.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pypdfium2

from reportgen.document.model import SignatureBlock
from reportgen.issuance.images import MM_PER_INCH, StampImage
from reportgen.issuance.signing_errors import SigningError

PT_PER_MM = 72 / MM_PER_INCH
SIGNATURE_MAX_WIDTH_MM = 60.0
"""The widest a signature image is drawn (a handwritten signature is some 30–50 mm wide)."""
SIGNATURE_FILL = 0.85
"""Share of the space between title and name the signature image may take in height."""
MIN_SPACE_MM = 12.0
"""A signature needs at least this much space between title and name."""


@dataclass(frozen=True)
class Box:
    """A rectangle in PDF points, origin at the page's bottom left."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def centre_x(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def centre_y(self) -> float:
        return (self.y0 + self.y1) / 2

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    def rounded(self) -> tuple[int, int, int, int]:
        """Whole points, never smaller than the box (pyHanko takes whole numbers)."""
        return int(self.x0 // 1), int(self.y0 // 1), -int(-self.x1 // 1), -int(-self.y1 // 1)


@dataclass(frozen=True)
class SignerLines:
    """The words of the signature block the signer's image goes between."""

    title_lines: tuple[str, ...]
    """Authority and title lines, top to bottom: ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")."""
    name: str

    @classmethod
    def of(cls, block: SignatureBlock) -> SignerLines:
        return cls((*block.authority, block.title), block.name)

    @property
    def last_title(self) -> str:
        lines = [line for line in self.title_lines if line.strip()]
        return lines[-1] if lines else ""


@dataclass(frozen=True)
class SignatureSpace:
    page: int
    """0-based page index."""
    title: Box
    """The last title line."""
    name: Box
    page_width: float
    page_height: float

    @property
    def gap(self) -> Box:
        """The space between the title's bottom and the name's top, as wide as the wider of the two."""
        return Box(min(self.title.x0, self.name.x0), self.name.y1, max(self.title.x1, self.name.x1), self.title.y0)

    @property
    def centre_x(self) -> float:
        return (self.title.centre_x + self.name.centre_x) / 2


def find_signature_space(pdf: bytes, lines: SignerLines, shown_name: str = "") -> SignatureSpace:
    """The first page's signature block: the last title line above the name, aligned."""
    title, name = _clean(lines.last_title), _clean(lines.name)
    where = shown_name or "tệp PDF"
    if not title or not name:
        raise SigningError(f"Không biết khối chữ ký của {where}: thiếu chức vụ hoặc họ tên người ký.")
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage()
            best = _best_pair(_items(text, title), _items(text, name))
            if best is not None:
                width, height = page.get_size()
                return SignatureSpace(index, best[0], best[1], width, height)
    finally:
        document.close()
    raise SigningError(
        f"Không tìm thấy khối chữ ký trong {where}: không có trang nào có dòng “{title}” ở trên dòng "
        f"“{name}”. Chỉ ký được báo cáo PDF do reportgen lập (không ký bản đã in rồi quét)."
    )


def signature_box(space: SignatureSpace, image: StampImage) -> Box:
    """The signer's image: centred between title and name, its real size when that fits, else fitted."""
    gap = space.gap
    if gap.height < MIN_SPACE_MM * PT_PER_MM:
        height = gap.height / PT_PER_MM
        raise SigningError(
            f"Khoảng trống để ký giữa chức vụ và họ tên người ký chỉ cao {height:.0f} mm "
            f"(trang {space.page + 1}); cần ít nhất {MIN_SPACE_MM:.0f} mm."
        )
    max_w, max_h = SIGNATURE_MAX_WIDTH_MM * PT_PER_MM, gap.height * SIGNATURE_FILL
    if image.size_mm and image.size_mm[0] * PT_PER_MM <= max_w and image.size_mm[1] * PT_PER_MM <= max_h:
        width, height = image.size_mm[0] * PT_PER_MM, image.size_mm[1] * PT_PER_MM
    else:
        width = min(max_w, max_h * image.aspect)
        height = width / image.aspect
    cx, cy = space.centre_x, gap.centre_y
    return Box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def seal_box(signature: Box, seal: StampImage) -> Box:
    """The seal at its real size, its right edge a third of the way into the signature, level with its middle."""
    assert seal.size_mm is not None, "the seal's size is checked when it is loaded"
    width, height = seal.size_mm[0] * PT_PER_MM, seal.size_mm[1] * PT_PER_MM
    right = signature.x0 + signature.width / 3
    cy = signature.centre_y
    return Box(right - width, cy - height / 2, right, cy + height / 2)


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _items(page_text: pypdfium2.PdfTextPage, needle: str) -> list[Box]:
    """Boxes of the occurrences of ``needle`` that stand alone on their line."""
    boxes = []
    forms = {needle, unicodedata.normalize("NFD", needle)}
    for form in forms:
        searcher = page_text.search(form, match_case=True)
        while (found := searcher.get_next()) is not None:
            start, count = found
            box = _range_box(page_text, start, count)
            if box is not None and _stands_alone(page_text, start, count, box):
                boxes.append(box)
    return boxes


def _range_box(page_text: pypdfium2.PdfTextPage, start: int, count: int) -> Box | None:
    box = None
    for k in range(page_text.count_rects(start, count)):
        left, bottom, right, top = page_text.get_rect(k)
        part = Box(left, bottom, right, top)
        box = part if box is None else box.union(part)
    return box


def _stands_alone(page_text: pypdfium2.PdfTextPage, start: int, count: int, box: Box) -> bool:
    """True when the neighbours on each side are a line break, the page's edge, or a wide gap away."""
    wide = box.height * 2
    before = _neighbour(page_text, start - 1, -1)
    after = _neighbour(page_text, start + count, +1)
    if before is not None and before.x1 > box.x0 - wide and _same_line(before, box):
        return False
    return not (after is not None and after.x0 < box.x1 + wide and _same_line(after, box))


def _neighbour(page_text: pypdfium2.PdfTextPage, index: int, step: int) -> Box | None:
    """The box of the nearest character on the same line in direction ``step``; None past a line break."""
    total = page_text.count_chars()
    while 0 <= index < total:
        char = page_text.get_text_range(index, 1)
        if char in ("\r", "\n", ""):
            return None
        if not char.isspace():
            left, bottom, right, top = page_text.get_charbox(index)
            return Box(left, bottom, right, top)
        index += step
    return None


def _same_line(a: Box, b: Box) -> bool:
    return a.y0 < b.y1 and b.y0 < a.y1


def _best_pair(titles: list[Box], names: list[Box]) -> tuple[Box, Box] | None:
    """The title and the name closest above it, their centres aligned within half the narrower line."""
    pairs = [
        (title.y0 - name.y1, title, name)
        for title in titles
        for name in names
        if name.y1 <= title.y0 and abs(title.centre_x - name.centre_x) <= min(title.width, name.width) / 2
    ]
    if not pairs:
        return None
    _, title, name = min(pairs, key=lambda p: p[0])
    return title, name
