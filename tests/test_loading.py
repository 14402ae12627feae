"""The reader's workbook load: the same cells as openpyxl's own, each distinct stylesheet parsed once."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reportgen.workbook.read import loading

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
BOOKS = [ROOT / "inputs" / "2023-06.xlsx", HOSTILE / "legacy_tcvn3.xlsx", HOSTILE / "number_date.xlsx",
         HOSTILE / "percent_fraction.xlsx", HOSTILE / "legacy_vni.xlsx"]


def _cells(workbook) -> list[tuple]:
    """Every cell as the reader sees it: sheet, place, value, number format, font name."""
    seen = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if getattr(cell, "value", None) is not None:
                    seen.append((sheet.title, cell.coordinate, cell.value, cell.number_format, cell.font.name))
    workbook.close()
    return seen


@pytest.fixture(autouse=True)
def _empty_cache():
    loading._STYLESHEETS.clear()
    yield
    loading._STYLESHEETS.clear()


@pytest.mark.parametrize("path", BOOKS, ids=lambda p: p.name)
def test_the_same_cells_as_openpyxls_own_load(path):
    data = path.read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = _cells(load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_vba=False,
                                        keep_links=False))
        for _ in range(2):  # parsed, then from the cache
            assert _cells(loading.load_for_reading(data)) == expected
    assert expected


def test_each_distinct_stylesheet_is_parsed_once(monkeypatch):
    parsed = []
    real = loading.Stylesheet.from_tree
    monkeypatch.setattr(loading.Stylesheet, "from_tree", lambda node: parsed.append(1) or real(node))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in (BOOKS[0], BOOKS[1], BOOKS[0], BOOKS[1], BOOKS[0]):
            _cells(loading.load_for_reading(path.read_bytes()))
    assert len(parsed) == 2 and len(loading._STYLESHEETS) == 2


def test_a_large_stylesheet_is_not_kept(monkeypatch):
    monkeypatch.setattr(loading, "MAX_KEPT_STYLES_BYTES", 10)
    _cells(loading.load_for_reading(BOOKS[0].read_bytes()))
    assert not loading._STYLESHEETS


def test_at_most_a_few_stylesheets_are_kept(monkeypatch):
    monkeypatch.setattr(loading, "KEPT_STYLESHEETS", 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in BOOKS[:3]:
            _cells(loading.load_for_reading(path.read_bytes()))
    assert list(loading._STYLESHEETS.values()) and len(loading._STYLESHEETS) == 1


def test_sheets_are_not_probed_for_their_size(monkeypatch):
    """openpyxl parses the start of every sheet for its declared size; the reader ignores that size."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    def probe(self):
        raise AssertionError(f"the size of {self.title} was probed")

    monkeypatch.setattr(ReadOnlyWorksheet, "_get_size", probe)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = loading.load_for_reading(BOOKS[0].read_bytes())
    assert workbook.sheetnames[:3] == ["Thông tin", "Chỉ tiêu", "Công trình"]
    assert _cells(workbook)

