"""The conversation state as it is kept in Rasa slots, and the user message.

:class:`State` holds everything the bot has learnt in a conversation as plain JSON values;
:class:`UserMessage` is the part of the latest message that matters. This module imports
neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence

from interview_advisor.conditions import KnownFact
from interview_advisor.detect import Hit, PatternSource

# slot names shared with domain.yml (checked by tests/actions/test_intents.py)
SLOT_FACTS = "facts"
SLOT_FLAGS = "flags"
SLOT_WITHDRAWN = "withdrawn_flags"
SLOT_PENDING = "pending_question"
SLOT_ASKED = "asked_questions"
SLOT_LAST_TURN = "last_turn"
SLOT_LAST_ADVICE = "last_advice"
SLOT_OPPORTUNITIES = "opportunities"
STATE_SLOTS = (SLOT_FACTS, SLOT_FLAGS, SLOT_WITHDRAWN, SLOT_PENDING, SLOT_ASKED, SLOT_LAST_TURN,
               SLOT_LAST_ADVICE, SLOT_OPPORTUNITIES)
#: the id of the person's current job among the opportunities
CURRENT_JOB = "current"

#: entities whose value is a fact of the rule base
FACT_ENTITIES = ("interview_type", "stage")
#: entities that are only details (used in drafts and acknowledged)
DETAIL_ENTITIES = ("company", "role", "person_name")
DETAIL_LABELS = {"company": "company", "role": "role", "person_name": "contact"}


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

    Several opportunities (issue 12, :mod:`.opportunities`): ``facts``, ``flags``,
    ``withdrawn`` and ``last_advice`` are the view of the *active* opportunity (plus the facts
    about the person and their current job); the others are kept in ``opportunities``:

    * ``opportunities``: ``{"id", "name", "kind", "facts", "flags", "withdrawn",
      "last_advice", "said"}`` per company or role, in the order they came up (kind: company,
      employer, internal, current);
    * ``active``: the id of the one the view holds;
    * ``priorities``: ``{"order": [topic ids], "weights": {topic id: weight}, "quote"}``;
    * ``held``: a message kept while the bot asks which opportunity it is about;
    * ``compare_pending``: a comparison waits for the priorities the bot asked for;
    * ``priorities_asked``: the bot asked for them (it asks once).

    All of it is stored in the one slot ``opportunities`` (see :meth:`to_slots`).
    """

    facts: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    flags: Dict[str, List[Dict[str, Any]]] = field(default_factory=dict)
    withdrawn: List[str] = field(default_factory=list)
    pending_question: Optional[str] = None
    asked: List[str] = field(default_factory=list)
    last_turn: Dict[str, Any] = field(default_factory=dict)
    last_advice: List[str] = field(default_factory=list)
    opportunities: List[Dict[str, Any]] = field(default_factory=list)
    active: Optional[str] = None
    priorities: Dict[str, Any] = field(default_factory=dict)
    held: Dict[str, Any] = field(default_factory=dict)
    compare_pending: bool = False
    priorities_asked: bool = False

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> State:
        """Build from slot values; anything missing or malformed counts as empty."""
        def get(name: str, kind: type) -> Any:
            value = slots.get(name)
            return copy.deepcopy(value) if isinstance(value, kind) else kind()

        pending = slots.get(SLOT_PENDING)
        several = get(SLOT_OPPORTUNITIES, dict)
        active = several.get("active")
        return cls(facts={k: v for k, v in get(SLOT_FACTS, dict).items()
                          if isinstance(v, dict) and "value" in v},
                   flags={k: [e for e in v if isinstance(e, dict)]
                          for k, v in get(SLOT_FLAGS, dict).items() if isinstance(v, list)},
                   withdrawn=[s for s in get(SLOT_WITHDRAWN, list) if isinstance(s, str)],
                   pending_question=pending if isinstance(pending, str) and pending else None,
                   asked=[s for s in get(SLOT_ASKED, list) if isinstance(s, str)],
                   last_turn=get(SLOT_LAST_TURN, dict),
                   last_advice=[s for s in get(SLOT_LAST_ADVICE, list) if isinstance(s, str)],
                   opportunities=[e for e in several.get("list") or []
                                  if isinstance(e, dict) and isinstance(e.get("id"), str)],
                   active=active if isinstance(active, str) else None,
                   priorities=several.get("priorities") if isinstance(
                       several.get("priorities"), dict) else {},
                   held=several.get("held") if isinstance(several.get("held"), dict) else {},
                   compare_pending=bool(several.get("compare_pending")),
                   priorities_asked=bool(several.get("priorities_asked")))

    def to_slots(self) -> Dict[str, Any]:
        return {SLOT_FACTS: copy.deepcopy(self.facts), SLOT_FLAGS: copy.deepcopy(self.flags),
                SLOT_WITHDRAWN: list(self.withdrawn), SLOT_PENDING: self.pending_question,
                SLOT_ASKED: list(self.asked), SLOT_LAST_TURN: copy.deepcopy(self.last_turn),
                SLOT_LAST_ADVICE: list(self.last_advice),
                SLOT_OPPORTUNITIES: self._opportunities_slot()}

    def _opportunities_slot(self) -> Optional[Dict[str, Any]]:
        """Everything about several opportunities in one value (None while there is none, so
        a conversation about one opportunity stores exactly what it stored before)."""
        if not (self.opportunities or self.priorities or self.held or self.compare_pending or
                self.priorities_asked):
            return None
        return {"list": copy.deepcopy(self.opportunities), "active": self.active,
                "priorities": copy.deepcopy(self.priorities), "held": copy.deepcopy(self.held),
                "compare_pending": self.compare_pending,
                "priorities_asked": self.priorities_asked}

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


#: where a fact came from when the person told it (in words, or as an answer), not implied by
#: another fact ("given") or read from the intent
TOLD_SOURCES = ("text", "answer", "entity")


def fact_entry(value: Any, source: str, quote_text: str, start: int, end: int,
                turn: int) -> Dict[str, Any]:
    return {"value": value, "source": source, "quote": quote_text, "start": start, "end": end,
            "turn": turn}


