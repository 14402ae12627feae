"""``reportgen check``: read a workbook, list every problem, assess what can be assessed.

:func:`check_workbook` is the library call (``reportgen.api.check``); the
command line prints its result (:mod:`reportgen.cli.texts`), the web page
shows it on the sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from reportgen.core.issues import Issue, errors_in, warnings_in
from reportgen.document.signature import signing
from reportgen.domain.assess import AssessmentResult, assess
from reportgen.domain.headline import assessment_options
from reportgen.narrative.context import configured_text_issues
from reportgen.settings.workspace import Workspace
from reportgen.workbook.read.read_settings import read_settings
from reportgen.workbook.read.reader import ReadResult, read_workbook


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
        read = replace(
            read,
            issues=(
                *read.issues,
                *signing(read.report.info, workspace.config).issues,
                *configured_text_issues(workspace.config, read.report.period),
            ),
        )
    assessment = assess(read.report, assessment_options(workspace.config)) if read.ok and read.report else None
    annotated, not_annotated = None, ""
    if annotate_to is not None and (read.ok or any(issue.sheet for issue in read.issues)):
        from reportgen.workbook.write.annotate import annotate_copy

        annotated = annotate_copy(path, read.issues, annotate_to)
    elif annotate_to is not None:
        not_annotated = (
            f"Không ghi bản đánh dấu {annotate_to}: tệp không mở được như một bảng tính Excel (xem lỗi ở trên)."
        )
    return CheckResult(path, read, assessment, annotated, not_annotated)


__all__ = ["CheckResult", "check_workbook"]
