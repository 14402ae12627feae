"""The common alternative to reportgen, measured on the same workbooks: docxtpl + LibreOffice.

What an office script usually does: read the figures with openpyxl, fill a Word
template with docxtpl (a ``{%tr for %}`` row loop for the indicator table), save
the .docx, and convert it to PDF with ``soffice --headless --convert-to pdf``.

    python bench/alternative.py template OUT.docx
        build the Word template with python-docx (placeholders and the row loop)
    python bench/alternative.py one TEMPLATE WORKBOOK OUT_DIR --profile DIR
        one report as a whole process: read, fill, save, convert
    python bench/alternative.py batch TEMPLATE OUT_DIR --profile DIR WORKBOOK...
        every workbook filled, then all converted in one soffice call; prints the two times as JSON

It does less than reportgen does — no validation, no assessment against the
plan, no narrative, no charts, no read-back check — so the comparison favours it.
Needs the bench extra (docxtpl) and LibreOffice; ``--profile`` is a LibreOffice
user profile of its own, so a soffice started elsewhere on the machine cannot
take the conversion over (or lock it out).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

INFO_SHEET, INDICATOR_SHEET, REMARK_SHEET = "Thông tin", "Chỉ tiêu", "Nhận định"
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
    finally:
        book.close()
    grown = sum(1 for row in indicators if row["ratio"] is not None and row["ratio"] > 100)
    return {"period": str(info.get("Kỳ báo cáo", "")).lower(), "indicators": indicators, "remarks": remarks,
            "count": len(indicators), "summary": f"{grown} chỉ tiêu tăng so với cùng kỳ"}


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
    return {**shown, "ratio": ratio, "change": vn_number(ratio)}


# -------------------------------------------------------------- fill, convert ----

def fill(template: Path, workbook: Path, out: Path) -> Path:
    from docxtpl import DocxTemplate

    context = read_figures(workbook)
    context.update(agency="ỦY BAN NHÂN DÂN", name="Ủy ban nhân dân", signer="CHỦ TỊCH")
    document = DocxTemplate(template)
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


def one(template: Path, workbook: Path, out_dir: Path, profile: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    convert([fill(template, workbook, out_dir / f"{workbook.stem}.docx")], out_dir, profile)


def batch(template: Path, workbooks: list[Path], out_dir: Path, profile: Path) -> dict[str, float]:
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    # Units' workbooks share a file name (2023-06.xlsx); their folder names the document.
    documents = [fill(template, workbook, out_dir / f"{workbook.parent.name}-{workbook.stem}.docx")
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
    many = commands.add_parser("batch")
    many.add_argument("template", type=Path)
    many.add_argument("out_dir", type=Path)
    many.add_argument("workbooks", type=Path, nargs="+")
    many.add_argument("--profile", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "template":
        build_template(args.out)
    elif args.command == "one":
        one(args.template, args.workbook, args.out_dir, args.profile)
    else:
        print(json.dumps(batch(args.template, args.workbooks, args.out_dir, args.profile)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
