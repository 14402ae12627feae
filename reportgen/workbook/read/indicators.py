"""Sheet Chỉ tiêu: one :class:`Indicator` per data row.

Group headings ("I. KINH TẾ") and total rows are skipped; every other row
needs a Mã.  Required text cells, Loại and Kế hoạch năm are read here; checks
that involve several cells are in :mod:`.validate`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from reportgen.core.targets import Target, TargetSyntaxError, parse_target
from reportgen.core.vntext import match_key
from reportgen.domain.report_input import Indicator, IndicatorKind
from reportgen.workbook.list_columns import INDICATOR_COLUMNS, KIND_CHOICES
from reportgen.workbook.read.cells import CellReader
from reportgen.workbook.read.headers import Layout
from reportgen.workbook.read.raw_cell import RawCell
from reportgen.workbook.read.rows import RowValues, read_values
from reportgen.workbook.read.sheet_layout import is_heading_or_total
from reportgen.workbook.read.validate import check_duplicate_code, check_indicator

REQUIRED_TEXT = ("code", "field", "name", "unit", "kind")
_BLANK_HINTS = {
    "code": "Ghi mã chỉ tiêu, ví dụ KT01.",
    "field": "Ghi lĩnh vực, ví dụ “Kinh tế” hoặc “Văn hóa - Xã hội”.",
    "name": "Ghi tên chỉ tiêu.",
    "unit": "Ghi đơn vị tính, ví dụ %, tỷ đồng, lao động, hộ.",
    "kind": "Chọn một trong: Lũy kế, Thời điểm, Tăng trưởng.",
}
_KINDS = {IndicatorKind(choice): choice for choice in KIND_CHOICES}


def choice_key(text: str) -> str:
    """Key for drop-down values: match_key without punctuation ("Văn hoá – Xã hội" = "Văn hóa - Xã hội")."""
    return re.sub(r"[\W_]+", "", match_key(text))


def read_indicators(rows: Iterable[dict[str, RawCell]], layout: Layout, reader: CellReader) -> list[Indicator]:
    indicators: list[Indicator] = []
    first_codes: dict[str, RawCell] = {}
    for found in rows:
        if is_heading_or_total(found, layout, ("name", "field")):
            continue
        row = read_values(reader, found, layout, INDICATOR_COLUMNS)
        check_duplicate_code(row, first_codes, reader)
        indicator = _indicator(row, reader)
        if indicator is not None:
            indicators.append(indicator)
    return indicators


def _indicator(row: RowValues, reader: CellReader) -> Indicator | None:
    complete = _required_present(row, reader)
    kind = _kind(row, reader)
    target, target_ok = _target(row, reader)
    check_indicator(row, kind, target, reader)
    if not complete or kind is None or not target_ok:
        return None
    return Indicator(
        code=row.text("code") or "",
        field=row.text("field") or "",
        name=row.text("name") or "",
        unit=row.text("unit") or "",
        kind=kind,
        target=target,
        baseline=row.decimal("baseline"),
        month_value=row.decimal("month_value"),
        value=row.decimal("value"),
        same_period=row.decimal("same_period"),
        growth=row.decimal("growth"),
        estimated=bool(row.values.get("estimated")),
        note=row.text("note") or "",
        row=row.sheet_row,
    )


def _required_present(row: RowValues, reader: CellReader) -> bool:
    complete = True
    for key in REQUIRED_TEXT:
        if row.text(key) is not None:
            continue
        complete = False
        if not row.missing(key):
            continue
        if key == "code":
            reader.error(
                row.cell(key),
                "code.missing",
                "Dòng có nội dung nhưng thiếu Mã chỉ tiêu.",
                "Ghi mã cho chỉ tiêu (ví dụ KT09, không trùng mã khác); nếu đây là dòng tiêu đề nhóm "
                "hoặc dòng tổng thì chỉ ghi chữ ở cột “Chỉ tiêu”.",
            )
        else:
            reader.error(row.cell(key), "required.blank", f"{row.where(key)} không được để trống.", _BLANK_HINTS[key])
    return complete


def _kind(row: RowValues, reader: CellReader) -> IndicatorKind | None:
    text = row.text("kind")
    if text is None:
        return None
    for kind, choice in _KINDS.items():
        if choice_key(text) == choice_key(choice):
            return kind
    reader.error(
        row.cell("kind"),
        "kind.unknown",
        f"{row.where('kind')} không hợp lệ; chỉ nhận một trong: {', '.join(KIND_CHOICES)}.",
        "Chọn trong danh sách thả xuống: Lũy kế (cộng dồn từ đầu năm), Thời điểm (mức tại một thời "
        "điểm, ví dụ tỷ lệ), Tăng trưởng (tốc độ tăng so với cùng kỳ).",
        found=text,
    )
    return None


def _target(row: RowValues, reader: CellReader) -> tuple[Target | None, bool]:
    """(target, readable); a blank target means the plan sets none, which is allowed."""
    text = row.text("target")
    if text is None:
        return None, "target" not in row.invalid
    try:
        return parse_target(text), True
    except TargetSyntaxError as exc:
        reader.error(
            row.cell("target"),
            "target.invalid",
            f"{row.where('target')}: không đọc được chỉ tiêu kế hoạch: {exc}.",
            "Sửa lại cho đúng cách viết nêu trên, hoặc để trống nếu năm nay không giao chỉ tiêu này.",
            found=text,
        )
        return None, False
