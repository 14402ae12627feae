"""The Jinja2 environment templates run in: sandboxed, strict, Vietnamese filters.

Templates are looked up in the working folder's templates/ first and then in
the built-in defaults, file by file, so staff change one sentence without
copying the rest.  Undefined names are errors that name the template file, the
line and the name (user-pain.md item 6); templates cannot reach Python
internals, read files nor run away (:mod:`.sandbox`; bounded output), and
what they produce reaches the document with XML-invalid characters removed.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import platformdirs
from jinja2.sandbox import SecurityError

from reportgen.core.errors import RenderError
from reportgen.core.periods import Period
from reportgen.core.vnformat import nd30_date, round_half_up, short_date, vn_amount, vn_num, vn_pct
from reportgen.core.vntext import tidy, xml_safe
from reportgen.narrative.sandbox import ReportSandbox, SandboxStop, TemplateFolderLoader

MAX_OUTPUT_CHARS = 10_000_000
"""A template producing more than this is stopped.  The report's text takes about 190 characters per
indicator, so the largest workbook the reader accepts by default (max_rows = 20,000) stays near 4 million."""


def default_templates_dir() -> Path:
    """The built-in templates: the repository's templates/ folder, packaged as reportgen/default_templates."""
    packaged = Path(str(resources.files("reportgen"))) / "default_templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def make_environment(override_dir: Path | None = None) -> jinja2.Environment:
    """The template environment for a working folder's templates/ over the built-in ones.

    One per folder per process (a batch builds hundreds of reports with it), and
    compiled templates are kept on disk between processes (:func:`bytecode_cache`):
    compiling the three templates costs more than rendering them.
    """
    folder = override_dir if override_dir and override_dir.is_dir() else None
    return _environment(folder)


@lru_cache(maxsize=16)
def _environment(override_dir: Path | None) -> jinja2.Environment:
    folders = [str(override_dir)] if override_dir else []
    folders.append(str(default_templates_dir()))
    env = ReportSandbox(
        loader=TemplateFolderLoader(folders, encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        # Control lines leave blank lines behind, which the line-based markup ignores;
        # trim_blocks would instead glue words across lines ("phần trămso với").
        trim_blocks=False,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=True,  # `reportgen watch` runs for weeks: an edited template is picked up
        bytecode_cache=bytecode_cache(),
    )
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    return env


CACHE_ENV = "REPORTGEN_CACHE_DIR"


def cache_root() -> Path:
    """Where reportgen keeps caches: $REPORTGEN_CACHE_DIR, else the platform's user cache folder (platformdirs:
    %LOCALAPPDATA%\\reportgen\\Cache on Windows, ~/Library/Caches/reportgen on macOS, $XDG_CACHE_HOME/reportgen)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    return Path(platformdirs.user_cache_dir("reportgen", appauthor=False))


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates on disk, in a folder named after the code that compiles them (this
    package's version and its sandbox rules), so an upgrade never runs stale compiled code.
    Jinja checks each template's source checksum itself.  No cache if the folder cannot be made."""
    from reportgen import __version__
    from reportgen.narrative import sandbox

    stamp = hashlib.sha256(Path(sandbox.__file__).read_bytes() + Path(__file__).read_bytes()).hexdigest()[:12]
    folder = cache_root() / f"jinja-{__version__}-{jinja2.__version__}-{stamp}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def render(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render template ``name``; any template fault becomes a :class:`RenderError` saying where."""
    with template_errors(name):
        _start_budget(env)
        return _bounded(env.get_template(name).generate(**context), name)


def call_macro(
    env: jinja2.Environment,
    name: str,
    macro: str,
    context: dict[str, Any],
    *args: Any,
    modules: dict[str, Any] | None = None,
    optional: dict[str, Any] | None = None,
) -> str:
    """Call ``macro`` of template ``name`` (e.g. ``trich_yeu`` of khung.j2) with the same error reporting.

    ``modules``, kept by the caller for one report, holds each template's module once made: making it
    runs the template's top level again, and a report calls a dozen macros of the same template.
    ``optional`` arguments are passed by name only to a macro that declares them, so a working
    folder's own copy of a template, written before an argument was added, keeps working.
    """
    with template_errors(name):
        _start_budget(env)
        if modules is None:
            modules = {}
        if name not in modules:
            modules[name] = env.get_template(name).make_module(context)
        function = getattr(modules[name], macro, None)
        if function is None:
            raise RenderError(f"Mẫu {name}: thiếu macro «{macro}» (xem docs/templates.md).")
        declared = set(getattr(function, "arguments", ()))
        extra = {key: value for key, value in (optional or {}).items() if key in declared}
        try:
            result = str(function(*args, **extra))
        except Exception:  # noqa: BLE001 - re-raised at once, its traceback rewritten to template lines
            env.handle_exception()
        return _bounded(iter([result]), name)


def _start_budget(env: jinja2.Environment) -> None:
    """Each render gets the sandbox's full time, loop and depth budget."""
    budget = getattr(env, "budget", None)
    if budget is not None:
        budget.start()


def _bounded(chunks: Any, name: str) -> str:
    """The output, stopped past MAX_OUTPUT_CHARS, with characters XML cannot hold removed
    (a template may write them, or a string literal such as "\\x07" may produce them)."""
    out, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise RenderError(
                f"Mẫu {name}: kết quả dài quá {vn_num(MAX_OUTPUT_CHARS, 0)} ký tự; kiểm tra vòng lặp trong mẫu."
            )
        out.append(chunk)
    return xml_safe("".join(out))


@contextmanager
def template_errors(name: str) -> Iterator[None]:
    """Turn every way a template can fail into one :class:`RenderError` naming file and line."""
    try:
        yield
    except RenderError:
        raise
    except jinja2.TemplateNotFound as exc:
        raise RenderError(
            f"Không tìm thấy mẫu «{exc.name}» (trong templates/ của thư mục làm việc hoặc mẫu mặc định)."
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        line, message = syntax_message(exc)
        raise RenderError(f"Mẫu {_where(exc.filename or exc.name, line)}: sai cú pháp — {message}.") from None
    except jinja2.UndefinedError as exc:
        filename, line = _template_frame(exc)
        raise RenderError(
            f"Mẫu {_where(filename or name, line)}: không có biến «{_undefined_path(exc, filename, line)}». "
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
            f"thao tác không được phép trong mẫu: dùng «{match.group(1)}» của đối tượng kiểu {match.group(2)} "
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


# ------------------------------------------------------------ syntax errors ----

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
            return opened.expression, "biểu thức «{{ … }}» mở ở dòng này chưa được đóng: thiếu «}}»"
        return exc.lineno, f"biểu thức «{{{{ … }}}}» có chữ thừa «{got}», hoặc thiếu «}}}}»"
    if "end of statement block" in message:
        if opened.statement:
            return opened.statement, f"lệnh «{{% … %}}» mở ở dòng này chưa được đóng: thiếu «%}}» trước «{got}»"
        return exc.lineno, f"lệnh «{{% … %}}» có chữ thừa «{got}», hoặc thiếu «%}}»"
    innermost = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
    if innermost and opened.blocks:
        tag, line = opened.blocks[-1]
        stray = re.search(r"unknown tag '(\w+)'", message)
        if stray:
            return line, (
                f"khối «{{% {tag} %}}» mở ở dòng này chưa được đóng (thiếu «{{% end{tag} %}}») thì đã gặp "
                f"«{{% {stray.group(1)} %}}» ở dòng {exc.lineno}"
            )
        return line, f"khối «{{% {tag} %}}» mở ở dòng này chưa được đóng: thiếu «{{% end{tag} %}}»"
    unknown = re.search(r"Encountered unknown tag '(\w+)'", message)
    if unknown:
        return exc.lineno, f"không có lệnh «{{% {unknown.group(1)} %}}» trong mẫu (viết sai tên lệnh?)"
    filter_name = re.search(r"No filter named '(\w+)'", message)
    if filter_name:
        known = ", ".join(sorted(FILTERS))
        return exc.lineno, f"không có bộ lọc «{filter_name.group(1)}»; các bộ lọc riêng của reportgen: {known}"
    if message.startswith("unexpected char"):
        return exc.lineno, "chuỗi trong dấu nháy chưa được đóng, hoặc có ký tự không đúng chỗ"
    if message.startswith("Missing end of comment tag"):
        return exc.lineno, "ghi chú «{# … #}» chưa được đóng: thiếu «#}»"
    if message.startswith("unexpected") and opened.expression:
        return opened.expression, "biểu thức «{{ … }}» mở ở dòng này chưa được đóng: thiếu «}}»"
    if message.startswith("unexpected") and got:
        return exc.lineno, f"«{got}» không đúng chỗ (kiểm tra các cặp «{{{{ }}}}», «{{% %}}» và dấu ngoặc)"
    return exc.lineno, f"không đọc được mẫu ({message})"


class _Open:
    """What is open at a line: the last unclosed «{{» and «{%», and the stack of unclosed blocks."""

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


# ----------------------------------------------------------------- filters ----


def _so(value: Any, decimals: int = 2) -> str:
    """{{ x | so }} → '8.000', '83,1'; {{ x | so(0) }} → '498'."""
    return "-" if value is None else vn_num(value, decimals)


def _pt(value: Any, decimals: int = 2) -> str:
    """{{ x | pt }} → '102,27%' (x already in percent)."""
    return "-" if value is None else vn_pct(value, decimals)


def _so_dvt(value: Any, unit: str, decimals: int = 3) -> str:
    """{{ x | so_dvt(ct.dvt) }} → '124,6 tỷ đồng', '83,1%'."""
    return "-" if value is None else vn_amount(value, unit, decimals)


def _ngay(value: date | None) -> str:
    """{{ d | ngay }} → 'ngày 05 tháng 01 năm 2023'."""
    return "" if value is None else nd30_date(value)


def _ngay_ngan(value: date | None) -> str:
    """{{ d | ngay_ngan }} → '05/01/2023'."""
    return "" if value is None else short_date(value)


def _ky(value: Any) -> str:
    """{{ '2023-H1' | ky }} → '6 tháng đầu năm 2023'."""
    period = value if isinstance(value, Period) else Period.parse(str(value))
    return period.label_with_year


def _lan(value: Any, decimals: int = 1) -> str:
    """A ratio in % as a multiple: {{ 230 | lan }} → '2,3' (for "gấp 2,3 lần")."""
    return vn_num(Decimal(str(value)) / 100, decimals)


def _tri_tuyet_doi(value: Any) -> Any:
    return abs(value) if value is not None else None


def _viet_hoa_dau(text: str) -> str:
    """Capitalise the first letter only: 'thu ngân sách' → 'Thu ngân sách'."""
    return text[:1].upper() + text[1:] if text else text


def _lam_tron(value: Any, decimals: int = 2) -> Any:
    return None if value is None else round_half_up(value, decimals)


def _mot_dong(text: str) -> str:
    """{% filter mot_dong %}…{% endfilter %}: a sentence written over several lines becomes one line."""
    return tidy(str(text))


FILTERS = {
    "mot_dong": _mot_dong,
    "so": _so,
    "pt": _pt,
    "so_dvt": _so_dvt,
    "ngay": _ngay,
    "ngay_ngan": _ngay_ngan,
    "ky": _ky,
    "lan": _lan,
    "tri_tuyet_doi": _tri_tuyet_doi,
    "viet_hoa_dau": _viet_hoa_dau,
    "lam_tron": _lam_tron,
}
GLOBALS: dict[str, Any] = {}
