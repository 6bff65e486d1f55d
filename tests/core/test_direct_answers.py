"""Direct answers: the rule base's short answer to a direct question, given before the advice."""

from __future__ import annotations

import pytest

from interview_advisor import check_rulebase
from interview_advisor.conditions import KnownFact
from interview_advisor.examples import run_examples

from .helpers import only

QUESTIONS = """\
questions:
  - id: tell_boss_internal
    title: Should I tell my manager?
    status: stable
    source: {seed: "003", section: Manager being informed}
    when: {fact: internal, is: true}
    detect:
      phrases: ["should i tell my manager|boss"]
    answer: Yes - tell them yourself.
    examples:
      match:
        - text: "should i tell my boss?"
          facts: {internal: true}
      no_match: ["i told my boss"]
  - id: tell_boss
    title: Should I tell my manager?
    status: stable
    source: {seed: "003", section: Manager being informed}
    detect:
      phrases: ["should i tell my manager|boss"]
    answer: It depends - on whether the role is internal.
    examples:
      match: ["should i tell my manager"]
      no_match: ["my manager knows"]
"""


# -- the real rule base ----------------------------------------------------------------------

def test_a_direct_question_gets_a_clear_answer_with_its_evidence_and_source(advisor):
    text = "ok so quick one - is it dishonest to keep interviewing?"
    answers = advisor.direct_answers(text)
    assert [a.id for a in answers] == ["keep_interviewing_dishonest"]
    first = answers[0]
    assert first.answer.startswith("No")
    assert text[first.start:first.end] == first.evidence
    assert "dishonest" in first.evidence and "interviewing" in first.evidence
    assert first.source == {"seed": "003", "section": "Reasons to Continue Interviewing"}
    assert first.as_dict()["answer"] == first.answer


@pytest.mark.parametrize("text, facts, expected, starts", [
    ("can i back out after accepting an offer?", {}, "back_out_after_accepting", "Yes"),
    ("can i still withdraw after the final round?", {}, "withdraw_late_in_process", "Yes"),
    ("will withdrawing burn bridges?", {}, "withdraw_burn_bridges", "No"),
    ("is it ok to ask for the offer in writing?", {}, "offer_in_writing", "Yes"),
    ("can i ask for more time to decide?", {}, "more_time_to_decide", "Yes"),
    ("should i accept the first offer?", {}, "accept_first_offer", "It depends"),
    ("is it a red flag if they can't describe the role?", {}, "vague_role_red_flag", "Yes"),
    ("should i tell my manager?", {}, "tell_manager_depends", "It depends"),
    ("they came back with more money. should i take the counter offer?", {},
     "accept_counter_offer", "It depends"),
    ("15k more, fully remote. so do i jump or not", {}, "move_or_stay", "It depends"),
    ("love the team, hate the commute. am i mad to stay?", {}, "move_or_stay", "It depends"),
    ("two rounds in and i like it less every time. is it too late to bail", {},
     "should_i_withdraw", "It depends"),
])
def test_common_questions_are_answered(advisor, text, facts, expected, starts):
    answers = advisor.direct_answers(text, facts)
    assert answers and answers[0].id == expected, [a.id for a in answers]
    assert answers[0].answer.startswith(starts)


def test_the_answer_that_fits_the_facts_comes_first(advisor):
    text = "should i tell my manager?"
    internal = advisor.direct_answers(text, {"interview_type": "internal"})
    external = advisor.direct_answers(text, {"interview_type": "external"})
    assert [a.id for a in internal] == ["tell_manager_if_internal", "tell_manager_depends"]
    assert [a.id for a in external] == ["tell_manager_if_external", "tell_manager_depends"]
    assert internal[0].answer.startswith("Yes") and external[0].answer.startswith("No")
    assert internal[0].because[0]["condition"] == "Internal or external interview: internal"


def test_facts_found_in_the_same_message_count_and_known_facts_are_accepted(advisor):
    found = advisor.direct_answers("I applied for an internal role. Should I tell my boss?")
    assert found[0].id == "tell_manager_if_internal"
    given = advisor.direct_answers("is it wrong to keep interviewing?",
                                   {"recent_improvement": KnownFact(True)})
    assert [a.id for a in given][0] == "keep_interviewing_after_improvement"


def test_the_raise_and_final_round_question_at_the_end_is_answered(advisor):
    text = ("so my company just gave me a 12% raise after i told them i was looking. but i have "
            "a final round with a fintech called Larkspur on friday. do i still go??")
    answers = advisor.direct_answers(text)
    assert answers and answers[0].id == "keep_interviewing_after_improvement"
    assert answers[0].evidence == "do i still go"


@pytest.mark.parametrize("text, expected", [
    ("if they match the salary should i stay or go", "move_or_stay"),
    ("if i get the raise should i still go to the interview", "keep_interviewing_should_i"),
    ("if i apply internally does my boss find out", "tell_manager_depends"),
    ("if i bail now am i gonna be blacklisted there", "withdraw_burn_bridges"),
])
def test_a_question_after_an_if_clause_is_its_consequent_and_answered(advisor, text, expected):
    assert expected in [a.id for a in advisor.direct_answers(text)]


def test_an_if_clause_alone_still_hides_its_statement(advisor):
    assert advisor.direct_answers("if i decided to stay they would be happy") == []
    assert advisor.detect("if the job description is vague i would worry").signals == {}


@pytest.mark.parametrize("text", [
    "",
    "the recruiter couldn't tell me what the job is",
    "i told my manager about the internal role",
    "i accepted the offer and i'm excited",
    "they were rude during the interview",
    "is it ok to wear trainers to an interview?",
])
def test_statements_and_unrelated_questions_get_no_direct_answer(advisor, text):
    assert advisor.direct_answers(text) == []


def test_every_question_is_sourced_and_starts_plainly(advisor):
    questions = advisor.rulebase.questions
    assert len(questions) >= 12
    for question in questions.values():
        assert question.source["seed"] in ("000", "003", "none")
        if question.source["seed"] == "none":  # the seeds say nothing: say so plainly
            assert question.answer.startswith("I have no advice on that"), question.id
        else:
            assert question.answer.split()[0].rstrip(",") in ("Yes", "No", "It"), question.id
        assert len(question.answer) <= 260, question.id


def test_questions_do_not_change_what_signals_and_facts_detect(advisor):
    text = "is it dishonest to keep interviewing? they couldn't tell me what the job is"
    detection = advisor.detect(text)
    assert set(detection.signals) == {"vague_job_description"}
    assert all(not h.owner.startswith("question:") for hits in detection.signals.values()
               for h in hits)


# -- a small rule base -----------------------------------------------------------------------

def test_questions_load_run_their_examples_and_rank_the_specific_answer_first(mini_dir):
    mini_dir.write("questions.yml", QUESTIONS)
    rulebase, issues = check_rulebase(mini_dir.root)
    assert issues == [] and rulebase is not None
    assert list(rulebase.questions) == ["tell_boss_internal", "tell_boss"]
    from interview_advisor import Advisor

    advisor = Advisor(mini_dir.root)
    assert [a.id for a in advisor.direct_answers("should i tell my boss", {"internal": True})] \
        == ["tell_boss_internal", "tell_boss"]
    assert [a.id for a in advisor.direct_answers("should i tell my boss")] == ["tell_boss"]
    results = [r for r in run_examples(advisor) if r.owner.startswith("tell_boss")]
    assert len(results) == 4 and all(r.passed for r in results)


def test_an_unknown_fact_in_when_is_reported_with_file_line_and_id(mini_dir):
    mini_dir.write("questions.yml", QUESTIONS.replace("{fact: internal, is: true}",
                                                      "{fact: internl, is: true}"))
    issue = only(check_rulebase(mini_dir.root)[1])
    assert (issue.file, issue.rule_id, issue.kind) == ("rules/questions.yml",
                                                      "tell_boss_internal", "reference")
    assert issue.line == mini_dir.line("questions.yml", "fact: internl")
    assert "unknown fact 'internl'" in issue.message


def test_a_question_id_shares_the_namespace_of_the_rule_base(mini_dir):
    mini_dir.write("questions.yml", QUESTIONS.replace("id: tell_boss\n", "id: stage\n"))
    issue = only(check_rulebase(mini_dir.root)[1])
    assert issue.kind == "duplicate-id" and issue.rule_id == "stage"
    assert issue.line == mini_dir.line("questions.yml", "id: stage")


def test_a_missing_answer_and_an_unknown_example_fact_are_reported_together(mini_dir):
    broken = QUESTIONS.replace("    answer: It depends - on whether the role is internal.\n", "")
    broken = broken.replace("facts: {internal: true}", "facts: {intern: true}")
    mini_dir.write("questions.yml", broken)
    issues = check_rulebase(mini_dir.root)[1]
    assert {(i.rule_id, i.kind) for i in issues} == {("tell_boss", "schema"),
                                                     ("tell_boss_internal", "reference")}
    schema = only(issues, "schema")
    assert "'answer' is a required property" in schema.message
    assert schema.line == mini_dir.line("questions.yml", "- id: tell_boss", 2)


def test_a_bad_phrase_is_reported_at_its_line(mini_dir):
    mini_dir.write("questions.yml", QUESTIONS.replace(
        'phrases: ["should i tell my manager|boss"]\n    answer: It',
        'phrases: ["should i tell the|boss manager"]\n    answer: It'))
    issue = only(check_rulebase(mini_dir.root)[1])
    assert issue.kind == "pattern" and issue.rule_id == "tell_boss"
    assert issue.line == mini_dir.line("questions.yml", "the|boss manager")


def test_fact_examples_must_name_values_of_the_fact(mini_dir):
    mini_dir.edit("facts.yml", "    detect:\n      offer:\n",
                  "    examples:\n      match:\n        offered: [\"got an offer\"]\n"
                  "    detect:\n      offer:\n")
    issue = only(check_rulebase(mini_dir.root)[1])
    assert issue.kind == "reference" and issue.rule_id == "stage"
    assert "'offered' is not a value of this fact" in issue.message
    assert issue.line == mini_dir.line("facts.yml", "offered:")
