"""Render pages of the example report to the PNGs of the README and docs/report-assembly.md.

    .venv/bin/python docs/tools/render_report_pictures.py

Generates the example report exactly as ``reportgen generate inputs/2023-06.xlsx``
does (into a temporary folder), then renders its PDF with poppler's
``pdftoppm``: page 1, the page where the budget sector begins, the page where
part III (the tasks) begins, the first landscape page (Phụ lục I, the table) and
the first page of Phụ lục II (the charts).  Writes docs/img/report-page1.png,
report-sectors.png, report-tasks.png, report-appendix.png and report-charts.png.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from reportgen.report.generate import GenerateOptions, generate  # noqa: E402 - after the path setup above
from reportgen.settings.workspace import Workspace  # noqa: E402

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


def page_with(pdf: Path, text: str) -> int:
    """The first page whose text (spaces ignored) holds ``text``."""
    import unicodedata

    from pypdf import PdfReader

    wanted = "".join(text.split())
    for number, page in enumerate(PdfReader(pdf).pages, 1):
        if wanted in "".join(unicodedata.normalize("NFC", page.extract_text()).split()):
            return number
    raise SystemExit(f"the example report has no page with {text!r}")


PICTURES = (
    ("report-page1.png", lambda pdf: 1),
    ("report-sectors.png", lambda pdf: page_with(pdf, "d) Thu, chi ngân sách nhà nước")),
    ("report-tasks.png", lambda pdf: page_with(pdf, "III. NHIỆM VỤ TRỌNG TÂM")),
    ("report-appendix.png", first_landscape_page),
    ("report-charts.png", lambda pdf: page_with(pdf, "Phụ lục II")),
)


def main() -> None:
    images = ROOT / "docs" / "img"
    with tempfile.TemporaryDirectory() as out:
        result = generate(ROOT / "inputs" / "2023-06.xlsx", Workspace.open(ROOT), GenerateOptions(out_dir=Path(out)))
        pdf = result.files["pdf"]
        for name, page in PICTURES:
            render_page(pdf, page(pdf), images / name)
    print("wrote " + ", ".join(str(images / name) for name, _ in PICTURES))


if __name__ == "__main__":
    main()
