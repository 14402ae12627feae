"""The package tree is the architecture: what the tree, the names and the imports must keep saying.

import-linter (`lint-imports`, run by bootstrap.py before the tests) checks the layers and which package may
import which library; these tests check what a contract of import-linter cannot state.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "reportgen"
MAX_LINES = 400
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_the_root_holds_only_the_entry_points_and_the_api():
    at_root = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert at_root == ["__init__.py", "__main__.py", "api.py"]


def test_every_package_says_in_one_line_what_it_owns():
    for init in sorted(PACKAGE.rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and doc.strip(), f"{relative(init)} has no docstring saying what the package owns"


def test_no_two_modules_share_a_name():
    names = Counter(p.stem for p in MODULES if p.stem not in ("__init__", "__main__"))
    assert [name for name, count in names.items() if count > 1] == []


@pytest.mark.parametrize("module", MODULES, ids=relative)
def test_modules_stay_short_enough_to_read_whole(module):
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{relative(module)} has {lines} lines; split it by responsibility"


def test_docstrings_state_rules_rather_than_cite_files_outside_the_repository():
    """DESIGN.md, the domain notes and the issue tracker are not shipped: a reader of the code cannot open them."""
    outside = ("DESIGN.md", "vn-conventions", "user-pain", "style-anchors", "issuance.md")
    found = [
        f"{relative(p)}:{n}"
        for p in MODULES
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if any(name in line for name in outside)
    ]
    assert found == []


FACES_MAY_IMPORT = (
    "reportgen.api",
    "reportgen.core",  # errors, statuses, periods, Vietnamese number and date formatting
    "reportgen.settings.workspace",  # the working folder the api functions take
    "reportgen.domain",  # the assessment's types, shown by `check`
    "reportgen.document.table",  # how a rate's points are written, shown by `check`
    "reportgen.issuance.verification",  # how a verification is written for a terminal
    "reportgen.issuance.signing_setup",  # Secrets: the PIN a face asks for, handed to api.issue
)

FACE_ALSO = {
    "cli": ("reportgen.web",),  # `serve` and `users` start the web page and keep its accounts
    "web": (
        "reportgen.writers.html",  # the page's views: the report and the sheet picture drawn as HTML
        "reportgen.settings.limits",  # an upload is refused past the reader's file-size limit, before it is read
    ),
}


def imports_outside_type_checking(path: Path) -> list[tuple[int, str]]:
    """Every reportgen module imported by ``path`` at run time (imports inside functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("reportgen"):
            if node.module == "reportgen":
                found += [(node.lineno, f"reportgen.{alias.name}") for alias in node.names]
            else:
                found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("reportgen")]
    return found


@pytest.mark.parametrize("face", [p.name for p in (PACKAGE / "cli", PACKAGE / "web") if p.exists()])
def test_the_faces_act_only_through_the_api(face):
    """The command line and the web page turn arguments into api calls and results into text or HTML; they
    never run a use case themselves, so the two faces cannot drift apart."""
    folder = PACKAGE / face
    allowed = (*FACES_MAY_IMPORT, *FACE_ALSO[face], f"reportgen.{face}", "reportgen.__version__")
    wrong = [
        f"{relative(path)}:{line} imports {name}"
        for path in sorted(folder.rglob("*.py"))
        for line, name in imports_outside_type_checking(path)
        if not any(name == a or name.startswith(a + ".") for a in allowed)
    ]
    assert wrong == []


def test_the_layer_picture_is_the_code(tmp_path):
    """docs/layers.dot (drawn into docs/layers.svg and .png) is generated from the imports; regenerate it with
    `python docs/layers.py` after a change of the layering."""
    spec = importlib.util.spec_from_file_location("layers", ROOT / "docs" / "layers.py")
    layers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(layers)
    assert (ROOT / "docs" / "layers.dot").read_text(encoding="utf-8") == layers.dot_text()
    assert (ROOT / "docs" / "layers.png").stat().st_size > 10_000


def test_the_import_contract_holds():
    """The layers and the only-here rules of pyproject.toml, as CI checks them (a test, so a broken arrow is
    also a red test on a developer's machine)."""
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "0 broken" in done.stdout
