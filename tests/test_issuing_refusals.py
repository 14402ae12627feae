"""Every bad input of ``reportgen approve`` / ``issue`` / ``register``: the exact Vietnamese message and exit
status, the ledger and the register unchanged, the number not consumed, no file (half-signed or not) left.

Each case runs the command line on a copy of one working folder whose June draft is built (and, for most,
approved); the keys, token and images are the real ones of the signing tests.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from pki import OFFICE_P12_PASSPHRASE, P12_PASSPHRASE
from pkcs11_token import SIGNER_KEY, SIGNER_PIN, SIGNER_TOKEN, lockout_module
from run_helpers import make_folder, run_at
from stamp_images import signature_png
from reportgen import api
from reportgen.cli.app import run as cli
from reportgen.core.periods import Period
from reportgen.issuance import Secrets

pytest_plugins = ("signing_fixtures",)

SIGNER = "Nguyễn Văn A"
NOW = "2023-06-21T09:00"


def sign_toml(signer: str, office: str = "") -> str:
    return "\n[sign]\n" + signer + ("\n[sign.office]\n" + office if office else "")


def p12_toml(pki, images, p12: Path | None = None) -> str:
    return sign_toml(f'method = "pkcs12"\np12 = "{p12 or pki.signer_p12}"\nsignature_image = "{images.signature}"\n'
                     f'seal_image = "{images.seal}"\n', f'method = "pkcs12"\np12 = "{pki.office_p12}"\n')


@pytest.fixture(scope="module")
def drafted(tmp_path_factory, pki, images) -> Path:
    """A folder with June's draft built (no mail server: mail goes to outputs/outbox/)."""
    root = make_folder(tmp_path_factory.mktemp("drafted") / "vp", approval=True, extra=p12_toml(pki, images))
    run_at(root, "2023-06-20T07:00")
    return root


@pytest.fixture
def folder(drafted, tmp_path) -> Path:
    root = tmp_path / "vp"
    shutil.copytree(drafted, root)
    return root


@pytest.fixture
def approved(folder) -> Path:
    api.approve(api.open_folder(folder), Period.parse("2023-06"), by=SIGNER, now=datetime(2023, 6, 21, 8))
    return folder


def state(root: Path) -> tuple:
    """What must not change: the approvals, the register, the messages, every file under outputs/."""
    db = sqlite3.connect(root / "reportgen.db")
    tables = tuple(tuple(db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall())
                   for t in ("approvals", "issued", "messages"))
    db.close()
    files = sorted(str(p.relative_to(root)) for p in (root / "outputs").rglob("*") if "receipts" not in p.parts)
    return tables, files


def issue(capsys, root: Path, *args: str, env: dict | None = None, monkeypatch=None) -> tuple[int, str]:
    status = cli(["-C", str(root), "issue", "2023-06", "--now", NOW, "--pin-env", "PIN", "--office-pin-env",
                  "OFFICE_PIN", *args])
    captured = capsys.readouterr()
    return status, captured.err + captured.out


@pytest.fixture
def pins(monkeypatch):
    monkeypatch.setenv("PIN", P12_PASSPHRASE)
    monkeypatch.setenv("OFFICE_PIN", OFFICE_P12_PASSPHRASE)
    return monkeypatch


def refused(capsys, root: Path, *args: str) -> tuple[int, str]:
    """Issue with ``args``; the ledger, the register and the files unchanged."""
    before = state(root)
    status, text = issue(capsys, root, *args)
    assert state(root) == before
    return status, text.strip()


def then_issued_as_01(capsys, root: Path) -> None:
    """The number was not consumed: the next issue that works takes 01."""
    status, text = issue(capsys, root, "--approve-as", SIGNER)
    assert status == 0, text
    assert "Đã ban hành Báo cáo số 01/BC-UBND ngày 21/6/2023" in text


def test_an_issue_without_approval(capsys, folder, pins):
    status, text = refused(capsys, folder)
    assert status == 2
    assert text == ('Lỗi: Bản 1 của báo cáo tháng 6 năm 2023 chưa được duyệt: người ký duyệt bằng «reportgen approve '
                    '2023-06 --by "Họ tên"», rồi ban hành; hoặc, khi chính người ký ban hành, thêm --approve-as '
                    '"Họ tên" để duyệt và ban hành một lần.')
    then_issued_as_01(capsys, folder)


def test_a_number_already_used(capsys, approved, pins):
    assert issue(capsys, approved)[0] == 0
    # A correction of June, approved: asking for number 01 again is refused.
    from run_helpers import write_month

    write_month(approved, "2023-06", value="9999")
    run_at(approved, "2023-06-21T10:00")
    api.approve(api.open_folder(approved), Period.parse("2023-06"), by=SIGNER, now=datetime(2023, 6, 21, 10, 30))
    status, text = refused(capsys, approved, "--number", "1")
    assert status == 2
    assert text == ("Lỗi: Số 01/BC-UBND năm 2023 đã cấp cho báo cáo kỳ 2023-06 ngày 21/6/2023; mỗi số chỉ cấp một "
                    "lần trong năm. Bỏ --number để lấy số tiếp theo (02/BC-UBND), hoặc ghi một số chưa cấp (xem "
                    "«reportgen register 2023»).")


def test_a_date_before_the_approval(capsys, approved, pins):
    status, text = refused(capsys, approved, "--date", "2023-06-20")
    assert status == 2
    assert text == ("Lỗi: Ngày ban hành 20/6/2023 trước ngày duyệt bản thảo (21/6/2023): văn bản chỉ ban hành sau "
                    "khi được duyệt. Ghi --date từ 21/6/2023 trở đi, hoặc bỏ --date.")
    then_issued_as_01(capsys, approved)


def test_a_date_in_another_year_than_the_register(capsys, approved, pins):
    status, text = refused(capsys, approved, "--date", "2022-12-30")
    assert status == 2
    assert text == ("Lỗi: Ngày ban hành 30/12/2022 không thuộc năm 2023: số văn bản lấy từ sổ đăng ký văn bản đi của "
                    "năm 2023 (đánh số lại từ 01 mỗi ngày 01 tháng 01). Bỏ --date để lấy ngày hôm nay, hoặc ghi một "
                    "ngày của năm 2023.")


def test_a_signature_image_that_is_not_transparent(capsys, approved, pins, tmp_path):
    opaque = signature_png(tmp_path / "chu-ky-nen-trang.png", background=(255, 255, 255, 255))
    config = approved / "reportgen.toml"
    text = config.read_text(encoding="utf-8")
    start = text.index('signature_image = "')
    end = text.index("\n", start)
    config.write_text(text[:start] + f'signature_image = "{opaque}"' + text[end:], encoding="utf-8")
    status, message = refused(capsys, approved)
    assert status == 4
    assert message == (f"Lỗi: Cấu hình {config}, mục [sign], khóa «signature_image»: ảnh chữ ký «{opaque}» không có "
                       "nền trong suốt (Nghị định 30, Phụ lục I). Xóa nền bằng phần mềm sửa ảnh (nền trong suốt, không "
                       "phải nền trắng) rồi lưu lại dạng PNG.")


def test_a_p12_with_the_wrong_passphrase(capsys, approved, pins):
    pins.setenv("PIN", "sai-mat-khau")
    status, text = refused(capsys, approved)
    assert status == 1
    assert text == ("Lỗi: Sai mật khẩu của tệp khóa «nguoi-ky.p12» (người ký). Nhập lại đúng mật khẩu (phân biệt chữ "
                    "hoa, chữ thường).")
    pins.setenv("PIN", P12_PASSPHRASE)
    then_issued_as_01(capsys, approved)


def test_the_office_passphrase_wrong_leaves_no_half_signed_file(capsys, approved, pins):
    """The signer's signature is made, then the office's fails: no file with one signature is left."""
    pins.setenv("OFFICE_PIN", "sai")
    status, text = refused(capsys, approved)
    assert status == 1 and "(cơ quan)" in text


def token_folder(root: Path, module: Path, images) -> None:
    config = root / "reportgen.toml"
    text = config.read_text(encoding="utf-8")
    text = text[: text.index("\n[sign]\n")] + sign_toml(
        f'method = "pkcs11"\npkcs11_module = "{module}"\nkey_label = "{SIGNER_KEY}"\n'
        f'signature_image = "{images.signature}"\n')
    config.write_text(text, encoding="utf-8")


def test_a_token_absent(capsys, approved, pins, tokens, images):
    pins.setenv("SOFTHSM2_CONF", str(tokens.empty_conf))
    pins.setenv("PIN", SIGNER_PIN)
    token_folder(approved, tokens.module, images)
    status, text = refused(capsys, approved)
    assert status == 1
    assert text == (f"Lỗi: Không thấy token chữ ký số của người ký: cắm token vào máy rồi ký lại. (Thư viện "
                    f"«{tokens.module}» đã nạp được nhưng không có token nào sẵn sàng.)")
    # Plugged in: the same command signs with the token, number 01.
    pins.setenv("SOFTHSM2_CONF", str(tokens.conf))
    then_issued_as_01(capsys, approved)


def test_a_pin_locked(capsys, approved, pins, softhsm, images, tmp_path):
    module = lockout_module(tmp_path)
    pins.setenv("REPORTGEN_TEST_P11_REAL", str(softhsm.module))
    pins.setenv("REPORTGEN_TEST_P11_TRIES", str(tmp_path / "tries"))
    token_folder(approved, module, images)
    pins.setenv("PIN", "111111")
    for _ in range(3):
        assert refused(capsys, approved)[1].startswith(f"Lỗi: Sai mã PIN của token (người ký, token «{SIGNER_TOKEN}»)")
    pins.setenv("PIN", SIGNER_PIN)
    status, text = refused(capsys, approved)
    assert status == 1
    assert text == ("Lỗi: Mã PIN của token (người ký) đã bị khóa do nhập sai nhiều lần. Liên hệ nhà cung cấp chứng "
                    "thư số (hoặc người quản lý token) để mở khóa; reportgen không thử thêm để tránh khóa hẳn token.")


def test_an_approval_without_a_name_and_of_a_period_without_a_report(capsys, folder):
    assert cli(["-C", str(folder), "approve", "2023-06", "--by", "  "]) == 2
    assert capsys.readouterr().err.strip() == 'Lỗi: Cần họ tên người duyệt (người ký báo cáo): --by "Nguyễn Văn A".'
    assert cli(["-C", str(folder), "approve", "2023-05", "--by", SIGNER]) == 2
    assert capsys.readouterr().err.strip() == ("Lỗi: Chưa có báo cáo tháng 5 năm 2023: đặt tệp số liệu "
                                               "inputs/2023-05.xlsx rồi chạy «reportgen run» để lập dự thảo.")


def test_a_workbook_changed_after_approval_needs_approval_again(capsys, approved, pins):
    from run_helpers import write_month

    write_month(approved, "2023-06", value="8888")
    result = run_at(approved, "2023-06-21T08:30")
    assert "Số liệu đã đổi sau khi bản 1 được duyệt, nên cần duyệt lại." in result.receipt
    status, text = refused(capsys, approved)
    assert status == 2 and text.startswith("Lỗi: Bản 2 của báo cáo tháng 6 năm 2023 chưa được duyệt")


def test_an_empty_register(capsys, folder):
    assert cli(["-C", str(folder), "register", "2023"]) == 2
    assert capsys.readouterr().err.strip() == ("Lỗi: Sổ đăng ký văn bản đi năm 2023 chưa có văn bản nào: báo cáo vào "
                                               "sổ khi được ban hành («reportgen issue KỲ»).")


def test_the_pin_prompt_hides_what_is_typed_and_nothing_keeps_it(approved, monkeypatch, capsys):
    """Without --pin-env the passphrases are asked for on the terminal, and are in no file afterwards."""
    answers = iter([P12_PASSPHRASE, OFFICE_P12_PASSPHRASE])
    asked = []

    def prompt(text, hide_input=False, err=False, **_):
        asked.append((text, hide_input))
        return next(answers)

    monkeypatch.setattr("click.prompt", prompt)
    assert cli(["-C", str(approved), "issue", "2023-06", "--now", NOW]) == 0
    assert asked == [("Nhập mật khẩu tệp .p12 của người ký (không hiện khi gõ)", True),
                     ("Nhập mật khẩu tệp .p12 của cơ quan (không hiện khi gõ)", True)]
    for path in approved.rglob("*"):
        if path.is_file() and path.suffix not in (".pdf", ".docx", ".xlsx", ".png"):
            data = path.read_bytes()
            assert P12_PASSPHRASE.encode() not in data and OFFICE_P12_PASSPHRASE.encode() not in data, path


def test_status_lists_every_revision_with_its_hash_its_approval_and_its_issue(capsys, approved, pins):
    from run_helpers import write_month

    assert issue(capsys, approved)[0] == 0
    write_month(approved, "2023-06", value="9999")
    run_at(approved, "2023-06-21T10:00")
    assert cli(["-C", str(approved), "issue", "2023-06", "--now", "2023-06-21T11:00", "--pin-env", "PIN",
                "--office-pin-env", "OFFICE_PIN", "--approve-as", SIGNER]) == 0
    capsys.readouterr()
    assert cli(["-C", str(approved), "status"]) == 0
    out = capsys.readouterr().out
    history = api.history(api.open_folder(approved))
    first, second = history.reports
    for record in (first, second):
        assert f"2023-06 lần {record.revision}  {record.files['pdf']['path']}" in out
        assert f"SHA-256 {record.files['pdf']['sha256']}" in out
    assert "đã duyệt: Nguyễn Văn A, lúc 2023-06-21T08:00:00" in out
    assert "ban hành: Báo cáo số 01/BC-UBND ngày 21/6/2023  outputs/2023-06/bao-cao-2023-06-lan-1-so-01-2023.pdf" in out
    assert ("ban hành: Báo cáo số 02/BC-UBND ngày 21/6/2023, thay thế Báo cáo số 01/BC-UBND ngày 21/6/2023  "
            "outputs/2023-06/bao-cao-2023-06-lan-2-so-02-2023.pdf") in out
    signed = history.issued[1].files["pdf"]
    assert f"SHA-256 (đã ký) {signed['sha256']}" in out
    assert (approved / signed["path"]).is_file() and (approved / history.issued[0].files["pdf"]["path"]).is_file()


def test_no_pin_is_asked_for_a_report_that_cannot_be_issued(folder, monkeypatch, capsys):
    def prompt(*_args, **_kwargs):
        raise AssertionError("the PIN was asked for")

    monkeypatch.setattr("click.prompt", prompt)
    assert cli(["-C", str(folder), "issue", "2023-06", "--now", NOW]) == 2
    assert "chưa được duyệt" in capsys.readouterr().err


def test_an_expired_certificate(capsys, approved, pins, pki):
    config = approved / "reportgen.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(str(pki.signer_p12), str(pki.expired_p12), 1),
                      encoding="utf-8")
    status, text = refused(capsys, approved)
    not_after = pki.expired.cert.not_valid_after_utc.strftime("%d/%m/%Y")
    assert status == 1
    assert text == (f"Lỗi: Chứng thư số của người ký (Trần Thị B) đã hết hạn ngày {not_after}. Gia hạn chứng thư số "
                    "với nhà cung cấp (hoặc dùng chứng thư mới), rồi ký lại.")


def test_a_missing_signature_image(capsys, approved, pins, images):
    config = approved / "reportgen.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(str(images.signature), "ky-so/chu-ky.png", 1),
                      encoding="utf-8")
    status, text = refused(capsys, approved)
    assert status == 4
    assert text == (f"Lỗi: Cấu hình {config}, mục [sign], khóa «signature_image»: không tìm thấy tệp ảnh chữ ký "
                    f"«{approved / 'ky-so/chu-ky.png'}». Kiểm tra đường dẫn (đường dẫn tương đối tính từ thư mục làm "
                    "việc).")


def test_an_issued_revision_is_not_issued_again(capsys, approved, pins):
    assert issue(capsys, approved)[0] == 0
    status, text = refused(capsys, approved)
    assert status == 2
    assert text == ("Lỗi: Bản 1 của báo cáo tháng 6 năm 2023 đã ban hành: Báo cáo số 01/BC-UBND ngày 21/6/2023. Để "
                    "sửa sau khi ban hành, sửa tệp số liệu, thả lại vào inputs/ và chạy «reportgen run»: bản mới là dự "
                    "thảo, khi ban hành có số mới và ghi thay thế Báo cáo số 01/BC-UBND.")


def test_a_workbook_changed_since_its_draft_is_not_issued_from(capsys, approved, pins):
    """The workbook saved again with other figures, before any run has made a new draft of it."""
    from run_helpers import write_month

    write_month(approved, "2023-06", value="7777")
    status, text = refused(capsys, approved)
    assert status == 2
    assert text == ("Lỗi: Tệp số liệu inputs/2023-06.xlsx đã thay đổi từ khi lập bản 1: bản ban hành phải lập từ "
                    "đúng số liệu đã duyệt. Chạy «reportgen run» để lập dự thảo mới từ tệp hiện có, duyệt lại rồi "
                    "ban hành.")


def test_sending_by_hand_after_issue_sends_the_signed_report(capsys, approved, pins):
    from email import policy
    from email.parser import BytesParser

    assert issue(capsys, approved)[0] == 0
    before = set((approved / "outputs" / "outbox").rglob("*.eml"))
    assert cli(["-C", str(approved), "send", "2023-06", "--to", "thanhtra@example.vn", "--now", NOW]) == 0
    [eml] = set((approved / "outputs" / "outbox").rglob("*.eml")) - before
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    assert "Báo cáo số 01/BC-UBND" in str(message["Subject"]) and "DỰ THẢO" not in str(message["Subject"])
    [pdf] = [part for part in message.iter_attachments() if part.get_filename().endswith(".pdf")]
    signed = approved / "outputs" / "2023-06" / "bao-cao-2023-06-lan-1-so-01-2023.pdf"
    assert pdf.get_content() == signed.read_bytes()


def test_sending_a_draft_by_hand_marks_it_a_draft(capsys, approved):
    from email import policy
    from email.parser import BytesParser

    before = set((approved / "outputs" / "outbox").rglob("*.eml"))
    assert cli(["-C", str(approved), "send", "2023-06", "--to", "lanhdao@example.vn", "--now", NOW]) == 0
    [eml] = set((approved / "outputs" / "outbox").rglob("*.eml")) - before
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    assert str(message["Subject"]).startswith("[DỰ THẢO] ")
