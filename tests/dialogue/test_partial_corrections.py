"""Corrections that withdraw only part of what was said (issue 11): the clause after a contrast
("..., but they really were vague") or a sentence that says a part still stands ("the vague ad
bit still stands though") keeps its red flags, and the reply names them again; what the
correction names before it is withdrawn. Real rule base, real detection; no Rasa."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue.answers import flags_left_standing, standing_spans

from .conversation import talk

BOTH = ("the recruiter ghosted me for two weeks after the screen, and then in the interview "
        "nobody could tell me what the job even is", "describe_interview")


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("text", [
    "ok the recruiter thing was my fault, i gave them an old email. but they really were "
    "vague about the job",
    "fair enough the slow replies were on my end since i was away. the vague job bit still "
    "stands though",
])
def test_a_partial_correction_withdraws_only_what_it_names(advisor, text):
    state, _ = talk(advisor, BOTH)
    assert {"poor_communication", "vague_job_description"} <= set(state.flags)
    state, turn = talk(advisor, (text, "correct"), state=state)
    assert turn["withdrawn"] == ["poor_communication"]
    assert "vague_job_description" in state.flags
    assert "vague_job_description" in turn["flag_hits"]   # the reply says it still stands


def test_a_whole_correction_withdraws_what_it_names(advisor):
    state, _ = talk(advisor, BOTH)
    state, turn = talk(advisor, ("my bad, the recruiter replied fine, i was checking the wrong "
                                 "inbox", "correct"), state=state)
    assert turn["withdrawn"] == ["poor_communication"]
    assert "vague_job_description" in state.flags


@pytest.mark.parametrize("text, standing", [
    ("the pay bit was me misreading it, but they were vague about the role",
     ["vague_job_description"]),
    ("it was a misunderstanding about the replies. the culture thing is still a worry though",
     ["unclear_culture"]),
    ("they weren't vague at all, i misremembered", []),
    ("but actually they did reply", []),              # a contrast that opens the message
])
def test_what_a_correction_leaves_standing(advisor, text, standing):
    assert flags_left_standing(advisor, text, {}) == standing


def test_standing_part_runs_from_the_contrast_to_the_sentence_end(advisor):
    text = "the delay was my fault, but the role was vague. anyway thanks"
    (start, end), = standing_spans(advisor, text)
    assert text[start:end].strip() == "but the role was vague."
