"""The drop folder: finished workbooks are handed over once; lock, temporary and partial files never."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path

import pytest

from reportgen.delivery.watch import is_candidate, wait_until_stable, watch

SETTLE = 0.3
TIMEOUT = 10.0


@pytest.mark.parametrize("name, expected", [
    ("2023-07.xlsx", True),
    ("Báo cáo tháng 7.XLSX", True),
    ("2023-07.xlsm", True),
    ("~$2023-07.xlsx", False),          # Excel's owner file while the workbook is open
    (".~lock.2023-07.xlsx#", False),    # LibreOffice's lock
    ("~WRL0001.tmp", False),            # Word/Excel temporary copy
    ("8F2E1A3B.tmp", False),            # Excel's temporary name during a save
    ("5C1D2E3F", False),
    ("x.xlsx.part", False),             # Firefox, and reportgen's own atomic writes
    ("2023-07.xlsx.crdownload", False),  # Chrome/Edge download in progress
    (".2023-07.xlsx", False),
    ("2023-07.xls", True),              # handed over: the run names it with what to do (save as .xlsx)
    ("2023-07.csv", True),
    ("BC tháng 7.xlsx", True),          # and a workbook named otherwise (rename it)
    ("Thumbs.db", False),
])
def test_is_candidate(name, expected):
    assert is_candidate(Path("inputs") / name) is expected


class FakeClock:
    def __init__(self, on_sleep=None):
        self.now = 0.0
        self.on_sleep = on_sleep

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        if self.on_sleep:
            self.on_sleep(self.now)


def test_wait_until_stable_waits_for_the_last_change(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"x")

    def grow(now: float) -> None:  # the copy goes on until t = 3
        if now <= 3:
            with open(path, "ab") as fh:
                fh.write(b"x")

    fake = FakeClock(grow)
    assert wait_until_stable(path, settle=2, poll=0.5, clock=fake.clock, sleep=fake.sleep)
    assert 5 <= fake.now <= 5.5
    assert path.stat().st_size == 7


def test_wait_until_stable_false_when_the_file_vanishes_or_never_settles(tmp_path):
    path = tmp_path / "a.xlsx"
    assert not wait_until_stable(path, clock=FakeClock().clock, sleep=FakeClock().sleep)
    path.write_bytes(b"x")
    fake = FakeClock(lambda now: path.unlink() if now >= 1 else None)
    assert not wait_until_stable(path, settle=2, poll=0.5, clock=fake.clock, sleep=fake.sleep)

    path.write_bytes(b"x")
    fake = FakeClock(lambda now: path.write_bytes(b"x" * int(now * 2 + 2)))
    assert not wait_until_stable(path, settle=2, poll=0.5, timeout=10, clock=fake.clock, sleep=fake.sleep)
    assert 10 <= fake.now <= 10.5


class Watching:
    """``watch`` on a thread over a temp folder; records (path, sha256 of the bytes it read) per call."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.calls: list[tuple[Path, str]] = []
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=watch, args=(folder, self._record),
                                       kwargs={"settle": SETTLE, "stop": self.stop, "ready": self.ready},
                                       daemon=True)

    def _record(self, path: Path) -> None:
        self.calls.append((path, hashlib.sha256(path.read_bytes()).hexdigest()))

    def wait_for(self, count: int) -> list[tuple[Path, str]]:
        deadline = time.monotonic() + TIMEOUT
        while len(self.calls) < count:
            assert time.monotonic() < deadline, f"only {len(self.calls)} of {count} workbooks handed over"
            time.sleep(0.02)
        return self.calls

    def names(self) -> list[str]:
        return [str(path.relative_to(self.folder)) for path, _ in self.calls]


@pytest.fixture
def watching(tmp_path):
    w = Watching(tmp_path / "inputs")
    w.thread.start()
    assert w.ready.wait(TIMEOUT)
    yield w
    w.stop.set()
    w.thread.join(TIMEOUT)
    assert not w.thread.is_alive()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_workbook_written_in_chunks_is_handed_over_once_when_complete(watching):
    path = watching.folder / "2023-07.xlsx"
    chunks = [bytes([n]) * 50_000 for n in range(6)]
    with open(path, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
            fh.flush()
            time.sleep(SETTLE / 6)
            assert watching.calls == []  # still growing
    sentinel = watching.folder / "sentinel.xlsx"
    time.sleep(SETTLE)  # give a (wrong) second hand-over of the same file the time to happen first
    sentinel.write_bytes(b"sentinel")
    calls = watching.wait_for(2)
    assert calls[0] == (path, digest(b"".join(chunks)))
    assert watching.names() == ["2023-07.xlsx", "sentinel.xlsx"]


def test_lock_temporary_and_partial_files_are_ignored(watching):
    folder = watching.folder
    for name in ("~$2023-07.xlsx", ".~lock.2023-07.xlsx#", "~WRL0001.tmp", "x.xlsx.part", "0A1B2C3D"):
        (folder / name).write_bytes(b"not a workbook")
    (folder / "2023-07.xlsx").write_bytes(b"workbook")  # handed over after the others, were they not ignored
    watching.wait_for(1)
    assert watching.names() == ["2023-07.xlsx"]


def test_same_bytes_again_are_not_handed_over_changed_bytes_are(watching):
    path = watching.folder / "2023-07.xlsx"
    path.write_bytes(b"version 1")
    watching.wait_for(1)
    path.write_bytes(b"version 1")  # saved again, unchanged
    (watching.folder / "sentinel.xlsx").write_bytes(b"s")
    watching.wait_for(2)
    path.write_bytes(b"version 2")  # a corrected figure
    calls = watching.wait_for(3)
    assert watching.names() == ["2023-07.xlsx", "sentinel.xlsx", "2023-07.xlsx"]
    assert [h for _, h in calls] == [digest(b"version 1"), digest(b"s"), digest(b"version 2")]


def test_file_moved_in_under_its_final_name_is_handed_over(watching, tmp_path):
    temp = watching.folder / "A1B2C3D4"  # how Excel saves: write a temporary file, then rename it
    temp.write_bytes(b"saved by Excel")
    os.replace(temp, watching.folder / "2023-08.xlsx")
    outside = tmp_path / "download.xlsx"  # and a workbook moved in from another folder
    outside.write_bytes(b"downloaded")
    os.replace(outside, watching.folder / "2023-09.xlsx")
    calls = watching.wait_for(2)
    assert sorted(watching.names()) == ["2023-08.xlsx", "2023-09.xlsx"]
    assert sorted(h for _, h in calls) == sorted([digest(b"saved by Excel"), digest(b"downloaded")])


def test_workbook_in_a_subfolder_is_handed_over(watching):
    unit = watching.folder / "Xã Hoành Mô"
    unit.mkdir()
    (unit / "2023-07.xlsx").write_bytes(b"unit workbook")
    watching.wait_for(1)
    assert watching.names() == [os.path.join("Xã Hoành Mô", "2023-07.xlsx")]


def test_a_failing_callback_does_not_end_the_watch(tmp_path):
    folder = tmp_path / "inputs"
    seen: list[str] = []
    stop, ready = threading.Event(), threading.Event()

    def on_workbook(path: Path) -> None:
        seen.append(path.name)
        if path.name == "bad.xlsx":
            raise ValueError("broken workbook")

    thread = threading.Thread(target=watch, args=(folder, on_workbook),
                              kwargs={"settle": SETTLE, "stop": stop, "ready": ready}, daemon=True)
    thread.start()
    try:
        assert ready.wait(TIMEOUT)
        (folder / "bad.xlsx").write_bytes(b"bad")
        (folder / "good.xlsx").write_bytes(b"good")
        deadline = time.monotonic() + TIMEOUT
        while len(seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert seen == ["bad.xlsx", "good.xlsx"]
    finally:
        stop.set()
        thread.join(TIMEOUT)
    assert not thread.is_alive()
