"""The sandbox templates run in: no Python internals, no files, no runaway.

Templates are edited by office staff (docs/templates.md), so a mistake — or a template copied from
somewhere untrusted — must end in a message naming the template, never in a hung or crashed report run.
Jinja's :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` already refuses underscore attributes
(``__class__``, ``__globals__``, ``__subclasses__``), function internals and changes to lists and dicts.
:class:`ReportSandbox` adds, per render:

- **files**: :class:`TemplateFolderLoader` serves templates by plain name only; an absolute path, a parent
  folder ("../"), a backslash or a drive (``{% include "/etc/passwd" %}``, ``{% import "../../x" %}``) or
  a file reached through a link out of the template folders is refused;
- **time and loops**: a :class:`RenderBudget` — a deadline, checked whenever the template calls something,
  reads an attribute or an item, applies an operator or takes a loop step; a total number of loop steps
  (every ``{% for %}``, rewritten at parse time to count its steps, and ``range()``); a depth of nested
  calls (a macro calling itself without end);
- **size**: operators and filters that build big values from small ones (``*``, ``**``, ``%``, ``+``,
  ``~``, ``center``, ``indent``, ``format``, ``wordwrap``, ``replace``, ``join``, ``batch``, ``slice``,
  ``str.format`` widths) are checked before or right after they run against :data:`MAX_VALUE_CHARS`;
  ``lipsum`` is removed.

Every stop raises :class:`SandboxStop` with a Vietnamese reason, which
:func:`reportgen.narrative.template_errors.template_errors` turns into a
:class:`~reportgen.core.errors.RenderError` naming the template file and line.
"""

from __future__ import annotations

import dataclasses
import math
import re
import string
import time
import types
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
import jinja2.filters
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from reportgen.core.vnformat import vn_num

MAX_RENDER_SECONDS = 30.0
"""A render running longer is stopped; the real report renders in well under a second."""
MAX_LOOP_STEPS = 2_000_000
"""Loop steps per render, all loops together (a thousand indicators take a few tens of thousands)."""
MAX_CALL_DEPTH = 50
"""Nested calls (macro inside macro …); the bundled templates go five deep."""
MAX_RANGE = 100_000
"""Numbers one ``range()`` may produce (Jinja's own sandbox bound)."""
MAX_VALUE_CHARS = 4_000_000
"""Length of a string or list an operator or filter may build."""
MAX_FORMAT_WIDTH = 1000
"""Widths and precisions in ``%`` and ``format`` specifications."""
MAX_POWER_BITS = 100_000
"""Size of an integer ``**`` may compute."""
_STEP_COUNTER = "_rg_loop_steps"
_SIZE_CHECK = "_rg_checked_size"


class SandboxStop(Exception):
    """A template was stopped by the sandbox; ``str()`` is the Vietnamese reason."""


class RenderBudget:
    """Time, loop steps and call depth one render may use."""

    def __init__(self) -> None:
        self.start()

    def start(self) -> None:
        """A fresh budget for the next render."""
        self.deadline = time.monotonic() + MAX_RENDER_SECONDS
        self.steps_left = MAX_LOOP_STEPS
        self.depth = 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise SandboxStop(
                f"chạy quá {vn_num(MAX_RENDER_SECONDS, 1)} giây mà chưa xong; kiểm tra các vòng lặp và macro trong mẫu"
            )

    def step(self) -> None:
        self.steps_left -= 1
        if self.steps_left < 0:
            raise SandboxStop(
                f"các vòng lặp chạy quá {vn_num(MAX_LOOP_STEPS, 0)} bước (kể cả vòng lặp lồng nhau "
                "và range()); kiểm tra các vòng lặp trong mẫu"
            )
        if self.steps_left % 1024 == 0:
            self.check_time()

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_CALL_DEPTH:
            raise SandboxStop(f"lời gọi lồng nhau quá {MAX_CALL_DEPTH} tầng: có macro gọi lại chính nó không dừng")

    def leave(self) -> None:
        self.depth -= 1


# --------------------------------------------------------------------- sizes --


def check_size(value: Any) -> Any:
    """``value`` itself, or a stop when it is a string or list longer than MAX_VALUE_CHARS."""
    if isinstance(value, (str, list, tuple)):
        check_size_of(len(value))
    return value


def check_size_of(length: int) -> None:
    """A stop when a value of ``length`` (about to be built, or just built) is longer than MAX_VALUE_CHARS."""
    if length > MAX_VALUE_CHARS:
        raise SandboxStop(
            f"một phép tính tạo ra chuỗi hoặc danh sách dài quá {vn_num(MAX_VALUE_CHARS, 0)} phần "
            "tử; kiểm tra các phép nhân, lũy thừa, nối chuỗi trong mẫu"
        )


def _check_width(number: int | float | Decimal | None) -> None:
    if number is not None and not -MAX_FORMAT_WIDTH <= number <= MAX_FORMAT_WIDTH:
        raise SandboxStop(f"độ rộng hoặc số chữ số {number} quá lớn (tối đa {MAX_FORMAT_WIDTH})")


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_FORMAT_NUMBERS = re.compile(r"\d+")


def check_percent_format(text: str) -> None:
    """Widths of a ``"%10.2f" % x`` format: bounded, and never ``*`` (taken from the data)."""
    for width, precision in _PERCENT_SPEC.findall(text):
        for number in (width, precision):
            if number == "*":
                raise SandboxStop("định dạng “%*” (độ rộng lấy từ dữ liệu) không được dùng trong mẫu")
            _check_width(int(number) if number else None)


def check_brace_format(text: str) -> None:
    """Widths of a ``"{:>10}".format(x)`` format: bounded, and never nested ``{:{w}}``."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return  # str.format will refuse it itself
    for _, _, spec, _ in fields:
        if spec and "{" in spec:
            raise SandboxStop("định dạng lồng nhau “{:{...}}” không được dùng trong mẫu")
        for number in _FORMAT_NUMBERS.findall(spec or ""):
            _check_width(int(number))


def _check_power(left: Any, right: Any) -> None:
    if (
        isinstance(left, int)
        and isinstance(right, int)
        and abs(left) > 1
        and right > 0
        and right * math.log2(abs(left)) > MAX_POWER_BITS
    ):
        raise SandboxStop(f"lũy thừa {left} ** {right} quá lớn")


def _check_product(left: Any, right: Any) -> None:
    for sequence, times in ((left, right), (right, left)):
        if isinstance(sequence, (str, list, tuple)) and isinstance(times, int) and not isinstance(times, bool):
            check_size_of(len(sequence) * max(times, 0))


# -------------------------------------------------------------------- loader --

_DRIVE = re.compile(r"^[A-Za-z]:")


class TemplateFolderLoader(jinja2.FileSystemLoader):
    """Templates by plain name from the template folders, and nothing else."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        check_template_name(template)
        source, filename, uptodate = super().get_source(environment, template)
        roots = [Path(folder).resolve() for folder in self.searchpath]
        if not any(Path(filename).resolve().is_relative_to(root) for root in roots):
            raise _refused(template)
        return source, filename, uptodate


def check_template_name(template: str) -> None:
    """Stop for a name that is a path: absolute, upward, with a backslash, a drive or a NUL."""
    pieces = template.split("/")
    if (
        template.startswith(("/", "~"))
        or "\\" in template
        or "\0" in template
        or _DRIVE.match(template)
        or ".." in pieces
    ):
        raise _refused(template)


def _refused(template: str) -> SandboxStop:
    return SandboxStop(
        f"không được đọc tệp “{template}”: mẫu chỉ được dùng (include, import, extends) các mẫu "
        "khác trong thư mục templates/, gọi bằng tên, ví dụ “cau.j2”"
    )


# -------------------------------------------------------------- environment --


class ReportSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with a per-render budget, bounded operators and filters, counted loops.

    Fields of ``data_types`` (frozen dataclasses of plain data: text, numbers, flags, tuples of such) are read
    without Jinja's attribute checks (str.format? internal? mutating?), which always pass for plain data and
    cost 2 ms of a report's 9 (700 reads); any other attribute goes through them."""

    intercepted_binops = frozenset({"*", "**", "%", "+", "//"})

    def __init__(self, *args: Any, data_types: Iterable[type] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.data_fields = {kind: {f.name for f in dataclasses.fields(kind) if f.name[0] != "_"} for kind in data_types}
        self.budget = RenderBudget()
        self.globals.pop("lipsum", None)
        self.globals.update({"range": self.counted_range, _STEP_COUNTER: self.counted_steps, _SIZE_CHECK: check_size})
        self.filters.update(BOUNDED_FILTERS)

    # -- hooks the compiled sandboxed code goes through
    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's API
        __self.budget.check_time()
        __self.budget.enter()
        try:
            return super().call(__context, __obj, *args, **kwargs)
        finally:
            __self.budget.leave()

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.budget.check_time()
        if attribute in self.data_fields.get(type(obj), ()):
            return getattr(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.budget.check_time()
        return super().getitem(obj, argument)

    def wrap_str_format(self, value: Any) -> Any:
        """Every way to reach ``"{:>9}".format`` (attribute, item, ``attr`` filter) passes here; only bound
        methods are looked at, as in Jinja's check (every value's ``__self__`` cost 0.3 ms a report)."""
        if isinstance(value, (types.MethodType, types.BuiltinMethodType)):
            owner = getattr(value, "__self__", None)
            if isinstance(owner, str) and getattr(value, "__name__", "") in ("format", "format_map"):
                check_brace_format(owner)
        return super().wrap_str_format(value)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.budget.check_time()
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            _check_product(left, right)
        elif operator == "%" and isinstance(left, str):
            check_percent_format(left)
        return check_size(super().call_binop(context, operator, left, right))

    # -- counted iteration
    def counted_range(self, *args: int) -> _CountedRange:
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise SandboxStop(f"range() tạo {vn_num(len(numbers), 0)} số, quá giới hạn {vn_num(MAX_RANGE, 0)}")
        return _CountedRange(numbers, self.budget)

    def counted_steps(self, iterable: Iterable[Any]) -> Iterator[Any]:
        if isinstance(iterable, _CountedRange):  # counted here, not twice
            iterable = iterable.numbers
        for item in iterable:
            self.budget.step()
            yield item

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Parse, then route every ``{% for %}`` through the step counter and every ``~`` through the size check.

        Jinja2's private parse step: Jinja2 is pinned in pyproject.toml, tests/test_library_internals.py."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = _call_global(_STEP_COUNTER, loop.iter)
        for parent in list(tree.find_all(nodes.Node)):
            _wrap_concats(parent)
        tree.set_environment(self)
        return tree


class _CountedRange:
    """``range()`` as templates see it: iterating counts loop steps."""

    def __init__(self, numbers: range, budget: RenderBudget) -> None:
        self.numbers = numbers
        self.budget = budget

    def __iter__(self) -> Iterator[int]:
        for number in self.numbers:
            self.budget.step()
            yield number

    def __len__(self) -> int:
        return len(self.numbers)

    def __contains__(self, value: object) -> bool:
        return value in self.numbers


def _call_global(name: str, argument: nodes.Node) -> nodes.Node:
    """``name(argument)`` as an expression node, on the argument's line (``argument`` is an expression: a
    loop's iterable, a concatenation)."""
    call = nodes.Call(nodes.Name(name, "load"), [argument], [], None, None)
    return call.set_lineno(argument.lineno)


def _wrap_concats(parent: nodes.Node) -> None:
    """Replace each ``a ~ b`` child of ``parent`` by ``_rg_checked_size(a ~ b)``."""
    for field in parent.fields:
        value = getattr(parent, field, None)
        if isinstance(value, nodes.Concat):
            setattr(parent, field, _call_global(_SIZE_CHECK, value))
        elif isinstance(value, list):
            setattr(
                parent,
                field,
                [_call_global(_SIZE_CHECK, item) if isinstance(item, nodes.Concat) else item for item in value],
            )


# ------------------------------------------------------------------ filters --
# Jinja's built-in filters that can build big values, each checked before it runs.

_JINJA_FILTERS = jinja2.filters.FILTERS


def _center(value: Any, width: int = 80) -> str:
    _check_width(width)
    return _JINJA_FILTERS["center"](value, width)


def _indent(value: Any, width: Any = 4, first: bool = False, blank: bool = False) -> str:
    if isinstance(width, int):
        _check_width(width)
    else:  # a string put before every line
        check_size_of(len(str(width)) * (str(value).count("\n") + 1))
    return _JINJA_FILTERS["indent"](value, width, first, blank)


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    check_percent_format(str(value))
    return _JINJA_FILTERS["format"](value, *args, **kwargs)


@jinja2.pass_environment
def _wordwrap(environment: Any, value: Any, width: int = 79, *args: Any, **kwargs: Any) -> str:
    wrap = kwargs.get("wrapstring") or (args[1] if len(args) > 1 else None) or "\n"
    check_size_of(len(str(value)) * (1 + len(str(wrap))))
    return _JINJA_FILTERS["wordwrap"](environment, value, width, *args, **kwargs)


@jinja2.pass_eval_context
def _replace(eval_ctx: Any, value: Any, old: Any, new: Any, count: int | None = None) -> str:
    text, old, new = str(value), str(old), str(new)
    hits = len(text) + 1 if old == "" else text.count(old)
    check_size_of(len(text) + hits * max(len(new) - len(old), 0))
    return _JINJA_FILTERS["replace"](eval_ctx, value, old, new, count)


@jinja2.pass_eval_context
def _join(eval_ctx: Any, value: Iterable[Any], d: str = "", attribute: Any = None) -> str:
    items = list(value)
    check_size_of(sum(len(str(item)) for item in items) + len(str(d)) * len(items))
    return _JINJA_FILTERS["join"](eval_ctx, items, d, attribute)


def _batch(value: Iterable[Any], linecount: int, fill_with: Any = None) -> Any:
    check_size_of(int(linecount))
    return _JINJA_FILTERS["batch"](value, linecount, fill_with)


@jinja2.pass_eval_context
def _slice(eval_ctx: Any, value: Any, slices: int, fill_with: Any = None) -> Any:
    check_size_of(int(slices))
    return _JINJA_FILTERS["slice"](eval_ctx, value, slices, fill_with)


BOUNDED_FILTERS: dict[str, Callable[..., Any]] = {
    "center": _center,
    "indent": _indent,
    "format": _format,
    "wordwrap": _wordwrap,
    "replace": _replace,
    "join": _join,
    "batch": _batch,
    "slice": _slice,
}
