"""Render a signed page of the example report for docs/ky-so.md.

    .venv/bin/python docs/render_signed_picture.py

Builds the example report as ``reportgen generate inputs/2023-06.xlsx`` does (into
a temporary folder), makes a test CA with a signer's and an office's .p12 and the
signature and seal PNGs (the tests' own helpers: tests/pki.py,
tests/stamp_images.py), signs the PDF with reportgen.issuance.sign_pdf exactly as
an issue will, then renders with poppler's ``pdftoppm`` the page of the signature
block and a close-up of the block.  Writes docs/img/signed-page.png and
docs/img/signed-block.png, and prints “reportgen verify”'s report of the file.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pki import OFFICE_P12_PASSPHRASE, P12_PASSPHRASE, make_pki  # noqa: E402 - after the path setup above
from stamp_images import seal_png, signature_png  # noqa: E402
from reportgen.settings.config import parse_config  # noqa: E402
from reportgen.document.model import SignatureBlock  # noqa: E402
from reportgen.report.generate import GenerateOptions, build, generate  # noqa: E402
from reportgen.issuance import (  # noqa: E402
    Secrets, SignerLines, SignSettings, render_verification, sign_pdf, verify_pdf,
)
from reportgen.settings.workspace import Workspace  # noqa: E402

PAGE_DPI = 80
CLOSE_UP_DPI = 150


def main() -> None:
    images = ROOT / "docs" / "img"
    with tempfile.TemporaryDirectory() as out:
        folder = Path(out)
        workspace = Workspace.open(ROOT)
        result = generate(ROOT / "inputs" / "2023-06.xlsx", workspace, GenerateOptions(out_dir=folder / "outputs"))
        document = build(result.report, result.assessment, workspace)
        block = next(b for b in document.blocks() if isinstance(b, SignatureBlock))
        pki = make_pki(folder / "ky-so")
        table = {"method": "pkcs12", "p12": str(pki.signer_p12),
                 "signature_image": str(signature_png(folder / "ky-so" / "chu-ky.png")),
                 "seal_image": str(seal_png(folder / "ky-so" / "con-dau.png")),
                 "office": {"method": "pkcs12", "p12": str(pki.office_p12)}}
        settings = SignSettings.from_config(parse_config({"sign": table}).sign, folder, "reportgen.toml")
        signed = folder / "bao-cao-2023-06-ky.pdf"
        info = sign_pdf(result.files["pdf"], signed, settings, Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE),
                        SignerLines.of(block))
        page = info.signatures[0].page
        _render(signed, page, PAGE_DPI, images / "signed-page.png")
        close_up = folder / "close-up.png"
        _render(signed, page, CLOSE_UP_DPI, close_up)
        x0 = min(s.box[0] for s in info.signatures)
        y0 = min(s.box[1] for s in info.signatures)
        x1, y1 = info.signatures[0].box[2:]
        scale = CLOSE_UP_DPI / 72
        with Image.open(close_up) as picture:
            height = picture.height
            box = (round((x0 - 15) * scale), round(height - (y1 + 80) * scale),
                   round((x1 + 60) * scale), round(height - (y0 - 25) * scale))
            picture.crop(box).save(images / "signed-block.png", optimize=True)
        print(render_verification("bao-cao-2023-06-ky.pdf", verify_pdf(signed, [pki.ca_pem]), True))
    print(f"wrote {images / 'signed-page.png'} and {images / 'signed-block.png'}")


def _render(pdf: Path, page: int, dpi: int, target: Path) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(target.with_suffix(""))], check=True)


if __name__ == "__main__":
    main()
