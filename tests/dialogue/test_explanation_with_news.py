"""An explanation that tells something new on the way still explains the flag away."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor

from .conversation import talk

STORY = ("the recruiter at Lyle Logistics went completely quiet for a fortnight and missed the "
         "call we had booked")


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


def test_an_explanation_that_also_answers_the_question_takes_the_flag_back(advisor):
    """ "her colleague rang me this morning" also answered "where are you in the process?",
    and a message that told a new fact was not allowed to take back the only flag."""
    state, _ = talk(advisor, (STORY, "describe_interview"))
    assert list(state.flags) == ["poor_communication"]
    state.pending_question, state.asked = "stage", ["stage"]
    state, turn = talk(advisor, ("turns out she was off sick, her colleague rang me this "
                                 "morning and explained it all", "correct"), state=state)
    assert turn["withdrawn"] == ["poor_communication"] and not state.flags
    assert state.facts["stage"]["value"] == "done"          # the news is kept too


def test_a_correction_of_a_fact_leaves_the_only_flag_standing(advisor):
    state, _ = talk(advisor, (STORY + ". its an internal role btw", "describe_interview"))
    assert state.facts["interview_type"]["value"] == "internal"
    state, turn = talk(advisor, ("sorry my mistake, its actually at another company, they "
                                 "explained the role is with a sister firm", "correct"),
                       state=state)
    assert state.facts["interview_type"]["value"] == "external"
    assert "poor_communication" in state.flags and not turn["withdrawn"]
