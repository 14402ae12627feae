"""Profile one whole ``reportgen generate`` with pyinstrument and sum up where the time goes.

    python bench/where_time_goes.py PROFILE.txt generate inputs/2023-06.xlsx --out DIR
        → pyinstrument's call tree in PROFILE.txt, and on stdout a JSON summary:
          the pipeline steps, the time spent importing each library, and each library's own time

Runs under the interpreter of the checkout being measured (it needs pyinstrument:
the bench extra).  The profiler starts before reportgen is imported, so the
imports a one-off run pays for are in the profile; only the interpreter's own
start-up (about 20 ms) is not.  Work that a version runs in a forked child (the
PDF, from the commits after d71e829) runs in this process instead, so that the
profile holds all of it: the times add up to the CPU work, not the wall time.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

STEPS = (
    ("read + validate", "read_workbook", "workbook/reader.py"),
    ("assess", "assess", "reportgen/assess.py"),
    ("document model", "build_document", "document/build.py"),
    ("of which charts", "_charts", "document/build.py"),
    ("word", "write", "writers/docx.py"),
    ("of which native charts", None, "writers/docx_chart.py"),
    ("pdf", "write", "writers/pdf.py"),
    ("of which vector charts", None, "writers/pdf_chart.py"),
    ("read-back check word", "verify_docx", "reportgen/verify.py"),
    ("read-back check pdf", "verify_pdf", "reportgen/verify.py"),
    ("figures json+xlsx", "_write_figures", "reportgen/generate.py"),
)
"""(label, function or None for any function of the file, end of its file's path): each step's time, imports
it triggers included.  Charts moved over time (drawn as PNGs while building the model, later natively by
each writer); the steps name every place, and those a version does not have are left out."""
LIBRARY_NAMES = {"PIL": "Pillow", "docx": "python-docx", "yaml": "PyYAML", "dateutil": "python-dateutil"}
IMPORT_CALLER = "_call_with_frames_removed"
"""importlib runs an imported module's body through this function: a "<module>" frame under it is an import."""


def library(file_path: str | None) -> str:
    """The distribution a source file belongs to: a site-packages folder, reportgen, or Python itself."""
    path = (file_path or "").replace("\\", "/")
    if "site-packages/" in path:
        top = path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
        return LIBRARY_NAMES.get(top, top)
    if "/reportgen/" in path or path.startswith("reportgen/"):
        return "reportgen"
    if path.startswith("<frozen importlib"):
        return "import machinery"
    return "python"


class Summary:
    """One walk over pyinstrument's call tree, collecting the three views."""

    def __init__(self) -> None:
        self.steps: dict[str, float] = defaultdict(float)
        self.imports: dict[str, float] = defaultdict(float)
        self.own_time: dict[str, float] = defaultdict(float)

    def walk(self, frame, owner: str | None = None, open_steps: frozenset = frozenset(),
             caller: str = "", caller_lib: str = "python") -> None:
        if frame.is_synthetic:  # "[self]": time in the parent frame itself, not in a call
            return
        # A built-in (C) function works for whoever called it: marshal.loads for an import, encode for Pillow.
        lib = caller_lib if (frame.file_path or "").startswith("<built-in") else library(frame.file_path)
        if frame.function == "<module>" and caller == IMPORT_CALLER:
            owner = lib  # from here down, time is spent importing this library's module
        step = self._step(frame)
        if step and step not in open_steps:  # count a step once, at its outermost call
            self.steps[step] += frame.time
            open_steps = open_steps | {step}
        own = frame.time - sum(child.time for child in frame.children if not child.is_synthetic)
        self.own_time[lib] += own
        if owner:
            self.imports[owner] += own
        for child in frame.children:
            self.walk(child, owner, open_steps, frame.function, lib)

    @staticmethod
    def _step(frame) -> str | None:
        path = (frame.file_path or "").replace("\\", "/")
        for label, function, suffix in STEPS:
            if function in (None, frame.function) and path.endswith(suffix):
                return label
        return None

    def as_dict(self, total: float) -> dict:
        ordered = lambda table: dict(sorted(table.items(), key=lambda item: -item[1]))  # noqa: E731
        return {"total": total, "steps": {label: self.steps[label] for label, _, _ in STEPS if label in self.steps},
                "imports_total": sum(self.imports.values()), "imports": ordered(self.imports),
                "own_time": ordered(self.own_time)}


def _one_process() -> None:
    """Versions that write the PDF (or both formats) in a process of its own would hide it from the profiler:
    keep it here (a forked child up to 86a00df, a process from concurrent.futures, ``verify.pdf_process``, up
    to 3b5b7d0, then one writing process for both formats, ``writing_process``)."""
    from contextlib import nullcontext

    try:
        import reportgen.core.forking as forking
    except ImportError:
        pass
    else:
        forking.can_fork = lambda: False
    try:
        import reportgen.readback.read_back as verify
    except ImportError:
        return
    if hasattr(verify, "pdf_process"):
        verify.pdf_process = lambda formats: nullcontext(None)
    try:
        import reportgen.report.writing_process as writers
    except ImportError:
        return
    writers.writing_process = lambda formats: nullcontext({})


def main() -> int:
    from pyinstrument import Profiler

    text_file, args = Path(sys.argv[1]), sys.argv[2:]
    sys.argv = ["reportgen", *args]  # reportgen.cli.app.main reads its arguments from sys.argv
    profiler = Profiler(interval=0.001)
    profiler.start()
    try:
        _one_process()
        from reportgen.cli.app import main as reportgen_main

        reportgen_main()
    except SystemExit as exit_:
        if exit_.code not in (0, None):
            raise
    finally:
        profiler.stop()
    text_file.write_text(profiler.output_text(unicode=True, color=False), encoding="utf-8")
    session = profiler.last_session
    summary = Summary()
    summary.walk(session.root_frame())
    print(json.dumps(summary.as_dict(session.duration)))  # the last line: bench/sections.py reads it
    return 0


if __name__ == "__main__":
    sys.exit(main())
