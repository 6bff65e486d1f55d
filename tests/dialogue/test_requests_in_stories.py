"""Requests, denials and why/summary inside messages NLU filed under something else (issue 11):
a denial recognised by a self-correction plus the words of a flag raised in this conversation,
a request for a message at the end of a story, a why- or summary-question that comes with
news. Real rule base, real detection; no Rasa."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue import advising
from interview_advisor.dialogue.answers import (
    asks_for_summary,
    asks_why_advice,
    flags_denied_firmly,
)
from interview_advisor.dialogue.drafting import asks_for_a_draft
from interview_advisor.dialogue.state import State

from .conversation import talk

COMMS = ("the recruiter ghosted me for two weeks after the screen, and then in the interview "
         "nobody could tell me what the job even is", "describe_interview")
CULTURE = ("asked them three times about the team culture and what the company values and got "
           "nothing back, nobody could say where the business is heading", "describe_interview")


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


def test_denial_of_one_flag_under_describe_interview_keeps_the_other(advisor):
    state, _ = talk(advisor, COMMS)
    assert {"poor_communication", "vague_job_description"} <= set(state.flags)
    state, turn = talk(advisor, ("well the recruiter wasnt slow really, she always answered "
                                 "within a day. the job thing still stands though",
                                 "describe_interview"), state=state)
    assert turn["withdrawn"] == ["poor_communication"]
    assert "vague_job_description" in state.flags


def test_opposite_asserted_is_a_denial_not_new_evidence(advisor):
    state, _ = talk(advisor, CULTURE)
    assert "unclear_culture" in state.flags
    state, turn = talk(advisor, ("hmm thats unfair of me, they did talk about their values "
                                 "quite a lot. the culture seemed clear enough",
                                 "describe_interview"), state=state)
    assert "unclear_culture" in turn["withdrawn"]
    assert "unclear_culture" not in state.flags


def test_denial_whose_words_negate_the_flag_is_not_new_evidence(advisor):
    """"they werent only positive": the flag's own words, negated, in a self-correction."""
    state, _ = talk(advisor, ("my sister works there and swears it's perfect, honestly "
                              "zero downsides, everyone loves it", "describe_interview"))
    assert "overly_positive_acquaintances" in state.flags
    state, turn = talk(advisor, ("hmm not fair of me, she moans about the hours all the time, "
                                 "she wasnt only positive", "describe_interview"), state=state)
    assert turn["withdrawn"] == ["overly_positive_acquaintances"]


@pytest.mark.parametrize("text", [
    "and the recruiter still hasnt replied to my last email",      # more of the same
    "the recruiter never got back to me about the second round either",
])
def test_further_description_takes_nothing_back(advisor, text):
    state, _ = talk(advisor, COMMS)
    state, turn = talk(advisor, (text, "describe_interview"), state=state)
    assert "poor_communication" in state.flags
    assert not turn.get("withdrawn")


def test_firm_denial_needs_an_active_flag_named(advisor):
    state, _ = talk(advisor, COMMS)
    assert flags_denied_firmly(advisor, state, "to be fair the salary was fine") == []


@pytest.mark.parametrize("text, expected", [
    ("right so i applied there in march when work was awful, but my new manager is great "
     "and i'm happy now, they just invited me to a panel on the 12th. how do i let them know "
     "im done", True),
    ("could u do me a short thank you email to her", True),
    ("i still want to answer them so they keep me in mind for later, something short", True),
    ("i need something to nudge them along without sounding pushy", True),
    ("Quanta offered me a job and i have to answer by monday", False),
    ("what should i say in the interview about my gap year", False),
    ("interviewer asked what my weaknesses are and i froze. how do i answer that next time",
     False),
    ("Why they write it then?", False),
    ("should i tell my manager?", False),          # the rule base answers it
])
def test_asks_for_a_draft(advisor, text, expected):
    assert asks_for_a_draft(advisor, text, advisor.direct_answers(text)) is expected


def test_a_request_early_in_a_long_story_is_not_the_request(advisor):
    story = ("can you believe it, the recruiter said write to them whenever. " + "then " * 60 +
             "the interview was long and the team seemed nice enough")
    assert asks_for_a_draft(advisor, story, []) is False


@pytest.mark.parametrize("text", [
    "oh and i got a raise last month. but why are you telling me to get the scope in writing?",
    "just curious what makes you say that", "walk me through how you got there",
    "how'd you come up with that advice", "ok but why back out now",
    "hmm why should i ask for it in writing", "where does that come from",
])
def test_asks_why_advice(advisor, text):
    assert asks_why_advice(advisor, text)


@pytest.mark.parametrize("text", [
    "asked the manager to walk me through a typical day and he just said it varies",
    "why did the recruiter cancel",
])
def test_not_asking_why_about_the_advice(advisor, text):
    assert not asks_why_advice(advisor, text)


@pytest.mark.parametrize("text, expected", [
    ("they offered me the job! so where does all that leave me overall?", True),
    ("can you recap", True), ("give me the full picture", True),
    ("so whats the short version", True), ("sorry, where am i with all this", False),
    ("ok remind me where i am", True),
    ("they left me waiting for a week", False),
])
def test_asks_for_summary(advisor, text, expected):
    assert asks_for_summary(advisor, text) is expected


def test_unsure_nlu_leaning_to_a_draft_starts_it_when_the_words_ask_for_one(advisor):
    text = "i need something to nudge Corvid along without sounding pushy"
    assert advising.answer_when_unsure(advisor, State(), text, "request_draft", {}) == \
        advising.UNSURE_DRAFT
    assert advising.answer_when_unsure(advisor, State(), "nudge nudge", "request_draft", {}) \
        is None


@pytest.mark.parametrize("text, guess, expected", [
    ("hiya, bit of a weird one", "greet", advising.UNSURE_GREET),
    ("hi, need some help with something awkward", "help", advising.UNSURE_GREET),
    ("hi, so yesterday the recruiter said the role had changed completely and the pay too",
     "greet", None),
    ("nice one", "greet", None),
])
def test_a_greeting_with_a_lead_in_is_a_greeting(advisor, text, guess, expected):
    assert advising.answer_when_unsure(advisor, State(), text, guess, {}) == expected


@pytest.mark.parametrize("text, guess, expected", [
    ("bit of a weird one", "greet", advising.UNSURE_GREET),
    ("okay so bear with me here", "describe_interview", advising.UNSURE_GREET),
    ("yo got a slightly tricky situation", "affirm", advising.UNSURE_GREET),
    ("quick question", "ask_why", advising.UNSURE_GREET),
    ("can i ask you something?", "help", None),        # a question: not announced, asked
    ("the final round was a long one", "describe_interview", None),
])
def test_a_story_announced_gets_an_invitation_whatever_nlu_guessed(advisor, text, guess,
                                                                   expected):
    assert advising.answer_when_unsure(advisor, State(), text, guess, {}) == expected


@pytest.mark.parametrize("text, guess, expected", [
    ("walk me through how you got there", "evaluate_offer", advising.UNSURE_WHY),
    ("ok whats the short version", "ask_keep_interviewing", advising.UNSURE_SUMMARY),
    ("the interview went on for a long time", "evaluate_offer", None),
])
def test_unsure_nlu_why_and_summary_words_count_whatever_it_leaned_to(advisor, text, guess,
                                                                      expected):
    before = State(last_advice=["after_interview_write_a_debrief"])
    assert advising.answer_when_unsure(advisor, before, text, guess, {}) == expected


@pytest.mark.parametrize("text, guess, expected", [
    ("i'd still like to reply to them, just a couple of lines", "ask_keep_interviewing",
     advising.UNSURE_DRAFT),
    ("how do i tell if the culture is any good", "ask_keep_interviewing", None),
])
def test_unsure_nlu_draft_words_count_when_nothing_new_was_told(advisor, text, guess, expected):
    assert advising.answer_when_unsure(advisor, State(), text, guess, {}) == expected
