"""Loader errors: every kind of problem is reported with file, line and id (and all at once)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interview_advisor import RuleBaseError, check_rulebase, load_rulebase

from .helpers import FIXTURES, RuleDir, only

MAIN = "advice/main.yml"

# (test id, file, text to replace, replacement, issue kind, text on the reported line, id, message)
SINGLE_ERRORS = [
    ("schema-missing-required-field", MAIN, "    why: They will hear anyway.\n", "",
     "schema", "- id: internal_tell_manager", "internal_tell_manager",
     "'why' is a required property"),
    ("schema-bad-status", MAIN, "    status: stable\n    priority: 80",
     "    status: stabel\n    priority: 80",
     "schema", "status: stabel", "internal_tell_manager", "'stabel' is not one of"),
    ("schema-bad-severity", "signals.yml", "severity: medium", "severity: huge",
     "schema", "severity: huge", "vague_role", "'huge' is not one of"),
    ("schema-bad-topic", MAIN, "topic: internal_external", "topic: internals",
     "schema", "topic: internals", "internal_tell_manager", "'internals' is not one of"),
    ("unknown-purpose", "drafts.yml", "purpose: thank_you", "purpose: thanks",
     "reference", "purpose: thanks", "thank_you",
     "unknown purpose 'thanks' (purposes: thank_you, other)"),
    ("schema-malformed-condition", MAIN, "when: {fact: internal, is: true}",
     "when: {fact: internal, equals: true}",
     "schema", "equals: true", "internal_tell_manager", "a condition needs exactly one of"),
    ("unknown-fact", MAIN, "when: {fact: internal, is: true}",
     "when: {fact: internl, is: true}",
     "reference", "fact: internl", "internal_tell_manager", "unknown fact 'internl'"),
    ("unknown-fact-in-ask-unless", "facts.yml",
     "    question: Is the role at your current company?",
     "    ask_unless: {fact: internl, is: true}\n"
     "    question: Is the role at your current company?",
     "reference", "fact: internl", "internal", "unknown fact 'internl'"),
    ("invalid-enum-value", "conditions.yml", "{fact: stage, is: offer}",
     "{fact: stage, is: offered}",
     "reference", "is: offered", "has_offer", "fact 'stage' has no value 'offered'"),
    ("invalid-value-in-list", MAIN, "when: {fact: internal, is: true}",
     "when: {fact: stage, in: [offer, maybe]}",
     "reference", "in: [offer, maybe]", "internal_tell_manager",
     "fact 'stage' has no value 'maybe'"),
    ("quoted-true-for-boolean", MAIN, "when: {fact: internal, is: true}",
     'when: {fact: internal, is: "true"}',
     "reference", 'is: "true"', "internal_tell_manager", "use true or false (unquoted)"),
    ("unknown-signal", MAIN, "        - {signal: ghosting}", "        - {signal: ghostng}",
     "reference", "signal: ghostng", "offer_but_ghosted", "unknown or deprecated signal 'ghostng'"),
    ("deprecated-signal", MAIN, "        - {signal: ghosting}", "        - {signal: old_flag}",
     "reference", "signal: old_flag", "offer_but_ghosted",
     "unknown or deprecated signal 'old_flag'"),
    ("unknown-named-condition", MAIN, "        - {condition: has_offer}",
     "        - {condition: has_ofer}",
     "reference", "condition: has_ofer", "offer_but_ghosted", "unknown named condition 'has_ofer'"),
    ("unknown-draft", MAIN, "    draft: thank_you", "    draft: thanks",
     "reference", "draft: thanks", "offer_but_ghosted", "unknown draft 'thanks'"),
    ("template-placeholder-not-declared", "drafts.yml", "{sign_off}\n", "{sign_off} {date}\n",
     "reference", "template:", "thank_you", "uses {date} but it is not declared"),
    ("placeholder-declared-but-unused", "drafts.yml", "      {sign_off}\n", "      Bye\n",
     "reference", "sign_off: {question", "thank_you",
     "'sign_off' is declared but the template never uses it"),
    ("unreachable-rule", MAIN, "when: {fact: internal, is: true}",
     "when: {all: [{fact: stage, is: offer}, {fact: stage, is: rejected}]}",
     "unreachable", "is: rejected", "internal_tell_manager", "this rule can never fire"),
    ("unreachable-signal-count", MAIN, "when: {fact: internal, is: true}",
     "when: {signals: {at_least: 3}}",  # the mini base has only two active signals
     "unreachable", "at_least: 3", "internal_tell_manager", "this rule can never fire"),
    ("bad-phrase-multiword-alternative", "signals.yml", "        - never heard back\n",
     "        - could not|couldn't reply\n",
     "pattern", "could not|couldn't", "ghosting", '"not|couldn\'t"'),
    ("bad-phrase-empty-alternative", "signals.yml", "        - never heard back\n",
     "        - never heard|| back\n",
     "pattern", "never heard||", "ghosting", "empty alternative"),
    ("bad-phrase-unbalanced-group", "signals.yml", "        - never heard back\n",
     "        - (never|not heard back\n",
     "pattern", "(never|not heard", "ghosting", "unbalanced parentheses"),
    ("bad-near-cue", "signals.yml", "cue: [vague, unclear]", "cue: [vague, could not|couldn't]",
     "pattern", "- topic: [role", "vague_role", '"not|couldn\'t"'),
    ("bad-token-pattern", "signals.yml", "[{NORM: radio}, {NORM: silence}]",
     "[{NORMM: radio}, {NORM: silence}]",
     "pattern", "NORMM: radio", "ghosting", "token pattern"),
    ("example-unknown-fact", MAIN, "        - facts: {internal: false}",
     "        - facts: {internl: false}", "reference", "{internl: false}",
     "internal_tell_manager", "example uses unknown fact 'internl'"),
    ("example-invalid-value", MAIN, "        - facts: {stage: rejected}",
     "        - facts: {stage: maybe}",
     "reference", "{stage: maybe}", "offer_but_ghosted",
     "example gives fact 'stage' the invalid value 'maybe'"),
    ("example-unknown-signal", MAIN, "        - signals: [vague_role]",
     "        - signals: [vague_rol]",
     "reference", "[vague_rol]", "flag_found", "example uses unknown signal 'vague_rol'"),
    ("fact-option-not-a-value", "facts.yml", "      upcoming: The interview is ahead",
     "      upcomming: The interview is ahead",
     "invalid", "upcomming:", "stage", "option 'upcomming' is not a value"),
    ("fact-label-not-a-value", "facts.yml", "    labels: {offer: offer in hand}",
     "    labels: {offered: offer in hand}",
     "invalid", "offered: offer in hand", "stage", "label 'offered' is not a value"),
    ("fact-detect-value-not-a-value", "facts.yml", "      offer:\n        phrases:",
     "      offered:\n        phrases:",
     "invalid", "offered:", "stage", "must be one of upcoming, offer, rejected"),
    # everyday word lists (answer words, correction words, purposes, request words, words:)
    ("answer-words-for-a-value-the-fact-lacks", "facts.yml", "      upcoming: [not yet]",
     "      upcomming: [not yet]", "reference", "upcomming: [not yet]", "stage",
     "answer_words: 'upcomming' is not a value of this fact (offer, rejected, upcoming)"),
    ("answer-word-without-letters", "facts.yml", '[got the job, "they offered"]',
     '[got the job, "!?"]', "empty-word", '"!?"', "stage",
     "word '!?' has no letters or digits: it could never match"),
    ("duplicate-answer-word", "facts.yml", "      upcoming: [not yet]",
     "      upcoming: [not yet, Not yet!]", "duplicate-word", "upcoming: [not yet, Not yet!]",
     "stage", "duplicate word 'Not yet!': already item 1 of this list as 'not yet'"),
    ("answer-word-under-two-values", "facts.yml", "      upcoming: [not yet]",
     "      upcoming: [got the job]", "duplicate-word", "upcoming: [got the job]", "stage",
     "word 'got the job' answers both 'offer' and 'upcoming'"),
    ("implied-fact-unknown", "facts.yml", "    question: Is the role at your current company?",
     "    implies:\n      - facts: {employed: true}\n"
     "    question: Is the role at your current company?", "reference",
     "- facts: {employed: true}", "internal",
     "implies: implies an unknown fact or itself: 'employed'"),
    ("implied-value-not-a-value", "facts.yml", "    question: Is the role at your current company?",
     "    implies:\n      - value: true\n        facts: {stage: hired}\n"
     "    question: Is the role at your current company?", "reference", "- value: true",
     "internal", "implies: fact 'stage' must be one of upcoming, offer, rejected"),
    ("prevailing-value-unknown", "facts.yml", "    ask_priority: 60\n",
     "    ask_priority: 60\n    prevails: {offer: [hired]}\n", "reference",
     "prevails: {offer: [hired]}", "stage", "prevails: 'hired' is not a value of this fact"),
    ("changed-feeling-value-unknown", "facts.yml", "    ask_priority: 60\n",
     "    ask_priority: 60\n    changes_mind: {offer: hired}\n", "reference",
     "changes_mind: {offer: hired}", "stage",
     "changes_mind: 'hired' is not a value of this fact"),
    ("duplicate-correction-word", "signals.yml", "[ghosted, \"didn't reply\"]",
     "[ghosted, \"didn't reply\", didnt reply]", "duplicate-word", "correction_words:",
     "ghosting", "duplicate word 'didnt reply': already item 2 of this list"),
    ("phrase-language-in-a-word", "signals.yml", "[ghosted, \"didn't reply\"]",
     "[ghosted|ghosting, \"didn't reply\"]", "invalid", "correction_words:", "ghosting",
     "word 'ghosted|ghosting' uses the phrase language of detect"),
    ("duplicate-request-word", "drafts.yml", "request_words: [thank you from me]",
     "request_words: [thank you from me, Thank you from me]", "duplicate-word",
     "request_words:", "thank_you", "duplicate word 'Thank you from me'"),
    ("duplicate-purpose-word", "drafts.yml", "words: [thank you, thank them]",
     "words: [thank you, thank them, thank you]", "duplicate-word", "  words: [thank you,",
     "thank_you", "duplicate word 'thank you': already item 1 of this list"),
    ("empty-word-in-a-word-list", "words.yml", "skip: [skip, \"don't know\"]",
     "skip: [skip, \"\"]", "schema", "skip: [skip", "skip", "'' is too short"),
    ("duplicate-word-in-a-word-list", "words.yml", "deny: [\"no\", nope]",
     "deny: [\"no\", nope, \"No.\"]", "duplicate-word", "deny:", "deny",
     "duplicate word 'No.': already item 1 of this list as 'no'"),
    ("unquoted-yes-in-a-word-list", "words.yml", "affirm: [\"yes\", yeah]",
     "affirm: [yes, yeah]", "schema", "affirm:", "affirm",
     "True is not of type 'string' (quote it: YAML reads an unquoted yes"),
    ("unknown-word-list", "words.yml", "  skip:", "  skipping:", "schema", "words:", None,
     "'skipping' was unexpected"),
    ("declared-purpose-other", "drafts.yml", "purposes:\n",
     "purposes:\n  - id: other\n    label: something else\n    words: [else]\n", "invalid",
     "- id: other", "other", "purpose 'other' is built in"),
    ("purpose-without-a-draft", "drafts.yml", "purposes:\n",
     "purposes:\n  - id: withdrawal\n    label: withdraw\n    words: [withdraw]\n",
     "reference", "- id: withdrawal", "withdrawal",
     "no stable or experimental draft has this purpose"),
    ("duplicate-purpose", "drafts.yml", "    words: [thank you, thank them]\n",
     "    words: [thank you, thank them]\n  - {id: thank_you, label: thanks, words: [thanks]}\n",
     "duplicate-id", "{id: thank_you, label: thanks", "thank_you",
     "duplicate purpose 'thank_you' (first defined in rules/drafts.yml:"),
]


def _assert_issue(issue, rules: RuleDir, rel: str, line: int, rule_id, message: str) -> None:
    assert issue.file == rules.name(rel)
    assert issue.line == line, f"reported line {issue.line}, expected {line}: {issue}"
    assert issue.rule_id == rule_id
    assert message in issue.message
    # the rendering people read names the place and the id too
    assert str(issue).startswith(f"{rules.name(rel)}:{line}:")
    if rule_id:
        assert f"[{rule_id}]" in str(issue)


def test_the_unedited_mini_fixture_is_valid(mini_dir):
    rulebase, issues = check_rulebase(mini_dir.root)
    assert issues == []
    assert rulebase is not None
    assert [r.id for r in rulebase.rules] == ["offer_but_ghosted", "internal_tell_manager",
                                               "flag_found"]  # sorted by priority


def test_implied_facts_are_read_with_their_values(mini_dir):
    mini_dir.edit("facts.yml", "    question: Is the role at your current company?",
                  "    implies:\n      - value: true\n        facts: {stage: upcoming}\n"
                  "      - facts: {interest: unsure}\n"
                  "    question: Is the role at your current company?")
    rulebase, issues = check_rulebase(mini_dir.root)
    assert issues == []
    assert rulebase.facts["internal"].implies == [(True, {"stage": "upcoming"}),
                                                  (None, {"interest": "unsure"})]
    assert rulebase.facts["stage"].implies == []


@pytest.mark.parametrize("rel, old, new, kind, needle, rule_id, message", [c[1:] for c in
                         SINGLE_ERRORS], ids=[c[0] for c in SINGLE_ERRORS])
def test_single_error_is_reported_with_file_line_and_id(mini_dir, rel, old, new, kind, needle,
                                                        rule_id, message):
    mini_dir.edit(rel, old, new)
    rulebase, issues = check_rulebase(mini_dir.root)
    assert rulebase is None
    issue = only(issues)
    assert issue.kind == kind
    _assert_issue(issue, mini_dir, rel, mini_dir.line(rel, needle), rule_id, message)


def test_a_multiword_alternative_is_fine_inside_a_group(mini_dir):
    mini_dir.edit("signals.yml", "        - never heard back\n",
                  "        - they (could not|couldn't|did not) reply\n")
    rulebase, issues = check_rulebase(mini_dir.root)
    assert issues == []
    for text in ["they could not reply", "they couldn't reply", "They didn't reply"]:
        assert "signal:ghosting" in {h.owner for h in rulebase.detector.run(text)}, text
    assert rulebase.detector.run("they could reply") == []


def test_yaml_syntax_error(mini_dir):
    mini_dir.edit(MAIN, "    why: They will hear anyway.", "    why: They will: hear anyway.")
    rulebase, issues = check_rulebase(mini_dir.root)
    assert rulebase is None
    issue = only(issues)
    assert issue.kind == "yaml"
    # the document could not be parsed, so no entry (and no id) is known
    # (libyaml and PyYAML word the problem slightly differently)
    _assert_issue(issue, mini_dir, MAIN, mini_dir.line(MAIN, "They will: hear"), None,
                  "YAML syntax error: mapping values are not allowed")


def test_duplicate_key_names_the_first_definition(mini_dir):
    mini_dir.edit(MAIN, "    advice: Tell your manager yourself.\n",
                  "    advice: Tell your manager yourself.\n    advice: Or don't.\n")
    rulebase, issues = check_rulebase(mini_dir.root)
    assert rulebase is None
    issue = only(issues)
    assert issue.kind == "duplicate-key"
    first = mini_dir.line(MAIN, "advice: Tell your manager yourself.")
    _assert_issue(issue, mini_dir, MAIN, mini_dir.line(MAIN, "advice: Or don't."),
                  "internal_tell_manager",
                  f"duplicate key 'advice' (first defined on line {first})")


def test_duplicate_id_across_two_files(mini_dir):
    mini_dir.write("advice/other.yml", """\
rules:
  - id: extra_rule
    title: An extra rule
    status: stable
    priority: 10
    topic: mindset
    source: {seed: "003", section: Keeping an open mind}
    when: {always: true}
    advice: Stay open.
    why: It helps.
    next_steps: [Breathe.]
    examples:
      trigger: [{facts: {internal: true}}]
      no_trigger: [{facts: {internal: true}}]
  - id: internal_tell_manager
    title: Same id as in main.yml
    status: stable
    priority: 10
    topic: mindset
    source: {seed: "003", section: Keeping an open mind}
    when: {fact: internal, is: false}
    advice: Stay open.
    why: It helps.
    next_steps: [Breathe.]
    examples:
      trigger: [{facts: {internal: false}}]
      no_trigger: [{facts: {internal: true}}]
""")
    rulebase, issues = check_rulebase(mini_dir.root)
    assert rulebase is None
    # the always-true rule's no_trigger example is wrong, but that is for `rules test`, not load
    issue = only(issues)
    assert issue.kind == "duplicate-id"
    first = mini_dir.line(MAIN, "- id: internal_tell_manager")
    _assert_issue(issue, mini_dir, "advice/other.yml",
                  mini_dir.line("advice/other.yml", "- id: internal_tell_manager"),
                  "internal_tell_manager",
                  f"duplicate id 'internal_tell_manager' (first defined in "
                  f"rules/{MAIN}:{first})")


def test_extra_key_is_named_and_located(mini_dir):
    mini_dir.edit(MAIN, "    why: They will hear anyway.\n",
                  "    why: They will hear anyway.\n    colour: blue\n")
    issue = only(check_rulebase(mini_dir.root)[1])
    assert issue.kind == "schema"
    assert issue.file == mini_dir.name(MAIN)
    assert issue.rule_id == "internal_tell_manager"
    assert "'colour' was unexpected" in issue.message
    # the entry that holds the key, or the key itself, are both places a person can go to
    assert issue.line in {mini_dir.line(MAIN, "- id: internal_tell_manager"),
                          mini_dir.line(MAIN, "colour: blue")}


def test_typo_in_a_nested_condition_is_reported_at_its_own_line(mini_dir):
    """A leaf deep in an `all:` tree with a misspelt key: the issue should point at that leaf.

    JSON Schema reports the failing `oneOf` at the top of the `when` tree; the loader should
    descend to the leaf that is actually wrong instead of saying "found all" at the `when` line.
    """
    mini_dir.edit(MAIN, "        - {signal: ghosting}", "        - {signl: ghosting}")
    issue = only(check_rulebase(mini_dir.root)[1])
    assert issue.kind == "schema"
    assert issue.rule_id == "offer_but_ghosted"
    assert issue.line == mini_dir.line(MAIN, "signl: ghosting"), str(issue)
    assert "signl" in issue.message, str(issue)


def test_cycle_between_named_conditions(mini_dir):
    mini_dir.edit("conditions.yml", "conditions:\n", """\
conditions:
  - id: loop_a
    title: A
    when: {condition: loop_b}
  - id: loop_b
    title: B
    when: {any: [{condition: loop_a}, {fact: stage, is: offer}]}
""")
    rulebase, issues = check_rulebase(mini_dir.root)
    assert rulebase is None
    assert {i.kind for i in issues} == {"cycle"}
    found = {(i.file, i.line, i.rule_id) for i in issues}
    assert found == {
        ("rules/conditions.yml", mini_dir.line("conditions.yml", "when: {condition: loop_b}"),
         "loop_a"),
        ("rules/conditions.yml", mini_dir.line("conditions.yml", "{condition: loop_a}"),
         "loop_b"),
    }
    assert all("refers to itself" in i.message for i in issues)


def test_cycle_used_by_a_rule_is_reported_not_crashing(mini_dir):
    """A rule that uses a cyclic named condition: check mode must report, not recurse forever."""
    mini_dir.edit("conditions.yml", "when: {fact: stage, is: offer}", "when: {condition: loop_b}")
    mini_dir.edit("conditions.yml", "conditions:\n", """\
conditions:
  - id: loop_b
    title: B
    when: {condition: has_offer}
""")
    rulebase, issues = check_rulebase(mini_dir.root)  # offer_but_ghosted uses has_offer
    assert rulebase is None
    cycles = [i for i in issues if i.kind == "cycle"]
    assert {i.rule_id for i in cycles} == {"has_offer", "loop_b"}
    assert all(i.file == "rules/conditions.yml" and i.line for i in cycles)


def test_known_true_condition_is_not_unreachable(mini_dir):
    """`{fact: stage, known: true}` (documented in rules/README.md) can obviously be true."""
    mini_dir.edit(MAIN, "when: {fact: internal, is: true}",
                  "when: {all: [{fact: stage, known: true}, {signal: ghosting}]}")
    mini_dir.edit(MAIN, "        - facts: {internal: true}\n        - text:",
                  "        - facts: {stage: offer}\n          signals: [ghosting]\n        - text:")
    rulebase, issues = check_rulebase(mini_dir.root)
    assert issues == [], "\n".join(map(str, issues))


def test_template_with_an_unclosed_brace(mini_dir):
    mini_dir.edit("drafts.yml", "{sign_off}\n", "{sign_off} {oops\n")
    rulebase, issues = check_rulebase(mini_dir.root)
    assert rulebase is None
    issue = only(issues, kind="invalid")
    _assert_issue(issue, mini_dir, "drafts.yml", mini_dir.line("drafts.yml", "template:"),
                  "thank_you", "write a literal brace as {{ or }}")


def test_unreachable_rule_is_reported_even_when_an_unrelated_condition_is_broken(mini_dir):
    """Check mode promises every error at once; a typo in one named condition must not hide
    that a rule elsewhere (which does not use that condition) can never fire."""
    mini_dir.edit("conditions.yml", "when: {signals: {at_least: 1}}",
                  "when: {signals: {at_least: 1}}\n  - id: broken\n    title: Broken\n"
                  "    when: {fact: stage, is: offered}")
    mini_dir.edit(MAIN, "when: {fact: internal, is: true}",
                  "when: {all: [{fact: stage, is: offer}, {fact: stage, is: rejected}]}")
    issues = check_rulebase(mini_dir.root)[1]
    assert only(issues, kind="reference").rule_id == "broken"
    unreachable = only(issues, kind="unreachable")
    assert unreachable.rule_id == "internal_tell_manager"
    assert unreachable.line == mini_dir.line(MAIN, "is: rejected")


def test_empty_file(mini_dir):
    mini_dir.write("advice/empty.yml", "# nothing here yet\n")
    issue = only(check_rulebase(mini_dir.root)[1])
    assert issue.kind == "schema"
    assert (issue.file, issue.line, issue.rule_id) == ("rules/advice/empty.yml", 1, None)
    assert "the file is empty" in issue.message


def test_empty_mapping_file(mini_dir):
    mini_dir.write("advice/empty.yml", "{}\n")
    issue = only(check_rulebase(mini_dir.root)[1])
    assert (issue.file, issue.line, issue.kind) == ("rules/advice/empty.yml", 1, "schema")


def test_missing_schema(mini_dir):
    (mini_dir.root / "schema.json").unlink()
    rulebase, issues = check_rulebase(mini_dir.root)
    assert rulebase is None
    issue = only(issues)
    assert issue.kind == "missing"
    assert issue.file == str(mini_dir.root)
    assert "no schema.json" in issue.message


def test_missing_folder(tmp_path):
    missing = tmp_path / "nowhere"
    rulebase, issues = check_rulebase(missing)
    assert rulebase is None
    issue = only(issues)
    assert (issue.file, issue.kind) == (str(missing), "missing")
    assert "not found" in issue.message
    with pytest.raises(RuleBaseError, match="rule base folder not found"):
        load_rulebase(missing)


def test_folder_without_rule_files(tmp_path):
    rules = RuleDir.create(tmp_path)
    issue = only(check_rulebase(rules.root)[1])
    assert issue.kind == "missing"
    assert "no .yml files" in issue.message


# -- every error at once ------------------------------------------------------------------------

MARKER = re.compile(r"#\s*expect:\s*(?P<kind>[\w-]+)(?:\s+\[(?P<id>\w+)\])?")


def _markers(root: Path):
    """(file, line, kind, id) for every `# expect: kind [id]` comment in the fixture."""
    found = set()
    for path in sorted(root.rglob("*.yml")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            match = MARKER.search(line)
            if match:
                found.add((str(path.relative_to(root.parent)), number, match["kind"], match["id"]))
    return found


def test_check_mode_reports_every_error_at_once(tmp_path):
    rules = RuleDir.create(tmp_path, FIXTURES / "broken")
    expected = _markers(rules.root)
    assert len({kind for _, _, kind, _ in expected}) >= 5
    assert len({file for file, _, _, _ in expected}) >= 4

    rulebase, issues = check_rulebase(rules.root)
    assert rulebase is None
    reported = {(i.file, i.line, i.kind, i.rule_id) for i in issues}
    missing = expected - reported
    assert not missing, "not reported:\n" + "\n".join(map(str, sorted(missing))) + \
        "\nreported:\n" + "\n".join(map(str, issues))

    with pytest.raises(RuleBaseError) as caught:
        load_rulebase(rules.root)
    error = caught.value
    assert sorted(map(str, error.issues)) == sorted(map(str, issues))
    text = str(error)
    assert text.startswith(f"{len(issues)} problems in the rule base:")
    for issue in issues:
        assert str(issue) in text


def test_a_yaml_syntax_error_does_not_hide_other_errors(tmp_path):
    """An unparsable file is reported with its line, and every other problem is still listed
    (check mode reports all errors at once; the CLI prints syntax errors first)."""
    rules = RuleDir.create(tmp_path, FIXTURES / "broken")
    expected = _markers(rules.root)
    rules.write("advice/c.yml", "rules:\n  - id: rule_x\n    title: Broken: yes: no\n")
    issues = check_rulebase(rules.root)[1]
    syntax = only(issues, kind="yaml")
    assert (syntax.file, syntax.line, syntax.rule_id) == ("rules/advice/c.yml", 3, None)
    reported = {(i.file, i.line, i.kind, i.rule_id) for i in issues}
    assert expected <= reported
    assert not [i for i in issues if i.kind == "note"]


def test_a_word_may_name_one_purpose_only(mini_dir):
    mini_dir.edit("drafts.yml", "purposes:\n",
                  "purposes:\n  - id: other_thanks\n    label: thanks\n    words: [Thank them!]\n")
    issues = check_rulebase(mini_dir.root)[1]
    issue = only(issues, kind="duplicate-word")
    line = mini_dir.line("drafts.yml", "  words: [thank you,")
    _assert_issue(issue, mini_dir, "drafts.yml", line, "thank_you",
                  "word 'thank them' names the purposes both 'other_thanks' and 'thank_you': "
                  "give it under one of them only")
    # the new purpose has no draft yet: said too, at its own entry
    unused = only(issues, kind="reference")
    assert (unused.rule_id, unused.line) == ("other_thanks",
                                             mini_dir.line("drafts.yml", "- id: other_thanks"))


def test_a_word_list_is_given_once_in_the_whole_rule_base(mini_dir):
    mini_dir.write("words_more.yml", "words:\n  stop: [cancel]\n  skip: [pass]\n")
    issue = only(check_rulebase(mini_dir.root)[1])
    assert issue.kind == "duplicate-id"
    _assert_issue(issue, mini_dir, "words_more.yml", 3, "skip",
                  "the word list 'skip' is already given in rules/words.yml:"
                  f"{mini_dir.line('words.yml', 'skip:')}")


def test_an_unknown_purpose_is_not_also_reported_as_an_unused_one(mini_dir):
    """A misspelt purpose leaves the declared one without a draft; only the cause is reported."""
    mini_dir.edit("drafts.yml", "purpose: thank_you", "purpose: thank_yuo")
    issue = only(check_rulebase(mini_dir.root)[1])
    assert "unknown purpose 'thank_yuo'" in issue.message
