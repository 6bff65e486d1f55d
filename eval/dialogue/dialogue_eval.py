"""The multi-turn dialogue evaluation: its file format, validation, coverage and checking.

Plain Python and PyYAML only (no Rasa), so that the format and the checks are unit-tested in
seconds; ``run_eval.py`` talks to the real servers and uses this module to judge the replies.
The format is documented in ``eval/dialogue/README.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[2]

#: the categories a conversation may belong to (what it mainly tests)
CATEGORIES: Dict[str, str] = {
    "red_flags": "describing an interview: the right red flags named, the person's words quoted",
    "dilemmas": "keep interviewing, back out, an offer, a rejection: the right advice",
    "statements_midway": "interest, certainty, stage, internal/external, current job stated "
                         "after the first message",
    "corrections_denial": "\"they weren't vague\": the flag is taken back",
    "corrections_explanation": "\"that was my fault\", \"a misunderstanding\": the flag is "
                               "taken back",
    "retraction": "a fact taken back or changed (\"actually it's internal\")",
    "details_with_request": "company, person, role or a fact given in the same message as a "
                            "request",
    "direct_questions": "\"is it dishonest ...?\": a direct answer first",
    "drafts": "every draft of rules/drafts.yml, with the right title",
    "why_summary": "\"why?\" and \"summary\" after advice",
    "smalltalk_meta": "greetings, thanks, help, bot challenge, out of scope, feedback, restart",
    "several_opportunities": "two companies, an internal and an external role, the current job "
                             "(issue 12)",
}

#: the kinds of correction that must each be covered
CORRECTION_KINDS = ("denial", "explanation", "retraction")

#: keys a turn may have
TURN_KEYS = {"user", "intent", "must_contain", "must_not_contain", "answer_first", "flags",
             "not_flags", "facts", "not_facts", "advice", "advice_any", "not_advice", "draft",
             "not_fallback", "correction", "note"}
CONVERSATION_KEYS = {"id", "category", "description", "turns"}
MIN_TURNS, MAX_TURNS = 2, 8

#: how the bot says it did not understand (the fallback); case-insensitive substrings
FALLBACK_MARKERS = ("sorry, i'm not sure i understood", "could you put it another way",
                    "i'm still not sure what you mean", "sorry, i didn't quite get that",
                    "sorry, i didn't catch your answer")

#: a line that names a red flag only to say it was withdrawn
_WITHDRAWN_LINE = re.compile(r"taken back|take back|took back|withdr[ae]w|removed|no longer|"
                             r"dropp|struck|scratch", re.I)

#: how many characters at the start of a reply count as "first" for ``answer_first``
ANSWER_FIRST_CHARS = 300

#: turns shorter than this many words may repeat across sets ("why?", "summary", "yes")
LEAK_MIN_WORDS = 4


class FormatError(ValueError):
    """The evaluation file breaks the documented format; the message lists every problem."""


# --------------------------------------------------------------------------------------------
# the rule base and the domain, read as plain YAML
# --------------------------------------------------------------------------------------------

@dataclass
class Vocabulary:
    """What expectations may refer to: intents, signals, drafts, advice rules, facts."""

    intents: List[str]
    signals: Dict[str, str]             # id -> title
    drafts: Dict[str, str]              # id -> title
    advice: Dict[str, Tuple[str, str]]  # rule id -> (title, topic)
    facts: Dict[str, List[Any]]         # fact id -> allowed values (bool facts: [True, False])

    @property
    def topics(self) -> List[str]:
        return sorted({topic for _, topic in self.advice.values()})


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_vocabulary(root: Path = ROOT) -> Vocabulary:
    domain = _load(root / "domain.yml")
    intents = [i if isinstance(i, str) else next(iter(i)) for i in domain.get("intents", [])]
    signals = {s["id"]: s["title"] for s in _load(root / "rules/signals.yml")["signals"]}
    drafts = {d["id"]: d["title"] for d in _load(root / "rules/drafts.yml")["drafts"]}
    advice: Dict[str, Tuple[str, str]] = {}
    for path in sorted((root / "rules/advice").glob("*.yml")):
        for rule in _load(path).get("rules") or []:
            advice[rule["id"]] = (rule["title"], rule.get("topic", path.stem))
    facts: Dict[str, List[Any]] = {}
    for fact in _load(root / "rules/facts.yml")["facts"]:
        values = fact.get("values")
        facts[fact["id"]] = list(values) if values else [True, False]
    return Vocabulary(intents, signals, drafts, advice, facts)


# --------------------------------------------------------------------------------------------
# the evaluation set
# --------------------------------------------------------------------------------------------

@dataclass
class Turn:
    user: str
    spec: Dict[str, Any]

    @property
    def intent(self) -> Optional[str]:
        value = self.spec.get("intent")
        return value if isinstance(value, str) else None


@dataclass
class Conversation:
    id: str
    category: str
    turns: List[Turn]
    description: str = ""
    source: str = ""            # the file it came from ("tuning" / "heldout")


def _as_list(value: Any) -> List[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def set_files(path: Path) -> List[Path]:
    """The files of one part: the file itself, or every ``*.yml`` of a folder (one per category)."""
    return sorted(path.glob("*.yml")) if path.is_dir() else [path]


def load_conversations(path: Path, vocab: Optional[Vocabulary] = None,
                       source: Optional[str] = None) -> List[Conversation]:
    """Read and validate one part of the set - a file, or a folder with a file per category
    (``tuning/drafts.yml`` holds only drafts) - and raise FormatError listing every problem of
    every file; ids are unique over the whole part."""
    out: List[Conversation] = []
    problems: List[str] = []
    for file in set_files(path):
        try:
            convs = _load_file(file, vocab, source or path.stem)
        except FormatError as exc:
            problems.append(str(exc))
            continue
        if path.is_dir():
            problems += [f"{file.name} {c.id}: category {c.category!r} belongs in {c.category}.yml"
                         for c in convs if c.category != file.stem]
        out += convs
    seen: Set[str] = set()
    for conv in out:
        if conv.id in seen:
            problems.append(f"{path.name}: duplicate id {conv.id!r}")
        seen.add(conv.id)
    if problems:
        raise FormatError("\n".join(problems))
    return out


def user_turns(path: Path) -> List[str]:
    """Every user message of a part, in file and conversation order (for benchmarks and soak
    tests that replay the whole set as one long conversation)."""
    return [turn["user"] for file in set_files(path)
            for conv in _load(file)["conversations"] for turn in conv["turns"]]


def _load_file(path: Path, vocab: Optional[Vocabulary], name: str) -> List[Conversation]:
    doc = _load(path)
    problems: List[str] = []
    if not isinstance(doc, dict) or not isinstance(doc.get("conversations"), list):
        raise FormatError(f"{path}: expected a mapping with a `conversations:` list")
    out: List[Conversation] = []
    for n, raw in enumerate(doc["conversations"], 1):
        where = f"{path.name} conversation #{n}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: not a mapping")
            continue
        where = f"{path.name} {raw.get('id', f'#{n}')}"
        unknown = set(raw) - CONVERSATION_KEYS
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        turns = []
        for t, rt in enumerate(raw.get("turns") or [], 1):
            if not isinstance(rt, dict) or not isinstance(rt.get("user"), str) \
                    or not rt["user"].strip():
                problems.append(f"{where} turn {t}: needs a non-empty `user:` text")
                continue
            turns.append(Turn(rt["user"], {k: v for k, v in rt.items() if k != "user"}))
        conv = Conversation(str(raw.get("id", "")), str(raw.get("category", "")), turns,
                            str(raw.get("description", "")), name)
        problems += validate_conversation(conv, vocab, where, raw_turns=raw.get("turns"))
        out.append(conv)
    if problems:
        raise FormatError("\n".join(problems))
    return out


def _patterns_ok(values: Iterable[Any]) -> List[str]:
    bad = []
    for v in values:
        if not isinstance(v, str) or not v:
            bad.append(f"{v!r} is not a non-empty string")
        elif is_regex(v):
            try:
                re.compile(v[1:-1])
            except re.error as exc:
                bad.append(f"{v!r}: {exc}")
    return bad


def validate_conversation(conv: Conversation, vocab: Optional[Vocabulary], where: str,
                          raw_turns: Any = None) -> List[str]:
    problems: List[str] = []
    if not re.fullmatch(r"[a-z0-9_]+", conv.id or ""):
        problems.append(f"{where}: id must be snake_case, got {conv.id!r}")
    if conv.category not in CATEGORIES:
        problems.append(f"{where}: unknown category {conv.category!r}")
    count = len(raw_turns) if isinstance(raw_turns, list) else len(conv.turns)
    if not MIN_TURNS <= count <= MAX_TURNS:
        problems.append(f"{where}: {count} turns, expected {MIN_TURNS} to {MAX_TURNS}")
    for t, turn in enumerate(conv.turns, 1):
        at = f"{where} turn {t}"
        spec = turn.spec
        unknown = set(spec) - TURN_KEYS
        if unknown:
            problems.append(f"{at}: unknown keys {sorted(unknown)}")
        for key in ("must_contain", "must_not_contain", "answer_first"):
            problems += [f"{at} {key}: {b}" for b in _patterns_ok(_as_list(spec.get(key)))]
        if "not_fallback" in spec and not isinstance(spec["not_fallback"], bool):
            problems.append(f"{at}: not_fallback must be true or false")
        corr = spec.get("correction")
        if corr is not None and corr not in CORRECTION_KINDS:
            problems.append(f"{at}: correction must be one of {CORRECTION_KINDS}, got {corr!r}")
        if not expectation_keys(spec) and "intent" not in spec:
            problems.append(f"{at}: no expectation and no intent")
        if vocab is None:
            continue
        if turn.intent is not None and turn.intent not in vocab.intents:
            problems.append(f"{at}: unknown intent {turn.intent!r}")
        for key in ("flags", "not_flags"):
            for sid in _as_list(spec.get(key)):
                if sid not in vocab.signals:
                    problems.append(f"{at} {key}: unknown signal {sid!r}")
        for key in ("advice", "advice_any", "not_advice"):
            for rid in _as_list(spec.get(key)):
                if rid not in vocab.advice:
                    problems.append(f"{at} {key}: unknown advice rule {rid!r}")
        if "draft" in spec and spec["draft"] not in vocab.drafts:
            problems.append(f"{at}: unknown draft {spec['draft']!r}")
        for key in ("facts", "not_facts"):
            facts = spec.get(key) or {}
            if not isinstance(facts, dict):
                problems.append(f"{at} {key}: must be a mapping fact: value")
                continue
            for fid, value in facts.items():
                if fid not in vocab.facts:
                    problems.append(f"{at} {key}: unknown fact {fid!r}")
                elif value not in vocab.facts[fid]:
                    problems.append(f"{at} {key}: {fid} cannot be {value!r} "
                                    f"(one of {vocab.facts[fid]})")
    return problems


def expectation_keys(spec: Mapping[str, Any]) -> List[str]:
    return [k for k in spec if k not in ("intent", "correction", "note")
            and not (k == "not_fallback" and spec[k] is False)]


# --------------------------------------------------------------------------------------------
# checking one reply
# --------------------------------------------------------------------------------------------

def is_regex(pattern: str) -> bool:
    return len(pattern) >= 2 and pattern.startswith("/") and pattern.endswith("/")


def _norm(text: str) -> str:
    """Lower case, curly quotes and dashes made plain, whitespace collapsed."""
    text = re.sub(r"[\u2018\u2019\u201b]", "'", text)
    text = re.sub(r"[\u201c\u201d]", '"', text)
    text = re.sub(r"[\u2013\u2014]", "-", text)
    return " ".join(text.lower().split())


def matches(pattern: str, text: str) -> bool:
    """``/regex/`` (case-insensitive, searched) or a case-insensitive substring."""
    if is_regex(pattern):
        return re.search(pattern[1:-1], text, re.I | re.M) is not None
    return _norm(pattern) in _norm(text)


def is_fallback(text: str) -> bool:
    """True when the reply is the bot saying it did not understand."""
    low = _norm(text)
    return any(marker in low for marker in FALLBACK_MARKERS)


def names_flag(title: str, text: str) -> bool:
    """The reply names the red flag as present: its title on a line that does not withdraw it."""
    for line in text.splitlines():
        if matches(title, line) and not _WITHDRAWN_LINE.search(line):
            return True
    return False


_LIST_ITEM = re.compile(r"^\s*\d+[.)]\s", re.M)


def answer_head(reply: str) -> str:
    """Where a direct answer must stand: the first ANSWER_FIRST_CHARS characters, and before
    the first numbered item (the advice list) - an answer buried in the advice is not first."""
    head = reply[:ANSWER_FIRST_CHARS]
    item = _LIST_ITEM.search(head)
    return head[:item.start()] if item else head


@dataclass
class Check:
    kind: str          # the expectation's key
    expected: str      # what was expected, readable
    ok: bool
    detail: str = ""   # why it failed


@dataclass
class TurnResult:
    conversation: str
    category: str
    source: str
    turn: int
    user: str
    reply: str
    checks: List[Check] = field(default_factory=list)
    fallback: bool = False
    intent_expected: Optional[str] = None
    intent_predicted: Optional[str] = None


def check_reply(spec: Mapping[str, Any], reply: str, vocab: Vocabulary,
                state: Optional[Mapping[str, Any]] = None) -> List[Check]:
    """Judge one reply (its plain text) against a turn's expectations.

    ``state`` is the conversation state after the turn - ``{"facts": {id: {"value": ...}},
    "flags": {id: [...]}, "withdrawn_flags": [ids]}`` as the bot's tracker keeps it - or None
    when it is not available (then ``facts`` / ``not_facts`` expectations fail, saying so).
    """
    checks: List[Check] = []
    for pattern in _as_list(spec.get("must_contain")):
        checks.append(Check("must_contain", pattern, matches(pattern, reply)))
    for pattern in _as_list(spec.get("must_not_contain")):
        checks.append(Check("must_not_contain", pattern, not matches(pattern, reply)))
    head = answer_head(reply)
    for pattern in _as_list(spec.get("answer_first")):
        checks.append(Check("answer_first", pattern, matches(pattern, head),
                            "" if matches(pattern, head) else
                            ("found later in the reply" if matches(pattern, reply)
                             else "not in the reply")))
    for sid in _as_list(spec.get("flags")):
        title = vocab.signals[sid]
        checks.append(Check("flags", f"{sid} ({title})", names_flag(title, reply)))
    for sid in _as_list(spec.get("not_flags")):
        title = vocab.signals[sid]
        ok = not names_flag(title, reply)
        detail = "" if ok else "named in the reply"
        if ok and state is not None:
            active = set(state.get("flags") or {}) - set(state.get("withdrawn_flags") or [])
            if sid in active:
                ok, detail = False, "still active in the conversation state"
        checks.append(Check("not_flags", f"{sid} ({title})", ok, detail))
    for rid in _as_list(spec.get("advice")):
        title = vocab.advice[rid][0]
        checks.append(Check("advice", f"{rid} ({title})", matches(title, reply)))
    any_of = _as_list(spec.get("advice_any"))
    if any_of:
        ok = any(matches(vocab.advice[r][0], reply) for r in any_of)
        checks.append(Check("advice_any", " | ".join(any_of), ok))
    for rid in _as_list(spec.get("not_advice")):
        title = vocab.advice[rid][0]
        checks.append(Check("not_advice", f"{rid} ({title})", not matches(title, reply)))
    if "draft" in spec:
        title = vocab.drafts[spec["draft"]]
        checks.append(Check("draft", f"{spec['draft']} ({title})", matches(title, reply)))
    for key, want in (("facts", True), ("not_facts", False)):
        for fid, value in (spec.get(key) or {}).items():
            expected = f"{fid} = {value!r}" if want else f"{fid} != {value!r}"
            if state is None:
                checks.append(Check(key, expected, False, "no conversation state available"))
                continue
            entry = (state.get("facts") or {}).get(fid)
            got = entry.get("value") if isinstance(entry, dict) else None
            ok = (got == value) if want else (got != value)
            checks.append(Check(key, expected, ok, "" if ok else f"the bot has {got!r}"))
    if spec.get("not_fallback"):
        checks.append(Check("not_fallback", "not the fallback", not is_fallback(reply)))
    return checks


# --------------------------------------------------------------------------------------------
# coverage and leakage
# --------------------------------------------------------------------------------------------

@dataclass
class Coverage:
    intents: Set[str]
    drafts: Set[str]
    topics: Set[str]
    corrections: Set[str]
    categories: Dict[str, int]
    several_opportunities: int

    def missing(self, vocab: Vocabulary) -> Dict[str, List[str]]:
        return {"intents": sorted(set(vocab.intents) - self.intents),
                "drafts": sorted(set(vocab.drafts) - self.drafts),
                "topics": sorted(set(vocab.topics) - self.topics),
                "corrections": sorted(set(CORRECTION_KINDS) - self.corrections)}


def coverage(conversations: Sequence[Conversation], vocab: Vocabulary) -> Coverage:
    """What the set covers: intents (as annotated), drafts expected, topics of the advice
    expected, correction kinds, conversations per category."""
    intents: Set[str] = set()
    drafts: Set[str] = set()
    topics: Set[str] = set()
    corrections: Set[str] = set()
    categories: Dict[str, int] = {}
    for conv in conversations:
        categories[conv.category] = categories.get(conv.category, 0) + 1
        for turn in conv.turns:
            if turn.intent:
                intents.add(turn.intent)
            if "draft" in turn.spec:
                drafts.add(turn.spec["draft"])
            for key in ("advice", "advice_any"):
                for rid in _as_list(turn.spec.get(key)):
                    if rid in vocab.advice:
                        topics.add(vocab.advice[rid][1])
            if turn.spec.get("correction"):
                corrections.add(turn.spec["correction"])
    return Coverage(intents, drafts, topics, corrections, categories,
                    categories.get("several_opportunities", 0))


def normalise_turn(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split())


def nlu_examples(folder: Path) -> Set[str]:
    """Every training example of data/nlu (annotations removed), normalised."""
    annotation = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")
    seen: Set[str] = set()
    for path in sorted(folder.rglob("*.yml")):
        doc = _load(path)
        for block in (doc or {}).get("nlu") or []:
            examples = block.get("examples") if isinstance(block, dict) else None
            if not isinstance(examples, str):
                continue
            for line in examples.splitlines():
                if line.strip().startswith("- "):
                    seen.add(normalise_turn(annotation.sub(r"\1", line.strip()[2:])))
    return seen


def shared_turns(conversations: Sequence[Conversation], others: Set[str]) -> List[Tuple[str, str]]:
    """(conversation id, text) of every turn of LEAK_MIN_WORDS words or more found in
    ``others`` (normalised texts)."""
    found = []
    for conv in conversations:
        for turn in conv.turns:
            norm = normalise_turn(turn.user)
            if len(norm.split()) >= LEAK_MIN_WORDS and norm in others:
                found.append((conv.id, turn.user))
    return found


def turn_texts(conversations: Sequence[Conversation]) -> Set[str]:
    return {normalise_turn(t.user) for c in conversations for t in c.turns}


def shorten(text: str, limit: int = 220) -> str:
    flat = " / ".join(line.strip() for line in text.splitlines() if line.strip())
    return flat if len(flat) <= limit else flat[:limit - 3] + "..."


def load_runner() -> Any:
    """eval/dialogue/run_eval.py as the module ``dialogue_run_eval`` - a plain ``import
    run_eval`` may find eval/nlu/run_eval.py, which another test imported first."""
    import importlib.util
    import sys

    name = "dialogue_run_eval"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("run_eval.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
