"""Direct questions the seeds have no advice on get a plain "no advice on that", and the bot does
not ask whether a role is internal while two named companies are weighed (DLM7)."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue.advising import assess, choose_question, settled_by_names

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("text", [
    "should i mention the gap if they ask",
    "i was off for two years raising my kids, how do i explain that in the interview?",
    "theres a gap on my resume from when i was ill. should i bring it up",
])
def test_a_gap_question_gets_a_plain_no_advice_answer(advisor, text):
    answers = advisor.direct_answers(text)
    assert answers and answers[0].id == "not_covered_employment_gap"
    assert answers[0].answer.startswith("I have no advice on that")
    assert answers[0].source["seed"] == "none"


@pytest.mark.parametrize("text", [
    "there was a two week gap between the first and second round",
    "the gap between their offer and my current pay is small",
])
def test_a_gap_that_is_not_about_a_cv_is_not_that_question(advisor, text):
    assert "not_covered_employment_gap" not in [a.id for a in advisor.direct_answers(text)]


def test_two_named_offers_do_not_get_the_internal_or_external_question(advisor):
    state, turn = talk(advisor,
                       ("so Ellis Grant and Corvid Labs both came back with offers this week",
                        "evaluate_offer"))
    assert settled_by_names(advisor, state, "interview_type")
    question = choose_question(advisor, state, assess(advisor, state), turn)
    assert question is None or question.fact != "interview_type"


def test_one_named_company_still_may_be_the_persons_own(advisor):
    state, _ = talk(advisor, ("Corvid Labs came back with an offer this week", "evaluate_offer"))
    assert not settled_by_names(advisor, state, "interview_type")
    assert "interview_type" in [q.fact for q in assess(advisor, state).questions]
