"""The scale-out profile with real servers: two Rasa servers and two action servers sharing one
PostgreSQL (TRACKER_DB_URL) and one Redis (LOCK_STORE_URL), all on 127.0.0.1.

The tests share one set of servers (module scope); the fault tests restart what they stop.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

# the conversation of the single-server persistence tests, and how to read its replies
from persistence.test_servers_slow import (  # tests/ is the import root
    EXTERNAL,
    EXTERNAL_NOTED,
    FLAGS,
    STORY,
    pending_question,
)

from interview_advisor.dialogue import phrases
from interview_advisor.feedback import FeedbackStore

from .conftest import ROOT, PostgresServer, RedisServer, owned_tempdir, rs

pytestmark = pytest.mark.slow

CONCURRENT = 20


class ScaleOut:
    """Two stacks (Rasa server + action server each) on one database, one Redis and one
    feedback file."""

    def __init__(self, stacks: List[rs.RasaStack], postgres: PostgresServer,
                 redis: RedisServer, feedback: Path) -> None:
        self.stacks = stacks
        self.postgres = postgres
        self.redis = redis
        self.feedback = feedback

    def clients(self, timeout: float = 120.0) -> Tuple[rs.RestClient, rs.RestClient]:
        a, b = (stack.client(timeout=timeout) for stack in self.stacks)
        return a, b

    def rasa_logs(self) -> List[Path]:
        return [stack.log_dir / f"{stack.name}-rasa.log" for stack in self.stacks]

    def events(self, sender: str) -> List[Tuple[int, str, float, Dict[str, Any]]]:
        """Every stored event of ``sender``, in the order Rasa reads them (by id)."""
        rows = self.postgres.query("SELECT id, type_name, timestamp, data FROM events "
                                   "WHERE sender_id = %s ORDER BY id", sender)
        return [(i, kind, at, json.loads(data)) for i, kind, at, data in rows]

    def ratings(self, sender: str) -> int:
        key = FeedbackStore(self.feedback).conversation_key(sender)
        with sqlite3.connect(self.feedback) as db:
            return int(db.execute("SELECT COUNT(*) FROM events WHERE conversation = ?",
                                  (key,)).fetchone()[0])


def wait_for_rule_base(stack: rs.RasaStack) -> None:
    """The action server loads the rule base in the background; on a busy machine a first
    request before that would be told to try again (right for a person, not tested here)."""
    log = stack.log_dir / f"{stack.name}-actions.log"
    deadline = time.monotonic() + stack.startup_timeout
    while b"rule base loaded" not in log.read_bytes():
        assert time.monotonic() < deadline, f"{log}: the rule base was not loaded"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def scaleout(postgres: PostgresServer, redis_server: RedisServer) -> Iterator[ScaleOut]:
    model = rs.ensure_model(ROOT)
    with owned_tempdir("scaleout-", None) as base:
        feedback = base / "feedback.sqlite3"
        env = {"TRACKER_DB_URL": postgres.url, "LOCK_STORE_URL": redis_server.url,
               "FEEDBACK_DB": str(feedback),
               # 20 messages of one conversation wait in line: on a busy 2-core machine the
               # last may wait longer than Rasa's 60 s ticket or our 6 s action timeout
               "TICKET_LOCK_LIFETIME": "300", "ACTION_TIMEOUT_SECONDS": "30"}
        stacks = [rs.RasaStack(ROOT, model=model.path,
                               log_dir=Path(os.environ.get("E2E_LOG_DIR") or base / "logs"),
                               name=name, extra_env=env)
                  for name in ("a", "b")]
        try:
            for stack in stacks:
                stack.start()
            for stack in stacks:
                wait_for_rule_base(stack)
                log = (stack.log_dir / f"{stack.name}-rasa.log").read_text(errors="replace")
                assert "Conversations are stored in postgresql://" in log   # no fallback
                assert "Conversation locks are kept in Redis at" in log
            yield ScaleOut(stacks, postgres, redis_server, feedback)
        finally:
            for stack in stacks:
                stack.stop()


def sender(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}"


def log_marks(paths: List[Path]) -> List[int]:
    return [path.stat().st_size for path in paths]


def logged_since(paths: List[Path], marks: List[int]) -> str:
    parts = []
    for path, mark in zip(paths, marks):
        with open(path, "rb") as fh:
            fh.seek(mark)
            parts.append(fh.read().decode("utf-8", "replace"))
    return "\n".join(parts)


# ------------------------------------------------------------------------------------------
# one conversation over both servers
# ------------------------------------------------------------------------------------------

def test_turns_sent_alternately_to_both_servers_stay_coherent(scaleout: ScaleOut) -> None:
    a, b = scaleout.clients()
    who = sender("alternate")
    with a, b:
        first = a.send(who, STORY).text
        assert all(flag in first for flag in FLAGS)
        second = b.send(who, EXTERNAL).text           # b knows what a was told
        assert EXTERNAL_NOTED in second and "Red flags I noticed" not in second
        question = pending_question(second)
        summary = a.send(who, "summary").text         # a knows what b was told
        assert all(flag in summary for flag in FLAGS)
        assert EXTERNAL_NOTED in summary and "Company: Globex" in summary
        assert f"Still open: {question}" in summary
        assert "role" in b.send(who, "can you draft a message to withdraw?").texts[-1].lower()
        assert "sign" in a.send(who, "data analyst").texts[-1].lower()   # the form, on a
        draft = b.send(who, "Alex").text
    assert "data analyst role at Globex" in draft and "\nAlex" in draft
    users = [e for _, kind, _, e in scaleout.events(who) if kind == "user"]
    assert [e["text"] for e in users] == [STORY, EXTERNAL, "summary",
                                          "can you draft a message to withdraw?",
                                          "data analyst", "Alex"]


def test_twenty_concurrent_messages_of_one_conversation_none_lost_twice_or_crossed(
        scaleout: ScaleOut) -> None:
    who = sender("burst")
    with scaleout.clients()[0] as a:
        a.send(who, "hi")                                  # the session exists
    messages = [f"note {i}: the recruiter took {i + 2} days to answer me" for i in
                range(CONCURRENT)]
    replies: Dict[int, rs.Reply] = {}
    errors: Dict[int, BaseException] = {}
    start = threading.Barrier(CONCURRENT)

    def send(i: int) -> None:
        client = scaleout.stacks[i % 2].client(timeout=300)   # half to each server
        try:
            start.wait()
            replies[i] = client.send(who, messages[i])
        except BaseException as exc:   # noqa: BLE001 - reported below
            errors[i] = exc
        finally:
            client.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not errors, errors
    assert sorted(replies) == list(range(CONCURRENT))
    for reply in replies.values():
        assert reply.texts and phrases.STORE_FAILED not in reply.texts
        assert phrases.ACTIONS_UNAVAILABLE not in reply.texts

    events = scaleout.events(who)
    assert [at for _, _, at, _ in events] == sorted(at for _, _, at, _ in events)
    turns: List[List[Dict[str, Any]]] = []
    for _, kind, _, event in events:
        if kind == "user":
            turns.append([event])
        elif turns:
            turns[-1].append(event)
    said = Counter(turn[0]["text"] for turn in turns)
    assert said == Counter(["hi", *messages])               # each once: none lost or doubled
    for turn in turns:                                      # each turn whole, not interleaved
        assert turn[-1].get("event") == "action" and turn[-1].get("name") == "action_listen"
        text = turn[0]["text"]
        if text in messages:                                # the reply sent is the one stored
            bot = [e.get("text") for e in turn if e.get("event") == "bot"]
            assert bot == replies[messages.index(text)].texts, text


# ------------------------------------------------------------------------------------------
# PostgreSQL or Redis goes away
# ------------------------------------------------------------------------------------------

def summary_has_everything(text: str) -> None:
    assert all(flag in text for flag in FLAGS) and EXTERNAL_NOTED in text, text[-600:]


def fault_test(scaleout: ScaleOut, name: str, stop: Any, start: Any, cause: str) -> None:
    """Start a conversation over both Rasa servers, ``stop`` a server they share, check that
    Rasa server a tells the person and logs an ERROR with the cause, ``start`` it again, and
    check that the conversation goes on - first on b, which did not see the outage (its pooled
    database connections died unnoticed) - with nothing written before lost."""
    who = sender(name)
    a, b = scaleout.clients()
    with a, b:
        a.send(who, STORY)
        b.send(who, EXTERNAL)
        before = scaleout.events(who)
        marks = log_marks(scaleout.rasa_logs())
        stop()
        try:
            during = [a.send(who, "summary")]
        finally:
            start()
        log = logged_since(scaleout.rasa_logs(), marks)
        for reply in during:
            assert reply.texts == [phrases.STORE_FAILED]
        errors = [line for line in log.splitlines() if " ERROR " in line and who in line]
        assert len(errors) >= 1 and all(cause in line for line in errors), log[-3000:]

        summary_has_everything(b.send(who, "summary").text)     # back, on both servers
        summary_has_everything(a.send(who, "summary").text)
    after = scaleout.events(who)
    assert after[:len(before)] == before                     # nothing written before is lost
    users = [e["text"] for _, kind, _, e in after if kind == "user"]
    assert users == [STORY, EXTERNAL, "summary", "summary"]   # the failed turns left nothing


def test_postgresql_down_is_told_and_logged_and_the_conversation_continues(
        scaleout: ScaleOut) -> None:
    fault_test(scaleout, "pg-down", scaleout.postgres.stop, scaleout.postgres.start,
               "OperationalError")


def test_redis_down_is_told_and_logged_and_the_conversation_continues(
        scaleout: ScaleOut) -> None:
    fault_test(scaleout, "redis-down", scaleout.redis.stop, scaleout.redis.start,
               "Connection refused")


# ------------------------------------------------------------------------------------------
# "delete my data" on PostgreSQL (issue 10)
# ------------------------------------------------------------------------------------------

def test_delete_my_data_removes_the_conversation_from_postgresql_and_the_ratings(
        scaleout: ScaleOut) -> None:
    who = sender("forget")
    other = sender("keep")
    a, b = scaleout.clients()
    with a, b:
        a.send(other, STORY)
        a.send(who, STORY)
        b.send(who, "that helped")
        assert scaleout.events(who) and scaleout.ratings(who) > 0
        ask = a.send(who, "please delete my data")
        assert "can't undo" in ask.text and scaleout.events(who)   # nothing gone before yes
        done: Optional[rs.Reply] = b.send(who, "yes")
        assert done is not None and "deleted this conversation" in done.text
        assert scaleout.events(who) == [] and scaleout.ratings(who) == 0
        assert scaleout.events(other) and scaleout.ratings(other) > 0   # only theirs went
        assert "Nothing to summarise" in a.send(who, "summary").text
