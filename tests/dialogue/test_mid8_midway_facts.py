"""Statements made midway in everyday words (MID8): how the person feels about their boss and
current job, hedged certainty and interest, silence after the last round, an offer that came
through, a raise pushed back, a better new manager - each read at once, and the advice changes;
and in the comparison a harsh word a few words after "my boss" counts against the current job."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor, guard
from interview_advisor.dialogue import comparison
from interview_advisor.dialogue.advising import assess

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("text, fact, value", [
    ("tbh my line manager is a bit of a nightmare lately", "current_satisfaction", "unsatisfied"),
    ("my supervisor is awful to deal with, zero support", "current_satisfaction", "unsatisfied"),
    ("i have a director who never listens", "current_satisfaction", "unsatisfied"),
    ("i get on really well with my team", "current_satisfaction", "satisfied"),
    ("my job is so-so right now", "current_satisfaction", "mixed"),
    ("honestly i could see myself there", "interest", "interested"),
    ("part of me wants it and part of me doesnt", "interest", "unsure"),
    ("one day i want it, the next i dont", "interest", "unsure"),
    ("meh, kinda over it", "interest", "not_interested"),
    ("ive pretty much checked out of the process", "interest", "not_interested"),
    ("tbh i'd probably pass if they offered", "certain_to_decline", True),
    ("i'll most likely say thanks but no thanks", "certain_to_decline", True),
    ("i'd jump at the chance honestly", "certain_to_decline", False),
    ("not heard a word since my second interview", "stage", "done"),
    ("the offer finally came through today", "stage", "offer"),
    ("my promotion got pushed back again", "recent_improvement", False),
    ("the new boss is way better, work is good again", "recent_improvement", True),
    ("my manager wants me to apply for it", "manager_aware", True),
    ("our new head of department is making life hell", "current_satisfaction", "unsatisfied"),
    ("the pay was never the issue, it's the overtime", "current_satisfaction", "unsatisfied"),
    ("me and my team get on really well", "current_satisfaction", "satisfied"),
    ("bit of cold feet about it", "interest", "unsure"),
    ("i'd grab the offer in a second", "interest", "interested"),
    ("nah its just not me", "interest", "not_interested"),
    ("there's no chance i'd go for that", "certain_to_decline", True),
    ("sent them my portfolio and its been crickets", "stage", "done"),
    ("they need my yes or no by monday", "stage", "offer"),
    ("my boss matched the offer the same day", "recent_improvement", True),
])
def test_everyday_words_set_the_fact(advisor, text, fact, value):
    state, _ = talk(advisor, ("interview at Corran Labs next week", "describe_interview"),
                    (text, "inform"))
    assert state.fact_value(fact) == value


@pytest.mark.parametrize("text, fact", [
    ("the hiring manager there was a nightmare", "current_satisfaction"),
    ("i hope an offer comes through soon", "stage"),
    ("i can't see myself working there", "certain_to_decline"),
    ("i'd never pass on an offer like that", "certain_to_decline"),
    ("the new place would underpay me", "current_satisfaction"),
])
def test_near_misses_do_not(advisor, text, fact):
    assert fact not in advisor.detect(text).facts


def test_a_nightmare_boss_stops_the_doing_well_advice(advisor):
    state, _ = talk(advisor, ("i'm happy where i am, but i have a second interview at Corran "
                              "Labs on friday", "ask_keep_interviewing"),
                    ("also i'm in three other processes", "inform"))
    assert "keep_interviewing_triage_requests" in [a.rule for a in assess(advisor, state).advice]
    state, _ = talk(advisor, ("actually my boss is kind of a nightmare", "inform"), state=state)
    assert state.fact_value("current_satisfaction") == "unsatisfied"
    assert "keep_interviewing_triage_requests" not in \
        [a.rule for a in assess(advisor, state).advice]


@pytest.mark.parametrize("clause, topic, status", [
    # the harsh word is five words after "team", past another topic's words in the clause
    ("remote work with a team that is kind of a nightmare", "topic_team_and_relationships",
     "against"),
    # "manager" names the team; "good" describes the hours, "nightmare" the manager
    ("good hours with a manager who seemed like a total nightmare",
     "topic_team_and_relationships", "against"),
    ("good hours with a manager who seemed like a total nightmare", "topic_work_life_balance",
     "for"),
    ("the hours are long but the manager there seemed really lovely",
     "topic_team_and_relationships", "for"),
])
def test_the_words_about_a_topic_are_those_of_its_part_of_the_clause(advisor, clause, topic,
                                                                    status):
    state, _ = talk(advisor, (f"I got an offer from Initech. {clause}", "evaluate_offer"),
                    ("Hooli offered me a job too", "evaluate_offer"))
    initech = next(o for o in comparison.compare(advisor, state).options
                   if o.opportunity == "Initech")
    assert next(c for c in initech.cells if c.topic == topic).status == status


def test_the_hiring_manager_is_not_the_team(advisor):
    state, _ = talk(advisor, ("I got an offer from Initech. the hiring manager was lovely but "
                              "the pay is low", "evaluate_offer"),
                    ("Hooli offered me a job too", "evaluate_offer"))
    initech = next(o for o in comparison.compare(advisor, state).options
                   if o.opportunity == "Initech")
    team = [c for c in initech.cells if c.topic == "topic_team_and_relationships"]
    assert not team or team[0].status == "unknown"


@pytest.mark.parametrize("text", [
    "meh, i've kind of checked out of it to be honest",
    "ngl kinda gonna get out of it",
])
def test_casual_english_is_not_taken_for_another_language(text):
    assert guard.other_language(text) is None


@pytest.mark.parametrize("text, answer", [
    ("Kemnay Group came back with 58k for the analyst job, should i accept?",
     "accept_first_offer"),
    ("i'm content where i am but Dallas Robotics want me in for a chat. worth going?",
     "keep_interviewing_should_i"),
    ("do i need to decide on the phone or can i sleep on it", "answer_offer_straight_away"),
    ("final round at Kinneff next week. should i go even though i only half want it?",
     "keep_interviewing_should_i"),
    ("should i cancel tomorrows interview with Muchalls?", "should_i_withdraw"),
])
def test_a_dilemma_asked_in_passing_gets_a_direct_answer(advisor, text, answer):
    assert answer in [a.id for a in advisor.direct_answers(text, {})]


def test_should_i_accept_something_else_is_not_about_the_offer(advisor):
    assert "accept_first_offer" not in \
        [a.id for a in advisor.direct_answers("should i accept their terms for the call", {})]


def test_what_do_i_do_after_an_offer_gets_a_direct_answer(advisor):
    text = ("Alvie offered me a senior role, 15k more. my employer found out and says they'll "
            "match it. what do i do")
    assert "offer_what_now" in [a.id for a in advisor.direct_answers(text, {})]
    assert "offer_what_now" not in \
        [a.id for a in advisor.direct_answers("what do i do when they ghost me", {})]
