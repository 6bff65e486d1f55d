"""Red flags read by kind in tuning30 (team sig7) with the look-alikes that must stay clean, and
the backstop's veto over a pattern's flag the model finds very unlikely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interview_advisor.backstop import Backstop

TERMS = "unrealistic_expectations"
COMMS = "poor_communication"

CASES = [
    # a promise confirmed at the time, then a later clause that turns to what came of it
    ("confirmed-then-now", "the posting said remote, the recruiter confirmed it twice, and now "
                           "the manager says 3 days in the office", {TERMS}),
    ("confirmed-at-interview", "the ad said 60k and the recruiter confirmed it in the interview",
     set()),
    # a term worse than someone told, the teller named
    ("less-than-said", "they're paying less than the recruiter said", {TERMS}),
    ("lower-than-ad", "the bonus is lower than the ad promised", {TERMS}),
    ("own-ask", "i want to ask for more money than they offered", set()),
    ("own-word", "i asked for less money than i said i would", set()),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_sig7_promise_flags(advisor, text, expected):
    assert set(advisor.detect(text).signals) & {TERMS} == expected


@pytest.mark.parametrize("text", [
    "one lady told me the team is tiny, another lady told me it's 40 people",
    "one bloke said we'd start in march, someone else said june",
])
def test_two_people_telling_different_stories_is_poor_communication(advisor, text):
    assert COMMS in advisor.detect(text).signals


def _model(veto: float) -> Backstop:
    data = json.loads((Path(__file__).resolve().parents[2] / "rules" / "backstop.json")
                      .read_text("utf-8"))
    data["veto"] = veto
    return Backstop(data)


def test_the_shipped_backstop_vetoes_only_very_unlikely_pattern_flags(advisor):
    model = advisor.rulebase.backstop
    assert model is not None and 0 < model.veto < model.threshold


def test_a_pattern_flag_below_the_veto_is_left_out(advisor):
    text = "they ghosted me after the final round, three weeks of nothing"
    assert COMMS in advisor.detect(text, backstop=_model(0.0)).signals
    probability = _model(0.0).scores(text)[COMMS]
    assert COMMS in advisor.detect(text, backstop=_model(probability * 0.99)).signals
    assert COMMS not in advisor.detect(text, backstop=_model(probability * 1.01)).signals
