"""Several opportunities at once (issue 12) with the real bot over REST: flags kept per company,
switching back and forth, replies that say which one they are about, a summary of all of them,
priorities, the comparison, and a draft filled from the right company."""

from __future__ import annotations

from typing import Any, Callable, Dict, List

import pytest

from .conftest import Conversation, payload

pytestmark = pytest.mark.slow

Chat = Callable[[], Conversation]


def flags_about(data: Dict[str, Any]) -> List[tuple]:
    return [(f["id"], f.get("opportunity")) for f in data.get("flags") or []]


def test_two_companies_switching_back_and_forth(chat: Chat) -> None:
    c = chat()
    c.say("hi")
    first = c.say("At Tyrell everyone only had good things to say and no one would name "
                  "a single downside")
    assert "opportunity" not in payload(first, "advice")       # one company: as before
    second = payload(c.say("At Wayne they took a month to reply and then got my name wrong"),
                     "advice")
    assert second["opportunity"] == "Wayne"
    assert ("poor_communication", "Wayne") in flags_about(second)
    assert "overly_positive_acquaintances" not in [f for f, _ in flags_about(second)]
    back = c.say("remind me what you found about Tyrell")
    assert "Tyrell" in back.text and "Wayne" not in back.text
    summary = payload(c.say("summary"), "summary")
    assert ("overly_positive_acquaintances", "Tyrell") in flags_about(summary)
    assert ("poor_communication", "Wayne") in flags_about(summary)
    assert {a.get("opportunity") for a in summary["advice"]} >= {"Tyrell", "Wayne"}


def test_compare_two_offers_and_the_current_job(chat: Chat) -> None:
    c = chat()
    c.say("two offers on the table: one from a startup paying 70k, one from a bank paying 62k "
          "with much better hours")
    c.say("and my current job is fine but the pay is low")
    reply = c.say("compare them")
    data = payload(reply, "comparison")
    options = [o["opportunity"] for o in data["comparison"]["options"]]
    assert set(options) == {"the startup", "the bank", "your current job"}
    assert data["question"]["options"]                      # priorities asked once
    assert "|" in reply.text and "My verdict" in reply.text
    again = payload(c.say("work-life balance matters most"), "comparison")
    comparison = again["comparison"]
    assert comparison["priorities"][0]["topic"] == "topic_work_life_balance"
    assert comparison["options"][0]["opportunity"] == "the bank"
    assert again.get("question") is None                    # not asked twice
    bank = comparison["options"][0]
    balance = next(cell for cell in bank["cells"] if cell["topic"] == "topic_work_life_balance")
    assert any("better hours" in q["text"] for q in balance["quotes"])


def test_draft_is_filled_from_the_company_it_is_about(chat: Chat) -> None:
    c = chat()
    c.say("Initech interview went fine, they were clear about everything")
    c.say("the Hooli one was weird, the manager said the remote promise from the recruiter "
          "doesn't apply anymore")
    start = c.say("back to Initech, I'd like to send them a thank you note")
    assert payload(start, "draft_step")["opportunity"] == "Initech"
    assert "About Initech" in start.text and "Hooli" not in start.text
    for _ in range(4):      # answer whatever the draft form asks, until the draft comes
        reply = c.say("skip")
        if any(d.get("kind") == "draft" for d in reply.customs):
            break
    draft = payload(reply, "draft")["draft"]
    assert draft["id"] == "thank_you_after_interview" and "Hooli" not in draft["text"]
    c.say("I'm not interested in Hooli anymore")
    withdraw = c.say("draft the withdrawal")
    for _ in range(4):
        if any(d.get("kind") == "draft" for d in withdraw.customs):
            break
        withdraw = c.say("skip")
    text = payload(withdraw, "draft")["draft"]["text"]
    assert "Hooli" in text and "Initech" not in text
