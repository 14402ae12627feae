"""The sections of reportgen.toml as typed, frozen objects, each key with its documented default.

:mod:`reportgen.settings.config` reads the file into them, checking every key; the rest of reportgen reads
these objects, never the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reportgen.settings.limits import Limits
from reportgen.settings.sign import SignConfig

INTERNAL = {"internal": True}
"""Metadata of a field set by reportgen itself, never a key of the file."""


@dataclass(frozen=True)
class UnitConfig:
    """[unit] — the issuing agency, as printed in the header and the prose."""

    agency: tuple[str, ...] = ()
    """Header lines of the agency, upper case: ["ỦY BAN NHÂN DÂN", "HUYỆN BÌNH LIÊU"]."""
    superior: str = ""
    """Superior agency line (regular weight), only for a subordinate issuer."""
    name: str = ""
    """Full name in prose: "Ủy ban nhân dân huyện Bình Liêu"."""
    short_name: str = ""
    """Short name: "UBND huyện Bình Liêu" (appendix reference line)."""
    place: str = ""
    """Place in the date line: "Bình Liêu"."""
    area: str = ""
    """The territory in prose: "huyện", as in "trên địa bàn huyện"."""
    doc_symbol: str = "BC-UBND"
    """Symbol after the number: "Số: 125/BC-UBND"."""
    archive: str = "VT"
    """The archive line of "Nơi nhận": "- Lưu: VT, TCKH."."""
    reports: bool | None = None
    """Whether this unit makes a report of its own, in a folder with [units.*]: unset, it does once it has
    had a workbook in inputs/ (a province office that only gathers its communes' reports is not reminded)."""


@dataclass(frozen=True)
class SignerConfig:
    """[signer] — the signature block; the workbook's Thông tin may override name and title."""

    authority: tuple[str, ...] = ()
    """Lines above the title: ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"].  Optional: derived from the title
    and the agency (:mod:`reportgen.document.signature`); lines that disagree with the title are replaced,
    with a warning."""
    title: str = ""
    """"PHÓ CHỦ TỊCH"."""
    name: str = ""
    title_key: str = field(default="[signer] title", metadata=INTERNAL)
    """Where the title was configured, for messages: "[signer] title" or "[units.<id>] signer_title"."""
    authority_key: str = field(default="[signer] authority", metadata=INTERNAL)


@dataclass(frozen=True)
class ReportConfig:
    """[report] — content choices."""

    recipients: tuple[str, ...] = ()
    """"Nơi nhận" lines without the leading dash or final punctuation."""
    addressees: tuple[str, ...] = ()
    """"Kính gửi:" — the bodies a report sent upward is addressed to, without dash or punctuation; then
    "Nơi nhận" starts with "- Như trên;".  Empty (the default): a report for the unit's own meeting."""
    basis: str = ""
    """Opening clause after "Thực hiện": what the report is made under."""
    point_wording: str = "điểm phần trăm"
    """How a difference of two rates is worded ("điểm phần trăm", or "%" as many local reports write)."""
    cutoff_day: int = 14
    """Decree 09 data cut-off day of the month."""
    elapsed: str = "months"
    """months | cutoff: how the share of the year elapsed is measured for Đúng/Chậm tiến độ."""
    ceiling_exceed_ratio: Decimal = Decimal("0.9")
    """A ceiling target ("dưới X") counts as exceeded at or below this share of X."""


@dataclass(frozen=True)
class PathsConfig:
    """[paths] — folders and files, relative to the working folder."""

    inputs: str = "inputs"
    outputs: str = "outputs"
    templates: str = "templates"
    ledger: str = "reportgen.db"


@dataclass(frozen=True)
class MailConfig:
    """[mail] — the SMTP server; absent or without ``host``, messages go to outputs/outbox/ as .eml files."""

    host: str = ""
    port: int = 587
    security: str = "starttls"
    """starttls (default) | ssl | none"""
    username: str = ""
    """Absent or empty: no AUTH."""
    password_env: str = "REPORTGEN_SMTP_PASSWORD"
    """Name of the environment variable holding the password (else the OS keyring, service "reportgen")."""
    sender: str = ""
    to: tuple[str, ...] = ()
    """Recipients of the monthly report."""
    staff: str = ""
    """Reminders and failure notices go here."""
    max_attachment_mb: Decimal = Decimal(10)
    attach_docx: bool = False
    """Also attach the editable .docx."""
    timeout: int = 30
    """Seconds to wait for the server."""
    retries: int = 3
    """Attempts within one run for a transient failure (refused connection, timeout, 4xx)."""
    retry_delay: int = 5
    """Seconds before the first retry within a run; doubled each time."""

    @property
    def configured(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True)
class ScheduleConfig:
    """[schedule] — when the month's report is due; the OS scheduler calls ``reportgen run`` daily."""

    due_day: int = 20
    """The month's report is due on this day (of the period's last month)."""
    time: str = "07:00"
    """Time of day of the daily run, and of the deadline on the due day."""
    remind_days_before: int = 5
    """From this many days before the due day, a missing workbook triggers one reminder to staff."""
    catch_up_days: int = 45
    """A report whose due date passed more than this many days ago is built but not sent by itself
    (send it by hand with “reportgen send PERIOD”): a catch-up never turns into a flood of old reports."""


@dataclass(frozen=True)
class DeliveryConfig:
    """[delivery] — what happens when a corrected workbook replaces one already sent."""

    resend_corrected: str = "send"
    """send (default): the corrected report goes out, its subject saying it replaces the earlier one;
    hold: it is built and kept until someone runs “reportgen send PERIOD”."""


@dataclass(frozen=True)
class LimitsConfig:
    """[limits] — how much of a workbook the reader accepts (docs/operations.md, "Giới hạn an toàn").

    One key per field of :class:`reportgen.settings.limits.Limits`, with the same
    defaults; the allowed range of each is ``LIMIT_RANGES`` there.
    """

    max_file_mb: int = Limits.max_file_mb
    max_uncompressed_mb: int = Limits.max_uncompressed_mb
    max_compression_ratio: int = Limits.max_compression_ratio
    max_rows: int = Limits.max_rows
    max_cells: int = Limits.max_cells
    max_cell_chars: int = Limits.max_cell_chars
    max_text_chars: int = Limits.max_text_chars
    max_strings: int = Limits.max_strings
    max_styles: int = Limits.max_styles


@dataclass(frozen=True)
class UnitIssueConfig:
    """[units.<id>.issue]: who reviews one unit's drafts (its own chairman, its own office); not given: the
    folder's [issue] review_to.  Whether approval is needed stays one choice for the whole folder ([issue])."""

    review_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitOverride:
    """[units.<id>] — one unit of a folder that reports for several (a district's communes, a
    province's districts).  Every key is optional; what is not given comes from the shared
    [unit], [signer], [report] and [mail] tables.  Its workbooks live in inputs/<id>/ and its
    reports in outputs/<id>/."""

    agency: tuple[str, ...] = ()
    superior: str = ""
    name: str = ""
    short_name: str = ""
    place: str = ""
    area: str = ""
    doc_symbol: str = ""
    archive: str = ""
    signer_authority: tuple[str, ...] = ()
    signer_title: str = ""
    signer_name: str = ""
    recipients: tuple[str, ...] = ()
    """"Nơi nhận" lines of this unit's report."""
    addressees: tuple[str, ...] = ()
    """"Kính gửi:" of this unit's report (a commune's report to the district)."""
    mail_to: tuple[str, ...] = ()
    """Who receives this unit's report by mail."""
    mail_staff: str = ""
    """Who receives this unit's reminders and notices."""
    issue: UnitIssueConfig | None = field(default=None, metadata=INTERNAL)
    """[units.<id>.issue]: the unit's own reviewers (read as a sub-table, not a key)."""
    sign: SignConfig | None = field(default=None, metadata=INTERNAL)
    """[units.<id>.sign] and [units.<id>.sign.office]: the unit's own keys (reportgen.settings.sign.unit_sign)."""
