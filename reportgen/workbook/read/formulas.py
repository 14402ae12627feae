"""Which formula cells carry no calculated value.

Excel stores a formula together with its last result (``<c><f>…</f><v>42</v></c>``).
A workbook written by a program (openpyxl, a web export) and never opened in
Excel has the formula but no result, and the report would silently miss the
figure.  openpyxl cannot tell us: with ``data_only=True`` such a cell reads as
None, like a blank one, and with ``data_only=False`` it reads as formula text
with no value.  Loading the workbook twice would double the cost of every
read, so instead this module streams the few sheet parts the reader uses,
once, and only when the byte scan of :mod:`.partscan` shows the part holds a formula at all.

A formula whose result is the empty string is stored with ``t="str"`` and an
empty ``<v>`` by Excel and LibreOffice; that is a calculated (blank) value,
not a missing one.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from typing import IO
from xml.etree import ElementTree

from reportgen.workbook.read.issuelog import cell_position

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRING_RESULTS = {"str", "s", "inlineStr"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → zip member of its XML, read from the workbook part and its relationships.

    Empty when the package map cannot be read; openpyxl then decides whether the
    file is readable at all, and formulas without results go undetected.
    """
    try:
        return _sheet_parts(archive)
    except (ElementTree.ParseError, zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError):
        return {}


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    workbook = _workbook_part(archive)
    root = ElementTree.fromstring(archive.read(workbook))
    folder, name = posixpath.split(workbook)
    rels = ElementTree.fromstring(archive.read(posixpath.join(folder, "_rels", name + ".rels")))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    parts: dict[str, str] = {}
    for element in root.iter():
        if _local(element.tag) != "sheet":
            continue
        target = targets.get(element.get(f"{{{_REL_NS}}}id") or element.get("id"), "")
        if target:
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            parts[element.get("name", "")] = posixpath.normpath(path)
    return parts


def _workbook_part(archive: zipfile.ZipFile) -> str:
    rels = ElementTree.fromstring(archive.read("_rels/.rels"))
    for rel in rels:
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target", "").lstrip("/")
    return "xl/workbook.xml"


def uncached_formulas(archive: zipfile.ZipFile, member: str) -> frozenset[tuple[int, int]]:
    """(row, column) of every formula cell in ``member`` that has no cached value."""
    found: set[tuple[int, int]] = set()
    try:
        with archive.open(member) as stream:
            _scan(stream, found)
    except (ElementTree.ParseError, zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError):
        # A damaged part: the sheet's rows meet the same damage when they are read, and it is
        # reported on the sheet; keep what was found before it.
        pass
    return frozenset(found)


def _scan(stream: IO[bytes], found: set[tuple[int, int]]) -> None:
    row = column = 0
    sheet_data = None
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            if tag == "row":
                row, column = int(element.get("r") or row + 1), 0
            elif tag == "sheetData":
                sheet_data = element
            continue
        if tag == "c":
            ref = element.get("r")
            row, column = cell_position(ref) if ref else (row, column + 1)
            if _uncached(element):
                found.add((row, column))
        elif tag == "row" and sheet_data is not None:
            sheet_data.clear()  # keep memory flat on long sheets


def _uncached(cell: ElementTree.Element) -> bool:
    children = {_local(child.tag): child for child in cell}
    if "f" not in children:
        return False
    value = children.get("v")
    if value is None:
        return True
    return not (value.text or "") and cell.get("t") not in _STRING_RESULTS
