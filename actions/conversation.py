"""Conversation state and replies of the Rasa assistant - with no Rasa in it.

The custom actions in :mod:`actions.actions` are thin: they read slots and the latest message
from the tracker, call the functions here, and turn the results into events and messages.
Everything that decides *what the bot knows and says* lives here and is unit-tested without a
tracker:

* :class:`State` - facts, red flags, withdrawn flags, the pending question and the last advice,
  as they are stored in slots (plain JSON values);
* :func:`update_state` - merges one user message into the state: red flags and facts found in
  the text by the core (``Advisor.detect``), ``interview_type``/``stage`` entities, an answer to
  the pending question (a bare yes/no for a boolean fact, "internal" or "it's at another
  company" for an enum one) and corrections (a fact replaced, a red flag withdrawn);
* :func:`assess` - evaluates the advice rules on the state;
* ``render_*`` - the chat text (readable on its own, e.g. in ``rasa shell``) and the structured
  payload for channels that render more;
* the draft helpers - which message template fits, what is still missing, skip/stop answers.

This module imports neither rasa nor rasa_sdk.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from interview_advisor import AdviceItem, Advisor, Question
from interview_advisor.conditions import KnownFact
from interview_advisor.detect import Hit, PatternSource
from interview_advisor.engine import MAX_TEXT_CHARS

# -------------------------------------------------------------------------------------------
# names shared with domain.yml
# -------------------------------------------------------------------------------------------

SLOT_FACTS = "facts"
SLOT_FLAGS = "flags"
SLOT_WITHDRAWN = "withdrawn_flags"
SLOT_PENDING = "pending_question"
SLOT_ASKED = "asked_questions"
SLOT_LAST_TURN = "last_turn"
SLOT_LAST_ADVICE = "last_advice"
STATE_SLOTS = (SLOT_FACTS, SLOT_FLAGS, SLOT_WITHDRAWN, SLOT_PENDING, SLOT_ASKED, SLOT_LAST_TURN,
               SLOT_LAST_ADVICE)

#: entities whose value is a fact of the rule base
FACT_ENTITIES = ("interview_type", "stage")
#: entities that are only details (used in drafts and acknowledged)
DETAIL_ENTITIES = ("company", "role", "person_name")
DETAIL_LABELS = {"company": "company", "role": "role", "person_name": "contact"}

TOP_ADVICE = 3          # advice items shown after a description
TOP_STEPS = 2           # next steps shown per item in the chat (all of them in the summary)
QUOTE_CHARS = 120       # longest quote of the user's words shown in a reply
SHORT_ANSWER_WORDS = 8  # replies up to this long may be a bare answer ("internal", "yes")

ANSWER_INTENTS = ("inform", "affirm", "deny", "correct")
#: intents whose words may hold red flags; in other messages ("what's the weather?", "why?",
#: "thanks") a detected flag is more likely noise than something that happened to the person
SIGNAL_INTENTS = ("describe_interview", "ask_keep_interviewing", "ask_withdraw", "evaluate_offer",
                  "report_rejection", "inform", "correct", "request_draft")
#: NLU was unsure: flags are held back until the two-stage fallback clarifies the intent
HOLD_INTENTS = ("nlu_fallback",)
#: small talk and out-of-scope intents whose reply is a canned response - unless the message is
#: long and tells of red flags: then NLU misread a story ("thanks! so today the recruiter
#: couldn't say what the job is...") and the person gets advice, not "you're welcome"
SMALL_TALK_RESPONSES = {"thank": "utter_youre_welcome", "goodbye": "utter_goodbye",
                        "bot_challenge": "utter_iamabot", "help": "utter_help",
                        "out_of_scope": "utter_out_of_scope"}
#: the dilemma an intent stands for (the `question` fact), when the words did not say it
INTENT_QUESTIONS = {"ask_keep_interviewing": "keep_interviewing", "ask_withdraw": "back_out",
                    "evaluate_offer": "evaluate_offer"}
INTENT_QUESTION_CONFIDENCE = 0.7  # below this, the intent is too unsure to say what they ask
STORY_WORDS = 12        # a message this long is a story, whatever NLU called it
STORY_INTENTS = ("greet",) + tuple(SMALL_TALK_RESPONSES)

# -------------------------------------------------------------------------------------------
# small text helpers
# -------------------------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_NON_WORD = re.compile(r"[^a-z0-9' ]+")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped ("don't" -> "dont"), punctuation as spaces, padded."""
    text = (text or "").lower().translate(_APOSTROPHES)
    text = _NON_WORD.sub(" ", text).replace("'", "")
    return " " + _SPACES.sub(" ", text).strip() + " "


def contains_phrase(text: str, phrase: str) -> bool:
    """Does the normalised ``text`` contain ``phrase`` as whole words?"""
    needle = normalise(phrase)
    return needle.strip() != "" and needle in normalise(text)


def word_count(text: str) -> int:
    return len(normalise(text).split())


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """The user's words in double quotes, shortened with an ellipsis when long."""
    text = _SPACES.sub(" ", (text or "").strip())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f'"{text}"'


def keep_together(text: str) -> str:
    """Blank lines as lines with one space: Rasa's REST and socket.io channels split a text at
    every blank line into separate chat bubbles, and a draft should stay one message."""
    return re.sub(r"\n[ \t]*\n", "\n \n", text)


def first_sentence(text: str) -> str:
    text = (text or "").strip()
    match = re.search(r"(?<=[.!?])\s", text)
    return text[: match.start()].strip() if match else text


def is_payload_text(text: Optional[str]) -> bool:
    """A button payload such as ``/describe_interview`` (no words of the user in it)."""
    return bool(text) and str(text).lstrip().startswith("/")


# -------------------------------------------------------------------------------------------
# the state kept in slots
# -------------------------------------------------------------------------------------------

@dataclass
class State:
    """Everything the bot has learnt in this conversation, as stored in slots.

    * ``facts``: fact id -> ``{"value", "source", "quote", "start", "end", "turn"}``; source is
      ``text`` (found by the core's detection), ``entity`` (NLU entity), ``answer`` (reply to a
      question) or ``given``; start/end are offsets into that turn's message.
    * ``flags``: signal id -> list of evidence ``{"quote", "start", "end", "turn", "pattern",
      "kind"}``.
    * ``withdrawn``: signal ids the person took back.
    * ``pending_question``: the fact the bot asked about last (answers refer to it).
    * ``asked``: every fact asked about so far (never asked twice).
    * ``last_turn``: what the latest user message changed (see :func:`update_state`).
    * ``last_advice``: rule ids of the advice shown last (what "why?" explains).
    """

    facts: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    flags: Dict[str, List[Dict[str, Any]]] = field(default_factory=dict)
    withdrawn: List[str] = field(default_factory=list)
    pending_question: Optional[str] = None
    asked: List[str] = field(default_factory=list)
    last_turn: Dict[str, Any] = field(default_factory=dict)
    last_advice: List[str] = field(default_factory=list)

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> State:
        """Build from slot values; anything missing or malformed counts as empty."""
        def get(name: str, kind: type) -> Any:
            value = slots.get(name)
            return copy.deepcopy(value) if isinstance(value, kind) else kind()

        pending = slots.get(SLOT_PENDING)
        return cls(facts={k: v for k, v in get(SLOT_FACTS, dict).items()
                          if isinstance(v, dict) and "value" in v},
                   flags={k: [e for e in v if isinstance(e, dict)]
                          for k, v in get(SLOT_FLAGS, dict).items() if isinstance(v, list)},
                   withdrawn=[s for s in get(SLOT_WITHDRAWN, list) if isinstance(s, str)],
                   pending_question=pending if isinstance(pending, str) and pending else None,
                   asked=[s for s in get(SLOT_ASKED, list) if isinstance(s, str)],
                   last_turn=get(SLOT_LAST_TURN, dict),
                   last_advice=[s for s in get(SLOT_LAST_ADVICE, list) if isinstance(s, str)])

    def to_slots(self) -> Dict[str, Any]:
        return {SLOT_FACTS: copy.deepcopy(self.facts), SLOT_FLAGS: copy.deepcopy(self.flags),
                SLOT_WITHDRAWN: list(self.withdrawn), SLOT_PENDING: self.pending_question,
                SLOT_ASKED: list(self.asked), SLOT_LAST_TURN: copy.deepcopy(self.last_turn),
                SLOT_LAST_ADVICE: list(self.last_advice)}

    def fact_value(self, fact_id: str) -> Any:
        entry = self.facts.get(fact_id)
        return None if entry is None else entry.get("value")

    @property
    def empty(self) -> bool:
        return not self.facts and not self.flags and not self.withdrawn


@dataclass
class UserMessage:
    """The parts of the latest user message that matter here."""

    text: str = ""
    intent: Optional[str] = None
    entities: List[Dict[str, Any]] = field(default_factory=list)
    message_id: Optional[str] = None
    in_form: bool = False
    confidence: float = 1.0     # NLU's confidence in ``intent``

    def key(self) -> str:
        """Identifies the message, so that it is merged into the state only once."""
        return self.message_id or f"text:{self.intent}:{self.text[:200]}"

    def entity_values(self, name: str) -> List[str]:
        return [str(e.get("value")) for e in self.entities
                if e.get("entity") == name and e.get("value") not in (None, "")]

    def entity_text(self, entity: Mapping[str, Any]) -> str:
        """The words the entity was found in (falls back to its value)."""
        start, end = entity.get("start"), entity.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(self.text):
            return self.text[start:end]
        return str(entity.get("value", ""))


# -------------------------------------------------------------------------------------------
# converting between slot data and the core's objects
# -------------------------------------------------------------------------------------------

def hits_from_flags(flags: Mapping[str, Sequence[Mapping[str, Any]]]) -> Dict[str, List[Hit]]:
    """Rebuild the core's :class:`Hit` objects from evidence stored in a slot."""
    hits: Dict[str, List[Hit]] = {}
    for signal_id, evidence in flags.items():
        owner = f"signal:{signal_id}"
        hits[signal_id] = [
            Hit(owner, int(e.get("start", 0) or 0), int(e.get("end", 0) or 0),
                str(e.get("quote", "")),
                PatternSource(owner, str(e.get("kind", "stored")), str(e.get("pattern", ""))))
            for e in evidence]
    return hits


def known_facts(facts: Mapping[str, Mapping[str, Any]]) -> Dict[str, KnownFact]:
    """Rebuild the core's :class:`KnownFact` objects (with quoted evidence) from a slot."""
    known: Dict[str, KnownFact] = {}
    for fact_id, entry in facts.items():
        value = entry.get("value")
        evidence = None
        if entry.get("quote"):
            owner = f"fact:{fact_id}"
            evidence = Hit(owner, int(entry.get("start", 0) or 0), int(entry.get("end", 0) or 0),
                           str(entry["quote"]), PatternSource(owner, str(entry.get("source")), ""))
        known[fact_id] = KnownFact(value, str(entry.get("source", "given")), evidence)
    return known


def _fact_entry(value: Any, source: str, quote_text: str, start: int, end: int,
                turn: int) -> Dict[str, Any]:
    return {"value": value, "source": source, "quote": quote_text, "start": start, "end": end,
            "turn": turn}


# -------------------------------------------------------------------------------------------
# answers to the pending question
# -------------------------------------------------------------------------------------------

#: extra everyday words for the values of well-known facts (the value name and the option
#: label from rules/facts.yml always count too)
OPTION_WORDS: Dict[str, Dict[str, Sequence[str]]] = {
    "interview_type": {
        "internal": ["internal", "internally", "in house", "inhouse", "current company",
                     "my company", "same company", "my employer", "current employer",
                     "where i work", "my own company", "another team", "different team",
                     "another department"],
        "external": ["external", "externally", "another company", "other company",
                     "different company", "new company", "elsewhere", "outside",
                     "somewhere else", "a different employer", "another employer"],
    },
    "stage": {
        "upcoming": ["upcoming", "ahead", "not yet", "havent had", "hasnt happened", "tomorrow",
                     "next week", "coming up", "still to come", "soon", "later this week"],
        "done": ["done", "already had", "had it", "had the interview", "finished", "its over",
                 "yesterday", "this morning", "last week", "happened already", "already"],
        "rejected": ["rejected", "turned me down", "didnt get", "did not get", "rejection",
                     "no luck", "said no"],
        "offer": ["offer", "offered", "got the job"],
    },
    "interest": {
        "interested": ["interested", "keen", "want it", "i want", "really want", "excited",
                       "very much", "a lot"],
        "unsure": ["unsure", "not sure", "maybe", "dont know", "on the fence", "torn", "mixed",
                   "undecided", "no idea"],
        "not_interested": ["not interested", "not really", "dont want", "no interest",
                           "not keen", "not at all", "nope", "meh"],
    },
    "current_satisfaction": {
        "satisfied": ["happy", "satisfied", "like it", "love it", "love my job", "good", "great"],
        "mixed": ["mixed", "so so", "ok", "okay", "alright", "its fine", "fine", "meh"],
        "unsatisfied": ["unhappy", "hate", "miserable", "unsatisfied", "dissatisfied",
                        "not happy", "bad", "awful", "terrible"],
    },
}

YES_WORDS = ("yes", "yeah", "yep", "yup", "ya", "y", "sure", "correct", "true", "definitely",
             "absolutely", "of course", "i do", "they do", "he does", "she does", "it has",
             "i am", "100")
NO_WORDS = ("no", "nope", "nah", "n", "not really", "never", "negative", "false", "i dont",
            "i do not", "they dont", "he doesnt", "she doesnt", "it hasnt", "im not", "i am not",
            "not yet")


def match_option(advisor: Advisor, fact_id: str, text: str) -> Optional[str]:
    """The enum value that ``text`` names (longest matching phrase wins), or None."""
    fact = advisor.rulebase.facts.get(fact_id)
    if fact is None or fact.spec.type != "enum":
        return None
    best: Tuple[int, Optional[str]] = (0, None)
    for value in fact.spec.values:
        phrases = [str(value).replace("_", " "), str(fact.options.get(str(value), ""))]
        phrases += list(OPTION_WORDS.get(fact_id, {}).get(str(value), ()))
        for phrase in phrases:
            if phrase and contains_phrase(text, phrase):
                length = len(normalise(phrase).strip())
                if length > best[0]:
                    best = (length, str(value))
    return best[1]


def values_named_in(advisor: Advisor, text: str) -> Dict[str, str]:
    """Enum facts whose value is named outright in a short reply ("internal", "an offer",
    "not interested"): fact id -> value, longest name first, one value per fact."""
    found: Dict[str, Tuple[int, str]] = {}
    for fact_id, fact in advisor.rulebase.facts.items():
        if fact.spec.type != "enum":
            continue
        for value in fact.spec.values:
            name = str(value).replace("_", " ")
            if contains_phrase(text, name):
                length = len(name)
                if fact_id not in found or length > found[fact_id][0]:
                    found[fact_id] = (length, str(value))
    return {fact_id: value for fact_id, (_, value) in found.items()}


def strip_yes_no(text: str) -> str:
    """The reply without a leading yes/no word ("yes, really want it" -> "really want it")."""
    return re.sub(r"^\s*(yes|yeah|yep|yup|no|nope|nah|ok|okay|sure|well)\b[\s,.!-]*", "",
                  text or "", flags=re.IGNORECASE)


def plain_yes_no(text: str) -> bool:
    """Only a yes or a no ("no, not yet", "yes he does"), nothing that answers anything else."""
    rest = normalise(strip_yes_no(text)).strip()
    return rest == "" or rest in {normalise(w).strip() for w in YES_WORDS + NO_WORDS} or \
        word_count(rest) <= 1


def match_boolean(text: str, intent: Optional[str]) -> Optional[bool]:
    """A yes/no answer: the affirm/deny intent, else a leading yes or no word."""
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    words = normalise(text)
    for phrase in sorted(NO_WORDS, key=len, reverse=True):
        if words.startswith(normalise(phrase)):
            return False
    for phrase in sorted(YES_WORDS, key=len, reverse=True):
        if words.startswith(normalise(phrase)):
            return True
    return None


# -------------------------------------------------------------------------------------------
# withdrawing red flags
# -------------------------------------------------------------------------------------------

#: words people use for each red flag when they take it back ("they weren't vague actually")
FLAG_WORDS: Dict[str, Sequence[str]] = {
    "vague_job_description": ["vague", "unclear role", "job description", "description",
                              "role was unclear", "responsibilities", "duties", "what the job is",
                              "the role", "job spec", "scope", "vagueness"],
    "unrealistic_expectations": ["expectations", "expectation", "promise", "promises", "promised",
                                 "oversold", "overselling", "bait", "switch", "goalposts",
                                 "too good to be true", "benefits", "unrealistic", "pay matched",
                                 "salary", "remote", "hours"],
    "overly_positive_acquaintances": ["positive", "praise", "rehearsed", "upbeat", "downsides",
                                      "downside", "too nice", "enthusiastic", "glowing",
                                      "overly positive", "too positive", "raving"],
    "unclear_culture": ["culture", "values", "direction", "vision", "mission"],
    "poor_communication": ["communication", "communicate", "ghost", "ghosted", "ghosting",
                           "reply", "replied", "replies", "respond", "responded", "response",
                           "email", "emails", "late", "reschedule", "rescheduled", "recruiter",
                           "organised", "organized", "disorganised", "disorganized", "update",
                           "updates", "spam folder"],
}

#: words that refer to "the red flag" without naming it
FLAG_REFERENCES = ("flag", "red flag", "problem", "issue", "concern", "warning sign", "a worry")
NEGATION_CUES = ("not", "no", "wasnt", "werent", "isnt", "arent", "didnt", "dont", "doesnt",
                 "never", "fine", "ok", "okay", "actually", "take that back", "ignore", "forget",
                 "scratch that", "my bad", "wrong", "misread", "exaggerated", "misspoke")


def flags_named_in(advisor: Advisor, text: str) -> List[str]:
    """Signal ids whose everyday words (or title) appear in ``text``."""
    found = []
    for signal_id, signal in advisor.rulebase.active_signals.items():
        words = list(FLAG_WORDS.get(signal_id, ())) + [signal.title,
                                                       signal_id.replace("_", " ")]
        if any(contains_phrase(text, w) for w in words):
            found.append(signal_id)
    return found


#: words too common to tie a correction to a quoted red flag
QUOTE_STOPWORDS = frozenset({
    "actually", "really", "just", "that", "this", "they", "them", "their", "there", "were",
    "have", "been", "what", "when", "with", "about", "from", "would", "could", "should", "will",
    "dont", "didnt", "wasnt", "werent", "isnt", "arent", "misread", "wrong", "take", "back",
    "said", "tell", "told", "job", "role", "interview", "company"})


def flags_quoted_in(advisor: Advisor, state: State, text: str) -> List[str]:
    """Flags whose quoted evidence shares a word (as a lemma) with a correction: "they weren't
    dodging" takes back what was flagged from "the CEO kept dodging my questions"."""
    lemmas = advisor.rulebase.detector.normaliser.phrase_keys
    words = {w for w in lemmas(text) if len(w) >= 4 and w not in QUOTE_STOPWORDS}
    found = []
    for signal_id, evidence in state.flags.items():
        quoted = {w for e in evidence for w in lemmas(str(e.get("quote") or ""))}
        if words & quoted:
            found.append(signal_id)
    return found


def flag_from_entity(advisor: Advisor, value: str) -> List[str]:
    """The signal id a ``red_flag`` entity names (its synonym-mapped value or its words)."""
    if value in advisor.rulebase.active_signals:
        return [value]
    return flags_named_in(advisor, value)


# -------------------------------------------------------------------------------------------
# merging one message into the state
# -------------------------------------------------------------------------------------------

def merge_flags(state: State, turn: Dict[str, Any],
                found: Mapping[str, List[Dict[str, Any]]]) -> None:
    """Add red-flag evidence to ``state`` (in place) and record it in ``turn``."""
    for signal_id, evidence in found.items():
        turn["flag_hits"][signal_id] = evidence
        if signal_id not in state.flags:
            turn["new_flags"].append(signal_id)
            state.flags[signal_id] = []
        state.flags[signal_id].extend(evidence)
        if signal_id in state.withdrawn:
            state.withdrawn.remove(signal_id)


def update_state(advisor: Advisor, state: State,
                 message: UserMessage) -> Tuple[State, Dict[str, Any]]:
    """Merge one user message into a copy of ``state``; return it and what changed (the turn).

    The turn is also stored as ``state.last_turn``.  Its keys: ``message_id``, ``turn``,
    ``intent``, ``chars``, ``truncated``, ``empty``, ``payload`` (a button payload, no words),
    ``flag_hits`` (signal id -> evidence found in this message), ``new_flags``, ``new_facts``,
    ``changed_facts`` (fact id -> ``{"from", "to"}``), ``answered`` (the fact the pending
    question asked for, when this message answered it), ``unclear_answer`` (the pending fact,
    when a short reply did not answer it), ``withdrawn`` and ``correction_unclear``.
    """
    state = copy.deepcopy(state)
    number = int(state.last_turn.get("turn", 0) or 0) + 1
    raw = message.text or ""
    payload = is_payload_text(raw)
    text = "" if payload else raw[:MAX_TEXT_CHARS]
    turn: Dict[str, Any] = {
        "message_id": message.key(), "turn": number, "intent": message.intent,
        "chars": len(raw), "truncated": (not payload) and len(raw) > MAX_TEXT_CHARS,
        "empty": (not payload) and not raw.strip(), "payload": payload, "flag_hits": {},
        "new_flags": [], "new_facts": {}, "changed_facts": {}, "answered": None,
        "unclear_answer": None, "gave_up": None, "withdrawn": [], "correction_unclear": False,
    }
    detection = advisor.detect(text) if text.strip() else None
    said = text.strip()[:200]

    def whole_message(value: Any, source: str) -> Dict[str, Any]:
        """A fact read from the message as a whole (an answer, or the intent), not a phrase."""
        return _fact_entry(value, source, said, 0, len(said), number)

    # -- facts: detected in the text, then entities, then the answer to the pending question
    updates: Dict[str, Dict[str, Any]] = {}
    if detection is not None:
        for fact_id, known in detection.facts.items():
            hit = known.evidence
            updates[fact_id] = _fact_entry(known.value, "text", hit.text if hit else "",
                                           hit.start if hit else 0, hit.end if hit else 0,
                                           number)
    question = INTENT_QUESTIONS.get(message.intent or "") \
        if message.confidence >= INTENT_QUESTION_CONFIDENCE else None
    if question and "question" in advisor.rulebase.facts and "question" not in updates and \
            not message.in_form and not payload and text.strip():
        # what they ask, when the words did not say it: "how do I cancel without burning
        # bridges?" is filed under ask_withdraw by NLU
        updates["question"] = whole_message(question, "intent")
    if not message.in_form:
        for entity in message.entities:
            name = entity.get("entity")
            if name not in FACT_ENTITIES or name not in advisor.rulebase.facts:
                continue
            try:
                parsed = advisor.parse_facts({name: entity.get("value")})[name]
            except ValueError:
                continue
            updates[name] = _fact_entry(parsed.value, "entity", message.entity_text(entity),
                                        int(entity.get("start", 0) or 0),
                                        int(entity.get("end", 0) or 0), number)
        pending = state.pending_question
        earlier: Dict[str, Any] = {}
        if text.strip() and message.intent in ANSWER_INTENTS and not plain_yes_no(text):
            # "yes, really want it": the answer to an earlier question that went unanswered
            for fact_id in state.asked:
                if fact_id != pending and fact_id not in state.facts and fact_id not in updates:
                    value_ = match_option(advisor, fact_id, strip_yes_no(text))
                    if value_ is not None:
                        earlier[fact_id] = value_
                        updates[fact_id] = whole_message(value_, "answer")
        if pending and pending in advisor.rulebase.facts and text.strip():
            if pending in updates:
                turn["answered"] = pending
            else:
                spec = advisor.rulebase.facts[pending].spec
                value: Any = None
                if spec.type == "boolean":
                    # a yes/no that came with the answer to another question is ambiguous, and
                    # so is a sentence that told us something else ("I'm not really interested
                    # any more" to "would you turn it down?" is not a "no")
                    told_else = any(k != pending for k in updates) and not plain_yes_no(text)
                    value = None if earlier or told_else or is_skip(text) else \
                        match_boolean(text, message.intent)
                else:
                    value = match_option(advisor, pending, text)
                if value is not None:
                    updates[pending] = whole_message(value, "answer")
                    turn["answered"] = pending
            if turn["answered"]:
                state.pending_question = None
        if not payload and word_count(text) <= SHORT_ANSWER_WORDS and \
                message.intent in ("inform", "correct"):
            # a bare "internal" or "offer": the value of another enum fact named outright
            for fact_id, value in values_named_in(advisor, text).items():
                if fact_id not in updates:
                    updates[fact_id] = _fact_entry(value, "answer", text.strip(), 0,
                                                   len(text.strip()), number)

    for fact_id, entry in updates.items():
        previous = state.facts.get(fact_id)
        if previous is None:
            turn["new_facts"][fact_id] = entry["value"]
        elif previous.get("value") != entry["value"]:
            turn["changed_facts"][fact_id] = {"from": previous.get("value"), "to": entry["value"]}
        state.facts[fact_id] = entry

    # -- red flags found in the text
    if detection is not None:
        active = advisor.rulebase.active_signals
        found = {signal_id: [{"quote": h.text, "start": h.start, "end": h.end, "turn": number,
                              "pattern": h.pattern_text, "kind": h.via.kind} for h in hits]
                 for signal_id, hits in detection.signals.items() if signal_id in active}
        if message.intent in HOLD_INTENTS:
            turn["held_flags"] = found
        elif message.intent in SIGNAL_INTENTS or message.intent is None or \
                (message.intent in STORY_INTENTS and word_count(text) >= STORY_WORDS):
            merge_flags(state, turn, found)
        else:
            turn["ignored_flags"] = sorted(found)

    # -- corrections: take red flags back
    if message.intent == "correct" and not message.in_form and not payload:
        targets: List[str] = []
        for value in message.entity_values("red_flag"):
            targets += flag_from_entity(advisor, value)
        if not targets:
            targets = flags_named_in(advisor, text)
        if not targets and any(contains_phrase(text, cue) for cue in NEGATION_CUES):
            targets = flags_quoted_in(advisor, state, text)
        targets = [t for t in dict.fromkeys(targets) if t in state.flags
                   and t not in turn["flag_hits"]]
        facts_touched = bool(turn["new_facts"] or turn["changed_facts"])
        if not targets and not facts_touched and len(state.flags) == 1 and \
                any(contains_phrase(text, cue) for cue in NEGATION_CUES) and \
                any(contains_phrase(text, word) for word in FLAG_REFERENCES):
            targets = list(state.flags)  # "that's not actually a red flag" - the only flag
        for signal_id in targets:
            state.flags.pop(signal_id, None)
            if signal_id not in state.withdrawn:
                state.withdrawn.append(signal_id)
        turn["withdrawn"] = targets
        turn["correction_unclear"] = not targets and not facts_touched

    pending = state.pending_question
    if pending and not message.in_form and text.strip() and not turn["answered"] and \
            not updates:
        if is_skip(text):
            # "skip", "no idea", "rather not say": the question was optional, let it go
            turn["gave_up"] = pending
            state.pending_question = None
        elif message.intent in ("inform", "affirm", "deny") and \
                word_count(text) <= SHORT_ANSWER_WORDS and not turn["flag_hits"]:
            if state.last_turn.get("unclear_answer") == pending:
                turn["gave_up"] = pending          # asked twice already: let it go
                state.pending_question = None
            else:
                turn["unclear_answer"] = pending   # a short reply that did not answer: ask again
    state.last_turn = turn
    return state, turn


def reads_as_story(turn: Mapping[str, Any]) -> bool:
    """A small-talk message that brought new red flags: answer it with advice."""
    return turn.get("intent") in STORY_INTENTS and bool(turn.get("flag_hits"))


def absorb(advisor: Advisor, state: State,
           message: UserMessage) -> Tuple[State, Dict[str, Any], bool]:
    """:func:`update_state` unless this message was merged already (several actions may answer
    one message, e.g. the draft preparation and then the form); a bare button payload such as
    ``/describe_interview`` (see :func:`clarified_message`) reuses the latest turn.
    Returns (state, turn, whether anything was merged now)."""
    if is_payload_text(message.text) and state.last_turn:
        return state, state.last_turn, False
    if state.last_turn.get("message_id") == message.key():
        return state, state.last_turn, False
    new_state, turn = update_state(advisor, state, message)
    return new_state, turn, True


def clarified_message(latest: UserMessage, earlier: Sequence[Mapping[str, Any]]) -> UserMessage:
    """The words a button payload stands for.

    When NLU is unsure, the two-stage fallback asks "did you mean ...?" with buttons; a click
    sends ``/ask_withdraw`` and Rasa replaces the unclear message by one with that text, so the
    person's words are gone from the applied conversation.  ``earlier`` (the tracker's user
    events, reverted ones included, oldest first) still has them: the latest message with
    words, if NLU was unsure about it, is what the payload clarifies - with the intent and
    entities of the payload added.
    """
    if not is_payload_text(latest.text):
        return latest
    for event in reversed(earlier):
        text = str(event.get("text") or "")
        if not text or is_payload_text(text):
            continue
        parse = event.get("parse_data") or {}
        if (parse.get("intent") or {}).get("name") != "nlu_fallback":
            break
        entities = list(parse.get("entities") or []) + list(latest.entities)
        return UserMessage(text, latest.intent, entities, latest.message_id, latest.in_form,
                           latest.confidence)
    return latest


def entities_of(message: UserMessage, names: Iterable[str] = DETAIL_ENTITIES) -> Dict[str, str]:
    """The last value of each detail entity in the message."""
    found: Dict[str, str] = {}
    for name in names:
        values = message.entity_values(name)
        if values:
            found[name] = values[-1]
    return found


# -------------------------------------------------------------------------------------------
# evaluation
# -------------------------------------------------------------------------------------------

@dataclass
class Assessment:
    advice: List[AdviceItem]
    questions: List[Question]          # most useful first, facts already asked left out

    @property
    def rule_ids(self) -> List[str]:
        return [a.rule for a in self.advice]

    def top(self, count: int = TOP_ADVICE) -> List[AdviceItem]:
        return self.advice[:count]


def assess(advisor: Advisor, state: State) -> Assessment:
    advice, questions = advisor.evaluate(hits_from_flags(state.flags), known_facts(state.facts),
                                         skip_questions=state.asked)
    return Assessment(advice, questions)


def choose_question(advisor: Advisor, state: State, assessment: Assessment,
                    turn: Mapping[str, Any]) -> Optional[Question]:
    """At most one question: the pending one again when a short reply did not answer it,
    otherwise the most useful fact not asked yet."""
    if turn.get("empty"):
        return None  # nothing was said: just ask for words, not for facts
    unclear = turn.get("unclear_answer")
    if unclear and unclear in advisor.rulebase.facts and unclear not in state.facts:
        fact = advisor.rulebase.facts[unclear]
        return Question(unclear, fact.question, fact.options, [], 0.0)
    for question in assessment.questions:
        if question.fact not in state.facts and question.fact not in state.asked:
            return question
    return None


def remember_question(state: State, question: Optional[Question]) -> State:
    state = copy.deepcopy(state)
    state.pending_question = question.fact if question else None
    if question and question.fact not in state.asked:
        state.asked.append(question.fact)
    return state


# -------------------------------------------------------------------------------------------
# payload pieces
# -------------------------------------------------------------------------------------------

def flag_payload(advisor: Advisor, signal_id: str, evidence: Sequence[Mapping[str, Any]],
                 new: bool = False) -> Dict[str, Any]:
    signal = advisor.rulebase.signals.get(signal_id)
    first = evidence[0] if evidence else {}
    return {"id": signal_id, "title": signal.title if signal else signal_id,
            "severity": signal.severity if signal else None,
            "why": signal.why if signal else "", "new": new,
            "evidence": first.get("quote"), "start": first.get("start"),
            "end": first.get("end"), "turn": first.get("turn"),
            "matches": [{"evidence": e.get("quote"), "start": e.get("start"), "end": e.get("end"),
                         "turn": e.get("turn"), "pattern": e.get("pattern"),
                         "kind": e.get("kind")} for e in evidence]}


def facts_payload(state: State) -> Dict[str, Dict[str, Any]]:
    return {k: {key: v.get(key) for key in ("value", "source", "quote", "start", "end", "turn")}
            for k, v in state.facts.items()}


def advice_payload(item: AdviceItem, steps: Optional[int] = None) -> Dict[str, Any]:
    data = item.as_dict()
    if steps is not None:
        data["next_steps"] = item.next_steps[:steps]
    return data


def question_payload(question: Optional[Question]) -> Optional[Dict[str, Any]]:
    return question.as_dict() if question else None


# -------------------------------------------------------------------------------------------
# replies
# -------------------------------------------------------------------------------------------

def fact_label(advisor: Advisor, fact_id: str, value: Any) -> str:
    fact = advisor.rulebase.facts.get(fact_id)
    if fact is None:
        return f"{fact_id}: {value}"
    return f"{fact.spec.title}: {fact.spec.label(value)}"


def _fact_origin(entry: Mapping[str, Any]) -> str:
    words = entry.get("quote")
    if not words:
        return ""
    if entry.get("source") == "answer":
        return f" (you answered {quote(words, 60)})"
    if entry.get("source") == "intent":  # read from the whole message, not from a few words
        return " (from what you asked)"
    return f" (you said {quote(words, 80)})"


def _ack_lines(advisor: Advisor, state: State, turn: Mapping[str, Any],
               details: Mapping[str, str]) -> List[str]:
    lines = []
    if turn.get("truncated"):
        lines.append(f"Your message was very long ({turn.get('chars'):,} characters), so I only "
                     f"read the first {MAX_TEXT_CHARS:,}.")
    if turn.get("gave_up"):
        lines.append("No problem - let's leave that question open.")
    noted = []
    for fact_id in list(turn.get("new_facts", {})) + list(turn.get("changed_facts", {})):
        entry = state.facts.get(fact_id)
        if entry is not None:
            noted.append(fact_label(advisor, fact_id, entry["value"]) + _fact_origin(entry))
    noted += [f"{DETAIL_LABELS.get(k, k)}: {v}" for k, v in details.items()]
    if noted:
        lines.append("Noted - " + "; ".join(noted) + ".")
    return lines


def render_flag_line(advisor: Advisor, signal_id: str,
                     evidence: Sequence[Mapping[str, Any]]) -> str:
    signal = advisor.rulebase.signals.get(signal_id)
    title = signal.title if signal else signal_id
    quotes = ", ".join(quote(q, 80) for q in unique_quotes(evidence)[:2])
    why = first_sentence(signal.why) if signal else ""
    return f"- {title}: you said {quotes}. {why}".rstrip()


def unique_quotes(evidence: Sequence[Mapping[str, Any]]) -> List[str]:
    seen: Dict[str, str] = {}
    for entry in evidence:
        words = str(entry.get("quote", "")).strip()
        if words and words.lower() not in seen:
            seen[words.lower()] = words
    return list(seen.values())


def sentence(text: str) -> str:
    """``text`` ending in punctuation (titles may end in "?" already)."""
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def render_advice_item(number: int, item: AdviceItem, steps: int = TOP_STEPS) -> List[str]:
    lines = [f"{number}. {sentence(item.title)} {item.text}"]
    if item.next_steps:
        lines.append("   Next steps:")
        lines += [f"   - {step}" for step in item.next_steps[:steps]]
    return lines


def draft_hint(advisor: Advisor, items: Sequence[AdviceItem]) -> str:
    for item in items:
        if item.draft and item.draft in advisor.rulebase.drafts:
            title = advisor.rulebase.drafts[item.draft].title
            return f', or "draft it" and I\'ll write the message ({title.lower()})'
    return ""


def render_advice(advisor: Advisor, state: State, turn: Mapping[str, Any], assessment: Assessment,
                  question: Optional[Question], details: Optional[Mapping[str, str]] = None,
                  previous_advice: Sequence[str] = ()) -> Tuple[str, Dict[str, Any]]:
    """The reply after a description or an answer: flags, top advice, no question (that is
    :func:`render_question`, sent as its own message).  Returns (text, payload)."""
    details = details or {}
    top = assessment.top()
    lines = _ack_lines(advisor, state, turn, details)
    if turn.get("empty"):
        lines.append("I didn't get any words there. Tell me in a sentence or two how the "
                     "interview went or what you're unsure about.")
    flag_hits: Mapping[str, Sequence[Mapping[str, Any]]] = turn.get("flag_hits", {})
    if flag_hits:
        lines.append("Red flags I noticed:")
        lines += [render_flag_line(advisor, sid, ev) for sid, ev in flag_hits.items()]
    elif turn.get("intent") not in ANSWER_INTENTS and not turn.get("empty") and \
            not turn.get("payload"):
        lines.append("I didn't spot any red flags in what you wrote.")
    unchanged = bool(previous_advice) and [a.rule for a in top] == list(previous_advice) and \
        not flag_hits
    if turn.get("empty"):
        pass  # only the request for words above
    elif not top:
        lines.append("I don't have specific advice for you yet - tell me a bit more about "
                     "the interview or your situation.")
    elif unchanged:
        lines.append('That doesn\'t change my advice. Say "summary" to see all of it, or '
                     '"why" for my reasoning.')
    else:
        lines.append("What I'd do, most important first:")
        for number, item in enumerate(top, 1):
            lines += render_advice_item(number, item)
        lines.append('Say "why" for my reasoning, "summary" for a checklist'
                     + draft_hint(advisor, top) + ".")
    payload = {
        "type": "advice",
        "flags": [flag_payload(advisor, sid, ev, sid in turn.get("new_flags", []))
                  for sid, ev in flag_hits.items()],
        "all_flags": [flag_payload(advisor, sid, ev) for sid, ev in state.flags.items()],
        "withdrawn_flags": list(state.withdrawn),
        "facts": facts_payload(state),
        "rule_ids": [a.rule for a in top],
        "advice": [advice_payload(a, TOP_STEPS) for a in top],
        "more_advice": len(assessment.advice) - len(top),
        "question": question_payload(question),
        "notes": ([f"only the first {MAX_TEXT_CHARS} characters were analysed"]
                  if turn.get("truncated") else []),
        "turn": turn.get("turn"),
    }
    return "\n".join(lines), payload


def render_question(question: Optional[Question], unclear: bool = False) -> Optional[str]:
    if question is None:
        return None
    if unclear:
        options = " / ".join(question.options.values()) if question.options else "yes / no"
        return f"Sorry, I didn't catch your answer. {question.question} ({options})"
    return f"One question, if you don't mind (you can skip it): {question.question}"


def render_correction(advisor: Advisor, state: State, turn: Mapping[str, Any],
                      assessment: Assessment, question: Optional[Question],
                      details: Optional[Mapping[str, str]] = None) -> Tuple[str, Dict[str, Any]]:
    """The reply to a correction: what was taken back or replaced, then the updated advice."""
    lines = []
    for signal_id in turn.get("withdrawn", []):
        signal = advisor.rulebase.signals.get(signal_id)
        title = signal.title if signal else signal_id
        lines.append(f'OK, I\'ve taken back the red flag "{title}".')
    for fact_id, change in turn.get("changed_facts", {}).items():
        fact = advisor.rulebase.facts.get(fact_id)
        old = fact.spec.label(change["from"]) if fact else change["from"]
        new = fact.spec.label(change["to"]) if fact else change["to"]
        title = fact.spec.title if fact else fact_id
        lines.append(f"Corrected - {title}: {new} (not {old}).")
    for fact_id, value in turn.get("new_facts", {}).items():
        lines.append(f"Noted - {fact_label(advisor, fact_id, value)}.")
    if turn.get("flag_hits"):
        lines.append("Red flags I noticed:")
        lines += [render_flag_line(advisor, sid, ev) for sid, ev in turn["flag_hits"].items()]
    details = details or {}
    if details:
        lines.append("Noted - " + "; ".join(f"{DETAIL_LABELS.get(k, k)}: {v}"
                                            for k, v in details.items()) + ".")
    top = assessment.top()
    if turn.get("correction_unclear") and not details:
        lines.append("I'm not sure what to correct. " + describe_state_briefly(advisor, state)
                     + ' Tell me what\'s wrong, e.g. "it\'s external" or "they weren\'t vague".')
    elif top:
        lines.append("Updated advice, most important first:")
        for number, item in enumerate(top, 1):
            lines += render_advice_item(number, item)
    else:
        lines.append("With that, none of my advice applies any more - tell me more if "
                     "something else is on your mind.")
    payload = {
        "type": "correction",
        "withdrawn_flags": list(turn.get("withdrawn", [])),
        "changed_facts": dict(turn.get("changed_facts", {})),
        "flags": [flag_payload(advisor, sid, ev) for sid, ev in state.flags.items()],
        "facts": facts_payload(state),
        "rule_ids": [a.rule for a in top],
        "advice": [advice_payload(a, TOP_STEPS) for a in top],
        "question": question_payload(question),
        "turn": turn.get("turn"),
    }
    return "\n".join(lines), payload


def describe_state_briefly(advisor: Advisor, state: State) -> str:
    parts = [fact_label(advisor, k, v["value"]) for k, v in state.facts.items()]
    parts += [f"red flag: {advisor.rulebase.signals[s].title}" for s in state.flags
              if s in advisor.rulebase.signals]
    if not parts:
        return "I haven't noted anything yet."
    return "Right now I have: " + "; ".join(parts) + "."


def _reason_line(reason: Mapping[str, Any], advisor: Advisor) -> str:
    text = str(reason.get("condition", ""))
    pieces = []
    for evidence in reason.get("evidence", []):
        words = evidence.get("quote")
        if not words:
            continue
        if evidence.get("source") == "answer":
            pieces.append(f"you answered {quote(words, 60)}")
            continue
        signal = evidence.get("signal")
        label = ""
        if signal and signal in advisor.rulebase.signals:
            label = f" ({advisor.rulebase.signals[signal].title.lower()})"
        pieces.append(f"you said {quote(words, 80)}{label}")
    if pieces:
        text += " - " + "; ".join(pieces)
    return f"   - {text}"


def render_why(advisor: Advisor, state: State,
               assessment: Assessment) -> Tuple[str, Dict[str, Any]]:
    """Explain the advice shown last: the rule, the conditions that held, the user's words."""
    by_rule = {a.rule: a for a in assessment.advice}
    shown = [by_rule[r] for r in state.last_advice if r in by_rule]
    gone = [r for r in state.last_advice if r not in by_rule]
    if not shown:
        if gone:
            text = ("Since your correction, the advice I gave before no longer applies, and I "
                    "have nothing new to explain. Tell me more and I'll look again.")
        else:
            text = ("I haven't given you any advice yet, so there's nothing to explain. Tell me "
                    "how the interview went or what you're deciding, and I'll show my reasoning.")
        return text, {"type": "explanation", "rules": [], "no_longer_applies": gone}
    lines = ["Here's why I said that:"]
    rules = []
    for number, item in enumerate(shown, 1):
        lines.append(f"{number}. {item.title} (rule {item.rule})")
        lines.append("   It applies because:")
        lines += [_reason_line(r, advisor) for r in item.because]
        lines.append(f"   Reasoning: {item.why}")
        rules.append({"rule": item.rule, "title": item.title, "why": item.why,
                      "because": item.because, "source": item.source})
    if gone:
        lines.append("Some earlier advice no longer applies after your correction: "
                     + ", ".join(gone) + ".")
    return "\n".join(lines), {"type": "explanation", "rules": rules, "no_longer_applies": gone}


def render_summary(advisor: Advisor, state: State, assessment: Assessment,
                   details: Optional[Mapping[str, str]] = None) -> Tuple[str, Dict[str, Any]]:
    """Everything so far as a checklist: flags, facts, every piece of advice with next steps."""
    details = {k: v for k, v in (details or {}).items() if v}
    if state.empty and not details:
        return ("Nothing to summarise yet - tell me how your interview went or what you're "
                "trying to decide, and I'll start a checklist."), \
            {"type": "summary", "flags": [], "facts": {}, "advice": [], "rule_ids": []}
    lines = ["Summary so far"]
    lines.append(f"Red flags ({len(state.flags)}):")
    if state.flags:
        for signal_id, evidence in state.flags.items():
            signal = advisor.rulebase.signals.get(signal_id)
            quotes = ", ".join(quote(q, 80) for q in unique_quotes(evidence)[:3])
            lines.append(f"- {signal.title if signal else signal_id} - you said {quotes}")
    else:
        lines.append("- none so far")
    if state.withdrawn:
        titles = [advisor.rulebase.signals[s].title if s in advisor.rulebase.signals else s
                  for s in state.withdrawn]
        lines.append("- taken back by you: " + ", ".join(titles))
    lines.append("What I know about your situation:")
    for fact_id, entry in state.facts.items():
        lines.append(f"- {fact_label(advisor, fact_id, entry['value'])}{_fact_origin(entry)}")
    for key, value in details.items():
        lines.append(f"- {DETAIL_LABELS.get(key, key).capitalize()}: {value}")
    if not state.facts and not details:
        lines.append("- nothing yet")
    lines.append(f"Advice and next steps ({len(assessment.advice)}):")
    if not assessment.advice:
        lines.append("- no advice applies yet")
    for number, item in enumerate(assessment.advice, 1):
        lines.append(f"{number}. {item.title} - {item.text}")
        lines += [f"   [ ] {step}" for step in item.next_steps]
    if state.pending_question and state.pending_question in advisor.rulebase.facts:
            lines.append("Still open: " + advisor.rulebase.facts[state.pending_question].question)
    payload = {"type": "summary",
               "flags": [flag_payload(advisor, s, ev) for s, ev in state.flags.items()],
               "withdrawn_flags": list(state.withdrawn), "facts": facts_payload(state),
               "details": details, "rule_ids": assessment.rule_ids,
               "advice": [advice_payload(a) for a in assessment.advice],
               "checklist": [{"rule": a.rule, "step": s, "done": False}
                             for a in assessment.advice for s in a.next_steps],
               "pending_question": state.pending_question}
    return "\n".join(lines), payload


# -------------------------------------------------------------------------------------------
# drafts
# -------------------------------------------------------------------------------------------

CHOICE = "__choice__"       # the draft form first asks which message to write
DONE = "__done__"           # sentinel value of the form's slot: nothing left to ask
STOPPED = "__stopped__"     # sentinel value: the person dropped the draft

#: which kind of message the words name (draft "purpose" in rules/drafts.yml)
PURPOSE_WORDS: Dict[str, Sequence[str]] = {
    "withdrawal": ["withdraw", "withdrawal", "withdrawing", "pull out", "back out", "step back",
                   "stepping back", "drop out", "cancel", "cancelling", "canceling"],
    "thank_you": ["thank you note", "thank you email", "thank you message", "thank you letter",
                  "thankyou", "thanking", "gracious", "thank you one", "a thank you",
                  "the thank you", "thank them", "thank the", "thank"],
    "decline_offer": ["decline", "declining", "turn down", "turning down", "say no",
                      "reject the offer", "refuse", "rejection of the offer"],
    "tell_manager": ["manager", "boss", "tell my", "telling my", "line manager"],
}
#: a few drafts of purpose "other", by words that name them
DRAFT_WORDS: Dict[str, Sequence[str]] = {
    "ask_for_role_clarity": ["clarity", "job description", "written description", "scope"],
    "confirm_terms_in_writing": ["in writing", "confirm the terms", "terms"],
    "offer_timeline_update": ["other offer", "another offer", "deadline", "speed up"],
    "update_on_changed_circumstances": ["changed", "circumstances", "situation changed"],
    "interested_in_other_role": ["other role", "different role", "another role"],
}
CHOICE_ORDER = ("withdrawal", "thank_you", "decline_offer", "tell_manager")
CHOICE_LABELS = {"withdrawal": "withdraw from a process",
                 "thank_you": "a thank-you note",
                 "decline_offer": "decline an offer",
                 "tell_manager": "tell your manager about an internal application"}

SKIP_PHRASES = ("skip", "skip it", "skip this", "pass", "dont know", "do not know", "dunno",
                "no idea", "not sure", "idk", "leave it", "leave it blank", "leave blank",
                "blank", "n a", "na", "none", "no clue", "next", "rather not say",
                "prefer not to say", "whatever", "doesnt matter", "later", "fill it in later",
                "ill fill it in", "you choose", "default")
STOP_PHRASES = ("stop", "cancel", "cancel it", "cancel that", "quit", "exit", "abort",
                "forget it", "never mind", "nevermind", "no thanks", "dont bother",
                "drop it", "i changed my mind", "not now", "no need", "stop the draft",
                "forget the draft", "no draft")

#: placeholders that an entity of the latest message can fill directly
PLACEHOLDER_ENTITIES = {"contact_name": "person_name", "manager_name": "person_name",
                        "your_name": "person_name", "company": "company", "role": "role",
                        "other_role": "role"}
#: placeholders a bare person's name cannot answer ("Priya" for "What is the role called?")
NOT_A_NAME = ("role", "company", "team", "other_role", "current_team")
NAME_CHECKED = "__name_checked__"
#: answers to these placeholders are remembered for later drafts in the same conversation
REMEMBERED_PLACEHOLDERS = ("your_name", "company", "role", "team", "manager_name",
                           "contact_name", "current_team")

_LEAD_IN = re.compile(
    r"^(?:(?:ok(?:ay)?|so|well|um+|uh+|yes|yeah|sure|please|just)[,.!]?\s+)*"
    r"(?:(?:it'?s|it is|its|that'?s|that is|they'?re|they are|he'?s|she'?s|it was|"
    r"the (?:company|role|job|position|team|title|department|name|deadline) is(?: called)?|"
    r"(?:his|her|their|my|the manager'?s|the) (?:first )?name is|my name'?s|"
    r"call (?:him|her|them|me)|sign (?:it |off )?(?:as|with)|sign it|i'?m|i am|"
    r"called|by)\s+)+", re.IGNORECASE)


def _variants(text: str) -> List[str]:
    """The normalised words, also without a leading "no/ok/just" or a trailing "please"."""
    words = normalise(text).strip()
    trimmed = re.sub(r"^(no|nah|nope|ok|okay|just|please)\s+", "", words)
    trimmed = re.sub(r"\s+(please|pls|thanks|for now|then)$", "", trimmed)
    return [words, trimmed]


#: intents that interrupt the draft form (answered, then the form asks again) - unless the
#: message looks like a plain answer: NLU often files a bare name ("Max", "Kim Lee") under them
INTERRUPT_INTENTS = ("ask_why", "ask_summary", "help", "out_of_scope", "bot_challenge",
                     "goodbye")
INTERRUPT_WORDS = ("why", "how come", "explain", "reasoning", "summary", "summarise",
                   "summarize", "recap", "checklist", "help", "what can you", "bot", "human",
                   "robot", "weather", "joke", "bye", "goodbye", "see you", "good night")
SHORT_FORM_ANSWER_WORDS = 3
#: "draft it" again while the form runs is not an answer (but "Kofi Mensah", which NLU may
#: file under request_draft, is)
DRAFT_REQUEST_WORDS = ("draft", "write", "email", "message", "note", "letter", "template",
                       "wording")


def is_interruption(text: str, intent: Optional[str]) -> bool:
    """Should this message inside the draft form be answered as a question (why, summary,
    help, out of scope, bot challenge, goodbye) rather than taken as the requested value?"""
    if intent not in INTERRUPT_INTENTS:
        return False
    if "?" in (text or ""):
        return True
    if any(contains_phrase(text, word) for word in INTERRUPT_WORDS):
        return True
    return word_count(text) > SHORT_FORM_ANSWER_WORDS


def is_skip(text: str) -> bool:
    phrases = {normalise(p).strip() for p in SKIP_PHRASES}
    starts = [normalise(p).strip() + " " for p in ("skip", "pass", "dont know", "no idea",
                                                   "leave it")]
    return any(v in phrases or any(v.startswith(s) for s in starts) for v in _variants(text))


def is_stop(text: str) -> bool:
    phrases = {normalise(p).strip() for p in STOP_PHRASES}
    return any(v in phrases for v in _variants(text))


#: words an answer may have around the value itself ("the role is data analyst")
FILLER_WORDS = frozenset((
    "a", "an", "the", "it", "its", "it's", "is", "was", "be", "called", "name", "names", "my",
    "his", "her", "their", "our", "role", "job", "position", "title", "company", "team",
    "department", "at", "for", "with", "in", "of", "as", "by", "i", "im", "am", "sign",
    "please", "just", "ok", "okay", "yes", "sure", "so", "well", "um", "uh", "its", "thats",
    "that", "this", "s", "manager", "first",
))


def entity_covers(text: str, value: str) -> bool:
    """Is the entity value all there is to the answer, apart from filler words?"""
    rest = normalise(text)
    for word in normalise(value).split():
        rest = rest.replace(f" {word} ", " ", 1)
    return all(word in FILLER_WORDS for word in rest.split())


def clean_answer(text: str) -> str:
    """The value in an answer: lead-ins ("her name is", "it's") and end punctuation dropped."""
    value = (text or "").strip()
    stripped = _LEAD_IN.sub("", value).strip()
    value = stripped or value
    value = value.strip().strip("\"'“”‘’").strip()
    value = re.sub(r"[.!?,;:]+$", "", value).strip()
    return value[:200]


def purpose_named_in(text: str) -> Optional[str]:
    for purpose in CHOICE_ORDER:
        if any(contains_phrase(text, w) for w in PURPOSE_WORDS[purpose]):
            return purpose
    return None


def draft_named_in(advisor: Advisor, text: str, facts: Mapping[str, Any]) -> Optional[str]:
    """A draft id from free words ("the withdrawal one", "2", "thank you")."""
    words = normalise(text).strip()
    if words.isdigit() and 1 <= int(words) <= len(CHOICE_ORDER):
        return draft_for_purpose(advisor, CHOICE_ORDER[int(words) - 1], facts)
    purpose = purpose_named_in(text)
    if purpose:
        return draft_for_purpose(advisor, purpose, facts)
    for draft_id, phrases in DRAFT_WORDS.items():
        if draft_id in advisor.rulebase.drafts and any(contains_phrase(text, p) for p in phrases):
            return draft_id
    return None


def draft_for_purpose(advisor: Advisor, purpose: str, facts: Mapping[str, Any]) -> Optional[str]:
    """The best draft for a purpose given the facts (internal and rejection variants)."""
    candidates = advisor.drafts_for(purpose)
    if not candidates:
        return purpose if purpose in advisor.rulebase.drafts else None
    internal = facts.get("interview_type") == "internal"
    rejected = facts.get("stage") == "rejected"

    def score(draft_id: str) -> int:
        points = 0
        if "internal" in draft_id:
            points += 2 if internal else -2
        if "rejection" in draft_id:
            points += 2 if rejected else -1
        return points

    return max(candidates, key=lambda d: score(d.id)).id  # max keeps the first of equals


def choose_draft(advisor: Advisor, state: State, draft_type: Optional[str]) -> Optional[str]:
    """Which message to write: the asked-for type, else what the situation calls for."""
    facts = {k: v.get("value") for k, v in state.facts.items()}
    if draft_type:
        if draft_type in advisor.rulebase.drafts:
            return draft_type
        chosen = draft_for_purpose(advisor, draft_type, facts)
        if chosen:
            return chosen
        named = draft_named_in(advisor, draft_type, facts)
        if named:
            return named
    not_interested = facts.get("interest") == "not_interested" or \
        facts.get("certain_to_decline") is True
    if facts.get("stage") == "offer" and not_interested:
        return draft_for_purpose(advisor, "decline_offer", facts)
    if not_interested:
        return draft_for_purpose(advisor, "withdrawal", facts)
    if facts.get("stage") == "rejected":
        return draft_for_purpose(advisor, "thank_you", facts)
    if facts.get("interview_type") == "internal" and facts.get("manager_aware") is not True:
        return draft_for_purpose(advisor, "tell_manager", facts)
    for rule_id in state.last_advice:
        try:
            draft_id = advisor.rulebase.rule(rule_id).draft
        except KeyError:
            continue
        if draft_id and draft_id in advisor.rulebase.drafts:
            return draft_id
    if facts.get("stage") == "done":
        return draft_for_purpose(advisor, "thank_you", facts)
    return None


def draft_prefill(advisor: Advisor, draft_id: str, details: Mapping[str, Optional[str]],
                  memory: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """Placeholder values already known: remembered answers, then company/role/person slots."""
    draft = advisor.rulebase.drafts[draft_id]
    values: Dict[str, str] = {}
    for name, value in (memory or {}).items():
        if name in draft.placeholders and value:
            values[name] = str(value)
    if details.get("company") and "company" in draft.placeholders:
        values["company"] = str(details["company"])
    if details.get("role") and "role" in draft.placeholders:
        values["role"] = str(details["role"])
    person = details.get("person_name")
    if person:
        target = "manager_name" if draft.purpose == "tell_manager" else "contact_name"
        if target in draft.placeholders:
            values[target] = str(person)
    return values


def next_missing(advisor: Advisor, draft_id: str, values: Mapping[str, str]) -> Optional[str]:
    """The next placeholder to ask for: no default and no answer (a skipped one counts as
    answered - it keeps its [bracket])."""
    draft = advisor.rulebase.drafts[draft_id]
    for name, placeholder in draft.placeholders.items():
        if name not in values and placeholder.default is None:
            return name
    return None


def missing_count(advisor: Advisor, draft_id: str, values: Mapping[str, str]) -> int:
    draft = advisor.rulebase.drafts[draft_id]
    return sum(1 for n, p in draft.placeholders.items() if n not in values and p.default is None)


def placeholder_question(advisor: Advisor, draft_id: Optional[str], pending: Optional[str]) -> str:
    if pending == CHOICE or not draft_id or draft_id not in advisor.rulebase.drafts:
        options = "; ".join(f"{n}) {CHOICE_LABELS[p]}" for n, p in enumerate(CHOICE_ORDER, 1))
        return f"Which message should I write? {options}."
    placeholder = advisor.rulebase.drafts[draft_id].placeholders.get(pending or "")
    if placeholder is None:
        return "What should I put in the message?"
    return f'{placeholder.question} (say "skip" to leave it blank, "stop" to drop the draft)'


@dataclass
class DraftState:
    draft_id: Optional[str]
    values: Dict[str, str]
    pending: Optional[str]
    cancelled: bool = False
    note: Optional[str] = None          # something to tell the person before the next question

    @property
    def answer_slot(self) -> Optional[str]:
        """The value for the form's slot: None asks again, a sentinel ends the form."""
        if self.cancelled:
            return STOPPED
        return None if self.pending else DONE


def start_draft(advisor: Advisor, state: State, draft_type: Optional[str],
                details: Mapping[str, Optional[str]],
                memory: Optional[Mapping[str, str]] = None, text: str = "") -> DraftState:
    """Pick and prefill the draft: the draft_type entity, else words of the request that name
    one ("write the thank-you email" when NLU missed the entity), else the situation."""
    if not draft_type and text and not normalise(text).strip().isdigit():
        facts = {k: v.get("value") for k, v in state.facts.items()}
        draft_type = draft_named_in(advisor, text, facts)
    draft_id = choose_draft(advisor, state, draft_type)
    if draft_id is None:
        return DraftState(None, {}, CHOICE)
    values = draft_prefill(advisor, draft_id, details, memory)
    return DraftState(draft_id, values, next_missing(advisor, draft_id, values))


def draft_step(advisor: Advisor, draft: DraftState, text: str, intent: Optional[str],
               entities: Mapping[str, str], facts: Mapping[str, Any],
               details: Mapping[str, Optional[str]],
               memory: Optional[Mapping[str, str]] = None) -> DraftState:
    """Take one answer inside the draft form; return the new draft state.

    ``skip``/``don't know`` keeps the placeholder's default or its [bracket]; ``stop``, or a
    plain "no", drops the draft; anything else is the answer (an entity of the right kind in the
    message wins over the raw words).
    """
    draft = DraftState(draft.draft_id, dict(draft.values), draft.pending)
    text = (text or "").strip()
    if is_stop(text) or (intent == "deny" and not is_skip(text)):
        draft.cancelled = True
        return draft
    if draft.pending == CHOICE or draft.draft_id is None:
        choice = None
        if entities.get("draft_type"):
            choice = choose_draft(advisor, State(), entities["draft_type"])
        choice = choice or draft_named_in(advisor, text, facts)
        if choice is None:
            if is_skip(text):
                draft.cancelled = True
            else:
                draft.note = "Sorry, I didn't catch which message you need."
            return draft
        values = draft_prefill(advisor, choice, details, memory)
        return DraftState(choice, values, next_missing(advisor, choice, values))
    pending = draft.pending
    if pending is None:
        return draft
    if intent == "request_draft":
        # "actually write the thank-you one", "what should I tell my boss": another message
        if entities.get("draft_type"):
            switched = choose_draft(advisor,
                                    State(facts={k: {"value": v} for k, v in facts.items()}),
                                    entities["draft_type"])
        else:
            switched = draft_named_in(advisor, text, facts)
        if switched and switched != draft.draft_id:
            values = draft_prefill(advisor, switched, details, memory)
            return DraftState(switched, values, next_missing(advisor, switched, values),
                              note=f"Switching to: {advisor.rulebase.drafts[switched].title}.")
    if intent == "request_draft" and any(contains_phrase(text, w) for w in DRAFT_REQUEST_WORDS):
        draft.note = "We're writing it right now - just answer the question below."
        return draft
    if is_skip(text):
        draft.values[pending] = ""
        draft.note = "Skipped - I'll leave that part for you to fill in."
    elif intent == "affirm" and word_count(text) <= 2:
        draft.note = "I need the actual words for this one."
        return draft
    elif pending in NOT_A_NAME and entities.get("person_name") and \
            entity_covers(text, entities["person_name"]) and \
            not entities.get(PLACEHOLDER_ENTITIES.get(pending, "")) and \
            draft.values.get(NAME_CHECKED) != pending:
        draft.note = "That sounds like a person's name - I'm asking about something else."
        draft.values[NAME_CHECKED] = pending  # the same answer again is taken as it is
        return draft
    else:
        entity = PLACEHOLDER_ENTITIES.get(pending)
        value = entities.get(entity) if entity else None
        if value and not entity_covers(text, value):
            value = None  # "Kim Lee" with a stray entity "Lee": the person's words win
        draft.values[pending] = clean_answer(value or text) or text[:200]
    draft.pending = next_missing(advisor, draft.draft_id, draft.values)
    return draft


def render_draft(advisor: Advisor, draft_id: str,
                 values: Mapping[str, str]) -> Tuple[str, Dict[str, Any]]:
    rendered = advisor.draft(draft_id, values)
    brackets = [name for name, placeholder in advisor.rulebase.drafts[draft_id].placeholders.items()
                if not values.get(name) and placeholder.default is None]
    lines = [f"Here's your draft - {rendered.title}:", "---", keep_together(rendered.text), "---"]
    if brackets:
        lines.append("Fill in the parts in [brackets] before you send it.")
    lines.append("Read it through, adjust the tone to your own voice, and send it when you're "
                 "ready.")
    payload = {"type": "draft", "draft": draft_id, "title": rendered.title,
               "text": rendered.text,
               "values": {k: v for k, v in values.items() if not k.startswith("__")},
               "placeholders_left": brackets}
    return "\n".join(lines), payload


def remembered(values: Mapping[str, str], memory: Optional[Mapping[str, str]]) -> Dict[str, str]:
    """Merge a finished draft's answers into what is remembered for later drafts."""
    merged = dict(memory or {})
    for name in REMEMBERED_PLACEHOLDERS:
        if values.get(name):
            merged[name] = values[name]
    return merged
