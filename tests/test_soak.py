"""The mutation soak, with a fixed budget, as part of the normal test run (marker ``soak``).

Mutated copies of the bundled example (tests/fixtures/mutations.py) go through
``reportgen generate`` in child processes with a memory limit and a deadline
(tests/fixtures/soak_runner.py): every one must end with a complete report
(exit 0, four files that read back) or a Vietnamese message (exit 3, nothing
written) — never a traceback, another exit status or a partial output.  The
budget is a fixed number of cases, never a time: a slower machine takes
longer, it does not test less.  ``bench/soak.py`` runs the same soak for as
long as one likes.

Hypothesis drives the same engine in-process through the reader alone, over
seeds the fixed list does not reach, and puts arbitrary Unicode into a cell.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixtures.make_hostile import book_bytes, cell_of, valid_book
from fixtures.mutations import KINDS, mutant
from reportgen.workbook import schema
from reportgen.workbook.read.printable import unprintable
from reportgen.workbook.read.reader import ReadResult, read_workbook

pytestmark = pytest.mark.soak

FORK_SEEDS = range(5)
"""Seeds per kind run as forked cases (5 × 16 kinds = 80)."""
EXEC_CASES = [("bomb", 0), ("empty_styled_rows", 1), ("long_cell", 0), ("unicode_text", 2), ("truncated", 1),
              ("layout_shuffled", 3)]
"""Cases that run the real command line in a fresh interpreter."""
XML_INVALID = set(map(chr, [*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF, *range(0xD800, 0xE000)]))

posix_only = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32",
                                reason="the soak runs each case in a forked child (POSIX)")


@posix_only
def test_mutated_workbooks_end_in_a_report_or_a_message(tmp_path: Path) -> None:
    from fixtures.soak_runner import Settings, run_cases
    from reportgen.report.init_folder import init_folder

    init_folder(tmp_path / "workspace")
    cases = [(mutant(kind, seed), "fork") for seed in FORK_SEEDS for kind in sorted(KINDS)]
    cases += [(mutant(kind, seed), "exec") for kind, seed in EXEC_CASES]
    settings = Settings(tmp_path / "workspace", timeout=180, memory_mb=1024, jobs=min(os.cpu_count() or 1, 2))
    results = list(run_cases(cases, settings, tmp_path / "cases"))

    failures = [f"{r.kind} seed={r.seed} [{r.mode}] → {r.outcome}: {r.what}\n    {r.detail}"
                for r in results if not r.ok]
    assert not failures, "\n".join(failures)
    outcomes = {result.outcome for result in results}
    assert outcomes == {"report", "refused"}, "the soak must see both endings, or it proves little"
    assert len(results) == len(cases)
    worst = max(results, key=lambda result: result.seconds)
    added = max((r for r in results if r.mode == "fork"), key=lambda result: result.added_mb)
    cli = max((r for r in results if r.mode == "exec"), key=lambda result: result.peak_mb)
    print(f"\nsoak: {len(results)} ca, {sum(r.outcome == 'report' for r in results)} báo cáo, "
          f"{sum(r.outcome == 'refused' for r in results)} từ chối; lâu nhất {worst.seconds:.1f} s ({worst.kind}); "
          f"RAM thêm nhiều nhất {added.added_mb:.0f} MB ({added.kind}); RAM đỉnh của CLI {cli.peak_mb:.0f} MB "
          f"({cli.kind})")


# ------------------------------------------------------------ reader only ----

def read_bytes(data: bytes, name: str = "2023-06.xlsx") -> ReadResult:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return read_workbook(path)


def report_texts(result: ReadResult) -> list[str]:
    """Every string of the read model that a report may print."""
    report = result.report
    if report is None:
        return []
    info = report.info
    texts = [info.signer or "", info.signer_title or "", info.doc_number or ""]
    for ind in report.indicators:
        texts += [ind.code, ind.field, ind.name, ind.unit, ind.note]
    for project in report.projects:
        texts += [project.code, project.name, project.planned_completion, project.status_text]
    return texts + [remark.text for remark in report.remarks]


def assert_clean_or_refused(result: ReadResult) -> None:
    """ok ⇔ a report; and a report's text is XML-safe and printable."""
    assert result.ok is (result.report is not None)
    for text in report_texts(result):
        assert not XML_INVALID & set(text), ascii(text)
        assert not unprintable(text), ascii(text)


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(sorted(KINDS)), seed=st.integers(1000, 10**9))
def test_any_mutant_is_read_or_refused_without_raising(kind: str, seed: int) -> None:
    made = mutant(kind, seed)
    assert_clean_or_refused(read_bytes(made.data, made.name))


def excel_text(text: str) -> str:
    """``text`` as Excel stores it: characters XML cannot hold written as _xHHHH_ escapes."""
    return "".join(f"_x{ord(char):04X}_" if char in XML_INVALID else char for char in text)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=()), max_size=40))
def test_any_unicode_in_a_cell_is_cleaned_or_refused_on_that_cell(text: str) -> None:
    wb = valid_book()
    cell = cell_of(wb, schema.INDICATORS, "KT02", "note")
    cell.value = excel_text(text)
    cell.data_type = "s"  # text even when it starts with "=", as a cell typed '=… is
    result = read_bytes(book_bytes(wb))
    assert_clean_or_refused(result)
    on_cell = {issue.code for issue in result.issues if issue.cell == "M5"}
    assert on_cell <= {"text.control_chars", "text.unprintable", "text.legacy_encoding", "formula.error"}
    if not result.ok:  # refused: and the refusal is on that cell
        assert {issue.cell for issue in result.issues if issue.is_error} == {"M5"}


def test_the_engine_is_deterministic() -> None:
    for kind in sorted(KINDS):
        assert mutant(kind, 7).data == mutant(kind, 7).data, kind
