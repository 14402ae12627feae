"""Every way a template can fail, as one :class:`RenderError` naming the file, the line and the fault in Vietnamese.

Jinja words its errors in English and notices an unclosed ``{{``, ``{%`` or block only at
the next thing it reads, often lines later; staff need the line where the unclosed thing
starts (:func:`syntax_message`), the name as the template wrote it ("ky.nhan_namm", not
"nhan_namm"), and what the sandbox refused, without a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import jinja2
from jinja2.sandbox import SecurityError

from reportgen.core.errors import RenderError
from reportgen.narrative.sandbox import SandboxStop
from reportgen.narrative.template_filters import FILTERS

__all__ = ["syntax_message", "template_errors"]


@contextmanager
def template_errors(name: str) -> Iterator[None]:
    """Turn every way a template can fail into one :class:`RenderError` naming file and line."""
    try:
        yield
    except RenderError:
        raise
    except jinja2.TemplateNotFound as exc:
        raise RenderError(
            f"Không tìm thấy mẫu “{exc.name}” (trong templates/ của thư mục làm việc hoặc mẫu mặc định)."
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        line, message = syntax_message(exc)
        raise RenderError(f"Mẫu {_where(exc.filename or exc.name, line)}: sai cú pháp — {message}.") from None
    except jinja2.UndefinedError as exc:
        filename, line = _template_frame(exc)
        raise RenderError(
            f"Mẫu {_where(filename or name, line)}: không có biến “{_undefined_path(exc, filename, line)}”. "
            "Xem danh sách biến trong docs/templates.md."
        ) from None
    except SandboxStop as exc:
        filename, line = _template_frame(exc)
        raise RenderError(f"Mẫu {_where(filename or name, line)}: {exc}.") from None
    except SecurityError as exc:
        filename, line = _template_frame(exc)
        raise RenderError(f"Mẫu {_where(filename or name, line)}: {_forbidden(exc)}.") from None
    except RecursionError:
        raise RenderError(f"Mẫu {name}: macro gọi lại chính nó không dừng.") from None
    except (TypeError, ValueError, ArithmeticError, AttributeError, KeyError, IndexError) as exc:
        filename, line = _template_frame(exc)
        raise RenderError(f"Mẫu {_where(filename or name, line)}: {type(exc).__name__}: {exc}.") from None


_UNSAFE_ATTRIBUTE = re.compile(r"attribute '([^']+)' of '([^']+)' object")


def _forbidden(exc: SecurityError) -> str:
    """What the sandbox refused, in Vietnamese (Jinja words it in English)."""
    match = _UNSAFE_ATTRIBUTE.search(str(exc))
    if match:
        return (
            f"thao tác không được phép trong mẫu: dùng “{match.group(1)}” của đối tượng kiểu {match.group(2)} "
            "(phần nội bộ của Python hoặc thao tác sửa dữ liệu)"
        )
    return "thao tác không được phép trong mẫu: gọi một hàm nội bộ của Python"


def _where(filename: str | None, line: int | None) -> str:
    shown = Path(filename).name if filename else "?"
    return f"{shown}, dòng {line}" if line else shown


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template frame of ``exc``'s traceback (Jinja rewrites frames to template lines)."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".jinja", ".txt", ".md")) or "<template>" in filename:
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _undefined_name(exc: jinja2.UndefinedError) -> str:
    match = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", str(exc))
    if not match:
        return str(exc)
    return match.group(1) or match.group(2)


def _undefined_path(exc: jinja2.UndefinedError, filename: str | None, line: int | None) -> str:
    """The name as the template wrote it: "ky.nhan_namm", not "nhan_namm" (Jinja names only the attribute)."""
    name = _undefined_name(exc)
    text = _source_line(filename, line)
    match = re.search(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\." + re.escape(name) + r"(?!\w)", text) if text else None
    return f"{match.group(1)}.{name}" if match else name


def _source_line(filename: str | None, line: int | None) -> str:
    if not filename or not line:
        return ""
    try:
        lines = Path(filename).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    return lines[line - 1] if 0 < line <= len(lines) else ""


_BLOCK_TAGS = {"if", "for", "macro", "call", "filter", "block", "with", "raw", "autoescape", "trans"}


def syntax_message(exc: jinja2.TemplateSyntaxError) -> tuple[int | None, str]:
    """(line, Vietnamese sentence) for a template syntax error.

    Jinja notices an unclosed ``{{``, ``{%`` or block only at the next thing it reads, often a line or many
    lines later, and words it in English; staff need the line where the unclosed thing starts, in Vietnamese.
    """
    message = exc.message or ""
    source = exc.source if exc.source is not None else _source_text(exc.filename)
    opened = _open_constructs(source, exc.lineno) if source else _Open()
    found = re.search(r"(?:got|unexpected) '([^']*)'", message)
    got = found.group(1) if found else ""
    if "end of print statement" in message:
        if opened.expression:
            return opened.expression, "biểu thức “{{ … }}” mở ở dòng này chưa được đóng: thiếu “}}”"
        return exc.lineno, f"biểu thức “{{{{ … }}}}” có chữ thừa “{got}”, hoặc thiếu “}}}}”"
    if "end of statement block" in message:
        if opened.statement:
            return opened.statement, f"lệnh “{{% … %}}” mở ở dòng này chưa được đóng: thiếu “%}}” trước “{got}”"
        return exc.lineno, f"lệnh “{{% … %}}” có chữ thừa “{got}”, hoặc thiếu “%}}”"
    innermost = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
    if innermost and opened.blocks:
        tag, line = opened.blocks[-1]
        stray = re.search(r"unknown tag '(\w+)'", message)
        if stray:
            return line, (
                f"khối “{{% {tag} %}}” mở ở dòng này chưa được đóng (thiếu “{{% end{tag} %}}”) thì đã gặp "
                f"“{{% {stray.group(1)} %}}” ở dòng {exc.lineno}"
            )
        return line, f"khối “{{% {tag} %}}” mở ở dòng này chưa được đóng: thiếu “{{% end{tag} %}}”"
    unknown = re.search(r"Encountered unknown tag '(\w+)'", message)
    if unknown:
        return exc.lineno, f"không có lệnh “{{% {unknown.group(1)} %}}” trong mẫu (viết sai tên lệnh?)"
    filter_name = re.search(r"No filter named '(\w+)'", message)
    if filter_name:
        known = ", ".join(sorted(FILTERS))
        return exc.lineno, f"không có bộ lọc “{filter_name.group(1)}”; các bộ lọc riêng của reportgen: {known}"
    if message.startswith("unexpected char"):
        return exc.lineno, "chuỗi trong dấu nháy chưa được đóng, hoặc có ký tự không đúng chỗ"
    if message.startswith("Missing end of comment tag"):
        return exc.lineno, "ghi chú “{# … #}” chưa được đóng: thiếu “#}”"
    if message.startswith("unexpected") and opened.expression:
        return opened.expression, "biểu thức “{{ … }}” mở ở dòng này chưa được đóng: thiếu “}}”"
    if message.startswith("unexpected") and got:
        return exc.lineno, f"“{got}” không đúng chỗ (kiểm tra các cặp “{{{{ }}}}”, “{{% %}}” và dấu ngoặc)"
    return exc.lineno, f"không đọc được mẫu ({message})"


class _Open:
    """What is open at a line: the last unclosed “{{” and “{%”, and the stack of unclosed blocks."""

    def __init__(self) -> None:
        self.expression: int | None = None
        self.statement: int | None = None
        self.blocks: list[tuple[str, int]] = []


def _open_constructs(source: str, upto: int | None) -> _Open:
    opened = _Open()
    lexer = jinja2.Environment(trim_blocks=False, lstrip_blocks=True).lexer
    previous = ""
    try:
        for line, kind, value in lexer.tokeniter(source, None):
            if upto is not None and line > upto:
                break
            if kind == "variable_begin":
                opened.expression = line
            elif kind == "variable_end":
                opened.expression = None
            elif kind == "block_begin":
                opened.statement = line
            elif kind == "block_end":
                opened.statement = None
            elif kind == "name" and previous == "block_begin":
                if value in _BLOCK_TAGS:
                    opened.blocks.append((value, line))
                elif value.startswith("end") and opened.blocks and opened.blocks[-1][0] == value[3:]:
                    opened.blocks.pop()
            if kind != "whitespace":
                previous = kind
    except jinja2.TemplateSyntaxError:
        pass  # the lexer stops where the parser did; what was read so far is what is open
    return opened


def _source_text(filename: str | None) -> str | None:
    try:
        return Path(filename).read_text(encoding="utf-8") if filename else None
    except (OSError, UnicodeDecodeError):
        return None
