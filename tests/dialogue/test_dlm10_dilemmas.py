"""Dilemmas (DLM10): a promotion that came through is news about the current job, not an internal
role applied for; a swinging feeling about the job is mixed; liking the current job is not
wanting the new one; being scared of the jump is being unsure; "is there any point?" asks whether
to keep interviewing; "should i email them back?" after a rejection gets a direct answer."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


def test_granted_promotion_is_not_an_internal_role(advisor):
    state, _ = talk(advisor, (
        "so my promotion to team lead finally came through in may, and i have a final round at "
        "Corran Labs on monday. do i even go?", "ask_keep_interviewing"))
    assert state.fact_value("recent_improvement") is True
    assert not any(o.get("kind") == "internal" for o in state.opportunities)
    state, _ = talk(advisor, ("honestly part of me wants the change and part of me doesnt",
                              "inform"), state=state)
    assert state.fact_value("interest") == "unsure"


def test_promotion_applied_for_is_still_an_internal_role(advisor):
    state, _ = talk(advisor, ("im going for my promotion and i also have an interview at "
                              "Corran Labs", "describe_interview"))
    assert any(o.get("kind") == "internal" for o in state.opportunities)


@pytest.mark.parametrize("text, fact, value", [
    ("some days i love my job, some days i could scream", "current_satisfaction", "mixed"),
    ("tbh im a bit scared to make the jump", "interest", "unsure"),
    ("the pay rise finally went through last month", "recent_improvement", True),
])
def test_everyday_words_set_the_fact(advisor, text, fact, value):
    state, _ = talk(advisor, ("interview at Corran Labs next week", "describe_interview"),
                    (text, "inform"))
    assert state.fact_value(fact) == value


def test_liking_the_current_job_is_not_wanting_this_one(advisor):
    state, _ = talk(advisor, ("interview at Corran Labs next week but i actually really like "
                              "my current job", "describe_interview"))
    assert state.fact_value("interest") is None
    assert state.fact_value("current_satisfaction") == "satisfied"


def test_any_point_asks_whether_to_keep_interviewing(advisor):
    answers = advisor.direct_answers("they want me in next week. is there any point?", {})
    assert answers and answers[0].id == "keep_interviewing_should_i"


def test_reply_to_rejection_is_answered(advisor):
    answers = advisor.direct_answers("should i email them back or just leave it",
                                     {"stage": "rejected"})
    assert answers and answers[0].id == "reply_to_rejection"


def test_a_date_alone_answers_no_question_but_is_not_unclear(advisor):
    state, _ = talk(advisor, ("a recruiter got me an interview with Corran Labs",
                              "describe_interview"))
    state.pending_question = "interview_type"
    state, turn = talk(advisor, ("its in two weeks, first round", "inform"), state=state)
    assert state.fact_value("stage") == "upcoming"
    assert not turn.get("unclear_answer")
