""""What questions should I ask them?" gets the advice that has questions to ask, with them -
the rule base's questions_to_ask were written for every rule and never shown (found trying the
bot: the question got the help menu). The reply model carries them per advice item; every
channel renders them. Dialogue core, real rule base; no Rasa."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue import compose, phrases
from interview_advisor.dialogue.advising import assess
from interview_advisor.dialogue.answers import asks_questions_to_ask
from interview_advisor.dialogue.render_slack import render_message
from interview_advisor.dialogue.render_text import render_text
from interview_advisor.dialogue.reply import Reply

from .conversation import talk

STORY = ("I have a phone screen with a startup tomorrow. The job ad was super vague, literally "
         "3 lines, and the recruiter keeps saying the team is amazing and everyone loves it")


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("text, asks", [
    ("what questions should I ask them?", True),
    ("what should i ask in the final round", True),
    ("any good questions for the panel?", True),
    ("what would you ask them", True),
    ("is there anything i should ask about pay", True),
    ("they asked me questions for an hour", False),
    ("what should i do", False),
    ("i had no questions for them at the end", True),   # words only: read as asking
])
def test_asking_what_to_ask(advisor, text, asks):
    assert asks_questions_to_ask(advisor, text) is asks


def questions_reply(advisor, state, turn):
    turn = {**turn, "asks_questions": True, "asks_advice": True}
    return compose.advice_reply(advisor, state, turn, assess(advisor, state), None)


def test_the_advice_with_questions_to_ask_comes_with_them(advisor):
    state, turn = talk(advisor, (STORY, "describe_interview"))
    reply = questions_reply(advisor, state, turn)
    assert reply.message.startswith(phrases.QUESTIONS_TO_ASK)
    assert reply.advice and all(a.questions_to_ask for a in reply.advice)
    rules = {r.id: r for r in advisor.rulebase.rules}
    for item in reply.advice:
        assert item.questions_to_ask == rules[item.rule].questions_to_ask
    # a vague role: what the job is gets asked
    assert "role_clarity_get_it_in_writing" in [a.rule for a in reply.advice] or any(
        "responsib" in q.lower() or "day" in q.lower()
        for a in reply.advice for q in a.questions_to_ask or [])


def test_questions_render_in_every_channel(advisor):
    state, turn = talk(advisor, (STORY, "describe_interview"))
    reply = questions_reply(advisor, state, turn)
    question = reply.advice[0].questions_to_ask[0]
    text = render_text(reply)
    assert "Questions to ask them:" in text and question in text
    slack = str(render_message(reply))
    assert "Questions to ask them" in slack and question[:30] in slack
    data = reply.to_json()
    assert data["advice"][0]["questions_to_ask"] == reply.advice[0].questions_to_ask
    assert Reply.from_json(data).advice[0].questions_to_ask == reply.advice[0].questions_to_ask


def test_ordinary_advice_json_has_no_questions_key(advisor):
    state, turn = talk(advisor, (STORY, "describe_interview"))
    reply = compose.advice_reply(advisor, state, turn, assess(advisor, state), None)
    assert reply.advice and all("questions_to_ask" not in a for a in reply.to_json()["advice"])


def test_nothing_told_yet_says_so(advisor):
    state, turn = talk(advisor, ("hello", "greet"))
    reply = questions_reply(advisor, state, turn)
    assert reply.advice == [] and phrases.QUESTIONS_NONE_YET in reply.message
