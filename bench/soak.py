"""A bounded mutation soak: mutated copies of the example workbook through ``reportgen generate``.

Run from the repository root:

    .venv/bin/python bench/soak.py --count 2000 --seconds 600
    .venv/bin/python bench/soak.py --kind unicode_text --seed 17 --count 1   # replay one case

Each case is one mutant of the bundled example (tests/fixtures/mutations.py:
wrong cell types, renamed or deleted sheets, misspelled headers, hostile
Unicode, 32,767-character cells, formulas, merged ranges, a million empty
styled rows, decompression bombs, truncated and bit-flipped files …) run in a
child process with a memory limit and a deadline (tests/fixtures/soak_runner.py).
Every case must end with a complete report (exit 0) or a Vietnamese message
(exit 3) and no partial output; anything else is listed as a failure, its
files kept for a look.  Every ``--exec-every``-th case runs the real command
line in a fresh interpreter instead of a forked copy of this one.

Prints a table of outcomes per mutation kind — with the slowest case, the most
memory a forked case added ("RAM thêm") and the largest peak of a real CLI
process ("RAM CLI", exec cases) — and writes JSON (--json).  Exit status 1 when
any case failed.  POSIX only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fixtures.mutations import KINDS, Mutant, mutant  # noqa: E402
from fixtures.soak_runner import OK_OUTCOMES, CaseResult, Settings, run_cases  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300, help="cases to run at most (default 300)")
    parser.add_argument("--seconds", type=float, default=600, help="start no case after this many seconds")
    parser.add_argument("--seed", type=int, default=0, help="first seed; each kind's seeds count up from it")
    parser.add_argument("--kind", action="append", choices=sorted(KINDS), help="only these kinds (repeatable)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="cases at a time (default: cores)")
    parser.add_argument("--exec-every", type=int, default=10,
                        help="every N-th case runs the real CLI in a fresh interpreter (0: never)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a case is killed")
    parser.add_argument("--memory-mb", type=int, default=1024, help="address space allowed per case")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "soak.json", help="where to write results")
    parser.add_argument("--scratch", type=Path, help="folder for case files (default: a temporary folder)")
    return parser.parse_args(argv)


def planned_cases(args: argparse.Namespace, started: float, engine_errors: list[str]
                  ) -> Iterator[tuple[Mutant, str]]:
    """(mutant, mode) in turn over the kinds, until --count or --seconds runs out.  A mutant the
    engine fails to build is noted in ``engine_errors`` (a bug in the soak, not in reportgen)."""
    kinds = args.kind or sorted(KINDS)
    for index in range(args.count):
        if time.perf_counter() - started > args.seconds:
            return
        rounds, position = divmod(index, len(kinds))
        kind, seed = kinds[position], args.seed + rounds
        # Shifted each round, so every kind gets its exec cases whatever the number of kinds.
        mode = "exec" if args.exec_every and (rounds + position) % args.exec_every == args.exec_every - 1 else "fork"
        try:
            made = mutant(kind, seed)
        except Exception as exc:  # noqa: BLE001 - reported, and the soak goes on
            engine_errors.append(f"{kind} seed={seed}: {type(exc).__name__}: {exc}")
            continue
        yield made, mode


def summary(results: list[CaseResult]) -> dict[str, dict]:
    """Per kind (and 'TỔNG' for all): counts per outcome, the slowest case and the largest peak memory."""
    groups: dict[str, list[CaseResult]] = defaultdict(list)
    for result in results:
        groups[result.kind].append(result)
    groups["TỔNG"] = list(results)
    return {name: {
        "cases": len(items),
        "outcomes": dict(Counter(item.outcome for item in items)),
        "max_seconds": max((item.seconds for item in items), default=0.0),
        "max_added_mb": max((item.added_mb for item in items if item.mode == "fork"), default=0.0),
        "exec_cases": sum(item.mode == "exec" for item in items),
        "max_exec_peak_mb": max((item.peak_mb for item in items if item.mode == "exec"), default=0.0),
    } for name, items in sorted(groups.items(), key=lambda pair: (pair[0] == "TỔNG", pair[0]))}


def table(stats: dict[str, dict]) -> str:
    """One line per kind: outcomes, the slowest case, the most memory a forked case added and the
    largest peak of a real CLI process (exec cases)."""
    head = (f"{'loại biến đổi':18} {'số ca':>5} {'báo cáo':>8} {'từ chối':>8} {'hỏng':>5} {'lâu nhất':>9} "
            f"{'RAM thêm':>9} {'RAM CLI':>8}")
    lines = [head, "─" * len(head)]
    for name, row in stats.items():
        outcomes = row["outcomes"]
        failed = sum(count for outcome, count in outcomes.items() if outcome not in OK_OUTCOMES)
        cli = f"{row['max_exec_peak_mb']:6.0f}MB" if row["exec_cases"] else f"{'-':>8}"
        lines.append(f"{name:18} {row['cases']:5} {outcomes.get('report', 0):8} {outcomes.get('refused', 0):8} "
                     f"{failed:5} {row['max_seconds']:8.2f}s {row['max_added_mb']:7.0f}MB {cli}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from reportgen.report.init_folder import init_folder

    started = time.perf_counter()
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="reportgen-soak-"))
    workspace = scratch / "workspace"
    init_folder(workspace)
    settings = Settings(workspace, timeout=args.timeout, memory_mb=args.memory_mb, jobs=max(args.jobs, 1))
    results: list[CaseResult] = []
    engine_errors: list[str] = []
    for result in run_cases(planned_cases(args, started, engine_errors), settings, scratch / "cases"):
        results.append(result)
        if not result.ok:
            print(f"HỎNG {result.kind} seed={result.seed} [{result.mode}] {result.outcome}: {result.what}\n"
                  f"     {result.detail}\n     tệp giữ lại: {result.folder}", flush=True)
    stats = summary(results)
    print(table(stats))
    print(f"{len(results)} ca trong {time.perf_counter() - started:.0f} s, {settings.jobs} ca cùng lúc; "
          f"giới hạn mỗi ca {args.timeout:.0f} s, {args.memory_mb} MB")
    args.json.write_text(json.dumps({
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()},
        "settings": {key: str(value) for key, value in vars(args).items()},
        "summary": stats,
        "cases": [result.as_json() for result in results],
        "engine_errors": engine_errors,
    }, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"Kết quả chi tiết: {args.json}")
    for line in engine_errors:
        print(f"LỖI BỘ BIẾN ĐỔI (không phải lỗi của reportgen): {line}")
    return 0 if all(result.ok for result in results) and not engine_errors else 1


if __name__ == "__main__":
    sys.exit(main())
