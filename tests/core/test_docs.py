"""The Markdown catalogue of a rule base."""

from __future__ import annotations

from pathlib import Path

from interview_advisor.docs import catalogue


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
