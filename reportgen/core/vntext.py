"""Vietnamese text as it arrives from Windows and Excel, made safe and comparable.

- :func:`clean` turns any cell text into NFC with Excel's ``_xHHHH_`` escapes
  decoded and control characters (a Word line break pasted into a cell is
  U+000B) taken out, reporting what it removed so the reader can warn.
- :func:`match_key` is the key headers and names are compared on: NFC,
  case-folded, spacing removed, old and new tone placement made equal
  ("Hoà" = "Hòa", "Uỷ" = "Ủy": both placements are in use and mean the same).
- :func:`legacy_encoding` spots TCVN3 (ABC) and VNI text, by font name and by
  character pattern (the 8-bit encodings older offices still type in).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Character classes rather than str.translate tables: a regex scans a long note in C, where translate
# looks every character up in a dict (0,27 ms of the 0,6 ms cleaning the example's notes took).
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACE_LIKE = re.compile("[\u00a0\u202f\u2007\u2009\u3000\t]")
# Everything XML 1.0 cannot carry, and the C1 block, which is never text in a cell.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Valid in XML but not text either: bidi and other invisible format controls (U+202E makes
# a cell display differently from what it holds) and the noncharacters of every plane.
_NOT_TEXT_IN_BMP = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u206f\ufff9-\ufffb\ufdd0-\ufdef"
_NONCHARACTERS_BEYOND_BMP = "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17))
_NOT_TEXT = re.compile(f"[{_NOT_TEXT_IN_BMP}{_NONCHARACTERS_BEYOND_BMP}]")
# What clean() removes and reports: the above, except the tab and line breaks it turns into spaces.
_REPORTED = re.compile(f"{_FORBIDDEN.pattern}|{_NOT_TEXT.pattern}")
# The same, in two steps: a class holding characters beyond the BMP is tried member by member on
# every character (0,1 ms for the example's twelve long notes), one within the BMP is a table lookup.
_REPORTED_IN_BMP = re.compile(f"[{_FORBIDDEN.pattern[1:-1]}{_NOT_TEXT_IN_BMP}]")
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\u2028\u2029]")
_MULTI_SPACE = re.compile(r"[ ]{2,}")
MEMO_TEXT_LENGTH = 200
"""Texts up to this length are remembered by :func:`clean` and :func:`match_key`: labels, names and
headers recur in every workbook of a batch; a long note is cleaned each time and never held on to."""


@dataclass(frozen=True)
class Cleaned:
    """Result of :func:`clean`."""

    text: str
    """NFC text, trimmed, safe for XML writers."""
    removed_controls: bool
    """True when control characters were removed or turned into spaces."""


def decode_excel_escapes(text: str) -> str:
    """Decode OOXML ``_xHHHH_`` escapes, which openpyxl leaves in cell text.

    ``_x005F_`` is the escape of "_" itself, so ``_x005F_x000D_`` is the literal
    text "_x000D_"; a single left-to-right substitution gets that right.
    """
    if "_x" not in text:
        return text
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def clean(text: str, multiline: bool = False) -> Cleaned:
    """Normalise one cell's text.

    Line breaks become spaces, or paragraph breaks ("\\n") when ``multiline``;
    other control characters are dropped.  Either way the caller learns that
    something was removed.
    """
    if len(text) <= MEMO_TEXT_LENGTH:
        return _clean_short(text, multiline)
    return _clean(text, multiline)


def _clean(text: str, multiline: bool) -> Cleaned:
    text = decode_excel_escapes(text)
    removed = _has_reported(text)
    text = _SPACE_LIKE.sub(" ", _ZERO_WIDTH.sub("", text))
    text = _LINE_BREAKS.sub("\n" if multiline else " ", text)
    if removed:  # else there is nothing to take out: the steps above only add spaces and line breaks
        text = _NOT_TEXT.sub("", _FORBIDDEN.sub("", text))
    text = unicodedata.normalize("NFC", text)
    if multiline:
        lines = [_MULTI_SPACE.sub(" ", line).strip() for line in text.split("\n")]
        text = "\n".join(line for line in lines if line)
    else:
        text = _MULTI_SPACE.sub(" ", text).strip()
    return Cleaned(text, removed)


_clean_short = lru_cache(maxsize=8192)(_clean)


def _has_reported(text: str) -> bool:
    """``_REPORTED.search(text)``, answered without its slow class for text within the BMP."""
    if _REPORTED_IN_BMP.search(text) is not None:
        return True
    return _BEYOND_BMP.search(text) is not None and _REPORTED.search(text) is not None


def reported_characters(text: str) -> list[str]:
    """The distinct characters :func:`clean` removes from ``text`` (escapes decoded) and reports, by code point."""
    return sorted(set(_REPORTED.findall(decode_excel_escapes(text))))


def is_control(char: str) -> bool:
    """A C0 or C1 control character (U+0000–U+001F, U+007F–U+009F)."""
    return ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F


def xml_safe(text: str) -> str:
    """Last line of defence before a writer: NFC and no XML-invalid characters."""
    return unicodedata.normalize("NFC", _FORBIDDEN.sub("", text))


# Old ("hoà", "thuỷ") and new ("hòa", "thủy") tone placement, folded to the new one.
# Only open syllables differ ("hoà"/"hòa"); with a final consonant both styles write
# "hoàn", "hoạch".  In NFD the "oà" style is vowel, vowel, tone with nothing after;
# the output style moves the tone to the first vowel.  After "q" the u belongs to the
# consonant, so "quý" stays; a second mark ("hoặc": dot below + breve) rules it out.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_OLD_PLACEMENT = re.compile(f"(?<![qQ])([oOuU])([aAeEyY])([{_TONES}])(?![\\w\u0300-\u036f])")


def unify_tone_placement(text: str) -> str:
    """'Hoà' → 'Hòa', 'Uỷ' → 'Ủy'; 'hoàn', 'hoặc', 'thuế', 'quý' unchanged."""
    decomposed = unicodedata.normalize("NFD", text)
    moved = _OLD_PLACEMENT.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed)
    return unicodedata.normalize("NFC", moved)


def match_key(text: str) -> str:
    """Comparison key for headers, sheet names and labels.

    Case, spacing, tone placement and a trailing colon do not matter:
    'Kế hoạch  năm:' , 'KẾ HOẠCH NĂM' and 'Kế hoạch\\nnăm' share one key.
    """
    if len(text) <= MEMO_TEXT_LENGTH:
        return _match_key_short(text)
    return _match_key(text)


def _match_key(text: str) -> str:
    text = clean(text).text
    text = unify_tone_placement(text).casefold()
    text = re.sub(r"[\s:.]+$", "", text)
    return re.sub(r"\s+", "", text)


_match_key_short = lru_cache(maxsize=8192)(_match_key)


def ascii_key(text: str) -> str:
    """Diacritics stripped, đ→d: a last-resort key for 'did you mean …' suggestions."""
    decomposed = unicodedata.normalize("NFD", match_key(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


# Latin-1 characters that never occur in Unicode Vietnamese but fill TCVN3 and VNI text.
_TCVN3_MARK = re.compile("[" + re.escape("¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿ÄÅÆÇËÎÏÐÑÖ×ØÛÜÞßäåæçëîïðñö÷øûüþÿ") + "]")
_VNI_SEQUENCE = re.compile(r"[aeiouyAEIOUY][øùûõïâêôöëä]|ñ|Ñ")
# Letters only Unicode Vietnamese has (beyond Latin-1): legacy text decoded as Latin-1 never
# holds them, so text with any of them is Unicode even if it also quotes «like this».
_UNICODE_ONLY = re.compile("[ăĂđĐơƠưƯ\u1ea0-\u1ef9\u0300-\u0323]")


def legacy_encoding(text: str, font_name: str | None = None) -> str | None:
    """'TCVN3' or 'VNI' when the text looks like legacy 8-bit Vietnamese, else None.

    A legacy font name alone is not enough (a code such as 'KT01' typed in
    .VnTime is harmless); the text must also carry the legacy characters.
    """
    if not text or text.isascii():
        return None
    font = (font_name or "").strip().lower()
    if font.startswith("vni"):
        return "VNI" if _VNI_SEQUENCE.search(text) or _TCVN3_MARK.search(text) else None
    if font.startswith((".vn", "vn")):
        return "TCVN3" if _TCVN3_MARK.search(text) else None
    if _UNICODE_ONLY.search(text):
        return None  # decided before counting: nearly every text is Unicode Vietnamese
    vni_hits = len(_VNI_SEQUENCE.findall(text))
    tcvn_hits = len(_TCVN3_MARK.findall(text))
    if vni_hits >= 2 and vni_hits >= tcvn_hits / 2:
        return "VNI"
    if tcvn_hits >= 2:
        return "TCVN3"
    return None


# ------------------------------------------------------------------ sentences ----

_SPACE_BEFORE = re.compile(r"\s+([,;:.)!?])")
_SPACE_AFTER = re.compile(r"([(])\s+")


def tidy(text: str) -> str:
    """NFC, no control characters, single spaces, none before , ; : . ) or after (; “ ” quotes.

    A sentence a template writes over several lines, joined, reads
    "tỷ đồng , tăng"; this puts it right ("tỷ đồng, tăng").  Vietnamese
    typography quotes with “ ”, never « » nor straight quotes, whoever typed
    the paragraph.
    """
    text = clean(text.replace("\n", " ")).text
    text = _SPACE_BEFORE.sub(r"\1", text)
    return vietnamese_quotes(_SPACE_AFTER.sub(r"\1", text))


_GUILLEMETS = str.maketrans({"«": "“", "»": "”"})
_STRAIGHT = re.compile(r'"([^"]*)"')


def vietnamese_quotes(text: str) -> str:
    """« » and pairs of straight quotes become “ ”: ‘«Nâng cao…»’ → ‘“Nâng cao…”’."""
    if "«" in text or "»" in text:  # translate() looks at every character: 0.8 ms of a report's 10 without this
        text = text.translate(_GUILLEMETS)
    if text.count('"') % 2 == 0:
        text = _STRAIGHT.sub(lambda m: f"“{m.group(1).strip()}”", text)
    return text
