"""Several opportunities: the words that name a company or a role in a message.

Phrases matched as whole words, company names (capitalised, after a cue, or in lower case
where no English word stands), and the message cut into clauses. The word lists are in
rules/opportunities.yml. This module imports neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

from interview_advisor import Advisor
from interview_advisor.nlp import dictionary_words, lemma_table

from ..wording import normalise
from .state import State

_CLAUSE_END = re.compile(r"[.;:!?\n]+|,\s")
_CAPITALISED = re.compile(  # "Globex", "Massive Dynamic", "Alder & Finch"
    r"[A-Z][A-Za-z0-9&'-]*(?:(?:\s+&\s+|\s+)[A-Z][A-Za-z0-9&'-]*){0,2}")
_POSSESSIVE = re.compile(r"['’]s$")
ARTICLES = frozenset({"a", "an"})   # "a UX role": an article before an acronym


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


#: words that may stand between an article and the kind of employer or role it names ("a big
#: consultancy", "the senior promotion"): not those that start another phrase
_NOT_MODIFIERS = frozenset({"and", "or", "but", "of", "to", "in", "at", "from", "with", "for",
                            "on", "by", "as", "than", "the", "a", "an", "my", "your", "his",
                            "her", "their", "our", "other", "another", "this", "that", "i"})
_DETERMINERS = frozenset({"a", "an", "the", "my"})
#: determiners that introduce a new one as "a" does ("a recruiter from some fintech")
_INDEFINITE = ("some", "another")


def kind_spans(text: str, phrase: str) -> List[Tuple[int, int]]:
    """Where ``phrase`` occurs, and, for an article and a noun ("a consultancy", "the
    promotion"), also with one or two describing words between them ("a big consultancy", "a
    climate tech startup", "the team lead promotion")."""
    spans = phrase_spans(text, phrase)
    words = normalise(phrase).split()
    if len(words) != 2 or words[0] not in _DETERMINERS:
        return spans
    articles = (words[0], *_INDEFINITE) if words[0] in ("a", "an") else (words[0],)
    for article in articles[1:]:   # "some fintech", "another startup" are "a fintech"
        spans += phrase_spans(text, f"{article} {words[1]}")
    for article in articles:
        for match in _modified_pattern(article, words[1]).finditer(text):
            between = normalise(match.group(1)).split()
            if between and not any(w in _NOT_MODIFIERS for w in between):
                spans.append((match.start(), match.end()))
    return spans


_WORD = re.compile(r"[A-Za-z']+")


def typo_spans(text: str, phrase: str) -> List[Tuple[int, int]]:
    """Where ``phrase`` occurs with a typo in its longer words ("my curent job"): each word of
    five letters or more may be one letter off (left out, added, changed or two swapped)."""
    wanted = normalise(phrase).split()
    words, present = _tokens(text)
    if any(len(w) < 5 and w not in present for w in wanted):
        return []
    found = []
    for i in range(len(words) - len(wanted) + 1):
        window = words[i:i + len(wanted)]
        if all(w == want or (len(want) >= 5 and _one_off(w, want))
               for (_, _, w), want in zip(window, wanted)):
            found.append((window[0][0], window[-1][1]))
    return found


@lru_cache(maxsize=64)
def _tokens(text: str) -> Tuple[List[Tuple[int, int, str]], FrozenSet[str]]:
    """The words of a text with their offsets, and the set of them (read once per message)."""
    words = [(m.start(), m.end(), normalise(m.group(0)).strip()) for m in _WORD.finditer(text)]
    return words, frozenset(w for _, _, w in words)


def _one_off(word: str, want: str) -> bool:
    if abs(len(word) - len(want)) > 1 or word == want:
        return word == want
    if len(word) == len(want):
        diff = [i for i, (a, b) in enumerate(zip(word, want)) if a != b]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and
                                  word[diff[0]] == want[diff[1]] and
                                  word[diff[1]] == want[diff[0]])
    short, long_ = sorted((word, want), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@lru_cache(maxsize=1024)
def _modified_pattern(article: str, noun: str) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Za-z0-9])" + re.escape(article) + r"((?:\s+[a-z][a-z-]*){1,2})\s+"
                      + re.escape(noun) + r"(?![A-Za-z0-9])")


def first_span(text: str, phrases: Sequence[str]) -> Optional[Tuple[int, int]]:
    spans = [s for p in phrases for s in phrase_spans(text, p)]
    return min(spans) if spans else None



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
            for begin, stop_at in _list_items(text, start, end):
                parts = text[begin:stop_at].split()  # NLU's "At Wayne": the name is "Wayne"
                while parts and normalise(parts[0]).strip() in stop | cues:
                    parts.pop(0)
                while parts and normalise(parts[-1]).strip() in stop.union(follow):
                    parts.pop()
                if parts:
                    name = " ".join(parts)
                    at = text.index(name, begin)
                    if not context.at_place(text[max(0, at - 40):at]):
                        found.append((name, at, at + len(name)))
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
        if context.at_place(text[max(0, start - 40):start]):
            continue    # "a firm in Leeds", "moving up from Bristol": a place, not a company
        before = normalise(text[max(0, start - 20):start]).split()
        if before and before[-1] in ARTICLES and name.isupper() and len(name) <= 4:
            continue    # "for a UX role", "an IT job": the field ("a Hooli offer" is a company)
        cued = cued or spoken_for or (bool(before) and before[-1] in cues) or \
            _looks_like_a_firm(parts) or _after_reference(text[:start], _references(words))
        rest = text[start + len(name):]
        followed = _follows(rest, follow, skip) or _kind_follows(rest, kinds) or \
            _described(rest, follow, contacts)
        if (cued or followed) and len(name) > 1:
            found.append((name, start, start + len(name)))
    for called in _called_names(advisor, text):
        if not any(a < called[2] and called[1] < b for _, a, b in found):
            found.append(called)
    taken = [(a, b) for _, a, b in found]
    return found + [n for n in _lowercase_names(advisor, text)
                    if not any(a < n[2] and n[1] < b for a, b in taken)]


#: what an employer is called besides the kinds of rules/opportunities.yml ("a games studio
#: called Pixelmoor"); a person is never one of these ("a recruiter called Orla")
_EMPLOYER_NOUNS = ("company", "firm", "studio", "business", "outfit", "place", "shop", "brand",
                   "organisation", "organization", "employer", "lab", "scaleup")
_CALLED = re.compile(r"(?<![A-Za-z])([A-Za-z]+)\s+(?:[Cc]alled|[Nn]amed)\s+"
                     r"([A-Za-z][A-Za-z0-9&'-]*(?:\s+[A-Z][A-Za-z0-9&'-]*){0,2})")


def _called_names(advisor: Advisor, text: str) -> List[Tuple[str, int, int]]:
    """A name after an employer and "called" or "named": "a fintech called tollgate", "a games
    studio named Pixelmoor" (in lower case only when it is no English word)."""
    nouns = {normalise(w).split()[-1] for w in advisor.rulebase.words.employer_kinds}
    nouns.update(_EMPLOYER_NOUNS)
    stop = _name_context(advisor.rulebase.words).not_company
    found = []
    for match in _CALLED.finditer(text):
        name = _POSSESSIVE.sub("", match.group(2))
        first = normalise(name.split()[0]).strip()
        if match.group(1).lower() not in nouns or first in stop or \
                (name[0].islower() and _english_word(first)):
            continue
        found.append((name, match.start(2), match.start(2) + len(name)))
    return found


_LIST_BREAK = re.compile(r"\s+(?:and|or|vs\.?|versus)\s+|\s*[,/]\s*", re.IGNORECASE)


def _list_items(text: str, start: int, end: int) -> List[Tuple[int, int]]:
    """An NLU entity that holds several names ("Brindle & Co and Caskwell"), cut into each."""
    items, begin = [], start
    for match in _LIST_BREAK.finditer(text, start, end):
        items.append((begin, match.start()))
        begin = match.end()
    items.append((begin, end))
    return [(a, b) for a, b in items if text[a:b].strip()]


def _after_contact(before: str, contacts: Sequence[str]) -> bool:
    """Does the text end with someone who speaks for an employer and "from" or "at" ("the
    recruiter from ", "a hiring manager at ")? The name that follows is the employer."""
    words = normalise(before[-40:]).split()
    if len(words) < 2 or words[-1] not in ("from", "at"):
        return False
    head = " ".join(words[:-1])
    return any(head == c or head.endswith(" " + c) for c in contacts)


@lru_cache(maxsize=8)
def _references_of(other: Tuple[str, ...], kinds: Tuple[str, ...]) -> Tuple[str, ...]:
    return tuple(dict.fromkeys(normalise(p).strip() for p in other + tuple(
        "the " + normalise(k).split()[-1] for k in kinds if normalise(k).split())))


def _references(words: Any) -> Tuple[str, ...]:
    """The words that point at an opportunity before its name is given: "the other one",
    "the second one" (``opportunity_other``) and "the <kind of employer>" ("the startup")."""
    return _references_of(tuple(words.opportunity_other), tuple(words.employer_kinds))


_NAMING = re.compile(r"(?:,|:|\s-|\s(?:is|was|being|=))\s*$")


def _after_reference(before: str, references: Sequence[str]) -> bool:
    """Does the text end with a pointer to an opportunity and a comma, a colon or "is" ("the
    other one, ", "the second one is ", "the startup: ")? The name that follows is the
    company ("The other one, Ferncliff, is fully remote")."""
    naming = _NAMING.search(before[-60:])
    if naming is None:
        return False
    head = normalise(before[-60:][:naming.start()]).strip()
    return any(head == r or head.endswith(" " + r) for r in references)


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
#: ("an offer from initech", "final round at hooli", "still waiting to hear from copperfield";
#: not "at home", "waiting on feedback"; "from" and "with" only after an offer, an interview
#: or news awaited: "coffee with sarah" names a person)
_LOWER_CUES = ("at", "join", "joining", r"offers?\s+from", r"interview(?:s|ing|ed)?\s+with",
               r"process\s+with", r"hear(?:d|ing)?\s+(?:back\s+)?from",
               r"waiting\s+(?:on|for)", r"(?:reply|response|news|feedback)\s+from",
               r"(?:e-?mail|message|call|letter|rejection|invite|invitation|text)s?\s+from")
_LOWER_NAME = re.compile(r"(?<![A-Za-z])(?:" + "|".join(_LOWER_CUES) +
                         r")\s+([a-z][a-z0-9&-]{2,39})(?![\w'])")
_LOWER_WORD = re.compile(r"(?<![\w'])([a-z][a-z0-9&-]{2,39})(?![\w'])")
#: a lower-case word that opens the message or a sentence, with the word after it ("brightwater
#: wants me in by monday", "cromarty analytics want me back")
_OPENING_WORD = re.compile(r"(?:^|[.!?]\s+)([a-z][a-z0-9&-]{2,39})(?:\s+([a-z]+))?(?![\w'])")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=1)
def _english() -> FrozenSet[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    table = lemma_table()
    return frozenset(set(table) | set(table.values()) | set(STOP_WORDS))


@lru_cache(maxsize=1)
def _stop_words() -> FrozenSet[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(normalise(w).strip() for w in STOP_WORDS)


def content_words(text: str) -> List[str]:
    """The words of ``text`` that say something (no stop words, none shorter than three
    letters), as their lemmas."""
    table, stop = lemma_table(), _stop_words()
    return [table.get(w, w) for w in normalise(text).split() if len(w) >= 3 and w not in stop]


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
    words = advisor.rulebase.words
    context = _name_context(words)
    stop = context.not_company
    found = [(m.group(1), m.start(1), m.end(1)) for m in _LOWER_NAME.finditer(text)
             if m.group(1) not in stop and not _english_word(m.group(1))]
    for m in _OPENING_WORD.finditer(text):
        # the subject of a sentence, no English word, doing what employers do ("brightwater
        # wants me in by monday"), with a company suffix after it ("cromarty analytics")
        first, second = m.group(1), m.group(2)
        end = m.end(2) if second and second in context.suffixes else m.end(1)
        if first not in stop and first not in dictionary_words() and \
                not _english_word(first) and \
                _follows(text[end:], context.follow, context.skip) and \
                not any(a <= m.start(1) < b for _, a, b in found):
            found.append((text[m.start(1):end], m.start(1), end))
    for start, end in _firms_after_cues(advisor, context, text):
        if not any(a < end and start < b for _, a, b in found):
            found.append((text[start:end], start, end))
    for start, end in _acting_subjects(advisor, context, text):
        if not any(a < end and start < b for _, a, b in found):
            found.append((text[start:end], start, end))
    references = _references(words)
    for m in _LOWER_WORD.finditer(text):    # "the other one, ferncliff, is fully remote"
        # any word of the dictionary may follow a pointer ("the other one, honestly, ..."):
        # only a word no dictionary knows is taken for a name here
        if _after_reference(text[max(0, m.start(1) - 60):m.start(1)], references) and \
                m.group(1) not in stop and \
                m.group(1) not in dictionary_words() and not _english_word(m.group(1)) and \
                not any(a <= m.start(1) < b for _, a, b in found):
            found.append((m.group(1), m.start(1), m.end(1)))
    return found



@lru_cache(maxsize=4096)
def _short_names(name: str) -> Tuple[str, ...]:
    """A company's name and, for a name of several words, its first word when that is no
    English word ("Halvard Energy" is also "Halvard"; "Royal Mail" is not "Royal"). Only an
    English word as written counts: a name one letter from one ("Corrib", "corridor" less a
    letter) is still the name - the typo allowance is for words not yet known to be names."""
    words = name.split()
    first = normalise(words[0]).strip() if words else ""
    if len(words) > 1 and len(first) >= 4 and first not in _english():
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
    #: the words before a place's name ("moving to", "a firm in"), each as a tuple of words
    places: Tuple[Tuple[str, ...], ...] = ()

    def at_place(self, before: str) -> bool:
        """Does ``before`` (the text right before a capitalised name) end in a place cue, so
        that the name is a town or a country ("up from Bristol"), not a company?"""
        words = tuple(normalise(before).split())
        return any(words[-len(cue):] == cue for cue in self.places if cue)

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
        frozenset(normalise(w).strip() for w in (*words.not_company, *words.calendar_words)),
        frozenset(normalise(w).strip() for w in words.company_cues),
        tuple(normalise(w).strip() for w in words.company_follow),
        frozenset(normalise(w).strip() for w in words.company_follow_skip),
        frozenset(normalise(w).strip() for w in words.company_suffixes),
        tuple(tuple(normalise(w).split()) for w in words.place_cues))
    _CONTEXTS[id(words)] = (words, context)
    return context


#: a firm's name in lower case after a word that places an employer: two names joined by "&"
#: ("with fox & finch for store manager") or a name and a firm's last word ("the recruiter at
#: bramble health, shes called nadia")
_FIRM_CUES = _LOWER_CUES + ("with", "from", "for", "to")
_LOWER_FIRM = re.compile(r"(?<![A-Za-z])(?:" + "|".join(_FIRM_CUES) + r")\s+"
                         r"([a-z][a-z0-9-]{2,39})(?:\s+&\s+([a-z][a-z0-9-]{1,39})|"
                         r"\s+([a-z]+))(?![\w'])")


def _firms_after_cues(advisor: Advisor, context: _NameContext, text: str
                      ) -> List[Tuple[int, int]]:
    """Firms named in lower case after "at", "with", "from", "for", "to" (or a cue of
    ``_LOWER_CUES``) by their form: "fox & finch", "bramble health" (a last word of
    ``company_suffixes``). The first word is no quality ("for mental health") and nothing
    that is not a name (``not_company``, ``contact_roles``, ``process_kinds``,
    ``not_employers``)."""
    from .draft_details import can_be_a_name

    words = advisor.rulebase.words
    excluded = context.not_company | frozenset(context.follow) | frozenset(
        normalise(w).strip() for w in (*words.contact_roles, *words.process_kinds,
                                       *words.not_employers, *words.person_pronouns))
    found: List[Tuple[int, int]] = []
    for m in _LOWER_FIRM.finditer(text):
        first = m.group(1)
        if first in excluded or not can_be_a_name(first):
            continue
        if m.group(2) and m.group(2) not in excluded:
            found.append((m.start(1), m.end(2)))
        elif m.group(3) and m.group(3) in context.suffixes:
            found.append((m.start(1), m.end(3)))
    return found


#: a verb of being after an act: "the pay offered was low" is no employer acting
_BEING = frozenset({"is", "was", "are", "were", "be", "been", "seems", "seemed", "looks",
                    "looked", "sounds", "sounded", "by"})
#: a lower-case name at the start of a clause: one word, with a firm's last word after it
#: ("bramble health") or two joined by "&" ("fox & finch"), then what follows it
_CLAUSE_NAME = re.compile(r"(?<![\w'&-])([a-z][a-z0-9-]{2,39})(?![\w'])"
                          r"(?=(?:(\s+&\s+[a-z][a-z0-9-]{1,39})|\s+([a-z]+))?)")


def _acting_subjects(advisor: Advisor, context: _NameContext, text: str
                     ) -> List[Tuple[int, int]]:
    """Employers named in lower case as the subject of what an employer does, by the grammar
    of the clause rather than by the word: a name opening a clause (the message, a sentence,
    or after a boundary of rules/grammar.yml: "so harrow offered me 58k", "but linden got back
    to me") followed by one of ``employer_acts`` ("offered", "turned me down"), not by a verb
    of being ("the pay offered was low"). Only English words that can be a name ("harrow",
    "sterling": :func:`can_be_a_name`) - other words are read where they open a sentence, as
    before - never a person, a kind or a step of a process, or a place (``contact_roles``,
    ``process_kinds``, ``company_follow``: "stage rejected", ``not_employers``,
    ``not_company``, ``person_pronouns``). A firm's last
    word or "&" may follow the first word ("bramble health offered", "fox & finch ghosted")."""
    from ..grammar import project_grammar
    from .draft_details import can_be_a_name, is_english_word

    words = advisor.rulebase.words
    grammar = project_grammar()
    boundaries = grammar.soft_boundaries | grammar.hard_boundaries
    excluded = context.not_company | frozenset(context.follow) | frozenset(
        normalise(w).strip() for w in (*words.contact_roles, *words.process_kinds,
                                       *words.not_employers, *words.person_pronouns))
    acts = tuple(normalise(w).strip() for w in words.employer_acts)
    found: List[Tuple[int, int]] = []
    for m in _CLAUSE_NAME.finditer(text):
        first = m.group(1)
        before = text[:m.start()].rstrip()
        previous = before.split()[-1].lower() if before.split() else ""
        opens = not before or before[-1] in ".!?,;:(" or previous in boundaries
        if not opens or first in excluded or not is_english_word(first) or \
                not can_be_a_name(first):
            continue
        end = m.end(1)
        if m.group(2):
            end = m.end(2)                                  # "fox & finch"
        elif m.group(3) and m.group(3) in context.suffixes:
            end = m.end(3)                                  # "bramble health"
        rest = normalise(text[end:end + 40]).split()
        while rest and rest[0] in context.skip:
            rest.pop(0)
        said = " ".join(rest) + " "
        act = next((phrase for phrase in acts if said.startswith(phrase + " ")), None)
        after = said[len(act) + 1:].split()[:1] if act else []
        if act and not (after and after[0] in _BEING):
            found.append((m.start(1), end))
    return found


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


