"""The window of recent turns changes nothing a person sees (stores/windows.py).

Two real stacks run the same model and rule base: one reads whole sessions, as Rasa's own SQL
tracker store does (``window_turns: 0``), the other reads the window of recent turns (the
default). The user turns of the tuning conversations of eval/dialogue/tuning/ (at most
SENT_TURNS of them, spread evenly) are sent to both, chained into long conversations -
greetings, descriptions, answers, corrections, "why", summaries, drafts with their form,
fallbacks - and every reply must be the same, text, buttons and reply model alike. The
windowed store must also have moved its window and read back no more than its maximum number
of turns.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
for _folder in ("scripts", "eval/dialogue"):
    if str(ROOT / _folder) not in sys.path:
        sys.path.insert(0, str(ROOT / _folder))

import dialogue_eval as de  # noqa: E402
import rasa_servers as rs  # noqa: E402

pytestmark = pytest.mark.slow

CONVERSATIONS = 2       # the tuning turns, dealt out over this many long conversations
#: at most this many turns, spread evenly over the tuning files: the whole-session stack reads
#: the entire session on every turn, so its time grows with the square of a conversation's
#: length, and every new batch of tuning conversations would make this test slower still
SENT_TURNS = 1200


def long_conversations() -> List[List[str]]:
    every = de.user_turns(ROOT / "eval" / "dialogue" / "tuning")
    turns = [every[i * len(every) // SENT_TURNS] for i in range(SENT_TURNS)] \
        if len(every) > SENT_TURNS else every
    size = -(-len(turns) // CONVERSATIONS)
    return [turns[i:i + size] for i in range(0, len(turns), size)]


def endpoints_with(path: Path, **options: Any) -> Path:
    data = yaml.safe_load((ROOT / "endpoints.yml").read_text("utf-8"))
    data["tracker_store"].update(options)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def stacks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Tuple[Any, Path]]]:
    base = tmp_path_factory.mktemp("windows")
    log_dir = Path(os.environ.get("E2E_LOG_DIR") or base / "logs")
    override = os.environ.get("E2E_MODEL")
    model = rs.ModelInfo(Path(override), False, None) if override else \
        rs.ensure_model(ROOT, log_path=log_dir / "train.log")
    out: Dict[str, Tuple[Any, Path]] = {}
    started: List[rs.RasaStack] = []
    try:
        for name, options in (("whole", {"window_turns": 0}), ("window", {})):
            db = base / name / "conversations.db"
            stack = rs.RasaStack(ROOT, model=model.path, log_dir=log_dir, name=name,
                                 endpoints=endpoints_with(base / f"{name}.yml", **options),
                                 # the replies are compared, not their speed: reading a
                                 # whole 1,000-turn session on a loaded machine can pass the
                                 # 6 s action limit, and the apology then differs
                                 extra_env={"TRACKER_DB": str(db),
                                            "ACTION_TIMEOUT_SECONDS": "50"})
            started.append(stack)
            stack.start()
            out[name] = (stack, db)
        yield out
    finally:
        for stack in started:
            stack.stop()


def test_every_reply_is_the_same_with_and_without_the_window(
        stacks: Dict[str, Tuple[Any, Path]]) -> None:
    (whole, _), (window, db) = stacks["whole"], stacks["window"]
    compared = 0
    with whole.client() as a, window.client() as b:
        for number, conversation in enumerate(long_conversations()):
            sender = f"long-{number}"
            for text in conversation:
                expected = a.send(sender, text, {"reply_model": True}).raw
                got = b.send(sender, text, {"reply_model": True}).raw
                assert got == expected, f"turn {text!r} of {sender}"
                compared += 1
    assert compared >= 100

    with sqlite3.connect(db) as conn:
        windows = dict(conn.execute("SELECT sender_id, start_id FROM conversation_windows"))
        for number in range(CONVERSATIONS):
            sender = f"long-{number}"
            first = conn.execute("SELECT min(id) FROM events WHERE sender_id = ?",
                                 (sender,)).fetchone()[0]
            if first is None:
                continue   # the person asked to delete their data at the end
            assert windows[sender] > first, "the window never moved"


def test_a_windowed_conversation_reads_back_at_most_the_maximum_of_turns(
        stacks: Dict[str, Tuple[Any, Path]], domain: Any) -> None:
    from rasa.shared.core.events import UserUttered

    from stores import windows
    from stores.tracker_store import StrictSQLTrackerStore

    window, db = stacks["window"]
    sender = "reads-back"
    with window.client() as client:
        for _ in range(3 * windows.MAX_TURNS):
            client.send(sender, "I had an interview at Acme and the recruiter couldn't say "
                                "what the job is")
            client.send(sender, "why?")
    store = StrictSQLTrackerStore(domain, host=f"sqlite:///{db}")
    tracker = asyncio.run(store.retrieve(sender))
    full = asyncio.run(store.retrieve_full_tracker(sender))
    assert tracker is not None and full is not None
    users = [e for e in tracker.events if isinstance(e, UserUttered)]
    assert windows.KEEP_TURNS <= len(users) <= windows.MAX_TURNS
    assert len([e for e in full.events if isinstance(e, UserUttered)]) == 6 * windows.MAX_TURNS
    assert tracker.current_slot_values() == full.current_slot_values()
