"""Round 13 (dlm13): who people are, told with a noun ("i'm a teacher", "as a band 5 nurse
... i", "im a warehouse team leader") reads as having a job, like "i work as a nurse"; the words
that say how they are or feel after "i'm a" ("a bit worried", "a total mess", "a huge fan",
"a student") do not. Leave, freelancing and a rotation scheme are a job; staying at home with
the children or caring for family is not. Undecided told as going back and forth."""

from __future__ import annotations

import pytest

from .helpers import real_advisor


def facts(text):
    return {k: v.value for k, v in real_advisor().detect(text).facts.items()}


@pytest.mark.parametrize("text", [
    "i'm a teacher, been at my school 11 years",
    "im a warehouse team leader at a big distribution centre",
    "Im an agency temp in an nhs admin office",
    "as a band 5 nurse on a surgical ward i applied for a band 6 post",
    "im a TA at the moment",
    "i\u2019m a paramedic",
    "on mat leave until march, back in april",
    "been freelance since covid",
    "i'm a grad on a rotation scheme at an insurer",
])
def test_role_noun_reads_as_employed(text):
    assert facts(text).get("employed") is True


@pytest.mark.parametrize("text", [
    "im a bit worried about tomorrow",
    "i'm a total mess honestly",
    "im a huge fan of the brand",
    "i'm a nervous wreck",
    "i'm a final year student",
    "they offered me the job as a team lead and i said yes",
    "as a manager i would push back on that",
    "my wife is on maternity leave",
])
def test_feelings_and_other_peoples_roles_are_not_a_job(text):
    assert facts(text).get("employed") is not True


@pytest.mark.parametrize("text", [
    "stay at home mum for 3 years, now looking again",
    "i'm a full time carer for my dad",
])
def test_at_home_or_caring_for_family_is_no_job(text):
    assert facts(text).get("employed") is False


def test_back_and_forth_is_undecided():
    assert facts("the money is fine but i keep going back and forth").get("interest") == "unsure"


def test_torn_is_read_as_written_not_by_its_lemma():
    # "torn" and "tears" share the lemma "tear": only the word as written is undecided
    assert facts("i'm torn between the two").get("interest") == "unsure"
    assert facts("the insurance stuff bores me to tears").get("interest") is None


def test_jumping_at_a_named_company_is_wanting_it():
    assert facts("honestly id jump at hollins").get("interest") == "interested"
    assert facts("i wouldnt jump at it").get("interest") != "interested"


def test_the_workplace_by_its_name_tells_how_the_job_feels():
    assert facts("i adore my current ward, the team is brilliant").get(
        "current_satisfaction") == "satisfied"
