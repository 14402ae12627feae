"""Several communes in one folder, each with its own reviewers and its own keys: [units.<id>.issue] review_to,
[units.<id>.sign] and [units.<id>.sign.office], falling back to the folder's tables when a unit does not set them.

Two communes issue June's report: each signed PDF carries exactly its own chairman's and its own People's
Committee's certificates (read back with pyHanko), each draft went to its own reviewers only.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from pki import OFFICE_P12_PASSPHRASE, P12_PASSPHRASE, person_p12
from run_helpers import make_folder, run_at, write_month
from smtp_fixtures import *  # noqa: F401,F403 - pytest fixtures
from test_issuing_flow import REVIEWER, sign_table
from reportgen import api
from reportgen.cli.app import run as cli
from reportgen.core.errors import ConfigError
from reportgen.core.periods import Period
from reportgen.delivery.ledger import Ledger
from reportgen.issuance import Secrets, verify_pdf
from reportgen.settings.config import parse_config

pytest_plugins = ("signing_fixtures",)

HOANH_MO_REVIEWER = "chutich.hoanhmo@example.vn"
COMMUNE_PASSPHRASE = "xa-2023"


def commune(unit: str, name: str, chairman: str, mail: str, p12: Path, office_p12: Path, images, review: str = "") -> str:
    text = (f'\n[units.{unit}]\nagency = ["ỦY BAN NHÂN DÂN", "{name.upper()}"]\nname = "Ủy ban nhân dân {name}"\n'
            f'place = "{name.split(" ", 1)[1]}"\narea = "xã"\nsigner_authority = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]\n'
            f'signer_title = "CHỦ TỊCH"\nsigner_name = "{chairman}"\nmail_to = ["{mail}"]\n')
    if review:
        text += f'\n[units.{unit}.issue]\nreview_to = ["{review}"]\n'
    return text + (f'\n[units.{unit}.sign]\nmethod = "pkcs12"\np12 = "{p12}"\nsignature_image = "{images.signature}"\n'
                   f'\n[units.{unit}.sign.office]\nmethod = "pkcs12"\np12 = "{office_p12}"\n'
                   f'seal_image = "{images.seal}"\n')


def signer_certificates(pdf: Path) -> list[bytes]:
    with open(pdf, "rb") as handle:
        return [s.signer_cert.dump() for s in PdfFileReader(handle, strict=False).embedded_signatures]


def test_each_commune_signs_with_its_own_keys_and_reviewers(tmp_path, smtp_server, pki, images):
    keys = tmp_path / "ky-so"
    keys.mkdir()
    people = {
        "hoanh-mo": (person_p12(pki, "Hoàng Văn B", keys / "hoanh-mo.p12"),
                     person_p12(pki, "Ủy ban nhân dân xã Hoành Mô", keys / "ubnd-hoanh-mo.p12", COMMUNE_PASSPHRASE)),
        "dong-van": (person_p12(pki, "Lý Văn C", keys / "dong-van.p12"),
                     person_p12(pki, "Ủy ban nhân dân xã Đồng Văn", keys / "ubnd-dong-van.p12", COMMUNE_PASSPHRASE)),
    }
    extra = (sign_table(pki, images)
             + commune("hoanh-mo", "xã Hoành Mô", "Hoàng Văn B", "hoanhmo@example.vn", keys / "hoanh-mo.p12",
                       keys / "ubnd-hoanh-mo.p12", images, review=HOANH_MO_REVIEWER)
             + commune("dong-van", "xã Đồng Văn", "Lý Văn C", "dongvan@example.vn", keys / "dong-van.p12",
                       keys / "ubnd-dong-van.p12", images))
    root = make_folder(tmp_path / "vp", smtp_server, approval=True, review_to=(REVIEWER,), extra=extra)
    for unit in people:
        write_month(root, "2023-06", unit=unit)
    run_at(root, "2023-06-20T07:00")
    drafts = {address: [str(m.message["Subject"]) for m in smtp_server.inbox(address)]
              for address in (HOANH_MO_REVIEWER, REVIEWER)}
    assert [s for s in drafts[HOANH_MO_REVIEWER] if "Hoành Mô" in s] and all(
        "Hoành Mô" in s for s in drafts[HOANH_MO_REVIEWER]), drafts   # its own chairman, its drafts only
    assert not [s for s in drafts[REVIEWER] if "Hoành Mô" in s], drafts
    assert [s for s in drafts[REVIEWER] if "Đồng Văn" in s], drafts   # no [units.dong-van.issue]: the folder's

    folder = api.open_folder(root)
    june = Period.parse("2023-06")
    for unit, (chairman, office) in people.items():
        made = api.issue(folder, june, unit=unit, approve_as=chairman.name,
                         secrets=Secrets(P12_PASSPHRASE, COMMUNE_PASSPHRASE), now=datetime(2023, 6, 21, 9))
        assert made.symbol == "01/BC-UBND"
        assert signer_certificates(made.pdf) == [chairman.cert_der, office.cert_der]
        assert [(r.signer, r.intact, r.trusted) for r in verify_pdf(made.pdf, [pki.ca_pem])] == [
            (chairman.name, True, True), (office.name, True, True)]
        [mail] = smtp_server.inbox(f"{unit.replace('-', '')}@example.vn")
        [pdf] = [p for p in mail.message.iter_attachments() if p.get_filename().endswith(".pdf")]
        assert pdf.get_payload(decode=True) == made.pdf.read_bytes()
    # The folder's own report still signs with [sign] and [sign.office].
    own = api.issue(folder, june, approve_as="Nguyễn Văn A", secrets=Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE),
                    now=datetime(2023, 6, 21, 9))
    assert signer_certificates(own.pdf) == [pki.signer.cert_der, pki.office.cert_der]


FOLDER_SIGN = {"method": "pkcs12", "p12": "ky-so/a.p12", "signature_image": "ky-so/a.png",
               "seal_image": "ky-so/dau-huyen.png", "tsa_url": "http://tsa.example.vn",
               "trust_roots": ["ky-so/goc.cer"], "office": {"method": "pkcs12", "p12": "ky-so/huyen.p12"}}


def unit_config(sign: dict | None = None, issue: dict | None = None, folder_sign: dict | None = FOLDER_SIGN):
    unit: dict = {"name": "Ủy ban nhân dân xã Hoành Mô"}
    if sign is not None:
        unit["sign"] = sign
    if issue is not None:
        unit["issue"] = issue
    data = {"issue": {"approval": True, "review_to": ["a@example.vn"]}, "units": {"hoanh-mo": unit}}
    if folder_sign is not None:
        data["sign"] = folder_sign
    return parse_config(data, "reportgen.toml")


def test_a_unit_without_its_own_tables_takes_the_folders():
    config = unit_config().for_unit("hoanh-mo")
    assert config.issue.review_to == ("a@example.vn",)
    assert config.sign == unit_config().sign


def test_a_unit_with_its_own_signer_keeps_the_folders_office_timestamp_and_roots():
    config = unit_config({"method": "pkcs12", "p12": "ky-so/b.p12", "signature_image": "ky-so/b.png"},
                         {"review_to": ["b@example.vn"]}).for_unit("hoanh-mo")
    assert config.issue.review_to == ("b@example.vn",) and config.issue.approval
    sign = config.sign
    assert (sign.p12, sign.signature_image, sign.tsa_url, sign.trust_roots) == (
        "ky-so/b.p12", "ky-so/b.png", "http://tsa.example.vn", ("ky-so/goc.cer",))
    assert sign.office_key is not None
    assert (sign.office_key.p12, sign.office_key.seal_image) == ("ky-so/huyen.p12", "ky-so/dau-huyen.png")


def test_a_unit_with_its_own_office_only_keeps_the_folders_signer():
    config = unit_config({"office": {"method": "pkcs11", "pkcs11_module": "x.so", "key_label": "UBND xa",
                                     "seal_image": "ky-so/dau-xa.png"}}).for_unit("hoanh-mo")
    assert (config.sign.p12, config.sign.signature_image) == ("ky-so/a.p12", "ky-so/a.png")
    assert config.sign.office_key is not None
    assert (config.sign.office_key.key_label, config.sign.office_key.seal_image) == ("UBND xa", "ky-so/dau-xa.png")


@pytest.mark.parametrize("sign, issue, folder_sign, key, text", [
    ({"method": "pkcs12", "p12": "ky-so/b.p12"}, None, FOLDER_SIGN, "units.hoanh-mo.sign.signature_image",
     "cần tệp ảnh chữ ký của người ký"),
    ({"method": "pkcs13"}, None, FOLDER_SIGN, "units.hoanh-mo.sign.method", "phải là một trong pkcs12, pkcs11"),
    ({"method": "pkcs12", "p12": "b.p12", "signature_image": "b.png", "office": {"method": "pkcs12", "p12": "x.p12"}},
     None, None, "units.hoanh-mo.sign.office.seal_image", "cần tệp ảnh con dấu"),
    ({"office": {"method": "pkcs12", "p12": "x.p12", "seal_image": "d.png"}}, None, None,
     "units.hoanh-mo.sign.method", "khai báo khóa của người ký ở [units.hoanh-mo.sign] trước"),
    ({"p12": "b.p12"}, None, FOLDER_SIGN, "units.hoanh-mo.sign.method", 'cần khai báo method = "pkcs12"'),
    ({"method": "pkcs12", "p12": "b.p12", "signature_image": "b.png", "tsa_url": "tsa.vn"}, None, FOLDER_SIGN,
     "units.hoanh-mo.sign.tsa_url", "cần địa chỉ máy chủ dấu thời gian bắt đầu bằng http://"),
    (None, {"review_to": ["khong-phai-dia-chi"]}, FOLDER_SIGN, "units.hoanh-mo.issue.review_to",
     "địa chỉ thư không hợp lệ: “khong-phai-dia-chi”."),
    (None, {"approval": False}, FOLDER_SIGN, "units.hoanh-mo.issue.approval", "khóa không có; các khóa hợp lệ: review_to."),
])
def test_a_units_tables_are_checked_naming_the_file_and_the_key(sign, issue, folder_sign, key, text):
    with pytest.raises(ConfigError) as raised:
        unit_config(sign, issue, folder_sign)
    message = str(raised.value)
    assert message.startswith(f"Cấu hình reportgen.toml, mục [units], khóa “{key.removeprefix('units.')}”: "), message
    assert text in message, message


def test_a_units_missing_key_file_is_named_in_its_own_table(tmp_path, smtp_server, pki, images):
    """The file of a unit's own key is looked for when it signs; missing, the message names the unit's table."""
    extra = sign_table(pki, images) + commune("hoanh-mo", "xã Hoành Mô", "Hoàng Văn B", "hoanhmo@example.vn",
                                              tmp_path / "khong-co.p12", pki.office_p12, images)
    root = make_folder(tmp_path / "vp", smtp_server, approval=True, review_to=(REVIEWER,), extra=extra)
    write_month(root, "2023-06", unit="hoanh-mo")
    run_at(root, "2023-06-20T07:00")
    with pytest.raises(ConfigError) as raised:
        api.issue(api.open_folder(root), Period.parse("2023-06"), unit="hoanh-mo", approve_as="Hoàng Văn B",
                  secrets=Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE), now=datetime(2023, 6, 21, 9))
    assert str(raised.value) == (
        f"Cấu hình {root / 'reportgen.toml'}, mục [units], khóa “hoanh-mo.sign.p12”: không tìm thấy tệp khóa "
        f"“{tmp_path / 'khong-co.p12'}” của người ký. Kiểm tra đường dẫn, hoặc cắm ổ chứa tệp vào máy.")
    with Ledger(root / "reportgen.db") as ledger:
        assert ledger.all_issued() == []


def test_the_command_asks_for_the_units_own_passphrases(tmp_path, smtp_server, pki, images, monkeypatch, capsys):
    """`reportgen issue --unit hoanh-mo` asks for the passphrases of the commune's keys (not the folder's) and
    signs with them."""
    chairman = person_p12(pki, "Hoàng Văn B", tmp_path / "chu-tich.p12", "chu-tich-2023")
    office = person_p12(pki, "Ủy ban nhân dân xã Hoành Mô", tmp_path / "ubnd-xa.p12", COMMUNE_PASSPHRASE)
    extra = sign_table(pki, images) + commune("hoanh-mo", "xã Hoành Mô", "Hoàng Văn B", "hoanhmo@example.vn",
                                              tmp_path / "chu-tich.p12", tmp_path / "ubnd-xa.p12", images)
    root = make_folder(tmp_path / "vp", smtp_server, approval=True, review_to=(REVIEWER,), extra=extra)
    write_month(root, "2023-06", unit="hoanh-mo")
    run_at(root, "2023-06-20T07:00")
    answers = iter(["chu-tich-2023", COMMUNE_PASSPHRASE])
    asked = []

    def prompt(text, hide_input=False, err=False, **_):
        asked.append((text, hide_input))
        return next(answers)

    monkeypatch.setattr("click.prompt", prompt)
    status = cli(["-C", str(root), "issue", "2023-06", "--unit", "hoanh-mo", "--approve-as", "Hoàng Văn B",
                  "--now", "2023-06-21T09:00"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert asked == [("Nhập mật khẩu tệp .p12 của người ký (không hiện khi gõ)", True),
                     ("Nhập mật khẩu tệp .p12 của cơ quan (không hiện khi gõ)", True)]
    assert "  Chữ ký số: Hoàng Văn B (PAdES B-B)" in out
    assert "  Chữ ký số: Ủy ban nhân dân xã Hoành Mô (PAdES B-B)" in out
    signed = root / "outputs/hoanh-mo/2023-06/bao-cao-2023-06-lan-1-so-01-2023.pdf"
    assert signer_certificates(signed) == [chairman.cert_der, office.cert_der]
