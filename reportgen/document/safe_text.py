"""The last line of defence: no string of the document model carries a character XML cannot hold.

Text reaches a report from three places: the workbook (the reader has already
removed or refused such characters, with a message on their cell),
reportgen.toml (unit and signer names, recipients — TOML's ``\\u0007`` and
``\\uFFFE`` escapes are legal there) and the templates (their literal text,
and string literals such as ``"\\ud800"``, which Jinja decodes).  python-docx
puts strings into XML and reportlab into PDF strings and paragraph markup: a
control character, a lone surrogate or U+FFFE there gives a .docx Word
refuses to open, or a writer crash.  :func:`xml_safe_document` runs every
string of the built document through :func:`reportgen.core.vntext.xml_safe`; it is
called once, at the end of :func:`reportgen.document.build.build_document`, so
every writer receives clean text whatever its source.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from reportgen.core.vntext import xml_safe
from reportgen.document.model import Document


def xml_safe_document(document: Document) -> Document:
    """``document`` with XML-invalid characters removed from every string (the same object if none had any)."""
    return _safe(document)


def _safe(value: Any) -> Any:
    """``value`` with every string inside it made XML-safe; unchanged parts are returned as they are
    (a value of the same type: the model's strings, tuples, lists, dicts and frozen dataclasses)."""
    kind: type = type(value)
    if kind is str:  # exactly str: Enum members that subclass str are left alone
        cleaned = xml_safe(value)
        return value if cleaned == value else cleaned
    if kind in _ATOMS:
        return value
    if kind is tuple or kind is list:
        items = [_safe(item) for item in value]
        changed = any(new is not old for new, old in zip(items, value))
        return kind(items) if changed else value
    if kind is dict:
        pairs = {_safe(key): _safe(item) for key, item in value.items()}
        return pairs if pairs != value else value
    names = _init_fields(kind)
    return _safe_dataclass(value, names) if names else value


_ATOMS = frozenset({int, float, bool, type(None), bytes})
"""Types that hold no string: a document has thousands of them (widths, flags, numbers)."""


@functools.cache
def _init_fields(kind: type) -> tuple[str, ...]:
    """The fields a dataclass type is built from; () for anything else.  Once per type, not per value."""
    if not dataclasses.is_dataclass(kind):
        return ()
    return tuple(field.name for field in dataclasses.fields(kind) if field.init)


def _safe_dataclass(value: Any, names: tuple[str, ...]) -> Any:
    changes = {}
    for name in names:
        old = getattr(value, name)
        new = _safe(old)
        if new is not old:
            changes[name] = new
    return dataclasses.replace(value, **changes) if changes else value
