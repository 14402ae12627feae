"""The columns of the list sheets (Chỉ tiêu, Công trình, Nhận định): their headers, accepted spellings,
kinds and help lines, as the reader matches them and ``reportgen new`` writes them."""

from __future__ import annotations

import dataclasses

from reportgen.core.periods import Period
from reportgen.domain.report_input import IndicatorKind, Section
from reportgen.workbook.schema import CODE_CHARS, NAME_CHARS, Column

KIND_CHOICES = tuple(k.value for k in IndicatorKind)
SECTION_CHOICES = tuple(s.value for s in Section)

PERIOD_FIGURE_HEADERS = (
    "Thực hiện quý",
    "TH quý",
    "Ước TH quý",
    "Ước thực hiện quý",
    "Thực hiện trong quý",
    "Thực hiện 6 tháng cuối năm",
    "Ước thực hiện 6 tháng cuối năm",
    "Thực hiện kỳ",
    "Thực hiện trong kỳ",
    "Ước thực hiện kỳ",
)
"""Headers of the period's own figure besides the month's: a quarter's workbook asks "Thực hiện quý"."""


INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "Mã",
        ("Mã chỉ tiêu", "Mã số", "Ký hiệu"),
        required=True,
        plan=True,
        width=8,
        max_chars=CODE_CHARS,
        accepts="code",
        help="Mã duy nhất của chỉ tiêu, ví dụ KT01. Không trùng nhau.",
    ),
    Column(
        "field",
        "Lĩnh vực",
        ("Nhóm", "Nhóm chỉ tiêu", "Lĩnh vực chỉ tiêu"),
        required=True,
        plan=True,
        kind="choice",
        width=30,
        max_chars=200,
        accepts="words",
        help="Lĩnh vực của chỉ tiêu theo đề cương báo cáo: Kinh tế, Thu, chi ngân sách, Lao động, việc làm… (danh sách thả xuống); câu về chỉ tiêu được đặt vào lĩnh vực đó.",
    ),
    Column(
        "name",
        "Chỉ tiêu",
        ("Tên chỉ tiêu", "Nội dung", "Nội dung chỉ tiêu"),
        required=True,
        plan=True,
        width=46,
        max_chars=NAME_CHARS,
        accepts="words",
        help="Tên chỉ tiêu như trong nghị quyết, kế hoạch năm.",
    ),
    Column(
        "unit",
        "ĐVT",
        ("Đơn vị tính", "Đơn vị", "Đ.vị"),
        required=True,
        plan=True,
        width=11,
        max_chars=40,
        accepts="words",
        help="Đơn vị tính: %, tỷ đồng, triệu USD, lao động, hộ, lượt…",
    ),
    Column(
        "kind",
        "Loại",
        ("Loại chỉ tiêu", "Kiểu"),
        required=True,
        plan=True,
        kind="choice",
        choices=KIND_CHOICES,
        width=13,
        max_chars=100,
        help="Lũy kế (cộng dồn từ đầu năm: thu ngân sách, việc làm, lượt khách) · Thời điểm (mức tại một thời điểm: tỷ lệ, số hộ) · Tăng trưởng (tốc độ tăng % so với cùng kỳ).",
    ),
    Column(
        "target",
        "Kế hoạch năm",
        ("Kế hoạch", "KH năm", "Chỉ tiêu kế hoạch", "Kế hoạch năm (chỉ tiêu)"),
        required=True,
        plan=True,
        width=18,
        max_chars=120,
        accepts="code",
        help="Chỉ tiêu năm như trong nghị quyết: “trên 13”, “600 trở lên”, “khoảng 83,1”, “0”, “giảm 13”, “dưới 5”, “10 - 12”. Để trống nếu không giao chỉ tiêu.",
    ),
    Column(
        "baseline",
        "Đầu năm",
        ("Thực hiện đầu năm", "Số đầu năm", "Đầu kỳ"),
        plan=True,
        kind="number",
        width=11,
        number_format="#,##0.##",
        help="Mức đầu năm, cần cho chỉ tiêu dạng “giảm X” (ví dụ số hộ cận nghèo đầu năm).",
    ),
    Column(
        "month_value",
        "Thực hiện tháng",
        ("TH tháng", "Ước TH tháng", "Ước thực hiện tháng", "Thực hiện trong tháng", *PERIOD_FIGURE_HEADERS),
        kind="number",
        width=13,
        number_format="#,##0.##",
        help="Số liệu của riêng kỳ báo cáo (tháng, quý), không phải lũy kế (nếu có).",
    ),
    Column(
        "value",
        "Lũy kế",
        ("Lũy kế từ đầu năm", "Thực hiện lũy kế", "Lũy kế thực hiện", "Thực hiện", "Giá trị"),
        required=True,
        kind="number",
        width=13,
        number_format="#,##0.##",
        help="Lũy kế từ đầu năm (Lũy kế), mức hiện tại (Thời điểm), hoặc giá trị để tính tốc độ tăng (Tăng trưởng).",
    ),
    Column(
        "same_period",
        "Cùng kỳ năm trước",
        ("Cùng kỳ", "Thực hiện cùng kỳ", "Cùng kỳ năm ngoái", "CK năm trước"),
        kind="number",
        width=13,
        number_format="#,##0.##",
        help="Cùng chỉ số này của cùng kỳ năm trước, để so sánh.",
    ),
    Column(
        "growth",
        "Tốc độ tăng (%)",
        ("Tốc độ tăng", "Tăng trưởng (%)", "Tốc độ tăng trưởng (%)", "Tăng (%)"),
        kind="number",
        width=11,
        number_format="#,##0.##",
        help="Chỉ với dòng Tăng trưởng không có giá trị: nhập thẳng tốc độ tăng so với cùng kỳ (%).",
    ),
    Column(
        "estimated",
        "Ước tính",
        ("Ước", "Là số ước"),
        kind="flag",
        choices=("x",),
        width=9,
        help="Đánh “x” nếu số liệu là số ước tính; báo cáo sẽ viết “ước đạt”.",
    ),
    Column(
        "note",
        "Ghi chú",
        ("Ghi chú/nguồn", "Nguồn"),
        kind="multiline",
        width=36,
        help="Ghi chú đưa vào phần thuyết minh của báo cáo.",
    ),
)

PROJECT_COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "Mã",
        ("Mã công trình", "Mã dự án", "STT"),
        required=True,
        plan=True,
        width=8,
        max_chars=CODE_CHARS,
        accepts="code",
        help="Mã duy nhất của công trình, ví dụ CT01.",
    ),
    Column(
        "name",
        "Tên công trình/dự án",
        ("Tên công trình", "Tên dự án", "Công trình, dự án", "Công trình/dự án"),
        required=True,
        plan=True,
        width=52,
        max_chars=NAME_CHARS,
        accepts="words",
        help="Tên công trình, dự án trọng điểm.",
    ),
    Column(
        "total_investment",
        "Tổng mức đầu tư",
        ("Tổng mức đầu tư (tỷ đồng)", "TMĐT", "Tổng vốn"),
        plan=True,
        kind="number",
        width=14,
        number_format="#,##0.###",
        help="Tổng mức đầu tư, tỷ đồng (để trống nếu chưa có).",
    ),
    Column(
        "planned_completion",
        "Kế hoạch hoàn thành",
        ("Thời gian hoàn thành", "Dự kiến hoàn thành", "Hoàn thành"),
        plan=True,
        width=16,
        max_chars=200,
        help="Thời điểm phải hoàn thành, ví dụ “Quý IV/2023”.",
    ),
    Column(
        "progress",
        "Tiến độ (%)",
        ("Tiến độ", "Khối lượng hoàn thành (%)", "% khối lượng"),
        kind="number",
        width=11,
        number_format="0.#",
        help="Khối lượng hoàn thành, % (0–100).",
    ),
    Column(
        "disbursed",
        "Giải ngân",
        ("Giải ngân (tỷ đồng)", "Đã giải ngân", "Vốn đã giải ngân"),
        kind="number",
        width=12,
        number_format="#,##0.###",
        help="Vốn đã giải ngân, tỷ đồng.",
    ),
    Column(
        "status_text",
        "Tình hình",
        ("Tình hình thực hiện", "Ghi chú", "Nội dung"),
        kind="multiline",
        width=48,
        help="Một, hai câu về tình hình thực hiện; đưa nguyên văn vào báo cáo.",
    ),
)

REMARK_COLUMNS: tuple[Column, ...] = (
    Column(
        "section",
        "Phần",
        ("Mục", "Phần báo cáo", "Lĩnh vực"),
        required=True,
        kind="choice",
        choices=SECTION_CHOICES,
        width=30,
        max_chars=100,
        help="Phần của báo cáo mà đoạn văn thuộc về: một lĩnh vực (Nông, lâm nghiệp…; Thu, chi ngân sách…), "
        "Đánh giá chung, Tồn tại, hạn chế, Nguyên nhân, Nhiệm vụ trọng tâm, Kiến nghị.",
    ),
    Column(
        "text",
        "Nội dung",
        ("Nội dung nhận định", "Đoạn văn", "Nhận định"),
        required=True,
        kind="multiline",
        width=90,
        help="Đoạn văn của cán bộ; mỗi dòng Excel là một đoạn (xuống dòng trong ô cũng tách đoạn).",
    ),
    Column(
        "owner",
        "Đơn vị chủ trì",
        ("Cơ quan chủ trì", "Đơn vị thực hiện", "Giao"),
        kind="choice",
        width=28,
        max_chars=200,
        help="Với nhiệm vụ: phòng, ban chủ trì thực hiện (báo cáo ghi “giao … chủ trì”). Chọn hoặc gõ tên.",
    ),
    Column(
        "carried",
        "Chép từ kỳ trước",
        ("Kỳ trước",),
        kind="flag",
        choices=("x",),
        width=11,
        help="“x”: đoạn văn chép từ báo cáo kỳ trước, cần sửa cho kỳ này; sửa xong thì xóa dấu “x”.",
    ),
)


def indicator_columns(period: Period) -> tuple[Column, ...]:
    """The Chỉ tiêu columns a workbook for ``period`` asks for: the period's own figure under its own name
    ("Thực hiện quý" for a quarter), or not at all when the period's figures are the year to date
    (6 tháng đầu năm, 9 tháng, năm: "Lũy kế" holds them)."""
    header = period.own_figure_header
    columns = []
    for column in INDICATOR_COLUMNS:
        if column.key == "month_value":
            if header is None:
                continue
            if header != column.header:
                column = dataclasses.replace(
                    column,
                    header=header,
                    aliases=(column.header, *column.aliases),
                    help=f"Số liệu của riêng {period.label} (không phải lũy kế).",
                )
        columns.append(column)
    return tuple(columns)
