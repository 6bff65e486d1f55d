"""The conversation lock store against a real redis-server: what endpoints.yml's class builds
from LOCK_STORE_URL, one message at a time across two stores (two Rasa servers), expired
tickets, and Redis going away and coming back."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import List

import pytest

from stores import config

from .conftest import RedisServer


def test_lock_store_url_comes_from_the_environment() -> None:
    assert config.lock_store_url({}) is None
    assert config.lock_store_url({"LOCK_STORE_URL": " "}) is None
    assert config.lock_store_url({"LOCK_STORE_URL": "redis://127.0.0.1:6380/0"}) == \
        "redis://127.0.0.1:6380/0"
    with pytest.raises(ValueError, match="LOCK_STORE_URL must be a Redis URL"):
        config.lock_store_url({"LOCK_STORE_URL": "127.0.0.1:6379"})


def conversation() -> str:
    return f"conv-{uuid.uuid4().hex[:8]}"


@pytest.mark.slow
def test_endpoints_class_builds_the_store_the_environment_asks_for(
        redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.lock_store import InMemoryLockStore, LockStore
    from rasa.utils.endpoints import EndpointConfig

    from stores.lock_store import AtomicRedisLockStore

    endpoint = EndpointConfig(type="stores.lock_store.ConversationLockStore")
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    assert isinstance(LockStore.create(endpoint), InMemoryLockStore)
    monkeypatch.setenv("LOCK_STORE_URL", redis_server.url)
    store = LockStore.create(endpoint)
    assert isinstance(store, AtomicRedisLockStore)
    assert store.red.ping()
    monkeypatch.setenv("LOCK_STORE_URL", "localhost:6379")
    with pytest.raises(ValueError, match="LOCK_STORE_URL"):
        LockStore.create(endpoint)


@pytest.mark.slow
def test_two_stores_serve_one_message_at_a_time_in_ticket_order(
        redis_server: RedisServer) -> None:
    from stores.lock_store import AtomicRedisLockStore

    stores = [AtomicRedisLockStore(redis_server.url), AtomicRedisLockStore(redis_server.url)]
    cid = conversation()
    inside: List[int] = []
    most_inside = 0
    served: List[int] = []

    async def message(i: int) -> None:
        nonlocal most_inside
        async with stores[i % 2].lock(cid) as lock:
            inside.append(i)
            most_inside = max(most_inside, len(inside))
            served.append(lock.now_serving)
            await asyncio.sleep(0.01)   # the turn's work; others poll meanwhile
            inside.remove(i)

    async def burst() -> None:
        await asyncio.gather(*(message(i) for i in range(20)))

    asyncio.run(burst())
    assert most_inside == 1
    assert served == list(range(1, 21))   # tickets 1..20, each served once, in order
    # nothing is left behind but the counter, which expires with the lock lifetime
    assert stores[0].get_lock(cid) is None
    assert stores[0].red.keys(f"lock:{cid}*") == [f"lock:{cid}:next".encode()]


@pytest.mark.slow
def test_an_expired_ticket_does_not_block_the_conversation(redis_server: RedisServer) -> None:
    from stores.lock_store import AtomicRedisLockStore

    crashed, alive = AtomicRedisLockStore(redis_server.url), \
        AtomicRedisLockStore(redis_server.url)
    cid = conversation()
    crashed.issue_ticket(cid, lock_lifetime=0.3)   # a server died holding the lock

    async def next_message() -> float:
        started = time.monotonic()
        async with alive.lock(cid):
            return time.monotonic() - started

    waited = asyncio.run(next_message())
    assert 0.1 < waited < 5


@pytest.mark.slow
def test_redis_down_is_an_error_with_its_cause_and_the_lock_works_when_it_is_back(
        tmp_path_factory: pytest.TempPathFactory, caplog: pytest.LogCaptureFixture) -> None:
    from stores.lock_store import AtomicRedisLockStore, LockStoreError
    from stores.tracker_store import ConversationStoreError

    server = RedisServer(tmp_path_factory.mktemp("redis-down"))   # its own: it is stopped
    server.start()
    try:
        store = AtomicRedisLockStore(server.url)
        cid = conversation()

        async def one_message() -> int:
            async with store.lock(cid) as lock:
                return int(lock.now_serving or 0)

        assert asyncio.run(one_message()) == 1
        server.stop()
        with caplog.at_level(logging.ERROR, logger="stores.lock_store"), \
                pytest.raises(LockStoreError) as caught:
            asyncio.run(one_message())
        assert isinstance(caught.value, ConversationStoreError)   # stores.guard answers it
        assert caught.value.sender_id == cid
        assert "ConnectionError" in str(caught.value) and "Connection refused" in str(
            caught.value)
        assert any(r.levelno == logging.ERROR and cid in r.getMessage()
                   and "Connection refused" in r.getMessage() for r in caplog.records)
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="stores.lock_store"):
            AtomicRedisLockStore(server.url)   # a Rasa server starting meanwhile says so
        assert "cannot be reached now" in caplog.text and "Connection refused" in caplog.text

        server.start()                 # same port, empty: the tickets start again
        assert asyncio.run(one_message()) == 1
    finally:
        server.stop()
