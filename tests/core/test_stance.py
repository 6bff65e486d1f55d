"""A feeling told as an earlier one and turned away from ("i was keen at first but now ...")
is not how the person feels now (interview_advisor.stance, the `changes_mind` facts and the
earlier_* lists of rules/grammar.yml). Found trying the bot: "honestly i was keen before but
the office thing kind of kills it for me" was noted as "How much you want this role:
interested"."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.grammar import project_grammar
from interview_advisor.stance import earlier_feeling


def span(text: str, words: str):
    start = text.index(words)
    return start, start + len(words)


@pytest.mark.parametrize("text, words", [
    ("i was really keen at first but now im not sure", "really keen"),
    ("honestly i was keen before but the office thing kind of kills it for me", "keen"),
    ("at first i loved the idea, now i dont want it", "loved the idea"),
    ("i was excited about it until they told me the pay", "excited"),
    ("i loved my job until the reorg", "loved my job"),
    ("i was keen before. now not so much", "keen"),
    ("initially i wanted it, however the second round changed my mind", "wanted it"),
])
def test_a_feeling_left_behind(text, words):
    assert earlier_feeling(text, *span(text, words), project_grammar())


@pytest.mark.parametrize("text, words", [
    ("i really want it now", "really want it"),
    ("i was keen before the interview and i still am", "keen"),
    ("at first i was buzzing but now im not fussed", "not fussed"),     # the later feeling
    ("im just counting the days till i can leave", "counting the days"),  # not in the past
    ("i was keen, but the pay is low", "keen"),       # no earlier time: still keen, with a but
    ("i loved it. the team was great", "loved it"),
])
def test_a_feeling_that_stands(text, words):
    assert not earlier_feeling(text, *span(text, words), project_grammar())


@pytest.mark.parametrize("text, fact, value", [
    ("honestly i was keen before but the office thing kind of kills it for me", "interest",
     "unsure"),
    ("i was really keen at first. now not so much", "interest", "unsure"),
    ("at first i loved the idea, now i dont want it", "interest", "not_interested"),
    ("i loved my job until the reorg", "current_satisfaction", "mixed"),
])
def test_the_fact_is_what_the_feeling_became(advisor: Advisor, text, fact, value):
    found = advisor.detect(text).facts[fact]
    assert found.value == value
    assert found.evidence is not None and found.evidence.text in text


def test_a_feeling_that_stands_is_read_as_before(advisor: Advisor):
    assert advisor.detect("i was keen before the interview and i still am").facts[
        "interest"].value == "interested"


def test_a_fact_without_changes_mind_keeps_its_earlier_value(advisor: Advisor):
    assert advisor.rulebase.facts["stage"].changes_mind is None
    assert advisor.rulebase.facts["interest"].changes_mind == {
        "interested": "unsure", "not_interested": "unsure"}
