"""The conversation store of the Rasa server: Rasa's SQL tracker store, minus the silent fallback.

endpoints.yml::

    tracker_store:
      type: stores.tracker_store.StrictSQLTrackerStore

With no other options it keeps the conversations in the SQLite file ``TRACKER_DB`` (default
``.rasa/conversations.db`` in the project), or in the database at ``TRACKER_DB_URL`` (see
:mod:`stores.config`). Rasa's own SQL options (``dialect``, ``url``, ``db``, ``username``...)
still work and win over the environment.

What differs from ``type: SQL``: Rasa wraps every tracker store in ``FailSafeTrackerStore``,
which catches any error, logs it and carries on with an empty conversation (a failed read) or
keeps the conversation in memory only (a failed write) - the person is never told and their
context is silently lost. This store raises :class:`ConversationStoreError` instead (logged as
an ERROR with the cause), and :mod:`stores.guard`, installed when this store is created, keeps
Rasa from wrapping it and tells the person. See docs/persistence.md.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, Iterable, Optional

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from . import config
from .tracker_store_names import FORGET_SLOT

logger = logging.getLogger(__name__)


def forget_requested(tracker: DialogueStateTracker) -> bool:
    """Did the latest turn confirm that the conversation is to be deleted?"""
    return tracker.get_slot(FORGET_SLOT) is True


class ConversationStoreError(Exception):
    """The conversation could not be read from or written to the store."""

    def __init__(self, operation: str, sender_id: Optional[str], cause: BaseException) -> None:
        self.operation = operation
        self.sender_id = sender_id
        self.cause = cause
        who = f" of {sender_id!r}" if sender_id is not None else ""
        super().__init__(f"could not {operation} the conversation{who}: "
                         f"{type(cause).__name__}: {cause}")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Write-ahead logging with ``synchronous=NORMAL``: a turn's commit no longer waits for the
    disk (SQLite syncs at checkpoints), readers never wait for a writer, and a crash of the
    server loses nothing; only a power cut can lose the last turns. See docs/persistence.md."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


class StrictSQLTrackerStore(SQLTrackerStore):
    """:class:`SQLTrackerStore` that reports failures instead of hiding them."""

    def __init__(self, domain: Optional[Domain] = None, dialect: str = "sqlite",
                 host: Optional[str] = None, port: Optional[int] = None,
                 db: Optional[str] = None, username: Optional[str] = None,
                 password: Optional[str] = None, event_broker: Optional[EventBroker] = None,
                 login_db: Optional[str] = None, query: Optional[Dict] = None,
                 **kwargs: Any) -> None:
        if host is None and db is None:
            host = config.db_url(base=Path.cwd())   # a full URL: Rasa uses it as it is
        url = sa.engine.make_url(host) if host and "://" in host else None
        if url is not None and url.get_backend_name() == "sqlite" and url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        elif url is None and dialect == "sqlite" and db:
            Path(db).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain, dialect, host, port, db or "rasa.db", username, password,
                         event_broker, login_db, query, **kwargs)
        self.where = self.engine.url.render_as_string(hide_password=True)
        if self.engine.url.get_backend_name() == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        else:   # a database server: pooled connections die when it restarts; test each one
            # before use, or the first message after the restart fails (docs/persistence.md)
            url = self.engine.url
            self.engine.dispose()
            self.engine: sa.engine.Engine = sa.create_engine(url, pool_pre_ping=True,
                                                             **create_engine_kwargs(url))
            self.sessionmaker.configure(bind=self.engine)
        from . import guard

        guard.install()
        logger.info("Conversations are stored in %s (no fallback to memory)", self.where)

    def _failed(self, operation: str, sender_id: Optional[str],
                exc: BaseException) -> ConversationStoreError:
        error = ConversationStoreError(operation, sender_id, exc)
        logger.error("Conversation store %s: %s", self.where, error)
        return error

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        try:
            return await super().retrieve(sender_id)
        except Exception as exc:
            raise self._failed("load", sender_id, exc) from exc

    async def retrieve_full_tracker(self, conversation_id: str
                                    ) -> Optional[DialogueStateTracker]:
        try:
            return await super().retrieve_full_tracker(conversation_id)
        except Exception as exc:
            raise self._failed("load", conversation_id, exc) from exc

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            if forget_requested(tracker):
                # "delete my data", confirmed: every event of the conversation goes, and
                # nothing of this last turn is written back
                await self._delete(tracker.sender_id)
                logger.info("A conversation was deleted at its owner's request")
                return
            await super().save(tracker)
        except Exception as exc:
            raise self._failed("save", tracker.sender_id, exc) from exc

    async def _delete(self, sender_id: str) -> int:
        table = self.SQLEvent.__table__
        with self.session_scope() as session:
            result = session.execute(table.delete().where(table.c.sender_id == sender_id))
            session.commit()
            return int(result.rowcount or 0)

    async def keys(self) -> Iterable[str]:
        try:
            return await super().keys()
        except Exception as exc:
            raise self._failed("list", None, exc) from exc
