"""``annotate_copy``: the marked-up copy, read back with openpyxl."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment

from reportgen.core.errors import InputError, UsageError
from reportgen.core.files import sha256_file
from reportgen.core.issues import error, warning
from reportgen.domain.plan import example_book
from reportgen.workbook import schema
from reportgen.workbook.write.annotate import COMMENT_AUTHOR, ERROR_COLOR, SUMMARY_SHEET, WARNING_COLOR, annotate_copy
from reportgen.workbook.write.input_workbook import write_book

ISSUES = [
    error("number.invalid", "Ô “Lũy kế” phải là một số.", "Gõ số, ví dụ 61,2.",
          sheet=schema.INDICATORS, cell="I5", found="sáu mươi"),
    warning("number.english", "Số viết kiểu Anh “83.1”.", "Viết 83,1.", sheet=schema.INDICATORS, cell="J6",
            found="83.1"),
    warning("project.progress", "Tiến độ chưa nhập.", "", sheet=schema.PROJECTS),
    error("sheet.missing", "Không có sheet “Thông tin chung”.", "Đổi tên sheet thành “Thông tin”.",
          sheet="Thông tin chung"),
    error("file.formula", "Tệp có công thức chưa tính.", "Mở tệp bằng Excel và lưu lại."),
]


def _rgb(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:]


@pytest.fixture
def source(tmp_path) -> Path:
    return write_book(example_book(), tmp_path / "2023-06.xlsx")


@pytest.fixture
def annotated(source, tmp_path):
    return load_workbook(annotate_copy(source, ISSUES, tmp_path / "kiem-tra.xlsx"))


def test_problem_cells_are_filled_by_severity(annotated):
    ws = annotated[schema.INDICATORS]
    assert _rgb(ws["I5"]) == ERROR_COLOR
    assert _rgb(ws["J6"]) == WARNING_COLOR
    assert _rgb(ws["I4"]) not in (ERROR_COLOR, WARNING_COLOR)  # untouched neighbour


def test_comments_carry_message_value_and_fix(annotated):
    comment = annotated[schema.INDICATORS]["I5"].comment
    assert comment is not None and comment.author == COMMENT_AUTHOR
    assert "Ô “Lũy kế” phải là một số." in comment.text
    assert "sáu mươi" in comment.text
    assert "Cách sửa: Gõ số, ví dụ 61,2." in comment.text
    assert annotated[schema.INDICATORS]["J6"].comment.text.startswith("Cảnh báo:")


def test_issue_with_a_sheet_but_no_cell_goes_on_a1(annotated):
    cell = annotated[schema.PROJECTS]["A1"]
    assert _rgb(cell) == WARNING_COLOR
    assert "Tiến độ chưa nhập." in cell.comment.text


def test_error_wins_on_a_cell_with_an_error_and_a_warning(source, tmp_path):
    both = [warning("a", "Cảnh báo một.", sheet=schema.INDICATORS, cell="H4"),
            error("b", "Lỗi hai.", sheet=schema.INDICATORS, cell="H4")]
    ws = load_workbook(annotate_copy(source, both, tmp_path / "out.xlsx"))[schema.INDICATORS]
    assert _rgb(ws["H4"]) == ERROR_COLOR
    assert "Cảnh báo một." in ws["H4"].comment.text and "Lỗi hai." in ws["H4"].comment.text


def test_cell_inside_a_merged_title_is_marked_on_its_first_cell(source, tmp_path):
    issue = warning("title", "Tiêu đề thử.", sheet=schema.INDICATORS, cell="$C$1")
    ws = load_workbook(annotate_copy(source, [issue], tmp_path / "out.xlsx"))[schema.INDICATORS]
    assert _rgb(ws["A1"]) == WARNING_COLOR and "Tiêu đề thử." in ws["A1"].comment.text


def test_summary_sheet_first_lists_every_issue_with_links(annotated):
    assert annotated.sheetnames[0] == SUMMARY_SHEET
    assert annotated.active.title == SUMMARY_SHEET
    ws = annotated[SUMMARY_SHEET]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Mức độ")
    assert [ws.cell(header, c).value for c in range(1, 5)] == ["Mức độ", "Sheet", "Ô", "Nội dung"]
    rows = [[ws.cell(r, c).value for c in range(1, 5)] for r in range(header + 1, ws.max_row + 1)]
    assert len(rows) == len(ISSUES)
    assert sorted(r[3] for r in rows) == sorted(i.message for i in ISSUES)
    assert [r[0] for r in rows] == ["Lỗi"] * 3 + ["Cảnh báo"] * 2  # errors first
    links = {ws.cell(r, 3).value: ws.cell(r, 3).hyperlink for r in range(header + 1, ws.max_row + 1)}
    assert links["I5"].location == "'Chỉ tiêu'!I5"
    assert links["J6"].location == "'Chỉ tiêu'!J6"
    assert "2 cảnh báo" in ws["A2"].value and "3 lỗi" in ws["A2"].value


def test_sheetless_and_missing_sheet_issues_are_listed_without_links(annotated):
    ws = annotated[SUMMARY_SHEET]
    by_message = {ws.cell(r, 4).value: r for r in range(1, ws.max_row + 1)}
    for message in ("Tệp có công thức chưa tính.", "Không có sheet “Thông tin chung”."):
        assert ws.cell(by_message[message], 3).hyperlink is None


def test_only_one_tab_selected(annotated):
    assert [ws.title for ws in annotated.worksheets if ws.sheet_view.tabSelected] == [SUMMARY_SHEET]


def test_no_issues_still_writes_a_summary(source, tmp_path):
    ws = load_workbook(annotate_copy(source, [], tmp_path / "out.xlsx"))[SUMMARY_SHEET]
    assert "Không có lỗi" in ws["A2"].value


def test_source_is_not_modified(source, tmp_path):
    before = sha256_file(source)
    annotate_copy(source, ISSUES, tmp_path / "out.xlsx")
    assert sha256_file(source) == before


def test_existing_staff_comment_is_kept(tmp_path):
    wb = Workbook()
    wb.active.title = schema.INDICATORS
    wb.active["B2"] = 5
    wb.active["B2"].comment = Comment("Số của phòng Tài chính", "Lan")
    wb.save(tmp_path / "in.xlsx")
    issue = error("x", "Sai.", sheet=schema.INDICATORS, cell="B2")
    text = load_workbook(annotate_copy(tmp_path / "in.xlsx", [issue], tmp_path / "out.xlsx"))[
        schema.INDICATORS]["B2"].comment.text
    assert "Sai." in text and "Số của phòng Tài chính" in text


def test_annotating_an_annotated_copy_keeps_one_summary(source, tmp_path):
    first = annotate_copy(source, ISSUES, tmp_path / "one.xlsx")
    second = load_workbook(annotate_copy(first, ISSUES[:1], tmp_path / "two.xlsx"))
    assert second.sheetnames.count(SUMMARY_SHEET) == 1
    assert second.sheetnames[0] == SUMMARY_SHEET


# ---------------------------------------------------------------- .xlsm ---

def _as_xlsm(xlsx: Path, xlsm: Path) -> Path:
    """An .xlsm made from ``xlsx``: macro-enabled content type plus a (dummy) VBA project."""
    with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(xlsm, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(b"</Types>", b'<Default Extension="bin" '
                          b'ContentType="application/vnd.ms-office.vbaProject"/></Types>')
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVba" '
                                    b'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
                                    b'Target="vbaProject.bin"/></Relationships>')
            dst.writestr(item, data)
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really a macro")
    return xlsm


def test_xlsm_source_gives_an_xlsx_copy_without_macros(source, tmp_path):
    xlsm = _as_xlsm(source, tmp_path / "2023-06.xlsm")
    assert "xl/vbaProject.bin" in zipfile.ZipFile(xlsm).namelist()
    written = annotate_copy(xlsm, ISSUES, tmp_path / "kiem-tra.xlsm")
    assert written == tmp_path / "kiem-tra.xlsx"
    assert not (tmp_path / "kiem-tra.xlsm").exists()
    with zipfile.ZipFile(written) as archive:
        assert not any("vba" in name.lower() for name in archive.namelist())
        types = archive.read("[Content_Types].xml").decode()
    assert "macroEnabled" not in types
    wb = load_workbook(written)
    assert _rgb(wb[schema.INDICATORS]["I5"]) == ERROR_COLOR


# ------------------------------------------------------------- bad input ---

@pytest.mark.parametrize("content", [b"", b"this is not a workbook", b"PK\x03\x04broken zip"])
def test_unreadable_source_raises_input_error(tmp_path, content):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(content)
    with pytest.raises(InputError) as caught:
        annotate_copy(bad, ISSUES, tmp_path / "out.xlsx")
    assert caught.value.issues and caught.value.issues[0].is_error
    assert re.search(r"xlsx", caught.value.issues[0].hint)
    assert not (tmp_path / "out.xlsx").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.xlsx"]  # no temporary file left


def test_refuses_to_write_over_the_source(source):
    before = sha256_file(source)
    with pytest.raises(UsageError):
        annotate_copy(source, ISSUES, source)
    assert sha256_file(source) == before


def test_missing_source_raises_input_error(tmp_path):
    with pytest.raises(InputError):
        annotate_copy(tmp_path / "khong-co.xlsx", ISSUES, tmp_path / "out.xlsx")


# --------------------------------------------------------- hostile files ----

def test_a_file_the_reader_refused_as_a_bomb_is_never_opened(tmp_path):
    from reportgen.workbook.read.reader import read_workbook

    bomb = Path(__file__).parent / "fixtures" / "hostile" / "bomb.xlsx"
    issues = read_workbook(bomb).issues
    with pytest.raises(InputError) as err:
        annotate_copy(bomb, issues, tmp_path / "ban-danh-dau.xlsx")
    assert [issue.code for issue in err.value.issues] == ["file.bomb"]
    assert not (tmp_path / "ban-danh-dau.xlsx").exists()


def _with_empty_styled_rows(source: Path, rows: int) -> Path:
    """The workbook with ``rows`` empty formatted rows (and some value-less styled cells) under Chỉ tiêu."""
    from reportgen.workbook.read.formulas import sheet_parts

    with zipfile.ZipFile(source) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
        member = sheet_parts(archive)[schema.INDICATORS]
    filler = "".join(f'<row r="{n}" s="1" customFormat="1"/>' if n % 2 else f'<row r="{n}"><c r="B{n}" s="1"/></row>'
                     for n in range(1000, 1000 + rows))
    members[member] = members[member].replace(b"</sheetData>", filler.encode() + b"</sheetData>")
    path = source.with_name("2023-07.xlsx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return path


def test_empty_formatted_rows_are_left_out_of_the_copy(source, tmp_path):
    """openpyxl would build an object per styled row: a million took a minute and 1.2 GB."""
    big = _with_empty_styled_rows(source, 80_000)
    annotate_copy(big, ISSUES[:1], tmp_path / "ban-danh-dau.xlsx")
    ws = load_workbook(tmp_path / "ban-danh-dau.xlsx")[schema.INDICATORS]
    assert ws.max_row < 1000
    assert _rgb(ws["I5"]) == ERROR_COLOR


def test_compacting_keeps_rows_with_values_and_leaves_small_workbooks_alone(source):
    from reportgen.workbook.read.compact import compact

    small = source.read_bytes()
    assert compact(small) is small
    big = _with_empty_styled_rows(source, 80_000)
    wb = load_workbook(io.BytesIO(compact(big.read_bytes())))
    original = load_workbook(source)
    for title in original.sheetnames:
        assert [[c.value for c in row] for row in wb[title].iter_rows()] == \
            [[c.value for c in row] for row in original[title].iter_rows()], title
