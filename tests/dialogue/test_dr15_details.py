"""Round 15 (dr15): employers named in lower case by the grammar of the clause - the subject of
what only an employer does ("so harrow offered me 58k"), a firm's form after a word that places
an employer ("at bramble health", "with fox & finch") - and the role told in an earlier message
about the one opportunity, used by a later request for a message."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue import drafting
from interview_advisor.dialogue.state import State

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


def names(advisor: Advisor, text: str):
    state, _ = talk(advisor, (text, "describe_interview"))
    return [o.get("name") for o in state.opportunities]


@pytest.mark.parametrize("text, name", [
    ("so harrow offered me 58k for the analyst job", "harrow"),
    ("harrow offered 58k for the coordinator role but ive taken another job", "harrow"),
    ("update: walnut made me an offer yesterday", "walnut"),
    ("good news and bad news. kestrel offered, but the pay is low", "kestrel"),
    ("and pebble ghosted me after the second round", "pebble"),
])
def test_an_english_word_opening_a_clause_before_an_employer_act_is_the_employer(
        advisor, text, name):
    assert names(advisor, text) == [name]


@pytest.mark.parametrize("text", [
    "recruiter offered me the job",          # who speaks for an employer
    "they offered me the job",
    "company offered me 5k more",            # a kind, not a name
    "so pay offered was 40k",                # a verb of being: no employer acting
    "ok, money offered is low",
    "tom rang me about it",                  # what people do as well
    "sarah wants me to call her back",
    "i offered to start early",
    "it's internal, stage rejected",         # a step of the process
    "ok so final round offered nothing new",
])
def test_no_employer_without_an_employer_act_by_a_name(advisor, text):
    assert names(advisor, text) == []


@pytest.mark.parametrize("text, name", [
    ("the recruiter at bramble health, shes called nadia, wants an answer", "bramble health"),
    ("interview was 10 days ago with fox & finch for store manager", "fox & finch"),
    ("final round at cromer logistics next week", "cromer logistics"),
])
def test_a_firm_in_lower_case_after_a_cue_is_named_by_its_form(advisor, text, name):
    assert names(advisor, text) == [name]


@pytest.mark.parametrize("text", ["i work in mental health", "applied for public health roles",
                                  "talks with my health team"])
def test_a_quality_or_a_pointer_before_a_firm_word_names_none(advisor, text):
    assert names(advisor, text) == []


@pytest.mark.parametrize("earlier, asked, role", [
    (["interview with Brightwater Housing on thursday for the housing officer post"],
     "what do i even say to them", "housing officer"),
    (["they offered me the junior buyer position", "pay is rubbish though"],
     "can you help me say no", "junior buyer"),
])
def test_the_role_told_earlier_fills_the_draft(advisor, earlier, asked, role):
    draft = drafting.start_draft(advisor, State(), "withdrawal", {}, text=asked,
                                 earlier=earlier)
    assert draft.values.get("role") == role


def test_the_role_in_the_request_itself_wins_over_an_earlier_one(advisor):
    draft = drafting.start_draft(advisor, State(), "withdrawal", {},
                                 text="help me pull out, i was up for the data engineer role",
                                 earlier=["applied for the analyst job at Brightwater"])
    assert draft.values.get("role") == "data engineer"


@pytest.mark.parametrize("earlier, asked", [
    (["interviewing at Vantage Media next thursday", "my boss is called Fiona"],
     "how do i tell her?"),
    (["my line manager gareth hasnt got a clue"], "how should i tell him"),
    (["got a second interview elsewhere", "my supervisor is a bit old school"],
     "do i tell her?"),
])
def test_a_pronoun_stands_for_the_manager_named_in_an_earlier_message(advisor, earlier, asked):
    assert drafting.asks_rather_than_requests(advisor, asked, earlier=earlier)
    answers = advisor.direct_answers(asked, {"interview_type": "external"}, earlier)
    assert [a.id for a in answers][:1] == ["tell_manager_if_external"]


@pytest.mark.parametrize("earlier, asked", [
    (["my sister thinks i should go for it"], "how do i tell her?"),
    (["the recruiter is called amy"], "how do i tell her im pulling out"),
    ([], "how do i tell her?"),
])
def test_a_pronoun_for_anyone_else_still_asks_for_words(advisor, earlier, asked):
    assert not drafting.asks_rather_than_requests(advisor, asked, earlier=earlier)


@pytest.mark.parametrize("text, role", [
    ("interview was 10 days ago with fox & finch for store manager and nothing since",
     "store manager"),
    ("i want to pull out of the pharmacy technician process", "pharmacy technician"),
    ("applied for senior buyer, heard nothing", "senior buyer"),
    ("i did the night shift supervisor interview on monday", "night shift supervisor"),
])
def test_a_role_without_role_or_job_after_it_is_read_by_its_last_word(advisor, text, role):
    from interview_advisor.dialogue.draft_details import named_role
    assert named_role(text, advisor.rulebase.words) == role


@pytest.mark.parametrize("text", [
    "write a note for the hiring manager",            # someone written to
    "can you write something for my manager",
    "help me withdraw from the hiring manager interview",
    "thanks for the chat and the tour",
    "waited for ages and nothing",
])
def test_no_role_from_a_contact_or_a_phrase_without_a_role_word(advisor, text):
    from interview_advisor.dialogue.draft_details import named_role
    assert named_role(text, advisor.rulebase.words) is None
