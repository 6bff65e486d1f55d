""""Compare them" with one option known (found trying the bot: it answered "That doesn't change
my advice"): with a job now, the role is compared with staying; otherwise the reply says what is
missing. A longer message that only uses the words ("stay or go? ...") is read as what it says.
Dialogue core, real rule base; no Rasa."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue import compose_opportunities as several
from interview_advisor.dialogue import opportunities as opp
from interview_advisor.dialogue import phrases

from .conversation import talk

OFFER = ("I've got an offer from Brightwater, 78k but 5 days in the office", "evaluate_offer")


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


def test_one_role_and_a_job_now_is_compared_with_staying(advisor):
    state, _ = talk(advisor, OFFER, ("i've been at my current place 3 years, it's ok but the "
                                     "pay is low", "inform"))
    assert state.facts["employed"]["value"] is True
    state, turn = talk(advisor, ("compare them", "evaluate_offer"), state=state)
    assert turn.get("compare")
    assert [e["kind"] for e in opp.compared(state)] == ["company", "current"]
    reply = several.comparison_reply(advisor, state)
    assert reply.comparison is not None
    assert sorted(o.opportunity for o in reply.comparison.options) == \
        ["Brightwater", "your current job"]


def test_one_role_alone_gets_told_what_a_comparison_needs(advisor):
    state, _ = talk(advisor, OFFER)
    state, turn = talk(advisor, ("can you compare them?", "evaluate_offer"), state=state)
    assert turn.get("compare")
    reply = several.comparison_reply(advisor, state)
    assert reply.comparison is None and reply.message == phrases.COMPARE_NEED_TWO


def test_a_story_that_uses_the_words_is_read_as_a_story(advisor):
    state, _ = talk(advisor, OFFER)
    state, turn = talk(advisor, ("honestly stay or go? the offer is 10k more but the recruiter "
                                 "keeps changing what the role is", "ask_keep_interviewing"),
                       state=state)
    assert not turn.get("compare")
    assert "vague_job_description" in state.flags


@pytest.mark.parametrize("ask", ["compare it with staying", "which is better, this or just "
                                 "staying?"])
def test_asking_to_compare_with_staying_says_there_is_a_job_to_stay_in(advisor, ask):
    """Nothing told whether they have a job, but "compare it with staying" says so (found
    trying the bot: it asked to be told whether staying is an option)."""
    state, _ = talk(advisor, OFFER)
    assert "employed" not in state.facts
    state, turn = talk(advisor, (ask, "evaluate_offer"), state=state)
    assert turn.get("compare") and state.facts["employed"]["value"] is True
    assert [e["kind"] for e in opp.compared(state)] == ["company", "current"]
