"""The conversation lock of the Rasa server: one message of a conversation at a time, across
several Rasa servers (Rasa Open Source 3.6).

endpoints.yml::

    lock_store:
      type: stores.lock_store.ConversationLockStore

``LOCK_STORE_URL`` unset (one Rasa server, the default): Rasa's own in-memory lock store.
``LOCK_STORE_URL=redis://host:port/db`` (the scale-out profile, see :mod:`stores.config`):
:class:`AtomicRedisLockStore`, shared by every Rasa server that uses the same Redis.

Why not Rasa's ``RedisLockStore``: it keeps each conversation's ticket queue as one JSON value
and changes it by read-modify-write (``get_lock``, change, ``save_lock``). Two servers taking a
ticket at the same moment read the same queue, both get the same number and both run the
conversation at once, or one overwrites the other's ticket, which is then lost. Here every
change is one atomic Redis operation, so nothing is overwritten:

- ``<prefix><id>:next``    the ticket counter: ``INCR`` gives each message its number;
- ``<prefix><id>:queue``   a sorted set of the waiting tickets, by number; the lowest is served;
- ``<prefix><id>:ticket:<n>``  the ticket itself, which Redis expires after the lock lifetime
  (``TICKET_LOCK_LIFETIME``, Rasa's setting, default 60 s), so a crashed server's ticket
  cannot block the conversation for longer than that.

Taking a ticket (``INCR`` + adding it to the queue) is one Lua script, because a ticket added
to the queue after a higher one would be served second. Finishing removes the ticket
(``ZREM``, ``DEL``); an empty queue disappears by itself, so there is nothing to delete.

When Redis cannot be reached the message is not handled unlocked: :class:`LockStoreError` (a
:class:`~stores.tracker_store.ConversationStoreError`) is logged as an ERROR with the cause and
:mod:`stores.guard` tells the person that something went wrong and to try again; the next
message, once Redis is back, continues the conversation from the tracker store. Redis keeps
nothing that must survive: restarting it (even without persistence) only drops the tickets of
messages in flight.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, List, Optional, Tuple

import redis
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import (
    DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX,
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
    LockStore,
    RedisLockStore,
)

from . import config
from .tracker_store import ConversationStoreError

logger = logging.getLogger(__name__)

#: how often a waiting message looks whether its turn has come (Rasa's default: 1 s)
POLL_SECONDS = 0.05
#: the longest wait for one Redis command before the person is told to try again
SOCKET_TIMEOUT_SECONDS = 5.0

# KEYS: counter, queue, ticket key prefix; ARGV: lifetime in ms, expiry time (Unix seconds)
_TAKE_TICKET = """
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('SET', KEYS[3] .. n, ARGV[2], 'PX', ARGV[1])
redis.call('ZADD', KEYS[2], n, n)
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return n
"""


class LockStoreError(ConversationStoreError):
    """The conversation could not be locked (Redis unreachable, or the wait outlived the
    ticket); answered like a store failure by :mod:`stores.guard`."""


class ConversationLockStore(LockStore):
    """The class endpoints.yml names: builds the lock store ``LOCK_STORE_URL`` asks for.

    Rasa creates a custom lock store as ``ConversationLockStore(endpoint_config=...)`` and
    accepts only a class there, so the choice is made in ``__new__``, which returns Rasa's
    :class:`InMemoryLockStore` or an :class:`AtomicRedisLockStore`."""

    def __new__(cls, endpoint_config: Any = None) -> Any:
        url = config.lock_store_url()
        if url is None:
            logger.info("Conversation locks are kept in this server's memory (one Rasa "
                        "server; set LOCK_STORE_URL to share them)")
            return InMemoryLockStore()
        return AtomicRedisLockStore(url)


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store with atomic tickets (see the module's docstring)."""

    def __init__(self, url: str, key_prefix: str = DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX,
                 socket_timeout: float = SOCKET_TIMEOUT_SECONDS) -> None:
        LockStore.__init__(self)   # not RedisLockStore's: it takes host and port, not a URL
        self.red = redis.Redis.from_url(url, socket_timeout=socket_timeout,
                                        socket_connect_timeout=socket_timeout)
        self.key_prefix = key_prefix
        self._take_ticket = self.red.register_script(_TAKE_TICKET)
        kw = self.red.connection_pool.connection_kwargs
        self.where = f"Redis at {kw.get('host', kw.get('path'))}:{kw.get('port', '')}" \
                     f"/{kw.get('db', 0)}"
        from . import guard

        guard.install()   # Redis failures are answered even with another tracker store
        try:
            self.red.ping()
            logger.info("Conversation locks are kept in %s (atomic tickets)", self.where)
        except redis.RedisError as exc:
            logger.error("Conversation locks are kept in %s, which cannot be reached now "
                         "(%s: %s): every message is answered with an error until it can",
                         self.where, type(exc).__name__, exc)

    def _keys(self, conversation_id: str) -> Tuple[str, str, str]:
        base = self.key_prefix + conversation_id
        return f"{base}:next", f"{base}:queue", f"{base}:ticket:"

    def _failed(self, conversation_id: str, exc: BaseException) -> LockStoreError:
        error = LockStoreError("lock", conversation_id, exc)
        logger.error("Conversation lock store %s: %s", self.where, error)
        return error

    # -- the ticket queue, one atomic Redis operation per change ------------------------------
    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        counter, queue, ticket = self._keys(conversation_id)
        lifetime_ms = max(1, int(lock_lifetime * 1000))
        number = self._take_ticket(keys=[counter, queue, ticket],
                                   args=[lifetime_ms, time.time() + lock_lifetime])
        return int(number)

    def get_lock(self, conversation_id: str) -> Optional[TicketLock]:
        """The live tickets, lowest number first; tickets Redis expired leave the queue."""
        _, queue, ticket = self._keys(conversation_id)
        numbers: List[int] = [int(n) for n in self.red.zrange(queue, 0, -1)]
        if not numbers:
            return None
        expiries = self.red.mget([f"{ticket}{n}" for n in numbers])
        expired = [n for n, expires in zip(numbers, expiries) if expires is None]
        if expired:
            self.red.zrem(queue, *expired)
        tickets = deque(Ticket(n, float(expires)) for n, expires in zip(numbers, expiries)
                        if expires is not None)
        return TicketLock(conversation_id, tickets) if tickets else None

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        _, queue, ticket = self._keys(conversation_id)
        with self.red.pipeline(transaction=True) as pipe:
            pipe.zrem(queue, ticket_number)
            pipe.delete(f"{ticket}{ticket_number}")
            pipe.execute()

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        self.finish_serving(conversation_id, ticket_number)   # an empty queue goes by itself

    def update_lock(self, conversation_id: str) -> None:
        """Nothing to do: expired tickets leave the queue when :meth:`get_lock` sees them."""

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError("AtomicRedisLockStore never writes a whole lock back: that "
                                  "read-modify-write is what loses tickets between servers")

    def delete_lock(self, conversation_id: str) -> None:
        deleted = self.red.delete(*self._keys(conversation_id)[:2])
        self._log_deletion(conversation_id, bool(deleted))

    # -- what the agent calls ------------------------------------------------------------------
    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = POLL_SECONDS
                   ) -> AsyncGenerator[TicketLock, None]:
        """Hold the conversation for one message; Redis errors become :class:`LockStoreError`."""
        try:
            ticket = self.issue_ticket(conversation_id, lock_lifetime)
        except redis.RedisError as exc:
            raise self._failed(conversation_id, exc) from exc
        try:
            yield await self._wait_for_turn(conversation_id, ticket, lock_lifetime,
                                            wait_time_in_seconds)
        finally:
            try:
                self.cleanup(conversation_id, ticket)
            except redis.RedisError as exc:
                # the message was handled and saved; only the ticket stays, until it expires
                logger.error("Conversation lock store %s: could not release ticket %d of %r "
                             "(%s: %s); the conversation waits until it expires (%g s)",
                             self.where, ticket, conversation_id, type(exc).__name__, exc,
                             lock_lifetime)

    async def _wait_for_turn(self, conversation_id: str, ticket: int, lock_lifetime: float,
                             poll_seconds: float) -> TicketLock:
        started = time.monotonic()
        while True:
            try:
                lock = self.get_lock(conversation_id)
            except redis.RedisError as exc:
                raise self._failed(conversation_id, exc) from exc
            if lock is None or lock._ticket_for_ticket_number(ticket) is None:
                waited = time.monotonic() - started
                raise self._failed(conversation_id, LockError(
                    f"ticket {ticket} expired after waiting {waited:.1f} s for the messages "
                    f"before it (TICKET_LOCK_LIFETIME is {lock_lifetime:g} s)"))
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(poll_seconds)
