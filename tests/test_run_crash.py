"""Exactly once, as far as SMTP allows: `reportgen run` killed with SIGKILL at each step, then run again.

After the second run every recipient has the report, and no recipient has two
*different* sends of it: any copy beyond the first is the same bytes with the
same Message-ID (the documented resend rule, docs/delivery.md).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportgen.delivery.ledger import Ledger

from run_helpers import RECIPIENTS, UNITS_TOML, make_folder, write_month
from smtp_fixtures import *  # noqa: F401,F403 - pytest fixtures
from smtp_server import Delay

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX-only")

DUE = "2023-06-20T07:00"


def start_run(root: Path, server, failpoint: str | None = None, *options: str) -> subprocess.Popen:
    env = server.subprocess_env()
    env.pop("REPORTGEN_FAILPOINT", None)
    if failpoint:
        env["REPORTGEN_FAILPOINT"] = failpoint
    return subprocess.Popen([sys.executable, "-m", "reportgen", "-C", str(root), "run", "--now", DUE, *options],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def assert_each_recipient_has_one_report(server, root: Path) -> None:
    for address in RECIPIENTS:
        inbox = server.inbox(address)
        assert inbox, f"{address} got nothing"
        assert len({m.raw for m in inbox}) == 1, f"{address} got different sends"
        assert len({m.message_id for m in inbox}) == 1
    with Ledger(root / "reportgen.db") as ledger:
        assert [r.revision for r in ledger.reports()] == [1]
        statuses = {m.recipient: m.status for m in ledger.messages() if m.kind == "report"}
        assert statuses == {address: "sent" for address in RECIPIENTS}


@pytest.mark.parametrize("point", ["after_generation", "after_queue", "before_send", "after_accept"])
def test_killed_at_each_step_then_run_again(tmp_path, smtp_server, point):
    root = make_folder(tmp_path / "f", smtp_server)
    killed = start_run(root, smtp_server, point)
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    if point == "after_accept":
        assert len(smtp_server.inbox(RECIPIENTS[0])) == 1   # the server has it; the ledger does not know
    again = start_run(root, smtp_server)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, (out.decode(), err.decode())
    assert_each_recipient_has_one_report(smtp_server, root)
    if point == "after_accept":  # resent: the same message again, which clients recognise by its Message-ID
        assert len(smtp_server.inbox(RECIPIENTS[0])) == 2


def test_killed_during_the_smtp_dialogue_then_run_again(tmp_path, smtp_server):
    root = make_folder(tmp_path / "f", smtp_server)
    smtp_server.script(Delay("end", 30))          # the server sits on the end of DATA …
    running = start_run(root, smtp_server)
    deadline = time.monotonic() + 120
    while not smtp_server.connections and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)                                 # … while the client is inside the dialogue
    os.kill(running.pid, signal.SIGKILL)
    running.communicate(timeout=30)
    assert running.returncode == -signal.SIGKILL
    again = start_run(root, smtp_server)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, (out.decode(), err.decode())
    assert_each_recipient_has_one_report(smtp_server, root)


def test_killed_while_workers_build_other_units_then_run_again(tmp_path, smtp_server):
    """The run is killed while recording its first unit and its two workers are still building the others.
    Those workers must finish the report in hand and leave: forked with the run's lock, workers waiting for
    work forever would keep every later run out.  The next run then delivers each unit's report once."""
    root = make_folder(tmp_path / "f", smtp_server, extra=UNITS_TOML)
    write_month(root, "2023-06")
    for unit in ("hoanh-mo", "dong-van"):
        write_month(root, "2023-06", unit=unit)
    killed = start_run(root, smtp_server, "after_generation", "--jobs", "2")
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    again = start_run(root, smtp_server, None, "--jobs", "2", "--wait", "60")
    out, err = again.communicate(timeout=180)
    assert again.returncode == 0, (out.decode(), err.decode())
    for address in (*RECIPIENTS, "hoanhmo@example.vn", "dongvan@example.vn"):
        inbox = smtp_server.inbox(address)
        assert len(inbox) == 1, f"{address} got {len(inbox)} messages"
    with Ledger(root / "reportgen.db") as ledger:
        assert sorted((r.unit, r.revision) for r in ledger.reports()) == [("", 1), ("dong-van", 1), ("hoanh-mo", 1)]
    assert not list((root / "outputs").rglob("*.part")), "a worker left a half-written file"


def test_a_batch_stopped_by_the_service_ends_its_workers_quietly(tmp_path):
    """SIGTERM to the run's whole process group (a service stopped, the session ending) while its workers wait
    for work: the run says why it stopped and nothing else; no worker prints a traceback of the run's handler,
    none is left running, no half-written file stays behind."""
    from reportgen.core.failpoints import ENV, PAUSED

    root = make_folder(tmp_path / "f", extra=UNITS_TOML)
    for unit in ("hoanh-mo", "dong-van"):
        write_month(root, "2023-06", unit=unit)
    env = {**os.environ, ENV: "after_generation:pause", "PYTHONIOENCODING": "utf-8"}
    running = subprocess.Popen([sys.executable, "-m", "reportgen", "-C", str(root), "run", "--now", DUE, "--jobs", "2"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                               text=True, encoding="utf-8")
    try:
        assert running.stderr.readline().startswith(PAUSED)  # the run records its first unit's report, paused
        deadline = time.monotonic() + 60
        while len(list((root / "outputs").rglob("bao-cao-*.pdf"))) < 3:  # the workers built the other two
            assert time.monotonic() < deadline, "the workers did not build the other units"
            time.sleep(0.05)
        workers = subprocess.run(["pgrep", "-P", str(running.pid)], capture_output=True, text=True).stdout.split()
        assert len(workers) == 2, workers                      # both alive, waiting for work
        os.killpg(running.pid, signal.SIGTERM)
        err = running.stderr.read()
        assert running.wait(timeout=60) == 143
    finally:
        if running.poll() is None:
            os.killpg(running.pid, signal.SIGKILL)
    assert err.strip() == "Đã dừng theo yêu cầu của hệ điều hành (tín hiệu 15); không để lại tệp dở dang."
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists() and _alive(int(pid))]
    assert leftovers(root) == []


def _alive(pid: int) -> bool:
    """Running (a zombie, ended and waiting to be reaped by whoever adopted it, is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def leftovers(root: Path) -> list[Path]:
    """Temporary files anywhere in the working folder (outputs, receipts, the spool, inputs)."""
    return [p for p in root.rglob("*") if p.name.endswith(".part")]


@pytest.mark.parametrize("point", ["publishing", "writing.eml", "writing.txt"])
def test_killed_while_writing_leaves_nothing_behind_after_the_next_run(tmp_path, smtp_server, point):
    root = make_folder(tmp_path / "f", smtp_server)
    killed = start_run(root, smtp_server, point)
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    assert leftovers(root), "the kill should have left a temporary file to sweep"
    again = start_run(root, smtp_server)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, (out.decode(), err.decode())
    assert leftovers(root) == []
    assert_each_recipient_has_one_report(smtp_server, root)


def test_killed_between_a_refusal_and_its_notice_the_notice_still_goes_once(tmp_path, smtp_server):
    smtp_server.refuse_recipient(RECIPIENTS[1])
    root = make_folder(tmp_path / "f", smtp_server)
    killed = start_run(root, smtp_server, "failure_recorded")
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    again = start_run(root, smtp_server)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 6, (out.decode(), err.decode())
    notices = [m for m in smtp_server.inbox("vanphong@example.vn") if "Không gửi được" in m.message["Subject"]]
    assert [m.message["Subject"] for m in notices] == [f"[reportgen] Không gửi được thư đến {RECIPIENTS[1]}"]
    with Ledger(root / "reportgen.db") as ledger:
        statuses = {m.recipient: m.status for m in ledger.messages() if m.kind == "report"}
        assert statuses == {RECIPIENTS[0]: "sent", RECIPIENTS[1]: "failed"}


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("point", ["publishing", "writing.eml"])
def test_sigterm_and_sighup_clean_up_like_ctrl_c(tmp_path, smtp_server, signame, point):
    root = make_folder(tmp_path / "f", smtp_server)
    running = start_run(root, smtp_server, f"{point}:pause")
    line = running.stderr.readline().decode()
    assert line.startswith("failpoint reached"), line
    assert leftovers(root)                                   # a temporary file is open at this moment
    running.send_signal(getattr(signal, signame))
    out, err = running.communicate(timeout=60)
    assert running.returncode == 143, err.decode()
    assert "Đã dừng theo yêu cầu của hệ điều hành" in err.decode()
    assert leftovers(root) == []
    again = start_run(root, smtp_server)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, (out.decode(), err.decode())
    assert_each_recipient_has_one_report(smtp_server, root)
