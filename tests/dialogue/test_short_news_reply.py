"""A short reply about the company after the bot asked about the person ("nothing from them yet
obviously") is news, not a failed answer to ask again; "they do" still answers. Real rule base."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue.reading import tells_about_them


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("text, expected", [
    ("nothing from them yet obviously", True),
    ("she hasnt emailed back", True),
    ("they do", False),          # a yes/no answer (rules/words.yml affirm)
    ("she doesnt", False),
    ("not sure, maybe", False),
    ("internal", False),
])
def test_tells_about_them(advisor, text, expected):
    assert tells_about_them(advisor, text) is expected
