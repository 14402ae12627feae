"""The ledger backup of docs/operations.md: a copy taken while messages wait restores a folder that
sends each of them once; a damaged ledger stops a run with a message pointing at the backup."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from reportgen.cli.app import run as cli_run
from reportgen.core.errors import ExitStatus

from run_helpers import RECIPIENTS, make_folder, run_at
from smtp_fixtures import *  # noqa: F401,F403 - pytest fixtures

OPERATIONS = Path(__file__).resolve().parents[1] / "docs" / "operations.md"


def documented_backup() -> str:
    """The Python of the backup command docs/operations.md gives (run there from the working folder)."""
    line = next(line for line in OPERATIONS.read_text(encoding="utf-8").splitlines()
                if line.startswith(".venv/bin/python -c ") and ".backup(" in line)
    return line.removeprefix(".venv/bin/python -c ").strip().strip('"')


def test_the_documented_backup_restores_a_folder_that_sends_each_message_once(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server)
    run_at(root, "2023-06-16T07:00")                       # built and queued; due on the 20th
    (root / "sao-luu").mkdir()
    subprocess.run([sys.executable, "-c", documented_backup()], cwd=root, check=True)
    shutil.copytree(root / "reportgen.spool", root / "sao-luu" / "reportgen.spool")
    waiting = sorted(p.name for p in (root / "reportgen.spool").glob("*.eml"))
    assert len(waiting) == len(RECIPIENTS)

    # The disk is lost: a new working folder, the same inputs, the ledger and spool from the backup.
    restored = make_folder(tmp_path / "g", smtp_server)
    shutil.copy(root / "sao-luu" / "reportgen.db", restored / "reportgen.db")
    shutil.copytree(root / "sao-luu" / "reportgen.spool", restored / "reportgen.spool")
    result = run_at(restored, "2023-06-20T07:00")
    assert result.status is ExitStatus.SUCCESS
    assert "inputs/2023-06.xlsx" not in result.receipt   # the ledger knows this input: not built again
    assert result.receipt.count("đã gửi; máy chủ trả lời: 250") == len(RECIPIENTS)  # sent from the spool
    assert [len(smtp_server.inbox(a)) for a in RECIPIENTS] == [1, 1]
    run_at(restored, "2023-06-21T07:00")
    assert [len(smtp_server.inbox(a)) for a in RECIPIENTS] == [1, 1]        # once, not again
    assert not list((restored / "reportgen.spool").glob("*.eml"))           # delivered bytes let go


def test_a_damaged_ledger_stops_the_run_and_points_at_the_backup(tmp_path, capsys):
    root = make_folder(tmp_path / "f")
    (root / "reportgen.db").write_bytes(b"this is not an SQLite database, it was overwritten" * 4)
    status = cli_run(["-C", str(root), "run", "--now", "2023-06-20T07:00"])
    out = capsys.readouterr()
    assert status == ExitStatus.ERROR
    assert out.err.strip() == (
        f"Lỗi: Sổ theo dõi {root / 'reportgen.db'} không đọc được (file is not a database). Khôi phục từ bản "
        "sao lưu (docs/operations.md) hoặc đổi tên tệp để bắt đầu sổ mới.")
    assert out.out == ""
    assert not (root / "outputs" / "2023-06").exists()
