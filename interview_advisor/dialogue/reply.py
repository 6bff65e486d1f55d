"""The reply model: every reply the bot makes, as data.

A reply is built once, by the dialogue layer, from the conversation state and the rule base.
Every channel renders it (``render_text`` for terminals and plain REST clients, the web widget
in the browser, Block Kit for Slack); no channel writes reply text of its own.

The JSON form (:meth:`Reply.to_json`) is versioned and described by
``interview_advisor/schemas/reply.schema.json``. Its keys mean the same in every kind of reply:

- ``answer``: the direct answer to a direct question the person asked, shown first.
- ``notes``: short lines shown first (what was noted or withdrawn this turn, warnings).
- ``message``: the reply's own prose (an introduction, a short answer, a prompt).
- ``flags``: the red flags this reply shows (in advice: those found in this message; in a
  summary: all of them), each with the user's own words in ``quotes``.
- ``withdrawn``: red flags the person took back that this reply mentions.
- ``facts``: facts about the situation this reply lists (noted now, or all of them in a summary).
- ``advice``: the advice this reply shows, most important first, each with ``next_steps``.
- ``explanations``: why each piece of advice applies (the reply to "why?").
- ``draft``: a message written for the person to send.
- ``question``: the one question this reply asks, with its options.
- ``suggestions``: quick replies (why / summary / draft it ...); ``payload`` is the text the
  button sends, exactly as if the person had typed it.
- ``rule_ids``: the advice rules shown, which feedback is recorded against.
- ``opportunity``: which company or role the reply is about, when the person discusses more
  than one (absent otherwise); flags, facts and advice carry it too when a reply (a summary of
  all of them) covers several.
- ``comparison``: the opportunities side by side against the person's priorities (a reply of
  kind ``comparison``).

The keys ``opportunity``, ``comparison`` and an advice item's ``questions_to_ask`` (what to
ask the employer, shown when the person asks what to ask) were added to version 1 without a
version change: they are left out of the JSON when they have no value, so a conversation about
one opportunity that never asks what to ask produces exactly the JSON it produced before.

This module imports neither Rasa nor spaCy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional

SCHEMA_ID = "interview-advisor/reply"
VERSION = 1

#: every kind of reply, in the order the schema lists them
KINDS = (
    "intro",         # first contact: what the bot does, privacy note
    "greeting",      # hello again
    "advice",        # after a description, a dilemma or an answer
    "question",      # a question on its own (e.g. asked again after an unclear answer)
    "correction",    # after a correction: what was withdrawn or changed, updated advice
    "why",           # the reasoning behind the last advice
    "summary",       # everything so far as a checklist
    "draft_step",    # the draft flow asks for a detail or says what it is writing
    "draft",         # a finished message to send
    "feedback",      # thanks for a rating
    "small_talk",    # thanks, goodbye, "are you a bot?", help, restart
    "fallback",      # not understood: a guess to confirm, or a request to rephrase
    "out_of_scope",  # outside what the bot does
    "error",         # something went wrong on our side
    "comparison",    # the opportunities side by side, and a ranked verdict
)
#: keys left out of the JSON while they are None (added to version 1 later, see above)
OPTIONAL_KEYS = ("opportunity", "comparison", "questions_to_ask")


@dataclass
class Quote:
    """The person's own words, with character offsets in the message they came from."""
    text: str
    start: Optional[int] = None
    end: Optional[int] = None
    turn: Optional[int] = None


@dataclass
class Flag:
    id: str
    title: str
    why: str
    severity: Optional[str] = None
    new: bool = False
    quotes: List[Quote] = field(default_factory=list)
    opportunity: Optional[str] = None


@dataclass
class Withdrawn:
    id: str
    title: str


@dataclass
class Fact:
    """A fact about the situation. ``source``: text (read from what they wrote), answer (to a
    question), intent (from what they asked), entity (named, found by NLU), given (passed on
    the command line), detail (a company, role or contact name)."""
    id: str
    title: str
    value: Any
    label: str
    source: str = "text"
    quote: Optional[str] = None
    previous: Optional[str] = None  # the label it had before a correction
    opportunity: Optional[str] = None


@dataclass
class Advice:
    rule: str
    title: str
    text: str
    why: str = ""
    next_steps: List[str] = field(default_factory=list)
    draft: Optional[str] = None
    draft_title: Optional[str] = None
    topic: Optional[str] = None
    source: Optional[str] = None
    opportunity: Optional[str] = None
    #: what to ask the employer, from the rule (shown when the person asks what to ask)
    questions_to_ask: Optional[List[str]] = None


@dataclass
class Evidence:
    """What made a condition hold: the person's words (``source`` "text"), their answer to a
    question ("answer"), or what they asked ("intent"); ``flag`` names the red flag the words
    showed, when they showed one."""
    quote: str
    source: str = "text"
    flag: Optional[str] = None


@dataclass
class Reason:
    """One condition that held, with the words or answers behind it."""
    condition: str
    evidence: List[Evidence] = field(default_factory=list)


@dataclass
class Explanation:
    rule: str
    title: str
    why: str
    reasons: List[Reason] = field(default_factory=list)
    source: Optional[str] = None
    opportunity: Optional[str] = None


@dataclass
class Draft:
    """A message for the person to send; ``missing`` names the [bracketed] parts left for
    them to fill in."""
    id: str
    title: str
    text: str
    missing: List[str] = field(default_factory=list)


@dataclass
class Answer:
    """The one-sentence answer to a direct question the person asked ("is it dishonest to keep
    interviewing?" -> "No - ..."), shown before everything else."""
    question: str           # the question, as a short title
    text: str               # the answer
    quote: str = ""         # the person's words that asked it
    rule: str = ""          # its id in rules/questions.yml
    source: Optional[str] = None


@dataclass
class Option:
    value: str
    label: str


@dataclass
class Question:
    fact: Optional[str]
    text: str
    options: List[Option] = field(default_factory=list)
    optional: bool = True   # the person may skip it
    repeat: bool = False    # asked again after an answer that did not fit


@dataclass
class Suggestion:
    title: str
    payload: str


@dataclass
class Priority:
    """A decision topic and how much it weighs for the person (1 = most important). A factor
    of a topic they ranked (commute, of work-life balance) shares its rank, and ``part_of``
    is the broader topic's id."""
    topic: str
    title: str
    weight: float
    rank: int
    part_of: Optional[str] = None


@dataclass
class Cell:
    """One opportunity on one topic. ``status``: for / against (what the person said, or a red
    flag, counts for or against it), said (they said something, direction unknown), unknown
    (nothing said: ``question`` is what to ask the employer)."""
    topic: str
    title: str
    status: str
    quotes: List[Quote] = field(default_factory=list)
    flags: List[str] = field(default_factory=list)
    question: Optional[str] = None


@dataclass
class ComparedOption:
    id: str
    opportunity: str
    rank: int
    score: float
    cells: List[Cell] = field(default_factory=list)


@dataclass
class Verdict:
    """The ranking in words, why, and how sure it is (low / medium / high)."""
    text: str
    confidence: str
    reasons: List[str] = field(default_factory=list)


@dataclass
class Comparison:
    priorities: List[Priority]
    options: List[ComparedOption]
    verdict: Verdict
    assumed_priorities: bool = False  # the person gave none: every topic weighs the same

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> Comparison:
        return cls(priorities=[Priority(**p) for p in d.get("priorities") or []],
                   options=[ComparedOption(**{**o, "cells": [
                       Cell(**{**c, "quotes": [Quote(**q) for q in c.get("quotes") or []]})
                       for c in o.get("cells") or []]}) for o in d.get("options") or []],
                   verdict=Verdict(**d["verdict"]),
                   assumed_priorities=bool(d.get("assumed_priorities")))


@dataclass
class Reply:
    kind: str
    answer: Optional[Answer] = None
    notes: List[str] = field(default_factory=list)
    message: str = ""
    flags: List[Flag] = field(default_factory=list)
    withdrawn: List[Withdrawn] = field(default_factory=list)
    facts: List[Fact] = field(default_factory=list)
    advice: List[Advice] = field(default_factory=list)
    more_advice: int = 0
    explanations: List[Explanation] = field(default_factory=list)
    draft: Optional[Draft] = None
    question: Optional[Question] = None
    suggestions: List[Suggestion] = field(default_factory=list)
    closing: str = ""       # a last line after the body ("Say why for my reasoning ...")
    rule_ids: List[str] = field(default_factory=list)
    rateable: bool = False  # the channel may offer helpful / not helpful buttons
    turn: Optional[int] = None
    opportunity: Optional[str] = None     # which company or role, when there are several
    comparison: Optional[Comparison] = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown reply kind {self.kind!r}; expected one of {KINDS}")

    def to_json(self) -> Dict[str, Any]:
        data = _without_empty_optional(asdict(self))
        return {"schema": SCHEMA_ID, "version": VERSION, **data}

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> Reply:
        """Rebuild a reply from its JSON form (e.g. from a stored conversation)."""
        if data.get("schema") != SCHEMA_ID or data.get("version") != VERSION:
            raise ValueError(f"not a version-{VERSION} reply: {data.get('schema')!r} "
                             f"{data.get('version')!r}")
        d = {k: v for k, v in data.items() if k not in ("schema", "version")}
        return cls(
            kind=d["kind"], answer=Answer(**d["answer"]) if d.get("answer") else None,
            notes=list(d.get("notes") or []), message=d.get("message") or "",
            flags=[Flag(**{**f, "quotes": [Quote(**q) for q in f.get("quotes") or []]})
                   for f in d.get("flags") or []],
            withdrawn=[Withdrawn(**w) for w in d.get("withdrawn") or []],
            facts=[Fact(**f) for f in d.get("facts") or []],
            advice=[Advice(**a) for a in d.get("advice") or []],
            more_advice=int(d.get("more_advice") or 0),
            explanations=[Explanation(**{**e, "reasons": [
                Reason(r["condition"], [Evidence(**v) for v in r.get("evidence") or []])
                for r in e.get("reasons") or []]}) for e in d.get("explanations") or []],
            draft=Draft(**d["draft"]) if d.get("draft") else None,
            question=(Question(**{**d["question"], "options": [
                Option(**o) for o in d["question"].get("options") or []]})
                if d.get("question") else None),
            suggestions=[Suggestion(**s) for s in d.get("suggestions") or []],
            closing=d.get("closing") or "", rule_ids=list(d.get("rule_ids") or []),
            rateable=bool(d.get("rateable")), turn=d.get("turn"),
            opportunity=d.get("opportunity"),
            comparison=Comparison.from_json(d["comparison"]) if d.get("comparison") else None)


def _without_empty_optional(data: Dict[str, Any]) -> Dict[str, Any]:
    """Drop the later-added keys while they are None, in the reply and its items."""
    data = {k: v for k, v in data.items() if not (k in OPTIONAL_KEYS and v is None)}
    for key in ("flags", "facts", "advice", "explanations"):
        data[key] = [{k: v for k, v in item.items() if not (k in OPTIONAL_KEYS and v is None)}
                     for item in data.get(key) or []]
    return data
