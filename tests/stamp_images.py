"""The PNGs a digital signature shows, drawn for the tests (and the guide's picture).

A handwritten-looking signature in blue and a round seal in red, each on a
transparent background with its resolution written in the file (300 DPI), as
a scanner or the CA's image tool would write them.  Also the bad variants
the tests refuse: a signature on an opaque white background, a JPEG, a seal
without DPI.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from reportgen.typeface.bundled import FONT_DIR

DPI = 300
BLUE = (20, 40, 190, 255)
RED = (215, 25, 30, 255)


def px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


def signature_png(path: Path, *, background: tuple[int, int, int, int] = (0, 0, 0, 0),
                  dpi: int | None = DPI) -> Path:
    """A 42 × 16 mm signature: a looping stroke and an underline."""
    width, height = px(42), px(16)
    image = Image.new("RGBA", (width, height), background)
    draw = ImageDraw.Draw(image)
    points = []
    for step in range(400):
        t = step / 399
        x = width * (0.06 + 0.86 * t)
        y = height * (0.45 - 0.28 * math.sin(t * math.pi * 5.2) * (1 - 0.5 * t) + 0.12 * math.sin(t * 31))
        points.append((x, y))
    draw.line(points, fill=BLUE, width=px(0.7), joint="curve")
    draw.line([(width * 0.15, height * 0.8), (width * 0.55, height * 0.74), (width * 0.92, height * 0.82)],
              fill=BLUE, width=px(0.5), joint="curve")
    return _save(image, path, dpi)


def seal_png(path: Path, *, diameter_mm: float = 36, dpi: int | None = DPI,
             text: str = "ỦY BAN NHÂN DÂN HUYỆN BÌNH LIÊU") -> Path:
    """A round seal: two rings, the office's name around, a star in the middle."""
    size = px(diameter_mm)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((2, 2, size - 3, size - 3), outline=RED, width=px(0.9))
    inner = px(7.5)
    draw.ellipse((inner, inner, size - inner, size - inner), outline=RED, width=px(0.4))
    centre = size / 2
    star = [(centre + (px(5) if k % 2 == 0 else px(2)) * math.sin(k * math.pi / 5),
             centre - (px(5) if k % 2 == 0 else px(2)) * math.cos(k * math.pi / 5)) for k in range(10)]
    draw.polygon(star, fill=RED)
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans-Bold.ttf"), px(3.2))
    radius = size / 2 - px(4.3)
    letters = list(text)
    span = 1.55 * math.pi
    for k, letter in enumerate(letters):
        angle = -span / 2 + span * k / max(len(letters) - 1, 1)
        glyph = Image.new("RGBA", (px(5), px(5)), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((px(2.5), px(2.5)), letter, font=font, fill=RED, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle), resample=Image.BICUBIC)
        x = centre + radius * math.sin(angle) - glyph.width / 2
        y = centre - radius * math.cos(angle) - glyph.height / 2
        image.alpha_composite(glyph, (round(x), round(y)))
    return _save(image, path, dpi)


def jpeg_signature(path: Path) -> Path:
    image = Image.open(signature_png(path.with_suffix(".tmp.png"), background=(255, 255, 255, 255))).convert("RGB")
    image.save(path, "JPEG")
    path.with_suffix(".tmp.png").unlink()
    return path


def _save(image: Image.Image, path: Path, dpi: int | None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if dpi:
        image.save(path, "PNG", dpi=(dpi, dpi))
    else:
        image.save(path, "PNG")
    return path
