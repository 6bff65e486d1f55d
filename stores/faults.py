"""The replies sent when our side fails, as the Rasa messages the person's channel shows.

They are built like every other reply (``compose.say("error", ...)`` with the wording in
``interview_advisor.dialogue.phrases``) and rendered the way ``actions.delivery.deliver``
renders them: rich channels get the text and the reply's JSON in ``custom.reply``, every other
channel the text and buttons. The difference is who sends them: these come from the Rasa
server itself (:mod:`stores.guard`), because when the action server or the tracker store is
down no action can. No Rasa import.
"""

from __future__ import annotations

from typing import Any, Dict

from interview_advisor.dialogue import compose, phrases
from interview_advisor.dialogue.channels import RICH_CHANNELS
from interview_advisor.dialogue.render_text import buttons, render_text
from interview_advisor.dialogue.reply import Reply


def channel_message(reply: Reply, channel: str) -> Dict[str, Any]:
    """``reply`` as one Rasa bot message (the keys an action server response uses)."""
    text = render_text(reply)
    if channel in RICH_CHANNELS:
        return {"text": text, "custom": {"reply": reply.to_json()}}
    message: Dict[str, Any] = {"text": text}
    found = buttons(reply)
    if found:
        message["buttons"] = found
    return message


def store_failed(channel: str) -> Dict[str, Any]:
    """The conversation could not be loaded or saved."""
    return channel_message(compose.say("error", phrases.STORE_FAILED), channel)


def actions_unavailable(channel: str) -> Dict[str, Any]:
    """The action server did not answer (down, hanging, or failing)."""
    return channel_message(compose.say("error", phrases.ACTIONS_UNAVAILABLE), channel)
