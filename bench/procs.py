"""Running a measured child process: wall time, its peak memory, and (on Linux) its memory over time.

Standard library only, because bench/run.py must start before anything is
known about the checkout it measures.

Peak memory is the child's RSS high-water mark as the kernel keeps it
(``ru_maxrss``), read with ``os.wait4`` for that one child, so earlier
children cannot hide a smaller peak (``RUSAGE_CHILDREN`` only ever grows).
For a child that itself waits for workers, the kernel folds the largest
worker's peak into the same figure; bench/launch.py reports the two apart.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1024 * 1024


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mib: float | None
    """None where the platform cannot tell (Windows)."""
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float | None = None
    """User + system CPU time of the child and the processes it waited for.  On a shared machine
    the wall time includes waiting for a core; CPU time hardly does, so CPU ÷ wall well below the
    number of busy processes means something else was running."""


def maxrss_mib(maxrss: int) -> float:
    """ru_maxrss is in KiB on Linux and the BSDs, in bytes on macOS."""
    return maxrss / MIB if sys.platform == "darwin" else maxrss / 1024


def run_measured(argv: list[str], cwd: Path | str | None = None, env: dict[str, str] | None = None,
                 sampler: "RssSampler | None" = None) -> Measured:
    """Run ``argv`` to completion; its output goes to files so a chatty child can never block on a pipe."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err)
        if sampler:
            sampler.start(child.pid)
        returncode, peak, cpu = _wait(child)
        seconds = time.perf_counter() - start
        if sampler:
            sampler.stop()
        out.seek(0)
        err.seek(0)
        return Measured(seconds, peak, returncode, out.read().decode("utf-8", "replace"),
                        err.read().decode("utf-8", "replace"), cpu)


def _wait(child: subprocess.Popen) -> tuple[int, float | None, float | None]:
    """Exit status, peak RSS (MiB) and CPU seconds of that one child."""
    if not hasattr(os, "wait4"):
        return child.wait(), None, None
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait for it a second time
    return child.returncode, maxrss_mib(usage.ru_maxrss), usage.ru_utime + usage.ru_stime


def checked(measured: Measured, what: str) -> Measured:
    """Stop the benchmark with the child's own words when it failed: a failed run measures nothing."""
    if measured.returncode != 0:
        raise SystemExit(f"{what} failed (exit {measured.returncode}):\n{measured.stdout[-2000:]}"
                         f"\n{measured.stderr[-4000:]}")
    return measured


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values)}


@dataclass
class RssSampler:
    """Samples the RSS of a process and all its descendants a few times a second (Linux /proc only).

    The peak from ``ru_maxrss`` says how high memory went; the samples say
    whether it kept climbing while the same work repeated, which is what a
    leak looks like in a batch.
    """

    interval: float = 0.2
    series: dict[int, list[tuple[float, float]]] = field(default_factory=dict)
    """pid → [(seconds since start, RSS MiB)]."""
    root: int | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    @staticmethod
    def available() -> bool:
        return Path("/proc/self/status").exists()

    def start(self, pid: int) -> None:
        self.root = pid
        if not self.available():
            return
        begin = time.perf_counter()
        self._thread = threading.Thread(target=self._loop, args=(pid, begin), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()

    def _loop(self, root: int, begin: float) -> None:
        while not self._stop.is_set():
            now = time.perf_counter() - begin
            for pid in _tree(root):
                rss = _rss_mib(pid)
                if rss is not None:
                    self.series.setdefault(pid, []).append((now, rss))
            self._stop.wait(self.interval)

    def growth(self) -> dict[str, float] | None:
        """For the process that grew most: its RSS high-water mark in the second fifth of its life (imports
        done, work repeating) and in the last fifth.  A process that keeps the same work in a steady
        state ends where it was; one that leaks ends higher."""
        worst = None
        for pid, samples in self.series.items():
            if len(samples) < 10:
                continue  # too short-lived to tell growth from start-up
            fifth = len(samples) // 5
            early = max(rss for _, rss in samples[fifth:2 * fifth])
            late = max(rss for _, rss in samples[-fifth:])
            entry = {"pid": pid, "second_fifth_mib": early, "last_fifth_mib": late, "growth_mib": late - early,
                     "samples": len(samples), "role": "parent" if pid == self.root else "worker"}
            if worst is None or entry["growth_mib"] > worst["growth_mib"]:
                worst = entry
        return worst


def _tree(root: int) -> list[int]:
    """``root`` and its descendants, from /proc/<pid>/task/<tid>/children."""
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    queue.extend(int(child) for child in handle.read().split())
        except OSError:
            continue  # it ended between two reads
    return found


def _rss_mib(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
