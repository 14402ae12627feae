"""The five measurements of bench/run.py (and the profile), each returning a JSON-ready dict.

Every figure comes from a child process — the checkout's ``reportgen`` command
or a bench/ helper run by the checkout's interpreter — so the benchmark itself
never imports reportgen and can measure any commit.
"""

from __future__ import annotations

import json
import math
import shutil
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from procs import Measured, RssSampler, checked, run_measured, summary
from target import Target

NOW = "2023-06-20T07:00"
"""The example's due day: a run at this moment builds every June 2023 workbook and writes its mail."""
EXAMPLE = Path("inputs") / "2023-06.xlsx"
ALTERNATIVE_BATCH = 20
"""Documents the alternative fills and then converts in one soffice call."""
BATCH_PAIRS = 3
"""Rounds of (the alternative's batch, then reportgen's ``--jobs 1`` batch) that the batch ratio is the median
of.  The machine's speed drifts by ±10% from one minute to the next (the same code took 0.066–0.085 s per
report in the batch section of runs an hour apart), and the two sides of a ratio taken minutes apart drift
apart: each pair is measured back to back, its ratio taken, and the median of the pairs' ratios reported."""


@dataclass(frozen=True)
class Settings:
    runs: int
    units: int
    jobs: tuple[int, ...]
    sizes: tuple[int, ...]
    growth_stages: bool
    work: Path
    """A temporary folder for everything the runs write."""


def log(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def run(target: Target, argv: list[str], what: str) -> Measured:
    """Run a command in the checkout, as a user would (see Target.env); stop the benchmark if it fails."""
    return checked(run_measured(argv, target.repo, target.env()), what)


# ------------------------------------------------------------ one report ----

def one_report(target: Target, settings: Settings) -> dict:
    """``reportgen generate`` as a whole process: a warm-up run (bytecode, font caches), then ``runs`` timed."""
    out = settings.work / "one-report"
    command = target.reportgen("generate", EXAMPLE, "--out", out)
    log(f"one report: {' '.join(command[-4:])} × {settings.runs} (after one warm-up run)")
    run(target, command, "reportgen generate (warm-up)")
    runs = [run(target, command, "reportgen generate") for _ in range(settings.runs)]
    peaks = [measured.peak_mib for measured in runs if measured.peak_mib is not None]
    cpu = [measured.cpu_seconds for measured in runs if measured.cpu_seconds is not None]
    return {"command": "reportgen generate inputs/2023-06.xlsx --out <tmp>",
            "seconds": summary([measured.seconds for measured in runs]), "peak_mib": max(peaks) if peaks else None,
            "cpu_seconds": summary(cpu) if cpu else None}


# ---------------------------------------------------------------- stages ----

def stages(target: Target, settings: Settings) -> dict:
    log(f"stages: one cold pass, then {settings.runs} warm passes in one process")
    done = run(target, target.script("stages.py", target.repo, target.repo / EXAMPLE, "--runs", settings.runs),
               "bench/stages.py")
    return json.loads(done.stdout)


# ----------------------------------------------------------------- batch ----

def prepare_units(target: Target, settings: Settings) -> Path:
    """The batch's working folder, written once; each run works on a fresh copy of it."""
    folder = settings.work / "units-source"
    if not folder.exists():
        count = max(settings.units, ALTERNATIVE_BATCH)
        log(f"writing {count} units' workbooks (varied from the example, seeded)")
        run(target, target.script("workbooks.py", "batch", folder, "--units", count,
                                  "--config", target.repo / "reportgen.toml"), "bench/workbooks.py batch")
    return folder


def unit_workbooks(source: Path, count: int) -> list[Path]:
    return sorted((source / "inputs").glob("u*/*.xlsx"))[:count]


def batch(target: Target, settings: Settings) -> dict:
    source = prepare_units(target, settings)
    return {"units": settings.units, "runs": [batch_run(target, settings, source, jobs) for jobs in settings.jobs]}


def batch_run(target: Target, settings: Settings, source: Path, jobs: int) -> dict:
    """One ``reportgen run`` over a fresh copy of the folder: no ledger, no outputs yet."""
    folder = settings.work / f"batch-jobs-{jobs}"
    shutil.copytree(source, folder, ignore=_units_beyond(settings.units))
    usage = settings.work / f"batch-jobs-{jobs}-usage.json"
    log(f"batch: reportgen run --now {NOW} --jobs {jobs} over {settings.units} units")
    sampler = RssSampler()
    done = run_measured(target.script("launch.py", usage, "-C", folder, "run", "--now", NOW, "--jobs", jobs),
                        target.repo, target.env(), sampler)
    built = len(list((folder / "outputs").glob("u*/2023-06/bao-cao-2023-06-lan-1.pdf")))
    peaks = json.loads(usage.read_text()) if usage.exists() else {}
    result = {
        "jobs": jobs, "exit": done.returncode, "built": built, "seconds": done.seconds,
        "reports_per_second": built / done.seconds if built else 0.0,
        "seconds_per_report": done.seconds / built if built else None,
        "seconds_per_report_per_core": done.seconds * jobs / built if built else None,
        "cpu_seconds": done.cpu_seconds,
        "cpu_seconds_per_report": done.cpu_seconds / built if built and done.cpu_seconds else None,
        "parent_peak_mib": peaks.get("self_peak_mib"),
        "worker_peak_mib": peaks.get("children_peak_mib") if jobs > 1 else None,
        "memory_growth": sampler.growth(),
        "problems": batch_problems(done, built, settings.units),
    }
    shutil.rmtree(folder, ignore_errors=True)
    return result


def _units_beyond(units: int):
    """copytree filter: leave out the units past ``units`` (the source holds enough for the alternative too)."""
    keep = {f"u{index:03d}" for index in range(1, units + 1)}

    def ignore(directory: str, names: list[str]) -> list[str]:
        return [n for n in names if n.startswith("u") and n[1:].isdigit() and n not in keep] \
            if Path(directory).name == "inputs" else []

    return ignore


def batch_problems(done, built: int, units: int) -> list[str]:
    """What went wrong in the run, in the run's own words: an exit status, missing reports, a traceback."""
    problems = []
    if done.returncode != 0:
        problems.append(f"exit status {done.returncode}")
    if built != units:
        problems.append(f"{built} of {units} reports built")
        problems += [line.strip() for line in done.stdout.splitlines() if "không lập được" in line][:5]
    if "Traceback" in done.stderr:
        problems.append(done.stderr[done.stderr.index("Traceback"):][-1500:])
    return problems


# ---------------------------------------------------------------- growth ----

def growth(target: Target, settings: Settings) -> dict:
    folder = settings.work / "growth"
    log(f"growth: workbooks of {', '.join(map(str, settings.sizes))} indicators")
    # A variant of each size per timed run, and one more for the stage pass: no run meets texts laid out before.
    runs = min(settings.runs, 3)
    variants = runs + 1
    run(target, target.script("workbooks.py", "grow", folder, *settings.sizes, "--variants", variants),
        "bench/workbooks.py grow")
    books = [folder / f"indicators-{size}-{number}.xlsx" for size in settings.sizes
             for number in range(1, variants + 1)]
    log("growth: generate() in one warm process, a workbook of its own per run" + (
        " (and a stage-by-stage pass)" if settings.growth_stages else ""))
    args = ["--runs", runs, "--warm-up", folder / "indicators-warm-up.xlsx",
            *(["--stages"] if settings.growth_stages else [])]
    done = run(target, target.script("growth.py", target.repo, *books, *args), "bench/growth.py")
    sizes = json.loads(done.stdout)
    for entry in sizes:
        # The best run: noise on a shared machine only ever adds time, and the largest size has 2 runs.
        entry["per_indicator_ms"] = entry["min"] * 1000 / entry["indicators"]
    return {"sizes": sizes, "peak_mib": done.peak_mib, **growth_verdict(sizes)}


def growth_verdict(sizes: list[dict]) -> dict:
    """≤ linear when the cost per indicator does not rise from one size to the next (5% for noise).

    The marginal cost (seconds per indicator added between two sizes) is given too: with the
    fixed cost of a report taken out, it is the sharper sign of work growing faster than the count.
    """
    steps = []
    for small, big in zip(sizes, sizes[1:]):
        added = big["indicators"] - small["indicators"]
        steps.append({"from": small["indicators"], "to": big["indicators"],
                      "per_indicator_ratio": big["per_indicator_ms"] / small["per_indicator_ms"],
                      "exponent": math.log(big["min"] / small["min"])
                      / math.log(big["indicators"] / small["indicators"]),
                      "marginal_ms": (big["min"] - small["min"]) * 1000 / added})
    linear = all(step["per_indicator_ratio"] <= 1.05 for step in steps)
    marginal = [step["marginal_ms"] for step in steps]
    return {"steps": steps, "linear": linear,
            "marginal_ratio": marginal[-1] / marginal[0] if len(marginal) > 1 and marginal[0] > 0 else None}


# ----------------------------------------------------------- alternative ----

def alternative(target: Target, settings: Settings, reportgen_one: float | None,
                reportgen_per_report: float | None) -> dict:
    """The alternative twice: the same report as reportgen's (table, remarks, two matplotlib charts) — the
    one the budgets are judged on — and the table and remarks alone, as the alternative was measured before."""
    from alternative import soffice
    from alternative_env import alternative_python

    if soffice() is None:
        log("alternative: skipped, LibreOffice (soffice) not installed")
        return {"skipped": "LibreOffice (soffice) not installed"}
    python = alternative_python(log)
    if python is None:
        return {"skipped": "its environment (docxtpl, matplotlib) could not be made"}
    helper = Target(target.repo, python)
    folder, profile = settings.work / "alternative", settings.work / "alternative" / "lo-profile"
    template = folder / "template.docx"
    run(helper, helper.script("alternative.py", "template", _made(template)), "alternative, template")
    example = target.repo / EXAMPLE
    books = unit_workbooks(prepare_units(target, settings), ALTERNATIVE_BATCH)
    log("alternative: first LibreOffice start (new profile)")
    first = run(helper, helper.script("alternative.py", "one", template, example, folder / "first", "--profile",
                                      profile), "alternative, first start")

    def variant(charts: bool) -> dict:
        flag = ["--charts"] if charts else []
        what = "with its charts" if charts else "table only"
        log(f"alternative ({what}): one report × {settings.runs}, then {ALTERNATIVE_BATCH} in one soffice call")
        runs = [run(helper, helper.script("alternative.py", "one", template, example,
                                          folder / f"one-{int(charts)}-{index}", "--profile", profile, *flag),
                    f"alternative ({what}), one report") for index in range(settings.runs)]
        def alternative_batch(index: int) -> Measured:
            return run(helper, helper.script("alternative.py", "batch", template,
                                             folder / f"batch-{int(charts)}-{index}", *books, "--profile", profile,
                                             *flag), f"alternative ({what}), batch")

        many = alternative_batch(0)
        one_median = statistics.median(measured.seconds for measured in runs)
        per_report = many.seconds / len(books)
        result = {
            "one_report": {"seconds": summary([measured.seconds for measured in runs]),
                           "cpu_seconds": summary([m.cpu_seconds for m in runs]) if runs[0].cpu_seconds else None,
                           "peak_mib": max((m.peak_mib for m in runs if m.peak_mib), default=None)},
            "batch": {"documents": len(books), "seconds": many.seconds, "seconds_per_report": per_report,
                      **json.loads(many.stdout), "peak_mib": many.peak_mib},
            "ratio_one_report": one_median / reportgen_one if reportgen_one else None,
            "ratio_per_report_in_batch": per_report / reportgen_per_report if reportgen_per_report else None,
        }
        if charts and settings.units and BATCH_PAIRS:
            result["batch_pairs"] = batch_pairs(target, settings, alternative_batch, many, len(books))
            result["ratio_per_report_in_batch"] = result["batch_pairs"]["median_ratio"]
        return result

    charts = helper.has_module("matplotlib")
    result = {"python": str(python), "packages": helper.describe()["packages"], "first_start_seconds": first.seconds}
    if charts:
        result.update(content="the same report: table, remarks and both charts (matplotlib)", **variant(True),
                      table_only=variant(False))
    else:
        log("alternative: matplotlib not installed, the table-only variant stands in for the same report")
        result.update(content="table and remarks only (matplotlib not installed)", **variant(False))
    return result


def batch_pairs(target: Target, settings: Settings, alternative_batch, first: Measured, documents: int) -> dict:
    """The batch ratio from same-minute pairs: the alternative's batch, then reportgen's ``--jobs 1`` batch at
    once, :data:`BATCH_PAIRS` times (the first alternative batch is the one already run); the median ratio."""
    source = prepare_units(target, settings)
    pairs = []
    for index in range(BATCH_PAIRS):
        alternative = first if index == 0 else alternative_batch(index)
        log(f"alternative: pair {index + 1} of {BATCH_PAIRS}, reportgen's --jobs 1 batch right after")
        ours = batch_run(target, settings, source, 1)
        if not ours["seconds_per_report"]:
            return {"skipped": "reportgen's batch built nothing", "pairs": pairs, "median_ratio": None}
        alternative_per_report = alternative.seconds / documents
        pairs.append({"alternative_per_report": alternative_per_report,
                      "reportgen_per_report": ours["seconds_per_report"],
                      "ratio": alternative_per_report / ours["seconds_per_report"]})
    return {"pairs": pairs, "median_ratio": statistics.median(pair["ratio"] for pair in pairs)}


def _made(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# --------------------------------------------------------------- profile ----

def profile(target: Target, settings: Settings, text_file: Path) -> dict:
    if not target.has_module("pyinstrument"):
        log("profile: skipped, pyinstrument not installed (pip install -e '.[bench]')")
        return {"skipped": "pyinstrument not installed"}
    log("profile: pyinstrument on one whole reportgen generate")
    done = run(target, target.script("where_time_goes.py", text_file, "generate", EXAMPLE, "--out",
                                     settings.work / "profiled"), "bench/where_time_goes.py")
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "call_tree": str(text_file)}
