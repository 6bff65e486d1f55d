"""The conversation store of the Rasa server: Rasa's SQL tracker store, strict and windowed.

endpoints.yml::

    tracker_store:
      type: stores.tracker_store.StrictSQLTrackerStore

With no other options it keeps the conversations in the SQLite file ``TRACKER_DB`` (default
``.rasa/conversations.db`` in the project), or in the database at ``TRACKER_DB_URL`` (see
:mod:`stores.config`). Rasa's own SQL options (``dialect``, ``url``, ``db``, ``username``...)
still work and win over the environment. The events are stored in Rasa's own ``events``
table, one row per event, exactly as ``type: SQL`` stores them.

What differs from ``type: SQL``:

* **No silent fallback.** Rasa wraps every tracker store in ``FailSafeTrackerStore``, which
  catches any error, logs it and carries on with an empty conversation (a failed read) or
  keeps the conversation in memory only (a failed write) - the person is never told and their
  context is silently lost. This store raises :class:`ConversationStoreError` instead (logged
  as an ERROR with the cause), and :mod:`stores.guard`, installed when this store is created,
  keeps Rasa from wrapping it and tells the person.
* **Constant cost per turn.** A message reads only the window of the conversation's recent
  turns after a snapshot of its slots (:mod:`stores.windows`), and each action call carries
  only the last turns' events (:mod:`stores.action_calls`), so the 100th turn costs what the
  5th does. ``window_turns: 0`` in endpoints.yml reads whole sessions and sends whole
  trackers, as Rasa does.
* **Off the event loop.** Database work runs in a worker thread, so one slow query does not
  hold up the other conversations; SQLite connections are pooled (write-ahead log mode).
* **"Delete my data".** When the latest turn confirmed it, the conversation is deleted
  instead of saved.

See docs/persistence.md.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, TypeVar

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from . import action_calls, config, event_types, schema, windows
from .tracker_store_names import FORGET_SLOT

logger = logging.getLogger(__name__)

T = TypeVar("T")


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


def _file_id(path: Path) -> Optional[Tuple[int, int]]:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _remember_file(path: Path, _dbapi_connection: Any, record: Any) -> None:
    record.info["file"] = _file_id(path)


def _same_file(path: Path, _dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Pool checkout: refuse a connection whose file is no longer at ``path``."""
    if _file_id(path) != record.info.get("file"):
        raise sa.exc.DisconnectionError(f"{path} was moved, replaced or deleted")


def _row(sender_id: str, event: Event) -> Dict[str, Any]:
    """The ``events`` row of one event, as Rasa's SQL tracker store writes it."""
    data = event.as_dict()
    return {"sender_id": sender_id, "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"), "data": json.dumps(data)}


class StrictSQLTrackerStore(SQLTrackerStore):
    """:class:`SQLTrackerStore` that reports failures instead of hiding them, reads a window
    of recent turns, and keeps its database work off the event loop."""

    engine: sa.engine.Engine

    def __init__(self, domain: Optional[Domain] = None, dialect: str = "sqlite",
                 host: Optional[str] = None, port: Optional[int] = None,
                 db: Optional[str] = None, username: Optional[str] = None,
                 password: Optional[str] = None, event_broker: Optional[EventBroker] = None,
                 login_db: Optional[str] = None, query: Optional[Dict] = None,
                 window_turns: Optional[int] = None, **kwargs: Any) -> None:
        if host is None and db is None:
            host = config.db_url(base=Path.cwd())   # a full URL: Rasa uses it as it is
        url = sa.engine.make_url(host) if host and "://" in host else None
        if url is not None and url.get_backend_name() == "sqlite" and url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        elif url is None and dialect == "sqlite" and db:
            Path(db).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain, dialect, host, port, db or "rasa.db", username, password,
                         event_broker, login_db, query, **kwargs)
        if self.engine.url.get_backend_name() == "sqlite":
            self._pool_sqlite()
        else:
            self._ping_before_use()
        self.where = self.engine.url.render_as_string(hide_password=True)
        schema.create_ours(self.engine)
        self.keep_turns = windows.KEEP_TURNS
        self.max_turns = windows.MAX_TURNS if window_turns is None else int(window_turns)
        if 0 < self.max_turns < self.keep_turns:
            raise ValueError(f"window_turns must be 0 (whole sessions) or at least "
                             f"{self.keep_turns}, not {window_turns}")
        from . import guard

        event_types.install()
        action_calls.install(self.keep_turns if self.max_turns > 0 else None)
        guard.install()
        logger.info("Conversations are stored in %s (no fallback to memory)", self.where)

    def _replace_engine(self, **options: Any) -> None:
        """Rasa creates the engine with its own options; make it again with ``options`` (and
        Rasa's PostgreSQL schema settings), bound to the sessions."""
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, **create_engine_kwargs(url), **options)
        self.sessionmaker.configure(bind=self.engine)

    def _pool_sqlite(self) -> None:
        """SQLAlchemy 1.4 opens a new SQLite connection for every session (``NullPool``);
        keep a few open instead, usable from the worker threads, in WAL mode. An open
        connection keeps writing to its file even after the file was moved or deleted, which
        would lose those turns silently: a connection is used only while the file at the
        configured path is still the one it opened (else it is replaced, and a file that is
        gone is an error the person is told about)."""
        self._replace_engine(poolclass=sa.pool.QueuePool, pool_size=4,
                             connect_args={"check_same_thread": False})
        sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        database = self.engine.url.database
        if database and database != ":memory:":
            path = Path(database)
            sa.event.listen(self.engine, "connect", functools.partial(_remember_file, path))
            sa.event.listen(self.engine, "checkout", functools.partial(_same_file, path))

    def _ping_before_use(self) -> None:
        """A database server's pooled connections die when it restarts (PostgreSQL in the
        scale-out profile): test each before use, or the first message after a restart fails
        on a dead connection, on every Rasa server (docs/persistence.md)."""
        self._replace_engine(pool_pre_ping=True)

    # -- errors and threads --------------------------------------------------------------------
    def _failed(self, operation: str, sender_id: Optional[str],
                exc: BaseException) -> ConversationStoreError:
        error = ConversationStoreError(operation, sender_id, exc)
        logger.error("Conversation store %s: %s", self.where, error)
        return error

    async def _off_loop(self, operation: str, sender_id: Optional[str],
                        work: Callable[..., T], *args: Any) -> T:
        """Run ``work(*args)`` in a worker thread; any failure is a ConversationStoreError."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(None, functools.partial(work, *args))
        except Exception as exc:
            raise self._failed(operation, sender_id, exc) from exc

    # -- reading -------------------------------------------------------------------------------
    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        events = await self._off_loop("load", sender_id, self._read_window, sender_id)
        if not events or self.domain is None:
            return None
        try:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        except Exception as exc:
            raise self._failed("load", sender_id, exc) from exc

    async def retrieve_full_tracker(self, conversation_id: str
                                    ) -> Optional[DialogueStateTracker]:
        try:
            return await super().retrieve_full_tracker(conversation_id)
        except Exception as exc:
            raise self._failed("load", conversation_id, exc) from exc

    def _window(self, session: Any, sender_id: str
                ) -> Tuple[int, List[Dict[str, Any]], bool]:
        """Where the conversation's window starts, its snapshot (event dicts), and whether the
        window is recorded (False: the latest session, read as Rasa reads it)."""
        if self.max_turns > 0:
            row = session.execute(sa.select(schema.windows.c.start_id, schema.windows.c.snapshot)
                                  .where(schema.windows.c.sender_id == sender_id)).first()
            if row is not None:
                return int(row.start_id), json.loads(row.snapshot), True
        events = schema.events
        start = session.execute(sa.select(sa.func.max(events.c.id)).where(
            events.c.sender_id == sender_id,
            events.c.type_name == SessionStarted.type_name)).scalar()
        return int(start or 0), [], False

    @staticmethod
    def _from(sender_id: str, start_id: int) -> Any:
        events = schema.events
        return (events.c.sender_id == sender_id) & (events.c.id >= start_id)

    def _read_window(self, sender_id: str) -> List[Dict[str, Any]]:
        with self.session_scope() as session:
            start_id, snapshot, _ = self._window(session, sender_id)
            rows = session.execute(sa.select(schema.events.c.data)
                                   .where(self._from(sender_id, start_id))
                                   .order_by(schema.events.c.id)).scalars().all()
        if not rows:
            return []
        return snapshot + [json.loads(data) for data in rows]

    # -- writing -------------------------------------------------------------------------------
    async def save(self, tracker: DialogueStateTracker) -> None:
        if forget_requested(tracker):
            # "delete my data", confirmed: every event of the conversation goes, and nothing
            # of this last turn is written back
            await self._off_loop("save", tracker.sender_id, self._delete, tracker.sender_id)
            logger.info("A conversation was deleted at its owner's request")
            return
        slots = list(self.domain.slots) if self.domain is not None else []
        new: List[Event] = await self._off_loop("save", tracker.sender_id, self._append,
                                                tracker, slots)
        if self.event_broker is not None and new:
            await self._stream_new_events(self.event_broker, new, tracker.sender_id)

    def _append(self, tracker: DialogueStateTracker, slots: Sequence[Any]) -> List[Event]:
        """Store the tracker's events that are not stored yet and move its window; returns
        the new events. One transaction: a failure stores nothing."""
        sender_id = tracker.sender_id
        events = list(tracker.events)
        with self.session_scope() as session:
            start_id, snapshot, recorded = self._window(session, sender_id)
            first = len(snapshot)          # index of the window's first stored event
            stored = session.execute(sa.select(sa.func.count()).select_from(schema.events)
                                     .where(self._from(sender_id, start_id))).scalar_one()
            new = events[first + stored:]
            if new:
                session.execute(schema.events.insert(), [_row(sender_id, e) for e in new])
                if self.max_turns > 0:
                    moved = self._next_window(tracker, events, slots, first,
                                              len(events) - len(new), recorded)
                    if moved is not None:
                        self._record_window(session, sender_id, start_id, moved[0] - first,
                                            moved[1], recorded)
            session.commit()
        return new

    def _next_window(self, tracker: DialogueStateTracker, events: Sequence[Event],
                     slots: Sequence[Any], first: int, first_new: int, recorded: bool
                     ) -> Optional[Tuple[int, List[Event]]]:
        """Where the window starts after this turn (an index in ``events``, the tracker's) and
        its snapshot, or None when it stays."""
        started = windows.last_session_start(events, first_new)
        if started is not None:            # a new session: its window starts with it
            return started, []
        moved = windows.next_window(tracker, slots, first, self.keep_turns, self.max_turns)
        if moved is None and not recorded:
            return first, []               # the first window: where reading starts now
        return moved

    def _record_window(self, session: Any, sender_id: str, start_id: int, offset: int,
                       snapshot: List[Event], recorded: bool) -> None:
        """Record that the window starts ``offset`` stored events after ``start_id``."""
        new_start = session.execute(sa.select(schema.events.c.id)
                                    .where(self._from(sender_id, start_id))
                                    .order_by(schema.events.c.id)
                                    .offset(offset).limit(1)).scalar_one()
        values = {"start_id": new_start,
                  "snapshot": json.dumps([event.as_dict() for event in snapshot])}
        table = schema.windows
        if recorded:
            session.execute(table.update().where(table.c.sender_id == sender_id).values(**values))
        else:
            session.execute(table.insert().values(sender_id=sender_id, **values))

    def _delete(self, sender_id: str) -> int:
        with self.session_scope() as session:
            deleted = schema.delete_conversations(session.connection(),
                                                  lambda column: column == sender_id)
            session.commit()
            return deleted

    async def keys(self) -> Iterable[str]:
        try:
            return await super().keys()
        except Exception as exc:
            raise self._failed("list", None, exc) from exc
