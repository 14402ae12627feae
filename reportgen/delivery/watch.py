"""React to workbooks dropped into inputs/ (``reportgen watch``).

A watchdog observer reports file events; this module turns them into "here is
a finished workbook" calls, with the traps of a drop folder avoided:

* Excel's ``~$`` owner files, LibreOffice's ``.~lock…#`` files, Office's
  ``~WRL1234.tmp`` and other temporary files, partial downloads and
  reportgen's own half-written files are ignored; any other file is handed
  over, so a run names it (an .xls, a misnamed workbook) instead of the watch
  passing it over;
* a file is handed over only after its size and modification time have stayed
  the same for ``settle`` seconds (a copy or an Excel save has finished);
* each content is handed over once per file: saving the same bytes again does
  nothing, a corrected workbook is handed over again;
* calls never overlap.

Events arrive on watchdog's thread; they are only queued there.  Waiting,
hashing and the callback run on the thread that called :func:`watch`.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from reportgen.core.errors import ReportgenError
from reportgen.core.files import sha256_file
from reportgen.delivery.inbox import skip_reason

log = logging.getLogger(__name__)

# Events that can mean "new content under this name".  Deletions and plain opens cannot.
_CONTENT_EVENTS = ("created", "modified", "moved", "closed")


def ignore_reason(path: Path) -> str | None:
    """Why ``path`` is not handed over, in Vietnamese; None if it is.  Any file a person put there is handed
    over — an .xls, an .ods, a workbook with the wrong name too: the run names it in its receipt with what
    to do, rather than the watch passing it over in silence."""
    return skip_reason(path)


def is_candidate(path: Path) -> bool:
    """True for a file to hand over: not a lock, temporary, hidden, partial or system file."""
    return ignore_reason(Path(path)) is None


# -- stability ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Snapshot:
    size: int
    mtime_ns: int
    readable: bool
    """False while another program holds the file without letting others read it (a Windows copy)."""


def _snapshot(path: Path) -> _Snapshot | None:
    """Size, modification time and readability of ``path``; None if it is gone."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    try:
        with open(path, "rb"):
            readable = True
    except FileNotFoundError:
        return None
    except PermissionError:
        readable = False
    return _Snapshot(stat.st_size, stat.st_mtime_ns, readable)


def _stable_snapshot(
    path: Path, settle: float, poll: float, timeout: float, clock: Callable[[], float], sleep: Callable[[float], None]
) -> _Snapshot | None:
    """The snapshot that held unchanged (and readable) for ``settle`` seconds; None if the file
    vanished or kept changing for ``timeout`` seconds."""
    start = clock()
    last = _snapshot(path)
    since = start
    while last is not None:
        now = clock()
        if last.readable and now - since >= settle:
            return last
        if now - start >= timeout:
            return None
        sleep(poll)
        current = _snapshot(path)
        if current != last:
            last, since = current, clock()
    return None


def wait_until_stable(
    path: Path,
    settle: float = 2.0,
    poll: float = 0.5,
    timeout: float = 300.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """True once ``path``'s size and modification time stayed the same for ``settle`` seconds
    (a copy or an Excel save has finished); False if it vanished or was still changing after ``timeout``."""
    return _stable_snapshot(Path(path), settle, poll, timeout, clock, sleep) is not None


# -- the watcher --------------------------------------------------------------------------------------------


class _Stopped(Exception):
    """The stop event was set while waiting for a file."""


class _Enqueue(FileSystemEventHandler):
    """Runs on watchdog's thread: queue the paths of candidate files, log the others once each."""

    def __init__(self, paths: queue.Queue[Path]) -> None:
        self._paths = paths
        self._logged: set[str] = set()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in _CONTENT_EVENTS:
            return
        path = Path(os.fsdecode(event.dest_path if event.event_type == "moved" else event.src_path))
        reason = ignore_reason(path)
        if reason is None:
            self._paths.put(path)
        elif path.name not in self._logged:
            self._logged.add(path.name)
            log.info("Bỏ qua %s: %s", path, reason)


class _Watcher:
    """Runs on the caller's thread: coalesce queued paths, wait until each is stable, hand it over once."""

    def __init__(self, on_workbook: Callable[[Path], None], settle: float, stop: threading.Event) -> None:
        self.on_workbook = on_workbook
        self.settle = settle
        self.stop = stop
        self.paths: queue.Queue[Path] = queue.Queue()
        self.pending: dict[Path, None] = {}  # an ordered set: oldest event first
        self.handed: dict[Path, str] = {}  # path → SHA-256 of the content last handed over

    def run(self) -> None:
        while not self.stop.is_set():
            self._collect(block=not self.pending)
            if self.pending:
                path = next(iter(self.pending))
                del self.pending[path]
                try:
                    self._process(path)
                except _Stopped:
                    return

    def _collect(self, block: bool) -> None:
        """Move queued paths into ``pending``; wait briefly (for ``stop``'s sake) if there is nothing to do."""
        try:
            self.pending.setdefault(self.paths.get(timeout=0.1) if block else self.paths.get_nowait(), None)
            while True:
                self.pending.setdefault(self.paths.get_nowait(), None)
        except queue.Empty:
            pass

    def _process(self, path: Path) -> None:
        stable = _stable_snapshot(
            path, self.settle, poll=min(0.5, self.settle / 4), timeout=300.0, clock=time.monotonic, sleep=self._sleep
        )
        if stable is None:
            log.info("Bỏ qua %s: tệp đã bị xóa hoặc vẫn đang thay đổi sau 5 phút", path)
            return
        # Events queued while we waited describe changes the wait has already seen.
        self._collect(block=False)
        self.pending.pop(path, None)
        digest = sha256_file(path)
        if _snapshot(path) != stable:
            # It changed between the last look and the end of hashing: wait for it again.
            self.pending[path] = None
            return
        if self.handed.get(path) == digest:
            log.info("Bỏ qua %s: nội dung không đổi so với lần đã xử lý", path)
            return
        self.handed[path] = digest
        self._hand_over(path)

    def _hand_over(self, path: Path) -> None:
        log.info("Tệp mới hoặc đã sửa: %s", path)
        try:
            self.on_workbook(path)
        except ReportgenError as exc:
            # One bad workbook must not end the watch; the message says what to fix.
            log.error("%s", exc)
        except Exception:
            log.exception("Lỗi khi xử lý %s", path)

    def _sleep(self, seconds: float) -> None:
        if self.stop.wait(seconds):
            raise _Stopped


def watch(
    folder: Path,
    on_workbook: Callable[[Path], None],
    *,
    settle: float = 2.0,
    stop: threading.Event | None = None,
    recursive: bool = True,
    ready: threading.Event | None = None,
) -> None:
    """Call ``on_workbook(path)`` for each workbook written, copied or moved into ``folder``.

    Subfolders are watched too unless ``recursive`` is False (units may later drop
    their workbooks into ``inputs/<unit>/``).  Returns when ``stop`` is set; without
    ``stop``, runs until interrupted (Ctrl+C).  ``ready`` is set once events are
    being received.  Workbooks already in the folder are not handed over: run
    ``reportgen run`` for those.  An exception from ``on_workbook`` is logged and
    watching goes on.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    watcher = _Watcher(on_workbook, settle, stop or threading.Event())
    observer = Observer()
    observer.schedule(_Enqueue(watcher.paths), str(folder), recursive=recursive)
    observer.start()
    try:
        log.info("Đang theo dõi %s (thả tệp Excel vào đây; Ctrl+C để dừng)", folder)
        if ready is not None:
            ready.set()
        watcher.run()
    finally:
        observer.stop()
        observer.join()
