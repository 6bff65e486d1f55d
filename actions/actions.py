"""Rasa custom actions: thin adapters between the tracker and :mod:`actions.conversation`.

Each action reads slots and the latest message, calls the plain functions in
``actions/conversation.py`` (which know nothing about Rasa) and turns the result into
``SlotSet`` events and messages.  Replies that carry advice also carry a structured payload
(``json_message``) for channels that render more than text; set
``INTERVIEW_ADVISOR_PAYLOAD=0`` for the action server to send text only (e.g. for a quieter
``rasa shell``, which prints payloads as JSON).

Start the server with ``rasa run actions`` (port 5055, see endpoints.yml).
"""

from __future__ import annotations

import logging
import os
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import conversation as conv
from .advisor_service import get_advisor

logger = logging.getLogger(__name__)

# slots of the draft form (see domain.yml)
SLOT_DRAFT_ANSWER = "draft_answer"
SLOT_DRAFT_ID = "draft_id"
SLOT_DRAFT_VALUES = "draft_values"
SLOT_DRAFT_PENDING = "draft_pending"
SLOT_DRAFT_CANCELLED = "draft_cancelled"
SLOT_DRAFT_MEMORY = "draft_memory"
SLOT_INTRODUCED = "introduced"

#: how the two-stage fallback describes an intent when it asks "did you mean ...?"
INTENT_DESCRIPTIONS = {
    "describe_interview": "tell me how an interview went",
    "ask_keep_interviewing": "ask whether to keep interviewing",
    "ask_withdraw": "ask about withdrawing from a process",
    "evaluate_offer": "talk about a job offer",
    "report_rejection": "tell me you were turned down",
    "inform": "tell me something about your situation",
    "correct": "correct something I got wrong",
    "ask_why": "ask why I gave that advice",
    "ask_summary": "get a summary of everything so far",
    "request_draft": "have me draft a message",
    "help": "know what I can do",
    "greet": "say hello",
    "goodbye": "end the conversation",
    "thank": "say thanks",
    "affirm": "say yes",
    "deny": "say no",
    "restart": "start over",
    "bot_challenge": "know whether I'm a bot",
}


# -------------------------------------------------------------------------------------------
# tracker helpers
# -------------------------------------------------------------------------------------------

def payloads_enabled() -> bool:
    return os.environ.get("INTERVIEW_ADVISOR_PAYLOAD", "1").strip().lower() not in (
        "0", "false", "no", "off")


def utter(dispatcher: CollectingDispatcher, text: str,
          payload: Optional[Dict[str, Any]] = None) -> None:
    if payload is not None and payloads_enabled():
        dispatcher.utter_message(text=text, json_message=payload)
    else:
        dispatcher.utter_message(text=text)


def message_of(tracker: Tracker) -> conv.UserMessage:
    latest = tracker.latest_message or {}
    intent = (latest.get("intent") or {}).get("name")
    confidence = (latest.get("intent") or {}).get("confidence")
    active_loop = (tracker.active_loop or {}).get("name")
    message = conv.UserMessage(text=str(latest.get("text") or ""), intent=intent,
                               entities=list(latest.get("entities") or []),
                               message_id=latest.get("message_id"),
                               in_form=bool(active_loop)
                               and active_loop != "action_two_stage_fallback",
                               confidence=float(confidence) if confidence is not None else 1.0)
    if conv.is_payload_text(message.text):  # a fallback button: find the words it clarifies
        users = [e for e in tracker.events or [] if e.get("event") == "user"]
        message = conv.clarified_message(message, users[:-1])
    return message


def detail_events(tracker: Tracker, message: conv.UserMessage) -> List[EventType]:
    """Company/role/person entities of a clarified message (Rasa reverted the original's
    slots when the fallback replaced it)."""
    if message.text == str((tracker.latest_message or {}).get("text") or ""):
        return []  # an ordinary message: the from_entity slot mappings did this already
    return [SlotSet(name, value) for name, value in conv.entities_of(message).items()]


def state_of(tracker: Tracker) -> conv.State:
    return conv.State.from_slots({name: tracker.get_slot(name) for name in conv.STATE_SLOTS})


def details_of(tracker: Tracker) -> Dict[str, str]:
    return {name: str(tracker.get_slot(name)) for name in conv.DETAIL_ENTITIES
            if tracker.get_slot(name)}


def absorb_latest(tracker: Tracker) -> Tuple[conv.UserMessage, conv.State, Dict[str, Any]]:
    """The latest message, the conversation state with it merged in, and what it changed."""
    message = message_of(tracker)
    state, turn, _ = conv.absorb(get_advisor(), state_of(tracker), message)
    return message, state, turn


def state_events(tracker: Tracker, state: conv.State) -> List[EventType]:
    """SlotSet events for the slots whose value differs from the tracker's. Unchanged slots are
    left out: Rasa sends every event of the conversation to the action server on each call, so
    repeating the whole state every turn would make each turn slower than the last."""
    values: Dict[str, Any] = dict(state.to_slots())
    for fact_id in conv.FACT_ENTITIES:  # keep the entity slots in step with the facts
        value = state.fact_value(fact_id)
        if value is not None:
            values[fact_id] = value
    return [SlotSet(name, value) for name, value in values.items()
            if tracker.get_slot(name) != value]


def introduce_once(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    if tracker.get_slot(SLOT_INTRODUCED):
        return []
    dispatcher.utter_message(response="utter_intro")
    return [SlotSet(SLOT_INTRODUCED, True)]


# -------------------------------------------------------------------------------------------
# advice
# -------------------------------------------------------------------------------------------

def advise(dispatcher: CollectingDispatcher, tracker: Tracker, message: conv.UserMessage,
           state: conv.State, turn: Dict[str, Any]) -> List[EventType]:
    """Red flags with the user's words, the top advice with next steps, at most one question."""
    advisor = get_advisor()
    events = introduce_once(dispatcher, tracker)
    assessment = conv.assess(advisor, state)
    question = conv.choose_question(advisor, state, assessment, turn)
    if turn.get("unclear_answer") and question is not None:
        # a short reply that did not answer the question: ask it again, with the options
        utter(dispatcher, conv.render_question(question, unclear=True) or "",
              {"type": "question", "question": conv.question_payload(question),
               "rule_ids": state.last_advice})
        return events + state_events(tracker, state)
    text, payload = conv.render_advice(advisor, state, turn, assessment, question,
                                       details=conv.entities_of(message),
                                       previous_advice=state.last_advice)
    utter(dispatcher, text, payload)
    question_text = conv.render_question(question)
    if question_text:
        dispatcher.utter_message(text=question_text)
    state = conv.remember_question(state, question)
    state.last_advice = [a.rule for a in assessment.top()]
    return events + state_events(tracker, state) + detail_events(tracker, message)


class ActionAnalyzeSituation(Action):
    """After a description, a dilemma or an answer: red flags with the user's words, the top
    advice with next steps, and at most one question."""

    def name(self) -> str:
        return "action_analyze_situation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        message, state, turn = absorb_latest(tracker)
        return advise(dispatcher, tracker, message, state, turn)


class ActionApplyCorrection(Action):
    """A correction: replace a fact or take back a red flag, then show the updated advice."""

    def name(self) -> str:
        return "action_apply_correction"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        advisor = get_advisor()
        message, state, turn = absorb_latest(tracker)
        if turn.get("flag_hits") and not turn.get("withdrawn") and not turn.get("changed_facts"):
            # "the recruiter was vague about the role" filed under `correct`: it describes a
            # red flag rather than taking one back, so answer it as a description
            return advise(dispatcher, tracker, message, state, turn)
        assessment = conv.assess(advisor, state)
        question = None
        if state.pending_question and state.pending_question not in state.facts:
            pending = advisor.rulebase.facts.get(state.pending_question)
            if pending is not None:
                question = conv.Question(pending.id, pending.question, pending.options, [], 0.0)
        text, payload = conv.render_correction(advisor, state, turn, assessment, question,
                                               details=conv.entities_of(message))
        utter(dispatcher, text, payload)
        top = [a.rule for a in assessment.top()]
        if top:  # with nothing left, "why?" says the earlier advice no longer applies
            state.last_advice = top
        return state_events(tracker, state)


class ActionExplainAdvice(Action):
    """"Why?": the rules behind the last advice, the conditions that held, the user's words."""

    def name(self) -> str:
        return "action_explain_advice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        advisor = get_advisor()
        _, state, _ = absorb_latest(tracker)  # "why? oh, and it's internal" keeps the fact
        text, payload = conv.render_why(advisor, state, conv.assess(advisor, state))
        utter(dispatcher, text, payload)
        return state_events(tracker, state)


class ActionSummarizeSituation(Action):
    """"Summary": every flag, fact and piece of advice so far, next steps as a checklist."""

    def name(self) -> str:
        return "action_summarize_situation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        advisor = get_advisor()
        _, state, _ = absorb_latest(tracker)
        text, payload = conv.render_summary(advisor, state, conv.assess(advisor, state),
                                            details_of(tracker))
        utter(dispatcher, text, payload)
        return state_events(tracker, state)


class ActionGreetUser(Action):
    """Hello: the full introduction the first time, a short greeting afterwards."""

    def name(self) -> str:
        return "action_greet_user"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        message, state, turn = absorb_latest(tracker)
        if conv.reads_as_story(turn):  # "hi! so the recruiter couldn't say what the job is..."
            return advise(dispatcher, tracker, message, state, turn)
        events = introduce_once(dispatcher, tracker)
        if not events:
            dispatcher.utter_message(response="utter_greet_again")
        return events + state_events(tracker, state)


class ActionAnswerSmallTalk(Action):
    """Thanks, goodbye, "are you a bot?", help and out-of-scope requests get their response -
    unless NLU filed a long story with red flags under one of them: then it gets advice."""

    def name(self) -> str:
        return "action_answer_small_talk"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        message, state, turn = absorb_latest(tracker)
        if conv.reads_as_story(turn):
            return advise(dispatcher, tracker, message, state, turn)
        response = conv.SMALL_TALK_RESPONSES.get(message.intent or "", "utter_out_of_scope")
        dispatcher.utter_message(response=response)
        return state_events(tracker, state)


# -------------------------------------------------------------------------------------------
# drafts
# -------------------------------------------------------------------------------------------

def draft_state_of(tracker: Tracker) -> conv.DraftState:
    values = tracker.get_slot(SLOT_DRAFT_VALUES)
    return conv.DraftState(tracker.get_slot(SLOT_DRAFT_ID),
                           dict(values) if isinstance(values, dict) else {},
                           tracker.get_slot(SLOT_DRAFT_PENDING),
                           bool(tracker.get_slot(SLOT_DRAFT_CANCELLED)))


def draft_events(draft: conv.DraftState) -> Dict[str, Any]:
    return {SLOT_DRAFT_ANSWER: draft.answer_slot, SLOT_DRAFT_ID: draft.draft_id,
            SLOT_DRAFT_VALUES: draft.values, SLOT_DRAFT_PENDING: draft.pending,
            SLOT_DRAFT_CANCELLED: draft.cancelled}


def memory_of(tracker: Tracker) -> Dict[str, str]:
    memory = tracker.get_slot(SLOT_DRAFT_MEMORY)
    return dict(memory) if isinstance(memory, dict) else {}


class ActionPrepareDraft(Action):
    """"Draft it": pick the message (draft_type entity, else the situation) and prefill it
    with what is known; ``draft_form`` then asks for what is missing."""

    def name(self) -> str:
        return "action_prepare_draft"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        advisor = get_advisor()
        message, state, _ = absorb_latest(tracker)
        draft_types = message.entity_values("draft_type")
        draft = conv.start_draft(advisor, state, draft_types[-1] if draft_types else None,
                                 details_of(tracker), memory_of(tracker), message.text)
        if draft.draft_id:
            title = advisor.rulebase.drafts[draft.draft_id].title
            missing = conv.missing_count(advisor, draft.draft_id, draft.values)
            if missing:
                dispatcher.utter_message(
                    text=f"Let's write it: {title}. I need {missing} detail"
                         f"{'s' if missing != 1 else ''} from you.")
            else:
                dispatcher.utter_message(text=f"Let's write it: {title}.")
        return [SlotSet(k, v) for k, v in draft_events(draft).items()]


class ValidateDraftForm(FormValidationAction):
    """Each answer in ``draft_form`` fills the placeholder being asked; "skip" keeps its
    default or [bracket]; "stop" (or a plain "no") drops the draft."""

    def name(self) -> str:
        return "validate_draft_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        candidate = tracker.slots_to_validate().get(SLOT_DRAFT_ANSWER)
        latest = tracker.latest_message or {}
        intent = (latest.get("intent") or {}).get("name")
        if isinstance(candidate, str) and candidate not in (conv.DONE, conv.STOPPED) and \
                conv.is_interruption(candidate, intent):
            # not an answer: reject, so the dialogue rules answer it and the form asks again
            return [SlotSet(SLOT_DRAFT_ANSWER, None), ActionExecutionRejected(self.form_name())]
        return await super().run(dispatcher, tracker, domain)

    async def validate_draft_answer(self, value: Any, dispatcher: CollectingDispatcher,
                                    tracker: Tracker, domain: DomainDict) -> Dict[str, Any]:
        if value is None or value in (conv.DONE, conv.STOPPED):
            return {SLOT_DRAFT_ANSWER: value}
        advisor = get_advisor()
        message = message_of(tracker)
        entities = conv.entities_of(message, conv.DETAIL_ENTITIES + ("draft_type",))
        facts = {k: v.get("value") for k, v in state_of(tracker).facts.items()}
        draft = conv.draft_step(advisor, draft_state_of(tracker), str(value), message.intent,
                                entities, facts, details_of(tracker), memory_of(tracker))
        if draft.note:
            dispatcher.utter_message(text=draft.note)
        return draft_events(draft)


class ActionAskDraftAnswer(Action):
    """The form's question: which message, or the next missing placeholder."""

    def name(self) -> str:
        return "action_ask_draft_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        draft = draft_state_of(tracker)
        dispatcher.utter_message(text=conv.placeholder_question(get_advisor(), draft.draft_id,
                                                                draft.pending))
        return []


class ActionPresentDraft(Action):
    """After the form: the filled-in message (or a note that it was dropped)."""

    def name(self) -> str:
        return "action_present_draft"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        draft = draft_state_of(tracker)
        reset = [SlotSet(SLOT_DRAFT_ANSWER, None), SlotSet(SLOT_DRAFT_ID, None),
                 SlotSet(SLOT_DRAFT_VALUES, None), SlotSet(SLOT_DRAFT_PENDING, None),
                 SlotSet(SLOT_DRAFT_CANCELLED, False)]
        advisor = get_advisor()
        if draft.cancelled or tracker.get_slot(SLOT_DRAFT_ANSWER) == conv.STOPPED or \
                not draft.draft_id or draft.draft_id not in advisor.rulebase.drafts:
            dispatcher.utter_message(text="OK, I've dropped the draft. Say \"draft it\" whenever "
                                          "you want one.")
            return reset
        text, payload = conv.render_draft(advisor, draft.draft_id, draft.values)
        utter(dispatcher, text, payload)
        return reset + [SlotSet(SLOT_DRAFT_MEMORY,
                                conv.remembered(draft.values, memory_of(tracker)))]


# -------------------------------------------------------------------------------------------
# fallback
# -------------------------------------------------------------------------------------------

class ActionDefaultAskAffirmation(Action):
    """First stage of the two-stage fallback, in words instead of intent names."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        latest = tracker.latest_message or {}
        ranking = [r.get("name") for r in latest.get("intent_ranking") or []]
        candidates = [name for name in ranking
                      if name and name not in ("nlu_fallback", "out_of_scope", "unreadable_input")]
        if not candidates:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        intent = candidates[0]
        description = INTENT_DESCRIPTIONS.get(intent, intent.replace("_", " "))
        dispatcher.utter_message(
            text=f"Sorry, I'm not sure I understood. Did you want to {description}?",
            buttons=[{"title": "Yes", "payload": f"/{intent}"},
                     {"title": "No, something else", "payload": "/out_of_scope"}])
        return []
