"""What the ledger's rows are, as the rest of reportgen reads them: messages and report revisions.

Split from :mod:`reportgen.delivery.ledger` so that each part of the ledger (messages, approvals and
numbers) can name them without importing the whole of it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportgen.core.errors import ReportgenError

ISSUED_KEY = "issued:"
"""The key of an issued document's mail starts so (then the issue's id): it is never withdrawn."""
PENDING = ("queued", "sending", "retry")
"""Statuses a run tries to deliver (when their time has come)."""


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def inserted(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made (sqlite3 types it as optional: None only before any INSERT)."""
    if cursor.lastrowid is None:  # pragma: no cover - after an INSERT it is always set
        raise LedgerError("Sổ theo dõi không trả về mã của dòng vừa ghi.")
    return cursor.lastrowid


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


def report_of(row: sqlite3.Row) -> ReportRecord:
    data: dict[str, Any] = dict(row)
    data["files"] = json.loads(data["files"])
    data["sample"] = bool(data.get("sample"))
    return ReportRecord(**data)


def message_of(row: sqlite3.Row) -> Message:
    data = dict(row)
    data["body"] = bytes(data["body"])
    return Message(**data)
