"""Sending a reply to the person, in the form their channel can show.

Rich channels (``RICH_CHANNELS``: the web widget and Slack) render the reply model themselves:
they get the plain text (for notifications, logs and screen readers) and the reply's JSON in
``custom.reply``. Every other channel (``rasa shell``, the plain REST webhook) gets the plain
text and the reply's choices as buttons - never JSON. See docs/reply-model.md.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from interview_advisor.dialogue.channels import RICH_CHANNELS
from interview_advisor.dialogue.render_text import buttons, render_text
from interview_advisor.dialogue.reply import Reply


def channel_of(tracker: Tracker) -> str:
    return str(tracker.get_latest_input_channel() or "")


def deliver(dispatcher: CollectingDispatcher, tracker: Tracker, reply: Reply) -> None:
    """Send ``reply`` as one bot message, rendered for the channel of the latest message."""
    text = render_text(reply)
    if channel_of(tracker) in RICH_CHANNELS:
        dispatcher.utter_message(text=text, json_message={"reply": reply.to_json()})
    else:
        dispatcher.utter_message(text=text, buttons=buttons(reply))
