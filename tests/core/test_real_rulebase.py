"""The project's own rule base: loads cleanly, its examples pass, its contract holds."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from interview_advisor import check_rulebase
from interview_advisor.examples import run_examples
from interview_advisor.rulebase import iter_ids

from .helpers import RULES, SCHEMA, SEEDS, SIGNAL_IDS, real_advisor


def _example_results():
    try:
        return run_examples(real_advisor())
    except Exception as exc:  # a broken rule base: one failing case that shows why
        return exc


def pytest_generate_tests(metafunc):
    if "example" in metafunc.fixturenames:
        results = _example_results()
        if isinstance(results, Exception):
            metafunc.parametrize("example", [results], ids=["rule-base-does-not-load"])
            return
        seen: Counter = Counter()
        ids = []
        for result in results:
            seen[(result.owner, result.kind)] += 1
            ids.append(f"{result.owner}:{result.kind}:{seen[(result.owner, result.kind)]}")
        metafunc.parametrize("example", results, ids=ids)


def test_check_rulebase_has_no_issues():
    rulebase, issues = check_rulebase(RULES)
    assert issues == [], "\n".join(map(str, issues))
    assert rulebase is not None
    assert rulebase.rules and rulebase.facts and rulebase.drafts


def test_own_example(example):
    if isinstance(example, Exception):
        raise example
    assert example.passed, str(example)


def test_every_signal_and_active_rule_has_examples_of_both_kinds(advisor):
    results = run_examples(advisor)
    kinds = {}
    for result in results:
        kinds.setdefault(result.owner, set()).add(result.kind)
    for signal_id in advisor.rulebase.active_signals:
        assert kinds.get(signal_id) == {"match", "no_match"}, signal_id
    for rule in advisor.rulebase.active_rules:
        assert kinds.get(rule.id) == {"trigger", "no_trigger"}, rule.id


def test_ids_are_unique_across_the_rule_base(advisor):
    counts = Counter(iter_ids(advisor.rulebase))
    assert [i for i, n in counts.items() if n > 1] == []
    assert len(counts) == len(advisor.rulebase.facts) + len(advisor.rulebase.signals) + \
        len(advisor.rulebase.conditions) + len(advisor.rulebase.rules) + \
        len(advisor.rulebase.drafts) + len(advisor.rulebase.questions)


def test_the_five_signal_ids_are_the_contract(advisor):
    assert set(advisor.rulebase.signals) == SIGNAL_IDS
    assert set(advisor.rulebase.active_signals) == SIGNAL_IDS


def _schema_topics():
    return json.loads(SCHEMA.read_text("utf-8"))["definitions"]["topic"]["enum"]


@pytest.mark.parametrize("topic", _schema_topics())
def test_every_topic_has_an_active_rule(advisor, topic):
    assert [r.id for r in advisor.rulebase.active_rules if r.topic == topic]


@pytest.mark.parametrize("purpose", ["withdrawal", "thank_you", "decline_offer", "tell_manager"])
def test_every_draft_purpose_has_a_draft(advisor, purpose):
    assert advisor.drafts_for(purpose)


def test_every_rule_draft_reference_resolves(advisor):
    for rule in advisor.rulebase.rules:
        if rule.draft is not None:
            assert rule.draft in advisor.rulebase.drafts, rule.id


# -- sources --------------------------------------------------------------------------------------

def _seed_headings(seed: str):
    """Lines of the seed article; in seed 000 headings are glued to the end of the paragraph
    before them ("...within the company.How to Handle a Job Interview You Don’t Want")."""
    files = sorted(SEEDS.glob(f"{seed}_*.txt"))
    assert files, f"no seed article {seed}_*.txt in {SEEDS}"
    return [line.strip() for f in files for line in f.read_text("utf-8").splitlines()]


def _is_heading(section: str, lines) -> bool:
    glued = re.compile(r"[.!?:]" + re.escape(section) + r"$")
    return any(line == section or glued.search(line) for line in lines)


def _sourced_entries():
    rulebase = real_advisor().rulebase
    entries = [("rule", r.id, r.source) for r in rulebase.rules]
    entries += [("signal", s.id, s.source) for s in rulebase.signals.values()]
    entries += [("draft", d.id, d.source) for d in rulebase.drafts.values()]
    return entries


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not available at {SEEDS}")
def test_every_source_section_is_a_heading_of_its_seed_article():
    cache = {}
    wrong = []
    for what, entry_id, source in _sourced_entries():
        lines = cache.setdefault(source["seed"], _seed_headings(source["seed"]))
        if not _is_heading(source["section"], lines):
            wrong.append(f"{what} {entry_id}: seed {source['seed']} has no heading "
                         f"{source['section']!r}")
    assert wrong == []


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not available at {SEEDS}")
@pytest.mark.parametrize("section, seed, ok", [
    ("Recognizing the Signs of a Mismatch", "000", True),
    ("How to Handle a Job Interview You Don’t Want", "000", True),   # glued to a paragraph
    ("Manager being informed", "003", True),
    ("Signs of a Mismatch", "000", False),                           # only part of a heading
    ("Manager being informed", "000", False),                        # wrong article
    ("Vague Job Description", "000", False),                         # inline label, not heading
])
def test_heading_matcher_itself(section, seed, ok):
    assert _is_heading(section, _seed_headings(seed)) is ok


@pytest.mark.parametrize("interest, asked", [("interested", False), ("unsure", False),
                                             ("not_interested", True), (None, True)])
def test_someone_keen_or_torn_is_not_asked_whether_they_would_surely_say_no(advisor, interest,
                                                                            asked):
    """Seen in `make shell`: "honestly id be keen" was followed by "Are you already sure you
    would say no to this job?"."""
    facts = {"stage": "done", "employed": True}
    if interest:
        facts["interest"] = interest
    questions = {q.fact for q in advisor.analyze("", facts).questions}
    assert ("certain_to_decline" in questions) is asked
