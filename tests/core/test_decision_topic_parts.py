"""A decision topic that is a factor of another (``part_of`` in rules/opportunities.yml): read
from the rule base, and a wrong reference reported with file, line and id."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from interview_advisor import check_rulebase, load_rulebase
from interview_advisor.rulebase import default_rules_dir

COMMUTE = "topic_commute_and_flexibility"
SAID = "    part_of: topic_work_life_balance\n"


def test_commute_is_a_factor_of_work_life_balance_as_the_seed_says():
    topics = load_rulebase().decision_topics
    assert topics[COMMUTE].part_of == "topic_work_life_balance"
    # only factors name a broader topic, and the broader one is a factor of none
    assert all(t.part_of is None or topics[t.part_of].part_of is None for t in topics.values())


@pytest.mark.parametrize("part_of", ["topic_wellbeing", COMMUTE])
def test_a_part_of_that_names_no_broader_topic_is_reported(tmp_path: Path, part_of: str):
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    path = rules / "opportunities.yml"
    text = path.read_text(encoding="utf-8")
    assert SAID in text
    path.write_text(text.replace(SAID, f"    part_of: {part_of}\n"), encoding="utf-8")
    rulebase, issues = check_rulebase(rules)
    assert rulebase is None
    [issue] = issues
    assert issue.rule_id == COMMUTE and issue.kind == "reference"
    assert issue.file.endswith("opportunities.yml")
    assert f"id: {COMMUTE}" in path.read_text(encoding="utf-8").splitlines()[issue.line - 1]
    assert repr(part_of) in issue.message
