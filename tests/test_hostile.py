"""Hostile input: every defective file in tests/fixtures/hostile/ gives exactly the
messages below, and no input of any kind makes the reader raise.

The fixtures are made by tests/fixtures/make_hostile.py (one defect per file);
the expected texts are the product's wording, checked word for word: change a
message on purpose, then update it here.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from fixtures.make_hostile import FIXTURES, INFO_ROWS, book_bytes, cell_of, info_cell, normalise_zip, valid_book
from reportgen.core.issues import Issue
from reportgen.workbook import list_columns, schema
from reportgen.workbook.read.reader import Limits, ReadResult, read_workbook

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
VALID = HOSTILE / "valid.xlsx"

_TOO_BIG_HINT = ("Cách sửa: Xóa các sheet, hình ảnh không cần thiết rồi lưu lại; nếu tệp thật sự cần lớn như vậy, "
                 "nhờ người quản trị tăng giới hạn trong reportgen.toml.")


@dataclass(frozen=True)
class Case:
    fixture: str
    expected: list[tuple[str, str]]
    """(code, str(issue)) for every issue, in the order the reader gives them."""
    limits: Limits = field(default_factory=Limits)


CASES = [
    Case('2023-07.xlsx', [
        ('period.file_name',
         'Sheet "Thông tin", ô B3: Tên tệp “2023-07.xlsx” là kỳ tháng 7 năm 2023 nhưng ô Kỳ báo cáo ghi tháng 6 năm 2023; tệp không được dùng cho kỳ nào. Giá trị đọc được: “tháng 6 năm 2023”. Cách sửa: Nếu đây là số liệu tháng 6 năm 2023, đổi tên tệp thành “2023-06.xlsx”; nếu là số liệu tháng 7 năm 2023, sửa ô Kỳ báo cáo cho đúng kỳ đó.'),
    ]),
    Case('binary.xlsb', [
        ('file.xlsb',
         'Tệp: Đây là tệp Excel nhị phân (.xlsb); chương trình chỉ đọc được tệp .xlsx. Cách sửa: Mở tệp trong Excel, chọn File → Save As → Excel Workbook (*.xlsx), rồi dùng tệp .xlsx mới.'),
    ]),
    Case('bomb.xlsx', [
        ('file.bomb',
         'Tệp: Có dấu hiệu độc hại: phần “xl/worksheets/sheet2.xml” nén còn 61.254 byte nhưng giải nén ra 60 MB (gấp 1.027 lần, giới hạn 200 lần): kiểu “bom nén” làm treo máy khi mở. Tệp Excel thật không như vậy. Cách sửa: Không mở tệp này; hỏi lại người gửi và xin tệp gốc.'),
    ]),
    Case('cell_too_long.xlsx', [
        ('text.too_long',
         'Sheet "Chỉ tiêu", ô M9: Cột “Ghi chú”: ô dài 32.767 ký tự, vượt giới hạn 20.000 ký tự. Giá trị đọc được: “Rất dài. Rất dài. Rất dài. Rất dài. Rất dài. Rất dài. Rất dài. Rất dài. Rất dài.”. Cách sửa: Rút gọn nội dung ô; đoạn văn dài nên tách thành nhiều dòng ở sheet “Nhận định”.'),
    ], limits=Limits(max_cell_chars=20000)),
    Case('chart_sheet.xlsx', [
        ('sheet.ignored',
         'Tệp: Các sheet không thuộc mẫu nên không được đọc: “Số liệu cũ”. Cách sửa: Không cần làm gì nếu đó là sheet phụ; nếu sheet nào cần đưa vào báo cáo thì đặt đúng tên sheet (Thông tin, Chỉ tiêu, Công trình, Nhận định).'),
        ('sheet.not_table',
         'Sheet "Chỉ tiêu": Sheet này là biểu đồ, không phải bảng số liệu. Cách sửa: Đổi tên sheet biểu đồ này (ví dụ “Biểu đồ”), rồi đặt tên “Chỉ tiêu” cho sheet chứa bảng số liệu.'),
    ]),
    Case('code_too_long.xlsx', [
        ('text.too_long',
         'Sheet "Công trình", ô A4: Cột “Mã”: ô dài 32.767 ký tự, vượt giới hạn 30 ký tự. Giá trị đọc được: “xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx”. Cách sửa: Rút gọn nội dung ô: cột này được in vào chỗ có hạn của báo cáo (bảng, biểu đồ, tiêu đề, phần ký) nên phải ngắn gọn; phần giải thích dài ghi vào cột “Ghi chú” hoặc sheet “Nhận định”.'),
    ]),
    Case('code_duplicate.xlsx', [
        ('code.duplicate',
         'Sheet "Chỉ tiêu", ô A6: Mã “KT02” trùng với mã ở ô A5. Giá trị đọc được: “KT02”. Cách sửa: Mỗi dòng cần một mã riêng; sửa một trong hai mã (ví dụ đánh số tiếp theo).'),
    ]),
    Case('code_missing.xlsx', [
        ('code.missing',
         'Sheet "Chỉ tiêu", ô A5: Dòng có nội dung nhưng thiếu Mã chỉ tiêu. Cách sửa: Ghi mã cho chỉ tiêu (ví dụ KT09, không trùng mã khác); nếu đây là dòng tiêu đề nhóm hoặc dòng tổng thì chỉ ghi chữ ở cột “Chỉ tiêu”.'),
    ]),
    Case('column_duplicate.xlsx', [
        ('column.duplicate',
         'Sheet "Chỉ tiêu", ô N3: Cột “Lũy kế” xuất hiện hai lần (ô I3 và ô N3); chỉ đọc cột I, số liệu cột N không được dùng. Cách sửa: Xóa hoặc đổi tên cột thừa.'),
    ]),
    Case('control_chars.xlsx', [
        ('text.control_chars',
         'Sheet "Chỉ tiêu", ô C5: Cột “Chỉ tiêu”: ô có ký tự điều khiển không in được (U+000B), thường do dán từ Word; chương trình đã thay bằng dấu cách. Giá trị đọc được: “Thu ngân sách nhà nước”. Cách sửa: Không cần làm gì nếu nội dung đúng; muốn hết cảnh báo, gõ lại nội dung ô hoặc dùng hàm CLEAN của Excel.'),
    ]),
    Case('corrupt_sheet.xlsx', [
        ('sheet.xml',
         'Sheet "Chỉ tiêu": Phần dữ liệu của sheet bị hỏng sau dòng 6: có số dòng, địa chỉ ô hoặc cấu trúc XML không đọc được (chi tiết kỹ thuật: ParseError: unclosed token: line 1, column 3369). Cách sửa: Mở tệp bằng Excel hoặc LibreOffice Calc rồi lưu lại (File → Save): chương trình đó ghi lại phần này cho đúng; rồi chạy lại. Nếu vẫn lỗi, chép lại tệp từ bản gốc.'),
    ]),
    Case('count_negative.xlsx', [
        ('count.negative',
         'Sheet "Chỉ tiêu", ô I6: Cột “Lũy kế”: số âm không hợp lệ; chỉ tiêu loại Lũy kế là số lượng, số tiền hoặc tỷ lệ nên không thể âm. Giá trị đọc được: “-5”. Cách sửa: Ghi số thực tế (không âm); mức tăng, giảm so với cùng kỳ chương trình tự tính.'),
    ]),
    Case('data.csv', [
        ('file.csv',
         'Tệp: Đây là văn bản dạng CSV, không có các sheet (Thông tin, Chỉ tiêu…) mà báo cáo cần. Cách sửa: Dùng lệnh “reportgen new” để tạo tệp Excel đúng mẫu, rồi chép số liệu vào đó.'),
    ]),
    Case('empty.xlsx', [
        ('file.empty',
         'Tệp: Không có nội dung (0 byte). Cách sửa: Tệp có thể được chép hoặc tải về chưa xong; chép lại tệp gốc rồi chạy lại.'),
    ]),
    Case('emoji.xlsx', [
        ('text.unprintable',
         'Sheet "Chỉ tiêu", ô C5: Cột “Chỉ tiêu”: ô có ký tự “😀” (U+1F600) mà phông chữ của văn bản hành chính không có, nên không in được vào báo cáo. Giá trị đọc được: “Thu ngân sách nhà nước 😀”. Cách sửa: Xóa hoặc thay bằng chữ thường (ví dụ ghi “đồng” thay cho “₫”, bỏ biểu tượng cảm xúc, ký hiệu lấy từ phông Wingdings/Symbol); chữ nước ngoài chỉ dùng được chữ Latinh, Hy Lạp, Nga.'),
    ]),
    Case('encrypted.xlsx', [
        ('file.encrypted',
         'Tệp: Đã được đặt mật khẩu (mã hóa) nên chương trình không đọc được nội dung. Cách sửa: Mở tệp trong Excel bằng mật khẩu, chọn File → Info → Protect Workbook → Encrypt with Password, xóa trống ô mật khẩu, bấm OK rồi lưu lại (Save).'),
    ]),
    Case('entity_bomb.xlsx', [
        ('file.bomb',
         'Tệp: Có dấu hiệu độc hại: phần “xl/worksheets/sheet2.xml” có khai báo DTD/ENTITY, có thể nở ra hàng tỷ ký tự khi đọc. Tệp Excel thật không như vậy. Cách sửa: Không mở tệp này; hỏi lại người gửi và xin tệp gốc.'),
    ]),
    Case('estimate_unknown.xlsx', [
        ('estimate.unknown',
         'Sheet "Chỉ tiêu", ô L5: Cột “Ước tính” chỉ nhận “x”, “có”, “ước”, “ước tính” (là số ước tính) hoặc để trống; giá trị này được coi là để trống. Giá trị đọc được: “chưa chắc”. Cách sửa: Ghi “x” nếu đúng là số ước tính, nếu không thì xóa nội dung ô.'),
    ]),
    Case('formula_error.xlsx', [
        ('formula.error',
         'Sheet "Chỉ tiêu", ô H5: Cột “Thực hiện tháng”: ô báo lỗi Excel #DIV/0!: phép chia cho 0 hoặc cho ô trống. Giá trị đọc được: “#DIV/0!”. Cách sửa: Sửa công thức, hoặc xóa công thức và nhập thẳng số liệu; để trống nếu chưa có số liệu.'),
    ]),
    Case('formula_no_cache.xlsx', [
        ('formula.no_cache',
         'Sheet "Chỉ tiêu", ô I5: Cột “Lũy kế”: ô có công thức nhưng chưa có kết quả tính sẵn (tệp được tạo bằng chương trình khác và chưa từng được mở, lưu trong Excel). Cách sửa: Mở tệp trong Excel, bấm Save (Ctrl+S) để Excel tính và lưu kết quả, rồi chạy lại.'),
    ]),
    Case('growth_mismatch.xlsx', [
        ('growth.mismatch',
         'Sheet "Chỉ tiêu", ô K4: Tốc độ tăng ghi 20% nhưng tính từ Lũy kế (498,6) và Cùng kỳ năm trước (442) được 12,81%. Giá trị đọc được: “20”. Cách sửa: Kiểm tra lại ba số này; báo cáo dùng tốc độ tính từ Lũy kế và Cùng kỳ.'),
    ]),
    Case('growth_no_data.xlsx', [
        ('growth.no_data',
         'Sheet "Chỉ tiêu", ô K4: Chỉ tiêu loại Tăng trưởng cần có cả Lũy kế và Cùng kỳ năm trước, hoặc Tốc độ tăng (%); dòng này chưa đủ nên báo cáo sẽ ghi “chưa có số liệu”. Cách sửa: Ghi giá trị kỳ này và cùng kỳ năm trước để chương trình tự tính tốc độ tăng, hoặc ghi thẳng tốc độ tăng (%) vào cột “Tốc độ tăng (%)”.'),
    ]),
    Case('info_duplicate.xlsx', [
        ('info.duplicate',
         'Sheet "Thông tin", ô A9: Mục “Người ký” ghi hai lần (ô A6 và ô này); chỉ dùng giá trị ở ô B6. Giá trị đọc được: “Người ký”. Cách sửa: Xóa dòng thừa.'),
    ]),
    Case('issue_date_9999.xlsx', [
        ('date.out_of_range',
         'Sheet "Thông tin", ô B5: Ngày ban hành 31/12/9999 không khớp với kỳ báo cáo tháng 6 năm 2023: báo cáo của kỳ này ban hành trong khoảng từ 15/5/2023 đến 14/6/2024. Giá trị đọc được: “31/12/9999”. Cách sửa: Kiểm tra lại ngày, nhất là năm (gõ dạng dd/mm/yyyy); để trống nếu văn bản chưa ký.'),
    ]),
    Case('issue_date_invalid.xlsx', [
        ('date.invalid',
         'Sheet "Thông tin", ô B5: Ngày ban hành phải là một ngày có thật, dạng ngày/tháng/năm, ví dụ 16/06/2023. Giá trị đọc được: “16 tháng 6”. Cách sửa: Gõ lại ngày theo dạng dd/mm/yyyy, hoặc để trống nếu văn bản chưa ký.'),
    ]),
    Case('kind_unknown.xlsx', [
        ('kind.unknown',
         'Sheet "Chỉ tiêu", ô E5: Cột “Loại” không hợp lệ; chỉ nhận một trong: Lũy kế, Thời điểm, Tăng trưởng. Giá trị đọc được: “Cộng dồn”. Cách sửa: Chọn trong danh sách thả xuống: Lũy kế (cộng dồn từ đầu năm), Thời điểm (mức tại một thời điểm, ví dụ tỷ lệ), Tăng trưởng (tốc độ tăng so với cùng kỳ).'),
    ]),
    Case('legacy.xls', [
        ('file.xls',
         'Tệp: Đây là tệp Excel 97-2003 (.xls); chương trình chỉ đọc được tệp .xlsx. Cách sửa: Mở tệp trong Excel, chọn File → Save As → Excel Workbook (*.xlsx), rồi dùng tệp .xlsx mới.'),
    ]),
    Case('legacy_tcvn3.xlsx', [
        ('text.legacy_encoding',
         'Sheet "Chỉ tiêu", ô C4: Cột “Chỉ tiêu”: chữ trong ô gõ bằng bảng mã cũ TCVN3, phông “.VnTime”, không phải Unicode, nên không đọc đúng được. Giá trị đọc được: “ChØ tiªu sè 1”. Cách sửa: Chuyển sang Unicode bằng Unikey: bôi đen các ô, chép (Ctrl+C), mở Unikey Toolkit (Ctrl+Shift+F6), chọn nguồn “TCVN3 (ABC)”, đích “Unicode”, bấm “Chuyển mã”, dán lại (Ctrl+V); rồi đổi phông chữ của các ô sang Times New Roman.'),
        ('text.legacy_encoding',
         'Sheet "Chỉ tiêu", ô M4: Cột “Ghi chú”: chữ trong ô gõ bằng bảng mã cũ TCVN3, phông “.VnTime”, không phải Unicode, nên không đọc đúng được. Giá trị đọc được: “Sè liÖu cña phßng Thèng kª.”. Cách sửa: Chuyển sang Unicode bằng Unikey: bôi đen các ô, chép (Ctrl+C), mở Unikey Toolkit (Ctrl+Shift+F6), chọn nguồn “TCVN3 (ABC)”, đích “Unicode”, bấm “Chuyển mã”, dán lại (Ctrl+V); rồi đổi phông chữ của các ô sang Times New Roman.'),
        ('text.legacy_encoding',
         'Sheet "Chỉ tiêu", ô C5: Cột “Chỉ tiêu”: chữ trong ô gõ bằng bảng mã cũ TCVN3, phông “.VnTime”, không phải Unicode, nên không đọc đúng được. Giá trị đọc được: “ChØ tiªu sè 2”. Cách sửa: Chuyển sang Unicode bằng Unikey: bôi đen các ô, chép (Ctrl+C), mở Unikey Toolkit (Ctrl+Shift+F6), chọn nguồn “TCVN3 (ABC)”, đích “Unicode”, bấm “Chuyển mã”, dán lại (Ctrl+V); rồi đổi phông chữ của các ô sang Times New Roman.'),
        ('text.legacy_encoding',
         'Sheet "Chỉ tiêu", ô M5: Cột “Ghi chú”: chữ trong ô gõ bằng bảng mã cũ TCVN3, phông “.VnTime”, không phải Unicode, nên không đọc đúng được. Giá trị đọc được: “Sè liÖu cña phßng Thèng kª.”. Cách sửa: Chuyển sang Unicode bằng Unikey: bôi đen các ô, chép (Ctrl+C), mở Unikey Toolkit (Ctrl+Shift+F6), chọn nguồn “TCVN3 (ABC)”, đích “Unicode”, bấm “Chuyển mã”, dán lại (Ctrl+V); rồi đổi phông chữ của các ô sang Times New Roman.'),
        ('text.legacy_encoding',
         'Sheet "Chỉ tiêu", ô C6: Cột “Chỉ tiêu”: chữ trong ô gõ bằng bảng mã cũ TCVN3, phông “.VnTime”, không phải Unicode, nên không đọc đúng được. Giá trị đọc được: “ChØ tiªu sè 3”. Cách sửa: Chuyển sang Unicode bằng Unikey: bôi đen các ô, chép (Ctrl+C), mở Unikey Toolkit (Ctrl+Shift+F6), chọn nguồn “TCVN3 (ABC)”, đích “Unicode”, bấm “Chuyển mã”, dán lại (Ctrl+V); rồi đổi phông chữ của các ô sang Times New Roman.'),
        ('text.legacy_encoding',
         'Sheet "Chỉ tiêu": … và 7 ô khác cùng lỗi như trên (M6, C7, M7, C8, M8, C9…). Cách sửa: Chuyển sang Unicode bằng Unikey: bôi đen các ô, chép (Ctrl+C), mở Unikey Toolkit (Ctrl+Shift+F6), chọn nguồn “TCVN3 (ABC)”, đích “Unicode”, bấm “Chuyển mã”, dán lại (Ctrl+V); rồi đổi phông chữ của các ô sang Times New Roman.'),
    ]),
    Case('legacy_vni.xlsx', [
        ('text.legacy_encoding',
         'Sheet "Chỉ tiêu", ô M9: Cột “Ghi chú”: chữ trong ô gõ bằng bảng mã cũ VNI, phông “VNI-Times”, không phải Unicode, nên không đọc đúng được. Giá trị đọc được: “Soá lieäu cuûa BHXH huyeän.”. Cách sửa: Chuyển sang Unicode bằng Unikey: bôi đen các ô, chép (Ctrl+C), mở Unikey Toolkit (Ctrl+Shift+F6), chọn nguồn “VNI Windows”, đích “Unicode”, bấm “Chuyển mã”, dán lại (Ctrl+V); rồi đổi phông chữ của các ô sang Times New Roman.'),
    ]),
    Case('missing_column.xlsx', [
        ('column.missing',
         'Sheet "Chỉ tiêu", ô I3: Dòng tiêu đề (dòng 3) thiếu cột bắt buộc “Lũy kế”; tiêu đề ở ô này có phải “Lũy kế”? Các cột cần có: Mã, Lĩnh vực, Chỉ tiêu, ĐVT, Loại, Kế hoạch năm, Lũy kế. Giá trị đọc được: “Lũy kết”. Cách sửa: Sửa tiêu đề thành “Lũy kế” (đúng chính tả, có dấu).'),
    ]),
    Case('missing_sheet.xlsx', [
        ('sheet.missing',
         'Tệp: Không có sheet “Chỉ tiêu”. Các sheet trong tệp: “Thông tin”, “Công trình”, “Nhận định”. Cách sửa: Thêm sheet “Chỉ tiêu” hoặc đổi tên sheet đang chứa nội dung đó thành “Chỉ tiêu”; dễ nhất là tạo tệp đúng mẫu bằng lệnh “reportgen new”.'),
    ]),
    Case('name_too_long.xlsx', [
        ('text.too_long',
         'Sheet "Chỉ tiêu", ô C5: Cột “Chỉ tiêu”: ô dài 504 ký tự, vượt giới hạn 500 ký tự. Giá trị đọc được: “Thu ngân sách nhà nước trên địa bàn Thu ngân sách nhà nước trên địa bàn Thu ngân”. Cách sửa: Rút gọn nội dung ô: cột này được in vào chỗ có hạn của báo cáo (bảng, biểu đồ, tiêu đề, phần ký) nên phải ngắn gọn; phần giải thích dài ghi vào cột “Ghi chú” hoặc sheet “Nhận định”.'),
    ]),
    Case('no_header.xlsx', [
        ('header.missing',
         'Sheet "Chỉ tiêu": Không tìm thấy dòng tiêu đề trong 30 dòng đầu của sheet: cần một dòng có các cột Mã, Lĩnh vực, Chỉ tiêu, ĐVT, Loại, Kế hoạch năm, Lũy kế. Cách sửa: Giữ nguyên dòng tiêu đề như tệp mẫu (tạo bằng lệnh “reportgen new”); tên cột phải gõ bằng Unicode, đúng chính tả.'),
    ]),
    Case('number_boolean.xlsx', [
        ('number.boolean',
         'Sheet "Chỉ tiêu", ô J5: Cột “Cùng kỳ năm trước” cần một con số nhưng ô chứa giá trị đúng/sai (TRUE/FALSE). Giá trị đọc được: “TRUE”. Cách sửa: Nhập con số vào ô, hoặc để trống nếu chưa có số liệu.'),
    ]),
    Case('number_date.xlsx', [
        ('number.date',
         'Sheet "Chỉ tiêu", ô H5: Cột “Thực hiện tháng” cần một con số nhưng ô chứa ngày tháng (Excel tự đổi số vừa gõ thành ngày). Giá trị đọc được: “01/6/2023”. Cách sửa: Chọn ô, vào Format Cells → Number → General, rồi gõ lại con số (ví dụ 83,1).'),
    ]),
    Case('number_english.xlsx', [
        ('number.english_decimal',
         'Sheet "Chỉ tiêu", ô I7: Cột “Lũy kế”: “82.6” được hiểu là 82,6 (dấu chấm thập phân kiểu tiếng Anh). Giá trị đọc được: “82.6”. Cách sửa: Kiểm tra lại; cách viết Việt Nam là 82,6 (dấu phẩy ngăn phần thập phân, dấu chấm ngăn hàng nghìn).'),
    ]),
    Case('number_invalid.xlsx', [
        ('number.invalid',
         'Sheet "Chỉ tiêu", ô I5: Cột “Lũy kế” cần một con số nhưng ô ghi chữ. Giá trị đọc được: “khoảng 61”. Cách sửa: Chỉ ghi con số, ví dụ 83,1 hoặc 1.234,5 (đơn vị đã có ở cột ĐVT); để trống nếu chưa có số liệu.'),
    ]),
    Case('percent_fraction.xlsx', [
        ('percent.as_fraction',
         'Sheet "Chỉ tiêu", ô I9: Cột “Lũy kế”: 0,971 trong dòng có ĐVT % và kế hoạch “97,6”; có phải 97,1%? Giá trị đọc được: “0,971”. Cách sửa: Nếu đúng là 97,1% thì gõ 97,1 vào ô; nếu số liệu thật sự là 0,971% thì bỏ qua cảnh báo này.'),
    ]),
    Case('percent_over_100.xlsx', [
        ('percent.over_100',
         'Sheet "Chỉ tiêu", ô I9: Cột “Lũy kế”: tỷ lệ (ĐVT %, loại Thời điểm) không thể lớn hơn 100%. Giá trị đọc được: “9760”. Cách sửa: Kiểm tra lại số liệu (tỷ lệ từ 0 đến 100); nếu ô có định dạng phần trăm mà hiện số quá lớn (ví dụ 9760%), gõ lại dạng 97,6% hoặc bỏ định dạng phần trăm của ô (Format Cells → Number → General).'),
    ]),
    Case('period_invalid.xlsx', [
        ('period.invalid',
         'Sheet "Thông tin", ô B3: Không đọc được Kỳ báo cáo: tháng 13 không có; tháng phải từ 1 đến 12. Giá trị đọc được: “Tháng 13/2023”. Cách sửa: Ghi kỳ dạng “Tháng 6/2023”, “Quý II/2023”, “6 tháng đầu năm 2023”, “9 tháng năm 2023”, “Năm 2023”, hoặc mã 2023-06.'),
    ]),
    Case('period_missing.xlsx', [
        ('info.missing',
         'Sheet "Thông tin": Thiếu mục “Kỳ báo cáo” (kỳ của số liệu trong tệp). Cách sửa: Thêm một dòng: cột đầu ghi “Kỳ báo cáo”, ô bên phải ghi kỳ, ví dụ “Tháng 6/2023” hoặc 2023-06.'),
    ]),
    Case('progress_out_of_range.xlsx', [
        ('progress.out_of_range',
         'Sheet "Công trình", ô E4: Cột “Tiến độ (%)”: khối lượng hoàn thành phải từ 0 đến 100 (%). Giá trị đọc được: “165”. Cách sửa: Ghi phần trăm khối lượng đã hoàn thành, ví dụ 65 cho 65%.'),
    ]),
    Case('random_bytes.xlsx', [
        ('file.not_excel',
         'Tệp: Đây không phải bảng tính Excel (.xlsx): không nhận ra định dạng của tệp. Cách sửa: Chọn đúng tệp Excel .xlsx của kỳ báo cáo (tạo bằng lệnh “reportgen new”); có thể tệp đã bị đổi tên đuôi.'),
    ]),
    Case('reduction_no_baseline.xlsx', [
        ('baseline.missing',
         'Sheet "Chỉ tiêu", ô G8: Kế hoạch “giảm 13” là mức giảm, cần số Đầu năm để tính đã giảm bao nhiêu, nhưng ô Đầu năm để trống. Cách sửa: Ghi mức đầu năm (ví dụ số hộ tại ngày 31/12 năm trước) vào ô này.'),
    ]),
    Case('renamed_docx.xlsx', [
        ('file.not_excel',
         'Tệp: Đây không phải bảng tính Excel mà là tài liệu Word (.docx). Cách sửa: Chọn đúng tệp Excel .xlsx của kỳ báo cáo (tạo bằng lệnh “reportgen new”); có thể tệp đã bị đổi tên đuôi.'),
    ]),
    Case('required_blank.xlsx', [
        ('required.blank',
         'Sheet "Chỉ tiêu", ô D6: Cột “ĐVT” không được để trống. Cách sửa: Ghi đơn vị tính, ví dụ %, tỷ đồng, lao động, hộ.'),
    ]),
    Case('rtl_text.xlsx', [
        ('text.control_chars',
         'Sheet "Chỉ tiêu", ô M9: Cột “Ghi chú”: ô có ký tự ẩn hoặc không hợp lệ trong văn bản (U+202E), thường do dán từ trang web hoặc phần mềm khác; chương trình đã bỏ đi. Giá trị đọc được: “Nguồn: مرحبا”. Cách sửa: Không cần làm gì nếu nội dung đúng; muốn hết cảnh báo, gõ lại nội dung ô hoặc dùng hàm CLEAN của Excel.'),
        ('text.unprintable',
         'Sheet "Chỉ tiêu", ô M9: Cột “Ghi chú”: ô có ký tự “م” (U+0645), “ر” (U+0631), “ح” (U+062D), “ب” (U+0628), “ا” (U+0627) mà phông chữ của văn bản hành chính không có, nên không in được vào báo cáo. Giá trị đọc được: “Nguồn: مرحبا”. Cách sửa: Xóa hoặc thay bằng chữ thường (ví dụ ghi “đồng” thay cho “₫”, bỏ biểu tượng cảm xúc, ký hiệu lấy từ phông Wingdings/Symbol); chữ nước ngoài chỉ dùng được chữ Latinh, Hy Lạp, Nga.'),
    ]),
    Case('sample_unknown.xlsx', [
        ('sample.unknown',
         'Sheet "Thông tin", ô B8: Mục “Dữ liệu mẫu” chỉ nhận “x”, “có”, “true” (là số liệu minh họa) hoặc để trống; giá trị này được coi là để trống. Giá trị đọc được: “không rõ”. Cách sửa: Ghi “x” nếu đúng là số liệu minh họa, nếu không thì xóa nội dung ô.'),
    ]),
    Case('section_unknown.xlsx', [
        ('section.unknown',
         'Sheet "Nhận định", ô A5: Cột “Phần” không hợp lệ; chỉ nhận một trong các phần: “Chỉ đạo, điều hành”, “Kinh tế”, “Nông, lâm nghiệp, thủy sản; nông thôn mới”, “Công nghiệp, xây dựng”, “Thương mại, dịch vụ, du lịch; xuất nhập khẩu”, “Thu, chi ngân sách”, “Đầu tư công, thu hút đầu tư”, “Tài nguyên, môi trường”, “Văn hóa - Xã hội”, “Giáo dục và đào tạo”, “Y tế, bảo hiểm y tế”, “Lao động, việc làm”, “Giảm nghèo, an sinh xã hội”, “Văn hóa, thông tin, thể thao”, “Công tác dân tộc”, “Quốc phòng - An ninh”, “Nội chính, xây dựng chính quyền, cải cách hành chính”, “Đánh giá chung”, “Tồn tại, hạn chế”, “Nguyên nhân”, “Nhiệm vụ trọng tâm”, “Kiến nghị”. Giá trị đọc được: “Nhiệm vụ năm sau”. Cách sửa: Chọn trong danh sách thả xuống của cột.'),
    ]),
    Case('sheet_duplicate.xlsx', [
        ('sheet.duplicate',
         'Sheet "Chỉ  tiêu": Có hai sheet cùng là “Chỉ tiêu” (“Chỉ tiêu” và “Chỉ  tiêu”); chỉ đọc sheet “Chỉ tiêu”, bỏ qua sheet này. Cách sửa: Xóa hoặc đổi tên sheet thừa.'),
    ]),
    Case('sheet_empty.xlsx', [
        ('sheet.empty',
         'Sheet "Chỉ tiêu": Sheet không có chỉ tiêu nào dưới dòng tiêu đề. Cách sửa: Mỗi chỉ tiêu ghi trên một dòng dưới dòng tiêu đề, có Mã, Lĩnh vực, Chỉ tiêu, ĐVT, Loại.'),
    ]),
    Case('sheet_name_typo.xlsx', [
        ('sheet.missing',
         'Sheet "Chỉ tiu": Không có sheet “Chỉ tiêu”; có phải sheet này? Cách sửa: Đổi tên sheet “Chỉ tiu” thành “Chỉ tiêu” (đúng chính tả, có dấu).'),
    ]),
    Case('spreadsheet.ods', [
        ('file.ods',
         'Tệp: Đây là bảng tính OpenDocument (.ods) của LibreOffice; chương trình chỉ đọc được tệp .xlsx. Cách sửa: Mở tệp trong LibreOffice Calc, chọn File → Save As, chọn kiểu “Excel 2007-365 (.xlsx)”, rồi dùng tệp .xlsx mới.'),
    ]),
    Case('spreadsheet2003.xml', [
        ('file.xml2003',
         'Tệp: Đây là bảng tính “XML Spreadsheet 2003”, không phải tệp .xlsx. Cách sửa: Mở tệp trong Excel, chọn File → Save As → Excel Workbook (*.xlsx), rồi dùng tệp .xlsx mới.'),
    ]),
    Case('surrogate_escape.xlsx', [
        ('text.control_chars',
         'Sheet "Chỉ tiêu", ô C5: Cột “Chỉ tiêu”: ô có ký tự ẩn hoặc không hợp lệ trong văn bản (U+D800, U+FFFE), thường do dán từ trang web hoặc phần mềm khác; chương trình đã bỏ đi. Giá trị đọc được: “Thu ngân sách nhà nước”. Cách sửa: Không cần làm gì nếu nội dung đúng; muốn hết cảnh báo, gõ lại nội dung ô hoặc dùng hàm CLEAN của Excel.'),
    ]),
    Case('target_invalid.xlsx', [
        ('target.invalid',
         'Sheet "Chỉ tiêu", ô F5: Cột “Kế hoạch năm”: không đọc được chỉ tiêu kế hoạch: không thấy con số trong “phấn đấu vượt”; viết chỉ tiêu như trong nghị quyết, ví dụ: “trên 13”, “600 trở lên”, “khoảng 83,1”, “97,6”, “10 - 12”, “dưới 5”, “không quá 3”, “giảm 13”, “không còn” (hoặc “0”), “tăng trên 10”. Giá trị đọc được: “phấn đấu vượt”. Cách sửa: Sửa lại cho đúng cách viết nêu trên, hoặc để trống nếu năm nay không giao chỉ tiêu này.'),
    ]),
    Case('truncated.xlsx', [
        ('file.corrupt',
         'Tệp: Dữ liệu bị hỏng hoặc chép chưa hết: không đọc được cấu trúc nén ZIP của tệp. Cách sửa: Chép lại tệp từ bản gốc (hoặc tải lại từ thư điện tử); nếu Excel vẫn mở được tệp, chọn File → Save As để lưu thành tệp mới rồi dùng tệp đó.'),
    ]),
    Case('web_export.xls', [
        ('file.html',
         'Tệp: Đây thực chất là trang web (HTML) được đặt đuôi Excel, thường do tải về từ một phần mềm khác; nó không có các sheet mà báo cáo cần. Cách sửa: Dùng lệnh “reportgen new” để tạo tệp Excel đúng mẫu, rồi chép số liệu vào đó.'),
    ]),
    Case('xls_renamed.xlsx', [
        ('file.xls',
         'Tệp: Đây là tệp Excel 97-2003 (.xls); chương trình chỉ đọc được tệp .xlsx. Cách sửa: Mở tệp trong Excel, chọn File → Save As → Excel Workbook (*.xlsx), rồi dùng tệp .xlsx mới.'),
    ]),
    Case('zlib_damaged.xlsx', [
        ('file.corrupt',
         'Tệp: Dữ liệu bị hỏng hoặc chép chưa hết: không đọc được cấu trúc nén ZIP của tệp. Cách sửa: Chép lại tệp từ bản gốc (hoặc tải lại từ thư điện tử); nếu Excel vẫn mở được tệp, chọn File → Save As để lưu thành tệp mới rồi dùng tệp đó.'),
    ]),
]


def assert_consistent(result: ReadResult) -> None:
    """ok ⇔ no error ⇔ a report; every issue prints as one readable line."""
    has_errors = any(issue.is_error for issue in result.issues)
    assert result.ok is not has_errors
    assert (result.report is None) is has_errors
    for issue in result.issues:
        assert isinstance(issue, Issue) and str(issue).strip()


WARNING_CODES = {
    "sheet.duplicate", "column.duplicate", "info.duplicate", "sample.unknown",
    "text.control_chars", "number.english_decimal", "growth.mismatch", "growth.no_data", "percent.as_fraction",
    "estimate.unknown", "sheet.ignored",
}
"""Problems that are reported but do not stop the report; every other code is an error (exit 3)."""


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.fixture)
def test_hostile_fixture_gives_exact_messages(case: Case) -> None:
    result = read_workbook(HOSTILE / case.fixture, case.limits)
    assert [(issue.code, str(issue)) for issue in result.issues] == case.expected
    assert [issue.is_error for issue in result.issues] == [code not in WARNING_CODES for code, _ in case.expected]
    assert_consistent(result)


def test_every_fixture_has_its_case() -> None:
    on_disk = {path.name for path in HOSTILE.iterdir()} - {"valid.xlsx"}
    assert on_disk == {case.fixture for case in CASES}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_committed_fixtures_match_the_generator(name: str) -> None:
    """Run make_hostile.py after changing it: the committed files must be what it makes.
    Zips are compared member by member (deflate output may differ between zlib builds)."""
    made, committed = FIXTURES[name](), (HOSTILE / name).read_bytes()
    assert _contents(made) == _contents(committed)


def _contents(data: bytes) -> object:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {info.filename: archive.read(info) for info in archive.infolist()}
    except (zipfile.BadZipFile, zlib.error):  # damaged on purpose: compare the bytes
        return data


# ------------------------------------------------- files that are not there ----

def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "2023-06.xlsx"
    assert [str(issue) for issue in read_workbook(path).issues] == [
        f"Tệp: Không tìm thấy “{path}”. Cách sửa: Kiểm tra lại đường dẫn và tên tệp, kể cả phần đuôi .xlsx."]


def test_directory(tmp_path: Path) -> None:
    assert [str(issue) for issue in read_workbook(tmp_path).issues] == [
        f"Tệp: “{tmp_path}” là một thư mục, không phải tệp Excel. "
        "Cách sửa: Chỉ ra một tệp .xlsx cụ thể, ví dụ inputs/2023-06.xlsx."]


# ------------------------------------------------------------------ limits ----

def test_file_over_the_size_limit() -> None:
    result = read_workbook(VALID, Limits(max_file_mb=0))
    assert [(i.code, str(i)) for i in result.issues] == [
        ("file.too_big", f"Tệp: Dung lượng 8 KB, vượt giới hạn 0 MB. {_TOO_BIG_HINT}")]


def test_content_over_the_uncompressed_limit() -> None:
    result = read_workbook(HOSTILE / "bomb.xlsx", Limits(max_uncompressed_mb=50))
    assert [(i.code, str(i)) for i in result.issues] == [
        ("file.too_big", f"Tệp: Nội dung khi giải nén nặng 60 MB, vượt giới hạn 50 MB. {_TOO_BIG_HINT}")]


def test_too_many_rows() -> None:
    result = read_workbook(VALID, Limits(max_rows=5))
    assert [(i.code, str(i)) for i in result.issues] == [
        ("rows.too_many",
         'Sheet "Chỉ tiêu", ô A9: Sheet có hơn 5 dòng dữ liệu; chỉ đọc 5 dòng đầu, phần còn lại bị bỏ qua. '
         "Cách sửa: Xóa các dòng thừa (kể cả dòng chỉ có định dạng) hoặc tách bớt dữ liệu; nếu tệp thật sự cần "
         "nhiều dòng như vậy, nhờ người quản trị tăng giới hạn max_rows trong reportgen.toml.")]
    assert result.report is None


def test_too_many_cells_in_the_whole_workbook() -> None:
    """Counted across sheets and columns: Thông tin's cells and the titles count too, so the limit is passed
    on Chỉ tiêu."""
    result = read_workbook(VALID, Limits(max_cells=60))
    assert [(i.code, str(i)) for i in result.issues] == [
        ("cells.too_many",
         'Sheet "Chỉ tiêu", ô A7: Tệp có hơn 60 ô có dữ liệu; chỉ đọc đến dòng 7 của sheet này, phần còn lại bị bỏ '
         "qua. Cách sửa: Xóa các dòng, cột, sheet thừa hoặc tách bớt dữ liệu; nếu tệp thật sự cần lớn như vậy, "
         "nhờ người quản trị tăng giới hạn max_cells trong reportgen.toml.")]
    assert result.report is None


def test_cells_within_the_limit_are_read() -> None:
    assert read_workbook(VALID, Limits(max_cells=200)).ok


@pytest.mark.parametrize("year, stamped", [(2200, 2107), (1900, 1980), (2023, 2023)])
def test_saved_workbooks_take_any_period_year(year: int, stamped: int) -> None:
    """Zip entries hold MS-DOS dates (1980-2107); periods run from 1900 to 2200."""
    from datetime import datetime

    from reportgen.workbook.write.saving import save_reproducibly

    buffer = io.BytesIO()
    save_reproducibly(valid_book(), buffer, datetime(year, 6, 1))
    with zipfile.ZipFile(buffer) as archive:
        assert {info.date_time[0] for info in archive.infolist()} == {stamped}


# ---------------------------------------------------------- never raises ----

def read_bytes(data: bytes, name: str = "2023-06.xlsx") -> ReadResult:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return read_workbook(path)


_PREFIXES = st.sampled_from([b"", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"PK\x03\x04", b"PK\x05\x06", b"%PDF-1.7",
                             b"\xef\xbb\xbf", b"<html>", b'<?xml version="1.0"?>'])
_FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(prefix=_PREFIXES, body=st.binary(max_size=4096))
def test_random_bytes_never_raise_and_are_refused(prefix: bytes, body: bytes) -> None:
    result = read_bytes(prefix + body)
    assert not result.ok
    assert_consistent(result)


_MEMBER_NAMES = st.sampled_from(["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                 "xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/sharedStrings.xml", "mimetype",
                                 "docProps/core.xml"]) | st.text(
    st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=20)  # zipfile cannot write NUL in names
_MEMBER_BODIES = st.binary(max_size=512) | st.sampled_from([
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'spreadsheetml.sheet.main+xml"/></Types>',
    b"<workbook/>", b"application/vnd.oasis.opendocument.spreadsheet", b""])


@_FUZZ
@given(members=st.dictionaries(_MEMBER_NAMES, _MEMBER_BODIES, max_size=6))
def test_random_zip_members_never_raise_and_are_refused(members: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    result = read_bytes(buffer.getvalue())
    assert not result.ok
    assert_consistent(result)


_VALID_BYTES = VALID.read_bytes()
with zipfile.ZipFile(io.BytesIO(_VALID_BYTES)) as _archive:
    _VALID_MEMBERS = {info.filename: _archive.read(info) for info in _archive.infolist()}


@_FUZZ
@given(member=st.sampled_from(sorted(_VALID_MEMBERS)), where=st.floats(0, 1), junk=st.binary(max_size=40),
       cut=st.integers(0, 40))
def test_damaged_members_of_a_real_workbook_never_raise(member: str, where: float, junk: bytes, cut: int) -> None:
    """Bytes of one part of a valid workbook replaced: read or refused, never a traceback."""
    original = _VALID_MEMBERS[member]
    at = int(len(original) * where)
    damaged = original[:at] + junk + original[at + cut:]
    assert_consistent(read_bytes(normalise_zip(_VALID_BYTES, {member: damaged})))


_TEXTS = st.text(max_size=30).map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)) | st.sampled_from([
    "83,1", "1.234,5", "97,6%", "-", "x", "lũy kế", "Tăng trưởng", "giảm 13", "tăng trên 10", "10 - 12", "0", " ",
    "#N/A", "=A1", "Tháng 6/2023", "2023-Q2", "31/02/2023", "ChØ tiªu", "_x000B_", "I. KINH TẾ", "Tổng cộng"])
_VALUES = (st.none() | _TEXTS | st.integers(-10**20, 10**20) | st.booleans()
           | st.floats(allow_nan=False, allow_infinity=False)
           | st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)))
_EDITS = st.one_of(*(
    st.tuples(st.just(sheet), st.integers(1, 8), st.sampled_from([c.key for c in columns]), _VALUES)
    for sheet, columns in ((schema.INDICATORS, list_columns.INDICATOR_COLUMNS), (schema.PROJECTS, list_columns.PROJECT_COLUMNS),
                           (schema.REMARKS, list_columns.REMARK_COLUMNS))
), st.tuples(st.just(schema.INFO), st.sampled_from([label for label, _ in INFO_ROWS]), st.just(""), _VALUES))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(_EDITS, max_size=6))
def test_any_cell_values_never_raise(edits: list[tuple[str, object, str, object]]) -> None:
    """Whatever staff type in any cell (numbers of any size, dates, booleans, formulas,
    error values, legacy text) the reader answers with issues, never a traceback."""
    wb = valid_book()
    for sheet, row, key, value in edits:
        cell = info_cell(wb, str(row)) if sheet == schema.INFO else cell_of(wb, sheet, int(str(row)), key)
        cell.value = value
    assert_consistent(read_bytes(book_bytes(wb)))
