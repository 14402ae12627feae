"""``reportgen new PERIOD``: the next input workbook, ready for staff.

The plan (codes, names, units, targets, start-of-year levels, key projects)
comes from the newest earlier workbook in inputs/ that reads without errors,
else from the built-in default plan; that workbook's staff paragraphs (Nhận
định) are carried forward as a starting point, marked "Chép từ kỳ trước"
until staff revise them.  When inputs/ holds last year's workbook for the
same period, its figures fill "Cùng kỳ năm trước".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportgen.core.errors import UsageError
from reportgen.core.periods import Period, PeriodError
from reportgen.domain.plan import book_for_period, default_plan, plan_from_report
from reportgen.domain.report_input import ReportInput
from reportgen.settings.limits import Limits, limits_from_config
from reportgen.settings.workspace import Workspace
from reportgen.workbook.read.reader import read_workbook
from reportgen.workbook.write.input_workbook import write_book

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class NewResult:
    path: Path
    plan_source: str
    """'default' or the path of the workbook the plan was taken from."""
    same_period_source: str | None
    """The workbook whose figures became "Cùng kỳ năm trước", if any."""
    notes: tuple[str, ...] = ()
    """Things staff should know: skipped workbooks, a plan from another year."""


def input_workbooks(folder: Path) -> list[tuple[Period, Path]]:
    """Workbooks in ``folder`` named by period (2023-06.xlsx), oldest first.

    Excel's lock files (~$2023-06.xlsx) and files not named by a period are ignored.
    """
    found: list[tuple[Period, Path]] = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        if path.suffix.lower() not in WORKBOOK_SUFFIXES or path.name.startswith(("~$", ".")):
            continue
        try:
            found.append((Period.parse(path.stem), path))
        except PeriodError:
            continue
    return sorted(found, key=lambda item: item[0].sort_key)


def create_workbook(period: Period, workspace: Workspace, force: bool = False) -> NewResult:
    """Write ``inputs/<period>.xlsx`` for ``period``; refuse to overwrite unless ``force``."""
    target = workspace.inputs / f"{period.code}.xlsx"
    if target.exists() and not force:
        raise UsageError(
            f"Tệp {target} đã có. Mở tệp đó để nhập số liệu, hoặc dùng --force để tạo lại "
            "(số liệu đã nhập trong tệp cũ sẽ mất)."
        )
    notes: list[str] = []
    earlier = [(p, path) for p, path in input_workbooks(workspace.inputs) if p.sort_key < period.sort_key]
    limits = limits_from_config(workspace.config)
    source = _newest_readable(reversed(earlier), notes, limits)
    plan = plan_from_report(source) if source else default_plan()
    if plan.year != period.year:
        notes.append(
            f"Kế hoạch lấy từ năm {plan.year}; hãy cập nhật cột “Kế hoạch năm” theo nghị quyết năm "
            f"{period.year} (ô kế hoạch đã khóa: Review → Unprotect Sheet, không cần mật khẩu) và ghi mức "
            "“Đầu năm” vào các ô nền xanh của chỉ tiêu “giảm …”."
        )
    same = _same_period(period, workspace, notes, limits)
    write_book(book_for_period(period, plan, same, last_period=source), target)
    return NewResult(target, plan.source, same.source if same else None, tuple(notes))


def _newest_readable(candidates, notes: list[str], limits: Limits) -> ReportInput | None:
    for _, path in candidates:
        result = read_workbook(path, limits)
        if result.ok and result.report:
            return result.report
        notes.append(f"Bỏ qua {path.name}: tệp có lỗi (chạy “reportgen check {path}” để xem).")
    return None


def _same_period(period: Period, workspace: Workspace, notes: list[str], limits: Limits) -> ReportInput | None:
    last_year = period.previous_year()
    for found, path in input_workbooks(workspace.inputs):
        if found == last_year:
            result = read_workbook(path, limits)
            if result.ok and result.report:
                return result.report
            notes.append(f"Không lấy được số cùng kỳ từ {path.name}: tệp có lỗi.")
    return None
