""""Delete my data" with the real servers: after a confirmation the conversation is gone from the
conversation database and the person's ratings from the feedback database - read back from
the SQLite files themselves."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Callable

import pytest

from .conftest import Conversation, payload

pytestmark = pytest.mark.slow

Chat = Callable[[], Conversation]
STORY = "the recruiter couldn't tell me what the job actually is and they ghosted me for weeks"


def rows(db: Path, sql: str, *args: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql, args).fetchone()[0])


def events_of(bot, sender: str) -> int:
    return rows(Path(bot.extra_env["TRACKER_DB"]),
                "SELECT COUNT(*) FROM events WHERE sender_id = ?", sender)


def ratings(bot) -> int:
    return rows(Path(bot.extra_env["FEEDBACK_DB"]), "SELECT COUNT(*) FROM events")


def test_delete_my_data_after_confirmation(bot, chat: Chat) -> None:
    c = chat()
    c.say(STORY)
    c.say("that helped")
    assert events_of(bot, c.sender) > 0
    before = ratings(bot)
    assert before > 0

    ask = c.say("please delete my data")
    question = payload(ask, "question")["question"]
    assert [o["value"] for o in question["options"]] == ["yes", "no"]
    assert "can't undo" in ask.text
    assert events_of(bot, c.sender) > 0            # nothing deleted before the yes

    done = c.say("yes")
    assert "deleted this conversation" in done.text
    assert events_of(bot, c.sender) == 0
    assert ratings(bot) < before                   # this person's ratings and showings went
    after = c.say("summary")
    assert "Nothing to summarise" in after.text


def test_a_no_keeps_everything(bot, chat: Chat) -> None:
    c = chat()
    c.say(STORY)
    c.say("delete my data")
    kept = c.say("no")
    assert "kept everything" in kept.text
    assert events_of(bot, c.sender) > 0
    assert payload(c.say("summary"), "summary")["flags"]


def test_a_later_yes_does_not_delete(bot, chat: Chat) -> None:
    """The question is only answered by the next message: a yes later on is just a yes."""
    c = chat()
    c.say(STORY)
    c.say("delete my data")
    c.say("why?")                                   # something else: the question lapses
    c.say("yes")
    assert events_of(bot, c.sender) > 0
