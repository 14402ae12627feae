"""The workbooks bench/limits.py measures: for each limit, the largest that passes it (or one just over).

Written as SpreadsheetML text over the bundled example's parts (openpyxl would take minutes to write
the biggest).  Each builder takes the limits and whether to go just over them, and returns the bytes
and a description in Vietnamese for the table of docs/operations.md.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from reportgen.domain.plan import example_book
from reportgen.core.vnformat import vn_num
from reportgen.workbook import list_columns, schema
from reportgen.workbook.read.raw_cell import column_letter
from reportgen.workbook.read.formulas import sheet_parts
from reportgen.settings.limits import MB, Limits

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "2023-06.xlsx"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SENTENCE = ("Tình hình sản xuất nông nghiệp trên địa bàn ổn định; các hợp tác xã mở rộng diện tích trồng quế, "
            "hồi và chè, giá trị thu hoạch tăng so với cùng kỳ. ")


def _members() -> dict[str, bytes]:
    with zipfile.ZipFile(EXAMPLE) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _part(title: str, members: dict[str, bytes]) -> str:
    with zipfile.ZipFile(EXAMPLE) as archive:
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
    keys = [column.key for column in list_columns.INDICATOR_COLUMNS]
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
    members[_part(schema.INDICATORS, members)] = _sheet([_header_row(list_columns.INDICATOR_COLUMNS), *rows])
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
    rows = [_header_row(list_columns.REMARK_COLUMNS)]
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
    members[_part(schema.INDICATORS, members)] = _sheet([_header_row(list_columns.INDICATOR_COLUMNS), *rows, *empty, *last])
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
    members[_part(schema.INDICATORS, members)] = _sheet([_header_row(list_columns.INDICATOR_COLUMNS), *rows])
    room = limits.max_uncompressed_mb * MB * 0.95 - sum(len(body) for body in members.values())
    strings = _with_strings(members, limits.max_strings, room)
    unpacked = sum(len(body) for body in members.values()) / MB
    return _zip(members), f"{vn_num(count, 0)} chỉ tiêu, {vn_num(cells, 0)} ô, chữ {text} ký tự mỗi dòng, {strings}, " \
                          f"{vn_num(limits.max_styles, 0)} định dạng; {vn_num(unpacked, 0)} MB giải nén"
