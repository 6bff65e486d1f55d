"""An answer to the bot's question is quoted by the sentence that gives it, not by the whole
message: "different company obviously lol." out of "different company obviously lol. should i
tell my boss im looking?". Real rule base, real reading; no Rasa."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue.answers import answer_span
from interview_advisor.dialogue.state import State

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("pending, text, sentence", [
    ("interview_type", "different company obviously lol. should i tell my boss im looking?",
     "different company obviously lol."),
    ("interview_type", "hmm good q. it's at another company", "it's at another company"),
    ("interest", "not sure tbh. pay would be like 12k more but idk", "not sure tbh."),
    ("interview_type", "another company", "another company"),
])
def test_the_answer_is_quoted_by_its_own_sentence(advisor, pending, text, sentence):
    """Read as the answer or by the fact's own phrases, the quote stays in its sentence."""
    state = State(pending_question=pending, asked=[pending])
    state, turn = talk(advisor, (text, "inform"), state=state)
    entry = state.facts[pending]
    assert entry["quote"] and entry["quote"] in sentence
    assert turn["answered"] == pending or entry["source"] == "text"


def test_an_answer_read_as_such_is_quoted_by_its_sentence(advisor):
    text = "different company obviously lol. should i tell my boss im looking?"
    state = State(pending_question="interview_type", asked=["interview_type"])
    state, turn = talk(advisor, (text, "inform"), state=state)
    entry = state.facts["interview_type"]
    assert (turn["answered"], entry["source"], entry["value"]) == \
        ("interview_type", "answer", "external")
    assert (entry["quote"], entry["start"], entry["end"]) == \
        ("different company obviously lol.", 0, 32)


def test_a_yes_or_no_is_quoted_by_the_first_sentence(advisor):
    assert answer_span(advisor, "manager_aware", True, "yes. she knows i applied") == (0, 4)


def test_no_single_sentence_naming_the_answer_quotes_the_whole_message(advisor):
    text = "the job. is it at another place? kind of, a sister company"
    assert answer_span(advisor, "interview_type", "internal", text) == (0, len(text))
