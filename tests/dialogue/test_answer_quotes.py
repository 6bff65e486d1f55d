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


def test_an_answer_is_quoted_by_the_sentence_that_names_it(advisor):
    text = "different company obviously lol. should i tell my boss im looking?"
    assert answer_span(advisor, "interview_type", "external", text) == (0, 32)
    text = "hmm good question. it's at another company"
    assert text[slice(*answer_span(advisor, "interview_type", "external", text))] == \
        "it's at another company"


def test_a_short_opening_answer_counts_though_the_rest_tells_more(advisor):
    """"not sure tbh. pay would be like 12k more but idk" to "how much do you want it?": the
    rest told something else (better pay), but the opening sentence is the answer."""
    state = State(pending_question="interest", asked=["interest"])
    state, turn = talk(advisor, ("not sure tbh. pay would be like 12k more but idk", "inform"),
                       state=state)
    assert state.facts["better_pay_or_title"]["value"] is True
    assert turn["answered"] == "interest" and state.facts["interest"]["value"] == "unsure"
    assert state.facts["interest"]["quote"] == "not sure tbh."


def test_a_yes_or_no_is_quoted_by_the_first_sentence(advisor):
    assert answer_span(advisor, "manager_aware", True, "yes. she knows i applied") == (0, 4)


def test_no_single_sentence_naming_the_answer_quotes_the_whole_message(advisor):
    text = "the job. is it at another place? kind of, a sister company"
    assert answer_span(advisor, "interview_type", "internal", text) == (0, len(text))
