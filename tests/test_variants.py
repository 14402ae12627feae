"""Workbooks as offices really type them (issue 13): the exact outcome of every variant in
tests/fixtures/variants/, made by tests/fixtures/make_variants.py.

Each variant is the valid workbook of make_hostile.py with one thing done the way a person, Excel,
LibreOffice or Google Sheets does it.  A variant is either read with the right figures — every figure
the same as the valid workbook's, but for what the variant changed (:data:`CHANGES`) — or gets the
exact messages of :data:`ISSUES` on the exact cells, in that order.  Nothing a user typed is dropped or
misread without a word.  The expected texts are the product's wording, checked word for word.
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import pytest

from fixtures.make_variants import RESAVED, VARIANTS
from reportgen.domain.report_input import ReportInput
from reportgen.core.periods import Period
from reportgen.workbook.read.reader import ReadSettings, read_workbook

HERE = Path(__file__).resolve().parent
FOLDER = HERE / "fixtures" / "variants"
VALID = HERE / "fixtures" / "hostile" / "valid.xlsx"
EXAMPLE = HERE.parent / "inputs" / "2023-06.xlsx"
SETTINGS = ReadSettings(doc_symbol="BC-UBND", today=date(2023, 7, 1))
"""The unit's symbol and the day the variants are read on."""

Figures = dict[str, Any]

ISSUES: dict[str, list[tuple[str, str]]] = {
    'header_extra_columns': [
        ('column.ignored',
         'Sheet "Chỉ tiêu": Các cột không thuộc mẫu nên không được dùng trong báo cáo: “Người phụ trách” (cột N); cột P (không có tiêu đề, có dữ liệu từ dòng 5). Cách sửa: Không cần làm gì nếu đúng là cột phụ; nếu cột nào cần đưa vào báo cáo thì đặt tiêu đề đúng tên cột trong sheet “Hướng dẫn”.'),
    ],
    'header_second_note_column': [
        ('column.ignored',
         'Sheet "Chỉ tiêu": Các cột không thuộc mẫu nên không được dùng trong báo cáo: “Ghi chú thêm” (cột N). Cách sửa: Không cần làm gì nếu đúng là cột phụ; nếu cột nào cần đưa vào báo cáo thì đặt tiêu đề đúng tên cột trong sheet “Hướng dẫn”.'),
    ],
    'header_longer_note': [
        ('header.unrecognised',
         'Sheet "Chỉ tiêu", ô M3: Tiêu đề “Ghi chú thêm của phòng” giống cột “Ghi chú” nhưng không khớp tên cột nào, nên số liệu của cột M không được dùng. Giá trị đọc được: “Ghi chú thêm của phòng”. Cách sửa: Nếu đây là cột “Ghi chú”, sửa tiêu đề thành “Ghi chú” (hoặc một tên khác được chấp nhận, xem sheet “Hướng dẫn”); nếu không, đổi tiêu đề cho khác đi để khỏi nhầm.'),
    ],
    'header_misspelled_disbursed': [
        ('header.unrecognised',
         'Sheet "Công trình", ô F3: Tiêu đề “Giải ngâm” giống cột “Giải ngân” nhưng không khớp tên cột nào, nên số liệu của cột F không được dùng. Giá trị đọc được: “Giải ngâm”. Cách sửa: Nếu đây là cột “Giải ngân”, sửa tiêu đề thành “Giải ngân” (hoặc một tên khác được chấp nhận, xem sheet “Hướng dẫn”); nếu không, đổi tiêu đề cho khác đi để khỏi nhầm.'),
    ],
    'header_misspelled_estimate': [
        ('header.unrecognised',
         'Sheet "Chỉ tiêu", ô L3: Tiêu đề “Ước tín” giống cột “Ước tính” nhưng không khớp tên cột nào, nên số liệu của cột L không được dùng. Giá trị đọc được: “Ước tín”. Cách sửa: Nếu đây là cột “Ước tính”, sửa tiêu đề thành “Ước tính” (hoặc một tên khác được chấp nhận, xem sheet “Hướng dẫn”); nếu không, đổi tiêu đề cho khác đi để khỏi nhầm.'),
    ],
    'header_misspelled_month': [
        ('header.unrecognised',
         'Sheet "Chỉ tiêu", ô H3: Tiêu đề “Thực hiện thág” giống cột “Thực hiện tháng” nhưng không khớp tên cột nào, nên số liệu của cột H không được dùng. Giá trị đọc được: “Thực hiện thág”. Cách sửa: Nếu đây là cột “Thực hiện tháng”, sửa tiêu đề thành “Thực hiện tháng” (hoặc một tên khác được chấp nhận, xem sheet “Hướng dẫn”); nếu không, đổi tiêu đề cho khác đi để khỏi nhầm.'),
    ],
    'header_misspelled_progress': [
        ('header.unrecognised',
         'Sheet "Công trình", ô E3: Tiêu đề “Tiế độ” giống cột “Tiến độ (%)” nhưng không khớp tên cột nào, nên số liệu của cột E không được dùng. Giá trị đọc được: “Tiế độ”. Cách sửa: Nếu đây là cột “Tiến độ (%)”, sửa tiêu đề thành “Tiến độ (%)” (hoặc một tên khác được chấp nhận, xem sheet “Hướng dẫn”); nếu không, đổi tiêu đề cho khác đi để khỏi nhầm.'),
    ],
    'header_misspelled_same_period': [
        ('header.unrecognised',
         'Sheet "Chỉ tiêu", ô J3: Tiêu đề “Cùng kỳ năm trớc” giống cột “Cùng kỳ năm trước” nhưng không khớp tên cột nào, nên số liệu của cột J không được dùng. Giá trị đọc được: “Cùng kỳ năm trớc”. Cách sửa: Nếu đây là cột “Cùng kỳ năm trước”, sửa tiêu đề thành “Cùng kỳ năm trước” (hoặc một tên khác được chấp nhận, xem sheet “Hướng dẫn”); nếu không, đổi tiêu đề cho khác đi để khỏi nhầm.'),
        ('growth.no_data',
         'Sheet "Chỉ tiêu", ô K4: Chỉ tiêu loại Tăng trưởng cần có cả Lũy kế và Cùng kỳ năm trước, hoặc Tốc độ tăng (%); dòng này chưa đủ nên báo cáo sẽ ghi “chưa có số liệu”. Cách sửa: Ghi giá trị kỳ này và cùng kỳ năm trước để chương trình tự tính tốc độ tăng, hoặc ghi thẳng tốc độ tăng (%) vào cột “Tốc độ tăng (%)”.'),
    ],
    'header_misspelled_status': [
        ('header.unrecognised',
         'Sheet "Công trình", ô G3: Tiêu đề “Tìh hình” giống cột “Tình hình” nhưng không khớp tên cột nào, nên số liệu của cột G không được dùng. Giá trị đọc được: “Tìh hình”. Cách sửa: Nếu đây là cột “Tình hình”, sửa tiêu đề thành “Tình hình” (hoặc một tên khác được chấp nhận, xem sheet “Hướng dẫn”); nếu không, đổi tiêu đề cho khác đi để khỏi nhầm.'),
    ],
    'label_misspelled': [
        ('info.unrecognised',
         'Sheet "Thông tin", ô A6: Mục “Ngừoi kýy” giống mục “Người ký” nhưng không khớp tên mục nào, nên giá trị ở ô B6 không được dùng. Giá trị đọc được: “Ngừoi kýy”. Cách sửa: Nếu đây là mục “Người ký”, sửa nhãn thành “Người ký”; nếu không, đổi nhãn cho khác đi để khỏi nhầm.'),
    ],
    'sheet_indicators_under_another_name': [
        ('sheet.missing',
         'Sheet "Sheet1": Không có sheet “Chỉ tiêu”; sheet này có các cột của sheet “Chỉ tiêu”, có phải là nó? Cách sửa: Đổi tên sheet “Sheet1” thành “Chỉ tiêu” (đúng chính tả, có dấu).'),
    ],
    'sheet_libreoffice_copy': [
        ('sheet.unrecognised',
         'Sheet "Nhận định_2": Sheet này có tên giống sheet “Nhận định” nhưng tên không khớp nên không được đọc: các đoạn nhận định trong sheet đó sẽ không có trong báo cáo. Cách sửa: Nếu đây là sheet “Nhận định”, đổi tên sheet thành “Nhận định”; nếu không, bỏ qua cảnh báo này.'),
    ],
    'sheet_like_indicators': [
        ('sheet.missing',
         'Sheet "Chỉ tiu": Không có sheet “Chỉ tiêu”; có phải sheet này? Cách sửa: Đổi tên sheet “Chỉ tiu” thành “Chỉ tiêu” (đúng chính tả, có dấu).'),
    ],
    'sheet_like_projects': [
        ('sheet.unrecognised',
         'Sheet "Cônng trình": Sheet này có tên giống sheet “Công trình” nhưng tên không khớp nên không được đọc: báo cáo sẽ không có phần các công trình, dự án trọng điểm. Cách sửa: Nếu đây là sheet “Công trình”, đổi tên sheet thành “Công trình”; nếu không, bỏ qua cảnh báo này.'),
    ],
    'sheet_projects_under_another_name': [
        ('sheet.unrecognised',
         'Sheet "Sheet3": Sheet này có các cột của sheet “Công trình” nhưng tên không khớp nên không được đọc: báo cáo sẽ không có phần các công trình, dự án trọng điểm. Cách sửa: Nếu đây là sheet “Công trình”, đổi tên sheet thành “Công trình”; nếu không, bỏ qua cảnh báo này.'),
    ],
    'sheet_twice': [
        ('sheet.duplicate',
         'Sheet "Cong trinh": Có hai sheet cùng là “Công trình” (“Công trình” và “Cong trinh”); chỉ đọc sheet “Công trình”, bỏ qua sheet này. Cách sửa: Xóa hoặc đổi tên sheet thừa.'),
    ],
    'value_code_as_date': [
        ('text.wrong_type',
         'Sheet "Chỉ tiêu", ô A6: Cột “Mã” cần mã hoặc chữ nhưng ô chứa ngày tháng (Excel tự đổi chữ vừa gõ thành ngày). Giá trị đọc được: “01/01/2023”. Cách sửa: Chọn ô, vào Format Cells → Number → Text, rồi gõ lại đúng nội dung (hoặc gõ dấu nháy đơn \' ở đầu, ví dụ \'10-12, để Excel giữ nguyên chữ).'),
    ],
    'value_count_with_english_comma': [
        ('month.over_ytd',
         'Sheet "Chỉ tiêu", ô H6: Cột “Thực hiện tháng”: số của kỳ (57) lớn hơn số lũy kế từ đầu năm (52,3), trong khi lũy kế đã gồm cả số của kỳ này. Giá trị đọc được: “57”. Cách sửa: Kiểm tra lại hai số: có thể gõ nhầm cột, hoặc lũy kế chưa cộng số của kỳ này.'),
        ('number.ambiguous',
         'Sheet "Chỉ tiêu", ô I6: Cột “Lũy kế”: “52,300” là 52.300 hay 52,3? Chương trình đọc kiểu Việt Nam là 52,3 (dấu phẩy ngăn phần thập phân), nhưng “lao động” là số đếm, không có phần lẻ. Giá trị đọc được: “52,300”. Cách sửa: Nếu là 52.300, gõ 52.300 (dấu chấm ngăn hàng nghìn) hoặc 52300; nếu đúng là 52,3 thì bỏ qua cảnh báo này.'),
    ],
    'value_count_with_english_comma_2': [
        ('number.ambiguous',
         'Sheet "Chỉ tiêu", ô J8: Cột “Cùng kỳ năm trước”: “12,345” là 12.345 hay 12,345? Chương trình đọc kiểu Việt Nam là 12,345 (dấu phẩy ngăn phần thập phân), nhưng “hộ” là số đếm, không có phần lẻ. Giá trị đọc được: “12,345”. Cách sửa: Nếu là 12.345, gõ 12.345 (dấu chấm ngăn hàng nghìn) hoặc 12345; nếu đúng là 12,345 thì bỏ qua cảnh báo này.'),
    ],
    'value_disbursed_over_investment': [
        ('disbursed.over_total',
         'Sheet "Công trình", ô F4: Cột “Giải ngân”: vốn đã giải ngân (50) lớn hơn tổng mức đầu tư (45,5) của công trình. Giá trị đọc được: “50”. Cách sửa: Kiểm tra lại hai số, nhất là đơn vị (cả hai đều tính bằng tỷ đồng); nếu tổng mức đầu tư đã được điều chỉnh, ghi tổng mức mới.'),
    ],
    'value_doc_number_as_date': [
        ('text.wrong_type',
         'Sheet "Thông tin", ô B4: Mục “Số văn bản” cần mã hoặc chữ nhưng ô chứa ngày tháng (Excel tự đổi chữ vừa gõ thành ngày). Giá trị đọc được: “02/5/2023”. Cách sửa: Chọn ô, vào Format Cells → Number → Text, rồi gõ lại đúng nội dung (hoặc gõ dấu nháy đơn \' ở đầu, ví dụ \'10-12, để Excel giữ nguyên chữ).'),
    ],
    'value_doc_number_other_symbol': [
        ('doc_number.symbol',
         'Sheet "Thông tin", ô B4: Số văn bản ghi ký hiệu “BC-HĐND” nhưng ký hiệu của đơn vị trong reportgen.toml là “BC-UBND”; báo cáo in “Số: 215/BC-UBND”. Giá trị đọc được: “215/BC-HĐND”. Cách sửa: Chỉ ghi số (215) vào ô này; nếu ký hiệu trong cấu hình sai, sửa khóa doc_symbol ở mục [unit] (hoặc [units.…] của đơn vị) trong reportgen.toml.'),
    ],
    'value_english_thousands': [
        ('number.english_decimal',
         'Sheet "Chỉ tiêu", ô J6: Cột “Cùng kỳ năm trước”: “1,234,567” được hiểu là 1.234.567 (dấu phẩy ngăn hàng nghìn kiểu tiếng Anh). Giá trị đọc được: “1,234,567”. Cách sửa: Kiểm tra lại; cách viết Việt Nam là 1.234.567 (dấu phẩy ngăn phần thập phân, dấu chấm ngăn hàng nghìn).'),
    ],
    'value_field_as_date': [
        ('text.wrong_type',
         'Sheet "Chỉ tiêu", ô B6: Cột “Lĩnh vực” cần chữ (tên) nhưng ô chứa ngày tháng (Excel tự đổi chữ vừa gõ thành ngày). Giá trị đọc được: “01/01/2023”. Cách sửa: Chọn ô, vào Format Cells → Number → Text, rồi gõ lại đúng nội dung (hoặc gõ dấu nháy đơn \' ở đầu, ví dụ \'10-12, để Excel giữ nguyên chữ).'),
    ],
    'value_figure_missing': [
        ('value.missing',
         'Sheet "Chỉ tiêu", ô I7: Chỉ tiêu “XH02” chưa có số liệu: ô “Lũy kế” để trống, nên báo cáo sẽ ghi “chưa có số liệu” cho chỉ tiêu này. Cách sửa: Ghi số liệu vào ô này; nếu kỳ này thật sự chưa có số liệu thì để trống và bỏ qua cảnh báo.'),
    ],
    'value_hidden_under_merge': [
        ('cell.under_merge',
         'Sheet "Chỉ tiêu", ô J5: Cột “Cùng kỳ năm trước”: ô nằm trong vùng gộp ô I5:J5 nên Excel không hiện giá trị của ô, nhưng ô vẫn chứa một giá trị; không rõ giá trị nào mới đúng. Giá trị đọc được: “57.5”. Cách sửa: Chọn vùng I5:J5, bỏ gộp ô (Home → Merge & Center → Unmerge Cells), xem lại giá trị từng ô: xóa giá trị thừa hoặc để mỗi ô một giá trị, rồi chạy lại.'),
    ],
    'value_month_over_year_to_date': [
        ('month.over_ytd',
         'Sheet "Chỉ tiêu", ô H5: Cột “Thực hiện tháng”: số của kỳ (70) lớn hơn số lũy kế từ đầu năm (61,2), trong khi lũy kế đã gồm cả số của kỳ này. Giá trị đọc được: “70”. Cách sửa: Kiểm tra lại hai số: có thể gõ nhầm cột, hoặc lũy kế chưa cộng số của kỳ này.'),
    ],
    'value_name_as_date': [
        ('text.wrong_type',
         'Sheet "Chỉ tiêu", ô C6: Cột “Chỉ tiêu” cần chữ (tên) nhưng ô chứa ngày tháng (Excel tự đổi chữ vừa gõ thành ngày). Giá trị đọc được: “01/6/2023”. Cách sửa: Chọn ô, vào Format Cells → Number → Text, rồi gõ lại đúng nội dung (hoặc gõ dấu nháy đơn \' ở đầu, ví dụ \'10-12, để Excel giữ nguyên chữ).'),
    ],
    'value_name_as_number': [
        ('text.wrong_type',
         'Sheet "Chỉ tiêu", ô C6: Cột “Chỉ tiêu” cần chữ (tên) nhưng ô chứa một con số. Giá trị đọc được: “318”. Cách sửa: Ghi chữ (tên) vào ô; có thể số liệu bị dán nhầm cột, kiểm tra lại các cột bên cạnh.'),
    ],
    'value_period_years_ahead': [
        ('period.future',
         'Sheet "Thông tin", ô B3: Kỳ báo cáo tháng 6 năm 2093 còn hơn một năm nữa mới đến (số liệu của kỳ bắt đầu từ 15/5/2093, hôm nay là 01/7/2023); có thể gõ nhầm năm. Giá trị đọc được: “tháng 6 năm 2093”. Cách sửa: Kiểm tra lại năm của Kỳ báo cáo (và tên tệp).'),
    ],
    'value_project_name_as_number': [
        ('text.wrong_type',
         'Sheet "Công trình", ô B5: Cột “Tên công trình/dự án” cần chữ (tên) nhưng ô chứa một con số. Giá trị đọc được: “2024”. Cách sửa: Ghi chữ (tên) vào ô; có thể số liệu bị dán nhầm cột, kiểm tra lại các cột bên cạnh.'),
    ],
    'value_rate_as_english_fraction': [
        ('number.english_decimal',
         'Sheet "Chỉ tiêu", ô I9: Cột “Lũy kế”: “0.972” được hiểu là 0,972 (dấu chấm thập phân kiểu tiếng Anh). Giá trị đọc được: “0.972”. Cách sửa: Kiểm tra lại; cách viết Việt Nam là 0,972 (dấu phẩy ngăn phần thập phân, dấu chấm ngăn hàng nghìn).'),
        ('percent.as_fraction',
         'Sheet "Chỉ tiêu", ô I9: Cột “Lũy kế”: 0,972 trong dòng có ĐVT % và kế hoạch “97,6”; có phải 97,2%? Giá trị đọc được: “0,972”. Cách sửa: Nếu đúng là 97,2% thì gõ 97,2 vào ô; nếu số liệu thật sự là 0,972% thì bỏ qua cảnh báo này.'),
    ],
    'value_rate_as_fraction': [
        ('percent.as_fraction',
         'Sheet "Chỉ tiêu", ô I9: Cột “Lũy kế”: 0,972 trong dòng có ĐVT % và kế hoạch “97,6”; có phải 97,2%? Giá trị đọc được: “0,972”. Cách sửa: Nếu đúng là 97,2% thì gõ 97,2 vào ô; nếu số liệu thật sự là 0,972% thì bỏ qua cảnh báo này.'),
    ],
    'value_signer_as_number': [
        ('text.wrong_type',
         'Sheet "Thông tin", ô B6: Mục “Người ký” cần chữ (tên) nhưng ô chứa một con số. Giá trị đọc được: “12345”. Cách sửa: Ghi chữ (tên) vào ô; có thể số liệu bị dán nhầm cột, kiểm tra lại các cột bên cạnh.'),
    ],
    'value_target_as_date': [
        ('text.wrong_type',
         'Sheet "Chỉ tiêu", ô F6: Cột “Kế hoạch năm” cần mã hoặc chữ nhưng ô chứa ngày tháng (Excel tự đổi chữ vừa gõ thành ngày). Giá trị đọc được: “10/12/2023”. Cách sửa: Chọn ô, vào Format Cells → Number → Text, rồi gõ lại đúng nội dung (hoặc gõ dấu nháy đơn \' ở đầu, ví dụ \'10-12, để Excel giữ nguyên chữ).'),
    ],
    'value_unit_as_number': [
        ('text.wrong_type',
         'Sheet "Chỉ tiêu", ô D6: Cột “ĐVT” cần chữ (tên) nhưng ô chứa một con số. Giá trị đọc được: “1000”. Cách sửa: Ghi chữ (tên) vào ô; có thể số liệu bị dán nhầm cột, kiểm tra lại các cột bên cạnh.'),
    ],
    'xml_cell_in_another_row': [
        ('sheet.xml',
         'Sheet "Chỉ tiêu", ô A7: Phần dữ liệu của sheet ghi ô I9 trong dòng 7: tệp được ghi sai cấu trúc nên không biết ô thuộc dòng nào. Cách sửa: Mở tệp bằng Excel hoặc LibreOffice Calc rồi lưu lại (File → Save): chương trình đó ghi lại phần này cho đúng; rồi chạy lại. Nếu vẫn lỗi, chép lại tệp từ bản gốc.'),
    ],
    'xml_row_number_not_a_number': [
        ('sheet.xml',
         'Sheet "Chỉ tiêu": Phần dữ liệu của sheet bị hỏng sau dòng 6: có số dòng, địa chỉ ô hoặc cấu trúc XML không đọc được (chi tiết kỹ thuật: ValueError: could not convert string to float: \'bảy\'). Cách sửa: Mở tệp bằng Excel hoặc LibreOffice Calc rồi lưu lại (File → Save): chương trình đó ghi lại phần này cho đúng; rồi chạy lại. Nếu vẫn lỗi, chép lại tệp từ bản gốc.'),
    ],
    'xml_row_twice': [
        ('sheet.xml',
         'Sheet "Chỉ tiêu", ô A5: Phần dữ liệu của sheet ghi dòng 5 hai lần: tệp được tạo bằng một chương trình ghi sai cấu trúc, nên không đọc chắc chắn được. Cách sửa: Mở tệp bằng Excel hoặc LibreOffice Calc rồi lưu lại (File → Save): chương trình đó ghi lại phần này cho đúng; rồi chạy lại. Nếu vẫn lỗi, chép lại tệp từ bản gốc.'),
    ],
    'xml_rows_out_of_order': [
        ('sheet.xml',
         'Sheet "Chỉ tiêu", ô A5: Phần dữ liệu của sheet ghi dòng 5 sau dòng 6 (sai thứ tự): tệp được tạo bằng một chương trình ghi sai cấu trúc, nên không đọc chắc chắn được. Cách sửa: Mở tệp bằng Excel hoặc LibreOffice Calc rồi lưu lại (File → Save): chương trình đó ghi lại phần này cho đúng; rồi chạy lại. Nếu vẫn lỗi, chép lại tệp từ bản gốc.'),
    ],
    'xml_string_index_negative': [
        ('sheet.xml',
         'Sheet "Chỉ tiêu", ô C5: Ô trỏ tới chuỗi chữ số -1 nhưng bảng chuỗi chữ của tệp chỉ có 79 chuỗi (số 0 đến 78): tệp bị hỏng hoặc do một chương trình khác ghi sai, nên không biết ô ghi chữ gì. Cách sửa: Mở tệp bằng Excel hoặc LibreOffice Calc rồi lưu lại (File → Save): chương trình đó ghi lại phần này cho đúng; rồi chạy lại. Nếu vẫn lỗi, chép lại tệp từ bản gốc.'),
    ],
    'xml_string_index_too_large': [
        ('sheet.xml',
         'Sheet "Chỉ tiêu", ô C6: Ô trỏ tới chuỗi chữ số 99999 nhưng bảng chuỗi chữ của tệp chỉ có 79 chuỗi (số 0 đến 78): tệp bị hỏng hoặc do một chương trình khác ghi sai, nên không biết ô ghi chữ gì. Cách sửa: Mở tệp bằng Excel hoặc LibreOffice Calc rồi lưu lại (File → Save): chương trình đó ghi lại phần này cho đúng; rồi chạy lại. Nếu vẫn lỗi, chép lại tệp từ bản gốc.'),
    ],

}
"""(code, message) of every issue of the variants that have any, in the order the reader gives them."""


def figures(report: ReportInput) -> Figures:
    """Everything a report is made of, without the rows the figures were found on."""
    info = report.info
    return {
        "info": {"period": info.period.code, "doc_number": info.doc_number, "issue_date": info.issue_date,
                 "signer": info.signer, "signer_title": info.signer_title, "sample": info.sample},
        "indicators": [{"code": i.code, "field": i.field, "name": i.name, "unit": i.unit, "kind": i.kind.value,
                        "target": i.target.text if i.target else None, "baseline": i.baseline,
                        "month_value": i.month_value, "value": i.value, "same_period": i.same_period,
                        "growth": i.growth, "estimated": i.estimated, "note": i.note} for i in report.indicators],
        "projects": [{"code": p.code, "name": p.name, "total_investment": p.total_investment,
                      "planned_completion": p.planned_completion, "progress": p.progress, "disbursed": p.disbursed,
                      "status_text": p.status_text} for p in report.projects],
        "remarks": [(r.section.value, r.text) for r in report.remarks],
    }


def _all(part: str, key: str, value: Any) -> Callable[[Figures], None]:
    def change(found: Figures) -> None:
        for item in found[part]:
            item[key] = value
    return change


def _one(part: str, code: str, key: str, value: Any) -> Callable[[Figures], None]:
    def change(found: Figures) -> None:
        next(item for item in found[part] if item["code"] == code)[key] = value
    return change


def _info(key: str, value: Any) -> Callable[[Figures], None]:
    def change(found: Figures) -> None:
        found["info"][key] = value
    return change


def _both(*changes: Callable[[Figures], None]) -> Callable[[Figures], None]:
    def change(found: Figures) -> None:
        for each in changes:
            each(found)
    return change


def _emptied(part: str) -> Callable[[Figures], None]:
    def change(found: Figures) -> None:
        found[part] = []
    return change


def _added_indicator(found: Figures) -> None:
    found["indicators"].append({"code": "XH09", "field": "Văn hóa - Xã hội", "name": "Số xã đạt chuẩn nông thôn mới",
                                "unit": "xã", "kind": "Lũy kế", "target": None, "baseline": None,
                                "month_value": None, "value": Decimal(5), "same_period": None, "growth": None,
                                "estimated": False, "note": ""})


CHANGES: dict[str, Callable[[Figures], None]] = {
    "header_misspelled_same_period": _all("indicators", "same_period", None),
    "header_misspelled_estimate": _all("indicators", "estimated", False),
    "header_misspelled_month": _all("indicators", "month_value", None),
    "header_longer_note": _all("indicators", "note", ""),
    "header_misspelled_progress": _all("projects", "progress", None),
    "header_misspelled_disbursed": _all("projects", "disbursed", None),
    "header_misspelled_status": _all("projects", "status_text", ""),
    "header_two_rows_merged": _both(_all("indicators", "growth", None), _all("indicators", "estimated", False)),
    "header_two_rows_unmerged": _both(_all("indicators", "growth", None), _all("indicators", "estimated", False)),
    "resaved_two_rows_merged": _both(_all("indicators", "growth", None), _all("indicators", "estimated", False)),
    "label_misspelled": _info("signer", None),
    "sheet_like_projects": _emptied("projects"),
    "sheet_projects_under_another_name": _emptied("projects"),
    "sheet_libreoffice_copy": _emptied("remarks"),
    "value_doc_number_in_full": _info("doc_number", "215"),
    "value_doc_number_with_so": _info("doc_number", "215"),
    "value_doc_number_with_so_colon": _info("doc_number", "215"),
    "value_doc_number_other_symbol": _info("doc_number", "215"),
    "value_period_years_ahead": _both(_info("period", "2093-06"), _info("issue_date", None)),
    "value_code_as_number": _one("projects", "CT02", "code", "2"),
    "value_month_over_year_to_date": _one("indicators", "KT02", "month_value", Decimal(70)),
    "value_disbursed_over_investment": _one("projects", "CT01", "disbursed", Decimal(50)),
    "value_count_with_english_comma": _one("indicators", "XH01", "value", Decimal("52.3")),
    "value_count_with_english_comma_2": _one("indicators", "XH03", "same_period", Decimal("12.345")),
    "value_money_with_three_decimals": _one("indicators", "KT02", "value", Decimal("61.234")),
    "value_english_thousands": _one("indicators", "XH01", "same_period", Decimal(1234567)),
    "value_rate_as_english_fraction": _one("indicators", "XH04", "value", Decimal("0.972")),
    "value_rate_as_fraction": _one("indicators", "XH04", "value", Decimal("0.972")),
    "value_figure_missing": _one("indicators", "XH02", "value", None),
    "xml_data_below_a_long_gap": _added_indicator,
}
"""How the figures of each variant read differ from the valid workbook's (none for the others)."""

NAMES = sorted(name.removesuffix(".xlsx") for name in (*VARIANTS, *RESAVED))


def _read(path: Path):
    return read_workbook(path, SETTINGS)


@pytest.fixture(scope="module")
def valid_figures() -> Figures:
    report = _read(VALID).report
    assert report is not None
    return figures(report)


def test_every_variant_file_is_there_and_every_expectation_has_its_variant() -> None:
    on_disk = sorted(path.stem for path in FOLDER.glob("*.xlsx"))
    assert on_disk == NAMES, "run: python tests/fixtures/make_variants.py"
    assert set(ISSUES) <= set(NAMES) and set(CHANGES) <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_variant_gives_exactly_its_outcome(name: str, valid_figures: Figures) -> None:
    result = _read(FOLDER / f"{name}.xlsx")
    assert [(issue.code, str(issue)) for issue in result.issues] == ISSUES.get(name, [])
    if not result.ok:
        assert result.report is None
        return
    assert result.report is not None
    if name == "resaved_example":
        expected = figures(_read(EXAMPLE).report)
    else:
        expected = copy.deepcopy(valid_figures)
        CHANGES.get(name, lambda found: None)(expected)
    assert figures(result.report) == expected


def test_a_merged_two_row_header_puts_each_figure_in_its_column() -> None:
    """Thực hiện over Tháng and Lũy kế: the month in month_value, the year-to-date in value."""
    report = _read(FOLDER / "header_two_rows_merged.xlsx").report
    assert report is not None
    kt02 = next(i for i in report.indicators if i.code == "KT02")
    assert (kt02.month_value, kt02.value, kt02.same_period) == (Decimal("21.7"), Decimal("61.2"), Decimal("57.5"))
    assert kt02.row == 5


def test_the_period_ahead_is_measured_from_the_day_it_is_read() -> None:
    ahead = FOLDER / "value_period_years_ahead.xlsx"
    assert [i.code for i in read_workbook(ahead, ReadSettings(today=date(2092, 12, 1))).issues] == []
    assert Period.parse("2093-06") == _read(ahead).report.period


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_committed_variants_match_the_generator(name: str) -> None:
    """Run make_variants.py after changing it: the committed files are what it makes (member by member)."""
    import io
    import zipfile

    def contents(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {info.filename: archive.read(info) for info in archive.infolist()}

    assert contents(VARIANTS[name]()) == contents((FOLDER / name).read_bytes())
