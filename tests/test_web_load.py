"""A bounded load on loopback: 20 offices hand in their workbooks at the same moment; every one gets its draft.

A real server process (waitress, 8 threads), 20 units in one working folder, 20 clients each with its own
session and CSRF token posting its unit's workbook at once.  Every upload must come back with its own draft,
the ledger must hold exactly one revision per unit and the files each names, and the server's peak memory
stays under a bound (measured from /proc, Linux only).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from reportgen.delivery.ledger import Ledger
from web_helpers import web_folder, workbook

UNITS = 20
PEAK_MB = 2048
TIMEOUT_S = 900

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from /proc")


def units_toml(count: int) -> str:
    return "".join(
        f'\n[units.xa-{n:02d}]\nagency = ["ỦY BAN NHÂN DÂN", "XÃ SỐ {n}"]\nname = "Ủy ban nhân dân xã Số {n}"\n'
        f'place = "Số {n}"\narea = "xã"\n'
        for n in range(1, count + 1)
    )


def hand_in(address: str, unit: str, path: Path) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = opener.open(f"{address}nop-so-lieu", timeout=TIMEOUT_S).read().decode("utf-8")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in (("csrf_token", csrf), ("unit", unit))]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="workbook"; filename="{path.name}"\r\n'
                 "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
                 + path.read_bytes() + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{address}nop-so-lieu", data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with opener.open(request, timeout=TIMEOUT_S) as response:
        return response.status, response.read().decode("utf-8")


def test_twenty_units_hand_in_at_once_and_each_gets_its_draft(tmp_path):
    folder = web_folder(tmp_path / "tinh")
    config = folder / "reportgen.toml"
    config.write_text(config.read_text(encoding="utf-8") + units_toml(UNITS), encoding="utf-8")
    books = {f"xa-{n:02d}": workbook(folder, unit=f"xa-{n:02d}", value=str(100 + n)) for n in range(1, UNITS + 1)}
    process = subprocess.Popen([sys.executable, "-m", "reportgen", "-C", str(folder), "serve", "--no-browser"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        address = process.stdout.readline().strip()
        with ThreadPoolExecutor(UNITS) as pool:
            answers = dict(zip(books, pool.map(lambda item: hand_in(address, *item), books.items())))
        peak_kb = int(re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{process.pid}/status").read_text()).group(1))
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err[-2000:]
    for unit, (status, page) in answers.items():
        assert status == 200, (unit, page[-1500:])
        assert "Đã lập dự thảo báo cáo tháng 6 năm 2023 (lần lập thứ 1)." in page, unit
    with Ledger(folder / "reportgen.db") as ledger:
        reports = ledger.reports()
    assert sorted(r.unit for r in reports) == sorted(books)
    assert all(r.revision == 1 and r.period == "2023-06" for r in reports)
    for record in reports:
        assert (folder / record.files["pdf"]["path"]).is_file()
        figures = json.loads((folder / "outputs" / record.unit / "2023-06" / "so-lieu-2023-06-lan-1.json").read_text("utf-8"))
        xh01 = next(row for row in figures["indicators"] if row["code"] == "XH01")
        assert xh01["value"] == str(100 + int(record.unit[3:]))  # each unit's own figure, nothing mixed up
    assert peak_kb / 1024 < PEAK_MB, f"peak memory {peak_kb // 1024} MB"
