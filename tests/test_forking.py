"""The pre-warmed writer workers: results and failures come back, nothing is left running."""

from __future__ import annotations

import os

import pytest

from reportgen.core import forking
from reportgen.core.errors import RenderError

pytestmark = pytest.mark.skipif(not forking.can_fork(), reason="fork with 2+ cores (Linux) only")


def test_the_child_does_the_work_and_returns_the_result():
    worker = forking.start(lambda: None, lambda payload: (payload, os.getpid()))
    worker.submit("tài liệu")
    value, pid = worker.result()
    assert value == "tài liệu" and pid != os.getpid()


def test_a_failure_in_the_child_is_raised_here_with_its_message():
    def fail(payload):
        raise RenderError("Tệp PDF r.pdf thiếu nội dung phải có: «BÁO CÁO».")

    worker = forking.start(lambda: None, fail)
    worker.submit(None)
    with pytest.raises(RenderError, match="thiếu nội dung phải có"):
        worker.result()


def test_an_unexpected_error_keeps_its_type_name():
    worker = forking.start(lambda: None, lambda payload: 1 / 0)
    worker.submit(None)
    with pytest.raises(RenderError, match="ZeroDivisionError: division by zero"):
        worker.result()


def test_cancel_before_submitting_leaves_no_child_behind():
    worker = forking.start(lambda: None, lambda payload: payload)
    worker.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(worker._pid, os.WNOHANG)   # already reaped


def test_inline_worker_when_not_parallel():
    worker = forking.start(lambda: None, lambda payload: payload * 2, parallel=False)
    assert isinstance(worker, forking.InlineWorker)
    worker.submit(21)
    assert worker.result() == 42


def test_a_second_worker_does_not_hold_the_first_workers_pipe(monkeypatch):
    # Forked later, the second child inherited the first worker's write end: the first child then
    # never saw the end of its input and the run hung.  The alarm turns a hang into a failure.
    import signal

    def timed_out(signum, frame):
        raise TimeoutError("the first worker never saw the end of its input")

    previous = signal.signal(signal.SIGALRM, timed_out)
    first = forking.start(lambda: None, lambda payload: payload + 1)
    second = forking.start(lambda: None, lambda payload: payload)
    try:
        signal.alarm(20)
        first.submit(41)
        assert first.result() == 42
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        second.cancel()
        first.cancel()


def test_cancel_after_submit_leaves_a_reused_descriptor_alone():
    worker = forking.start(lambda: None, lambda payload: payload)
    handed = worker._to_child
    worker.submit("x")           # closes the end it handed to the child
    read_end, write_end = os.pipe()  # the lowest free numbers: the one just closed among them
    try:
        assert handed in (read_end, write_end)
        worker.cancel()
        os.write(write_end, b"still mine")
        assert os.read(read_end, 20) == b"still mine"
    finally:
        os.close(read_end)
        os.close(write_end)


def test_a_failing_word_file_leaves_nothing_behind_while_the_pdf_child_writes(tmp_path, monkeypatch):
    """The Word half fails in this process while the forked child is still writing the PDF: the child is
    waited for before the staged files are removed, so no half-written PDF stays in the folder."""
    from pathlib import Path

    from reportgen.report import format_workers, generate as generating
    from reportgen.settings.workspace import Workspace

    root = Path(__file__).resolve().parent.parent

    def fail(path, document):
        raise RenderError("Tệp Word hỏng (thử nghiệm).")

    monkeypatch.setattr("reportgen.readback.verify.verify_docx", fail)
    workers = format_workers.start(("docx", "pdf"))
    out = tmp_path / "out"
    with pytest.raises(RenderError, match="thử nghiệm"):
        generating.generate(root / "inputs" / "2023-06.xlsx", Workspace.open(root),
                            generating.GenerateOptions(out_dir=out), workers)
    assert not out.exists() or [p.name for p in out.iterdir()] == []
