"""reportgen.api, the library's face: the README's example runs as it stands, and the api's promises hold."""

from __future__ import annotations

import ast
import contextlib
import inspect
import io
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from reportgen import api
from reportgen.core.errors import ExitStatus, InputError, ReportgenError, UsageError

ROOT = Path(__file__).resolve().parent.parent


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Using it as a library") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_runs_as_written(tmp_path):
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(readme_example(), "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    lines = out.getvalue().splitlines()
    ok, warnings, on_plan = lines[0].split()
    assert ok == "True" and int(on_plan) > 0
    pdf_name, pages = lines[1].split()
    assert pdf_name.endswith(".pdf") and int(pages) >= 3
    assert lines[2] == "2023-07.xlsx"
    assert lines[3].split() == ["0", "True"]  # ExitStatus.SUCCESS prints as its value; the ledger exists
    # What the example wrote is what a user gets from the command line: a real report, read back.
    written = sorted((tmp_path / "baocao" / "outputs").rglob(pdf_name))
    assert len(written) == 1, "the draft's PDF, where the example said"
    text = "".join(page.extract_text() for page in PdfReader(written[0]).pages)
    assert "BÁO CÁO" in text and "Bình Liêu" in text


def test_every_public_function_is_named_in_the_readme():
    functions = [
        name
        for name, value in vars(api).items()
        if inspect.isfunction(value) and value.__module__ == "reportgen.api" and not name.startswith("_")
    ]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Using it as a library") : readme.index("## Tests")]
    missing = [name for name in functions if f"`{name}`" not in section]
    assert not missing, f"README's library section does not name {missing}"


def test_the_api_neither_prints_nor_exits(tmp_path, capsys):
    """A library call says nothing on the console and never ends the process: the faces decide that."""
    api.init(tmp_path / "f")
    folder = api.open_folder(tmp_path / "f")
    checked = api.check(folder, tmp_path / "f" / "inputs" / "2023-06.xlsx")
    assert checked.ok
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    source = inspect.getsource(api)
    tree = ast.parse(source)
    called = {node.func.attr for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
    named = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert "print" not in named and "exit" not in called and "echo" not in called


def test_problems_are_exceptions_with_their_status_and_message(tmp_path):
    api.init(tmp_path / "f")
    folder = api.open_folder(tmp_path / "f")
    broken = tmp_path / "f" / "inputs" / "2023-06.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(InputError) as raised:
        api.generate(folder, broken)
    assert raised.value.exit_status == ExitStatus.INVALID_INPUT
    assert "2023-06.xlsx" in str(raised.value)
    with pytest.raises(UsageError) as raised:
        api.generate(folder, broken, formats=("odt",))
    assert str(raised.value) == "Định dạng không có: odt; chọn docx, pdf hoặc cả hai."
    assert raised.value.exit_status == ExitStatus.USAGE
    with pytest.raises(ReportgenError) as raised:
        api.open_folder(tmp_path / "nowhere")
    assert raised.value.exit_status != ExitStatus.SUCCESS
