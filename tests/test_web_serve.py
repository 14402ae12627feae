"""``reportgen serve`` and ``reportgen users`` as a user runs them: a real process, a real port, a real signal."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from reportgen.cli.app import run
from reportgen.web import accounts
from web_helpers import web_folder

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGTERM is a POSIX signal")


def start(folder, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "BROWSER": "true"}
    return subprocess.Popen([sys.executable, "-m", "reportgen", "-C", str(folder), "serve", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_serve_prints_the_address_first_serves_the_page_and_stops_cleanly_on_sigterm(tmp_path):
    folder = web_folder(tmp_path / "baocao")
    process = start(folder, "--no-browser")
    try:
        address = process.stdout.readline().strip()
        assert address.startswith("http://127.0.0.1:") and address.endswith("/")
        with urllib.request.urlopen(address, timeout=30) as response:
            page = response.read().decode("utf-8")
            assert response.status == 200 and "Tổng quan" in page
            assert response.headers["X-Frame-Options"] == "DENY"
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Đã dừng trang web." in out and "Traceback" not in err


def test_serve_on_another_address_refuses_to_start_without_accounts(tmp_path, capsys):
    folder = web_folder(tmp_path / "baocao")
    status = run(["-C", str(folder), "serve", "--host", "0.0.0.0", "--no-browser"])
    err = capsys.readouterr().err
    assert status == 2
    assert "Không mở trang web trên địa chỉ 0.0.0.0 khi chưa có tài khoản nào" in err
    assert "reportgen users add" in err


def test_users_add_asks_the_password_twice_and_keeps_only_its_hash(tmp_path):
    folder = web_folder(tmp_path / "baocao")
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "-C", str(folder), "users", "add", "Nguyen.Van.A", "--role", "lanh_dao"],
        input="mật-khẩu-thật-dài\nmật-khẩu-thật-dài\n", capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Mật khẩu: " in done.stderr and "Nhập lại mật khẩu: " in done.stderr  # asked twice, hidden (getpass)
    assert "mật-khẩu-thật-dài" not in done.stdout + done.stderr  # never echoed
    assert "Đã lưu tài khoản nguyen.van.a: lãnh đạo; (đơn vị chung)." in done.stdout
    assert accounts.authenticate(folder, "nguyen.van.a", "mật-khẩu-thật-dài").roles == {"lanh_dao"}
    assert "mật-khẩu-thật-dài" not in accounts.accounts_file(folder).read_text(encoding="utf-8")


def test_users_add_refuses_an_unknown_unit_and_a_short_password(tmp_path, capsys):
    folder = web_folder(tmp_path / "baocao")
    assert run(["-C", str(folder), "users", "add", "a.b", "--role", "van_thu", "--unit", "khong-co",
                "--password", "mật-khẩu-thật-dài"]) == 2
    assert "Không có đơn vị “khong-co” trong [units] của reportgen.toml" in capsys.readouterr().err
    assert run(["-C", str(folder), "users", "add", "a.b", "--role", "van_thu", "--password", "ngắn"]) == 2
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in capsys.readouterr().err
    assert not accounts.accounts_file(folder).exists()


def test_serve_on_another_address_starts_once_an_account_exists(tmp_path):
    folder = web_folder(tmp_path / "baocao")
    accounts.add_account(folder, "th.huyen", "tong_hop", (), "mật-khẩu-thật-dài", ("",))
    process = start(folder, "--host", "0.0.0.0", "--no-browser")
    try:
        address = process.stdout.readline().strip()
        assert address.startswith("http://0.0.0.0:")
        port = address.rsplit(":", 1)[1].rstrip("/")
        request = urllib.request.Request(f"http://127.0.0.1:{port}/")
        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirected:
            opener.open(request, timeout=30)
        assert redirected.value.code == 302 and redirected.value.headers["Location"].startswith("/dang-nhap")
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    assert process.returncode == 0


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_desktop_entry_point_serves_the_current_folder(tmp_path):
    folder = web_folder(tmp_path / "baocao")
    exe = shutil.which("reportgen-web") or str(Path(sys.executable).parent / "reportgen-web")
    process = subprocess.Popen([exe, "--no-browser"], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        address = process.stdout.readline().strip()
        assert address.startswith("http://127.0.0.1:")
        assert f"cho thư mục {folder}" in process.stdout.readline()
        with urllib.request.urlopen(address, timeout=30) as response:
            assert response.status == 200
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    assert process.returncode == 0
