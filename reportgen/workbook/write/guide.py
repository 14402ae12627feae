"""The "Hướng dẫn" sheet: what a member of staff needs to fill the workbook.

The text is built here as plain rows (no openpyxl), from the schema's own
headers and help texts, so the instructions can never name a column the
workbook does not have; :func:`write_guide` lays the rows out on a sheet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl.worksheet.worksheet import Worksheet

from reportgen.domain.plan import BookContent
from reportgen.domain.report_input import Section
from reportgen.workbook import list_columns, schema
from reportgen.workbook.write.input_styles import (
    BOLD_FONT,
    COMMAND_FONT,
    GRID,
    HEADER_ALIGN,
    HEADER_FILL,
    HEADING_ALIGN,
    INPUT_FILL,
    PLAN_FILL,
    TITLE_FONT,
    TOP_LEFT_WRAP,
    fit_row_height,
)

GUIDE_WIDTHS = (26.0, 20.0, 92.0)
"""Columns A (name), B (kind), C (explanation) of the Hướng dẫn sheet."""

PLAN_ROLE = "Kế hoạch (ô khóa)"
INPUT_ROLE = "Ô nhập số liệu"

TARGET_EXAMPLES: tuple[tuple[str, str], ...] = (
    ("trên 13", "Mức sàn: đạt khi số thực hiện từ 13 trở lên. Viết “hơn 13”, “tối thiểu 13”, “ít nhất 13” cũng được."),
    ("600 trở lên", "Như trên; được ghi kèm đơn vị: “600 lao động trở lên”."),
    ("97,6", "Chỉ ghi con số: đạt khi từ 97,6 trở lên."),
    ("khoảng 83,1", "Xấp xỉ, cho lệch nửa đơn vị của chữ số cuối: đạt từ 83,05; trên 83,15 là vượt."),
    ("0", "Phải bằng 0 (càng thấp càng tốt). Viết “không còn hộ nghèo” cũng được."),
    ("giảm 13", "Giảm ít nhất 13 so với đầu năm: phải điền cột “Đầu năm”."),
    ("dưới 5", "Mức trần, càng thấp càng tốt. Viết “không quá 5”, “tối đa 5” cũng được."),
    ("10 - 12", "Khoảng: đạt khi từ 10 đến 12, trên 12 là vượt. Viết “từ 10 đến 12” cũng được."),
    ("tăng trên 10%", "Chỉ tiêu tăng trưởng: so sánh tốc độ tăng so với cùng kỳ (dùng với Loại “Tăng trưởng”)."),
    ("(để trống)", "Không giao chỉ tiêu năm: báo cáo chỉ so sánh với cùng kỳ."),
)
"""The target grammar (:mod:`reportgen.core.targets`), as staff write it (also in docs/input-format.md)."""


@dataclass(frozen=True)
class GuideRow:
    """One row of the instructions: a title, a heading, a paragraph, or a table line."""

    style: str
    """title | heading | text | command | table-head | plan-item | input-item | item"""
    cells: tuple[str, ...]


def column_role(column: schema.Column) -> str:
    """'Kế hoạch (ô khóa)' for plan columns, 'Ô nhập số liệu' for the others."""
    return PLAN_ROLE if column.plan else INPUT_ROLE


def guide_rows(content: BookContent) -> list[GuideRow]:
    """Every row of the Hướng dẫn sheet for this workbook, in order."""
    label = content.period.label_with_year
    rows = [
        GuideRow("title", (f"HƯỚNG DẪN NHẬP SỐ LIỆU BÁO CÁO {label.upper()}",)),
        GuideRow(
            "text",
            (
                f"Tệp này là đầu vào của báo cáo tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội "
                f"{label}. reportgen đọc tệp, kiểm tra từng ô, so sánh với kế hoạch năm và cùng kỳ, "
                "rồi viết báo cáo (Word và PDF). Chỉ cần điền các ô nền xanh nhạt.",
            ),
        ),
    ]
    rows += _sheets_section()
    rows += _columns_section(f"3. Sheet “{schema.INDICATORS}”", list_columns.indicator_columns(content.period))
    rows += _columns_section(f"4. Sheet “{schema.PROJECTS}”", list_columns.PROJECT_COLUMNS)
    rows += _columns_section(f"5. Sheet “{schema.REMARKS}”", list_columns.REMARK_COLUMNS)
    rows.append(GuideRow("text", ("Các phần được chọn: " + "; ".join(s.value for s in Section) + ".",)))
    rows += _info_section()
    rows += _targets_section()
    rows += _numbers_section()
    rows += _editing_section()
    rows += _commands_section(content.period.code)
    return rows


def _sheets_section() -> list[GuideRow]:
    return [
        GuideRow("heading", ("1. Các sheet trong tệp",)),
        GuideRow("item", (schema.INFO, "", "Kỳ báo cáo, số văn bản, ngày ban hành, người ký.")),
        GuideRow("item", (schema.INDICATORS, "", "Mỗi dòng một chỉ tiêu: kế hoạch năm và số thực hiện.")),
        GuideRow("item", (schema.PROJECTS, "", "Các công trình, dự án trọng điểm: tiến độ, giải ngân, tình hình.")),
        GuideRow(
            "item",
            (
                schema.REMARKS,
                "",
                "Đoạn nhận định của cán bộ; được đưa vào đúng phần của báo cáo, sau các câu do reportgen viết.",
            ),
        ),
        GuideRow("item", (schema.GUIDE, "", "Trang này.")),
        GuideRow(
            "item",
            (
                "Danh mục (ẩn)",
                "",
                "Các danh sách thả xuống (Loại, Ước tính, Lĩnh vực, Phần); không cần "
                "sửa. Lĩnh vực chưa có trong danh sách: gõ thẳng vào ô, Excel hỏi thì "
                "bấm “Yes”.",
            ),
        ),
        GuideRow("heading", ("2. Màu ô",)),
        GuideRow("plan-item", ("Nền xám", PLAN_ROLE, "Số liệu kế hoạch, đã khóa để tránh sửa nhầm.")),
        GuideRow(
            "input-item",
            (
                "Nền xanh nhạt",
                INPUT_ROLE,
                "Nơi gõ số liệu của kỳ báo cáo, kể cả ô “Đầu năm” "
                "còn trống của chỉ tiêu “giảm …”. Các dòng trống "
                "nền xanh ở cuối bảng dùng để thêm dòng mới.",
            ),
        ),
    ]


def _columns_section(title: str, columns: Iterable[schema.Column]) -> list[GuideRow]:
    rows = [GuideRow("heading", (title,)), GuideRow("table-head", ("Cột", "Loại cột", "Nội dung"))]
    for column in columns:
        style = "plan-item" if column.plan else "input-item"
        rows.append(GuideRow(style, (column.header, column_role(column), column.help)))
    return rows


def _info_section() -> list[GuideRow]:
    rows = [GuideRow("heading", (f"6. Sheet “{schema.INFO}”",)), GuideRow("table-head", ("Mục", "Loại", "Nội dung"))]
    for key in schema.INFO_KEYS:
        locked = key.key == "period"
        rows.append(
            GuideRow(
                "plan-item" if locked else "input-item", (key.label, PLAN_ROLE if locked else INPUT_ROLE, key.help)
            )
        )
    rows.append(GuideRow("text", ("Kỳ báo cáo đã khóa: muốn lập tệp cho kỳ khác, chạy “reportgen new” với kỳ đó.",)))
    return rows


def _targets_section() -> list[GuideRow]:
    rows = [
        GuideRow("heading", ("7. Cách viết cột “Kế hoạch năm”",)),
        GuideRow(
            "text",
            (
                "Ghi chỉ tiêu đúng như trong nghị quyết. Được ghi kèm đơn vị (%, lao động, hộ…); "
                "phần trong ngoặc đơn được bỏ qua, ví dụ “giảm 0,17% (13 hộ)”.",
            ),
        ),
        GuideRow("table-head", ("Ví dụ", "", "Ý nghĩa")),
    ]
    rows += [GuideRow("item", (f"“{text}”", "", meaning)) for text, meaning in TARGET_EXAMPLES]
    return rows


def _numbers_section() -> list[GuideRow]:
    return [
        GuideRow("heading", ("8. Số ước tính và cách gõ số",)),
        GuideRow(
            "text",
            (
                "Số liệu chưa chính thức: đánh “x” ở cột “Ước tính” (chọn trong danh sách). "
                "Báo cáo sẽ viết “ước đạt” thay cho “đạt”.",
            ),
        ),
        GuideRow(
            "text",
            (
                "Gõ số theo kiểu Việt Nam: dấu chấm ngăn cách hàng nghìn, dấu phẩy thập phân, "
                "ví dụ 8.000 hoặc 1.234,5 hoặc 83,1. Nếu máy tính đặt kiểu số tiếng Anh thì gõ 83.1; "
                "reportgen đọc được cả hai kiểu.",
            ),
        ),
        GuideRow(
            "text",
            (
                "Chỉ tiêu có đơn vị “%”: gõ 83,1 (không gõ 0,831). Không gõ đơn vị hay chữ vào ô số; "
                "ghi chú thì đưa vào cột “Ghi chú”. Chưa có số liệu thì để trống ô.",
            ),
        ),
    ]


def _editing_section() -> list[GuideRow]:
    return [
        GuideRow("heading", ("9. Thêm hoặc sửa chỉ tiêu, công trình",)),
        GuideRow(
            "text",
            (
                "Thêm chỉ tiêu mới: điền vào các dòng trống nền xanh ở cuối bảng (Mã không trùng, "
                "chọn Lĩnh vực và Loại trong danh sách).",
            ),
        ),
        GuideRow(
            "text",
            (
                "Sửa ô kế hoạch (nền xám) hoặc chèn dòng giữa bảng: bỏ bảo vệ trang tính bằng "
                "Review → Unprotect Sheet (tiếng Việt: Xem lại → Bỏ bảo vệ trang tính). "
                "Không có mật khẩu. Sửa xong có thể bật lại bằng Review → Protect Sheet.",
            ),
        ),
        GuideRow(
            "text",
            (
                "Không đổi tên sheet và tên cột: reportgen tìm cột theo tên. "
                "Có thể thêm cột riêng; reportgen bỏ qua các cột nó không biết và liệt kê chúng "
                "ở phần “Ghi chú” khi kiểm tra tệp.",
            ),
        ),
    ]


def _commands_section(period_code: str) -> list[GuideRow]:
    path = f"inputs/{period_code}.xlsx"
    return [
        GuideRow("heading", ("10. Kiểm tra và lập báo cáo",)),
        GuideRow(
            "text",
            (
                "Lưu tệp vào thư mục inputs/ với tên theo kỳ (ví dụ " + path + "), rồi mở cửa sổ "
                "lệnh tại thư mục làm việc và chạy:",
            ),
        ),
        GuideRow("command", (f"reportgen check {path}",)),
        GuideRow(
            "text",
            (
                "Kiểm tra từng ô; liệt kê mọi lỗi với tên sheet, ô, giá trị đọc được và cách sửa, "
                "rồi in bảng đánh giá chỉ tiêu.",
            ),
        ),
        GuideRow("command", (f"reportgen check {path} --annotate kiem-tra.xlsx",)),
        GuideRow(
            "text",
            (
                "Như trên, và ghi thêm bản sao kiem-tra.xlsx: ô lỗi tô đỏ, ô cảnh báo tô vàng, "
                "mỗi ô có ghi chú nêu lỗi và cách sửa.",
            ),
        ),
        GuideRow("command", (f"reportgen generate {path}",)),
        GuideRow("text", ("Lập báo cáo Word và PDF vào thư mục outputs/.",)),
    ]


# ------------------------------------------------------------------ layout ---


def write_guide(ws: Worksheet, rows: list[GuideRow]) -> None:
    """Lay the rows out on ``ws``: merged paragraphs, three-column tables."""
    for index, width in enumerate(GUIDE_WIDTHS):
        ws.column_dimensions["ABC"[index]].width = width
    for number, row in enumerate(rows, start=1):
        if row.style in ("title", "heading", "text", "command"):
            _write_paragraph(ws, number, row)
        else:
            _write_table_row(ws, number, row)


_PARAGRAPH_LOOK = {
    "title": (TITLE_FONT, TOP_LEFT_WRAP, 24),
    "heading": (BOLD_FONT, HEADING_ALIGN, 24),
    "command": (COMMAND_FONT, HEADING_ALIGN, 21),
}
"""Font, alignment and fixed height of the one-line paragraph styles; plain text is fitted."""


def _write_paragraph(ws: Worksheet, number: int, row: GuideRow) -> None:
    """One paragraph across all three columns."""
    cell = ws.cell(number, 1, row.cells[0])
    ws.merge_cells(start_row=number, start_column=1, end_row=number, end_column=len(GUIDE_WIDTHS))
    if row.style in _PARAGRAPH_LOOK:
        cell.font, cell.alignment, ws.row_dimensions[number].height = _PARAGRAPH_LOOK[row.style]
    else:
        cell.alignment = TOP_LEFT_WRAP
        fit_row_height(ws, number, [(row.cells[0], sum(GUIDE_WIDTHS), False)])


def _write_table_row(ws: Worksheet, number: int, row: GuideRow) -> None:
    fills = {"plan-item": PLAN_FILL, "input-item": INPUT_FILL, "table-head": HEADER_FILL}
    for column, text in enumerate(row.cells, start=1):
        cell = ws.cell(number, column, text or None)
        cell.border = GRID
        cell.alignment = HEADER_ALIGN if row.style == "table-head" else TOP_LEFT_WRAP
        if row.style == "table-head" or column == 1:
            cell.font = BOLD_FONT
        if row.style in fills and (column == 2 or row.style == "table-head"):
            cell.fill = fills[row.style]
    fit_row_height(
        ws, number, [(text, width, col == 0) for col, (text, width) in enumerate(zip(row.cells, GUIDE_WIDTHS))]
    )
