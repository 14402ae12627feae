"""Header and label spellings, compared the way staff mean them: the keys and the index of a schema's names.

Every spelling is compared on :func:`header_keys`, which besides case, spacing, NFC and tone
placement (:func:`reportgen.core.vntext.match_key`) ignores punctuation ("Tên công trình,
dự án" = "Tên công trình - dự án" = "Tên công trình/dự án"), a unit in parentheses
("Lũy kế (tỷ đồng)"), a "%" sign, a trailing colon, line breaks, then a year ("Cùng kỳ
năm 2022"), then missing diacritics ("Luy ke").  :class:`NameIndex` finds the name a text
spells, or the one it most probably was meant to be.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from reportgen.core.vntext import clean, match_key
from reportgen.workbook import schema

__all__ = ["NameIndex", "ascii_header_key", "column_index", "header_keys", "name_index", "strict_key"]

_CLOSE = 0.8
_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_PUNCTUATION = re.compile(r"[\W_]+")
_DATE = re.compile(r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?:19|20)\d\d|\d{1,2}\s*[/.-]\s*(?:19|20)\d\d|(?:19|20)\d\d")
_DATE_WORDS = re.compile(r"(?:\b(?:tính\s+)?đến(?:\s+hết)?\s+)?(?:\b(?:ngày|năm)\s+)?$")
_FINAL_Y = re.compile(r"(?:(?<=qu)|(?<=[bcdđghklmnpqrstvx]))y(?=[\u0300-\u0323]*(?:[\W\d_]|$))", re.IGNORECASE)
"""A syllable-final y after a consonant, spelt i just as well: kỳ/kì, ký/kí, quý/quí, lý/lí, Mỹ/Mĩ."""


def _plain(text: str) -> str:
    """match_key without punctuation, bracketed parts or "%", with final y spelt i: the strict header key."""
    text = unicodedata.normalize("NFD", _PARENTHESES.sub(" ", text).replace("%", " "))
    text = unicodedata.normalize("NFC", _FINAL_Y.sub("i", text))
    return _PUNCTUATION.sub("", match_key(text))


def _without_diacritics(key: str) -> str:
    decomposed = unicodedata.normalize("NFD", key)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d")


_CACHED_TEXT = 2000
"""Header texts up to this length are keyed once per process.  Every workbook of an office repeats the same
headers, and the first rows of a sheet are keyed again for each candidate header row: without the cache,
keying was three fifths of reading the example workbook (measured: 86–90 ms per read in a warm process).
A longer text is keyed each time, so the cache stays under about 16 MB."""


def header_keys(text: str) -> tuple[str, ...]:
    return _header_keys_cached(text) if len(text) <= _CACHED_TEXT else _header_keys(text)


def ascii_header_key(text: str) -> str:
    return _ascii_header_key_cached(text) if len(text) <= _CACHED_TEXT else _ascii_header_key(text)


def _header_keys(text: str) -> tuple[str, ...]:
    """Keys to try for a header or label, strictest first: as written (less punctuation, units,
    "%"), without its dates or year, without them and the word before ("năm 2022", "đến 30/6/2023")."""
    spaced = clean(text).text
    keys = [_plain(spaced)]
    if _DATE.search(spaced):
        undated = _DATE.sub(" ", spaced)
        keys.append(_plain(undated))
        parts = [_DATE_WORDS.sub("", part) for part in _DATE.split(spaced)]
        keys.append(_plain(" ".join(parts)))
    return tuple(dict.fromkeys(key for key in keys if key))


def strict_key(text: str) -> str:
    """The strictest of :func:`header_keys` ('' for text with no letters or digits)."""
    return _plain(clean(text).text)


def _ascii_header_key(text: str) -> str:
    return _without_diacritics(_plain(clean(text).text))


_header_keys_cached = lru_cache(maxsize=2048)(_header_keys)
_ascii_header_key_cached = lru_cache(maxsize=2048)(_ascii_header_key)


@dataclass(frozen=True)
class NameIndex:
    """Every accepted spelling of a schema's names, by key; the ascii keys only where unambiguous."""

    exact: dict[str, tuple[str, int]]
    ascii: dict[str, tuple[str, int]]
    names: dict[str, tuple[str, ...]]
    """Schema key → every spelling (canonical first), for suggestions."""

    def find(self, text: str) -> tuple[str, int] | None:
        """(schema key, priority) of the name ``text`` spells; priority 0 for the canonical one."""
        for key in header_keys(text):
            found = self.exact.get(key)
            if found:
                return found
        return self.ascii.get(ascii_header_key(text))

    def resembles(self, text: str, exclude: Iterable[str] = ()) -> str | None:
        """The schema key whose name ``text`` most probably was meant to be (a near spelling, or a
        name inside a longer header), or None."""
        key = ascii_header_key(text)
        if len(key) < 2:
            return None
        best, best_ratio = None, _CLOSE
        for schema_key, names in self.names.items():
            if schema_key in exclude:
                continue
            for name in names:
                other = ascii_header_key(name)
                ratio = difflib.SequenceMatcher(None, key, other).ratio()
                if len(other) >= 5 and other in key:
                    ratio = max(ratio, 0.85)
                if ratio > best_ratio:
                    best, best_ratio = schema_key, ratio
        return best


def name_index(entries: Iterable[tuple[str, tuple[str, ...]]]) -> NameIndex:
    """An index over (schema key, names) pairs, names in order of preference."""
    exact: dict[str, tuple[str, int]] = {}
    ascii_keys: dict[str, set[str]] = {}
    names: dict[str, tuple[str, ...]] = {}
    for key, spellings in entries:
        names[key] = spellings
        for priority, name in enumerate(spellings):
            exact.setdefault(_plain(name), (key, priority))
            ascii_keys.setdefault(_without_diacritics(_plain(name)), set()).add(key)
    ascii_index = {}
    for ascii_key_, keys in ascii_keys.items():
        if len(keys) == 1:
            key = next(iter(keys))
            ascii_index[ascii_key_] = (key, 1 + len(names[key]))
    return NameIndex(exact, ascii_index, names)


@cache  # the schema's column tuples are constants: one index each per process
def column_index(columns: tuple[schema.Column, ...]) -> NameIndex:
    return name_index((column.key, column.names) for column in columns)
