"""Render the example workbook's sheets to the PNGs shown in docs/input-format.md.

    .venv/bin/python docs/tools/render_input_picture.py

Writes docs/img/input-chi-tieu.png and docs/img/input-thong-tin.png.  Needs
LibreOffice (``soffice``) and poppler (``pdftoppm``, ``pdftotext``); Pillow
crops.  The workbook is printed exactly as staff would print it (the print
setup comes from ``write_book``): LibreOffice converts it to PDF with a
Vietnamese locale, so numbers show as 8.000 and 83,1 as on an office PC,
then one page per sheet becomes a PNG, cropped to the table.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from reportgen.domain.plan import example_book  # noqa: E402 - after the path setup above
from reportgen.workbook.write.input_workbook import write_book  # noqa: E402

DPI = 110
MARGIN_PX = 14
SPARE_ROWS_SHOWN_PT = 30
"""How much of the blank input rows under the data to keep: about two rows."""


@dataclass(frozen=True)
class Picture:
    page_marker: str
    """Text that identifies the sheet's first page."""
    last_word: str
    """A word on the last row to keep; the picture ends a little below it."""
    extra_pt: float
    output: Path


def pictures() -> tuple[Picture, ...]:
    book = example_book()
    img = ROOT / "docs" / "img"
    return (
        Picture("BIỂU CHỈ TIÊU", book.indicators[-1]["code"], SPARE_ROWS_SHOWN_PT, img / "input-chi-tieu.png"),
        Picture("THÔNG TIN BÁO CÁO", "mẫu", 8, img / "input-thong-tin.png"),
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pdf = to_pdf(write_book(example_book(), work / "2023-06.xlsx"), work)
        for picture in pictures():
            page = find_page(pdf, picture.page_marker)
            png = render_page(pdf, page, work / f"page-{page}")
            bottom_pt = word_bottom(pdf, page, picture.last_word) + picture.extra_pt
            crop(png, bottom_pt * DPI / 72, picture.output)
            print(f"{picture.output.relative_to(ROOT)} ← trang {page}")


def to_pdf(xlsx: Path, work: Path) -> Path:
    env = {**os.environ, "LC_ALL": "vi_VN.UTF-8", "LANG": "vi_VN.UTF-8"}
    profile = (work / "lo-profile").as_uri()  # a private profile: works while LibreOffice is open
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work), str(xlsx)], check=True, env=env, capture_output=True)
    return work / (xlsx.stem + ".pdf")


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def find_page(pdf: Path, marker: str) -> int:
    for page in range(1, page_count(pdf) + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              check=True, capture_output=True, text=True).stdout
        if marker in text:
            return page
    raise SystemExit(f"no page shows “{marker}”")


def render_page(pdf: Path, page: int, stem: Path) -> Path:
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(stem)], check=True)
    return stem.with_suffix(".png")


def word_bottom(pdf: Path, page: int, word: str) -> float:
    """Lowest edge (in points from the top) of ``word`` on ``page``."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout
    bottoms = [float(m.group(1)) for m in re.finditer(r'yMax="([\d.]+)">([^<]*)</word>', out)
               if html.unescape(m.group(2)) == word]
    if not bottoms:
        raise SystemExit(f"“{word}” not found on page {page}")
    return max(bottoms)


def crop(png: Path, bottom_px: float, output: Path) -> None:
    """Keep the page down to ``bottom_px``, trimmed to the drawn content plus a margin."""
    image = Image.open(png).convert("RGB")
    band = image.crop((0, 0, image.width, min(int(bottom_px), image.height)))
    background = Image.new("RGB", band.size, "white")
    left, top, right, bottom = ImageChops.difference(band, background).getbbox()
    box = (max(left - MARGIN_PX, 0), max(top - MARGIN_PX, 0),
           min(right + MARGIN_PX, image.width), min(bottom + MARGIN_PX, image.height))
    output.parent.mkdir(parents=True, exist_ok=True)
    image.crop(box).save(output, optimize=True)


if __name__ == "__main__":
    main()
