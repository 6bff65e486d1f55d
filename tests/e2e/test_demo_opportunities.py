"""The README's sample conversation with two offers and the current job (issue 12), replayed
against the real servers: each opportunity named, the current job in the table, the gaps as
questions, a ranked verdict with its reasons - and the README shows exactly this comparison, so
it cannot go stale silently (re-record it with
``make demo DEMO=opportunities ARGS=--markdown``)."""

from __future__ import annotations

import re
from typing import Callable

import pytest
from sample_conversation import OPPORTUNITIES

from .conftest import ROOT, Conversation, payload

pytestmark = pytest.mark.slow

SECTION = "### A sample conversation: two offers and the current job"


def readme_sample() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    assert SECTION in text, "the README lost its several-opportunities sample"
    start = text.index(SECTION)
    return text[start:text.index("\n#", start + len(SECTION))]


def test_the_readme_sample_compares_two_offers_and_the_current_job(
        chat: Callable[[], Conversation]) -> None:
    c = chat()
    replies = [c.say(message) for message in OPPORTUNITIES]
    final = replies[-1]
    comparison = payload(final, "comparison")["comparison"]
    names = [o["opportunity"] for o in comparison["options"]]
    assert set(names) == {"Initech", "Hooli", "your current job"}
    # the person's priorities, in their order
    assert [p["topic"] for p in comparison["priorities"]][:3] == [
        "topic_growth", "topic_pay_and_title", "topic_commute_and_flexibility"]
    cells = {(o["opportunity"], c["topic"]): c for o in comparison["options"]
             for c in o["cells"]}
    # the current job's own words count against it, not against an offer
    growth = cells[("your current job", "topic_growth")]
    assert growth["status"] == "against"
    assert any("no growth" in q["text"] for q in growth["quotes"])
    assert all("no growth" not in q["text"] for name in ("Initech", "Hooli")
               for q in cells[(name, "topic_growth")]["quotes"])
    # a red flag counts against its company; the gaps are questions to ask that employer
    assert cells[("Initech", "topic_growth")]["flags"] == ["Vague job description"]
    gaps = [cell for (name, _), cell in cells.items()
            if cell["status"] == "unknown" and name != "your current job"]
    assert gaps and all(cell["question"] for cell in gaps)
    # a ranked verdict with reasons
    verdict = comparison["verdict"]
    assert re.search(r"\w, then \w.*, then ", verdict["text"]) and verdict["reasons"]
    text = final.text
    assert "Questions to ask:" in text and "My verdict" in text
    for name in names:
        assert name in text.splitlines()[1]                 # the table's header row
    # the README shows this conversation, and exactly this comparison
    sample = readme_sample()
    for message in OPPORTUNITIES:
        assert f"> **You:** {message}" in sample
    for line in text.splitlines():
        if line.strip():
            assert f"> {line}" in sample, f"README is stale: {line!r} is not in its sample"
