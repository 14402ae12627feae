"""Reading a written PDF back with pypdf (a test dependency only; reportgen itself never imports it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject


@dataclass(frozen=True)
class Placed:
    """A piece of text and where it was drawn (points from the page's bottom-left corner)."""

    text: str
    x: float
    y: float
    size: float


def pdf_fonts(path: Path | str) -> list[tuple[str, bool]]:
    """(BaseFont, embedded) for every font any page uses; embedded = its descriptor has a font file."""
    found: dict[str, bool] = {}
    for page in PdfReader(str(path)).pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            found[str(font["/BaseFont"])] = _embedded(font)
    return sorted(found.items())


def _embedded(font: DictionaryObject) -> bool:
    descendants = font.get("/DescendantFonts")
    holder = descendants.get_object()[0].get_object() if descendants else font
    descriptor = holder.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def placed_text(page) -> list[Placed]:
    """Every text piece of a pypdf page with its position, via pypdf's text visitor."""
    pieces: list[Placed] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            # The user-space position is the text matrix mapped through the current transformation matrix.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            pieces.append(Placed(text.strip(), x, y, font_size * tm[3]))

    page.extract_text(visitor_text=visit)
    return pieces


def page_texts(path: Path | str) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(path)).pages]
