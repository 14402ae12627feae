"""[sign] and [sign.office] of reportgen.toml: typed, checked, errors naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.settings.config import load_config, parse_config
from reportgen.core.errors import ConfigError
from reportgen.issuance import SignSettings, trust_roots_of


def test_a_signer_with_a_token_and_an_office_with_a_p12_file(tmp_path):
    path = tmp_path / "reportgen.toml"
    path.write_text('''
[sign]
method = "pkcs11"
pkcs11_module = "/usr/lib/vnpt-ca/libvnptca_p11.so"
key_label = "Nguyen Van A"
signature_image = "ky-so/chu-ky.png"
seal_image = "ky-so/con-dau.png"
tsa_url = "http://tsa.example.vn"
trust_roots = ["ky-so/root-ca.cer"]

[sign.office]
method = "pkcs12"
p12 = "ky-so/co-quan.p12"
''', encoding="utf-8")
    sign = load_config(path).sign
    assert (sign.method, sign.key_label, sign.trust_roots) == ("pkcs11", "Nguyen Van A", ("ky-so/root-ca.cer",))
    assert sign.office is not None and sign.office.p12 == "ky-so/co-quan.p12"
    settings = SignSettings.from_config(sign, tmp_path, path)
    assert settings.signer.pkcs11_module == Path("/usr/lib/vnpt-ca/libvnptca_p11.so")
    assert settings.signer.image == tmp_path / "ky-so/chu-ky.png"
    assert settings.office is not None
    # The office takes the seal and the timestamp server from [sign].
    assert (settings.office.image, settings.office.image_key) == (tmp_path / "ky-so/con-dau.png", "sign.seal_image")
    assert settings.office.tsa_url == "http://tsa.example.vn"
    assert settings.office.p12 == tmp_path / "ky-so/co-quan.p12"
    assert [k.role for k in settings.keys()] == ["signer", "office"]
    assert trust_roots_of(sign, tmp_path) == (tmp_path / "ky-so/root-ca.cer",)


def test_no_sign_table_is_no_signing():
    sign = parse_config({}).sign
    assert not sign.configured and sign.office is None
    with pytest.raises(ConfigError) as caught:
        SignSettings.from_config(sign, Path("."), "reportgen.toml")
    assert str(caught.value) == ("Cấu hình reportgen.toml, mục [sign]: chưa khai báo khóa ký số. Thêm bảng [sign] với "
                                 "method = \"pkcs12\" (tệp .p12/.pfx) hoặc \"pkcs11\" (token USB); xem docs/ky-so.md.")


def test_trust_roots_alone_serve_verification():
    sign = parse_config({"sign": {"trust_roots": ["goc.pem"]}}).sign
    assert not sign.configured and sign.trust_roots == ("goc.pem",)


P12 = {"method": "pkcs12", "p12": "a.p12", "signature_image": "s.png"}


@pytest.mark.parametrize("table, message", [
    ({"method": "pkcs12", "signature_image": "s.png"},
     'mục [sign], khóa “p12”: cần khai báo khi method = "pkcs12", ví dụ p12 = "ky-so/nguoi-ky.p12".'),
    ({"method": "pkcs11", "key_label": "A", "signature_image": "s.png"},
     'mục [sign], khóa “pkcs11_module”: cần khai báo khi method = "pkcs11", ví dụ '
     'pkcs11_module = "C:/Windows/System32/token_pkcs11.dll".'),
    ({"method": "pkcs11", "pkcs11_module": "m.dll", "signature_image": "s.png"},
     'mục [sign], khóa “key_label”: cần khai báo khi method = "pkcs11", ví dụ key_label = "Nguyen Van A".'),
    ({"method": "usb"},
     "mục [sign], khóa “method”: phải là một trong pkcs12, pkcs11; đang là “usb”."),
    ({"p12": "a.p12"},
     'mục [sign], khóa “method”: cần khai báo method = "pkcs12" (tệp .p12/.pfx) hoặc "pkcs11" (token USB) khi đã '
     "có khóa p12."),
    ({**P12, "pkcs11_module": "m.dll"},
     'mục [sign], khóa “pkcs11_module”: chỉ dùng khi method = "pkcs11"; đang là method = "pkcs12". Bỏ khóa này, '
     "hoặc đổi method."),
    ({"method": "pkcs12", "p12": "a.p12"},
     'mục [sign], khóa “signature_image”: cần tệp ảnh chữ ký của người ký (PNG màu xanh, nền trong suốt), ví dụ '
     'signature_image = "ky-so/chu-ky.png".'),
    ({**P12, "tsa_url": "tsa.example.vn"},
     "mục [sign], khóa “tsa_url”: cần địa chỉ máy chủ dấu thời gian bắt đầu bằng http:// hoặc https://; "
     "đang là “tsa.example.vn”."),
    ({**P12, "seal_image": "d.png"},
     "mục [sign], khóa “seal_image”: con dấu được đóng bằng chữ ký số của cơ quan: thêm bảng [sign.office] với khóa "
     "của cơ quan (method, p12 hoặc pkcs11_module và key_label), hoặc bỏ khóa này."),
    ({**P12, "office": {"method": "pkcs12", "p12": "o.p12"}},
     "mục [sign], khóa “office.seal_image”: cần tệp ảnh con dấu (PNG màu đỏ, nền trong suốt, đúng kích thước thật), "
     'ví dụ seal_image = "ky-so/con-dau.png".'),
    ({**P12, "seal_image": "d.png", "office": {"method": "pkcs12", "p12": "o.p12", "signature_image": "x.png"}},
     "mục [sign], khóa “office.signature_image”: chữ ký số của cơ quan hiện hình con dấu: dùng khóa seal_image."),
    ({**P12, "seal_image": "d.png", "office": {"p12": "o.p12"}},
     'mục [sign], khóa “office.method”: cần khai báo method = "pkcs12" (tệp .p12/.pfx) hoặc "pkcs11" (token USB) '
     "khi đã có khóa p12."),
    ({**P12, "seal_image": "d.png", "office": {"method": "pkcs11", "key_label": "X"}},
     'mục [sign], khóa “office.pkcs11_module”: cần khai báo khi method = "pkcs11", ví dụ '
     'pkcs11_module = "C:/Windows/System32/token_pkcs11.dll".'),
    ({"seal_image": "d.png", "office": {"method": "pkcs12", "p12": "o.p12"}},
     "mục [sign], khóa “method”: cơ quan chỉ ký số lên văn bản đã có chữ ký của người có thẩm quyền (Nghị định 30, "
     "Điều 32): khai báo khóa của người ký ở [sign] trước."),
    ({**P12, "pin": "1234"},
     "mục [sign], khóa “pin”: khóa không có; các khóa hợp lệ: key_label, method, office, p12, pkcs11_module, "
     "seal_image, signature_image, trust_roots, tsa_url."),
    ({**P12, "office": "co-quan.p12"},
     "mục [sign], khóa “office”: phải là một bảng [sign.office]."),
    ({**P12, "trust_roots": [1]},
     'mục [sign], khóa “trust_roots”: cần một danh sách chuỗi, ví dụ ["a", "b"]; đang là [1].'),
])
def test_errors_name_the_file_and_the_key(table, message):
    with pytest.raises(ConfigError) as caught:
        parse_config({"sign": table})
    assert str(caught.value) == "Cấu hình reportgen.toml, " + message
