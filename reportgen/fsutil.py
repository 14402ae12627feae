"""Files appear whole or not at all.

Every output is written to a temporary file in the destination folder and
renamed over the target (``os.replace`` is atomic on one file system, on
Windows too), so a crash or a full disk never leaves half a report behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success rename it over ``target``.

    On any exception the temporary file is removed and ``target`` is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix + ".part",
                                    dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        _fsync(tmp)
        _publishable(tmp)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def atomic_write_bytes(target: Path | str, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def atomic_write_text(target: Path | str, text: str) -> Path:
    return atomic_write_bytes(target, text.encode("utf-8"))


def atomic_write_with(target: Path | str, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` and publish the result atomically."""
    with atomic_path(target) as tmp:
        write(tmp)
    return Path(target)


def sha256_file(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _publishable(path: Path) -> None:
    """mkstemp creates files readable by their owner only; a published file gets the
    permissions any new file would get (0666 minus the umask), so colleagues can open it."""
    os.chmod(path, 0o666 & ~_umask())


_UMASK_READ = threading.Lock()


def _umask() -> int:
    """The process's umask.  Reading it means setting it and setting it back: two threads doing that
    at once (receipts are written by several) could leave it at 0 for good, so one at a time."""
    with _UMASK_READ:
        umask = os.umask(0)
        os.umask(umask)
    return umask


class Stage:
    """Several outputs published together: each is written to a temporary file
    next to its destination, and all are renamed into place only by
    :meth:`commit` — after the caller has checked them.  Leaving the ``with``
    block without committing (an exception, a failed check) removes them all.
    """

    def __init__(self) -> None:
        self._pending: dict[Path, Path] = {}

    def path_for(self, target: Path | str) -> Path:
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix + ".part",
                                        dir=target.parent)
        os.close(fd)
        self._pending[target] = Path(tmp_name)
        return Path(tmp_name)

    def commit(self) -> list[Path]:
        published = []
        for target, tmp in self._pending.items():
            _fsync(tmp)
            _publishable(tmp)
            os.replace(tmp, target)
            published.append(target)
        self._pending.clear()
        return published

    def discard(self) -> None:
        for tmp in self._pending.values():
            tmp.unlink(missing_ok=True)
        self._pending.clear()

    def __enter__(self) -> "Stage":
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()
