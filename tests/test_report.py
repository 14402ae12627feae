"""The report as a whole: narrative, templates, pipeline, read-back check."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from reportgen.domain.assess import assess
from reportgen.settings.config import load_config
from reportgen.document.build import BuildOptions, build_document
from reportgen.document.model import Heading, ListItem, Paragraph, ParagraphRole
from reportgen.core.errors import RenderError
from reportgen.report.generate import GenerateOptions, generate, generate_from_report
from reportgen.document.markup import parse_markup
from reportgen.readback.read_back import verify_pdf
from reportgen.settings.workspace import Workspace
from reportgen.writers.plain_text import TextWriter

from conftest import ROOT, example_report

GOLDEN = ROOT / "tests" / "golden" / "example_report.txt"
EXAMPLE = ROOT / "inputs" / "2023-06.xlsx"


def dump(report=None, config=None, **options) -> str:
    report = report or example_report()
    config = config or load_config(ROOT / "reportgen.toml")
    document = build_document(report, assess(report), config, BuildOptions(**options))
    return TextWriter().dumps(document)


def test_example_text_dump_matches_the_golden_file():
    text = dump()
    if os.environ.get("REPORTGEN_REGEN_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_sentences_follow_the_stock_phrases():
    """The register of real reports (vn-conventions §3.3, §3.6): targets woven into the sentence, rates in
    percentage points, budget against dự toán with the total first, disbursement with its cut-off date."""
    text = dump()
    # growth against a growth target, mid-year a trend: §3.6's own example sentence
    assert "Giá trị sản xuất (giá so sánh 2010) 6 tháng đầu năm ước đạt 498,6 tỷ đồng, tăng 12,81% so với cùng kỳ, " \
           "thấp hơn mục tiêu năm (tăng trên 13%) 0,19 điểm phần trăm." in text
    # a rate against its target, in percentage points
    assert "Tỷ lệ dân số tham gia bảo hiểm y tế đạt 96,8%, tăng 0,7 điểm phần trăm so với cùng kỳ, thấp hơn kế " \
           "hoạch năm (97,6%) 0,8 điểm phần trăm." in text
    # a flow on track, the month and the year to date in one sentence, one verb
    assert "Giải quyết việc làm mới tháng 6 đạt 57 lao động, lũy kế 6 tháng đầu năm 318 lao động, bằng 53% kế " \
           "hoạch năm (600 lao động trở lên), bảo đảm tiến độ, tăng 7,8% so với cùng kỳ." in text
    # budget: the total against dự toán first, then "trong đó thu nội địa"
    assert "Thu ngân sách nhà nước trên địa bàn tháng 6 đạt 12,4 tỷ đồng, lũy kế 6 tháng đầu năm 78,6 tỷ đồng, " \
           "bằng 45,49% dự toán năm (172,8 tỷ đồng), chậm so với tiến độ, bằng 111,97% so với cùng kỳ; trong đó " \
           "thu nội địa 7,15 tỷ đồng, lũy kế 42,35 tỷ đồng, tăng 12,04% so cùng kỳ, cao hơn mục tiêu năm (tăng " \
           "trên 10%) 2,04 điểm phần trăm." in text
    # disbursement against the capital plan, with the cut-off date
    assert "Tỷ lệ giải ngân vốn đầu tư công tính đến ngày 14/6/2023 đạt 41,2% kế hoạch vốn, tăng 2,7 điểm phần " \
           "trăm so với cùng kỳ." in text
    # the poverty lines in one sentence: "không còn" for the stock, "không phát sinh" for the flows
    assert "- Toàn huyện không còn hộ nghèo theo chuẩn nghèo đa chiều giai đoạn 2021-2025, giảm 12 hộ so với " \
           "cùng kỳ; không phát sinh hộ tái nghèo và hộ nghèo mới." in text
    # reductions from the start-of-year level, on schedule
    assert "Số hộ cận nghèo còn 97 hộ, giảm 11 hộ so với đầu năm (108 hộ), bằng 84,62% mức giảm kế hoạch năm " \
           "(giảm 13 hộ); bảo đảm tiến độ." in text
    assert "Tỷ lệ hộ cận nghèo còn 1,31%, giảm 0,11 điểm phần trăm so với đầu năm (1,42%), bằng 64,71% mức giảm " \
           "kế hoạch năm (giảm 0,17 điểm phần trăm); bảo đảm tiến độ." in text
    # visitors and tourism revenue in one bullet; estimates say "ước"
    assert "- Lượt khách du lịch tháng 6 ước đạt 9.150 lượt, lũy kế 6 tháng đầu năm 52.300 lượt, tăng 25,12% so " \
           "với cùng kỳ; doanh thu từ hoạt động du lịch ước 4,6 tỷ đồng, lũy kế 26,5 tỷ đồng, tăng 33,84% so cùng " \
           "kỳ." in text
    # the counts of section I, and the lagging indicators named again under II and III
    assert "Trong 13 chỉ tiêu chủ yếu có kế hoạch năm 2023, đến hết 6 tháng đầu năm có 1/13 chỉ tiêu đạt và vượt " \
           "kế hoạch; 7 chỉ tiêu bảo đảm tiến độ; 1 chỉ tiêu chậm tiến độ; 4 chỉ tiêu còn thấp hơn mục tiêu năm (chi tiết tại các Phụ lục I, II kèm theo)." \
           in text
    assert "- Một số chỉ tiêu còn thấp hơn mục tiêu năm hoặc chậm so với tiến độ: giá trị sản xuất (giá so sánh " \
           "2010) tăng 12,81% (mục tiêu tăng trên 13%);" in text
    assert "chậm tiến độ: giá trị sản xuất (giá so sánh 2010); tổng kim ngạch xuất, nhập khẩu hàng hóa;" in text
    # tasks name the office in charge
    assert "- Tăng cường các biện pháp chống thất thu, khai thác nguồn thu mới, phấn đấu hoàn thành dự toán thu " \
           "ngân sách năm 2023 (giao Chi cục Thuế khu vực Tiên Yên - Bình Liêu chủ trì)." in text
    table_rows = [line for line in text.splitlines() if line.startswith("   | ")]
    assert table_rows[-1].endswith("| -0,8 | +0,7 | Chưa đạt")   # the table's last row: XH08, in points
    # a shorter closing sentence, not the trích yếu again
    assert "[closing] Trên đây là báo cáo tình hình kinh tế - xã hội tháng 6 và 6 tháng đầu năm 2023 của Ủy ban " \
           "nhân dân huyện Bình Liêu./." in text


def test_sentences_vary_with_the_data():
    from dataclasses import replace
    from decimal import Decimal

    report = example_report()
    changed = tuple(replace(i, value=Decimal("660")) if i.code == "XH01" else
                    replace(i, value=Decimal("97.9")) if i.code == "XH08" else i for i in report.indicators)
    text = dump(replace(report, indicators=changed))
    assert "lũy kế 6 tháng đầu năm 660 lao động, bằng 110% kế hoạch năm (600 lao động trở lên), vượt kế hoạch, " \
           "gấp 2,2 lần cùng kỳ." in text
    assert "Tỷ lệ dân số tham gia bảo hiểm y tế đạt 97,9%, tăng 1,8 điểm phần trăm so với cùng kỳ, vượt kế hoạch " \
           "năm (97,6%)." in text


def test_draft_leaves_number_and_day_blank():
    from dataclasses import replace
    from datetime import date

    report = example_report()
    signed = replace(report, info=replace(report.info, doc_number="5", issue_date=date(2023, 6, 16)))
    final = dump(signed)
    assert "Số: 05/BC-UBND  |  Bình Liêu, ngày 16 tháng 6 năm 2023" in final
    assert "(Kèm theo Báo cáo số 05/BC-UBND ngày 16 tháng 6 năm 2023 của Ủy ban nhân dân huyện Bình Liêu)" in final
    draft = dump(signed, draft=True)
    assert "Số:      /BC-UBND  |  Bình Liêu, ngày      tháng 6 năm 2023" in draft


def test_markup_lines_become_blocks():
    blocks = parse_markup("# I. KẾT QUẢ\n\n## 1. Kinh tế\n- Thu ngân sách , tăng ( 5% ) .\nĐoạn **đậm** và *nghiêng*.\n"
                          "Trên đây là báo cáo./.")
    assert blocks[0] == Heading(1, "I. KẾT QUẢ") and blocks[1] == Heading(2, "1. Kinh tế")
    assert isinstance(blocks[2], ListItem) and blocks[2].text == "Thu ngân sách, tăng (5%)."
    assert [(r.text, r.bold, r.italic) for r in blocks[3].runs] == [
        ("Đoạn ", False, False), ("đậm", True, False), (" và ", False, False), ("nghiêng", False, True),
        (".", False, False)]
    assert isinstance(blocks[4], Paragraph) and blocks[4].role is ParagraphRole.CLOSING


def _workspace_with_template(tmp_path: Path, name: str, text: str) -> Workspace:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / name).write_text(text, encoding="utf-8")
    (tmp_path / "reportgen.toml").write_text((ROOT / "reportgen.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return Workspace.open(tmp_path)


def test_a_working_folder_template_overrides_one_file(tmp_path):
    original = (ROOT / "templates" / "khung.j2").read_text(encoding="utf-8")
    ws = _workspace_with_template(tmp_path, "khung.j2", original.replace("BIỂU TỔNG HỢP", "BẢNG TỔNG HỢP"))
    report = example_report()
    text = TextWriter().dumps(build_document(report, assess(report), ws.config,
                                             BuildOptions(templates_dir=ws.templates)))
    assert "[appendix_title] BẢNG TỔNG HỢP CÁC CHỈ TIÊU" in text
    assert "ước đạt 498,6 tỷ đồng" in text   # cau.j2 and bao_cao.j2 still the built-in ones


def test_undefined_name_names_the_template_file_and_line(tmp_path):
    ws = _workspace_with_template(tmp_path, "bao_cao.j2", "Dòng một\n\n{{ don_vi.ten_sai }}\n")
    report = example_report()
    with pytest.raises(RenderError) as err:
        build_document(report, assess(report), ws.config, BuildOptions(templates_dir=ws.templates))
    assert str(err.value) == ("Mẫu bao_cao.j2, dòng 3: không có biến “don_vi.ten_sai”. "
                              "Xem danh sách biến trong docs/templates.md.")


def test_syntax_error_names_the_line(tmp_path):
    ws = _workspace_with_template(tmp_path, "bao_cao.j2", "a\n{% if %}\n")
    report = example_report()
    with pytest.raises(RenderError) as err:
        build_document(report, assess(report), ws.config, BuildOptions(templates_dir=ws.templates))
    assert str(err.value).startswith("Mẫu bao_cao.j2, dòng 2: sai cú pháp")


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ don_vi.__class__.__init__.__globals__ }}",
    "{% set x = [] %}{{ x.append(1) }}",
])
def test_templates_are_sandboxed(tmp_path, source):
    ws = _workspace_with_template(tmp_path, "bao_cao.j2", source)
    report = example_report()
    with pytest.raises(RenderError) as err:
        build_document(report, assess(report), ws.config, BuildOptions(templates_dir=ws.templates))
    assert str(err.value).startswith("Mẫu bao_cao.j2")


def test_same_input_gives_byte_identical_files(tmp_path):
    ws = Workspace.open(ROOT)
    first = generate(EXAMPLE, ws, GenerateOptions(out_dir=tmp_path / "a"))
    second = generate(EXAMPLE, ws, GenerateOptions(out_dir=tmp_path / "b"))
    assert first.hashes == second.hashes
    assert set(first.hashes) == {"docx", "pdf", "json", "xlsx"}


def test_a_file_failing_its_read_back_check_is_never_published(tmp_path, monkeypatch):
    import reportgen.readback.read_back as verify

    def broken(path, document):
        raise RenderError(f"Tệp {Path(path).name} thiếu nội dung phải có: “BÁO CÁO”.")

    monkeypatch.setattr(verify, "verify_pdf", broken)
    with pytest.raises(RenderError):
        generate_from_report(example_report(), Workspace.open(ROOT), GenerateOptions(out_dir=tmp_path / "o"))
    assert not (tmp_path / "o").exists() or list((tmp_path / "o").iterdir()) == []


def test_read_back_check_catches_leftover_template_tags(tmp_path):
    from dataclasses import replace

    report = example_report()
    ws = Workspace.open(ROOT)
    from reportgen.report.generate import build
    from reportgen.writers.pdf.pdf_writer import PdfWriter

    document = build(report, assess(report), ws, GenerateOptions(charts=False))
    first = document.sections[0]
    tagged = replace(document, sections=(replace(first, blocks=first.blocks + (parse_markup("còn {{ sót }}")[0],)),
                                         *document.sections[1:]))
    PdfWriter().write(tagged, tmp_path / "x.pdf")
    with pytest.raises(RenderError) as err:
        verify_pdf(tmp_path / "x.pdf", tagged)
    assert str(err.value) == "Tệp x.pdf còn thẻ mẫu chưa xử lý ({{, }}); kiểm tra templates/."


_TEXT = st.text(alphabet="0123456789.,% \n-aăđ()", max_size=60)


@given(_TEXT, st.lists(_TEXT, max_size=12))
def test_missing_text_finds_exactly_what_a_plain_search_finds(found, expected):
    """The read-back looks figures up in a set of the text's words and numbers before searching the
    whole text; it must report missing exactly what a search of the text without whitespace misses."""
    from reportgen.readback.read_back import missing_text, squash

    plain = [text for text in expected if squash(text) not in squash(found)]
    assert missing_text(found, tuple(expected)) == plain


def test_squash_removes_exactly_the_whitespace_the_pattern_finds():
    """squash joins the pieces of str.split(); it removes exactly the characters ``\\s`` matches."""
    import re
    import sys

    from reportgen.readback.read_back import squash

    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert squash(every) == re.sub(r"\s+", "", every)
    assert squash(" a\u00a0b\u2028c\x1cd\u3000 ") == "abcd"


def test_a_figure_missing_from_the_file_is_reported_among_thousands():
    from reportgen.readback.read_back import missing_text

    cells = [f"{n:,}".replace(",", ".") + f",{n % 10}" for n in range(1000, 4000)]
    text = "Phụ lục\n" + "\n".join(cells[:1500] + cells[1501:]) + "\nđạt 83,1%."
    assert missing_text(text, ("Phụ lục", "83,1", *cells)) == [cells[1500]]
