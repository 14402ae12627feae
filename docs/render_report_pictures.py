"""Render page 1, the appendix table and the charts of the example report to the PNGs in the README.

    .venv/bin/python docs/render_report_pictures.py

Generates the example report exactly as ``reportgen generate inputs/2023-06.xlsx``
does (into a temporary folder), then renders its PDF with poppler's
``pdftoppm``: page 1, the first landscape page (Phụ lục I, the table) and the
first page of Phụ lục II (the charts).  Writes docs/img/report-page1.png,
docs/img/report-appendix.png and docs/img/report-charts.png.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reportgen.generate import GenerateOptions, generate  # noqa: E402 - after the path setup above
from reportgen.workspace import Workspace  # noqa: E402

DPI = 80


def render_page(pdf: Path, page: int, target: Path) -> None:
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(stem)], check=True)


def first_landscape_page(pdf: Path) -> int:
    from pypdf import PdfReader

    for number, page in enumerate(PdfReader(pdf).pages, 1):
        if page.mediabox.width > page.mediabox.height:
            return number
    raise SystemExit("the example report has no landscape page")


def first_page_with(pdf: Path, text: str) -> int:
    from pypdf import PdfReader

    for number, page in enumerate(PdfReader(pdf).pages, 1):
        if text in page.extract_text():
            return number
    raise SystemExit(f"the example report has no page with {text!r}")


def main() -> None:
    images = ROOT / "docs" / "img"
    with tempfile.TemporaryDirectory() as out:
        result = generate(ROOT / "inputs" / "2023-06.xlsx", Workspace.open(ROOT), GenerateOptions(out_dir=Path(out)))
        pdf = result.files["pdf"]
        pictures = {"report-page1.png": 1, "report-appendix.png": first_landscape_page(pdf),
                    "report-charts.png": first_page_with(pdf, "Phụ lục II")}
        for name, page in pictures.items():
            render_page(pdf, page, images / name)
    print("wrote " + ", ".join(str(images / name) for name in pictures))


if __name__ == "__main__":
    main()
