"""Read back the PDFs reportgen writes: pages, text, fonts — fast.

The read-back check runs on every report, and pypdf's general text extraction
cost ~0.3–0.5 s per report (more than writing the PDF).  reportgen's PDFs all
come from reportlab and have one shape: objects with FlateDecode (optionally
ASCII85) streams, TrueType subsets addressed by single-byte codes, each with a
ToUnicode CMap.  This module reads exactly that shape from the file's bytes —
real bytes on disk, not the model — in a few milliseconds.  Anything outside
that shape raises :class:`UnsupportedPdf`, and the caller falls back to pypdf.
tests/test_pdftext.py checks that both readers find the same text.
"""

from __future__ import annotations

import base64
import re
import zlib
from functools import lru_cache
from dataclasses import dataclass

_REF = rb"(\d+) 0 R"
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_FONT_ENTRY = re.compile(rb"/(F[\w+.-]+)\s+" + _REF)
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|/[^\s/\[\]()<>]+|[A-Za-z'\"*]+")
"""The tokens the text operators need: strings, names and operators.  Numbers and array brackets are
never an operand the reader uses (a TJ array's strings are its operands), so the scan steps over them
inside the regular expression instead of handing each to the loop: most tokens of a page are the
numbers of its drawing."""


class UnsupportedPdf(ValueError):
    """The file is not in the shape this reader knows; use a general reader."""


@dataclass(frozen=True)
class PdfContents:
    pages: int
    text: str
    """The text of every page in order, pages separated by newlines."""
    unembedded_fonts: tuple[str, ...]


def read_pdf(data: bytes) -> PdfContents:
    if not data.startswith(b"%PDF-"):
        raise UnsupportedPdf("not a PDF")
    objects = _objects(data)
    pages = _pages_in_order(objects)
    if not pages:
        raise UnsupportedPdf("no pages")
    cmaps: dict[int, dict[int, str]] = {}
    text = "\n".join(_page_text(page, objects, cmaps) for page in pages)
    return PdfContents(len(pages), text, _unembedded(objects))


def _objects(data: bytes) -> dict[int, bytes]:
    """Every object's bytes, found through the cross-reference table (never by searching the
    binary streams, which may contain anything)."""
    start = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data)
    if not start or not data.startswith(b"xref", int(start.group(1))):
        raise UnsupportedPdf("no classic cross-reference table")
    section = data[int(start.group(1)):data.index(b"trailer", int(start.group(1)))]
    offsets: dict[int, int] = {}
    for header in re.finditer(rb"(\d+) (\d+)\s*\n", section):
        first, count = int(header.group(1)), int(header.group(2))
        entries = _XREF_ENTRY.findall(section, header.end(), header.end() + 20 * count + 20)[:count]
        offsets.update({first + i: int(offset) for i, (offset, _, used) in enumerate(entries) if used == b"n"})
        break  # reportlab writes one subsection
    # Each object ends where the next one in the file begins (the last one at the xref table).
    ends = sorted(offsets.values()) + [int(start.group(1))]
    following = dict(zip(ends, ends[1:]))
    return {number: data[offset:following[offset]] for number, offset in offsets.items()}


def _pages_in_order(objects: dict[int, bytes]) -> list[bytes]:
    """Pages in reading order: the page tree's /Kids, depth first, from the catalogue's /Pages."""
    catalogue = next((b for b in objects.values() if re.search(rb"/Type\s*/Catalog", _dictionary(b))), None)
    if catalogue is None:
        raise UnsupportedPdf("no catalogue")
    root = re.search(rb"/Pages\s+" + _REF, catalogue)
    pages: list[bytes] = []
    stack = [int(root.group(1))] if root else []
    while stack:
        body = _dictionary(objects[stack.pop()])
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
        if kids:
            stack.extend(reversed([int(ref) for ref in re.findall(_REF, kids.group(1))]))
        else:
            pages.append(body)
    return pages


def _dictionary(body: bytes) -> bytes:
    """An object's bytes up to its stream, if it has one."""
    cut = body.find(b"stream")
    return body if cut < 0 else body[:cut]


def _page_text(page: bytes, objects: dict[int, bytes], cmaps: dict[int, dict[int, str]]) -> str:
    fonts = _page_fonts(page, objects, cmaps)
    contents = re.search(rb"/Contents\s+(?:" + _REF + rb"|\[([^\]]*)\])", page)
    if not contents:
        return ""
    refs = [contents.group(1)] if contents.group(1) else re.findall(_REF, contents.group(2))
    return "".join(_show_text(_stream(objects[int(ref)]), fonts) for ref in refs)


def _page_fonts(page: bytes, objects: dict[int, bytes], cmaps: dict[int, dict[int, str]]) -> dict[bytes, dict[int, str]]:
    resources = page
    match = re.search(rb"/Resources\s+" + _REF, page)
    if match:
        resources = objects[int(match.group(1))]
    font_dict = re.search(rb"/Font\s*(?:" + _REF + rb"|<<(.*?)>>)", resources, re.S)
    if not font_dict:
        return {}
    entries = objects[int(font_dict.group(1))] if font_dict.group(1) else font_dict.group(2)
    fonts = {}
    for name, ref in _FONT_ENTRY.findall(entries):
        fonts[name] = _font_cmap(objects[int(ref)], objects, cmaps)
    return fonts


def _font_cmap(font: bytes, objects: dict[int, bytes], cmaps: dict[int, dict[int, str]]) -> dict[int, str]:
    match = re.search(rb"/ToUnicode\s+" + _REF, font)
    if not match:
        raise UnsupportedPdf("a font without a ToUnicode map")
    number = int(match.group(1))
    if number not in cmaps:
        cmaps[number] = _parse_cmap(_stream(objects[number]))
    return cmaps[number]


@lru_cache(maxsize=64)
def _parse_cmap(data: bytes) -> dict[int, str]:
    """A ToUnicode map as code → text.  Remembered by its bytes: reportlab writes the same maps for the
    font subsets every report shares (read-only: callers only look codes up)."""
    table: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, target in _BFCHAR.findall(block):
            table[int(code, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, start in _BFRANGE.findall(block):
            first = int(start, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[code] = chr(first + offset)
    return table


def _stream(body: bytes) -> bytes:
    header = _dictionary(body)
    at = body.find(b"stream")
    if at < 0:
        raise UnsupportedPdf("an object without a stream")
    begin = at + len(b"stream") + (2 if body[at + 6:at + 8] == b"\r\n" else 1)
    length = re.search(rb"/Length\s+(\d+)(?!\s+0\s+R)", header)
    if not length:
        raise UnsupportedPdf("a stream without a direct length")
    data = body[begin:begin + int(length.group(1))]
    names = re.search(rb"/Filter\s*(\[[^\]]*\]|/\w+)", header)
    for name in re.findall(rb"/(\w+)", names.group(1)) if names else []:
        if name == b"ASCII85Decode":
            data = base64.a85decode(data.strip().removeprefix(b"<~").removesuffix(b"~>"))
        elif name == b"FlateDecode":
            data = zlib.decompress(data)
        else:
            raise UnsupportedPdf(f"filter {name.decode()}")
    return data


def _show_text(content: bytes, fonts: dict[bytes, dict[int, str]]) -> str:
    """The text of the show operators (Tj, TJ, ', "), decoded through the current font's map."""
    out: list[str] = []
    operands: list[bytes] = []
    cmap: dict[int, str] = {}
    for token in _TOKEN.findall(content):
        if token[0] in _STRING_OR_NAME:
            operands.append(token)
        elif token in (b"Tj", b"'", b'"', b"TJ"):
            out.extend(_decode(_unescape(s[1:-1]), cmap) for s in operands if s[0] == 0x28)
            out.append("\n" if token in (b"'", b'"') else "")
            operands = []
        elif token == b"Tf":
            name = next((o[1:] for o in operands if o[0] == 0x2F), b"")
            cmap = fonts.get(name, {})
            operands = []
        elif token in (b"Td", b"TD", b"T*", b"Tm", b"ET"):
            out.append("\n")
            operands = []
        else:  # any other operator ends its operands
            operands = []
    return "".join(out)


_STRING_OR_NAME = frozenset(b"(/")
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_OCTAL = {format(n, form).encode(): bytes([n & 0xFF]) for form, top in (("o", 512), ("02o", 64), ("03o", 512))
          for n in range(top)}
"""Every octal escape body ("7", "07", "007" … "777") → its byte (the high bit beyond 8 dropped, as readers do)."""
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
"""Named escapes; any other escaped character ("(", ")", "\\") stands for itself."""


def _unescape(raw: bytes) -> bytes:
    if b"\\" not in raw:
        return raw
    # reportlab escapes every byte outside ASCII: a Vietnamese string is mostly escapes, so they are
    # looked up in tables rather than decoded one match at a time.
    parts = _ESCAPE.split(raw)
    parts[1::2] = [_OCTAL.get(body) or _ESCAPES.get(body, body) for body in parts[1::2]]
    return b"".join(parts)


def _decode(data: bytes, cmap: dict[int, str]) -> str:
    # Latin-1 maps each byte to the code point of the same number, which str.translate then looks up
    # in the font's map; a code the map lacks stays as that character.
    return data.decode("latin-1").translate(cmap)


def _unembedded(objects: dict[int, bytes]) -> tuple[str, ...]:
    missing = []
    for body in map(_dictionary, objects.values()):
        if re.search(rb"/Type\s*/FontDescriptor", body) and not re.search(rb"/FontFile[23]?\s", body):
            name = re.search(rb"/FontName\s*/([^\s/]+)", body)
            missing.append(name.group(1).decode() if name else "?")
    for body in map(_dictionary, objects.values()):
        if re.search(rb"/Type\s*/Font\b", body) and re.search(rb"/Subtype\s*/Type1\b", body) \
                and b"/FontDescriptor" not in body:
            name = re.search(rb"/BaseFont\s*/([^\s/]+)", body)
            missing.append(name.group(1).decode() if name else "?")
    return tuple(sorted(set(missing)))
