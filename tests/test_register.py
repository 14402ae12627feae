"""The Sổ đăng ký văn bản đi (Decree 30, Phụ lục IV): .xlsx and .pdf written from entries, read back."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from pdf_helpers import pdf_fonts
from reportgen.document.register_book import HEADERS, RegisterBook, RegisterEntry
from reportgen.core.errors import RenderError
from reportgen.issuance import write_register
from reportgen.issuance import register_files as register_module

RECIPIENTS = ("UBND tỉnh Quảng Ninh (b/c)", "Sở Kế hoạch và Đầu tư (b/c)", "Lưu: VT, TCKH")


def entry(number: int, day: date, **changes) -> RegisterEntry:
    values = dict(number=number, date=day, symbol="BC-UBND", signer="Nguyễn Văn A", recipients=RECIPIENTS, copies=8,
                  summary=f"Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội tháng {day.month} năm {day.year}",
                  archive="VT, TCKH", handed_over=day)
    values.update(changes)
    return RegisterEntry(**values)


BOOK = RegisterBook(2023, "Ủy ban nhân dân huyện Bình Liêu", (
    entry(2, date(2023, 2, 20)),
    entry(1, date(2023, 1, 19)),
    entry(3, date(2023, 2, 22), notes="Thay thế Báo cáo số 02/BC-UBND ngày 20/02/2023", handed_over=None),
), superior="")


def test_the_workbook_has_the_form_s_cover_and_columns(tmp_path):
    files = write_register(BOOK, tmp_path)
    assert files == {"xlsx": tmp_path / "so-van-ban-di-2023.xlsx", "pdf": tmp_path / "so-van-ban-di-2023.pdf"}
    book = load_workbook(files["xlsx"])
    assert book.sheetnames == ["Bìa", "Văn bản đi"]
    cover = [row[0] for row in book["Bìa"].iter_rows(values_only=True) if row[0]]
    assert cover == ["ỦY BAN NHÂN DÂN HUYỆN BÌNH LIÊU", "SỔ ĐĂNG KÝ VĂN BẢN ĐI", "Năm: 2023",
                     "Từ ngày 19/01/2023 đến ngày 22/02/2023", "Từ số 01 đến số 03", "Quyển số: 01"]
    sheet = book["Văn bản đi"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert rows[1] == tuple(f"({n})" for n in range(1, 11))
    assert rows[2] == ("01/BC-UBND", "19/01/2023", "Báo cáo tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội "
                       "tháng 1 năm 2023", "Nguyễn Văn A", "- UBND tỉnh Quảng Ninh (b/c)\n- Sở Kế hoạch và Đầu tư "
                       "(b/c)\n- Lưu: VT, TCKH", "VT, TCKH", 8, "19/01/2023", None, None)
    assert [r[0] for r in rows[2:]] == ["01/BC-UBND", "02/BC-UBND", "03/BC-UBND"], "in the order of the numbers"
    assert rows[4][7] is None and rows[4][9] == "Thay thế Báo cáo số 02/BC-UBND ngày 20/02/2023"
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$2"
    assert sheet.freeze_panes == "A3"
    assert sheet["A1"].font.name == "Times New Roman" and sheet["A1"].font.b


def test_the_pdf_is_the_cover_then_the_table_in_landscape(tmp_path):
    pdf = write_register(BOOK, tmp_path)["pdf"]
    reader = PdfReader(pdf)
    assert len(reader.pages) == 2
    assert all(page.mediabox.width > page.mediabox.height for page in reader.pages)
    cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout
    for line in ("ỦY BAN NHÂN DÂN HUYỆN BÌNH LIÊU", "SỔ ĐĂNG KÝ VĂN BẢN ĐI", "Năm: 2023", "Từ số 01 đến số 03",
                 "Từ ngày 19/01/2023 đến ngày 22/02/2023", "Quyển số: 01"):
        assert line in cover
    table = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout
    squashed = "".join(table.split())
    for text in ("Ngườiký", "Kýnhận", "Ghichú", "(10)", "01/BC-UBND", "02/BC-UBND", "03/BC-UBND",
                 "ThaythếBáocáosố02/BC-UBNDngày20/02/2023", "-SởKếhoạchvàĐầutư(b/c)"):
        assert text in squashed
    assert squashed.index("01/BC-UBND") < squashed.index("02/BC-UBND") < squashed.index("03/BC-UBND")
    assert all(embedded for _, embedded in pdf_fonts(pdf))


def test_the_same_book_gives_the_same_bytes(tmp_path):
    first = write_register(BOOK, tmp_path / "a")
    second = write_register(BOOK, tmp_path / "b")
    for fmt in ("xlsx", "pdf"):
        assert first[fmt].read_bytes() == second[fmt].read_bytes(), fmt


def test_an_empty_year(tmp_path):
    files = write_register(RegisterBook(2024, "Ủy ban nhân dân xã Hoành Mô", (),
                                        superior="Ủy ban nhân dân huyện Bình Liêu"), tmp_path)
    rows = list(load_workbook(files["xlsx"])["Văn bản đi"].iter_rows(values_only=True))
    assert len(rows) == 2
    cover = [r[0] for r in load_workbook(files["xlsx"])["Bìa"].iter_rows(values_only=True) if r[0]]
    assert cover[:2] == ["ỦY BAN NHÂN DÂN HUYỆN BÌNH LIÊU", "ỦY BAN NHÂN DÂN XÃ HOÀNH MÔ"]
    assert "Từ số … đến số …" in cover
    text = subprocess.run(["pdftotext", str(files["pdf"]), "-"], check=True, capture_output=True, text=True).stdout
    assert "Chưa có văn bản nào được đăng ký trong năm." in text


def test_a_failure_leaves_neither_file(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RenderError("read-back failed")

    monkeypatch.setattr(register_module, "read_back_pdf", broken)
    with pytest.raises(RenderError):
        write_register(BOOK, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_title_column_joins_kind_and_summary():
    assert entry(1, date(2023, 1, 1), summary="Báo cáo tình hình tháng 1").title == "Báo cáo tình hình tháng 1"
    assert entry(1, date(2023, 1, 1), kind="Công văn", summary="Về việc đính chính").title == \
        "Công văn về việc đính chính"
    assert entry(12, date(2023, 1, 1)).number_symbol == "12/BC-UBND"


def test_a_narrow_cell_breaks_at_spaces_not_inside_a_date_or_a_symbol(tmp_path):
    """No-break spaces keep "ngày 20/02/2023" together only where it fits: in the register's narrow notes
    column a glued group was cut inside itself ("ngày 2 | 0/02/2023", "02/BC- | UBND")."""
    pdf = write_register(BOOK, tmp_path)["pdf"]
    lines = subprocess.run(["pdftotext", "-raw", "-f", "2", "-l", "2", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout.splitlines()
    words = {word for line in lines for word in line.split()}
    assert "20/02/2023" in words and "02/BC-UBND" in words
