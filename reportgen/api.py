"""reportgen as a library: what the command line and the local web page call.

Each function is one use case of a working folder, takes plain values and
returns a result object; none prints, none asks, none exits.  Problems come
as exceptions of :mod:`reportgen.core.errors` (each with its exit status and
a Vietnamese message naming the place and the fix).  The faces — ``cli/``
(click) and the web page — only turn arguments into these calls and results
into text or HTML.

    >>> from reportgen import api
    >>> folder = api.open_folder("baocao-binhlieu")
    >>> checked = api.check(folder, "inputs/2023-06.xlsx")
    >>> checked.ok, len(checked.errors)
    >>> built = api.generate(folder, "inputs/2023-06.xlsx")
    >>> built.files["pdf"]

The heavy modules (openpyxl, reportlab, python-docx, Jinja2) are imported
inside the functions that need them, so that ``reportgen --help`` and a
command that never writes a report start in a few milliseconds, and so that
:func:`generate` can start the PDF's own process before they are imported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.core.errors import UsageError
from reportgen.core.periods import Period
from reportgen.settings.workspace import Workspace

if TYPE_CHECKING:  # the result types, named for readers and type checkers only
    from reportgen.delivery.schedule import SchedulePassword, SchedulerEntry
    from reportgen.document.sheet_picture import WorkbookPicture
    from reportgen.issuance import Secrets
    from reportgen.issuance.register_of_year import RegisterFiles
    from reportgen.issuance.verification import Verification
    from reportgen.report.check import CheckResult
    from reportgen.report.drafts import RevisionView
    from reportgen.report.generate import GeneratedReport
    from reportgen.report.init_folder import InitResult
    from reportgen.report.new_workbook import NewResult
    from reportgen.report.summary import SummaryResult
    from reportgen.run.approving import Approval
    from reportgen.run.by_hand import Sending, TestMail
    from reportgen.run.daily import RunResult
    from reportgen.run.history import History
    from reportgen.run.issuing import Issued
    from reportgen.run.period_states import PeriodState
    from reportgen.settings.config_file import SavedSettings, SettingField

FORMATS = ("docx", "pdf")
Progress = Callable[[str], None]


def open_folder(root: Path | str | None = None, config: Path | str | None = None) -> Workspace:
    """The working folder at ``root`` (default: the current folder), with its reportgen.toml or ``config``."""
    return Workspace.open(Path(root) if root is not None else None, Path(config) if config is not None else None)


# ------------------------------------------------------------------ one workbook ----


def init(directory: Path | str, force: bool = False) -> InitResult:
    """A new working folder: reportgen.toml, templates/, inputs/ with the sample workbook, outputs/, docs/."""
    from reportgen.report.init_folder import init_folder

    return init_folder(directory, force=force)


def new_workbook(folder: Workspace, period: Period, unit: str = "", force: bool = False) -> NewResult:
    """The input workbook of ``period`` for staff to fill, written to inputs/ (of ``unit``)."""
    from reportgen.report.new_workbook import create_workbook

    folder.require_folder()
    return create_workbook(period, folder.for_unit(unit), force=force)


def check(folder: Workspace, workbook: Path | str, annotate_to: Path | str | None = None) -> CheckResult:
    """Every problem of ``workbook``, on its cell, and the assessment when there are no errors; with
    ``annotate_to``, a copy of the workbook with the problem cells coloured and commented."""
    from reportgen.report.check import check_workbook

    return check_workbook(workbook, folder, annotate_to)


def generate(
    folder: Workspace,
    workbook: Path | str,
    *,
    draft: bool = False,
    formats: Sequence[str] = FORMATS,
    out_dir: Path | str | None = None,
) -> GeneratedReport:
    """The report of ``workbook``: Word and PDF (with the figures as JSON and XLSX), each read back before it
    counts.  A workbook with errors raises :class:`~reportgen.core.errors.InputError` and writes nothing."""
    from reportgen.report.writing_process import writing_process

    wanted = tuple(fmt for fmt in FORMATS if fmt in formats)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not wanted:
        raise UsageError(f"Định dạng không có: {', '.join(unknown) or '(trống)'}; chọn docx, pdf hoặc cả hai.")
    with writing_process(wanted) as writers:  # started before the imports below, which it need not wait for
        from reportgen.report.generate import GenerateOptions
        from reportgen.report.generate import generate as generate_report

        options = GenerateOptions(draft=draft, formats=wanted, out_dir=Path(out_dir) if out_dir else None)
        return generate_report(Path(workbook), folder, options, writers)


def summary(
    folder: Workspace, period: Period, jobs: int | None = None, out_dir: Path | str | None = None
) -> SummaryResult:
    """Every unit's status per indicator for ``period``, as a workbook and a PDF (outputs/tong-hop/<period>/)."""
    from reportgen.report.summary import write_summary
    from reportgen.run.batch import default_jobs

    return write_summary(folder, period, jobs or default_jobs(), Path(out_dir) if out_dir else None)


def submit(folder: Workspace, workbook: Path | str, unit: str = "", annotate_to: Path | None = None) -> Submission:
    """An upload checked where it lies (with the picture of its problem sheets); a valid one is put in inputs/ as
    ``<period>.xlsx`` and the daily job runs at once (under the run lock), recording its draft."""
    from reportgen.core.files import atomic_write_bytes, sha256_file
    from reportgen.settings.limits import limits_from_config
    from reportgen.workbook.read.picture_reader import workbook_picture

    checked = check(folder.for_unit(unit), workbook, annotate_to)
    limits = limits_from_config(folder.config)
    picture = workbook_picture(checked.path, checked.read.issues, limits) if checked.read.issues else None
    if not checked.ok or checked.read.report is None:
        return Submission(checked, picture, None, "", None)
    suffix = ".xlsm" if Path(workbook).suffix.lower() == ".xlsm" else ".xlsx"
    target = folder.for_unit(unit).inputs / f"{checked.read.report.period.code}{suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, Path(workbook).read_bytes())
    return Submission(checked, picture, target, sha256_file(target), run(folder, wait=600.0))


def report_revision(
    folder: Workspace, period: Period, unit: str = "", revision: int | None = None, compare_to: int | None = None
) -> RevisionView:
    """A recorded revision of the period's report (the latest by default): files, figures, document model, and
    what changed figure by figure since ``compare_to`` (by default the revision before it)."""
    from reportgen.report.drafts import revision_view

    return revision_view(folder.for_unit(unit), period.code, revision, compare_to)


def settings_form(folder: Workspace, unit: str = "") -> list[SettingField]:
    """The keys of reportgen.toml the settings page may change (of [units.<unit>] for ``unit``), with their values."""
    from reportgen.settings.config_file import editable_fields

    return editable_fields(folder, folder.for_unit(unit).unit)


def save_settings(folder: Workspace, changes: dict[tuple[str, str], str], unit: str = "") -> SavedSettings:
    """The settings page's changes validated as reportgen.toml is and saved, the previous file kept beside it."""
    from reportgen.settings.config_file import save_settings as save

    return save(folder, changes, folder.for_unit(unit).unit)


# ------------------------------------------------------------------ the daily job and the mail ----


def run(
    folder: Workspace,
    now: datetime | None = None,
    *,
    wait: float = 60.0,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """The daily job: every new or corrected workbook checked and built, the mail that is due sent (or written
    to outputs/outbox/), failures retried, reminders sent; the receipt.  Running it twice changes nothing."""
    from reportgen.run.batch import default_jobs
    from reportgen.run.daily import run as run_daily

    return run_daily(folder, _run_options(now, wait, progress, jobs or default_jobs()))


def send_test(folder: Workspace, to: str | None = None, now: datetime | None = None) -> TestMail:
    """A test message through the configured mail server, to ``to`` or the staff address."""
    from reportgen.run.by_hand import TestMail
    from reportgen.run.by_hand import send_test as send

    reply = send(folder, now or _now(), to)
    return TestMail(to or folder.config.mail.staff or folder.config.mail.sender, str(reply))


def retry_failed(
    folder: Workspace,
    unit: str | None = None,
    now: datetime | None = None,
    *,
    wait: float = 60.0,
    progress: Progress | None = None,
) -> Sending:
    """Every message the server refused, sent again (after the cause was fixed)."""
    from reportgen.run.by_hand import Sending
    from reportgen.run.by_hand import retry_failed as retry

    count, result = retry(folder, _run_options(now, wait, progress), unit or None)
    return Sending(count, result)


def send_report(
    folder: Workspace,
    period: Period,
    *,
    to: str | None = None,
    again: bool = False,
    unit: str = "",
    now: datetime | None = None,
    wait: float = 60.0,
    progress: Progress | None = None,
) -> Sending:
    """The recorded report of ``period`` sent now: to its recipients (held ones included), or to ``to``."""
    from reportgen.run.by_hand import Sending, send_period

    count, result = send_period(folder, period, _run_options(now, wait, progress), to=to, again=again, unit=unit)
    return Sending(count, result)


def history(folder: Workspace, unit: str | None = None) -> History:
    """What the ledger holds: workbooks received, reports built, every message and its tries, recent runs."""
    from reportgen.run.history import read_history

    folder.require_folder()
    if unit:
        folder.for_unit(unit)  # an unknown unit is an error, not an empty history
    return read_history(folder, unit)


def watch(folder: Workspace, on_workbook: Callable[[Path], None], settle: float = 2.0) -> None:
    """Call ``on_workbook`` for every workbook dropped into (or saved again in) inputs/, once it stands still."""
    from reportgen.delivery.watch import watch as watch_folder

    watch_folder(folder.inputs, on_workbook, settle=settle)


# ------------------------------------------------------------------ the schedule ----


def schedule_entry(folder: Workspace, system: str = "auto") -> SchedulerEntry:
    """The operating system's daily entry that runs ``reportgen run`` in this folder (cron, systemd, Windows)."""
    from reportgen.delivery.schedule import detect_system, scheduler_entry

    folder.require_folder()
    return scheduler_entry(folder, detect_system() if system == "auto" else system)


def install_schedule(entry: SchedulerEntry) -> list[str]:
    """Install ``entry`` in the operating system's scheduler; what was done, line by line."""
    from reportgen.delivery.schedule import install_entry

    return list(install_entry(entry))


def schedule_password(folder: Workspace) -> SchedulePassword:
    """Where scheduled runs find the mail password, and whether it is stored there yet."""
    from reportgen.delivery.schedule import SchedulePassword, password_setting

    folder.require_folder()
    setting = password_setting(folder, Path.home())
    if setting is None:
        return SchedulePassword(needed=False, username="", file=None)
    return SchedulePassword(needed=True, username=folder.config.mail.username or "", file=setting[1])


def store_schedule_password(folder: Workspace, password: str) -> str:
    """Keep the mail password for scheduled runs (a file only this user reads, or the Credential Manager)."""
    from reportgen.delivery.mail.credentials import store_password
    from reportgen.delivery.schedule import password_setting

    setting = password_setting(folder, Path.home())
    if setting is None:
        raise UsageError(
            "Máy chủ thư không cần mật khẩu (chưa có [mail] host và username trong reportgen.toml); không có gì để lưu."
        )
    return store_password(folder.config.mail, password, setting[1])


# ------------------------------------------------------------------ signatures ----


def verify(folder: Workspace, pdf: Path | str) -> Verification:
    """Every digital signature of ``pdf``: who, by whose certificate, when, intact, trusted."""
    from reportgen.issuance import all_good, trust_roots_of, verify_pdf
    from reportgen.issuance.verification import Verification

    roots = trust_roots_of(folder.config.sign, folder.root)
    reports = tuple(verify_pdf(Path(pdf), roots))
    return Verification(Path(pdf), reports, bool(roots), all_good(reports, bool(roots)))


def approve(folder: Workspace, period: Period, unit: str = "", by: str = "", now: datetime | None = None) -> Approval:
    """The signer approves the latest revision of ``period``'s report: who, when, bound to its content hash."""
    from reportgen.run.approving import approve_report

    return approve_report(folder, period, unit, by, now or _now())


def issue(
    folder: Workspace,
    period: Period,
    unit: str = "",
    number: int | None = None,
    on: date | None = None,
    approve_as: str | None = None,
    secrets: Secrets | Callable[[], Secrets] | None = None,
    now: datetime | None = None,
    wait: float = 60.0,
    progress: Progress | None = None,
) -> Issued:
    """The approved report of ``period`` numbered (the register's next, or ``number``), dated (today, or ``on``),
    re-rendered, signed with ``secrets`` (the PIN or passphrase; a callable is asked only after every check has
    passed), registered and sent to [mail] to."""
    from reportgen.run.issuing import IssueOptions, issue_report

    options = IssueOptions(now or _now(), number, on, approve_as, secrets, wait, progress=progress or _quiet)
    return issue_report(folder, period, unit, options)


def signing_secrets(
    folder: Workspace, ask: Callable[[str], str], unit: str = "", signer_env: str = "", office_env: str = ""
) -> Secrets:
    """The PIN or passphrase of each key that signs ``unit``'s reports ([sign], [sign.office], or the unit's own
    tables): read from the environment variable named, else ``ask(prompt)``; for :func:`issue`."""
    from reportgen.issuance.signing_setup import SignSettings, ask_secrets

    config = folder.for_unit(unit).config
    settings = SignSettings.from_config(config.sign, folder.root, config.source or None)
    return ask_secrets(settings, ask, {"signer": signer_env, "office": office_env})


def register(folder: Workspace, year: int, unit: str = "") -> RegisterFiles:
    """The unit's Sổ đăng ký văn bản đi of ``year`` (Phụ lục IV) as .xlsx and .pdf, from the documents issued."""
    from reportgen.run.registering import write_register_files

    return write_register_files(folder, year, unit)


def period_states(folder: Workspace, unit: str | None = None, now: datetime | None = None) -> list[PeriodState]:
    """Every period of every unit (or of ``unit``) the folder knows, with its state and what to do next; the
    due dates counted are those of ``now``'s year up to ``now``."""
    from reportgen.run.period_states import period_states as states

    if unit:
        folder.for_unit(unit)  # an unknown unit is an error, not an empty list
    return states(folder, unit, now or _now())


# ------------------------------------------------------------------ results ----


@dataclass(frozen=True)
class Submission:
    checked: CheckResult
    picture: WorkbookPicture | None  # the sheets with problems as staff typed them
    placed: Path | None
    """Where the valid workbook now lies in inputs/ (None: it had errors and was put nowhere)."""
    sha256: str
    run: RunResult | None  # the run that built its draft, with its receipt


def _quiet(_text: str) -> None:
    return None


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _run_options(now: datetime | None, wait: float, progress: Progress | None, jobs: int | None = None):
    from reportgen.run.daily import RunOptions

    options = RunOptions(now=now or _now(), wait=wait, progress=progress or (lambda _text: None))
    return replace(options, jobs=jobs) if jobs else options
