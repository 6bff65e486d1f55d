"""Training the statistical reader (needs scikit-learn; offline only, never at run time).

Training items: the rule base's own examples (facts: match sets the value, no_match must not;
questions likewise) and the user turns of the TUNING dialogue conversations (never held-out):
a turn is labelled with the facts its ``facts:`` expectation adds to the earlier turns' and with
the direct questions the phrase patterns find in it. A fact label the patterns read in an item
that its annotation does not give is unknown for that item, not a negative (:func:`unannotated`).
``scripts/train_reader.py`` writes
rules/reader.json; thresholds per label are chosen out of fold (see :func:`choose_thresholds`).
"""

from __future__ import annotations

import hashlib
import json
import re
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Set, Tuple

import yaml

from .backstop import _TOKEN
from .backstop_train import fit_linear

TUNING_DIR = "eval/dialogue/tuning"
#: check conversations: the half of a round's fresh tuning material nobody fixes from, and the
#: reader never trains on, so that `make eval-dialogue` can say how far fixes generalise
CHECK_CONVERSATIONS = "*_chk"
#: the facts the reader learns (those that matter for advice and are told in everyday words)
FACTS = ("interest", "certain_to_decline", "stage", "interview_type", "current_satisfaction",
         "recent_improvement", "employed", "multiple_processes", "better_pay_or_title",
         "manager_aware")
C = 4.0
FOLDS = 5
#: a label is read only where its out-of-fold precision, on the items the patterns missed, is
#: at least this (a wrong fact changes the advice more than a missing one)
MIN_PRECISION = 0.8
#: and only when it is right at least this often out of fold (fewer: no evidence either way)
MIN_RIGHT = 3
#: the facts whose one-word answer words become word classes (see :func:`word_classes`)
CLASS_FACTS = ("current_satisfaction", "interest")
#: words of the current-job phrases that say nothing about the current job on their own
CLASS_STOP_WORDS = frozenset({"my", "your", "the", "where", "i", "am", "now", "job", "role",
                              "position", "company", "employer", "team", "work"})
_WORD = re.compile(r"\w\w+")
GRID = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def fact_label(fact: str, value: Any) -> str:
    return f"fact:{fact}={json.dumps(value)}"


def _value(raw: str, boolean: bool) -> Any:
    return raw == "true" if boolean else raw


def rulebase_items(advisor: Any) -> List[dict]:
    """The rule base's examples as items {text, labels, origin}."""
    items: List[dict] = []
    rb = advisor.rulebase
    for fact_id in FACTS:
        fact = rb.facts[fact_id]
        boolean = fact.spec.type == "boolean"
        for kind, by_value in fact.examples.items():
            for raw, texts in by_value.items():
                for text in texts:
                    labels = {fact_label(fact_id, _value(raw, boolean))} if kind == "match" \
                        else set()
                    told = {fact_id: raw} if kind == "match" else {}
                    items.append({"text": text, "labels": labels, "origin": "facts.yml",
                                  "unknown_labels": unannotated(advisor, text, told)
                                  - {fact_label(fact_id, _value(raw, boolean))}})
    for qid, question in rb.questions.items():
        for kind, examples in question.examples.items():
            for example in examples:
                text = example["text"] if isinstance(example, dict) else example
                labels = {f"question:{qid}"} if kind == "match" else set()
                items.append({"text": text, "labels": labels, "origin": "questions.yml",
                              "unknown_labels": unannotated(advisor, text, {})})
    return items


def is_check(conv_id: str) -> bool:
    """Is this a check conversation (never trained on, never fixed from)?"""
    return fnmatchcase(conv_id, CHECK_CONVERSATIONS)


def excluded(conv_id: str, exclude: Sequence[str]) -> bool:
    """Is the conversation left out: its id starts with one of ``exclude`` (which may hold
    shell wildcards: ``*_chk`` leaves out every check conversation)?"""
    return any(fnmatchcase(conv_id, p + "*") for p in exclude)


def unannotated(advisor: Any, text: str, told: Dict[str, Any]) -> Set[str]:
    """The fact labels the patterns read in ``text`` for facts the annotation does not give
    (``told``: fact id -> value): not a negative for the reader - an expectation lists the
    facts a turn is about, not every fact it mentions, and a rule example is written for one
    fact ("it went sooo well, i'd love to work there" also tells that the interview is done)."""
    return {label for label in pattern_labels(advisor, text)
            if label.startswith("fact:") and label.partition(":")[2].partition("=")[0]
            not in told}


def dialogue_items(root: Path, advisor: Any, exclude: Sequence[str] = ()) -> List[dict]:
    """The user turns of the tuning conversations (ids matching ``exclude`` left out, see
    :func:`excluded`; the check conversations always are, see :data:`CHECK_CONVERSATIONS`)."""
    items: List[dict] = []
    for path in sorted((root / TUNING_DIR).glob("*.yml")):
        doc = yaml.safe_load(path.read_text("utf-8")) or {}
        for conv in doc.get("conversations") or []:
            if excluded(conv["id"], exclude) or is_check(conv["id"]):
                continue
            expected: Dict[str, Any] = {}
            for turn in conv["turns"]:
                labels: Set[str] = set()
                for fact_id, value in (turn.get("facts") or {}).items():
                    if fact_id in FACTS and expected.get(fact_id, object()) != value:
                        labels.add(fact_label(fact_id, value))
                    expected[fact_id] = value
                asked = {f"question:{q}" for q in pattern_questions(advisor, turn["user"])}
                # a direct answer is expected but the patterns name no question: which one was
                # asked is unknown, so the turn teaches no question label either way
                unknown = "question" if turn.get("answer_first") and not asked else None
                items.append({"text": turn["user"], "labels": labels | asked,
                              "unknown": unknown,
                              "unknown_labels": unannotated(advisor, turn["user"],
                                                            turn.get("facts") or {}),
                              "origin": f"tuning/{path.name}:{conv['id']}"})
    return items


def pattern_questions(advisor: Any, text: str) -> Set[str]:
    detector = advisor.rulebase.question_detector
    return {h.owner.partition(":")[2] for h in detector.run(text)} if text.strip() else set()


def pattern_labels(advisor: Any, text: str) -> Set[str]:
    """What the phrase patterns read in ``text``: fact labels and question labels."""
    facts = advisor.detect(text).facts
    found = {fact_label(k, v.value) for k, v in facts.items() if k in FACTS}
    return found | {f"question:{q}" for q in pattern_questions(advisor, text)}


def labels_of(items: Sequence[dict]) -> List[str]:
    """Labels with at least three positive items, in a stable order."""
    counts: Dict[str, int] = {}
    for item in items:
        for label in item["labels"]:
            counts[label] = counts.get(label, 0) + 1
    return sorted(k for k, n in counts.items() if n >= 3)


def unknown_for(item: dict, label: str) -> bool:
    """Is it unknown whether ``item`` has ``label`` (see :func:`dialogue_items` and
    :func:`unannotated`)?"""
    if label in item.get("unknown_labels", ()):
        return True
    return item.get("unknown") is not None and label.startswith(item["unknown"] + ":")


def fold_of(text: str) -> int:
    return int(hashlib.sha256(text.lower().encode("utf-8")).hexdigest(), 16) % FOLDS


def word_classes(advisor: Any) -> Dict[str, List[str]]:
    """Word -> its class terms: a word the ``detect`` phrases and ``answer_words`` of a fact of
    :data:`CLASS_FACTS` list for one value only ("miserable" for unsatisfied, "torn" for
    unsure; not a common English word) is of that value's class, and the words that name the
    current job (``opportunity_current_job``: "current", "present") are of their own."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    doc = yaml.safe_load((Path(advisor.rules_dir) / "facts.yml").read_text("utf-8"))
    classes: Dict[str, List[str]] = {}
    for entry in doc.get("facts") or []:
        if entry.get("id") not in CLASS_FACTS:
            continue
        by_value: Dict[str, Set[str]] = {}
        for value, spec in (entry.get("detect") or {}).items():
            text = " ".join(str(p) for p in (spec or {}).get("phrases") or [])
            text += " " + " ".join(entry.get("answer_words", {}).get(value) or [])
            by_value[str(value)] = {w for w in _WORD.findall(text.lower())
                                    if w not in ENGLISH_STOP_WORDS and len(w) > 2}
        for value, words in by_value.items():
            others = set().union(*(w for v, w in by_value.items() if v != value))
            for word in sorted(words - others):
                classes.setdefault(word, []).append(f"wc_{entry['id']}_{value}")
    for phrase in getattr(advisor.rulebase.words, "opportunity_current_job", ()):
        for word in phrase.lower().split():
            if _WORD.fullmatch(word) and word not in CLASS_STOP_WORDS:
                classes.setdefault(word, [])
                if "wc_current_job" not in classes[word]:
                    classes[word].append("wc_current_job")
    return dict(sorted(classes.items()))


def _analyzer(classes: Mapping[str, List[str]]) -> Callable[[str], List[str]]:
    """The tf-idf terms of a text as :class:`.reader.Reader` scores them: word 1-2-grams and
    the class term of every word that has one."""
    def analyze(text: str) -> List[str]:
        tokens = [m.group(0).lower() for m in _TOKEN.finditer(text)]
        return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])] + \
            [c for t in tokens for c in classes.get(t, ())]
    return analyze


def fit(items: Sequence[dict], labels: Sequence[str], c: float = C,
        classes: Optional[Mapping[str, List[str]]] = None) -> dict:
    """Train one logistic regression per label; the JSON-ready model without thresholds."""
    import sklearn

    intercepts, features = fit_linear(
        [item["text"] for item in items],
        {label: [(i, label in item["labels"]) for i, item in enumerate(items)
                 if not unknown_for(item, label)] for label in labels}, c,
        analyzer=_analyzer(classes) if classes else None)
    return {"about": "Statistical reader for facts and direct questions; generated by "
                     "scripts/train_reader.py - do not edit by hand.",
            "labels": list(labels), "ngram_range": [1, 2], "intercepts": intercepts,
            "features": features, "messages": len(items), "sklearn": sklearn.__version__,
            "C": c, "thresholds": {}, "word_classes": dict(classes or {})}


def out_of_fold(items: Sequence[dict], labels: Sequence[str],
                classes: Optional[Mapping[str, List[str]]] = None
                ) -> List[Dict[str, float]]:
    """Each item's probabilities from a model trained on the other folds."""
    from .reader import Reader

    scores: List[Dict[str, float]] = [{} for _ in items]
    for fold in range(FOLDS):
        train = [it for it in items if fold_of(it["text"]) != fold]
        reader = Reader(fit(train, labels, classes=classes))
        for i, item in enumerate(items):
            if fold_of(item["text"]) == fold:
                scores[i] = {label: p for label, (p, _, _) in
                             zip(reader.labels, reader.sentence_scores(item["text"]))}
    return scores


def read_by_patterns(label: str, patterns: Sequence[str]) -> bool:
    """Did the patterns read ``label``'s fact (any value), or any question for a question label
    (the reader runs only where they did not)?"""
    if label.startswith("question:"):
        return any(p.startswith("question:") for p in patterns)
    return any(label.partition("=")[0] == p.partition("=")[0] for p in patterns)


def counts_at(items: Sequence[dict], scores: Sequence[Dict[str, float]], label: str,
              threshold: float, missed_only: bool = False) -> Tuple[int, int, int]:
    """(right, wrong, missed) for ``label`` at ``threshold``: on every item (the reader alone,
    as on wording the patterns were not tuned on), or ``missed_only`` on the items where the
    patterns read nothing for its fact or question (where the reader runs; few in tuning
    material, which the patterns were written for)."""
    right = wrong = missed = 0
    for item, score in zip(items, scores):
        if missed_only and read_by_patterns(label, item["patterns"]) or \
                unknown_for(item, label):
            continue
        said = score.get(label, 0.0) >= threshold
        true = label in item["labels"]
        right += said and true
        wrong += said and not true
        missed += true and not said
    return right, wrong, missed


def choose_thresholds(items: Sequence[dict], scores: Sequence[Dict[str, float]],
                      labels: Sequence[str]) -> Dict[str, Dict[str, Any]]:
    """Per label the lowest threshold of :data:`GRID` whose out-of-fold precision (the reader
    alone, every item) is at least :data:`MIN_PRECISION` with :data:`MIN_RIGHT` right; labels
    without one are left out. Also (right, wrong, missed) where the patterns read nothing."""
    report: Dict[str, Dict[str, Any]] = {}
    for label in labels:
        chosen: Optional[float] = None
        for threshold in GRID:
            right, wrong, missed = counts_at(items, scores, label, threshold)
            if right >= MIN_RIGHT and right / (right + wrong) >= MIN_PRECISION:
                chosen = threshold
                break
        at = GRID[-1] if chosen is None else chosen
        right, wrong, missed = counts_at(items, scores, label, at)
        report[label] = {"threshold": chosen, "right": right, "wrong": wrong, "missed": missed,
                         "where_patterns_missed": list(
                             counts_at(items, scores, label, at, missed_only=True))}
    return report
