"""The conversation store's window and the lighter action calls, without servers: Rasa's own
classes and a real SQLite file (stores/tracker_store.py, windows.py, action_calls.py,
event_types.py)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path
from typing import Any, Dict, List

import pytest


def turn(number: int, facts: Dict[str, Any]) -> List[Any]:
    """The events of one ordinary turn: a message, an action that sets a slot, listening."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

    return [UserUttered(f"message {number}", {"name": "inform", "confidence": 1.0}),
            ActionExecuted("action_analyze_situation"), BotUttered(f"reply {number}"),
            SlotSet("facts", dict(facts)), ActionExecuted("action_listen")]


def store_at(path: Path, domain: Any, **options: Any) -> Any:
    from stores.tracker_store import StrictSQLTrackerStore

    return StrictSQLTrackerStore(domain, host=f"sqlite:///{path}", **options)


def talk(store: Any, sender: str, turns: int) -> None:
    """``turns`` turns, each loaded from and saved to the store as the Rasa server does."""
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    for number in range(1, turns + 1):
        tracker = asyncio.run(store.retrieve(sender))
        if tracker is None:
            tracker = asyncio.run(store.create_tracker(sender, append_action_listen=False))
            for event in (ActionExecuted("action_session_start"), SessionStarted(),
                          ActionExecuted("action_listen")):
                tracker.update(event)
        facts = dict(tracker.get_slot("facts") or {})
        facts[f"fact_{number}"] = {"value": number}
        for event in turn(number, facts):
            tracker.update(event)
        asyncio.run(store.save(tracker))


def test_the_window_keeps_the_slots_and_the_recent_turns(tmp_path: Path, domain: Any) -> None:
    from rasa.shared.core.events import UserUttered

    from stores import windows

    store = store_at(tmp_path / "c.db", domain)
    talk(store, "long", 30)
    tracker = asyncio.run(store.retrieve("long"))
    full = asyncio.run(store.retrieve_full_tracker("long"))
    users = [e.text for e in tracker.events if isinstance(e, UserUttered)]
    assert windows.KEEP_TURNS <= len(users) <= windows.MAX_TURNS
    assert users[-1] == "message 30" and users == [f"message {n}" for n in
                                                   range(31 - len(users), 31)]
    assert tracker.current_slot_values() == full.current_slot_values()
    assert len(tracker.get_slot("facts")) == 30
    assert len([e for e in full.events if isinstance(e, UserUttered)]) == 30   # all stored
    with sqlite3.connect(tmp_path / "c.db") as conn:
        assert conn.execute("SELECT count(*) FROM events WHERE sender_id='long' AND "
                            "type_name='user'").fetchone()[0] == 30


def test_whole_sessions_when_the_window_is_off(tmp_path: Path, domain: Any) -> None:
    from rasa.shared.core.events import UserUttered

    store = store_at(tmp_path / "c.db", domain, window_turns=0)
    talk(store, "whole", 12)
    tracker = asyncio.run(store.retrieve("whole"))
    assert len([e for e in tracker.events if isinstance(e, UserUttered)]) == 12
    with pytest.raises(ValueError, match="window_turns"):
        store_at(tmp_path / "d.db", domain, window_turns=2)


def test_a_new_session_starts_a_window_of_its_own(tmp_path: Path, domain: Any) -> None:
    from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered

    store = store_at(tmp_path / "c.db", domain)
    talk(store, "kim", 10)
    tracker = asyncio.run(store.retrieve("kim"))
    facts = tracker.get_slot("facts")
    for event in (ActionExecuted("action_session_start"), SessionStarted(),
                  SlotSet("facts", facts), ActionExecuted("action_listen")):
        tracker.update(event)
    asyncio.run(store.save(tracker))
    again = asyncio.run(store.retrieve("kim"))
    assert isinstance(again.events[0], SessionStarted)
    assert not [e for e in again.events if isinstance(e, UserUttered)]
    assert again.get_slot("facts") == facts


def test_a_tracker_saved_twice_stores_its_events_once(tmp_path: Path, domain: Any) -> None:
    store = store_at(tmp_path / "c.db", domain)
    talk(store, "twice", 9)
    tracker = asyncio.run(store.retrieve("twice"))
    asyncio.run(store.save(tracker))
    asyncio.run(store.save(tracker.copy()))
    with sqlite3.connect(tmp_path / "c.db") as conn:
        assert conn.execute("SELECT count(*) FROM events WHERE sender_id='twice' AND "
                            "type_name='user'").fetchone()[0] == 9


def test_deleting_a_conversation_deletes_its_window(tmp_path: Path, domain: Any) -> None:
    from stores import retention

    store = store_at(tmp_path / "c.db", domain)
    talk(store, "gone", 10)
    talk(store, "kept", 3)
    assert retention.delete_conversation(f"sqlite:///{tmp_path / 'c.db'}", "gone") > 0
    with sqlite3.connect(tmp_path / "c.db") as conn:
        assert [r[0] for r in conn.execute("SELECT sender_id FROM conversation_windows")] == \
            ["kept"]
    assert asyncio.run(store.retrieve("gone")) is None


def test_an_action_call_carries_the_last_turns_events() -> None:
    from stores.action_calls import recent_events

    events: List[Dict[str, Any]] = [{"event": "session_started"},
                                    {"event": "action", "name": "action_listen"}]
    for n in range(6):
        events += [{"event": "user", "text": str(n)}, {"event": "slot", "name": "facts"},
                   {"event": "action", "name": "action_listen"}]
    kept = recent_events(events, 4)
    assert [e["text"] for e in kept if e["event"] == "user"] == ["2", "3", "4", "5"]
    assert kept[0] == {"event": "action", "name": "action_listen"}
    assert recent_events(events[:5], 4) == events[:5]


def test_action_answers_are_checked_as_rasa_checks_them(tmp_path: Path, domain: Any) -> None:
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    store_at(tmp_path / "c.db", domain)   # installs the compiled check
    action = RemoteAction("action_analyze_situation", None)
    assert action._validate_action_result(
        {"events": [{"event": "slot", "name": "facts", "value": {}}], "responses": []})
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": [{"event": "slot"}], "responses": "no"})


def test_event_classes_are_found_as_rasa_finds_them(tmp_path: Path, domain: Any) -> None:
    from rasa.shared.core.events import Event, SlotSet, UserUttered
    from rasa.shared.utils.common import all_subclasses

    store_at(tmp_path / "c.db", domain)   # installs the memo
    for cls in all_subclasses(Event):
        if cls.type_name:
            assert Event.resolve_by_type(cls.type_name) is next(
                c for c in all_subclasses(Event) if c.type_name == cls.type_name)
    assert Event.resolve_by_type("slot") is SlotSet and Event.resolve_by_type("user") is \
        UserUttered
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no such event", SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no such event")
    assert json.loads(json.dumps(SlotSet("a", 1).as_dict()))["event"] == "slot"
