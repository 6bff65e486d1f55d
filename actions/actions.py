"""Rasa custom actions: thin adapters between the tracker and :mod:`interview_advisor.dialogue`.

Each action reads slots and the latest message from the tracker, lets the dialogue layer (which
knows nothing about Rasa) merge the message and build a :class:`Reply`, sends the reply with
:func:`actions.delivery.deliver` (rendered for the person's channel) and returns the slots
that changed.

Start the server with ``rasa run actions`` (port 5055, see endpoints.yml).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import (
    ActionExecutionRejected,
    ActiveLoop,
    EventType,
    FollowupAction,
    Restarted,
    SlotSet,
    UserUtteranceReverted,
)
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from interview_advisor.dialogue import advising, compose, intents, phrases
from interview_advisor.dialogue import compose_opportunities as several
from interview_advisor.dialogue import drafting as drafts
from interview_advisor.dialogue import opportunities as opp
from interview_advisor.dialogue.advising import assess, choose_question, remember_question
from interview_advisor.dialogue.answers import (
    asks_for_summary,
    asks_questions_to_ask,
    asks_what_to_do,
    asks_why_advice,
    mentions_any,
)
from interview_advisor.dialogue.reading import (
    absorb,
    clarified_message,
    entities_of,
    reads_as_story,
)
from interview_advisor.dialogue.reply import Reply, Suggestion
from interview_advisor.dialogue.state import (
    DETAIL_ENTITIES,
    FACT_ENTITIES,
    STATE_SLOTS,
    State,
    UserMessage,
)
from interview_advisor.dialogue.text import is_payload_text
from interview_advisor.engine import DirectAnswer
from stores.config import retention_days
from stores.tracker_store_names import FORGET_SLOT, PENDING_SLOT

from .advisor_service import get_advisor
from .delivery import channel_of, deliver
from .feedback_service import forget_ratings, record_rating, record_shown

logger = logging.getLogger(__name__)

# slots of the draft form (see domain.yml)
SLOT_DRAFT_ANSWER = "draft_answer"
SLOT_DRAFT_ID = "draft_id"
SLOT_DRAFT_VALUES = "draft_values"
SLOT_DRAFT_PENDING = "draft_pending"
SLOT_DRAFT_CANCELLED = "draft_cancelled"
SLOT_DRAFT_MEMORY = "draft_memory"
SLOT_INTRODUCED = "introduced"

SMALL_TALK = {intents.THANK: phrases.YOURE_WELCOME, intents.GOODBYE: phrases.GOODBYE,
              intents.BOT_CHALLENGE: phrases.IAMABOT, intents.HELP: phrases.HELP,
              intents.OUT_OF_SCOPE: phrases.OUT_OF_SCOPE}


# -------------------------------------------------------------------------------------------
# tracker helpers
# -------------------------------------------------------------------------------------------

def message_of(tracker: Tracker) -> UserMessage:
    latest = tracker.latest_message or {}
    intent = (latest.get("intent") or {}).get("name")
    confidence = (latest.get("intent") or {}).get("confidence")
    active_loop = (tracker.active_loop or {}).get("name")
    message = UserMessage(text=str(latest.get("text") or ""), intent=intent,
                          entities=list(latest.get("entities") or []),
                          message_id=latest.get("message_id"),
                          in_form=bool(active_loop)
                          and active_loop != "action_two_stage_fallback",
                          confidence=float(confidence) if confidence is not None else 1.0)
    if is_payload_text(message.text):  # a fallback button: find the words it clarifies
        users = [e for e in tracker.events or [] if e.get("event") == "user"]
        message = clarified_message(message, users[:-1])
    return message


def detail_events(tracker: Tracker, message: UserMessage) -> List[EventType]:
    """Company/role/person entities of a clarified message (Rasa reverted the original's
    slots when the fallback replaced it)."""
    if message.text == str((tracker.latest_message or {}).get("text") or ""):
        return []  # an ordinary message: the from_entity slot mappings did this already
    return [SlotSet(name, value) for name, value in entities_of(message).items()]


def state_of(tracker: Tracker) -> State:
    return State.from_slots({name: tracker.get_slot(name) for name in STATE_SLOTS})


def state_facts(state: State) -> Dict[str, Any]:
    return {k: v.get("value") for k, v in state.facts.items()}


def without_company_as_contact(details: Dict[str, str], state: State) -> Dict[str, str]:
    """``details`` without a contact that is what an opportunity is called: NLU took a company
    for a person ("one from Barclays at 62k"), so there is nobody to write to."""
    if details.get("person_name") and opp.names_an_opportunity(state, details["person_name"]):
        details.pop("person_name")
    return details


def details_of(tracker: Tracker, state: Optional[State] = None) -> Dict[str, str]:
    """Company, role and contact name; with several opportunities the company is the active
    opportunity's."""
    details = {name: str(tracker.get_slot(name)) for name in DETAIL_ENTITIES
               if tracker.get_slot(name)}
    if state is None:
        return details
    company = opp.company_of(state)
    if company and (opp.is_multi(state) or not details.get("company")):
        # several opportunities: the active one's; one: the company named in the story when
        # NLU did not tag it ("brackenridge offered me the job")
        details["company"] = company
    elif opp.is_multi(state):
        details.pop("company", None)   # "the bank": not the company another role was named by
    return without_company_as_contact(details, state)


def told_details(message: UserMessage, state: State, turn: Dict[str, Any]) -> Dict[str, str]:
    """The company, role and contact this message named, as NLU tagged them; with one
    opportunity, also the company the message named that NLU did not tag ("need some advice
    about a job at Glenholm Insurance"), so the reply says it noted it."""
    details = entities_of(message)
    company = opp.company_of(state)
    if company and "company" not in details and not opp.is_multi(state) and \
            state.active in (turn.get("mentioned") or []):
        details["company"] = company
    return without_company_as_contact(details, state)


def absorb_latest(tracker: Tracker) -> Tuple[UserMessage, State, Dict[str, Any]]:
    """The latest message, the conversation state with it merged in, and what it changed."""
    message = message_of(tracker)
    state, turn, _ = absorb(get_advisor(), state_of(tracker), message)
    return message, state, turn


def state_events(tracker: Tracker, state: State) -> List[EventType]:
    """SlotSet events for the slots whose value differs from the tracker's. Unchanged slots are
    left out: Rasa sends every event of the conversation to the action server on each call, so
    repeating the whole state every turn would make each turn slower than the last."""
    values: Dict[str, Any] = dict(state.to_slots())
    for fact_id in FACT_ENTITIES:  # keep the entity slots in step with the facts
        value = state.fact_value(fact_id)
        if value is not None:
            values[fact_id] = value
    events: List[EventType] = [SlotSet(name, value) for name, value in values.items()
                               if tracker.get_slot(name) != value]
    if tracker.get_slot(PENDING_SLOT):
        events.append(SlotSet(PENDING_SLOT, False))  # "delete everything?" was not answered
    return events


def introduce_once(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    if tracker.get_slot(SLOT_INTRODUCED):
        return []
    deliver(dispatcher, tracker, compose.intro_reply(retention_days()))
    return [SlotSet(SLOT_INTRODUCED, True)]


def send_advice(dispatcher: CollectingDispatcher, tracker: Tracker, reply: Reply,
                aside: Optional[Reply] = None) -> None:
    deliver(dispatcher, tracker, reply, aside)
    if reply.rule_ids:
        record_shown(tracker.sender_id, channel_of(tracker), reply.rule_ids)


# -------------------------------------------------------------------------------------------
# advice
# -------------------------------------------------------------------------------------------

#: intents whose advice is the answer unless the words clearly ask for a message: a draft
#: request (it has its own path), and a decision about this offer or process ("how do i say no
#: nicely?" gets the advice, which offers the draft, and the facts it asks for next; "help me
#: decline them" or "how do i tell them no" gets the draft: drafts.asks_for_message_in_decision)
REDIRECT_NOT = (intents.REQUEST_DRAFT, intents.ASK_WITHDRAW, intents.EVALUATE_OFFER)


def advise(dispatcher: CollectingDispatcher, tracker: Tracker, message: UserMessage,
           state: State, turn: Dict[str, Any], drafts_too: bool = True) -> List[EventType]:
    """Red flags with the user's words, the top advice with next steps, at most one question.
    A story that ends by asking for a message ("... how do i let them know im done") gets the
    draft instead, whatever NLU called it (``drafts_too``)."""
    advisor = get_advisor()
    told = turn.get("turn") and not turn.get("payload")
    # the direct questions the message asks, once: they are answered, not taken as a request
    # for a message
    answers = advisor.direct_answers(message.text, state_facts(state), earlier_texts(tracker)) \
        if not turn.get("payload") else []
    if drafts_too and not message.in_form and not turn.get("payload") and \
            (drafts.asks_for_message_in_decision(advisor, message.text, message.intent, answers)
             if message.intent in REDIRECT_NOT
             else drafts.asks_for_a_draft(advisor, message.text, answers)):
        return prepare_draft(dispatcher, tracker, message, state, turn) + \
            [FollowupAction("draft_form")]
    # a direct question gets its answer first, the introduction after it; every other reply
    # comes after the introduction
    answer_first = bool(told and answers) and not turn.get("ask_which") and \
        not turn.get("unclear_answer") and not turn.get("compare") and \
        not (turn.get("priorities") and state.compare_pending) and \
        not asks_for_summary(advisor, message.text)
    events = [] if answer_first else introduce_once(dispatcher, tracker)
    if turn.get("ask_which"):  # several opportunities, unclear which one: ask
        deliver(dispatcher, tracker, several.which_reply(advisor, state))
        return events + state_events(tracker, state)
    if (turn.get("priorities") and state.compare_pending) or turn.get("compare"):
        # "what would you do in my shoes, stay or go?": the options side by side, after the
        # direct answer when the message asked a question
        direct = answers[0] if told and answers else None
        return events + compare_options(dispatcher, tracker, state, turn, direct)
    assessment = assess(advisor, state)
    if told and asks_for_summary(advisor, message.text):
        # "oh and they offered me the job! so where does all that leave me?": the summary,
        # with what the message just told in it
        deliver(dispatcher, tracker, several.about(advisor, state, compose.summary_reply(
            advisor, state, assessment, details_of(tracker, state))))
        state.last_advice = [a.rule for a in assessment.top()]
        return events + state_events(tracker, state)
    question = choose_question(advisor, state, assessment, turn)
    if turn.get("unclear_answer") and question is not None:
        # a short reply that did not answer the question: ask it again, with the options
        deliver(dispatcher, tracker, compose.question_reply(advisor, question, state))
        return events + state_events(tracker, state)
    answers = answers if told else []
    # "so what now?", or a direct question: the answer, then the advice in full again; "what
    # should i ask them?": the advice that has questions to ask, with them
    turn["asks_questions"] = asks_questions_to_ask(advisor, message.text)
    turn["asks_advice"] = asks_what_to_do(advisor, message.text) or bool(answers) or \
        turn["asks_questions"]
    reply = compose.advice_reply(advisor, state, turn, assessment, question,
                                 details=told_details(message, state, turn),
                                 previous_advice=state.last_advice,
                                 direct=answers[0] if answers else None)
    if turn.get("priorities") or turn.get("priorities_noted"):
        reply.notes.append(several.priorities_note(advisor, state.priorities))
    # a direct answer that opens the conversation: the introduction follows it
    intro = compose.intro_reply(retention_days(), after_answer=True) \
        if answer_first and not tracker.get_slot(SLOT_INTRODUCED) else None
    send_advice(dispatcher, tracker, several.about(advisor, state, reply, turn), aside=intro)
    if intro is not None:
        events.append(SlotSet(SLOT_INTRODUCED, True))
    if told and asks_why_advice(advisor, message.text):
        # "oh and i got a raise. but why are you telling me to ...?": the reasons too - for
        # the advice shown before, or, when there was none, for the advice just shown
        if not state.last_advice:
            state.last_advice = [a.rule for a in assessment.top()]
        deliver(dispatcher, tracker, several.about(advisor, state,
                                                   compose.why_reply(advisor, state, assessment)))
    state = remember_question(state, question)
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
        if not turn.get("withdrawn") and not turn.get("changed_facts") and (
                turn.get("flag_hits") or
                advisor.direct_answers(message.text, state_facts(state))):
            # "the recruiter was vague about the role" filed under `correct`: it describes a
            # red flag rather than taking one back, so answer it as a description; "is it that
            # bad to go back on a yes?" asks a direct question and corrects nothing: answer it
            return advise(dispatcher, tracker, message, state, turn)
        assessment = assess(advisor, state)
        reply = compose.correction_reply(advisor, state, turn, assessment,
                                         details=entities_of(message))
        send_advice(dispatcher, tracker, several.about(advisor, state, reply, turn))
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
        message, state, turn = absorb_latest(tracker)  # "why? oh, it's internal" keeps the fact
        if turn.get("compare"):     # "which should I pick, and why?"
            return compare_options(dispatcher, tracker, state, turn)
        if several.asks_for_all(advisor, state, message.text, turn) and \
                mentions_any(message.text, advisor.rulebase.words.opportunity_all):
            deliver(dispatcher, tracker, several.why_all_reply(advisor, state))
            return state_events(tracker, state)
        reply = compose.why_reply(advisor, state, assess(advisor, state))
        deliver(dispatcher, tracker, several.about(advisor, state, reply))
        return state_events(tracker, state)


class ActionSummarizeSituation(Action):
    """"Summary": every flag, fact and piece of advice so far, next steps as a checklist."""

    def name(self) -> str:
        return "action_summarize_situation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        advisor = get_advisor()
        message, state, turn = absorb_latest(tracker)
        if turn.get("compare"):     # "a side by side summary"
            return compare_options(dispatcher, tracker, state, turn)
        if asks_questions_to_ask(advisor, message.text) and \
                not asks_for_summary(advisor, message.text):
            # "what questions should i ask them?": the advice with its questions to ask
            return advise(dispatcher, tracker, message, state, turn)
        if several.asks_for_all(advisor, state, message.text, turn):   # all of them
            deliver(dispatcher, tracker, several.summary_all_reply(advisor, state))
            return state_events(tracker, state)
        reply = compose.summary_reply(advisor, state, assess(advisor, state),
                                      details_of(tracker, state))
        deliver(dispatcher, tracker, several.about(advisor, state, reply))
        return state_events(tracker, state)


def compare_options(dispatcher: CollectingDispatcher, tracker: Tracker, state: State,
                    turn: Dict[str, Any], direct: Optional[DirectAnswer] = None
                    ) -> List[EventType]:
    """The opportunities side by side; the first time without priorities, the reply also asks
    for them once (quick replies), and the answer brings the comparison again. ``direct``: the
    answer to a direct question the message asked, shown first."""
    advisor = get_advisor()
    notes = [several.priorities_note(advisor, state.priorities)] if turn.get("priorities") \
        else []
    reply = several.comparison_reply(advisor, state, notes)
    if direct is not None:
        reply.answer = compose.answer_of(direct)
    ask = reply.comparison is not None and not state.priorities and \
        not state.priorities_asked
    if ask:
        reply.question = several.priorities_question(advisor)
        state.priorities_asked = True
    state.compare_pending = ask
    deliver(dispatcher, tracker, reply)
    return state_events(tracker, state)


class ActionGreetUser(Action):
    """Hello: the full introduction the first time, a short greeting afterwards."""

    def name(self) -> str:
        return "action_greet_user"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        message, state, turn = absorb_latest(tracker)
        if reads_as_story(turn):  # "hi! so the recruiter couldn't say what the job is..."
            return advise(dispatcher, tracker, message, state, turn)
        return greet(dispatcher, tracker, state)


def greet(dispatcher: CollectingDispatcher, tracker: Tracker, state: State) -> List[EventType]:
    """The full introduction the first time, a short greeting afterwards."""
    events = introduce_once(dispatcher, tracker)
    if not events:
        deliver(dispatcher, tracker, compose.say("greeting", phrases.GREET_AGAIN))
    return events + state_events(tracker, state)


class ActionAnswerSmallTalk(Action):
    """Thanks, goodbye, "are you a bot?", help and out-of-scope requests get their reply -
    unless NLU filed a long story with red flags under one of them: then it gets advice."""

    def name(self) -> str:
        return "action_answer_small_talk"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        message, state, turn = absorb_latest(tracker)
        if reads_as_story(turn) or turn.get("compare") or turn.get("priorities"):
            return advise(dispatcher, tracker, message, state, turn)
        advisor = get_advisor()
        if (state.facts or state.flags) and (asks_what_to_do(advisor, message.text) or
                                             asks_questions_to_ask(advisor, message.text)):
            # "what should i do", "what questions should i ask them" after a story, filed
            # under help: the advice, not the menu
            return advise(dispatcher, tracker, message, state, turn)
        if message.intent == intents.OUT_OF_SCOPE and turn.get("new_facts"):
            # "applications out at Garrow Digital, Pellin Homes and a small charity": it tells
            # facts about their situation, so it is in scope whatever NLU thought
            return advise(dispatcher, tracker, message, state, turn)
        intent = message.intent or ""
        kind = "small_talk" if intent in SMALL_TALK and intent != intents.OUT_OF_SCOPE \
            else "out_of_scope"
        deliver(dispatcher, tracker,
                compose.say(kind, SMALL_TALK.get(intent, phrases.OUT_OF_SCOPE)))
        return state_events(tracker, state)


class ActionRecordFeedback(Action):
    """"That helped" / "not helpful": a rating of the advice shown last, stored with its rule
    ids (``make feedback-report``)."""

    def name(self) -> str:
        return "action_record_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        message, state, _ = absorb_latest(tracker)
        helpful = intents.RATING_INTENTS.get(message.intent or "", True)
        if not state.last_advice:
            deliver(dispatcher, tracker, compose.say(
                "feedback", phrases.NOTHING_TO_RATE if helpful else phrases.NOTHING_HELPED_YET))
            return state_events(tracker, state)
        record_rating(tracker.sender_id, channel_of(tracker), state.last_advice, helpful)
        text = phrases.THANKS_HELPFUL if helpful else phrases.THANKS_UNHELPFUL
        reply = compose.say("feedback", text, suggestions=[compose.SUMMARY])
        reply.rule_ids = list(state.last_advice)
        deliver(dispatcher, tracker, reply)
        return state_events(tracker, state)


class ActionRestart(Action):
    """"Start over": forget the conversation (Rasa's own restart, with our reply)."""

    def name(self) -> str:
        return "action_restart"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        deliver(dispatcher, tracker, compose.say("small_talk", phrases.RESTART))
        return [Restarted()]


# -------------------------------------------------------------------------------------------
# "delete my data"
# -------------------------------------------------------------------------------------------

class ActionAskForgetConfirmation(Action):
    """"Delete my data": ask first - it cannot be undone."""

    def name(self) -> str:
        return "action_ask_forget_confirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        question = compose.choice_question(phrases.FORGET_CONFIRM,
                                           [("yes", phrases.FORGET_YES),
                                            ("no", phrases.FORGET_NO)])
        deliver(dispatcher, tracker, compose.say("question", "", question=question))
        return [SlotSet(PENDING_SLOT, True)]


class ActionForgetUser(Action):
    """Confirmed: delete the person's ratings here, and mark the conversation for deletion -
    the tracker store (stores.tracker_store) deletes every event of it instead of saving."""

    def name(self) -> str:
        return "action_forget_user"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        forget_ratings(tracker.sender_id)
        deliver(dispatcher, tracker, compose.say("small_talk", phrases.FORGOTTEN))
        return [Restarted(), SlotSet(FORGET_SLOT, True)]


class ActionKeepData(Action):
    """Not confirmed: nothing is deleted."""

    def name(self) -> str:
        return "action_keep_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        deliver(dispatcher, tracker, compose.say("small_talk", phrases.KEPT))
        return [SlotSet(PENDING_SLOT, False)]


# -------------------------------------------------------------------------------------------
# drafts
# -------------------------------------------------------------------------------------------

def draft_state_of(tracker: Tracker) -> drafts.DraftState:
    values = tracker.get_slot(SLOT_DRAFT_VALUES)
    return drafts.DraftState(tracker.get_slot(SLOT_DRAFT_ID),
                             dict(values) if isinstance(values, dict) else {},
                             tracker.get_slot(SLOT_DRAFT_PENDING),
                             bool(tracker.get_slot(SLOT_DRAFT_CANCELLED)))


def draft_slots(draft: drafts.DraftState) -> Dict[str, Any]:
    return {SLOT_DRAFT_ANSWER: draft.answer_slot, SLOT_DRAFT_ID: draft.draft_id,
            SLOT_DRAFT_VALUES: draft.values, SLOT_DRAFT_PENDING: draft.pending,
            SLOT_DRAFT_CANCELLED: draft.cancelled}


#: how many messages before the latest one a draft looks back for a contact's name. Fewer than
#: the turns the windowed tracker store always keeps (stores/windows.py KEEP_TURNS), so a draft
#: reads the same whether the store returns the whole conversation or its window (checked by
#: tests/actions/test_actions_rasa.py) - and a name said long ago is rarely this draft's.
EARLIER_MESSAGES = 3


def earlier_texts(tracker: Tracker) -> List[str]:
    """The last few messages the person wrote before the latest one, oldest first."""
    users = [str(e.get("text") or "") for e in tracker.events or [] if e.get("event") == "user"]
    return users[:-1][-EARLIER_MESSAGES:]


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
        message, state, turn = absorb_latest(tracker)
        if not message.in_form and (turn.get("compare") or
                                    drafts.asks_rather_than_requests(
                                        advisor, message.text,
                                        earlier=earlier_texts(tracker))):
            # "should I tell my manager?": answer it, and "put them next to each other for
            # me" is a comparison, whatever NLU made of it; the form then ends without a word
            return advise(dispatcher, tracker, message, state, turn, drafts_too=False) + \
                [SlotSet(SLOT_DRAFT_ANSWER, drafts.NOT_A_DRAFT)]
        return prepare_draft(dispatcher, tracker, message, state, turn)


def prepare_draft(dispatcher: CollectingDispatcher, tracker: Tracker, message: UserMessage,
                  state: State, turn: Dict[str, Any]) -> List[EventType]:
    """Pick the message and prefill it; the slots ``draft_form`` asks the rest with."""
    advisor = get_advisor()
    draft_types = message.entity_values("draft_type")
    draft_type = draft_types[-1] if draft_types else None
    target = drafts.addressee(advisor, state, message.text, message.entities) \
        if opp.is_multi(state) else None
    if target and target != state.active:
        opp.switch(advisor, state, target)  # several named: write to the one named last
    if turn.get("switched") and not state.last_advice:
        # "write to Cyberdyne": the advice it would get is what the draft is chosen from
        state.last_advice = assess(advisor, state).rule_ids[:3]
    # a request in the first message about it: the advice it would get (not shown, so not
    # kept) is what the situation calls for
    situation = state if state.last_advice else \
        replace(state, last_advice=assess(advisor, state).rule_ids[:3])
    draft = drafts.start_draft(advisor, situation, draft_type, details_of(tracker, state),
                               memory_of(tracker), message.text, earlier_texts(tracker))
    if draft.draft_id and opp.is_multi(state) and not turn.get("mentioned"):
        # "draft the withdrawal" with several open: the one whose advice offers it
        key = opp.for_draft(advisor, state, draft.draft_id,
                            several.drafts_offered(advisor, state))
        if key and key != state.active:
            opp.switch(advisor, state, key)
            draft = drafts.start_draft(advisor, state, draft_type,
                                       details_of(tracker, state), memory_of(tracker),
                                       message.text)
    if draft.draft_id:
        title = advisor.rulebase.drafts[draft.draft_id].title
        missing = drafts.missing_count(advisor, draft.draft_id, draft.values)
        text = phrases.LETS_WRITE_MISSING.format(title=title, count=missing,
                                                 s="s" if missing != 1 else "") \
            if missing else phrases.LETS_WRITE.format(title=title)
        known = drafts.known_details(draft.values)
        if known:
            text = f"{text} {known}"
        reply = compose.say("draft_step", text)
        reply.opportunity = several.active_label(state)
        # a question asked with the request ("do i owe them a reason? and can you write it")
        # gets its answer first
        reply.answer = compose.answer_of(drafts.question_before_request(
            advisor, message.text, state_facts(state)))
        deliver(dispatcher, tracker, reply)
    # the facts told with the request ("the internal analytics role", "turn down the offer")
    # are kept like those of any other message
    return [SlotSet(k, v) for k, v in draft_slots(draft).items()] + state_events(tracker, state)


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
        if isinstance(candidate, str) and \
                candidate not in (drafts.DONE, drafts.STOPPED, drafts.NOT_A_DRAFT) and \
                drafts.is_interruption(get_advisor(), candidate, intent):
            # not an answer: reject, so the dialogue rules answer it and the form asks again
            return [SlotSet(SLOT_DRAFT_ANSWER, None), ActionExecutionRejected(self.form_name())]
        return await super().run(dispatcher, tracker, domain)

    async def validate_draft_answer(self, value: Any, dispatcher: CollectingDispatcher,
                                    tracker: Tracker, domain: DomainDict) -> Dict[str, Any]:
        if value is None or value in (drafts.DONE, drafts.STOPPED, drafts.NOT_A_DRAFT):
            return {SLOT_DRAFT_ANSWER: value}
        advisor = get_advisor()
        message = message_of(tracker)
        entities = entities_of(message, DETAIL_ENTITIES + ("draft_type",))
        facts = {k: v.get("value") for k, v in state_of(tracker).facts.items()}
        draft = drafts.draft_step(advisor, draft_state_of(tracker), str(value), message.intent,
                                  entities, facts, details_of(tracker, state_of(tracker)),
                                  memory_of(tracker))
        if draft.note:
            deliver(dispatcher, tracker, compose.say("draft_step", draft.note))
        return draft_slots(draft)


class ActionAskDraftAnswer(Action):
    """The form's question: which message, or the next missing placeholder."""

    def name(self) -> str:
        return "action_ask_draft_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        draft = draft_state_of(tracker)
        question = drafts.placeholder_question(get_advisor(), draft.draft_id, draft.pending)
        deliver(dispatcher, tracker, compose.say("draft_step", "", question=question))
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
        if tracker.get_slot(SLOT_DRAFT_ANSWER) == drafts.NOT_A_DRAFT:
            return reset                      # it was a question, answered already
        if draft.cancelled or tracker.get_slot(SLOT_DRAFT_ANSWER) == drafts.STOPPED or \
                not draft.draft_id or draft.draft_id not in advisor.rulebase.drafts:
            deliver(dispatcher, tracker, compose.say("draft_step", phrases.DRAFT_DROPPED))
            return reset
        deliver(dispatcher, tracker, compose.draft_reply(advisor, draft.draft_id, draft.values))
        return reset + [SlotSet(SLOT_DRAFT_MEMORY,
                                drafts.remembered(draft.values, memory_of(tracker)))]


# -------------------------------------------------------------------------------------------
# fallback
# -------------------------------------------------------------------------------------------

#: Rasa's two-stage fallback loop (data/rules/fallback.yml starts it through our action)
TWO_STAGE_FALLBACK = "action_two_stage_fallback"


def fallback_candidates(tracker: Tracker) -> List[str]:
    """NLU's ranking of the latest message, without the fallback and refusal intents."""
    latest = tracker.latest_message or {}
    ranking = [r.get("name") for r in latest.get("intent_ranking") or []]
    return [name for name in ranking
            if name and name not in (intents.NLU_FALLBACK, intents.OUT_OF_SCOPE,
                                     intents.UNREADABLE_INPUT)]


def answer_when_unsure(dispatcher: CollectingDispatcher,
                       tracker: Tracker) -> Optional[List[EventType]]:
    """NLU was unsure, but the rule base can answer the message (a direct question it knows,
    new facts or red flags, "so what now?"): answer it instead of asking "did you mean ...?".
    None when it cannot."""
    message = message_of(tracker)
    if message.in_form or is_payload_text(message.text) or not message.text.strip():
        return None
    candidates = fallback_candidates(tracker)
    advisor = get_advisor()
    before = state_of(tracker)
    # read it as NLU's best guess would be read (red flags are held back under nlu_fallback);
    # when that guess reads no red flags under it (feedback, small talk: "dunno what the role
    # even is honestly" guessed as "not helpful") but a runner-up of the top three is one
    # that does, and read so a pattern of the rule base finds one, it is read that way
    guess = candidates[0] if candidates else None
    message = replace(message, intent=guess)
    state, turn, _ = absorb(advisor, before, message)
    if guess not in intents.SIGNAL_INTENTS:
        for other in [c for c in candidates[1:3] if c in intents.SIGNAL_INTENTS]:
            as_story = replace(message, intent=other)
            read = absorb(advisor, before, as_story)
            if any(e.get("kind") != "model" for hits in (read[1].get("flag_hits") or {}).values()
                   for e in hits):
                guess, message, (state, turn, _) = other, as_story, read
                break
    how = advising.answer_when_unsure(advisor, before, message.text, guess, turn)
    if how == advising.UNSURE_SUMMARY:
        reply = compose.summary_reply(advisor, state, assess(advisor, state),
                                      details_of(tracker, state))
    elif how == advising.UNSURE_WHY:
        reply = compose.why_reply(advisor, state, assess(advisor, state))
    elif how == advising.UNSURE_ADVICE:
        return advise(dispatcher, tracker, message, state, turn)
    elif how == advising.UNSURE_DRAFT:
        return prepare_draft(dispatcher, tracker, message, state, turn) + \
            [FollowupAction("draft_form")]
    elif how == advising.UNSURE_GREET:
        return greet(dispatcher, tracker, state)
    else:
        return None
    deliver(dispatcher, tracker, several.about(advisor, state, reply))
    return state_events(tracker, state)


class ActionAnswerUnsureMessage(Action):
    """A message below NLU's confidence threshold: answered when the rule base can answer it
    (:func:`answer_when_unsure`), else Rasa's two-stage fallback ("did you mean ...?").

    The decision is taken here, before the fallback loop starts, and not in its first stage:
    a turn answered inside the loop was undone by the loop when the next clear message ended
    it, and the facts and red flags that turn told were lost."""

    def name(self) -> str:
        return "action_answer_unsure_message"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        answered = answer_when_unsure(dispatcher, tracker)
        if answered is not None:
            return answered
        return [FollowupAction(TWO_STAGE_FALLBACK)]


class ActionDefaultAskAffirmation(Action):
    """First stage of the two-stage fallback, in words instead of intent names - unless the
    rule base can answer the message anyway (:func:`answer_when_unsure`).

    The check is not done twice: the loop also asks here about a rephrased message that is
    still unsure (after "something else"), which :class:`ActionAnswerUnsureMessage` never saw.
    A message answered here ends the loop at once: left running, the loop would undo this turn
    (and what it told) when the next clear message ends it."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        answered = answer_when_unsure(dispatcher, tracker)
        if answered is not None:
            if not any(event.get("event") == "followup" for event in answered):
                answered = answered + [FollowupAction("action_listen")]   # not the core fallback
            return [ActiveLoop(None)] + answered
        candidates = fallback_candidates(tracker)
        if not candidates:
            deliver(dispatcher, tracker, compose.say("fallback", phrases.ASK_REPHRASE))
            return []
        intent = candidates[0]
        description = intents.DESCRIPTIONS.get(intent, intent.replace("_", " "))
        deliver(dispatcher, tracker, compose.say(
            "fallback", phrases.DID_YOU_MEAN.format(description=description),
            suggestions=[Suggestion("Yes", f"/{intent}"),
                         Suggestion(phrases.SOMETHING_ELSE, f"/{intents.OUT_OF_SCOPE}")]))
        return []


class ActionDefaultAskRephrase(Action):
    """Second stage of the two-stage fallback: ask to put it another way."""

    def name(self) -> str:
        return "action_default_ask_rephrase"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        deliver(dispatcher, tracker, compose.say("fallback", phrases.ASK_REPHRASE))
        return []


class ActionDefaultFallback(Action):
    """Still not understood after rephrasing: say so and point to "help"."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        answered = answer_when_unsure(dispatcher, tracker)   # a second unsure message
        if answered is not None:
            return answered
        deliver(dispatcher, tracker, compose.say("fallback", phrases.DEFAULT))
        return [UserUtteranceReverted()]
