"""What the ledger holds for ``reportgen status`` (and the web page): as data, read in one transaction."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from reportgen.delivery.ledger import Ledger, Message, ReportRecord
from reportgen.delivery.ledger_issuance import ApprovalRecord, IssuedRecord
from reportgen.settings.workspace import Workspace

RECENT_RUNS = 10


@dataclass(frozen=True)
class History:
    ledger: Path
    started: bool
    """False before the first run: there is no ledger yet, and nothing below."""
    inputs: tuple[sqlite3.Row, ...] = ()
    """Every workbook seen: seen_at, unit, path, sha256, period, status ('valid' or not), errors."""
    reports: tuple[ReportRecord, ...] = ()
    messages: tuple[Message, ...] = ()
    runs: tuple[sqlite3.Row, ...] = ()
    """The most recent runs first: started_at, finished_at (None when interrupted), status."""
    approvals: tuple[ApprovalRecord, ...] = ()
    """Every approval: which revision (report_id, content hash), by whom, when."""
    issued: tuple[IssuedRecord, ...] = ()
    """Every document issued: its number, date, files and their hashes, what it replaces."""

    @property
    def waiting(self) -> int:
        return sum(message.status in ("queued", "held", "retry", "sending") for message in self.messages)

    @property
    def failed(self) -> int:
        return sum(message.status == "failed" for message in self.messages)


def read_history(workspace: Workspace, unit: str | None = None) -> History:
    """The history of the folder (of one unit, with ``unit``)."""
    if not workspace.ledger.exists():
        return History(workspace.ledger, started=False)
    with Ledger(workspace.ledger) as ledger:
        return History(
            workspace.ledger,
            True,
            tuple(ledger.inputs(unit)),
            tuple(ledger.reports(unit)),
            tuple(ledger.messages(unit=unit)),
            tuple(ledger.runs(RECENT_RUNS)),
            tuple(ledger.approvals(unit)),
            tuple(ledger.all_issued(unit)),
        )
