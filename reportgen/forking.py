"""Run one piece of work in a forked child while this process does another — Linux only.

One report is written in two formats, each with its own heavy library
(python-docx, reportlab) and its own read-back.  On a machine with two or more
cores, the PDF half can run in a child process forked *after* the document
model is built (so the child inherits it: nothing is pickled on the way in)
while the parent writes the Word half.  The child's result — or its failure —
comes back through a pipe.  Where fork is unavailable or unsafe (Windows,
macOS) or there is one core, :func:`side_by_side` simply runs the two in turn.
"""

from __future__ import annotations

import os
import pickle
import sys
from typing import Callable, TypeVar

from .errors import RenderError, ReportgenError

A = TypeVar("A")
B = TypeVar("B")


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork") and (os.cpu_count() or 1) > 1


def side_by_side(child_work: Callable[[], A], own_work: Callable[[], B], parallel: bool = True) -> tuple[A, B]:
    """Run both and return both results; ``child_work`` in a forked child when possible.

    An exception in either is raised here, after both have finished (a failed
    half never leaves the other running).  The child's exception arrives as a
    :class:`RenderError` carrying its message (reportgen's own errors keep their type).
    """
    if not (parallel and can_fork()):
        return child_work(), own_work()
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: do the work, report, and leave without running the parent's cleanup
        os.close(read_end)
        _report(write_end, child_work)
    os.close(write_end)
    try:
        own = own_work()
    finally:
        outcome = _collect(read_end, pid)
    return _unpack(outcome), own


def _report(write_end: int, work: Callable[[], object]) -> None:
    try:
        outcome = ("ok", work())
    except ReportgenError as exc:
        outcome = ("reportgen", type(exc).__name__, str(exc))
    except BaseException as exc:  # noqa: BLE001 - anything must reach the parent, not kill it silently
        outcome = ("error", type(exc).__name__, str(exc))
    try:
        data = pickle.dumps(outcome)
    except Exception:  # noqa: BLE001 - an unpicklable result is reported as such
        data = pickle.dumps(("error", "PicklingError", "kết quả không chuyển được về tiến trình chính"))
    with os.fdopen(write_end, "wb") as pipe:
        pipe.write(data)
    os._exit(0)


def _collect(read_end: int, pid: int) -> tuple:
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        return ("error", "ChildDied", f"tiến trình con dừng bất thường (mã {status})")
    return pickle.loads(data)


def _unpack(outcome: tuple):
    if outcome[0] == "ok":
        return outcome[1]
    _, kind, message = outcome
    if outcome[0] == "reportgen":
        raise RenderError(message)
    raise RenderError(f"{kind}: {message}")
