"""What both HTML writers share: escaping, the stylesheets shipped in the package, the page around a fragment.

Every string that reaches HTML passes :func:`text` or :func:`attr`: model text
comes from templates, reportgen.toml and workbooks, all typed by users, so
nothing is ever inserted unescaped.  Characters HTML cannot carry (C0
controls, lone surrogates) are removed first, as :func:`reportgen.core.vntext.xml_safe`
removes them for the other writers.

The pages carry no script and no ``style=`` attribute: their look is in the
stylesheets next to this module (``html_report.css``, ``html_sheet.css``),
package data that the web page serves itself (:data:`ASSETS`) under a
Content-Security-Policy without inline script or style.  :func:`page` can
instead embed them, for a file that opens on its own (``style-src`` must then
allow it, which a saved file has no policy against).
"""

from __future__ import annotations

import html
import re
from functools import cache
from importlib import resources

from reportgen.core.vntext import xml_safe
from reportgen.typeface.bundled import SANS, SANS_BOLD
from reportgen.writers.theme import LANGUAGE

NBSP = "\u00a0"
_SPACE_RUN = re.compile(r" {2,}")

STYLESHEETS = ("html_report.css", "html_sheet.css")
ASSETS = {
    "html_report.css": resources.files(__package__) / "html_report.css",
    "html_sheet.css": resources.files(__package__) / "html_sheet.css",
    "fonts/DejaVuSans.ttf": SANS,
    "fonts/DejaVuSans-Bold.ttf": SANS_BOLD,
}
"""What a page links to, by its address relative to the stylesheets: serve each at that address (the chart
font is named by the report stylesheet as ``fonts/DejaVuSans.ttf``, so a PC without it still draws the
charts in the font they were measured in)."""


def text(value: str) -> str:
    """Model text as HTML content: escaped, runs of spaces kept (the blank document number), line breaks."""
    value = _SPACE_RUN.sub(lambda m: " " + NBSP * (len(m.group()) - 1), xml_safe(value))
    return "<br>".join(html.escape(line, quote=False) for line in value.split("\n"))


def attr(value: str) -> str:
    """Text for an attribute value between double quotes."""
    return html.escape(xml_safe(value), quote=True)


def number(value: float) -> str:
    """A coordinate for SVG: three decimals at most, no trailing zeros ("12.5", "0")."""
    text_ = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text_ in ("-0", "") else text_


@cache
def stylesheet(name: str) -> str:
    """The text of one of :data:`STYLESHEETS`."""
    if name not in STYLESHEETS:
        raise ValueError(f"unknown stylesheet {name!r}; known: {', '.join(STYLESHEETS)}")
    return ASSETS[name].read_text(encoding="utf-8")


def page(
    title: str, body: str, stylesheets: tuple[str, ...], base: str | None = None, meta: dict[str, str] | None = None
) -> str:
    """A whole HTML document around ``body``: the stylesheets linked under ``base`` ("/static/"), or
    embedded when ``base`` is None (a file that opens on its own, with nothing fetched)."""
    if base is None:
        styles = "".join(f"<style>{stylesheet(name)}</style>" for name in stylesheets)
    else:
        styles = "".join(f'<link rel="stylesheet" href="{attr(base + name)}">' for name in stylesheets)
    metas = "".join(
        f'<meta name="{attr(key)}" content="{attr(value)}">' for key, value in (meta or {}).items() if value
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{LANGUAGE}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text(title)}</title>{metas}{styles}</head>\n<body>{body}</body></html>\n"
    )
