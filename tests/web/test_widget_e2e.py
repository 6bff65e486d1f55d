"""The widget end to end, in real headless Chromium: serve_web.py's demo page talking to the
real Rasa server (webchat channel) and the real action server. One conversation, as a person
would hold it: describe an interview, read the cards, ask why, reload, try some HTML, start
over."""

from __future__ import annotations

from typing import Any, List

import pytest

from .conftest import DESKTOP, PHONE, new_page, screenshot

pytestmark = pytest.mark.slow

DESCRIPTION = "The recruiter couldn't say what the job is and they rescheduled twice."
XSS = "<img src=x onerror=alert(1)>"
BOT_TIMEOUT = 60_000


def open_chat(page: Any, url: str) -> None:
    page.goto(url + "/")
    page.get_by_role("button", name="Open the Interview Advisor chat").click()
    page.locator("advisor-chat[ready]").wait_for(state="attached", timeout=BOT_TIMEOUT)


def wait_for(page: Any, locator: Any, name: str) -> None:
    """Wait for ``locator``; on a timeout save a screenshot of what the page showed instead."""
    try:
        locator.wait_for(timeout=BOT_TIMEOUT)
    except Exception:
        screenshot(page, f"failed-{name}")
        raise


def scroll_to_top(message: Any) -> None:
    """Scroll the message list (only it) so that ``message`` is at its top."""
    message.evaluate("""e => {
        const box = e.closest('#messages');
        const row = e.closest('.outer-message-container');
        box.scrollTop += row.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
    }""")


#: JavaScript: is the keyboard in deep-chat's text input (inside two shadow roots)?
INPUT_HAS_FOCUS = """() => {
    const chat = document.querySelector('advisor-chat').shadowRoot.querySelector('deep-chat');
    const focused = chat && chat.shadowRoot && chat.shadowRoot.activeElement;
    return Boolean(focused && focused.id === 'text-input');
}"""


def watch_for_the_typing_indicator(page: Any) -> None:
    """Record in the page whether deep-chat's typing indicator is ever added from now on. A
    fast reply can remove it before a test polling for it looks, so the page itself notes
    every node added to the chat: the indicator counts even if it lived for one frame."""
    page.evaluate("""() => {
        const chat = document.querySelector('advisor-chat').shadowRoot.querySelector('deep-chat');
        window.__typingIndicatorShown = false;
        const isDots = n => n.nodeType === 1 && (n.matches('.loading-message-dots') ||
                                                 n.querySelector('.loading-message-dots'));
        new MutationObserver(records => {
            if (records.some(r => Array.from(r.addedNodes).some(isDots))) {
                window.__typingIndicatorShown = true;
            }
        }).observe(chat.shadowRoot, {childList: true, subtree: true});
    }""")


def user_texts(page: Any) -> List[str]:
    texts: List[str] = page.locator(".user-message-text").all_inner_texts()
    return texts


def test_a_conversation_in_the_widget(chromium: Any, web_stack: Any,
                                      page_errors: List[str]) -> None:
    page = new_page(chromium, DESKTOP, page_errors)
    # keyboard only: focus the launcher, Enter opens the chat and focuses the input
    page.goto(web_stack.web.url + "/")
    page.get_by_role("button", name="Open the Interview Advisor chat").focus()
    page.keyboard.press("Enter")
    page.locator("advisor-chat[ready]").wait_for(state="attached", timeout=BOT_TIMEOUT)
    page.wait_for_function(INPUT_HAS_FOCUS, timeout=5_000)
    page.keyboard.type(DESCRIPTION)
    watch_for_the_typing_indicator(page)
    page.keyboard.press("Enter")

    # the typing indicator shows while the bot works, then the reply as cards
    flags = page.locator(".ia-flag")
    wait_for(page, flags.first, "advice")
    assert page.evaluate("window.__typingIndicatorShown") is True, "no typing indicator"
    assert page.locator(".loading-message-dots").count() == 0
    assert user_texts(page) == [DESCRIPTION]
    titles = " | ".join(flags.locator("h3").all_inner_texts()).lower()
    assert "vague" in titles, titles
    quotes = " ".join(page.locator(".ia-flag .ia-quote").all_inner_texts())
    assert "couldn't say what the job is" in quotes or "rescheduled twice" in quotes, quotes
    assert page.locator(".ia-flag .ia-why").count() == flags.count()
    advice = page.locator(".ia-advice")
    assert advice.count() >= 1
    assert advice.first.get_by_role("checkbox").count() >= 1
    assert page.locator("[aria-live=polite]").inner_text().strip() != ""
    # the person's message at the top of the panel, the cards below it
    scroll_to_top(page.locator(".user-message-text").last)
    screenshot(page, "e2e-desktop-advice")

    # a quick reply sends its payload as the person's message; the explanation comes back
    page.get_by_role("group", name="Suggestions").last.get_by_role("button", name="Why?").click()
    wait_for(page, page.locator(".ia-explanation").first, "why")
    assert user_texts(page) == [DESCRIPTION, "why?"]
    page.locator(".ia-explanation").first.scroll_into_view_if_needed()
    screenshot(page, "e2e-desktop-why")

    # a reload shows the conversation so far, cards included
    session = page.evaluate("localStorage.getItem('advisor-chat:session')")
    page.reload()
    open_chat(page, web_stack.web.url)
    wait_for(page, page.locator(".ia-explanation").first, "history")
    assert page.evaluate("localStorage.getItem('advisor-chat:session')") == session
    assert user_texts(page) == [DESCRIPTION, "why?"]
    assert page.locator(".ia-flag").count() == flags.count()

    # HTML typed by the person is shown as text and never runs; sent from the keyboard with
    # Tab to the Send button and Enter (once: no double send)
    page.get_by_role("textbox", name="Message to the Interview Advisor").fill(XSS)
    page.keyboard.press("Tab")
    assert page.evaluate("""() => document.querySelector('advisor-chat').shadowRoot
        .querySelector('deep-chat').shadowRoot.activeElement.getAttribute('aria-label')""") \
        == "Send"
    # counted with the same selectors the wait uses (a reply counted one way and awaited
    # another let the wait end before the message was even shown, on a loaded machine)
    counts = """() => {
        const root = document.querySelector('advisor-chat').shadowRoot
            .querySelector('deep-chat').shadowRoot;
        return [root.querySelectorAll('.user-message-text').length,
                root.querySelectorAll('.ai-message-text, .ia-reply').length]; }"""
    before = page.evaluate(counts)
    page.keyboard.press("Enter")
    page.wait_for_function(f"([users, replies]) => {{ const [u, r] = ({counts})(); "
                           "return u > users && r > replies; }",
                           arg=before, timeout=BOT_TIMEOUT)
    assert user_texts(page)[-1] == XSS
    assert page.locator("#messages img").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []  # type: ignore[attr-defined]
    # ... also when it comes back from the history after a reload
    page.reload()
    open_chat(page, web_stack.web.url)
    page.locator(".user-message-text").nth(2).wait_for(timeout=BOT_TIMEOUT)
    assert user_texts(page) == [DESCRIPTION, "why?", XSS]
    assert page.locator("#messages img").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []  # type: ignore[attr-defined]

    # a new conversation: a new random id, an empty chat, also after a reload
    page.get_by_role("button", name="New conversation").click()
    page.locator("advisor-chat[ready]").wait_for(state="attached", timeout=BOT_TIMEOUT)
    new_session = page.evaluate("localStorage.getItem('advisor-chat:session')")
    assert new_session != session and len(new_session) == 32
    assert user_texts(page) == []
    assert page.locator(".ia-reply").count() == 0
    page.reload()
    open_chat(page, web_stack.web.url)
    page.wait_for_timeout(500)
    assert user_texts(page) == []
    assert page.locator(".ia-reply").count() == 0
    assert page_errors == []


def test_phone_sized_conversation(chromium: Any, web_stack: Any, page_errors: List[str]) -> None:
    page = new_page(chromium, PHONE, page_errors)
    open_chat(page, web_stack.web.url)
    box = page.get_by_role("dialog", name="Interview Advisor chat").bounding_box()
    assert box is not None and box["width"] == PHONE["width"]
    textbox = page.get_by_role("textbox", name="Message to the Interview Advisor")
    textbox.fill(DESCRIPTION)
    textbox.press("Enter")
    wait_for(page, page.locator(".ia-advice").first, "phone-advice")
    input_box = page.locator("#text-input").bounding_box()
    assert input_box is not None and input_box["y"] + input_box["height"] <= PHONE["height"]
    screenshot(page, "e2e-phone-advice")
    # rating the advice: the button sends "that helped", the bot thanks
    rate = page.get_by_role("group", name="Was this helpful?").last
    rate.get_by_role("button", name="Helpful", exact=True).click()
    wait_for(page, page.locator(".ia-kind-feedback").first, "phone-feedback")
    assert user_texts(page) == [DESCRIPTION, "that helped"]
    assert page_errors == []


def test_delete_my_data_from_the_widget(chromium: Any, web_stack: Any,
                                        page_errors: List[str]) -> None:
    page = new_page(chromium, PHONE, page_errors)
    open_chat(page, web_stack.web.url)
    textbox = page.get_by_role("textbox", name="Message to the Interview Advisor")
    textbox.fill(DESCRIPTION)
    textbox.press("Enter")
    wait_for(page, page.locator(".ia-advice").first, "forget-advice")
    replies = page.locator(".ia-reply").count()
    page.get_by_role("button", name="Delete my data").click()
    page.locator(".ia-reply").nth(replies).wait_for(timeout=BOT_TIMEOUT)
    confirm = page.locator(".ia-reply").nth(replies)
    assert "can't undo" in confirm.inner_text()
    confirm.get_by_role("group", name="Answers").get_by_role("button", name="Yes",
                                                             exact=True).click()
    page.wait_for_function("() => document.querySelector('advisor-chat').shadowRoot"
                           ".querySelector('deep-chat').shadowRoot.textContent"
                           ".includes('deleted this conversation')", timeout=BOT_TIMEOUT)
    assert user_texts(page) == [DESCRIPTION, "delete my data", "Yes"]
    assert page_errors == []


def test_desktop_screenshot_for_the_readme(chromium: Any, web_stack: Any,
                                           page_errors: List[str]) -> None:
    """After a greeting, the description and its cards fill the panel (docs/screenshots/ is
    a copy of this artifact)."""
    page = new_page(chromium, DESKTOP, page_errors)
    open_chat(page, web_stack.web.url)
    textbox = page.get_by_role("textbox", name="Message to the Interview Advisor")
    textbox.fill("hi")
    textbox.press("Enter")
    wait_for(page, page.locator(".ia-reply").first, "greeting")
    textbox.fill(DESCRIPTION)
    textbox.press("Enter")
    wait_for(page, page.locator(".ia-flag").first, "readme-advice")
    scroll_to_top(page.locator(".user-message-text").last)
    panel = page.get_by_role("dialog", name="Interview Advisor chat").bounding_box()
    flag = page.locator(".ia-flag").first.bounding_box()
    assert panel is not None and flag is not None
    assert panel["y"] < flag["y"] and flag["y"] + flag["height"] < panel["y"] + panel["height"]
    screenshot(page, "readme-desktop")
    assert page_errors == []
