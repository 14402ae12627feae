"""How much the charts of the example report cost: imports, first drawing, warm drawing, PNG and PDF.

Run from the repository root:  .venv/bin/python bench/charts.py [--runs N] [--fresh N] [--json FILE]

- in fresh interpreters (median of --fresh): "import chart_raster" (it
  must stay cheap: Pillow is imported only when a chart is drawn), importing
  Pillow, then the first drawing of every chart as PNG (fonts opened, nothing
  else imported), then the first drawing of every chart as PDF vector graphics
  (reportlab's import not counted; registering DejaVu Sans counted); and
  whether matplotlib or numpy got imported at all;
- in this process (median of --runs): the warm cost per chart and for every chart,
  as PNG (:func:`chart_raster.render_chart`), and every chart drawn as
  vector graphics on a reportlab canvas and saved (fonts subset and embedded).

Times are printed, never asserted: the budgets are in issue 5 and bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

# One fresh interpreter: times the imports, then the first drawings, and prints them as JSON.
_FRESH = """
import importlib.util, json, sys, time
spec = importlib.util.spec_from_file_location("bench_charts", {bench!r})
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)
import reportlab.pdfgen.canvas, reportlab.platypus  # the PDF writer imports these anyway: not the charts' cost
charts_data = bench.example_charts()
start = time.perf_counter()
import chart_raster
imported = time.perf_counter()
import PIL.Image, PIL.ImageDraw, PIL.ImageFont
pillow = time.perf_counter()
for chart in charts_data:
    chart_raster.render_chart(chart)
png = time.perf_counter()
bench.pdf_bytes(charts_data)
pdf = time.perf_counter()
heavy = sorted({{m.split(".")[0] for m in sys.modules}} & {{"matplotlib", "numpy"}})
print(json.dumps({{"import": imported - start, "pillow": pillow - imported, "png": png - pillow, "pdf": pdf - png,
                  "heavy": heavy}}))
"""


def example_charts():
    """The example report's charts (plan, points, levels, projects), as the builder makes them."""
    from conftest import example_report

    from reportgen.domain.assess import assess
    from reportgen.document.charts_data import ChartWords, indicator_charts, project_chart

    report = example_report()
    words = ChartWords("% kế hoạch năm", "Thời gian đã qua: 50%", "Chênh lệch so với mục tiêu năm (điểm phần trăm)",
                       lambda unit: f"Số {unit}", "Cùng kỳ năm trước", lambda name: f"{name} (tốc độ tăng)",
                       "% khối lượng hoàn thành")
    return (*indicator_charts(assess(report), words), project_chart(report, "% khối lượng hoàn thành"))


def pdf_bytes(charts) -> bytes:
    """The charts drawn as vector graphics, two to a landscape page, the PDF saved (fonts embedded)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from reportgen.charts.compose import compose
    from reportgen.document.charts_data import chart_size_mm
    from reportgen.writers.pdf.vector_chart import ChartFlowable

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4), invariant=1)
    y = landscape(A4)[1] - 20 * mm
    for number, chart in enumerate(charts):
        width, height = (size * mm for size in chart_size_mm(chart))
        if number and number % 2 == 0:
            canvas.showPage()
            y = landscape(A4)[1] - 20 * mm
        y -= height
        ChartFlowable(compose(chart), width, height).drawOn(canvas, 20 * mm, y)
    canvas.save()
    return buffer.getvalue()


def fresh_runs(runs: int) -> list[dict]:
    code = _FRESH.format(bench=str(Path(__file__).resolve()))
    results = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
        results.append(json.loads(done.stdout))
    return results


def warm_times(runs: int) -> dict[str, float]:
    from chart_raster import render_chart

    charts = example_charts()
    plan, projects = charts[0], charts[-1]
    [render_chart(chart) for chart in charts], pdf_bytes(charts)  # imports and fonts are not "warm"
    times: dict[str, list[float]] = {"plan": [], "projects": [], "all": [], "pdf": []}
    for _ in range(runs):
        start = time.perf_counter()
        render_chart(plan)
        middle = time.perf_counter()
        render_chart(projects)
        end = time.perf_counter()
        for chart in charts:
            render_chart(chart)
        every = time.perf_counter()
        pdf_bytes(charts)
        pdf = time.perf_counter()
        times["plan"].append(middle - start)
        times["projects"].append(end - middle)
        times["all"].append(every - end)
        times["pdf"].append(pdf - every)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="warm drawings to take the median of")
    parser.add_argument("--fresh", type=int, default=5, help="fresh interpreters to take the median of")
    parser.add_argument("--json", type=Path, help="also write the figures (ms) to this file")
    args = parser.parse_args()

    fresh = fresh_runs(args.fresh)
    warm = warm_times(args.runs)
    rows = {
        "import chart_raster": statistics.median(r["import"] for r in fresh),
        "import Pillow (first chart pays it)": statistics.median(r["pillow"] for r in fresh),
        "first PNG, every chart (after Pillow)": statistics.median(r["png"] for r in fresh),
        "first PDF vectors, every chart (font registered)": statistics.median(r["pdf"] for r in fresh),
        "warm PNG: plan chart": warm["plan"],
        "warm PNG: projects chart": warm["projects"],
        "warm PNG: every chart": warm["all"],
        "warm PDF vectors: every chart": warm["pdf"],
    }
    print(f"{'measure':<44}{'median ms':>10}")
    for name, seconds in rows.items():
        print(f"{name:<44}{seconds * 1000:>10.1f}")
    heavy = sorted({module for r in fresh for module in r["heavy"]})
    print(f"matplotlib or numpy imported while drawing: {', '.join(heavy) if heavy else 'neither'}")
    if args.json:
        figures = {name: round(seconds * 1000, 2) for name, seconds in rows.items()}
        args.json.write_text(json.dumps({"ms": figures, "heavy_imports": heavy}, ensure_ascii=False, indent=2),
                             encoding="utf-8")


if __name__ == "__main__":
    main()
