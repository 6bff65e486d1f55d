"""The statistical backstop: a small linear model that catches red flags the patterns missed.

Pure-Python inference over weights trained by ``scripts/train_backstop.py`` (TF-IDF over words
and word pairs, one logistic regression per signal, sublinear term frequency, L2-normalised).
A flag it adds carries the sentence that weighs most for that flag as evidence and the words
that weighed most in it, so the "why" stays inspectable.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

TOKEN_PATTERN = r"(?u)\b\w\w+\b"
_TOKEN = re.compile(TOKEN_PATTERN)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")
_CLAUSE = re.compile(r"[^,;:\u2013\u2014]+")
#: a clause is quoted instead of its sentence when it carries this share of the sentence's
#: weight for the signal and has at least CLAUSE_MIN_WORDS words
CLAUSE_SHARE = 0.6
CLAUSE_MIN_WORDS = 3


@dataclass(frozen=True)
class BackstopHit:
    signal: str
    probability: float
    start: int
    end: int
    words: Tuple[str, ...]
    #: the part of the sentence to quote: the clause that carries the flag when one does
    #: ("the recruiter kept dodging when i asked what the team does", not the whole story)
    quote: Tuple[int, int] = (0, 0)


class Backstop:
    def __init__(self, data: dict) -> None:
        self.signals: List[str] = list(data["signals"])
        self.threshold: float = float(data["threshold"])
        # a flag beside others the patterns found needs more: a message that is clearly about
        # one red flag also carries the words of the flags that usually come with it
        self.threshold_beside: float = float(data.get("threshold_beside", self.threshold))
        self.intercepts: List[float] = [float(data["intercepts"][s]) for s in self.signals]
        low, high = data.get("ngram_range", [1, 2])
        self.ngrams = range(int(low), int(high) + 1)
        self.idf: Dict[str, float] = {}
        # per term: one weight per signal, in the order of self.signals (None: all zero)
        self.weights: Dict[str, Tuple[float, ...]] = {}
        for term, entry in data["features"].items():
            self.idf[term] = float(entry["idf"])
            if entry["w"]:
                self.weights[term] = tuple(float(entry["w"].get(s, 0.0)) for s in self.signals)

    @classmethod
    def load(cls, path: Path) -> Optional[Backstop]:
        if not path.is_file():
            return None
        return cls(json.loads(path.read_text("utf-8")))

    def _terms(self, text: str) -> List[Tuple[str, int, int]]:
        """Known n-grams of ``text`` with their character spans."""
        tokens = [(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        idf = self.idf
        terms = []
        for n in self.ngrams:
            for i in range(len(tokens) - n + 1):
                term = tokens[i][0] if n == 1 else " ".join(t[0] for t in tokens[i:i + n])
                if term in idf:
                    terms.append((term, tokens[i][1], tokens[i + n - 1][2]))
        return terms

    def _scores(self, terms: List[Tuple[str, int, int]]) -> List[float]:
        counts: Dict[str, int] = {}
        for term, _, _ in terms:
            counts[term] = counts.get(term, 0) + 1
        values = {t: (1.0 + math.log(c)) * self.idf[t] for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        z = list(self.intercepts)
        for term, value in values.items():
            weights = self.weights.get(term)
            if weights:
                scaled = value / norm
                for k, w in enumerate(weights):
                    z[k] += w * scaled
        return [1.0 / (1.0 + math.exp(-v)) for v in z]

    def scores(self, text: str) -> Dict[str, float]:
        """Probability of each signal for the whole message."""
        return dict(zip(self.signals, self._scores(self._terms(text))))

    def detect(self, text: str, skip: Tuple[str, ...] = (),
               threshold: Optional[float] = None, beside: bool = False) -> List[BackstopHit]:
        """Signals above the threshold (except ``skip``), each with its best sentence;
        ``beside``: the patterns found other flags in ``text`` (``threshold_beside`` applies,
        or ``threshold`` when that is higher). Beside the model's own most likely flag, a
        second one needs ``threshold_beside`` as well: a message about one flag carries the
        words of the flags that usually come with it."""
        if not text.strip():
            return []
        limit = self.threshold if threshold is None else threshold
        if beside:
            limit = max(limit, self.threshold_beside)
        terms = self._terms(text)
        hits = []
        scores = self._scores(terms)
        ranked = sorted((p for k, p in enumerate(scores) if self.signals[k] not in skip),
                        reverse=True)
        top = ranked[0] if ranked else 0.0
        for k, probability in enumerate(scores):
            signal = self.signals[k]
            if signal in skip or probability < limit:
                continue
            if probability < top and probability < self.threshold_beside:
                continue
            start, end, words = self._evidence(text, terms, k)
            quote = self._clause(text, terms, k, start, end)
            hits.append(BackstopHit(signal, probability, start, end, words, quote))
        return hits

    def _weight(self, terms: List[Tuple[str, int, int]], k: int, start: int, end: int
                ) -> float:
        """How much the terms inside ``start:end`` weigh for signal ``k``."""
        total = 0.0
        for term, t_start, t_end in terms:
            if start <= t_start and t_end <= end:
                weights = self.weights.get(term)
                if weights and weights[k] > 0:
                    total += weights[k] * self.idf[term]
        return total

    def _clause(self, text: str, terms: List[Tuple[str, int, int]], k: int, start: int,
                end: int) -> Tuple[int, int]:
        """The clause of the sentence ``start:end`` that carries most of its weight for
        signal ``k`` (cut at commas, semicolons, colons and dashes), or the sentence."""
        whole = self._weight(terms, k, start, end)
        best = (start, end)
        best_weight = 0.0
        for match in _CLAUSE.finditer(text, start, end):
            c_start = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
            c_end = match.start() + len(match.group(0).rstrip())
            if len(text[c_start:c_end].split()) < CLAUSE_MIN_WORDS:
                continue
            weight = self._weight(terms, k, c_start, c_end)
            if weight > best_weight:
                best, best_weight = (c_start, c_end), weight
        if whole <= 0 or best_weight < CLAUSE_SHARE * whole:
            return start, end
        return best

    def _evidence(self, text: str, terms: List[Tuple[str, int, int]], k: int
                  ) -> Tuple[int, int, Tuple[str, ...]]:
        """The sentence whose terms weigh most for signal ``k``, and those terms."""
        best: Tuple[float, int, int, Tuple[str, ...]] = (float("-inf"), 0, len(text), ())
        for match in _SENTENCE.finditer(text):
            if not match.group(0).strip():
                continue
            s_start, s_end = match.start(), match.end()
            contributions = []
            for term, t_start, t_end in terms:
                if s_start <= t_start and t_end <= s_end:
                    weights = self.weights.get(term)
                    if weights and weights[k] > 0:
                        contributions.append((weights[k] * self.idf[term], term))
            score = sum(c for c, _ in contributions)
            if score > best[0]:
                sentence = match.group(0)
                lead = len(sentence) - len(sentence.lstrip())
                words = tuple(t for _, t in sorted(contributions, reverse=True)[:4])
                best = (score, s_start + lead, s_start + len(sentence.rstrip()), words)
        return best[1], best[2], best[3]
