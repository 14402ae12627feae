"""A TOML syntax error of reportgen.toml said in Vietnamese: where, what is probably wrong, the line itself.

Python's TOML reader words its errors for programmers ("Illegal character '\\n' (at line 12, column 36)").
Staff edit reportgen.toml in Notepad: what they get wrong is a missing closing quote, a name without
quotes, Word's curly quotes, a Windows path in double quotes, a table or key written twice.  This
module recognises those from the reader's message and the line, and says what to do.
"""

from __future__ import annotations

import re
import tomllib

_WHERE = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")


def explain(error: tomllib.TOMLDecodeError, text: str) -> str:
    """ "sai cú pháp ở dòng 12, cột 36: <what and what to do>." and the line with a caret under the column."""
    message = str(error)
    where = _WHERE.search(message)
    bare = message[: where.start()] if where else message
    lines = text.splitlines()
    if where and where.group(1):
        line, column = int(where.group(1)), int(where.group(2))
    else:  # at the end of the document
        line = max(len(lines), 1)
        column = len(lines[-1]) + 1 if lines else 1
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    line, column, source, cause = _cause(bare, lines, line, column, source)
    shown = source.replace("\t", " ")
    pointer = " " * (len(str(line)) + 3 + max(column - 1, 0)) + "^"
    return f"sai cú pháp ở dòng {line}, cột {column}: {cause}.\n    {line} | {shown}\n    {pointer}"


def _cause(bare: str, lines: list[str], line: int, column: int, source: str) -> tuple[int, int, str, str]:
    """(line, column, the line's text, the cause in Vietnamese): some errors are noticed past their cause."""
    if bare.startswith(("Illegal character '\\n'", "Unterminated string")):
        return (
            line,
            column,
            source,
            (
                'chuỗi chưa có dấu nháy đóng: thêm dấu " ở cuối giá trị (mỗi giá trị chữ nằm '
                'trọn trên một dòng, giữa hai dấu ")'
            ),
        )
    if bare.startswith("Illegal character"):
        return line, column, source, f"có ký tự không được phép trong chuỗi ({bare.split(' ', 2)[2]}); xóa ký tự đó"
    if bare.startswith("Expected '=' after a key"):
        return line, column, source, 'thiếu dấu “=” giữa tên khóa và giá trị (ví dụ: place = "Bình Liêu")'
    if bare.startswith("Invalid value"):
        return line, column, source, _invalid_value(source[column - 1 :] if column > 0 else "")
    if bare.startswith("Cannot overwrite a value"):
        key = source.split("=", 1)[0].strip() or "này"
        return line, column, source, f"khóa “{key}” được khai báo hai lần trong cùng một mục; xóa một dòng"
    declared = re.match(r"Cannot declare \((.*)\) twice", bare)
    if declared:
        name = ".".join(part.strip(" '\"") for part in declared.group(1).split(",") if part.strip())
        return line, column, source, f"mục [{name}] được khai báo hai lần; gộp các khóa của nó vào một mục"
    if bare.startswith("Unclosed array"):
        start = _array_start(lines, line)
        return (
            start,
            1,
            lines[start - 1] if 0 < start <= len(lines) else source,
            ('danh sách mở bằng “[” ở dòng này chưa được đóng bằng “]” (mỗi phần tử trong dấu ", cách nhau dấu phẩy)'),
        )
    if bare.startswith("Expected ']' at the end of a table"):
        return line, column, source, "tên mục thiếu dấu “]” đóng, ví dụ [mail]"
    if bare.startswith(("Invalid hex value", "Unescaped '\\'", "Invalid escape")) or "escape" in bare:
        return (
            line,
            column,
            source,
            (
                "dấu “\\” trong chuỗi nháy kép (đường dẫn Windows?): dùng nháy đơn, ví dụ "
                "'C:\\Bao cao', hoặc viết mỗi dấu thành “\\\\”"
            ),
        )
    if bare.startswith("Invalid statement"):
        return line, column, source, "dòng này không phải “khóa = giá trị” hay “[mục]”; thêm # ở đầu nếu là ghi chú"
    if bare.startswith("Expected newline or end of document after a statement"):
        return (
            line,
            column,
            source,
            ('thừa chữ sau giá trị: mỗi dòng một khóa; giá trị chữ (kể cả ngày, giờ) đặt trọn trong một cặp dấu "'),
        )
    return line, column, source, f"không đọc được ({bare})"


def _invalid_value(rest: str) -> str:
    first = rest[:1]
    if first in "“”‘’“”":
        return 'dùng dấu nháy thẳng " thay cho dấu nháy cong “ ” (Word và điện thoại hay tự đổi)'
    if rest.startswith(("True", "False", "TRUE", "FALSE")):
        return "giá trị đúng/sai viết chữ thường: true hoặc false"
    if first == ",":
        return "thừa dấu phẩy trong danh sách"
    if first.isalpha():
        return 'giá trị chữ phải đặt trong dấu nháy kép, ví dụ name = "Nguyễn Văn A"'
    return 'giá trị không hợp lệ: chữ đặt trong dấu "…", số viết liền (ví dụ 20), danh sách trong […]'


def _array_start(lines: list[str], line: int) -> int:
    """The line of the key whose list is not closed: the nearest line above ``line`` with "= [" on it."""
    for number in range(min(line, len(lines)), 0, -1):
        if re.search(r"=\s*\[", lines[number - 1]):
            return number
    return line


__all__ = ["explain"]
