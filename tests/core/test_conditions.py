"""Condition trees on their own: three-valued logic, explanations, compiling, satisfiability."""

from __future__ import annotations

import pytest

from interview_advisor.conditions import (
    All,
    AnyOf,
    ConditionError,
    Context,
    FactIn,
    FactKnown,
    FactSpec,
    KnownFact,
    Not,
    Ref,
    SignalCount,
    SignalLeaf,
    Vocabulary,
    coerce_fact_value,
    compile_condition,
    satisfiable,
)
from interview_advisor.detect import Hit, PatternSource

STAGE = FactSpec("stage", "Stage", "enum", ["upcoming", "offer", "rejected"])
INTERNAL = FactSpec("internal", "Internal role", "boolean", [True, False])
VOCAB = Vocabulary({"stage": STAGE, "internal": INTERNAL},
                   {"ghosting": "Ghosting", "vague_role": "Vague role"})

# Each operand is a FactIn leaf on its own fact, so it can be made true, false or unknown.
SPECS = [FactSpec(f"f{i}", f"Fact {i}", "boolean", [True, False]) for i in range(2)]
LEAVES = [FactIn(spec, [True]) for spec in SPECS]
T, F, U = True, False, None
NAMES = {True: "T", False: "F", None: "U"}


def ctx_for(*values):
    """A context where leaf i has truth value values[i] (None: its fact is unknown)."""
    facts = {SPECS[i].id: KnownFact(v) for i, v in enumerate(values) if v is not None}
    return Context(facts, {})


PAIRS = [(a, b) for a in (T, F, U) for b in (T, F, U)]
KLEENE_AND = {(T, T): T, (T, F): F, (T, U): U, (F, T): F, (F, F): F, (F, U): F,
              (U, T): U, (U, F): F, (U, U): U}
KLEENE_OR = {(T, T): T, (T, F): T, (T, U): T, (F, T): T, (F, F): F, (F, U): U,
             (U, T): T, (U, F): U, (U, U): U}


def _pair_id(pair):
    return "".join(NAMES[v] for v in pair)


@pytest.mark.parametrize("a, b", PAIRS, ids=[_pair_id(p) for p in PAIRS])
def test_all_is_kleene_and(a, b):
    assert All(LEAVES).value(ctx_for(a, b)) is KLEENE_AND[(a, b)]


@pytest.mark.parametrize("a, b", PAIRS, ids=[_pair_id(p) for p in PAIRS])
def test_any_is_kleene_or(a, b):
    assert AnyOf(LEAVES).value(ctx_for(a, b)) is KLEENE_OR[(a, b)]


@pytest.mark.parametrize("a, expected", [(T, F), (F, T), (U, U)], ids=["T", "F", "U"])
def test_not_keeps_unknown_unknown(a, expected):
    assert Not(LEAVES[0]).value(ctx_for(a)) is expected


@pytest.mark.parametrize("known, values, expected", [
    (None, ["offer"], None),
    ("offer", ["offer"], True),
    ("rejected", ["offer"], False),
    ("rejected", ["offer", "rejected"], True),
    ("upcoming", ["offer", "rejected"], False),
    (None, ["offer", "rejected"], None),
], ids=["unknown", "match", "other-value", "in-list", "not-in-list", "unknown-list"])
def test_fact_in(known, values, expected):
    facts = {} if known is None else {"stage": KnownFact(known)}
    assert FactIn(STAGE, values).value(Context(facts, {})) is expected


@pytest.mark.parametrize("known, want, expected", [
    (None, True, False), ("offer", True, True), (None, False, True), ("offer", False, False),
], ids=["unknown-known", "known-known", "unknown-unknown", "known-unknown"])
def test_fact_known_is_never_unknown(known, want, expected):
    facts = {} if known is None else {"stage": KnownFact(known)}
    assert FactKnown(STAGE, want).value(Context(facts, {})) is expected


def test_boolean_false_is_a_known_value_not_unknown():
    leaf = FactIn(INTERNAL, [False])
    assert leaf.value(Context({"internal": KnownFact(False)}, {})) is True
    assert leaf.value(Context({}, {})) is None


def test_a_decided_outcome_never_changes_when_more_facts_arrive():
    """Kleene logic is monotone: once all() is False (or any() True), more facts keep it."""
    tree = All([FactIn(STAGE, ["offer"]), AnyOf([FactIn(INTERNAL, [True]), Not(LEAVES[0])])])
    ctx = Context({"stage": KnownFact("rejected")}, {})
    assert tree.value(ctx) is False
    for internal in (True, False):
        for f0 in (True, False):
            more = Context({"stage": KnownFact("rejected"), "internal": KnownFact(internal),
                            "f0": KnownFact(f0)}, {})
            assert tree.value(more) is False


def hit(owner, text, start):
    return Hit(owner, start, start + len(text), text, PatternSource(owner, "phrase", text))


@pytest.mark.parametrize("count, at_least, expected", [(0, 1, False), (1, 1, True),
                                                       (1, 2, False), (2, 2, True)])
def test_signal_count(count, at_least, expected):
    signals = {sid: [hit(f"signal:{sid}", "x", 0)] for sid in ["ghosting", "vague_role"][:count]}
    assert SignalCount(at_least).value(Context({}, signals)) is expected


# -- explanations -------------------------------------------------------------------------------

def test_explanation_of_a_true_all_names_every_part_with_its_evidence():
    text = "I got an offer but they ghosted me"
    offer = hit("fact:stage=\"offer\"", "got an offer", text.index("got an offer"))
    ghosted = hit("signal:ghosting", "ghosted", text.index("ghosted"))
    ctx = Context({"stage": KnownFact("offer", "text", offer),
                   "internal": KnownFact(True)}, {"ghosting": [ghosted]})
    tree = All([FactIn(STAGE, ["offer"]), SignalLeaf("ghosting", "Ghosting"),
                FactIn(INTERNAL, [True])])
    reasons = [r.as_dict() for r in tree.explain(ctx)]
    assert reasons == [
        {"condition": "Stage: offer", "held": True,
         "evidence": [{"source": "text", "quote": "got an offer", "start": 2, "end": 14}]},
        {"condition": "red flag: ghosting", "held": True,
         "evidence": [{"source": "text", "quote": "ghosted", "start": 24, "end": 31}]},
        {"condition": "Internal role: yes", "held": True, "evidence": [{"source": "given"}]},
    ]
    for reason in reasons[:2]:
        ev = reason["evidence"][0]
        assert text[ev["start"]:ev["end"]] == ev["quote"]


def test_explanation_of_a_false_all_names_only_what_failed():
    ctx = Context({"stage": KnownFact("rejected")}, {"ghosting": [hit("signal:ghosting", "g", 0)]})
    tree = All([SignalLeaf("ghosting", "Ghosting"), FactIn(STAGE, ["offer", "upcoming"])])
    reasons = tree.explain(ctx)
    assert [(r.condition, r.held) for r in reasons] == [
        ("Stage: rejected (not offer or upcoming)", False)]


def test_explanation_of_any_names_the_part_that_held():
    ctx = Context({"internal": KnownFact(False)}, {})
    tree = AnyOf([FactIn(STAGE, ["offer"]), Not(FactIn(INTERNAL, [True]))])
    reasons = tree.explain(ctx)
    assert len(reasons) == 1
    assert reasons[0].held is True
    assert reasons[0].condition.startswith("Internal role: no")


def test_not_flips_held_and_says_no_sign_of_a_missing_signal():
    reasons = Not(SignalLeaf("ghosting", "Ghosting")).explain(Context({}, {}))
    assert [(r.condition, r.held) for r in reasons] == [("no sign of: ghosting", True)]


def test_named_condition_explanations_say_which_condition_they_came_through():
    ref = Ref("has_offer", "The person has an offer")
    ref.target = FactIn(STAGE, ["offer"])
    reasons = All([ref]).explain(Context({"stage": KnownFact("offer")}, {}))
    assert reasons[0].via == "The person has an offer"
    assert reasons[0].as_dict()["via"] == "The person has an offer"


def test_signal_count_explanation_lists_one_quote_per_signal():
    signals = {"ghosting": [hit("signal:ghosting", "ghosted", 5),
                            hit("signal:ghosting", "ghost", 30)],
               "vague_role": [hit("signal:vague_role", "role was vague", 12)]}
    (reason,) = SignalCount(2).explain(Context({}, signals))
    assert reason.held is True
    assert reason.condition == "2 red flags found (at least 2 needed)"
    assert sorted((e["signal"], e["quote"]) for e in reason.evidence) == [
        ("ghosting", "ghosted"), ("vague_role", "role was vague")]


# -- compiling ----------------------------------------------------------------------------------

@pytest.mark.parametrize("data, message", [
    ({}, "must be a mapping"),
    ({"all": []}, "non-empty list"),
    ({"any": "x"}, "non-empty list"),
    ({"fact": "stage"}, "exactly one of 'is', 'in' or 'known'"),
    ({"fact": "stage", "is": "offer", "in": ["offer"]}, "exactly one of 'is', 'in' or 'known'"),
    ({"fact": "stage", "in": []}, "non-empty list"),
    ({"fact": "stage", "known": "yes"}, "'known' must be true or false"),
    ({"fact": "nope", "is": "x"}, "unknown fact 'nope'"),
    ({"fact": "stage", "is": "Offer"}, "has no value 'Offer'"),
    ({"fact": "internal", "is": "true"}, "use true or false (unquoted)"),
    ({"fact": "internal", "is": 1}, "use true or false (unquoted)"),
    ({"signal": "nope"}, "unknown or deprecated signal 'nope'"),
    ({"signals": {"at_least": 0}}, "at least 1"),
    ({"signals": {"at_least": "2"}}, "at least 1"),
    ({"condition": "nope"}, "unknown named condition 'nope'"),
    ({"always": False}, "'always' can only be true"),
    ({"sometimes": True}, "found: sometimes"),
], ids=["not-a-mapping", "empty-all", "any-not-a-list", "fact-without-test", "is-and-in",
        "empty-in", "known-not-bool", "unknown-fact", "wrong-case-value", "quoted-true",
        "number-for-bool", "unknown-signal", "at-least-zero", "at-least-string",
        "unknown-condition", "always-false", "unknown-key"])
def test_compile_errors(data, message):
    with pytest.raises(ConditionError) as caught:
        compile_condition(data, VOCAB, {}, ["when"])
    assert message in str(caught.value)
    assert caught.value.path[0] == "when"


def test_compile_error_path_points_into_the_tree():
    with pytest.raises(ConditionError) as caught:
        compile_condition({"all": [{"always": True}, {"not": {"fact": "nope", "is": "x"}}]},
                          VOCAB, {}, ["when"])
    assert caught.value.path == ["when", "all", 1, "not", "fact"]


def test_compile_builds_the_documented_tree():
    node = compile_condition({"all": [{"fact": "stage", "in": ["offer", "upcoming"]},
                                      {"not": {"signal": "ghosting"}},
                                      {"any": [{"fact": "internal", "is": False},
                                               {"signals": {"at_least": 2}}]}]}, VOCAB, {})
    assert node.describe() == ("all of (stage is offer or upcoming, not (signal ghosting), "
                               "any of (internal is no, at least 2 signals))")
    assert node.facts() == {"stage", "internal"}
    assert node.signals() == {"ghosting"}
    assert node.counts_signals() is True


# -- satisfiability -----------------------------------------------------------------------------

@pytest.mark.parametrize("data, expected", [
    ({"all": [{"fact": "stage", "is": "offer"}, {"fact": "stage", "is": "rejected"}]}, False),
    ({"any": [{"fact": "stage", "is": "offer"}, {"fact": "stage", "is": "rejected"}]}, True),
    ({"all": [{"signal": "ghosting"}, {"not": {"signal": "ghosting"}}]}, False),
    ({"all": [{"fact": "internal", "is": True}, {"not": {"fact": "internal", "is": True}}]},
     False),
    ({"signals": {"at_least": 2}}, True),
    ({"signals": {"at_least": 3}}, False),
    ({"all": [{"signals": {"at_least": 2}}, {"not": {"signal": "vague_role"}}]}, False),
    ({"fact": "stage", "known": False}, True),
    ({"fact": "stage", "known": True}, True),
    ({"all": [{"fact": "stage", "known": True}, {"signal": "ghosting"}]}, True),
    ({"all": [{"fact": "stage", "known": False}, {"fact": "stage", "is": "offer"}]}, False),
    ({"always": True}, True),
], ids=["contradiction", "either-value", "signal-and-not", "bool-and-not", "two-of-two",
        "three-of-two", "two-without-one", "known-false", "known-true", "known-true-and-signal",
        "unknown-yet-offer", "always"])
def test_satisfiable(data, expected):
    assert satisfiable(compile_condition(data, VOCAB, {}), VOCAB) is expected


# -- fact values from people --------------------------------------------------------------------

@pytest.mark.parametrize("spec, raw, expected", [
    (INTERNAL, "yes", True), (INTERNAL, "True", True), (INTERNAL, " y ", True),
    (INTERNAL, True, True), (INTERNAL, "no", False), (INTERNAL, "FALSE", False),
    (INTERNAL, "0", False), (STAGE, "offer", "offer"), (STAGE, " Offer ", "offer"),
    (FactSpec("interest", "Interest", "enum", ["keen", "not_interested"]), "not interested",
     "not_interested"),
    (FactSpec("interest", "Interest", "enum", ["keen", "not_interested"]), "Not-Interested",
     "not_interested"),
])
def test_coerce_fact_value(spec, raw, expected):
    assert coerce_fact_value(spec, raw) == expected


@pytest.mark.parametrize("spec, raw, message", [
    (INTERNAL, "maybe", "fact 'internal' is yes/no"),
    (STAGE, "offered", "fact 'stage' must be one of upcoming, offer, rejected, not 'offered'"),
    (STAGE, None, "fact 'stage' must be one of"),
])
def test_coerce_fact_value_rejects_with_a_helpful_message(spec, raw, message):
    with pytest.raises(ValueError) as caught:
        coerce_fact_value(spec, raw)
    assert message in str(caught.value)
