"""The reply model: every kind of reply the bot builds validates against the shipped JSON
Schema, survives a JSON round trip, and renders as plain text without any JSON."""

from __future__ import annotations

import json
from dataclasses import replace
from importlib import resources

import jsonschema
import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue import (
    advising,
    compose,
    compose_opportunities,
    drafting,
    phrases,
    priorities,
    reading,
)
from interview_advisor.dialogue.render_text import buttons, render_text, render_typed
from interview_advisor.dialogue.reply import KINDS, Reply
from interview_advisor.dialogue.state import State, UserMessage

SCHEMA = json.loads(resources.files("interview_advisor").joinpath(
    "schemas/reply.schema.json").read_text("utf-8"))
STORY = ("I had a second interview at Globex yesterday. The hiring manager couldn't really tell "
         "me what I'd be doing day to day, and the recruiter took three weeks to get back to me.")


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


def said(advisor, *messages, state=None):
    state = state or State()
    turn = {}
    for text, intent in messages:
        state, turn = reading.update_state(advisor, state, UserMessage(text, intent))
    return state, turn


def every_reply(advisor):
    """One reply of each kind the dialogue layer builds, from a real conversation."""
    state, turn = said(advisor, (STORY, "describe_interview"))
    assessment = advising.assess(advisor, state)
    question = advising.choose_question(advisor, state, assessment, turn)
    advice = compose.advice_reply(advisor, state, turn, assessment, question,
                                  details={"company": "Globex"})
    state.last_advice = [a.rule for a in assessment.top()]
    corrected, turn2 = said(advisor, ("they weren't vague actually", "correct"), state=state)
    yield advice
    yield compose.question_reply(advisor, question, state)
    yield compose.correction_reply(advisor, corrected, turn2, advising.assess(advisor, corrected))
    yield compose.why_reply(advisor, state, assessment)
    yield compose.summary_reply(advisor, state, assessment, {"company": "Globex"})
    yield compose.summary_reply(advisor, State(), advising.assess(advisor, State()))
    yield compose.draft_reply(advisor, "withdraw_application", {"company": "Globex"})
    yield compose.say("draft_step", "", question=drafting.placeholder_question(
        advisor, None, drafting.CHOICE))
    yield compose.intro_reply(90)
    for kind, text in (("greeting", phrases.GREET_AGAIN), ("small_talk", phrases.HELP),
                       ("feedback", phrases.THANKS_HELPFUL), ("fallback", phrases.DEFAULT),
                       ("out_of_scope", phrases.OUT_OF_SCOPE), ("error", phrases.ERROR)):
        yield compose.say(kind, text)
    several, _, _ = reading.absorb(advisor, State(), UserMessage(
        "At Acme the recruiter couldn't say what the job is, but Globex pays 70k and is remote",
        "describe_interview"))
    several.priorities = priorities.read_priorities(advisor, "pay matters most, then growth", True)
    yield compose_opportunities.comparison_reply(advisor, several)


def test_every_kind_is_built_and_validates(advisor):
    replies = list(every_reply(advisor))
    assert {r.kind for r in replies} == set(KINDS)
    for reply in replies:
        data = reply.to_json()
        jsonschema.validate(data, SCHEMA)
        assert Reply.from_json(json.loads(json.dumps(data))) == reply


def test_schema_kinds_are_the_codes():
    assert SCHEMA["properties"]["kind"]["enum"] == list(KINDS)


@pytest.mark.parametrize("index", range(16))
def test_plain_text_has_the_content_and_no_json(advisor, index):
    reply = list(every_reply(advisor))[index]
    text = render_text(reply)
    assert text.strip() and "{" not in text and '"schema"' not in text
    assert "\n\n" not in text          # REST and socket.io would split it into bubbles
    for flag in reply.flags:
        assert flag.title in text and all(q.text[:40] in text for q in flag.quotes)
    for item in reply.advice:
        assert item.title.rstrip(".") in text
    if reply.question:
        assert reply.question.text in text
    if reply.draft:
        assert reply.draft.title in text


@pytest.mark.parametrize("index", range(16))
def test_a_terminal_is_offered_every_choice_as_words_to_type(advisor, index):
    """rasa shell gets no buttons (its menu swallows typed text): the text it gets names what
    each button would have sent, and ends with the question and its options."""
    reply = list(every_reply(advisor))[index]
    text = render_typed(reply)
    assert "\n\n" not in text and "{" not in text
    assert render_text(reply).replace(reply.question.text, "") in text.replace(
        reply.question.text, "") if reply.question else render_text(reply) in text
    last = text.splitlines()[-1]
    for choice in buttons(reply):
        payload = choice["payload"]
        assert f'"{payload.rstrip("?")}' in text.lower() or \
            (reply.question and payload in last), (payload, text)
    if reply.question:
        assert reply.question.text in last


def test_a_terminal_shows_an_aside_before_the_choices_and_the_question(advisor):
    reply = next(r for r in every_reply(advisor) if r.question and r.suggestions)
    intro = compose.intro_reply(30, after_answer=True)
    text = render_typed(reply, aside=intro)
    assert render_text(intro) in text
    assert text.index(render_text(intro)) > text.index(render_text(replace(
        reply, question=None, suggestions=[])).splitlines()[0])
    assert reply.question.text in text.splitlines()[-1]
    assert text.replace(render_text(intro) + "\n", "") == render_typed(reply)


def test_a_terminal_lists_the_suggestions_its_text_does_not_name(advisor):
    reply = compose.say("small_talk", "Anything else?", suggestions=[
        compose.WHY, compose_opportunities.COMPARE])
    text = render_typed(reply)
    assert text.endswith(phrases.TYPED_CHOICES.format(choices='"why?", "compare them"'))
    named = compose.say("small_talk", 'Say "why" for my reasoning.', suggestions=[compose.WHY])
    assert render_typed(named) == render_text(named)    # "why" is named already


@pytest.mark.parametrize("text", [STORY, "so i just got a 5% raise at work last week but im "
                                         "already 2 interviews deep with another company"])
def test_draft_it_is_offered_only_with_advice_that_offers_a_draft(advisor, text):
    """Found in make shell: "draft it" was offered after advice that offered no message to
    write, and tapping it started a draft the person had never been told about."""
    state, turn = said(advisor, (text, "describe_interview"))
    assessment = advising.assess(advisor, state)
    reply = compose.advice_reply(advisor, state, turn, assessment, None)
    offers = compose.draft_hint(reply.advice) is not None
    assert (compose.DRAFT_IT in reply.suggestions) == offers
    assert ("draft it" in reply.closing) == offers

def test_advice_reply_keys_mean_what_the_docs_say(advisor):
    reply = next(iter(every_reply(advisor)))
    assert reply.kind == "advice" and reply.rateable
    assert [f.id for f in reply.flags] == ["vague_job_description", "poor_communication"]
    assert reply.rule_ids == [a.rule for a in reply.advice] and len(reply.advice) <= 3
    assert {"Globex"} <= {f.label for f in reply.facts if f.source == "detail"}
    assert reply.question and reply.question.options
    assert [b["payload"] for b in buttons(reply)][-3:] == ["why?", "summary", "draft it"]
    text = render_text(reply)
    assert text.index("Red flags I noticed") < text.index("What I'd do") < \
        text.index("One question")


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        Reply(kind="advise")
    with pytest.raises(ValueError):
        Reply.from_json({"schema": "interview-advisor/reply", "version": 2, "kind": "advice"})


def test_the_documented_example_is_a_valid_reply():
    """docs/reply-model.md is the contract channel writers read: its example must validate."""
    import re
    from pathlib import Path
    doc = (Path(__file__).resolve().parents[2] / "docs" / "reply-model.md").read_text("utf-8")
    block = re.search(r"## An advice reply\s+```json\n(.*?)```", doc, re.S)
    assert block
    data = json.loads(block.group(1))
    jsonschema.validate(data, SCHEMA)
    assert render_text(Reply.from_json(data)).startswith("Noted - ")


def test_a_direct_question_is_answered_first(advisor):
    text = "is it dishonest to keep interviewing while I have a job?"
    state, turn = said(advisor, (text, "ask_keep_interviewing"))
    answers = advisor.direct_answers(text, {k: v["value"] for k, v in state.facts.items()})
    assessment = advising.assess(advisor, state)
    reply = compose.advice_reply(advisor, state, turn, assessment, None, direct=answers[0])
    jsonschema.validate(reply.to_json(), SCHEMA)
    assert reply.answer is not None and reply.answer.text.startswith("No")
    assert render_text(reply).startswith(reply.answer.text)
