"""Round 15 (dil15): a self-correction that quotes the flagged words - a figure said again
counts, whatever its length - is about that flag, even when it names another subject on the
way ("hang on i got that wrong, the 35-40 was for the senior version of the role")."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("story, correction", [
    ("the job ad said 35-40k but in the interview they said the offer would be 33k to start",
     "hang on i got that wrong, the 35-40 was for the senior version of the role, they had "
     "two ads up and i mixed them up"),
    ("the listing promised 30 days holiday and at the interview they said it's 25",
     "scratch that, the 30 days was for the manager role, i was reading the wrong listing"),
    ("the advert said 4 day week but the recruiter said it's five days in the office",
     "hang on, the 4 day week was another team's job, i had the wrong advert open"),
])
def test_a_correction_quoting_the_flag_takes_it_back(advisor, story, correction):
    state, _ = talk(advisor, (story, "describe_interview"))
    assert "unrealistic_expectations" in state.flags
    state, turn = talk(advisor, (correction, "correct"), state=state)
    assert "unrealistic_expectations" in turn["withdrawn"]
    assert not state.flags


def test_a_correction_about_another_subject_leaves_the_flag(advisor):
    state, _ = talk(advisor, ("the job ad said 35-40k but in the interview they said the offer "
                              "would be 33k to start", "describe_interview"))
    state, turn = talk(advisor, ("hang on, the role itself is fine, they described it well",
                                 "correct"), state=state)
    assert "unrealistic_expectations" in state.flags
