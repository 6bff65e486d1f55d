"""Conversations that persist, and faults answered clearly - with the real Rasa server and
action server (scripts/rasa_servers.py), their own SQLite tracker database and rule base copy.

The tests share one stack (module scope) and each restores what it breaks.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
import uuid
from pathlib import Path

import pytest

from interview_advisor.dialogue import phrases

from .conftest import Faults

pytestmark = pytest.mark.slow

STORY = ("I had a second interview at Globex yesterday. The hiring manager couldn't really tell "
         "me what I'd be doing day to day, and the recruiter took three weeks to get back to me.")
EXTERNAL = "it's at another company, I'm employed at the moment"
EXTERNAL_NOTED = 'external (you said "another company")'
FLAGS = ("Vague job description", "Poor communication during the process")


def sender(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}"


def log_size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def log_since(path: Path, offset: int) -> str:
    with open(path, "rb") as fh:
        fh.seek(offset)
        return fh.read().decode("utf-8", "replace")


def wait_for_log(path: Path, offset: int, text: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        found = log_since(path, offset)
        if text in found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} not logged in {timeout:.0f} s; log:\n{found[-3000:]}")
        time.sleep(0.2)


def pending_question(text: str) -> str:
    """The question the bot asked at the end of an advice reply."""
    last = text.strip().splitlines()[-1]
    assert last.endswith("?"), f"no question at the end of: {text[-300:]}"
    return last.split(": ", 1)[-1]


# ------------------------------------------------------------------------------------------
# persistence
# ------------------------------------------------------------------------------------------

def test_a_conversation_survives_a_restart_of_both_servers(faults: Faults) -> None:
    stack = faults.stack
    ben, alice = sender("ben"), sender("alice")
    with stack.client() as client:
        client.send(ben, STORY)
        question = pending_question(client.send(ben, EXTERNAL).text)
        client.send(alice, STORY)
        asked = client.send(alice, "can you draft a message to withdraw?").texts[-1]
        assert "role" in asked.lower(), asked

    stack.restart("rasa")
    faults.start_actions()

    with stack.client() as client:
        summary = client.send(ben, "summary").text
        for flag in FLAGS:
            assert flag in summary
        assert EXTERNAL_NOTED in summary and "Company: Globex" in summary
        assert f"Still open: {question}" in summary
        asked = client.send(alice, "data analyst").texts[-1]
        assert "sign" in asked.lower(), asked
        draft = client.send(alice, "Alex").text
    assert "data analyst role at Globex" in draft and "\nAlex" in draft

    with sqlite3.connect(faults.db) as db:
        stored = {row[0] for row in db.execute(
            "SELECT DISTINCT sender_id FROM events WHERE sender_id IN (?, ?)", (ben, alice))}
    assert stored == {ben, alice}


# ------------------------------------------------------------------------------------------
# the tracker store fails
# ------------------------------------------------------------------------------------------

def test_a_store_failure_is_told_logged_and_the_conversation_continues(faults: Faults) -> None:
    carol = sender("carol")
    folder = faults.db.parent
    away = folder.with_name(folder.name + "-away")
    with faults.stack.client() as client:
        client.send(carol, STORY)

        # the database cannot be opened (its folder is gone): nothing to load
        mark = log_size(faults.rasa_log)
        folder.rename(away)
        try:
            reply = client.send(carol, EXTERNAL)
            # the streaming REST webhook (what `rasa shell` uses) gets the same message
            status, streamed, _ = client.post_json("/webhooks/rest/webhook?stream=true",
                                                   {"sender": carol, "message": EXTERNAL})
        finally:
            away.rename(folder)
        assert reply.text == phrases.STORE_FAILED
        assert status == 200
        if isinstance(streamed, str):   # one JSON message per line
            streamed = [json.loads(line) for line in streamed.splitlines() if line.strip()]
        messages = streamed if isinstance(streamed, list) else [streamed]
        assert [m.get("text") for m in messages] == [phrases.STORE_FAILED]
        log = log_since(faults.rasa_log, mark)
        assert "ERROR" in log and "unable to open database file" in log and carol in log

        # the database cannot be written (another connection holds the write lock): the
        # replies to the unsaved turn are dropped, only the error is shown
        mark = log_size(faults.rasa_log)
        locker = sqlite3.connect(faults.db, timeout=1, isolation_level=None)
        try:
            locker.execute("BEGIN IMMEDIATE")
            reply = client.send(carol, EXTERNAL)
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        assert reply.text == phrases.STORE_FAILED
        log = log_since(faults.rasa_log, mark)
        assert "ERROR" in log and "database is locked" in log and carol in log

        # back: what was saved before is all there, the failed turns left nothing behind
        summary = client.send(carol, "summary").text
        assert all(flag in summary for flag in FLAGS) and EXTERNAL_NOTED not in summary
        assert EXTERNAL_NOTED in client.send(carol, EXTERNAL).text


# ------------------------------------------------------------------------------------------
# the action server fails
# ------------------------------------------------------------------------------------------

def test_when_the_action_server_stops_the_person_is_told_and_the_bot_recovers(
        faults: Faults) -> None:
    stack = faults.stack
    dave = sender("dave")
    with stack.client() as client:
        client.send(dave, STORY)
        assert stack.action_server is not None
        stack.action_server.stop()
        mark = log_size(faults.rasa_log)
        try:
            reply = client.send(dave, EXTERNAL)
        finally:
            faults.start_actions()
        assert reply.text == phrases.ACTIONS_UNAVAILABLE
        assert reply.seconds < 5
        assert "could not run action_" in log_since(faults.rasa_log, mark)
        # recovered by itself (same Rasa server), with the conversation intact
        assert EXTERNAL_NOTED in client.send(dave, EXTERNAL).text
        summary = client.send(dave, "summary").text
        assert all(flag in summary for flag in FLAGS)


def test_when_the_action_server_hangs_the_person_is_told_within_ten_seconds(
        faults: Faults) -> None:
    stack = faults.stack
    erin = sender("erin")
    assert stack.action_server is not None
    group = stack.action_server.pid   # the server leads its own process group
    with stack.client() as client:
        client.send(erin, STORY)
        mark = log_size(faults.rasa_log)
        os.killpg(group, signal.SIGSTOP)   # accepts connections, never answers
        try:
            reply = client.send(erin, EXTERNAL)
        finally:
            os.killpg(group, signal.SIGCONT)
        assert reply.text == phrases.ACTIONS_UNAVAILABLE
        assert reply.seconds < 10
        assert "no answer within" in log_since(faults.rasa_log, mark)
        assert EXTERNAL_NOTED in client.send(erin, EXTERNAL).text


# ------------------------------------------------------------------------------------------
# a broken rule base edit while the bot runs
# ------------------------------------------------------------------------------------------

def test_a_broken_rule_base_edit_keeps_the_last_good_one_until_the_next_valid_edit(
        faults: Faults) -> None:
    path = faults.rules / "advice" / "red_flags.yml"
    original = path.read_text(encoding="utf-8")
    old_title, new_title = "Get the role described in writing", "Ask them to write the role down"
    assert original.count("    priority: 85\n") >= 1 and original.count(old_title) == 1
    with faults.stack.client() as client:
        assert old_title in client.send(sender("frank"), STORY).text
        try:
            mark = log_size(faults.actions_log)
            path.write_text(original.replace("    priority: 85\n", "    priority: very high\n",
                                             1), encoding="utf-8")
            log = wait_for_log(faults.actions_log, mark, "red_flags.yml:7")
            assert "ERROR" in log and "'very high' is not of type 'integer'" in log
            assert old_title in client.send(sender("frank"), STORY).text

            mark = log_size(faults.actions_log)
            path.write_text(original.replace(old_title, new_title), encoding="utf-8")
            wait_for_log(faults.actions_log, mark, "rule base reloaded")
            reply = client.send(sender("frank"), STORY).text
            assert new_title in reply and old_title not in reply
        finally:
            mark = log_size(faults.actions_log)
            path.write_text(original, encoding="utf-8")
            wait_for_log(faults.actions_log, mark, "rule base reloaded")
