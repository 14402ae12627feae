"""The office's whole year with approval and issuing, against the tests' real SMTP server and real keys (.p12 files,
and two SoftHSM2 tokens reached through PKCS#11 as a vendor's token is).

due day → the draft to the reviewers only; approve; issue → the signed PDF numbered 01 to the recipients;
a second report → 02; a correction → 03 replacing 01; a new year → 01.  The signed files are checked by
pyHanko's validator and by poppler's pdfsig; the signed page is rendered and the blue signature and the red
seal found where Phụ lục I puts them.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from pki import OFFICE_P12_PASSPHRASE, P12_PASSPHRASE
from run_helpers import RECIPIENTS, make_folder, run_at, write_month
from signed_pages import coloured_box, find_line, is_blue, is_red, render
from smtp_fixtures import *  # noqa: F401,F403  (pytest fixtures)
from reportgen import api
from reportgen.core.periods import Period
from reportgen.issuance import Secrets, verify_pdf

pytest_plugins = ("signing_fixtures",)

REVIEWER = "truongphong@example.vn"
SIGNER = "Nguyễn Văn A"


def sign_table(pki, images, office: bool = True) -> str:
    text = (f'\n[sign]\nmethod = "pkcs12"\np12 = "{pki.signer_p12}"\nsignature_image = "{images.signature}"\n'
            f'trust_roots = ["{pki.ca_pem}"]\n')
    if office:
        text += f'seal_image = "{images.seal}"\n\n[sign.office]\nmethod = "pkcs12"\np12 = "{pki.office_p12}"\n'
    return text


def secrets() -> Secrets:
    return Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def inbox(server, address: str) -> list:
    return [m for m in server.messages if address in m.rcpt_tos]


def token_table(module: Path, images, trust: Path) -> str:
    from pkcs11_token import OFFICE_KEY, SIGNER_KEY

    return (f'\n[sign]\nmethod = "pkcs11"\npkcs11_module = "{module}"\nkey_label = "{SIGNER_KEY}"\n'
            f'signature_image = "{images.signature}"\nseal_image = "{images.seal}"\ntrust_roots = ["{trust}"]\n'
            f'\n[sign.office]\nmethod = "pkcs11"\npkcs11_module = "{module}"\nkey_label = "{OFFICE_KEY}"\n')


@pytest.fixture(params=["pkcs12", "pkcs11"])
def office(request, tmp_path, smtp_server, pki, images, tokens, monkeypatch):
    """The office's folder, its keys in .p12 files or on two USB tokens (SoftHSM2), and their secrets."""
    if request.param == "pkcs12":
        extra, keys = sign_table(pki, images), secrets()
    else:
        from pkcs11_token import OFFICE_PIN, SIGNER_PIN

        monkeypatch.setenv("SOFTHSM2_CONF", str(tokens.conf))
        extra, keys = token_table(tokens.module, images, pki.ca_pem), Secrets(SIGNER_PIN, OFFICE_PIN)
    root = make_folder(tmp_path / "vp", smtp_server, approval=True, review_to=(REVIEWER,), extra=extra)
    return root, keys


def test_the_whole_year_of_an_office(office, smtp_server, tmp_path):
    root, keys = office
    secrets = lambda: keys  # noqa: E731 - the same name as the module's, for the p12 and the token runs alike
    folder = api.open_folder(root)
    june = Period.parse("2023-06")

    # The due day: the draft goes to the reviewer only, marked; nothing to the recipients.
    result = run_at(root, "2023-06-20T07:00")
    assert "chờ duyệt" in result.receipt and 'reportgen approve 2023-06 --by "Họ tên"' in result.receipt
    [draft_mail] = smtp_server.messages
    assert draft_mail.rcpt_tos == (REVIEWER,)
    assert str(draft_mail.message["Subject"]).startswith("[DỰ THẢO] ")
    [(name, data)] = [a for a in draft_mail.attachments() if a[0].endswith(".pdf")]
    assert name.startswith("Dự thảo - ")
    draft_pdf = tmp_path / "draft.pdf"
    draft_pdf.write_bytes(data)
    first_page = PdfReader(draft_pdf).pages[0].extract_text()
    assert "DỰ THẢO" in first_page and "Số:" in first_page
    assert [api.period_states(folder)[i].state for i in range(len(api.period_states(folder)))
            if api.period_states(folder)[i].period_code == "2023-06"] == ["du_thao"]

    # Not approved: refused, nothing numbered.
    with pytest.raises(api_errors().IssueRefused, match="chưa được duyệt"):
        api.issue(folder, june, secrets=secrets(), now=datetime(2023, 6, 21, 9))

    approval = api.approve(folder, june, by=SIGNER, now=datetime(2023, 6, 21, 8))
    assert (approval.revision, approval.by) == (1, SIGNER)
    assert approval.content_hash == api.history(folder).reports[0].files["pdf"]["sha256"]
    state = next(s for s in api.period_states(folder) if s.period_code == "2023-06")
    assert (state.state, state.next_action) == ("da_duyet", "cap_so")

    issued = api.issue(folder, june, secrets=secrets(), now=datetime(2023, 6, 21, 9))
    assert (issued.number, issued.symbol, issued.on, issued.replaces) == (1, "01/BC-UBND", date(2023, 6, 21), None)
    assert [s.role for s in issued.signatures] == ["signer", "office"]
    text = pdf_text(issued.pdf)
    assert "Số: 01/BC-UBND" in text and "Bình Liêu, ngày 21 tháng 6 năm 2023" in text and "DỰ THẢO" not in text
    to_recipients = [m for m in smtp_server.messages if set(m.rcpt_tos) & set(RECIPIENTS)]
    assert sorted(r for m in to_recipients for r in m.rcpt_tos) == sorted(RECIPIENTS)
    subject = str(to_recipients[0].message["Subject"])
    assert "Báo cáo số 01/BC-UBND" in subject and "DỰ THẢO" not in subject
    [(_, sent_pdf)] = [a for a in to_recipients[0].attachments() if a[0].endswith(".pdf")]
    assert sent_pdf == issued.pdf.read_bytes()
    state = next(s for s in api.period_states(folder) if s.period_code == "2023-06")
    assert state.state == "da_gui"

    # Two independent validators.
    reports = verify_pdf(issued.pdf, (Path(folder.config.sign.trust_roots[0]),))
    assert [r.intact for r in reports] == [True, True] and all(r.trusted for r in reports)
    checked = subprocess.run(["pdfsig", str(issued.pdf)], capture_output=True, text=True)
    assert checked.stdout.count("Signature Validation: Signature is Valid.") == 2, checked.stdout

    # The images where Phụ lục I puts them: blue between title and name, red over its left third.
    page = issued.signatures[0].page
    image = render(issued.pdf, page, tmp_path)
    blue = coloured_box(image, is_blue)
    red = coloured_box(image, is_red)
    title = find_line(issued.pdf, page, "PHÓ CHỦ TỊCH")
    name = find_line(issued.pdf, page, SIGNER)
    assert blue is not None and red is not None
    assert title.y1 < blue[1] + 20 and blue[3] < name.y0 + 20
    assert red[0] < blue[0] and abs(red[2] - (blue[0] + (blue[2] - blue[0]) / 3)) < 6  # over its left third

    # The unsigned issued PDF is reproducible: issuing the same revision again renders the same bytes.
    unsigned = issued.unsigned_pdf.read_bytes()
    assert not PdfReader(issued.unsigned_pdf).trailer["/Root"].get("/AcroForm")

    # A second report: number 02.
    write_month(root, "2023-07")
    run_at(root, "2023-07-20T07:00")
    second = api.issue(folder, Period.parse("2023-07"), approve_as=SIGNER, secrets=secrets(),
                       now=datetime(2023, 7, 20, 10))
    assert second.symbol == "02/BC-UBND"

    # A correction of June after issue: a new draft; issued, it is 03 and replaces 01.
    write_month(root, "2023-06", value="9999")
    corrected_run = run_at(root, "2023-07-21T07:00")
    assert "Bản này sửa Báo cáo số 01/BC-UBND" in corrected_run.receipt
    correction = api.issue(folder, june, approve_as=SIGNER, secrets=secrets(), now=datetime(2023, 7, 21, 10))
    assert (correction.symbol, correction.replaces) == ("03/BC-UBND", "01/BC-UBND ngày 21/6/2023")
    assert "(Thay thế Báo cáo số 01/BC-UBND ngày 21/6/2023 của Ủy ban nhân dân huyện Bình Liêu)" in " ".join(
        pdf_text(correction.pdf).split())
    mails = [m for m in smtp_server.messages if "03/BC-UBND" in str(m.message["Subject"])]
    assert mails and "thay thế Báo cáo số 01/BC-UBND" in str(mails[0].message["Subject"])
    assert issued.pdf.is_file() and issued.unsigned_pdf.read_bytes() == unsigned, "nothing sent is overwritten"

    # A new year: numbers start again at 01.
    write_month(root, "2023-12")
    run_at(root, "2024-01-02T07:00")
    new_year = api.issue(folder, Period.parse("2023-12"), approve_as=SIGNER, secrets=secrets(),
                         now=datetime(2024, 1, 3, 9))
    assert new_year.symbol == "01/BC-UBND" and new_year.on == date(2024, 1, 3)

    # The register of 2023, as Phụ lục IV.
    files = api.register(folder, 2023)
    assert files.count == 3
    register_text = pdf_text(files.pdf)
    assert "01/BC-UBND" in register_text and "03/BC-UBND" in register_text
    rows = list(load_workbook(files.xlsx)["Văn bản đi"].iter_rows(values_only=True))[2:]
    assert [(r[0], r[1], r[3], r[9]) for r in rows] == [
        ("01/BC-UBND", "21/06/2023", SIGNER, None),
        ("02/BC-UBND", "20/07/2023", SIGNER, None),
        ("03/BC-UBND", "21/07/2023", SIGNER, "Thay thế Báo cáo số 01/BC-UBND ngày 21/6/2023"),
    ]


def api_errors():
    from reportgen.issuance import signing_errors

    return signing_errors


def test_pdftoppm_is_there():
    assert shutil.which("pdftoppm") and shutil.which("pdfsig")


def test_issued_with_two_usb_tokens_and_checked_by_pdfsig(tmp_path, smtp_server, softhsm, images, capsys,
                                                          monkeypatch):
    """The signer's and the office's keys on SoftHSM2 tokens, reached through the PKCS#11 module as a vendor's
    token is; the PINs from the environment; the command line end to end."""
    from pkcs11_token import OFFICE_KEY, OFFICE_PIN, SIGNER_KEY, SIGNER_PIN
    from reportgen.cli.app import run as cli

    token = (f'\n[sign]\nmethod = "pkcs11"\npkcs11_module = "{softhsm.module}"\nkey_label = "{SIGNER_KEY}"\n'
             f'signature_image = "{images.signature}"\nseal_image = "{images.seal}"\n'
             f'\n[sign.office]\nmethod = "pkcs11"\npkcs11_module = "{softhsm.module}"\nkey_label = "{OFFICE_KEY}"\n')
    root = make_folder(tmp_path / "vp", smtp_server, approval=True, extra=token)
    run_at(root, "2023-06-20T07:00")
    assert cli(["-C", str(root), "approve", "2023-06", "--by", SIGNER, "--now", "2023-06-21T08:00"]) == 0
    assert "Đã duyệt báo cáo tháng 6 năm 2023 (bản 1): Nguyễn Văn A, lúc 08:00 ngày 21/6/2023" in capsys.readouterr().out
    monkeypatch.setenv("PIN_NGUOI_KY", SIGNER_PIN)
    monkeypatch.setenv("PIN_VAN_THU", OFFICE_PIN)
    status = cli(["-C", str(root), "issue", "2023-06", "--now", "2023-06-22T09:00", "--date", "2023-06-22",
                  "--pin-env", "PIN_NGUOI_KY", "--office-pin-env", "PIN_VAN_THU"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "Đã ban hành Báo cáo số 01/BC-UBND ngày 22/6/2023 (kỳ tháng 6 năm 2023)." in out
    signed = root / "outputs" / "2023-06" / "bao-cao-2023-06-lan-1-so-01-2023.pdf"
    assert f"Tệp đã ký: {signed}" in out or "Tệp đã ký: " in out
    checked = subprocess.run(["pdfsig", str(signed)], capture_output=True, text=True)
    assert checked.stdout.count("Signature Validation: Signature is Valid.") == 2, checked.stdout
    assert "Signer Certificate Common Name: Nguyễn Văn A" in checked.stdout
    assert "Signer Certificate Common Name: Ủy ban nhân dân huyện Bình Liêu" in checked.stdout
    assert sorted(r for m in smtp_server.messages if "01/BC-UBND" in str(m.message["Subject"]) for r in m.rcpt_tos) \
        == sorted(RECIPIENTS)


def test_the_overview_starts_where_the_office_started(tmp_path, smtp_server):
    """A folder set up in December lists November's report as waiting, not the eleven months before it; once it
    has run, every month due since its first run."""
    root = make_folder(tmp_path / "vp", smtp_server, approval=True)
    (root / "inputs" / "2023-06.xlsx").unlink()
    folder = api.open_folder(root)
    december = datetime(2023, 12, 3, 9)
    assert [(s.period_code, s.state) for s in api.period_states(folder, now=december)] == [
        ("2023-11", "chua_co_so_lieu")]
    run_at(root, "2023-12-03T09:00")
    assert [s.period_code for s in api.period_states(folder, now=datetime(2024, 2, 21, 9))] == ["2024-01", "2024-02"]
    assert [s.period_code for s in api.period_states(folder, now=datetime(2023, 12, 21, 9))] == ["2023-11", "2023-12"]


def test_each_period_s_state_and_next_action(tmp_path, smtp_server_factory, pki, images):
    server = smtp_server_factory(start=False)  # down: the issued report's mail waits in the queue
    root = make_folder(tmp_path / "vp", server, approval=True, extra=sign_table(pki, images, office=False))
    folder = api.open_folder(root)
    at = datetime(2023, 8, 25, 9)

    def states() -> dict:
        return {s.period_code: (s.state, s.next_action, s.revision)
                for s in api.period_states(folder, now=at) if s.period_code.startswith("2023-")}

    run_at(root, "2023-06-20T07:00")
    (root / "inputs" / "2023-07.xlsx").write_bytes(b"not a workbook")
    run_at(root, "2023-07-20T07:00")
    # January to May were due before the folder's first run: not reportgen's to make, not listed as missing.
    assert states() == {"2023-06": ("du_thao", "duyet", 1), "2023-07": ("so_lieu_loi", "sua_so_lieu", None),
                        "2023-08": ("chua_co_so_lieu", "nop_so_lieu", None)}
    api.approve(folder, Period.parse("2023-06"), by=SIGNER, now=datetime(2023, 8, 25, 8))
    assert states()["2023-06"] == ("da_duyet", "cap_so", 1)
    api.issue(folder, Period.parse("2023-06"), secrets=Secrets(P12_PASSPHRASE), now=at)
    assert states()["2023-06"] == ("da_ban_hanh", None, 1)
    server.start()
    run_at(root, "2023-08-25T10:00")
    assert states()["2023-06"] == ("da_gui", None, 1)
    [june] = [s for s in api.period_states(folder, now=at) if s.period_code == "2023-06"]
    assert (june.unit, june.unit_name, june.period_title, june.label) == (
        "", "Ủy ban nhân dân huyện Bình Liêu", "tháng 6 năm 2023", "đã gửi")
    assert june.due == datetime(2023, 6, 20, 7, 0)
