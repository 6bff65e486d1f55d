"""Cues (rules/words.yml): alternatives, optional words, clause anchors; and the rule base
rejects a cue it could not read. No Rasa."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from interview_advisor.cues import clauses, says
from interview_advisor.errors import RuleBaseError
from interview_advisor.rulebase import load_rulebase


@pytest.mark.parametrize("text, expected", [
    ("ok so where does all that leave me", True),       # optional word present
    ("where does that leave me?", True),                # optional word absent
    ("where did it put me", True),                      # alternatives
    ("where does all of that leave me", False),         # a word the cue does not allow
    ("somewhere does that leave me", False),            # whole words only
])
def test_alternatives_and_optional_words(text, expected):
    assert says(["where does|did ?all that|it leave|put me"], text) is expected


def test_anchors_hold_at_a_clause_start_and_end():
    assert says(["why so$"], "hmm, why so?")
    assert not says(["why so$"], "why so many rounds")
    assert says(["^hi|hey"], "ok. hey there")
    assert not says(["^hi|hey"], "they said hey")
    assert not says(["^hi|hey"], "ok. hey there", first_clause_only=True)


def test_a_cue_does_not_count_when_followed_by_an_exception():
    cue, unless = ["what should i say"], ["in the interview"]
    assert says(cue, "what should i say to them", unless=unless)
    assert not says(cue, "what should i say in the interview", unless=unless)


def test_clauses_are_split_at_punctuation_and_normalised():
    assert clauses("Hi, it's me.\nWhat's up?") == [" hi ", " its me ", " whats up "]


def test_a_cue_with_regex_syntax_is_rejected(tmp_path):
    shutil.copy(Path(__file__).parents[2] / "rules" / "schema.json", tmp_path / "schema.json")
    (tmp_path / "words.yml").write_text('words:\n  asks_why: ["why (so)"]\n')
    with pytest.raises(RuleBaseError) as error:
        load_rulebase(tmp_path)
    assert "asks_why" in str(error.value) and "cue" in str(error.value)
