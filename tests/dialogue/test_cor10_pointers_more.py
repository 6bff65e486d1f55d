"""Round 10, second step: a pointer whose comment follows in the next clause, a dropped pointer
whose subject names nothing else, a quote matched without an adverb ending, "so it makes sense"
as an explanation, and two more question wordings. Real rule base and spaCy; no Rasa."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue.answers import word_stem

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


def test_a_pointer_commented_on_in_the_next_clause(advisor):
    state, _ = talk(advisor, ("my friends there only ever rave about it, no downsides at all",
                              "describe_interview"))
    assert "overly_positive_acquaintances" in state.flags
    state, _ = talk(advisor, ("the raving thing, scrap it. one of them hates her manager",
                              "describe_interview"), state=state)
    assert "overly_positive_acquaintances" not in state.flags


def test_a_dropped_pointer_to_an_unnamed_subject_takes_the_only_flag(advisor):
    state, _ = talk(advisor, ("the coordinator cancelled on me twice and never explained",
                              "describe_interview"))
    assert list(state.flags) == ["poor_communication"]
    state, _ = talk(advisor, ("ignore all the coordinator stuff, she was off sick",
                              "describe_interview"), state=state)
    assert not state.flags


def test_word_stem_drops_adverb_endings_only():
    assert word_stem("differently") == "different"
    assert word_stem("only") == "only"
    assert word_stem("reply") == "reply"


def test_so_it_makes_sense_explains_a_flag_away(advisor):
    state, _ = talk(advisor, ("nobody agreed on what the culture is, everyone answered it "
                              "differently", "describe_interview"))
    assert "unclear_culture" in state.flags
    state, _ = talk(advisor, ("they were from three different offices, so it makes sense",
                              "describe_interview"), state=state)
    assert "unclear_culture" not in state.flags


@pytest.mark.parametrize("text, question", [
    ("whats the harm in not answering the phone when they ring me",
     "no_show_instead_of_withdrawing"),
    ("am i too pushy asking for the offer in writing", "offer_in_writing"),
])
def test_more_question_wordings(advisor, text, question):
    assert [a.id for a in advisor.direct_answers(text)][:1] == [question]


def test_setting_a_subject_aside_for_now_keeps_its_flag(advisor):
    state, _ = talk(advisor, ("the ad promised fully remote and now they want three office days",
                              "describe_interview"))
    assert "unrealistic_expectations" in state.flags
    state, _ = talk(advisor, ("forget the remote stuff for a sec, how do i ask about the bonus",
                              "describe_interview"), state=state)
    assert "unrealistic_expectations" in state.flags


def test_calling_it_expected_explains_it_away(advisor):
    state, _ = talk(advisor, ("the founder couldnt say what they value or where they are going",
                              "describe_interview"))
    assert "unclear_culture" in state.flags
    state, _ = talk(advisor, ("they only started in march, which is to be expected then",
                              "describe_interview"), state=state)
    assert "unclear_culture" not in state.flags


def test_how_bad_would_it_look_asks_can_i(advisor):
    answers = advisor.direct_answers("how awkward would it be if i asked for more time to decide")
    assert [a.id for a in answers][:1] == ["more_time_to_decide"]
