"""Sending a reply to the person, in the form their channel can show.

Rich channels (``RICH_CHANNELS``: the web widget and Slack) render the reply model themselves:
they get the plain text (for notifications, logs and screen readers) and the reply's JSON in
``custom.reply``. ``rasa shell`` (``TYPED_CHANNELS``) gets plain text with the choices written
as words to type: its console would turn buttons into a menu that swallows typed text. Every
other channel (the plain REST webhook, ...) gets the plain text and the reply's choices as
buttons - never JSON, unless the client asked for the model in the message metadata
(``{"reply_model": true}``). See docs/reply-model.md.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from interview_advisor.dialogue import phrases
from interview_advisor.dialogue.channels import REPLY_MODEL, RICH_CHANNELS, TYPED_CHANNELS
from interview_advisor.dialogue.render_text import buttons, question_text, render_text, render_typed
from interview_advisor.dialogue.reply import Reply


def channel_of(tracker: Tracker) -> str:
    return str(tracker.get_latest_input_channel() or "")


def wants_model(tracker: Tracker) -> bool:
    """Does the person's client render the reply model itself?"""
    if channel_of(tracker) in RICH_CHANNELS:
        return True
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            metadata = event.get("metadata") or {}
            return isinstance(metadata, dict) and metadata.get(REPLY_MODEL) is True
    return False


def deliver(dispatcher: CollectingDispatcher, tracker: Tracker, reply: Reply,
            aside: Optional[Reply] = None) -> None:
    """Send ``reply`` as one bot message, rendered for the channel of the latest message;
    ``aside`` (the introduction after a direct answer that opened the conversation) follows as
    a message of its own - in a terminal inside the reply, before its choices and question,
    which stay the last thing on screen."""
    if channel_of(tracker) in TYPED_CHANNELS and not wants_model(tracker):
        dispatcher.utter_message(text=render_typed(reply, aside))
        return
    _deliver_one(dispatcher, tracker, reply)
    if aside is not None:
        _deliver_one(dispatcher, tracker, aside)


def _deliver_one(dispatcher: CollectingDispatcher, tracker: Tracker, reply: Reply) -> None:
    if wants_model(tracker):
        dispatcher.utter_message(text=render_text(reply), json_message={"reply": reply.to_json()})
        return
    if channel_of(tracker) in TYPED_CHANNELS:
        dispatcher.utter_message(text=render_typed(reply))
        return
    choices = buttons(reply)
    if not choices:
        dispatcher.utter_message(text=render_text(reply))
        return
    # the choices go with a short message of their own: a client may show the message's whole
    # text as the title of its buttons (rasa shell's menu did, redrawing it on every key press)
    body = render_text(replace(reply, question=None))
    if body.strip():
        dispatcher.utter_message(text=body)
    dispatcher.utter_message(text=question_text(reply) or phrases.WHAT_NEXT, buttons=choices)
