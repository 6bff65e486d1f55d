"""The widget's rendering of the reply model, in real headless Chromium, without a bot: reply
JSON is handed to the widget as if the server had sent it (``receive``), or to its render
function. The server side of the same flow is in test_widget_e2e.py."""

from __future__ import annotations

import copy
from typing import Any, Dict, List

import pytest

from .conftest import DESKTOP, PHONE, example_reply, new_page, screenshot

pytestmark = pytest.mark.slow

XSS = '<img src=x onerror=alert(1)>'


def open_widget(browser: Any, url: str, errors: List[str],
                viewport: Dict[str, int] = DESKTOP) -> Any:
    page = new_page(browser, viewport, errors)
    page.goto(url + "/")
    page.get_by_role("button", name="Open the Interview Advisor chat").click()
    page.locator("#text-input").wait_for()
    return page


def receive(page: Any, message: Dict[str, Any]) -> None:
    page.evaluate("m => document.querySelector('advisor-chat').receive(m)", message)


def test_the_contract_example_renders_as_cards(chromium: Any, static_web: Any,
                                               page_errors: List[str]) -> None:
    reply = example_reply()
    page = open_widget(chromium, static_web.url, page_errors)
    receive(page, {"text": "plain text", "reply": reply})

    flag = page.locator(".ia-flag")
    flag.wait_for()
    assert flag.count() == 1
    assert "Vague job description" in flag.inner_text()
    assert flag.locator(".ia-quote").inner_text() == "\u201ccouldn't really tell me what I'd\u201d"
    assert "Why it matters: When nobody can say what the job is" in flag.inner_text()

    # what the message told the bot is shown with the person's words, as in the terminal
    noted = page.get_by_role("list", name="What I noted")
    assert noted.inner_text().strip() == ("Noted - Where you are in the process: interview done"
                                          " - you said \u201chad a second interview\u201d")

    advice = page.locator(".ia-advice")
    assert advice.count() == 1
    assert "Get the role described in writing" in advice.inner_text()
    steps = advice.get_by_role("checkbox")
    assert steps.count() == 1
    assert advice.get_by_label("Within 24 hours, email the recruiter ...").count() == 1
    steps.first.check()
    assert steps.first.is_checked()

    assert "4 more pieces of advice" in page.locator(".ia-reply").inner_text()
    answers = page.get_by_role("group", name="Answers").get_by_role("button")
    assert answers.all_inner_texts() == ["keen", "unsure", "not really interested"]
    chips = page.get_by_role("group", name="Suggestions").get_by_role("button")
    assert chips.all_inner_texts() == ["Why?", "Summary", "Draft it"]
    rate = page.get_by_role("group", name="Was this helpful?")
    assert rate.get_by_role("button", name="Helpful", exact=True).count() == 1
    assert rate.get_by_role("button", name="Not helpful").count() == 1
    # the plain text went to the screen reader announcement, not on screen
    assert page.locator("[aria-live=polite]").inner_text() == "plain text"
    page.locator(".ia-reply").scroll_into_view_if_needed()
    screenshot(page, "render-desktop")
    assert page_errors == []


def test_buttons_send_their_payload_text(chromium: Any, static_web: Any,
                                         page_errors: List[str]) -> None:
    page = open_widget(chromium, static_web.url, page_errors)
    page.evaluate("""r => {
        window.sent = [];
        const node = window.AdvisorChat.renderReply(r, t => window.sent.push(t));
        node.id = 'rendered';
        document.body.append(node);
    }""", example_reply())
    rendered = page.locator("#rendered")
    rendered.get_by_role("button", name="Why?").click()
    rendered.get_by_role("button", name="Draft it").click()
    rendered.get_by_role("button", name="not really interested").click()
    rendered.get_by_role("button", name="Helpful", exact=True).click()
    rendered.get_by_role("button", name="Not helpful").click()
    assert page.evaluate("window.sent") == ["why?", "draft it", "not really interested",
                                            "that helped", "not helpful"]
    # from the keyboard: Tab reaches the buttons, Enter and Space press them
    rendered.get_by_role("button", name="Why?").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press(" ")
    assert page.evaluate("window.sent")[5:] == ["summary", "draft it"]


def test_questions_to_ask_are_listed_under_their_advice(chromium: Any, static_web: Any,
                                                      page_errors: List[str]) -> None:
    reply = copy.deepcopy(example_reply())
    reply["advice"][0]["questions_to_ask"] = ["What would a normal week in this role look like?",
                                              "Why is this position open right now?"]
    page = open_widget(chromium, static_web.url, page_errors)
    receive(page, {"text": "plain text", "reply": reply})
    advice = page.locator(".ia-advice")
    advice.wait_for()
    questions = advice.get_by_role("list", name="Questions to ask them")
    assert questions.locator("li").all_inner_texts() == reply["advice"][0]["questions_to_ask"]
    assert "Questions to ask them" in advice.locator("h4").all_inner_texts()
    # an advice item without the key shows no such list (the ordinary advice reply)
    receive(page, {"text": "plain text", "reply": example_reply()})
    page.locator(".ia-advice").nth(1).wait_for()
    assert page.locator(".ia-advice").nth(1).locator(".ia-questions").count() == 0
    assert page_errors == []


def test_untrusted_text_is_shown_literally(chromium: Any, static_web: Any,
                                           page_errors: List[str]) -> None:
    reply = copy.deepcopy(example_reply())
    reply["flags"][0]["quotes"][0]["text"] = XSS
    reply["flags"][0]["title"] = "<script>alert(2)</script>"
    reply["advice"][0]["next_steps"] = [XSS + " see https://example.com/a?b=1."]
    reply["notes"] = ['<a href="javascript:alert(3)">click</a>']
    reply["suggestions"] = [{"title": XSS, "payload": XSS}]
    reply["answer"] = {"question": XSS, "text": "No - " + XSS, "quote": XSS, "rule": "r",
                       "source": None}
    page = open_widget(chromium, static_web.url, page_errors)
    receive(page, {"text": XSS, "reply": reply})
    page.locator(".ia-flag").wait_for()
    assert page.locator(".ia-quote").inner_text() == f"\u201c{XSS}\u201d"
    assert "<script>alert(2)</script>" in page.locator(".ia-flag h3").inner_text()
    assert page.locator(".ia-answer").inner_text() == "No - " + XSS   # shown first, as text
    assert page.locator(".ia-reply img").count() == 0
    assert page.locator(".ia-reply script").count() == 0
    # links: only the http(s) URL in the text became a link, and it does not include the period
    links = page.locator(".ia-reply a")
    assert links.count() == 1
    assert links.first.get_attribute("href") == "https://example.com/a?b=1"
    assert links.first.get_attribute("rel") == "noopener noreferrer"
    assert page.get_by_role("group", name="Suggestions").get_by_role("button") \
        .all_inner_texts() == [XSS]
    page.wait_for_timeout(300)
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert page_errors == []


def test_a_draft_has_a_copy_button(chromium: Any, static_web: Any,
                                   page_errors: List[str]) -> None:
    page = open_widget(chromium, static_web.url, page_errors)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    text = "Hi Sam,\n\nCould you send me a written description of the role?\n\nThanks"
    reply = {"schema": "interview-advisor/reply", "version": 1, "kind": "draft",
             "message": "Here is a message you can send.",
             "draft": {"id": "role_clarity", "title": "Ask for a clear description", "text": text},
             "suggestions": [], "rateable": False}
    receive(page, {"text": text, "reply": reply})
    block = page.locator(".ia-draft")
    block.wait_for()
    assert block.locator("pre").inner_text() == text
    assert page.get_by_role("group", name="Was this helpful?").count() == 0
    block.get_by_role("button", name="Copy").click()
    block.get_by_role("button", name="Copied").wait_for(timeout=5_000)  # the copy is async
    assert page.evaluate("navigator.clipboard.readText()") == text


def test_accessibility_attributes(chromium: Any, static_web: Any, page_errors: List[str]) -> None:
    page = new_page(chromium, DESKTOP, page_errors)
    page.goto(static_web.url + "/")
    launcher = page.get_by_role("button", name="Open the Interview Advisor chat")
    assert launcher.get_attribute("aria-expanded") == "false"
    # keyboard only: Tab to the launcher, Enter opens it and focuses the input
    launcher.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Interview Advisor chat")
    dialog.wait_for()
    assert page.get_by_role("button", name="Close the Interview Advisor chat") \
        .get_attribute("aria-expanded") == "true"
    textbox = page.get_by_role("textbox", name="Message to the Interview Advisor")
    assert textbox.count() == 1
    page.wait_for_function("""() => {
        const chat = document.querySelector('advisor-chat').shadowRoot.querySelector('deep-chat');
        return chat.shadowRoot.activeElement && chat.shadowRoot.activeElement.id === 'text-input';
    }""")
    assert page.get_by_role("button", name="Send").count() == 1
    assert page.get_by_role("button", name="New conversation").count() == 1
    assert page.locator("[aria-live=polite]").count() == 1
    # Escape closes the panel and gives focus back to the launcher
    page.keyboard.press("Escape")
    assert dialog.is_hidden()
    assert page.evaluate("document.querySelector('advisor-chat').shadowRoot.activeElement"
                         ".getAttribute('aria-expanded')") == "false"


def test_phone_viewport_is_full_screen(chromium: Any, static_web: Any,
                                       page_errors: List[str]) -> None:
    page = open_widget(chromium, static_web.url, page_errors, viewport=PHONE)
    receive(page, {"text": "", "reply": example_reply()})
    page.locator(".ia-flag").wait_for()
    box = page.get_by_role("dialog", name="Interview Advisor chat").bounding_box()
    assert box == {"x": 0, "y": 0, "width": PHONE["width"], "height": PHONE["height"]}
    # the input is inside the viewport, at the bottom
    input_box = page.locator("#text-input").bounding_box()
    assert input_box["y"] + input_box["height"] <= PHONE["height"]
    assert input_box["y"] > PHONE["height"] - 120
    # nothing overflows sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "render-phone")
    # a smaller visual viewport (on-screen keyboard): the panel shrinks, the input stays visible
    page.set_viewport_size({"width": PHONE["width"], "height": 500})
    page.wait_for_timeout(200)
    input_box = page.locator("#text-input").bounding_box()
    assert input_box["y"] + input_box["height"] <= 500


def test_a_corrected_fact_says_what_it_was(chromium: Any, static_web: Any,
                                           page_errors: List[str]) -> None:
    reply = copy.deepcopy(example_reply())
    reply["facts"] = [{"id": "interview_type", "title": "Internal or external interview",
                       "value": "external", "label": "external", "source": "text",
                       "quote": "its at another company", "previous": "internal"}]
    page = open_widget(chromium, static_web.url, page_errors)
    receive(page, {"text": "plain text", "reply": reply})
    noted = page.get_by_role("list", name="What I noted")
    noted.wait_for()
    assert noted.inner_text().strip() == (
        "Corrected - Internal or external interview: external (was: internal) - you said "
        "\u201cits at another company\u201d")
    assert page_errors == []
