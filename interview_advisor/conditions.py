"""Condition trees: compiled from YAML, evaluated in three-valued logic, and explained.

A fact the person has not told us is *unknown*; a leaf that tests it is neither true nor false.
``all`` is false as soon as one part is false, ``any`` true as soon as one part is true
(Kleene logic), so a known outcome never changes when more facts arrive - which is what lets the
engine ask only for the facts that can still change the advice.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import (
    Any,
    Callable,
    Dict,
    FrozenSet,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
)

from .detect import Hit

FactValue = Any  # a str for enum facts, a bool for boolean facts


@dataclass(frozen=True)
class KnownFact:
    """A fact value with where it came from."""

    value: FactValue
    source: str = "given"            # "given" (told or set), "text" (found in a message)
    evidence: Optional[Hit] = None

    def as_dict(self) -> Dict[str, Any]:
        data: Dict[str, Any] = {"value": self.value, "source": self.source}
        if self.evidence is not None:
            data.update(evidence=self.evidence.text, start=self.evidence.start,
                        end=self.evidence.end)
        return data


@dataclass
class Context:
    """What the conditions are evaluated against."""

    facts: Mapping[str, KnownFact]
    signals: Mapping[str, Sequence[Hit]]
    signal_count: Optional[int] = None  # overrides len(signals) when enumerating

    def value(self, fact: str) -> Optional[FactValue]:
        known = self.facts.get(fact)
        return None if known is None else known.value

    @property
    def count(self) -> int:
        return len(self.signals) if self.signal_count is None else self.signal_count


@dataclass
class Reason:
    """One condition that decided an outcome, with the evidence for it."""

    condition: str
    held: bool
    evidence: List[Dict[str, Any]] = field(default_factory=list)
    via: Optional[str] = None       # the named condition it came through

    def as_dict(self) -> Dict[str, Any]:
        data: Dict[str, Any] = {"condition": self.condition, "held": self.held,
                                "evidence": self.evidence}
        if self.via:
            data["via"] = self.via
        return data


class Vocabulary:
    """What leaves may refer to: fact types and values, signal ids, named conditions."""

    def __init__(self, facts: Mapping[str, FactSpec], signals: Mapping[str, str]) -> None:
        self.facts = facts
        self.signals = signals  # id -> title


@dataclass(frozen=True)
class FactSpec:
    id: str
    title: str
    type: str                       # "enum" or "boolean"
    values: Sequence[FactValue]
    #: how a value reads after the title ("Where you are in the process: interview done"), by
    #: its key (booleans: "true"/"false"); a value without one reads as itself, or yes / no
    labels: Mapping[str, str] = field(default_factory=dict)

    def label(self, value: FactValue) -> str:
        """The value as a reply shows it to the person."""
        key = str(value).lower() if isinstance(value, bool) else str(value)
        return self.labels.get(key) or self.plain(value)

    def plain(self, value: FactValue) -> str:
        """The value as the rule catalogue names it: itself, or yes / no."""
        if self.type == "boolean":
            return "yes" if value else "no"
        return str(value).replace("_", " ")


class Node:
    """A compiled condition."""

    def value(self, ctx: Context) -> Optional[bool]:
        raise NotImplementedError

    def explain(self, ctx: Context) -> List[Reason]:
        """Reasons for the current outcome (what held if true, what failed if false)."""
        raise NotImplementedError

    def facts(self) -> Set[str]:
        return set()

    def signals(self) -> Set[str]:
        return set()

    def counts_signals(self) -> bool:
        return False

    def describe(self) -> str:
        raise NotImplementedError


class Always(Node):
    def value(self, ctx: Context) -> Optional[bool]:
        return True

    def explain(self, ctx: Context) -> List[Reason]:
        return [Reason("applies in every situation", True)]

    def describe(self) -> str:
        return "always"


class FactIn(Node):
    def __init__(self, spec: FactSpec, values: Iterable[FactValue]) -> None:
        self.spec = spec
        self.values: FrozenSet[FactValue] = frozenset(values)

    def value(self, ctx: Context) -> Optional[bool]:
        current = ctx.value(self.spec.id)
        return None if current is None else current in self.values

    def _wanted(self, name: Callable[[FactValue], str]) -> str:
        labels = sorted(name(v) for v in self.values)
        return labels[0] if len(labels) == 1 else " or ".join(labels)

    def explain(self, ctx: Context) -> List[Reason]:
        known = ctx.facts.get(self.spec.id)
        if known is None:
            return [Reason(f"{self.spec.title}: not said yet", False)]
        held = known.value in self.values
        label = self.spec.label(known.value)
        text = f"{self.spec.title}: {label}" if held else \
            f"{self.spec.title}: {label} (not {self._wanted(self.spec.label)})"
        return [Reason(text, held, [_fact_evidence(known)])]

    def facts(self) -> Set[str]:
        return {self.spec.id}

    def describe(self) -> str:
        return f"{self.spec.id} is {self._wanted(self.spec.plain)}"


class FactKnown(Node):
    def __init__(self, spec: FactSpec, known: bool) -> None:
        self.spec = spec
        self.known = known

    def value(self, ctx: Context) -> Optional[bool]:
        return (self.spec.id in ctx.facts) == self.known

    def explain(self, ctx: Context) -> List[Reason]:
        is_known = self.spec.id in ctx.facts
        text = f"{self.spec.title}: {'known' if is_known else 'not said yet'}"
        evidence = [_fact_evidence(ctx.facts[self.spec.id])] if is_known else []
        return [Reason(text, is_known == self.known, evidence)]

    def facts(self) -> Set[str]:
        return {self.spec.id}  # asking for it decides this leaf too

    def describe(self) -> str:
        return f"{self.spec.id} is {'known' if self.known else 'unknown'}"


class SignalLeaf(Node):
    def __init__(self, signal_id: str, title: str) -> None:
        self.signal_id = signal_id
        self.title = title

    def value(self, ctx: Context) -> Optional[bool]:
        return self.signal_id in ctx.signals

    def explain(self, ctx: Context) -> List[Reason]:
        hits = ctx.signals.get(self.signal_id)
        if hits is None:
            return [Reason(f"no sign of: {self.title.lower()}", False)]
        return [Reason(f"red flag: {self.title.lower()}", True, [_hit_evidence(h) for h in hits])]

    def signals(self) -> Set[str]:
        return {self.signal_id}

    def describe(self) -> str:
        return f"signal {self.signal_id}"


class SignalCount(Node):
    def __init__(self, at_least: int) -> None:
        self.at_least = at_least

    def value(self, ctx: Context) -> Optional[bool]:
        return ctx.count >= self.at_least

    def explain(self, ctx: Context) -> List[Reason]:
        held = ctx.count >= self.at_least
        evidence = [dict(_hit_evidence(hits[0]), signal=sid) for sid, hits in ctx.signals.items()
                    if hits]
        return [Reason(f"{ctx.count} red flag{'s' if ctx.count != 1 else ''} found "
                       f"(at least {self.at_least} needed)", held, evidence)]

    def counts_signals(self) -> bool:
        return True

    def describe(self) -> str:
        return f"at least {self.at_least} signals"


class Ref(Node):
    def __init__(self, name: str, title: str) -> None:
        self.name = name
        self.title = title
        self.target: Optional[Node] = None  # resolved after every named condition is compiled

    def _node(self) -> Node:
        if self.target is None:
            raise RuntimeError(f"condition {self.name!r} was not resolved")
        return self.target

    def value(self, ctx: Context) -> Optional[bool]:
        return self._node().value(ctx)

    def explain(self, ctx: Context) -> List[Reason]:
        reasons = self._node().explain(ctx)
        for reason in reasons:
            reason.via = reason.via or self.title
        return reasons

    def facts(self) -> Set[str]:
        return self._node().facts()

    def signals(self) -> Set[str]:
        return self._node().signals()

    def counts_signals(self) -> bool:
        return self._node().counts_signals()

    def describe(self) -> str:
        return f"condition {self.name}"


class _Branch(Node):
    def __init__(self, parts: Sequence[Node]) -> None:
        self.parts = list(parts)

    def facts(self) -> Set[str]:
        return set().union(*(p.facts() for p in self.parts))

    def signals(self) -> Set[str]:
        return set().union(*(p.signals() for p in self.parts))

    def counts_signals(self) -> bool:
        return any(p.counts_signals() for p in self.parts)


class All(_Branch):
    def value(self, ctx: Context) -> Optional[bool]:
        unknown = False
        for part in self.parts:
            v = part.value(ctx)
            if v is False:
                return False
            if v is None:
                unknown = True
        return None if unknown else True

    def explain(self, ctx: Context) -> List[Reason]:
        outcome = self.value(ctx)
        wanted = True if outcome else (False if outcome is False else None)
        return [r for p in self.parts if p.value(ctx) is wanted for r in p.explain(ctx)]

    def describe(self) -> str:
        return "all of (" + ", ".join(p.describe() for p in self.parts) + ")"


class AnyOf(_Branch):
    def value(self, ctx: Context) -> Optional[bool]:
        unknown = False
        for part in self.parts:
            v = part.value(ctx)
            if v is True:
                return True
            if v is None:
                unknown = True
        return None if unknown else False

    def explain(self, ctx: Context) -> List[Reason]:
        outcome = self.value(ctx)
        wanted = True if outcome else (False if outcome is False else None)
        return [r for p in self.parts if p.value(ctx) is wanted for r in p.explain(ctx)]

    def describe(self) -> str:
        return "any of (" + ", ".join(p.describe() for p in self.parts) + ")"


class Not(Node):
    def __init__(self, part: Node) -> None:
        self.part = part

    def value(self, ctx: Context) -> Optional[bool]:
        v = self.part.value(ctx)
        return None if v is None else not v

    def explain(self, ctx: Context) -> List[Reason]:
        reasons = self.part.explain(ctx)
        for reason in reasons:
            reason.held = not reason.held
        return reasons

    def facts(self) -> Set[str]:
        return self.part.facts()

    def signals(self) -> Set[str]:
        return self.part.signals()

    def counts_signals(self) -> bool:
        return self.part.counts_signals()

    def describe(self) -> str:
        return f"not ({self.part.describe()})"


def _fact_evidence(known: KnownFact) -> Dict[str, Any]:
    if known.evidence is not None:
        return {"source": known.source, "quote": known.evidence.text,
                "start": known.evidence.start, "end": known.evidence.end}
    return {"source": known.source}


def _hit_evidence(hit: Hit) -> Dict[str, Any]:
    return {"source": "text", "quote": hit.text, "start": hit.start, "end": hit.end}


class ConditionError(ValueError):
    """A condition that refers to something unknown or has the wrong type."""

    def __init__(self, message: str, path: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.path = list(path)


def compile_condition(data: Any, vocab: Vocabulary, named: Mapping[str, Ref],
                      path: Sequence[Any] = ()) -> Node:
    """Build a :class:`Node` from YAML data; raises :class:`ConditionError` with a YAML path."""
    path = list(path)
    if not isinstance(data, dict) or len(data) == 0:
        raise ConditionError("a condition must be a mapping", path)
    keys = set(data)
    if keys == {"all"} or keys == {"any"}:
        key = next(iter(keys))
        parts = data[key]
        if not isinstance(parts, list) or not parts:
            raise ConditionError(f"'{key}' needs a non-empty list of conditions", path + [key])
        nodes = [compile_condition(p, vocab, named, path + [key, i]) for i, p in enumerate(parts)]
        return All(nodes) if key == "all" else AnyOf(nodes)
    if keys == {"not"}:
        return Not(compile_condition(data["not"], vocab, named, path + ["not"]))
    if "fact" in keys:
        fact_id = data["fact"]
        spec = vocab.facts.get(fact_id)
        if spec is None:
            raise ConditionError(f"unknown fact {fact_id!r} (declared facts: "
                                 f"{', '.join(sorted(vocab.facts))})", path + ["fact"])
        tests = keys - {"fact"}
        if tests == {"known"}:
            if not isinstance(data["known"], bool):
                raise ConditionError("'known' must be true or false", path + ["known"])
            return FactKnown(spec, data["known"])
        if tests == {"is"}:
            values = [data["is"]]
        elif tests == {"in"}:
            values = data["in"]
            if not isinstance(values, list) or not values:
                raise ConditionError("'in' needs a non-empty list of values", path + ["in"])
        else:
            raise ConditionError("a fact test needs exactly one of 'is', 'in' or 'known'", path)
        for i, value in enumerate(values):
            where = path + (["is"] if tests == {"is"} else ["in", i])
            _check_value(spec, value, where)
        return FactIn(spec, values)
    if keys == {"signal"}:
        signal_id = data["signal"]
        if signal_id not in vocab.signals:
            raise ConditionError(f"unknown or deprecated signal {signal_id!r} (signals: "
                                 f"{', '.join(sorted(vocab.signals))})", path + ["signal"])
        return SignalLeaf(signal_id, vocab.signals[signal_id])
    if keys == {"signals"}:
        spec_ = data["signals"]
        if not isinstance(spec_, dict) or set(spec_) != {"at_least"} or \
                not isinstance(spec_["at_least"], int) or spec_["at_least"] < 1:
            raise ConditionError("'signals' takes {at_least: N} with N at least 1",
                                 path + ["signals"])
        return SignalCount(spec_["at_least"])
    if keys == {"condition"}:
        ref = named.get(data["condition"])
        if ref is None:
            raise ConditionError(f"unknown named condition {data['condition']!r} (named: "
                                 f"{', '.join(sorted(named)) or 'none'})", path + ["condition"])
        return ref
    if keys == {"always"}:
        if data["always"] is not True:
            raise ConditionError("'always' can only be true", path + ["always"])
        return Always()
    raise ConditionError(
        "a condition needs exactly one of all, any, not, fact (with is, in or known), signal, "
        f"signals, condition or always; found: {', '.join(sorted(map(str, keys)))}", path)


def _check_value(spec: FactSpec, value: Any, path: Sequence[Any]) -> None:
    if spec.type == "boolean":
        if not isinstance(value, bool):
            raise ConditionError(f"fact {spec.id!r} is boolean: use true or false (unquoted), "
                                 f"not {value!r}", path)
    elif value not in spec.values:
        raise ConditionError(f"fact {spec.id!r} has no value {value!r} (values: "
                             f"{', '.join(map(str, spec.values))})", path)


def coerce_fact_value(spec: FactSpec, raw: Any) -> FactValue:
    """Turn user input ("yes", "True", "internal") into a valid value, or raise ValueError."""
    if spec.type == "boolean":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("true", "yes", "y", "1", "on"):
            return True
        if text in ("false", "no", "n", "0", "off"):
            return False
        raise ValueError(f"fact {spec.id!r} is yes/no (true or false), not {raw!r}")
    text = str(raw).strip().lower().replace("-", "_").replace(" ", "_")
    if text in spec.values:
        return text
    raise ValueError(f"fact {spec.id!r} must be one of {', '.join(map(str, spec.values))}, "
                     f"not {raw!r}")


MAX_ASSIGNMENTS = 200_000


def satisfiable(node: Node, vocab: Vocabulary) -> Optional[bool]:
    """Can the condition ever be true?  None when there are too many combinations to try."""
    facts = sorted(node.facts())
    signals = sorted(node.signals())
    domains: List[List[Optional[FactValue]]] = [[None, *vocab.facts[f].values] for f in facts]
    extra_range = range(0, max(0, len(vocab.signals) - len(signals)) + 1) \
        if node.counts_signals() else range(1)
    total = len(extra_range) * (2 ** len(signals))
    for domain in domains:
        total *= len(domain)
    if total > MAX_ASSIGNMENTS:
        return None
    for values in itertools.product(*domains):
        known = {f: KnownFact(v) for f, v in zip(facts, values) if v is not None}
        for flags in itertools.product((False, True), repeat=len(signals)):
            present = {s: () for s, on in zip(signals, flags) if on}
            for extra in extra_range:
                ctx = Context(known, present, len(present) + extra)
                if node.value(ctx) is True:
                    return True
    return False


def walk(node: Node) -> Iterator[Node]:
    """Every node of a tree (named conditions are not entered)."""
    yield node
    if isinstance(node, _Branch):
        for part in node.parts:
            yield from walk(part)
    elif isinstance(node, Not):
        yield from walk(node.part)
