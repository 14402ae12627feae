"""The heavy part of a run — read, check, generate — for many workbooks, on all cores.

Each workbook is built independently (its own worker process with ``jobs > 1``),
and comes back as a small, picklable :class:`BuildOutcome`.  Workers never
touch the ledger: the parent process records every outcome, one transaction
each, so the ledger stays consistent however many workers run.  A workbook
that fails — invalid, unrenderable, or even an unexpected crash — is one
outcome among the others and never stops them.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .errors import RenderError, ReportgenError
from .issues import errors_in

@dataclass(frozen=True)
class BuildTask:
    root: str
    config_path: str | None
    unit: str
    workbook: str
    sha256: str


@dataclass(frozen=True)
class BuildOutcome:
    task: BuildTask
    kind: str
    """built | invalid | render_error | crash"""
    period: str | None = None
    errors: tuple[str, ...] = ()
    """Workbook errors (invalid), or the one failure message (render_error, crash)."""
    files: dict[str, str] = field(default_factory=dict)
    """Format → path of the published file."""
    hashes: dict[str, str] = field(default_factory=dict)
    pdf_pages: int | None = None
    summary: str = ""
    """The one-line assessment summary, for the mail body."""


_WORKER_WORKSPACES: dict[str, object] = {}
"""In a worker process: the run's workspaces by unit, handed over once when the worker starts, so that no
report pays for reading reportgen.toml again."""


def _start_worker(workspaces: dict[str, object]) -> None:
    _WORKER_WORKSPACES.update(workspaces)


def build(task: BuildTask, workspace=None) -> BuildOutcome:
    """Read, check and generate one workbook; every failure becomes an outcome, never an exception."""
    from .check import summary_line
    from .generate import GenerateOptions, generate_from_report
    from .workbook.limits import limits_from_config
    from .workbook.reader import read_workbook
    from .workspace import Workspace

    try:
        ws = (workspace or _WORKER_WORKSPACES.get(task.unit)
              or Workspace.open(task.root, task.config_path).for_unit(task.unit))
        read = read_workbook(task.workbook, limits_from_config(ws.config))
        if not read.ok or read.report is None:
            return BuildOutcome(task, "invalid", errors=tuple(str(i) for i in errors_in(read.issues)))
        built = generate_from_report(read.report, ws)
        return BuildOutcome(task, "built", read.report.period.code,
                            files={fmt: str(path) for fmt, path in built.files.items()}, hashes=dict(built.hashes),
                            pdf_pages=built.pdf_pages, summary=summary_line(built.assessment))
    except RenderError as exc:
        return BuildOutcome(task, "render_error", errors=(str(exc),))
    except ReportgenError as exc:
        return BuildOutcome(task, "render_error", errors=(str(exc),))
    except Exception as exc:  # noqa: BLE001 - one unit's bug must not stop the other units
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return BuildOutcome(task, "crash", errors=(detail,))


def build_all(tasks: list[BuildTask], jobs: int, workspaces: dict[str, object] | None = None) -> list[BuildOutcome]:
    """Build every task, in order of ``tasks``; ``jobs`` worker processes (1: in this process)."""
    if jobs <= 1 or len(tasks) <= 1:
        return [build(task, (workspaces or {}).get(task.unit)) for task in tasks]
    # fork (POSIX) starts workers with reportgen already imported; Windows has only spawn.
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    workers = min(jobs, len(tasks))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                             initargs=(workspaces or {},)) as pool:
        # Chunks keep the per-task overhead low without starving a core at the end of the batch.
        chunk = max(1, len(tasks) // (workers * 8))
        return list(pool.map(build, tasks, chunksize=chunk))


def default_jobs() -> int:
    return os.cpu_count() or 1
