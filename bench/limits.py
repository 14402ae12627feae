"""The reader's limits, measured: for each, the largest workbook that passes it, its time and peak memory.

    .venv/bin/python bench/limits.py                 # every limit: about 5 minutes on 2 cores
    .venv/bin/python bench/limits.py --only rows text

For each limit of ``[limits]`` (reportgen/workbook/limits.py) it builds the
largest workbook that passes it — every other limit at its default — and one
just over it, runs the real command on each (``python -m reportgen generate
FILE --out DIR`` in a fresh working folder, Word and PDF), and records the
exit status, the wall time and the peak memory of the whole process tree
(the command and the child that writes the PDF, summed, sampled from /proc
every 20 ms); for the file within the limits, ``check --annotate`` too (it
loads the workbook in full to mark the problem cells).
A last workbook is at every limit at once.  The budget (issue 13) is 60 s and
1 GiB on the 2-core machine: a workbook that passes the limits must end in
a report or a message within it; one over a limit must be refused, naming it.

The figures go to ``bench/results/limits-<date>-<commit>.json``, and the table
of docs/operations.md ("Giới hạn an toàn") is rewritten from them between its
markers.  The defaults of reportgen/workbook/limits.py were chosen from these
figures, with room for a machine twice as slow (docs/operations.md says how).

The workbooks are made by bench/limit_books.py.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from limit_books import (all_book, cells_book, file_book, ratio_book, rows_book, strings_book,  # noqa: E402
                         styles_book, text_book, unpacked_book)
from procs import RssSampler, run_measured  # noqa: E402
from reportgen.core.vnformat import vn_num  # noqa: E402
from reportgen.settings.limits import MB, Limits  # noqa: E402

BUDGET_SECONDS = 60
BUDGET_MIB = 1024
DOC = ROOT / "docs" / "operations.md"
BEGIN, END = "<!-- bảng giới hạn: bench/limits.py -->", "<!-- hết bảng giới hạn -->"


@dataclass(frozen=True)
class Case:
    key: str
    """The limit (a field of Limits), or "all"."""
    build: Callable[[Limits, bool], tuple[bytes, str]]
    refused_over: str | None
    """The issue code expected just over the limit (None: no over-the-limit file for this case)."""


CASES = (
    Case("max_file_mb", file_book, "file.too_big"),
    Case("max_uncompressed_mb", unpacked_book, "file.too_big"),
    Case("max_compression_ratio", ratio_book, "file.bomb"),
    Case("max_rows", rows_book, "rows.too_many"),
    Case("max_cells", cells_book, "cells.too_many"),
    Case("max_cell_chars", text_book, "text.too_much"),
    Case("max_text_chars", text_book, "text.too_much"),
    Case("max_strings", strings_book, "strings.too_many"),
    Case("max_styles", styles_book, "styles.too_many"),
    Case("all", all_book, None),
)


# -------------------------------------------------------------- measuring --

@dataclass(frozen=True)
class Run:
    case: str
    over: bool
    what: str
    file_mb: float
    exit: int
    seconds: float
    peak_mib: float
    outcome: str
    """'báo cáo' (exit 0), the first issue code of a refusal, or what went wrong."""
    annotate_seconds: float | None = None
    """``check --annotate`` on the same file (the copy with the problem cells marked), within the limits."""
    annotate_peak_mib: float | None = None


def measure(case: Case, limits: Limits, over: bool, folder: Path, workspace: Path) -> Run:
    path = folder / f"{case.key}{'-over' if over else ''}.xlsx"
    # Built by a child of its own: this process stays small, so nothing of it is counted in the figures.
    built = subprocess.run([sys.executable, __file__, "--build", case.key, str(path)] + (["--over"] if over else []),
                           capture_output=True, text=True, check=True)
    what = built.stdout.strip()
    out = folder / f"out-{case.key}-{over}"
    sampler = RssSampler(interval=0.02)
    measured = run_measured([sys.executable, "-m", "reportgen", "-C", str(workspace), "generate", str(path),
                             "--out", str(out)], cwd=workspace, sampler=sampler, env=_env())
    outcome = "báo cáo" if measured.returncode == 0 else _first_code(measured.stderr) or measured.stderr[-300:]
    annotated = None if over else _annotate(path, folder, workspace)
    size = path.stat().st_size
    path.unlink()
    return Run(case.key, over, what, round(size / MB, 1), measured.returncode, round(measured.seconds, 1),
               round(_tree_peak(sampler)), outcome, *(annotated or (None, None)))


def _annotate(path: Path, folder: Path, workspace: Path) -> tuple[float, float]:
    """Time and peak memory of ``check --annotate`` on ``path`` (which loads the workbook in full)."""
    sampler = RssSampler(interval=0.02)
    measured = run_measured([sys.executable, "-m", "reportgen", "-C", str(workspace), "check", str(path),
                             "--annotate", str(folder / "annotated.xlsx")], cwd=workspace, sampler=sampler,
                            env=_env())
    if measured.returncode not in (0, 3):
        raise SystemExit(f"check --annotate failed on {path.name}: {measured.stderr[-2000:]}")
    return round(measured.seconds, 1), round(_tree_peak(sampler))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed copy has its bytecode cached
    return env


def _tree_peak(sampler: RssSampler) -> float:
    """The highest sum of the process tree's resident memory at one sampling moment.  (The kernel's
    high-water mark of the command is not used: it starts from this process's size at the fork.)"""
    totals: dict[float, float] = {}
    for samples in sampler.series.values():
        for moment, rss in samples:
            totals[moment] = totals.get(moment, 0) + rss
    return max(totals.values(), default=0)


CODES = {"Dung lượng": "file.too_big", "giải nén nặng": "file.too_big", "bom nén": "file.bomb",
         "dòng dữ liệu": "rows.too_many", "ô có dữ liệu": "cells.too_many", "Tổng số chữ": "text.too_much",
         "chuỗi chữ khác nhau": "strings.too_many", "định dạng (kiểu ô": "styles.too_many",
         "không đủ bộ nhớ": "file.out_of_memory"}


def _first_code(stderr: str) -> str | None:
    for line in stderr.splitlines():
        for words, code in CODES.items():
            if words in line:
                return code
    return None


def _commit() -> str:
    try:
        found = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                               text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return found + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# ------------------------------------------------------------------ output --

_LABELS = {
    "max_file_mb": "`max_file_mb`", "max_uncompressed_mb": "`max_uncompressed_mb`",
    "max_compression_ratio": "`max_compression_ratio`", "max_rows": "`max_rows`", "max_cells": "`max_cells`",
    "max_cell_chars": "`max_cell_chars`", "max_text_chars": "`max_text_chars`", "max_strings": "`max_strings`",
    "max_styles": "`max_styles`", "all": "tất cả cùng lúc",
}


def table(runs: list[Run], limits: Limits) -> str:
    lines = ["| giới hạn | mặc định | tệp lớn nhất lọt qua | `generate`: thời gian, bộ nhớ đỉnh | "
             "`check --annotate`: thời gian, bộ nhớ đỉnh | vượt giới hạn một chút |",
             "|---|---|---|---|---|---|"]
    for run in [r for r in runs if not r.over]:
        over = next((r for r in runs if r.over and r.case == run.case), None)
        default = vn_num(getattr(limits, run.case), 0) if run.case != "all" else "—"
        result = "" if run.outcome == "báo cáo" else f" ({run.outcome})"
        refused = (f"`{over.outcome}` sau {vn_num(over.seconds, 1)} s, {vn_num(over.peak_mib, 0)} MiB"
                   if over else "—")
        annotate = (f"{vn_num(run.annotate_seconds, 1)} s, {vn_num(run.annotate_peak_mib, 0)} MiB"
                    if run.annotate_seconds is not None else "—")
        lines.append(f"| {_LABELS[run.case]} | {default} | {run.what}{result} | {vn_num(run.seconds, 1)} s, "
                     f"{vn_num(run.peak_mib, 0)} MiB | {annotate} | {refused} |")
    return "\n".join(lines)


def write_doc(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
    DOC.write_text(doc[:start] + "\n" + text + "\n" + doc[end:], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=[case.key for case in CASES])
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite the table of docs/operations.md")
    parser.add_argument("--build", nargs=2, metavar=("LIMIT", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--over", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    limits = Limits()
    if args.build:
        data, what = next(case for case in CASES if case.key == args.build[0]).build(limits, args.over)
        Path(args.build[1]).write_bytes(data)
        print(what)
        return 0
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="reportgen-limits-") as scratch:
        folder = Path(scratch)
        workspace = folder / "ws"
        subprocess.run([sys.executable, "-m", "reportgen", "init", str(workspace)], check=True, capture_output=True)
        for case in CASES:
            if args.only and case.key not in args.only:
                continue
            for over in (False, True) if case.refused_over else (False,):
                run = measure(case, limits, over, folder, workspace)
                runs.append(run)
                annotate = f" | annotate {run.annotate_seconds:5.1f} s {run.annotate_peak_mib:5.0f} MiB" \
                    if run.annotate_seconds is not None else ""
                print(f"{case.key:22} {'vượt ' if over else 'trong'} {run.seconds:6.1f} s {run.peak_mib:6.0f} MiB "
                      f"exit {run.exit} {run.outcome:18}{annotate} {run.what}", flush=True)
    problems = [f"{r.case}: {r.seconds} s, {r.peak_mib} MiB, {r.outcome}; check --annotate {r.annotate_seconds} s, "
                f"{r.annotate_peak_mib} MiB" for r in runs
                if r.seconds > BUDGET_SECONDS or r.peak_mib > BUDGET_MIB
                or (r.annotate_seconds or 0) > BUDGET_SECONDS or (r.annotate_peak_mib or 0) > BUDGET_MIB
                or (not r.over and r.exit != 0)
                or (r.over and r.outcome != next(c.refused_over for c in CASES if c.key == r.case))]
    stamp = datetime.date.today().isoformat()
    result = {"date": stamp, "commit": _commit(), "cpus": os.cpu_count(), "load": os.getloadavg(),
              "limits": asdict(limits), "budget": {"seconds": BUDGET_SECONDS, "mib": BUDGET_MIB},
              "runs": [asdict(run) for run in runs], "problems": problems}
    target = ROOT / "bench" / "results" / f"limits-{stamp}-{result['commit']}.json"
    target.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"Kết quả: {target}")
    if not args.only and not args.no_doc:
        write_doc(table(runs, limits) + f"\n\n(Đo ngày {stamp}, commit {result['commit']}, {os.cpu_count()} lõi, "
                  f"tải trung bình lúc bắt đầu {vn_num(result['load'][0], 1)}; tệp kết quả "
                  f"`bench/results/{target.name}`.)")
        print(f"Đã ghi bảng vào {DOC.relative_to(ROOT)}")
    for line in problems:
        print(f"VƯỢT NGÂN SÁCH hoặc SAI KẾT QUẢ: {line}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
