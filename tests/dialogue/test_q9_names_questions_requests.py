"""Round 9 (team q9: direct questions, drafts, details, corrections): a contact or an employer
named in lower case by the grammar of the request, also when the name is an English word ("the
recruiter is tom", "the process at harrow"); a direct question asked sideways is read in its
plain form ("is there any way i can ..." as "can i ..."); a question asked with a request for
a message is answered before the draft; a job that got better asks the recruiter for the
changed-circumstances message. Real rule base; no Rasa."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue.advising import assess
from interview_advisor.dialogue.draft_details import named_company, named_person
from interview_advisor.dialogue.drafting import (
    choose_draft,
    draft_named_in,
    question_before_request,
)
from interview_advisor.dialogue.state import State

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("text, name", [
    ("pull me out of the kestrel process, the recruiter is tom", "Tom"),
    ("hiring manager's called priya, can you write the follow up", "Priya"),
    ("the recruiter is mark, can you write it", "Mark"),
    ("write a decline for the offer from falcon, my contact there is raj", "Raj"),
])
def test_a_name_in_lower_case_where_the_grammar_wants_one(text, name, advisor):
    assert named_person(text, advisor.rulebase.words) == name


@pytest.mark.parametrize("text", [
    "my recruiter is away", "my manager is aware", "the recruiter is lovely, can you write it",
    "the interviewer was called away", "my boss is busy so write it for me",
])
def test_a_quality_or_a_manner_is_no_name(text, advisor):
    assert named_person(text, advisor.rulebase.words) is None


@pytest.mark.parametrize("text, company", [
    ("need to pull out of the process at harrow, the recruiter is sam, can you write it",
     "Harrow"),
    ("the job at beacon is the data engineer one. please write a follow up", "Beacon"),
    ("i interviewed with orchard for a support analyst role, could you write a message",
     "Orchard"),
    ("the recruiter is called marcus and hes from summit. i want to tell them", "Summit"),
    ("the offer from kestrel came through this morning", "Kestrel"),
])
def test_an_employer_that_is_an_english_word(text, company, advisor):
    assert named_company(text, advisor.rulebase.words) == company


@pytest.mark.parametrize("text", [
    "i had an interview at home yesterday", "the job at night pays more",
    "i interviewed with two people for the role", "the offer from them came on friday",
    "i work at brightwell and applied for the internal role",
    "i interviewed with confidence for once",
])
def test_places_times_and_people_are_no_employer(text, advisor):
    assert named_company(text, advisor.rulebase.words) is None


@pytest.mark.parametrize("text, question", [
    ("is there any way i can get out of the norvale thing now that ive signed??",
     "back_out_after_accepting"),
    ("im not sure whether to take the counter offer", "accept_counter_offer"),
    ("do you think i should take the counter offer or go", "accept_counter_offer"),
    ("would it be ok if i asked them for the offer in writing", "offer_in_writing"),
])
def test_a_question_asked_sideways_gets_the_plain_questions_answer(advisor, text, question):
    answers = advisor.direct_answers(text)
    assert answers and answers[0].id == question
    assert answers[0].evidence.strip() in text   # the clause as written is quoted


@pytest.mark.parametrize("text", [
    "i wonder if they will call me back", "is there any way to find out the salary band",
    "i know whether i want it really",
])
def test_sideways_words_without_a_known_question_answer_nothing(advisor, text):
    assert advisor.direct_answers(text) == []


def test_the_manager_as_subject_is_a_question_not_a_fact(advisor):
    text = "got an external interview next week. should my line manager be in the loop on this"
    assert "manager_aware" not in advisor.detect(text).facts
    answers = advisor.direct_answers(text)
    assert answers and answers[0].id == "tell_manager_if_external"


def test_a_question_before_a_request_is_answered_first(advisor):
    text = "do i owe them an explanation when i pull out? and could you write the email for me"
    answer = question_before_request(advisor, text)
    assert answer is not None and answer.id == "withdraw_without_reason"
    assert question_before_request(advisor, "can you write me the email to withdraw") is None


def test_a_job_that_got_better_asks_for_the_changed_circumstances_message(advisor):
    state, _ = talk(advisor, ("quick update, my company just promoted me so my situation is "
                              "totally different now and the recruiter doesnt know yet",
                              "inform"))
    assert state.facts["recent_improvement"]["value"] is True
    assert choose_draft(advisor, state, None) == "update_on_changed_circumstances"
    assert choose_draft(advisor, State(), None) is None


def test_advice_on_silence_offers_the_follow_up(advisor):
    state, _ = talk(advisor, ("no word from Glenmoor in 3 weeks since my final",
                              "describe_interview"))
    assert "poor_communication" in state.flags
    state.last_advice = assess(advisor, state).rule_ids[:3]
    assert "poor_communication_log_and_single_contact" in state.last_advice
    assert choose_draft(advisor, state, None) == "follow_up"


@pytest.mark.parametrize("prefer, expected", [
    (["interested_in_other_role", "thank_you_after_interview", "follow_up"],
     "interested_in_other_role"),
    (["follow_up", "interested_in_other_role"], "follow_up"),
])
def test_equally_specific_words_follow_the_situation_in_its_order(advisor, prefer, expected):
    # "follow up" names a purpose, "other role" a draft: as many words each
    assert draft_named_in(advisor, "write the follow up about the other role", {},
                          prefer) == expected


@pytest.mark.parametrize("text, name, company", [
    ("her name is priya, can you write the thank you", "Priya", None),
    ("his name's tom and he's the recruiter", "Tom", None),
    ("write to tom at harrow saying i'm out", "Tom", "Harrow"),
    ("a quick thank you to mark at beacon, please", None, "Beacon"),
])
def test_a_person_and_their_employer_in_lower_case(text, name, company, advisor):
    assert named_person(text, advisor.rulebase.words) == name
    assert named_company(text, advisor.rulebase.words) == company


@pytest.mark.parametrize("text", ["her name is lovely", "a note to start at 9",
                                  "i need to write to them at work"])
def test_no_name_where_a_word_cannot_be_one(text, advisor):
    words = advisor.rulebase.words
    assert named_person(text, words) is None and named_company(text, words) is None
