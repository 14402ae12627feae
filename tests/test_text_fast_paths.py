"""The reader's text checks answer as their straightforward versions do.

clean(), legacy_encoding() and unprintable() scan a text with compiled character
classes, in C, where they first looked at it character by character; these tests
keep the straightforward versions as references and compare on texts that hold
every character the checks care about.
"""

import unicodedata

from hypothesis import given, settings, strategies as st

from reportgen.core import vntext
from reportgen.core.vntext import Cleaned, decode_excel_escapes, legacy_encoding
from reportgen.workbook.read.printable import PRINTABLE_RANGES, is_printable, unprintable

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACE_LIKE = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u3000\t"), " ")
_TCVN3_MARKS = set("¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿ÄÅÆÇËÎÏÐÑÖ×ØÛÜÞßäåæçëîïðñö÷øûüþÿ")


def reference_clean(text: str, multiline: bool) -> Cleaned:
    text = decode_excel_escapes(text)
    original = text
    text = text.translate(_ZERO_WIDTH).translate(_SPACE_LIKE)
    text = vntext._LINE_BREAKS.sub("\n" if multiline else " ", text)
    text = vntext._NOT_TEXT.sub("", vntext._FORBIDDEN.sub("", text))
    removed = vntext._REPORTED.search(original) is not None
    text = unicodedata.normalize("NFC", text)
    if multiline:
        lines = [vntext._MULTI_SPACE.sub(" ", line).strip() for line in text.split("\n")]
        text = "\n".join(line for line in lines if line)
    else:
        text = vntext._MULTI_SPACE.sub(" ", text).strip()
    return Cleaned(text, removed)


def reference_legacy(text: str, font_name: str | None = None) -> str | None:
    if not text or text.isascii():
        return None
    font = (font_name or "").strip().lower()
    vni_hits = len(vntext._VNI_SEQUENCE.findall(text))
    tcvn_hits = sum(1 for ch in text if ch in _TCVN3_MARKS)
    if font.startswith("vni"):
        return "VNI" if (vni_hits or tcvn_hits) else None
    if font.startswith((".vn", "vn")):
        return "TCVN3" if tcvn_hits else None
    if vntext._UNICODE_ONLY.search(text):
        return None
    if vni_hits >= 2 and vni_hits >= tcvn_hits / 2:
        return "VNI"
    if tcvn_hits >= 2:
        return "TCVN3"
    return None


def reference_unprintable(text: str) -> list[str]:
    return [char for char in dict.fromkeys(text) if not is_printable(char)]


# Every character a check treats apart, with ordinary Vietnamese and a few the reports cannot print.
_SPECIAL = (
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u00a0\u202f\u2007\u2009\u3000\t\r\n\x0b\x0c\u2028\u2029"
    "\x00\x07\x1f\x7f\x85\x9f\ud800\udfff\ufffe\uffff\u061c\u200e\u200f\u202a\u202e\u2066\u206f\ufff9\ufffb"
    "\ufdd0\ufdef\U0001fffe\U0010ffff\U0001f600₫\ue000"
    + "".join(sorted(_TCVN3_MARKS))
    + "aeiouyAEIOUYøùûõïâêôöëäñÑ"
    + "ăĂđĐơƠưƯạỹ\u0300\u0323 _x000D_x005F_"
)
_TEXTS = st.text(alphabet=st.sampled_from(_SPECIAL) | st.characters(), max_size=300)
_SAMPLES = [
    "",
    "Thu ngân sách nhà nước",
    "Uû ban nh©n d©n",
    "B¶o Th¾ng",
    "Xin chaøo caùc baïn",
    "Thaønh phoá",
    "KT01",
    "a_x000D_b",
    "_x005F_x000D_",
    "Bình\x0bLiêu\x07",
    "\u200bBình\u00a0 Liêu ",
    "dòng 1\r\ndòng 2\u2028dòng 3",
    "x\u202ey\U0001fffez",
    "Rất dài. " * 300,
]
_FONTS = (None, "Times New Roman", ".VnTime", "VNI-Times", "vnTimes", " VNI ")


@settings(max_examples=400, deadline=None)
@given(_TEXTS, st.booleans())
def test_clean_is_the_straightforward_clean(text, multiline):
    assert vntext._clean(text, multiline) == reference_clean(text, multiline)


def test_clean_samples():
    for text in _SAMPLES:
        for multiline in (False, True):
            assert vntext._clean(text, multiline) == reference_clean(text, multiline), text


@settings(max_examples=400, deadline=None)
@given(_TEXTS, st.sampled_from(_FONTS))
def test_legacy_encoding_is_the_straightforward_count(text, font):
    assert legacy_encoding(text, font) == reference_legacy(text, font)


def test_legacy_encoding_samples():
    for text in _SAMPLES:
        for font in _FONTS:
            assert legacy_encoding(text, font) == reference_legacy(text, font), (text, font)


def test_unprintable_scan_agrees_with_is_printable_on_every_code_point():
    for code in range(0x110000):
        char = chr(code)
        assert unprintable(char) == ([] if is_printable(char) else [char]), hex(code)
    assert all(unprintable(chr(start) + chr(end)) == [] for start, end in PRINTABLE_RANGES)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_unprintable_is_the_straightforward_lookup(text):
    assert unprintable(text) == reference_unprintable(text)


def test_reported_characters_are_found_in_two_steps_as_in_one():
    for code in range(0x110000):
        char = chr(code)
        assert vntext._has_reported(f"a{char}b") == (vntext._REPORTED.search(char) is not None), hex(code)
