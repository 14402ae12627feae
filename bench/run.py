"""reportgen's benchmark, in one command: prints a table and writes bench/results/<date>-<commit>.json.

    python bench/run.py                 # the whole benchmark (under 10 minutes on 2 cores)
    python bench/run.py --quick         # fewer runs, 40 units (under 3 minutes)
    python bench/run.py --repo /tmp/rg-before --python /tmp/rg-before/.venv/bin/python
                                        # another checkout, with the interpreter that has it installed

What it measures (issue 5, "The benchmark"):
  1. one report as a whole ``reportgen generate`` process: median, min, max of N runs, peak memory;
  2. the same inside one process, stage by stage, cold (first call) and warm (bench/stages.py);
  3. a batch: N units' workbooks varied from the example, one ``reportgen run`` with --jobs 1 and with
     every core: wall time, reports per second, seconds per report per core, peak memory of the parent
     and of the largest worker, and whether memory kept growing;
  4. growth: generate at 30, 300 and 3,000 indicators, and whether the cost grows ≤ linearly;
  5. the common alternative, docxtpl + LibreOffice, on the same workbooks, and the ratios;
  and where the time of one generate goes (pyinstrument), when the bench extra is installed.

This script uses the standard library only and never imports reportgen: the
helpers beside it run under the measured checkout's interpreter.  Needs Linux
or macOS for the memory figures.  Nothing here is asserted; budgets print PASS or OVER.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sections  # noqa: E402
from table import budgets, render  # noqa: E402
from target import BENCH, Target, load_average, machine  # noqa: E402

SECTIONS = ("one", "stages", "batch", "growth", "alternative", "profile")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 runs, 40 units, no stage breakdown in growth")
    parser.add_argument("--runs", type=int, help="timed runs of one report (default 7, quick 3)")
    parser.add_argument("--units", type=int, help="units in the batch (default 200, quick 40)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 300, 3000], help="indicator counts for growth")
    parser.add_argument("--repo", type=Path, help="the reportgen checkout to measure (default: this one)")
    parser.add_argument("--python", type=Path, help="its interpreter (default: <repo>/.venv, else this one)")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    parser.add_argument("--out", type=Path, help="the JSON file (default bench/results/<date>-<commit>.json); "
                        "the profile's call tree goes beside it")
    return parser.parse_args(argv)


def settings_from(args: argparse.Namespace, work: Path) -> sections.Settings:
    cores = os.cpu_count() or 1
    return sections.Settings(
        runs=args.runs or (3 if args.quick else 7),
        units=args.units or (40 if args.quick else 200),
        jobs=(1, cores) if cores > 1 else (1,),
        sizes=tuple(sorted(args.sizes)),
        growth_stages=not args.quick,
        work=work,
    )


def measure(target: Target, settings: sections.Settings, wanted: set[str], call_tree: Path) -> dict:
    """Every wanted section, in an order where later ones reuse earlier figures (the ratios).

    The load average before each section goes in the results: on a shared machine it tells
    which figures were taken while something else ran.
    """
    results: dict = {"load_before": {}}

    def section(name: str, key: str, work) -> None:
        if name in wanted:
            results["load_before"][key] = load_average()
            results[key] = work()

    section("one", "one_report", lambda: sections.one_report(target, settings))
    section("stages", "stages", lambda: sections.stages(target, settings))
    section("batch", "batch", lambda: sections.batch(target, settings))
    section("growth", "growth", lambda: sections.growth(target, settings))
    section("alternative", "alternative", lambda: sections.alternative(
        target, settings, results.get("one_report", {}).get("seconds", {}).get("median"),
        _single_core_per_report(results)))
    section("profile", "profile", lambda: sections.profile(target, settings, call_tree))
    return results


def _single_core_per_report(results: dict) -> float | None:
    """reportgen's seconds per report in the --jobs 1 batch: the alternative also converts on one core."""
    for run in results.get("batch", {}).get("runs", []):
        if run["jobs"] == 1:
            return run["seconds_per_report"]
    return None


def result_stem(described: dict, quick: bool) -> str:
    suffix = ("-dirty" if described["dirty"] else "") + ("-quick" if quick else "")
    return f"{date.today().isoformat()}-{described['commit']}{suffix}"


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    target = Target.resolve(args.repo, args.python)
    described = target.describe()
    out = args.out or BENCH / "results" / f"{result_stem(described, args.quick)}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rg-bench-") as work:
        settings = settings_from(args, Path(work))
        options = {"quick": args.quick, "runs": settings.runs, "units": settings.units, "jobs": list(settings.jobs),
                   "sizes": list(settings.sizes)}
        header = {"date": date.today().isoformat(), "machine": machine(), "target": described, "options": options}
        call_tree = out.with_name(f"{out.stem}-profile.txt")
        results = {**header, **measure(target, settings, set(args.only or SECTIONS), call_tree)}
    results["load_average_end"] = load_average()
    results["elapsed_seconds"] = time.perf_counter() - started
    results["budgets"] = [budget.as_dict() for budget in budgets(results)]
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(render(results))
    print(f"\nJSON: {out}   ({results['elapsed_seconds']:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
