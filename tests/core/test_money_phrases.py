"""The phrase language's ``<money>`` stands for any amount ("95k", "$120,000"): it was
tokenized as three words ("<", "money", ">") that no message contains, so every phrase using it
matched nothing. Real rule base, real detection."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.detect import pattern_keys
from interview_advisor.nlp import MONEY


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


def test_no_compiled_pattern_waits_for_a_bracket(advisor):
    detector = advisor.rulebase.detector
    keys = set()
    for _, patterns, _ in detector._pending:
        for pattern in patterns:
            keys |= pattern_keys(pattern)
    assert MONEY in keys
    assert "<" not in keys          # ("->" in "remote -> hybrid" is matched as typed)


@pytest.mark.parametrize("text, fact, value, quoted", [
    ("pay would be like 12k more but i've heard they work people hard",
     "better_pay_or_title", True, "12k more"),
    ("they came back with 85k this morning", "stage", "offer", "85k"),
    ("they finally came thru with $92,000 plus a sign on bonus", "stage", "offer", "92,000"),
])
def test_an_amount_of_money_fills_a_money_phrase(advisor, text, fact, value, quoted):
    result = advisor.analyze(text)
    assert result.facts[fact].value == value
    evidence = result.facts[fact].evidence
    assert evidence is not None and quoted in evidence.text
