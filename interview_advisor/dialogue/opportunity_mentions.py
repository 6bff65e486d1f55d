"""Several opportunities: which opportunity each part of a message names.

A mention is a company's name, a kind of employer ("the bank"), an internal role, the current
job, "the other one" or "both of them"; :func:`resolve` gives the id of the opportunity it
names, creating one for a new name. This module imports neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

from interview_advisor import Advisor

from ..wording import SENTENCE_END_MARKS, normalise
from .opportunity_names import (
    _company_names,
    _english_first_word,
    _first_word_as_name,
    _name_context,
    _short_names,
    clauses,
    content_words,
    kind_spans,
    phrase_spans,
    typo_spans,
)
from .opportunity_records import new_record, others, record
from .state import CURRENT_JOB, State

#: what may stand between a company's name and a kind of employer that is the same one
_APPOSITION = re.compile(r"^[\s,:(\-]*(?:(?:[a-z]+\s+){0,2}(?:called|named|is|was)\s*)?"
                         r"[\s,:()\-]*$", re.IGNORECASE)


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



def _find_named(state: State, name: str) -> Optional[str]:
    key = normalise(name)
    for entry in state.opportunities:
        if entry.get("kind") in ("company", "employer") and normalise(entry["name"]) == key:
            return str(entry["id"])
    return None



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
                # "greylings hiring manager": a name said before, possessive without its
                # apostrophe
                for start, end in (*phrase_spans(text, name), *phrase_spans(text, name + "s")):
                    mentions.append(Mention(str(entry["name"]), "company", start, end,
                                            str(entry["id"])))
            for start, end in _first_word_as_name(context, text, str(entry["name"])):
                mentions.append(Mention(str(entry["name"]), "company", start, end,
                                        str(entry["id"])))
    kinds = {normalise(p).split()[-1] for p in words.employer_kinds}
    employer_spans = sorted({span for phrase in words.employer_kinds
                             for span in kind_spans(text, phrase)})
    facts = _FactsTold(advisor, text)
    works_at = _where_they_work(advisor, facts, text, employer_spans)
    for phrase in words.employer_kinds:
        for start, end in kind_spans(text, phrase):
            if works_at is not None and start < works_at[1] and works_at[0] < end:
                mentions.append(Mention("current job", "current", start, end, CURRENT_JOB))
                continue
            name = normalise(phrase).split()[-1]
            also = tuple(w for w in normalise(text[start:end]).split()[1:-1] if w in kinds)
            mentions.append(Mention(name, "employer", start, end, _find_kind(state, name), also))
    for phrase in words.opportunity_internal:
        for start, end in kind_spans(text, phrase):
            if any(start < g_end and g_start < end
                   for g_start, g_end in _granted_spans(advisor, facts)):
                continue   # "my promotion finally came through": news about the current job
            key = next((str(e["id"]) for e in state.opportunities if e.get("kind") == "internal"),
                       None)
            mentions.append(Mention("internal role", "internal", start, end, key))
    for phrase in words.opportunity_current_job:
        for start, end in typo_spans(text, phrase):
            mentions.append(Mention("current job", "current", start, end, CURRENT_JOB))
    mentions += _set_against(state, text) + _ordinals(state, text)
    for phrase in words.opportunity_other:
        for start, end in phrase_spans(text, phrase):
            rest = [e for e in others(state) if e.get("id") != state.active]
            key = str(rest[0]["id"]) if len(rest) == 1 else None
            mentions.append(Mention("other", "other", start, end, key))
    if len(others(state)) >= 2:
        for phrase in words.opportunity_all:
            for start, end in phrase_spans(text, phrase):
                mentions.append(Mention("all", "all", start, end))
    mentions += _internal_beside(advisor, facts, state, text, mentions)
    mentions += _descriptions(advisor, state, text, mentions)
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    mentions = _appositions(text, mentions)
    kept: List[Mention] = []
    for mention in mentions:   # overlapping spans: the first, longest one wins
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return [each for m in kept if not (m.kind == "other" and m.key is None)
            for each in (_every_role(state, m) if m.kind == "all" else [m])]



class _FactsTold:
    """The facts detection finds in one message, found once and only when first asked for
    (most messages name no kind of employer and no internal role, and need none)."""

    def __init__(self, advisor: Advisor, text: str) -> None:
        self._advisor, self._text = advisor, text
        self._found: Optional[Mapping[str, Any]] = None

    def get(self, fact: str) -> Any:
        if self._found is None:
            self._found = self._advisor.detect(self._text).facts
        return self._found.get(fact)


_SENTENCE_END = re.compile("[" + re.escape(SENTENCE_END_MARKS) + "]")


@lru_cache(maxsize=8)
def _works_at(cues: Tuple[str, ...]) -> re.Pattern[str]:
    """The word before the place someone works ("a contractor at a bank", "i work for a
    charity", "employed by a council"): the last word of each ``own_employer_cues``."""
    last = sorted({normalise(cue).split()[-1] for cue in cues if normalise(cue).strip()})
    return re.compile(r"\b(?:" + "|".join(map(re.escape, last)) + r")\s*$", re.IGNORECASE)


def _where_they_work(advisor: Advisor, facts: _FactsTold, text: str,
                     spans: Sequence[Tuple[int, int]]) -> Optional[Tuple[int, int]]:
    """The kind of employer the message says the person works at now ("i'm a contractor, 18
    months into a rolling contract at a bank", "i work at a charity"): the first one after
    the words that tell they have a job, in the same sentence, after "at", "for", "with" or
    "in". It is their current job, not another opportunity."""
    if not spans or "employed" not in advisor.rulebase.facts:
        return None   # no kind of employer named: nothing to place, no detection
    known = facts.get("employed")
    if known is None or known.value is not True or known.evidence is None:
        return None
    told = known.evidence.end
    stop = _SENTENCE_END.search(text, told)
    works_at = _works_at(tuple(advisor.rulebase.words.own_employer_cues))
    sentence_end = stop.start() if stop else len(text)
    for start, end in spans:
        if start >= known.evidence.start and end <= sentence_end and \
                (start >= told or end <= told):
            if start >= told and works_at.search(text[max(0, start - 12):start]):
                return start, end
            if start >= told:
                return None   # "i work at tesco and a startup offered me ...": not the first
    return None


def _granted_spans(advisor: Advisor, facts: _FactsTold) -> List[Tuple[int, int]]:
    """Where the message tells that something at the current job got better ("my promotion
    finally came through", "got my promotion last month"): a promotion granted is not an
    internal role being applied for, so it names no opportunity."""
    if "recent_improvement" not in advisor.rulebase.facts:
        return []
    known = facts.get("recent_improvement")
    if known is None or known.value is not True or known.evidence is None:
        return []
    return [(known.evidence.start, known.evidence.end)]


def _internal_beside(advisor: Advisor, facts: _FactsTold, state: State, text: str,
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
    known = facts.get("interview_type")
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
    startup called Vesper", "Calder Mutual (the bank)", "the bank is Calder"): one
    opportunity, not two."""
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
                words = [w for w in normalise(gap).split()
                         if w not in ("called", "named", "is", "was")]
                result[i] = Mention(other.name, "company", mention.start, mention.end,
                                    other.key, aliases=(mention.name, *mention.aliases, *words))
                break
    return result


def _every_role(state: State, mention: Mention) -> List[Mention]:
    """"Both of them", "either of them": a mention of every role, the active one last (so that
    it stays the one the reply is about when no other brings more news)."""
    roles = sorted(others(state), key=lambda e: e.get("id") == state.active)
    return [Mention(str(e.get("name") or ""), str(e.get("kind")), mention.start, mention.end,
                    str(e["id"])) for e in roles]


def resolve(advisor: Advisor, state: State, mention: Mention) -> str:
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
                return str(new_record(state, "internal role", "internal")["id"])
            if active is None:   # "it's an internal role" about the role talked about so far
                active = new_record(state, "internal role", "internal")
                state.active = active["id"]
            if active.get("kind") != "company":
                active["kind"], active["name"] = "internal", "internal role"
            return str(active["id"])
    if state.active is None and not others(state):
        entry = new_record(state, mention.name, mention.kind)
        state.active = entry["id"]     # the first name: the role talked about so far
        return str(entry["id"])
    active = record(state, state.active)
    if active is not None and not active.get("name") and active.get("kind") != "current":
        active["name"], active["kind"] = mention.name, mention.kind
        return str(active["id"])
    return str(new_record(state, mention.name, mention.kind)["id"])



#: "the second one", "the first recruiter", "the 3rd offer": the opportunities in the order they
#: came up
#: (not "the first interview": a stage of one process)
_ORDINAL = re.compile(r"(?<![A-Za-z])the\s+(first|1st|second|2nd|third|3rd|fourth|4th)\s+"
                      r"(one|recruiter|company|offer|role|job|place|option|position|firm)"
                      r"(?![A-Za-z])", re.IGNORECASE)
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
             "4th": 4}


def _ordinals(state: State, text: str) -> List[Mention]:
    """"The second recruiter", "the first one": the n-th role that came up, when there are
    several (said while they are introduced, it names none yet)."""
    roles = others(state)
    if len(roles) < 2:
        return []
    found = []
    for match in _ORDINAL.finditer(text):
        number = _ORDINALS[match.group(1).lower()]
        if number <= len(roles):
            entry = roles[number - 1]
            found.append(Mention(str(entry.get("name") or ""), str(entry.get("kind")),
                                 match.start(), match.end(), str(entry["id"])))
    return found


#: "the one with the long commute", "the walkable one", "the place near my flat", "the one i
#: can walk to": a role described by what was said about it
_DESCRIPTION = re.compile(
    r"(?<![A-Za-z])the\s+((?:[a-z][a-z'-]*\s+){0,2})(?:one|place|company|job|role|offer)"
    r"(?:s)?((?:\s+(?:with|where|that|who|in|near|on|by|from|at|i|i'd|i'm|im|you)\s+"
    r"[^,.;:!?()]{1,40})?)"
    r"(?![A-Za-z])")
_PLAIN = frozenset({"other", "first", "second", "third", "last", "same", "next", "new",
                    "current", "internal", "external", "whole", "only"})


def _descriptions(advisor: Advisor, state: State, text: str,
                  mentions: Sequence[Mention]) -> List[Mention]:
    """A role described rather than named. By a decision topic and a better / worse word, as
    the comparison reads them ("the higher paying one", "the one with the long commute" after
    "Saltire pays 60k but it's 90 minutes each way"); else the one whose earlier words share
    the most of the description's words ("the one by the station" after "Pellow is right by
    the station"); else the only one the person said anything about on the topic."""
    roles = others(state)
    if len(roles) < 2:
        return []
    found = []
    for match in _DESCRIPTION.finditer(text):
        if any(m.start < match.end() and match.start() < m.end for m in mentions):
            continue
        said = (match.group(1) + " " + match.group(2))
        words = [w for w in content_words(said) if w not in _PLAIN]
        if not words:
            continue
        entry = _described(advisor, state, said, words, roles)
        if entry is not None:
            found.append(Mention(str(entry.get("name") or ""), str(entry.get("kind")),
                                 match.start(), match.end(), str(entry["id"])))
    return found


def _described(advisor: Advisor, state: State, said: str, words: Sequence[str],
               roles: Sequence[Mapping[str, Any]]) -> Optional[Mapping[str, Any]]:
    # imported here: the comparison reads opportunities, which read mentions
    from .comparison import described_option

    by_id = {str(entry["id"]): entry for entry in roles}
    judged = described_option(advisor, state, said, tuple(by_id))
    scores = [(_overlap(words, entry), entry) for entry in roles]
    best = max(score for score, _ in scores)
    top = [entry for score, entry in scores if score == best]
    if judged is not None and judged[1]:
        return by_id[judged[0]]
    if best > 0 and len(top) == 1:
        return top[0]
    return by_id[judged[0]] if judged is not None else None


def _overlap(words: Sequence[str], entry: Mapping[str, Any]) -> int:
    """How many of ``words`` the person used about this role (its name, kinds and words; a
    word's stem is enough: "walkable" - "walk")."""
    known = set(content_words(" ".join([str(entry.get("name") or ""),
                                        *(entry.get("aliases") or [])])))
    for said in entry.get("said") or []:
        known.update(_said_words(str(said.get("text") or "")))
    return sum(1 for w in words if any(_same_stem(w, k) for k in known))


@lru_cache(maxsize=4096)
def _said_words(text: str) -> FrozenSet[str]:
    return frozenset(content_words(text))


def _same_stem(one: str, other: str) -> bool:
    if one == other:
        return True
    short, long_ = sorted((one, other), key=len)
    return len(short) >= 4 and long_.startswith(short[:max(4, len(short) - 1)])


_SET_AGAINST = re.compile(r"(?<![A-Za-z])([A-Za-z][\w&'-]*)\s*,?\s*(?:not|or|and|vs\.?|versus|"
                          r"than|over|instead\s+of)\s+([A-Za-z][\w&'-]*)(?![\w'])",
                          re.IGNORECASE)


def _set_against(state: State, text: str) -> List[Mention]:
    """The first word of a known company's name that is also an English word, set against
    another known company: "that was brindle not caskwell", "caskwell or brindle" (elsewhere
    such a word is left alone, see :func:`_first_word_as_name`)."""
    pairs = [(m.start(1), m.end(1), m.start(2), m.end(2)) for m in _SET_AGAINST.finditer(text)]
    if not pairs:
        return []
    first_words: Dict[str, Mapping[str, Any]] = {}
    names: Dict[str, Mapping[str, Any]] = {}
    for entry in state.opportunities:
        if entry.get("kind") != "company":
            continue
        first = _english_first_word(str(entry["name"]))
        if first is not None:
            first_words[normalise(first).strip()] = entry
        for name in _short_names(str(entry["name"])):
            names[normalise(name).strip()] = entry
    found = []
    for a, b, c, d in pairs:
        one, two = normalise(text[a:b]).strip(), normalise(text[c:d]).strip()
        for (start, end, word), other in (((a, b, one), two), ((c, d, two), one)):
            known = first_words.get(word)
            if known is not None and names.get(other) not in (None, known):
                found.append(Mention(str(known["name"]), "company", start, end,
                                     str(known["id"])))
    return found
