"""The ledger's approvals and its register of outgoing documents (schema 4).

An approval binds who approved and when to one revision of a period's report
and to that revision's content hash: a workbook changed afterwards makes a new
revision, which the approval does not cover.  An issued document takes a number
in its unit's register of the year: numbers run from 1 on 1 January, and the
pair (unit, year, number) is unique in the table, so two issues can never hold
the same number even if they raced.

:class:`IssuanceBook` is a part of :class:`reportgen.delivery.ledger.Ledger`,
which owns the connection and the transactions.  Recording an issue is one
transaction with the approval it needs (``--approve-as``) and the mail it
queues: the register never holds a number whose document was not recorded.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from reportgen.delivery.ledger_records import stamp


@dataclass(frozen=True)
class ApprovalRecord:
    id: int
    report_id: int
    unit: str
    period: str
    revision: int
    content_hash: str
    approved_by: str
    approved_at: str


@dataclass(frozen=True)
class IssuedRecord:
    """One document in the register of outgoing documents."""

    id: int
    unit: str
    year: int
    number: int
    symbol: str
    """The symbol after the number: "BC-UBND"."""
    issued_on: str
    """ISO date of the document."""
    period: str
    report_id: int
    approval_id: int
    replaces: int | None
    """The issued document this one replaces (a correction after issue)."""
    summary: str
    signer: str
    recipients: tuple[str, ...]
    copies: int
    notes: str
    files: dict[str, dict[str, str]]
    """"pdf" (signed), "pdf_unsigned", "docx" → {"path": …, "sha256": …}."""
    signatures: tuple[dict[str, str], ...]
    issued_at: str

    @property
    def number_symbol(self) -> str:
        """ "01/BC-UBND": numbers below 10 take a leading zero."""
        return f"{self.number:02d}/{self.symbol}"

    @property
    def date(self) -> date:
        return date.fromisoformat(self.issued_on)


class IssuanceBook:
    """The approvals and the register part of the ledger (mixed into :class:`~reportgen.delivery.ledger.Ledger`)."""

    db: sqlite3.Connection

    # --------------------------------------------------------- approvals ----
    def record_approval(
        self,
        db: sqlite3.Connection,
        *,
        report_id: int,
        unit: str,
        period: str,
        revision: int,
        content_hash: str,
        by: str,
        now: datetime,
    ) -> ApprovalRecord:
        cursor = db.execute(
            "INSERT INTO approvals (report_id, unit, period, revision, content_hash, approved_by, approved_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (report_id, unit, period, revision, content_hash, by, stamp(now)),
        )
        return _approval(db.execute("SELECT * FROM approvals WHERE id = ?", (cursor.lastrowid,)).fetchone())

    def approval_of(self, report_id: int, content_hash: str) -> ApprovalRecord | None:
        """The latest approval of this revision with this content (None: not approved)."""
        row = self.db.execute(
            "SELECT * FROM approvals WHERE report_id = ? AND content_hash = ? ORDER BY id DESC LIMIT 1",
            (report_id, content_hash),
        ).fetchone()
        return _approval(row) if row else None

    def approvals(self, unit: str | None = None) -> list[ApprovalRecord]:
        rows = self.db.execute("SELECT * FROM approvals WHERE ? IS NULL OR unit = ? ORDER BY id", (unit, unit))
        return [_approval(r) for r in rows]

    # ---------------------------------------------------------- register ----
    def next_number(self, unit: str, year: int) -> int:
        row = self.db.execute("SELECT MAX(number) FROM issued WHERE unit = ? AND year = ?", (unit, year)).fetchone()
        return (row[0] or 0) + 1

    def issued_with_number(self, unit: str, year: int, number: int) -> IssuedRecord | None:
        row = self.db.execute(
            "SELECT * FROM issued WHERE unit = ? AND year = ? AND number = ?", (unit, year, number)
        ).fetchone()
        return _issued(row) if row else None

    def record_issue(
        self,
        db: sqlite3.Connection,
        *,
        unit: str,
        number: int,
        symbol: str,
        on: date,
        period: str,
        report_id: int,
        approval_id: int,
        replaces: int | None,
        summary: str,
        signer: str,
        recipients: tuple[str, ...],
        copies: int,
        notes: str,
        files: dict[str, dict[str, str]],
        signatures: list[dict[str, str]],
        now: datetime,
    ) -> IssuedRecord:
        """Register an issued document; its number must be free in the unit's register of ``on``'s year
        (sqlite3.IntegrityError otherwise, and the caller's transaction rolls back)."""
        cursor = db.execute(
            "INSERT INTO issued (unit, year, number, symbol, issued_on, period, report_id, approval_id, replaces,"
            " summary, signer, recipients, copies, notes, files, signatures, issued_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                unit,
                on.year,
                number,
                symbol,
                on.isoformat(),
                period,
                report_id,
                approval_id,
                replaces,
                summary,
                signer,
                json.dumps(list(recipients), ensure_ascii=False),
                copies,
                notes,
                json.dumps(files, sort_keys=True, ensure_ascii=False),
                json.dumps(signatures, ensure_ascii=False),
                stamp(now),
            ),
        )
        return _issued(db.execute("SELECT * FROM issued WHERE id = ?", (cursor.lastrowid,)).fetchone())

    def issued(self, issued_id: int) -> IssuedRecord:
        return _issued(self.db.execute("SELECT * FROM issued WHERE id = ?", (issued_id,)).fetchone())

    def issued_of_report(self, report_id: int) -> IssuedRecord | None:
        row = self.db.execute(
            "SELECT * FROM issued WHERE report_id = ? ORDER BY id DESC LIMIT 1", (report_id,)
        ).fetchone()
        return _issued(row) if row else None

    def latest_issued(self, unit: str, period: str) -> IssuedRecord | None:
        """The period's document most recently issued (a correction's, once there is one)."""
        row = self.db.execute(
            "SELECT * FROM issued WHERE unit = ? AND period = ? ORDER BY id DESC LIMIT 1", (unit, period)
        ).fetchone()
        return _issued(row) if row else None

    def register(self, unit: str, year: int) -> list[IssuedRecord]:
        """The unit's register of the year, in the order of its numbers."""
        rows = self.db.execute("SELECT * FROM issued WHERE unit = ? AND year = ? ORDER BY number", (unit, year))
        return [_issued(r) for r in rows]

    def all_issued(self, unit: str | None = None) -> list[IssuedRecord]:
        rows = self.db.execute("SELECT * FROM issued WHERE ? IS NULL OR unit = ? ORDER BY id", (unit, unit))
        return [_issued(r) for r in rows]


def _approval(row: sqlite3.Row) -> ApprovalRecord:
    return ApprovalRecord(**dict(row))


def _issued(row: sqlite3.Row) -> IssuedRecord:
    data = dict(row)
    data["recipients"] = tuple(json.loads(data["recipients"]))
    data["files"] = json.loads(data["files"])
    data["signatures"] = tuple(json.loads(data["signatures"]))
    return IssuedRecord(**data)
