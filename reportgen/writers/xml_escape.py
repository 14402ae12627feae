"""XML escaping for the writers: the standard library's ``html.escape``.

``html.escape`` gives the same element text as ``xml.sax.saxutils.escape``,
and with its quotes escaped an attribute value that any XML parser reads back
as the text.  ``xml.sax.saxutils`` itself is not used: importing it imports
``urllib.request``, ``http.client``, ``ssl`` and the ``email`` package,
15–30 ms of every report's start (bench/RESULTS.md, sixth pass), while
``html`` is imported by Jinja2's MarkupSafe already.
"""

from __future__ import annotations

from html import escape as _escape

_ATTRIBUTE_WHITESPACE = str.maketrans({"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
"""Kept as characters: a parser reads a raw line break or tab in an attribute value as a space."""


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities: text fit for an element."""
    return _escape(text, quote=False)


def quoteattr(text: str) -> str:
    """``text`` as a double-quoted attribute value (quotes included)."""
    return f'"{_escape(text).translate(_ATTRIBUTE_WHITESPACE)}"'
