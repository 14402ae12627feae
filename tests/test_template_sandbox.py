"""Templates run sandboxed: a template that reaches for Python internals, reads files or runs
away is stopped with a Vietnamese message naming the template and line (issue 5, "Hardening").

Each case is one template file in a working folder's templates/, rendered as staff's
override of bao_cao.j2 would be; the messages are checked word for word.
"""

from __future__ import annotations

import sys

import os
import time
from pathlib import Path

import pytest

from reportgen.core.errors import RenderError
from reportgen.narrative import sandbox
from reportgen.narrative.environment import call_macro, make_environment, render

LOOP_STEPS = ("các vòng lặp chạy quá 2.000.000 bước (kể cả vòng lặp lồng nhau và range()); "
              "kiểm tra các vòng lặp trong mẫu.")
TOO_LONG = ("một phép tính tạo ra chuỗi hoặc danh sách dài quá 4.000.000 phần tử; kiểm tra các phép nhân, "
            "lũy thừa, nối chuỗi trong mẫu.")
NO_FILES = ("mẫu chỉ được dùng (include, import, extends) các mẫu khác trong thư mục templates/, gọi bằng tên, "
            "ví dụ “cau.j2”.")
INTERNALS = "(phần nội bộ của Python hoặc thao tác sửa dữ liệu)."
FORBIDDEN = "Mẫu bao_cao.j2, dòng {line}: thao tác không được phép trong mẫu: dùng “{name}” của đối tượng kiểu {kind} "


def render_source(folder: Path, source: str, name: str = "bao_cao.j2") -> str:
    templates = folder / "templates"
    templates.mkdir(exist_ok=True)
    (templates / name).write_text(source, encoding="utf-8")
    return render(make_environment(templates), name, {"ten": "Bình Liêu"})


def stopped(folder: Path, source: str) -> str:
    with pytest.raises(RenderError) as err:
        render_source(folder, source)
    return str(err.value)


@pytest.mark.parametrize("source, message", [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}",
     FORBIDDEN.format(line=1, name="__class__", kind="str") + INTERNALS),
    ("Dòng một\n{{ cycler.__init__.__globals__ }}",
     FORBIDDEN.format(line=2, name="__init__", kind="type") + INTERNALS),
    ("{{ range.__self__ }}",
     FORBIDDEN.format(line=1, name="__self__", kind="method") + INTERNALS),
    ("{% set x = [] %}{{ x.append(1) }}",
     FORBIDDEN.format(line=1, name="append", kind="list") + INTERNALS),
], ids=["subclasses", "globals", "bound-method", "mutation"])
def test_python_internals_are_out_of_reach(tmp_path: Path, source: str, message: str) -> None:
    assert stopped(tmp_path, source) == message


@pytest.mark.parametrize("source, line, name", [
    ('Mở đầu\n\n{% include "/etc/passwd" %}', 3, "/etc/passwd"),
    ('{% import "../../x" as x %}', 1, "../../x"),
    ('{% extends "../reportgen.toml" %}', 1, "../reportgen.toml"),
    ('{% include "templates/../../bí mật.txt" %}', 1, "templates/../../bí mật.txt"),
    ('{% include "..\\\\bi-mat.j2" %}', 1, "..\\bi-mat.j2"),
    ('{% include "C:/Windows/win.ini" %}', 1, "C:/Windows/win.ini"),
    ('{% include "~/.ssh/id_rsa" %}', 1, "~/.ssh/id_rsa"),
], ids=["absolute", "import-parent", "extends-parent", "parent-inside", "backslash", "drive", "home"])
def test_files_outside_the_templates_cannot_be_read(tmp_path: Path, source: str, line: int, name: str) -> None:
    assert stopped(tmp_path, source) == f"Mẫu bao_cao.j2, dòng {line}: không được đọc tệp “{name}”: {NO_FILES}"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_link_out_of_the_templates_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("mật khẩu", encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "loi_tat.j2").symlink_to(secret)
    assert stopped(tmp_path, '{% include "loi_tat.j2" %}') == (
        f"Mẫu bao_cao.j2, dòng 1: không được đọc tệp “loi_tat.j2”: {NO_FILES}")


def test_including_another_template_by_name_still_works(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "phan.j2").write_text("Huyện {{ ten }}", encoding="utf-8")
    assert render_source(tmp_path, '{% include "phan.j2" %}.') == "Huyện Bình Liêu."


@pytest.mark.parametrize("source, message", [
    ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
     f"Mẫu bao_cao.j2, dòng 1: {LOOP_STEPS}"),
    ("{% set s = 'x' * 3000 %}\n{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
     f"Mẫu bao_cao.j2, dòng 2: {LOOP_STEPS}"),
    ("{% for i in range(10 ** 9) %}{% endfor %}",
     "Mẫu bao_cao.j2, dòng 1: range() tạo 1.000.000.000 số, quá giới hạn 100.000."),
    ("{% macro lap(n) %}{{ lap(n + 1) }}{% endmacro %}\n{{ lap(0) }}",
     "Mẫu bao_cao.j2, dòng 1: lời gọi lồng nhau quá 50 tầng: có macro gọi lại chính nó không dừng."),
], ids=["nested-range", "nested-string", "huge-range", "recursion"])
def test_loops_without_end_are_stopped(tmp_path: Path, source: str, message: str) -> None:
    assert stopped(tmp_path, source) == message


@pytest.mark.parametrize("source", [
    "{{ 'x' * 10 ** 9 }}",
    "{{ [0] * 10 ** 9 }}",
    "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "{% macro doi(s, n) %}{{ doi(s ~ s, n - 1) if n else s }}{% endmacro %}{{ doi('ab', 45) }}",
    "{% set s = 'x' * 3000000 %}{{ s | replace('', s) }}",
    "{% set s = 'x' * 3000000 %}{{ [s, s] | join }}",
    "{{ range(3) | batch(10 ** 9, 'x') | list }}",
    "{{ range(3) | slice(10 ** 9) | list }}",
], ids=["string-times", "list-times", "concat-doubling", "plus-doubling", "macro-doubling", "replace", "join",
        "batch", "slice"])
def test_values_cannot_grow_without_bound(tmp_path: Path, source: str) -> None:
    assert stopped(tmp_path, source) == f"Mẫu bao_cao.j2, dòng 1: {TOO_LONG}"


@pytest.mark.parametrize("source, message", [
    ("{{ 10 ** 100000000 }}", "lũy thừa 10 ** 100000000 quá lớn."),
    ("{{ 'x' | center(10 ** 9) }}", "độ rộng hoặc số chữ số 1000000000 quá lớn (tối đa 1000)."),
    ("{{ 'x' | indent(10 ** 9) }}", "độ rộng hoặc số chữ số 1000000000 quá lớn (tối đa 1000)."),
    ("{{ '%0999999999d' | format(1) }}", "độ rộng hoặc số chữ số 999999999 quá lớn (tối đa 1000)."),
    ("{{ '%0999999999d' % 1 }}", "độ rộng hoặc số chữ số 999999999 quá lớn (tối đa 1000)."),
    ("{{ '%*d' % (999999999, 1) }}", "định dạng “%*” (độ rộng lấy từ dữ liệu) không được dùng trong mẫu."),
    ("{{ '{:>999999999}'.format(1) }}", "độ rộng hoặc số chữ số 999999999 quá lớn (tối đa 1000)."),
    ("{{ '{:{w}}'.format(1, w=999999999) }}", "định dạng lồng nhau “{:{...}}” không được dùng trong mẫu."),
    ("{{ '{:>999999999}'['format'](1) }}", "độ rộng hoặc số chữ số 999999999 quá lớn (tối đa 1000)."),
    ("{{ ('{:>999999999}' | attr('format'))(1) }}", "độ rộng hoặc số chữ số 999999999 quá lớn (tối đa 1000)."),
], ids=["power", "center", "indent", "format-filter", "percent", "percent-star", "str-format", "nested-format",
        "format-by-item", "format-by-attr-filter"])
def test_operators_and_filters_that_build_huge_values_are_refused_before_running(
        tmp_path: Path, source: str, message: str) -> None:
    assert stopped(tmp_path, source) == f"Mẫu bao_cao.j2, dòng 1: {message}"


def test_output_is_bounded(tmp_path: Path) -> None:
    """Many small pieces, each within every other bound: the output bound stops them."""
    source = "{% for i in range(100000) %}{{ 'x' * 101 }}{% endfor %}"
    assert stopped(tmp_path, source) == ("Mẫu bao_cao.j2: kết quả dài quá 10.000.000 ký tự; kiểm tra vòng lặp trong "
                                         "mẫu.")


def test_lorem_ipsum_generator_is_not_available(tmp_path: Path) -> None:
    assert stopped(tmp_path, "{{ lipsum(10 ** 6) }}") == (
        "Mẫu bao_cao.j2, dòng 1: không có biến “lipsum”. Xem danh sách biến trong docs/templates.md.")


def test_a_slow_render_is_stopped_at_the_deadline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Few loop steps, each slow: the loop budget alone would let it run for minutes."""
    monkeypatch.setattr(sandbox, "MAX_RENDER_SECONDS", 0.3)
    started = time.monotonic()
    message = stopped(tmp_path, "{% for i in range(100000) %}{{ ('x' * 3000000) | length }}{% endfor %}")
    assert message == ("Mẫu bao_cao.j2, dòng 1: chạy quá 0,3 giây mà chưa xong; kiểm tra các vòng lặp và macro "
                       "trong mẫu.")
    assert time.monotonic() - started < 30


def test_a_macro_called_from_code_names_its_template(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "khung.j2").write_text("{% macro trich_yeu(ky) %}\n{% for i in range(10 ** 6) %}{% endfor %}"
                                        "{% endmacro %}", encoding="utf-8")
    with pytest.raises(RenderError) as err:
        call_macro(make_environment(templates), "khung.j2", "trich_yeu", {}, "tháng 6")
    assert str(err.value) == "Mẫu khung.j2, dòng 2: range() tạo 1.000.000 số, quá giới hạn 100.000."


def test_each_render_gets_a_fresh_budget(tmp_path: Path) -> None:
    """A render close to the step budget, twice: the second one does not inherit the first one's steps."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "bao_cao.j2").write_text(
        "{% for i in range(1000) %}{% for j in range(1500) %}{% endfor %}{% endfor %}xong", encoding="utf-8")
    env = make_environment(templates)
    assert render(env, "bao_cao.j2", {}) == "xong"
    assert render(env, "bao_cao.j2", {}) == "xong"


def test_ordinary_template_features_still_work(tmp_path: Path) -> None:
    source = ("{% for i in range(3) %}{{ i }}{% if not loop.last %}, {% endif %}{% endfor %}; {{ 'a' ~ 'b' }}; "
              "{{ 2 ** 10 }}; {{ '%5.1f' % 3.14159 }}; {{ '{:>4}'.format('x') }}; {{ 'ab' * 2 }}; "
              "{{ ['x', 'y'] | join('-') }}; {{ 'a b' | replace(' ', '_') }}; {{ 'x' | center(5) }}|")
    assert render_source(tmp_path, source) == "0, 1, 2; ab; 1024;   3.1;    x; abab; x-y; a_b;   x  |"


def test_template_output_loses_characters_xml_cannot_hold(tmp_path: Path) -> None:
    """A literal control character, U+FFFE and a lone surrogate from a Jinja string escape."""
    assert render_source(tmp_path, 'Bình\x07 Liêu\ufffe{{ "\\ud800" }}{{ "\\x0b" }}.') == "Bình Liêu."


def test_compiled_templates_go_to_the_users_cache_folder(tmp_path, monkeypatch):
    """$REPORTGEN_CACHE_DIR first; else the platform's user cache folder as platformdirs names it
    ($XDG_CACHE_HOME/reportgen on Linux)."""
    from reportgen.narrative.environment import CACHE_ENV, cache_root

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "mine"))
    assert cache_root() == tmp_path / "mine"
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert cache_root() == tmp_path / "xdg" / "reportgen"


def _objects(value, found: list) -> list:
    """Every object of a template context: tuples, lists, dict values and dataclass fields opened."""
    import dataclasses

    found.append(value)
    if isinstance(value, (tuple, list)):
        for item in value:
            _objects(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _objects(item, found)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _objects(getattr(value, field.name), found)
    return found


def test_plain_data_fields_are_read_exactly_as_jinjas_checks_would_read_them(example, config) -> None:
    """The sandbox hands out the fields of the context's plain-data views without Jinja's attribute checks;
    for every such field of the example's context, Jinja's own getattr gives the very same object."""
    import dataclasses

    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from reportgen.domain.assess import assess
    from reportgen.narrative.context import TEMPLATE_DATA, build_context

    env = make_environment()
    assert set(env.data_fields) == set(TEMPLATE_DATA)
    context = build_context(example, assess(example), config)
    views = [value for value in _objects(context, []) if type(value) in TEMPLATE_DATA]
    assert {type(view) for view in views} == set(TEMPLATE_DATA)
    read = 0
    for view in views:
        assert dataclasses.fields(view) and view.__dataclass_params__.frozen
        for field in dataclasses.fields(view):
            value = env.getattr(view, field.name)
            assert value is ImmutableSandboxedEnvironment.getattr(env, view, field.name)
            assert not callable(value)
            read += 1
    assert read > 1000


def test_a_data_views_methods_and_internals_still_go_through_jinjas_checks(tmp_path: Path) -> None:
    from reportgen.narrative.views import Doan

    env = make_environment()
    assert "__str__" not in env.data_fields[Doan] and "__class__" not in env.data_fields[Doan]
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "bao_cao.j2").write_text("{{ d.__class__ }}", encoding="utf-8")
    with pytest.raises(RenderError) as err:
        render(make_environment(templates), "bao_cao.j2", {"d": Doan("Nội dung", "")})
    assert str(err.value) == FORBIDDEN.format(line=1, name="__class__", kind="Doan") + INTERNALS
