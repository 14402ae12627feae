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
upgraded by the migrations below, in order, each in its own transaction.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

from .errors import ReportgenError
from .fsutil import atomic_write_bytes

MIGRATIONS: tuple[str, ...] = (
    # 1: inputs, reports, messages with their attempts, runs
    """
    CREATE TABLE inputs (
        id INTEGER PRIMARY KEY,
        unit TEXT NOT NULL DEFAULT '',
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        period TEXT,
        status TEXT NOT NULL CHECK (status IN ('valid', 'invalid')),
        errors INTEGER NOT NULL DEFAULT 0,
        summary TEXT NOT NULL DEFAULT '',
        seen_at TEXT NOT NULL,
        UNIQUE (unit, path, sha256)
    );
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        unit TEXT NOT NULL DEFAULT '',
        period TEXT NOT NULL,
        revision INTEGER NOT NULL,
        input_id INTEGER NOT NULL REFERENCES inputs (id),
        out_dir TEXT NOT NULL,
        files TEXT NOT NULL,
        pdf_pages INTEGER,
        built_at TEXT NOT NULL,
        replaces INTEGER REFERENCES reports (id),
        UNIQUE (unit, period, revision)
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('report', 'reminder', 'notice', 'test', 'manual')),
        key TEXT NOT NULL,
        unit TEXT NOT NULL DEFAULT '',
        period TEXT,
        report_id INTEGER REFERENCES reports (id),
        recipient TEXT NOT NULL,
        message_id TEXT NOT NULL,
        subject TEXT NOT NULL,
        body BLOB NOT NULL,
        status TEXT NOT NULL CHECK (status IN
            ('queued', 'held', 'sending', 'sent', 'written', 'retry', 'failed', 'superseded')),
        not_before TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT,
        last_reply TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sent_at TEXT,
        eml_path TEXT,
        UNIQUE (kind, key, recipient)
    );
    CREATE INDEX messages_status ON messages (status);
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        message INTEGER NOT NULL REFERENCES messages (id),
        at TEXT NOT NULL,
        outcome TEXT NOT NULL,
        reply TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status INTEGER,
        receipt TEXT NOT NULL DEFAULT ''
    );
    """,
    # 2: message bytes move to the spool folder (a 280 KB PDF per recipient made the ledger grow
    # by megabytes a month and a large batch hold them all in memory); v1 rows keep their BLOB.
    """
    ALTER TABLE messages ADD COLUMN body_file TEXT;
    ALTER TABLE messages ADD COLUMN body_sha256 TEXT;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

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


FINAL = ("sent", "written", "superseded")
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
            raise LedgerError(f"Sổ theo dõi {self.path} không đọc được ({exc}). Khôi phục từ bản sao lưu "
                              "(docs/operations.md) hoặc đổi tên tệp để bắt đầu sổ mới.") from None

    def __enter__(self) -> "Ledger":
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
            raise LedgerError(f"Sổ theo dõi {self.path} do phiên bản reportgen mới hơn tạo (lược đồ {version}); "
                              "cập nhật reportgen.")
        for number in range(version, SCHEMA_VERSION):
            with self.transaction() as db:
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    # ------------------------------------------------------------ inputs ----
    def input_seen(self, unit: str, path: str, sha256: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM inputs WHERE unit = ? AND path = ? AND sha256 = ?",
                               (unit, path, sha256)).fetchone()

    def record_input(self, db: sqlite3.Connection, *, unit: str, path: str, sha256: str, period: str | None,
                     valid: bool, errors: int, summary: str, now: datetime) -> int:
        cursor = db.execute(
            "INSERT INTO inputs (unit, path, sha256, period, status, errors, summary, seen_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (unit, path, sha256, period, "valid" if valid else "invalid", errors, summary, stamp(now)))
        return int(cursor.lastrowid)

    def has_valid_input(self, unit: str, period: str) -> bool:
        return self.db.execute("SELECT 1 FROM inputs WHERE unit = ? AND period = ? AND status = 'valid'",
                               (unit, period)).fetchone() is not None

    # ----------------------------------------------------------- reports ----
    def latest_report(self, unit: str, period: str) -> ReportRecord | None:
        row = self.db.execute("SELECT * FROM reports WHERE unit = ? AND period = ? ORDER BY revision DESC LIMIT 1",
                              (unit, period)).fetchone()
        return _report(row) if row else None

    def report(self, report_id: int) -> ReportRecord:
        return _report(self.db.execute("SELECT * FROM reports WHERE id = ?", (report_id,)).fetchone())

    def record_report(self, db: sqlite3.Connection, *, unit: str, period: str, input_id: int, out_dir: str,
                      files: dict[str, dict[str, str]], pdf_pages: int | None, now: datetime) -> ReportRecord:
        previous = db.execute("SELECT id, revision FROM reports WHERE unit = ? AND period = ?"
                              " ORDER BY revision DESC LIMIT 1", (unit, period)).fetchone()
        revision = previous["revision"] + 1 if previous else 1
        cursor = db.execute(
            "INSERT INTO reports (unit, period, revision, input_id, out_dir, files, pdf_pages, built_at, replaces)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (unit, period, revision, input_id, out_dir, json.dumps(files, sort_keys=True, ensure_ascii=False),
             pdf_pages, stamp(now), previous["id"] if previous else None))
        return _report(db.execute("SELECT * FROM reports WHERE id = ?", (cursor.lastrowid,)).fetchone())

    def reports(self, unit: str | None = None) -> list[ReportRecord]:
        rows = self.db.execute("SELECT * FROM reports WHERE ? IS NULL OR unit = ? ORDER BY unit, period, revision",
                               (unit, unit)).fetchall()
        return [_report(r) for r in rows]

    # ---------------------------------------------------------- messages ----
    def queue_message(self, db: sqlite3.Connection, *, kind: str, key: str, recipient: str, message_id: str,
                      subject: str, body: bytes, now: datetime, unit: str = "", period: str | None = None,
                      report_id: int | None = None, not_before: datetime | None = None,
                      status: str = "queued") -> int | None:
        """Queue a message once: None when (kind, key, recipient) is already in the ledger.

        The bytes go to the spool first (atomically, under a name derived from the key, so a
        queue interrupted before its commit rewrites the same file); the row that refers to
        them is committed with the caller's transaction.
        """
        if db.execute("SELECT 1 FROM messages WHERE kind = ? AND key = ? AND recipient = ?",
                      (kind, key, recipient)).fetchone():
            return None  # never overwrite the spooled bytes of a message already queued
        name = hashlib.sha256(f"{kind}\0{key}\0{recipient}".encode()).hexdigest()[:32] + ".eml"
        atomic_write_bytes(self.spool / name, body)
        cursor = db.execute(
            "INSERT INTO messages (kind, key, unit, period, report_id, recipient, message_id, subject,"
            " body, status, not_before, created_at, updated_at, body_file, body_sha256)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (kind, key, unit, period, report_id, recipient, message_id, subject, b"", status,
             stamp(not_before) if not_before else None, stamp(now), stamp(now), name,
             hashlib.sha256(body).hexdigest()))
        return int(cursor.lastrowid)

    def body(self, message: Message) -> bytes:
        """The exact bytes queued for ``message``, checked against their recorded SHA-256."""
        if not message.body_file:
            return message.body
        path = self.spool / message.body_file
        try:
            data = path.read_bytes()
        except OSError:
            raise LedgerError(f"Thư #{message.id} («{message.subject}»): tệp {path} đã mất. Chạy "
                              "«reportgen send» để gửi lại báo cáo bằng tay.") from None
        if hashlib.sha256(data).hexdigest() != message.body_sha256:
            raise LedgerError(f"Thư #{message.id} («{message.subject}»): tệp {path} đã bị sửa; không gửi.")
        return data

    def message(self, message_id: int) -> Message:
        return _message(self.db.execute("SELECT * FROM messages WHERE id = ?", (message_id,)).fetchone())

    def find_message(self, kind: str, key: str, recipient: str) -> Message | None:
        row = self.db.execute("SELECT * FROM messages WHERE kind = ? AND key = ? AND recipient = ?",
                              (kind, key, recipient)).fetchone()
        return _message(row) if row else None

    def due_messages(self, now: datetime) -> list[Message]:
        """Messages whose time has come: queued and due, retries whose wait is over, and any left
        ``sending`` by an interrupted run (handed over again, same bytes)."""
        rows = self.db.execute(
            "SELECT * FROM messages WHERE status IN ('queued', 'sending', 'retry')"
            " AND (not_before IS NULL OR not_before <= ?) AND (next_attempt IS NULL OR next_attempt <= ?)"
            " ORDER BY id", (stamp(now), stamp(now))).fetchall()
        return [_message(r) for r in rows]

    def messages(self, *, unit: str | None = None, statuses: tuple[str, ...] | None = None) -> list[Message]:
        rows = self.db.execute("SELECT * FROM messages WHERE ? IS NULL OR unit = ? ORDER BY id", (unit, unit))
        found = [_message(r) for r in rows]
        return [m for m in found if statuses is None or m.status in statuses]

    def messages_of_report(self, report_id: int) -> list[Message]:
        rows = self.db.execute("SELECT * FROM messages WHERE report_id = ? ORDER BY id", (report_id,))
        return [_message(r) for r in rows]

    def mark(self, message: int, status: str, now: datetime, *, reply: str | None = None,
             attempt: str | None = None, next_attempt: datetime | None = None, eml_path: str | None = None) -> None:
        """One state change of one message, with its attempt recorded in the same transaction."""
        with self.transaction() as db:
            db.execute(
                "UPDATE messages SET status = ?, updated_at = ?, attempts = attempts + ?,"
                " last_reply = COALESCE(?, last_reply), next_attempt = ?,"
                " sent_at = CASE WHEN ? IN ('sent', 'written') THEN ? ELSE sent_at END,"
                " eml_path = COALESCE(?, eml_path) WHERE id = ?",
                (status, stamp(now), 1 if attempt == "sending" else 0, reply,
                 stamp(next_attempt) if next_attempt else None, status, stamp(now), eml_path, message))
            if attempt:
                db.execute("INSERT INTO attempts (message, at, outcome, reply) VALUES (?, ?, ?, ?)",
                           (message, stamp(now), attempt, reply or ""))
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
        wanted = {r["body_file"] for r in self.db.execute(
            "SELECT body_file FROM messages WHERE body_file IS NOT NULL AND status NOT IN (?, ?, ?)", FINAL)}
        stale = [p for p in self.spool.glob("*.eml") if p.name not in wanted]
        for path in stale:
            path.unlink(missing_ok=True)
        return len(stale)

    def supersede(self, db: sqlite3.Connection, report_id: int, now: datetime) -> int:
        """An older revision is replaced: its messages not yet delivered are withdrawn.  One left
        ``sending`` by a crash may or may not have arrived; it is withdrawn too (the corrected
        report that follows says it replaces the earlier one)."""
        cursor = db.execute("UPDATE messages SET status = 'superseded', updated_at = ?"
                            " WHERE report_id = ? AND status IN ('queued', 'held', 'retry', 'sending')",
                            (stamp(now), report_id))
        return cursor.rowcount  # their spool files go at the next tidy_spool (after this commit)

    def release_held(self, report_id: int, now: datetime) -> int:
        with self.transaction() as db:
            cursor = db.execute("UPDATE messages SET status = 'queued', not_before = NULL, updated_at = ?"
                                " WHERE report_id = ? AND status = 'held'", (stamp(now), report_id))
        return cursor.rowcount

    def retry_failed(self, now: datetime, unit: str | None = None) -> list[int]:
        """Put permanently failed messages back in the queue (``reportgen send --retry-failed``)."""
        with self.transaction() as db:
            rows = db.execute("SELECT id FROM messages WHERE status = 'failed' AND (? IS NULL OR unit = ?)",
                              (unit, unit)).fetchall()
            db.execute("UPDATE messages SET status = 'queued', next_attempt = NULL, not_before = NULL,"
                       " updated_at = ? WHERE status = 'failed' AND (? IS NULL OR unit = ?)", (stamp(now), unit, unit))
        return [r["id"] for r in rows]

    def attempts(self, message: int) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM attempts WHERE message = ? ORDER BY id", (message,)).fetchall()

    # -------------------------------------------------------------- runs ----
    def start_run(self, now: datetime) -> int:
        with self.transaction() as db:
            return int(db.execute("INSERT INTO runs (started_at) VALUES (?)", (stamp(now),)).lastrowid)

    def finish_run(self, run: int, now: datetime, status: int, receipt: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE runs SET finished_at = ?, status = ?, receipt = ? WHERE id = ?",
                       (stamp(now), status, receipt, run))

    def runs(self, limit: int = 20) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,)).fetchall()

    def inputs(self, unit: str | None = None) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM inputs WHERE ? IS NULL OR unit = ? ORDER BY id", (unit, unit)).fetchall()


def _report(row: sqlite3.Row) -> ReportRecord:
    data: dict[str, Any] = dict(row)
    data["files"] = json.loads(data["files"])
    return ReportRecord(**data)


def _message(row: sqlite3.Row) -> Message:
    data = dict(row)
    data["body"] = bytes(data["body"])
    return Message(**data)
