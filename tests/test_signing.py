"""Signing an issued report: real keys (.p12 and a SoftHSM2 token), real timestamp server, read back by
pyHanko's validator and poppler's pdfsig, and the page rendered to find the images where Phụ lục I puts them."""

from __future__ import annotations

import subprocess
from pathlib import Path

from reportlab.pdfbase.pdfmetrics import registerFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from pki import OFFICE_P12_PASSPHRASE, P12_PASSPHRASE
from pkcs11_token import OFFICE_KEY, OFFICE_PIN, SIGNER_KEY, SIGNER_PIN
from signed_pages import coloured_box, count, find_line, is_blue, is_red, render, settings
from stamp_images import DPI
from reportgen.typeface.bundled import FONT_DIR
from reportgen.issuance import Secrets, SignerLines, sign_pdf, verify_pdf

SEAL_MM = 36
SIGNATURE_MM = (42, 16)

pytest_plugins = ("signing_fixtures",)
"""The fixtures of the signing tests: keys, tokens, images, the report, the timestamp server."""


def p12_table(pki, images, office: bool = True, **extra) -> dict:
    table = {"method": "pkcs12", "p12": str(pki.signer_p12), "signature_image": str(images.signature), **extra}
    if office:
        table["seal_image"] = str(images.seal)
        table["office"] = {"method": "pkcs12", "p12": str(pki.office_p12)}
    return table


def pdfsig(path: Path) -> str:
    return subprocess.run(["pdfsig", "-nocert", str(path)], check=True, capture_output=True, text=True).stdout


def test_the_signer_and_the_office_sign_with_p12_files(tmp_path, pki, images, report):
    target = tmp_path / "ky" / "bao-cao-2023-06-ky.pdf"
    original = report.pdf.read_bytes()
    info = sign_pdf(report.pdf, target, settings(tmp_path, p12_table(pki, images)),
                    Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE), report.lines)

    assert [(s.role, s.field, s.signer, s.issuer, s.level, s.page) for s in info.signatures] == [
        ("signer", "ChuKyNguoiKy", "Nguyễn Văn A", "CA thử nghiệm reportgen", "PAdES B-B", report.page),
        ("office", "ChuKyCoQuan", "Ủy ban nhân dân huyện Bình Liêu", "CA thử nghiệm reportgen", "PAdES B-B",
         report.page)]
    assert info.notes == ()
    signed = target.read_bytes()
    assert signed.startswith(original), "the signatures are incremental updates of the unsigned file"
    assert report.pdf.read_bytes() == original
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name], "no temporary file left"

    # poppler, independently: two PAdES signatures, both cryptographically valid, the last covering the file.
    out = pdfsig(target)
    assert out.count("Signature Validation: Signature is Valid.") == 2
    assert out.count("Signature Type: ETSI.CAdES.detached") == 2
    assert "Signature Field Name: ChuKyNguoiKy\n  - Signer Certificate Common Name: Nguyễn Văn A" in out
    assert "Signer Certificate Common Name: Ủy ban nhân dân huyện Bình Liêu" in out
    assert out.rstrip().endswith("Total document signed\n  - Signature Validation: Signature is Valid.")

    # pyHanko's validator, with the test CA as the trust root.
    reports = verify_pdf(target, [pki.ca_pem])
    assert [(r.field, r.signer, r.intact, r.changes, r.trusted) for r in reports] == [
        ("ChuKyNguoiKy", "Nguyễn Văn A", True, "signatures", True),
        ("ChuKyCoQuan", "Ủy ban nhân dân huyện Bình Liêu", True, "none", True)]
    assert all(r.timestamp is None for r in reports)


def test_the_images_sit_where_phu_luc_i_puts_them(tmp_path, pki, images, report):
    """Blue signature centred between title and name; red seal at real size over the signature's left third."""
    target = tmp_path / "signed.pdf"
    sign_pdf(report.pdf, target, settings(tmp_path, p12_table(pki, images)),
             Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE), report.lines)
    title = find_line(target, report.page, report.lines.last_title)
    name = find_line(target, report.page, report.lines.name)
    page = render(target, report.page, tmp_path)

    blue = coloured_box(page, is_blue)
    red = coloured_box(page, is_red)
    assert blue is not None and red is not None
    centre_x = (title.centre_x + name.centre_x) / 2
    # The signature's ink spans nearly the image (42 mm); its right end is clear of the seal.
    assert abs(blue[2] - (centre_x + SIGNATURE_MM[0] * 72 / 25.4 / 2)) < 4 * 72 / 25.4
    assert title.y1 < blue[1] and blue[3] < name.y0, "between the title's bottom and the name's top"
    gap_centre = (title.y1 + name.y0) / 2
    assert abs((blue[1] + blue[3]) / 2 - gap_centre) < 4
    # The seal: 36 mm across (its ring is the outermost red), right edge a third into the signature image.
    mm = 72 / 25.4
    assert abs((red[2] - red[0]) - SEAL_MM * mm) < 1.5 * mm and abs((red[3] - red[1]) - SEAL_MM * mm) < 1.5 * mm
    signature_left = centre_x - SIGNATURE_MM[0] * mm / 2
    assert abs(red[2] - (signature_left + SIGNATURE_MM[0] * mm / 3)) < 1.5 * mm
    assert abs((red[1] + red[3]) / 2 - gap_centre) < 4
    # Nothing red over the right two thirds of the signature; blue ink there.
    right_part = (red[2] + 2, blue[1], blue[2], blue[3])
    assert count(page, is_red, right_part) == 0 and count(page, is_blue, right_part) > 200
    # Title and name are not covered by blue ink.
    assert count(page, is_blue, (title.x0, title.y0, title.x1, title.y1)) == 0
    assert count(page, is_blue, (name.x0, name.y0, name.x1, name.y1)) == 0


def test_without_an_office_key_only_the_signer_signs_and_no_seal_is_drawn(tmp_path, pki, images, report):
    target = tmp_path / "signed.pdf"
    info = sign_pdf(report.pdf, target, settings(tmp_path, p12_table(pki, images, office=False)),
                    Secrets(P12_PASSPHRASE), report.lines)
    assert [s.role for s in info.signatures] == ["signer"]
    page = render(target, report.page, tmp_path)
    assert coloured_box(page, is_red) is None and coloured_box(page, is_blue) is not None
    assert pdfsig(target).count("Signature is Valid.") == 1
    assert [(r.intact, r.changes) for r in verify_pdf(target)] == [(True, "none")]


def test_a_timestamp_server_makes_it_pades_b_t(tmp_path, pki, images, report, tsa):
    before = tsa.requests
    target = tmp_path / "signed.pdf"
    info = sign_pdf(report.pdf, target, settings(tmp_path, p12_table(pki, images, tsa_url=tsa.url)),
                    Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE), report.lines)
    assert [s.level for s in info.signatures] == ["PAdES B-T", "PAdES B-T"]
    assert tsa.requests > before, "the timestamps came from the server"
    reports = verify_pdf(target, [pki.ca_pem])
    assert all(r.timestamp is not None and r.intact and r.trusted for r in reports)
    assert pdfsig(target).count("Signature is Valid.") == 2


def test_usb_tokens_sign_through_pkcs11(tmp_path, pki, images, report, softhsm):
    """The signer's and the văn thư's keys on two SoftHSM2 tokens, reached through the vendor-module path."""
    table = {"method": "pkcs11", "pkcs11_module": str(softhsm.module), "key_label": SIGNER_KEY,
             "signature_image": str(images.signature), "seal_image": str(images.seal),
             "office": {"method": "pkcs11", "pkcs11_module": str(softhsm.module), "key_label": OFFICE_KEY}}
    target = tmp_path / "signed.pdf"
    info = sign_pdf(report.pdf, target, settings(tmp_path, table), Secrets(SIGNER_PIN, OFFICE_PIN), report.lines)
    assert [(s.signer, s.level) for s in info.signatures] == [("Nguyễn Văn A", "PAdES B-B"),
                                                               ("Ủy ban nhân dân huyện Bình Liêu", "PAdES B-B")]
    assert pdfsig(target).count("Signature is Valid.") == 2
    assert [(r.signer, r.intact, r.trusted) for r in verify_pdf(target, [pki.ca_pem])] == [
        ("Nguyễn Văn A", True, True), ("Ủy ban nhân dân huyện Bình Liêu", True, True)]
    page = render(target, report.page, tmp_path)
    assert coloured_box(page, is_blue) is not None and coloured_box(page, is_red) is not None


def test_a_token_signer_and_a_p12_office_mix(tmp_path, pki, images, report, softhsm, tsa):
    table = {"method": "pkcs11", "pkcs11_module": str(softhsm.module), "key_label": SIGNER_KEY,
             "signature_image": str(images.signature), "seal_image": str(images.seal), "tsa_url": tsa.url,
             "office": {"method": "pkcs12", "p12": str(pki.office_p12)}}
    target = tmp_path / "signed.pdf"
    info = sign_pdf(report.pdf, target, settings(tmp_path, table), Secrets(SIGNER_PIN, OFFICE_P12_PASSPHRASE),
                    report.lines)
    assert [s.level for s in info.signatures] == ["PAdES B-T", "PAdES B-T"]
    assert all(r.intact and r.trusted and r.timestamp for r in verify_pdf(target, [pki.ca_pem]))


def test_the_block_is_found_wherever_the_layout_puts_it(tmp_path, pki, images):
    """Another layout: the block in the left column of page 2, title "CHỦ TỊCH" under "KT. CHỦ TỊCH"-like
    lines elsewhere, the signer's name also inside a sentence; only the block's lines count."""
    registerFont(TTFont("DejaVuSerif", str(FONT_DIR / "DejaVuSerif.ttf")))
    pdf = tmp_path / "other-layout.pdf"
    canvas = Canvas(str(pdf), pagesize=(595, 842))
    canvas.setFont("DejaVuSerif", 13)
    canvas.drawString(72, 700, "Ông Nguyễn Văn A, Chủ tịch, chỉ đạo thực hiện báo cáo này.")
    canvas.drawCentredString(420, 600, "KT. CHỦ TỊCH")
    canvas.drawCentredString(420, 420, "Nguyễn Văn B")
    canvas.showPage()
    canvas.setFont("DejaVuSerif", 13)
    for y, line in ((760, "TM. ỦY BAN NHÂN DÂN"), (744, "CHỦ TỊCH")):
        canvas.drawCentredString(170, y, line)
    canvas.drawCentredString(170, 640, "Nguyễn Văn A")
    canvas.drawString(330, 744, "Nơi nhận: - Như trên;")
    canvas.save()
    target = tmp_path / "signed.pdf"
    info = sign_pdf(pdf, target, settings(tmp_path, p12_table(pki, images)),
                    Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE),
                    SignerLines(("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), "Nguyễn Văn A"))
    assert [s.page for s in info.signatures] == [2, 2]
    page = render(target, 2, tmp_path)
    blue = coloured_box(page, is_blue)
    assert blue is not None and abs((blue[0] + blue[2]) / 2 - 170) < 25
    assert 842 - 744 < blue[1] and blue[3] < 842 - 640 - 10
    assert coloured_box(render(target, 1, tmp_path), is_blue) is None


def test_the_seal_is_drawn_at_the_size_its_resolution_gives(tmp_path, pki, images, report):
    """The seal's real size comes from its DPI: at 300 DPI a 425-pixel seal is 36 mm across."""
    assert DPI == 300
    target = tmp_path / "signed.pdf"
    info = sign_pdf(report.pdf, target, settings(tmp_path, p12_table(pki, images)),
                    Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE), report.lines)
    x0, y0, x1, y1 = info.signatures[1].box
    assert abs((x1 - x0) - SEAL_MM * 72 / 25.4) <= 1 and abs((y1 - y0) - SEAL_MM * 72 / 25.4) <= 1
