"""One ``reportgen generate`` writes the Word file and the PDF in a process of their own (concurrent.futures,
forked at the command's start on Linux with 2+ cores) while it writes the figures files: what fails there
reaches the user with its words, and nothing half-written is left."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.readback import read_back as verify
from reportgen.cli.app import run
from reportgen.core.errors import ConfigError, ExitStatus, RenderError
from reportgen.report.writing_process import writing_process

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "2023-06.xlsx"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
                                reason="the formats get a process of their own on Linux with 2+ cores only")


def generate(capsys, out: Path) -> tuple[int, str]:
    status = run(["-C", str(ROOT), "generate", str(EXAMPLE), "--out", str(out)])
    return status, capsys.readouterr().err


def test_the_formats_get_one_process_of_their_own():
    with writing_process(("docx", "pdf")) as writers:
        pids = {fmt: pool.submit(os.getpid).result() for fmt, pool in writers.items()}
    assert set(pids) == {"docx", "pdf"} and len(set(pids.values())) == 1 and os.getpid() not in pids.values()
    with writing_process(("pdf",)) as writers:
        assert set(writers) == {"pdf"} and writers["pdf"].submit(os.getpid).result() != os.getpid()


def test_the_command_imports_neither_writers_library(tmp_path):
    """The point of the process: the command itself never pays for python-docx, reportlab or PDFium."""
    script = (
        "import sys\n"
        "from reportgen.cli.app import run\n"
        f"status = run(['-C', {str(ROOT)!r}, 'generate', {str(EXAMPLE)!r}, '--out', {str(tmp_path)!r}])\n"
        "print(status, sorted(m for m in ('docx', 'reportlab', 'pypdfium2') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bao-cao-2023-06.docx", "bao-cao-2023-06.pdf", "so-lieu-2023-06.json", "so-lieu-2023-06.xlsx"]


@pytest.mark.parametrize("check", ["verify_pdf", "verify_docx"])
def test_a_failure_in_the_writing_process_reaches_the_user_with_its_words(check, capsys, tmp_path, monkeypatch):
    """A format's read-back fails in the other process (patched before it forks): the command says so, exit 5,
    and neither the Word file nor the PDF is left in the folder."""
    pids = []

    def fails(path, document):
        pids.append(os.getpid())
        raise RenderError(f"Tệp {Path(path).name} hỏng (thử nghiệm) trong tiến trình {os.getpid()}.")

    monkeypatch.setattr(verify, check, fails)
    status, err = generate(capsys, tmp_path / "out")
    suffix = ".pdf" if check == "verify_pdf" else ".docx"
    assert status == ExitStatus.RENDER
    assert err.startswith("Lỗi: Tệp .bao-cao-2023-06.") and f"{suffix}.part hỏng (thử nghiệm) trong tiến trình" in err
    assert int(err.rstrip(".\n").rpartition(" ")[2]) != os.getpid() and pids == []  # it ran in the other process
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_an_error_that_cannot_cross_processes_crosses_with_its_words(capsys, tmp_path, monkeypatch):
    def fails(path, document):
        raise ConfigError("reportgen.toml", "pdf.font_dir", "thư mục không có (thử nghiệm)")

    monkeypatch.setattr(verify, "verify_pdf", fails)
    status, err = generate(capsys, tmp_path / "out")
    assert status == ExitStatus.RENDER
    assert err.strip() == ("Lỗi: Cấu hình reportgen.toml, mục [pdf], khóa “font_dir”: "
                           "thư mục không có (thử nghiệm)")


def test_the_figures_failing_here_waits_for_the_formats_and_leaves_nothing(capsys, tmp_path, monkeypatch):
    """The figures files are written here while the formats are written elsewhere: a failure here still
    waits for the writing process, so the stage removes finished files, not files being written."""
    from reportgen.report import generate as generate_module

    def fails(*args):
        raise RenderError("Tệp số liệu hỏng (thử nghiệm).")

    monkeypatch.setattr(generate_module, "_write_figures", fails)
    status, err = generate(capsys, tmp_path / "out")
    assert status == ExitStatus.RENDER and err.strip() == "Lỗi: Tệp số liệu hỏng (thử nghiệm)."
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_an_import_error_in_the_writing_process_is_shown_and_traced(tmp_path):
    """PDFium broken: only the writing process imports it. The user reads the import error's words; with
    --debug, the traceback of the other process too."""
    broken = tmp_path / "site" / "pypdfium2"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text('raise ImportError("pypdfium2 hỏng (thử nghiệm)")\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(broken.parent), str(ROOT)]), "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "reportgen", "-C", str(ROOT), "generate", str(EXAMPLE), "--out", str(tmp_path / "o")]
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", env=env)
    assert done.returncode == ExitStatus.ERROR
    assert done.stderr.strip() == ("Lỗi không mong đợi (ImportError: pypdfium2 hỏng (thử nghiệm)). "
                                   "Chạy lại với --debug để xem chi tiết và gửi cho người hỗ trợ.")
    debug = subprocess.run([*command[:3], "--debug", *command[3:]], capture_output=True, text=True,
                           encoding="utf-8", env=env)
    assert debug.returncode == ExitStatus.ERROR
    assert '"""\nTraceback (most recent call last):' in debug.stderr  # the other process's, as the cause
    assert "write_checked" in debug.stderr and "pypdfium2 hỏng (thử nghiệm)" in debug.stderr
    assert not (tmp_path / "o").exists() or list((tmp_path / "o").iterdir()) == []


def test_write_checked_keeps_reportgen_errors_that_pickle():
    assert verify._crosses_processes(RenderError("x"))
    assert not verify._crosses_processes(ConfigError("a.toml", "k", "m"))


def test_the_writing_process_leaves_when_the_command_is_killed(tmp_path):
    """SIGKILL on ``reportgen generate`` mid-run: its writing process, waiting for work, leaves by itself
    instead of staying forever."""
    import signal
    import time

    command = [sys.executable, "-m", "reportgen", "-C", str(ROOT), "generate", str(EXAMPLE), "--out", str(tmp_path)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    children: list[int] = []
    deadline = time.monotonic() + 20
    while not children and proc.poll() is None and time.monotonic() < deadline:
        found = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        children = [int(pid) for pid in found.read_text().split()] if found.exists() else []
        time.sleep(0.01)
    assert children, "the writing process did not start"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid) for pid in children) \
            and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid)]


def _state(pid: int) -> str:
    try:
        return "zombie" if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z" else "alive"
    except OSError:
        return "zombie"


def test_a_signal_to_the_command_ends_the_writing_process_quietly(tmp_path):
    """A service stopped (SIGTERM to the whole process group) while the report is being published: the
    command says why it stopped and leaves nothing; the writing process ends without a traceback of its
    own."""
    import signal

    from reportgen.core.failpoints import ENV, PAUSED

    command = [sys.executable, "-m", "reportgen", "-C", str(ROOT), "generate", str(EXAMPLE), "--out", str(tmp_path / "o")]
    env = {**os.environ, "PYTHONPATH": str(ROOT), ENV: "publishing:pause", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True,
                            encoding="utf-8", start_new_session=True)
    try:
        assert PAUSED in proc.stderr.readline()
        os.killpg(proc.pid, signal.SIGTERM)
        err = proc.stderr.read()
        assert proc.wait(timeout=30) == ExitStatus.TERMINATED
    finally:
        if proc.poll() is None:
            proc.kill()
    assert err.strip() == "Đã dừng theo yêu cầu của hệ điều hành (tín hiệu 15); không để lại tệp dở dang."
    assert not (tmp_path / "o").exists() or list((tmp_path / "o").iterdir()) == []
