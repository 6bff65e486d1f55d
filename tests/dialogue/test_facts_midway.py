"""Facts told midway (issue 11, FACTS2): a fact that only someone with a job can have says they
are employed, a story is not the answer to a pending question because it shares its words, and
"a UX role" is the kind of job, not a company."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue.state import State

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


def value(state, fact_id):
    return (state.facts.get(fact_id) or {}).get("value")


@pytest.mark.parametrize("text", [
    "my boss has no clue i applied to the other place",
    "it's an internal position and the interview is next week",
    "they bumped my salary up in september",
])
def test_a_fact_about_the_current_job_says_they_are_employed(advisor, text):
    state, turn = talk(advisor, (text, "inform"))
    assert value(state, "employed") is True


def test_being_out_of_work_is_not_overridden(advisor):
    state, _ = talk(advisor, ("i lost my job in may and my old manager knows i'm interviewing",
                              "inform"))
    assert value(state, "employed") is False


def test_a_story_is_not_the_answer_to_the_pending_question(advisor):
    state = State(pending_question="interest", asked=["interest"])
    state, _ = talk(advisor, ("the folks on my team are lovely, it's just the salary that's meh "
                              "and has been for years", "inform"), state=state)
    assert value(state, "interest") is None
    assert value(state, "current_satisfaction") == "mixed"


def test_a_short_reply_still_answers_the_pending_question(advisor):
    state = State(pending_question="interest", asked=["interest"])
    state, _ = talk(advisor, ("meh, not really", "inform"), state=state)
    assert value(state, "interest") == "not_interested"


@pytest.mark.parametrize("text, expected", [
    ("i mean i want it yeah, its 8k more and fully remote", "interested"),
    ("not sure tbh - the pay is 8k more but the commute is awful", "unsure"),
])
def test_an_answer_in_the_opening_clause_counts_though_more_follows(advisor, text, expected):
    """Found in make shell: "i mean i want it yeah, its 8k more and fully remote" to "how much
    do you want this job?" was read only as news about the pay, and the bot went on to ask
    whether they were sure they would say no."""
    state = State(pending_question="interest", asked=["interest"])
    state, turn = talk(advisor, (text, "inform"), state=state)
    assert value(state, "interest") == expected
    assert value(state, "better_pay_or_title") is True      # and the rest is read too
    assert turn["answered"] == "interest"


def test_an_acronym_after_an_article_is_not_a_company(advisor):
    state, _ = talk(advisor, ("had a video interview at Norrow last week for an IT role",
                              "describe_interview"),
                    ("they rang this morning and offered it to me", "inform"))
    assert [e["name"] for e in state.opportunities] == ["Norrow"]
    assert value(state, "stage") == "offer"


def test_a_company_after_an_article_is_still_a_company(advisor):
    state, _ = talk(advisor, ("I have a Hooli offer and an Initech interview next week",
                              "describe_interview"))
    assert [e["name"] for e in state.opportunities] == ["Hooli", "Initech"]


@pytest.mark.parametrize("text", [
    "had my first round on wednesday, the second one is next week",
    "the second round is next week, the first went fine",
])
def test_a_round_still_ahead_prevails_over_one_behind_whatever_the_order(advisor, text):
    state, _ = talk(advisor, (text, "describe_interview"))
    assert value(state, "stage") == "upcoming"


def test_without_a_round_ahead_the_last_value_read_still_wins(advisor):
    state, _ = talk(advisor, ("they turned me down after the interview i had on monday",
                              "report_rejection"))
    assert value(state, "stage") == "rejected"


# --- FACTS4: facts said in passing ---------------------------------------------------------------

def test_invited_back_for_a_round_is_ahead(advisor):
    state, _ = talk(advisor, ("Harlow & Teague offered me the job but Mossgiel still wants me "
                              "for a final round", "evaluate_offer"))
    mossgiel = next(e for e in state.opportunities if e["name"] == "Mossgiel")
    facts = state.facts if state.active == mossgiel["id"] else mossgiel.get("facts", {})
    assert (facts.get("stage") or {}).get("value") == "upcoming"
    state, _ = talk(advisor, ("so the Osric people want me back for round 3", "inform"))
    assert value(state, "stage") == "upcoming"


def test_pay_against_what_they_are_on_now_says_they_are_employed(advisor):
    state, _ = talk(advisor, ("its a lot more than what im on now", "inform"))
    assert value(state, "employed") is True
    assert value(state, "better_pay_or_title") is True


def test_accepted_elsewhere_and_not_showing_up_is_backing_out(advisor):
    state, _ = talk(advisor, ("ive accepted an offer somewhere else but Wendover Clinics still "
                              "have me down for a second interview monday. can i just not turn "
                              "up?", "ask_withdraw"))
    assert value(state, "question") == "back_out"
    assert value(state, "stage") == "upcoming"          # this one is ahead, not an offer
    assert value(state, "multiple_processes") is True


def test_if_im_honest_is_no_condition(advisor):
    state, _ = talk(advisor, ("if im honest that job is what ive wanted for ages", "inform"))
    assert value(state, "interest") == "interested"
    state, _ = talk(advisor, ("if they made me an offer i would want it", "inform"))
    assert value(state, "stage") is None


@pytest.mark.parametrize("text, fact_id, words", [
    # the stage read from "called ... on friday" alone, a raise cut after "12%"
    ("i have a final round with a fintech called Larkspur on friday", "stage",
     "i have a final round with a fintech called Larkspur on friday"),
    ("but plot twist, my boss just gave me a 12% raise out of nowhere", "recent_improvement",
     "my boss just gave me a 12% raise out of nowhere"),
])
def test_a_fact_is_quoted_with_the_words_that_carry_it(advisor, text, fact_id, words):
    state, _ = talk(advisor, (text, "inform"))
    assert state.facts[fact_id]["quote"] == words


def test_a_fact_quote_does_not_reach_back_over_a_long_clause(advisor):
    text = ("so basically my manager and the whole team upstairs keep telling everyone that "
            "the interview is next week")
    state, _ = talk(advisor, (text, "inform"))
    quote = state.facts["stage"]["quote"]
    assert quote.endswith("next week") and not quote.startswith("so basically")
