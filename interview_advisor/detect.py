"""Pattern detection over free text: compiled once from the rule base, run per message.

Three kinds of pattern, all matched on token keys (see :mod:`.nlp`):

* ``phrases`` - a sequence of words; ``a|b`` accepts either word, ``?word`` is optional and
  ``*`` skips up to two words (never a question word).  One phrase alone is enough.
* ``near`` - a *topic* phrase and a *cue* phrase at most ``window`` words apart in the same
  sentence ("the **responsibilities** were honestly pretty **vague**").  When a cue word belongs
  to several owners (``vague`` for the role and for the culture), it goes to the owner whose
  topic is nearest.  ``order: topic_first`` pairs a topic only with a cue after it ("they
  **kept saying** remote ... in the **final round**", not "**second interview** yesterday, the
  manager **kept saying** ...").
* ``patterns`` - raw spaCy Matcher token patterns on ``NORM``.

A match is dropped when it is negated ("they were **not** vague at all", "**nobody** oversold
it") or hypothetical ("**if** the description is vague, ...") within its clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from .grammar import Grammar, project_grammar
from .nlp import Normaliser
from .wording import SENTENCE_END_MARKS

# The word lists detection reads grammar by are the rule base's (rules/grammar.yml, see
# :mod:`.grammar`): negations, hypotheticals, clause boundaries, whose story a sentence tells.
# What stays here are reaches in words and which signals a behaviour applies to.

#: the signals whose matches stand even in another person's story: overly positive
#: acquaintances are other people's words by definition ("my friend who works there says ...")
ELSEWHERE_EXEMPT = frozenset({"signal:overly_positive_acquaintances"})
#: the facts whose matches do not stand in another person's story either: "my partner just
#: got offered a job up in leeds" is their offer, not the person's step in the process
ELSEWHERE_FACTS = ("fact:stage=",)
#: the signals a match is not when the person was the slow one ("took me a week to reply")
OWN_ACTOR_OWNERS = frozenset({"signal:poor_communication"})
#: a question about the person's own next step opens at most this many words before the match
OWN_QUESTION_REACH = 12
NEGATION_WINDOW = 5
HYPOTHETICAL_WINDOW = 14
SOFT_BOUNDARY_COST = 2
#: the flags told as a story of before and after (a promise, then what came of it)
TOLD_BEFORE_AND_AFTER = frozenset({"signal:unrealistic_expectations"})
#: tokens that end a sentence: the marks (wording.SENTENCE_END_MARKS), and "..." as one token
SENTENCE_ENDS = frozenset(SENTENCE_END_MARKS) | {"..."}
#: marks that open or close a quotation standing as tokens of their own
QUOTE_MARKS = frozenset({"'", '"', "\u201c", "\u201d", "\u2018", "\u2019"})
UNLESS_WINDOW = 6
# "the role is a bit fluid, *but* they walked me through a 90 day plan": a reassurance in the
# clause right after a contrast word answers the worry before it and cancels the match; the other
# way round ("the ad was clear, but nobody could say what I'd do") the later clause still counts.
# The contrast words are the rule base's (``contrasts`` in rules/words.yml: ``Detector.contrasts``)
# the answering clause may be long ("..., which is fair, but the first year goals were written
# down in the offer pack"): the reassurance may stand this far after the match (6 before round 16)
CONTRAST_WINDOW = 20
# A changed promise names the term twice; when the amounts agree ("they told me 75k and the offer
# says 75k", "the band was 50-55 and the offer came in at 53", "two days a week in the ad and
# two days in the offer") the term held, whatever words sit between. Compared from the start of
# the match to the end of its sentence: the first amount against the last.
AMOUNTS_COMPARED = frozenset({"signal:unrealistic_expectations"})
_AMOUNT = re.compile(r"(?<![\w.])[$£€]?(\d+(?:[.,]\d+)?)\s*(k\b)?"
                     r"(?:\s*(?:-|–|to)\s*[$£€]?(\d+(?:[.,]\d+)?)\s*(k\b)?)?", re.I)
_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6"}


@dataclass(frozen=True)
class PatternSource:
    """Where a compiled pattern came from, for explanations and error messages."""

    owner: str          # "signal:<id>" or "fact:<id>=<value>"
    kind: str           # "phrase", "near", "pattern"
    text: str           # the pattern as written in YAML
    file: str = ""
    line: Optional[int] = None


@dataclass(frozen=True)
class Hit:
    """One detection: an owner matched some words of the message."""

    owner: str
    start: int          # character offsets into the original text
    end: int
    text: str
    via: PatternSource
    token_start: int = 0
    token_end: int = 0
    parts: Tuple[Tuple[int, int], ...] = ()   # token spans the pattern's own words matched

    @property
    def pattern_text(self) -> str:
        """The pattern that matched, long word lists (``near`` topics and cues) shortened to
        120 characters - ``via.file`` and ``via.line`` point to the whole entry."""
        text = self.via.text
        return text if len(text) <= 120 else text[:119] + "…"

    def as_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"evidence": self.text, "start": self.start, "end": self.end,
                               "pattern": self.pattern_text, "kind": self.via.kind}
        if self.via.file:
            out["file"], out["line"] = self.via.file, self.via.line
        return out


class PatternError(ValueError):
    """A pattern that cannot be compiled."""


@dataclass
class _Near:
    owner: str
    topic_label: str
    cue_label: str
    window: int
    source: PatternSource
    sentences: int = 0
    with_label: Optional[str] = None
    topic_first: bool = False   # order: topic_first - the topic must start before the cue


class FirstWordMatcher:
    """spaCy Matchers, one per first word of their patterns, and only those whose first word is
    in the message run. A Matcher tries every pattern at every token (1,410 patterns at 167
    tokens cost 4-7 ms even when almost none start there); run per first word, a message pays
    for the patterns that can start in it. Same matches as one Matcher with every pattern."""

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab
        self._by_word: Dict[Tuple[str, str], Matcher] = {}
        self._reach: Dict[Tuple[str, str], Optional[int]] = {}  # longest match; None: unbounded
        self._any: Optional[Matcher] = None   # patterns whose first token is not one word
        self._labels: Set[str] = set()
        self._added: List[Tuple[str, List[Dict[str, Any]]]] = []

    def add(self, label: str, patterns: Sequence[List[Dict[str, Any]]]) -> None:
        for pattern in patterns:
            first = pattern[0] if pattern else {}
            (attr, word), = first.items() if len(first) == 1 else (("", None),)
            if attr in ("NORM", "LOWER") and isinstance(word, str):
                matcher = self._by_word.setdefault((attr, word),
                                                   Matcher(self.vocab, validate=False))
                reach = self._reach.get((attr, word), 0)
                self._reach[(attr, word)] = None if reach is None or any(
                    spec.get("OP") in ("*", "+") for spec in pattern) else \
                    max(reach, len(pattern))
            else:
                if self._any is None:
                    self._any = Matcher(self.vocab, validate=False)
                matcher = self._any
            matcher.add(label, [pattern])
            self._added.append((label, pattern))
        self._labels.add(label)

    def __len__(self) -> int:
        return len(self._labels)

    def patterns(self) -> List[Tuple[str, List[Dict[str, Any]]]]:
        """Every (label, pattern) added, in order."""
        return list(self._added)

    def __call__(self, doc: Doc) -> List[Tuple[int, int, int]]:
        """Each first word's Matcher on the stretch of tokens its patterns can reach from each
        place the word stands (a short span costs the Matcher less than the whole message)."""
        matches: List[Tuple[int, int, int]] = []
        size = len(doc)
        for i, token in enumerate(doc):
            for key in {("NORM", token.norm_), ("LOWER", token.lower_)}:
                matcher = self._by_word.get(key)
                if matcher is None:
                    continue
                reach = self._reach[key]
                end = size if reach is None else min(size, i + reach)
                matches.extend((match_id, i, i + stop) for match_id, start, stop
                               in matcher(doc[i:end]) if start == 0)
        if self._any is not None:
            matches.extend(self._any(doc))
        return matches


@dataclass
class _Compiled:
    matcher: FirstWordMatcher
    phrases: PhraseMatcher
    labels: Dict[str, PatternSource] = field(default_factory=dict)
    near: List[_Near] = field(default_factory=list)
    skip_labels: Set[str] = field(default_factory=set)  # near and unless parts
    #: the ``near`` entries told as before and after (``order: topic_first``)
    told_then_after: Set[PatternSource] = field(default_factory=set)


_GROUP = re.compile(r"\(([^()]*)\)")
MAX_EXPANSIONS = 128


def expand_groups(phrase: str) -> List[str]:
    """Expand ``(no one|nobody) replied`` into one phrase per alternative (multi-word allowed)."""
    match = _GROUP.search(phrase)
    if match is None:
        if "(" in phrase or ")" in phrase:
            raise PatternError(f"unbalanced parentheses in {phrase!r}")
        return [phrase]
    alternatives = [a.strip() for a in match.group(1).split("|")]
    if not all(alternatives):
        raise PatternError(f"empty alternative in group {match.group(0)!r}")
    expanded: List[str] = []
    for alternative in alternatives:
        expanded += expand_groups(phrase[:match.start()] + alternative + phrase[match.end():])
        if len(expanded) > MAX_EXPANSIONS:
            raise PatternError(f"{phrase!r} expands to more than {MAX_EXPANSIONS} phrases")
    return expanded


def _phrase_patterns(normaliser: Normaliser, phrase: str,
                     grammar: Optional[Grammar] = None) -> List[List[Dict[str, Any]]]:
    grammar = grammar or project_grammar()
    return [_phrase_tokens(normaliser, p, grammar) for p in expand_groups(phrase)]


def _phrase_tokens(normaliser: Normaliser, phrase: str, grammar: Grammar) -> List[Dict[str, Any]]:
    """Compile the phrase mini-language into Matcher token specifications."""
    g = grammar
    tokens: List[Dict[str, Any]] = []
    for chunk in phrase.split():
        if chunk == "*":
            gap = {"IS_PUNCT": False, "NORM": {"NOT_IN": list(g.gap_excluded)}, "OP": "?"}
            tokens += [dict(gap), dict(gap)]
            continue
        optional = chunk.startswith("?") and len(chunk) > 1
        body = chunk[1:] if optional else chunk
        alternatives = [a for a in body.split("|")]
        if any(not a for a in alternatives):
            raise PatternError(f"empty alternative in {chunk!r}")
        keyed = [normaliser.phrase_keys(a) for a in alternatives]
        if len(alternatives) > 1:
            small = {a.lower() in g.function_words for a in alternatives}
            if small == {True, False}:
                raise PatternError(
                    f"{chunk!r} mixes a small word with other words; '|' joins single words, "
                    f"so this is probably meant as a group: write (another|a different) ...")
            if any(len(k) != 1 for k in keyed):
                raise PatternError(f"alternatives must be single words: {chunk!r}")
            spec: Dict[str, Any] = {"NORM": {"IN": sorted({k[0] for k in keyed})}}
            if optional:
                spec["OP"] = "?"
            tokens.append(spec)
            continue
        words = keyed[0]
        if optional and len(words) != 1:
            raise PatternError(f"only a single word can be optional: {chunk!r}")
        for word in words:
            spec = {"NORM": word}
            if optional or word in ("-", "–", "'", "’"):
                spec["OP"] = "?"  # "day-to-day" also matches "day to day"
            tokens.append(spec)
    if not any("OP" not in t for t in tokens):
        raise PatternError(f"phrase {phrase!r} has no required word")
    return tokens


def _words_of(spec: Dict[str, Any]) -> Optional[Tuple[str, ...]]:
    """The words a token specification matches when it matches by words only, else None."""
    if set(spec) - {"NORM", "OP"}:
        return None
    norm = spec.get("NORM")
    if isinstance(norm, str):
        return (norm,)
    if isinstance(norm, dict) and set(norm) == {"IN"}:
        return tuple(norm["IN"])
    return None


def merge_patterns(patterns: Sequence[List[Dict[str, Any]]]) -> List[List[Dict[str, Any]]]:
    """Fewer token patterns that match exactly the same: patterns that differ only in the words
    of one token ("on monday", "on tuesday", ...) become one with the words as a set. Groups
    expand to every combination ("(interview|round) * (on|next) (monday|...|sunday)": 42
    patterns, each with a long optional gap), and spaCy's Matcher pays for every pattern at
    every token; merged, the same phrase costs it a few.

    The first token stays one word per pattern, and a set of words there is split into one
    pattern per word: the Matcher tries every pattern at every token, and it compares a word in
    C but tests a set of words with a Python call (243 patterns opening with a set cost 8 of the
    9 ms a 150-word message took; 448 opening with a word cost 0.7)."""
    current = [list(p) for p in patterns]
    for position in range(1, max((len(p) for p in current), default=0)):
        groups: Dict[Any, List[Any]] = {}
        order: List[Any] = []
        for pattern in current:
            words = _words_of(pattern[position]) if position < len(pattern) else None
            if words is None:
                key: Any = ("as is", len(order))
            else:
                rest = [repr(sorted(t.items())) for i, t in enumerate(pattern) if i != position]
                key = (len(pattern), pattern[position].get("OP"), tuple(rest))
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append((pattern, words))
        merged = []
        for key in order:
            members = groups[key]
            pattern = members[0][0]
            if len(members) > 1:
                union = sorted({w for _, ws in members for w in ws or ()})
                spec: Dict[str, Any] = {"NORM": union[0] if len(union) == 1 else {"IN": union}}
                if "OP" in pattern[position]:
                    spec["OP"] = pattern[position]["OP"]
                pattern = pattern[:position] + [spec] + pattern[position + 1:]
            merged.append(pattern)
        current = merged
    return [split for pattern in current for split in _first_word_apart(pattern)]


def _first_word_apart(pattern: List[Dict[str, Any]]) -> List[List[Dict[str, Any]]]:
    """``pattern`` once per word of its first token's set of words ({NORM: {IN: [...]}} or
    LOWER), when that token is required and tests nothing else; else ``pattern`` itself."""
    first = pattern[0] if pattern else {}
    if len(first) != 1 or "OP" in first:
        return [pattern]
    (attr, value), = first.items()
    if attr not in ("NORM", "LOWER") or not isinstance(value, dict) or set(value) != {"IN"}:
        return [pattern]
    return [[{attr: word}] + pattern[1:] for word in sorted(set(value["IN"]))]


def pattern_keys(pattern: Iterable[Dict[str, Any]]) -> Set[str]:
    """Every literal key a Matcher pattern looks for (to extend the typo vocabulary)."""
    keys: Set[str] = set()
    for spec in pattern:
        norm = spec.get("NORM")
        if isinstance(norm, str):
            keys.add(norm)
        elif isinstance(norm, dict):
            keys.update(v for v in norm.get("IN", []) if isinstance(v, str))
    return keys


class Detector:
    """Compiled detection patterns for many owners (signals and fact values)."""

    MAX_VARIANTS = 48  # a phrase with up to this many literal variants goes to the PhraseMatcher

    def __init__(self, normaliser: Normaliser, grammar: Optional[Grammar] = None) -> None:
        self.normaliser = normaliser
        #: the words grammar is read by (rules/grammar.yml)
        self.grammar = grammar or project_grammar()
        self._pending: List[Tuple[str, List[List[Dict[str, Any]]], PatternSource]] = []
        self._near: List[_Near] = []
        self._unless: Dict[str, List[str]] = {}
        self._compiled: Optional[_Compiled] = None
        self._count = 0
        #: contrast words (token keys), set by the rule base from rules/words.yml
        self.contrasts: FrozenSet[str] = frozenset()

    # -- building -------------------------------------------------------------------------------
    def _label(self, owner: str, suffix: str) -> str:
        self._count += 1
        return f"{owner}#{suffix}{self._count}"

    def _patterns(self, phrases: Sequence[str]) -> List[List[Dict[str, Any]]]:
        return [p for phrase in phrases
                for p in _phrase_patterns(self.normaliser, phrase, self.grammar)]

    def add_phrase(self, owner: str, phrase: str, source: PatternSource) -> None:
        self._pending.append((self._label(owner, "p"),
                              _phrase_patterns(self.normaliser, phrase, self.grammar),
                              source))

    def add_pattern(self, owner: str, pattern: List[Dict[str, Any]], source: PatternSource) -> None:
        self._pending.append((self._label(owner, "m"), [list(pattern)], source))

    def add_near(self, owner: str, topics: Sequence[str], cues: Sequence[str], window: int,
                 source: PatternSource, sentences: int = 0,
                 with_: Optional[Sequence[str]] = None, order: str = "any") -> None:
        if order not in ("any", "topic_first"):
            raise PatternError(f"order must be 'any' or 'topic_first', not {order!r}")
        topic_label = self._label(owner, "t")
        cue_label = self._label(owner, "c")
        with_label = None
        if with_:
            with_label = self._label(owner, "w")
            self._pending.append((with_label, self._patterns(with_), source))
        self._pending.append((topic_label, self._patterns(topics), source))
        self._pending.append((cue_label, self._patterns(cues), source))
        self._near.append(_Near(owner, topic_label, cue_label, window, source, sentences,
                                with_label, order == "topic_first"))

    def add_unless(self, owner: str, phrases: Sequence[str], source: PatternSource) -> None:
        label = self._label(owner, "u")
        self._pending.append((label, self._patterns(phrases), source))
        self._unless.setdefault(owner, []).append(label)

    def compile(self) -> None:
        vocabulary: Set[str] = set()
        for _, patterns, _ in self._pending:
            for pattern in patterns:
                vocabulary |= pattern_keys(pattern)
        self.normaliser.extend(vocabulary)
        vocab = self.normaliser.nlp.vocab
        compiled = _Compiled(FirstWordMatcher(vocab), PhraseMatcher(vocab, attr="NORM"))
        for label, patterns, source in self._pending:
            token_patterns = []
            literal: List[List[str]] = []
            for pattern in patterns:
                variants = None if source.kind == "pattern" else _literal_variants(pattern)
                if variants is not None and len(variants) <= self.MAX_VARIANTS:
                    literal.extend(variants)
                else:
                    token_patterns.append(pattern)
            try:
                if token_patterns:
                    token_patterns = merge_patterns(token_patterns)
                    if source.kind == "pattern":
                        Matcher(vocab, validate=True).add(label, token_patterns)
                    compiled.matcher.add(label, token_patterns)
                if literal:
                    compiled.phrases.add(label, [_norm_doc(vocab, keys) for keys in literal])
            except (ValueError, KeyError, TypeError) as exc:
                raise PatternError(f"invalid token pattern: {exc}".splitlines()[0]) from exc
            compiled.labels[label] = source
        compiled.near = list(self._near)
        compiled.told_then_after = {n.source for n in self._near if n.topic_first}
        compiled.skip_labels = {n.topic_label for n in self._near} | \
            {n.cue_label for n in self._near} | \
            {n.with_label for n in self._near if n.with_label} | \
            {label for labels_ in self._unless.values() for label in labels_}
        self._compiled = compiled

    # -- running --------------------------------------------------------------------------------
    def run(self, text: str) -> List[Hit]:
        return self.run_full(text)[0]

    def run_full(self, text: str) -> Tuple[List[Hit], Dict[str, List[Tuple[int, int]]]]:
        """Hits, and the character spans of each owner's ``unless`` phrases (not negated)."""
        if self._compiled is None:
            self.compile()
        compiled = self._compiled
        assert compiled is not None
        doc = self.normaliser.doc(text)
        info = _TokenInfo(doc, self.grammar, self.contrasts)
        strings = doc.vocab.strings
        by_label: Dict[str, List[Tuple[int, int]]] = {}
        matches = list(compiled.phrases(doc)) if len(compiled.phrases) else []
        matches += compiled.matcher(doc)
        for match_id, start, end in matches:
            by_label.setdefault(strings[match_id], []).append((start, end))
        hits: List[Hit] = []
        for label, spans in by_label.items():
            if label in compiled.skip_labels:
                continue
            source = compiled.labels[label]
            for start, end in _longest(spans):
                if info.suppressed(start):
                    continue
                hits.append(_hit(doc, source.owner, start, end, source))
        hits.extend(self._near_hits(doc, info, by_label))
        hits = [h for h in hits if not self._cancelled(info, h, by_label)
                and not _amounts_agree(doc, h) and not _terms_agree(doc, h)
                and not (h.owner.startswith("signal:") and info.not_theirs(h))
                and not (h.owner.startswith(ELSEWHERE_FACTS) and
                         info.elsewhere(h.token_start, h.token_end))]
        unique = {(h.owner, h.start, h.end): h for h in hits}  # "ghost"/"ghosted" on one word
        reassurances: Dict[str, List[Tuple[int, int]]] = {}
        for owner, labels in self._unless.items():
            for label in labels:
                for start, end in by_label.get(label, ()):
                    if not info.suppressed(start):
                        span = doc[start:end]
                        reassurances.setdefault(owner, []).append((span.start_char,
                                                                   span.end_char))
        return sorted(unique.values(), key=lambda h: (h.start, h.end, h.owner)), reassurances

    def hypothetical_spans(self, text: str) -> List[Tuple[int, int]]:
        """The character spans of the words of ``text`` that stand in a hypothetical clause
        ("is it a red flag **if they take two weeks to reply**?"), in a clause about another
        job or person ("**my old job had a vague description**") or about the person's own
        slowness ("**it took me 10 days to reply to their email**"), so that the statistical
        backstop can leave such a sentence alone like the patterns do."""
        doc = self.normaliser.doc(text)
        info = _TokenInfo(doc, self.grammar, self.contrasts)
        own = info.own_clauses()
        return [(token.idx, token.idx + len(token.text)) for token in doc
                if info.kinds[token.i] == info.WORD and
                (token.i in own or info.own_question(token.i) or
                 info.scope(token.i, negations=False) == "hypothetical" or
                 info.elsewhere(token.i, token.i + 1))]

    def _cancelled(self, info: _TokenInfo, hit: Hit,
                   by_label: Dict[str, List[Tuple[int, int]]]) -> bool:
        """Is a hit cancelled by one of its owner's ``unless`` phrases standing close by?"""
        labels = self._unless.get(hit.owner)
        if not labels:
            return False
        span = (hit.token_start, hit.token_end)
        parts = hit.parts or (span,)
        assert self._compiled is not None
        told_then_after = hit.via in self._compiled.told_then_after and len(parts) == 2
        for label in labels:
            for start, end in by_label.get(label, ()):
                if any(p_start <= start and end <= p_end for p_start, p_end in parts):
                    continue  # within the pattern's own words ("no *clear* next steps")
                if hit.owner in TOLD_BEFORE_AND_AFTER and info.confirms_earlier(parts, start, end):
                    continue  # "the recruiter *confirmed* it, and now it's 5 days"
                if told_then_after and start < parts[0][1] and end <= parts[1][0]:
                    continue  # "they'd *let me know by* the end of that week. three weeks and
                    # nothing": a date ahead when it was told, passed by the words after it
                if start < span[1] and span[0] < end:
                    return True  # overlapping: "in the ad and they *confirmed* it"
                if info.suppressed(start):
                    continue  # "nothing was clear" does not reassure
                distance = info.distance(span, (start, end), 0)
                if distance is not None and distance <= UNLESS_WINDOW:
                    return True
                if start >= span[1] and info.after_contrast(span[1], start):
                    distance = info.distance(span, (start, end), 1)
                    if distance is not None and distance <= CONTRAST_WINDOW:
                        return True
        return False

    def _near_hits(self, doc: Doc, info: _TokenInfo,
                   by_label: Dict[str, List[Tuple[int, int]]]) -> List[Hit]:
        assert self._compiled is not None
        # every candidate pairing, scored by distance; a cue span goes to its nearest owner(s)
        candidates: Dict[Tuple[int, int], List[Tuple[int, _Near, Tuple[int, int]]]] = {}
        for near in self._compiled.near:
            topics = by_label.get(near.topic_label)
            cues = by_label.get(near.cue_label)
            withs = by_label.get(near.with_label) if near.with_label else None
            if not topics or not cues or (near.with_label and not withs):
                continue
            for cue in _longest(cues):
                best: Optional[Tuple[int, Tuple[int, int]]] = None
                for topic in topics:
                    if near.topic_first and (topic[0] >= cue[0] or info.deed_done(topic[0])):
                        continue  # "they sent the contract a week ago" kept the promise
                    if near.owner in TOLD_BEFORE_AND_AFTER and \
                            info.negated_right_before(min(topic[0], cue[0])):
                        continue  # "nobody promised me remote, i assumed it" promised nothing
                    distance = info.distance(topic, cue, near.sentences)
                    if distance is None or distance > near.window:
                        continue
                    if withs is not None and not any(
                            info.close(w, span, near.window, near.sentences)
                            for w in withs for span in (topic, cue)):
                        continue
                    if best is None or distance < best[0]:
                        best = (distance, topic)
                if best is not None:
                    candidates.setdefault(cue, []).append((best[0], near, best[1]))
        hits: List[Hit] = []
        for cue, options in candidates.items():
            if info.suppressed(cue[0]):
                continue
            nearest = min(distance for distance, _, _ in options)
            seen: Set[str] = set()
            for distance, near, topic in options:
                if distance > nearest or near.owner in seen:
                    continue
                seen.add(near.owner)
                start, end = min(cue[0], topic[0]), max(cue[1], topic[1])
                hits.append(_hit(doc, near.owner, start, end, near.source, (topic, cue)))
        return hits


def _literal_variants(pattern: List[Dict[str, Any]]) -> Optional[List[List[str]]]:
    """All concrete key sequences of a pattern made only of words, alternatives and optionals."""
    variants: List[List[str]] = [[]]
    for spec in pattern:
        norm = spec.get("NORM")
        if norm is None or set(spec) - {"NORM", "OP"} or spec.get("OP") not in (None, "?"):
            return None
        choices = [norm] if isinstance(norm, str) else list(norm.get("IN", []))
        if spec.get("OP") == "?":
            choices = choices + [None]
        variants = [v + ([c] if c is not None else []) for v in variants for c in choices]
        if len(variants) > Detector.MAX_VARIANTS:
            return None
    return [v for v in variants if v]


def _norm_doc(vocab: Any, keys: List[str]) -> Doc:
    doc = Doc(vocab, words=keys)
    for token, key in zip(doc, keys):
        token.norm_ = key
    return doc


class _TokenInfo:
    """Per-message arrays for clause boundaries, so distances cost O(1)."""

    WORD, SOFT, HARD, PUNCT = 0, 1, 2, 3

    def __init__(self, doc: Doc, grammar: Grammar, contrasts: FrozenSet[str] = frozenset()
                 ) -> None:
        self.grammar = g = grammar
        self.contrasts = contrasts
        kinds: List[int] = []
        keys: List[str] = []
        for token in doc:
            key, text = token.norm_, token.text
            keys.append(key)
            if key in g.hard_boundaries or text in g.hard_boundaries or "\n" in text:
                kinds.append(self.HARD)
            elif key in g.soft_boundaries or text in g.soft_boundaries:
                kinds.append(self.SOFT)
            elif token.is_punct or token.is_space:
                kinds.append(self.PUNCT)
            else:
                kinds.append(self.WORD)
        self.keys = keys
        self.texts = [token.text.lower() for token in doc]
        self._starts: Dict[Tuple[Tuple[str, ...], ...], FrozenSet[int]] = {}
        self.kinds = kinds
        self.is_punct = [t.is_punct for t in doc]
        # a run of sentence marks ("?!", "...") counts as one boundary, and so does a run of
        # contrast words ("no feedback yet but it was this morning")
        hard = [k == self.HARD and not (i > 0 and kinds[i - 1] == self.HARD and (
                    (doc[i].text in SENTENCE_ENDS and doc[i - 1].text in SENTENCE_ENDS) or
                    (keys[i] in contrasts and keys[i - 1] in contrasts)))
                for i, k in enumerate(kinds)]
        self.hard = hard
        cost = [1 if k == self.WORD else SOFT_BOUNDARY_COST if k == self.SOFT else
                SOFT_BOUNDARY_COST if h else 0 for k, h in zip(kinds, hard)]
        self.cost_prefix = [0]
        self.hard_prefix = [0]
        for c, h in zip(cost, hard):
            self.cost_prefix.append(self.cost_prefix[-1] + c)
            self.hard_prefix.append(self.hard_prefix[-1] + (1 if h else 0))

    def confirms_earlier(self, parts: Sequence[Tuple[int, int]], start: int, end: int) -> bool:
        """Does a reassurance at tokens ``start:end`` belong to what was said before, a part of
        the match standing after it in a clause that turns to what came later ("the ad said
        hybrid, the recruiter *confirmed* it on the phone, and *now* the manager says 5 days")?"""
        g = self.grammar
        for p_start, _ in parts:
            if p_start < end:
                continue
            boundary = False
            for i in range(end, p_start + 1):
                if self.kinds[i] in (self.SOFT, self.HARD) or (self.is_punct[i] and boundary):
                    boundary = True
                elif boundary and self.keys[i] in g.turns:
                    return True  # a clause that opens with the turn: ", and now", ". then"
                else:
                    boundary = False
        return False

    def after_contrast(self, end: int, start: int) -> bool:
        """Is the one clause boundary between tokens ``end`` and ``start`` a contrast word?"""
        hard = [i for i in range(end, start) if self.hard[i]]
        return len(hard) == 1 and self.keys[hard[0]] in self.contrasts

    def distance(self, a: Tuple[int, int], b: Tuple[int, int], sentences: int) -> Optional[int]:
        """Words between two spans, boundaries costing extra; None across too many hard ones."""
        if a[0] < b[1] and b[0] < a[1]:
            return None  # overlapping spans do not pair
        left_end, right_start = (a[1], b[0]) if a[0] < b[0] else (b[1], a[0])
        if self.hard_prefix[right_start] - self.hard_prefix[left_end] > sentences:
            return None
        return self.cost_prefix[right_start] - self.cost_prefix[left_end]

    def close(self, a: Tuple[int, int], b: Tuple[int, int], window: int, sentences: int) -> bool:
        if a[0] < b[1] and b[0] < a[1]:
            return True
        distance = self.distance(a, b, sentences)
        return distance is not None and distance <= window

    def _consequent(self, first: int, start: int) -> bool:
        """Does "I would" / "I might" (a subject and a modal) stand between token ``first``
        and the match at ``start``? Then the match is in the consequent of the condition ("if
        they offered i might consider it"), not in the condition itself."""
        g = self.grammar
        keys = self.keys
        return any((keys[j] in g.consequent_subjects and keys[j + 1] in g.consequent_modals) or
                   self._inverted_question(j) for j in range(first, min(start + 1, len(keys) - 1)))

    def _inverted_question(self, j: int) -> bool:
        """Does a question open at token ``j`` with its auxiliary before the subject ("should
        i", "does my boss", "am i")?"""
        g = self.grammar
        keys = self.keys
        if keys[j] == "be":
            return keys[j + 1] in g.question_pronouns and keys[j - 1] != "to"
        return keys[j] in g.question_auxiliaries and keys[j + 1] in g.question_subjects

    def _candid(self, i: int) -> bool:
        """Is the "if" at token ``i`` a manner of speaking ("if i'm honest", "if im being
        honest", "if you ask me", "if anything") rather than a condition?"""
        g = self.grammar
        after = self.keys[i + 1:i + 5]
        return bool(g.candid_if.intersection(after)) or after[:2] == ["you", "ask"]

    def _clause(self, start: int, end: int) -> Tuple[int, int]:
        """The tokens from the hard boundary before ``start`` to the one after ``end``."""
        left = start
        while left > 0 and self.kinds[left - 1] != self.HARD:
            left -= 1
        right = end
        while right < len(self.keys) and self.kinds[right] != self.HARD:
            right += 1
        return left, right

    def _at(self, i: int, words: Tuple[str, ...]) -> bool:
        return tuple(self.keys[i:i + len(words)]) == words

    def starts(self, phrases: Tuple[Tuple[str, ...], ...]) -> FrozenSet[int]:
        """The tokens where one of ``phrases`` starts (worked out once per message and list:
        asked for every token of every clause of every hit, it was most of detection's time
        after the Matcher)."""
        found = self._starts.get(phrases)
        if found is None:
            firsts = {words[0] for words in phrases}
            found = frozenset(i for i, key in enumerate(self.keys) if key in firsts and
                              any(self._at(i, words) for words in phrases))
            self._starts[phrases] = found
        return found

    def elsewhere(self, start: int, end: int) -> bool:
        """Is the clause of tokens ``start:end`` about another job or another person's story
        ("my old job had a vague description", "my friend at another company got told remote",
        "they ghosted me for weeks at my last job"), not set against the employer discussed
        ("unlike my old job, ...")? A person only before the match, not one who knows the
        employer ("my friend who works there"), and not one the person tells their own story to
        ("my sister asked me what the job is and i had no idea"), nor across a colon ("my partner
        spotted it: the ad said 55k and the letter says 48k")."""
        g = self.grammar
        keys = self.keys
        left, right = self._clause(start, end)
        for i in range(left, right - 1):
            if keys[i] not in ("my", "a") or (start <= i < end):
                continue
            if i > 0 and (keys[i - 1] in g.elsewhere_contrasts or
                          (i > 1 and keys[i - 2] in g.elsewhere_contrasts)):
                continue
            following = [k for k in keys[i + 1:i + 4] if k not in ("-", "–")]
            if keys[i] == "my" and len(following) >= 2 and following[0] in g.elsewhere_past \
                    and following[1] in g.elsewhere_places:
                return True
            if following and following[0] in g.elsewhere_people and i < start and \
                    not g.elsewhere_there.intersection(keys[i:right]) and \
                    not g.first_person.intersection(keys[i + 2:start]) and \
                    not {":", "-", "–", "—"}.intersection(keys[i + 2:start]):
                return True
        return False

    def own_side(self, start: int, end: int, actor: bool) -> bool:
        """Does the clause of ``start:end`` put it on the person ("on my side", "my own fault",
        not "not my fault")? ``actor``: also when the person is the one who was slow, at the
        start of the match ("took me a week to send them my cv", "i was slow to reply")."""
        g = self.grammar
        left, right = self._clause(start, end)
        for i in range(left, right):
            if self._owned(i) or self._own_trait(i):
                return True
        if actor:
            for i in range(max(left, start - 2), min(right, start + 2)):
                if i in self.starts(g.own_actor):
                    return True
        return False

    def _owned(self, i: int) -> bool:
        """Does an own_side phrase start at token ``i``, not negated ("not my fault") and not
        the employer's claim ("acted like it was my fault")?"""
        g = self.grammar
        keys = self.keys
        return i in self.starts(g.own_side) and \
            not (i > 0 and keys[i - 1] in g.negations) and \
            not g.own_side_claimed.intersection(keys[max(0, i - 4):i])

    def _own_trait(self, i: int) -> bool:
        """Is token ``i`` one of own_traits said of the person ("i was a bit **vague** about
        my salary", "im the one being **vague**", "too **vague** of me"), not of the employer
        ("they were vague", "i found them vague")?"""
        g = self.grammar
        keys = self.keys
        if keys[i] not in g.own_traits:
            return False
        if keys[i + 1:i + 3] == ["of", "me"] or keys[i + 1:i + 3] == ["of", "us"]:
            return True
        j = i - 1
        while j >= 0 and i - j <= 6 and self.kinds[j] == self.WORD and keys[j] in g.trait_fillers:
            j -= 1
        return j >= 0 and self.kinds[j] == self.WORD and keys[j] in g.consequent_subjects

    def own_clauses(self) -> Set[int]:
        """The tokens of every clause that puts things on the person: "on my side", or the
        person slow to act ("it took me 10 days to reply", "i was slow to send it"; not "it
        took me three emails to get a reply")."""
        g = self.grammar
        keys = self.keys
        found: Set[int] = set()
        for i in range(len(keys)):
            own = self._owned(i) or self._own_trait(i)
            if not own and i in self.starts(g.own_actor):
                after = keys[i + 1:i + 7]
                own = "to" in after and after[after.index("to") + 1:][:1] != [] and \
                    after[after.index("to") + 1:][0] in g.own_verbs and \
                    not ("get" in after and ("reply" in after or "answer" in after or
                                             "response" in after))
            if own:
                left, right = self._clause(i, i + 1)
                found.update(range(left, right))
        return found

    def not_theirs(self, hit: Hit) -> bool:
        """Is a red flag's match about someone other than the employer discussed (another job,
        another person's story, a kind of employer), the person's own doing, or what the person
        asks whether to do?"""
        g = self.grammar
        start, end = hit.token_start, hit.token_end
        if self.own_question(start):
            return True
        if hit.owner not in ELSEWHERE_EXEMPT and self.elsewhere(start, end):
            return True
        left, right = self._clause(start, end)
        if any(left <= i < right for i in self.starts(g.general_remarks)):
            return True
        if self.own_side(start, end, hit.owner in OWN_ACTOR_OWNERS):
            return True
        if hit.via.kind != "near" or len(hit.parts) != 2:
            return self.own_doing(start) or self.dispositional(start)
        # a promise and what came of it: the promise's source told in the person's own doing is
        # no promise ("i was slow getting back to them after **the first call**"; "we discussed
        # remote on the first call" is a conversation, one of undergoer_verbs)
        topic, cue = hit.parts
        if self.own_possessed(topic[0]):
            return True  # "i couldn't really explain what **my own values** are"
        # the cue in the person's own doing, unless the topic is someone else's ("they keep
        # calling me sarah in every **email** even though i've signed off as sara **twice**")
        if self.dispositional(cue[0]):
            return True
        subject = self.subject_of(topic[0])
        return self.own_doing(cue[0]) and (subject is None or
                                           self.keys[subject] in self.grammar.consequent_subjects)

    def dispositional(self, start: int) -> bool:
        """Does the match at token ``start`` follow one of dispositions ("the managers **can
        be** chaotic", "the process **can get** slow in december"), with only actor_fillers
        between: a trait told as a downside, not something that happened?"""
        g = self.grammar
        for i in self.starts(g.dispositions):
            for words in g.dispositions:
                if not self._at(i, words):
                    continue
                end = i + len(words)
                if i < start + 1 and start - i <= 4 and (end > start or all(
                        self.keys[j] in g.actor_fillers for j in range(end, start))):
                    return True
        return False

    def own_doing(self, cue: int) -> bool:
        """Is the person the one who did what the clause of token ``cue`` tells: its subject "i"
        or "we", in the active voice ("i was a bit **slow** getting back to them", "i cancelled
        the second stage **last minute**", "i **couldn't really explain** my own values", "i'm
        the one who's been **slow**"), not one who waited, heard, chased or reports ("i never
        heard back", "i think they ghosted me") nor a passive ("i was ghosted", "i got told")?
        See ``actor_subjects`` in rules/grammar.yml."""
        g = self.grammar
        keys, kinds = self.keys, self.kinds
        left = cue
        while left > 0 and (kinds[left - 1] not in (self.SOFT, self.HARD) or
                            self._intensifier(left - 1)):
            left -= 1
        # "i'm the one who's been slow": the relative clause's subject is the one before "who"
        while left >= 2 and keys[left - 1] in ("who", "that") and keys[left - 2] == "one":
            left -= 2
            while left > 0 and kinds[left - 1] not in (self.SOFT, self.HARD):
                left -= 1
        subjects = [i for i in range(left, cue) if keys[i] in g.actor_subjects]
        if subjects:
            subject = subjects[-1]
            first = subject + 1
        else:
            # "i was slow to reply and slow to book": a predicate alone after "and" takes the
            # subject of the clause before
            if left == 0 or keys[left - 1] not in g.actor_conjunctions or \
                    kinds[left - 1] == self.HARD or \
                    any(keys[i] not in g.actor_fillers for i in range(left, cue)) or \
                    keys[left] in g.negations or keys[left] in g.function_words or \
                    self._has_subject(cue):
                return False  # "..., and now im worried", "and the contract says": own subject
            before = left - 1
            while before > 0 and kinds[before - 1] not in (self.SOFT, self.HARD):
                before -= 1
            while before < left - 1 and keys[before] in g.question_fillers:
                before += 1
            subject, first = before, left
            # ... when that clause is the subject's own doing too: "i was told at the first
            # stage that it's hybrid and at the second that it's office first" is no one's doing
            if keys[subject] not in g.consequent_subjects or \
                    not self._active_doing(subject + 1, left - 2):
                return False
        if keys[subject] not in g.consequent_subjects or self._quoted(subject):
            return False  # "they said 'we can't hire people fast enough'": the employer's "we"
        if subject > 0 and keys[subject - 1] in g.passive_auxiliaries and \
                self._participle(subject + 1):
            return False  # "which one am i supposed to believe?"
        return self._active_doing(first, cue)

    def subject_of(self, i: int) -> Optional[int]:
        """The nearest of actor_subjects before token ``i`` in its clause, if any."""
        left = i
        while left > 0 and self.kinds[left - 1] not in (self.SOFT, self.HARD):
            left -= 1
        subjects = [j for j in range(left, i) if self.keys[j] in self.grammar.actor_subjects]
        return subjects[-1] if subjects else None

    def own_possessed(self, i: int) -> bool:
        """Does the topic at token ``i`` belong to the person: "my own values", "our own
        direction" (one of own_possessives right before it)?"""
        return any(tuple(self.keys[i - len(words):i]) == words
                   for words in self.grammar.own_possessives if i >= len(words))

    def _intensifier(self, i: int) -> bool:
        """Is the soft boundary at token ``i`` a filler between an auxiliary and its
        predicate ("i was **so** slow"), not a conjunction ("..., so i chased")?"""
        keys = self.keys
        return self.kinds[i] == self.SOFT and not self.is_punct[i] and i > 0 and \
            keys[i] in self.grammar.actor_fillers and keys[i - 1] in self.grammar.actor_fillers \
            and self.kinds[i - 1] == self.WORD

    def _has_subject(self, i: int) -> bool:
        """Does one of actor_subjects follow token ``i`` in its clause?"""
        k = i
        while k < len(self.keys) and self.kinds[k] not in (self.SOFT, self.HARD):
            if self.keys[k] in self.grammar.actor_subjects:
                return True
            k += 1
        return False

    def _quoted(self, i: int) -> bool:
        """Does token ``i`` stand inside quotation marks opened earlier in its sentence?"""
        marks = 0
        j = i - 1
        while j >= 0 and self.texts[j] not in SENTENCE_ENDS:
            marks += self.texts[j] in QUOTE_MARKS
            j -= 1
        return marks % 2 == 1

    def _active_doing(self, first: int, cue: int) -> bool:
        """Is the predicate that starts at or after token ``first`` (after actor_fillers) one the
        subject does itself: not one of undergoer_verbs, not a passive participle, and the cue at
        token ``cue`` within it, not in a verb group of its own after it ("the area i'd cover
        **hasn't been** assigned": "i" is the subject of "cover" only)?"""
        g = self.grammar
        keys = self.keys
        k = first
        while k < len(keys) and (self.kinds[k] == self.WORD or self._intensifier(k)):
            key = keys[k]
            participle_next = k + 1 < len(keys) and self._participle(k + 1)
            if key in g.passive_auxiliaries and participle_next:
                return False  # "i was ghosted", "i got told", "i was kept in the dark"
            if key in g.actor_irrealis:
                return False  # "they keep promising i'll double my salary", "what i'd deliver"
            if key in g.actor_inability and k + 1 < len(keys) and keys[k + 1] in g.negations:
                return False  # "i could not describe this job to my mum"
            if (key in g.actor_fillers and not (key in g.undergoer_verbs and not participle_next)) \
                    or self._adverb(k):
                k += 1
                continue
            break
        if k >= len(keys) or self.kinds[k] != self.WORD:
            return False
        if keys[k] in g.undergoer_verbs or keys[k] in g.negations or keys[cue] in g.negations:
            return False  # "i left the interview with **no idea** what i'd do": what they lacked
        return not any(keys[j] in g.actor_auxiliaries for j in range(k + 1, cue + 1))

    def deed_done(self, i: int) -> bool:
        """Does the promise that starts at token ``i`` stand in the simple past after its
        subject, a deed done rather than one promised: "they **sent** the contract a week ago"
        (not "they'd send the contract", "they promised to send it")? Only for the steps of the
        process (``own_verbs``), whose past is the step taken."""
        g = self.grammar
        keys = self.keys
        if keys[i] not in g.own_verbs or not self._participle(i):
            return False
        j = i - 1
        while j >= 0 and keys[j] in g.actor_fillers:  # "they actually sent", "she's sent"
            j -= 1
        return j >= 0 and keys[j] in g.actor_subjects and not self._quoted(j)

    def _adverb(self, k: int) -> bool:
        """Is token ``k`` an adverb in -ly ("genuinely", "specifically", "only") rather than a
        verb that ends so ("reply", "apply": one of own_verbs or undergoer_verbs)?"""
        g = self.grammar
        text = self.texts[k]
        return len(text) > 3 and text.endswith("ly") and self.keys[k] not in g.own_verbs and \
            self.keys[k] not in g.undergoer_verbs

    def _participle(self, k: int) -> bool:
        """Does token ``k`` look like a past participle: a verb form that is not its base form
        nor an -ing form ("ghosted", "told", "kept", "been")?"""
        text = self.texts[k]
        return text != self.keys[k] and not text.endswith("ing") and \
            not text.endswith("'s") and text.isalpha()

    def own_question(self, start: int) -> bool:
        """Does the match at ``start`` stand in a question about the person's own next step,
        right after its opening ("should i **chase them** or wait?", "is it **rude to email the
        recruiter**?", "how do i **follow up**")? Not when the question goes on to report
        something ("should i be worried **that they** ghosted me?", "is it a red flag that ...")."""
        g = self.grammar
        keys = self.keys
        j = start
        while j > 0 and self.kinds[j - 1] != self.HARD and start - j < OWN_QUESTION_REACH:
            j -= 1
        if j > 0 and self.kinds[j - 1] != self.HARD:
            return False
        while j < start and keys[j] in g.question_fillers:
            j += 1
        opener = keys[j:j + 3]
        if len(opener) < 2:
            return False
        if opener[0] in ("how", "when", "what") and len(opener) == 3:
            opener = opener[1:]
        if opener[0] == "be" and opener[1] == "it" and opener[2:] not in (["just"], ["me"]):
            body = j + 2  # not "is it just me or is that not a job"
        elif opener[0] in g.own_question_auxiliaries and opener[1] in ("i", "we"):
            body = j + 2 + (keys[j] in ("how", "when", "what"))
        else:
            return False
        return body <= start and not g.reporting_words.intersection(keys[body:start])

    def _general(self, i: int) -> bool:
        """Does token ``i`` open a question about what is normal or a general case rather than
        a report: "is it normal **for a** recruiter to take a week", "**do companies usually**
        change it", "i'd **hate** to end up **somewhere** where nobody can say what the job is"?
        ("is it normal that they ghosted me" reports what happened and stays a finding.)"""
        g = self.grammar
        keys = self.keys
        key = keys[i]
        after = keys[i + 1] if i + 1 < len(keys) else ""
        if key == "for" and i > 0 and keys[i - 1] in g.normality and after in g.generic_subjects:
            return True
        if key in g.generic_subjects and key not in ("a", "an") and i > 0 and \
                keys[i - 1] in ("do", "doe", "will", "would", "can") and \
                (after in g.generic_adverbs or key.endswith("s")):
            return True
        if key in g.irrealis and i > 0 and keys[i - 1] == "would":
            return True
        if key in ("a", "an") and self._general_question(i):
            return True
        return key in g.indefinite_places and after in ("where", "that", "which")

    def _general_question(self, i: int) -> bool:
        """Does the "a"/"an" at token ``i`` name a kind of thing in a general question: a
        sentence that opens with one of general_question_openers and ends with "?" ("what are
        the signs **a** job description is too vague?"), with none of question_reports before
        it ("why would they send a spec that thin?" reports what they sent)?"""
        g = self.grammar
        keys = self.keys
        first = i
        while first > 0 and keys[first - 1] not in SENTENCE_ENDS:
            first -= 1
        last = i
        while last < len(keys) and keys[last] not in SENTENCE_ENDS:
            last += 1
        return last < len(keys) and keys[last] == "?" and \
            keys[first] in g.general_question_openers and \
            not g.question_reports.intersection(keys[first:i])

    def negated_right_before(self, start: int) -> bool:
        """Is the match at token ``start`` negated by a word up to three words before it
        ("nobody promised me remote", "never said", "no one told me"), not only somewhere in its
        clause ("is not the one that was in the contract" negates the sameness)?"""
        return self.scope(start) == "negation" and any(
            self.keys[j] in self.grammar.negations for j in range(max(0, start - 3), start))

    def suppressed(self, start: int) -> bool:
        """Is the match starting at token ``start`` negated or hypothetical in its clause?

        A negation counts within a few words before the match and inside the same clause;
        "if", "whether" and the like count further back, across "and" but not across a comma.
        """
        return self.scope(start) is not None

    def scope(self, start: int, negations: bool = True) -> Optional[str]:
        """"negation" or "hypothetical" when token ``start`` stands in such a clause (see
        :meth:`suppressed`), else None; ``negations=False`` looks for a hypothetical only."""
        g = self.grammar
        keys, kinds = self.keys, self.kinds
        words = 0
        clause_ended = False      # a soft boundary ("and", "so", ",") was crossed
        comma_crossed = False     # a soft boundary mark ("," ":" "-") was crossed
        for i in range(start - 1, -1, -1):
            kind = kinds[i]
            if kind == self.HARD:
                return None
            if kind == self.SOFT:
                if self.is_punct[i]:
                    comma_crossed = True
                clause_ended = True
                continue
            if kind == self.PUNCT:
                continue
            words += 1
            if words > HYPOTHETICAL_WINDOW or (comma_crossed and words > NEGATION_WINDOW):
                return None
            key = keys[i]
            if key in g.hypotheticals and not comma_crossed and \
                    not (i > 0 and keys[i - 1] in ("as", "even")) and \
                    not (i + 1 < len(keys) and keys[i + 1] == "to") and \
                    not (key in g.worries and i > 0 and keys[i - 1] in ("what", "that")) and \
                    not self._candid(i) and \
                    not self._consequent(i + 2, start):
                return "hypothetical"
            if not comma_crossed and self._general(i):
                return "hypothetical"
            if negations and key in g.negations and not clause_ended and words <= NEGATION_WINDOW:
                following = keys[i + 1] if i + 1 < len(keys) else ""
                answer_no = key == "no" and following in g.answer_no_before and \
                    (i == 0 or kinds[i - 1] == self.HARD)
                idiom = any(tuple(keys[i + 1:i + 1 + len(words_)]) == words_
                            for words_ in g.negation_idioms)
                if following not in g.negation_breakers and not answer_no and not idiom:
                    return "negation"
        return None


def _longest(spans: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """Drop spans contained in a longer span of the same label (optional words create those)."""
    spans = sorted(set(spans), key=lambda s: (s[0], -(s[1] - s[0])))
    kept: List[Tuple[int, int]] = []
    for start, end in spans:
        if any(k_start <= start and end <= k_end for k_start, k_end in kept):
            continue
        kept.append((start, end))
    return kept


def _part_of_word(token: Any) -> bool:
    """A token the tokenizer split off a written word ("10" of "10%", "has" of "hasn't")."""
    return bool(token.is_alpha or token.like_num or token.is_currency or
                token.text in ("%", "n't", "n\u2019t"))


def _hit(doc: Doc, owner: str, start: int, end: int, source: PatternSource,
         parts: Tuple[Tuple[int, int], ...] = ()) -> Hit:
    # quote whole written words: "hasn't replied", not "n't replied"; "10% raise", not "% raise"
    while start > 0 and not doc[start - 1].whitespace_ and _part_of_word(doc[start - 1]):
        start -= 1
    while end < len(doc) and not doc[end - 1].whitespace_ and _part_of_word(doc[end]):
        end += 1
    span = doc[start:end]
    return Hit(owner, span.start_char, span.end_char, span.text, source, start, end,
               parts or ((start, end),))


def _amounts(text: str) -> List[Tuple[float, float]]:
    """The amounts in ``text`` as (low, high) ranges: "75k", "£45-50k", "two days", "50 to 55"."""
    words = re.sub(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b",
                   lambda m: _NUMBER_WORDS[m.group(1).lower()], text, flags=re.I)
    found = []
    for m in _AMOUNT.finditer(words):
        low = float(m.group(1).replace(",", ""))
        high = float(m.group(3).replace(",", "")) if m.group(3) else low
        thousands = bool(m.group(2) or m.group(4))
        if thousands:
            low, high = (low * 1000 if low < 1000 else low), (high * 1000 if high < 1000 else high)
        found.append((low, high))
    # "60" said of a salary beside "61k" means 60k
    if any(high >= 1000 for _, high in found):
        found = [(low * 1000, high * 1000) if high < 1000 else (low, high) for low, high in found]
    return found


def _amounts_agree(doc: Doc, hit: Hit) -> bool:
    """Does the last amount from the hit to the end of its sentence fall within the first, or
    the last amount of the hit's whole sentence within its first ("salary was 42k in the ad and
    42k in the offer": the match starts after the first amount)?"""
    end = hit.token_end
    while end < len(doc) and doc[end].text not in SENTENCE_ENDS:
        end += 1
    if amounts_agree(hit.owner, doc[hit.token_start:end].text):
        return True
    start = hit.token_start
    while start > 0 and doc[start - 1].text not in SENTENCE_ENDS:
        start -= 1
    before = doc[start:hit.token_start].text
    return bool(re.search(r"\d", before)) and amounts_agree(hit.owner, doc[start:end].text)


_SAID = re.compile(r"\b(?:say|says|said|saying|state|states|stated|read|reads|list|lists|"
                   r"listed)\b\s*[\"'“‘]?\s*([^.!?;:,\"“”]*?)\s*[\"'”’]?\s*(?=$|[.!?;:,]|"
                   r"\b(?:and|but|so|because|which|though|although|while|whereas)\b)",
                   re.I)


def terms_agree(owner: str, text: str) -> bool:
    """For an owner whose terms are compared: is a term said twice in the same words, the second
    time at the end of its sentence or clause? "the recruiter said 'fully remote' and the
    contract says fully remote" held; "said hybrid and the lead said hybrid but only for
    seniors" did not (the second ends at "but")."""
    if owner not in AMOUNTS_COMPARED:
        return False
    if repeated_term(text):
        return True
    said = [(m.group(1).lower().split(), m.end()) for m in _SAID.finditer(text)]
    if len(said) < 2 or not said[0][0]:
        return False
    last_words, last_end = said[-1]
    rest = text[last_end:].lstrip(" \"'”’")
    closes = not rest or rest[0] in ".!?;:,"
    return closes and said[0][0] == last_words


# a term named the same way at both stages, the second time closing its clause: "hybrid in the
# ad and hybrid in the interview, 2 days in office", "the ad said remote and it IS remote"
_REPEATED = (
    re.compile(r"\b([a-z][a-z0-9-]*(?: [a-z][a-z0-9-]*)?) (?:in|on) the [a-z]+(?: [a-z]+)?,? "
               r"(?:and|then|and then)(?: again)? \1 (?:in|on|at) the [a-z]+(?: [a-z]+)?"
               r"\s*(?=$|[.!?;:,])", re.I),
    re.compile(r"\bsaid [\"'‘“]?([a-z][a-z0-9 -]{1,30}?)[\"'’”]? and it "
               r"(?:is|was|'s|really is|actually is|really was) [\"'‘“]?\1"
               r"[\"'’”]?\s*(?=$|[.!?;:,])", re.I),
)


_TURN = re.compile(r"\b(?:but|though|although|however|except|only|now|until|unless)\b", re.I)


def repeated_term(text: str, start: Optional[int] = None, end: Optional[int] = None) -> bool:
    """Is a term named twice in the same words in ``text`` (see ``_REPEATED``)? With ``start``
    and ``end``, the words ``text[start:end]`` must lie within the repetition; without, nothing
    after it may turn the story ("..., but the salary went down")."""
    for pattern in _REPEATED:
        for m in pattern.finditer(text):
            if start is not None and end is not None:
                if m.start() <= start and end <= m.end():
                    return True
            elif not _TURN.search(text, m.end()):
                return True
    return False


def _terms_agree(doc: Doc, hit: Hit) -> bool:
    """:func:`terms_agree` from the start of the hit to the end of its sentence, or a term
    repeated at both stages (:func:`repeated_term`) where the hit lies."""
    end = hit.token_end
    while end < len(doc) and doc[end].text not in SENTENCE_ENDS:
        end += 1
    if end < len(doc):
        end += 1
    if terms_agree(hit.owner, doc[hit.token_start:end].text):
        return True
    if hit.owner not in AMOUNTS_COMPARED:
        return False
    start = hit.token_start
    while start > 0 and doc[start - 1].text not in SENTENCE_ENDS:
        start -= 1
    sentence = doc[start:end]
    return repeated_term(sentence.text, hit.start - sentence.start_char,
                         hit.end - sentence.start_char)


def amounts_agree(owner: str, text: str) -> bool:
    """For an owner whose amounts are compared: does the last amount in ``text`` fall within
    the first (5% either way), and so does every amount of the same scale between them ("60 to
    70 in the ad, in the interview 'around 55, maybe 60'" changed)? Then the term named twice
    did not change. The statistical backstop's sentences are checked the same way."""
    if owner not in AMOUNTS_COMPARED:
        return False
    if terms_agree(owner, text):
        return True
    amounts = _amounts(text)
    if len(amounts) < 2:
        return False
    (low, high), (last_low, last_high) = amounts[0], amounts[-1]
    if not (low * 0.95 <= last_low and last_high <= high * 1.05):
        return False
    return all(low * 0.95 <= a_low and a_high <= high * 1.05 for a_low, a_high in amounts[1:-1]
               if low * 0.5 <= a_low and a_high <= high * 2)
