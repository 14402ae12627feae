"""The alternative's own virtual environment: docxtpl, matplotlib (and numpy with it), openpyxl.

Standard library only.  The alternative's libraries never go into reportgen's
environment: openpyxl imports numpy whenever the interpreter has it, so a
reportgen sharing an interpreter with matplotlib would pay for numpy's import
in every figure it is measured by.  ``bench/run.py`` makes this environment
once, beside this file (``bench/.alternative-venv/``, ignored by git), with the
packages of ``alternative-requirements.txt``, and runs ``alternative.py`` in it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
FOLDER = BENCH / ".alternative-venv"
REQUIREMENTS = BENCH / "alternative-requirements.txt"
STAMP = FOLDER / "requirements.installed"
"""A copy of the requirements the environment was made with: a changed list makes it again."""


def python_of(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def alternative_python(log) -> Path | None:  # noqa: ANN001 - a print-like callable
    """The environment's interpreter, made (or brought up to date) first; None if it cannot be made."""
    wanted = REQUIREMENTS.read_text(encoding="utf-8")
    python = python_of(FOLDER)
    if python.is_file() and STAMP.is_file() and STAMP.read_text(encoding="utf-8") == wanted:
        return python
    log(f"alternative: making its own environment in {FOLDER} (docxtpl, matplotlib, openpyxl; once)")
    try:
        if not python.is_file():
            subprocess.run([sys.executable, "-m", "venv", str(FOLDER)], check=True, capture_output=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)], check=True,
                       capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        log(f"alternative: its environment could not be made ({exc}) {detail.decode(errors='replace')[-400:]}")
        return None
    STAMP.write_text(wanted, encoding="utf-8")
    return python
