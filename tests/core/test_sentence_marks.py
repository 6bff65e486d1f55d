"""One definition of what ends a sentence (wording.SENTENCE_END_MARKS), used by the engine's
windows, detection's scopes and stance's earlier feelings alike."""

from __future__ import annotations

import pytest

from interview_advisor import detect, engine, stance
from interview_advisor.wording import SENTENCE_END_MARKS


@pytest.mark.parametrize("mark", list(SENTENCE_END_MARKS))
def test_every_mark_ends_a_sentence_everywhere(mark):
    assert engine._SENTENCE_END.fullmatch(mark)
    assert mark in detect.SENTENCE_ENDS
    tokens = stance._tokens(f"i was keen{mark} now not so much")
    first, last = stance._sentence(tokens, len(tokens) - 1)   # around "much"
    assert [t[0] for t in tokens[first:last]] == ["now", "not", "so", "much"], tokens


def test_an_ellipsis_typed_as_three_dots_is_one_end_for_detection():
    assert "..." in detect.SENTENCE_ENDS
