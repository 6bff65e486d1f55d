"""Round 10 (corrections, direct questions): a correction that points at a red flag by its
subject ("scrap the role thing", "what i said about the pay isnt true") takes it back even when
NLU files it as a story, and its words are not new evidence; "hmm not quite" opens a
correction; a cause on the person's side or a wrong version of the ad explains the flag away;
unusual question wordings get their answer. Real rule base and spaCy; no Rasa."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue.pointers import flags_pointed_at, pointers_in

from .conversation import talk

TWO_FLAGS = ("the recruiter never answers my emails and nobody could tell me what the duties "
             "of the job are", "describe_interview")


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


def test_pointers_are_read_clause_by_clause():
    assert [(s, d) for s, d, _ in pointers_in("ok forget the role thing, it was fine")] == \
        [("role", True)]
    assert [(s, d) for s, d, _ in pointers_in("what i said about the recruiter isnt true")] == \
        [("the recruiter", False)]
    assert not pointers_in("they explained the day to day well")


@pytest.mark.parametrize("text", [
    "ok ignore the role thing, they went through the duties properly in the end",
    "that bit about the duties is wrong, the pack spelled them out",
    "ditch my role comment, it was clear once i read the pack",
])
def test_a_pointer_takes_back_only_the_flag_it_points_at(advisor, text):
    state, _ = talk(advisor, TWO_FLAGS)
    assert {"poor_communication", "vague_job_description"} <= set(state.flags)
    state, turn = talk(advisor, (text, "describe_interview"), state=state)
    assert "vague_job_description" not in state.flags
    assert "poor_communication" in state.flags
    assert turn["withdrawn"] == ["vague_job_description"]


@pytest.mark.parametrize("text", [
    "the role thing really bugs me, i keep thinking about it",
    "ok the recruiter was slow but the role thing still stands",
])
def test_a_pointer_that_does_not_say_it_was_wrong_keeps_the_flag(advisor, text):
    state, _ = talk(advisor, TWO_FLAGS)
    state, _ = talk(advisor, (text, "describe_interview"), state=state)
    assert "vague_job_description" in state.flags


def test_a_pointer_names_a_flag_by_its_quoted_words(advisor):
    state, _ = talk(advisor, ("they kept rescheduling and went silent for a fortnight",
                              "describe_interview"))
    assert flags_pointed_at(advisor, state, "scrap the rescheduling stuff") == \
        ["poor_communication"]


def test_not_quite_opens_a_correction(advisor):
    state, _ = talk(advisor, ("my cousin works there and says it is perfect, not one downside",
                              "describe_interview"))
    state, _ = talk(advisor, ("hm not exactly. she did grumble about the long commute",
                              "describe_interview"), state=state)
    assert "overly_positive_acquaintances" not in state.flags


@pytest.mark.parametrize("first, second, flag", [
    ("they moved my interview four times, so disorganised",
     "to me it looked messy but that was because i asked them to move it", "poor_communication"),
    ("the listing said fully remote and now they want me in the office daily",
     "oh i was reading an outdated version of the listing", "unrealistic_expectations"),
    ("the listing said fully remote and now they want me in the office daily",
     "the remote part was a typo in the listing, they fixed it since", "unrealistic_expectations"),
])
def test_a_cause_on_my_side_or_a_wrong_version_explains_it_away(advisor, first, second, flag):
    state, _ = talk(advisor, (first, "describe_interview"))
    assert flag in state.flags
    state, _ = talk(advisor, (second, "describe_interview"), state=state)
    assert flag not in state.flags


@pytest.mark.parametrize("text, question", [
    ("if i walk away after saying yes to her, is that terrible", "back_out_after_accepting"),
    ("is that a bad sign, they couldnt say what i would be working on", "vague_role_red_flag"),
    ("what is the etiquette around asking for a few more days", "more_time_to_decide"),
])
def test_unusual_question_wordings_get_their_answer(advisor, text, question):
    assert [a.id for a in advisor.direct_answers(text)][:1] == [question]
