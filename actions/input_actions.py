"""The answer to a message the bot cannot read (thin adapter over interview_advisor.guard).

The input guard in the NLU pipeline (nlu_components/input_guard.py) sets the intent
``unreadable_input`` and puts what was wrong under ``input_guard`` in the message's parse data
(``{"problem": "too_long", "length": 100000, "limit": 5000}``); the classifier may also predict
the intent itself for a few words in another script or keyboard mashing (no ``input_guard``
then). This action says so politely, with the reply model, and changes nothing else: the
conversation and everything the bot has noted stay as they were.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from interview_advisor import guard
from interview_advisor.dialogue.reply import Reply

from .delivery import deliver

logger = logging.getLogger(__name__)
guard.warn_if_debug_logging(logger, "rasa_sdk")  # the action server was started with --debug

#: where the NLU input guard puts its finding in the parse data (nlu_components/input_guard.py)
GUARD_KEY = "input_guard"


def unreadable_reply(latest_message: Dict[str, Any]) -> Reply:
    """The reply to the latest message, from the guard's finding in its parse data."""
    finding = latest_message.get(GUARD_KEY) or {}
    if not isinstance(finding, dict):
        finding = {}
    kind, message = guard.answer(finding.get("problem"), finding)
    return Reply(kind=kind, message=message)


class ActionAnswerUnreadableInput(Action):
    """Tells the person why their message could not be read and what to send instead."""

    def name(self) -> str:
        return "action_answer_unreadable_input"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        deliver(dispatcher, tracker, unreadable_reply(tracker.latest_message or {}))
        return []
