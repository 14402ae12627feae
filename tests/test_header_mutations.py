"""No column's data is lost without a message, whatever is done to the header row and the sheet names.

Hypothesis mutates the bundled example the ways staff and their programs do — headers misspelled,
typed without diacritics, with a unit or a year, in capitals, emptied, replaced by another column's
name or by anything at all; sheets renamed likewise — and reads it.  Then, for every column of the
example that holds data, one of three things is true:

- the workbook is refused (an error says why);
- the column's data is in the report, under some column of the schema (the user may have renamed it
  as another one: the data is used as labelled, not lost);
- an issue names the column: on one of its cells, or "cột X" in a note or a warning, or its whole
  sheet (a warning on it, or the note listing the sheets not read).
"""

from __future__ import annotations

import random
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixtures.mutations import HEADER_ROW, LIST_SHEETS, base_bytes, base_members, misspell, rezip, sheet_member
from reportgen.core.issues import Issue
from reportgen.workbook import schema
from reportgen.workbook.read.raw_cell import column_letter
from reportgen.workbook.read.reader import ReadResult, read_workbook

SHEETS = (schema.INFO, *LIST_SHEETS)
PARTS = {schema.INDICATORS: "indicators", schema.PROJECTS: "projects", schema.REMARKS: "remarks"}
HEADER_CHANGES = ("misspell", "ascii", "unit", "year", "upper", "blank", "other", "alias", "anything", "colon",
                  "line_break")
SHEET_CHANGES = ("misspell", "ascii", "anything", "alias", "upper", "copy_suffix")


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def _header(change: str, old: str, column: schema.Column, columns: tuple[schema.Column, ...],
            rng: random.Random, anything: str) -> str | None:
    return {
        "misspell": lambda: misspell(old, rng),
        "ascii": lambda: _ascii(old),
        "unit": lambda: f"{old} (tỷ đồng)",
        "year": lambda: f"{old} năm 2023",
        "upper": lambda: old.upper(),
        "blank": lambda: None,
        "other": lambda: rng.choice(columns).header,
        "alias": lambda: rng.choice(column.aliases or (old,)),
        "anything": lambda: anything,
        "colon": lambda: f"{old}:",
        "line_break": lambda: old.replace(" ", "\n", 1),
    }[change]()


def _sheet_name(change: str, old: str, rng: random.Random, anything: str) -> str:
    name = {
        "misspell": lambda: misspell(old, rng),
        "ascii": lambda: _ascii(old),
        "anything": lambda: anything,
        "alias": lambda: rng.choice(schema.SHEET_ALIASES.get(old, (old,))),
        "upper": lambda: old.upper(),
        "copy_suffix": lambda: rng.choice((f"{old} (2)", f"{old}_2", f"{old} 2")),
    }[change]()
    name = re.sub(r"[\\/*?:\[\]\n]", "", name).strip().strip("'")[:31]
    return name or "Trang"


def _columns_with_data(report: Any) -> dict[str, dict[str, list]]:
    """Part → schema key → that column's values, for the columns holding anything."""
    found: dict[str, dict[str, list]] = {}
    for sheet, part in PARTS.items():
        items = getattr(report, part)
        for column in LIST_SHEETS[sheet]:
            values = [_value(item, column.key) for item in items]
            if any(value not in (None, "", False) for value in values):
                found.setdefault(part, {})[column.key] = values
    return found


def _value(item: Any, key: str) -> Any:
    value = getattr(item, key, None)
    if key == "target" and value is not None:
        return value.text
    if key == "kind" or key == "section":
        return value.value
    return value


def _mentions(issues: tuple[Issue, ...], title: str, letter: str) -> bool:
    for issue in issues:
        if issue.code == "sheet.ignored" and f"“{title}”" in issue.message:
            return True
        if issue.sheet != title:
            continue
        if issue.code in ("sheet.unrecognised", "sheet.duplicate"):
            return True
        if issue.cell and re.fullmatch(rf"{letter}\d+", issue.cell):
            return True
        if re.search(rf"cột {letter}\b", issue.message):
            return True
    return False


def _read(data: bytes) -> ReadResult:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "2023-06.xlsx"
        path.write_bytes(data)
        return read_workbook(path)


def _mutated(headers: list, sheets: list) -> tuple[bytes, dict[str, str]]:
    """The example with its header cells and sheet names changed in its XML (as fast as a test needs);
    and the sheets' titles afterwards."""
    members = dict(base_members())
    for sheet, index, change, seed, anything in headers:
        columns = LIST_SHEETS[sheet]
        column = columns[index % len(columns)]
        text = _header(change, column.header, column, columns, random.Random(seed), anything)
        ref = f"{column_letter(index % len(columns) + 1)}{HEADER_ROW}"
        cell = (f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'
                if text is not None else f'<c r="{ref}"/>')
        member = sheet_member(sheet)
        members[member] = re.sub(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)'.encode(), cell.encode(),
                                 members[member], count=1, flags=re.S)
    titles = {sheet: sheet for sheet in SHEETS}
    for sheet, change, seed, anything in sheets:
        new = _sheet_name(change, titles[sheet], random.Random(seed), anything)
        if new.casefold() in {title.casefold() for title in titles.values()} | {"hướng dẫn", "danh mục"}:
            continue  # Excel refuses two sheets whose names differ only by case
        members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(
            f"name={quoteattr(titles[sheet])}".encode(), f"name={quoteattr(new)}".encode(), 1)
        titles[sheet] = new
    return rezip(members), titles


ORIGINAL = _read(base_bytes())
assert ORIGINAL.ok and ORIGINAL.report is not None
ORIGINAL_COLUMNS = _columns_with_data(ORIGINAL.report)

header_edits = st.lists(st.tuples(st.sampled_from(list(LIST_SHEETS)), st.integers(0, 12),
                                  st.sampled_from(HEADER_CHANGES), st.integers(0, 2**32 - 1),
                                  st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)),
                        max_size=4)
sheet_edits = st.lists(st.tuples(st.sampled_from(SHEETS), st.sampled_from(SHEET_CHANGES), st.integers(0, 2**32 - 1),
                                 st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                                         min_size=1, max_size=20)),
                       max_size=2)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(headers=header_edits, sheets=sheet_edits)
def test_no_column_is_lost_without_a_message(headers: list, sheets: list) -> None:
    data, titles = _mutated(headers, sheets)
    result = _read(data)
    if not result.ok:
        assert result.report is None and any(issue.is_error for issue in result.issues)
        return
    assert result.report is not None
    now = _columns_with_data(result.report)
    used = [values for part in now.values() for values in part.values()]
    for sheet, part in PARTS.items():
        for key, values in ORIGINAL_COLUMNS.get(part, {}).items():
            if values in used:
                continue
            letter = column_letter(1 + [c.key for c in LIST_SHEETS[sheet]].index(key))
            assert _mentions(result.issues, titles[sheet], letter), (
                f"{sheet}!{letter} ({key}) lost without a message; sheets {titles}; issues:\n"
                + "\n".join(str(issue) for issue in result.issues))
