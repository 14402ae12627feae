"""XML escaping for the writers, the same output as ``xml.sax.saxutils`` gives.

``xml.sax.saxutils`` imports ``urllib.request``, and with it ``http.client``,
``ssl``, ``socket`` and the ``email`` package: about 25 ms of every report's
start (a twelfth of a whole ``reportgen generate``) for two string functions.
"""

from __future__ import annotations


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities: text fit for an element."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """``text`` escaped and quoted as an attribute value, quotes chosen as saxutils chooses them."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))
