"""Read-back helpers of the signing tests: settings as reportgen loads them, and what a signed page shows.

What a signed page shows is read back independently of reportgen: poppler's
``pdftotext -bbox-layout`` says where the title and the name are, ``pdftoppm``
renders the page, and the blue and red pixels are counted in the rendering.
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from reportgen.settings.config import parse_config
from reportgen.issuance import SignSettings

RENDER_DPI = 100
PT = RENDER_DPI / 72
"""Pixels per PDF point in the renderings."""


def settings(folder: Path, table: dict) -> SignSettings:
    """[sign] as a user writes it in reportgen.toml of ``folder``, loaded as reportgen loads it."""
    config = parse_config({"sign": table}, folder / "reportgen.toml")
    return SignSettings.from_config(config.sign, folder, folder / "reportgen.toml")


# ------------------------------------------------------------------ read-back ----

@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    """Points, origin at the top left (as pdftotext gives them)."""

    @property
    def centre_x(self) -> float:
        return (self.x0 + self.x1) / 2


def text_lines(pdf: Path, page: int) -> list[Line]:
    """The lines of text of a 1-based page, with their boxes, by poppler."""
    xml = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox-layout", str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout
    lines = []
    for match in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>',
                             xml, re.S):
        words = [html.unescape(w) for w in re.findall(r">([^<]*)</word>", match.group(5))]
        lines.append(Line(" ".join(words), *(float(match.group(k)) for k in range(1, 5))))
    return lines


def find_line(pdf: Path, page: int, text: str) -> Line:
    found = [line for line in text_lines(pdf, page) if line.text == text]
    assert len(found) == 1, f"“{text}” on page {page}: {[line.text for line in text_lines(pdf, page)]}"
    return found[0]


def render(pdf: Path, page: int, folder: Path) -> Image.Image:
    stem = folder / f"page-{page}"
    subprocess.run(["pdftoppm", "-png", "-r", str(RENDER_DPI), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(stem)], check=True)
    return Image.open(stem.with_suffix(".png")).convert("RGB")


def is_blue(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return b > 120 and b > r + 60 and b > g + 40


def is_red(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return r > 150 and r > g + 80 and r > b + 80


def coloured_box(image: Image.Image, test) -> tuple[float, float, float, float] | None:
    """The bounding box (x0, y0, x1, y1, in points from the top left) of the pixels ``test`` accepts."""
    mask = Image.new("L", image.size)
    mask.putdata([255 if test(p) else 0 for p in _pixels(image)])
    box = mask.getbbox()
    return None if box is None else tuple(v / PT for v in box)


def count(image: Image.Image, test, box_pt: tuple[float, float, float, float]) -> int:
    """Pixels ``test`` accepts inside a box given in points from the top left."""
    x0, y0, x1, y1 = (round(v * PT) for v in box_pt)
    return sum(1 for p in _pixels(image.crop((x0, y0, x1, y1))) if test(p))


def _pixels(image: Image.Image) -> list[tuple[int, int, int]]:
    data = image.convert("RGB").tobytes()
    return [tuple(data[k:k + 3]) for k in range(0, len(data), 3)]
