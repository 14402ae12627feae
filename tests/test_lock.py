"""One run at a time: an OS lock that a killed process releases by itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest

from reportgen.core.errors import ExitStatus
from reportgen.delivery.lock import LockInfo, RunLocked, run_lock

ROOT = Path(__file__).resolve().parents[1]

# Takes the lock, prints who holds it, then keeps it until stdin closes (or it is killed).
HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from reportgen.delivery.lock import run_lock

    with run_lock(Path(sys.argv[1]), wait=0) as info:
        print(info.to_json(), flush=True)
        sys.stdin.read()
""")


@pytest.fixture
def holder(tmp_path):
    """Start a process holding the lock on tmp_path/.reportgen.lock; yields (process, its LockInfo)."""
    path = tmp_path / ".reportgen.lock"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        assert line, "the holder did not start"
        yield proc, LockInfo.from_json(line, path)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        proc.stdout.close()
        proc.stdin.close()


class FakeClock:
    """A clock that only advances when slept on; ``on_sleep`` lets a test act mid-wait."""

    def __init__(self, on_sleep=None):
        self.now = 100.0
        self.slept: list[float] = []
        self.on_sleep = on_sleep

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        if self.on_sleep:
            self.on_sleep(len(self.slept))


def test_lock_writes_holder_and_clears_it_on_release(tmp_path):
    path = tmp_path / "sub" / ".reportgen.lock"
    with run_lock(path) as info:
        written = LockInfo.from_json(path.read_text(encoding="utf-8"), path)
        assert written == info
        assert info.pid == os.getpid()
        assert info.started.tzinfo is not None
    assert path.exists() and path.read_text(encoding="utf-8") == ""
    with run_lock(path, wait=0):  # released: free again at once
        pass


def test_second_run_waits_then_raises_with_holder_named(holder, tmp_path):
    _, info = holder
    fake = FakeClock()
    with pytest.raises(RunLocked) as caught:
        with run_lock(tmp_path / ".reportgen.lock", wait=60, poll=0.5, clock=fake.clock, sleep=fake.sleep):
            pytest.fail("the lock is held by another process")
    assert sum(fake.slept) == pytest.approx(60) and len(fake.slept) == 120
    assert caught.value.exit_status is ExitStatus.ERROR
    assert caught.value.holder == info
    started = info.started
    assert str(caught.value) == (
        f"Thư mục làm việc đang được dùng bởi một lần chạy reportgen khác: tiến trình {info.pid} "
        f"trên máy {info.host}, bắt đầu lúc {started:%H:%M:%S} ngày {started:%d/%m/%Y}. "
        "Đã chờ 60 giây nhưng lần chạy đó chưa xong.\n"
        f"Hãy đợi lần chạy đó xong rồi chạy lại. Nếu lần chạy đó bị treo, hãy kết thúc tiến trình {info.pid} "
        "rồi chạy lại. Nếu không còn reportgen nào đang chạy thì cứ chạy lại: khóa do một lần chạy đã dừng "
        "để lại được tự động tiếp quản, không cần xóa tệp nào bằng tay "
        f"(tệp khóa: {tmp_path / '.reportgen.lock'})."
    )


def test_waiting_run_gets_the_lock_when_the_holder_finishes(holder, tmp_path):
    proc, _ = holder

    def finish_holder(nth_sleep: int) -> None:
        if nth_sleep == 3:
            proc.stdin.close()
            proc.wait(timeout=10)

    fake = FakeClock(finish_holder)
    with run_lock(tmp_path / ".reportgen.lock", wait=60, poll=0.5, clock=fake.clock, sleep=fake.sleep) as info:
        assert info.pid == os.getpid()
    assert len(fake.slept) == 3


def test_lock_of_a_killed_run_is_taken_over_at_once(holder, tmp_path):
    proc, dead = holder
    path = tmp_path / ".reportgen.lock"
    proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up code runs
    proc.wait(timeout=10)
    assert LockInfo.from_json(path.read_text(encoding="utf-8"), path) == dead  # the stale file is still there
    with run_lock(path, wait=0) as info:
        assert info.pid == os.getpid() != dead.pid
        assert json.loads(path.read_text(encoding="utf-8"))["pid"] == os.getpid()


def test_same_process_is_not_reentrant(tmp_path):
    path = tmp_path / ".reportgen.lock"
    fake = FakeClock()
    with run_lock(path):
        with pytest.raises(RunLocked) as caught:
            with run_lock(path, wait=2, poll=0.5, clock=fake.clock, sleep=fake.sleep):
                pass
    assert caught.value.holder is not None and caught.value.holder.pid == os.getpid()


def test_unreadable_holder_still_gives_a_helpful_message(tmp_path):
    path = tmp_path / ".reportgen.lock"
    err = RunLocked(None, path, 60)
    assert "chưa đọc được thông tin tiến trình" in str(err)
    assert "không cần xóa tệp nào bằng tay" in str(err)
    assert LockInfo.from_json("{\"pid\": 1", path) is None
    assert LockInfo.from_json("", path) is None
    assert LockInfo.from_json(json.dumps({"pid": 7, "host": "pc", "started": "2023-07-20T07:00:00+07:00"}),
                              path) == LockInfo(7, "pc", datetime.fromisoformat("2023-07-20T07:00:00+07:00"), path)


def test_the_holder_is_written_past_the_byte_a_windows_lock_covers(tmp_path):
    """filelock locks the first byte on Windows, where a lock is mandatory: a waiting run reads the holder
    from the second byte on, so the record must start there."""
    path = tmp_path / ".reportgen.lock"
    with run_lock(path) as info:
        data = path.read_bytes()
        assert data[:1] == b"\n" and LockInfo.from_json(data[1:].decode("utf-8"), path) == info
