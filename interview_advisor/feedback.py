"""Durable feedback on advice: which rules were shown, and whether people found them helpful.

An embedded SQLite file (standard library, no server): ``FEEDBACK_DB`` names it, by default
``.rasa/feedback.sqlite3`` under the current directory (the action server runs from the
project folder); missing folders are created.

    store = FeedbackStore()                       # FEEDBACK_DB or .rasa/feedback.sqlite3
    store.record_shown("conv-1", "webchat", ["vague_role_get_it_in_writing"])
    store.record("conv-1", "webchat", ["vague_role_get_it_in_writing"], helpful=True)
    for row in store.report():                    # per rule: shown, helpful, not helpful
        print(row.rule_id, row.shown, row.helpful, row.not_helpful)
    store.delete_conversation("conv-1")           # "forget me": returns the events removed

What is stored, per event: a keyed hash of the conversation id (HMAC-SHA256 with a random salt
made when the file is created and kept in it), the channel name, the rule ids, helpful
true/false for a rating, and the UTC time. The raw conversation id (a Slack user id, a browser
session id) is never written, so the file cannot be joined with other logs by id; the salt
still lets :meth:`FeedbackStore.delete_conversation` find one person's events. This is
pseudonymisation, not anonymisation: whoever holds the file and a candidate id can test it.
No message text is ever stored.

Every call opens its own connection and runs one short transaction, so one store can be shared
by threads (and processes: SQLite locks the file; WAL mode lets readers run beside a writer).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, List, NamedTuple, Optional, Sequence, Union

DEFAULT_PATH = Path(".rasa") / "feedback.sqlite3"
ENV_VAR = "FEEDBACK_DB"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,                        -- UTC, ISO 8601
    conversation TEXT NOT NULL,              -- HMAC-SHA256(salt, conversation id), hex
    channel TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('shown', 'rated')),
    helpful INTEGER CHECK (helpful IN (0, 1) OR (helpful IS NULL AND kind = 'shown'))
);
CREATE TABLE IF NOT EXISTS event_rules (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    rule_id TEXT NOT NULL,
    PRIMARY KEY (event_id, rule_id)
);
CREATE INDEX IF NOT EXISTS events_conversation ON events(conversation);
CREATE INDEX IF NOT EXISTS event_rules_rule ON event_rules(rule_id);
"""

_REPORT = """
SELECT r.rule_id,
       SUM(e.kind = 'shown'),
       SUM(e.kind = 'rated' AND e.helpful = 1),
       SUM(e.kind = 'rated' AND e.helpful = 0)
FROM event_rules AS r JOIN events AS e ON e.id = r.event_id
GROUP BY r.rule_id
ORDER BY r.rule_id
"""


class RuleFeedback(NamedTuple):
    """One line of :meth:`FeedbackStore.report`."""

    rule_id: str
    shown: int
    helpful: int
    not_helpful: int


def default_path() -> Path:
    """``$FEEDBACK_DB`` when set and not empty, else ``.rasa/feedback.sqlite3``."""
    return Path(os.environ.get(ENV_VAR) or DEFAULT_PATH)


class FeedbackStore:
    """Ratings and showings of advice rules in one SQLite file (see the module docstring)."""

    def __init__(self, path: Union[str, os.PathLike[str], None] = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._init_lock = threading.Lock()
        self._salt: Optional[bytes] = None

    # -- connection ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One connection and one transaction: committed on success, rolled back on error."""
        self._ensure_schema()
        with self._transaction() as conn:
            yield conn

    @contextlib.contextmanager
    def _transaction(self, journal_wal: bool = False) -> Iterator[sqlite3.Connection]:
        """A fresh connection in one write transaction (BEGIN IMMEDIATE): committed when the
        block ends, rolled back on any error, closed either way."""
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA foreign_keys = ON")   # a no-op inside a transaction: before it
            if journal_wal:
                with contextlib.suppress(sqlite3.OperationalError):  # e.g. on network drives
                    conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    def _ensure_schema(self) -> None:
        if self._salt is not None:
            return
        with self._init_lock:
            if self._salt is not None:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._transaction(journal_wal=True) as conn:
                # statement by statement: executescript() would commit on its own
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                # a new file gets a random salt; an existing one keeps its own
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('salt', ?)",
                             (secrets.token_hex(32),))
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                             (str(SCHEMA_VERSION),))
                salt = conn.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
            self._salt = bytes.fromhex(salt[0])

    def conversation_key(self, conversation_id: str) -> str:
        """What is stored instead of ``conversation_id``: its HMAC-SHA256 under this file's
        salt, in hex."""
        self._ensure_schema()
        assert self._salt is not None
        return hmac.new(self._salt, conversation_id.encode("utf-8"), hashlib.sha256).hexdigest()

    # -- writing -------------------------------------------------------------------------------
    def record_shown(self, conversation_id: str, channel: str, rule_ids: Sequence[str]) -> None:
        """The advice rules ``rule_ids`` were shown in this conversation (nothing if empty)."""
        self._insert(conversation_id, channel, rule_ids, "shown", None)

    def record(self, conversation_id: str, channel: str, rule_ids: Sequence[str],
               helpful: bool) -> None:
        """A rating: the advice made of ``rule_ids`` was (not) helpful."""
        if not isinstance(helpful, bool):
            raise TypeError(f"helpful must be True or False, not {helpful!r}")
        self._insert(conversation_id, channel, rule_ids, "rated", helpful)

    def _insert(self, conversation_id: str, channel: str, rule_ids: Sequence[str], kind: str,
                helpful: Optional[bool]) -> None:
        if isinstance(rule_ids, str):
            raise TypeError("rule_ids must be a sequence of rule ids, not one string")
        rules = list(dict.fromkeys(str(r) for r in rule_ids if str(r).strip()))
        if not rules:
            return
        key = self.conversation_key(str(conversation_id))
        at = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO events (at, conversation, channel, kind, helpful) "
                "VALUES (?, ?, ?, ?, ?)",
                (at, key, str(channel or "unknown"), kind,
                 None if helpful is None else int(helpful)))
            conn.executemany("INSERT INTO event_rules (event_id, rule_id) VALUES (?, ?)",
                             [(cursor.lastrowid, rule) for rule in rules])

    def delete_conversation(self, conversation_id: str) -> int:
        """Forget one conversation: delete its events; returns how many there were."""
        key = self.conversation_key(str(conversation_id))
        with self._connect() as conn:
            return conn.execute("DELETE FROM events WHERE conversation = ?", (key,)).rowcount

    # -- reading -------------------------------------------------------------------------------
    def report(self) -> List[RuleFeedback]:
        """Per rule id (sorted): how often it was shown, rated helpful and rated not helpful."""
        with self._connect() as conn:
            rows = conn.execute(_REPORT).fetchall()
        return [RuleFeedback(rule, int(shown or 0), int(yes or 0), int(no or 0))
                for rule, shown, yes, no in rows]


def format_report(rows: Sequence[RuleFeedback]) -> str:
    """The report as a plain-text table (what ``make feedback-report`` prints)."""
    if not rows:
        return "No feedback recorded yet."
    width = max(len("rule"), *(len(r.rule_id) for r in rows))
    lines = [f"{'rule':<{width}}  {'shown':>6}  {'helpful':>7}  {'not helpful':>11}  "
             f"{'helpful %':>9}"]
    for r in rows:
        rated = r.helpful + r.not_helpful
        share = f"{100 * r.helpful / rated:.0f}%" if rated else "-"
        lines.append(f"{r.rule_id:<{width}}  {r.shown:>6}  {r.helpful:>7}  "
                     f"{r.not_helpful:>11}  {share:>9}")
    return "\n".join(lines)
