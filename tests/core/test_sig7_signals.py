"""Red flags read by kind in tuning30 and tuning32 (team sig7), with the look-alikes that must
stay clean."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize("text, expected", [
    # a promise of news, then how long ago it was or that it never came
    ("they promised feedback after the tech test. that was in september", {COMMS}),
    ("the recruiter keeps saying the team will be in touch but they have never once been in touch",
     {COMMS}),
    ("they promised feedback within a week and it came in four days", set()),
])
def test_a_promise_of_news_that_was_not_kept(advisor, text, expected):
    assert set(advisor.detect(text).signals) & {COMMS} == expected


@pytest.mark.parametrize("text, expected", [
    ("they expect answers to slack within 15 minutes, including weekends", {TERMS}),
    ("they need someone to cover weekends, its in the ad and paid at time and a half", set()),
])
def test_always_on_expected(advisor, text, expected):
    assert set(advisor.detect(text).signals) & {TERMS} == expected
