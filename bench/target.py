"""What is being measured, and on what: the checkout, its interpreter, its commit, the machine.

Standard library only.  The checkout may be any clone or worktree of reportgen
(``--repo``), measured with the interpreter that has it installed
(``--python``, default: the checkout's own .venv), so the same benchmark
measures an old commit and the working tree on equal terms.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
UNLIKE_A_USER = ("REPORTGEN_CONFIG", "PYTHONDONTWRITEBYTECODE")
PACKAGES = ("openpyxl", "python-docx", "reportlab", "matplotlib", "numpy", "Pillow", "pypdf", "Jinja2", "click",
            "docxtpl", "pyinstrument")


@dataclass(frozen=True)
class Target:
    repo: Path
    python: Path

    @classmethod
    def resolve(cls, repo: Path | None, python: Path | None) -> "Target":
        repo = (repo or BENCH.parent).resolve()
        if not (repo / "reportgen" / "__init__.py").is_file():
            raise SystemExit(f"{repo} is not a reportgen checkout (no reportgen/__init__.py)")
        return cls(repo, (python or default_python(repo)).absolute())

    def script(self, name: str, *args: object) -> list[str]:
        """A bench/ helper run by the checkout's interpreter (so it imports the checkout's reportgen)."""
        return [str(self.python), str(BENCH / name), *map(str, args)]

    def reportgen(self, *args: object) -> list[str]:
        """The ``reportgen`` command exactly as a user runs it: the console script next to the interpreter."""
        script = self.python.parent / ("reportgen.exe" if os.name == "nt" else "reportgen")
        head = [str(script)] if script.is_file() else [str(self.python), "-m", "reportgen"]
        return [*head, *map(str, args)]

    def has_module(self, module: str) -> bool:
        return subprocess.run([str(self.python), "-c", f"import {module}"], capture_output=True).returncode == 0

    def env(self) -> dict[str, str]:
        """The caller's environment, less what would make the runs unlike a user's.

        REPORTGEN_CONFIG would point reportgen at another working folder; PYTHONDONTWRITEBYTECODE
        (set in some containers and CI images) would make every run compile every module of
        reportgen again — about a second per run that no installed copy ever pays.
        """
        env = {key: value for key, value in os.environ.items() if key not in UNLIKE_A_USER}
        env["PYTHONIOENCODING"] = "utf-8"
        return env

    def describe(self) -> dict:
        return {"repo": str(self.repo), "python": str(self.python), **git_state(self.repo),
                "python_version": self._query("import sys; print(sys.version.split()[0])"),
                "packages": json.loads(self._query(_VERSIONS_CODE) or "{}")}

    def _query(self, code: str) -> str:
        done = subprocess.run([str(self.python), "-c", code], capture_output=True, text=True)
        return done.stdout.strip()


_VERSIONS_CODE = f"""
import json
from importlib.metadata import version, PackageNotFoundError
found = {{}}
for name in {PACKAGES!r}:
    try:
        found[name] = version(name)
    except PackageNotFoundError:
        pass
print(json.dumps(found))
"""


def default_python(repo: Path) -> Path:
    venv = repo / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    return venv if venv.is_file() else Path(sys.executable)


def git_state(repo: Path) -> dict:
    """Short commit hash, and whether (and where) the working tree differs from it."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    changed = [line[3:] for line in git("status", "--porcelain").splitlines()
               if not line[3:].startswith("bench/results")]
    return {"commit": git("rev-parse", "--short", "HEAD") or "unknown",
            "commit_subject": git("log", "-1", "--format=%s"), "dirty": bool(changed), "changed": changed[:30]}


def machine() -> dict:
    return {"platform": platform.platform(), "cpu": cpu_model(), "cores": os.cpu_count(),
            "memory_gib": memory_gib(), "load_average": load_average(), "libreoffice": libreoffice_version()}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def load_average() -> list[float] | None:
    """Other work on the machine while it ran: the figures are only as quiet as the machine was."""
    return [round(value, 2) for value in os.getloadavg()] if hasattr(os, "getloadavg") else None


def libreoffice_version() -> str | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    done = subprocess.run([soffice, "--version"], capture_output=True, text=True, timeout=120)
    return done.stdout.strip() or None
