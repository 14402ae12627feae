"""The committed example inputs/2023-06.xlsx is what ``example_book()`` writes today.

Compared cell by cell (values, locking, validations), not byte by byte, so a
new openpyxl version does not fail the test but a stale example does.
Regenerate it with:

    .venv/bin/python -c "from reportgen.domain.plan import example_book; \
from reportgen.workbook.write.input_workbook import write_book; write_book(example_book(), 'inputs/2023-06.xlsx')"
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reportgen.domain.plan import example_book
from reportgen.workbook import list_columns, schema
from reportgen.workbook.write.input_workbook import FIRST_DATA_ROW, write_book

EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "2023-06.xlsx"
STALE = "inputs/2023-06.xlsx is stale: regenerate it (see this test module's docstring)"


@pytest.fixture(scope="module")
def committed():
    assert EXAMPLE.is_file(), "the bundled example inputs/2023-06.xlsx is missing"
    return load_workbook(EXAMPLE)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    return load_workbook(write_book(example_book(), tmp_path_factory.mktemp("fresh") / "2023-06.xlsx"))


def _cells(ws):
    return [[cell.value for cell in row] for row in ws.iter_rows()]


def _locks(ws):
    return [[cell.protection.locked for cell in row] for row in ws.iter_rows()]


def _rules(ws):
    return sorted((str(v.sqref), v.type, v.formula1) for v in ws.data_validations.dataValidation)


def test_same_sheets(committed, fresh):
    assert committed.sheetnames == fresh.sheetnames, STALE


def test_every_cell_value_matches_a_fresh_build(committed, fresh):
    for name in fresh.sheetnames:
        assert _cells(committed[name]) == _cells(fresh[name]), f"{STALE} (sheet {name})"


def test_locking_and_validations_match_a_fresh_build(committed, fresh):
    for name in fresh.sheetnames:
        assert _locks(committed[name]) == _locks(fresh[name]), f"{STALE} (sheet {name})"
        assert _rules(committed[name]) == _rules(fresh[name]), f"{STALE} (sheet {name})"


def test_indicator_rows_hold_the_example_data(committed):
    ws = committed[schema.INDICATORS]
    for offset, expected in enumerate(example_book().indicators):
        row = FIRST_DATA_ROW + offset
        for index, column in enumerate(list_columns.INDICATOR_COLUMNS, start=1):
            value = ws.cell(row, index).value
            want = expected.get(column.key)
            if isinstance(want, Decimal):
                assert value is not None and Decimal(repr(value)) == want, (expected["code"], column.header)
            elif column.key == "estimated":
                assert value == ("x" if want else None), expected["code"]
            else:
                assert value == (want or None), (expected["code"], column.header)


def test_example_declares_itself_sample_data(committed):
    ws = committed[schema.INFO]
    labels = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert labels["Dữ liệu mẫu"] == "x"
    assert labels["Kỳ báo cáo"] == "Tháng 6/2023"


def test_example_passes_the_reader_without_a_single_issue():
    from reportgen.workbook.read.reader import read_workbook

    result = read_workbook(EXAMPLE)
    assert result.issues == (), "\n".join(str(i) for i in result.issues)
    report = result.report
    assert report.info.sample is True
    assert report.period.code == "2023-06"
    assert [i.code for i in report.indicators] == [r["code"] for r in example_book().indicators]
    assert len(report.projects) == len(example_book().projects)
    assert len(report.remarks) == len(example_book().remarks)
