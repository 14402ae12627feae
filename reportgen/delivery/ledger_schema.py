"""The ledger's schema, versioned with ``PRAGMA user_version`` and upgraded in order, one
transaction per migration.

A migration is never edited once released: a ledger made by an older reportgen is brought up
to date by running the ones it has not seen.  Migrations that rebuild a table (SQLite cannot
change a CHECK constraint in place) run with foreign keys off, as SQLite's documentation
prescribes for "other kinds of table schema changes", and are checked with
``PRAGMA foreign_key_check`` before they commit.
"""

from __future__ import annotations

import sqlite3

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
    # 3: the ledger's own random identity (Message-IDs unique across working folders and across a
    # ledger restored from a backup); each message's due moment (the catch-up rule applies to every
    # message, whenever it was queued); a message too old to send by itself is 'expired'; a report built
    # from sample data is marked so (it is never mailed to anyone but staff).
    """
    ALTER TABLE reports ADD COLUMN sample INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    INSERT INTO meta (key, value) VALUES ('instance', lower(hex(randomblob(16))));
    CREATE TABLE messages_v3 (
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
            ('queued', 'held', 'sending', 'sent', 'written', 'retry', 'failed', 'superseded', 'expired')),
        not_before TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT,
        last_reply TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sent_at TEXT,
        eml_path TEXT,
        body_file TEXT,
        body_sha256 TEXT,
        due_at TEXT,
        UNIQUE (kind, key, recipient)
    );
    INSERT INTO messages_v3 (id, kind, key, unit, period, report_id, recipient, message_id, subject, body, status,
                             not_before, attempts, next_attempt, last_reply, created_at, updated_at, sent_at,
                             eml_path, body_file, body_sha256, due_at)
        SELECT id, kind, key, unit, period, report_id, recipient, message_id, subject, body, status, not_before,
               attempts, next_attempt, last_reply, created_at, updated_at, sent_at, eml_path, body_file,
               body_sha256, COALESCE(not_before, created_at)
        FROM messages;
    DROP TABLE messages;
    ALTER TABLE messages_v3 RENAME TO messages;
    CREATE INDEX messages_status ON messages (status);
    """,
    # 4: issuing (approval by the signer, the register of outgoing documents).  An approval binds who and when
    # to one revision's content hash; an issued document holds its number in the unit's register of the year
    # (unique), its date, what it replaces, and its files with their hashes (the unsigned issued PDF, the
    # signed one, the Word file).
    """
    CREATE TABLE approvals (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports (id),
        unit TEXT NOT NULL DEFAULT '',
        period TEXT NOT NULL,
        revision INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        approved_by TEXT NOT NULL,
        approved_at TEXT NOT NULL
    );
    CREATE INDEX approvals_report ON approvals (report_id);
    CREATE TABLE issued (
        id INTEGER PRIMARY KEY,
        unit TEXT NOT NULL DEFAULT '',
        year INTEGER NOT NULL,
        number INTEGER NOT NULL CHECK (number >= 1),
        symbol TEXT NOT NULL,
        issued_on TEXT NOT NULL,
        period TEXT NOT NULL,
        report_id INTEGER NOT NULL REFERENCES reports (id),
        approval_id INTEGER NOT NULL REFERENCES approvals (id),
        replaces INTEGER REFERENCES issued (id),
        summary TEXT NOT NULL,
        signer TEXT NOT NULL,
        recipients TEXT NOT NULL,
        copies INTEGER NOT NULL,
        notes TEXT NOT NULL DEFAULT '',
        files TEXT NOT NULL,
        signatures TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        UNIQUE (unit, year, number)
    );
    CREATE INDEX issued_report ON issued (report_id);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite3.Connection, version: int) -> None:
    """Run the migrations after ``version``; ``db`` is in autocommit mode (isolation_level None)."""
    if version >= SCHEMA_VERSION:
        return
    db.execute("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction, so set before each BEGIN
    try:
        for number in range(version, SCHEMA_VERSION):
            db.execute("BEGIN IMMEDIATE")
            try:
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        db.execute(statement)
                broken = db.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise sqlite3.DatabaseError(f"migration {number + 1} broke {len(broken)} references")
                db.execute(f"PRAGMA user_version = {number + 1}")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
    finally:
        db.execute("PRAGMA foreign_keys=ON")
