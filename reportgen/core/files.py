"""Files appear whole or not at all, and what a killed process leaves behind is swept away.

Every output is written to a temporary file in the destination folder and
renamed over the target (``os.replace`` is atomic on one file system, on
Windows too), so a crash or a full disk never leaves half a report behind.

A process killed while writing cannot remove its temporary file, so each one is
named after the process that writes it (``.bao-cao-2023-06.k3j2.rg4711.pdf.part``):
:func:`sweep_temporaries`, run at the start of each command that writes into a
working folder, removes those whose process is gone and leaves alone those of a
process still at work.  Temporary names are hidden (a leading ".") and end in
".part", so no reader of the folder takes one for output.

Files that must not become output before something else records them (an issued
report, before its register entry) are *held* (:meth:`Stage.hold`): whole, hidden,
ending in ".held"; the sweep leaves them to whoever knows that record
(:func:`held_files`).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from reportgen.core.failpoints import failpoint

TEMP_SUFFIX = ".part"
_OWNER = re.compile(r"\.rg(\d+)(?:\.[^.]*)?\.part$")
_STAGED: set[str] = set()
"""Paths handed out by :class:`Stage` in this process: already temporary, written directly."""


def _temporary_next_to(target: Path) -> Path:
    """A new, empty, hidden temporary file beside ``target``, named after this process."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=f".rg{os.getpid()}{target.suffix}{TEMP_SUFFIX}", dir=target.parent
    )
    os.close(fd)
    return Path(name)


@contextmanager
def atomic_path(target: Path | str, mode: int | None = None) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success rename it over ``target``.

    On any exception the temporary file is removed and ``target`` is untouched.  A ``target``
    that is itself a staged temporary (:meth:`Stage.path_for`) is written directly: another
    layer of temporary file would only add one more thing a kill could leave behind.
    """
    target = Path(target)
    if str(target) in _STAGED:
        yield target
        return
    tmp = _temporary_next_to(target)
    try:
        yield tmp
        failpoint(f"writing{target.suffix}")
        _fsync(tmp)
        if mode is None:
            _publishable(tmp)
        else:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def atomic_write_bytes(target: Path | str, data: bytes, mode: int | None = None) -> Path:
    """``mode``: the published file's permissions (default: what any new file gets, 0666 minus the umask)."""
    with atomic_path(target, mode) as tmp:
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
        tmp = _temporary_next_to(Path(target))
        self._pending[Path(target)] = tmp
        _STAGED.add(str(tmp))
        return tmp

    def commit(self) -> list[Path]:
        failpoint("publishing")
        published = []
        for target, tmp in self._pending.items():
            _fsync(tmp)
            _publishable(tmp)
            os.replace(tmp, target)
            _STAGED.discard(str(tmp))
            published.append(target)
        self._pending.clear()
        return published

    def hold(self) -> dict[Path, Path]:
        """Rename every staged file to its *held* name (:func:`held_path`) instead of its destination; return
        destination → held file.  A held file is whole and durable but not yet output: the caller records
        it elsewhere (a ledger), then :func:`publish_held` moves it into place.  Unlike a temporary file, a
        held one outlives its process: whoever sweeps the folder decides from that record whether to
        publish it or remove it (:func:`held_files`)."""
        failpoint("holding")
        held = {}
        for target, tmp in self._pending.items():
            _fsync(tmp)
            _publishable(tmp)
            held[target] = held_path(target)
            os.replace(tmp, held[target])
            _STAGED.discard(str(tmp))
        self._pending.clear()
        return held

    def discard(self) -> None:
        for tmp in self._pending.values():
            tmp.unlink(missing_ok=True)
            _STAGED.discard(str(tmp))
        self._pending.clear()

    def __enter__(self) -> Stage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


# -------------------------------------------------------- held files --

HELD_SUFFIX = ".held"
_HELD = re.compile(r"^\.(?P<name>.+)\.rg(?P<pid>\d+)\.held$")


def held_path(target: Path, pid: int | None = None) -> Path:
    """``outputs/2023-06/.bao-cao-….pdf.rg4711.held``: hidden, named after its destination and its process."""
    return target.with_name(f".{target.name}.rg{pid or os.getpid()}{HELD_SUFFIX}")


def publish_held(held: dict[Path, Path]) -> None:
    """Move held files into place (destination → held file), each atomically."""
    for target, path in held.items():
        os.replace(path, target)


def held_files(folder: Path) -> Iterator[tuple[Path, Path]]:
    """(held file, its destination) for each held file under ``folder`` whose process is gone (a process
    still at work publishes or removes its own)."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob(f".*{HELD_SUFFIX}")):
        match = _HELD.match(path.name)
        if match is None or not path.is_file():
            continue
        pid = int(match["pid"])
        if pid != os.getpid() and process_alive(pid):
            continue
        yield path, path.with_name(match["name"])


# -------------------------------------------------------- what a killed process left --


def sweep_temporaries(folders: Iterable[Path], recursive: bool = True) -> list[Path]:
    """Remove the temporary files of processes that are gone, in ``folders`` (and below); return them.

    A temporary file names its process; one whose process still runs (another command writing at this
    moment) is left alone.  A temporary file without a process number was left by an older reportgen,
    whose processes are gone by definition once this one runs.
    """
    removed = []
    for folder in folders:
        if not Path(folder).is_dir():
            continue
        pattern = f".*{TEMP_SUFFIX}"
        candidates = Path(folder).rglob(pattern) if recursive else Path(folder).glob(pattern)
        for path in candidates:
            if not path.is_file() or str(path) in _STAGED or not _orphaned(path):
                continue
            try:
                path.unlink()
            except OSError:  # Windows: still open in the process that writes it
                continue
            removed.append(path)
    return removed


def _orphaned(path: Path) -> bool:
    match = _OWNER.search(path.name)
    if match is None:
        return True
    pid = int(match.group(1))
    return pid != os.getpid() and not process_alive(pid)


def process_alive(pid: int) -> bool:
    """Whether a process with this number runs on this machine (a reused number errs on the safe side:
    the file is kept until the next sweep)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
