"""Running the examples every signal and rule carries (``interview-advisor rules test``).

A signal's ``match`` examples must raise it and its ``no_match`` examples must not; a fact's
``match`` examples must set it to the value they stand under and its ``no_match`` examples must
not; a direct question's ``match`` examples must get its answer and ``no_match`` ones must not; a
rule's
``trigger`` examples must fire it and its ``no_trigger`` examples must not.  Like semgrep's
``ruleid:``/``ok:`` annotations, the examples live next to the logic they pin down.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping

from .conditions import Context, KnownFact
from .detect import Hit, PatternSource
from .engine import Advisor


@dataclass
class ExampleResult:
    owner: str          # signal, fact, question or rule id
    kind: str           # match / no_match / trigger / no_trigger ("match <value>" for facts)
    example: str        # a readable form of the example
    passed: bool
    detail: str
    file: str
    line: Any

    def __str__(self) -> str:
        mark = "ok  " if self.passed else "FAIL"
        return f"{mark} {self.owner} {self.kind}: {self.example}" + \
            ("" if self.passed else f"\n       {self.detail} ({self.file}:{self.line})")


def _synthetic_hits(signal_ids: List[str]) -> Dict[str, List[Hit]]:
    return {sid: [Hit(f"signal:{sid}", 0, 0, "(given in the example)",
                      PatternSource(f"signal:{sid}", "example", sid))] for sid in signal_ids}


def _describe(example: Mapping[str, Any]) -> str:
    parts = [f"{k}={v}" for k, v in (example.get("facts") or {}).items()]
    parts += [f"signal:{s}" for s in example.get("signals") or []]
    if example.get("text"):
        parts.append(repr(example["text"]))
    return ", ".join(parts) or "(nothing known)"


def run_examples(advisor: Advisor) -> List[ExampleResult]:
    rulebase = advisor.rulebase
    results: List[ExampleResult] = []
    for signal in rulebase.active_signals.values():
        for kind in ("match", "no_match"):
            for text in signal.examples.get(kind, []):
                found = advisor.detect(text).signals
                passed = (signal.id in found) == (kind == "match")
                if kind == "match":
                    detail = "not detected"
                else:
                    hits = found.get(signal.id)
                    detail = f"detected in {hits[0].text!r}" if hits else ""
                results.append(ExampleResult(signal.id, kind, repr(text), passed, detail,
                                             signal.file, signal.line))
    for fact in rulebase.facts.values():
        for kind in ("match", "no_match"):
            for value, texts in fact.examples.get(kind, {}).items():
                for text in texts:
                    known = advisor.detect(text).facts.get(fact.id)
                    got = None if known is None else json.dumps(known.value).strip('"')
                    passed = (got == value) == (kind == "match")
                    evidence = known.evidence if known is not None else None
                    detail = f"detected {fact.id}={got}" + \
                        (f" in {evidence.text!r}" if evidence is not None else "")
                    results.append(ExampleResult(fact.id, f"{kind} {value}", repr(text), passed,
                                                 detail, fact.file, fact.line))
    for question in rulebase.active_questions.values():
        for kind in ("match", "no_match"):
            for example in question.examples.get(kind, []):
                text = example if isinstance(example, str) else example["text"]
                given = {} if isinstance(example, str) else dict(example.get("facts") or {})
                answers = advisor.direct_answers(text, given)
                ids = [a.id for a in answers]
                passed = (question.id in ids) == (kind == "match")
                shown = repr(text) + (f" with {given}" if given else "")
                detail = f"answers: {', '.join(ids) or 'none'}"
                results.append(ExampleResult(question.id, kind, shown, passed, detail,
                                             question.file, question.line))
    for rule in rulebase.active_rules:
        for kind in ("trigger", "no_trigger"):
            for example in rule.examples.get(kind, []):
                signals = _synthetic_hits(list(example.get("signals") or []))
                facts: Dict[str, KnownFact] = {}
                if example.get("text"):
                    detection = advisor.detect(example["text"])
                    signals.update(detection.signals)
                    facts.update(detection.facts)
                facts.update(advisor.parse_facts(example.get("facts") or {}))
                outcome = rule.when.value(Context(facts, signals))
                passed = (outcome is True) == (kind == "trigger")
                shown = "unknown" if outcome is None else str(outcome).lower()
                detail = f"condition was {shown}"
                results.append(ExampleResult(rule.id, kind, _describe(example), passed, detail,
                                             rule.file, rule.line))
    return results
