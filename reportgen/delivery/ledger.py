"""The ledger: what reportgen has seen, built and sent — SQLite through the standard library.

Why a ledger: the OS scheduler calls ``reportgen run`` every day, the PC may
be off on the due day, the mail server may be down, the process may be
killed at any moment.  The ledger is what makes a run idempotent:

- an input is known by its SHA-256, so an unchanged workbook is never processed twice;
- a report is recorded with its files' hashes and a revision number per period;
- a message is keyed by (kind, key, recipient), so each report goes to each inbox once.
  Its exact bytes are stored when it is queued — in the spool folder beside the ledger,
  with their SHA-256 in the ledger — and it is marked ``sending`` *before*
  it is handed to the server and ``sent`` *after* the server accepts it.  A
  message found ``sending`` by a later run was interrupted in between: it is
  handed over again, byte for byte, with the same Message-ID (docs/delivery.md).

Every state change is one transaction.  WAL mode lets ``reportgen status`` read
while a run writes.  The schema is versioned (``PRAGMA user_version``) and
upgraded in order by the migrations of :mod:`reportgen.delivery.ledger_schema`.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from reportgen.core.errors import ReportgenError
from reportgen.core.files import atomic_write_bytes
from reportgen.delivery.ledger_schema import SCHEMA_VERSION, migrate

PENDING = ("queued", "sending", "retry")
"""Statuses a run tries to deliver (when their time has come)."""


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class Message:
    id: int
    kind: str
    key: str
    unit: str
    period: str | None
    report_id: int | None
    recipient: str
    message_id: str
    subject: str
    body: bytes
    status: str
    not_before: str | None
    attempts: int
    next_attempt: str | None
    last_reply: str
    created_at: str
    updated_at: str
    sent_at: str | None
    eml_path: str | None
    body_file: str | None = None
    """The spooled message's file name (schema 2); None for a v1 message kept in ``body``."""
    body_sha256: str | None = None
    due_at: str | None = None
    """The moment the message was due (schema 3): a report's due date, or when a notice was queued.
    A message more than ``catch_up_days`` past it is not sent by itself."""


FINAL = ("sent", "written", "superseded", "expired")
"""Statuses after which a message's bytes are never handed over again (its spool file is removed)."""


@dataclass(frozen=True)
class ReportRecord:
    id: int
    unit: str
    period: str
    revision: int
    input_id: int
    out_dir: str
    files: dict[str, dict[str, str]]
    """Format → {"path": …, "sha256": …}."""
    pdf_pages: int | None
    built_at: str
    replaces: int | None
    sample: bool = False
    """Built from a workbook that declares itself sample data: never mailed to anyone but staff."""


class LedgerError(ReportgenError):
    """The ledger or a spooled message is unusable (corrupt, newer schema, file gone); the message
    says what to do."""


class Ledger:
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
        return cast(int, cursor.lastrowid)  # an INSERT's lastrowid is the new row's id, never None

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

    # ---------------------------------------------------------- messages ----
    def queue_message(
        self,
        db: sqlite3.Connection,
        *,
        kind: str,
        key: str,
        recipient: str,
        message_id: str,
        subject: str,
        body: bytes,
        now: datetime,
        unit: str = "",
        period: str | None = None,
        report_id: int | None = None,
        not_before: datetime | None = None,
        status: str = "queued",
        due_at: datetime | None = None,
    ) -> int | None:
        """Queue a message once: None when (kind, key, recipient) is already in the ledger.

        The bytes go to the spool first (atomically, under a name derived from the key, so a
        queue interrupted before its commit rewrites the same file); the row that refers to
        them is committed with the caller's transaction.  ``due_at`` (default: ``not_before``,
        else ``now``) is the moment the catch-up rule counts from.
        """
        if db.execute(
            "SELECT 1 FROM messages WHERE kind = ? AND key = ? AND recipient = ?", (kind, key, recipient)
        ).fetchone():
            return None  # never overwrite the spooled bytes of a message already queued
        name = hashlib.sha256(f"{kind}\0{key}\0{recipient}".encode()).hexdigest()[:32] + ".eml"
        atomic_write_bytes(self.spool / name, body)
        cursor = db.execute(
            "INSERT INTO messages (kind, key, unit, period, report_id, recipient, message_id, subject,"
            " body, status, not_before, created_at, updated_at, body_file, body_sha256, due_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                kind,
                key,
                unit,
                period,
                report_id,
                recipient,
                message_id,
                subject,
                b"",
                status,
                stamp(not_before) if not_before else None,
                stamp(now),
                stamp(now),
                name,
                hashlib.sha256(body).hexdigest(),
                stamp(due_at or not_before or now),
            ),
        )
        return cast(int, cursor.lastrowid)  # an INSERT's lastrowid is the new row's id, never None

    def body(self, message: Message) -> bytes:
        """The exact bytes queued for ``message``, checked against their recorded SHA-256."""
        if not message.body_file:
            return message.body
        path = self.spool / message.body_file
        try:
            data = path.read_bytes()
        except OSError:
            raise LedgerError(
                f"Thư #{message.id} («{message.subject}»): tệp {path} đã mất. Chạy "
                "«reportgen send» để gửi lại báo cáo bằng tay."
            ) from None
        if hashlib.sha256(data).hexdigest() != message.body_sha256:
            raise LedgerError(f"Thư #{message.id} («{message.subject}»): tệp {path} đã bị sửa; không gửi.")
        return data

    def message(self, message_id: int) -> Message:
        return _message(self.db.execute("SELECT * FROM messages WHERE id = ?", (message_id,)).fetchone())

    def find_message(self, kind: str, key: str, recipient: str) -> Message | None:
        row = self.db.execute(
            "SELECT * FROM messages WHERE kind = ? AND key = ? AND recipient = ?", (kind, key, recipient)
        ).fetchone()
        return _message(row) if row else None

    def due_messages(self, now: datetime) -> list[Message]:
        """Messages whose time has come: queued and due, retries whose wait is over, and any left
        ``sending`` by an interrupted run (handed over again, same bytes)."""
        rows = self.db.execute(
            "SELECT * FROM messages WHERE status IN ('queued', 'sending', 'retry')"
            " AND (not_before IS NULL OR not_before <= ?) AND (next_attempt IS NULL OR next_attempt <= ?)"
            " ORDER BY id",
            (stamp(now), stamp(now)),
        ).fetchall()
        return [_message(r) for r in rows]

    def messages(self, *, unit: str | None = None, statuses: tuple[str, ...] | None = None) -> list[Message]:
        rows = self.db.execute("SELECT * FROM messages WHERE ? IS NULL OR unit = ? ORDER BY id", (unit, unit))
        found = [_message(r) for r in rows]
        return [m for m in found if statuses is None or m.status in statuses]

    def messages_of_report(self, report_id: int) -> list[Message]:
        rows = self.db.execute("SELECT * FROM messages WHERE report_id = ? ORDER BY id", (report_id,))
        return [_message(r) for r in rows]

    def mark(
        self,
        message: int,
        status: str,
        now: datetime,
        *,
        reply: str | None = None,
        attempt: str | None = None,
        next_attempt: datetime | None = None,
        eml_path: str | None = None,
        also: Callable[[sqlite3.Connection], object] | None = None,
    ) -> None:
        """One state change of one message, with its attempt recorded in the same transaction.

        ``also(db)`` runs inside that transaction too: a permanent failure and the notice that
        tells staff about it are committed together, so a run killed in between loses neither."""
        with self.transaction() as db:
            db.execute(
                "UPDATE messages SET status = ?, updated_at = ?, attempts = attempts + ?,"
                " last_reply = COALESCE(?, last_reply), next_attempt = ?,"
                " sent_at = CASE WHEN ? IN ('sent', 'written') THEN ? ELSE sent_at END,"
                " eml_path = COALESCE(?, eml_path) WHERE id = ?",
                (
                    status,
                    stamp(now),
                    1 if attempt == "sending" else 0,
                    reply,
                    stamp(next_attempt) if next_attempt else None,
                    status,
                    stamp(now),
                    eml_path,
                    message,
                ),
            )
            if attempt:
                db.execute(
                    "INSERT INTO attempts (message, at, outcome, reply) VALUES (?, ?, ?, ?)",
                    (message, stamp(now), attempt, reply or ""),
                )
            if also is not None:
                also(db)
        if status in FINAL:
            self._drop_spooled(message)

    def _drop_spooled(self, message: int) -> None:
        """A delivered or withdrawn message's bytes are no longer needed (a crash here leaves a
        harmless file, removed by :meth:`tidy_spool`)."""
        row = self.db.execute("SELECT body_file FROM messages WHERE id = ?", (message,)).fetchone()
        if row and row["body_file"]:
            (self.spool / row["body_file"]).unlink(missing_ok=True)

    def tidy_spool(self) -> int:
        """Remove spool files no waiting message refers to; returns how many."""
        if not self.spool.is_dir():
            return 0
        wanted = {
            r["body_file"]
            for r in self.db.execute(
                f"SELECT body_file FROM messages WHERE body_file IS NOT NULL AND status NOT IN ({', '.join('?' * len(FINAL))})",
                FINAL,
            )
        }
        stale = [p for p in self.spool.glob("*.eml") if p.name not in wanted]
        for path in stale:
            path.unlink(missing_ok=True)
        return len(stale)

    def supersede(self, db: sqlite3.Connection, report_id: int, now: datetime) -> int:
        """An older revision is replaced: its messages not yet delivered are withdrawn.  One left
        ``sending`` by a crash may or may not have arrived; it is withdrawn too (the corrected
        report that follows says it replaces the earlier one)."""
        cursor = db.execute(
            "UPDATE messages SET status = 'superseded', updated_at = ?"
            " WHERE report_id = ? AND status IN ('queued', 'held', 'retry', 'sending')",
            (stamp(now), report_id),
        )
        return cursor.rowcount  # their spool files go at the next tidy_spool (after this commit)

    def release(self, report_ids: list[int], now: datetime) -> int:
        """Send these reports' waiting messages now (``reportgen send PERIOD``): held ones are queued,
        and neither a later due date nor the wait before a retry holds them back any longer."""
        marks = ", ".join("?" * len(report_ids))
        with self.transaction() as db:
            cursor = db.execute(
                f"UPDATE messages SET status = CASE status WHEN 'held' THEN 'queued' ELSE status END,"
                f" not_before = NULL, next_attempt = NULL, due_at = ?, updated_at = ?"
                f" WHERE report_id IN ({marks}) AND status IN ('held', 'queued', 'retry')",
                (stamp(now), stamp(now), *report_ids),
            )
        return cursor.rowcount

    def retry_failed(self, now: datetime, unit: str | None = None) -> list[int]:
        """``reportgen send --retry-failed``: refused messages go back in the queue, and messages
        waiting for a retry after a transient failure are due now (the server was fixed)."""
        with self.transaction() as db:
            where = "status IN ('failed', 'retry') AND (? IS NULL OR unit = ?)"
            rows = db.execute(f"SELECT id FROM messages WHERE {where}", (unit, unit)).fetchall()
            db.execute(
                f"UPDATE messages SET status = 'queued', next_attempt = NULL, not_before = NULL,"
                f" due_at = ?, updated_at = ? WHERE {where}",
                (stamp(now), stamp(now), unit, unit),
            )
        return [r["id"] for r in rows]

    def expire(self, message: int, now: datetime, status: str, reply: str) -> None:
        """A message too long past its due moment: ``held`` (a report, sent by hand with
        ``reportgen send PERIOD``) or ``expired`` (a reminder or notice, no longer of use)."""
        self.mark(message, status, now, reply=reply, attempt="expired")

    def attempts(self, message: int) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM attempts WHERE message = ? ORDER BY id", (message,)).fetchall()

    # -------------------------------------------------------------- runs ----
    def start_run(self, now: datetime) -> int:
        with self.transaction() as db:
            return cast(int, db.execute("INSERT INTO runs (started_at) VALUES (?)", (stamp(now),)).lastrowid)

    def finish_run(self, run: int, now: datetime, status: int, receipt: str) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, status = ?, receipt = ? WHERE id = ?",
                (stamp(now), status, receipt, run),
            )

    def runs(self, limit: int = 20) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,)).fetchall()

    def inputs(self, unit: str | None = None) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM inputs WHERE ? IS NULL OR unit = ? ORDER BY id", (unit, unit)).fetchall()


def _report(row: sqlite3.Row) -> ReportRecord:
    data: dict[str, Any] = dict(row)
    data["files"] = json.loads(data["files"])
    data["sample"] = bool(data.get("sample"))
    return ReportRecord(**data)


def _message(row: sqlite3.Row) -> Message:
    data = dict(row)
    data["body"] = bytes(data["body"])
    return Message(**data)
