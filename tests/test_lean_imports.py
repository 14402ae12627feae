"""The command line keeps numpy out: openpyxl imports it whenever it is installed, for nothing reportgen uses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _python(code: str, fake_numpy: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(fake_numpy)!r}); {code}"],
                          capture_output=True, text=True)


def _fake_numpy(tmp_path: Path, body: str) -> Path:
    (tmp_path / "numpy").mkdir()
    (tmp_path / "numpy" / "__init__.py").write_text(body, encoding="utf-8")
    return tmp_path


def test_openpyxl_does_not_import_numpy_once_the_finder_is_installed(tmp_path):
    fake = _fake_numpy(tmp_path, 'raise SystemExit("numpy was imported")\n')
    plain = _python("import openpyxl", fake)
    assert plain.returncode == 1 and "numpy was imported" in plain.stderr  # the fake is found: the test can fail
    hidden = _python("from reportgen.core.lean_imports import hide_numpy_from_openpyxl as h; h(); "
                     "import openpyxl, openpyxl.compat.numbers as n; import importlib.util as u; "
                     "print('numpy' in sys.modules, n.NUMPY, u.find_spec('numpy') is not None)", fake)
    assert hidden.returncode == 0, hidden.stderr
    assert hidden.stdout.split() == ["False", "False", "True"]  # hidden from openpyxl only, still installed


def test_a_program_that_imported_numpy_first_keeps_it(tmp_path):
    fake = _fake_numpy(tmp_path, "def __getattr__(name):\n    return type(name, (), {})\n")
    done = _python("import numpy; from reportgen.core.lean_imports import hide_numpy_from_openpyxl as h; h(); "
                   "import openpyxl.compat.numbers as n; print(n.NUMPY)", fake)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


def test_the_console_command_installs_it(tmp_path):
    fake = _fake_numpy(tmp_path, 'raise SystemExit("numpy was imported")\n')
    root = Path(__file__).resolve().parent.parent
    code = (f"import sys; sys.path.insert(0, {str(fake)!r}); sys.argv = ['reportgen', 'check', 'inputs/2023-06.xlsx']; "
            "from reportgen.cli.app import main; main()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert "numpy was imported" not in done.stderr
    assert done.returncode == 0, done.stderr
