"""A red flag's evidence is quoted within one sentence when the flag has such evidence: a
match whose words lie in two sentences ("second interview at Marlow Health today. The recruiter
said") reads badly and says less than the one that stays in its sentence (found trying the
bot). Dialogue core, real rule base; no Rasa."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue.text import crosses_sentence, prefer_one_sentence

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("quote, crosses", [
    ("second interview at Marlow Health today. The recruiter said", True),
    ("they said remote!! then the manager said 3 days", True),
    ("first line\nsecond line", True),
    ("fully remote on the first call but today the manager said 3 days in the office", False),
    ("it pays 85k.", False),
    ("the salary was 85.5k on the call", False),
])
def test_crosses_sentence(quote, crosses):
    assert crosses_sentence(quote) is crosses


def test_evidence_within_a_sentence_is_kept_when_there_is_any():
    within = {"quote": "fully remote on the first call but today 3 days in", "turn": 1}
    across = {"quote": "today. The recruiter said", "turn": 1}
    assert prefer_one_sentence([across, within]) == [within]
    assert prefer_one_sentence([across]) == [across]   # nothing better: kept


def test_the_quote_of_changed_terms_stays_in_its_sentence(advisor):
    state, _ = talk(advisor, (
        "Had my second interview at Marlow Health today. The recruiter said it was fully "
        "remote on the first call but today the manager said 3 days in the office. Also "
        "nobody could explain who I'd report to", "describe_interview"))
    quotes = [e["quote"] for e in state.flags["unrealistic_expectations"]]
    assert quotes and not any(crosses_sentence(q) for q in quotes)
    assert any("3 days in the office" in q for q in quotes)
