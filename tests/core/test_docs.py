"""The Markdown catalogue of a rule base."""

from __future__ import annotations

from pathlib import Path

from interview_advisor.docs import _words, catalogue


def test_catalogue_of_the_mini_rule_base(mini_advisor):
    text = catalogue(mini_advisor.rulebase)
    assert text.startswith("# Rule base catalogue\n")
    assert "3 facts, 3 signals, 2 named conditions, 3 advice rules, 1 message drafts." in text
    for heading in ["## Facts", "## Signals (red flags)", "## Named conditions",
                    "## Advice rules", "### Red flags", "### Internal and external interviews",
                    "## Message drafts"]:
        assert f"\n{heading}\n" in text
    assert "#### `offer_but_ghosted` - Offer but they ghosted you" in text
    assert "**When:** `all of (condition has_offer, signal ghosting)`" in text
    assert "(rules/advice/main.yml:2)" in text
    assert "Message draft: `thank_you`" in text
    assert "Raised by: \"they ghosted me\"" in text
    assert "| `has_offer` | The person has an offer | `stage is offer` |" in text
    assert text.endswith("```\n")


def test_the_committed_catalogue_is_up_to_date(advisor):
    """docs/rulebase.md is generated; regenerate it with `make rules-docs` after editing rules/."""
    committed = (Path(__file__).resolve().parents[2] / "docs" / "rulebase.md").read_text("utf-8")
    assert committed == catalogue(advisor.rulebase), "run `make rules-docs`"


def test_the_catalogue_documents_several_opportunities(advisor):
    """Issue 12: the decision topics, every rule of rules/opportunities.yml, the rules over
    several opportunities and the scope of each fact."""
    rb = advisor.rulebase
    text = catalogue(rb)
    section = text[text.index("\n## Several opportunities\n"):text.index("\n## Everyday words\n")]
    assert rb.decision_topics
    for topic in rb.decision_topics.values():
        row = next(line for line in section.splitlines() if line.startswith(f"| `{topic.id}` |"))
        assert topic.title in row and topic.question in row and "rules/opportunities.yml:" in row
    in_file = [r for r in rb.rules if r.file.endswith("opportunities.yml")]
    assert in_file
    for rule in in_file:
        assert f"| `{rule.id}` |" in section                      # listed with the others
        assert f"#### `{rule.id}` - {rule.title}" in text        # and in full under its topic
    assert "| `honesty_tell_others_about_your_offer` |" in section   # multiple_processes
    derived = [f for f in rb.facts.values() if f.scope == "derived"]
    assert derived and all(f"| `{f.id}` | boolean | true, false | derived |" in text
                           for f in derived)
    team = rb.decision_topics["topic_team_and_relationships"]
    assert team.not_words and f"(not in: {_words(team.not_words)})" in section
    for word_list in ("opportunity_other", "compare_words", "better_words", "worse_words"):
        assert f"\n| {word_list} | " in text
