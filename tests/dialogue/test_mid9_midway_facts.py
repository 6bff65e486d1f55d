"""Statements made midway (MID9): hedged wanting ("i really fancy it", "would be well chuffed to
get it", "leaning towards yes"), shrugs ("idk if its for me", "half and half about it"), how the
current job feels told as a feeling or a story ("i feel completely invisible", "current place is
doing my head in", "since the reorg i report to someone i barely know"), a raise told with its
size, a promotion that "changed nothing" (it still happened), a start date as an offer - and a
bare "not sure tbh." said when no question is pending."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("text, fact, value", [
    ("honestly i really fancy this one", "interest", "interested"),
    ("reckon i'd probably quite like working there", "interest", "interested"),
    ("would be dead chuffed if they picked me", "interest", "interested"),
    ("leaning towards saying yes tbh", "interest", "interested"),
    ("dunno if its right for me tho", "interest", "unsure"),
    ("kind of half and half on it", "interest", "unsure"),
    ("i feel so undervalued at my place", "current_satisfaction", "unsatisfied"),
    ("my boss is doing my head in lately", "current_satisfaction", "unsatisfied"),
    ("these days i report to a guy i've never met", "current_satisfaction", "unsatisfied"),
    ("they upped me 4% in the summer review", "recent_improvement", True),
    ("got promoted in march but nothing really changed", "recent_improvement", True),
    ("they want me to start on monday", "stage", "offer"),
])
def test_everyday_words_set_the_fact(advisor, text, fact, value):
    state, _ = talk(advisor, ("interview at Corran Labs next week", "describe_interview"),
                    (text, "inform"))
    assert state.fact_value(fact) == value


@pytest.mark.parametrize("text, fact", [
    ("i dont really fancy it", "interest"),
    ("i wouldn't be thrilled to get it", "interest"),
    ("i'd feel undervalued there", "current_satisfaction"),
    ("they'd want me to start in january if i get it", "stage"),
])
def test_negated_or_hypothetical_words_do_not(advisor, text, fact):
    state, _ = talk(advisor, ("interview at Corran Labs next week", "describe_interview"),
                    (text, "inform"))
    assert state.fact_value(fact) is None or fact == "stage"
    if fact == "stage":
        assert state.fact_value(fact) == "upcoming"


@pytest.mark.parametrize("text", ["not sure tbh.", "no idea tbh", "maybe, not sure", "idk tbh",
                                  "dunno honestly"])
def test_a_bare_hedge_with_no_question_pending_is_unsure_about_the_role(advisor, text):
    state, turn = talk(advisor, ("interview at Corran Labs next week", "describe_interview"),
                       (text, "inform"))
    assert state.fact_value("interest") == "unsure"
    assert turn["new_facts"].get("interest") == "unsure"


def test_a_bare_hedge_to_another_question_is_no_interest(advisor, monkeypatch):
    # the phrase patterns and this reading only (the statistical reader is retrained often)
    monkeypatch.setattr(advisor, "reader", None)
    state, _ = talk(advisor, ("interview at Corran Labs next week", "describe_interview"))
    state.pending_question = "interview_type"
    state, _ = talk(advisor, ("not sure tbh.", "inform"), state=state)
    assert state.fact_value("interest") is None


@pytest.mark.parametrize("text, name", [
    ("brightwater wants me in by monday", "brightwater"),
    ("ok so. glenfarg analytics rang me back this morning", "glenfarg analytics"),
])
def test_a_lower_case_company_opening_a_sentence_is_named(advisor, text, name):
    state, _ = talk(advisor, (text, "describe_interview"))
    assert [o.get("name") for o in state.opportunities] == [name]


@pytest.mark.parametrize("text", ["honestly they want me in by monday",
                                  "sarah wants me to call her back"])
def test_an_english_word_or_a_person_opening_a_sentence_is_no_company(advisor, text):
    state, _ = talk(advisor, (text, "describe_interview"))
    assert not state.opportunities


def test_a_day_after_the_question_dates_the_interview(advisor):
    state, _ = talk(advisor, ("should i skip the second interview with Quarrytown? its on "
                              "tuesday", "ask_withdraw"))
    assert state.fact_value("stage") == "upcoming"


def test_is_it_bad_to_go_asks_whether_to_keep_interviewing(advisor):
    answers = advisor.direct_answers("a recruiter lined up an interview for next week. is it "
                                     "bad to go?", {})
    assert [a.id for a in answers][:1] == ["keep_interviewing_should_i"]
