"""The reader's limits, measured: for each, the largest workbook that passes it, its time and peak memory.

    .venv/bin/python bench/limits.py                 # every limit: about 5 minutes on 2 cores
    .venv/bin/python bench/limits.py --only rows text

For each limit of ``[limits]`` (reportgen/workbook/limits.py) it builds the
largest workbook that passes it — every other limit at its default — and one
just over it, runs the real command on each (``python -m reportgen generate
FILE --out DIR`` in a fresh working folder, Word and PDF), and records the
exit status, the wall time and the peak memory of the whole process tree
(the command and the child that writes the PDF, summed, sampled from /proc
every 20 ms, never below the kernel's high-water mark of the largest one).
A last workbook is at every limit at once.  The budget (issue 13) is 60 s and
1 GiB on the 2-core machine: a workbook that passes the limits must end in
a report or a message within it; one over a limit must be refused, naming it.

The figures go to ``bench/results/limits-<date>-<commit>.json``, and the table
of docs/operations.md ("Giới hạn an toàn") is rewritten from them between its
markers.  The defaults of reportgen/workbook/limits.py were chosen from these
figures, with room for a machine twice as slow (docs/operations.md says how).

Workbooks are written as SpreadsheetML text over the bundled example's parts
(openpyxl would take minutes to write the biggest).
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from procs import RssSampler, run_measured  # noqa: E402
from reportgen.plan import example_book  # noqa: E402
from reportgen.workbook import schema  # noqa: E402
from reportgen.vnformat import vn_num  # noqa: E402
from reportgen.workbook.limits import MB, Limits  # noqa: E402

BUDGET_SECONDS = 60
BUDGET_MIB = 1024
EXAMPLE = ROOT / "inputs" / "2023-06.xlsx"
DOC = ROOT / "docs" / "operations.md"
BEGIN, END = "<!-- bảng giới hạn: bench/limits.py -->", "<!-- hết bảng giới hạn -->"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SENTENCE = ("Tình hình sản xuất nông nghiệp trên địa bàn ổn định; các hợp tác xã mở rộng diện tích trồng quế, "
            "hồi và chè, giá trị thu hoạch tăng so với cùng kỳ. ")


# ------------------------------------------------------------ the workbooks --

def _members() -> dict[str, bytes]:
    with zipfile.ZipFile(EXAMPLE) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _part(title: str, members: dict[str, bytes]) -> str:
    with zipfile.ZipFile(EXAMPLE) as archive:
        from reportgen.workbook.formulas import sheet_parts

        return sheet_parts(archive)[title]


def _zip(members: dict[str, bytes], stored: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body, zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _number_cell(ref: str, value: float) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


def _letter(column: int) -> str:
    from reportgen.workbook.cells import column_letter

    return column_letter(column)


def _sheet(rows: list[str], tail: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN_NS}"><sheetData>'
            + "".join(rows) + f"</sheetData>{tail}</worksheet>").encode("utf-8")


def _header_row(columns: tuple[schema.Column, ...]) -> str:
    return '<row r="3">' + "".join(_text_cell(f"{_letter(i)}3", c.header) for i, c in enumerate(columns, 1)) + "</row>"


def _indicator_rows(count: int, text_per_row: int = 0, extra_cells: int = 0, first: int = 4,
                    serial: int = 0) -> list[str]:
    """``count`` indicators cycled from the example's (codes made unique); each name and note lengthened
    to ``text_per_row`` characters between them; ``extra_cells`` figures after the schema's columns."""
    base = example_book().indicators
    keys = [column.key for column in schema.INDICATOR_COLUMNS]
    rng = random.Random(count)
    rows = []
    for index in range(count):
        source = base[index % len(base)]
        number = first + index
        cells = []
        for position, key in enumerate(keys, 1):
            value = source.get(key)
            if key == "code":
                value = f"{source['code']}-{serial + index:05d}"
            elif key == "name" and text_per_row:
                value = (str(value) + " " + SENTENCE * 9)[:min(schema.NAME_CHARS, text_per_row // 2)]
            elif key == "note" and text_per_row:
                value = (SENTENCE * (text_per_row // len(SENTENCE) + 1))[:text_per_row - min(schema.NAME_CHARS,
                                                                                             text_per_row // 2)]
            if value is None or value == "" or value is False:
                continue
            ref = f"{_letter(position)}{number}"
            if value is True:
                cells.append(_text_cell(ref, "x"))
            elif key in ("baseline", "month_value", "value", "same_period", "growth"):
                figure = float(value) * rng.uniform(0.9, 1.1)
                cells.append(_number_cell(ref, round(min(figure, 100) if source["unit"] == "%" else figure, 3)))
            else:
                cells.append(_text_cell(ref, str(getattr(value, "value", value))))
        for extra in range(extra_cells):
            cells.append(_number_cell(f"{_letter(len(keys) + 2 + extra)}{number}", extra + 0.5))
        rows.append(f'<row r="{number}">' + "".join(cells) + "</row>")
    return rows


def _with_indicators(rows: list[str], members: dict[str, bytes] | None = None) -> bytes:
    members = dict(members or _members())
    members[_part(schema.INDICATORS, members)] = _sheet([_header_row(schema.INDICATOR_COLUMNS), *rows])
    return _zip(members)


def _text_per_row(limits: Limits, rows: int) -> int:
    """Characters of name and note per indicator that keep the workbook's text under max_text_chars
    (the other text cells of a row take about 70; the rest of the workbook about 30,000)."""
    return max(0, min(400, (limits.max_text_chars - 30_000) // max(rows, 1) - 70))


def rows_book(limits: Limits, over: bool) -> tuple[bytes, str]:
    count = limits.max_rows + (1 if over else 0)
    text = _text_per_row(limits, count)
    return _with_indicators(_indicator_rows(count, text_per_row=text)), \
        f"{vn_num(count, 0)} chỉ tiêu, mỗi chỉ tiêu tên và ghi chú dài {text} ký tự"


def _extra_cells(limits: Limits, rows: int) -> int:
    """Figures to add to each indicator to bring the workbook within 1% of max_cells (the rest of the
    example holds about 150 cells)."""
    per_row = sum(row.count("<c ") for row in _indicator_rows(rows)) / max(rows, 1)
    return max(0, int((limits.max_cells * 0.99 - 150) / max(rows, 1) - per_row))


def cells_book(limits: Limits, over: bool) -> tuple[bytes, str]:
    """max_rows indicators, each widened with figures in columns the template does not have, up to
    max_cells in all (the rest of the example holds about 150 cells)."""
    rows = limits.max_rows
    extra = _extra_cells(limits, rows)
    data = _indicator_rows(rows, extra_cells=extra)
    cells = sum(row.count("<c ") for row in data)
    if over:  # 1% more than the limit, in one more row
        more = limits.max_cells // 100 + (limits.max_cells - cells)
        data.append(f'<row r="{4 + rows}">' + "".join(_number_cell(f"{_letter(c)}{4 + rows}", 1)
                                                      for c in range(20, 20 + more)) + "</row>")
        cells += more
    return _with_indicators(data), f"{vn_num(rows, 0)} chỉ tiêu, {vn_num(cells, 0)} ô có giá trị"


def text_book(limits: Limits, over: bool) -> tuple[bytes, str]:
    members = _members()
    per_cell = limits.max_cell_chars
    total = limits.max_text_chars - 20_000 + (40_000 if over else 0)  # the example's own text, about
    count = max(1, total // per_cell)
    text = (SENTENCE * (per_cell // len(SENTENCE) + 1))[:per_cell]
    rows = [_header_row(schema.REMARK_COLUMNS)]
    for index in range(count):
        unique = f"{index:05d} " + text[6:]  # distinct cells, as staff paragraphs are
        rows.append(f'<row r="{4 + index}">' + _text_cell(f"A{4 + index}", "Kinh tế")
                    + _text_cell(f"B{4 + index}", unique) + "</row>")
    members[_part(schema.REMARKS, members)] = _sheet(rows)
    return _zip(members), f"{count} đoạn nhận định × {vn_num(per_cell, 0)} ký tự = {vn_num(count * per_cell, 0)} ký tự"


def _add_part(members: dict[str, bytes], name: str, content_type: str, rel_type: str) -> None:
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'.encode())
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", f'<Relationship Id="rIdBench{len(members)}" Type="{rel_type}" '
                             f'Target="{name.removeprefix("xl/")}"/></Relationships>'.encode())


def _with_strings(members: dict[str, bytes], count: int, room: float) -> str:
    """Add a shared-string table of ``count`` entries taking about ``room`` bytes; what it holds."""
    length = max(10, int(room / count) - len("<si><t></t></si>") - 8)
    filler = SENTENCE.encode("utf-8")[:length].decode("utf-8", "ignore")
    items = "".join(f"<si><t>{index} {filler}</t></si>" for index in range(count))
    members["xl/sharedStrings.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}" count="{count}" '
                                       f'uniqueCount="{count}">{items}</sst>').encode("utf-8")
    _add_part(members, "xl/sharedStrings.xml",
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
              "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings")
    size = len(members["xl/sharedStrings.xml"]) / MB
    return f"{vn_num(count, 0)} chuỗi chữ ({len(filler)} ký tự mỗi chuỗi, bảng chuỗi {vn_num(size, 0)} MB)"


def strings_book(limits: Limits, over: bool) -> tuple[bytes, str]:
    """A shared-string table of max_strings entries, each as long as max_uncompressed_mb lets them be."""
    members = _members()
    room = limits.max_uncompressed_mb * MB * 0.9 - sum(len(body) for body in members.values())
    what = _with_strings(members, limits.max_strings + (1 if over else 0), room)
    return _zip(members), what


def styles_book(limits: Limits, over: bool) -> tuple[bytes, str]:
    members = _members()
    source = members["xl/styles.xml"].decode("utf-8")
    present = source.count("<xf ") + source.count("<font>") + source.count("<font ") + source.count("<fill>") \
        + source.count("<border>") + source.count("<numFmt ") + source.count("<cellStyle ") + source.count("<dxf>")
    wanted = limits.max_styles - present + (1 if over else 0)
    fonts, xfs = wanted // 2, wanted - wanted // 2
    font_xml = "".join(f'<font><sz val="{8 + i % 20}"/><name val="Times New Roman"/></font>' for i in range(fonts))
    xf_xml = "".join(f'<xf numFmtId="0" fontId="{i % max(fonts, 1)}" fillId="0" borderId="0" applyFont="1"/>'
                     for i in range(xfs))
    source = source.replace("</fonts>", font_xml + "</fonts>", 1).replace("</cellXfs>", xf_xml + "</cellXfs>", 1)
    members["xl/styles.xml"] = source.encode("utf-8")
    return _zip(members), f"{vn_num(limits.max_styles + (1 if over else 0), 0)} định dạng trong styles.xml"


def unpacked_book(limits: Limits, over: bool) -> tuple[bytes, str]:
    """The indicators, then formatted empty cells down to one last indicator: every byte of the sheet is
    parsed, and none of it counts against max_cells or max_rows."""
    members = _members()
    budget = limits.max_uncompressed_mb * MB - sum(len(body) for body in members.values()) - 64 * 1024
    budget += 2 * 64 * 1024 if over else 0
    rows = _indicator_rows(len(example_book().indicators))
    empty, number, used = [], 4 + len(rows), 0
    cell = '<c r="{ref}" s="1"/>'
    while used < budget:
        row = f'<row r="{number}">' + "".join(cell.format(ref=f"{_letter(c)}{number}") for c in range(1, 51)) + "</row>"
        empty.append(row)
        used += len(row)
        number += 1
    last = _indicator_rows(1, first=number, serial=len(rows))
    members[_part(schema.INDICATORS, members)] = _sheet([_header_row(schema.INDICATOR_COLUMNS), *rows, *empty, *last])
    unpacked = sum(len(body) for body in members.values())
    return _zip(members), f"{vn_num(unpacked / MB, 1)} MB giải nén: {vn_num(number - 4 - len(rows), 0)} dòng ô trống có định dạng, " \
                          "rồi một chỉ tiêu"


def _ratio_rows(size: int, noise: float) -> str:
    rng = random.Random(7)
    row_chars = 4000
    body = io.StringIO()
    while body.tell() < size:
        random_part = "".join(rng.choice("0123456789abcdef") for _ in range(int(row_chars * noise)))
        body.write('<row><c t="inlineStr"><is><t>' + random_part + "x" * (row_chars - len(random_part))
                   + "</t></is></c></row>")
    return body.getvalue()


def ratio_book(limits: Limits, over: bool) -> tuple[bytes, str]:
    """A part that expands as much as the limit allows (a hidden sheet, never read), as large as
    max_uncompressed_mb allows: only the probe's checks touch it."""
    import zlib

    members = _members()
    target = limits.max_compression_ratio * (1.03 if over else 0.97)
    noise = 2 / target
    for _ in range(6):  # the share of random text that gives the target ratio, found on a sample
        sample = _ratio_rows(4 * MB, noise).encode()
        ratio = len(sample) / len(zlib.compress(sample, 6))
        noise *= ratio / target
    name = "xl/worksheets/sheet99.xml"
    members[name] = _sheet([_ratio_rows(int(limits.max_uncompressed_mb * MB * 0.8), noise)])
    members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(
        b"</sheets>", '<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                      'name="Dữ liệu ẩn" sheetId="99" state="hidden" r:id="rIdBench99"/></sheets>'.encode())
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/worksheets/sheet99.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.spreadsheetml.worksheet+xml"/></Types>')
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdBench99" Type="http://schemas.openxmlformats.org/officeDocument/'
                             b'2006/relationships/worksheet" Target="worksheets/sheet99.xml"/></Relationships>')
    data = _zip(members)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    return data, f"một sheet ẩn {vn_num(info.file_size / MB, 0)} MB nén còn {vn_num(info.compress_size / MB, 2)} MB " \
                 f"(gấp {vn_num(info.file_size / info.compress_size, 0)} lần)"


def file_book(limits: Limits, over: bool) -> tuple[bytes, str]:
    """The example with a picture that does not compress, the file just under (or over) the limit."""
    members = _members()
    base = len(_zip(members))
    size = limits.max_file_mb * MB - base - 4096 + (2 * 4096 + MB // 10 if over else 0)
    members["xl/media/image1.png"] = random.Random(1).randbytes(max(size, 0))
    data = _zip(members, stored=("xl/media/image1.png",))
    return data, f"tệp {vn_num(len(data) / MB, 1)} MB (một ảnh không nén được)"


def all_book(limits: Limits, over: bool) -> tuple[bytes, str]:
    """At every limit at once: rows with their text, cells, styles, and the shared strings in the room
    left under max_uncompressed_mb (the largest file that passes them all)."""
    count = limits.max_rows
    text = _text_per_row(limits, count)
    extra = _extra_cells(limits, count)
    members = _members()
    members["xl/styles.xml"] = zipfile.ZipFile(io.BytesIO(styles_book(limits, over)[0])).read("xl/styles.xml")
    rows = _indicator_rows(count, text_per_row=text, extra_cells=extra)
    cells = sum(row.count("<c ") for row in rows)
    members[_part(schema.INDICATORS, members)] = _sheet([_header_row(schema.INDICATOR_COLUMNS), *rows])
    room = limits.max_uncompressed_mb * MB * 0.95 - sum(len(body) for body in members.values())
    strings = _with_strings(members, limits.max_strings, room)
    unpacked = sum(len(body) for body in members.values()) / MB
    return _zip(members), f"{vn_num(count, 0)} chỉ tiêu, {vn_num(cells, 0)} ô, chữ {text} ký tự mỗi dòng, {strings}, " \
                          f"{vn_num(limits.max_styles, 0)} định dạng; {vn_num(unpacked, 0)} MB giải nén"


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
    size = path.stat().st_size
    path.unlink()
    return Run(case.key, over, what, round(size / MB, 1), measured.returncode, round(measured.seconds, 1),
               round(_tree_peak(sampler)), outcome)


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
    lines = ["| giới hạn | mặc định | tệp lớn nhất lọt qua | thời gian | bộ nhớ đỉnh | vượt giới hạn một chút |",
             "|---|---|---|---|---|---|"]
    for run in [r for r in runs if not r.over]:
        over = next((r for r in runs if r.over and r.case == run.case), None)
        default = vn_num(getattr(limits, run.case), 0) if run.case != "all" else "—"
        result = "" if run.outcome == "báo cáo" else f" ({run.outcome})"
        refused = (f"`{over.outcome}` sau {vn_num(over.seconds, 1)} s, {vn_num(over.peak_mib, 0)} MiB"
                   if over else "—")
        lines.append(f"| {_LABELS[run.case]} | {default} | {run.what}{result} | {vn_num(run.seconds, 1)} s | "
                     f"{vn_num(run.peak_mib, 0)} MiB | {refused} |")
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
                print(f"{case.key:22} {'vượt ' if over else 'trong'} {run.seconds:6.1f} s {run.peak_mib:6.0f} MiB "
                      f"exit {run.exit} {run.outcome:18} {run.what}", flush=True)
    problems = [f"{r.case}: {r.seconds} s, {r.peak_mib} MiB, {r.outcome}" for r in runs
                if r.seconds > BUDGET_SECONDS or r.peak_mib > BUDGET_MIB
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
