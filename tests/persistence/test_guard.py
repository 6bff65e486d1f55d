"""The strict tracker store and the guarded action endpoint, in process, against a real SQLite
file and real sockets. Marked slow only because importing Rasa's agent loads TensorFlow."""

from __future__ import annotations

import asyncio
import logging
import socket
from pathlib import Path
from typing import Any, Dict

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rasa_modules() -> Dict[str, Any]:
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from stores import guard, tracker_store

    return dict(Agent=Agent, FailSafe=FailSafeTrackerStore, InMemory=InMemoryTrackerStore,
                Domain=Domain, UserUttered=UserUttered, Tracker=DialogueStateTracker,
                guard=guard, ts=tracker_store)


def test_the_store_reports_failures_instead_of_falling_back(
        rasa_modules: Dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    m = rasa_modules
    db = tmp_path / "new" / "conversations.db"
    monkeypatch.setenv("TRACKER_DB", str(db))
    store = m["ts"].StrictSQLTrackerStore(m["Domain"].empty())
    assert db.exists()
    tracker = m["Tracker"].from_events("kim", [m["UserUttered"]("hello", {"name": "greet"})])
    asyncio.run(store.save(tracker))
    loaded = asyncio.run(store.retrieve("kim"))
    assert loaded is not None and loaded.latest_message.text == "hello"

    # Rasa's agent uses it as it is: no FailSafeTrackerStore around it (others keep theirs)
    agent = m["Agent"](tracker_store=store)
    assert agent.tracker_store is store
    assert isinstance(m["Agent"](tracker_store=m["InMemory"](m["Domain"].empty())).tracker_store,
                      m["FailSafe"])

    db.parent.rename(tmp_path / "gone")
    store.engine.dispose()   # the pooled connections still hold the moved file open
    with caplog.at_level(logging.ERROR, logger="stores.tracker_store"):
        with pytest.raises(m["ts"].ConversationStoreError) as caught:
            asyncio.run(store.retrieve("kim"))
        assert caught.value.operation == "load" and caught.value.sender_id == "kim"
        assert "unable to open database file" in str(caught.value)
        with pytest.raises(m["ts"].ConversationStoreError):
            asyncio.run(store.save(tracker))
    assert caplog.text.count("unable to open database file") == 2


def action_call(sender: str, message_id: str, channel: str = "rest") -> Dict[str, Any]:
    return {"next_action": "action_analyze_situation", "sender_id": sender,
            "tracker": {"sender_id": sender, "latest_input_channel": channel,
                        "latest_message": {"message_id": message_id}}}


def test_the_action_endpoint_answers_for_an_action_server_that_is_down_or_hangs(
        rasa_modules: Dict[str, Any]) -> None:
    from interview_advisor.dialogue import phrases

    guard = rasa_modules["guard"]
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    down_port = closed.getsockname()[1]
    closed.close()                      # nothing listens: connection refused
    hanging = socket.socket()
    hanging.bind(("127.0.0.1", 0))
    hanging.listen(8)                   # accepts, never answers
    try:
        async def calls() -> list:
            down = guard.GuardedActionEndpoint(f"http://127.0.0.1:{down_port}/webhook")
            hung = guard.GuardedActionEndpoint(
                f"http://127.0.0.1:{hanging.getsockname()[1]}/webhook", timeout=0.5)
            return [await down.request(json=action_call("a", "m1")),
                    await down.request(json=action_call("a", "m1")),   # same turn
                    await down.request(json=action_call("a", "m2", "webchat")),
                    await hung.request(json=action_call("b", "m3"))]
        first, same_turn, rich, hung = asyncio.run(calls())
    finally:
        hanging.close()
    assert first == {"events": [], "responses": [{"text": phrases.ACTIONS_UNAVAILABLE}]}
    assert same_turn == {"events": [], "responses": []}   # told once per turn, not retried
    assert rich["responses"][0]["custom"]["reply"]["kind"] == "error"
    assert hung["responses"][0]["text"] == phrases.ACTIONS_UNAVAILABLE


def test_action_timeout_setting(rasa_modules: Dict[str, Any]) -> None:
    guard = rasa_modules["guard"]
    assert guard.action_timeout({}) == 6
    assert guard.action_timeout({"ACTION_TIMEOUT_SECONDS": "2.5"}) == 2.5
    assert guard.action_timeout({"ACTION_TIMEOUT_SECONDS": "soon"}) == 6
    assert guard.action_timeout({"ACTION_TIMEOUT_SECONDS": "0"}) == 6
