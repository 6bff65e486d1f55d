"""Round 8 (drafts, details, direct questions): a follow-up when nothing has been heard is its
own message, and "nudge" is the other-offer message only while another company's offer waits;
a company named in lower case by the structure of the request ("the harrow process"); direct
questions in everyday words get their answer. Real rule base; no Rasa."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue.advising import assess
from interview_advisor.dialogue.draft_details import named_company, named_person, named_role
from interview_advisor.dialogue.drafting import draft_named_in, start_draft

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("text", [
    "help me chase copperfield, i havent heard in 2 weeks",
    "can you write a polite nudge to the recruiter",
    "write me a follow up email to check in with them",
    "could you draft something asking where things stand",
    "i want to ping them for an update, can u word it",
])
def test_a_follow_up_is_its_own_message(advisor, text):
    assert draft_named_in(advisor, text, {}) == "follow_up"


@pytest.mark.parametrize("text, expected", [
    ("write a quick thank you to the panel", "thank_you_after_interview"),
    ("can you word something asking them if i can have till next week to decide",
     "offer_timeline_update"),
    ("help me pull out, i have not heard back in weeks and i'm done", "withdraw_application"),
])
def test_other_messages_keep_their_words(advisor, text, expected):
    assert draft_named_in(advisor, text, {}) == expected


def _after(advisor, text, intent):
    state, _ = talk(advisor, (text, intent))
    state.last_advice = [a.rule for a in assess(advisor, state).top()]
    return state


def test_a_nudge_while_another_offer_waits_is_the_other_offer_message(advisor):
    state = _after(advisor, "Sable & Finch offered me a role and the offer runs out on tuesday, "
                            "but Corvid is where i actually want to go and i havent heard since "
                            "the last round", "evaluate_offer")
    text = "i need something to nudge Corvid along without sounding pushy"
    state, _ = talk(advisor, (text, "request_draft"), state=state)
    assert start_draft(advisor, state, None, {}, text=text).draft_id == "offer_timeline_update"


def test_a_nudge_with_one_process_is_a_follow_up(advisor):
    state = _after(advisor, "did my final interview with penrose digital on the 3rd",
                   "describe_interview")
    draft = start_draft(advisor, state, None, {}, text="its been 2 weeks, help me nudge them")
    assert draft.draft_id == "follow_up"


def test_the_follow_up_draft_restates_interest_and_asks_for_a_timeline(advisor):
    template = advisor.rulebase.drafts["follow_up"].template
    assert "still very interested" in template and "when you expect" in template


@pytest.mark.parametrize("text, expected", [
    ("need to pull out of the harrow process for the junior buyer role", "Harrow"),
    ("write to the ardent recruiter for me", "Ardent"),
    ("pull me out of the hiring process", None),
    ("withdraw from the whole process please", None),
    ("decline it for me, it's from the internal process", None),
])
def test_a_company_in_lower_case_before_what_only_an_employer_has(text, expected, advisor):
    assert named_company(text, advisor.rulebase.words) == expected


@pytest.mark.parametrize("text, facts, expected", [
    ("do i have to run it past my line manager before applying or nah",
     {"interview_type": "internal"}, "tell_manager_if_internal"),
    ("would it be awful if i went back on my acceptance with dunmore?", {},
     "back_out_after_accepting"),
    ("should i just call it quits?", {}, "should_i_withdraw"),
    ("they spent a whole day interviewing me, would it be rude to say no thanks now?", {},
     "decline_after_interview_rude"),
    ("am i allowed to push back and ask for the weekend to think it over?", {},
     "more_time_to_decide"),
    ("does it help or hurt to let the recruiter know im talking to two other places too?", {},
     "mention_other_offers"),
])
def test_everyday_direct_questions_get_their_answer(advisor, text, facts, expected):
    answers = advisor.direct_answers(text, facts)
    assert answers and answers[0].id == expected


@pytest.mark.parametrize("text, expected", [
    ("help me chase copperfield, i havent heard in 2 weeks", "Copperfield"),
    ("can u draft a follow up for the brightwell job?", "Brightwell"),
    ("i need to check in with the recruiter at marsh & co, its been 10 days", "Marsh & Co"),
    ("chase tom from hr for me", None),
    ("help me nudge them", None),
])
def test_the_employer_chased_or_named_before_the_job(text, expected, advisor):
    assert named_company(text, advisor.rulebase.words) == expected


def test_a_single_unknown_word_before_job_is_no_role(advisor):
    words = advisor.rulebase.words
    assert named_role("a follow up for the brightwell job", words) is None
    assert named_role("a follow up for the data analyst job", words) == "data analyst"


def test_a_contact_named_after_her_assistant(advisor):
    text = "say no thanks, the contact is her assistant ravi"
    assert named_person(text, advisor.rulebase.words) == "Ravi"


@pytest.mark.parametrize("text", ["my manager doesnt know im applying", "my boss isnt aware",
                                  "my recruiter wont reply"])
def test_a_contraction_without_its_apostrophe_is_no_name(text, advisor):
    assert named_person(text, advisor.rulebase.words) is None


@pytest.mark.parametrize("text, expected", [
    ("pull me out of the kestrel process, the recruiter is tom", "withdraw_application"),
    ("what should i send them to find out whats going on", "follow_up"),
])
def test_more_everyday_names_of_a_message(advisor, text, expected):
    assert draft_named_in(advisor, text, {}) == expected
