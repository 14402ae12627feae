"""The Jinja2 environment templates run in: sandboxed, strict, Vietnamese filters.

Templates are looked up in the working folder's templates/ first and then in
the built-in defaults, file by file, so staff change one sentence without
copying the rest.  Every template fault, an undefined name included, is an error
that names the template file, the line and the name, in Vietnamese
(:mod:`reportgen.narrative.template_errors`), never a traceback; templates cannot reach
Python internals, read files nor run away (:mod:`.sandbox`; bounded output), and
what they produce reaches the document with XML-invalid characters removed.
The Vietnamese filters (``so``, ``pt``, ``ngay`` …) are :mod:`reportgen.narrative.template_filters`'.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import platformdirs

from reportgen.core.errors import RenderError
from reportgen.core.vnformat import vn_num
from reportgen.core.vntext import xml_safe
from reportgen.narrative.context import TEMPLATE_DATA
from reportgen.narrative.sandbox import ReportSandbox, TemplateFolderLoader
from reportgen.narrative.template_errors import template_errors
from reportgen.narrative.template_filters import FILTERS, GLOBALS

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
        data_types=TEMPLATE_DATA,
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
            raise RenderError(f"Mẫu {name}: thiếu macro “{macro}” (xem docs/templates.md).")
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
