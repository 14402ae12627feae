"""Headless Chromium from Debian's ``chromium`` package, for tests that look at a page as a browser draws it.

bootstrap.py installs the package (DEBIAN_PACKAGES); a machine without it fails these tests with a message
saying so, never skips them.  Each call starts a fresh browser with its own profile folder, no network
services and no sandbox (the tests run as root in CI), at a device scale of 1: a CSS pixel is a pixel of
the screenshot.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

TIMEOUT_S = 120
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--force-device-scale-factor=1", "--disable-extensions")


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("Chromium is not installed: `apt-get install chromium` (bootstrap.py test does it)")
    return found


def _run(page: Path, profile: Path, size: tuple[int, int], *extra: str) -> subprocess.CompletedProcess:
    command = [chromium(), *FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}", *extra,
               page.resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, text=True, errors="replace")
    if done.returncode != 0:
        pytest.fail(f"chromium failed ({done.returncode}): {done.stderr[-2000:]}")
    return done


def screenshot(page: Path, png: Path, size: tuple[int, int], workdir: Path) -> Path:
    """The top ``size`` of ``page`` as Chromium draws it, saved as ``png``."""
    _run(page, workdir / "profile-shot", size, f"--screenshot={png}")
    if not png.exists():
        pytest.fail(f"chromium wrote no screenshot {png}")
    return png


def dom_after_scripts(page: Path, size: tuple[int, int], workdir: Path) -> str:
    """The page's DOM once its scripts have run (a test page can record layout facts into it)."""
    return _run(page, workdir / "profile-dom", size, "--dump-dom").stdout
