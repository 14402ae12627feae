"""``reportgen verify FILE.pdf``: each signature's signer, issuer, time, integrity and trust; exit 0 only when all
are intact (and trusted, when [sign] trust_roots is configured)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import ContentStream

from pki import OFFICE_P12_PASSPHRASE, P12_PASSPHRASE
from signed_pages import settings
from reportgen.cli.app import run
from reportgen.issuance import Secrets, sign_pdf

pytest_plugins = ("signing_fixtures",)
"""The fixtures of the signing tests: keys, tokens, images, the report, the timestamp server."""


@pytest.fixture(scope="module")
def signed(tmp_path_factory, pki, images, report, tsa) -> Path:
    folder = tmp_path_factory.mktemp("signed")
    table = {"method": "pkcs12", "p12": str(pki.signer_p12), "signature_image": str(images.signature),
             "seal_image": str(images.seal), "office": {"method": "pkcs12", "p12": str(pki.office_p12)},
             "tsa_url": tsa.url}
    target = folder / "bao-cao-2023-06-ky.pdf"
    sign_pdf(report.pdf, target, settings(folder, table), Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE),
             report.lines)
    return target


def folder_with_roots(tmp_path: Path, *roots: Path) -> Path:
    listed = ", ".join(f'"{root.as_posix()}"' for root in roots)
    (tmp_path / "reportgen.toml").write_text(f"[sign]\ntrust_roots = [{listed}]\n", encoding="utf-8")
    return tmp_path


def verify(capsys, folder: Path, pdf: Path) -> tuple[int, str, str]:
    status = run(["-C", str(folder), "verify", str(pdf)])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_a_signed_report_with_trusted_roots(tmp_path, capsys, signed, pki):
    status, out, err = verify(capsys, folder_with_roots(tmp_path, pki.ca_pem), signed)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[:4] == [f"Tệp: {signed}", "Số chữ ký số: 2", "", "Chữ ký 1 (trường “ChuKyNguoiKy”):"]
    assert lines[4:6] == ["  Người ký:       Nguyễn Văn A", "  Cấp chứng thư:  CA thử nghiệm reportgen"]
    assert lines[6].startswith("  Thời điểm ký:   ") and lines[6].endswith(", giờ Việt Nam")
    assert lines[7].startswith("  Dấu thời gian:  ") and lines[7].endswith("(máy chủ dấu thời gian xác nhận)")
    assert lines[8:10] == ["  Toàn vẹn:       có — sau khi ký chỉ thêm chữ ký số khác", "  Tin cậy:        có"]
    assert "  Người ký:       Ủy ban nhân dân huyện Bình Liêu" in lines
    assert "  Toàn vẹn:       có — tài liệu không thay đổi từ khi ký" in lines
    assert lines[-1] == "Kết luận: mọi chữ ký còn nguyên vẹn và tin cậy."


def test_without_trust_roots_integrity_is_checked_and_trust_is_not(tmp_path, capsys, signed):
    status, out, _ = verify(capsys, tmp_path, signed)
    assert status == 0
    assert out.count("  Tin cậy:        chưa kiểm tra (chưa khai báo [sign] trust_roots)") == 2
    assert out.splitlines()[-1] == ("Kết luận: mọi chữ ký còn nguyên vẹn. Chưa kiểm tra tổ chức cấp chứng thư: khai "
                                    "báo [sign] trust_roots trong reportgen.toml.")


def test_a_certificate_from_another_ca_is_not_trusted(tmp_path, capsys, signed, pki):
    status, out, _ = verify(capsys, folder_with_roots(tmp_path, pki.other_ca_der), signed)
    assert status == 3
    assert out.count("  Tin cậy:        KHÔNG — chứng thư số không do tổ chức gốc tin cậy nào đã khai báo cấp") == 2
    assert out.splitlines()[-1] == ("Kết luận: KHÔNG HỢP LỆ — chữ ký 1, 2 không do tổ chức tin cậy cấp chứng thư.")


def test_a_byte_changed_in_the_signed_file(tmp_path, capsys, signed, pki):
    data = bytearray(signed.read_bytes())
    at = data.index(b"/Producer")
    data[at + 1:at + 9] = b"Producex"
    tampered = tmp_path / "sua.pdf"
    tampered.write_bytes(bytes(data))
    status, out, _ = verify(capsys, folder_with_roots(tmp_path, pki.ca_pem), tampered)
    assert status == 3
    assert out.count("  Toàn vẹn:       KHÔNG — tài liệu đã bị sửa sau khi ký, hoặc chữ ký không khớp") == 2
    assert out.splitlines()[-1] == ("Kết luận: KHÔNG HỢP LỆ — chữ ký 1, 2 không còn nguyên vẹn: không dùng tệp này, "
                                    "xin lại bản gốc.")
    poppler = subprocess.run(["pdfsig", "-nocert", str(tampered)], capture_output=True, text=True).stdout
    assert "Signature is Valid." not in poppler


def test_a_page_changed_after_signing_by_an_incremental_update(tmp_path, capsys, signed, pki):
    """Appending a revision that redraws page 1 keeps every signed byte: only the change analysis sees it."""
    writer = PdfWriter(signed, incremental=True)
    content = ContentStream(None, writer)
    content.set_data(b"BT /F1 40 Tf 100 400 Td (DA SUA) Tj ET")
    writer.pages[0].replace_contents(content)
    altered = tmp_path / "them-ban-sua.pdf"
    with open(altered, "wb") as handle:
        writer.write(handle)
    assert altered.read_bytes().startswith(signed.read_bytes())
    status, out, _ = verify(capsys, folder_with_roots(tmp_path, pki.ca_pem), altered)
    assert status == 3
    assert out.count("  Toàn vẹn:       KHÔNG — tài liệu đã bị sửa sau khi ký, hoặc chữ ký không khớp") == 2


def test_an_unsigned_pdf(tmp_path, capsys, report):
    status, out, _ = verify(capsys, tmp_path, report.pdf)
    assert status == 3
    assert out == f"Tệp: {report.pdf}\nTệp không có chữ ký số nào.\n"


def test_a_file_that_is_not_a_pdf(tmp_path, capsys):
    text = tmp_path / "bao-cao.pdf"
    text.write_text("không phải PDF", encoding="utf-8")
    status, out, err = verify(capsys, tmp_path, text)
    assert (status, out) == (1, "")
    assert err.startswith(f"Lỗi: Tệp “{text}” không đọc được như tệp PDF có chữ ký số (")
    assert "Traceback" not in err


def test_a_missing_file_and_a_missing_root(tmp_path, capsys, signed):
    status, _, err = verify(capsys, tmp_path, tmp_path / "khong-co.pdf")
    assert (status, err) == (1, f"Lỗi: Không tìm thấy tệp “{tmp_path / 'khong-co.pdf'}”.\n")
    folder = folder_with_roots(tmp_path, tmp_path / "goc.cer")
    status, _, err = verify(capsys, folder, signed)
    assert (status, err) == (1, f"Lỗi: Không tìm thấy tệp chứng thư gốc “{tmp_path / 'goc.cer'}” (khai báo ở mục "
                                "[sign], khóa “trust_roots” của reportgen.toml).\n")
