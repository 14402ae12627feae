"""Every way signing fails tells the văn thư what to do, in Vietnamese, and leaves nothing signed behind.

Each case runs against the real component that fails: a .p12 file with the wrong
passphrase, a SoftHSM2 token with the wrong PIN, a token folder with no token
in it, a vendor-module path that does not exist, a PIN locked after three wrong
entries (SoftHSM2 behind tests/fixtures/pkcs11/pin_lockout.c), an expired
certificate, a timestamp server that does not answer.
"""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfbase.pdfmetrics import registerFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from pki import OFFICE_P12_PASSPHRASE, P12_PASSPHRASE
from pkcs11_token import SIGNER_KEY, SIGNER_PIN, SIGNER_TOKEN, lockout_module
from signed_pages import settings
from stamp_images import jpeg_signature, seal_png, signature_png
from reportgen.typeface.bundled import FONT_DIR
from reportgen.core.errors import ConfigError, UsageError
from reportgen.issuance import Secrets, SignerLines, SigningError, sign_pdf

WRONG = "sai-mat-khau"

pytest_plugins = ("signing_fixtures",)
"""The fixtures of the signing tests: keys, tokens, images, the report, the timestamp server."""


def table(pki, images, **changes) -> dict:
    base = {"method": "pkcs12", "p12": str(pki.signer_p12), "signature_image": str(images.signature),
            "seal_image": str(images.seal), "office": {"method": "pkcs12", "p12": str(pki.office_p12)}}
    base.update(changes)
    return base


def token_table(module: Path, images, **changes) -> dict:
    return {"method": "pkcs11", "pkcs11_module": str(module), "key_label": SIGNER_KEY,
            "signature_image": str(images.signature), **changes}


def refused(tmp_path, report, sign_table: dict, secrets: Secrets, error=SigningError) -> str:
    """Sign into tmp_path/out/, expect ``error``; check nothing was written; return the message."""
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    before = report.pdf.read_bytes()
    with pytest.raises(error) as caught:
        sign_pdf(report.pdf, out / "signed.pdf", settings(tmp_path, sign_table), secrets, report.lines)
    assert list(out.iterdir()) == [], "nothing signed or half-written is left"
    assert report.pdf.read_bytes() == before
    return str(caught.value)


def where(tmp_path: Path, key: str) -> str:
    """The start of a ConfigError's message for ``key`` ("sign.p12") of tmp_path/reportgen.toml."""
    section, name = key.split(".", 1)
    return f"Cấu hình {tmp_path / 'reportgen.toml'}, mục [{section}], khóa “{name}”: "


# ------------------------------------------------------------------ images ----

def test_a_missing_signature_image(tmp_path, pki, images, report):
    missing = tmp_path / "chu-ky.png"
    message = refused(tmp_path, report, table(pki, images, signature_image="chu-ky.png"),
                      Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE), ConfigError)
    assert message == (where(tmp_path, "sign.signature_image") + f"không tìm thấy tệp ảnh chữ ký “{missing}”. "
                       "Kiểm tra đường dẫn (đường dẫn tương đối tính từ thư mục làm việc).")


def test_a_signature_image_that_is_a_jpeg(tmp_path, pki, images, report):
    jpeg = jpeg_signature(tmp_path / "chu-ky.jpg")
    message = refused(tmp_path, report, table(pki, images, signature_image=str(jpeg)),
                      Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE), ConfigError)
    assert message == (where(tmp_path, "sign.signature_image") + f"ảnh chữ ký “{jpeg}” phải là tệp PNG nền trong "
                       "suốt (tệp là ảnh JPEG). Lưu lại ảnh dạng PNG.")


def test_a_signature_image_with_a_white_background(tmp_path, pki, images, report):
    opaque = signature_png(tmp_path / "chu-ky-nen-trang.png", background=(255, 255, 255, 255))
    message = refused(tmp_path, report, table(pki, images, signature_image=str(opaque)),
                      Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE), ConfigError)
    assert message == (where(tmp_path, "sign.signature_image") + f"ảnh chữ ký “{opaque}” không có nền trong suốt "
                       "(Nghị định 30, Phụ lục I). Xóa nền bằng phần mềm sửa ảnh (nền trong suốt, không phải nền "
                       "trắng) rồi lưu lại dạng PNG.")


def test_a_file_that_is_not_an_image(tmp_path, pki, images, report):
    text = tmp_path / "con-dau.png"
    text.write_text("không phải ảnh", encoding="utf-8")
    message = refused(tmp_path, report, table(pki, images, seal_image=str(text)),
                      Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE), ConfigError)
    assert message == (where(tmp_path, "sign.seal_image") + f"ảnh con dấu “{text}” phải là tệp PNG nền trong suốt "
                       "(tệp không phải là ảnh). Lưu lại ảnh dạng PNG.")


def test_a_seal_without_resolution(tmp_path, pki, images, report):
    seal = seal_png(tmp_path / "con-dau.png", dpi=None)
    assert "dpi" not in Image.open(seal).info
    message = refused(tmp_path, report, table(pki, images, seal_image=str(seal)),
                      Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE), ConfigError)
    assert message == (where(tmp_path, "sign.seal_image") + f"ảnh con dấu “{seal}” không ghi độ phân giải (DPI), "
                       "nên không biết kích thước thật của con dấu. Mở ảnh bằng phần mềm sửa ảnh, đặt độ phân giải "
                       "đúng với lúc quét (ví dụ 300 DPI) rồi lưu lại.")


def test_a_seal_whose_resolution_makes_it_no_real_seal(tmp_path, pki, images, report):
    seal = seal_png(tmp_path / "con-dau.png", dpi=96)   # what some editors write by default: 112 mm
    message = refused(tmp_path, report, table(pki, images, seal_image=str(seal)),
                      Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE), ConfigError)
    assert message == (where(tmp_path, "sign.seal_image") + f"theo độ phân giải ghi trong ảnh (96 DPI), con dấu "
                       f"“{seal}” rộng 112 mm × cao 112 mm; con dấu thật khoảng 30–45 mm. Đặt lại độ phân giải của "
                       "ảnh cho đúng với lúc quét (ví dụ 300 DPI), hoặc cắt sát con dấu, rồi lưu lại.")


def test_the_office_seal_configured_in_its_own_table_is_named_there(tmp_path, pki, images, report):
    office = {"method": "pkcs12", "p12": str(pki.office_p12), "seal_image": "khong-co.png"}
    message = refused(tmp_path, report, table(pki, images, office=office),
                      Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE), ConfigError)
    assert message.startswith(f"Cấu hình {tmp_path / 'reportgen.toml'}, mục [sign], khóa “office.seal_image”: "
                              f"không tìm thấy tệp ảnh con dấu “{tmp_path / 'khong-co.png'}”.")


# ------------------------------------------------------------------ .p12 ----

def test_a_wrong_passphrase(tmp_path, pki, images, report):
    message = refused(tmp_path, report, table(pki, images), Secrets(WRONG, OFFICE_P12_PASSPHRASE))
    assert message == ("Sai mật khẩu của tệp khóa “nguoi-ky.p12” (người ký). Nhập lại đúng mật khẩu (phân biệt chữ "
                       "hoa, chữ thường).")


def test_a_wrong_office_passphrase_leaves_no_half_signed_file(tmp_path, pki, images, report):
    """The signer's signature is made, the office's fails: no file has only the signer's signature."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "signed.pdf").write_bytes(b"the earlier file")
    with pytest.raises(SigningError) as caught:
        sign_pdf(report.pdf, out / "signed.pdf", settings(tmp_path, table(pki, images)),
                 Secrets(P12_PASSPHRASE, WRONG), report.lines)
    assert str(caught.value) == ("Sai mật khẩu của tệp khóa “co-quan.p12” (cơ quan). Nhập lại đúng mật khẩu (phân "
                                 "biệt chữ hoa, chữ thường).")
    assert [p.name for p in out.iterdir()] == ["signed.pdf"]
    assert (out / "signed.pdf").read_bytes() == b"the earlier file"


def test_an_expired_certificate(tmp_path, pki, images, report):
    not_after = pki.expired.cert.not_valid_after_utc.strftime("%d/%m/%Y")
    message = refused(tmp_path, report, table(pki, images, p12=str(pki.expired_p12)),
                      Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE))
    assert message == (f"Chứng thư số của người ký (Trần Thị B) đã hết hạn ngày {not_after}. Gia hạn chứng thư số "
                       "với nhà cung cấp (hoặc dùng chứng thư mới), rồi ký lại.")


def test_a_missing_p12_file(tmp_path, pki, images, report):
    message = refused(tmp_path, report, table(pki, images, p12="ky-so/nguoi-ky.p12"), Secrets(P12_PASSPHRASE),
                      ConfigError)
    assert message == (where(tmp_path, "sign.p12") + f"không tìm thấy tệp khóa “{tmp_path / 'ky-so/nguoi-ky.p12'}” "
                       "của người ký. Kiểm tra đường dẫn, hoặc cắm ổ chứa tệp vào máy.")


def test_a_file_that_is_not_a_p12(tmp_path, pki, images, report):
    message = refused(tmp_path, report, table(pki, images, p12=str(pki.ca_pem)), Secrets(P12_PASSPHRASE),
                      ConfigError)
    assert message == (where(tmp_path, "sign.p12") + f"tệp “{pki.ca_pem}” không phải tệp khóa .p12/.pfx. Xuất lại "
                       "tệp khóa (kèm chứng thư số) dạng PKCS#12.")


# ------------------------------------------------------------------ tokens ----

def test_a_module_file_that_does_not_exist(tmp_path, images, report):
    module = tmp_path / "vnpt-ca" / "vnptca_p11.so"
    message = refused(tmp_path, report, token_table(module, images), Secrets(SIGNER_PIN), ConfigError)
    assert message == (where(tmp_path, "sign.pkcs11_module") + f"không tìm thấy tệp thư viện của token “{module}”. "
                       "Cài phần mềm của nhà cung cấp token (chữ ký số), rồi ghi ở đây đường dẫn tệp .dll (Windows) "
                       "hoặc .so (Linux) của nó.")


def test_a_module_file_that_is_not_a_pkcs11_library(tmp_path, images, report):
    module = tmp_path / "not-a-module.so"
    module.write_bytes(b"\x7fELF not really")
    message = refused(tmp_path, report, token_table(module, images), Secrets(SIGNER_PIN), ConfigError)
    assert message.startswith(where(tmp_path, "sign.pkcs11_module") + f"tệp “{module}” không nạp được như thư viện "
                              "PKCS#11 của token (")
    assert message.endswith("). Ghi đúng tệp .dll/.so của nhà cung cấp token (cùng kiểu 32/64 bit với máy).")


def test_a_token_not_plugged_in(tmp_path, images, report, tokens, monkeypatch):
    monkeypatch.setenv("SOFTHSM2_CONF", str(tokens.empty_conf))
    message = refused(tmp_path, report, token_table(tokens.module, images), Secrets(SIGNER_PIN))
    assert message == (f"Không thấy token chữ ký số của người ký: cắm token vào máy rồi ký lại. (Thư viện "
                       f"“{tokens.module}” đã nạp được nhưng không có token nào sẵn sàng.)")


def test_a_wrong_pin(tmp_path, images, report, softhsm):
    message = refused(tmp_path, report, token_table(softhsm.module, images), Secrets("000000"))
    assert message == (f"Sai mã PIN của token (người ký, token “{SIGNER_TOKEN}”). Nhập lại đúng mã PIN; nhập sai "
                       "nhiều lần liên tiếp token sẽ bị khóa.")


def test_a_key_label_not_on_any_token(tmp_path, images, report, softhsm):
    message = refused(tmp_path, report, token_table(softhsm.module, images, key_label="Nguyen Van Z"),
                      Secrets(SIGNER_PIN))
    assert message == ("Không có chứng thư số mang nhãn “Nguyen Van Z” trên token đang cắm (người ký). Các nhãn có "
                       "trên token: “CA thu nghiem”, “Nguyen Van A”, “UBND huyen Binh Lieu”. Sửa "
                       "key_label trong mục [sign] của reportgen.toml, hoặc cắm đúng token.")


def test_a_key_label_not_on_the_only_token(tmp_path, images, report, tokens, monkeypatch):
    """With one token plugged in, it is the one meant; the label is looked for after the PIN (some tokens show
    their certificates only then)."""
    monkeypatch.setenv("SOFTHSM2_CONF", str(tokens.single_conf))
    message = refused(tmp_path, report, token_table(tokens.module, images, key_label="Nguyen Van Z"),
                      Secrets(SIGNER_PIN))
    assert message == (f"Token “{SIGNER_TOKEN}” (người ký) không có khóa ký và chứng thư số mang nhãn “Nguyen Van Z”. "
                       "Sửa key_label trong mục [sign] của reportgen.toml cho đúng nhãn trong phần mềm quản lý token.")


def test_a_pin_locked_after_three_wrong_entries(tmp_path, images, report, softhsm, monkeypatch):
    """A token locks its PIN; reportgen then says so, and does not try the PIN again."""
    module = lockout_module(tmp_path)
    monkeypatch.setenv("REPORTGEN_TEST_P11_REAL", str(softhsm.module))
    monkeypatch.setenv("REPORTGEN_TEST_P11_TRIES", str(tmp_path / "tries"))
    sign_table = token_table(module, images)
    wrong = (f"Sai mã PIN của token (người ký, token “{SIGNER_TOKEN}”). Nhập lại đúng mã PIN; nhập sai nhiều lần "
             "liên tiếp token sẽ bị khóa.")
    for _ in range(3):
        assert refused(tmp_path, report, sign_table, Secrets("111111")) == wrong
    locked = ("Mã PIN của token (người ký) đã bị khóa do nhập sai nhiều lần. Liên hệ nhà cung cấp chứng thư số (hoặc "
              "người quản lý token) để mở khóa; reportgen không thử thêm để tránh khóa hẳn token.")
    assert refused(tmp_path, report, sign_table, Secrets(SIGNER_PIN)) == locked
    assert (tmp_path / "tries").read_text().strip() == "3", "the locked token was not even asked to log in again"


def test_the_lockout_module_passes_a_right_pin_through(tmp_path, images, report, softhsm, monkeypatch):
    """The test module itself: with the right PIN it is the token it wraps (so the lock above is its only change)."""
    module = lockout_module(tmp_path)
    monkeypatch.setenv("REPORTGEN_TEST_P11_REAL", str(softhsm.module))
    monkeypatch.setenv("REPORTGEN_TEST_P11_TRIES", str(tmp_path / "tries"))
    info = sign_pdf(report.pdf, tmp_path / "signed.pdf", settings(tmp_path, token_table(module, images)),
                    Secrets(SIGNER_PIN), report.lines)
    assert info.signatures[0].signer == "Nguyễn Văn A"


# ------------------------------------------------------------------ others ----

def test_a_timestamp_server_that_does_not_answer(tmp_path, pki, images, report):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    url = f"http://127.0.0.1:{port}/tsa"
    message = refused(tmp_path, report, table(pki, images, tsa_url=url), Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE))
    assert message.startswith(f"Không lấy được dấu thời gian từ máy chủ “{url}” (")
    assert message.endswith("). Kiểm tra kết nối mạng và khóa tsa_url trong mục [sign], rồi ký lại; chưa có gì "
                            "được ký.")


def test_a_pdf_without_the_signature_block(tmp_path, pki, images, report):
    out = tmp_path / "out"
    with pytest.raises(SigningError) as caught:
        sign_pdf(report.pdf, out / "signed.pdf", settings(tmp_path, table(pki, images)),
                 Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE), SignerLines(("CHỦ TỊCH",), "Lê Văn C"))
    assert str(caught.value) == ("Không tìm thấy khối chữ ký trong bao-cao-2023-06.pdf: không có trang nào có dòng "
                                 "“CHỦ TỊCH” ở trên dòng “Lê Văn C”. Chỉ ký được báo cáo PDF do reportgen lập (không "
                                 "ký bản đã in rồi quét).")
    assert not out.exists() or list(out.iterdir()) == []


def test_a_block_without_room_for_a_signature(tmp_path, pki, images):
    registerFont(TTFont("DejaVuSerif", str(FONT_DIR / "DejaVuSerif.ttf")))
    pdf = tmp_path / "chat.pdf"
    canvas = Canvas(str(pdf), pagesize=(595, 842))
    canvas.setFont("DejaVuSerif", 13)
    canvas.drawCentredString(420, 744, "CHỦ TỊCH")
    canvas.drawCentredString(420, 715, "Nguyễn Văn A")
    canvas.save()
    with pytest.raises(SigningError) as caught:
        sign_pdf(pdf, tmp_path / "ky.pdf", settings(tmp_path, table(pki, images)),
                 Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE), SignerLines(("CHỦ TỊCH",), "Nguyễn Văn A"))
    assert str(caught.value) == ("Khoảng trống để ký giữa chức vụ và họ tên người ký chỉ cao 5 mm (trang 1); cần ít "
                                 "nhất 12 mm.")
    assert not (tmp_path / "ky.pdf").exists()


def test_a_file_already_signed_is_not_signed_again(tmp_path, pki, images, report):
    signed = tmp_path / "da-ky.pdf"
    secrets = Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE)
    sign_pdf(report.pdf, signed, settings(tmp_path, table(pki, images)), secrets, report.lines)
    with pytest.raises(SigningError) as caught:
        sign_pdf(signed, tmp_path / "lai.pdf", settings(tmp_path, table(pki, images)), secrets, report.lines)
    assert str(caught.value) == ("Tệp “da-ky.pdf” đã có chữ ký số: chỉ ký bản chưa ký (bản báo cáo lập ra trước khi "
                                 "ký).")
    assert not (tmp_path / "lai.pdf").exists()


def test_a_file_that_is_not_a_pdf(tmp_path, pki, images, report):
    text = tmp_path / "bao-cao.pdf"
    text.write_text("không phải PDF", encoding="utf-8")
    with pytest.raises(SigningError) as caught:
        sign_pdf(text, tmp_path / "ky.pdf", settings(tmp_path, table(pki, images)),
                 Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE), report.lines)
    assert str(caught.value).startswith("Tệp “bao-cao.pdf” không đọc được như tệp PDF (")
    assert not (tmp_path / "ky.pdf").exists()


def test_the_pin_and_passphrase_are_never_shown_logged_or_written(tmp_path, pki, images, report, softhsm, caplog):
    caplog.set_level(logging.DEBUG)
    sign_table = {**token_table(softhsm.module, images), "seal_image": str(images.seal),
                  "office": {"method": "pkcs12", "p12": str(pki.office_p12)}}
    info = sign_pdf(report.pdf, tmp_path / "signed.pdf", settings(tmp_path, sign_table),
                    Secrets(SIGNER_PIN, OFFICE_P12_PASSPHRASE), report.lines)
    with pytest.raises(SigningError) as caught:
        sign_pdf(report.pdf, tmp_path / "again.pdf", settings(tmp_path, sign_table),
                 Secrets(SIGNER_PIN + "9", OFFICE_P12_PASSPHRASE), report.lines)
    secrets = (SIGNER_PIN, SIGNER_PIN + "9", OFFICE_P12_PASSPHRASE)
    shown = [str(caught.value), repr(Secrets(SIGNER_PIN, OFFICE_P12_PASSPHRASE)), repr(info), caplog.text]
    assert not any(secret in text for secret in secrets for text in shown)
    signed = (tmp_path / "signed.pdf").read_bytes()
    assert not any(secret.encode() in signed for secret in secrets)
    assert repr(Secrets(SIGNER_PIN, OFFICE_P12_PASSPHRASE)) == "Secrets()"


def test_a_pin_from_the_environment(monkeypatch):
    monkeypatch.setenv("PIN_NGUOI_KY", SIGNER_PIN)
    assert Secrets.from_env("PIN_NGUOI_KY").signer == SIGNER_PIN
    monkeypatch.delenv("PIN_NGUOI_KY")
    with pytest.raises(UsageError) as caught:
        Secrets.from_env("PIN_NGUOI_KY")
    assert str(caught.value) == ("Biến môi trường “PIN_NGUOI_KY” (ghi ở --pin-env) chưa có giá trị: đặt mã PIN hoặc "
                                 "mật khẩu vào đó trước khi chạy, hoặc bỏ --pin-env để nhập từ bàn phím.")
