"""Fixtures for the custom-action tests: a real Advisor, the real domain, rasa_sdk trackers.

Nothing of ours is mocked: actions run against the rule base in rules/ exactly as the action
server runs them; only the Rasa server is replaced by :class:`Conversation`, which applies the
returned ``SlotSet`` events to the slots between turns the way the tracker would.
"""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import pytest
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import actions as rasa_actions
from actions import feedback_service
from actions.advisor_service import get_advisor
from interview_advisor.dialogue.channels import WEBCHAT

ROOT = Path(__file__).resolve().parents[2]
_ids = itertools.count(1)


@pytest.fixture(autouse=True)
def feedback_db(tmp_path, monkeypatch):
    """Every test writes its feedback to a fresh SQLite file of its own."""
    path = tmp_path / "feedback.sqlite3"
    monkeypatch.setenv("FEEDBACK_DB", str(path))
    feedback_service.reset_store()
    yield path
    feedback_service.reset_store()


@pytest.fixture(scope="session")
def advisor():
    return get_advisor()


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))


def entity(text: str, words: str, name: str, value: Optional[str] = None) -> Dict[str, Any]:
    """An NLU entity for ``words`` inside ``text`` (value defaults to the words)."""
    start = text.index(words)
    return {"entity": name, "value": value or words, "start": start, "end": start + len(words),
            "extractor": "DIETClassifier"}


def make_tracker(text: str = "", intent: Optional[str] = None,
                 entities: Iterable[Dict[str, Any]] = (), slots: Optional[Dict[str, Any]] = None,
                 active_loop: Optional[str] = None, events: Optional[List[Dict[str, Any]]] = None,
                 message_id: Optional[str] = None, channel: str = WEBCHAT) -> Tracker:
    """A tracker whose latest message came in on ``channel`` (the web widget by default, which
    gets the reply model; ``cmdline`` or ``rest`` get text and buttons only)."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.99} if intent else {},
              "entities": list(entities), "message_id": message_id or f"msg-{next(_ids)}",
              "intent_ranking": [{"name": intent, "confidence": 0.99}] if intent else []}
    history = list(events or [])
    users = [i for i, e in enumerate(history) if e.get("event") == "user"]
    at = users[-1] + 1 if users else 0  # the latest message comes before the form's events
    history.insert(at, {"event": "user", "text": text, "parse_data": latest,
                        "input_channel": channel})
    return Tracker("tester", dict(slots or {}), latest, history, False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def run_action(action: Action, tracker: Tracker,
               domain: Dict[str, Any]) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """Run one action; return (events, dispatched messages)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return list(events), dispatcher.messages


def slot_sets(events: Iterable[Dict[str, Any]]) -> Dict[str, Any]:
    """The last value each slot was set to by ``events``."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def texts(messages: Iterable[Dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def payloads(messages: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The reply models (JSON) of the messages sent to a rich channel."""
    return [m["custom"]["reply"] for m in messages if m.get("custom")]


#: which action answers an intent (mirrors data/rules/)
ACTION_FOR_INTENT = {
    "describe_interview": rasa_actions.ActionAnalyzeSituation,
    "ask_keep_interviewing": rasa_actions.ActionAnalyzeSituation,
    "ask_withdraw": rasa_actions.ActionAnalyzeSituation,
    "evaluate_offer": rasa_actions.ActionAnalyzeSituation,
    "report_rejection": rasa_actions.ActionAnalyzeSituation,
    "inform": rasa_actions.ActionAnalyzeSituation,
    "affirm": rasa_actions.ActionAnalyzeSituation,
    "deny": rasa_actions.ActionAnalyzeSituation,
    "correct": rasa_actions.ActionApplyCorrection,
    "ask_why": rasa_actions.ActionExplainAdvice,
    "ask_summary": rasa_actions.ActionSummarizeSituation,
    "greet": rasa_actions.ActionGreetUser,
    "thank": rasa_actions.ActionAnswerSmallTalk,
    "goodbye": rasa_actions.ActionAnswerSmallTalk,
    "rate_helpful": rasa_actions.ActionRecordFeedback,
    "rate_unhelpful": rasa_actions.ActionRecordFeedback,
    "forget_me": rasa_actions.ActionAskForgetConfirmation,
    "bot_challenge": rasa_actions.ActionAnswerSmallTalk,
    "help": rasa_actions.ActionAnswerSmallTalk,
    "out_of_scope": rasa_actions.ActionAnswerSmallTalk,
    "request_draft": rasa_actions.ActionPrepareDraft,
}


class Conversation:
    """A minimal stand-in for the Rasa server: slot mappings, then the action for the intent.

    ``say()`` applies the from_entity slot mappings, runs the action the dialogue rules pick for
    the intent (which merges the message into the conversation state) and applies its events.
    The draft form is driven by :meth:`answer_form`.
    """

    ENTITY_SLOTS = ("interview_type", "stage", "company", "role", "person_name", "draft_type")

    def __init__(self, domain: Dict[str, Any]) -> None:
        self.domain = domain
        self.slots: Dict[str, Any] = {}
        self.active_loop: Optional[str] = None
        self.events: List[Dict[str, Any]] = []

    def tracker(self, text: str, intent: Optional[str], entities: Iterable[Dict[str, Any]],
                message_id: str, trailing: Iterable[Dict[str, Any]] = ()) -> Tracker:
        return make_tracker(text, intent, entities, self.slots, self.active_loop,
                            list(self.events) + list(trailing), message_id)

    def apply(self, events: Iterable[Dict[str, Any]]) -> None:
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
            self.events.append(event)

    def extract(self, text: str, intent: Optional[str], entities: List[Dict[str, Any]],
                message_id: str) -> None:
        for e in entities:  # from_entity slot mappings
            if e["entity"] in self.ENTITY_SLOTS:
                self.apply([{"event": "slot", "name": e["entity"], "value": e["value"]}])

    def say(self, text: str, intent: str, entities: Iterable[Dict[str, Any]] = (),
            action: Optional[Action] = None) -> List[Dict[str, Any]]:
        entities = list(entities)
        message_id = f"conv-{next(_ids)}"
        self.extract(text, intent, entities, message_id)
        action = action or ACTION_FOR_INTENT[intent]()
        events, messages = run_action(action, self.tracker(text, intent, entities, message_id),
                                      self.domain)
        self.apply(events)
        self.last = (text, intent, entities, message_id)
        return messages

    # -- the draft form ----------------------------------------------------------------------
    def ask_form(self) -> List[Dict[str, Any]]:
        """What the form asks next (action_ask_draft_answer)."""
        text, intent, entities, message_id = self.last
        _, messages = run_action(rasa_actions.ActionAskDraftAnswer(),
                                 self.tracker(text, intent, entities, message_id), self.domain)
        return messages

    def start_draft(self, text: str,
                    entities: Iterable[Dict[str, Any]] = ()) -> List[Dict[str, Any]]:
        messages = self.say(text, "request_draft", entities)
        if self.slots.get("draft_answer") is None:
            self.active_loop = "draft_form"
            messages += self.ask_form()
        else:
            messages += self.finish_form()
        return messages

    def answer_form(self, text: str, intent: str = "inform",
                    entities: Iterable[Dict[str, Any]] = ()) -> List[Dict[str, Any]]:
        """One answer inside draft_form: validate_draft_form, then ask again or finish."""
        assert self.active_loop == "draft_form"
        entities = list(entities)
        message_id = f"conv-{next(_ids)}"
        self.extract(text, intent, entities, message_id)
        self.last = (text, intent, entities, message_id)
        candidate = [{"event": "action", "name": "draft_form"},
                     {"event": "slot", "name": "draft_answer", "value": text}]
        events, messages = run_action(rasa_actions.ValidateDraftForm(),
                                      self.tracker(text, intent, entities, message_id, candidate),
                                      self.domain)
        self.apply(events)
        self.rejected = any(e.get("event") == "action_execution_rejected" for e in events)
        if self.rejected:
            return messages  # the dialogue rules answer it; the form then asks again
        if self.slots.get("draft_answer") is None:
            return messages + self.ask_form()
        return messages + self.finish_form()

    def finish_form(self) -> List[Dict[str, Any]]:
        self.active_loop = None
        text, intent, entities, message_id = self.last
        events, messages = run_action(rasa_actions.ActionPresentDraft(),
                                      self.tracker(text, intent, entities, message_id),
                                      self.domain)
        self.apply(events)
        return messages


@pytest.fixture
def conversation(domain) -> Conversation:
    return Conversation(domain)
