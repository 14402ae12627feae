"""The first real months of an office, played as a new user plays them (issue 12, "How it is checked").

UBND xã Hoành Mô sets up a working folder with ``reportgen init`` (the example left in ``inputs/``),
points ``[mail]`` at a mail server (the tests' aiosmtpd on loopback), and reports July to December 2023
with ``--now``: workbooks made by ``reportgen new``, filled by a script as staff type them and re-saved
by LibreOffice, an unchanged re-save, a corrected workbook, a misnamed file and an .xls, a preview of a
template change, a mail server down on a due day, and, in the end, three communes in one folder.  Every
step goes through the command line; the mailbox and every receipt are read back.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reportgen.cli.app import run as cli_run
from reportgen.delivery.ledger import Ledger
from reportgen.domain.plan import example_book

from run_helpers import UNITS_TOML
from smtp_fixtures import *  # noqa: F401,F403 - pytest fixtures

STAFF = "vanphong@hoanhmo.example.vn"
LEADERS = ("chutich@hoanhmo.example.vn", "vanphong.tinh@example.vn")
HEADERS = {"baseline": "Đầu năm", "month_value": "Thực hiện tháng", "value": "Lũy kế",
           "same_period": "Cùng kỳ năm trước", "growth": "Tốc độ tăng (%)"}
HOANH_MO = """
[unit]
agency = ["ỦY BAN NHÂN DÂN", "XÃ HOÀNH MÔ"]
name = "Ủy ban nhân dân xã Hoành Mô"
short_name = "UBND xã Hoành Mô"
place = "Hoành Mô"
area = "xã"
doc_symbol = "BC-UBND"
archive = "VT"
"""


def cli(*argv: str) -> int:
    return cli_run([str(a) for a in argv])


def receipt(root: Path, when: str) -> str:
    stamp = when.replace("-", "").replace(":", "").replace("T", "-") + "00"
    return (root / "outputs" / "receipts" / f"bien-nhan-{stamp}.txt").read_text(encoding="utf-8")


def fill(workbook: Path, scale: Decimal = Decimal(1), **changes: Decimal) -> None:
    """Type the month's figures into a workbook made by ``reportgen new``, by column header, as staff do:
    the example's figures (flows times ``scale``, as the year goes on), then ``changes`` (code → Lũy kế)."""
    figures = {row["code"]: row for row in example_book().indicators}
    book = load_workbook(workbook)
    sheet = book["Chỉ tiêu"]
    header = next(row for row in sheet.iter_rows(min_row=1, max_row=10) if row[0].value == "Mã")
    columns = {cell.value: cell.column for cell in header}
    for row in sheet.iter_rows(min_row=header[0].row + 1):
        code = row[0].value
        if code not in figures:
            continue
        for key, title in HEADERS.items():
            value = figures[code].get(key)
            if key == "value" and code in changes:
                value = changes[code]
            if value is not None:
                flow = figures[code]["kind"] == "Lũy kế" and key in ("month_value", "value")
                number = value * scale if flow and code not in changes else value
                sheet.cell(row=row[0].row, column=columns[title]).value = float(number)
        if figures[code].get("estimated"):
            sheet.cell(row=row[0].row, column=columns["Ước tính"]).value = "x"
    book.save(workbook)


def resave_with_libreoffice(workbook: Path, scratch: Path) -> None:
    """Open and save in LibreOffice Calc, as an office without Excel does (when soffice is installed)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return
    out = scratch / "lo"
    subprocess.run([soffice, f"-env:UserInstallation=file://{scratch / 'profile'}", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(workbook)],
                   check=True, capture_output=True, timeout=180)
    shutil.copy(out / workbook.name, workbook)
    with zipfile.ZipFile(workbook) as saved:
        assert b"LibreOffice" in saved.read("docProps/app.xml")


@pytest.fixture
def office(tmp_path, smtp_server):
    root = tmp_path / "bao-cao-hoanh-mo"
    assert cli("init", root) == 0
    config = root / "reportgen.toml"
    text = config.read_text(encoding="utf-8")
    unit_table = text[text.index("[unit]"):text.index("[signer]")]
    text = text.replace(unit_table, HOANH_MO.lstrip() + "\n")
    # The month without an approval step (the report goes to the leaders on its due day); the month with
    # approval and issuing is played in test_issuing_flow.
    text = text.replace("\napproval = true\n", "\napproval = false\n")
    text += (f'\n[mail]\nhost = "127.0.0.1"\nport = {smtp_server.port}\nsecurity = "none"\nsender = "{STAFF}"\n'
             f'to = {list(LEADERS)!r}\nstaff = "{STAFF}"\nretry_delay = 0\ntimeout = 5\n').replace("'", '"')
    config.write_text(text, encoding="utf-8")
    return root, smtp_server


def subjects(server, address: str) -> list[str]:
    return [m.message["Subject"] for m in server.inbox(address)]


def test_an_office_plays_july_to_december(office, tmp_path):
    root, server = office
    inputs = root / "inputs"

    # June: only the example is there.  It is built and goes to staff alone, marked as sample data.
    assert cli("-C", root, "run", "--now", "2023-06-20T07:00") == 0
    june = receipt(root, "2023-06-20T07:00")
    assert "là DỮ LIỆU MẪU" in june and "Xem xong thì xóa tệp khỏi inputs/" in june
    assert subjects(server, STAFF) == ["[DỮ LIỆU MẪU] [UBND xã Hoành Mô] Báo cáo tình hình kinh tế - xã hội tháng 6 "
                                       "năm 2023"]
    (inputs / "2023-06.xlsx").unlink()                             # as the receipt says

    # July: a reminder before the due day, the workbook made by `new`, typed, re-saved by LibreOffice.
    assert cli("-C", root, "run", "--now", "2023-07-16T07:00") == 0
    assert "[UBND xã Hoành Mô] Nhắc việc: chưa có số liệu tháng 7 năm 2023 (hạn nộp 20/7/2023)" in subjects(server, STAFF)
    assert cli("-C", root, "new", "2023-07") == 0
    fill(inputs / "2023-07.xlsx", Decimal("1.15"))
    resave_with_libreoffice(inputs / "2023-07.xlsx", tmp_path)
    assert cli("-C", root, "check", inputs / "2023-07.xlsx") == 0
    assert cli("-C", root, "run", "--now", "2023-07-20T07:00") == 0
    july = receipt(root, "2023-07-20T07:00")
    assert "kỳ tháng 7 năm 2023: hợp lệ, đã lập báo cáo lần 1" in july
    for leader in LEADERS:
        assert subjects(server, leader) == ["[UBND xã Hoành Mô] Báo cáo tình hình kinh tế - xã hội tháng 7 năm 2023"]
    sent_july = (root / "outputs" / "2023-07" / "bao-cao-2023-07-lan-1.pdf").read_bytes()

    # A preview of a template change never touches what was sent; a send by hand mails the recorded revision.
    assert cli("-C", root, "generate", inputs / "2023-07.xlsx", "--draft") == 0
    assert (root / "outputs" / "2023-07" / "xem-truoc" / "bao-cao-2023-07.pdf").is_file()
    assert (root / "outputs" / "2023-07" / "bao-cao-2023-07-lan-1.pdf").read_bytes() == sent_july
    assert cli("-C", root, "send", "2023-07", "--to", "tonghop.huyen@example.vn", "--now", "2023-07-21T08:00") == 0
    [by_hand] = server.inbox("tonghop.huyen@example.vn")
    assert by_hand.attachments()[0][1] == sent_july

    # Opened and saved again without a change: not a correction.  Then a real correction.
    book = load_workbook(inputs / "2023-07.xlsx")
    book.save(inputs / "2023-07.xlsx")
    assert cli("-C", root, "run", "--now", "2023-07-22T07:00") == 0
    assert "nội dung báo cáo không đổi so với lần 1" in receipt(root, "2023-07-22T07:00")
    fill(inputs / "2023-07.xlsx", Decimal("1.15"), XH01=Decimal(355))
    assert cli("-C", root, "run", "--now", "2023-07-24T07:00") == 0
    assert "đã lập báo cáo lần 2 (bản sửa đổi)" in receipt(root, "2023-07-24T07:00")
    for leader in LEADERS:
        assert subjects(server, leader)[-1] == ("[UBND xã Hoành Mô] Báo cáo tình hình kinh tế - xã hội tháng 7 năm 2023 "
                                                "(bản sửa đổi, thay thế bản đã gửi ngày 20/7/2023)")
    assert (root / "outputs" / "2023-07" / "bao-cao-2023-07-lan-1.pdf").read_bytes() == sent_july

    # August: a misnamed copy and an .xls beside the real workbook; each is named with what to do.
    assert cli("-C", root, "new", "2023-08") == 0
    fill(inputs / "2023-08.xlsx", Decimal("1.3"))
    shutil.copy(inputs / "2023-08.xlsx", inputs / "2023-08 (1).xlsx")
    shutil.copy(Path(__file__).parent / "fixtures" / "hostile" / "legacy.xls", inputs / "2023-09.xls")
    assert cli("-C", root, "run", "--now", "2023-08-20T07:00") == 3
    august = receipt(root, "2023-08-20T07:00")
    assert "inputs/2023-08 (1).xlsx: không xử lý" in august and "inputs/2023-09.xls: không xử lý" in august
    assert "đổi tên tệp thành «2023-08.xlsx»" in august and "Đặt tên tệp mới là «2023-09.xlsx»" in august
    for leader in LEADERS:
        assert subjects(server, leader)[-1].endswith("tháng 8 năm 2023")
    (inputs / "2023-08 (1).xlsx").unlink()
    (inputs / "2023-09.xls").unlink()

    # September: the mail server is down on the due day; the report waits, then goes once.
    assert cli("-C", root, "new", "2023-09") == 0
    fill(inputs / "2023-09.xlsx", Decimal("1.45"))
    server.stop()
    assert cli("-C", root, "run", "--now", "2023-09-20T07:00") == 6
    assert "chờ gửi lại đến" in receipt(root, "2023-09-20T07:00")
    server.start()
    assert cli("-C", root, "run", "--now", "2023-09-21T07:00") == 0
    for leader in LEADERS:
        assert [s for s in subjects(server, leader) if s.endswith("tháng 9 năm 2023")] == \
            ["[UBND xã Hoành Mô] Báo cáo tình hình kinh tế - xã hội tháng 9 năm 2023"]

    # October to December, each month's workbook on the 16th, a run every few days.
    for month, scale in ((10, "1.6"), (11, "1.75"), (12, "1.9")):
        period = f"2023-{month:02d}"
        assert cli("-C", root, "new", period) == 0
        fill(inputs / f"{period}.xlsx", Decimal(scale))
        for day in (16, 20, 21):
            assert cli("-C", root, "run", "--now", f"{period}-{day}T07:00") == 0
    for leader in LEADERS:
        months = [s.rsplit(" tháng ", 1)[1] for s in subjects(server, leader)]
        assert months == ["7 năm 2023", "7 năm 2023 (bản sửa đổi, thay thế bản đã gửi ngày 20/7/2023)",
                          "8 năm 2023", "9 năm 2023", "10 năm 2023", "11 năm 2023", "12 năm 2023"]
        assert not [s for s in subjects(server, leader) if "DỮ LIỆU MẪU" in s]
    assert_message_ids_unique(server)
    assert_receipts_say_how_the_run_ended(root)
    assert not [p for p in root.rglob("*") if p.name.endswith(".part")]


def test_three_communes_in_one_folder(office):
    root, server = office
    config = root / "reportgen.toml"
    config.write_text(config.read_text(encoding="utf-8") + UNITS_TOML.replace(
        '[units.dong-van]', '[units.luc-hon]\nname = "Ủy ban nhân dân xã Lục Hồn"\nplace = "Lục Hồn"\narea = "xã"\n'
        'agency = ["ỦY BAN NHÂN DÂN", "XÃ LỤC HỒN"]\nmail_to = ["luchon@example.vn"]\n\n[units.dong-van]'),
        encoding="utf-8")
    (root / "inputs" / "2023-06.xlsx").unlink()
    assert cli("-C", root, "run", "--now", "2023-07-16T07:00") == 0
    reminders = sorted(s for s in subjects(server, STAFF) if "Nhắc việc" in s)
    assert reminders == [f"[{name}] Nhắc việc: chưa có số liệu tháng 7 năm 2023 (hạn nộp 20/7/2023)"
                         for name in ("UBND xã Hoành Mô", "Ủy ban nhân dân xã Lục Hồn", "Ủy ban nhân dân xã Đồng Văn")]
    for unit, scale in (("hoanh-mo", "1.1"), ("luc-hon", "0.8"), ("dong-van", "0.6")):
        assert cli("-C", root, "new", "2023-07", "--unit", unit) == 0
        fill(root / "inputs" / unit / "2023-07.xlsx", Decimal(scale))
    assert cli("-C", root, "run", "--now", "2023-07-20T07:00", "--jobs", "2") == 0
    assert subjects(server, "hoanhmo@example.vn") == [
        "[UBND xã Hoành Mô] Báo cáo tình hình kinh tế - xã hội tháng 7 năm 2023"]
    assert subjects(server, "luchon@example.vn") == [
        "[Ủy ban nhân dân xã Lục Hồn] Báo cáo tình hình kinh tế - xã hội tháng 7 năm 2023"]
    assert subjects(server, "dongvan@example.vn") == [
        "[Ủy ban nhân dân xã Đồng Văn] Báo cáo tình hình kinh tế - xã hội tháng 7 năm 2023"]
    assert [server.inbox(leader) for leader in LEADERS] == [[], []]   # each unit's own recipients only
    assert cli("-C", root, "status", "--unit", "luc-hon") == 0
    assert cli("-C", root, "status", "--unit", "luc_hon") == 2
    assert_message_ids_unique(server)
    with Ledger(root / "reportgen.db") as ledger:
        assert sorted((r.unit, r.revision) for r in ledger.reports()) == \
            [("dong-van", 1), ("hoanh-mo", 1), ("luc-hon", 1)]


def assert_message_ids_unique(server) -> None:
    """Different messages never share a Message-ID (only a resend of the very same bytes may)."""
    by_id: dict[str, bytes] = {}
    for message in server.messages:
        assert by_id.setdefault(message.message_id, message.raw) == message.raw, message.message_id


def assert_receipts_say_how_the_run_ended(root: Path) -> None:
    for path in (root / "outputs" / "receipts").glob("bien-nhan-*.txt"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("BIÊN NHẬN LẦN CHẠY reportgen — ") and "Kết quả: " in text and "(mã thoát " in text
