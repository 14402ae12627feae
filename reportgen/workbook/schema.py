"""The input workbook's contract: sheets, what a column is, the Thông tin keys, accepted spellings.

The reader finds sheets, columns and keys by their text through
:func:`reportgen.core.vntext.match_key` (NFC, case, spacing and tone placement do not
matter) and accepts the aliases listed here; the template writer (``reportgen new``)
writes the canonical names.  The list sheets' columns are in
:mod:`reportgen.workbook.list_columns`.  docs/input-format.md describes the same
contract for staff.
"""

from __future__ import annotations

from dataclasses import dataclass

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
        help="Ví dụ “Tháng 6/2023”, “Quý II/2023”, “6 tháng đầu năm 2023”, hoặc mã 2023-06.",
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
        help="Ví dụ “PHÓ CHỦ TỊCH”; để trống để dùng cấu hình.",
        accepts="words",
    ),
    InfoKey(
        "sample",
        "Dữ liệu mẫu",
        ("Số liệu mẫu",),
        help="“x” nếu đây là số liệu minh họa, không phải số liệu chính thức.",
    ),
)

INFO_HEADERS = ("Mục", "Giá trị")
