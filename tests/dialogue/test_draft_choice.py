"""Which draft a request names, and what the start of a draft says it already knows (issue 11):
the most specific words win ("to say no thanks" declines, it does not thank), requests by
purpose in everyday words (more time, on paper, bail out), a set message asked for at the end
of a decision question, and the details taken from the conversation named back. Real rule
base; no Rasa."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue.draft_details import named_company, named_person, named_role
from interview_advisor.dialogue.drafting import (
    asks_for_a_draft,
    asks_for_a_set_message,
    asks_for_message_in_decision,
    asks_rather_than_requests,
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


# --- DRAFT6: requests inside decisions, the situation between equal words, names in lower case

@pytest.mark.parametrize("text, intent, expected", [
    # a request to write it, whatever NLU called the message
    ("Calloway offered me the job but I'm taking the other one, help me decline them",
     "evaluate_offer", True),
    ("they made me an offer, could u throw something together to turn it down",
     "evaluate_offer", True),
    # how to tell them, about backing out: the message is the answer
    ("ok i'm going with the other one. how do i tell brindle no without being rude",
     "ask_withdraw", True),
    # how to say it, or a need told: the advice (which offers the draft)
    ("i really don't see myself taking it, how do i say no nicely", "ask_withdraw", False),
    ("a different firm made me an offer and i need to answer in a week", "evaluate_offer",
     False),
])
def test_a_decision_that_asks_for_the_message(advisor, text, intent, expected):
    assert asks_for_message_in_decision(advisor, text, intent, []) is expected


def test_equal_words_go_to_the_draft_the_advice_offers(advisor):
    text = "i want something from them in writing before the next round"
    assert draft_named_in(advisor, text, {}, prefer=["confirm_terms_in_writing"]) == \
        "confirm_terms_in_writing"
    assert draft_named_in(advisor, text, {}, prefer=["ask_for_role_clarity"]) == \
        "ask_for_role_clarity"


def test_asking_about_backing_out_picks_the_back_out_message(advisor):
    offer = State(facts={"stage": {"value": "offer"}, "question": {"value": "back_out"}})
    early = State(facts={"question": {"value": "back_out"}})
    assert start_draft(advisor, offer, None, {}).draft_id == "decline_offer"
    assert start_draft(advisor, early, None, {}).draft_id == "withdraw_application"


@pytest.mark.parametrize("text, person", [
    ("ines from the agency set it up, could you write to her", "Ines"),
    ("can you email tomasz a short note", "Tomasz"),
    ("the guy who ran it (radek) was great, write him a thank you", "Radek"),
    ("her name is Marguerite, can you write that email", "Marguerite"),
    ("can you write them a note", None),           # English words are no names
    ("send everyone a message saying thanks", None),
    ("the recruiter Couldn't tell me what the job is", None),   # a contraction is no name
    ("the recruiter couldn't say who i'd report to", None),
    ("the interviewer's questions were odd", None),
])
def test_a_contact_named_in_lower_case(text, person, advisor):
    assert named_person(text, advisor.rulebase.words) == person


@pytest.mark.parametrize("text, company", [
    ("been talking with hollowmere about a buyer job for weeks", "Hollowmere"),
    ("i applied to brenlow for the analyst role", "Brenlow"),
    ("i talked to them about the job", None),
    ("i spoke with my manager about the role", None),
])
def test_a_company_named_in_lower_case(text, company, advisor):
    assert named_company(text, advisor.rulebase.words) == company


def test_the_details_in_lower_case_fill_the_draft(advisor):
    text = "kept chatting with tarnwick about a planner job, ines from the agency set it up. " \
           "can you write ines a note saying im out"
    draft = start_draft(advisor, State(), "withdrawal", {}, text=text)
    assert draft.values.get("company") == "Tarnwick" and draft.values.get("contact_name") == "Ines"


@pytest.mark.parametrize("text, role", [
    ("the final at Wrenbury for the patient liaison lead job went fine", "patient liaison lead"),
    ("can you write to Ines about the junior data analyst position", "junior data analyst"),
    ("i applied for the other job instead", None),          # which job, not what it is
    ("could you write to them about the new role", None),
])
def test_a_role_named_in_the_request(text, role, advisor):
    assert named_role(text, advisor.rulebase.words) == role


def test_more_specific_words_than_the_entity_name_the_draft(advisor):
    text = "could you do me a message to say thanks but no thanks to them"
    assert start_draft(advisor, State(), "say thanks", {}, text=text).draft_id == "decline_offer"
    # the entity stands when the words say no more than it does
    assert start_draft(advisor, State(), "thank_you", {},
                       text="write the thank you email please").draft_id == \
        "thank_you_after_interview"


@pytest.mark.parametrize("text, expected", [
    ("ive had a rethink and want out, could u draft something for my recruiter",
     "withdraw_application"),
    ("could u ask them nicely for a few extra days", "offer_timeline_update"),
])
def test_everyday_words_for_a_purpose(advisor, text, expected):
    assert draft_named_in(advisor, text, {}) == expected


def test_the_words_of_the_request_itself_name_the_draft(advisor):
    # "offer elsewhere" is the story; "to withdraw" is what the request asks for
    text = "i got a better offer elsewhere and im taking it, so can you help me write to withdraw"
    assert start_draft(advisor, State(), None, {}, text=text).draft_id == "withdraw_application"


def test_a_contact_named_in_an_earlier_message(advisor):
    draft = start_draft(advisor, State(), "withdrawal", {},
                        text="can you help me write to her to pull out",
                        earlier=["the recruiter odalys has been lovely all along", "ok thanks"])
    assert draft.values.get("contact_name") == "Odalys"


@pytest.mark.parametrize("text, person", [
    ("the man who chaired the panel was called wojtek, lovely guy", "Wojtek"),
    ("the hr lady is named philippa", "Philippa"),
    ("my contact at the agency is Jolanta, she set it all up", "Jolanta"),
    ("my line manager radhika has no clue yet", "Radhika"),
    ("could you write to the recruiter, she's called imke", "Imke"),
    ("the guy on the call was called Grant", "Grant"),   # capitalised: called a name
    ("my boss said no to the move", None),                 # an English word is no name
    ("my contact there is great", None),
    ("they called me back the next day", None),
])
def test_a_name_said_to_be_a_persons(text, person, advisor):
    assert named_person(text, advisor.rulebase.words) == person


@pytest.mark.parametrize("text, expected", [
    ("if i turn down the internal role will it hurt me later", True),
    ("does pulling out now look bad with my manager?", True),
    ("what happens if i say no to them", True),
    ("how do i say no to them without it looking bad", False),    # asks for the words too
    ("can you write me a note to say no", False),
])
def test_a_question_about_what_happens_is_no_request(advisor, text, expected):
    assert asks_rather_than_requests(advisor, text) is expected


@pytest.mark.parametrize("text", [
    "what am i meant to write back to her",
    "how do i even phrase it",
    "can u help me put that into words",
])
def test_requests_asked_as_questions(advisor, text):
    assert asks_for_a_draft(advisor, text, advisor.direct_answers(text))


@pytest.mark.parametrize("text, draft", [
    ("long story short i dont want to continue with them, can you word it",
     "withdraw_application"),
    ("ive thought it over and its a no from me. help me write it", "decline_offer"),
])
def test_a_decision_in_everyday_words_names_the_draft(advisor, text, draft):
    assert draft_named_in(advisor, text, {}) == draft


def test_how_a_message_should_land_is_still_a_request(advisor):
    """"without burning bridges" says how the message should land, it asks nothing."""
    assert not asks_rather_than_requests(
        advisor, "help me get out of it without burning bridges with the hiring manager")


@pytest.mark.parametrize("text", ["can u write something to my boss asking for feedback",
                                  "write them a note asking for feedback"])
def test_asking_for_feedback_after_a_rejection_is_the_reply_to_it(advisor, text):
    """The gracious reply to a rejection asks what would have made them stronger; "to my
    boss" (the internal promotion they did not get) is not the note telling the manager about
    an application (found trying the bot)."""
    facts = {"stage": "rejected", "interview_type": "internal"}
    assert draft_named_in(advisor, text, facts) == "thank_you_after_rejection"
