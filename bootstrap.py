#!/usr/bin/env python3
"""Set up reportgen from a fresh clone and run it — one command, Linux, macOS or Windows.

    python3 bootstrap.py          create .venv, install reportgen, run the main job on the example
    python3 bootstrap.py test     also install what the tests need, check the code (import contract, ruff,
                                  mypy), then run the whole test suite

Only the standard library is used here, so it runs before anything is installed.
On Debian/Ubuntu, ``test`` installs the system packages the tests use
(poppler-utils, metric-compatible Times fonts, LibreOffice headless, SoftHSM2) with
apt-get when run as root or with password-less sudo; elsewhere it says what to
install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
EXAMPLE_DUE = "2023-06-20T07:00"
DEBIAN_PACKAGES = ("poppler-utils", "fonts-liberation2", "fonts-croscore",
                   "libreoffice-writer-nogui", "libreoffice-calc-nogui",
                   # The signing tests: a real PKCS#11 token (SoftHSM2), and a C compiler for the test module
                   # that adds PIN lockout in front of it (tests/fixtures/pkcs11/pin_lockout.c).
                   "softhsm2", "gcc", "libc6-dev",
                   # The HTML writers' pages drawn by a real browser (and the web page's tests).
                   "chromium", "chromium-driver")


def venv_bin(name: str) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return VENV / folder / f"{name}{suffix}"


def sh(*args: object, **kwargs) -> None:
    print("$", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)


def quiet(what: str, *args: object) -> None:
    """Run a step whose output matters only when it fails (pip and setuptools print pages of notices)."""
    print(what, flush=True)
    done = subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True, text=True, errors="replace")
    if done.returncode != 0:
        print(done.stdout + done.stderr, file=sys.stderr)
        raise subprocess.CalledProcessError(done.returncode, [str(a) for a in args])


def ensure_venv(extras: str = "") -> None:
    if not venv_bin("python").exists():
        quiet(f"Tạo môi trường Python riêng: {VENV}", sys.executable, "-m", "venv", VENV)
    quiet("Cập nhật pip…", venv_bin("python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    quiet("Cài reportgen và các thư viện nó dùng…", venv_bin("python"), "-m", "pip", "install", "--quiet", "-e",
          f".{extras}")


def ensure_system_packages() -> None:
    """Debian/Ubuntu only; other systems get a message naming what the tests use."""
    if not shutil.which("apt-get") or not shutil.which("dpkg"):
        print("Note: install poppler-utils (pdftoppm) and LibreOffice for the full test suite.")
        return
    missing = [p for p in DEBIAN_PACKAGES
               if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode != 0]
    if not missing:
        return
    prefix: list[str] = []
    if os.geteuid() != 0:
        if not shutil.which("sudo") or subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode:
            print(f"Note: cannot install {' '.join(missing)} (needs root); tests that use them will fail.")
            return
        prefix = ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sh(*prefix, "apt-get", "update", "-qq", env=env)
    sh(*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env)


def main_job() -> int:
    """The job a user runs every month, here on the bundled example."""
    # The bundled example is June 2023: run as of its due date, as the schedule would have.
    return subprocess.run([str(venv_bin("reportgen")), "run", "--now", EXAMPLE_DUE], cwd=ROOT).returncode


# The code's own checks, before the tests: the architecture's import contract, lint, format, types.
CHECKS = (
    ("lint-imports",),
    ("ruff", "check", "reportgen"),
    ("ruff", "format", "--check", "reportgen"),
    ("mypy",),
)


def code_checks() -> int:
    for check in CHECKS:
        print("$", " ".join(check), flush=True)
        status = subprocess.run([str(venv_bin(check[0])), *check[1:]], cwd=ROOT).returncode
        if status:
            return status
    return 0


def test() -> int:
    ensure_system_packages()
    ensure_venv("[test]")
    if len(sys.argv) <= 2:  # the whole suite (as CI runs it); a chosen test file skips the checks
        status = code_checks()
        if status:
            return status
    return subprocess.run([str(venv_bin("python")), "-m", "pytest", "-q", *sys.argv[2:]], cwd=ROOT).returncode


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    if command == "test":
        return test()
    if command != "run":
        print(__doc__)
        return 2
    ensure_venv()
    return main_job()


if __name__ == "__main__":
    sys.exit(main())
