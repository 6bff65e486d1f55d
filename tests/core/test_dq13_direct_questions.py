"""Round 13 (dq13): yes/no questions asked without "should i" - a judgement ("am i wrong to
keep my options open"), an obligation ("am i obliged to explain myself"), the manager asked
about by a pronoun after being named ("my head teacher doesnt know yet. should i tell her?"),
and the answer's yes or no turned to the way the question was framed ("would it be weird to
ask for more time?" is answered "No - it's normal", "can i ask for more time?" "Yes")."""

from __future__ import annotations

import pytest

from .helpers import real_advisor


def answered(text, known=None):
    return [(a.id, a.answer, a.evidence) for a in real_advisor().direct_answers(text, known or {})]


def ids(text, known=None):
    return [a for a, _, _ in answered(text, known)]


@pytest.mark.parametrize("text, known, question", [
    ("my head teacher doesnt know yet. should i tell her?", {"interview_type": "internal"},
     "tell_manager_if_internal"),
    ("my line manager dave has no clue about it. should i let him know?", {},
     "tell_manager_depends"),
    ("my ward manager is a bit funny about people leaving. do i tell her first?",
     {"interview_type": "internal"}, "tell_manager_if_internal"),
    # named in an earlier message: whether the manager knows is known
    ("should i tell her?", {"manager_aware": False, "interview_type": "external"},
     "tell_manager_if_external"),
])
def test_the_manager_by_a_pronoun(text, known, question):
    found = answered(text, known)
    assert found and found[0][0] == question
    assert "her" in found[0][2] or "him" in found[0][2]     # the question as written is quoted


@pytest.mark.parametrize("text, known", [
    ("the recruiter was lovely. should i tell her?", {}),     # nobody's manager named
    ("should i tell her?", {}),
    ("my manager doesnt know. she is on leave until june", {}),   # no question asked
])
def test_a_pronoun_without_the_manager_named_asks_nothing_of_them(text, known):
    assert not [q for q in ids(text, known) if q.startswith("tell_manager")]


@pytest.mark.parametrize("text, question", [
    ("am i wrong to keep my options open like this?", "keep_interviewing_dishonest"),
    ("would i be out of order to cancel on them with two days notice",
     "decline_after_interview_rude"),
    ("am i obliged to explain myself to the recruiter?", "withdraw_without_reason"),
    ("am i expected to justify my decision to them", "withdraw_without_reason"),
    ("do i have to tell amazon about the other offer", "mention_other_offers"),
])
def test_yes_no_questions_in_other_words(text, question):
    assert ids(text)[:1] == [question]


@pytest.mark.parametrize("text", [
    "i kept my options open last year and it worked out",
    "they expected me to explain myself for an hour",
])
def test_statements_ask_nothing(text):
    assert ids(text) == []


@pytest.mark.parametrize("text, question, first_word", [
    ("would it be weird to ask them for another week?", "more_time_to_decide", "No"),
    ("can i ask for more time to decide?", "more_time_to_decide", "Yes"),
    ("would it be cheeky to ask for the salary in writing", "offer_in_writing", "No"),
    ("is it ok to ask for the offer in writing?", "offer_in_writing", "Yes"),
    ("is it rude to decline the interview?", "decline_after_interview_rude", "No"),
    ("is it ok to withdraw now", "decline_after_interview_rude", "Yes"),
    ("is it dishonest to keep interviewing?", "keep_interviewing_dishonest", "No"),
    ("honestly is it ok to interview elsewhere while employed", "keep_interviewing_dishonest",
     "Yes"),
    ("am i wrong to keep my options open like this?", "keep_interviewing_dishonest", "No"),
])
def test_the_answer_follows_the_framing(text, question, first_word):
    found = answered(text)
    assert found[0][0] == question
    assert found[0][1].split()[0].strip(",") == first_word


def test_an_entry_without_a_framing_answers_the_same_whatever_is_asked():
    rulebase = real_advisor().rulebase
    question = rulebase.questions["keep_interviewing_should_i"]
    assert question.asked_as is None
    assert question.answer_for("worry") == question.answer_for("permission") == question.answer


def test_answer_other_way_is_given_only_for_the_other_framing():
    question = real_advisor().rulebase.questions["more_time_to_decide"]
    assert question.asked_as == "permission"
    assert question.answer_for("permission") == question.answer
    assert question.answer_for(None) == question.answer
    assert question.answer_for("worry") == question.answer_other_way
    assert question.answer_other_way.startswith("No")
