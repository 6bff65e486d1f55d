"""Round 14 (dq14): a reason given as "the reason was ..." and a correction opened by "mind you"
explain a red flag away; the workload where the person is ("im still covering two people's
work") tells how they feel about their job; a manager named and then a pronoun ("they'll ask
my manager for a reference and i havent said a word to her") says the manager does not know;
"pick between" / "choose between" asks for a comparison; direct questions with the words
between ("do i owe them an actual explanation?", "would it be rude to ask them to hurry things
along?")."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue import opportunities as opp
from interview_advisor.dialogue.answers import is_explanation
from interview_advisor.dialogue.state import State

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


def facts(advisor: Advisor, text: str) -> dict:
    return {k: v.value for k, v in advisor.detect(text).facts.items()}


def answered(advisor: Advisor, text: str, known=None) -> list:
    return [a.id for a in advisor.direct_answers(text, known or {})]


# -- explanations ---------------------------------------------------------------------------

CANCELLED = ("Carrow Engineering cancelled my second interview an hour before it was meant to "
             "start and never rebooked it")


@pytest.mark.parametrize("text", [
    "ok so the reason was the whole office got flooded, they rebooked me for monday",
    "reason being the hiring manager was rushed into hospital, hr rang me the next day",
    "mind you thats because the panel chair was off sick that week, they rang me the day after",
])
def test_a_reason_takes_the_flag_back(advisor, text):
    state, _ = talk(advisor, (CANCELLED, "describe_interview"))
    assert list(state.flags) == ["poor_communication"]
    state, turn = talk(advisor, (text, "describe_interview"), state=state)
    assert turn["withdrawn"] == ["poor_communication"] and not state.flags


@pytest.mark.parametrize("text", [
    "mind you they also never sent the contract",       # news after the opening
    "they said they'd call, mind you, and they didn't",    # not the opening words
])
def test_mind_you_not_opening_a_correction(advisor, text):
    assert not is_explanation(advisor, text)


# -- how they feel about the job they have: the workload ------------------------------------

@pytest.mark.parametrize("text", [
    "the extra cash is nice but im still covering two people's work since sam left",
    "honestly i'm doing the work of three people since the restructure",
    "we've been carrying two peoples workload for months",
])
def test_the_workload_where_they_are(advisor, text):
    assert facts(advisor, text).get("current_satisfaction") == "unsatisfied"


@pytest.mark.parametrize("text", [
    "the job at the new place sounds like doing the work of two people",
    "i was happy. still, doing the job of two people at the new place sounds hard",
])
def test_the_workload_of_another_job(advisor, text):
    assert facts(advisor, text).get("current_satisfaction") != "unsatisfied"


# -- the manager named, then a pronoun ------------------------------------------------------

def test_a_pronoun_after_the_manager_is_named(advisor):
    text = ("same council but a different department. they'll ask my manager for a reference "
            "and i havent said a word to her")
    assert facts(advisor, text).get("manager_aware") is False


@pytest.mark.parametrize("text", [
    "i havent said a word to her about the salary",                # nobody's manager named
    "my manager knows. i havent said a word to her husband",        # another sentence
])
def test_a_pronoun_without_the_manager_says_nothing_of_them(advisor, text):
    assert facts(advisor, text).get("manager_aware") is not False


# -- a comparison asked as "pick between" ---------------------------------------------------

@pytest.mark.parametrize("text", [
    "how am i supposed to pick between them?",
    "help, choosing between two offers",
    "no idea how to decide between them",
])
def test_pick_between_asks_for_a_comparison(advisor, text):
    state, _ = talk(advisor, ("Harcourt Bank and a startup called Quillby have both offered me "
                              "a job", "evaluate_offer"))
    assert len(opp.compared(state)) >= 2
    assert opp.asks_to_compare(advisor, state, text)


def test_pick_between_alone_asks_for_a_comparison(advisor):
    assert opp.asks_to_compare(advisor, State(), "pick between them?")


# -- direct questions with words between ----------------------------------------------------

@pytest.mark.parametrize("text", [
    "whats the etiquette here, do i owe them an actual explanation?",
    "do i owe the recruiter any real reason?",
])
def test_owing_them_an_explanation(advisor, text):
    assert answered(advisor, text)[:1] == ["withdraw_without_reason"]


def test_owing_them_an_explanation_as_a_statement(advisor):
    assert "withdraw_without_reason" not in answered(
        advisor, "i feel like i owe them a proper explanation")


@pytest.mark.parametrize("text", [
    "would it be rude to ask ladbrook to hurry things along?",
    "can i ask the agency to push things along?",
])
def test_asking_them_to_move_it_along(advisor, text):
    assert answered(advisor, text)[:1] == ["ask_to_speed_up"]


def test_asking_them_to_move_it_along_as_a_statement(advisor):
    assert "ask_to_speed_up" not in answered(advisor, "i asked them to move things along")


# -- a fact told or confirmed that the top advice turns on: the advice again ----------------

def _reply_after(advisor: Advisor, first: str, second: str, intent: str = "inform"):
    from interview_advisor.dialogue import advising, compose
    state, _ = talk(advisor, (first, "describe_interview"))
    previous = [a.rule for a in advising.assess(advisor, state).top()]
    state, turn = talk(advisor, (second, intent), state=state)
    assessment = advising.assess(advisor, state)
    return previous, compose.advice_reply(advisor, state, turn, assessment, None,
                                          previous_advice=previous)


INTERNAL = ("there's an internal opening on the finance team that i really want, i havent told "
            "my manager yet")


def test_a_confirmed_fact_shows_the_advice_that_turns_on_it_again(advisor):
    previous, reply = _reply_after(advisor, INTERNAL, "no my boss has no idea", "deny")
    assert "internal_tell_manager_first" in previous
    assert "internal_tell_manager_first" in reply.rule_ids


def test_nothing_told_leaves_the_advice_unchanged(advisor):
    from interview_advisor.dialogue import phrases
    _, reply = _reply_after(advisor, INTERNAL, "ok", "affirm")
    assert reply.rule_ids == [] and phrases.ADVICE_UNCHANGED in reply.message


def test_restated_facts_are_recorded_only_when_told_in_words(advisor):
    state, _ = talk(advisor, (INTERNAL, "describe_interview"))
    _, turn = talk(advisor, ("my boss has no clue", "inform"), state=state)
    assert turn.get("restated_facts", {}).get("manager_aware") is False
    assert "employed" not in turn.get("restated_facts", {})     # implied, not told
