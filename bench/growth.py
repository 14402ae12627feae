"""How generate's cost grows with the number of indicators: one warm process, one workbook per size.

    python bench/growth.py ROOT WORKBOOK... [--runs 3] [--stages] [--warm-up WORKBOOK]   → JSON on stdout

Runs under the interpreter of the checkout being measured.  The process is
warmed up first (on ``--warm-up``, else the smallest workbook), so the figures
hold no imports: what is left is the work that depends on the size.  Workbooks
with the same number of indicators are variants of one size (bench/workbooks.py
grow --variants): each timed run takes a variant of its own, so that no run finds
its texts already laid out by an earlier one (the caches a batch is served by
hold a whole 300-indicator report and little of a 3,000-indicator one: timing one
workbook again and again measured their size, not the work).  With one workbook
per size, it is timed ``--runs`` times.  With ``--stages`` each size also gets
one stage-by-stage pass (bench/stages.py) on a variant not timed when there is
one, to show which stage grows.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from stages import Pass, as_the_command_runs, warm_generate

BIG = 1000
"""From this many indicators two runs are enough: each lasts seconds.  (One was not: on the shared
machines a single 10-second run was 25% slower than the next one now and then.)"""


def indicator_count(workbook: Path) -> int:
    from reportgen.workbook.read.reader import read_workbook

    return len(read_workbook(workbook).report.indicators)


def measure(root: Path, workbooks: list[Path], runs: int, stages: bool, warm_up: Path | None = None) -> list[dict]:
    by_size: dict[int, list[Path]] = {}
    for workbook in workbooks:
        by_size.setdefault(indicator_count(workbook), []).append(workbook)
    results = []
    with tempfile.TemporaryDirectory(prefix="rg-bench-growth-") as tmp:
        out_dir = Path(tmp)
        warm_generate(root, warm_up or by_size[min(by_size)][0], 1, out_dir / "warm-up")
        for count in sorted(by_size):
            variants = by_size[count]
            wanted = min(runs, 2) if count >= BIG else runs
            if len(variants) > 1:
                timed = variants[:wanted]
                times = [warm_generate(root, workbook, 1, out_dir)[0] for workbook in timed]
                staged = variants[len(timed)] if len(variants) > len(timed) else variants[0]
            else:
                timed = variants
                times = warm_generate(root, variants[0], wanted, out_dir)
                staged = variants[0]
            entry = {"indicators": count, "workbook": ", ".join(w.name for w in timed),
                     "median": statistics.median(times), "min": min(times), "max": max(times),
                     "runs": len(times), "variants": len(variants) > 1}
            if stages:
                entry["stages"] = Pass(root, staged, out_dir).run()
            results.append(entry)
    return results


def main(argv: list[str]) -> int:
    as_the_command_runs()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("workbooks", type=Path, nargs="+")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stages", action="store_true")
    parser.add_argument("--warm-up", type=Path, help="the workbook to warm the process on (not timed)")
    args = parser.parse_args(argv)
    warm_up = args.warm_up.resolve() if args.warm_up else None
    print(json.dumps(measure(args.root.resolve(), [w.resolve() for w in args.workbooks], args.runs, args.stages,
                             warm_up)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
