"""Pattern detection over free text: compiled once from the rule base, run per message.

Three kinds of pattern, all matched on token keys (see :mod:`.nlp`):

* ``phrases`` - a sequence of words; ``a|b`` accepts either word, ``?word`` is optional and
  ``*`` skips up to two words.  One phrase alone is enough.
* ``near`` - a *topic* phrase and a *cue* phrase at most ``window`` words apart in the same
  sentence ("the **responsibilities** were honestly pretty **vague**").  When a cue word belongs
  to several owners (``vague`` for the role and for the culture), it goes to the owner whose
  topic is nearest.
* ``patterns`` - raw spaCy Matcher token patterns on ``NORM``.

A match is dropped when it is negated ("they were **not** vague at all", "**nobody** oversold
it") or hypothetical ("**if** the description is vague, ...") within its clause.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from spacy.matcher import Matcher
from spacy.tokens import Doc

from .nlp import Normaliser

NEGATIONS = frozenset({"not", "no", "never", "nobody", "none", "nothing", "neither", "nor",
                       "without", "hardly", "barely", "zero", "nowhere", "noone", "cannot"})
# words right after a negation that cancel it: "not only", "no longer", "nothing but"
NEGATION_BREAKERS = frozenset({"only", "just", "longer", "but", "even", "until", "till", "sure"})
HYPOTHETICALS = frozenset({"if", "whether", "suppose", "supposing", "hypothetically", "imagine",
                           "unless", "worried", "worry", "afraid", "fear", "feared"})
# tokens that end a clause for negation and hypothetical scope
SOFT_BOUNDARIES = frozenset({",", "and", "so", "because", "which", "who", "(", ")", "-",
                             "--", "—", "–", ":", '"', "“", "”"})
HARD_BOUNDARIES = frozenset({".", "!", "?", ";", "...", "…", "but", "although", "though",
                             "however", "whereas", "while", "yet", "except", "still", "also",
                             "plus", "anyway", "lol", "tbh", "honestly"})
NEGATION_WINDOW = 5
HYPOTHETICAL_WINDOW = 14
SOFT_BOUNDARY_COST = 2
SENTENCE_ENDS = frozenset({".", "!", "?", ";", "...", "…"})
UNLESS_WINDOW = 6


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

    def as_dict(self) -> Dict[str, Any]:
        return {"evidence": self.text, "start": self.start, "end": self.end,
                "pattern": self.via.text, "kind": self.via.kind}


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


@dataclass
class _Compiled:
    matcher: Matcher
    labels: Dict[str, PatternSource] = field(default_factory=dict)
    near: List[_Near] = field(default_factory=list)


def _phrase_tokens(normaliser: Normaliser, phrase: str) -> List[Dict[str, Any]]:
    """Compile the phrase mini-language into Matcher token specifications."""
    tokens: List[Dict[str, Any]] = []
    for chunk in phrase.split():
        if chunk == "*":
            tokens += [{"IS_PUNCT": False, "OP": "?"}, {"IS_PUNCT": False, "OP": "?"}]
            continue
        optional = chunk.startswith("?") and len(chunk) > 1
        body = chunk[1:] if optional else chunk
        alternatives = [a for a in body.split("|")]
        if any(not a for a in alternatives):
            raise PatternError(f"empty alternative in {chunk!r}")
        keyed = [normaliser.phrase_keys(a) for a in alternatives]
        if len(alternatives) > 1:
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

    def __init__(self, normaliser: Normaliser) -> None:
        self.normaliser = normaliser
        self._pending: List[Tuple[str, List[List[Dict[str, Any]]], PatternSource]] = []
        self._near: List[_Near] = []
        self._unless: Dict[str, List[str]] = {}
        self._compiled: Optional[_Compiled] = None
        self._count = 0

    # -- building -------------------------------------------------------------------------------
    def _label(self, owner: str, suffix: str) -> str:
        self._count += 1
        return f"{owner}#{suffix}{self._count}"

    def add_phrase(self, owner: str, phrase: str, source: PatternSource) -> None:
        self._pending.append((self._label(owner, "p"), [_phrase_tokens(self.normaliser, phrase)],
                              source))

    def add_pattern(self, owner: str, pattern: List[Dict[str, Any]], source: PatternSource) -> None:
        self._pending.append((self._label(owner, "m"), [list(pattern)], source))

    def add_near(self, owner: str, topics: Sequence[str], cues: Sequence[str], window: int,
                 source: PatternSource, sentences: int = 0,
                 with_: Optional[Sequence[str]] = None) -> None:
        topic_label = self._label(owner, "t")
        cue_label = self._label(owner, "c")
        with_label = None
        if with_:
            with_label = self._label(owner, "w")
            self._pending.append((with_label, [_phrase_tokens(self.normaliser, w) for w in with_],
                                  source))
        self._pending.append((topic_label, [_phrase_tokens(self.normaliser, t) for t in topics],
                              source))
        self._pending.append((cue_label, [_phrase_tokens(self.normaliser, c) for c in cues],
                              source))
        self._near.append(_Near(owner, topic_label, cue_label, window, source, sentences,
                                with_label))

    def add_unless(self, owner: str, phrases: Sequence[str], source: PatternSource) -> None:
        label = self._label(owner, "u")
        self._pending.append((label, [_phrase_tokens(self.normaliser, p) for p in phrases], source))
        self._unless.setdefault(owner, []).append(label)

    def compile(self) -> None:
        vocabulary: Set[str] = set()
        for _, patterns, _ in self._pending:
            for pattern in patterns:
                vocabulary |= pattern_keys(pattern)
        self.normaliser.extend(vocabulary)
        matcher = Matcher(self.normaliser.nlp.vocab, validate=True)
        compiled = _Compiled(matcher)
        for label, patterns, source in self._pending:
            try:
                matcher.add(label, patterns)
            except (ValueError, KeyError, TypeError) as exc:
                raise PatternError(f"invalid token pattern: {exc}".splitlines()[0]) from exc
            compiled.labels[label] = source
        compiled.near = list(self._near)
        self._compiled = compiled

    # -- running --------------------------------------------------------------------------------
    def run(self, text: str) -> List[Hit]:
        if self._compiled is None:
            self.compile()
        assert self._compiled is not None
        doc = self.normaliser.doc(text)
        vocab_strings = doc.vocab.strings
        by_label: Dict[str, List[Tuple[int, int]]] = {}
        for match_id, start, end in self._compiled.matcher(doc):
            by_label.setdefault(vocab_strings[match_id], []).append((start, end))
        hits: List[Hit] = []
        labels = self._compiled.labels
        near_labels = {n.topic_label for n in self._compiled.near} | \
            {n.cue_label for n in self._compiled.near} | \
            {n.with_label for n in self._compiled.near if n.with_label} | \
            {label for labels_ in self._unless.values() for label in labels_}
        for label, spans in by_label.items():
            if label in near_labels:
                continue
            source = labels[label]
            for start, end in _longest(spans):
                if _suppressed(doc, start):
                    continue
                hits.append(_hit(doc, source.owner, start, end, source))
        hits.extend(self._near_hits(doc, by_label))
        hits = [h for h in hits if not self._cancelled(doc, h, by_label)]
        hits.sort(key=lambda h: (h.start, h.end, h.owner))
        return hits

    def _cancelled(self, doc: Doc, hit: Hit, by_label: Dict[str, List[Tuple[int, int]]]) -> bool:
        """Is a hit cancelled by one of its owner's ``unless`` phrases standing close by?"""
        labels = self._unless.get(hit.owner)
        if not labels:
            return False
        span = doc.char_span(hit.start, hit.end, alignment_mode="expand")
        if span is None:
            return False
        for label in labels:
            for start, end in by_label.get(label, ()):
                if start < span.end and span.start < end:
                    continue  # inside the hit itself ("no *clear* next steps")
                distance = _distance(doc, (span.start, span.end), (start, end))
                if distance is not None and distance <= UNLESS_WINDOW and \
                        not _suppressed(doc, start):
                    return True
        return False

    def _near_hits(self, doc: Doc, by_label: Dict[str, List[Tuple[int, int]]]) -> List[Hit]:
        assert self._compiled is not None
        # every candidate pairing, scored by distance; a cue span is given to its nearest owner(s)
        # near patterns that may span sentences do not compete with the clause-level ones
        candidates: Dict[Tuple[int, int, bool], List[Tuple[int, _Near, Tuple[int, int]]]] = {}
        for near in self._compiled.near:
            topics = by_label.get(near.topic_label)
            cues = by_label.get(near.cue_label)
            withs = by_label.get(near.with_label) if near.with_label else None
            if not topics or not cues or (near.with_label and not withs):
                continue
            for cue in _longest(cues):
                best: Optional[Tuple[int, Tuple[int, int]]] = None
                for topic in topics:
                    distance = _distance(doc, topic, cue, near.sentences)
                    if distance is None or distance > near.window:
                        continue
                    if withs is not None and not any(
                            _close(doc, w, span, near.window, near.sentences)
                            for w in withs for span in (topic, cue)):
                        continue
                    if best is None or distance < best[0]:
                        best = (distance, topic)
                if best is not None:
                    key = (cue[0], cue[1], False)
                    candidates.setdefault(key, []).append((best[0], near, best[1]))
        hits: List[Hit] = []
        for (cue_start, cue_end, _), options in candidates.items():
            cue = (cue_start, cue_end)
            if _suppressed(doc, cue[0]):
                continue
            nearest = min(distance for distance, _, _ in options)
            seen: Set[str] = set()
            for distance, near, topic in options:
                if distance > nearest or near.owner in seen:
                    continue
                seen.add(near.owner)
                start, end = min(cue[0], topic[0]), max(cue[1], topic[1])
                hits.append(_hit(doc, near.owner, start, end, near.source))
        return hits


def _longest(spans: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """Drop spans contained in a longer span of the same label (optional words create those)."""
    spans = sorted(set(spans), key=lambda s: (s[0], -(s[1] - s[0])))
    kept: List[Tuple[int, int]] = []
    for start, end in spans:
        if any(k_start <= start and end <= k_end for k_start, k_end in kept):
            continue
        kept.append((start, end))
    return kept


def _close(doc: Doc, a: Tuple[int, int], b: Tuple[int, int], window: int, sentences: int) -> bool:
    if a[0] < b[1] and b[0] < a[1]:
        return True
    distance = _distance(doc, a, b, sentences)
    return distance is not None and distance <= window


def _hit(doc: Doc, owner: str, start: int, end: int, source: PatternSource) -> Hit:
    span = doc[start:end]
    return Hit(owner, span.start_char, span.end_char, span.text, source)


def _is_hard(token_key: str, token_text: str) -> bool:
    return token_key in HARD_BOUNDARIES or token_text in HARD_BOUNDARIES or "\n" in token_text


def _distance(doc: Doc, a: Tuple[int, int], b: Tuple[int, int], sentences: int = 0
              ) -> Optional[int]:
    """Words between two spans, boundaries costing extra; None across a hard boundary.

    With ``sentences`` > 0, up to that many sentence ends (and "but"-like words) may lie between.
    """
    if a[0] < b[1] and b[0] < a[1]:
        return None  # overlapping spans do not pair
    left, right = (a, b) if a[0] < b[0] else (b, a)
    distance = 0
    crossed = 0
    for token in doc[left[1]:right[0]]:
        if _is_hard(token.norm_, token.text):
            if token.text in SENTENCE_ENDS and doc[token.i - 1].text in SENTENCE_ENDS:
                continue  # "?!" and "..." count once
            crossed += 1
            if crossed > sentences:
                return None
            distance += SOFT_BOUNDARY_COST
            continue
        if token.norm_ in SOFT_BOUNDARIES or token.text in SOFT_BOUNDARIES:
            distance += SOFT_BOUNDARY_COST
        elif not token.is_punct:
            distance += 1
    return distance


def _suppressed(doc: Doc, start: int) -> bool:
    """Is the match starting at token ``start`` negated or hypothetical in its clause?

    A negation counts within a few words before the match and inside the same clause; "if",
    "whether" and the like count further back, across "and" but not across a comma.
    """
    words = 0
    clause_ended = False      # a soft boundary word ("and", "so") was crossed
    comma_crossed = False     # a soft boundary mark ("," ":" "-") was crossed
    for i in range(start - 1, -1, -1):
        token = doc[i]
        key = token.norm_
        if _is_hard(key, token.text):
            return False
        if key in SOFT_BOUNDARIES or token.text in SOFT_BOUNDARIES:
            if token.is_punct:
                comma_crossed = True
            clause_ended = True
            continue
        if token.is_punct:
            continue
        words += 1
        if words > HYPOTHETICAL_WINDOW or (comma_crossed and words > NEGATION_WINDOW):
            return False
        if key in HYPOTHETICALS and not comma_crossed:
            if not (i > 0 and doc[i - 1].norm_ in ("as", "even")):
                return True
        if key in NEGATIONS and not clause_ended and words <= NEGATION_WINDOW:
            following = doc[i + 1].norm_ if i + 1 < len(doc) else ""
            if following not in NEGATION_BREAKERS:
                return True
    return False
