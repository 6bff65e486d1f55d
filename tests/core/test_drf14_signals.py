"""Red flags read from long messages (team drf14, from tuning35): "'s" before a participle is
"has", a day that passed is a wait and not a changed term, one person as a whole department, and
the person's own weakness, fit, journey and news given even when there is none stay clean."""

from __future__ import annotations

import pytest

from .helpers import pattern_signals

VAGUE = "vague_job_description"
TERMS = "unrealistic_expectations"
PRAISE = "overly_positive_acquaintances"
CULTURE = "unclear_culture"
COMMS = "poor_communication"


def test_the_normaliser_reads_s_as_has_before_a_participle(advisor):
    keys = [t.norm_ for t in advisor.rulebase.detector.normaliser.doc(
        "nobody's told me, she's been great, it's done, the company's going")]
    assert keys[1] == "have" and keys[6] == "have"
    assert keys[11] == "be" and keys[16] == "be"


def test_has_told_is_not_a_promise_that_was_told(advisor):
    text = ("they moved it to the morning of. now the recruiter has left and nobody's told me "
            "who my contact is")
    assert TERMS not in pattern_signals(advisor, text)


@pytest.mark.parametrize("text, found", [
    ("hr said theyd send the contract with the salary by monday, its now friday", set()),
    ("hr said the salary would be 40k, now its 36k in the contract", {TERMS}),
])
def test_a_day_that_passed_is_a_wait_not_a_changed_term(advisor, text, found):
    assert pattern_signals(advisor, text) & {TERMS} == found


@pytest.mark.parametrize("text, found", [
    ("for an entry level wage id essentially be the entire IT department", {TERMS}),
    ("i'd be running the whole marketing function with no help. and the title is "
     "'marketing assistant'", {TERMS}),
    ("the budget has to be the whole department's decision, fair enough", set()),
])
def test_one_person_as_a_whole_department(advisor, text, found):
    assert pattern_signals(advisor, text) & {TERMS} == found


@pytest.mark.parametrize("text, signal", [
    ("they asked about my biggest weakness and i said perfectionism, so cringe", PRAISE),
    ("they explained how decisions get made, i just dont know if im a startup person",
     CULTURE),
    ("the recruiter sends updates even when theres no news, really reassuring", COMMS),
    ("my train got cancelled so i was late, they were totally fine about it", COMMS),
])
def test_the_persons_own_side_stays_clean(advisor, text, signal):
    assert signal not in pattern_signals(advisor, text)


def test_any_number_of_different_jobs(advisor):
    assert VAGUE in pattern_signals(
        advisor, "honestly it sounds like three different jobs stuck together")


@pytest.mark.parametrize("text, found", [
    ("the recruiter called back within an hour and said the offer with the salary is on its way",
     set()),
    ("the advert said fully remote but at the final stage they said i must live within an hour "
     "of the office", {TERMS}),
])
def test_an_hour_to_answer_is_not_the_hours_of_the_job(advisor, text, found):
    assert pattern_signals(advisor, text) & {TERMS} == found


def test_not_knowing_what_the_job_is_after_the_interview(advisor):
    assert VAGUE in pattern_signals(
        advisor, "walked out of there not knowing what the role really is")


def test_the_place_described_differently(advisor):
    assert CULTURE in pattern_signals(
        advisor, "the three people i met all described the culture differently")


@pytest.mark.parametrize("text, found", [
    ("the values sounded different every time someone new explained them", {CULTURE}),
    ("they went through their values in detail. every time i asked about the role itself "
     "though, it was 'we'll shape it together'", set()),
])
def test_every_time_counts_in_the_sentence_that_names_the_culture(advisor, text, found):
    assert pattern_signals(advisor, text) & {CULTURE} == found


def test_the_rule_base_is_plain_yaml():
    """Other tools (eval/dialogue) read the rule base with plain PyYAML: a bare `?*` in a flow
    list is read as a mapping key and an alias there, so such words are quoted."""
    import pathlib

    import yaml

    rules = pathlib.Path(__file__).resolve().parents[2] / "rules"
    for path in sorted(rules.glob("*.yml")):
        assert yaml.safe_load(path.read_text("utf-8")) is not None, path


@pytest.mark.parametrize("text, found", [
    ("they said theyd let me know by the end of that week, its been three weeks and nothing",
     {COMMS}),
    ("they said they would let me know by friday, and nothing", {COMMS}),
    ("interview yesterday, no news yet, they'll let everyone know by monday", set()),
    ("they said theyd let me know by end of next week so no rush", set()),
])
def test_a_date_told_ahead_and_passed_by_the_words_after_it(advisor, text, found):
    assert pattern_signals(advisor, text) & {COMMS} == found


@pytest.mark.parametrize("text, signal", [
    ("the recruiter said fully remote, then the team lead said everyone is in three days a week",
     TERMS),
    ("the recruiter made it sound like the bonus was guaranteed, in the actual interview it was "
     "'discretionary'", TERMS),
    ("asked about their mission and she said they're in the process of defining it", CULTURE),
    ("the email they sent had someone elses cv attached", COMMS),
    ("the manager said he would definitely call me on tuesday. no call, nothing", COMMS),
])
def test_wordings_of_long_stories(advisor, text, signal):
    assert signal in pattern_signals(advisor, text)


def test_a_pitch_the_interview_matched_stays_clean(advisor):
    assert TERMS not in pattern_signals(
        advisor, "the recruiter made it sound like a lovely team and in the actual interview the "
                 "salary was the same as they told me")
