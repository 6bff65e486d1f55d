"""Message drafts: filling placeholders, defaults, and what is still missing."""

from __future__ import annotations

import re

import pytest

from .helpers import real_advisor


def test_given_values_defaults_and_missing(mini_advisor):
    rendered = mini_advisor.draft("thank_you", {"company": "Acme"})
    assert rendered.id == "thank_you" and rendered.title == "Say thank you"
    assert rendered.text == "Hi there, thank you from me to Acme.\n[sign off]"
    assert rendered.missing == [("sign_off", "How do you sign?")]


def test_every_value_given(mini_advisor):
    rendered = mini_advisor.draft("thank_you", {"company": "Acme", "sign_off": "Sam",
                                                "name": "Priya"})
    assert rendered.text == "Hi Priya, thank you from me to Acme.\nSam"
    assert rendered.missing == []


def test_given_value_beats_the_default_and_is_trimmed(mini_advisor):
    rendered = mini_advisor.draft("thank_you", {"name": "  Priya \n", "company": "Acme",
                                                "sign_off": "Sam"})
    assert rendered.text.startswith("Hi Priya, thank")


def test_values_are_not_reinterpreted_as_template(mini_advisor):
    rendered = mini_advisor.draft("thank_you", {"company": "{name} & {0} }{", "sign_off": "Sam"})
    assert "to {name} & {0} }{." in rendered.text


def test_unknown_values_are_ignored(mini_advisor):
    rendered = mini_advisor.draft("thank_you", {"company": "Acme", "sign_off": "Sam",
                                                "salary": "lots"})
    assert "lots" not in rendered.text and rendered.missing == []


@pytest.mark.parametrize("blank", ["", "   ", "\n"], ids=["empty", "spaces", "newline"])
def test_a_blank_value_counts_as_not_given(mini_advisor, blank):
    rendered = mini_advisor.draft("thank_you", {"company": blank, "sign_off": "Sam",
                                                "name": blank})
    assert rendered.text == "Hi there, thank you from me to [company].\nSam"
    assert rendered.missing == [("company", "Which company is it?")]


def test_unknown_draft_id(mini_advisor):
    with pytest.raises(KeyError):
        mini_advisor.draft("no_such_draft")


def test_drafts_for_purpose(mini_advisor):
    assert [d.id for d in mini_advisor.drafts_for("thank_you")] == ["thank_you"]
    assert mini_advisor.drafts_for("withdrawal") == []


def _real_draft_ids():
    try:
        return sorted(real_advisor().rulebase.drafts)
    except Exception:  # the rule base does not load: the advisor fixture will say why
        return [pytest.param(None, id="rule-base-does-not-load")]


@pytest.mark.parametrize("draft_id", _real_draft_ids())
def test_every_real_draft_renders_completely(advisor, draft_id):
    draft = advisor.rulebase.drafts[draft_id]
    values = {name: f"<{name}>" for name in draft.placeholders}
    rendered = advisor.draft(draft_id, values)
    assert rendered.missing == []
    for name in draft.placeholders:
        assert f"<{name}>" in rendered.text
    assert not re.search(r"[{}]", rendered.text.replace("<", "").replace(">", ""))
    # with nothing given, exactly the placeholders without a default are asked for
    bare = advisor.draft(draft_id)
    assert [name for name, _ in bare.missing] == [
        n for n, p in draft.placeholders.items() if p.default is None]
    assert all(question for _, question in bare.missing)
