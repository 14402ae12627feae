"""Text as it arrives from Windows and Excel (vn-conventions §5)."""

import unicodedata

import pytest
from hypothesis import given, strategies as st

from reportgen.core.vntext import ascii_key, clean, legacy_encoding, match_key, unify_tone_placement, xml_safe


@pytest.mark.parametrize("old, new", [
    ("Hoà", "Hòa"), ("HOÀ", "HÒA"), ("Uỷ ban", "Ủy ban"), ("Thuỷ", "Thủy"), ("khoẻ", "khỏe"), ("tuỳ", "tùy"),
    ("Luỹ kế", "Lũy kế"),
    # unchanged: final consonant, "qu", a second mark, a plain vowel pair
    ("hoàn", "hoàn"), ("hoạch", "hoạch"), ("quý", "quý"), ("quá", "quá"), ("hoặc", "hoặc"), ("thuế", "thuế"),
    ("khuyến", "khuyến"),
])
def test_tone_placement(old, new):
    assert unify_tone_placement(old) == new


def test_match_key_ignores_case_spacing_tone_and_colon():
    assert match_key("Kế hoạch  năm:") == match_key("KẾ HOẠCH NĂM") == match_key("Kế hoạch\nnăm")
    assert match_key("Luỹ kế") == match_key("Lũy kế")
    assert match_key(unicodedata.normalize("NFD", "Thực hiện tháng")) == match_key("Thực hiện tháng")
    assert ascii_key("Đơn vị tính") == "donvitinh"


def test_clean_decodes_escapes_and_removes_controls():
    assert clean("a_x000D_b").text == "a b"
    assert clean("_x005F_x000D_").text == "_x000D_"      # the escaped underscore stays literal
    result = clean("Bình\x0bLiêu\x07")
    assert result.text == "Bình Liêu" and result.removed_controls
    assert clean("dòng 1\ndòng 2", multiline=True).text == "dòng 1\ndòng 2"
    assert not clean("Bình Liêu").removed_controls
    # cp1258-style: precomposed base + combining tone → NFC
    assert clean("Vi\u00ea\u0323t").text == "Việt"
    assert clean("\u200bBình\u00a0 Liêu ").text == "Bình Liêu"


@given(st.text())
def test_clean_output_is_always_xml_safe_nfc(text):
    out = clean(text).text
    assert unicodedata.is_normalized("NFC", out)
    assert xml_safe(out) == out
    assert not any(ord(c) < 32 for c in out)


@pytest.mark.parametrize("text, font, expected", [
    ("Uû ban nh©n d©n", None, "TCVN3"),
    ("B¶o Th¾ng", ".VnTime", "TCVN3"),
    ("Xin chaøo caùc baïn", None, "VNI"),
    ("Thaønh phoá", "VNI-Times", "VNI"),
    ("Bình Liêu", None, None),
    ("KT01", ".VnTime", None),            # legacy font but plain ASCII: harmless
    ("© 2023", None, None),
    ("Hoành Mô - Đồng Văn", "Times New Roman", None),
])
def test_legacy_encoding(text, font, expected):
    assert legacy_encoding(text, font) == expected


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ ",
               min_size=1))
def test_unicode_vietnamese_is_never_legacy(text):
    assert legacy_encoding(text) is None
    assert legacy_encoding(text.upper()) is None


def test_long_texts_are_cleaned_but_never_remembered():
    """Short texts are remembered (labels recur in every workbook); a 32,767-character cell is not held."""
    from reportgen.core import vntext

    def lookups():
        return sum(cache.cache_info().hits + cache.cache_info().misses
                   for cache in (vntext._clean_short, vntext._match_key_short))

    long = "Kế hoạch\u200b  năm " * 3000
    before = lookups()
    assert clean(long).text == ("Kế hoạch năm " * 3000).strip()
    assert match_key(long) == "kếhoạchnăm" * 3000
    assert lookups() == before
    assert clean("Kế hoạch\u200b  năm:").text == "Kế hoạch năm:"
    assert clean("Kế hoạch\u200b  năm:").text == "Kế hoạch năm:"
    assert lookups() == before + 2
