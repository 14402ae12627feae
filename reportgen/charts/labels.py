"""Chart text: the font, how wide a text is, how a long label wraps.

Every chart text is set in DejaVu Sans shipped with reportgen
(:mod:`reportgen.typeface.bundled`), named by path, so the glyphs (Vietnamese
included) and the widths are the same on every machine whatever fonts it has
installed, and the same in the PDF (drawn by reportlab from the same file,
embedded) and in the web page's SVG (which serves the same file).

Widths are measured with Pillow at the layout's pixel density (:data:`~reportgen.charts.layout.DPI`);
the layout decided from them is used by every renderer.
Pillow's basic layout engine is forced (never Raqm, whose presence varies by
machine) so the pixels do not depend on optional libraries; texts are NFC, so
Vietnamese needs no shaping.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.typeface.bundled import sans_path

if TYPE_CHECKING:  # pragma: no cover - typing only; Pillow is imported lazily
    from PIL.ImageFont import FreeTypeFont


MM_PER_INCH = 25.4
PT_PER_INCH = 72.0
ELLIPSIS = "…"
METRICS_SIZE = 2048
"""Pixel size at which vertical metrics are read: DejaVu's units per em, so they come out unrounded."""
WORD_CUT_MIN_SHARE = 0.6
"""A cut at a word boundary must keep at least this share of the width, else the word itself is cut."""


def pt_to_mm(points: float) -> float:
    return points / PT_PER_INCH * MM_PER_INCH


def line_height_mm(size_pt: float, spacing: float) -> float:
    """Height of one text line of ``size_pt`` at ``spacing`` times the font size."""
    return pt_to_mm(size_pt * spacing)


def font_path(bold: bool = False) -> Path:
    """The chart font's file: DejaVu Sans shipped in the package."""
    return sans_path(bold)


@lru_cache(maxsize=32)
def pil_font(size_pt: float, dpi: int, bold: bool = False) -> FreeTypeFont:
    """The font at ``size_pt`` for an image of ``dpi`` (cached: font data only, never drawing state)."""
    from PIL import ImageFont

    return ImageFont.truetype(
        str(font_path(bold)), size=size_pt * dpi / PT_PER_INCH, layout_engine=ImageFont.Layout.BASIC
    )


@lru_cache(maxsize=2)
def vertical_metrics(bold: bool = False) -> tuple[float, float]:
    """(ascender, descender) of the chart font in em, both positive: what Pillow's anchors
    "a" (top) and "d" (bottom) measure from, so other renderers can place a baseline the same way."""
    from PIL import ImageFont

    font = ImageFont.truetype(str(font_path(bold)), size=METRICS_SIZE, layout_engine=ImageFont.Layout.BASIC)
    ascender, descender = font.getmetrics()
    return ascender / METRICS_SIZE, descender / METRICS_SIZE


@lru_cache(maxsize=4096)
def text_width_mm(text: str, size_pt: float, dpi: int, bold: bool = False) -> float:
    """Width of one line of ``text``, as Pillow measures it at ``dpi`` (cached: each chart is laid out for the
    PDF, the Word chart and the web page, and label fitting measures the same words again and again)."""
    return pil_font(size_pt, dpi, bold).getlength(text) / dpi * MM_PER_INCH


def fit_label(text: str, width_mm: float, size_pt: float, dpi: int, max_lines: int) -> str:
    """``text`` wrapped at spaces into at most ``max_lines`` lines of ``width_mm``; "…" where cut."""
    measure = lambda s: text_width_mm(s, size_pt, dpi)  # noqa: E731 - one font for the whole label
    lines: list[str] = []
    for word in text.split():
        if lines and measure(f"{lines[-1]} {word}") <= width_mm:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = lines[: max_lines - 1] + [_ellipsize(rest, measure, width_mm, force=True)]
    return "\n".join(_ellipsize(line, measure, width_mm) for line in lines)


def _ellipsize(line: str, measure, width_mm: float, force: bool = False) -> str:
    """``line`` cut to ``width_mm`` ending in "…" (always with "…" when ``force``: words were dropped)."""
    if not force and measure(line) <= width_mm:
        return line
    words = line.split(" ")
    while len(words) > 1 and measure(" ".join(words) + ELLIPSIS) > width_mm:
        words.pop()  # cut at a word boundary when there is one
    cut = " ".join(words)
    if measure(cut) < WORD_CUT_MIN_SHARE * width_mm:
        cut = line  # the boundary left too little (a very long word follows): cut inside the word
    while len(cut) > 1 and measure(cut + ELLIPSIS) > width_mm:
        cut = cut[:-1]
    return cut.rstrip(" ,;:-–(") + ELLIPSIS
