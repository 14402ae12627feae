"""Every kind of period in its own words and figures (issue 14 "Periods", issue 12 item 15), read back from
the real .docx and .pdf, with a golden text dump per kind.

    REPORTGEN_REGEN_GOLDEN=1 .venv/bin/pytest tests/test_periods_report.py -k golden
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reportgen.domain.assess import Status, assess
from reportgen.settings.config import load_config
from reportgen.document.build import build_document
from reportgen.report.generate import GenerateOptions, generate_from_report
from reportgen.domain.report_input import Indicator, IndicatorKind
from reportgen.core.periods import Period
from reportgen.domain.plan import book_for_period, default_plan, plan_from_report
from reportgen.core.targets import parse_target
from reportgen.workbook import schema
from reportgen.workbook.read.reader import read_workbook
from reportgen.workbook.write.input_workbook import HEADER_ROW, write_book
from reportgen.settings.workspace import Workspace
from reportgen.writers.plain_text import TextWriter

from conftest import ROOT
from period_examples import PERIOD_KINDS, example_for

GOLDEN = ROOT / "tests" / "golden"
WORKING_NOTES = ("Nguồn chưa công bố", "(kế hoạch:", "(yêu cầu", "kế hoạch: 0", "«", "»", "bằng - ", " - điểm",
                 "giảm -", "tăng -", "bằng -", "chưa đạt hoặc chậm so với tiến độ kế hoạch")
GROWTH_CODES = ("KT01", "KT02", "KT03", "KT04")


def dump(report) -> str:
    config = load_config(ROOT / "reportgen.toml")
    return TextWriter().dumps(build_document(report, assess(report), config))


@pytest.fixture(scope="module", params=PERIOD_KINDS)
def written(request, tmp_path_factory):
    """The period's report written as the product writes it: .docx and .pdf, read back as text."""
    report = example_for(request.param)
    out = tmp_path_factory.mktemp(request.param)
    built = generate_from_report(report, Workspace.open(ROOT), GenerateOptions(out_dir=out))
    word = docx.Document(str(built.files["docx"]))
    word_text = "\n".join([p.text for p in word.paragraphs] +
                          [c.text for t in word.tables for row in t.rows for c in row.cells])
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(str(built.files["pdf"])).pages)
    return request.param, built, unicodedata.normalize("NFC", word_text), unicodedata.normalize("NFC", pdf_text)


# ------------------------------------------------------------- golden files ----

@pytest.mark.parametrize("code", PERIOD_KINDS[1:])
def test_each_period_kind_matches_its_golden_dump(code):
    path = GOLDEN / f"period_{code}.txt"
    text = dump(example_for(code))
    if os.environ.get("REPORTGEN_REGEN_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


# ------------------------------------------------------- read back, per kind ----

def test_no_working_notes_nor_guillemets_in_either_file(written):
    code, _, word, pdf = written
    for text in (word, pdf):
        flat = re.sub(r"\s+", " ", text)
        for note in WORKING_NOTES:
            assert note not in flat, (code, note)


def test_rates_are_compared_in_percentage_points(written):
    code, built, word, pdf = written
    flat = re.sub(r"\s+", " ", word)
    assert "Tỷ lệ dân số tham gia bảo hiểm y tế đạt 96,8%, tăng 0,7 điểm phần trăm so với cùng kỳ, thấp hơn kế " \
           "hoạch năm (97,6%) 0,8 điểm phần trăm" in flat
    row = next(r for r in docx.Document(str(built.files["docx"])).tables[-1].rows
               if r.cells[1].text.startswith("Tỷ lệ dân số tham gia"))
    assert [c.text for c in row.cells][-3:] == ["-0,8", "+0,7", "Không đạt" if Period.parse(code).is_year_end
                                                else "Chưa đạt"]
    assert "điểm phần trăm" in re.sub(r"\s+", " ", pdf)


def test_statuses_follow_the_period(written):
    code, built, _, _ = written
    period = Period.parse(code)
    statuses = {a.indicator.code: a.status for a in built.assessment.items}
    if period.is_year_end:
        assert Status.FAILED in statuses.values()
        assert not {Status.ON_TRACK, Status.BEHIND, Status.NOT_YET} & set(statuses.values())
    else:
        assert Status.FAILED not in statuses.values()
        assert not {statuses[c] for c in GROWTH_CODES} & {Status.EXCEEDED, Status.MET}
        # the near-poor reductions keep pace with the year
        assert statuses["XH07"] is Status.ON_TRACK


def test_the_period_figure_column_is_named_for_the_period(written):
    code, built, word, _ = written
    period = Period.parse(code)
    # the writers keep words together with no-break spaces ("quý\u00a0III"); compared as read
    header = [c.text.replace("\u00a0", " ") for c in docx.Document(str(built.files["docx"])).tables[-1].rows[0].cells]
    own = {"2023-06": "Thực hiện tháng 6", "2023-Q3": "Thực hiện quý III", "2023-12": "Thực hiện tháng 12"}
    ytd = {"2023-06": "Lũy kế 6 tháng đầu năm", "2023-Q3": "Lũy kế 9 tháng", "2023-H1": "Thực hiện 6 tháng đầu năm",
           "2023-9M": "Thực hiện 9 tháng", "2023": "Thực hiện năm 2023", "2023-12": "Lũy kế năm 2023"}
    assert ytd[code] in header
    if period.has_own_figures:
        assert own[code] in header
    else:  # never "Thực hiện 6 tháng đầu năm" holding June's figure beside "Lũy kế 6 tháng"
        assert not any(h.startswith("Thực hiện tháng") or h.startswith("Lũy kế") for h in header)


# -------------------------------------------------------------- the words ----

def test_the_quarter_sentence_gives_the_quarter_and_the_year_to_date():
    text = dump(example_for("2023-Q3"))
    assert "Tổng kim ngạch xuất, nhập khẩu hàng hóa quý III ước đạt 34,2 triệu USD, lũy kế 9 tháng 61,2 triệu USD" \
           in text
    assert "Giá trị sản xuất (giá so sánh 2010) 9 tháng ước đạt 498,6 tỷ đồng" in text  # the year to date, named
    assert "[trích yếu] Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội quý III và 9 tháng năm 2023; " \
           "nhiệm vụ trọng tâm quý IV năm 2023" in text


@pytest.mark.parametrize("code, next_label", [("2023", "NĂM 2024"), ("2023-12", "THÁNG 01 NĂM 2024")])
def test_the_year_end_report_sets_next_years_tasks(code, next_label):
    text = dump(example_for(code))
    part_three = text[text.index("# III."):text.index("[closing]")]
    assert part_three.startswith(f"# III. NHIỆM VỤ TRỌNG TÂM {next_label}")
    assert "Ngay từ đầu năm 2024, có giải pháp khắc phục hạn chế ở các chỉ tiêu không đạt kế hoạch năm 2023:" \
           in part_three
    part_two = text[text.index("# II."):text.index("# III.")]
    assert "chỉ tiêu không đạt kế hoạch năm 2023:" in part_two
    assert "chậm so với tiến độ" not in part_two and "thấp hơn mục tiêu năm hoặc" not in part_two


def test_the_last_task_names_the_year_of_the_tasks():
    report = replace(example_for("2023"), remarks=())
    text = dump(report)
    assert "- Triển khai đồng bộ các nhiệm vụ, giải pháp phát triển kinh tế - xã hội năm 2024;" in text
    assert "năm 2023; giữ vững" not in text


@pytest.mark.parametrize("estimated, expected", [
    (False, "Tổng vốn đầu tư phát triển trên địa bàn 6 tháng đầu năm tăng 13,3% so với cùng kỳ"),
    (True, "Tổng vốn đầu tư phát triển trên địa bàn 6 tháng đầu năm ước tăng 13,3% so với cùng kỳ"),
])
def test_a_growth_rate_typed_directly_is_an_estimate_only_when_marked(estimated, expected):
    """Issue 12 item 17: "ước" only with the estimate mark, also for a growth rate typed directly."""
    report = example_for("2023-06")
    indicators = tuple(replace(i, value=None, same_period=None, growth=Decimal("13.3"), estimated=estimated)
                       if i.code == "KT02" else i for i in report.indicators)
    text = dump(replace(report, indicators=indicators))
    assert expected in text
    if not estimated:
        assert "ước tăng 13,3%" not in text


# ------------------------------------------------------------- the workbook ----

def _headers(path: Path) -> list[str]:
    ws = load_workbook(path)[schema.INDICATORS]
    return [c.value for c in ws[HEADER_ROW] if c.value]


@pytest.mark.parametrize("code, own", [
    ("2023-07", "Thực hiện tháng"), ("2023-Q3", "Thực hiện quý"), ("2023-H2", "Thực hiện 6 tháng cuối năm"),
    ("2023-01", None), ("2023-Q1", None), ("2023-H1", None), ("2023-9M", None), ("2023", None),
])
def test_new_asks_for_the_periods_own_figure_under_its_name(tmp_path, code, own):
    path = write_book(book_for_period(Period.parse(code), default_plan()), tmp_path / f"{code}.xlsx")
    headers = _headers(path)
    assert "Lũy kế" in headers
    if own is None:
        assert not [h for h in headers if h.startswith("Thực hiện")]
    else:
        assert own in headers and "Thực hiện tháng" not in [h for h in headers if h != own]
    assert not [i for i in read_workbook(path).issues if i.code.startswith("period.")]


def _quarter_workbook(tmp_path: Path, header: str) -> Path:
    """A Q3 workbook with a quarter's figure typed for the export line, under ``header``."""
    plan = plan_from_report(example_for("2023-06"))   # the example's plan: its baselines are filled
    path = write_book(book_for_period(Period.parse("2023-Q3"), plan), tmp_path / "2023-Q3.xlsx")
    wb = load_workbook(path)
    ws = wb[schema.INDICATORS]
    columns = {c.value: c.column for c in ws[HEADER_ROW]}
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        if row[0].value == "KT03":
            ws.cell(row[0].row, columns["Thực hiện quý"], 30.5)
            ws.cell(row[0].row, columns["Lũy kế"], 91.7)
            ws.cell(row[0].row, columns["Cùng kỳ năm trước"], 85.0)
    ws.cell(HEADER_ROW, columns["Thực hiện quý"], header)
    ws.protection.sheet = False
    wb.save(path)
    return path


def test_the_reader_takes_thuc_hien_quy_as_the_quarters_own_figure(tmp_path):
    result = read_workbook(_quarter_workbook(tmp_path, "Thực hiện quý"))
    assert result.ok and not [i for i in result.issues if i.code.startswith("period.")]
    kt03 = next(i for i in result.report.indicators if i.code == "KT03")
    assert (kt03.month_value, kt03.value) == (Decimal("30.5"), Decimal("91.7"))
    assert "quý III đạt 30,5 triệu USD, lũy kế 9 tháng 91,7 triệu USD" in dump(result.report)


def test_a_month_header_in_a_quarters_workbook_is_warned_about_on_its_cell(tmp_path):
    result = read_workbook(_quarter_workbook(tmp_path, "Thực hiện tháng"))
    [issue] = [i for i in result.issues if i.code.startswith("period.")]
    assert issue.code == "period.own_figure_header" and issue.cell == "H3"
    assert str(issue).startswith('Sheet "Chỉ tiêu", ô H3: Cột “Thực hiện tháng” nhưng kỳ báo cáo là quý III năm '
                                 "2023: số ở cột này được đưa vào báo cáo là số của quý III.")


def test_a_month_figure_in_a_half_year_workbook_is_not_printed_and_is_named(tmp_path):
    path = write_book(book_for_period(Period.parse("2023-06"), plan_from_report(example_for("2023-06"))),
                      tmp_path / "x.xlsx")
    wb = load_workbook(path)
    info = wb[schema.INFO]
    for row in info.iter_rows():
        if row[0].value == "Kỳ báo cáo":
            info.cell(row[0].row, 2, "6 tháng đầu năm 2023")
    ws = wb[schema.INDICATORS]
    columns = {c.value: c.column for c in ws[HEADER_ROW]}
    ws.cell(HEADER_ROW + 1, columns["Thực hiện tháng"], 80.2)
    ws.cell(HEADER_ROW + 1, columns["Lũy kế"], 498.6)
    ws.cell(HEADER_ROW + 1, columns["Cùng kỳ năm trước"], 442)
    info.protection.sheet = False
    wb.save(tmp_path / "2023-H1.xlsx")
    result = read_workbook(tmp_path / "2023-H1.xlsx")
    [issue] = [i for i in result.issues if i.code.startswith("period.")]
    assert issue.code == "period.own_figure_unused" and issue.cell == "H4"
    assert "“Thực hiện tháng” không được đưa vào báo cáo" in str(issue)
    text = dump(result.report)
    assert "80,2" not in text and "Thực hiện 6 tháng đầu năm" in text


def test_not_met_is_said_only_at_year_end():
    indicator = Indicator("X", "Kinh tế", "Giải quyết việc làm", "lao động", IndicatorKind.CUMULATIVE,
                          parse_target("600 trở lên"), value=Decimal(100))
    for code in ("2023-01", "2023-06", "2023-Q3", "2023-9M", "2023-H1", "2023-11"):
        report = replace(example_for("2023-06"), indicators=(indicator,))
        report = replace(report, info=replace(report.info, period=Period.parse(code)))
        assert assess(report).items[0].status is not Status.FAILED
    for code in ("2023", "2023-12", "2023-Q4", "2023-H2"):
        report = replace(example_for("2023-06"), indicators=(indicator,))
        report = replace(report, info=replace(report.info, period=Period.parse(code)))
        assert assess(report).items[0].status is Status.FAILED


@pytest.mark.parametrize("code", PERIOD_KINDS)
def test_no_estimate_word_without_an_estimate_mark(code):
    """Issue 12 item 17, the whole class: no generated sentence says "ước" for a figure the workbook does not
    mark as an estimate (growth typed directly, project progress, every period)."""
    report = example_for(code)
    report = replace(report, remarks=(), indicators=tuple(replace(i, estimated=False) for i in report.indicators))
    body = dump(report).split("[ký]")[0]
    assert not re.search(r"\bước\b", body), [line for line in body.splitlines() if re.search(r"\bước\b", line)]
