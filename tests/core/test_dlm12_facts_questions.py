"""Round 12 (dlm12): employment told in passing (notice handed in, years at a workplace, no
job at the minute, a career break), a counteroffer told by what it is for, being undecided
told as a state, and the direct questions added or widened (asking a company to speed up,
obliged to tell the manager, the manager by another name, an intensified "is it that bad")."""

from __future__ import annotations

import pytest

from .helpers import real_advisor


def facts(text):
    return {k: v.value for k, v in real_advisor().detect(text).facts.items()}


def answers(text, known=None):
    return [a.id for a in real_advisor().direct_answers(text, known or {})]


@pytest.mark.parametrize("text, value", [
    ("so i handed my notice in on friday to go to a competitor", True),
    ("currently working my notice at the depot", True),
    ("been at the library 7 years now and i'm restless", True),
    ("no job at the moment, so i'm taking whatever interviews come", False),
    ("i've been on a career break since my son was born", False),
])
def test_employment_told_in_passing(text, value):
    assert facts(text).get("employed") is value


@pytest.mark.parametrize("text, not_value", [
    ("my friend has been at this company two years and loves it", True),
    ("i was at the depot for 5 years before the layoffs", True),
    ("the last career break i took was in 2019", False),
])
def test_employment_near_misses(text, not_value):
    assert facts(text).get("employed") is not not_value


def test_a_counteroffer_told_by_what_it_is_for():
    assert facts("my director offered me 10% more and a new title to stay")["recent_improvement"] \
        is True
    assert facts("they gave me a bonus to keep me")["recent_improvement"] is True


def test_undecided_told_as_a_state():
    assert facts("honestly i change my mind every day about this one")["interest"] == "unsure"
    assert facts("i can't make my mind up about it")["interest"] == "unsure"
    assert facts("i cant decide what to wear to the interview").get("interest") != "unsure"


def test_asking_a_company_to_speed_up():
    assert answers("is it pushy to ask the agency if they can hurry things up?") == \
        ["ask_to_speed_up"]
    assert answers("they told me they would speed things up") == []


def test_obliged_to_tell_the_manager_whoever_else_is_named():
    assert answers("am i obliged to tell the recruiter or my current boss that im looking?",
                   {"interview_type": "external"})[0] == "tell_manager_if_external"


def test_the_manager_by_another_name():
    assert answers("should i tell my headteacher before i apply?",
                   {"interview_type": "internal"})[0] == "tell_manager_if_internal"


def test_an_intensified_is_it_bad_to_go_back_on_a_yes():
    asked = "would it be really that awful to go back on my yes?"
    assert "back_out_after_accepting" in answers(asked)


def test_own_workplace_of_any_kind_is_internal():
    assert facts("a ward sister post came up in my own hospital")["interview_type"] == "internal"


def test_the_reason_for_looking_tells_what_is_wrong_where_they_are():
    said = "the main reason i went looking in the first place was my manager, not the pay"
    assert facts(said)["current_satisfaction"] == "unsatisfied"
    curious = "the reason i started looking was a recruiter messaged me out of the blue"
    assert facts(curious).get("current_satisfaction") != "unsatisfied"
