"""The ledger: schema migrations, the spool of message bytes, one transaction per state change."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest

from reportgen.delivery.ledger import SCHEMA_VERSION, Ledger, LedgerError
from reportgen.delivery.ledger_schema import MIGRATIONS

NOW = datetime(2023, 6, 20, 7, 0)


def queue(ledger: Ledger, key: str = "1", body: bytes = b"From: a\r\n\r\nx\r\n"):
    with ledger.transaction() as db:
        return ledger.queue_message(db, kind="report", key=key, recipient="a@example.vn", message_id="<m@x>",
                                    subject="Báo cáo", body=body, now=NOW)


def test_a_v1_ledger_is_migrated_and_its_messages_still_deliver(tmp_path):
    path = tmp_path / "reportgen.db"
    old = sqlite3.connect(path)
    old.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    old.execute("INSERT INTO messages (kind, key, recipient, message_id, subject, body, status, created_at, updated_at)"
                " VALUES ('report', '1', 'a@example.vn', '<m@x>', 'Cũ', ?, 'queued', 't', 't')", (b"old bytes",))
    old.commit()
    old.close()
    with Ledger(path) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION == 4
        [message] = ledger.due_messages(NOW)
        assert ledger.body(message) == b"old bytes"


def test_message_bytes_live_in_the_spool_not_in_the_database(tmp_path):
    big = b"X" * 300_000   # a PDF attachment
    with Ledger(tmp_path / "reportgen.db") as ledger:
        for n in range(20):
            queue(ledger, key=str(n), body=big)
        [first, *_] = ledger.due_messages(NOW)
        assert first.body == b"" and ledger.body(first) == big
        assert len(list(ledger.spool.glob("*.eml"))) == 20
        ledger.mark(first.id, "sent", NOW, reply="250 ok", attempt="accepted")
        assert len(list(ledger.spool.glob("*.eml"))) == 19      # delivered: its bytes are let go
    assert (tmp_path / "reportgen.db").stat().st_size < 200_000


def test_queueing_twice_keeps_the_first_bytes(tmp_path):
    with Ledger(tmp_path / "reportgen.db") as ledger:
        assert queue(ledger, body=b"first") is not None
        assert queue(ledger, body=b"second") is None
        [message] = ledger.due_messages(NOW)
        assert ledger.body(message) == b"first"


def test_a_tampered_or_lost_spool_file_is_refused(tmp_path):
    with Ledger(tmp_path / "reportgen.db") as ledger:
        queue(ledger)
        [message] = ledger.due_messages(NOW)
        (ledger.spool / message.body_file).write_bytes(b"changed")
        with pytest.raises(LedgerError, match="đã bị sửa; không gửi"):
            ledger.body(message)
        (ledger.spool / message.body_file).unlink()
        with pytest.raises(LedgerError, match="đã mất"):
            ledger.body(message)


def test_tidy_spool_removes_only_what_no_waiting_message_needs(tmp_path):
    with Ledger(tmp_path / "reportgen.db") as ledger:
        queue(ledger, key="1")
        (ledger.spool / "orphan.eml").write_bytes(b"x")
        assert ledger.tidy_spool() == 1
        assert len(list(ledger.spool.glob("*.eml"))) == 1


def test_a_ledger_from_a_newer_reportgen_is_refused(tmp_path):
    path = tmp_path / "reportgen.db"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(LedgerError, match="phiên bản reportgen mới hơn"):
        Ledger(path)


def test_a_v2_ledger_gets_an_identity_and_due_moments_and_keeps_its_history(tmp_path):
    path = tmp_path / "reportgen.db"
    old = sqlite3.connect(path)
    old.executescript(MIGRATIONS[0] + ";" + MIGRATIONS[1] + "; PRAGMA user_version = 2;")
    old.execute("INSERT INTO messages (kind, key, recipient, message_id, subject, body, status, not_before,"
                " created_at, updated_at) VALUES ('report', '1', 'a@example.vn', '<m@x>', 'Cũ', x'', 'queued',"
                " '2023-06-20T07:00:00', '2023-06-16T07:00:00', 't')")
    old.execute("INSERT INTO attempts (message, at, outcome) VALUES (1, 't', 'sending')")
    old.commit()
    old.close()
    with Ledger(path) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION
        identity = ledger.instance
        assert len(identity) == 32 and int(identity, 16)
        [message] = ledger.messages()
        assert message.due_at == "2023-06-20T07:00:00"            # its due date, as not_before said
        assert [row["outcome"] for row in ledger.attempts(message.id)] == ["sending"]
        ledger.expire(message.id, NOW, "expired", "quá hạn")       # the new status is allowed
        assert ledger.message(message.id).status == "expired"
        assert ledger.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with Ledger(path) as again:
        assert again.instance == identity                          # minted once, kept


def test_two_ledgers_have_different_identities(tmp_path):
    with Ledger(tmp_path / "a.db") as one, Ledger(tmp_path / "b.db") as two:
        assert one.instance != two.instance
