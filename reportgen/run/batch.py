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
import threading
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date

from reportgen.core import collector
from reportgen.core.errors import RenderError, ReportgenError
from reportgen.core.issues import errors_in, warnings_in


@dataclass(frozen=True)
class BuildTask:
    root: str
    config_path: str | None
    unit: str
    workbook: str
    sha256: str
    revision: int | None = None
    """The revision number its files will carry if recorded (chosen by the run, which knows the ledger)."""
    today: str | None = None
    """The run's date (ISO), for the reader's "a period ahead" check under ``--now``."""
    draft: bool = False
    """Build a draft (number and day blank, "DỰ THẢO" on the pages): the unit's reports are approved and issued."""


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
    sample: bool = False
    """The workbook declares itself sample data: its report never goes to recipients."""
    warnings: tuple[str, ...] = ()
    """The workbook's and the configuration's warnings, as ``reportgen check`` prints them (for the receipt)."""


_WORKER_WORKSPACES: dict[str, object] = {}
"""In a worker process: the run's workspaces by unit, handed over once when the worker starts, so that no
report pays for reading reportgen.toml again."""

_BUILDING = threading.Lock()
"""Held while a report is built, so that a worker leaving with its run finishes the report in hand first."""
PARENT_CHECK_SECONDS = 0.5


def _start_worker(workspaces: dict[str, object], parent_pid: int) -> None:
    collector.tune_for_reports()  # inherited by a forked worker already; a spawned one starts without it
    _WORKER_WORKSPACES.update(workspaces)
    threading.Thread(target=_leave_with_parent, args=(parent_pid,), name="reportgen-parent-watch", daemon=True).start()


def _leave_with_parent(parent_pid: int) -> None:
    """End this worker once the run that started it is gone (killed, or the PC's session ended).

    A pool's workers never notice on their own: they wait for work forever, and, forked with the run's
    open files, they keep its run lock (flock belongs to the open file, shared with every fork), so no
    later run could start.  The report being built is finished first, its files published or removed
    whole; the run that comes next records it again.
    """
    while _parent_alive(parent_pid):
        time.sleep(PARENT_CHECK_SECONDS)
    with _BUILDING:
        os._exit(0)


def _parent_alive(parent_pid: int) -> bool:
    if os.name == "nt":  # Windows keeps the dead parent's id; its process handle says whether it runs
        parent = multiprocessing.parent_process()
        return parent is None or parent.is_alive()
    return os.getppid() == parent_pid  # POSIX gives an orphan a new parent (init, or a subreaper)


def build(task: BuildTask, workspace=None) -> BuildOutcome:
    """Read, check and generate one workbook; every failure becomes an outcome, never an exception."""
    with _BUILDING:
        return _build(task, workspace)


def _build(task: BuildTask, workspace=None) -> BuildOutcome:
    from reportgen.domain.headline import summary_line
    from reportgen.report.generate import GenerateOptions, generate_from_report
    from reportgen.settings.workspace import Workspace
    from reportgen.workbook.read.read_settings import read_settings
    from reportgen.workbook.read.reader import read_workbook

    try:
        ws = (
            workspace
            or _WORKER_WORKSPACES.get(task.unit)
            or Workspace.open(task.root, task.config_path).for_unit(task.unit)
        )
        today = date.fromisoformat(task.today) if task.today else None
        read = read_workbook(task.workbook, read_settings(ws.config, today=today))
        if not read.ok or read.report is None:
            return BuildOutcome(task, "invalid", errors=tuple(str(i) for i in errors_in(read.issues)))
        built = generate_from_report(
            read.report, ws, GenerateOptions(revision=task.revision, draft=task.draft), warnings_in(read.issues)
        )
        return BuildOutcome(
            task,
            "built",
            read.report.period.code,
            files={fmt: str(path) for fmt, path in built.files.items()},
            hashes=dict(built.hashes),
            pdf_pages=built.pdf_pages,
            summary=summary_line(built.assessment),
            sample=read.report.info.sample,
            warnings=tuple(str(w) for w in built.warnings),
        )
    except RenderError as exc:
        return BuildOutcome(task, "render_error", errors=(str(exc),))
    except ReportgenError as exc:
        return BuildOutcome(task, "render_error", errors=(str(exc),))
    except Exception as exc:  # noqa: BLE001 - one unit's bug must not stop the other units
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return BuildOutcome(task, "crash", errors=(detail,))


def build_all(tasks: list[BuildTask], jobs: int, workspaces: dict[str, object] | None = None) -> Iterator[BuildOutcome]:
    """Build every task with ``jobs`` worker processes (1: in this process).

    Outcomes come in the order of ``tasks``, each as soon as it and those before it are built, so the
    caller records one (ledger, mail, spool) while the workers build the next ones instead of
    recording them all after the last build.
    """
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield build(task, (workspaces or {}).get(task.unit))
        return
    # fork (POSIX) starts workers with reportgen already imported; Windows has only spawn.
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    workers = min(jobs, len(tasks))
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(workspaces or {}, os.getpid())
    ) as pool:
        # One task at a time: a report takes a tenth of a second, against well under a millisecond to hand
        # a task over, and no worker then sits idle at the end while another finishes a chunk.
        yield from pool.map(build, tasks)


def default_jobs() -> int:
    return os.cpu_count() or 1
