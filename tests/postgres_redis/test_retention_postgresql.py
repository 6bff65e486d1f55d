"""Retention and deleting one conversation (``make prune``, ``stores.retention``) on a real
PostgreSQL, in a table written by Rasa's own SQL tracker store - the same code as on SQLite."""

from __future__ import annotations

import time

import pytest

# how the SQLite tests write conversations of a given age
from persistence.test_retention import write_conversation  # tests/ is the import root
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

from stores import retention

from .conftest import PostgresServer

pytestmark = pytest.mark.slow


def test_prune_and_delete_on_postgresql(postgres: PostgresServer) -> None:
    store = SQLTrackerStore(Domain.empty(), host=postgres.url)
    tag = f"-{int(time.time() * 1000)}"
    counts = {sender + tag: write_conversation(store, sender + tag, days)
              for sender, days in (("old", 120), ("recent", 10), ("forget", 1))}
    store.engine.dispose()

    def stored() -> dict:
        return dict(postgres.query("SELECT sender_id, COUNT(*) FROM events WHERE sender_id "
                                   "LIKE %s GROUP BY sender_id", f"%{tag}"))

    dry = retention.prune(postgres.url, days=90, dry_run=True)
    assert "old" + tag in dry.conversations and stored() == counts
    result = retention.prune(postgres.url, days=90)
    assert "old" + tag in result.conversations and "recent" + tag not in result.conversations
    assert retention.delete_conversation(postgres.url, "forget" + tag) == counts["forget" + tag]
    assert stored() == {"recent" + tag: counts["recent" + tag]}
