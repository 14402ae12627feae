"""The ledger: what reportgen has seen, built and sent — SQLite through the standard library.

Why a ledger: the OS scheduler calls ``reportgen run`` every day, the PC may
be off on the due day, the mail server may be down, the process may be
killed at any moment.  The ledger is what makes a run idempotent:

- an input is known by its SHA-256, so an unchanged workbook is never processed twice;
- a report is recorded with its files' hashes and a revision number per period;
- a message is keyed by (kind, key, recipient), so each report goes to each inbox once
  (:mod:`reportgen.delivery.ledger_messages`, docs/delivery.md);
- a revision approved by its signer, and a document issued under the unit's next number of
  the year, are recorded with their hashes (:mod:`reportgen.delivery.ledger_issuance`).

Every state change is one transaction.  WAL mode lets ``reportgen status`` read
while a run writes.  The schema is versioned (``PRAGMA user_version``) and
upgraded in order by the migrations of :mod:`reportgen.delivery.ledger_schema`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from reportgen.delivery.ledger_issuance import IssuanceBook
from reportgen.delivery.ledger_messages import MessageBook
from reportgen.delivery.ledger_records import FINAL, PENDING, LedgerError, Message, ReportRecord, inserted, stamp
from reportgen.delivery.ledger_records import report_of as _report
from reportgen.delivery.ledger_schema import SCHEMA_VERSION, migrate

__all__ = ["FINAL", "PENDING", "SCHEMA_VERSION", "Ledger", "LedgerError", "Message", "ReportRecord", "stamp"]


class Ledger(MessageBook, IssuanceBook):
    """One open ledger; use as a context manager or call :meth:`close`."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.spool = self.path.with_name(self.path.stem + ".spool")
        """Message bytes waiting to be delivered, one file per message."""
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise LedgerError(
                f"Sổ theo dõi {self.path} không đọc được ({exc}). Khôi phục từ bản sao lưu "
                "(docs/operations.md) hoặc đổi tên tệp để bắt đầu sổ mới."
            ) from None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One state change: all of it or none of it (BEGIN IMMEDIATE … COMMIT)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise LedgerError(
                f"Sổ theo dõi {self.path} do phiên bản reportgen mới hơn tạo (lược đồ {version}); cập nhật reportgen."
            )
        migrate(self.db, version)

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def once(self, db: sqlite3.Connection, what: str) -> bool:
        """True the first time ``what`` is asked for in this ledger (a hint the receipt gives once), inside the
        caller's transaction."""
        return db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, '1')", (f"once:{what}",)).rowcount == 1

    @property
    def instance(self) -> str:
        """This ledger's random identity, minted when it was created (or upgraded to schema 3).

        Part of every Message-ID, so that two working folders, or two units on one mail domain,
        never give two different messages the same ID."""
        return self.db.execute("SELECT value FROM meta WHERE key = 'instance'").fetchone()[0]

    # ------------------------------------------------------------ inputs ----
    def input_seen(self, unit: str, path: str, sha256: str) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT * FROM inputs WHERE unit = ? AND path = ? AND sha256 = ?", (unit, path, sha256)
        ).fetchone()

    def record_input(
        self,
        db: sqlite3.Connection,
        *,
        unit: str,
        path: str,
        sha256: str,
        period: str | None,
        valid: bool,
        errors: int,
        summary: str,
        now: datetime,
    ) -> int:
        cursor = db.execute(
            "INSERT INTO inputs (unit, path, sha256, period, status, errors, summary, seen_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (unit, path, sha256, period, "valid" if valid else "invalid", errors, summary, stamp(now)),
        )
        return inserted(cursor)

    def has_any_valid_input(self, unit: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM inputs WHERE unit = ? AND status = 'valid' LIMIT 1", (unit,)).fetchone()
            is not None
        )

    def has_valid_input(self, unit: str, period: str) -> bool:
        return (
            self.db.execute(
                "SELECT 1 FROM inputs WHERE unit = ? AND period = ? AND status = 'valid'", (unit, period)
            ).fetchone()
            is not None
        )

    # ----------------------------------------------------------- reports ----
    def latest_report(self, unit: str, period: str) -> ReportRecord | None:
        row = self.db.execute(
            "SELECT * FROM reports WHERE unit = ? AND period = ? ORDER BY revision DESC LIMIT 1", (unit, period)
        ).fetchone()
        return _report(row) if row else None

    def report(self, report_id: int) -> ReportRecord:
        return _report(self.db.execute("SELECT * FROM reports WHERE id = ?", (report_id,)).fetchone())

    def record_report(
        self,
        db: sqlite3.Connection,
        *,
        unit: str,
        period: str,
        input_id: int,
        out_dir: str,
        files: dict[str, dict[str, str]],
        pdf_pages: int | None,
        now: datetime,
        revision: int | None = None,
        sample: bool = False,
    ) -> ReportRecord:
        """A new revision of a period's report: ``revision`` is the number its files carry (it may skip
        numbers whose files a killed run left unrecorded); default, the next one."""
        previous = db.execute(
            "SELECT id, revision FROM reports WHERE unit = ? AND period = ? ORDER BY revision DESC LIMIT 1",
            (unit, period),
        ).fetchone()
        latest = previous["revision"] if previous else 0
        if revision is None:
            revision = latest + 1
        elif revision <= latest:
            raise LedgerError(f"Bản {revision} của báo cáo {period} đã có trong sổ theo dõi (bản mới nhất: {latest}).")
        cursor = db.execute(
            "INSERT INTO reports (unit, period, revision, input_id, out_dir, files, pdf_pages, built_at, replaces,"
            " sample) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                unit,
                period,
                revision,
                input_id,
                out_dir,
                json.dumps(files, sort_keys=True, ensure_ascii=False),
                pdf_pages,
                stamp(now),
                previous["id"] if previous else None,
                int(sample),
            ),
        )
        return _report(db.execute("SELECT * FROM reports WHERE id = ?", (cursor.lastrowid,)).fetchone())

    def reports(self, unit: str | None = None) -> list[ReportRecord]:
        rows = self.db.execute(
            "SELECT * FROM reports WHERE ? IS NULL OR unit = ? ORDER BY unit, period, revision", (unit, unit)
        ).fetchall()
        return [_report(r) for r in rows]

    # -------------------------------------------------------------- runs ----
    def start_run(self, now: datetime) -> int:
        with self.transaction() as db:
            return inserted(db.execute("INSERT INTO runs (started_at) VALUES (?)", (stamp(now),)))

    def finish_run(self, run: int, now: datetime, status: int, receipt: str) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, status = ?, receipt = ? WHERE id = ?",
                (stamp(now), status, receipt, run),
            )

    def first_run_at(self) -> datetime | None:
        """When the folder's first run started: when the office began using reportgen."""
        first = self.db.execute("SELECT MIN(started_at) FROM runs").fetchone()[0]
        return datetime.fromisoformat(first) if first else None

    def runs(self, limit: int = 20) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,)).fetchall()

    def inputs(self, unit: str | None = None) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM inputs WHERE ? IS NULL OR unit = ? ORDER BY id", (unit, unit)).fetchall()
