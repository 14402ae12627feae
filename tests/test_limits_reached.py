"""Each limit the reader counts stops reading at the limit with a message naming it; running out of
memory is said as such, never taken for a damaged file (issue 13, section 2).

The limits are set small here so that small files reach them; bench/limits.py measures the defaults
on files at their size.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.workbook.read import reader as reader_module
from reportgen.settings.limits import Limits
from reportgen.workbook.read.reader import read_workbook

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "inputs" / "2023-06.xlsx"
SHARED = HERE / "fixtures" / "variants" / "xml_shared_strings.xlsx"
VALID = HERE / "fixtures" / "hostile" / "valid.xlsx"


def _issues(path: Path, limits: Limits) -> list[tuple[str, str]]:
    result = read_workbook(path, limits)
    assert result.report is None
    return [(issue.code, str(issue)) for issue in result.issues]


def test_the_shared_strings_are_counted_as_they_are_read() -> None:
    assert _issues(SHARED, Limits(max_strings=50)) == [(
        "strings.too_many",
        "Tệp: Tệp có hơn 50 chuỗi chữ khác nhau (bảng chuỗi chữ dùng chung của mọi sheet); chương trình dừng đọc "
        "ở đó. Cách sửa: Xóa các sheet, dòng, cột thừa (kể cả sheet ẩn) rồi lưu lại; nếu tệp thật sự cần lớn như "
        "vậy, nhờ người quản trị tăng giới hạn max_strings trong reportgen.toml.")]
    assert read_workbook(SHARED, Limits(max_strings=79)).ok  # exactly at the limit: read


def test_the_styles_are_counted_before_they_are_parsed() -> None:
    assert _issues(EXAMPLE, Limits(max_styles=40)) == [(
        "styles.too_many",
        "Tệp: Tệp có 49 định dạng (kiểu ô, phông chữ, màu nền, đường kẻ, kiểu số), vượt giới hạn 40; tệp như vậy "
        "thường do chép dán qua lại nhiều lần. Cách sửa: Trong Excel: chọn toàn bộ sheet (Ctrl+A) ở các sheet số "
        "liệu, Home → Clear → Clear Formats, lưu lại; hoặc dùng lệnh “reportgen new” để tạo tệp mới rồi chép số "
        "liệu (Paste Special → Values) vào đó; nếu tệp thật sự cần lớn như vậy, nhờ người quản trị tăng giới hạn "
        "max_styles trong reportgen.toml.")]
    assert read_workbook(EXAMPLE, Limits(max_styles=49)).ok


def test_the_text_is_counted_and_no_more_is_read_past_the_limit() -> None:
    issues = _issues(VALID, Limits(max_text_chars=600))
    assert issues == [(
        "text.too_much",
        'Sheet "Công trình", ô B5: Tổng số chữ trong các ô vượt 600 ký tự (khoảng gấp trăm lần một báo cáo tháng); '
        "từ ô này trở đi chữ không được đọc. Cách sửa: Rút gọn các đoạn văn, ghi chú dài, hoặc tách bớt nội dung "
        "sang văn bản khác; nếu tệp thật sự cần lớn như vậy, nhờ người quản trị tăng giới hạn max_text_chars trong "
        "reportgen.toml.")]


def test_every_cell_with_a_value_counts_whatever_its_column() -> None:
    """Values outside the template's columns are parsed too: they count against max_cells."""
    wide = HERE / "fixtures" / "variants" / "header_extra_columns.xlsx"
    assert read_workbook(VALID, Limits(max_cells=116)).ok  # the valid workbook's own count
    codes = [issue.code for issue in read_workbook(wide, Limits(max_cells=116)).issues]
    assert "cells.too_many" in codes


@pytest.mark.parametrize("where", ["load_for_reading", "sheet_rows", "probe_file"])
def test_running_out_of_memory_is_not_a_damaged_file(where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(reader_module, where, exhausted)
    result = read_workbook(VALID)
    assert result.report is None
    assert [(issue.code, str(issue)) for issue in result.issues] == [(
        "file.out_of_memory",
        "Tệp: Máy không đủ bộ nhớ để đọc hết tệp này (tệp nặng 0,0 MB); tệp không hỏng, nhưng chưa đọc được. "
        "Cách sửa: Đóng bớt các chương trình đang mở rồi chạy lại. Nếu vẫn vậy: xóa các sheet, dòng, cột thừa cho "
        "tệp nhẹ đi, hoặc nhờ người quản trị giảm các giới hạn trong mục [limits] của reportgen.toml cho vừa bộ nhớ "
        "của máy (xem docs/operations.md).")]


def test_memory_running_out_inside_the_sheet_parser_is_not_a_damaged_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """The row parser's catch-all for mangled XML must let a MemoryError through."""
    from openpyxl.worksheet._reader import WorkSheetParser

    def exhausted(self, element):
        raise MemoryError

    monkeypatch.setattr(WorkSheetParser, "parse_row", exhausted)
    assert [issue.code for issue in read_workbook(VALID).issues] == ["file.out_of_memory"]
