"""Round 13 (drf13): a request for a message said as a need that names the message ("i've got
to tell them no nicely"), and the details read from it: a name beside who the person is ("the
practice manager Karen", "Sandra the practice manager"), a role after "offered me" without its
terms ("the part time admin assistant job"), a rejection with the job named in between, a
promised call that puts the interview behind them. Real rule base; no Rasa."""

from __future__ import annotations

from dataclasses import replace

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue.draft_details import named_person, named_role
from interview_advisor.dialogue.drafting import (
    asks_for_a_draft,
    asks_for_message_in_decision,
    choose_draft,
    draft_named_in,
)
from interview_advisor.dialogue.state import State


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("text, name", [
    ("the practice manager Karen said shed ring me by the friday", "Karen"),
    ("Sandra the practice manager rang me this afternoon", "Sandra"),
    ("Sam, the recruiter, sent the offer", "Sam"),
])
def test_a_capitalised_name_beside_who_they_are_is_the_contact(text, name, advisor):
    assert named_person(text, advisor.rulebase.words) == name


@pytest.mark.parametrize("text", [
    "I told the hiring manager Monday",
    "And the recruiter said no",
    "the recruiter called me back",
])
def test_days_and_small_words_beside_a_person_noun_are_no_names(text, advisor):
    assert named_person(text, advisor.rulebase.words) is None


@pytest.mark.parametrize("text, role", [
    ("Coleridge Dental offered me the part time admin assistant job", "admin assistant"),
    ("they offered me the permanent staff nurse post", "staff nurse"),
    ("it was for the junior developer post", "junior developer"),
])
def test_the_role_after_offered_me_without_its_terms(text, role, advisor):
    assert named_role(text, advisor.rulebase.words) == role


def test_a_full_time_job_alone_names_no_role(advisor):
    assert named_role("they offered me the full time job", advisor.rulebase.words) is None


def test_a_need_that_names_the_message_asks_for_it(advisor):
    text = "i've got to tell them no nicely, they were genuinely lovely"
    assert asks_for_a_draft(advisor, text, [])
    assert asks_for_message_in_decision(advisor, text, "evaluate_offer", [])
    assert draft_named_in(advisor, text, {"stage": "offer"}) == "decline_offer"


def test_a_need_without_the_message_still_gets_the_advice(advisor):
    assert not asks_for_message_in_decision(advisor, "i need to answer them by friday",
                                            "evaluate_offer", [])


@pytest.mark.parametrize("text, stage", [
    ("Priya just told me I didnt get the warehouse supervisor job", "rejected"),
    ("the practice manager said shed ring me by the friday", "done"),
    ("the recruiter told me she would call me on monday", "done"),
])
def test_stage_read_from_the_story(advisor, text, stage):
    facts = advisor.detect(text).facts
    assert facts["stage"].value == stage


def test_a_rejection_with_a_request_to_reply_writes_the_gracious_reply(advisor):
    state = State()
    state.facts["stage"] = {"value": "rejected"}
    assert choose_draft(advisor, state, None) == "thank_you_after_rejection"


@pytest.mark.parametrize("text", ["to say cheers for seeing me yesterday",
                                  "id like to stay on her radar"])
def test_british_thanks_name_the_thank_you(advisor, text):
    assert draft_named_in(advisor, text, {"stage": "done"}) == "thank_you_after_interview"


def test_the_words_that_name_no_detail_come_from_the_rule_base(advisor):
    """The lists of rules/words.yml decide, not words kept in Python: without the rule base's
    job_pointers "the other job" names a role, without calendar_words "Monday" is a name."""
    words = advisor.rulebase.words
    assert named_role("a note about the other job", words) is None
    assert named_role("a note about the other job", replace(words, job_pointers=[])) == "other"
    text = "i told the hiring manager Monday"
    assert named_person(text, words) is None
    assert named_person(text, replace(words, calendar_words=[])) == "Monday"
