"""Precision, recall and F1 of signal detection over labelled message sets."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence, Set, Tuple

import yaml

from .engine import Advisor


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    name: str
    messages: int
    per_signal: Dict[str, Counts]
    micro: Counts
    no_flag_total: int
    no_flag_clean: int
    errors: List[Tuple[str, str, Set[str], Set[str]]] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        return sum(c.f1 for c in self.per_signal.values()) / max(1, len(self.per_signal))

    def table(self) -> str:
        lines = [f"{self.name}: {self.messages} messages",
                 f"{'signal':32} {'prec':>6} {'recall':>6} {'F1':>6} {'TP':>4} {'FP':>4} {'FN':>4}"]
        for sid, c in sorted(self.per_signal.items()):
            lines.append(f"{sid:32} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} "
                         f"{c.tp:4d} {c.fp:4d} {c.fn:4d}")
        m = self.micro
        lines.append(f"{'micro':32} {m.precision:6.3f} {m.recall:6.3f} {m.f1:6.3f} "
                     f"{m.tp:4d} {m.fp:4d} {m.fn:4d}")
        lines.append(f"{'macro F1':32} {'':6} {'':6} {self.macro_f1:6.3f}")
        lines.append(f"no-flag messages clean: {self.no_flag_clean}/{self.no_flag_total}")
        return "\n".join(lines)


def load_set(path: Path) -> List[dict]:
    data = yaml.safe_load(Path(path).read_text("utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of labelled messages")
    for i, item in enumerate(data):
        if not isinstance(item, dict) or "text" not in item or "signals" not in item:
            raise ValueError(f"{path}: item {i} needs 'text' and 'signals'")
    return data


def evaluate(advisor: Advisor, items: Sequence[dict], name: str = "set") -> Report:
    signal_ids = sorted(advisor.rulebase.active_signals)
    return _report(name, signal_ids, items,
                   [set(advisor.detect(item["text"]).signals) for item in items])

def cross_validate(advisor: Advisor, root: Path, folds: int = 5,
                   thresholds: Sequence[float] = ()) -> Tuple[Dict[str, Report],
                                                              Dict[float, Counts]]:
    """Out-of-fold figures for the sets the backstop is trained on.

    Messages of all training sets are split into ``folds`` folds (every n-th message); for each
    fold the backstop is trained on the other folds only, so no message is judged by a model
    that saw it. Returns a report per training set and, for each threshold given, the micro
    counts over all training messages (to choose the threshold without the held-out set).
    """
    from .backstop import Backstop
    from .backstop_train import TRAINING_SETS, fit

    named: List[Tuple[str, dict]] = []
    for name in TRAINING_SETS:
        named += [(name, item) for item in load_set(root / name)]
    predictions: List[Set[str]] = [set() for _ in named]
    sweep: Dict[float, Counts] = {t: Counts() for t in thresholds}
    signal_ids = sorted(advisor.rulebase.active_signals)
    for fold in range(folds):
        train = [item for i, (_, item) in enumerate(named) if i % folds != fold]
        model = Backstop(fit(train))
        for i, (_, item) in enumerate(named):
            if i % folds != fold:
                continue
            predictions[i] = set(advisor.detect(item["text"], backstop=model).signals)
            gold = set(item["signals"] or [])
            for threshold in thresholds:
                found = set(advisor.detect(item["text"], backstop=model,
                                           threshold=threshold).signals)
                counts = sweep[threshold]
                for sid in signal_ids:
                    counts.tp += sid in gold and sid in found
                    counts.fp += sid in found and sid not in gold
                    counts.fn += sid in gold and sid not in found
    reports = {}
    for name in TRAINING_SETS:
        indices = [i for i, (n, _) in enumerate(named) if n == name]
        reports[name] = _report(Path(name).name + " (out-of-fold)", signal_ids,
                                [named[i][1] for i in indices], [predictions[i] for i in indices])
    return reports, sweep


def _report(name: str, signal_ids: Sequence[str], items: Sequence[dict],
            found_sets: Sequence[Set[str]]) -> Report:
    per = {sid: Counts() for sid in signal_ids}
    micro = Counts()
    errors = []
    no_flag_total = no_flag_clean = 0
    for item, found in zip(items, found_sets):
        gold = set(item["signals"] or [])
        if not gold:
            no_flag_total += 1
            no_flag_clean += not found
        for sid in signal_ids:
            if sid in gold and sid in found:
                per[sid].tp += 1
                micro.tp += 1
            elif sid in found:
                per[sid].fp += 1
                micro.fp += 1
            elif sid in gold:
                per[sid].fn += 1
                micro.fn += 1
        if gold != found:
            errors.append((str(item.get("id", "?")), item["text"], gold, found))
    return Report(name, len(items), per, micro, no_flag_total, no_flag_clean, errors)
