"""What people say in the middle of a conversation, with the real bot over REST: statements of
how they feel, explanations that take a flag back, details given with a request."""

from __future__ import annotations

from typing import Callable

import pytest

from .conftest import Conversation, payload

pytestmark = pytest.mark.slow

Chat = Callable[[], Conversation]
STORY = ("had my 2nd interview at Globex yesterday. the hiring manager couldn't really tell me "
         "what i'd be doing day to day and the recruiter took three weeks to get back to me")
FALLBACK_WORDS = ("not sure I understood", "put it another way", "still not sure what you mean")


def test_a_statement_of_feeling_midway_changes_the_facts_not_the_subject(chat: Chat) -> None:
    c = chat()
    c.say(STORY)
    reply = c.say("honestly I'm not feeling this role any more")
    assert not any(w in reply.text for w in FALLBACK_WORDS), reply.text
    summary = payload(c.say("summary"), "summary")
    assert {f["id"]: f["value"] for f in summary["facts"]}.get("interest") == "not_interested"


def test_an_explanation_takes_the_flag_back(chat: Chat) -> None:
    c = chat()
    first = payload(c.say(STORY), "advice")
    assert "poor_communication" in [f["id"] for f in first["flags"]]
    reply = c.say("the delay was on my side actually, I gave them the wrong number")
    data = reply.customs[-1]
    assert "poor_communication" in [w["id"] for w in data["withdrawn"]], reply.text
    assert "wrong number" not in reply.text          # the excuse is not quoted as evidence
    summary = payload(c.say("summary"), "summary")
    assert "poor_communication" not in [f["id"] for f in summary["flags"]]
    assert "vague_job_description" in [f["id"] for f in summary["flags"]]


def test_details_given_with_a_draft_request_are_used(chat: Chat) -> None:
    c = chat()
    c.say("i had an interview for a data analyst job but i'm not interested any more")
    reply = c.say("write the withdrawal to Sam at Initech")
    asked = reply.texts[-1].lower()
    assert "which company" not in asked, reply.text
    for _ in range(4):                               # answer what is still missing
        if any(cu.get("kind") == "draft" for cu in reply.customs):
            break
        reply = c.say("Alex")
    draft = payload(reply, "draft")["draft"]
    assert "Initech" in draft["text"] and "Sam" in draft["text"]
