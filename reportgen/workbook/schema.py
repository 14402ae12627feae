"""The input workbook's contract: sheets, columns, accepted header spellings.

The reader finds columns by header text through :func:`reportgen.core.vntext.match_key`
(NFC, case, spacing and tone placement do not matter) and accepts the aliases
listed here; the template writer (``reportgen new``) writes the canonical
headers.  docs/input-format.md describes the same contract for staff.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from reportgen.core.periods import Period
from reportgen.domain.report_input import IndicatorKind, Section

INFO = "Thông tin"
INDICATORS = "Chỉ tiêu"
PROJECTS = "Công trình"
REMARKS = "Nhận định"
GUIDE = "Hướng dẫn"
LISTS = "Danh mục"
"""The hidden sheet of drop-down lists ``reportgen new`` writes."""
CHECK_RESULTS = "Kết quả kiểm tra"
"""The first sheet of an annotated copy (``reportgen check --annotate``)."""

REQUIRED_SHEETS = (INFO, INDICATORS)
OPTIONAL_SHEETS = (PROJECTS, REMARKS)
OTHER_SHEETS = (GUIDE, LISTS, CHECK_RESULTS)
"""Sheets reportgen itself writes that hold no data to read."""
SHEET_ALIASES: dict[str, tuple[str, ...]] = {
    INFO: ("Thông tin chung", "Thông tin báo cáo"),
    INDICATORS: ("Các chỉ tiêu", "Chỉ tiêu KT-XH", "Biểu chỉ tiêu"),
    PROJECTS: ("Công trình trọng điểm", "Công trình, dự án", "Dự án", "Công trình dự án trọng điểm"),
    REMARKS: ("Nhận định, đánh giá", "Đánh giá"),
}
"""Other sheet names accepted on reading (besides spacing, case, punctuation and missing diacritics)."""

CODE_CHARS = 30
"""Codes (KT01, CT03) and document numbers: short by nature, and printed in narrow boxes."""
NAME_CHARS = 500
"""Indicator and project names: the appendix table's name column and the chart labels hold about
eleven lines of this; a real name is under 200."""

HEADER_SEARCH_ROWS = 30
"""The header row may be anywhere in the first rows (merged titles above it)."""

ESTIMATE_MARKS = ("x", "X", "có", "ước", "ước tính")
"""What "Ước tính" may hold to mean "this figure is an estimate"; blank means actual."""

KIND_CHOICES = tuple(k.value for k in IndicatorKind)
SECTION_CHOICES = tuple(s.value for s in Section)


@dataclass(frozen=True)
class Column:
    """One column of a list sheet."""

    key: str
    """Attribute name in the model (``code``, ``target`` …)."""
    header: str
    """Canonical header, written by ``reportgen new``."""
    aliases: tuple[str, ...] = ()
    """Other header spellings accepted on reading."""
    required: bool = False
    """The column must be present in the sheet."""
    plan: bool = False
    """Part of the plan: filled and locked by ``reportgen new``; otherwise an input column."""
    kind: str = "text"
    """text | number | choice | flag | multiline"""
    choices: tuple[str, ...] = ()
    """Allowed values for ``choice`` columns (a drop-down list in the template)."""
    width: float = 14
    """Column width in the template, in Excel character units."""
    number_format: str | None = None
    help: str = ""
    """One line for staff: what goes in the column (instructions sheet, docs)."""
    max_chars: int | None = None
    """Longest text the column may hold, when the report prints it in a box it must fit (a table
    cell, a chart label); None: only the configured ``max_cell_chars`` applies."""
    accepts: str = "any"
    """For text columns, what a cell may hold besides text: "any" (numbers and dates are written out
    as text), "code" (a number too, never a date: Excel turns "10-12" into 10 December), "words"
    (text only: a name, never a number or a date)."""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


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
        help="Chỉ tiêu năm như trong nghị quyết: «trên 13», «600 trở lên», «khoảng 83,1», «0», «giảm 13», «dưới 5», «10 - 12». Để trống nếu không giao chỉ tiêu.",
    ),
    Column(
        "baseline",
        "Đầu năm",
        ("Thực hiện đầu năm", "Số đầu năm", "Đầu kỳ"),
        plan=True,
        kind="number",
        width=11,
        number_format="#,##0.##",
        help="Mức đầu năm, cần cho chỉ tiêu dạng «giảm X» (ví dụ số hộ cận nghèo đầu năm).",
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
        help="Đánh «x» nếu số liệu là số ước tính; báo cáo sẽ viết «ước đạt».",
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
        help="Thời điểm phải hoàn thành, ví dụ «Quý IV/2023».",
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
        help="Với nhiệm vụ: phòng, ban chủ trì thực hiện (báo cáo ghi «giao … chủ trì»). Chọn hoặc gõ tên.",
    ),
    Column(
        "carried",
        "Chép từ kỳ trước",
        ("Kỳ trước",),
        kind="flag",
        choices=("x",),
        width=11,
        help="«x»: đoạn văn chép từ báo cáo kỳ trước, cần sửa cho kỳ này; sửa xong thì xóa dấu «x».",
    ),
)


@dataclass(frozen=True)
class InfoKey:
    """One key/value row of sheet Thông tin."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: str = ""
    max_chars: int | None = 100
    """Longest text accepted: every value is printed in the header or the signature block, or parsed."""
    accepts: str = "any"
    """As :attr:`Column.accepts`."""


INFO_KEYS: tuple[InfoKey, ...] = (
    InfoKey(
        "period",
        "Kỳ báo cáo",
        ("Kỳ", "Tháng báo cáo", "Kỳ báo cáo (tháng)"),
        required=True,
        help="Ví dụ «Tháng 6/2023», «Quý II/2023», «6 tháng đầu năm 2023», hoặc mã 2023-06.",
    ),
    InfoKey(
        "doc_number",
        "Số văn bản",
        ("Số", "Số báo cáo", "Số hiệu"),
        help="Chỉ ghi số, ví dụ 125; ký hiệu (BC-UBND) lấy từ cấu hình. Để trống nếu chưa cấp số.",
        max_chars=CODE_CHARS,
        accepts="code",
    ),
    InfoKey(
        "issue_date",
        "Ngày ban hành",
        ("Ngày", "Ngày báo cáo", "Ngày ký"),
        help="Ngày ký ban hành (dd/mm/yyyy). Để trống nếu chưa ký.",
    ),
    InfoKey(
        "signer",
        "Người ký",
        ("Họ tên người ký", "Người ký báo cáo"),
        help="Họ và tên người ký; để trống để dùng cấu hình reportgen.toml.",
        accepts="words",
    ),
    InfoKey(
        "signer_title",
        "Chức vụ người ký",
        ("Chức vụ", "Chức danh người ký"),
        help="Ví dụ «PHÓ CHỦ TỊCH»; để trống để dùng cấu hình.",
        accepts="words",
    ),
    InfoKey(
        "sample",
        "Dữ liệu mẫu",
        ("Số liệu mẫu",),
        help="«x» nếu đây là số liệu minh họa, không phải số liệu chính thức.",
    ),
)

INFO_HEADERS = ("Mục", "Giá trị")


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
