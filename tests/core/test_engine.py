"""The Advisor: evaluation, explanations, next questions, facts, limits and reloading."""

from __future__ import annotations

import time
import warnings

import pytest

from interview_advisor import Advisor, RuleBaseError
from interview_advisor.engine import MAX_TEXT_CHARS

from .helpers import RuleDir, mini

# -- explanations (mini rule base) --------------------------------------------------------------


def test_advice_explains_held_conditions_with_quotes_and_offsets(mini_advisor):
    text = "They finally got back... I got an offer, but honestly they ghosted me for weeks."
    result = mini_advisor.analyze(text)
    assert [a.rule for a in result.advice] == ["offer_but_ghosted", "flag_found"]
    because = result.advice[0].because
    assert [(b["condition"], b["held"]) for b in because] == [
        ("Stage of the process: offer in hand", True), ("red flag: ghosting", True)]
    assert because[0]["via"] == "The person has an offer"
    for reason in because:
        (evidence,) = reason["evidence"]
        assert evidence["source"] == "text"
        assert text[evidence["start"]:evidence["end"]] == evidence["quote"]
    assert because[0]["evidence"][0]["quote"] == "got an offer"
    assert because[1]["evidence"][0]["quote"] == "ghosted"


def test_given_facts_are_explained_as_given(mini_advisor):
    result = mini_advisor.analyze("they ghosted me", {"stage": "offer"})
    because = result.advice[0].because
    assert because[0]["condition"] == "Stage of the process: offer in hand"   # its label
    assert because[0]["evidence"] == [{"source": "given"}]


def test_signal_count_rule_quotes_every_flag(mini_advisor):
    text = "they ghosted me and the responsibilities were unclear"
    item = next(a for a in mini_advisor.analyze(text).advice if a.rule == "flag_found")
    (reason,) = item.because
    assert reason["held"] is True
    quotes = {e["signal"]: e["quote"] for e in reason["evidence"]}
    assert quotes == {"ghosting": "ghosted", "vague_role": "responsibilities were unclear"}


def test_advice_is_ordered_by_priority_and_carries_the_rule_content(mini_advisor):
    result = mini_advisor.analyze("it's an internal role and they ghosted me", {"stage": "offer"})
    assert [a.priority for a in result.advice] == sorted((a.priority for a in result.advice),
                                                        reverse=True)
    item = next(a for a in result.advice if a.rule == "internal_tell_manager")
    assert item.as_dict() == {
        "rule": "internal_tell_manager", "title": "Tell your manager", "topic": "internal_external",
        "priority": 80, "text": "Tell your manager yourself.", "why": "They will hear anyway.",
        "next_steps": ["Book 15 minutes with your manager."], "questions_to_ask": [],
        "draft": None, "because": item.because,
        "source": {"seed": "003", "section": "Manager being informed"}}


def test_deprecated_signals_are_never_detected(mini_advisor):
    assert mini_advisor.detect("old flag words").signals == {}


def test_a_rule_base_of_plain_phrases_detects_without_warnings(tmp_path):
    """With only literal phrases every pattern goes to the PhraseMatcher; running the then
    empty token Matcher makes spaCy warn (W036) on every single message."""
    rules = mini(tmp_path)
    rules.edit("signals.yml", "      patterns:\n        - [{NORM: radio}, {NORM: silence}]\n", "")
    advisor = Advisor(rules.root)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert set(advisor.detect("they ghosted me").signals) == {"ghosting"}


def test_the_same_words_are_one_piece_of_evidence(tmp_path):
    """Two phrases with the same lemma ("ghost", "ghosted") matching the same words must give
    one hit, not two identical ones (they would be listed twice in `matches` and `because`)."""
    rules = mini(tmp_path)
    rules.edit("signals.yml", "        - ghosted\n", "        - ghost\n        - ghosted\n")
    hits = Advisor(rules.root).detect("they ghosted me").signals["ghosting"]
    assert [(h.start, h.end) for h in hits] == [(5, 12)]


# -- the next best question (a rule base built for it) ------------------------------------------

FACTS = """\
facts:
  - {id: a, title: Fact A, type: enum, values: [x, y, z], ask_priority: 10, question: A?}
  - {id: b, title: Fact B, type: boolean, ask_priority: 95, question: B?}
  - {id: c, title: Fact C, type: boolean, ask_priority: 50, question: C?}
  - {id: d, title: Fact D, type: boolean, ask_priority: 50, question: D?}
  - {id: e, title: Fact E, type: boolean, ask_priority: 20, question: E?}
  - {id: f, title: Fact F, type: boolean, ask_priority: 70, question: F?,
     options: {"true": "Yes", "false": "No"}}
"""
RULE = """\
  - id: {id}
    title: Rule {id}
    status: stable
    priority: {priority}
    topic: mindset
    source: {{seed: "003", section: Keeping an open mind}}
    when: {when}
    advice: Advice.
    why: Why.
    next_steps: [Step.]
    examples:
      trigger: [{trigger}]
      no_trigger: [{no_trigger}]
"""
QUESTION_RULES = [
    # a decides two high-priority rules; b (asked first on ties) decides one lower rule
    ("r_a_x", 90, "{fact: a, is: x}", "{facts: {a: x}}", "{facts: {a: y}}"),
    ("r_a_y", 80, "{fact: a, is: y}", "{facts: {a: y}}", "{facts: {a: x}}"),
    ("r_b", 50, "{fact: b, is: true}", "{facts: {b: true}}", "{facts: {b: false}}"),
    # while a is unknown, neither c nor d can decide this rule on its own
    ("r_acd", 60, "{all: [{fact: a, is: x}, {any: [{fact: c, is: true}, {fact: d, is: true}]}]}",
     "{facts: {a: x, c: true}}", "{facts: {a: y, c: true}}"),
    # equal weight: the fact with the higher ask_priority comes first
    ("r_e", 40, "{fact: e, is: true}", "{facts: {e: true}}", "{facts: {e: false}}"),
    ("r_f", 40, "{fact: f, is: true}", "{facts: {f: true}}", "{facts: {f: false}}"),
]


@pytest.fixture(scope="module")
def question_advisor(tmp_path_factory):
    rules = "rules:\n" + "".join(
        RULE.format(id=i, priority=p, when=w, trigger=t, no_trigger=n)
        for i, p, w, t, n in QUESTION_RULES)
    rule_dir = RuleDir.create(tmp_path_factory.mktemp("questions"),
                              files={"facts.yml": FACTS, "advice/rules.yml": rules})
    return Advisor(rule_dir.root)


def test_best_question_decides_the_most_and_most_important_rules(question_advisor):
    result = question_advisor.analyze("")
    assert result.advice == []
    facts = [q.fact for q in result.questions]
    assert facts[0] == "a"          # 90 + 80 (+ part of 60) beats b's 50, whatever ask_priority
    assert facts[1] == "b"
    assert facts.index("f") < facts.index("e")   # equal weight: higher ask_priority first
    first = result.questions[0]
    assert sorted(first.would_decide) == ["r_a_x", "r_a_y"]
    assert first.question == "A?"
    assert [q.score for q in result.questions] == sorted((q.score for q in result.questions),
                                                         reverse=True)


def test_a_question_whose_answer_is_plain_is_not_asked(tmp_path):
    """``ask_unless``: b is not asked while e is true (its answer is plain), and stays unknown."""
    rules = "rules:\n" + "".join(
        RULE.format(id=i, priority=p, when=w, trigger=t, no_trigger=n)
        for i, p, w, t, n in QUESTION_RULES)
    facts = FACTS.replace("ask_priority: 95, question: B?}",
                          "ask_priority: 95, question: B?,\n     ask_unless: {fact: e, is: true}}")
    assert facts != FACTS
    advisor = Advisor(RuleDir.create(tmp_path, files={"facts.yml": facts,
                                                      "advice/rules.yml": rules}).root)
    assert "b" not in {q.fact for q in advisor.analyze("", {"e": True}).questions}
    assert "b" in {q.fact for q in advisor.analyze("", {"e": False}).questions}
    assert "b" in {q.fact for q in advisor.analyze("").questions}     # unknown: not plain


def test_a_fact_that_cannot_decide_anything_yet_is_not_asked(question_advisor):
    facts = {q.fact for q in question_advisor.analyze("").questions}
    assert "c" not in facts and "d" not in facts


def test_known_facts_are_never_asked_and_newly_decisive_ones_are(question_advisor):
    result = question_advisor.analyze("", {"a": "x"})
    assert [a.rule for a in result.advice] == ["r_a_x"]
    facts = {q.fact for q in result.questions}
    assert "a" not in facts
    assert {"c", "d"} <= facts      # with a = x, c or d can now fire r_acd
    c = next(q for q in result.questions if q.fact == "c")
    assert c.would_decide == ["r_acd"]


def test_a_fact_only_used_by_decided_rules_is_not_asked(question_advisor):
    result = question_advisor.analyze("", {"a": "y"})   # r_acd is now false whatever c and d are
    facts = {q.fact for q in result.questions}
    assert not facts & {"a", "c", "d"}
    assert facts == {"b", "e", "f"}


def test_question_carries_the_options(question_advisor):
    f = next(q for q in question_advisor.analyze("").questions if q.fact == "f")
    assert f.as_dict() == {"fact": "f", "question": "F?", "options": {"true": "Yes", "false": "No"},
                           "would_decide": ["r_f"]}


def test_facts_found_in_text_are_not_asked_either(mini_advisor):
    before = {q.fact for q in mini_advisor.analyze("hello").questions}
    assert "internal" in before
    after = mini_advisor.analyze("it's an internal role")
    assert after.facts["internal"].value is True
    assert "internal" not in {q.fact for q in after.questions}


@pytest.mark.parametrize("facts", [
    {}, {"interview_type": "internal"}, {"stage": "offer", "interest": "unsure"},
    {"stage": "rejected", "employed": True, "current_satisfaction": "unsatisfied"},
], ids=["nothing", "internal", "offer-unsure", "rejected-employed-unhappy"])
def test_real_rule_base_never_asks_for_known_facts(advisor, facts):
    result = advisor.analyze("the responsibilities were vague", facts)
    asked = [q.fact for q in result.questions]
    assert asked, "some rule should still be open"
    assert not set(asked) & set(result.facts)
    active = {r.id for r in advisor.rulebase.active_rules}
    fired = {a.rule for a in result.advice}
    for question in result.questions:
        assert question.fact in advisor.rulebase.facts
        assert set(question.would_decide) <= active - fired


def test_real_rule_base_explanations_quote_the_message(advisor):
    text = ("I got an offer for an internal role yesterday, but the responsibilities were vague "
            "and they ghosted me for two weeks before that.")
    result = advisor.analyze(text)
    assert result.advice and {"stage", "interview_type"} <= set(result.facts)
    quoted = 0
    for item in result.advice:
        assert item.because, item.rule
        assert all(reason["held"] for reason in item.because), item.rule
        for reason in item.because:
            for evidence in reason["evidence"]:
                if evidence["source"] == "text":
                    quoted += 1
                    assert text[evidence["start"]:evidence["end"]] == evidence["quote"]
    assert quoted


# -- facts: given beats detected, invalid ones are refused --------------------------------------

def test_given_facts_override_detected_ones(advisor):
    result = advisor.analyze("it's an internal role at my company", {"interview_type": "external"})
    known = result.facts["interview_type"]
    assert (known.value, known.source, known.evidence) == ("external", "given", None)


def test_given_facts_are_coerced(advisor):
    result = advisor.analyze("", {"recent_improvement": "yes", "interview_type": "Internal"})
    assert result.facts["recent_improvement"].value is True
    assert result.facts["interview_type"].value == "internal"


@pytest.mark.parametrize("facts, message", [
    ({"interview_typ": "internal"}, "unknown fact 'interview_typ'; known facts: "),
    ({"interview_type": "sideways"}, "fact 'interview_type' must be one of internal, external, "
                                     "not 'sideways'"),
    ({"recent_improvement": "perhaps"}, "fact 'recent_improvement' is yes/no"),
], ids=["unknown-name", "bad-enum-value", "bad-boolean"])
def test_invalid_facts_raise_value_error(advisor, facts, message):
    with pytest.raises(ValueError) as caught:
        advisor.analyze("they ghosted me", facts)
    assert message in str(caught.value)
    if "known facts" in message:
        assert "interview_type" in str(caught.value)   # the list helps fix the typo


# -- limits -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   \n  "], ids=["empty", "blank"])
def test_empty_message(advisor, text):
    result = advisor.analyze(text)
    assert result.signals == [] and result.notes == []
    assert result.questions            # it still knows what to ask
    assert "questions" in result.as_dict()


def test_huge_message_is_truncated_with_a_note(advisor):
    text = ("they ghosted me after the interview. " * 6000)[:200_000]
    assert len(text) == 200_000
    started = time.perf_counter()
    result = advisor.analyze(text)
    assert time.perf_counter() - started < 10
    assert result.notes == [f"only the first {MAX_TEXT_CHARS} characters were analysed"]
    assert [s.id for s in result.signals] == ["poor_communication"]
    for hit in result.signals[0].hits:
        assert hit.end <= MAX_TEXT_CHARS
        assert text[hit.start:hit.end] == hit.text
    result.to_json()   # serialisable


def test_long_message_without_spaces(advisor):
    result = advisor.analyze("x" * 200_000)
    assert result.signals == [] and len(result.notes) == 1


# -- reloading ----------------------------------------------------------------------------------

def test_reload_picks_up_a_changed_rule(mini_dir):
    advisor = Advisor(mini_dir.root)
    assert advisor.reload_if_changed() is None
    mini_dir.edit("advice/main.yml", "advice: Tell your manager yourself.",
                  "advice: Tell your manager before anyone else does.")
    assert advisor.reload_if_changed() == []
    item = next(a for a in advisor.analyze("it's an internal role").advice
                if a.rule == "internal_tell_manager")
    assert item.text == "Tell your manager before anyone else does."
    assert advisor.reload_if_changed() is None


def test_reload_picks_up_a_new_rule_file(mini_dir):
    advisor = Advisor(mini_dir.root)
    mini_dir.write("advice/extra.yml", "rules:\n" + RULE.format(
        id="offer_congrats", priority=30, when="{fact: stage, is: offer}",
        trigger="{facts: {stage: offer}}", no_trigger="{facts: {stage: rejected}}"))
    assert advisor.reload() == []
    assert "offer_congrats" in [a.rule for a in advisor.analyze("I got an offer").advice]


def test_broken_reload_keeps_the_old_rule_base(mini_dir):
    advisor = Advisor(mini_dir.root)
    old = advisor.rulebase
    mini_dir.edit("advice/main.yml", "when: {fact: internal, is: true}",
                  "when: {fact: internl, is: true}")
    issues = advisor.reload()
    assert [(i.file, i.rule_id, i.kind) for i in issues] == [
        ("rules/advice/main.yml", "internal_tell_manager", "reference")]
    assert issues[0].line == mini_dir.line("advice/main.yml", "internl")
    assert advisor.rulebase is old
    advice = advisor.analyze("it's an internal role").advice
    assert "internal_tell_manager" in [a.rule for a in advice]
    # still broken: reload_if_changed keeps reporting instead of pretending all is well
    assert advisor.reload_if_changed() == issues
    mini_dir.edit("advice/main.yml", "internl", "internal")
    assert advisor.reload_if_changed() is None      # back to the content that is loaded


def test_reload_picks_up_a_schema_change(mini_dir):
    """schema.json is part of the rule base folder; reload() must not use a stale copy."""
    advisor = Advisor(mini_dir.root)
    schema = mini_dir.read("schema.json")
    mini_dir.write("schema.json", schema.replace('"mindset"\n', '"mindset",\n        "salary"\n'))
    mini_dir.edit("advice/main.yml", "topic: internal_external", "topic: salary")
    assert advisor.reload() == []
    assert advisor.rulebase.rule("internal_tell_manager").topic == "salary"


def test_constructor_raises_on_a_broken_rule_base(mini_dir):
    mini_dir.edit("drafts.yml", "purpose: thank_you", "purpose: thanks")
    with pytest.raises(RuleBaseError) as caught:
        Advisor(mini_dir.root)
    assert "rules/drafts.yml" in str(caught.value)


def test_default_rules_dir_honours_the_environment(mini_dir, monkeypatch):
    monkeypatch.setenv("INTERVIEW_ADVISOR_RULES", str(mini_dir.root))
    assert Advisor().rules_dir == mini_dir.root
    assert set(Advisor().rulebase.signals) == {"ghosting", "vague_role", "old_flag"}
