"""`reportgen issue` killed with SIGKILL at each step, then run again: nothing a killed issue left is ever output.

After each kill: no issued file in outputs/ that the register does not hold, and every register entry's files
either in place or held whole (the next command moves them in).  Then the next `issue` ends consistent: killed
before the register took the number, it issues number 01 and the held files are gone; killed after, it finds
the report issued as 01, its files in place, and the next `run` delivers the queued mail once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from pki import OFFICE_P12_PASSPHRASE, P12_PASSPHRASE
from run_helpers import RECIPIENTS, make_folder, run_at
from smtp_fixtures import *  # noqa: F401,F403 - pytest fixtures
from test_issuing_flow import REVIEWER, SIGNER, sign_table
from reportgen import api
from reportgen.core.failpoints import ENV
from reportgen.core.files import held_path, sha256_file
from reportgen.core.periods import Period
from reportgen.delivery.ledger import Ledger
from reportgen.issuance import Secrets

pytest_plugins = ("signing_fixtures",)
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX-only")

ISSUED = ("bao-cao-2023-06-lan-1-so-01-2023.pdf", "bao-cao-2023-06-lan-1-so-01-2023-chua-ky.pdf",
          "bao-cao-2023-06-lan-1-so-01-2023.docx")


def issue(root: Path, server, failpoint: str | None = None, *options: str) -> subprocess.CompletedProcess:
    env = server.subprocess_env()
    env.pop(ENV, None)
    if failpoint:
        env[ENV] = failpoint
    env.update(PIN=P12_PASSPHRASE, OFFICE_PIN=OFFICE_P12_PASSPHRASE, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "reportgen", "-C", str(root), "issue", "2023-06", "--approve-as", SIGNER,
         "--pin-env", "PIN", "--office-pin-env", "OFFICE_PIN", "--now", "2023-06-21T09:00", *options],
        env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)


def register(root: Path) -> dict[Path, str]:
    """Every file the register holds → its recorded SHA-256."""
    with Ledger(root / "reportgen.db") as ledger:
        return {root / info["path"]: info["sha256"] for i in ledger.all_issued() for info in i.files.values()}


def assert_consistent(root: Path, *, settled: bool) -> None:
    """No issued file in outputs/ the register does not hold (with its hash); each entry's files in place or,
    right after a kill (``settled`` false), held whole beside their place."""
    owned = register(root)
    visible = [p for p in (root / "outputs").rglob("bao-cao-*-so-*") if p.is_file()]
    for path in visible:
        assert path in owned, f"{path.name}: a file the register does not hold"
        assert sha256_file(path) == owned[path]
    for path, digest in owned.items():
        if path.is_file():
            continue
        assert not settled, f"{path.name}: the register holds it, it is not there"
        held = list(path.parent.glob(f".{path.name}.rg*.held"))
        assert [sha256_file(h) for h in held] == [digest], f"{path.name}: neither in place nor held"
    if settled:
        assert not [p for p in root.rglob("*") if p.name.endswith((".held", ".part"))]


@pytest.fixture
def office(tmp_path, smtp_server, pki, images) -> Path:
    root = make_folder(tmp_path / "vp", smtp_server, approval=True, review_to=(REVIEWER,),
                       extra=sign_table(pki, images))
    run_at(root, "2023-06-20T07:00")  # the draft, to the reviewer
    return root


@pytest.mark.parametrize("point", ["holding", "issue_held"])
def test_killed_before_the_register_then_issued_again(office, smtp_server, point):
    killed = issue(office, smtp_server, point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert register(office) == {}
    assert_consistent(office, settled=False)
    if point == "issue_held":  # the signed files were whole, held beside their place: never output
        assert sorted(p.name.split(".rg")[0] for p in (office / "outputs").rglob(".*.held")) == sorted(
            f".{name}" for name in ISSUED)
    again = issue(office, smtp_server)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Đã ban hành Báo cáo số 01/BC-UBND ngày 21/6/2023" in again.stdout
    assert_consistent(office, settled=True)
    assert sorted(p.name for p in register(office)) == sorted(ISSUED)
    for address in RECIPIENTS:
        assert ["01/BC-UBND" in str(m.message["Subject"]) for m in smtp_server.inbox(address)] == [True]


@pytest.mark.parametrize("point", ["issue_registered", "before_send"])
def test_killed_after_the_register_then_completed(office, smtp_server, point):
    killed = issue(office, smtp_server, point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert sorted(p.name for p in register(office)) == sorted(ISSUED)
    assert_consistent(office, settled=False)
    again = issue(office, smtp_server)
    assert again.returncode == 2, again.stdout + again.stderr
    assert "Bản 1 của báo cáo tháng 6 năm 2023 đã ban hành: Báo cáo số 01/BC-UBND ngày 21/6/2023." in again.stderr
    assert_consistent(office, settled=True)  # the held files moved into place by the sweep, hash-checked
    assert not any(smtp_server.inbox(address) for address in RECIPIENTS)
    sent = run_at(office, "2023-06-21T09:30")
    assert sent.status == 0, sent.receipt
    for address in RECIPIENTS:
        inbox = smtp_server.inbox(address)
        assert ["01/BC-UBND" in str(m.message["Subject"]) for m in inbox] == [True], address
        pdf = [p for p in inbox[0].message.iter_attachments() if p.get_filename().endswith(".pdf")][0]
        assert pdf.get_payload(decode=True) == (office / "outputs/2023-06" / ISSUED[0]).read_bytes()
    assert_consistent(office, settled=True)


def test_a_run_after_the_kill_completes_the_issue_and_says_so(office, smtp_server):
    killed = issue(office, smtp_server, "issue_registered")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    result = run_at(office, "2023-06-21T09:30")
    assert result.status == 0, result.receipt
    assert ("Hoàn tất ban hành bị ngắt giữa chừng: đã đưa outputs/2023-06/bao-cao-2023-06-lan-1-so-01-2023.pdf vào "
            "chỗ (đúng tệp đã vào sổ).") in result.receipt
    assert_consistent(office, settled=True)
    assert all(len(smtp_server.inbox(address)) == 1 for address in RECIPIENTS)


def test_the_sweep_completes_a_publishing_cut_halfway(office, smtp_server):
    """Killed while moving the held files into place: one already there, one still held, and a stray held copy
    of a file already in place.  The next run moves the held one in and drops the copy."""
    made = api.issue(api.open_folder(office), Period.parse("2023-06"), approve_as=SIGNER,
                     secrets=Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE), now=datetime(2023, 6, 21, 9))
    gone = _dead_pid()
    docx_bytes = made.docx.read_bytes()
    os.replace(made.docx, held_path(made.docx, gone))
    held_path(made.pdf, gone).write_bytes(made.pdf.read_bytes())
    result = run_at(office, "2023-06-21T09:30")
    assert made.docx.read_bytes() == docx_bytes
    assert ("Hoàn tất ban hành bị ngắt giữa chừng: đã đưa outputs/2023-06/bao-cao-2023-06-lan-1-so-01-2023.docx vào "
            "chỗ (đúng tệp đã vào sổ).") in result.receipt
    assert "so-01-2023.pdf vào chỗ" not in result.receipt
    assert_consistent(office, settled=True)


def _dead_pid() -> int:
    """The number of a process that has ended."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_send_retry_failed_after_the_kill_completes_the_issue_and_says_so(office, smtp_server):
    killed = issue(office, smtp_server, "issue_registered")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    result = api.retry_failed(api.open_folder(office), now=datetime(2023, 6, 21, 9, 30)).run
    assert result.status == 0, result.receipt
    assert "Hoàn tất ban hành bị ngắt giữa chừng: đã đưa outputs/2023-06/bao-cao-2023-06-lan-1-so-01-2023.pdf" in \
        result.receipt
    assert_consistent(office, settled=True)
    assert all(len(smtp_server.inbox(address)) == 1 for address in RECIPIENTS)
