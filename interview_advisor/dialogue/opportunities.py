"""Several opportunities in one conversation: which company or role a message is about.

The conversation state keeps one *view* (``State.facts``, ``flags``, ``withdrawn``,
``last_advice``): the facts about the person and their current job, and the facts and red flags
of the *active* opportunity. The other opportunities are stored in ``State.opportunities``;
:func:`switch` stashes the view's opportunity facts into the active record and loads another.
With one opportunity nothing is ever stashed, so such a conversation behaves as before.

Which facts are shared is the rule base's ``scope`` of each fact (person, current_job,
opportunity); the words that name an opportunity are word lists in rules/opportunities.yml.
This module imports neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

from interview_advisor import Advisor
from interview_advisor.nlp import lemma_table

from .state import CURRENT_JOB, State, UserMessage, fact_entry
from .text import normalise, word_count

SAID_KEPT = 12          # the person's words kept per opportunity (quoted in a comparison)
RESOLVE_WORDS = 6       # a reply this short that names an opportunity answers "which one?"
_CLAUSE_END = re.compile(r"[.;:!?\n]+|,\s")
_CAPITALISED = re.compile(  # "Globex", "Massive Dynamic", "Alder & Finch"
    r"[A-Z][A-Za-z0-9&'-]*(?:(?:\s+&\s+|\s+)[A-Z][A-Za-z0-9&'-]*){0,2}")
_POSSESSIVE = re.compile(r"['’]s$")
#: what may stand between a company's name and a kind of employer that is the same one
_APPOSITION = re.compile(r"^[\s,(\-]*(?:(?:[a-z]+\s+){0,2}(?:called|named)\s*)?[\s,()\-]*$",
                         re.IGNORECASE)
ARTICLES = frozenset({"a", "an"})   # "a UX role": an article before an acronym


@dataclass
class Mention:
    """Words that name an opportunity: ``key`` is the id of a known one, or None for a new one
    called ``name``; ``kind`` is company, employer (a startup), internal, current or other."""

    name: str
    kind: str
    start: int
    end: int
    key: Optional[str] = None
    #: a kind of employer said beside the name ("Calder Mutual (the bank)", "a startup called
    #: Vesper"): later "the bank" means this company
    aliases: Tuple[str, ...] = ()


# -------------------------------------------------------------------------------------------
# words
# -------------------------------------------------------------------------------------------

@lru_cache(maxsize=16384)
def _phrase_pattern(phrase: str) -> Optional[re.Pattern[str]]:
    """The compiled pattern of a phrase, kept: a long conversation checks thousands of
    phrases, more than ``re``'s own cache of 512 patterns holds, and compiling them again on
    every check made a comparison of many opportunities take seconds."""
    words = normalise(phrase).split()
    if not words:
        return None
    body = r"[\W_]+".join("'?".join(re.escape(c) for c in word) for word in words)
    return re.compile(r"(?<![A-Za-z0-9])" + body + r"(?![A-Za-z0-9])", re.IGNORECASE)


def phrase_spans(text: str, phrase: str) -> List[Tuple[int, int]]:
    """Where ``phrase`` occurs in ``text`` as whole words (case and apostrophes ignored)."""
    pattern = _phrase_pattern(phrase)
    if pattern is None:
        return []
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def first_span(text: str, phrases: Sequence[str]) -> Optional[Tuple[int, int]]:
    spans = [s for p in phrases for s in phrase_spans(text, p)]
    return min(spans) if spans else None


def scope_of(advisor: Advisor, fact_id: str) -> str:
    fact = advisor.rulebase.facts.get(fact_id)
    return fact.scope if fact is not None else "opportunity"


# -------------------------------------------------------------------------------------------
# the records
# -------------------------------------------------------------------------------------------

def record(state: State, key: Optional[str]) -> Optional[Dict[str, Any]]:
    for entry in state.opportunities:
        if entry.get("id") == key:
            return entry
    return None


def label_of(entry: Mapping[str, Any]) -> str:
    """How a reply names an opportunity ("Globex", "the startup", "your current job")."""
    name = str(entry.get("name") or "")
    kind = entry.get("kind")
    if kind == "current":
        return "your current job"
    if kind in ("employer", "internal"):
        return f"the {name}"
    return name or "this role"


def others(state: State) -> List[Dict[str, Any]]:
    """The opportunities other than the current job, in the order they came up."""
    return [e for e in state.opportunities if e.get("kind") != "current"]


def compared(state: State) -> List[Dict[str, Any]]:
    """The opportunities a comparison or a summary of all covers: every role, then the
    current job when it is one."""
    current = record(state, CURRENT_JOB)
    return others(state) + ([current] if current is not None else [])


def is_multi(state: State) -> bool:
    """Two roles or more: replies say which one they are about. (The current job is compared
    with them, but a role and the current job alone are the conversation as it always was.)"""
    return len(others(state)) >= 2


def _new_record(state: State, name: str, kind: str) -> Dict[str, Any]:
    if kind == "current":
        key = CURRENT_JOB
    else:
        key = f"o{1 + sum(1 for e in state.opportunities if e.get('id') != CURRENT_JOB)}"
    entry: Dict[str, Any] = {"id": key, "name": name, "kind": kind, "facts": {}, "flags": {},
                             "withdrawn": [], "last_advice": [], "said": []}
    state.opportunities.append(entry)
    return entry


def stash(advisor: Advisor, state: State) -> None:
    """Copy the view's opportunity facts, red flags and advice into the active record."""
    entry = record(state, state.active)
    if entry is None:
        return
    entry["facts"] = {k: copy.deepcopy(v) for k, v in state.facts.items()
                      if scope_of(advisor, k) == "opportunity"}
    entry["flags"] = copy.deepcopy(state.flags)
    entry["withdrawn"] = list(state.withdrawn)
    entry["last_advice"] = list(state.last_advice)


def load(advisor: Advisor, state: State, key: str) -> None:
    """Make ``key`` the active opportunity: its facts and flags replace the view's."""
    entry = record(state, key)
    if entry is None:
        return
    state.facts = {k: v for k, v in state.facts.items() if scope_of(advisor, k) != "opportunity"}
    state.facts.update(copy.deepcopy(entry.get("facts") or {}))
    state.flags = copy.deepcopy(entry.get("flags") or {})
    state.withdrawn = list(entry.get("withdrawn") or [])
    state.last_advice = list(entry.get("last_advice") or [])
    state.active = key


def switch(advisor: Advisor, state: State, key: str) -> bool:
    """Stash the active opportunity and load ``key``; True when the active one changed."""
    if key == state.active:
        return False
    stash(advisor, state)
    load(advisor, state, key)
    return True


def view_of(advisor: Advisor, state: State, key: str) -> State:
    """A copy of the state with ``key`` active (to assess or summarise another opportunity).

    The view is for reading: its own fields are copies, and so is each record (``stash`` and
    ``load`` replace a record's fields, never change them in place), but the records share
    their contents with ``state`` - copying every record's words for each of many
    opportunities made a comparison grow with the square of their number."""
    view = copy.deepcopy(replace(state, opportunities=[]))
    view.opportunities = [dict(entry) for entry in state.opportunities]
    stash(advisor, view)
    load(advisor, view, key)
    return view


# -------------------------------------------------------------------------------------------
# mentions
# -------------------------------------------------------------------------------------------

def _find_named(state: State, name: str) -> Optional[str]:
    key = normalise(name)
    for entry in state.opportunities:
        if entry.get("kind") in ("company", "employer") and normalise(entry["name"]) == key:
            return str(entry["id"])
    return None


def _company_names(advisor: Advisor, text: str, entities: Sequence[Mapping[str, Any]]
                   ) -> List[Tuple[str, int, int]]:
    words = advisor.rulebase.words
    context = _name_context(words)
    found: List[Tuple[str, int, int]] = []
    stop, cues, follow = context.not_company, context.company_cues, context.follow
    skip, suffixes = context.skip, context.suffixes
    kinds = [normalise(w).strip() for w in words.employer_kinds]
    for entity in entities:
        if entity.get("entity") == "company" and isinstance(entity.get("start"), int):
            start, end = int(entity["start"]), int(entity.get("end") or 0)
            if not 0 <= start < end <= len(text):
                continue
            parts = text[start:end].split()    # NLU's "At Wayne": the name is "Wayne"
            while parts and normalise(parts[0]).strip() in stop | cues:
                parts.pop(0)
            while parts and normalise(parts[-1]).strip() in stop.union(follow):
                parts.pop()
            if parts:
                name = " ".join(parts)
                begin = text.index(name, start)
                found.append((name, begin, begin + len(name)))
    people = [(int(e["start"]), int(e.get("end") or 0)) for e in entities
              if e.get("entity") == "person_name" and isinstance(e.get("start"), int)]
    contacts = tuple(normalise(w).strip() for w in words.contact_roles)
    for match in _CAPITALISED.finditer(text):
        parts = match.group(0).split()
        if parts:
            parts[-1] = _POSSESSIVE.sub("", parts[-1])   # "Quillon's recruiter"
        # what only a firm is called or said to be overrules NLU's "person": "the recruiter
        # from Pellam", "Harlow & Teague", "Sable Analytics", "Trellis (final round next week)"
        spoken_for = _after_contact(text[:match.start()], contacts) or \
            (len(parts) == 3 and parts[1] == "&") or \
            (len(parts) > 1 and normalise(parts[-1]).strip() in suffixes) or \
            _described(text[match.end():], follow, contacts)
        if not spoken_for and any(a < match.end() and match.start() < b for a, b in people):
            continue        # NLU says it is a person ("write to Sam")
        while parts and normalise(parts[-1]).strip() in stop.union(follow):
            parts.pop()          # "Globex Monday", "Hooli one"
        cued = False
        while parts and normalise(parts[0]).strip() in stop | cues:
            cued = normalise(parts.pop(0)).strip() in cues    # "At Acme"
        if not parts:
            continue
        name = " ".join(parts)
        start = text.index(name, match.start())
        before = normalise(text[max(0, start - 20):start]).split()
        if before and before[-1] in ARTICLES and name.isupper() and len(name) <= 4:
            continue    # "for a UX role", "an IT job": the field ("a Hooli offer" is a company)
        cued = cued or spoken_for or (bool(before) and before[-1] in cues) or \
            _looks_like_a_firm(parts)
        rest = text[start + len(name):]
        followed = _follows(rest, follow, skip) or _kind_follows(rest, kinds) or \
            _described(rest, follow, contacts)
        if (cued or followed) and len(name) > 1:
            found.append((name, start, start + len(name)))
    taken = [(a, b) for _, a, b in found]
    return found + [n for n in _lowercase_names(advisor, text)
                    if not any(a < n[2] and n[1] < b for a, b in taken)]


def _after_contact(before: str, contacts: Sequence[str]) -> bool:
    """Does the text end with someone who speaks for an employer and "from" or "at" ("the
    recruiter from ", "a hiring manager at ")? The name that follows is the employer."""
    words = normalise(before[-40:]).split()
    if len(words) < 2 or words[-1] not in ("from", "at"):
        return False
    head = " ".join(words[:-1])
    return any(head == c or head.endswith(" " + c) for c in contacts)


def _follows(rest: str, follow: Sequence[str], skip: FrozenSet[str]) -> bool:
    """Does a word that makes a name a company come right after it, past a possessive and a
    word such as "still" ("Acme's offer", "Mossgiel still wants me", "Glasswing didnt work
    out")?"""
    words = normalise(re.sub(r"^['\u2019]s\b", "", rest[:40])).split()
    while words and words[0] in skip:
        words.pop(0)
    said = " ".join(words) + " "
    return any(said.startswith(phrase + " ") for phrase in follow)


def _described(rest: str, follow: Sequence[str], contacts: Sequence[str]) -> bool:
    """A name followed by a note on where the process stands, in brackets ("Trellis (waiting
    on feedback from the final round)", "Arbor Health (offer, 54k)") - not by who the person
    is ("Sam (the recruiter)")."""
    match = re.match(r"\s*\(([^()]{1,80})\)", rest)
    if match is None:
        return False
    inside = normalise(match.group(1)).split()
    if any(" ".join(inside[i:i + len(c.split())]) == c for c in contacts
           for i in range(len(inside))):
        return False
    return any(word in follow for word in inside)


def _looks_like_a_firm(parts: Sequence[str]) -> bool:
    """Two or three capitalised words, the first no English word and the last an ordinary one:
    "Halvard Energy", "Pemberton Labs" - a company, not a person ("Sarah Jones"); or two names
    joined by "&" ("Harlow & Teague")."""
    if len(parts) == 3 and parts[1] == "&":
        return True
    if not 2 <= len(parts) <= 3 or "&" in parts:
        return False
    first, last = normalise(parts[0]).strip(), normalise(parts[-1]).strip()
    return len(first) >= 4 and not _english_word(first) and last in _english() and \
        len(last) >= 3


def _kind_follows(rest: str, kinds: Sequence[str]) -> bool:
    """Does a kind of employer stand right after a name, in apposition ("Calder Mutual (the
    bank)", "Vesper, a startup")?"""
    match = re.match(r"\s*[(,\-]\s*", rest)
    if match is None:
        return False
    after = normalise(rest[match.end():match.end() + 30]).strip()
    return any(after == kind or after.startswith(kind + " ") for kind in kinds)


#: lower-case words right after these are a company only when they are no English word
#: ("an offer from initech", "final round at hooli"; not "at home"; "from" and "with" only
#: after an offer or an interview: "coffee with sarah" names a person)
_LOWER_CUES = ("at", "join", "joining", r"offers?\s+from", r"interview(?:s|ing|ed)?\s+with",
               r"process\s+with")
_LOWER_NAME = re.compile(r"(?<![A-Za-z])(?:" + "|".join(_LOWER_CUES) +
                         r")\s+([a-z][a-z0-9&-]{2,})(?![\w'])")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=1)
def _english() -> FrozenSet[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    table = lemma_table()
    return frozenset(set(table) | set(table.values()) | set(STOP_WORDS))


def _english_word(word: str) -> bool:
    """A word of the lemma table or a stop word, or a typo of one (one edit away)."""
    known = _english()
    if word in known:
        return True
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = [a + b[1:] for a, b in splits if b] + \
        [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1] + \
        [a + c + b[1:] for a, b in splits if b for c in _LETTERS] + \
        [a + c + b for a, b in splits for c in _LETTERS]
    return any(e in known for e in edits)


def _lowercase_names(advisor: Advisor, text: str) -> List[Tuple[str, int, int]]:
    """Company names written in lower case after "at", "join(ing)", "an offer from",
    "interviewing with"."""
    stop = _name_context(advisor.rulebase.words).not_company
    return [(m.group(1), m.start(1), m.end(1)) for m in _LOWER_NAME.finditer(text)
            if m.group(1) not in stop and not _english_word(m.group(1))]


def find_mentions(advisor: Advisor, state: State, text: str,
                  entities: Sequence[Mapping[str, Any]] = ()) -> List[Mention]:
    """Every opportunity the message names, in the order it names them (one per span)."""
    words = advisor.rulebase.words
    mentions: List[Mention] = []
    context = _name_context(words)
    for name in dict.fromkeys(n for n, _, _ in _company_names(advisor, text, entities)):
        for start, end in phrase_spans(text, name):  # every time the message says it
            mentions.append(Mention(name, "company", start, end, _find_named(state, name)))
    for entry in state.opportunities:   # names said before, however they are written now
        if entry.get("kind") == "company":
            for name in _short_names(str(entry["name"])):
                for start, end in phrase_spans(text, name):
                    mentions.append(Mention(str(entry["name"]), "company", start, end,
                                            str(entry["id"])))
            for start, end in _first_word_as_name(context, text, str(entry["name"])):
                mentions.append(Mention(str(entry["name"]), "company", start, end,
                                        str(entry["id"])))
    for phrase in words.employer_kinds:
        for start, end in phrase_spans(text, phrase):
            name = normalise(phrase).split()[-1]
            mentions.append(Mention(name, "employer", start, end, _find_kind(state, name)))
    for phrase in words.opportunity_internal:
        for start, end in phrase_spans(text, phrase):
            key = next((str(e["id"]) for e in state.opportunities if e.get("kind") == "internal"),
                       None)
            mentions.append(Mention("internal role", "internal", start, end, key))
    for phrase in words.opportunity_current_job:
        for start, end in phrase_spans(text, phrase):
            mentions.append(Mention("current job", "current", start, end, CURRENT_JOB))
    for phrase in words.opportunity_other:
        for start, end in phrase_spans(text, phrase):
            rest = [e for e in others(state) if e.get("id") != state.active]
            key = str(rest[0]["id"]) if len(rest) == 1 else None
            mentions.append(Mention("other", "other", start, end, key))
    if len(others(state)) >= 2:
        for phrase in words.opportunity_all:
            for start, end in phrase_spans(text, phrase):
                mentions.append(Mention("all", "all", start, end))
    mentions += _internal_beside(advisor, state, text, mentions)
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    mentions = _appositions(text, mentions)
    kept: List[Mention] = []
    for mention in mentions:   # overlapping spans: the first, longest one wins
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return [each for m in kept if not (m.kind == "other" and m.key is None)
            for each in (_every_role(state, m) if m.kind == "all" else [m])]


@lru_cache(maxsize=4096)
def _short_names(name: str) -> Tuple[str, ...]:
    """A company's name and, for a name of several words, its first word when that is no
    English word ("Halvard Energy" is also "Halvard"; "Royal Mail" is not "Royal")."""
    words = name.split()
    first = normalise(words[0]).strip() if words else ""
    if len(words) > 1 and len(first) >= 4 and not _english_word(first):
        return (name, words[0])
    return (name,)


@dataclass(frozen=True)
class _NameContext:
    """The company word lists, normalised once per loaded rule base."""

    not_company: FrozenSet[str]
    company_cues: FrozenSet[str]
    follow: Tuple[str, ...]
    skip: FrozenSet[str]
    suffixes: FrozenSet[str]

    @property
    def cues(self) -> FrozenSet[str]:
        """The words before a company's first word that make it the company ("back to
        arbor", "with trellis"): the company cues, "to" and "for"."""
        return self.company_cues | {"to", "for"}


# keyed by id(), with the word lists kept alive beside their context so that a reloaded rule
# base can never meet a context built for another object under a reused id
_CONTEXTS: Dict[int, Tuple[Any, _NameContext]] = {}


def _name_context(words: Any) -> _NameContext:
    cached = _CONTEXTS.get(id(words))
    if cached is not None and cached[0] is words:
        return cached[1]
    if len(_CONTEXTS) >= 8:      # rule bases reloaded many times (tests): forget old ones
        _CONTEXTS.clear()
    context = _NameContext(
        frozenset(normalise(w).strip() for w in words.not_company),
        frozenset(normalise(w).strip() for w in words.company_cues),
        tuple(normalise(w).strip() for w in words.company_follow),
        frozenset(normalise(w).strip() for w in words.company_follow_skip),
        frozenset(normalise(w).strip() for w in words.company_suffixes))
    _CONTEXTS[id(words)] = (words, context)
    return context


@lru_cache(maxsize=4096)
def _english_first_word(name: str) -> Optional[str]:
    """The first word of a name of several words when it is an English word that
    :func:`_short_names` leaves alone ("Corvid" of "Corvid Games"), else None."""
    words = name.split()
    if len(words) < 2 or len(words[0]) < 4 or _short_names(name) != (name,):
        return None
    return words[0]


def _first_word_as_name(context: _NameContext, text: str, name: str) -> List[Tuple[int, int]]:
    """The first word of a known company's name when it is also an English word, where the
    words around it make it the company ("corvid's recruiter", "back to arbor for a sec",
    "with trellis"); :func:`_short_names` leaves such a word alone elsewhere."""
    first = _english_first_word(name)
    if first is None or normalise(first).strip() in context.not_company:
        return []
    found = []
    for start, end in phrase_spans(text, first):
        before = normalise(text[max(0, start - 12):start]).split()
        rest = text[end:]
        if re.match(r"['\u2019]s\b", rest) or (before and before[-1] in context.cues) or \
                _follows(rest, context.follow, context.skip):
            found.append((start, end))
    return found


def names_as_words(advisor: Advisor, state: State, text: str,
                   entities: Sequence[Mapping[str, Any]] = ()) -> str:
    """The text with each company name of several words written as one ("Alder_&_Finch"),
    offsets unchanged: a phrase such as "interview * tomorrow" allows a word or two between its
    words, and a name is one thing however many words it has."""
    spans = [(a, b) for _, a, b in _company_names(advisor, text, entities)]
    for entry in state.opportunities:
        if entry.get("kind") == "company":
            spans += phrase_spans(text, str(entry["name"]))
    chars = list(text)
    for start, end in spans:
        if " " in text[start:end]:
            chars[start:end] = [c if c.isalnum() else "_" for c in text[start:end]]
    return "".join(chars)


def _internal_beside(advisor: Advisor, state: State, text: str,
                     mentions: Sequence[Mention]) -> List[Mention]:
    """An internal role told of in a clause of its own, beside a company named in another ("i
    applied internally for the ops role and im in the final round at Kittering"), or once an
    internal role is known ("the internal loop is next monday"): a mention of the internal
    role, which is another opportunity than the company."""
    companies = [m for m in mentions if m.kind in ("company", "employer")]
    key = next((str(e["id"]) for e in state.opportunities if e.get("kind") == "internal"), None)
    if not (companies or key) or any(m.kind == "internal" for m in mentions) or \
            "interview_type" not in advisor.rulebase.facts:
        return []   # (with an internal role known, "the internal loop is monday" is about it)
    known = advisor.detect(text).facts.get("interview_type")
    if known is None or known.evidence is None or known.value != "internal":
        return []
    hit = known.evidence
    for start, end in clauses(advisor, text):
        if start <= hit.start < end:
            if any(start <= m.start < end for m in companies):
                return []
            return [Mention("internal role", "internal", hit.start, hit.end, key)]
    return []


def _find_kind(state: State, kind: str) -> Optional[str]:
    """The opportunity "the bank" names: one called that kind before ("Calder Mutual (the
    bank)"), or the only company whose name has the word ("Thornbury Bank")."""
    named = _find_named(state, kind)
    if named is not None:
        return named
    called = [str(e["id"]) for e in state.opportunities if kind in (e.get("aliases") or [])]
    if len(called) == 1:
        return called[0]
    worded = [str(e["id"]) for e in state.opportunities if e.get("kind") == "company" and
              kind in normalise(str(e.get("name") or "")).split()]
    return worded[0] if len(worded) == 1 else None


def _appositions(text: str, mentions: Sequence[Mention]) -> List[Mention]:
    """A kind of employer said right beside a company's name is that company ("a fintech
    startup called Vesper", "Calder Mutual (the bank)"): one opportunity, not two."""
    result = list(mentions)
    for i, mention in enumerate(result):
        if mention.kind != "employer" or mention.key is not None:
            continue
        for other in result:
            if other.kind != "company":
                continue
            gap = text[mention.end:other.start] if mention.end <= other.start else \
                text[other.end:mention.start] if other.end <= mention.start else None
            if gap is not None and len(gap) <= 30 and _APPOSITION.match(gap):
                words = [w for w in normalise(gap).split() if w not in ("called", "named")]
                result[i] = Mention(other.name, "company", mention.start, mention.end,
                                    other.key, aliases=(mention.name, *words))
                break
    return result


def _every_role(state: State, mention: Mention) -> List[Mention]:
    """"Both of them", "either of them": a mention of every role, the active one last (so that
    it stays the one the reply is about when no other brings more news)."""
    roles = sorted(others(state), key=lambda e: e.get("id") == state.active)
    return [Mention(str(e.get("name") or ""), str(e.get("kind")), mention.start, mention.end,
                    str(e["id"])) for e in roles]


def _resolve(advisor: Advisor, state: State, mention: Mention) -> str:
    """The id of the opportunity a mention names; a new one is created (or, for the first
    mention of a conversation, the opportunity talked about so far is given the name)."""
    key = _resolve_key(advisor, state, mention)
    entry = record(state, key)
    if entry is not None:
        for alias in mention.aliases:
            if alias not in entry.setdefault("aliases", []):
                entry["aliases"].append(alias)
    return key


def _resolve_key(advisor: Advisor, state: State, mention: Mention) -> str:
    if mention.key is not None and record(state, mention.key) is not None:
        return mention.key
    if mention.kind in ("company", "employer"):
        named = _find_named(state, mention.name)   # named earlier in this very message
        if named is not None:
            return named
    if mention.kind == "internal":
        active = record(state, state.active)
        if state.fact_value("interview_type") in (None, "internal") and \
                (active is None or active.get("kind") != "current"):
            if active is not None and active.get("kind") in ("company", "employer") and \
                    len(others(state)) >= 2:
                # "Vesper wants me, Calder Mutual called, and there's an internal opening"
                return str(_new_record(state, "internal role", "internal")["id"])
            if active is None:   # "it's an internal role" about the role talked about so far
                active = _new_record(state, "internal role", "internal")
                state.active = active["id"]
            if active.get("kind") != "company":
                active["kind"], active["name"] = "internal", "internal role"
            return str(active["id"])
    if state.active is None and not others(state):
        entry = _new_record(state, mention.name, mention.kind)
        state.active = entry["id"]     # the first name: the role talked about so far
        return str(entry["id"])
    active = record(state, state.active)
    if active is not None and not active.get("name") and active.get("kind") != "current":
        active["name"], active["kind"] = mention.name, mention.kind
        return str(active["id"])
    return str(_new_record(state, mention.name, mention.kind)["id"])


# -------------------------------------------------------------------------------------------
# a message about one or several opportunities
# -------------------------------------------------------------------------------------------

def clauses(advisor: Advisor, text: str) -> List[Tuple[int, int]]:
    """The message cut at punctuation and at the rule base's clause breaks ("but")."""
    cuts = {0, len(text)}
    for match in _CLAUSE_END.finditer(text):
        cuts.add(match.end())
    for phrase in advisor.rulebase.words.clause_breaks:
        for start, _ in phrase_spans(text, phrase):
            cuts.add(start)
    points = sorted(cuts)
    return [(a, b) for a, b in zip(points, points[1:]) if text[a:b].strip()]


def targets_of(advisor: Advisor, state: State, text: str,
               mentions: Sequence[Mention]) -> List[Tuple[str, List[Tuple[int, int]]]]:
    """Each opportunity the message is about, with the parts of the message about it.

    A clause that names opportunities is about them; one that names none is about the
    opportunities of the clause before; the clauses before the first name are about every
    opportunity the message names ("two offers: one from a startup, one from a bank")."""
    keys = [_resolve(advisor, state, m) for m in mentions]
    spans: Dict[str, List[Tuple[int, int]]] = {k: [] for k in keys}
    lead: List[Tuple[int, int]] = []
    current: List[str] = []
    for start, end in clauses(advisor, text):
        named = [k for m, k in zip(mentions, keys) if start <= m.start < end]
        if named:
            current = list(dict.fromkeys(named))
        if not current:
            lead.append((start, end))
            continue
        for key in current:
            spans[key].append((start, end))
    # the opportunity named first is what the message is about: it is read last, so that it
    # ends up active ("Umbrella made an offer, but I'm still waiting on Cyberdyne")
    first: Dict[str, int] = {}
    for mention, key in zip(mentions, keys):
        first.setdefault(key, mention.start)
    return sorted(((k, lead + s) for k, s in spans.items()), key=lambda item: -first[item[0]])


def _news(advisor: Advisor, turn: Mapping[str, Any]) -> int:
    """How much a part of a message brought: its red flags and facts about a role."""
    facts = [f for f in turn.get("new_facts") or {} if scope_of(advisor, f) == "opportunity"]
    return len(turn.get("flag_hits") or {}) + len(facts)


def main_part_last(advisor: Advisor, state: State,
                   turns: Sequence[Tuple[str, Dict[str, Any]]]
                   ) -> List[Tuple[str, Dict[str, Any]]]:
    """The parts of a message read per opportunity, the one the reply is about last - and
    active: the part that brought the most red flags and facts about a role, the one named
    first on a tie ("still waiting on Initech, final round at Hooli, they couldn't say what the
    role is and took ages to reply": the reply is about Hooli; "Umbrella gave me an offer, but
    I'm still waiting on Cyberdyne": about Umbrella)."""
    parts = list(turns)
    if len(parts) < 2:
        return parts
    best = max(range(len(parts)), key=lambda i: (_news(advisor, parts[i][1]), i))
    parts.append(parts.pop(best))
    switch(advisor, state, parts[-1][0])
    return parts


def masked(text: str, spans: Sequence[Tuple[int, int]]) -> str:
    """The text with everything outside ``spans`` blanked (offsets stay the same)."""
    keep = [" "] * len(text)
    for start, end in spans:
        keep[start:end] = text[start:end]
    return "".join(keep)


def remember_words(state: State, key: Optional[str], text: str, turn: int) -> None:
    """Keep what the person said about an opportunity (a comparison quotes it)."""
    entry = record(state, key)
    current = record(state, CURRENT_JOB)
    if key != CURRENT_JOB and current is not None and \
            (current.get("spans") or {}).get("turn") == turn:
        # the clauses about the current job in this message are its words, not this role's
        keep = [(0, len(text))]
        for start, end in current["spans"].get("spans") or []:
            keep = [(a, b) for a0, b0 in keep
                    for a, b in ((a0, min(b0, start)), (max(a0, end), b0)) if a < b]
        text = masked(text, keep)
    words = " ".join(text.split())
    if entry is None or not words:
        return
    said = entry.setdefault("said", [])
    said.append({"text": words[:400], "turn": turn})
    del said[:-SAID_KEPT]


def known_before(state: State, key: Optional[str], turn: Any) -> bool:
    """Whether the person talked about this opportunity before this turn (going "back to" it)."""
    entry = record(state, key)
    return entry is not None and any(int(s.get("turn") or 0) < int(turn or 0)
                                     for s in entry.get("said") or [])


def wants_which(advisor: Advisor, state: State, message: UserMessage,
                signal_intents: Sequence[str]) -> bool:
    """Unclear which opportunity: several are open, the message names none, the last one named
    several, and the message brings red flags or facts about a role."""
    if len(others(state)) < 2 or message.in_form or message.intent not in signal_intents:
        return False
    if len(state.last_turn.get("mentioned") or []) < 2:
        return False
    detection = advisor.detect(message.text) if message.text.strip() else None
    if detection is None:
        return False
    return bool(detection.signals) or any(scope_of(advisor, f) == "opportunity"
                                          for f in detection.facts)


def resolves_held(state: State, message: UserMessage, mentions: Sequence[Mention]) -> bool:
    return bool(state.held) and len({m.key for m in mentions}) == 1 and \
        mentions[0].key is not None and word_count(message.text) <= RESOLVE_WORDS


def infer_several(advisor: Advisor, state: State, turn: Dict[str, Any]) -> None:
    """Two roles or more named: the person is in several processes (unless they said not)."""
    if len(others(state)) >= 2 and "multiple_processes" in advisor.rulebase.facts and \
            "multiple_processes" not in state.facts:
        number = int(turn.get("turn") or 0)
        state.facts["multiple_processes"] = fact_entry(True, "given", "", 0, 0, number)
        turn.setdefault("new_facts", {})["multiple_processes"] = True


def note_current_job(advisor: Advisor, state: State) -> None:
    """Facts about the current job known while another role is discussed: the current job
    becomes an opportunity of its own (compared with the others)."""
    if record(state, CURRENT_JOB) is None and others(state) and any(
            scope_of(advisor, k) == "current_job" for k in state.facts):
        _new_record(state, "current job", "current")


def for_draft(advisor: Advisor, state: State, draft_id: str,
              offers: Mapping[str, Sequence[str]]) -> Optional[str]:
    """The opportunity a draft request that names none is about: the active one when its
    advice offers that draft, else the only other one whose advice does. ``offers``: id ->
    the drafts its advice offers."""
    if draft_id in offers.get(str(state.active), ()):
        return state.active
    keys = [k for k, drafts in offers.items() if draft_id in drafts]
    return keys[0] if len(keys) == 1 else None


def company_of(state: State) -> Optional[str]:
    """The company name of the active opportunity (drafts address it), if it has one."""
    entry = record(state, state.active)
    if entry is None or entry.get("kind") != "company" or not entry.get("name"):
        return None
    return str(entry["name"])


def asks_to_compare(advisor: Advisor, state: State, text: str) -> bool:
    """"Which should I pick?" (``compare_words``) with two opportunities or more."""
    spans = first_span(text, advisor.rulebase.words.compare_words)
    return spans is not None and len(compared(state)) >= 2


def derived_facts(advisor: Advisor, state: State) -> Dict[str, Any]:
    """The rule base's ``derived`` facts for the active opportunity, worked out from the other
    roles: another offer, another process still open, an internal and an external process at
    once. Empty with fewer than two roles (so a conversation about one is unchanged)."""
    roles = others(state)
    if len(roles) < 2:
        return {}
    stash(advisor, state)
    rest = [e for e in roles if e.get("id") != state.active]

    def value(entry: Mapping[str, Any], fact_id: str) -> Any:
        return ((entry.get("facts") or {}).get(fact_id) or {}).get("value")

    def internal(entry: Mapping[str, Any]) -> bool:
        return entry.get("kind") == "internal" or value(entry, "interview_type") == "internal"

    open_stages = (None, "upcoming", "done")
    found = {
        "other_offer": any(value(e, "stage") == "offer" for e in rest),
        "other_process_open": any(value(e, "stage") in open_stages and
                                  value(e, "interest") != "not_interested" for e in rest),
        "internal_and_external": any(internal(e) for e in roles) and
        any(not internal(e) for e in roles),
    }
    facts = advisor.rulebase.facts
    return {k: v for k, v in found.items() if k in facts and facts[k].scope == "derived"}


def note_current_job_named(state: State, mentions: Sequence[Mention],
                           advisor: Optional[Advisor] = None, text: str = "") -> List[Mention]:
    """"My current job": the current job becomes an opportunity (compared with the others) -
    without switching to it: what is said about it are facts about the current job, which every
    opportunity sees. The clauses about it (with ``advisor`` and ``text``) are its own words,
    kept for the comparison and not counted for the role being discussed ("my current job is
    ok but there's no growth"). Returns the other mentions."""
    if any(m.kind == "current" for m in mentions):
        entry = record(state, CURRENT_JOB) or _new_record(state, "current job", "current")
        entry["named"] = True
        number = int(state.last_turn.get("turn", 0) or 0) + 1
        spans = current_job_spans(advisor, text, mentions) if advisor is not None else []
        entry["spans"] = {"turn": number, "spans": [list(s) for s in spans]}
        remember_words(state, CURRENT_JOB, masked(text, spans), number)
    return [m for m in mentions if m.kind != "current"]


def current_job_spans(advisor: Advisor, text: str,
                      mentions: Sequence[Mention]) -> List[Tuple[int, int]]:
    """The clauses of a message about the current job: from a clause that names it (and no
    other opportunity) up to the next clause that names another one; the clauses before the
    first name too when the current job is named first."""
    spans: List[Tuple[int, int]] = []
    lead: List[Tuple[int, int]] = []
    about: Optional[bool] = None
    for start, end in clauses(advisor, text):
        kinds = {m.kind == "current" for m in mentions if start <= m.start < end}
        if kinds:
            about = kinds == {True}
            if about and not spans:
                spans += lead
        if about is None:
            lead.append((start, end))
        elif about:
            spans.append((start, end))
    return spans


def turn_about_current_job(advisor: Advisor, state: State, turn: Mapping[str, Any]) -> bool:
    """This message was about the person's current job, tracked next to another role: it named
    the current job or told facts about it, and named no role and brought no red flag and no
    fact about one."""
    entry = record(state, CURRENT_JOB)
    if entry is None or not others(state) or turn.get("mentioned") or turn.get("flag_hits"):
        return False
    new = turn.get("new_facts") or {}
    if any(scope_of(advisor, f) == "opportunity" for f in new):
        return False
    named = (entry.get("spans") or {}).get("turn") == turn.get("turn")
    return named or any(scope_of(advisor, f) == "current_job" for f in new)


def question_fits(advisor: Advisor, state: State, turn: Mapping[str, Any], fact_id: str) -> bool:
    """Whether the bot may ask about ``fact_id`` after this message: not a question about "this
    role" right after the person talked about their current job (which is not that role) or
    about what matters to them (which is about no role)."""
    return not (scope_of(advisor, fact_id) == "opportunity" and
                (turn_about_current_job(advisor, state, turn) or bool(turn.get("priorities"))))
