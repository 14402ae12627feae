"""Checks that need more than one cell: a row's figures against its kind, unit and
target, and codes across rows.

What each check protects against, in the order staff meet them:
a code typed twice (figures would be merged or lost), a "giảm X" target with
no start-of-year level (nothing to measure the reduction from), a row with no
figure (the report would say "chưa có số liệu"), a growth row with nothing to
compute growth from, a growth figure that contradicts the values next to it,
a negative count or amount, a month's figure above the year-to-date one, a
count typed with an English thousands comma ("12,345": twelve thousand, or
twelve and a bit?), a rate over 100%, and a rate typed as a fraction (0,976
for 97,6%).

:func:`demanded_plan_keys` says which plan cells these checks require for a
target, so that ``reportgen new`` leaves them open to typing.
"""

from __future__ import annotations

import re
from decimal import Decimal

from reportgen.core.targets import Direction, Target, TargetKind, TargetSyntaxError, parse_target, target_problem
from reportgen.core.vnformat import round_half_up, vn_num
from reportgen.core.vntext import match_key
from reportgen.domain.report_input import IndicatorKind
from reportgen.workbook.read.cellnumbers import number_text
from reportgen.workbook.read.cells import CellReader
from reportgen.workbook.read.raw_cell import RawCell
from reportgen.workbook.read.rows import RowValues

GROWTH_TOLERANCE = Decimal("0.05")
"""Percentage points a typed growth figure may differ from the one computed from the values."""
LEVEL_KEYS = ("baseline", "month_value", "value", "same_period")
"""Columns holding the indicator's own figures (not its growth)."""
COUNT_UNITS = frozenset(
    match_key(unit)
    for unit in (
        "hộ",
        "hộ gia đình",
        "người",
        "lao động",
        "lượt",
        "lượt người",
        "lượt khách",
        "khách",
        "xã",
        "thôn",
        "bản",
        "làng",
        "trường",
        "doanh nghiệp",
        "hợp tác xã",
        "HTX",
        "cơ sở",
        "công trình",
        "dự án",
        "con",
        "cái",
        "chiếc",
        "học sinh",
        "trẻ",
        "hồ sơ",
        "vụ",
        "ca",
        "việc làm",
        "đối tượng",
        "gia đình",
        "hội viên",
        "đảng viên",
        "thẻ",
        "giường",
        "phòng",
        "căn",
        "nhà",
        "tổ chức",
        "đơn vị",
        "cuộc",
        "lớp",
        "buổi",
        "sản phẩm",
    )
)
"""Units of things counted one by one: a figure in them has no fraction."""
_AMBIGUOUS_COMMA = re.compile(r"^\s*[+-]?\d{1,3},\d{3}\s*$")
"""'12,345': Vietnamese twelve and a bit, or English twelve thousand."""


def demanded_plan_keys(target_text: str) -> frozenset[str]:
    """The plan columns a row with this Kế hoạch năm must have filled for ``check`` to pass: the
    start-of-year level of a "giảm X" target."""
    try:
        target = parse_target(target_text) if target_text else None
    except TargetSyntaxError:
        return frozenset()
    return frozenset({"baseline"}) if target is not None and target.kind is TargetKind.REDUCTION else frozenset()


def check_duplicate_code(row: RowValues, first_seen: dict[str, RawCell], reader: CellReader) -> None:
    """Error on the second of two equal codes (compared case- and spacing-insensitively)."""
    code, cell = row.text("code"), row.cell("code")
    if code is None or cell is None:
        return
    first = first_seen.setdefault(match_key(code), cell)
    if first is not cell:
        reader.error(
            cell,
            "code.duplicate",
            f"Mã “{code}” trùng với mã ở ô {first.ref}.",
            "Mỗi dòng cần một mã riêng; sửa một trong hai mã (ví dụ đánh số tiếp theo).",
            found=code,
        )


def is_percent_unit(unit: str | None) -> bool:
    return (unit or "").strip().strip("()").strip() == "%"


def check_indicator(row: RowValues, kind: IndicatorKind | None, target: Target | None, reader: CellReader) -> None:
    """Every check of one Chỉ tiêu row that involves more than one of its cells."""
    if target is not None and target.kind is TargetKind.REDUCTION and kind is not IndicatorKind.GROWTH:
        _check_baseline(row, target, reader)
    if target is not None and kind is not None:
        _check_target_possible(row, kind, target, reader)
    _check_counts(row, reader)
    if kind is IndicatorKind.GROWTH:
        _check_growth_data(row, reader)
        return
    if kind is None:
        return
    _check_figure_present(row, reader)
    _check_not_negative(row, kind, reader)
    if kind is IndicatorKind.CUMULATIVE:
        _check_month_within_ytd(row, reader)
    if is_percent_unit(row.text("unit")):
        if kind is IndicatorKind.POINT:
            _check_rate_ceiling(row, reader)
        _check_fraction(row, target, reader)


def _check_target_possible(row: RowValues, kind: IndicatorKind, target: Target, reader: CellReader) -> None:
    """A target its own row makes impossible ("giảm 200" from 108 households) is refused on its cell."""
    problem = target_problem(target, row.decimal("baseline"), kind is IndicatorKind.GROWTH or target.growth)
    if problem:
        reader.error(
            row.cell("target"),
            "target.impossible",
            f"{row.where('target')}: {problem}.",
            "Kiểm tra lại mức giảm kế hoạch và số Đầu năm: mức giảm không thể lớn hơn mức đầu năm.",
            found=target.text,
        )


def _check_baseline(row: RowValues, target: Target, reader: CellReader) -> None:
    if not row.missing("baseline"):
        return
    cell = row.cell("baseline")
    if cell is None:
        reader.error(
            row.cell("target"),
            "baseline.missing",
            f"Kế hoạch “{target.text}” là mức giảm, cần số Đầu năm để tính đã giảm bao nhiêu, "
            "nhưng sheet không có cột “Đầu năm”.",
            "Thêm cột “Đầu năm” vào dòng tiêu đề và ghi mức đầu năm của chỉ tiêu này.",
            found=target.text,
        )
        return
    reader.error(
        cell,
        "baseline.missing",
        f"Kế hoạch “{target.text}” là mức giảm, cần số Đầu năm để tính đã giảm bao nhiêu, nhưng ô Đầu năm để trống.",
        "Ghi mức đầu năm (ví dụ số hộ tại ngày 31/12 năm trước) vào ô này.",
    )


def _check_figure_present(row: RowValues, reader: CellReader) -> None:
    """A row with no figure gets "chưa có số liệu" in the report: say so while it can still be typed."""
    if not row.missing("value"):
        return
    reader.warning(
        row.cell("value"),
        "value.missing",
        f"Chỉ tiêu “{row.text('code') or ''}” chưa có số liệu: ô “{row.labels.get('value', 'Lũy kế')}” để trống, "
        "nên báo cáo sẽ ghi “chưa có số liệu” cho chỉ tiêu này.",
        "Ghi số liệu vào ô này; nếu kỳ này thật sự chưa có số liệu thì để trống và bỏ qua cảnh báo.",
    )


def _check_month_within_ytd(row: RowValues, reader: CellReader) -> None:
    month, ytd = row.decimal("month_value"), row.decimal("value")
    if month is None or ytd is None or month <= ytd or ytd < 0:
        return
    reader.warning(
        row.cell("month_value"),
        "month.over_ytd",
        f"{row.where('month_value')}: số của kỳ ({number_text(month)}) lớn hơn số lũy kế từ đầu năm "
        f"({number_text(ytd)}), trong khi lũy kế đã gồm cả số của kỳ này.",
        "Kiểm tra lại hai số: có thể gõ nhầm cột, hoặc lũy kế chưa cộng số của kỳ này.",
        found=number_text(month),
    )


def _check_counts(row: RowValues, reader: CellReader) -> None:
    """'12,345' typed as text in a row counted one by one: warn that it was read as 12,345, not 12.345."""
    if match_key(row.text("unit") or "") not in COUNT_UNITS:
        return
    for key in LEVEL_KEYS:
        cell, number = row.cell(key), row.decimal(key)
        if cell is None or number is None or not isinstance(cell.value, str) or not _AMBIGUOUS_COMMA.match(cell.value):
            continue
        typed = cell.value.strip()
        reader.warning(
            cell,
            "number.ambiguous",
            f"{row.where(key)}: “{typed}” là {vn_num(number * 1000, 0)} hay {number_text(number)}? "
            f"Chương trình đọc kiểu Việt Nam là {number_text(number)} (dấu phẩy ngăn phần thập phân), "
            f"nhưng “{row.text('unit')}” là số đếm, không có phần lẻ.",
            f"Nếu là {vn_num(number * 1000, 0)}, gõ {vn_num(number * 1000, 0)} (dấu chấm ngăn hàng nghìn) "
            f"hoặc {int(number * 1000)}; nếu đúng là {number_text(number)} thì bỏ qua cảnh báo này.",
            found=typed,
        )


def _check_growth_data(row: RowValues, reader: CellReader) -> None:
    value, same, growth = row.decimal("value"), row.decimal("same_period"), row.decimal("growth")
    if {"value", "same_period", "growth"} & row.invalid:
        return
    if growth is None and (value is None or same is None):
        cell = row.cell("growth") or row.cell("same_period") or row.cell("value")
        # A warning, like any missing figure: the report still goes out, saying "chưa có số liệu"
        # for this row, so a half-filled month does not block the rest.
        reader.warning(
            cell,
            "growth.no_data",
            "Chỉ tiêu loại Tăng trưởng cần có cả Lũy kế và Cùng kỳ năm trước, hoặc Tốc độ tăng (%); "
            "dòng này chưa đủ nên báo cáo sẽ ghi “chưa có số liệu”.",
            "Ghi giá trị kỳ này và cùng kỳ năm trước để chương trình tự tính tốc độ tăng, "
            "hoặc ghi thẳng tốc độ tăng (%) vào cột “Tốc độ tăng (%)”.",
        )
        return
    if growth is not None and value is not None and same:
        computed = round_half_up((value / same - 1) * 100, 2)
        if abs(computed - round_half_up(growth, 2)) > GROWTH_TOLERANCE:
            reader.warning(
                row.cell("growth"),
                "growth.mismatch",
                f"Tốc độ tăng ghi {number_text(growth)}% nhưng tính từ Lũy kế ({number_text(value)}) "
                f"và Cùng kỳ năm trước ({number_text(same)}) được {number_text(computed)}%.",
                "Kiểm tra lại ba số này; báo cáo dùng tốc độ tính từ Lũy kế và Cùng kỳ.",
                found=number_text(growth),
            )


def _check_not_negative(row: RowValues, kind: IndicatorKind, reader: CellReader) -> None:
    for key in LEVEL_KEYS:
        value = row.decimal(key)
        if value is not None and value < 0:
            reader.error(
                row.cell(key),
                "count.negative",
                f"{row.where(key)}: số âm không hợp lệ; chỉ tiêu loại {kind.value} là số lượng, "
                "số tiền hoặc tỷ lệ nên không thể âm.",
                "Ghi số thực tế (không âm); mức tăng, giảm so với cùng kỳ chương trình tự tính.",
                found=number_text(value),
            )


def _check_rate_ceiling(row: RowValues, reader: CellReader) -> None:
    for key in LEVEL_KEYS:
        value = row.decimal(key)
        if value is not None and value > 100:
            reader.error(
                row.cell(key),
                "percent.over_100",
                f"{row.where(key)}: tỷ lệ (ĐVT %, loại Thời điểm) không thể lớn hơn 100%.",
                "Kiểm tra lại số liệu (tỷ lệ từ 0 đến 100); nếu ô có định dạng phần trăm mà hiện số "
                "quá lớn (ví dụ 9760%), gõ lại dạng 97,6% hoặc bỏ định dạng phần trăm của ô "
                "(Format Cells → Number → General).",
                found=number_text(value),
            )


def _check_fraction(row: RowValues, target: Target | None, reader: CellReader) -> None:
    """0,976 in a % row whose target is 97,6: the rate was typed as a fraction.

    Only for level targets where higher is better: a poverty rate of 0,5 against
    "dưới 5" is plausible, and a growth target says nothing about the level.
    """
    if target is None or target.growth or target.direction is not Direction.HIGHER or target.value <= 1:
        return
    for key in LEVEL_KEYS:
        number = row.number(key)
        if number is None or number.percent or not 0 < number.value < 1:
            continue
        meant = number_text(number.value * 100)
        reader.warning(
            row.cell(key),
            "percent.as_fraction",
            f"{row.where(key)}: {number_text(number.value)} trong dòng có ĐVT % và kế hoạch "
            f"“{target.text}”; có phải {meant}%?",
            f"Nếu đúng là {meant}% thì gõ {meant} vào ô; nếu số liệu thật sự là "
            f"{number_text(number.value)}% thì bỏ qua cảnh báo này.",
            found=number_text(number.value),
        )
