"""The tables of the conversation database, as SQLAlchemy Core tables. No Rasa import.

``events``                Rasa's SQL tracker store table, one row per event (Rasa creates it;
                          only the columns we read or write are declared here).
``conversation_windows``  ours, one row per conversation: where the Rasa server starts
                          reading the conversation (``start_id``) and the state of the
                          conversation just before that event (``snapshot``, a JSON list of
                          Rasa events that recreate it: slot values, nothing else). See
                          :mod:`stores.windows` and docs/persistence.md.

The same definitions serve SQLite and PostgreSQL, the tracker store, ``make prune`` and
"delete my data", so they always agree on what a conversation is made of.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

import sqlalchemy as sa

logger = logging.getLogger(__name__)

EVENTS_TABLE = "events"
WINDOWS_TABLE = "conversation_windows"
#: Finds one conversation's latest events without reading its older ones.
EVENTS_INDEX = "ix_events_sender_id_id"

metadata = sa.MetaData()

events = sa.Table(
    EVENTS_TABLE, metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)

windows = sa.Table(
    WINDOWS_TABLE, metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("start_id", sa.Integer, nullable=False),
    sa.Column("snapshot", sa.Text, nullable=False, default="[]"),
)

events_by_sender = sa.Index(EVENTS_INDEX, events.c.sender_id, events.c.id)


def create_ours(engine: sa.engine.Engine) -> None:
    """Create the windows table and the events index when they are missing (the events table
    itself is Rasa's and exists already). Several servers may start at once: whoever comes
    second finds the objects there, and a lost race is not an error."""
    inspector = sa.inspect(engine)
    try:
        if not inspector.has_table(WINDOWS_TABLE):
            windows.create(engine, checkfirst=True)
        if EVENTS_INDEX not in {ix["name"] for ix in inspector.get_indexes(EVENTS_TABLE)}:
            events_by_sender.create(engine)
    except (sa.exc.OperationalError, sa.exc.ProgrammingError, sa.exc.IntegrityError) as exc:
        logger.debug("Another server created the conversation tables first: %s", exc)


def delete_conversations(conn: sa.engine.Connection,
                         match: Callable[[sa.Column], Any]) -> int:
    """Delete the events and the window of every conversation whose sender id satisfies
    ``match`` (given a sender-id column, it returns a SQL condition, e.g.
    ``lambda column: column == sender_id``); returns the number of events deleted."""
    if sa.inspect(conn).has_table(WINDOWS_TABLE):
        conn.execute(windows.delete().where(match(windows.c.sender_id)))
    return int(conn.execute(events.delete().where(match(events.c.sender_id))).rowcount or 0)
