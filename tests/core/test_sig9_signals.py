"""Clauses about the person rather than the job, general questions, a promise nobody made and
amounts that did not change (team sig9, from tuning33): the look-alikes stay clean, the
reports they resemble are still found."""

from __future__ import annotations

import pytest

from .helpers import pattern_signals

VAGUE = "vague_job_description"
TERMS = "unrealistic_expectations"
COMMS = "poor_communication"


@pytest.mark.parametrize("text", [
    "i'm vague on the details of the benefits myself, i didnt take notes",
    "i was a bit vague about my notice period on the call, should i email them",
    "im the one being vague here, i honestly dont know what i want from the next role",
    "i said i'd take anything, which was way too vague of me",
])
def test_the_persons_own_vagueness_is_no_flag(advisor, text):
    assert not advisor.detect(text).signals


@pytest.mark.parametrize("text", [
    "they were vague on the details of the benefits",
    "the recruiter was a bit vague about what the role actually involves",
])
def test_vagueness_of_the_employer_is_still_found(advisor, text):
    assert advisor.detect(text).signals


@pytest.mark.parametrize("text, found", [
    ("what are the signs a job description is too vague?", set()),
    ("how can you tell a job ad is hiding what the role really is?", set()),
    ("why would they send me a job description that vague?", {VAGUE}),
])
def test_a_question_about_a_kind_of_thing_is_general(advisor, text, found):
    assert pattern_signals(advisor, text) & {VAGUE} == found


@pytest.mark.parametrize("text, found", [
    ("nobody promised me remote, turns out its office based", set()),
    ("they promised me remote, turns out its office based", {TERMS}),
])
def test_a_promise_nobody_made_is_no_bait_and_switch(advisor, text, found):
    assert pattern_signals(advisor, text) & {TERMS} == found


@pytest.mark.parametrize("text, found", [
    ("salary was 42k in the ad and 42k in the offer", set()),
    ("salary was 42k in the ad and 38k in the offer", {TERMS}),
])
def test_amounts_are_compared_over_the_whole_sentence(advisor, text, found):
    assert set(advisor.detect(text).signals) & {TERMS} == found


@pytest.mark.parametrize("text, found", [
    ("left the interview a bit unclear on whether i'd done well", set()),
    ("left the interview a bit unclear on what i'd be doing", {VAGUE}),
])
def test_had_before_a_participle_is_not_would(advisor, text, found):
    assert pattern_signals(advisor, text) & {VAGUE} == found


def test_the_normaliser_reads_d_by_the_word_after_it(advisor):
    keys = [t.norm_ for t in advisor.rulebase.detector.normaliser.doc(
        "i'd done it, they'd told me, i'd be fine, i'd need a week")]
    assert keys[1] == "have" and keys[6] == "have"
    assert keys[11] == "would" and keys[16] == "would"
