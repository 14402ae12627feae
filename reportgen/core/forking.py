"""A pre-warmed helper process for one piece of work — Linux with 2+ cores only.

One report is written in two formats, each with its own heavy library.  For a
single ``reportgen generate`` the PDF half goes to a child process forked at
the very start: while this process reads the workbook and builds the document,
the child imports reportlab and registers the fonts; then it receives the
document through a pipe, writes and checks the PDF, and sends back the result,
while this process writes the Word half.  Where fork is unavailable or unsafe
(Windows, macOS) or there is one core, :func:`start` returns a worker that runs
the work in this process when asked.
"""

from __future__ import annotations

import os
import pickle
import sys
from typing import Any, Callable

from reportgen.core.errors import RenderError, ReportgenError


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork") and (os.cpu_count() or 1) > 1


class InlineWorker:
    """The fallback: the same interface, the work done here when :meth:`submit` is called."""

    def __init__(self, work: Callable[[Any], Any]) -> None:
        self._work, self._result = work, None

    def submit(self, payload: Any) -> None:
        self._result = self._work(payload)

    def result(self) -> Any:
        return self._result

    def cancel(self) -> None:
        pass


class ForkedWorker:
    """A child forked now, warming up with ``warm()``, then doing ``work(payload)`` once submitted."""

    def __init__(self, warm: Callable[[], None], work: Callable[[Any], Any]) -> None:
        to_child, self._to_child = os.pipe()
        self._from_child, from_child = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        self._pid = os.fork()
        if self._pid == 0:  # the child: never returns, never runs the parent's cleanup
            # Its parent's ends of every pipe, this worker's and earlier workers': a child holding
            # another worker's write end would keep that worker from ever seeing the end of its input.
            for end in (self._to_child, self._from_child, *_PARENT_ENDS):
                os.close(end)
            _serve(to_child, from_child, warm, work)
        os.close(to_child)
        os.close(from_child)
        _PARENT_ENDS.update((self._to_child, self._from_child))
        self._done = False

    def submit(self, payload: Any) -> None:
        to_child = self._release("_to_child")
        with os.fdopen(to_child, "wb") as pipe:
            pickle.dump(payload, pipe, protocol=pickle.HIGHEST_PROTOCOL)

    def result(self) -> Any:
        """The child's result; its failure raised here (reportgen's own errors as RenderError with their text)."""
        from_child = self._release("_from_child")
        with os.fdopen(from_child, "rb") as pipe:
            data = pipe.read()
        self._reap()
        outcome = pickle.loads(data) if data else ("error", "ChildDied", "tiến trình con dừng bất thường")
        if outcome[0] == "ok":
            return outcome[1]
        raise RenderError(outcome[2] if outcome[0] == "reportgen" else f"{outcome[1]}: {outcome[2]}")

    def cancel(self) -> None:
        """Nothing to do after all (the workbook had errors): the child leaves at once."""
        if self._done:
            return
        # An end already handed to a file object is closed and its number may belong to another
        # file by now: only the ends still held here are closed.
        for name in ("_to_child", "_from_child"):
            if getattr(self, name) is not None:
                try:
                    os.close(self._release(name))
                except OSError:
                    pass
        self._reap()

    def _release(self, name: str) -> int:
        """This end of a pipe, no longer held by the worker (the caller closes it)."""
        end = getattr(self, name)
        setattr(self, name, None)
        _PARENT_ENDS.discard(end)
        return end

    def _reap(self) -> None:
        if not self._done:
            os.waitpid(self._pid, 0)
            self._done = True


_PARENT_ENDS: set[int] = set()
"""The parent's ends of the pipes of the workers still running, closed in every child forked later."""


def start(warm: Callable[[], None], work: Callable[[Any], Any], parallel: bool = True):
    """A worker for ``work``: forked and warming up now when possible, else inline."""
    return ForkedWorker(warm, work) if parallel and can_fork() else InlineWorker(work)


def _serve(inbox: int, outbox: int, warm: Callable[[], None], work: Callable[[Any], Any]) -> None:
    try:
        warm()
        with os.fdopen(inbox, "rb") as pipe:
            data = pipe.read()
        if not data:  # cancelled: the parent closed the pipe without sending anything
            os._exit(0)
        outcome = ("ok", work(pickle.loads(data)))
    except ReportgenError as exc:
        outcome = ("reportgen", type(exc).__name__, str(exc))
    except BaseException as exc:  # noqa: BLE001 - anything must reach the parent, not vanish with the child
        outcome = ("error", type(exc).__name__, str(exc))
    try:
        with os.fdopen(outbox, "wb") as pipe:
            pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(0)
