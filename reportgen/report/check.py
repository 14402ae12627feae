"""``reportgen check``: read a workbook, list every problem, assess what can be assessed.

:func:`check_workbook` is the library call; :func:`render_check` turns its
result into the Vietnamese text the command prints (problems first, errors
and warnings apart, then — when there are no errors — the assessment table).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from reportgen.domain.assess import Assessment, AssessmentResult, Measure, assess
from reportgen.domain.headline import assessment_options, summary_line
from reportgen.document.signature import signing
from reportgen.document.table import points_text
from reportgen.core.issues import Issue, errors_in, notes_in, warnings_in
from reportgen.narrative.context import configured_text_issues
from reportgen.core.vnformat import vn_num, vn_pct
from reportgen.workbook.read.read_settings import read_settings
from reportgen.workbook.read.reader import ReadResult, read_workbook
from reportgen.settings.workspace import Workspace


@dataclass(frozen=True)
class CheckResult:
    path: Path
    read: ReadResult
    assessment: AssessmentResult | None
    """None when the workbook has errors."""
    annotated: Path | None = None
    """The highlighted copy, when one was asked for."""
    not_annotated: str = ""
    """Why no highlighted copy was written although one was asked for (the file is no workbook at all)."""

    @property
    def ok(self) -> bool:
        return self.read.ok

    @property
    def errors(self) -> list[Issue]:
        return errors_in(self.read.issues)

    @property
    def warnings(self) -> list[Issue]:
        return warnings_in(self.read.issues)


def check_workbook(path: Path | str, workspace: Workspace, annotate_to: Path | str | None = None) -> CheckResult:
    """Read and validate ``path``; assess it when it has no errors.

    With ``annotate_to``, also write a copy of the workbook with every problem
    cell highlighted and commented (even when there are no problems, so the
    caller always gets the file it asked for).
    """
    path = Path(path)
    if not workspace.unit:  # a workbook in inputs/<unit>/ is checked against that unit's settings
        workspace = workspace.for_unit(workspace.unit_of(path))
    read = read_workbook(path, read_settings(workspace.config))
    if read.report is not None:
        # the signature block's lines must fit the signer's title (Decree 30); configured text naming another
        # year than the workbook's period is stale
        read = replace(read, issues=(*read.issues, *signing(read.report.info, workspace.config).issues,
                                     *configured_text_issues(workspace.config, read.report.period)))
    assessment = assess(read.report, assessment_options(workspace.config)) if read.ok and read.report else None
    annotated, not_annotated = None, ""
    if annotate_to is not None and (read.ok or any(issue.sheet for issue in read.issues)):
        from reportgen.workbook.write.annotate import annotate_copy

        annotated = annotate_copy(path, read.issues, annotate_to)
    elif annotate_to is not None:
        not_annotated = (f"Không ghi bản đánh dấu {annotate_to}: tệp không mở được như một bảng tính Excel "
                         "(xem lỗi ở trên).")
    return CheckResult(path, read, assessment, annotated, not_annotated)


# ------------------------------------------------------------------ text ----

def render_check(result: CheckResult) -> str:
    lines = [f"Tệp: {result.path}"]
    report = result.read.report
    if report is not None:
        sample = " — DỮ LIỆU MẪU" if report.info.sample else ""
        lines.append(f"SHA-256: {report.sha256}")
        lines.append(f"Kỳ báo cáo: {report.period.label_with_year}{sample}")
        lines.append(f"{len(report.indicators)} chỉ tiêu · {len(report.projects)} công trình · "
                     f"{len(report.remarks)} đoạn nhận định")
    lines.append("")
    lines.extend(render_issues(result.read.issues, annotate_hint=result.annotated is None
                               and not result.not_annotated))
    if result.assessment is not None:
        lines.append("")
        lines.extend(render_assessment(result.assessment))
    if result.annotated is not None:
        lines.append("")
        lines.append(f"Đã ghi bản đánh dấu lỗi: {result.annotated}")
    if result.not_annotated:
        lines.append("")
        lines.append(result.not_annotated)
    return "\n".join(lines)


def render_issues(issues: tuple[Issue, ...] | list[Issue], annotate_hint: bool = True) -> list[str]:
    """The problems, errors and warnings apart.  The advice to ask for a coloured copy is given only where
    one can help: the workbook could be read (the problems sit on cells) and no copy was asked for yet."""
    errors, warnings = errors_in(issues), warnings_in(issues)
    lines = [f"Lỗi ({len(errors)}):" if errors else "Không có lỗi."]
    lines += [f"  {n}. {issue}" for n, issue in enumerate(errors, 1)]
    if warnings:
        lines.append(f"Cảnh báo ({len(warnings)}):")
        lines += [f"  {n}. {issue}" for n, issue in enumerate(warnings, 1)]
    notes = notes_in(issues)
    if notes:
        lines.append(f"Ghi chú ({len(notes)}):")
        lines += [f"  {n}. {issue}" for n, issue in enumerate(notes, 1)]
    if errors:
        lines.append("")
        advice = "Sửa các lỗi trên trong tệp Excel rồi chạy lại."
        if annotate_hint and any(issue.sheet for issue in errors):
            advice += " Thêm --annotate BAN_DANH_DAU.xlsx để có bản tô màu các ô lỗi."
        lines.append(advice)
    return lines


_COLUMNS = (("Mã", 6), ("Chỉ tiêu", 34), ("ĐVT", 10), ("Kế hoạch năm", 16), ("Thực hiện", 11),
            ("% KH", 10), ("So cùng kỳ", 14), ("Đánh giá", 17))


def render_assessment(result: AssessmentResult) -> list[str]:
    title = (f"ĐÁNH GIÁ CHỈ TIÊU — {result.period.label_with_year}; "
             f"thời gian đã qua: {vn_pct(result.elapsed_ratio)} của năm")
    lines = [title, _row([name for name, _ in _COLUMNS]), _row(["─" * width for _, width in _COLUMNS])]
    lines += [_row(_cells(item)) for item in result.items]
    lines.append("")
    lines.append(summary_line(result))
    return lines


def _cells(item: Assessment) -> list[str]:
    """The same figures as the appendix table: rates in percentage points, ratios only where defined."""
    ind = item.indicator
    target = ind.target_label() or "-"
    value = vn_num(ind.value, 3) if ind.value is not None else "-"
    if ind.is_rate and item.measure is not Measure.REDUCTION:
        plan = _points(item.point_diff)
    else:
        plan = vn_pct(item.plan_ratio) if item.plan_ratio is not None else "-"
    return [ind.code, ind.name, ind.unit, target, value, plan, _change(item), item.status.value]


def _change(item: Assessment) -> str:
    if item.indicator.is_rate:
        return _points(item.same_period_points)
    change = item.growth if item.compares_growth else item.same_period_change
    if change is None:
        return "-"
    word = "tăng" if change >= 0 else "giảm"
    return f"{word} {vn_pct(abs(change))}"


def _points(value) -> str:
    """'+0,7 điểm', '-0,8 điểm' (percentage points), '-' when undefined."""
    text = points_text(value)
    return text if text == "-" else f"{text} điểm"


def _row(cells: list[str]) -> str:
    return "  ".join(_fit(text, width) for text, (_, width) in zip(cells, _COLUMNS)).rstrip()


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


__all__ = ["CheckResult", "check_workbook", "render_check", "render_issues", "render_assessment",
           "assessment_options", "summary_line"]
