"""The statistical reader: facts and direct questions the phrase patterns missed.

The same kind of model as the red-flag backstop (:mod:`interview_advisor.backstop`: TF-IDF over
words and word pairs, one logistic regression per label, pure-Python inference from JSON
weights), trained by ``scripts/train_reader.py`` on the rule base's own examples and the tuning
conversations. Labels are the owners the patterns use: ``fact:interest="not_interested"``,
``fact:employed=false``, ``question:should_i_withdraw``. Each label has its own probability
threshold, chosen out of fold; a label whose model was not precise enough has none and is never
read. A reading quotes the clause that weighs most for its label, so "why" stays explainable.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from .backstop import _SENTENCE, _TOKEN, CLAUSE_MIN_WORDS, Backstop
from .grammar import project_grammar

READER_FILE = "reader.json"
#: a reading needs at least this share of its sentence's words known to the model: with fewer,
#: the few known ones - often a word like "for" - decide alone after the tf-idf normalisation
#: (on 2,078 fresh signal-set messages the lowest percentile knows 0.59 of its words; 5 of the
#: 3,296 training texts know less, and every reading of those 5 was wrong)
MIN_KNOWN_SHARE = 0.5
#: a direct question is read only from a sentence that asks something: it ends with "?" or an
#: auxiliary stands before a pronoun ("do i give her a heads up", "can i push them back")
_ASKS = re.compile(r"\?|\b(should|shall|do|does|did|can|could|would|will|is|am|are|may|must|"
                   r"need|have)\s+(i|we|you|they|it|that|this|he|she)\b|\bor (not|should|do|"
                   r"can|is)\b|\b(how|what|when|whether)\b", re.IGNORECASE)

#: words that turn a clause around: written forms, as the model's tokens see them ("don't" is
#: "don"), beside the negations and hypotheticals of the project's grammar (rules/grammar.yml;
#: the reader is trained with the project's rules) ("hope" too: "i hope i don't get rejected"
#: tells no outcome)
_TURNING = project_grammar().negations | project_grammar().hypotheticals | {
    "don", "doesn", "didn", "isn", "wasn", "aren", "weren", "won", "wouldn", "couldn",
    "shouldn", "haven", "hasn", "hadn", "cant", "dont", "wont", "wouldnt", "couldnt",
    "didnt", "isnt", "wasnt", "arent", "havent", "hasnt", "hope", "hoping", "hopefully"}


@dataclass(frozen=True)
class Reading:
    label: str                 # fact:<id>=<json value> or question:<id>
    probability: float
    start: int                 # the clause quoted as evidence
    end: int
    words: Tuple[str, ...]     # the terms that weighed most

    @property
    def kind(self) -> str:
        return self.label.partition(":")[0]

    @property
    def name(self) -> str:
        """The fact or question id."""
        return self.label.partition(":")[2].partition("=")[0]

    @property
    def value(self) -> object:
        return json.loads(self.label.partition("=")[2]) if self.kind == "fact" else None


class Reader(Backstop):
    """Per-label thresholds over the backstop's model; see the module docstring."""

    def __init__(self, data: dict) -> None:
        super().__init__({**data, "signals": data["labels"], "threshold": 1.0})
        self.labels = self.signals
        self.thresholds: Dict[str, float] = {k: float(v) for k, v in
                                             data["thresholds"].items()}
        self.min_known_share = float(data.get("min_known_share", MIN_KNOWN_SHARE))
        #: word -> its class ("wc_current_satisfaction_unsatisfied"): a word the rule base
        #: lists for a value also counts as its class, so an unseen feeling word still weighs
        self.word_classes: Dict[str, List[str]] = dict(data.get("word_classes") or {})

    @classmethod
    def load(cls, path: Path) -> Optional[Reader]:
        if not path.is_file():
            return None
        return cls(json.loads(path.read_text("utf-8")))

    def turned(self, clause: str, k: int, words: Tuple[str, ...]) -> bool:
        """Does a negation or a hypothetical turn around what the model read in ``clause`` for
        label ``k``? Yes when the model did not weigh it at all ("i hope i don't get
        rejected"), or weighed it alone while it stands right before a word the model read,
        as a pair the model has no positive weight for ("i'm *not unemployed*"); no when the
        pair itself is what the model learnt ("wouldnt take")."""
        weighed = {w for term in words for w in term.split()}
        tokens = [m.group(0).lower() for m in _TOKEN.finditer(clause)]
        for i, token in enumerate(tokens):
            if token not in _TURNING:
                continue
            if token not in weighed:
                return True
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if following in weighed:
                pair = self.weights.get(f"{token} {following}")
                if not pair or pair[k] <= 0:
                    return True
        return False

    def _terms(self, text: str) -> List[Tuple[str, int, int]]:
        """The backstop's n-grams, and the class term of each word that has one."""
        terms = super()._terms(text)
        if self.word_classes:
            for m in _TOKEN.finditer(text):
                for cls in self.word_classes.get(m.group(0).lower(), ()):
                    if cls in self.idf:
                        terms.append((cls, m.start(), m.end()))
        return terms

    def known_share(self, text: str) -> float:
        """The share of the words of ``text`` the model has a weight for."""
        tokens = [m.group(0).lower() for m in _TOKEN.finditer(text)]
        return sum(1 for t in tokens if t in self.idf) / len(tokens) if tokens else 0.0

    def sentence_scores(self, text: str) -> List[Tuple[float, int, int]]:
        """Per label its best probability over the sentences of ``text`` (and the whole text)
        and the span it came from. A fact is told in one sentence: scored alone, the sentence
        is not diluted by the rest of a long story (the model learnt from short examples)."""
        spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group(0).strip()]
        if len(spans) > 1:
            spans.append((0, len(text)))
        best: List[Tuple[float, int, int]] = [(0.0, 0, len(text))] * len(self.labels)
        for start, end in spans:
            for k, p in enumerate(self._scores(self._terms(text[start:end]))):
                if p > best[k][0]:
                    best[k] = (p, start, end)
        return best

    def read(self, text: str, kind: str, skip: Iterable[str] = ()) -> List[Reading]:
        """Labels of ``kind`` ("fact" or "question") above their threshold, except the fact or
        question ids in ``skip``; per fact only its most likely value. Most likely first."""
        if not text.strip():
            return []
        skip = set(skip)
        scores = self.sentence_scores(text)
        best: Dict[str, Tuple[float, int]] = {}
        for k, (probability, _, _) in enumerate(scores):
            label = self.labels[k]
            limit = self.thresholds.get(label)
            if limit is None or probability < limit or not label.startswith(kind + ":"):
                continue
            name = label.partition(":")[2].partition("=")[0]
            if name in skip:
                continue
            if name not in best or probability > best[name][0]:
                best[name] = (probability, k)
        readings = []
        for probability, k in sorted(best.values(), reverse=True):
            _, start, end = scores[k]
            sentence = text[start:end]
            if len(sentence.split()) < CLAUSE_MIN_WORDS:
                continue  # "no", "internal": an answer to a question, read as one elsewhere
            if self.known_share(sentence) < self.min_known_share:
                continue  # "recipe for jollof rice": only "for" known, and it decided alone
            terms = self._terms(sentence)
            s_start, s_end, words = self._evidence(sentence, terms, k)
            if kind == "question" and not _ASKS.search(sentence, s_start, s_end):
                continue  # the words of a question, in a sentence that asks nothing
            q_start, q_end = self._clause(sentence, terms, k, s_start, s_end)
            if kind == "fact" and self.turned(sentence[q_start:q_end], k, words):
                continue
            readings.append(Reading(self.labels[k], probability, start + q_start,
                                    start + q_end, words))
        return readings
