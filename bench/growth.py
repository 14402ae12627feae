"""How generate's cost grows with the number of indicators: one warm process, one workbook per size.

    python bench/growth.py ROOT WORKBOOK... [--runs 3] [--stages]   → JSON on stdout

Runs under the interpreter of the checkout being measured.  The process is
warmed up on the smallest workbook first, so the figures hold no imports:
what is left is the work that depends on the size.  With ``--stages`` each size
also gets one stage-by-stage pass (bench/stages.py), to show which stage grows.
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


def measure(root: Path, workbooks: list[Path], runs: int, stages: bool) -> list[dict]:
    sizes = sorted(((indicator_count(w), w) for w in workbooks), key=lambda pair: pair[0])
    results = []
    with tempfile.TemporaryDirectory(prefix="rg-bench-growth-") as tmp:
        out_dir = Path(tmp)
        warm_generate(root, sizes[0][1], 1, out_dir / "warm-up")
        for count, workbook in sizes:
            times = warm_generate(root, workbook, min(runs, 2) if count >= BIG else runs, out_dir)
            entry = {"indicators": count, "workbook": workbook.name, "median": statistics.median(times),
                     "min": min(times), "max": max(times), "runs": len(times)}
            if stages:
                entry["stages"] = Pass(root, workbook, out_dir).run()
            results.append(entry)
    return results


def main(argv: list[str]) -> int:
    as_the_command_runs()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("workbooks", type=Path, nargs="+")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stages", action="store_true")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.root.resolve(), [w.resolve() for w in args.workbooks], args.runs, args.stages)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
