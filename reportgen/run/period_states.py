"""Where each period of each unit stands, and what to do next: the overview of the web page and of ``status``.

A period is known from its workbooks (valid or not), its reports, the due
dates of the current year from the one last due when the folder first ran.  Its state is that of its latest
revision:

- ``chua_co_so_lieu`` (no workbook yet) → ``nop_so_lieu``;
- ``so_lieu_loi`` (the latest workbook has errors) → ``sua_so_lieu``;
- ``du_thao`` (a draft; with approval on, waiting for the signer) → ``duyet`` (None when the unit has no
  approval step: the draft is what goes to the recipients);
- ``da_duyet`` (approved) → ``cap_so``;
- ``da_ban_hanh`` (issued; its mail not all delivered yet) → None;
- ``da_gui`` (every message to the recipients delivered) → None;
- ``gui_loi`` (a message refused by the server) → ``gui_lai``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportgen.core.periods import Period
from reportgen.delivery.due_dates import due_at, last_due
from reportgen.delivery.ledger import Ledger, ReportRecord
from reportgen.delivery.ledger_records import ISSUED_KEY
from reportgen.run.approving import content_hash
from reportgen.settings.workspace import Workspace

LABELS = {
    "chua_co_so_lieu": "chưa có số liệu",
    "so_lieu_loi": "số liệu có lỗi",
    "du_thao": "dự thảo",
    "da_duyet": "đã duyệt",
    "da_ban_hanh": "đã ban hành",
    "da_gui": "đã gửi",
    "gui_loi": "gửi lỗi",
}
ACTIONS = {
    "nop_so_lieu": "nộp số liệu",
    "sua_so_lieu": "sửa số liệu",
    "duyet": "duyệt",
    "cap_so": "cấp số và ký",
    "gui_lai": "gửi lại",
}


@dataclass(frozen=True)
class PeriodState:
    unit: str
    unit_name: str
    period_code: str
    period_title: str
    due: datetime | None
    state: str
    """A key of :data:`LABELS`."""
    revision: int | None
    next_action: str | None
    """A key of :data:`ACTIONS`, or None when nothing is to be done."""

    @property
    def label(self) -> str:
        return LABELS[self.state]


def period_states(workspace: Workspace, unit: str | None, now: datetime) -> list[PeriodState]:
    """One row per unit (``unit``, or every unit of the folder) and period the folder knows, in order."""
    workspace.require_folder()
    units = (unit,) if unit is not None else workspace.units
    if not workspace.ledger.exists():  # before the first run: only due dates, and no ledger made by looking
        return [
            _state(None, workspace.for_unit(key), period)
            for key in units
            for period in _periods(None, workspace.for_unit(key), now)
        ]
    rows = []
    with Ledger(workspace.ledger) as ledger:
        for key in units:
            unit_ws = workspace.for_unit(key)
            for period in _periods(ledger, unit_ws, now):
                rows.append(_state(ledger, unit_ws, period))
    return rows


def _periods(ledger: Ledger | None, workspace: Workspace, now: datetime) -> list[Period]:
    unit = workspace.unit
    codes = {row["period"] for row in ledger.inputs(unit) if row["period"]} if ledger else set()
    codes |= {record.period for record in ledger.reports(unit)} if ledger else set()
    found = {code: Period.parse(code) for code in codes}
    # The months due this year from the one that was last due when the folder first ran (before any run: the last
    # one due now): an office that starts in December sees November's report waiting, not eleven months it never
    # meant to make with reportgen.
    schedule = workspace.config.schedule
    started = ledger.first_run_at() if ledger else None
    since = due_at(last_due(started or now, schedule), schedule)
    for month in range(1, 13):
        period = Period.month(now.year, month)
        if since <= due_at(period, schedule) <= now:
            found.setdefault(period.code, period)
    return sorted(found.values(), key=lambda p: p.code)


def _state(ledger: Ledger | None, workspace: Workspace, period: Period) -> PeriodState:
    config = workspace.config

    def row(state: str, action: str | None, revision: int | None = None) -> PeriodState:
        return PeriodState(
            workspace.unit,
            config.unit.name,
            period.code,
            period.label_with_year,
            due_at(period, config.schedule),
            state,
            revision,
            action,
        )

    if ledger is None:
        return row("chua_co_so_lieu", "nop_so_lieu")
    record = ledger.latest_report(workspace.unit, period.code)
    inputs = [r for r in ledger.inputs(workspace.unit) if r["period"] == period.code]
    latest_input = inputs[-1] if inputs else None
    if latest_input is not None and latest_input["status"] == "invalid" and not _built_from(record, latest_input):
        return row("so_lieu_loi", "sua_so_lieu", record.revision if record else None)
    if record is None:
        return row("chua_co_so_lieu", "nop_so_lieu")
    issued = ledger.issued_of_report(record.id)
    if issued is not None:
        return row(*_sending(ledger, record, issued_only=True), record.revision)
    if config.issue.approval and not record.sample:
        approved = ledger.approval_of(record.id, content_hash(record)) if "pdf" in record.files else None
        return row("da_duyet", "cap_so", record.revision) if approved else row("du_thao", "duyet", record.revision)
    state, action = _sending(ledger, record, issued_only=False)
    return row("du_thao" if state == "da_ban_hanh" else state, action, record.revision)


def _built_from(record: ReportRecord | None, latest_input) -> bool:
    return record is not None and record.input_id >= latest_input["id"]


def _sending(ledger: Ledger, record: ReportRecord, issued_only: bool) -> tuple[str, str | None]:
    messages = [m for m in ledger.messages_of_report(record.id) if not issued_only or m.key.startswith(ISSUED_KEY)]
    if any(m.status == "failed" for m in messages):
        return "gui_loi", "gui_lai"
    if messages and all(m.status in ("sent", "written") for m in messages):
        return "da_gui", None
    return "da_ban_hanh", None
