"""How much the two charts of the example report cost: first import, first drawing, warm drawing.

Run from the repository root:  .venv/bin/python bench/charts.py [--runs N]

- "import reportgen.charts" is measured in fresh interpreters (it must stay
  cheap: matplotlib is imported only when a chart is drawn);
- "first charts" is the first drawing of both charts in a fresh interpreter,
  which pays for importing matplotlib, numpy and Pillow and opening the fonts;
- "warm" is the median of N drawings in one process, per chart and for both.

Times are printed, never asserted: the budgets are in issue 5 and bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

# One fresh interpreter: times the import, then the first drawing of each chart, and prints them as JSON.
_FRESH = """
import json, sys, time
sys.path[:0] = [{root!r}, {tests!r}]
from conftest import example_report
from reportgen.assess import assess
from reportgen.document.charts_data import plan_chart, project_chart
start = time.perf_counter()
import reportgen.charts
imported = time.perf_counter()
loaded = "matplotlib" in sys.modules
report = example_report()
charts = [plan_chart(assess(report), "% kế hoạch năm", "Thời gian đã qua: 50%"),
          project_chart(report, "% khối lượng hoàn thành")]
begin = time.perf_counter()
for chart in charts:
    reportgen.charts.render_chart(chart)
drawn = time.perf_counter()
print(json.dumps({{"import": imported - start, "first": drawn - begin, "matplotlib_at_import": loaded}}))
"""


def fresh_runs(runs: int) -> list[dict]:
    code = _FRESH.format(root=str(ROOT), tests=str(ROOT / "tests"))
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
        results.append(json.loads(out))
    return results


def example_charts():
    from conftest import example_report

    from reportgen.assess import assess
    from reportgen.document.charts_data import plan_chart, project_chart

    report = example_report()
    return (plan_chart(assess(report), "% kế hoạch năm", "Thời gian đã qua: 50%"),
            project_chart(report, "% khối lượng hoàn thành"))


def warm_times(runs: int) -> dict[str, float]:
    from reportgen.charts import render_chart

    plan, projects = example_charts()
    render_chart(plan), render_chart(projects)  # imports and font loading are not part of "warm"
    times: dict[str, list[float]] = {"plan": [], "projects": [], "both": []}
    for _ in range(runs):
        start = time.perf_counter()
        render_chart(plan)
        middle = time.perf_counter()
        render_chart(projects)
        end = time.perf_counter()
        times["plan"].append(middle - start)
        times["projects"].append(end - middle)
        times["both"].append(end - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="warm drawings to take the median of")
    parser.add_argument("--fresh", type=int, default=5, help="fresh interpreters to take the median of")
    args = parser.parse_args()

    fresh = fresh_runs(args.fresh)
    warm = warm_times(args.runs)
    rows = [
        ("import reportgen.charts", statistics.median(r["import"] for r in fresh)),
        ("first charts (imports matplotlib)", statistics.median(r["first"] for r in fresh)),
        ("warm: plan chart", warm["plan"]),
        ("warm: projects chart", warm["projects"]),
        ("warm: both charts", warm["both"]),
    ]
    print(f"{'measure':<36}{'median ms':>10}")
    for name, seconds in rows:
        print(f"{name:<36}{seconds * 1000:>10.1f}")
    print(f"matplotlib imported by 'import reportgen.charts': {any(r['matplotlib_at_import'] for r in fresh)}")


if __name__ == "__main__":
    main()
