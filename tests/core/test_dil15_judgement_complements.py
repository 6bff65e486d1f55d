"""Round 15 (dil15): a yes/no question asked as a judgement in other words ("is it weird
to ...", "am i an idiot for ...", "would i be mad to ...") and what it judges read in the plain
form that follows "is it bad to": a conditional's past ("would it be bad if i still went"), a
gerund after "for" ("for going back on it"), "didnt" + verb, and a wrapper such as "thinking
about" or "considering" dropped first. The answer's yes or no turns with the framing: "am i an
idiot for asking ...?" is a worry, answered "No"."""

from __future__ import annotations

import pytest

from interview_advisor.engine import plain_complement

from .helpers import real_advisor

WRAPPERS = ["thinking|think about|of", "considering|consider", "wanting|want to"]


def answered(text, known=None):
    return [(a.id, a.answer) for a in real_advisor().direct_answers(text, known or {})]


@pytest.mark.parametrize("rest, plain", [
    ("still went to the interview", "still go to the interview"),        # conditional past
    ("pulled out now", "pull out now"),
    ("kept my options open", "keep my options open"),
    ("even thinking about going back on it", "even go back on it"),      # wrapper + gerund
    ("considering asking them for more time", "ask them for more time"),
    ("just didnt pick up", "just not pick up"),                          # did not + verb
    ("keep interviewing", "keep interviewing"),                          # already plain
    ("offers from them", "offers from them"),                            # a noun's plural
])
def test_the_judged_words_in_plain_form(rest, plain):
    assert plain_complement(rest, WRAPPERS) == plain


@pytest.mark.parametrize("text, question", [
    ("am i daft for considering asking them for more time?", "more_time_to_decide"),
    ("am i a total idiot for wanting to ask for more time", "more_time_to_decide"),
    ("would it be weird if i asked for a few more days to decide", "more_time_to_decide"),
    ("is it strange to keep interviewing when i just got promoted",
     "keep_interviewing_after_improvement"),
    ("am i mad to keep interviewing after they gave me a raise",
     "keep_interviewing_after_improvement"),
    ("am i an idiot for even thinking about going back on my acceptance?",
     "back_out_after_accepting"),
    ("would i be naive to accept the first offer", "accept_first_offer"),
])
def test_judgements_in_other_words_are_answered(text, question):
    found = answered(text)
    assert found and found[0][0] == question


@pytest.mark.parametrize("text", [
    "am i a total idiot for wanting to ask for more time",
    "would it be weird if i asked for a few more days to decide",
    "am i daft for considering asking them for more time?",
])
def test_a_judgement_of_oneself_is_a_worry_answered_no(text):
    assert answered(text)[0][1].startswith("No")


@pytest.mark.parametrize("text", [
    "is it kinda weird that they never called back",      # about the employer, not a question
    "am i mad for thinking they were rude",
    "the interview was weird",
])
def test_a_judgement_of_something_else_asks_nothing(text):
    assert answered(text) == []
