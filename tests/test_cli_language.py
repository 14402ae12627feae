"""Every message a user can meet is Vietnamese (issue 12, item 19): click's own usage errors and help, TOML
syntax errors of reportgen.toml, and template errors, each naming the place and the fix."""

from __future__ import annotations

import io
import os
from pathlib import Path

import click
import jinja2
import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from reportgen.cli.app import run as cli_run
from reportgen.settings.config import load_config
from reportgen.core.errors import ConfigError, RenderError
from reportgen.narrative.environment import render
from reportgen.narrative.template_errors import template_errors

CATALOG = Path(__file__).resolve().parents[1] / "reportgen" / "data" / "locale" / "vi" / "LC_MESSAGES"
EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "2023-06.xlsx"


def click_messages() -> set[str]:
    """Every message click marks for translation, as Babel extracts them (singular forms)."""
    found = set()
    for source in sorted(Path(click.__file__).parent.glob("*.py")):
        for _line, message, _comments, _context in extract_from_file(
                "python", str(source), keywords={"_": None, "ngettext": (1, 2)}):
            found.add(message if isinstance(message, str) else message[0])
    return found | {"required"}  # core.py translates extra["required"], a message Babel cannot see


def test_every_click_message_has_a_vietnamese_translation():
    with open(CATALOG / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale="vi")
    missing = sorted(m for m in click_messages() if not (catalog.get(m) and catalog.get(m).string))
    assert missing == [], "click has messages without a Vietnamese translation in messages.po"


def test_the_compiled_catalog_is_the_po_file():
    with open(CATALOG / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale="vi")
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    if os.environ.get("REPORTGEN_REGEN_GOLDEN"):
        (CATALOG / "messages.mo").write_bytes(compiled.getvalue())
    assert (CATALOG / "messages.mo").read_bytes() == compiled.getvalue(), "recompile: REPORTGEN_REGEN_GOLDEN=1"


@pytest.mark.parametrize("argv, expected", [
    (["check"], "Lỗi: Thiếu tham số 'TỆP'."),
    (["chek"], "Lỗi: Không có lệnh 'chek'."),
    (["run", "--jobs", "0"], "Lỗi: Giá trị của '--jobs' / '-j' không hợp lệ: 0 nằm ngoài khoảng cho phép 1<=x<=256."),
    (["run", "--wait", "lâu"], "Lỗi: Giá trị của '--wait' không hợp lệ: 'lâu' không phải là một số hợp lệ."),
    (["send", "--to"], "Lỗi: Tùy chọn '--to' cần có giá trị đi kèm."),
    (["check", str(EXAMPLE), "--nope"], "Lỗi: Không có tùy chọn '--nope'."),
    (["status", "thừa"], "Lỗi: Thừa tham số (thừa): lệnh này không nhận thêm tham số đó."),
])
def test_usage_errors_are_vietnamese_with_exit_status_2(capsys, argv, expected):
    assert cli_run(argv) == 2
    err = capsys.readouterr().err
    assert expected in err
    if argv != ["send", "--to"]:  # click knows no command yet when an option lacks its value
        assert "Cách dùng: reportgen" in err and "Xem hướng dẫn: reportgen" in err


def test_help_and_version_are_vietnamese(capsys):
    assert cli_run(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Cách dùng: reportgen [TÙY_CHỌN] LỆNH [THAM_SỐ]...")
    assert "Tùy chọn:" in out and "Các lệnh:" in out and "In hướng dẫn này rồi thoát." in out
    assert "In số phiên bản rồi thoát." in out
    assert cli_run(["run", "--help"]) == 0
    assert "[mặc\n                   định: 60.0]" in capsys.readouterr().out   # wrapped at 100 columns
    assert cli_run(["--version"]) == 0
    assert capsys.readouterr().out.startswith("reportgen, phiên bản ")
    for word in ("Usage", "Options", "Show this message", "Error", "Missing", "default:"):
        assert word not in out


@pytest.mark.parametrize("text, expected", [
    ('[unit]\nplace = "Bình Liêu\n', "sai cú pháp ở dòng 2, cột 19: chuỗi chưa có dấu nháy đóng: thêm dấu \" ở cuối "
                                      "giá trị"),
    ('[unit]\nplace = Bình Liêu\n', "sai cú pháp ở dòng 2, cột 9: giá trị chữ phải đặt trong dấu nháy kép"),
    ('[unit]\nplace = “Bình Liêu”\n', "dùng dấu nháy thẳng \" thay cho dấu nháy cong “ ”"),
    ('[mail]\nhost = "a"\n[mail]\nport = 25\n', "sai cú pháp ở dòng 3, cột 6: mục [mail] được khai báo hai lần"),
    ('[unit]\nplace = "a"\nplace = "b"\n', "khóa “place” được khai báo hai lần trong cùng một mục"),
    ('[report]\nrecipients = [\n  "UBND tỉnh (b/c)",\n  "Sở Tài chính"\n\n[mail]\n',
     "sai cú pháp ở dòng 2, cột 1: danh sách mở bằng “[” ở dòng này chưa được đóng bằng “]”"),
    ('[paths]\ninputs = "C:\\Users\\vanphong"\n', "dấu “\\” trong chuỗi nháy kép (đường dẫn Windows?)"),
    ('[unit]\nplace "Bình Liêu"\n', "thiếu dấu “=” giữa tên khóa và giá trị"),
    ('[mail]\nattach_docx = True\n', "giá trị đúng/sai viết chữ thường: true hoặc false"),
])
def test_toml_syntax_errors_say_what_is_probably_wrong_and_show_the_line(tmp_path, text, expected):
    path = tmp_path / "reportgen.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert expected in message
    assert "Illegal" not in message and "Invalid" not in message and "Expected" not in message
    assert "\n    " in message and message.rstrip().endswith("^")  # the line, and a caret under the column


def test_a_config_saved_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "reportgen.toml"
    path.write_bytes("\ufeff[unit]\nplace = \"Bình Liêu\"\n".encode("utf-8"))
    assert load_config(path).unit.place == "Bình Liêu"


def template_error(tmp_path: Path, source: str) -> str:
    (tmp_path / "mau.j2").write_text(source, encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), undefined=jinja2.StrictUndefined)
    with pytest.raises(RenderError) as caught, template_errors("mau.j2"):
        render(env, "mau.j2", {"ky": type("Ky", (), {"nam": 2023})(), "x": 1})
    return str(caught.value)


@pytest.mark.parametrize("source, expected", [
    ("a\n{{ x \nb\n{{ x }}\n", "Mẫu mau.j2, dòng 2: sai cú pháp — biểu thức “{{ … }}” mở ở dòng này chưa được đóng: "
                               "thiếu “}}”."),
    ("{% filter upper %}a\n{% if x %}\nb\n{% endfilter %}\n",
     "Mẫu mau.j2, dòng 2: sai cú pháp — khối “{% if %}” mở ở dòng này chưa được đóng (thiếu “{% endif %}”) thì đã gặp "
     "“{% endfilter %}” ở dòng 4."),
    ("a\n{% if x %}\nb\n", "Mẫu mau.j2, dòng 2: sai cú pháp — khối “{% if %}” mở ở dòng này chưa được đóng: thiếu "
                           "“{% endif %}”."),
    ("{% iff x %}{% endif %}", "Mẫu mau.j2, dòng 1: sai cú pháp — không có lệnh “{% iff %}” trong mẫu"),
    ("{{ x | soo }}", "Mẫu mau.j2, dòng 1: sai cú pháp — không có bộ lọc “soo”"),
    ("a\n\n{{ ky.nhan_namm }}", "Mẫu mau.j2, dòng 3: không có biến “ky.nhan_namm”."),
    ("{{ chua_co }}", "Mẫu mau.j2, dòng 1: không có biến “chua_co”."),
])
def test_template_errors_name_the_line_where_the_fault_starts_and_the_whole_name(tmp_path, source, expected):
    assert expected in template_error(tmp_path, source)
