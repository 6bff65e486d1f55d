"""A company named right after a pointer to it - "the other one, Ferncliff, is fully remote",
"the bank is Calder" - is an opportunity of its own, so a first message about two offers keeps
each one's red flags apart (found trying the bot: the vague role of the second offer was
filed under the only company recognised). Dialogue core, real rule base; no Rasa."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue import opportunities as opp
from interview_advisor.dialogue.opportunity_mentions import find_mentions
from interview_advisor.dialogue.state import State

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


def names(advisor, text, entities=()):
    return [(m.kind, m.name) for m in find_mentions(advisor, State(), text, list(entities))]


@pytest.mark.parametrize("text, expected", [
    ("Tessaly pays more. The other one, Ferncliff, is fully remote",
     [("company", "Tessaly"), ("company", "Ferncliff")]),
    ("the other offer is Grantby and it's hybrid", [("company", "Grantby")]),
    ("two to choose from. the second one: Ostrava Labs, pays less",
     [("company", "Ostrava Labs")]),
    ("the other one, ferncliff, is fully remote", [("company", "ferncliff")]),
])
def test_a_name_after_a_pointer_is_a_company(advisor, text, expected):
    assert names(advisor, text) == expected


def test_a_kind_of_employer_and_its_name_are_one_opportunity(advisor):
    found = find_mentions(advisor, State(), "the startup: Vesper. the bank is Calder", [])
    assert [(m.name, m.aliases[:1]) for m in found] == [
        ("Vesper", ("startup",)), ("Vesper", ()), ("Calder", ("bank",)), ("Calder", ())]


@pytest.mark.parametrize("text", ["the other one is remote", "the other one, honestly, is better",
                                  "the other one is great"])
def test_an_english_word_after_a_pointer_is_no_company(advisor, text):
    assert names(advisor, text) == []


def test_a_person_nlu_found_after_a_pointer_stays_a_person(advisor):
    text = "the other one, Sam, said it was fine"
    assert names(advisor, text, [{"entity": "person_name", "start": 15, "end": 18,
                                  "value": "Sam"}]) == []


def test_two_offers_in_one_message_keep_their_flags_apart(advisor):
    state, _ = talk(advisor, (
        "ok so two offers on the table. Brightwater wants me in the office 5 days but pays 78k. "
        "The other one, Ferncliff, is fully remote at 70k but the hiring manager couldnt really "
        "explain what i'd be doing", "describe_interview"))
    by_name = {e["name"]: e["id"] for e in state.opportunities}
    assert {"Brightwater", "Ferncliff"} <= set(by_name)
    assert "vague_job_description" in opp.view_of(advisor, state, by_name["Ferncliff"]).flags
    assert "vague_job_description" not in opp.view_of(advisor, state,
                                                      by_name["Brightwater"]).flags


def test_the_two_offers_compare_on_what_was_said_of_each(advisor):
    from interview_advisor.dialogue import compose_opportunities as several

    state, _ = talk(advisor, (
        "ok so two offers on the table. Brightwater wants me in the office 5 days but pays 78k. "
        "The other one, Ferncliff, is fully remote at 70k but the hiring manager couldnt really "
        "explain what i'd be doing", "describe_interview"))
    reply = several.comparison_reply(advisor, state)
    assert reply.comparison is not None
    cells = {(o.opportunity, c.topic): c.status for o in reply.comparison.options
             for c in o.cells}
    assert cells[("Brightwater", "topic_commute_and_flexibility")] == "against"  # 5 days in
    assert cells[("Ferncliff", "topic_commute_and_flexibility")] == "for"        # fully remote
    assert cells[("Ferncliff", "topic_growth")] == "against"                     # vague role


@pytest.mark.parametrize("text, name", [
    ("an invite from tollgate for a final round", "tollgate"),
    ("got the rejection email from brackwell this morning", "brackwell"),
    ("still no message from ostrova since the case study", "ostrova"),
])
def test_a_lower_case_company_after_news_from_it(advisor, text, name):
    assert names(advisor, text) == [("company", name)]


def test_a_giant_word_is_no_name_and_costs_nothing(advisor):
    """A pasted run of letters was taken as a possible name and every one-letter edit of it
    was built to check it against the dictionary (21 GB; the test run was killed)."""
    text = "the other one, " + "a" * 5000 + " and an offer from " + "b" * 5000
    assert names(advisor, text) == []
