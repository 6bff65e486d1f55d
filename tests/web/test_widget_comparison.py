"""The widget's rendering of a comparison (issue 12) in real headless Chromium, without a bot:
the reply is built by the dialogue core from a real two-offer conversation and handed to the
widget as if the server had sent it."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue import compose_opportunities as several
from interview_advisor.dialogue import reading
from interview_advisor.dialogue.state import State, UserMessage

from .conftest import DESKTOP, new_page, screenshot

pytestmark = pytest.mark.slow

XSS = '<img src=x onerror=alert(1)>'


def comparison_json(extra: str = "") -> Dict[str, Any]:
    advisor = Advisor()
    state = State()
    for number, (text, intent) in enumerate([
            ("two offers on the table: one from a startup paying 70k, one from a bank paying "
             "62k with much better hours" + extra, "evaluate_offer"),
            ("work-life balance matters most to me, then pay", "inform")]):
        state, _, _ = reading.absorb(advisor, state, UserMessage(text, intent, [], str(number)))
    return several.comparison_reply(advisor, state).to_json()


def test_a_comparison_is_a_table(chromium: Any, static_web: Any,
                                 page_errors: List[str]) -> None:
    page = new_page(chromium, DESKTOP, page_errors)
    page.goto(static_web.url + "/")
    page.get_by_role("button", name="Open the Interview Advisor chat").click()
    page.locator("#text-input").wait_for()
    panel = page.locator("advisor-chat .ia-panel")
    narrow = panel.bounding_box()["width"]
    reply = comparison_json(" " + XSS)       # the person's words, in the bank's cell
    page.evaluate("m => document.querySelector('advisor-chat').receive(m)",
                  {"text": "comparison", "reply": reply})
    table = page.locator("table.ia-compare")
    table.wait_for()
    assert table.locator("thead th").all_inner_texts() == [
        "What matters", "1. the bank", "2. the startup"]
    rows = table.locator("tbody tr")
    assert rows.count() == 2
    first = rows.nth(0)
    assert "Work-life balance" in first.locator("th").inner_text()
    cells = first.locator("td")
    assert "much better hours" in cells.nth(0).inner_text()
    assert XSS in cells.nth(0).inner_text()                         # shown as text
    assert "Ask:" in cells.nth(1).inner_text()                      # a gap is a question
    assert cells.nth(0).get_attribute("class") == "ia-cell ia-cell-for"
    assert "the bank, then the startup" in page.locator(".ia-verdict").inner_text()
    assert page.locator(".ia-reply img").count() == 0                # words stay text
    # the panel widened for the table, and the table fits without scrolling sideways
    assert panel.bounding_box()["width"] >= narrow + 300
    assert page.evaluate("""() => { const w = document.querySelector('advisor-chat').shadowRoot
        .querySelector('deep-chat').shadowRoot.querySelector('.ia-table-wrap');
        return w.scrollWidth <= w.clientWidth; }""")
    screenshot(page, "comparison-desktop")
    page.get_by_role("button", name="New conversation").click()
    page.wait_for_function("() => !document.querySelector('advisor-chat')"
                           ".classList.contains('ia-wide')")
    assert panel.bounding_box()["width"] == narrow              # a new conversation: narrow
    assert page_errors == []
