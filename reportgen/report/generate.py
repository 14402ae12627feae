"""``reportgen generate``: one workbook → the report files of its period.

read → check → assess → build the document once → write each format to a
staged temporary file → read every file back → publish them all together.
A workbook with errors produces nothing (:class:`InputError`, exit 3); a file
that fails its read-back check is never published (:class:`~reportgen.core.errors.RenderError`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Executor, wait
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.core.errors import InputError, UsageError
from reportgen.core.files import Stage, sha256_file, sweep_temporaries
from reportgen.core.issues import Issue, warnings_in
from reportgen.document.build import BuildOptions, build_document
from reportgen.document.model import Document
from reportgen.document.signature import signing
from reportgen.domain.assess import AssessmentResult, assess
from reportgen.domain.headline import assessment_options
from reportgen.domain.report_input import ReportInput
from reportgen.narrative.context import configured_text_issues
from reportgen.readback import read_back as verify
from reportgen.settings.workspace import Workspace
from reportgen.workbook.read.read_settings import read_settings
from reportgen.workbook.read.reader import read_workbook
from reportgen.writers import FORMATS

REPORT_FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class GenerateOptions:
    draft: bool = False
    """Leave the document number and the day blank."""
    formats: tuple[str, ...] = REPORT_FORMATS
    out_dir: Path | None = None
    """Default: outputs/<period>/xem-truoc/ for a preview; outputs/<period>/ for a recorded revision."""
    revision: int | None = None
    """The ledger's revision these files are (``reportgen run``): its number is in their names, so no
    revision's files, once recorded (and perhaps sent), are ever overwritten.  None: a preview."""
    charts: bool = True
    replaces: str = ""
    """An issued correction: the issued document it replaces ("Báo cáo số 01/BC-UBND ngày 20/6/2023")."""


@dataclass(frozen=True)
class GeneratedReport:
    report: ReportInput
    assessment: AssessmentResult
    out_dir: Path
    files: dict[str, Path]
    """Format ('docx', 'pdf', 'json', 'xlsx') → published path."""
    hashes: dict[str, str]
    """Format → SHA-256 of the published file."""
    pdf_pages: int | None = None
    warnings: tuple[Issue, ...] = field(default=())


PREVIEW_FOLDER = "xem-truoc"
"""Where ``reportgen generate`` writes, inside the period's folder: a preview never replaces a recorded
revision's files (those are named ``…-lan-N``)."""


def output_names(period_code: str, revision: int | None = None) -> dict[str, str]:
    """File names without diacritics, safe on every file system and mail client; a recorded
    revision's carry its number: bao-cao-2023-06-lan-2.pdf."""
    tail = f"-lan-{revision}" if revision is not None else ""
    return {
        "docx": f"bao-cao-{period_code}{tail}.docx",
        "pdf": f"bao-cao-{period_code}{tail}.pdf",
        "json": f"so-lieu-{period_code}{tail}.json",
        "xlsx": f"so-lieu-{period_code}{tail}.xlsx",
    }


def default_out_dir(workspace: Workspace, period_code: str, revision: int | None) -> Path:
    folder = workspace.outputs / period_code
    return folder if revision is not None else folder / PREVIEW_FOLDER


def generate(
    workbook: Path | str,
    workspace: Workspace,
    options: GenerateOptions = GenerateOptions(),
    writers: Mapping[str, Executor] = {},  # noqa: B006 - read-only default
) -> GeneratedReport:
    """Build and publish the reports for ``workbook``; raise InputError when it has errors.

    A workbook in inputs/<unit>/ is reported as that unit ([units.<unit>] names, outputs/<unit>/).
    ``writers``: the formats written in another process, not here
    (:func:`reportgen.report.writing_process.writing_process`).
    """
    if not workspace.unit:
        workspace = workspace.for_unit(workspace.unit_of(Path(workbook)))
    _report_formats(options)  # a usage error before the workbook is read
    read = read_workbook(workbook, read_settings(workspace.config))
    if not read.ok or read.report is None:
        raise InputError(read.issues, workbook)
    return generate_from_report(read.report, workspace, options, warnings_in(read.issues), writers)


def generate_from_report(
    report: ReportInput,
    workspace: Workspace,
    options: GenerateOptions = GenerateOptions(),
    warnings: list[Issue] | tuple[Issue, ...] = (),
    writers: Mapping[str, Executor] = {},  # noqa: B006 - read-only default
) -> GeneratedReport:
    formats = _report_formats(options)
    warnings = (*warnings, *configured_text_issues(workspace.config, report.period))
    result = assess(report, assessment_options(workspace.config))
    document = build(report, result, workspace, options)
    out_dir = (
        Path(options.out_dir) if options.out_dir else default_out_dir(workspace, report.period.code, options.revision)
    )
    sweep_temporaries([out_dir], recursive=False)  # what a killed earlier build left there
    names = output_names(report.period.code, options.revision)
    with Stage() as stage:
        staged = {fmt: stage.path_for(out_dir / names[fmt]) for fmt in (*formats, "json", "xlsx")}
        pages = write_formats(
            document,
            {fmt: staged[fmt] for fmt in formats},
            writers,
            meanwhile=lambda: _write_figures(report, result, staged, document.metadata.created),
        )
        stage.commit()
    files = {fmt: out_dir / names[fmt] for fmt in staged}
    hashes = {fmt: sha256_file(path) for fmt, path in files.items()}
    signer = signing(report.info, workspace.config).issues  # authority lines corrected to fit the signer's title
    return GeneratedReport(report, result, out_dir, files, hashes, pages, (*warnings, *signer))


def write_formats(
    document: Document,
    paths: dict[str, Path],
    writers: Mapping[str, Executor] = {},  # noqa: B006 - read-only default
    meanwhile: Callable[[], None] | None = None,
) -> int | None:
    """Write each format to its (staged) path and read it back; the PDF's page count.

    A format with an executor in ``writers`` (:func:`reportgen.report.writing_process.writing_process`) is
    written and read back there, the others here one after the other; then ``meanwhile`` is done here (the
    figures files: about 25 ms of a one-off command that would otherwise follow the slowest format), and only
    then are the other processes waited for.  Either way a failure is raised here with its message (from a
    process: its traceback chained as the cause), an import error included.
    """
    elsewhere = {
        fmt: writers[fmt].submit(verify.write_checked, fmt, document, path)
        for fmt, path in paths.items()
        if fmt in writers
    }
    written: dict[str, int | None] = {}
    try:
        for fmt, path in paths.items():
            if fmt not in elsewhere:
                written[fmt] = verify.write_checked(fmt, document, path)
        if meanwhile is not None:
            meanwhile()
        for fmt, future in elsewhere.items():
            written[fmt] = future.result()
    except BaseException:
        wait(elsewhere.values())  # every staged file is finished before the stage removes the files
        raise
    return written.get("pdf")


def build(
    report: ReportInput, result: AssessmentResult, workspace: Workspace, options: GenerateOptions = GenerateOptions()
) -> Document:
    """The document model of one report."""
    build_options = BuildOptions(
        draft=options.draft, charts=options.charts, templates_dir=workspace.templates, replaces=options.replaces
    )
    return build_document(report, result, workspace.config, build_options)


def _report_formats(options: GenerateOptions) -> tuple[str, ...]:
    """The Word and PDF formats asked for, in a fixed order; an unknown one is a usage error."""
    unknown = [f for f in options.formats if f not in REPORT_FORMATS]
    if unknown or not options.formats:
        raise UsageError(
            f"định dạng không hỗ trợ: {', '.join(unknown) or '(trống)'}; chọn trong: {', '.join(REPORT_FORMATS)}"
        )
    return tuple(fmt for fmt in REPORT_FORMATS if fmt in options.formats)


def _write_figures(report: ReportInput, result: AssessmentResult, staged: dict[str, Path], created) -> None:
    from reportgen.report.figures_file import figures_json, figures_table
    from reportgen.workbook.write.figures_workbook import write_figures_xlsx

    rows = figures_table(report, result)  # once, for both files
    staged["json"].write_bytes(figures_json(report, result, rows))
    write_figures_xlsx(rows, staged["xlsx"], created=created)


__all__ = [
    "FORMATS",
    "PREVIEW_FOLDER",
    "GenerateOptions",
    "GeneratedReport",
    "build",
    "default_out_dir",
    "generate",
    "generate_from_report",
    "output_names",
    "write_formats",
]
