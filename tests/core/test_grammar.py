"""The grammar detection reads by is rule-base data (rules/grammar.yml): it drives detection,
it is checked like every other file (file, line and list name), and a folder without one
reads with the project's."""

from __future__ import annotations

import json
import shutil

from interview_advisor import Advisor, check_rulebase
from interview_advisor.grammar import GRAMMAR_LISTS, PHRASE_LISTS, project_grammar

from .helpers import RULES, RuleDir, only

VAGUE = "signal:vague_role"


def with_grammar(rule_dir: RuleDir) -> RuleDir:
    shutil.copy(RULES / "grammar.yml", rule_dir.path("grammar.yml"))
    return rule_dir


def owners(advisor: Advisor, text: str) -> set:
    return {hit.owner for hit in advisor.rulebase.detector.run(text)}


def test_every_list_is_in_the_schema_and_in_the_project_grammar() -> None:
    schema = json.loads((RULES / "schema.json").read_text("utf-8"))
    assert schema["definitions"]["grammar"]["required"] == list(GRAMMAR_LISTS)
    assert set(schema["definitions"]["grammar"]["properties"]) == set(GRAMMAR_LISTS)
    grammar = project_grammar()
    for name in GRAMMAR_LISTS:
        assert getattr(grammar, name), name
    assert all(isinstance(phrase, tuple) for name in PHRASE_LISTS
               for phrase in getattr(grammar, name))


def test_the_real_rule_base_detects_with_its_grammar(advisor: Advisor) -> None:
    assert advisor.rulebase.detector.grammar == project_grammar()
    assert "not" in advisor.rulebase.detector.grammar.negations


def test_a_negation_word_taken_out_of_the_grammar_no_longer_negates(mini_dir: RuleDir) -> None:
    with_grammar(mini_dir)
    text = "the responsibilities were never vague"
    assert VAGUE not in owners(Advisor(mini_dir.root), text)
    mini_dir.edit("grammar.yml", '"no", "never", "nobody"', '"no", "nobody"')
    assert VAGUE in owners(Advisor(mini_dir.root), text)


def test_a_folder_without_a_grammar_reads_with_the_projects(mini_dir: RuleDir) -> None:
    assert not mini_dir.path("grammar.yml").exists()
    advisor = Advisor(mini_dir.root)
    assert advisor.rulebase.detector.grammar == project_grammar()
    assert VAGUE not in owners(advisor, "the responsibilities were not vague")
    assert VAGUE in owners(advisor, "the responsibilities were vague")


def test_a_missing_list_is_reported_with_file_and_line(mini_dir: RuleDir) -> None:
    with_grammar(mini_dir)
    text = mini_dir.read("grammar.yml")
    start = text.index("  worries:")
    end = text.index("  # \"if\" that opens no condition")
    mini_dir.write("grammar.yml", text[:start] + text[end:])
    issue = only(check_rulebase(mini_dir.root)[1])
    assert (issue.file, issue.kind) == ("rules/grammar.yml", "schema")
    assert issue.line == mini_dir.line("grammar.yml", "grammar:")
    assert "'worries' is a required property" in issue.message


def test_badly_written_words_are_reported_at_their_line_with_the_list_name(
        mini_dir: RuleDir) -> None:
    with_grammar(mini_dir)
    mini_dir.edit("grammar.yml", '"usually", "normally"', '"Usually", "normally"')
    mini_dir.edit("grammar.yml", '"send", "reply"', '"send it", "reply"')
    _, issues = check_rulebase(mini_dir.root)
    assert {(i.rule_id, i.line) for i in issues} == {
        ("generic_adverbs", mini_dir.line("grammar.yml", '"Usually"')),
        ("own_verbs", mini_dir.line("grammar.yml", '"send it"')),
    }
    assert all(i.file == "rules/grammar.yml" and i.kind == "schema" for i in issues)


def test_a_grammar_given_twice_is_reported(mini_dir: RuleDir) -> None:
    with_grammar(mini_dir)
    shutil.copy(mini_dir.path("grammar.yml"), mini_dir.path("grammar_copy.yml"))
    issue = only(check_rulebase(mini_dir.root)[1])
    assert (issue.kind, issue.rule_id) == ("duplicate-id", "grammar")
    assert "already given in rules/grammar.yml" in issue.message
