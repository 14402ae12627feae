"""One run at a time: an operating-system lock on a lock file.

The lock is the OS's, not the file's existence: filelock's ``lock_descriptor``
takes it on the open file (``flock`` on POSIX, ``LockFileEx`` on its first
byte on Windows).  The OS drops it when the holder's file handle closes, which
includes a process killed with SIGKILL, a crash or a power cut.
So a lock file left behind by a dead run is simply locked again by the next run;
nobody guesses from PIDs whether its holder still lives, and nobody has to
delete anything by hand.

The file's content (pid, host, start time) is only there to tell a second run
*who* holds the lock.  It starts at the second byte: a Windows lock is
mandatory, and the locked first byte cannot be read by a waiting run.  The
file itself is never deleted: removing it while another process has it open
would let two runs lock two different files.  (filelock's own ``FileLock``
is not used: it empties the file as it opens it, which would erase the holder
before a waiting run could name it.)
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from filelock import lock_descriptor, unlock_descriptor

from reportgen.core.errors import ExitStatus, ReportgenError

log = logging.getLogger(__name__)

HOLDER_OFFSET = 1
"""Where the holder's record starts: past the byte a Windows lock makes unreadable to others."""


@dataclass(frozen=True)
class LockInfo:
    """Who holds (or held) the run lock."""

    pid: int
    host: str
    started: datetime
    path: Path

    def to_json(self) -> str:
        return json.dumps({"pid": self.pid, "host": self.host, "started": self.started.isoformat()})

    @classmethod
    def from_json(cls, text: str, path: Path) -> LockInfo | None:
        """The holder written in a lock file, or None if the content cannot be read (empty, half written)."""
        try:
            data = json.loads(text)
            return cls(int(data["pid"]), str(data["host"]), datetime.fromisoformat(data["started"]), path)
        except (ValueError, KeyError, TypeError):
            return None


class RunLocked(ReportgenError):
    """Another reportgen run holds the lock of this working folder."""

    exit_status = ExitStatus.ERROR

    def __init__(self, holder: LockInfo | None, path: Path, waited: float) -> None:
        self.holder = holder
        self.path = path
        self.waited = waited
        super().__init__(_locked_message(holder, path, waited))


def _locked_message(holder: LockInfo | None, path: Path, waited: float) -> str:
    if holder is None:
        who = "một lần chạy reportgen khác (chưa đọc được thông tin tiến trình)"
        stop = ""
    else:
        who = (
            f"một lần chạy reportgen khác: tiến trình {holder.pid} trên máy {holder.host}, "
            f"bắt đầu lúc {holder.started:%H:%M:%S} ngày {holder.started:%d/%m/%Y}"
        )
        stop = f" Nếu lần chạy đó bị treo, hãy kết thúc tiến trình {holder.pid} rồi chạy lại."
    return (
        f"Thư mục làm việc đang được dùng bởi {who}. Đã chờ {waited:g} giây nhưng lần chạy đó chưa xong.\n"
        f"Hãy đợi lần chạy đó xong rồi chạy lại.{stop} Nếu không còn reportgen nào đang chạy thì cứ chạy lại: "
        f"khóa do một lần chạy đã dừng để lại được tự động tiếp quản, không cần xóa tệp nào bằng tay "
        f"(tệp khóa: {path})."
    )


@contextmanager
def run_lock(
    path: Path,
    wait: float = 60.0,
    poll: float = 0.5,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[LockInfo]:
    """Hold the run lock of ``path`` for the body of the ``with`` block.

    If another process holds it, try again every ``poll`` seconds; after ``wait``
    seconds raise :class:`RunLocked` naming the holder.  Yields this run's
    :class:`LockInfo`.  Not re-entrant: a second ``run_lock`` on the same path in
    the same process waits like another process would.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Open without truncating: until we hold the lock, the content is the holder's.
    with os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT, 0o666), "r+b") as handle:
        _acquire(handle, path, wait, poll, clock, sleep)
        try:
            info = LockInfo(os.getpid(), socket.gethostname(), datetime.now().astimezone().replace(microsecond=0), path)
            _write_holder(handle, info)
            yield info
        finally:
            # Clear the holder before letting go, so the file never names a finished run as busy.
            _write_holder(handle, None)
            _unlock(handle)


def _acquire(
    handle: BinaryIO, path: Path, wait: float, poll: float, clock: Callable[[], float], sleep: Callable[[float], None]
) -> None:
    start = clock()
    announced = False
    while not _try_lock(handle):
        waited = clock() - start
        if waited >= wait:
            raise RunLocked(_read_holder(handle, path), path, wait)
        if not announced:
            log.info("Đang chờ lần chạy khác xong (tệp khóa %s, chờ tối đa %g giây)", path, wait)
            announced = True
        sleep(min(poll, wait - waited))


def _read_holder(handle: BinaryIO, path: Path) -> LockInfo | None:
    handle.seek(HOLDER_OFFSET)
    return LockInfo.from_json(handle.read(4096).decode("utf-8", "replace"), path)


def _write_holder(handle: BinaryIO, info: LockInfo | None) -> None:
    handle.seek(0)
    handle.truncate()
    if info is not None:
        handle.write(b"\n" * HOLDER_OFFSET + info.to_json().encode("utf-8") + b"\n")
    handle.flush()


def _try_lock(handle: BinaryIO) -> bool:
    return lock_descriptor(handle.fileno(), blocking=False)


def _unlock(handle: BinaryIO) -> None:
    unlock_descriptor(handle.fileno())
