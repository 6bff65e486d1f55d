"""Loading, validating and compiling the YAML rule base.

``load_rulebase(path)`` reads every ``*.yml`` file under ``path``, validates each against
``schema.json``, then checks what a schema cannot: unique ids across files, references to
facts, values, signals, named conditions, purposes and drafts, placeholders of drafts, cycles
between named conditions, detection patterns, rules that can never fire, and the everyday word
lists (answer words, correction words, purpose and request words, ``words:``): no empty or
duplicate words, answer words only for values the fact has.  Every problem becomes a
:class:`RuleIssue` with file, line and id; all of them are collected before
:class:`RuleBaseError` is raised, so ``interview-advisor rules check`` reports everything at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import jsonschema

from .backstop import Backstop
from .conditions import (
    Always,
    ConditionError,
    FactSpec,
    FactValue,
    Node,
    Ref,
    Vocabulary,
    coerce_fact_value,
    compile_condition,
    satisfiable,
    walk,
)
from .detect import Detector, PatternError, PatternSource
from .errors import RuleBaseError, RuleIssue
from .grammar import GRAMMAR_LISTS, Grammar, grammar_from, project_grammar
from .nlp import Normaliser
from .reader import READER_FILE
from .yamlload import LDict, line_of, load_yaml

SECTIONS = ("facts", "signals", "conditions", "rules", "purposes", "drafts", "questions",
            "decision_topics")
#: the sections whose ids share one namespace (a purpose may have the id of a draft)
ID_SECTIONS = ("facts", "signals", "conditions", "rules", "drafts", "questions",
               "decision_topics")
#: the word lists of cues (see :func:`interview_advisor.cues.compile_cues`): a word
#: may give alternatives ("do|did"), be optional ("?all"), and the first may start with "^"
#: (only at a clause's start), the last end with "$" (only at its end)
CUE_LISTS = ("self_correction_cues", "asks_what_to_do", "asks_why", "asks_summary",
             "asks_questions_to_ask",
             "greetings", "story_openers", "asks_for_words", "asks_for_words_not",
             "asks_what_happens", "reaffirm_cues", "asks_can_forms", "asks_should_forms",
             "asks_judgement_forms", "judgement_wrappers", "contact_verbs", "asks_must_forms",
             "manager_referents", "person_pronouns",
             "asks_worry_frames", "asks_permission_frames", "asks_which_is_better")
#: the word lists under the top-level ``words:`` key (see :class:`Words`)
WORD_LISTS = ("affirm", "deny", "skip", "stop", "flag_references", "negation_cues",
              "explanation_cues", "retraction_cues", "opportunity_other",
              "opportunity_current_job", "opportunity_internal", "employer_kinds",
              "company_cues", "company_follow", "company_follow_skip", "employer_acts",
              "contact_roles",
              "company_suffixes", "not_company", "place_cues", "own_employer_cues",
              "clause_breaks", "priority_cues",
              "compare_words", "better_words", "worse_words", "opportunity_all",
              "contrasts", "additions",
              "skip_starts", "interrupt_words", "draft_request_words", "claim_verbs",
              "claim_positive_words", "calendar_words", "process_kinds", "not_employers",
              "job_pointers", "team_pointers", "job_terms", "role_heads",
              "request_fillers", "option_heads") + CUE_LISTS
#: the built-in purpose of drafts that are not offered as a choice (never declared)
OTHER_PURPOSE = "other"
BACKSTOP_FILE = "backstop.json"
ACTIVE = ("stable", "experimental")


def default_rules_dir() -> Path:
    """``$INTERVIEW_ADVISOR_RULES`` or the ``rules/`` folder of this checkout."""
    env = os.environ.get("INTERVIEW_ADVISOR_RULES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "rules"


@dataclass
class Fact:
    spec: FactSpec
    ask_priority: int
    question: str
    options: Dict[str, str]
    file: str
    line: Optional[int]
    #: value (booleans: "true"/"false") -> everyday words that answer the question with it;
    #: only the values that have some, in YAML order; empty when the fact has none
    answer_words: Dict[str, List[str]] = field(default_factory=dict)
    #: "match"/"no_match" -> value (booleans: "true"/"false") -> messages that must (not) set
    #: the fact to that value; empty when the fact has none
    examples: Dict[str, Dict[str, List[str]]] = field(default_factory=dict)
    #: whose fact it is among several opportunities: opportunity, person or current_job
    scope: str = "opportunity"
    #: what telling this fact settles: (value or None for any value, {fact id: value})
    implies: List[Tuple[Optional[FactValue], Dict[str, FactValue]]] = field(default_factory=list)
    #: value -> the values it wins over when both are read in one message (see engine.detect)
    prevails: Dict[str, List[str]] = field(default_factory=dict)
    #: while this condition holds the question is not asked (its answer is plain)
    ask_unless: Optional[Node] = None
    #: how much higher a rule that turns on this fact ranks when the latest message told it
    #: (``news_bonus``; 0: news of it does not move advice up)
    news_bonus: int = 0
    #: a feeling that can change within one message (``changes_mind``): an earlier one that the
    #: person turns away from is not read (:mod:`.stance`); value -> what it leaves the fact at
    #: when nothing else says how they feel now; None: not such a fact
    changes_mind: Optional[Dict[str, str]] = None

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass
class Signal:
    id: str
    title: str
    status: str
    severity: str
    source: Dict[str, str]
    why: str
    examples: Dict[str, List[str]]
    file: str
    line: Optional[int]
    #: words people use for this red flag when they take it back (empty when none)
    correction_words: List[str] = field(default_factory=list)


@dataclass
class Rule:
    id: str
    title: str
    status: str
    priority: int
    topic: str
    source: Dict[str, str]
    when: Node
    advice: str
    why: str
    next_steps: List[str]
    questions_to_ask: List[str]
    draft: Optional[str]
    examples: Dict[str, List[Dict[str, Any]]]
    file: str
    line: Optional[int]


@dataclass
class DirectQuestion:
    """A direct question people ask (``questions:``) and the short answer given first."""

    id: str
    title: str
    status: str
    source: Dict[str, str]
    answer: str
    #: the condition under which this answer is given; None when it always is
    when: Optional[Node]
    #: "match"/"no_match" -> items: a message, or {"text": ..., "facts": {...}}
    examples: Dict[str, List[Any]]
    file: str
    line: Optional[int]
    index: int = 0      # position in the rule base (YAML order), the last tie-breaker
    #: the framing ``answer`` replies to ("permission" or "worry"), and the answer given when
    #: the question is asked the other way ("would it be weird to ask for more time?": "No")
    asked_as: Optional[str] = None
    answer_other_way: Optional[str] = None

    def answer_for(self, framing: Optional[str]) -> str:
        """The answer to the question asked in ``framing`` ("permission", "worry" or None)."""
        if framing and self.asked_as and self.answer_other_way and framing != self.asked_as:
            return self.answer_other_way
        return self.answer


@dataclass
class NamedCondition:
    id: str
    title: str
    ref: Ref
    file: str
    line: Optional[int]


@dataclass
class Placeholder:
    name: str
    question: str
    default: Optional[str]


@dataclass
class Draft:
    id: str
    title: str
    status: str
    purpose: str
    source: Dict[str, str]
    placeholders: Dict[str, Placeholder]
    template: str
    file: str
    line: Optional[int]
    #: words that ask for this very draft by name (empty when none)
    request_words: List[str] = field(default_factory=list)


@dataclass
class Purpose:
    """A kind of message the bot offers to write (``purposes:`` in drafts.yml)."""

    id: str
    label: str          # the short label of the choice ("a thank-you note")
    words: List[str]    # words that name it ("thank you note", "thank them")
    file: str
    line: Optional[int]


@dataclass
class Words:
    """The everyday word lists under ``words:`` (rules/words.yml); a list not given is empty."""

    affirm: List[str] = field(default_factory=list)           # yes to a yes/no question
    deny: List[str] = field(default_factory=list)             # no to a yes/no question
    skip: List[str] = field(default_factory=list)             # skip the question asked
    stop: List[str] = field(default_factory=list)             # drop the draft being filled in
    flag_references: List[str] = field(default_factory=list)  # "the red flag", unnamed
    negation_cues: List[str] = field(default_factory=list)    # take a red flag back
    explanation_cues: List[str] = field(default_factory=list)  # explain a red flag away
    retraction_cues: List[str] = field(default_factory=list)   # take a fact back
    # several opportunities (rules/opportunities.yml)
    opportunity_other: List[str] = field(default_factory=list)        # "the other one"
    opportunity_current_job: List[str] = field(default_factory=list)  # "my current job"
    opportunity_internal: List[str] = field(default_factory=list)     # "the internal role"
    employer_kinds: List[str] = field(default_factory=list)           # "the startup"
    company_cues: List[str] = field(default_factory=list)             # "at" Globex
    company_follow: List[str] = field(default_factory=list)           # the Hooli "one"
    company_follow_skip: List[str] = field(default_factory=list)      # Hooli "still" wants
    employer_acts: List[str] = field(default_factory=list)   # harrow "offered" me 58k
    contact_roles: List[str] = field(default_factory=list)            # the "recruiter" from X
    company_suffixes: List[str] = field(default_factory=list)         # Sable "Analytics"
    not_company: List[str] = field(default_factory=list)              # "at Monday"
    place_cues: List[str] = field(default_factory=list)               # "move to" Leeds
    own_employer_cues: List[str] = field(default_factory=list)        # "i work at" a bank
    clause_breaks: List[str] = field(default_factory=list)            # "but", "whereas"
    priority_cues: List[str] = field(default_factory=list)            # "matters most"
    compare_words: List[str] = field(default_factory=list)            # "compare them"
    asks_which_is_better: List[str] = field(default_factory=list)     # "which one looks better"
    better_words: List[str] = field(default_factory=list)             # "better hours"
    worse_words: List[str] = field(default_factory=list)              # "longer commute"
    opportunity_all: List[str] = field(default_factory=list)          # "for all of them"
    # grammar shared by detection, corrections and several opportunities (words.yml)
    contrasts: List[str] = field(default_factory=list)            # "but", "however"
    additions: List[str] = field(default_factory=list)            # "also", "except"
    # requests, corrections, why and summary in free words (dialogue/answers.py, drafting.py)
    skip_starts: List[str] = field(default_factory=list)          # "skip that one"
    interrupt_words: List[str] = field(default_factory=list)      # "why" inside a draft
    draft_request_words: List[str] = field(default_factory=list)  # "draft", "email"
    claim_verbs: List[str] = field(default_factory=list)          # "seemed" clear
    claim_positive_words: List[str] = field(default_factory=list)  # seemed "clear"
    self_correction_cues: List[str] = field(default_factory=list)  # "to be fair"
    asks_what_to_do: List[str] = field(default_factory=list)      # "so what now"
    asks_why: List[str] = field(default_factory=list)             # "how come"
    asks_summary: List[str] = field(default_factory=list)         # "sum it up"
    asks_questions_to_ask: List[str] = field(default_factory=list)  # "what should i ask"
    greetings: List[str] = field(default_factory=list)            # "hiya"
    story_openers: List[str] = field(default_factory=list)        # "bear with me"
    asks_for_words: List[str] = field(default_factory=list)       # "how do i tell"
    asks_for_words_not: List[str] = field(default_factory=list)   # "... in the interview"
    asks_what_happens: List[str] = field(default_factory=list)    # "will it hurt me"
    reaffirm_cues: List[str] = field(default_factory=list)        # "that bit still stands"
    # the details a request for a message gives in words (dialogue/draft_details.py)
    calendar_words: List[str] = field(default_factory=list)   # "Monday": no name, no company
    process_kinds: List[str] = field(default_factory=list)    # the "hiring" process: no name
    not_employers: List[str] = field(default_factory=list)    # interviewed at "home"
    job_pointers: List[str] = field(default_factory=list)     # the "other" job: no role
    team_pointers: List[str] = field(default_factory=list)    # the "wider" team: no team
    job_terms: List[str] = field(default_factory=list)        # the "part time" admin job
    role_heads: List[str] = field(default_factory=list)       # store "manager": a role
    request_fillers: List[str] = field(default_factory=list)  # what the job "even" is
    asks_can_forms: List[str] = field(default_factory=list)       # "is there any way i can"
    asks_should_forms: List[str] = field(default_factory=list)    # "do you think i should"
    asks_judgement_forms: List[str] = field(default_factory=list)  # "am i wrong to"
    judgement_wrappers: List[str] = field(default_factory=list)    # "thinking about"
    contact_verbs: List[str] = field(default_factory=list)         # "ring", "email"
    option_heads: List[str] = field(default_factory=list)          # "the warehouse one"
    asks_must_forms: List[str] = field(default_factory=list)      # "am i obliged to"
    manager_referents: List[str] = field(default_factory=list)     # "my head teacher"
    person_pronouns: List[str] = field(default_factory=list)      # "her", "him"
    asks_worry_frames: List[str] = field(default_factory=list)    # "would it be rude to"
    asks_permission_frames: List[str] = field(default_factory=list)  # "is it ok to", "can i"


@dataclass
class DecisionTopic:
    """What a person weighs between opportunities (``decision_topics:``)."""

    id: str
    title: str
    status: str
    source: Dict[str, str]
    words: List[str]
    question: str
    facts: List[str] = field(default_factory=list)
    signals: List[str] = field(default_factory=list)
    #: numbers in the person's words: does the larger one count for (True) or against (False)
    #: the opportunity; None: numbers are not compared
    more_is_better: Optional[bool] = None
    file: str = ""
    line: Optional[int] = None
    #: phrases in which the topic's words do not name it ("team lead", "pay attention")
    not_words: List[str] = field(default_factory=list)
    #: the broader topic this one is a factor of (commute is part of work-life balance)
    part_of: Optional[str] = None


@dataclass
class RuleBase:
    """The compiled rule base."""

    root: Path
    facts: Dict[str, Fact]
    signals: Dict[str, Signal]
    conditions: Dict[str, NamedCondition]
    rules: List[Rule]
    drafts: Dict[str, Draft]
    detector: Detector
    fingerprint: str
    files: List[str] = field(default_factory=list)
    backstop: Optional[Backstop] = None
    #: purpose id -> Purpose, in the order the YAML declares them (the order they are offered);
    #: the built-in purpose "other" is not among them
    purposes: Dict[str, Purpose] = field(default_factory=dict)
    words: Words = field(default_factory=Words)
    #: direct questions (``questions:``), in YAML order, and their own detector (kept apart
    #: from the signals' and facts' so that they never change what those detect)
    questions: Dict[str, DirectQuestion] = field(default_factory=dict)
    question_detector: Optional[Detector] = None
    #: decision topics (``decision_topics:``), in YAML order
    decision_topics: Dict[str, DecisionTopic] = field(default_factory=dict)

    @property
    def active_topics(self) -> Dict[str, DecisionTopic]:
        return {k: d for k, d in self.decision_topics.items() if d.status in ACTIVE}

    @property
    def active_questions(self) -> Dict[str, DirectQuestion]:
        return {k: q for k, q in self.questions.items() if q.status in ACTIVE}

    @property
    def active_rules(self) -> List[Rule]:
        return [r for r in self.rules if r.status in ACTIVE]

    @property
    def active_signals(self) -> Dict[str, Signal]:
        return {k: s for k, s in self.signals.items() if s.status in ACTIVE}

    def fact_spec(self, fact_id: str) -> FactSpec:
        return self.facts[fact_id].spec

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


@dataclass
class _Entry:
    section: str
    data: LDict
    file: str
    index: int
    doc: Any

    @property
    def id(self) -> Optional[str]:
        value = self.data.get("id") if isinstance(self.data, dict) else None
        return value if isinstance(value, str) else None

    def line(self, *path: Any) -> Optional[int]:
        return line_of(self.doc, [self.section, self.index, *path])


def rule_files(root: Path) -> List[Path]:
    return sorted(p for p in root.rglob("*.yml") if p.is_file()) + \
        sorted(p for p in root.rglob("*.yaml") if p.is_file())


def fingerprint(root: Path) -> str:
    """A digest of every rule file's name and content (to notice changes)."""
    digest = hashlib.sha256()
    for path in rule_files(root) + [root / BACKSTOP_FILE, root / READER_FILE,
                                    root / "schema.json"]:
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


_SCHEMA_CACHE: Dict[str, Any] = {}


def _validator(root: Path) -> jsonschema.Draft7Validator:
    text = (root / "schema.json").read_text("utf-8")
    key = hashlib.sha256(text.encode()).hexdigest()
    if key not in _SCHEMA_CACHE:  # keyed by content: a changed schema is picked up on reload
        _SCHEMA_CACHE[key] = jsonschema.Draft7Validator(json.loads(text))
    return _SCHEMA_CACHE[key]


def _deepest(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For a condition that matches none of its forms, the error deepest inside it: a typo in
    ``all: [{signl: x}]`` is reported at that item, not at ``all``."""
    while error.validator == "oneOf" and error.context:
        deeper = max(error.context, key=lambda e: len(e.absolute_path))
        if len(deeper.absolute_path) <= len(error.absolute_path):
            break
        while deeper.parent is not None and deeper.parent is not error and \
                len(deeper.parent.absolute_path) > len(error.absolute_path):
            deeper = deeper.parent
        error = deeper
    return error


_QUOTE_HINT = (" (quote it: YAML reads an unquoted yes, no, true, false, on or off as true or "
               "false, and digits as a number)")


def word_key(text: str) -> str:
    """A word as the dialogue matches it: lower case, apostrophes dropped ("Don't" -> "dont"),
    punctuation as spaces, single spaces, stripped. Two words with the same key are the same."""
    text = str(text).lower().translate(_APOSTROPHES)
    text = _NON_WORD.sub(" ", text).replace("'", "")
    return " ".join(text.split())


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_NON_WORD = re.compile(r"[^a-z0-9' ]+")
#: the phrase language of ``detect`` (not understood in word lists)
_PHRASE_SYNTAX = re.compile(r"[|*<>()]|(^|\s)\?")
#: a cue: words (letters, digits, apostrophes, ; and -) with alternatives and optional words
_CUE_WORD = r"\??[a-z0-9';-]+(?:\|[a-z0-9';-]+)*"
_CUE = re.compile(rf"^\^?{_CUE_WORD}(?: {_CUE_WORD})*\$?$", re.IGNORECASE)


def _schema_message(error: jsonschema.ValidationError) -> str:
    where = ".".join(str(p) for p in error.absolute_path) or "top level"
    if error.validator == "type" and isinstance(error.instance, (bool, int, float)) and \
            "string" in str(error.validator_value):
        return f"at {where}: {error.message}{_QUOTE_HINT}"
    if error.validator == "oneOf" and isinstance(error.instance, dict):
        keys = ", ".join(sorted(map(str, error.instance))) or "nothing"
        return (f"at {where}: a condition needs exactly one of all, any, not, fact (with is, in "
                f"or known), signal, signals, condition or always, with nothing else; found "
                f"{keys}")
    if error.validator == "additionalProperties":
        hint = _QUOTE_HINT.replace("quote it", "quote the key") \
            if isinstance(error.instance, dict) and \
            any(isinstance(k, bool) for k in error.instance) else ""
        return f"at {where}: {error.message} (allowed keys are listed in rules/schema.json){hint}"
    return f"at {where}: {error.message}"


class _Loader:
    def __init__(self, root: Path, normaliser: Optional[Normaliser]) -> None:
        self.root = root
        self.issues: List[RuleIssue] = []
        self.normaliser = normaliser or Normaliser()
        self.broken: Dict[str, Dict[str, Any]] = {}
        #: (file, document) of every file with a valid top-level ``words:`` mapping
        self.word_docs: List[Tuple[str, Any]] = []
        #: (file, document) of every file with a valid top-level ``grammar:`` mapping
        self.grammar_docs: List[Tuple[str, Any]] = []
        self.grammar: Grammar = project_grammar()   # the rule base's own, once read
        self.unknown_purpose = False  # some draft names an undeclared purpose

    def issue(self, entry: Optional[_Entry], message: str, *path: Any, kind: str = "invalid",
              file: Optional[str] = None, line: Optional[int] = None) -> None:
        if entry is not None:
            self.issues.append(RuleIssue(entry.file, entry.line(*path), message, entry.id, kind))
        else:
            self.issues.append(RuleIssue(file or str(self.root), line, message, None, kind))

    # -- reading ------------------------------------------------------------------------------
    def read(self) -> List[_Entry]:
        if not (self.root / "schema.json").is_file():
            self.issue(None, "no schema.json in the rule base folder", kind="missing",
                       file=str(self.root))
            return []
        files = rule_files(self.root)
        if not files:
            self.issue(None, "no .yml files in the rule base folder", kind="missing")
        validator = _validator(self.root)
        entries: List[_Entry] = []
        for path in files:
            name = self._name(path)
            try:
                text = path.read_text("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                self.issue(None, f"cannot read file: {exc}", kind="io", file=name)
                continue
            doc, issues = load_yaml(text, name)
            self.issues.extend(_with_entry_ids(doc, issues))
            if doc is None:
                if not issues:
                    self.issue(None, "the file is empty", kind="schema", file=name, line=1)
                continue
            errors = sorted((_deepest(e) for e in validator.iter_errors(doc)),
                            key=lambda e: [str(p) for p in e.absolute_path])
            bad_entries = set()
            for error in errors:
                path_ = list(error.absolute_path)
                rule_id = None
                if path_ and path_[0] in ("words", "grammar"):
                    bad_entries.add((path_[0], None))
                    if len(path_) >= 2 and path_[1] in WORD_LISTS + GRAMMAR_LISTS:
                        rule_id = str(path_[1])  # the id of a word list is its name
                elif len(path_) >= 2 and isinstance(doc, dict):
                    bad_entries.add((path_[0], path_[1]))
                    item = doc.get(path_[0])
                    if isinstance(item, list) and isinstance(path_[1], int):
                        entry_data = item[path_[1]]
                        if isinstance(entry_data, dict) and isinstance(entry_data.get("id"), str):
                            rule_id = entry_data["id"]
                self.issues.append(RuleIssue(name, line_of(doc, path_), _schema_message(error),
                                             rule_id, "schema"))
            if not isinstance(doc, dict):
                continue
            if "words" in doc and ("words", None) not in bad_entries:
                self.word_docs.append((name, doc))
            if "grammar" in doc and ("grammar", None) not in bad_entries:
                self.grammar_docs.append((name, doc))
            for section in SECTIONS:
                for index, data in enumerate(doc.get(section) or []):
                    if not isinstance(data, dict):
                        continue
                    if (section, index) in bad_entries:
                        # keep its id known, so that one schema error does not cascade into
                        # "unknown id" errors everywhere it is referred to
                        if isinstance(data.get("id"), str):
                            self.broken.setdefault(section, {})[data["id"]] = data
                        continue
                    entries.append(_Entry(section, data, name, index, doc))  # type: ignore[arg-type]
        return entries

    def _name(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    # -- compiling ----------------------------------------------------------------------------
    def build(self) -> Optional[RuleBase]:
        entries = self.read()
        seen: Dict[str, _Entry] = {}
        for entry in entries:
            if entry.id is None or entry.section not in ID_SECTIONS:
                continue  # purposes have their own ids, checked in _purposes
            first = seen.get(entry.id)
            if first is not None:
                self.issue(entry, f"duplicate id {entry.id!r} (first defined in {first.file}:"
                                  f"{first.line()})", "id", kind="duplicate-id")
            else:
                seen[entry.id] = entry
        by_section: Dict[str, List[_Entry]] = {s: [] for s in SECTIONS}
        for entry in entries:
            by_section[entry.section].append(entry)

        facts = self._facts(by_section["facts"])
        self.grammar = self._grammar()
        detector = Detector(self.normaliser, self.grammar)
        signals = self._signals(by_section["signals"], detector)
        self._fact_detection(by_section["facts"], facts, detector)
        signal_titles = {k: str(d.get("title", k))
                         for k, d in self.broken.get("signals", {}).items()}
        signal_titles.update({k: s.title for k, s in signals.items() if s.status in ACTIVE})
        vocab = Vocabulary({k: f.spec for k, f in facts.items()}, signal_titles)
        conditions = self._conditions(by_section["conditions"], vocab)
        self._ask_unless(by_section["facts"], facts, vocab, conditions)
        purposes = self._purposes(by_section["purposes"])
        drafts = self._drafts(by_section["drafts"], purposes)
        self._unused_purposes(by_section["purposes"], purposes, drafts)
        words = self._words()
        rules = self._rules(by_section["rules"], vocab, conditions, drafts)
        question_detector = Detector(self.normaliser, self.grammar)
        for reader in (detector, question_detector):   # words.yml's contrasts, one source
            reader.contrasts = frozenset(w.lower() for w in words.contrasts)
        questions = self._questions(by_section["questions"], vocab, conditions,
                                    question_detector)
        try:
            detector.compile()
        except PatternError as exc:
            self.issue(None, str(exc), kind="pattern")
        try:
            question_detector.compile()
        except PatternError as exc:
            self.issue(None, f"questions: {exc}", kind="pattern")
        backstop = self._backstop(signals)
        topics = self._decision_topics(by_section["decision_topics"], facts, signals)
        if self.issues:
            return None
        return RuleBase(self.root, facts, signals, conditions, rules, drafts, detector,
                        fingerprint(self.root), [self._name(p) for p in rule_files(self.root)],
                        backstop, purposes, words, questions, question_detector, topics)

    def _decision_topics(self, entries: Sequence[_Entry], facts: Mapping[str, Fact],
                         signals: Mapping[str, Signal]) -> Dict[str, DecisionTopic]:
        """Decision topics; their facts and signals must exist, a word names one topic only."""
        topics: Dict[str, DecisionTopic] = {}
        for entry in entries:
            d = entry.data
            report = self._entry_reporter(entry)
            for key, known in (("facts", facts), ("signals", signals)):
                for i, ref in enumerate(d.get(key) or []):
                    if ref not in known and ref not in self.broken.get(key, {}):
                        self.issue(entry, f"{key}: {ref!r} is not declared", key, i,
                                   kind="reference")
            topics[d["id"]] = DecisionTopic(
                d["id"], d["title"], d["status"], dict(d["source"]),
                self._word_list(d["words"], report, "words"), d["question"],
                list(d.get("facts") or []), list(d.get("signals") or []),
                d.get("more_is_better"), entry.file, entry.line(),
                self._word_list(d.get("not_words") or [], report, "not_words"),
                d.get("part_of"))
        for topic in topics.values():
            broader = topics.get(topic.part_of or "")
            if topic.part_of is not None and (broader is None or broader.part_of is not None
                                              or broader.id == topic.id):
                self.issues.append(RuleIssue(topic.file, topic.line,
                                             f"part_of: {topic.part_of!r} is not a broader "
                                             f"decision topic (declared, and part of none)",
                                             topic.id, "reference"))
        seen: Dict[str, str] = {}
        for topic in topics.values():
            for word in topic.words:
                key = word_key(word)
                if key in seen and seen[key] != topic.id:
                    self.issues.append(RuleIssue(topic.file, topic.line,
                                                 f"the word {word!r} also names the decision "
                                                 f"topic {seen[key]!r}", topic.id,
                                                 "duplicate-word"))
                seen.setdefault(key, topic.id)
        return topics

    # -- word lists ---------------------------------------------------------------------------
    def _word_list(self, words: Sequence[str], report: Any, *path: Any,
                   cues: bool = False) -> List[str]:
        """Check one list of everyday words (``cues``: of cues, see :data:`CUE_LISTS`);
        ``report(message, *path, kind=...)`` files an issue at that path. Returns the words as
        written."""
        first: Dict[str, int] = {}
        for i, word in enumerate(words):
            key = word_key(word)
            if not key:
                report(f"word {word!r} has no letters or digits: it could never match",
                       *path, i, kind="empty-word")
            elif cues and not _CUE.match(word):
                report(f"cue {word!r}: words, 'a|b' alternatives, '?word' optional, '^' first "
                       "and '$' last only", *path, i, kind="invalid")
            elif not cues and _PHRASE_SYNTAX.search(word):
                report(f"word {word!r} uses the phrase language of detect (|, ?, *, <...>, "
                       "brackets): word lists take plain words only", *path, i, kind="invalid")
            elif key in first:
                j = first[key]
                same = "" if words[j] == word else f" as {words[j]!r}"
                report(f"duplicate word {word!r}: already item {j + 1} of this list{same}",
                       *path, i, kind="duplicate-word")
            else:
                first[key] = i
        return list(words)

    def _entry_reporter(self, entry: _Entry) -> Any:
        def report(message: str, *path: Any, kind: str) -> None:
            self.issue(entry, message, *path, kind=kind)
        return report

    @staticmethod
    def _one_group_each(groups: Mapping[str, Sequence[str]], report: Any, what: str) -> None:
        """A word may stand in one group only (one value of a fact, one purpose):
        ``report(message, group, index)`` files an issue at the later one."""
        owner: Dict[str, str] = {}
        for group, words in groups.items():
            for i, word in enumerate(words):
                key = word_key(word)
                other = owner.setdefault(key, group) if key else group
                if other != group:
                    report(f"word {word!r} {what} both {other!r} and {group!r}: give it under "
                           "one of them only", group, i)

    def _purposes(self, entries: Sequence[_Entry]) -> Dict[str, Purpose]:
        purposes: Dict[str, Purpose] = {}
        seen: Dict[str, _Entry] = {}
        for entry in entries:
            d = entry.data
            report = self._entry_reporter(entry)
            if d["id"] == OTHER_PURPOSE:
                self.issue(entry, f"purpose {OTHER_PURPOSE!r} is built in (drafts offered only by "
                                  "an advice rule or their request_words) and is not declared",
                           "id", kind="invalid")
                continue
            first = seen.get(d["id"])
            if first is not None:
                self.issue(entry, f"duplicate purpose {d['id']!r} (first defined in {first.file}:"
                                  f"{first.line()})", "id", kind="duplicate-id")
                continue
            seen[d["id"]] = entry
            words = self._word_list(d["words"], report, "words")
            purposes[d["id"]] = Purpose(d["id"], d["label"], words, entry.file, entry.line())
        self._one_group_each({k: p.words for k, p in purposes.items()},
                             lambda message, purpose, index: self.issue(
                                 seen[purpose], message, "words", index, kind="duplicate-word"),
                             "names the purposes")
        return purposes

    def _unused_purposes(self, entries: Sequence[_Entry], purposes: Mapping[str, Purpose],
                         drafts: Mapping[str, Draft]) -> None:
        if self.unknown_purpose:
            return  # probably a misspelt purpose: that error says it, this one would follow
        used = {d.purpose for d in drafts.values() if d.status in ACTIVE}
        used |= {str(d.get("purpose")) for d in self.broken.get("drafts", {}).values()}
        for entry in entries:
            if entry.data["id"] in purposes and entry.data["id"] not in used:
                self.issue(entry, "no stable or experimental draft has this purpose: the bot "
                                  "would offer a message it cannot write", "id",
                           kind="reference")

    def _words(self) -> Words:
        words = Words()
        where: Dict[str, str] = {}
        for name, doc in self.word_docs:
            for key, items in doc["words"].items():
                report = self._word_list_reporter(name, doc, key)
                if key in where:
                    report(f"the word list {key!r} is already given in {where[key]}",
                           kind="duplicate-id")
                    continue
                where[key] = f"{name}:{line_of(doc, ['words', key])}"
                setattr(words, key, self._word_list(items, report, cues=key in CUE_LISTS))
        # a message may turn to another opportunity at any contrast or addition too
        words.clause_breaks = list(dict.fromkeys(words.contrasts + words.additions +
                                                 words.clause_breaks))
        return words

    def _grammar(self) -> Grammar:
        """The ``grammar:`` of the rule base (given once; the schema requires every list), or
        the project's own when the folder has none."""
        if not self.grammar_docs:
            return project_grammar()
        name, doc = self.grammar_docs[0]
        for other, other_doc in self.grammar_docs[1:]:
            self.issues.append(RuleIssue(other, line_of(other_doc, ["grammar"]),
                                         f"the grammar is already given in {name}:"
                                         f"{line_of(doc, ['grammar'])}", "grammar",
                                         "duplicate-id"))
        return grammar_from(doc["grammar"])

    def _word_list_reporter(self, name: str, doc: Any, key: str) -> Any:
        """Issues in the list ``words: {key: [...]}`` of one file, with the list's name as id."""
        def report(message: str, *path: Any, kind: str) -> None:
            self.issues.append(RuleIssue(name, line_of(doc, ["words", key, *path]), message,
                                         key, kind))
        return report

    def _backstop(self, signals: Mapping[str, Signal]) -> Optional[Backstop]:
        path = self.root / BACKSTOP_FILE
        name = self._name(path)
        try:
            backstop = Backstop.load(path)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self.issue(None, f"cannot load the statistical backstop: {exc}", kind="backstop",
                       file=name)
            return None
        if backstop is not None:
            unknown = sorted(set(backstop.signals) - set(signals))
            if unknown:
                self.issue(None, f"the backstop knows signals the rule base does not: "
                                 f"{', '.join(unknown)} (retrain: make train-backstop)",
                           kind="backstop", file=name)
        return backstop

    def _facts(self, entries: Sequence[_Entry]) -> Dict[str, Fact]:
        facts: Dict[str, Fact] = {}
        for entry in entries:
            d = entry.data
            values: List[Any] = [True, False] if d["type"] == "boolean" else list(d["values"])
            keys = {str(v).lower() for v in values}
            for part in ("options", "labels"):
                for key in (d.get(part) or {}):
                    if str(key) not in keys:
                        self.issue(entry, f"{part[:-1]} {key!r} is not a value of this fact "
                                          f"({', '.join(sorted(keys))})", part, key)
            labels = {str(k): str(v) for k, v in (d.get("labels") or {}).items()}
            facts[d["id"]] = Fact(FactSpec(d["id"], d["title"], d["type"], values, labels),
                                  d.get("ask_priority", 50), d["question"],
                                  {str(k): v for k, v in (d.get("options") or {}).items()},
                                  entry.file, entry.line(),
                                  self._answer_words(entry, keys),
                                  self._fact_examples(entry, keys),
                                  str(d.get("scope") or "opportunity"))
            facts[d["id"]].news_bonus = int(d.get("news_bonus", 0))
        for entry in entries:
            if entry.data["id"] in facts:
                facts[entry.data["id"]].implies = self._implies(entry, facts)
                facts[entry.data["id"]].prevails = self._prevails(entry)
                if "changes_mind" in entry.data:
                    facts[entry.data["id"]].changes_mind = self._value_map(entry, "changes_mind")
        return facts

    def _ask_unless(self, entries: Sequence[_Entry], facts: Mapping[str, Fact],
                    vocab: Vocabulary, conditions: Mapping[str, NamedCondition]) -> None:
        """Each fact's ``ask_unless``, compiled in the language of rule conditions."""
        refs = {k: c.ref for k, c in conditions.items()}
        for entry in entries:
            when = entry.data.get("ask_unless")
            if when is None or entry.data["id"] not in facts:
                continue
            try:
                facts[entry.data["id"]].ask_unless = compile_condition(when, vocab, refs,
                                                                       ["ask_unless"])
            except ConditionError as exc:
                self.issue(entry, str(exc), *exc.path, kind="reference")

    def _value_map(self, entry: _Entry, key: str) -> Dict[str, str]:
        """A mapping from values of the fact to values of the fact (``changes_mind``)."""
        values = [str(v).lower() for v in ([True, False] if entry.data["type"] == "boolean"
                                           else entry.data["values"])]
        result: Dict[str, str] = {}
        for source, target in (entry.data.get(key) or {}).items():
            bad = [str(v) for v in (source, target) if str(v).lower() not in values]
            if bad:
                self.issue(entry, f"{key}: {', '.join(map(repr, bad))} is not a value of this "
                                  f"fact ({', '.join(values)})", key, source, kind="reference")
                continue
            result[str(source).lower()] = str(target).lower()
        return result

    def _prevails(self, entry: _Entry) -> Dict[str, List[str]]:
        """The fact's ``prevails``: every value named must be a value of the fact."""
        values = [str(v).lower() for v in ([True, False] if entry.data["type"] == "boolean"
                                           else entry.data["values"])]
        result: Dict[str, List[str]] = {}
        for key, beaten in (entry.data.get("prevails") or {}).items():
            bad = [str(v) for v in [key, *beaten] if str(v).lower() not in values]
            if bad:
                self.issue(entry, f"prevails: {', '.join(map(repr, bad))} is not a value of this "
                                  f"fact ({', '.join(values)})", "prevails", key,
                           kind="reference")
                continue
            result[str(key).lower()] = [str(v).lower() for v in beaten]
        return result

    def _implies(self, entry: _Entry, facts: Mapping[str, Fact]
                 ) -> List[Tuple[Optional[FactValue], Dict[str, FactValue]]]:
        """The fact's ``implies``: its value (when given) and each implied fact's value must be
        values of those facts, and a fact never implies itself."""
        result: List[Tuple[Optional[FactValue], Dict[str, FactValue]]] = []
        own = facts[entry.data["id"]].spec
        for i, item in enumerate(entry.data.get("implies") or []):
            value: Optional[FactValue] = None
            try:
                if "value" in item:
                    value = coerce_fact_value(own, item["value"])
                implied: Dict[str, FactValue] = {}
                for fact_id, raw in item["facts"].items():
                    if fact_id not in facts or fact_id == own.id:
                        raise ValueError(f"implies an unknown fact or itself: {fact_id!r}")
                    implied[fact_id] = coerce_fact_value(facts[fact_id].spec, raw)
            except ValueError as exc:
                self.issue(entry, f"implies: {exc}", "implies", i, kind="reference")
                continue
            result.append((value, implied))
        return result

    def _fact_examples(self, entry: _Entry, keys: Iterable[str]
                       ) -> Dict[str, Dict[str, List[str]]]:
        """The fact's ``examples`` by kind and value; values must be values of the fact."""
        result: Dict[str, Dict[str, List[str]]] = {}
        keys = set(keys)
        for kind, by_value in (entry.data.get("examples") or {}).items():
            for key, texts in (by_value or {}).items():
                value = str(key).lower() if isinstance(key, bool) else str(key)
                if value not in keys:
                    self.issue(entry, f"examples: {key!r} is not a value of this fact "
                                      f"({', '.join(sorted(keys))})", "examples", kind, key,
                               kind="reference")
                    continue
                result.setdefault(kind, {})[value] = list(texts)
        return result

    def _answer_words(self, entry: _Entry, keys: Iterable[str]) -> Dict[str, List[str]]:
        """The fact's ``answer_words`` by value; keys must be values of the fact (booleans:
        "true" and "false", quoted or not)."""
        report = self._entry_reporter(entry)
        result: Dict[str, List[str]] = {}
        for key, words in (entry.data.get("answer_words") or {}).items():
            value = str(key).lower() if isinstance(key, bool) else str(key)
            if value not in keys:
                self.issue(entry, f"answer_words: {key!r} is not a value of this fact "
                                  f"({', '.join(sorted(keys))})", "answer_words", key,
                           kind="reference")
                continue
            result[value] = self._word_list(words, report, "answer_words", key)
        raw = {str(k).lower() if isinstance(k, bool) else str(k): k
               for k in (entry.data.get("answer_words") or {})}
        self._one_group_each(result, lambda message, value, index: self.issue(
            entry, message, "answer_words", raw[value], index, kind="duplicate-word"), "answers")
        return result

    def _add_detection(self, entry: _Entry, owner: str, detect: Mapping[str, Any],
                       detector: Detector, path: Sequence[Any]) -> None:
        for i, phrase in enumerate(detect.get("phrases") or []):
            source = PatternSource(owner, "phrase", phrase, entry.file,
                                   entry.line(*path, "phrases", i))
            try:
                detector.add_phrase(owner, phrase, source)
            except PatternError as exc:
                self.issue(entry, f"phrase {phrase!r}: {exc}", *path, "phrases", i,
                           kind="pattern")
        for i, near in enumerate(detect.get("near") or []):
            text = f"{' / '.join(near['topic'])} ~ {' / '.join(near['cue'])}"
            source = PatternSource(owner, "near", text, entry.file, entry.line(*path, "near", i))
            try:
                detector.add_near(owner, near["topic"], near["cue"], near.get("window", 8), source,
                                  near.get("sentences", 0), near.get("with"),
                                  near.get("order", "any"))
            except PatternError as exc:
                self.issue(entry, f"near pattern: {exc}", *path, "near", i, kind="pattern")
        if detect.get("unless"):
            source = PatternSource(owner, "unless", " / ".join(detect["unless"]), entry.file,
                                   entry.line(*path, "unless"))
            try:
                detector.add_unless(owner, detect["unless"], source)
            except PatternError as exc:
                self.issue(entry, f"unless: {exc}", *path, "unless", kind="pattern")
        for i, pattern in enumerate(detect.get("patterns") or []):
            source = PatternSource(owner, "pattern", json.dumps(pattern), entry.file,
                                   entry.line(*path, "patterns", i))
            try:
                probe = Detector(self.normaliser, self.grammar)
                probe.add_pattern(owner, pattern, source)
                probe.compile()
                detector.add_pattern(owner, pattern, source)
            except (PatternError, ValueError) as exc:
                self.issue(entry, f"token pattern: {exc}", *path, "patterns", i, kind="pattern")

    def _signals(self, entries: Sequence[_Entry], detector: Detector) -> Dict[str, Signal]:
        signals: Dict[str, Signal] = {}
        for entry in entries:
            d = entry.data
            signals[d["id"]] = Signal(d["id"], d["title"], d["status"], d["severity"],
                                      dict(d["source"]), d["why"],
                                      {k: list(v) for k, v in d["examples"].items()},
                                      entry.file, entry.line(),
                                      self._word_list(d.get("correction_words") or [],
                                                      self._entry_reporter(entry),
                                                      "correction_words"))
            if d["status"] in ACTIVE:
                self._add_detection(entry, f"signal:{d['id']}", d["detect"], detector, ["detect"])
        return signals

    def _fact_detection(self, entries: Sequence[_Entry], facts: Mapping[str, Fact],
                        detector: Detector) -> None:
        for entry in entries:
            fact = facts.get(entry.data["id"])
            if fact is None:
                continue
            for raw_value, detect in (entry.data.get("detect") or {}).items():
                try:
                    value = coerce_fact_value(fact.spec, raw_value)
                except ValueError as exc:
                    self.issue(entry, f"detect: {exc}", "detect", raw_value)
                    continue
                owner = f"fact:{fact.id}={json.dumps(value)}"
                self._add_detection(entry, owner, detect, detector, ["detect", raw_value])

    def _conditions(self, entries: Sequence[_Entry], vocab: Vocabulary
                    ) -> Dict[str, NamedCondition]:
        named: Dict[str, NamedCondition] = {}
        refs: Dict[str, Ref] = {}
        for entry in entries:
            ref = Ref(entry.data["id"], entry.data["title"])
            refs[entry.data["id"]] = ref
            named[entry.data["id"]] = NamedCondition(entry.data["id"], entry.data["title"], ref,
                                                     entry.file, entry.line())
        for entry in entries:
            try:
                refs[entry.data["id"]].target = compile_condition(entry.data["when"], vocab, refs,
                                                                  ["when"])
            except ConditionError as exc:
                self.issue(entry, str(exc), *exc.path, kind="reference")
        # cycles: a named condition that (through others) refers to itself
        cyclic = [entry for entry in entries if self._cycle(refs[entry.data["id"]], set())]
        for entry in cyclic:
            self.issue(entry, "named condition refers to itself (directly or through "
                              "others)", "when", kind="cycle")
        for entry in cyclic:
            refs[entry.data["id"]].target = None  # unusable: rules using it are not evaluated
        return named

    def _cycle(self, ref: Ref, stack: set) -> bool:
        if ref.name in stack:
            return True
        if ref.target is None:
            return False
        stack = stack | {ref.name}
        return any(isinstance(node, Ref) and self._cycle(node, stack) for node in walk(ref.target))

    def _drafts(self, entries: Sequence[_Entry], purposes: Mapping[str, Purpose]
                ) -> Dict[str, Draft]:
        drafts: Dict[str, Draft] = {}
        known_purposes = set(purposes) | set(self.broken.get("purposes", {})) | {OTHER_PURPOSE}
        for entry in entries:
            d = entry.data
            if d["purpose"] not in known_purposes:
                self.unknown_purpose = True
                self.issue(entry, f"unknown purpose {d['purpose']!r} (purposes: "
                                  f"{', '.join([*purposes, OTHER_PURPOSE])})", "purpose",
                           kind="reference")
            request_words = self._word_list(d.get("request_words") or [],
                                            self._entry_reporter(entry), "request_words")
            declared = {k: Placeholder(k, v["question"], v.get("default"))
                        for k, v in (d.get("placeholders") or {}).items()}
            try:
                used = {name for _, name, spec, conv in string.Formatter().parse(d["template"])
                        if name is not None}
            except ValueError as exc:
                self.issue(entry, f"template: {exc} (write a literal brace as {{{{ or }}}})",
                           "template")
                self.broken.setdefault("drafts", {})[d["id"]] = d
                continue
            for name in sorted(used - set(declared)):
                if not name.isidentifier():
                    self.issue(entry, f"template placeholder {{{name}}} is not a plain name",
                               "template")
                else:
                    self.issue(entry, f"template uses {{{name}}} but it is not declared under "
                                      "placeholders", "template", kind="reference")
            for name in sorted(set(declared) - used):
                self.issue(entry, f"placeholder {name!r} is declared but the template never "
                                  "uses it", "placeholders", name, kind="reference")
            drafts[d["id"]] = Draft(d["id"], d["title"], d["status"], d["purpose"],
                                    dict(d["source"]), declared, d["template"], entry.file,
                                    entry.line(), request_words)
        return drafts

    def _rules(self, entries: Sequence[_Entry], vocab: Vocabulary,
               conditions: Mapping[str, NamedCondition], drafts: Mapping[str, Draft]
               ) -> List[Rule]:
        refs = {k: c.ref for k, c in conditions.items()}
        rules: List[Rule] = []
        for entry in entries:
            d = entry.data
            try:
                node = compile_condition(d["when"], vocab, refs, ["when"])
            except ConditionError as exc:
                self.issue(entry, str(exc), *exc.path, kind="reference")
                continue
            if d["status"] in ACTIVE and _resolved(node) and satisfiable(node, vocab) is False:
                self.issue(entry, "this rule can never fire: no combination of facts and "
                                  "signals makes its condition true", "when", kind="unreachable")
            draft = d.get("draft")
            if draft is not None and draft not in drafts and \
                    draft not in self.broken.get("drafts", {}):
                self.issue(entry, f"unknown draft {draft!r} (drafts: "
                                  f"{', '.join(sorted(drafts)) or 'none'})", "draft",
                           kind="reference")
            if not d["examples"].get("no_trigger") and not isinstance(node, Always):
                self.issue(entry, "examples need at least one no_trigger case (a near miss "
                                  "that must not fire the rule)", "examples", kind="schema")
            self._check_examples(entry, vocab)
            rules.append(Rule(d["id"], d["title"], d["status"], d["priority"], d["topic"],
                              dict(d["source"]), node, d["advice"].strip(), d["why"].strip(),
                              list(d["next_steps"]), list(d.get("questions_to_ask") or []),
                              draft, {k: list(v) for k, v in d["examples"].items()},
                              entry.file, entry.line()))
        rules.sort(key=lambda r: (-r.priority, r.id))
        return rules

    def _questions(self, entries: Sequence[_Entry], vocab: Vocabulary,
                   conditions: Mapping[str, NamedCondition], detector: Detector
                   ) -> Dict[str, DirectQuestion]:
        refs = {k: c.ref for k, c in conditions.items()}
        questions: Dict[str, DirectQuestion] = {}
        for index, entry in enumerate(entries):
            d = entry.data
            node: Optional[Node] = None
            if d.get("when") is not None:
                try:
                    node = compile_condition(d["when"], vocab, refs, ["when"])
                except ConditionError as exc:
                    self.issue(entry, str(exc), *exc.path, kind="reference")
                    continue
                if d["status"] in ACTIVE and _resolved(node) and \
                        satisfiable(node, vocab) is False:
                    self.issue(entry, "this answer can never be given: no combination of facts "
                                      "and signals makes its condition true", "when",
                               kind="unreachable")
            for kind in ("match", "no_match"):
                for i, example in enumerate(d["examples"].get(kind) or []):
                    if not isinstance(example, dict):
                        continue
                    for fact_id, value in (example.get("facts") or {}).items():
                        spec = vocab.facts.get(fact_id)
                        if spec is None:
                            self.issue(entry, f"example uses unknown fact {fact_id!r}",
                                       "examples", kind, i, "facts", fact_id, kind="reference")
                            continue
                        try:
                            coerce_fact_value(spec, value)
                        except ValueError:
                            self.issue(entry, f"example gives fact {fact_id!r} the invalid "
                                              f"value {value!r}", "examples", kind, i, "facts",
                                       fact_id, kind="reference")
            if d["status"] in ACTIVE:
                self._add_detection(entry, f"question:{d['id']}", d["detect"], detector,
                                    ["detect"])
            questions[d["id"]] = DirectQuestion(
                d["id"], d["title"], d["status"], dict(d["source"]),
                " ".join(d["answer"].split()), node,
                {k: list(v) for k, v in d["examples"].items()}, entry.file, entry.line(), index,
                d.get("asked_as"),
                " ".join(d["answer_other_way"].split()) if d.get("answer_other_way") else None)
        return questions

    def _check_examples(self, entry: _Entry, vocab: Vocabulary) -> None:
        for kind, examples in entry.data["examples"].items():
            for i, example in enumerate(examples):
                for fact_id, value in (example.get("facts") or {}).items():
                    spec = vocab.facts.get(fact_id)
                    if spec is None:
                        self.issue(entry, f"example uses unknown fact {fact_id!r}", "examples",
                                   kind, i, "facts", fact_id, kind="reference")
                        continue
                    ok = isinstance(value, bool) if spec.type == "boolean" else \
                        value in spec.values
                    if not ok:
                        self.issue(entry, f"example gives fact {fact_id!r} the invalid value "
                                          f"{value!r}", "examples", kind, i, "facts", fact_id,
                                   kind="reference")
                for j, signal_id in enumerate(example.get("signals") or []):
                    if signal_id not in vocab.signals:
                        self.issue(entry, f"example uses unknown signal {signal_id!r}",
                                   "examples", kind, i, "signals", j, kind="reference")


def _resolved(node: Node, seen: Optional[set] = None) -> bool:
    """Every named condition the tree reaches compiled (and none is part of a cycle)."""
    seen = set() if seen is None else seen
    for part in walk(node):
        if isinstance(part, Ref):
            if part.target is None:
                return False
            if part.name not in seen:
                seen.add(part.name)
                if not _resolved(part.target, seen):
                    return False
    return True


def _with_entry_ids(doc: Any, issues: List[RuleIssue]) -> List[RuleIssue]:
    """Give YAML-level issues (duplicate keys) the id of the entry they stand in."""
    if not isinstance(doc, dict):
        return issues
    key_lines = sorted(getattr(doc, "key_lines", {}).values())
    result = []
    for issue in issues:
        rule_id = issue.rule_id
        if rule_id is None and issue.line is not None:
            for section in SECTIONS:
                items = doc.get(section)
                if not isinstance(items, list) or not hasattr(items, "item_lines"):
                    continue
                section_line = getattr(doc, "key_lines", {}).get(section, 0)
                section_end = min((k for k in key_lines if k > section_line), default=None)
                if issue.line <= section_line or (section_end and issue.line >= section_end):
                    continue  # not inside this section's entries
                for item, line in zip(items, items.item_lines):
                    if line > issue.line:
                        break
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        rule_id = item["id"]
        result.append(RuleIssue(issue.file, issue.line, issue.message, rule_id, issue.kind))
    return result


def check_rulebase(root: Optional[Path] = None, normaliser: Optional[Normaliser] = None
                   ) -> Tuple[Optional[RuleBase], List[RuleIssue]]:
    """Load and compile; return the rule base (None when broken) and every issue found."""
    root = Path(root) if root is not None else default_rules_dir()
    if not root.is_dir():
        return None, [RuleIssue(str(root), None, "rule base folder not found", kind="missing")]
    loader = _Loader(root, normaliser)
    rulebase = loader.build()
    return rulebase, loader.issues



def load_rulebase(root: Optional[Path] = None, normaliser: Optional[Normaliser] = None
                  ) -> RuleBase:
    """Load and compile the rule base or raise :class:`RuleBaseError` listing every issue."""
    rulebase, issues = check_rulebase(root, normaliser)
    if rulebase is None:
        raise RuleBaseError(issues)
    return rulebase


def iter_ids(rulebase: RuleBase) -> Iterable[str]:
    yield from rulebase.facts
    yield from rulebase.signals
    yield from rulebase.conditions
    yield from (r.id for r in rulebase.rules)
    yield from rulebase.drafts
    yield from rulebase.questions
