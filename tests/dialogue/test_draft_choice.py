"""Which draft a request names, and what the start of a draft says it already knows (issue 11):
the most specific words win ("to say no thanks" declines, it does not thank), requests by
purpose in everyday words (more time, on paper, bail out), a set message asked for at the end
of a decision question, and the details taken from the conversation named back. Real rule
base; no Rasa."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue.drafting import (
    asks_for_a_set_message,
    draft_named_in,
    known_details,
    start_draft,
)
from interview_advisor.dialogue.state import State


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("text, expected", [
    ("what do i send them to say no thanks", "decline_offer"),
    ("just write me something short to thank them", "thank_you_after_interview"),
    ("can you word something asking them if i can have till next week to decide",
     "offer_timeline_update"),
    ("i want them to put it on paper before i sign", "confirm_terms_in_writing"),
    ("could u help me bail out politely", "withdraw_application"),
    ("write something to them pulling out", "withdraw_application"),
    ("how do i let them know so they maybe hurry up", "offer_timeline_update"),
])
def test_the_most_specific_words_name_the_draft(advisor, text, expected):
    assert draft_named_in(advisor, text, {}) == expected


def test_an_equal_match_keeps_the_purpose_before_a_drafts_own_words(advisor):
    # "withdraw" (a purpose word) and "deadline" (offer_timeline_update's): one word each
    assert draft_named_in(advisor, "withdraw before the deadline", {}) == "withdraw_application"


@pytest.mark.parametrize("text, expected", [
    ("how do i let corrib know so they maybe hurry up", True),
    ("can you write something asking for a few more days", True),
    ("how do i say no nicely", False),          # a decision: the advice offers the draft
    ("should i take the offer or wait for the other one", False),
])
def test_a_set_message_at_the_end_of_a_decision_question(advisor, text, expected):
    assert asks_for_a_set_message(advisor, text, []) is expected


def test_details_taken_are_named_back(advisor):
    draft = start_draft(advisor, State(), "decline_offer",
                        {"company": "Halvard & Co", "person_name": "Imogen"})
    note = known_details(draft.values)
    assert note is not None and "Halvard & Co" in note and "Imogen" in note
    assert draft.pending not in ("company", "contact_name")


def test_nothing_taken_says_nothing(advisor):
    draft = start_draft(advisor, State(), "decline_offer", {})
    assert known_details(draft.values) is None


def test_a_name_said_to_be_the_contacts_is_taken(advisor):
    text = ("i want them to put it on paper before i sign. her name is Marguerite, can you "
            "write that email")
    draft = start_draft(advisor, State(), None, {"company": "Velloway"}, text=text)
    assert draft.draft_id == "confirm_terms_in_writing"
    assert draft.values.get("contact_name") == "Marguerite"
    assert draft.pending != "company"
