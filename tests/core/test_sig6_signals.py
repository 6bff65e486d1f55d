"""Red flags the patterns missed in tuning27/28 (team SIG6), read by kind, with the look-alikes
that must stay clean; and ``<money>`` in a pattern matching an amount."""

from __future__ import annotations

import pytest

from interview_advisor.nlp import MONEY

VAGUE = "vague_job_description"
TERMS = "unrealistic_expectations"
CULTURE = "unclear_culture"

CASES = [
    # a role that changes or was never scoped
    ("even-applying-for", "after three rounds, what am i actually interviewing for?", {VAGUE}),
    ("different-each-time", "the job looks completely different each time i speak to them",
     {VAGUE}),
    ("not-scoped", "the hiring manager said the job has not been properly defined yet", {VAGUE}),
    ("scoped-fine", "the role has been fully scoped and i know exactly what i'd do", set()),
    # terms that went down, targets that went up, a promise made too big
    ("base-came-down", "between the screening call and the offer the base came down by 8k",
     {TERMS}),
    ("quota-tripled", "the quota has tripled since the first interview", {TERMS}),
    ("overpromised", "honestly the agency overpromised on the flexibility", {TERMS}),
    # several jobs for one wage, senior scope under a junior title
    ("jobs-for-money", "it's basically two jobs for 28k", {TERMS}),
    ("junior-title", "they'd want me to look after the whole IT function alone as a 'junior "
                     "technician'", {TERMS}),
    # what the work turned out to be against what was said
    ("work-turned-out", "they said the job would be mostly design, turns out it is just "
                        "printing flyers", {TERMS}),
    # the terms equal to what was said, told honestly, or two offers side by side
    ("what-advertised", "the salary is just what they advertised, i'd still like more", set()),
    ("told-straight", "the director told me frankly that the first year is mostly support "
                      "tickets", set()),
    ("two-offers", "i've got two offers now: one at 62k remote, the other at 66k in the office",
     set()),
    ("under-what-ad-said", "the written offer came in 7k under what the ad said", {TERMS}),
    # a promise and what someone let slip about it
    ("let-slip", "hr promised 30 days holiday, then the team lead let slip that most people get "
                 "20", {TERMS}),
    # what the role covers, duties that sprawl, interviewers who want different hires
    ("what-it-covers", "asked what the job covers and they could not say, just 'the usual'",
     {VAGUE}),
    ("sprawl", "the listed tasks run from filing to coding to driving the van", {VAGUE}),
    ("one-wants", "the founders talked about the job, one wants a marketer and the other "
                  "wants a coder", {VAGUE}),
    # a figure someone said; a term named the same way at both stages
    ("said-the-salary", "they said the salary would be 48k, the contract says 44k", {TERMS}),
    ("same-term-twice", "hybrid in the job ad and hybrid in the final interview, three days in",
     set()),
    ("said-and-it-is", "the listing said four day week and it is a four day week.", set()),
    ("same-then-changed", "hybrid in the ad and hybrid in the interview, but the offer says five "
                          "days in the office", {TERMS}),
    # not knowing what the job is, not the company's direction
    ("job-not-culture", "a speech on the mission instead, i still don't know what the job is",
     {VAGUE}),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_sig6_message_raises_exactly_the_expected_flags(advisor, text, expected):
    found = set(advisor.detect(text).signals)
    assert found & {VAGUE, TERMS, CULTURE} == expected


def test_money_placeholder_in_a_pattern_is_one_key(advisor):
    normaliser = advisor.rulebase.detector.normaliser
    assert normaliser.phrase_keys(MONEY) == [MONEY]
    assert [t.norm_ for t in normaliser.doc("three jobs for 30k")][-1] == MONEY


def test_a_company_that_is_a_bit_of_everything_is_not_a_vague_role(advisor):
    found = advisor.detect("we're a bit of everything, the ceo said when i asked about the brand")
    assert VAGUE not in found.signals
