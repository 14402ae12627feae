"""One cell's value, read the way staff meant it, with an issue on the cell when it cannot be.

:class:`CellReader` turns a :class:`~reportgen.workbook.read.raw_cell.RawCell` (what the
reader sees of an openpyxl cell) into text, a number or a yes/no flag:

- text is NFC, ``_xHHHH_`` escapes decoded, control characters removed with a
  warning, legacy TCVN3/VNI text refused;
- numbers come from numeric cells, from percent-formatted cells (stored 0.831,
  shown 83,1% → 83.1, because figures are in the unit of the ĐVT column) and
  from Vietnamese text ("1.234,5", "97,6%");
- Excel error values, formulas never calculated, booleans and dates where a
  number belongs are errors that say how to fix them.

Readers return :data:`~reportgen.workbook.read.raw_cell.INVALID` when the cell had an
error, so row checks do not report the same cell twice ("blank" after "not a number").
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP

from reportgen.core.issues import error, warning
from reportgen.core.vnformat import NumberStyle, parse_vn_number, to_decimal, vn_num
from reportgen.core.vntext import clean, is_control, legacy_encoding, match_key, reported_characters
from reportgen.settings.limits import Limits, ReadBudget
from reportgen.workbook.read.cellnumbers import (
    FIGURE_DECIMALS,
    FIGURE_LIMIT,
    Number,
    is_percent_format,
    number_text,
    tidy,
)
from reportgen.workbook.read.issuelog import IssueLog
from reportgen.workbook.read.printable import unprintable
from reportgen.workbook.read.raw_cell import INVALID, Invalid, RawCell, shown_date

__all__ = ["EXCEL_ERRORS", "CellReader", "is_legacy_font"]

EXCEL_ERRORS = {
    "#DIV/0!": "phép chia cho 0 hoặc cho ô trống",
    "#REF!": "công thức tham chiếu tới ô hoặc sheet đã bị xóa",
    "#VALUE!": "công thức dùng sai kiểu dữ liệu (ví dụ cộng chữ với số)",
    "#N/A": "công thức tra cứu không tìm thấy giá trị",
    "#NAME?": "công thức có tên hàm hoặc tên vùng không đúng",
    "#NUM!": "phép tính cho ra số không hợp lệ",
    "#NULL!": "hai vùng tham chiếu không giao nhau",
    "#SPILL!": "kết quả công thức mảng bị ô khác chắn",
    "#CALC!": "công thức không tính được",
    "#GETTING_DATA": "dữ liệu chưa tải xong",
}
_NO_MARKS = {"không", "false", "0", "-", "–"}
"""A flag cell that says "no" outright: no warning."""
_DASHES = {"-", "–", "—", "--"}
"""What tables write for "no figure"."""
_LEGACY_SOURCE = {"TCVN3": "TCVN3 (ABC)", "VNI": "VNI Windows"}


def is_legacy_font(name: str | None) -> bool:
    """.VnTime, .VnTimeH, VNI-Times …: fonts made for the 8-bit encodings."""
    folded = (name or "").strip().lower()
    return folded.startswith((".vn", "vni"))


class CellReader:
    """Reads cells of one sheet, reporting problems into the shared log.

    Every method takes ``where``, the phrase that names the cell's role at the
    start of a message: "Cột “Lũy kế”" on a list sheet, "Mục “Kỳ báo cáo”" on
    Thông tin.
    """

    def __init__(self, log: IssueLog, sheet: str, limits: Limits, budget: ReadBudget | None = None) -> None:
        self.log = log
        self.sheet = sheet
        self.limits = limits
        self.budget = budget or ReadBudget(limits)

    # -- issues ---------------------------------------------------------------
    def error(self, cell: RawCell | None, code: str, message: str, hint: str = "", found: object = None) -> None:
        self.log.add(error(code, message, hint, sheet=self.sheet, cell=cell.ref if cell else None, found=found))

    def warning(self, cell: RawCell | None, code: str, message: str, hint: str = "", found: object = None) -> None:
        self.log.add(warning(code, message, hint, sheet=self.sheet, cell=cell.ref if cell else None, found=found))

    # -- common ---------------------------------------------------------------
    def usable(self, cell: RawCell, where: str) -> bool:
        """False (with an error) for a value hidden under a merged range, a formula never calculated
        or an Excel error value."""
        if cell.hidden is not None:
            shown = shown_date(cell.hidden) if isinstance(cell.hidden, (date, time, timedelta)) else cell.hidden
            self.error(
                cell,
                "cell.under_merge",
                f"{where}: ô nằm trong vùng gộp ô {cell.merge} nên Excel không hiện giá trị của ô, "
                "nhưng ô vẫn chứa một giá trị; không rõ giá trị nào mới đúng.",
                f"Chọn vùng {cell.merge}, bỏ gộp ô (Home → Merge & Center → Unmerge Cells), xem lại giá trị "
                "từng ô: xóa giá trị thừa hoặc để mỗi ô một giá trị, rồi chạy lại.",
                found=shown,
            )
            return False
        if cell.uncached_formula:
            self.error(
                cell,
                "formula.no_cache",
                f"{where}: ô có công thức nhưng chưa có kết quả tính sẵn (tệp được tạo bằng "
                "chương trình khác và chưa từng được mở, lưu trong Excel).",
                "Mở tệp trong Excel, bấm Save (Ctrl+S) để Excel tính và lưu kết quả, rồi chạy lại.",
            )
            return False
        value = cell.value
        if cell.data_type == "e" or (isinstance(value, str) and value.strip() in EXCEL_ERRORS):
            code = str(value).strip()
            meaning = EXCEL_ERRORS.get(code, "công thức bị lỗi")
            self.error(
                cell,
                "formula.error",
                f"{where}: ô báo lỗi Excel {code}: {meaning}.",
                "Sửa công thức, hoặc xóa công thức và nhập thẳng số liệu; để trống nếu chưa có số liệu.",
                found=code,
            )
            return False
        return True

    # -- text -----------------------------------------------------------------
    def text(
        self,
        cell: RawCell,
        where: str,
        multiline: bool = False,
        max_chars: int | None = None,
        printed: bool = True,
        accepts: str = "any",
    ) -> str | Invalid | None:
        """Cell content as clean NFC text; numbers and dates are written the Vietnamese way.

        ``max_chars`` is the column's own bound (text printed in a table cell, the
        header or the signature must fit its box), below ``limits.max_cell_chars``;
        ``printed`` text must also consist of characters every report font can draw.
        ``accepts`` (a :attr:`Column.accepts <reportgen.workbook.schema.Column.accepts>`)
        refuses a date where a code belongs, and a number or a date where a name does.
        """
        if not self.usable(cell, where):
            return INVALID
        value = cell.value
        if value is None:
            return None
        if accepts != "any" and not self._accepts(cell, value, where, accepts):
            return INVALID
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, (int, float)):
            return number_text(self._numeric(cell).value)
        if isinstance(value, (datetime, date, time, timedelta)):
            return shown_date(value)
        return self._string(cell, str(value), where, multiline, max_chars, printed)

    def _accepts(self, cell: RawCell, value: object, where: str, accepts: str) -> bool:
        """Whether ``value``'s type belongs in a cell that ``accepts`` "words" or a "code"; else an error."""
        if isinstance(value, (datetime, date, time, timedelta)):
            what, hint = (
                "ngày tháng (Excel tự đổi chữ vừa gõ thành ngày)",
                "Chọn ô, vào Format Cells → Number → Text, rồi gõ lại đúng nội dung (hoặc gõ dấu nháy đơn ' "
                "ở đầu, ví dụ '10-12, để Excel giữ nguyên chữ).",
            )
            found = shown_date(value)
        elif accepts == "words" and isinstance(value, (bool, int, float)):
            what, hint = (
                "một con số" if not isinstance(value, bool) else "giá trị đúng/sai (TRUE/FALSE)",
                "Ghi chữ (tên) vào ô; có thể số liệu bị dán nhầm cột, kiểm tra lại các cột bên cạnh.",
            )
            found = number_text(self._numeric(cell).value) if not isinstance(value, bool) else str(value).upper()
        else:
            return True
        need = "chữ (tên)" if accepts == "words" else "mã hoặc chữ"
        self.error(cell, "text.wrong_type", f"{where} cần {need} nhưng ô chứa {what}.", hint, found=found)
        return False

    def _string(
        self, cell: RawCell, raw: str, where: str, multiline: bool, max_chars: int | None = None, printed: bool = True
    ) -> str | Invalid | None:
        if "text" in self.budget.reported:
            return INVALID  # past max_text_chars: said once, and no more text is held in memory
        issue = self.budget.spend_text(len(raw), self.sheet, cell.ref)
        if issue is not None:
            self.log.add(issue)
            return INVALID
        if self._too_long(cell, raw, where, max_chars):
            return INVALID
        cleaned = clean(raw, multiline=multiline)
        if self.is_legacy(cell, cleaned.text, where):
            return INVALID
        if cleaned.removed_controls:
            self._controls(cell, raw, where, multiline, cleaned.text)
        if printed and self._unprintable(cell, cleaned.text, where):
            return INVALID
        return cleaned.text or None

    def _too_long(self, cell: RawCell, raw: str, where: str, max_chars: int | None) -> bool:
        """True (with an error) past the column's bound or the configured ``max_cell_chars``."""
        limit = min(max_chars or self.limits.max_cell_chars, self.limits.max_cell_chars)
        boxed = limit < self.limits.max_cell_chars  # the column's own bound, not the configured one
        if len(raw) <= limit:
            return False
        hint = (
            "Rút gọn nội dung ô: cột này được in vào chỗ có hạn của báo cáo (bảng, biểu đồ, tiêu đề, phần ký) "
            "nên phải ngắn gọn; phần giải thích dài ghi vào cột “Ghi chú” hoặc sheet “Nhận định”."
            if boxed
            else "Rút gọn nội dung ô; đoạn văn dài nên tách thành nhiều dòng ở sheet “Nhận định”."
        )
        self.error(
            cell,
            "text.too_long",
            f"{where}: ô dài {vn_num(len(raw), 0)} ký tự, vượt giới hạn {vn_num(limit, 0)} ký tự.",
            hint,
            found=raw[:80],
        )
        return True

    def _unprintable(self, cell: RawCell, text: str, where: str) -> bool:
        """True (with an error) when ``text`` holds a character the report's fonts cannot draw."""
        found = unprintable(text)
        if not found:
            return False
        shown = ", ".join(f"“{char}” (U+{ord(char):04X})" for char in found[:5])
        more = f" và {len(found) - 5} ký tự khác" if len(found) > 5 else ""
        self.error(
            cell,
            "text.unprintable",
            f"{where}: ô có ký tự {shown}{more} mà phông chữ của văn bản hành chính không có, "
            "nên không in được vào báo cáo.",
            "Xóa hoặc thay bằng chữ thường (ví dụ ghi “đồng” thay cho “₫”, bỏ biểu tượng cảm xúc, "
            "ký hiệu lấy từ phông Wingdings/Symbol); chữ nước ngoài chỉ dùng được chữ Latinh, "
            "Hy Lạp, Nga.",
            found=text[:80],
        )
        return True

    def is_legacy(self, cell: RawCell, text: str, where: str) -> bool:
        """True (with an error on the cell) when ``text`` is TCVN3 or VNI, judged with the cell's font."""
        encoding = legacy_encoding(text, cell.font_name)
        if encoding:
            self._legacy(cell, encoding, where, text)
        return encoding is not None

    def _legacy(self, cell: RawCell, encoding: str, where: str, text: str) -> None:
        font = f", phông “{cell.font_name}”" if is_legacy_font(cell.font_name) else ""
        self.error(
            cell,
            "text.legacy_encoding",
            f"{where}: chữ trong ô gõ bằng bảng mã cũ {encoding}{font}, không phải Unicode, nên không đọc đúng được.",
            "Chuyển sang Unicode bằng Unikey: bôi đen các ô, chép (Ctrl+C), mở Unikey Toolkit "
            f"(Ctrl+Shift+F6), chọn nguồn “{_LEGACY_SOURCE[encoding]}”, đích “Unicode”, bấm “Chuyển mã”, "
            "dán lại (Ctrl+V); rồi đổi phông chữ của các ô sang Times New Roman.",
            found=text,
        )

    def _controls(self, cell: RawCell, raw: str, where: str, multiline: bool, text: str) -> None:
        found = reported_characters(raw)
        names = ", ".join(f"U+{ord(ch):04X}" for ch in found)
        breaks = all(ch in "\x0b\x0c" for ch in found)
        done = ("đã thay bằng xuống dòng" if multiline else "đã thay bằng dấu cách") if breaks else "đã bỏ đi"
        what = (
            "ký tự điều khiển không in được ({names}), thường do dán từ Word"
            if all(map(is_control, found))
            else "ký tự ẩn hoặc không hợp lệ trong văn bản ({names}), thường do dán từ trang web hoặc phần mềm khác"
        ).format(names=names)
        self.warning(
            cell,
            "text.control_chars",
            f"{where}: ô có {what}; chương trình {done}.",
            "Không cần làm gì nếu nội dung đúng; muốn hết cảnh báo, gõ lại nội dung ô hoặc dùng hàm CLEAN của Excel.",
            found=text,
        )

    # -- numbers --------------------------------------------------------------
    def number(self, cell: RawCell, where: str) -> Number | Invalid | None:
        """A figure; blank, "-" and "–" mean no figure."""
        if not self.usable(cell, where):
            return INVALID
        value = cell.value
        if value is None:
            return None
        if isinstance(value, bool):
            return self._not_a_number(
                cell,
                "number.boolean",
                where,
                "giá trị đúng/sai (TRUE/FALSE)",
                "Nhập con số vào ô, hoặc để trống nếu chưa có số liệu.",
                "TRUE" if value else "FALSE",
            )
        if isinstance(value, (datetime, date, time, timedelta)):
            return self._not_a_number(
                cell,
                "number.date",
                where,
                "ngày tháng (Excel tự đổi số vừa gõ thành ngày)",
                "Chọn ô, vào Format Cells → Number → General, rồi gõ lại con số (ví dụ 83,1).",
                shown_date(value),
            )
        if isinstance(value, (int, float)):
            return self._figure(cell, where, self._numeric(cell))
        return self._number_text(cell, str(value), where)

    def _numeric(self, cell: RawCell) -> Number:
        """The cell's number in the unit of the ĐVT column, unbounded (also used for codes and targets)."""
        value = to_decimal(cell.value)  # type: ignore[arg-type]  # int or float here
        if is_percent_format(cell.number_format):
            return Number(tidy(value * 100), percent=True)
        return Number(tidy(value))

    def _figure(self, cell: RawCell, where: str, number: Number) -> Number | Invalid:
        """A figure within what Excel stores exactly, rounded to FIGURE_DECIMALS places.

        Rounding drops the binary noise of formula results (61.20000000000001 → 61.2);
        the bound keeps later percentages and roundings inside decimal precision.
        """
        if not number.value.is_finite() or abs(number.value) >= FIGURE_LIMIT:
            self.error(
                cell,
                "number.too_large",
                f"{where}: số quá lớn, vượt 15 chữ số mà Excel lưu được chính xác.",
                "Kiểm tra lại số liệu và đơn vị tính (ví dụ ghi theo tỷ đồng thay vì đồng).",
                found=number_text(number.value),
            )
            return INVALID
        rounded = number.value.quantize(FIGURE_DECIMALS, rounding=ROUND_HALF_UP)
        return Number(tidy(rounded), number.percent)

    def _not_a_number(self, cell: RawCell, code: str, where: str, what: str, hint: str, found: str) -> Invalid:
        self.error(cell, code, f"{where} cần một con số nhưng ô chứa {what}.", hint, found=found)
        return INVALID

    def _number_text(self, cell: RawCell, raw: str, where: str) -> Number | Invalid | None:
        text = self._string(cell, raw, where, multiline=False, printed=False)  # only the number is printed
        if text is None or isinstance(text, Invalid):
            return text
        if text in _DASHES:
            return None
        parsed = parse_vn_number(text)
        if parsed is None:
            self.error(
                cell,
                "number.invalid",
                f"{where} cần một con số nhưng ô ghi chữ.",
                "Chỉ ghi con số, ví dụ 83,1 hoặc 1.234,5 (đơn vị đã có ở cột ĐVT); để trống nếu chưa có số liệu.",
                found=text,
            )
            return INVALID
        value, style = parsed
        if style == NumberStyle.ENGLISH:
            grouped = "," in text  # "1,234,567" or "1,234.5": English thousands commas
            exponent = tidy(value).as_tuple().exponent  # an int: the parsed number is finite
            places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            shown = vn_num(value, places) if grouped else number_text(value)
            how = "dấu phẩy ngăn hàng nghìn kiểu tiếng Anh" if grouped else "dấu chấm thập phân kiểu tiếng Anh"
            self.warning(
                cell,
                "number.english_decimal",
                f"{where}: “{text}” được hiểu là {shown} ({how}).",
                f"Kiểm tra lại; cách viết Việt Nam là {shown} (dấu phẩy ngăn phần thập phân, "
                "dấu chấm ngăn hàng nghìn).",
                found=text,
            )
        return self._figure(cell, where, Number(value, percent=text.endswith("%")))

    # -- flags ----------------------------------------------------------------
    def flag(self, cell: RawCell, where: str, marks: tuple[str, ...], code: str, meaning: str) -> bool:
        """True for one of ``marks`` (or a TRUE cell); False when blank or an explicit "không";
        anything else warns and is False."""
        if not self.usable(cell, where):
            return False
        if isinstance(cell.value, bool):
            return cell.value
        text = self.text(cell, where)
        if text is None or isinstance(text, Invalid):
            return False
        if match_key(text) in {match_key(mark) for mark in marks}:
            return True
        if match_key(text) in _NO_MARKS:
            return False
        shown = ", ".join(f"“{mark}”" for mark in marks)
        self.warning(
            cell,
            code,
            f"{where} chỉ nhận {shown} (là {meaning}) hoặc để trống; giá trị này được coi là để trống.",
            f"Ghi “{marks[0]}” nếu đúng là {meaning}, nếu không thì xóa nội dung ô.",
            found=text,
        )
        return False
