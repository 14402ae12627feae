"""The common alternative to reportgen, measured on the same workbooks: docxtpl + LibreOffice.

What an office script usually does: read the figures with openpyxl, fill a Word
template with docxtpl (a ``{%tr for %}`` row loop for the indicator table), save
the .docx, and convert it to PDF with ``soffice --headless --convert-to pdf``.
With ``--charts`` it also draws the report's two charts the usual way —
matplotlib's pyplot, PNGs placed with docxtpl's ``InlineImage`` — so that it
makes the same kind of report reportgen makes: table, remarks and both charts.

    python bench/alternative.py template OUT.docx
        build the Word template with python-docx (placeholders, the row loop, the two chart places)
    python bench/alternative.py one TEMPLATE WORKBOOK OUT_DIR --profile DIR [--charts]
        one report as a whole process: read, (draw,) fill, save, convert
    python bench/alternative.py batch TEMPLATE OUT_DIR --profile DIR [--charts] WORKBOOK...
        every workbook filled, then all converted in one soffice call; prints the two times as JSON

Even with its charts it does less than reportgen does — no validation, no
assessment against the plan's wording, no narrative, no read-back check — so the
comparison favours it.  Needs the bench extra (docxtpl, matplotlib) and
LibreOffice; ``--profile`` is a LibreOffice user profile of its own, so a
soffice started elsewhere on the machine cannot take the conversion over (or
lock it out).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

INFO_SHEET, INDICATOR_SHEET, REMARK_SHEET, PROJECT_SHEET = "Thông tin", "Chỉ tiêu", "Nhận định", "Công trình"
COLUMNS = {"Mã": "code", "Chỉ tiêu": "name", "ĐVT": "unit", "Kế hoạch năm": "target", "Lũy kế": "value",
           "Cùng kỳ năm trước": "same_period"}
"""Header text in the workbook → the name the template uses."""
TABLE_HEADERS = ("Mã", "Chỉ tiêu", "ĐVT", "Kế hoạch năm", "Thực hiện", "Cùng kỳ", "So cùng kỳ (%)")
TABLE_FIELDS = ("code", "name", "unit", "target", "value", "same_period", "change")


# ---------------------------------------------------------------- template ----

def build_template(path: Path) -> Path:
    """A one-page report template: heading, summary, remarks, the indicator table, signature."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    for text, bold in (("{{ agency }}", True), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
                       ("Độc lập - Tự do - Hạnh phúc", False), ("BÁO CÁO", True),
                       ("Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội {{ period }}", True)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = bold
    document.add_paragraph("{{ name }} báo cáo kết quả thực hiện {{ count }} chỉ tiêu, {{ summary }}.")
    document.add_paragraph("{%p for remark in remarks %}")
    document.add_paragraph("- {{ remark.section }}: {{ remark.text }}")
    document.add_paragraph("{%p endfor %}")
    _indicator_table(document)
    document.add_paragraph("{{ plan_chart }}")
    document.add_paragraph("{{ project_chart }}")
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.add_run("{{ signer }}").bold = True
    document.save(path)
    return path


def _indicator_table(document) -> None:
    """Header row, then the loop: docxtpl repeats the middle row once per indicator."""
    table = document.add_table(rows=4, cols=len(TABLE_HEADERS))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, TABLE_HEADERS):
        cell.paragraphs[0].add_run(header).bold = True
    table.rows[1].cells[0].text = "{%tr for row in indicators %}"
    for cell, field in zip(table.rows[2].cells, TABLE_FIELDS):
        cell.text = f"{{{{ row.{field} }}}}"
    table.rows[3].cells[0].text = "{%tr endfor %}"


# ----------------------------------------------------------------- figures ----

def vn_number(value) -> str:
    """8.000 and 83,1: thousands with dots, decimals with a comma, as the Vietnamese reports write them."""
    if value is None or value == "":
        return "-"
    if not isinstance(value, (int, float, Decimal)):
        return str(value)
    text = f"{Decimal(str(value)).normalize():,f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def read_figures(workbook: Path) -> dict:
    """The template's context from the workbook: the Thông tin pairs, the indicator rows, the remarks."""
    from openpyxl import load_workbook

    book = load_workbook(workbook, read_only=True, data_only=True)
    try:
        info = {str(row[0]): row[1] for row in book[INFO_SHEET].iter_rows(values_only=True) if row and row[0]}
        indicators = [_indicator(row) for row in _records(book[INDICATOR_SHEET], "Mã")]
        remarks = [{"section": r.get("Phần") or "", "text": r.get("Nội dung") or ""}
                   for r in _records(book[REMARK_SHEET], "Phần")] if REMARK_SHEET in book.sheetnames else []
        projects = [(str(r.get("Mã") or ""), r.get("Tiến độ (%)")) for r in _records(book[PROJECT_SHEET], "Mã")
                    ] if PROJECT_SHEET in book.sheetnames else []
    finally:
        book.close()
    grown = sum(1 for row in indicators if row["ratio"] is not None and row["ratio"] > 100)
    return {"period": str(info.get("Kỳ báo cáo", "")).lower(), "indicators": indicators, "remarks": remarks,
            "count": len(indicators), "summary": f"{grown} chỉ tiêu tăng so với cùng kỳ",
            "projects": [(code, float(p)) for code, p in projects if isinstance(p, (int, float))]}


def _records(sheet, first_header: str) -> list[dict]:
    """The rows under the header row (the first row whose first cell is ``first_header``), as header → value."""
    rows = sheet.iter_rows(values_only=True)
    for row in rows:
        if row and row[0] == first_header:
            headers = [str(h) if h is not None else "" for h in row]
            break
    else:
        return []
    return [dict(zip(headers, row)) for row in rows if row and row[0] not in (None, "")]


def _indicator(record: dict) -> dict:
    row = {key: record.get(header) for header, key in COLUMNS.items()}
    value, same = row["value"], row["same_period"]
    ratio = None
    if isinstance(value, (int, float)) and isinstance(same, (int, float)) and same:
        ratio = round(Decimal(str(value)) * 100 / Decimal(str(same)), 2)
    shown = {key: vn_number(item) if key in ("value", "same_period") else (item or "") for key, item in row.items()}
    return {**shown, "ratio": ratio, "change": vn_number(ratio), "of_plan": _of_plan(value, row["target"])}


def _of_plan(value, target) -> float | None:
    """Value as % of the first number in the target text ("trên 13%", "600 lao động trở lên"), as a script would."""
    text = str(target or "")
    found = re.search(r"\d+(?:[.,]\d+)*", text)
    if not found or not isinstance(value, (int, float)) or text.startswith(("tăng", "giảm", "không")):
        return None  # a growth or reduction target is not a level the value can be a share of
    text = found.group()
    number = float(text.replace(".", "").replace(",", ".")) if "," in text or text.count(".") > 1 else float(text)
    return round(float(value) * 100 / number, 1) if number else None


# ------------------------------------------------------------------ charts ----

PLAN_CHART_MM, PROJECT_CHART_MM, CHART_DPI = (240, 92), (240, 46), 200
"""The sizes and resolution reportgen places its two charts at."""


def draw_charts(context: dict, folder: Path, stem: str) -> dict[str, Path]:
    """The two charts as PNG files: each indicator's % of plan, each project's progress (pyplot, Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plan = [(row["code"], row["of_plan"]) for row in context["indicators"] if row["of_plan"] is not None]
    charts = {"plan_chart": (PLAN_CHART_MM, plan, "% kế hoạch năm"),
              "project_chart": (PROJECT_CHART_MM, context["projects"], "Tiến độ (%)")}
    paths = {}
    for name, ((width_mm, height_mm), points, label) in charts.items():
        figure, axes = plt.subplots(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=CHART_DPI)
        labels, values = [code for code, _ in points], [value for _, value in points]
        axes.barh(labels, values, color="#4472c4")
        axes.set_xlabel(label)
        axes.invert_yaxis()
        for y, value in enumerate(values):
            axes.annotate(vn_number(value), (value, y), xytext=(3, 0), textcoords="offset points", va="center",
                          fontsize=7)
        figure.tight_layout()
        paths[name] = folder / f"{stem}-{name}.png"
        figure.savefig(paths[name])
        plt.close(figure)
    return paths


# -------------------------------------------------------------- fill, convert ----

def fill(template: Path, workbook: Path, out: Path, charts: bool = False) -> Path:
    from docxtpl import DocxTemplate, InlineImage
    from docx.shared import Mm

    context = read_figures(workbook)
    context.update(agency="ỦY BAN NHÂN DÂN", name="Ủy ban nhân dân", signer="CHỦ TỊCH", plan_chart="",
                   project_chart="")
    document = DocxTemplate(template)
    if charts:
        sizes = {"plan_chart": PLAN_CHART_MM, "project_chart": PROJECT_CHART_MM}
        for name, png in draw_charts(context, out.parent, out.stem).items():
            context[name] = InlineImage(document, str(png), width=Mm(sizes[name][0] * 0.7))
    document.render(context)
    document.save(out)
    return out


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(documents: list[Path], out_dir: Path, profile: Path) -> list[Path]:
    """All ``documents`` to PDF in one LibreOffice start; raises when one did not come out."""
    command = [soffice() or "soffice", f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
               "--norestore", "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, documents)]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    pdfs = [out_dir / f"{document.stem}.pdf" for document in documents]
    missing = [pdf.name for pdf in pdfs if not pdf.is_file()]
    if missing:
        raise SystemExit(f"soffice wrote no PDF for {', '.join(missing[:5])}")
    return pdfs


def one(template: Path, workbook: Path, out_dir: Path, profile: Path, charts: bool = False) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    convert([fill(template, workbook, out_dir / f"{workbook.stem}.docx", charts)], out_dir, profile)


def batch(template: Path, workbooks: list[Path], out_dir: Path, profile: Path, charts: bool = False
          ) -> dict[str, float]:
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    # Units' workbooks share a file name (2023-06.xlsx); their folder names the document.
    documents = [fill(template, workbook, out_dir / f"{workbook.parent.name}-{workbook.stem}.docx", charts)
                 for workbook in workbooks]
    filled = time.perf_counter()
    convert(documents, out_dir, profile)
    return {"fill_seconds": filled - start, "convert_seconds": time.perf_counter() - filled,
            "documents": len(documents)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("template").add_argument("out", type=Path)
    single = commands.add_parser("one")
    for name in ("template", "workbook", "out_dir"):
        single.add_argument(name, type=Path)
    single.add_argument("--profile", type=Path, required=True)
    single.add_argument("--charts", action="store_true", help="draw the two charts (matplotlib) too")
    many = commands.add_parser("batch")
    many.add_argument("template", type=Path)
    many.add_argument("out_dir", type=Path)
    many.add_argument("workbooks", type=Path, nargs="+")
    many.add_argument("--profile", type=Path, required=True)
    many.add_argument("--charts", action="store_true", help="draw the two charts (matplotlib) too")
    args = parser.parse_args(argv)
    if args.command == "template":
        build_template(args.out)
    elif args.command == "one":
        one(args.template, args.workbook, args.out_dir, args.profile, args.charts)
    else:
        print(json.dumps(batch(args.template, args.workbooks, args.out_dir, args.profile, args.charts)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
