"""The workbook reader's shortcuts read every workbook exactly as the straightforward way does.

Two shortcuts, each checked against the way it replaced on the example, the varied and re-saved
workbooks (LibreOffice: shared strings, its own styles) and the hostile ones of the test corpus:
the report model and every issue, message for message, are the same.

- the probe's parts: the XML parts the probe decompressed whole are read from memory
  (``probe.KEPT_PARTS_BYTES`` 0 decompresses every part again, as before);
- the rows-only sheet parser (``sheetxml._RowParser``; openpyxl's ``WorkSheetParser`` also builds
  the sheet's properties).
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from openpyxl.worksheet._reader import WorkSheetParser

from reportgen.workbook.read import probe, sheetxml
from reportgen.workbook.read.reader import read_workbook

FIXTURES = ROOT / "tests" / "fixtures"
WORKBOOKS = sorted(
    [ROOT / "inputs" / "2023-06.xlsx", *(FIXTURES / "variants").glob("*.xlsx"), *(FIXTURES / "hostile").glob("*.xls*")]
)


def _read(path):
    result = read_workbook(path)
    return repr(result.report), result.issues


@pytest.fixture(scope="module")
def as_read():
    return {path: _read(path) for path in WORKBOOKS}


def test_the_corpus_is_there():
    names = {path.name for path in WORKBOOKS}
    assert len(WORKBOOKS) > 100 and {"2023-06.xlsx", "resaved_example.xlsx", "zlib_damaged.xlsx"} <= names


def test_parts_read_from_memory_as_decompressed_again(as_read, monkeypatch):
    monkeypatch.setattr(probe, "KEPT_PARTS_BYTES", 0)
    for path in WORKBOOKS:
        assert _read(path) == as_read[path], path.name


def test_parts_kept_by_the_probe_are_the_packages_own():
    import zipfile

    found = probe.probe_file(ROOT / "inputs" / "2023-06.xlsx", probe.Limits())
    assert found.data is not None and "xl/worksheets/sheet2.xml" in found.parts
    with found.package() as package, zipfile.ZipFile(ROOT / "inputs" / "2023-06.xlsx") as plain:
        for name in plain.namelist():
            assert package.read(name) == plain.read(name), name


def test_rows_only_parser_reads_as_openpyxls_parser(as_read, monkeypatch):
    monkeypatch.setattr(sheetxml, "_RowParser", WorkSheetParser)
    for path in WORKBOOKS:
        assert _read(path) == as_read[path], path.name
