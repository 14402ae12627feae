"""The report's wording and coverage (issue 14 "Wording", "Coverage"; issue 13 "Targets at the edges",
"Configured text that goes stale"): what a head of office would send back, checked on the real text."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from reportgen.domain.assess import Status, assess
from reportgen.cli.texts import render_check
from reportgen.report.check import check_workbook
from reportgen.settings.config import load_config
from reportgen.document.build import build_document
from reportgen.document.model import Heading, ListItem, Paragraph
from reportgen.domain.report_input import Indicator, IndicatorKind, Remark, Section
from reportgen.report.new_workbook import create_workbook
from reportgen.domain.outline import CLAUSES
from reportgen.core.periods import Period
from reportgen.domain.plan import book_for_period, plan_from_report
from reportgen.core.targets import parse_target
from reportgen.workbook import schema
from reportgen.workbook.read.reader import read_workbook
from reportgen.workbook.write.input_workbook import FIRST_DATA_ROW, HEADER_ROW, write_book
from reportgen.settings.workspace import Workspace
from reportgen.writers.plain_text import TextWriter

from conftest import ROOT, example_report
from period_examples import PERIOD_KINDS, example_for

REPEATED_VERBS = ("tập trung", "đẩy mạnh", "đẩy nhanh", "triển khai", "tiếp tục", "chỉ đạo", "tăng cường",
                  "nâng cao", "phấn đấu", "bảo đảm", "đảm bảo", "hoàn thành", "ước đạt", "so với cùng kỳ",
                  "kế hoạch năm", "mục tiêu năm", "thực hiện", "giữ vững")
"""Verbs and phrases a reviewer strikes out when one paragraph says them twice ("tập trung … tập trung")."""


def document(report=None, config=None):
    report = report or example_report()
    return build_document(report, assess(report), config or load_config(ROOT / "reportgen.toml"))


def dump(report=None, config=None) -> str:
    return TextWriter().dumps(document(report, config))


def body_paragraphs(doc) -> list[str]:
    return [block.text for block in doc.sections[0].blocks if isinstance(block, (Paragraph, ListItem))]


# ------------------------------------------------------------------ register ----

@pytest.mark.parametrize("code", PERIOD_KINDS)
def test_no_verb_or_phrase_is_said_twice_in_one_paragraph(code):
    report = example_report() if code == "2023-06" else example_for(code)
    for text in body_paragraphs(document(report)):
        lowered = text.lower()
        for phrase in REPEATED_VERBS:
            assert len(re.findall(rf"\b{phrase}\b", lowered)) <= 1, (phrase, text)


def test_the_closing_sentence_is_short_and_not_the_trich_yeu_again():
    doc = document()
    closing = body_paragraphs(doc)[-1]
    summary = " ".join(doc.sections[0].blocks[1].summary)
    assert closing == "Trên đây là báo cáo tình hình kinh tế - xã hội tháng 6 và 6 tháng đầu năm 2023 của Ủy ban " \
                      "nhân dân huyện Bình Liêu./."
    opening = body_paragraphs(doc)[1]
    for line in (opening, closing):
        assert summary.lower()[len("tình hình "):] not in line.lower()


def test_quotes_are_vietnamese_whoever_typed_the_paragraph():
    report = example_report()
    remarks = (Remark(Section.CULTURE, 'Hưởng ứng phong trào «Toàn dân đoàn kết» và "Ngày hội văn hóa".', 4),)
    text = dump(replace(report, remarks=remarks))
    assert "phong trào “Toàn dân đoàn kết” và “Ngày hội văn hóa”." in text
    assert "«" not in text and "»" not in text and '"' not in text


def test_one_precision_for_the_prose_and_the_table():
    text = dump()
    table = {line.split(" | ")[2]: line.split(" | ") for line in text.splitlines() if line.startswith("   | ")}
    assert table["Giải quyết việc làm mới"][-3] == "53" and "bằng 53% kế hoạch năm" in text
    assert table["Số hộ cận nghèo"][-3] == "84,62" and "bằng 84,62% mức giảm kế hoạch năm" in text
    assert table["Tỷ lệ dân số tham gia bảo hiểm y tế"][-3] == "-0,8" and "(97,6%) 0,8 điểm phần trăm" in text
    assert table["Số hộ tái nghèo"][-2] == "-"   # 0 households against 0: an undefined ratio


# -------------------------------------------------------------------- coverage ----

def test_the_example_covers_every_sector_of_the_outline_and_the_general_assessment():
    headings = [block.text for block in document().sections[0].blocks if isinstance(block, Heading)]
    for clause in CLAUSES:
        assert any(h.endswith(f". {clause.title}") for h in headings), clause.title
        for _, title in clause.points:
            assert any(h.endswith(f") {title}") for h in headings), title
    assert "5. Đánh giá chung" in headings
    assert "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN" in headings and "2. Nguyên nhân" in headings
    assert "IV. KIẾN NGHỊ, ĐỀ XUẤT" in headings
    staff = {r.section for r in example_report().remarks}
    assert {section for clause in CLAUSES for section, _ in clause.points} <= staff


def test_an_empty_sector_leaves_no_empty_heading():
    report = replace(example_report(), remarks=())
    headings = [block.text for block in document(report).sections[0].blocks if isinstance(block, Heading)]
    assert not any("Giáo dục" in h or "Tài nguyên" in h or "Đánh giá chung" in h for h in headings)
    assert "### c) Thương mại, dịch vụ, du lịch; kinh tế cửa khẩu, xuất nhập khẩu".lstrip("# ") in headings \
        or any(h.endswith("Thương mại, dịch vụ, du lịch; kinh tế cửa khẩu, xuất nhập khẩu") for h in headings)


def test_an_indicator_of_a_field_outside_the_outline_gets_its_own_clause():
    report = example_report()
    extra = Indicator("DX01", "Xây dựng Đảng", "Số đảng viên mới kết nạp", "người", IndicatorKind.CUMULATIVE,
                      parse_target("120 trở lên"), value=Decimal(70))
    text = dump(replace(report, indicators=report.indicators + (extra,)))
    assert "## 5. Xây dựng Đảng\n  - Số đảng viên mới kết nạp 6 tháng đầu năm đạt 70 người, bằng 58,33% kế " \
           "hoạch năm (120 người trở lên), bảo đảm tiến độ." in text
    assert "## 6. Đánh giá chung" in text
    assert "  G| III | XÂY DỰNG ĐẢNG" in text


def test_tasks_name_the_office_in_charge():
    text = dump()
    assert "- Nắm chắc tình hình an ninh biên giới, giữ vững trật tự an toàn xã hội, nhất là tại các khu vực cửa " \
           "khẩu (giao Công an huyện chủ trì)." in text


# -------------------------------------------------- the Nhận định sheet ----

def _validations(ws):
    return {str(v.sqref).split(":")[0][0]: v for v in ws.data_validations.dataValidation}


def _list_values(wb, formula):
    sheet, cells = formula.split("!")
    start, end = cells.replace("$", "").split(":")
    return [c.value for row in wb[sheet.strip("'")][f"{start}:{end}"] for c in row]


def test_the_remarks_sheet_offers_the_outline_the_causes_and_the_offices(tmp_path):
    path = write_book(book_for_period(Period.parse("2023-07"), plan_from_report(example_report())),
                      tmp_path / "2023-07.xlsx")
    wb = load_workbook(path)
    ws = wb[schema.REMARKS]
    assert [c.value for c in ws[HEADER_ROW]][:4] == ["Phần", "Nội dung", "Đơn vị chủ trì", "Chép từ kỳ trước"]
    validations = _validations(ws)
    sections = _list_values(wb, validations["A"].formula1)
    assert sections == [s.value for s in Section]
    assert {"Nông, lâm nghiệp, thủy sản; nông thôn mới", "Đánh giá chung", "Nguyên nhân", "Nhiệm vụ trọng tâm"} \
        <= set(sections)
    offices = _list_values(wb, validations["C"].formula1)
    assert "Phòng Tài chính - Kế hoạch" in offices
    assert validations["C"].errorStyle == "warning"   # a suggestion: another office may be typed
    assert validations["A"].errorStyle == "stop"


def test_new_carries_last_periods_paragraphs_forward_marked_for_revision(tmp_path):
    (tmp_path / "inputs").mkdir()
    (tmp_path / "reportgen.toml").write_text((ROOT / "reportgen.toml").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    (tmp_path / "inputs" / "2023-06.xlsx").write_bytes((ROOT / "inputs" / "2023-06.xlsx").read_bytes())
    workspace = Workspace.open(tmp_path)
    made = create_workbook(Period.parse("2023-07"), workspace)
    wb = load_workbook(made.path)
    ws = wb[schema.REMARKS]
    rows = [[c.value for c in row][:4] for row in ws.iter_rows(min_row=FIRST_DATA_ROW) if row[1].value]
    june = example_report().remarks
    assert [(r[0], r[1], r[2] or "", r[3]) for r in rows] == [(r.section.value, r.text, r.owner, "x") for r in june]
    assert ws.conditional_formatting, "carried rows are highlighted until their mark is cleared"
    # the copy reads back: the paragraphs are used, and one warning names every row still to revise
    result = read_workbook(made.path)
    [carried] = [i for i in result.issues if i.code == "remark.carried"]
    assert carried.cell == "D4" and "26 dòng: 4, 5, 6" in str(carried)
    assert [r.text for r in result.report.remarks] == [r.text for r in june]
    # staff revise one row and clear its mark: it is no longer named
    ws.cell(FIRST_DATA_ROW, 2).value = "Ủy ban nhân dân huyện chỉ đạo quyết liệt công tác tháng 7."
    ws.cell(FIRST_DATA_ROW, 4).value = None
    wb.save(made.path)
    [carried] = [i for i in read_workbook(made.path).issues if i.code == "remark.carried"]
    assert carried.cell == "D5" and "25 dòng: 5, 6" in str(carried)


# ------------------------------------------------------- targets at the edges ----

def _one(target: str, kind=IndicatorKind.CUMULATIVE, **figures) -> Indicator:
    return Indicator("X1", "Kinh tế", "Doanh thu dịch vụ", "tỷ đồng", kind, parse_target(target),
                     **{k: Decimal(str(v)) for k, v in figures.items()})


@pytest.mark.parametrize("indicator, code, expected, status", [
    (_one("tăng 0%", IndicatorKind.GROWTH, value=107.8, same_period=100), "2023-06",
     "tăng 7,8% so với cùng kỳ, cao hơn mục tiêu năm (tăng 0%) 7,8 điểm phần trăm.", Status.ON_TRACK),
    (_one("tăng 0%", IndicatorKind.GROWTH, value=107.8, same_period=100), "2023",
     "cao hơn mục tiêu năm (tăng 0%) 7,8 điểm phần trăm, vượt kế hoạch năm.", Status.EXCEEDED),
    (_one("trên 0", value=3), "2023-06", "6 tháng đầu năm đạt 3 tỷ đồng, hoàn thành kế hoạch năm (trên 0 tỷ đồng).",
     Status.MET),
    (_one("trên 0", value=0), "2023-06", "6 tháng đầu năm đạt 0 tỷ đồng, bảo đảm tiến độ (trên 0 tỷ đồng).",
     Status.ON_TRACK),
    (_one("giảm 5", IndicatorKind.POINT, baseline=40, value=46), "2023-06",
     "còn 46 tỷ đồng, tăng 6 tỷ đồng so với đầu năm (40 tỷ đồng), trong khi kế hoạch năm là giảm 5 tỷ đồng; chậm so "
     "với tiến độ.", Status.BEHIND),
    (_one("giảm 5%", IndicatorKind.GROWTH, value=90, same_period=100), "2023-06",
     "giảm 10% so với cùng kỳ, thấp hơn mục tiêu năm (giảm 5%) 5 điểm phần trăm.", Status.ON_TRACK),
])
def test_targets_at_the_edges_read_sensibly_with_the_right_status(indicator, code, expected, status):
    report = replace(example_report(), indicators=(indicator,), remarks=())
    report = replace(report, info=replace(report.info, period=Period.parse(code)))
    assert assess(report).items[0].status is status
    text = " ".join(dump(report).split())
    assert expected in text
    for broken in ("bằng - ", " - điểm", "giảm -", "bằng -"):
        assert broken not in text


def test_a_reduction_larger_than_the_start_of_year_level_is_refused_on_its_cell(tmp_path):
    path = write_book(book_for_period(Period.parse("2023-06"), plan_from_report(example_report())),
                      tmp_path / "2023-06.xlsx")
    wb = load_workbook(path)
    ws = wb[schema.INDICATORS]
    columns = {c.value: c.column for c in ws[HEADER_ROW]}
    row = next(r[0].row for r in ws.iter_rows(min_row=FIRST_DATA_ROW) if r[0].value == "XH07")
    ws.cell(row, columns["Kế hoạch năm"], "giảm 210")
    wb.save(path)
    [issue] = [i for i in read_workbook(path).issues if i.code == "target.impossible"]
    assert str(issue) == (f'Sheet "Chỉ tiêu", ô F{row}: Cột “Kế hoạch năm”: kế hoạch “giảm 210” giảm nhiều hơn '
                          "mức đầu năm (108), không thể đạt được. Giá trị đọc được: “giảm 210”. Cách sửa: Kiểm tra "
                          "lại mức giảm kế hoạch và số Đầu năm: mức giảm không thể lớn hơn mức đầu năm.")


# --------------------------------------------------- configured text, stale ----

def _workspace(tmp_path: Path, basis: str) -> Workspace:
    text = (ROOT / "reportgen.toml").read_text(encoding="utf-8")
    text = re.sub(r'^basis = .*$', f'basis = "{basis}"', text, flags=re.MULTILINE)
    (tmp_path / "reportgen.toml").write_text(text, encoding="utf-8")
    return Workspace.open(tmp_path)


def test_the_basis_follows_the_reports_year(tmp_path):
    workspace = _workspace(tmp_path, "Chương trình công tác năm {năm}")
    report = replace(example_report(), info=replace(example_report().info, period=Period.parse("2024-06")))
    text = dump(report, workspace.config)
    assert "Thực hiện Chương trình công tác năm 2024, Ủy ban nhân dân huyện Bình Liêu báo cáo" in text
    assert "năm 2023" not in text.split("# I.")[0]


def test_a_basis_naming_another_year_is_warned_about(tmp_path):
    workspace = _workspace(tmp_path, "Chương trình công tác năm 2023")
    source = tmp_path / "2024-06.xlsx"
    wb = load_workbook(ROOT / "inputs" / "2023-06.xlsx")
    info = wb[schema.INFO]
    for row in info.iter_rows():
        if row[0].value == "Kỳ báo cáo":
            info.cell(row[0].row, 2, "Tháng 6/2024")
    wb.save(source)
    result = check_workbook(source, workspace)
    [issue] = [i for i in result.warnings if i.code == "config.stale_year"]
    assert str(issue) == (f"Tệp: Cấu hình {workspace.config.source}, khóa report.basis: “Chương trình công tác năm 2023” "
                          "ghi năm 2023 nhưng báo cáo là tháng 6 năm 2024; báo cáo sẽ in đúng như vậy. Cách sửa: Viết "
                          "“năm {năm}” để chương trình tự ghi năm của kỳ báo cáo, hoặc sửa thành năm 2024.")
    assert "config.stale_year" not in [i.code for i in check_workbook(ROOT / "inputs" / "2023-06.xlsx",
                                                                      workspace).warnings]
    assert "ghi năm 2023 nhưng báo cáo là tháng 6 năm 2024" in render_check(result)


@given(st.text(alphabet='«»"ab “”\n', max_size=30))
def test_quotes_are_turned_the_same_with_or_without_guillemets_to_look_for(text):
    """vietnamese_quotes skips the guillemet translation when there is none: the same as always translating."""
    from reportgen.core import vntext

    translated = text.translate(vntext._GUILLEMETS)
    if translated.count('"') % 2 == 0:
        translated = vntext._STRAIGHT.sub(lambda m: f"“{m.group(1).strip()}”", translated)
    assert vntext.vietnamese_quotes(text) == translated
