"""Scheduled runs get the SMTP password (issue 12, item 14): the printed cron line and systemd unit are run
here as the scheduler would, in a bare environment (no ~/.profile, no terminal's variables), against a real
SMTP server that demands a login."""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from reportgen.cli.app import run as cli_run
from reportgen.settings.sections import MailConfig
from reportgen.core.errors import ConfigError
from reportgen.delivery.mail.credentials import resolve_password, store_password
from reportgen.delivery.schedule import scheduler_entry
from reportgen.delivery.scheduler_entry import password_file
from reportgen.settings.workspace import Workspace

from run_helpers import RECIPIENTS, make_folder, write_month
from smtp_fixtures import SMTP_PASSWORD, SMTP_USER
from smtp_fixtures import *  # noqa: F401,F403 - pytest fixtures

pytestmark = pytest.mark.skipif(os.name == "nt", reason="cron and systemd are POSIX schedulers")


def due_period(today: date) -> str:
    """The month whose report is due by today (the due day is the 20th): this one from the 20th, else the last."""
    if today.day >= 20:
        return f"{today.year}-{today.month:02d}"
    return f"{today.year - (today.month == 1)}-{(today.month - 2) % 12 + 1:02d}"


@pytest.fixture
def office(tmp_path, smtp_server_factory):
    """A working folder whose mail server wants a login, this month's report due, the password stored."""
    server = smtp_server_factory(auth=(SMTP_USER, SMTP_PASSWORD))
    root = make_folder(tmp_path / "Báo cáo 100%", server)
    (root / "inputs" / "2023-06.xlsx").unlink()
    write_month(root, due_period(date.today()))
    home = tmp_path / "home"
    home.mkdir()
    return server, root, home


def bare_environment(home: Path, **extra: str) -> dict[str, str]:
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **extra}


def test_the_printed_cron_line_finds_the_password_in_a_bare_environment(office):
    server, root, home = office
    workspace = Workspace.open(root)
    store_password(workspace.config.mail, SMTP_PASSWORD, password_file(root, home))
    entry = scheduler_entry(workspace, "cron", home=home)
    schedule, job = entry.cron_lines[0].split(" ", 5)[:5], entry.cron_lines[0].split(" ", 5)[5]
    assert schedule == ["0", "7", "*", "*", "*"]
    job = job.removesuffix(" " + entry.marker).replace("\\%", "%")   # what cron hands to /bin/sh
    done = subprocess.run(["/bin/sh", "-c", job], env=bare_environment(home), cwd="/", timeout=180)
    assert done.returncode == 0, (root / "outputs" / "reportgen-cron.log").read_text(encoding="utf-8")
    assert server.logins and set(server.logins) == {SMTP_USER}
    assert [len(server.inbox(a)) for a in RECIPIENTS] == [1, 1]


def test_the_printed_systemd_unit_finds_the_password_in_a_bare_environment(office):
    server, root, home = office
    workspace = Workspace.open(root)
    store_password(workspace.config.mail, SMTP_PASSWORD, password_file(root, home))
    entry = scheduler_entry(workspace, "systemd", home=home)
    service = next(text for path, text in entry.files.items() if path.endswith(".service"))
    settings = dict(line.split("=", 1) for line in service.splitlines() if "=" in line)
    # systemd's own unquoting: the value's quotes and C escapes go, "%%" is "%", and in ExecStart "$$" is "$".
    name, value = shlex.split(settings["Environment"].replace("%%", "%"))[0].split("=", 1)
    argv = shlex.split(settings["ExecStart"].replace("%%", "%").replace("$$", "$"))
    workdir = settings["WorkingDirectory"].replace("%%", "%")
    done = subprocess.run(argv, env=bare_environment(home, **{name: value}), cwd=workdir, capture_output=True,
                          timeout=180)
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    assert [len(server.inbox(a)) for a in RECIPIENTS] == [1, 1]


def test_without_the_stored_password_the_run_says_how_to_store_it(office):
    server, root, home = office
    entry = scheduler_entry(Workspace.open(root), "cron", home=home)
    job = entry.cron_lines[0].split(" ", 5)[5].removesuffix(" " + entry.marker).replace("\\%", "%")
    subprocess.run(["/bin/sh", "-c", job], env=bare_environment(home), cwd="/", timeout=180)
    log = (root / "outputs" / "reportgen-cron.log").read_text(encoding="utf-8")
    assert f"không có tệp mật khẩu {password_file(root, home)} (biến môi trường REPORTGEN_SMTP_PASSWORD_FILE)" in log
    assert "Chạy “reportgen schedule password” để lưu mật khẩu thư vào tệp đó." in log
    assert server.messages == []


def test_a_password_file_others_can_read_is_refused(tmp_path, monkeypatch):
    mail = MailConfig(host="smtp.example.vn", username=SMTP_USER, sender=SMTP_USER)
    secret = tmp_path / "matkhau"
    store_password(mail, "bí mật", secret)
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    monkeypatch.setenv("REPORTGEN_SMTP_PASSWORD_FILE", str(secret))
    monkeypatch.delenv("REPORTGEN_SMTP_PASSWORD", raising=False)
    assert resolve_password(mail) == "bí mật"
    secret.chmod(0o644)
    with pytest.raises(ConfigError, match=r"để người khác đọc được \(quyền -rw-r--r--\); chạy “chmod 600"):
        resolve_password(mail)


def test_schedule_password_asks_twice_and_keeps_it_private(office, monkeypatch, capsys):
    server, root, home = office
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(f"{SMTP_PASSWORD}\n{SMTP_PASSWORD}\n"))
    assert cli_run(["-C", str(root), "schedule", "password"]) == 0
    secret = password_file(root, home)
    assert secret.read_text(encoding="utf-8") == SMTP_PASSWORD + "\n"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert f"Đã lưu mật khẩu thư của tài khoản {SMTP_USER} vào {secret}" in capsys.readouterr().out


def test_the_printed_entries_say_where_the_password_goes(office):
    _, root, home = office
    workspace = Workspace.open(root)
    for system in ("cron", "systemd"):
        text = scheduler_entry(workspace, system, home=home).text
        assert f"đặt REPORTGEN_SMTP_PASSWORD_FILE chỉ tới tệp {password_file(root, home)}" in text
        assert "schedule password" in text
    assert "Windows Credential Manager" in scheduler_entry(workspace, "windows", home=home).text
    assert sys.executable  # the entries run this interpreter
