"""Round 12 (drf12): a reason given without a cue word (the past before the past, an emphatic
"did") explains or denies the red flag it is about; a team, a sender and another role said
with a request for a message fill the draft. Real rule base and spaCy; no Rasa."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue import drafting
from interview_advisor.dialogue.answers import gives_a_reason
from interview_advisor.dialogue.draft_details import named_person, named_team

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("text", [
    "she had only started there the week before, so she barely knew anyone",
    "we hadnt even got to that part of the agenda when the call dropped",
    "my brother did complain about the parking though",
    "they genuinely do offer training, it's in the handbook",
])
def test_background_and_emphatic_did_give_a_reason(text):
    assert gives_a_reason(text)


@pytest.mark.parametrize("text", [
    "did they ever get back to you?",
    "what did the recruiter say about the salary",
    "i had been looking for a new job for months",
    "i did well in the technical test",
    "they had a fire drill halfway through",
    "the recruiter replied within a day",
])
def test_questions_stories_and_plain_news_give_no_reason(text):
    assert not gives_a_reason(text)


def test_a_background_reason_explains_the_only_flag_away(advisor):
    state, _ = talk(advisor, ("i asked about their values and the interviewer couldnt name a "
                              "single one", "describe_interview"))
    assert list(state.flags) == ["unclear_culture"]
    state, turn = talk(advisor, ("he had started there on monday so it was his first week too",
                                 "inform"), state=state)
    assert "unclear_culture" not in state.flags
    assert turn["withdrawn"] == ["unclear_culture"]


def test_an_emphatic_did_denies_the_flag_it_shares_words_with(advisor):
    state, _ = talk(advisor, ("all my mates who work there rave about it, not one complaint "
                              "between them", "describe_interview"))
    assert "overly_positive_acquaintances" in state.flags
    state, turn = talk(advisor, ("ok one of my mates did complain about the canteen once",
                                 "describe_interview"), state=state)
    assert "overly_positive_acquaintances" not in state.flags


def test_a_reason_that_tells_a_new_flag_is_news_not_an_explanation(advisor):
    state, _ = talk(advisor, ("the recruiter took two weeks to reply to my email",
                              "describe_interview"))
    state, _ = talk(advisor, ("and they had promised me fully remote but the contract says "
                              "three days in the office", "describe_interview"), state=state)
    assert "poor_communication" in state.flags
    assert "unrealistic_expectations" in state.flags


def test_a_reason_about_another_subject_keeps_the_flag(advisor):
    state, _ = talk(advisor, ("nobody could tell me what the job actually involves",
                              "describe_interview"))
    assert "vague_job_description" in state.flags
    state, _ = talk(advisor, ("the salary had gone up since the advert, which is nice",
                              "inform"), state=state)
    assert "vague_job_description" in state.flags


@pytest.mark.parametrize("text,name", [
    ("the rejection email came from priyanka, can you help me reply", "Priyanka"),
    ("it was signed by olu from their talent team", "Olu"),
])
def test_who_a_message_came_from_is_the_contact(text, name, advisor):
    assert named_person(text, advisor.rulebase.words) == name


@pytest.mark.parametrize("text,team", [
    ("i applied for the analyst role in the insights team, help me tell my boss", "insights"),
    ("help me tell my manager im moving to the platform squad", "platform"),
    ("help me tell my manager i want to join the other team", None),
])
def test_the_team_named_with_a_request(text, team, advisor):
    assert named_team(text, advisor.rulebase.words) == team


def test_the_team_fills_the_message_to_the_manager(advisor):
    state, _ = talk(advisor, ("hi", "greet"))
    text = ("my manager is called helga and i applied for the pricing lead role in the "
            "commercial team, she doesnt know. help me tell her")
    draft = drafting.start_draft(advisor, state, "tell_manager", {}, None, text)
    assert draft.draft_id == "tell_manager_internal"
    assert draft.values.get("team") == "commercial"
    assert draft.values.get("manager_name") == "Helga"


def test_a_company_is_not_taken_for_the_sender(advisor):
    state, _ = talk(advisor, ("hi", "greet"))
    draft = drafting.start_draft(advisor, state, "decline_offer",
                                 {"company": "Corvane", "person_name": "Corvane"}, None,
                                 "i'm saying no to the offer, it came from corvane")
    assert "contact_name" not in draft.values
    assert draft.values.get("company") == "Corvane"


def test_another_role_suggested_chooses_the_message_about_it(advisor):
    state, _ = talk(advisor, ("at the end of the interview they said their customer success "
                              "role could be a better match for me", "describe_interview"))
    assert state.facts["other_roles_suggested"]["value"] is True
    text = "how do i get back to them about that? write it for me"
    state, _ = talk(advisor, (text, "request_draft"), state=state)
    draft = drafting.start_draft(advisor, state, None, {}, None, text)
    assert draft.draft_id == "interested_in_other_role"
