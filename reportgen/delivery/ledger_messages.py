"""The ledger's messages: queued once as exact bytes in the spool, marked at every step of their delivery.

A message is keyed by (kind, key, recipient), so each report goes to each inbox once.  Its exact bytes
are stored when it is queued — in the spool folder beside the ledger, with their SHA-256 in the
ledger — and it is marked ``sending`` *before* it is handed to the server and ``sent`` *after* the
server accepts it.  A message found ``sending`` by a later run was interrupted in between: it is
handed over again, byte for byte, with the same Message-ID.

:class:`MessageBook` is a part of :class:`reportgen.delivery.ledger.Ledger`, which owns the
connection and the transactions.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path

from reportgen.core.files import atomic_write_bytes
from reportgen.delivery.ledger_records import FINAL, ISSUED_KEY, LedgerError, Message, inserted, stamp
from reportgen.delivery.ledger_records import message_of as _message


class MessageBook:
    """The messages part of the ledger (mixed into :class:`~reportgen.delivery.ledger.Ledger`)."""

    db: sqlite3.Connection
    spool: Path
    transaction: Callable[[], AbstractContextManager[sqlite3.Connection]]

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
        return inserted(cursor)

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
        report that follows says it replaces the earlier one).  An issued document's mail is never
        withdrawn: once numbered and signed it is an official document, and a correction is another
        document with its own number."""
        cursor = db.execute(
            "UPDATE messages SET status = 'superseded', updated_at = ?"
            " WHERE report_id = ? AND status IN ('queued', 'held', 'retry', 'sending')"
            f" AND key NOT LIKE '{ISSUED_KEY}%'",
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
