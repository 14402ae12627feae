"""Sheets Công trình (key projects) and Nhận định (staff paragraphs).

Both are optional: a workbook without them reports no projects and no
remarks.  A remark cell with several lines becomes several paragraphs, all
in the row's section.
"""

from __future__ import annotations

from collections.abc import Iterable

from reportgen.domain.outline import find_section
from reportgen.domain.report_input import Project, Remark, Section
from reportgen.workbook.list_columns import PROJECT_COLUMNS, REMARK_COLUMNS, SECTION_CHOICES
from reportgen.workbook.read.cellnumbers import number_text
from reportgen.workbook.read.cells import CellReader
from reportgen.workbook.read.headers import Layout
from reportgen.workbook.read.raw_cell import RawCell
from reportgen.workbook.read.rows import RowValues, read_values
from reportgen.workbook.read.sheet_layout import is_heading_or_total
from reportgen.workbook.read.validate import check_duplicate_code

# --------------------------------------------------------------- projects ----


def read_projects(rows: Iterable[dict[str, RawCell]], layout: Layout, reader: CellReader) -> list[Project]:
    projects: list[Project] = []
    first_codes: dict[str, RawCell] = {}
    for found in rows:
        if is_heading_or_total(found, layout, ("name",)):
            continue
        row = read_values(reader, found, layout, PROJECT_COLUMNS)
        check_duplicate_code(row, first_codes, reader)
        _check_project_numbers(row, reader)
        project = _project(row, reader)
        if project is not None:
            projects.append(project)
    return projects


def _project(row: RowValues, reader: CellReader) -> Project | None:
    code, name = row.text("code"), row.text("name")
    if row.missing("code"):
        reader.error(
            row.cell("code"),
            "code.missing",
            "Dòng có nội dung nhưng thiếu Mã công trình.",
            "Ghi mã cho công trình (ví dụ CT04, không trùng mã khác); nếu đây là dòng tiêu đề nhóm "
            "hoặc dòng tổng thì chỉ ghi chữ ở cột tên công trình.",
        )
    if row.missing("name"):
        reader.error(
            row.cell("name"),
            "required.blank",
            f"{row.where('name')} không được để trống.",
            "Ghi tên công trình, dự án.",
        )
    if code is None or name is None:
        return None
    return Project(
        code=code,
        name=name,
        total_investment=row.decimal("total_investment"),
        planned_completion=row.text("planned_completion") or "",
        progress=row.decimal("progress"),
        disbursed=row.decimal("disbursed"),
        status_text=row.text("status_text") or "",
        row=row.sheet_row,
    )


def _check_project_numbers(row: RowValues, reader: CellReader) -> None:
    progress = row.decimal("progress")
    if progress is not None and not 0 <= progress <= 100:
        reader.error(
            row.cell("progress"),
            "progress.out_of_range",
            f"{row.where('progress')}: khối lượng hoàn thành phải từ 0 đến 100 (%).",
            "Ghi phần trăm khối lượng đã hoàn thành, ví dụ 65 cho 65%.",
            found=number_text(progress),
        )
    for key in ("total_investment", "disbursed"):
        value = row.decimal(key)
        if value is not None and value < 0:
            reader.error(
                row.cell(key),
                "count.negative",
                f"{row.where(key)}: số tiền không thể âm.",
                "Ghi số tiền thực tế (tỷ đồng).",
                found=number_text(value),
            )
    total, disbursed = row.decimal("total_investment"), row.decimal("disbursed")
    if total is not None and disbursed is not None and 0 <= total < disbursed:
        reader.warning(
            row.cell("disbursed"),
            "disbursed.over_total",
            f"{row.where('disbursed')}: vốn đã giải ngân ({number_text(disbursed)}) lớn hơn tổng mức đầu tư "
            f"({number_text(total)}) của công trình.",
            "Kiểm tra lại hai số, nhất là đơn vị (cả hai đều tính bằng tỷ đồng); nếu tổng mức đầu tư đã "
            "được điều chỉnh, ghi tổng mức mới.",
            found=number_text(disbursed),
        )


# ---------------------------------------------------------------- remarks ----


def read_remarks(rows: Iterable[dict[str, RawCell]], layout: Layout, reader: CellReader) -> list[Remark]:
    remarks: list[Remark] = []
    carried: list[RowValues] = []
    for found in rows:
        row = read_values(reader, found, layout, REMARK_COLUMNS)
        text = row.text("text")
        if text is None:
            continue  # blank Nội dung: nothing to place, whatever Phần says
        section = _section(row, reader)
        if section is None:
            continue
        if row.values.get("carried"):
            carried.append(row)
        owner = row.text("owner") or ""
        remarks.extend(
            Remark(section, paragraph, row.sheet_row, owner, bool(row.values.get("carried")))
            for paragraph in text.split("\n")
        )
    _warn_carried(carried, reader)
    return remarks


def _warn_carried(rows: list[RowValues], reader: CellReader) -> None:
    """One warning for every paragraph still as ``reportgen new`` copied it from the last period."""
    if not rows:
        return
    where = (
        f"dòng {rows[0].sheet_row}"
        if len(rows) == 1
        else f"{len(rows)} dòng: {', '.join(str(r.sheet_row) for r in rows)}"
    )
    reader.warning(
        rows[0].cell("carried"),
        "remark.carried",
        f"Đoạn văn chép từ báo cáo kỳ trước, chưa được sửa cho kỳ này ({where}); báo cáo vẫn đưa vào như đang ghi.",
        "Sửa nội dung ở cột “Nội dung” cho đúng kỳ báo cáo (hoặc xóa dòng không cần), rồi xóa dấu “x” "
        "ở cột “Chép từ kỳ trước” của dòng đó.",
    )


def _section(row: RowValues, reader: CellReader) -> Section | None:
    text = row.text("section")
    if text is None:
        if row.missing("section"):
            reader.error(
                row.cell("section"),
                "required.blank",
                f"{row.where('section')} không được để trống.",
                f"Chọn phần của báo cáo trong danh sách thả xuống: {_choices()}.",
            )
        return None
    section = find_section(text)
    if section is None:
        reader.error(
            row.cell("section"),
            "section.unknown",
            f"{row.where('section')} không hợp lệ; chỉ nhận một trong các phần: {_choices()}.",
            "Chọn trong danh sách thả xuống của cột.",
            found=text,
        )
    return section


def _choices() -> str:
    """The parts staff may choose, each quoted: several contain commas and semicolons."""
    return ", ".join(f"“{choice}”" for choice in SECTION_CHOICES)
