"""One report inside one process, stage by stage, through reportgen's library API.

    python bench/stages.py ROOT WORKBOOK --runs 7      → JSON on stdout

Runs under the interpreter of the checkout being measured.  The first pass is
"cold": every stage pays for the modules it is the first to import (openpyxl in
reading, Jinja2 in the narrative, matplotlib or Pillow in the charts,
python-docx, reportlab, pypdf …), as a one-off ``reportgen generate`` does.
The next ``runs`` passes are "warm", as in a batch worker, and are summarised
by their median.  Then ``generate()`` itself is timed warm, to show what the
stages leave out (staging, publishing, hashing).

Reading and validating are one call in reportgen (``read_workbook`` checks
every cell as it reads it; no API reads without checking), so they are
timed together as "read + validate".
"""

from __future__ import annotations

import argparse
import inspect
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

STAGES = ("config", "read + validate", "assess", "narrative", "charts", "word", "pdf", "read-back check",
          "figures json+xlsx")
"""In pipeline order; "config" is opening the working folder (reportgen.toml), "figures" the JSON and XLSX
files that generate writes beside the report."""


class Pass:
    """One pass through the pipeline; ``seconds`` holds each stage's time.

    Charts are counted wherever they are made, so that the figure means the same for every
    version of reportgen: inside the model (``build._charts``: the chart data, and the PNGs in
    versions that drew them there) plus what they add to each writer (a native chart in Word,
    vector graphics in the PDF, or an embedded PNG), which is the time to write the document
    with its charts minus the time to write the same document without them.  "narrative",
    "word" and "pdf" are therefore the report without its charts.  Stages run one after the
    other; ``generate()`` may overlap some of them (the PDF in a forked child, in later versions).
    """

    def __init__(self, root: Path, workbook: Path, out_dir: Path) -> None:
        self.root, self.workbook, self.out_dir = root, workbook, out_dir
        self.seconds: dict[str, float] = {stage: 0.0 for stage in STAGES}

    def timed(self, stage: str, work: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = work()
        self.seconds[stage] += time.perf_counter() - start
        return result

    def run(self) -> dict[str, float]:
        workspace = self.timed("config", self.open_workspace)
        report = self.timed("read + validate", self.read)
        result = self.timed("assess", lambda: self.assess(report, workspace))
        document = self.build_with_charts(report, result, workspace)
        without_charts = self.build(report, result, workspace, charts=False)  # untimed: the writers' baseline
        files = {fmt: self.out_dir / f"report.{fmt}" for fmt in ("docx", "pdf")}
        for fmt, stage in (("docx", "word"), ("pdf", "pdf")):
            self.seconds[stage] += self.write(fmt, without_charts, self.out_dir / f"plain.{fmt}")
            whole = self.write(fmt, document, files[fmt])
            # The baseline is written again, warm: in a cold pass the first writing paid for the
            # writer's imports and fonts, which are the writer's cost, not the charts'.
            baseline = self.write(fmt, without_charts, self.out_dir / f"plain.{fmt}")
            self.seconds["charts"] += whole - baseline
        self.timed("read-back check", lambda: self.verify(document, files["docx"], files["pdf"]))
        self.timed("figures json+xlsx", lambda: self.figures(report, result))
        return self.seconds

    # Each step imports what it uses, so that a cold pass charges every import to the stage that needs it.
    def open_workspace(self):
        from reportgen.settings.workspace import Workspace

        return Workspace.open(self.root)

    def read(self):
        from reportgen.workbook.read.reader import read_workbook

        read = read_workbook(self.workbook)
        if not read.ok or read.report is None:
            raise SystemExit(f"{self.workbook}: the workbook has errors: {[str(i) for i in read.issues][:3]}")
        return read.report

    @staticmethod
    def assess(report, workspace):
        from reportgen.domain.assess import assess
        from reportgen.domain.headline import assessment_options

        return assess(report, assessment_options(workspace.config))

    @staticmethod
    def build(report, result, workspace, charts: bool):
        """The document model; versions that drew charts while building take the renderer as an argument."""
        from reportgen.document.build import BuildOptions, build_document

        options = BuildOptions(charts=charts, templates_dir=workspace.templates)
        if "render_chart" in inspect.signature(build_document).parameters:
            from reportgen.charts.raster import render_chart

            return build_document(report, result, workspace.config, options, render_chart if charts else None)
        return build_document(report, result, workspace.config, options)

    def build_with_charts(self, report, result, workspace):
        """The whole model, timed once: the time inside ``_charts`` is "charts", the rest "narrative"."""
        from reportgen.document import build as builder

        charts = _Stopwatch(getattr(builder, "_charts", None))
        if charts.original:
            builder._charts = charts
        try:
            start = time.perf_counter()
            document = self.build(report, result, workspace, charts=True)
            total = time.perf_counter() - start
        finally:
            if charts.original:
                builder._charts = charts.original
        self.seconds["charts"] += charts.seconds
        self.seconds["narrative"] += total - charts.seconds
        return document

    @staticmethod
    def write(fmt: str, document, path: Path) -> float:
        """Write ``document``; the seconds it took (so a caller can subtract one writing from another)."""
        from reportgen.writers import get_writer

        start = time.perf_counter()
        get_writer(fmt).write(document, path)
        return time.perf_counter() - start

    @staticmethod
    def verify(document, docx: Path, pdf: Path) -> None:
        from reportgen.readback.read_back import verify_docx, verify_pdf

        verify_docx(docx, document)
        verify_pdf(pdf, document)

    def figures(self, report, result) -> None:
        from reportgen.report.figures_file import figures_json, figures_table
        from reportgen.workbook.write.figures_workbook import write_figures_xlsx

        (self.out_dir / "figures.json").write_bytes(figures_json(report, result))
        write_figures_xlsx(figures_table(report, result), self.out_dir / "figures.xlsx")


class _Stopwatch:
    """Stands in for the builder's ``_charts`` during one build, adding up the time spent in it."""

    def __init__(self, original: Callable | None) -> None:
        self.original, self.seconds = original, 0.0

    def __call__(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self.original(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


def warm_generate(root: Path, workbook: Path, runs: int, out_dir: Path) -> list[float]:
    """reportgen.report.generate.generate() as the command calls it (charts, both formats), in a warm process."""
    from reportgen.report.generate import GenerateOptions, generate
    from reportgen.settings.workspace import Workspace

    workspace = Workspace.open(root)
    times = []
    for index in range(runs):
        start = time.perf_counter()
        generate(workbook, workspace, GenerateOptions(out_dir=out_dir / f"{workbook.stem}-{index}"))
        times.append(time.perf_counter() - start)
    return times


def measure(root: Path, workbook: Path, runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rg-bench-stages-") as tmp:
        out_dir = Path(tmp)
        cold = Pass(root, workbook, out_dir).run()
        warm = [Pass(root, workbook, out_dir).run() for _ in range(runs)]
        generate_times = warm_generate(root, workbook, runs, out_dir)
    warm_median = {stage: statistics.median(p[stage] for p in warm) for stage in STAGES}
    return {
        "stages": list(STAGES),
        "cold": cold,
        "warm_median": warm_median,
        "warm_min": {stage: min(p[stage] for p in warm) for stage in STAGES},
        "cold_total": sum(cold.values()),
        "warm_total": sum(warm_median.values()),
        "generate_warm": {"median": statistics.median(generate_times), "min": min(generate_times),
                          "max": max(generate_times), "runs": runs},
        "runs": runs,
        "read_validate_together": True,
    }


def as_the_command_runs() -> None:
    """The process set up as ``reportgen``'s console entry sets up its own (the garbage collector's
    threshold, from commit 41fb964 on); earlier versions paused the collector inside ``generate()``."""
    try:
        from reportgen.core.collector import tune_for_reports
    except ImportError:
        return
    tune_for_reports()


def main(argv: list[str]) -> int:
    as_the_command_runs()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path, help="the working folder (its reportgen.toml and templates/)")
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.root.resolve(), args.workbook.resolve(), args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
