"""The multi-turn evaluation set (eval/dialogue/): its format, its coverage, its separation
from the training data - and the runner's expectation checks. No model, no servers: seconds."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "eval" / "dialogue"
if str(EVAL) not in sys.path:
    sys.path.insert(0, str(EVAL))

import dialogue_eval as de  # noqa: E402

VOCAB = de.load_vocabulary(ROOT)
TUNING = de.load_conversations(EVAL / "tuning", VOCAB, source="tuning")
HELDOUT = de.load_conversations(EVAL / "heldout.yml", VOCAB, source="heldout")
EVERY = TUNING + HELDOUT


# --------------------------------------------------------------------------------------------
# the set
# --------------------------------------------------------------------------------------------

def test_size_and_turns() -> None:
    assert len(EVERY) >= 60
    assert len(HELDOUT) >= 20 and len(TUNING) >= 20
    for conv in EVERY:
        assert de.MIN_TURNS <= len(conv.turns) <= de.MAX_TURNS, conv.id


def test_ids_unique_across_both_parts() -> None:
    ids = [c.id for c in EVERY]
    assert len(ids) == len(set(ids))


def test_every_category_is_used_and_known() -> None:
    used = {c.category for c in EVERY}
    assert used == set(de.CATEGORIES)


def test_several_opportunities_for_issue_12() -> None:
    assert de.coverage(EVERY, VOCAB).several_opportunities >= 15


@pytest.mark.parametrize("part", ["union", "heldout"])
def test_covers_every_intent_draft_topic_and_correction(part: str) -> None:
    convs = EVERY if part == "union" else HELDOUT
    missing = de.coverage(convs, VOCAB).missing(VOCAB)
    if part == "heldout":
        # a draft still experimental is new: the held-out part gets a conversation for it,
        # written by someone who has not seen the fix, before it is made stable
        missing["drafts"] = [d for d in missing["drafts"] if _draft_status(d) != "experimental"]
    assert missing == {"intents": [], "drafts": [], "topics": [], "corrections": []}
    # the vocabulary itself is real: a rule base with drafts and topics, a domain with intents
    assert len(VOCAB.intents) >= 15 and len(VOCAB.drafts) >= 10 and len(VOCAB.topics) >= 10


def _draft_status(draft_id: str) -> str:
    import yaml
    drafts = yaml.safe_load((ROOT / "rules" / "drafts.yml").read_text(encoding="utf-8"))["drafts"]
    return str(next(d["status"] for d in drafts if d["id"] == draft_id))


def test_every_turn_expects_something() -> None:
    for conv in EVERY:
        assert any(de.expectation_keys(t.spec) for t in conv.turns), conv.id


def test_no_turn_from_the_training_data_or_shared_between_parts() -> None:
    training = de.nlu_examples(ROOT / "data" / "nlu")
    assert len(training) > 500  # the NLU data was really read
    assert de.shared_turns(EVERY, training) == []
    assert de.shared_turns(HELDOUT, de.turn_texts(TUNING)) == []


# --------------------------------------------------------------------------------------------
# the validator
# --------------------------------------------------------------------------------------------

def _write(tmp_path: Path, conversations: List[Dict[str, Any]], name: str = "set.yml") -> Path:
    import yaml

    path = tmp_path / name
    path.write_text(yaml.safe_dump({"conversations": conversations}), encoding="utf-8")
    return path


GOOD_TURNS = [{"user": "hello", "intent": "greet"},
              {"user": "why?", "intent": "ask_why", "not_fallback": True}]


def test_validator_accepts_a_good_conversation(tmp_path: Path) -> None:
    convs = de.load_conversations(_write(tmp_path, [
        {"id": "ok_one", "category": "why_summary", "turns": GOOD_TURNS}]), VOCAB)
    assert [c.id for c in convs] == ["ok_one"] and convs[0].turns[1].intent == "ask_why"


@pytest.mark.parametrize("conversation, problem", [
    ({"id": "x", "category": "nonsense", "turns": GOOD_TURNS}, "unknown category"),
    ({"id": "x", "category": "drafts", "turns": GOOD_TURNS[:1]}, "1 turns"),
    ({"id": "x", "category": "drafts", "turns": GOOD_TURNS * 5}, "10 turns"),
    ({"id": "Bad Id", "category": "drafts", "turns": GOOD_TURNS}, "snake_case"),
    ({"id": "x", "category": "drafts", "turns": [{"user": "hi", "intent": "greeet"},
                                                 GOOD_TURNS[1]]}, "unknown intent"),
    ({"id": "x", "category": "drafts", "turns": [{"user": "hi", "draft": "nope"},
                                                 GOOD_TURNS[1]]}, "unknown draft"),
    ({"id": "x", "category": "drafts", "turns": [{"user": "hi", "flags": ["vague"]},
                                                 GOOD_TURNS[1]]}, "unknown signal"),
    ({"id": "x", "category": "drafts", "turns": [{"user": "hi", "advice": ["no_rule"]},
                                                 GOOD_TURNS[1]]}, "unknown advice rule"),
    ({"id": "x", "category": "drafts", "turns": [{"user": "hi", "facts": {"stage": "later"}},
                                                 GOOD_TURNS[1]]}, "stage cannot be"),
    ({"id": "x", "category": "drafts", "turns": [{"user": "hi", "facts": {"moon": 1}},
                                                 GOOD_TURNS[1]]}, "unknown fact"),
    ({"id": "x", "category": "drafts", "turns": [{"user": "hi", "must_contain": ["/(/"]},
                                                 GOOD_TURNS[1]]}, "must_contain"),
    ({"id": "x", "category": "drafts", "turns": [{"user": "hi", "must_contian": ["a"]},
                                                 GOOD_TURNS[1]]}, "unknown keys"),
    ({"id": "x", "category": "drafts", "turns": [{"user": "hi"}, GOOD_TURNS[1]]},
     "no expectation"),
    ({"id": "x", "category": "drafts", "turns": [{"user": "  ", "intent": "greet"},
                                                 GOOD_TURNS[1]]}, "non-empty"),
    ({"id": "x", "category": "retraction",
      "turns": [{"user": "hi", "intent": "correct", "correction": "undo"}, GOOD_TURNS[1]]},
     "correction must be"),
])
def test_validator_rejects(tmp_path: Path, conversation: Dict[str, Any], problem: str) -> None:
    with pytest.raises(de.FormatError, match=problem):
        de.load_conversations(_write(tmp_path, [conversation]), VOCAB)


def test_validator_rejects_duplicate_ids(tmp_path: Path) -> None:
    conv = {"id": "same", "category": "drafts", "turns": GOOD_TURNS}
    with pytest.raises(de.FormatError, match="duplicate id 'same'"):
        de.load_conversations(_write(tmp_path, [conv, conv]), VOCAB)


def test_a_folder_part_has_one_file_per_category_and_reports_every_file(tmp_path: Path) -> None:
    part = tmp_path / "tuning"
    part.mkdir()
    _write(part, [{"id": "a", "category": "drafts", "turns": GOOD_TURNS}], "drafts.yml")
    _write(part, [{"id": "b", "category": "why_summary", "turns": GOOD_TURNS}], "why_summary.yml")
    assert [c.id for c in de.load_conversations(part, VOCAB)] == ["a", "b"]
    assert de.user_turns(part) == ["hello", "why?", "hello", "why?"]
    _write(part, [{"id": "a", "category": "drafts", "turns": GOOD_TURNS},
                  {"id": "c", "category": "retraction", "turns": GOOD_TURNS}], "drafts.yml")
    _write(part, [{"id": "a", "category": "nonsense", "turns": GOOD_TURNS}], "why_summary.yml")
    with pytest.raises(de.FormatError) as raised:
        de.load_conversations(part, VOCAB)
    message = str(raised.value)
    assert "drafts.yml c: category 'retraction' belongs in retraction.yml" in message
    assert "why_summary.yml a: unknown category" in message      # every file's problems at once
    _write(part, [{"id": "a", "category": "why_summary", "turns": GOOD_TURNS}], "why_summary.yml")
    with pytest.raises(de.FormatError, match="duplicate id 'a'"):   # unique over the folder
        de.load_conversations(part, VOCAB)


def test_the_tuning_part_is_split_by_category() -> None:
    files = de.set_files(EVAL / "tuning")
    assert {f.stem for f in files} == set(de.CATEGORIES)


# --------------------------------------------------------------------------------------------
# the checks
# --------------------------------------------------------------------------------------------

def _ok(spec: Dict[str, Any], reply: str, state: Any = None) -> List[bool]:
    return [c.ok for c in de.check_reply(spec, reply, VOCAB, state)]


def test_must_contain_is_case_insensitive_and_regex_capable() -> None:
    reply = "Noted - Internal or External interview: EXTERNAL.\nI’d withdraw now."
    assert _ok({"must_contain": ["external interview", "i'd withdraw"]}, reply) == [True, True]
    assert _ok({"must_contain": ["/withdr(aw|ew)/"]}, reply) == [True]
    assert _ok({"must_contain": ["/^i.d withdraw/"]}, reply) == [True]   # multiline anchors
    assert _ok({"must_contain": ["internal role", "/\\bno\\b/"]}, reply) == [False, False]


def test_must_not_contain() -> None:
    reply = "Which company is it? (say \"skip\" to leave it blank)"
    assert _ok({"must_not_contain": ["which company"]}, reply) == [False]
    assert _ok({"must_not_contain": ["/who should the message go to/"]}, reply) == [True]


@pytest.mark.parametrize("reply, fallback", [
    ("Sorry, I'm not sure I understood. Did you want to say no?", True),
    ("Sorry, I didn't quite get that. Could you put it another way? For example: ...", True),
    ("I'm still not sure what you mean, sorry. Tell me in a sentence ...", True),
    ("Sorry, I didn't catch your answer. Honestly, how much do you want this job?", True),
    ("Noted - How much you want this role: not interested.", False),
    ("I'm not sure what to correct. Right now I have: ...", False),
])
def test_fallback_detection(reply: str, fallback: bool) -> None:
    assert de.is_fallback(reply) is fallback
    assert _ok({"not_fallback": True}, reply) == [not fallback]


def test_flags_are_named_by_title_and_a_withdrawal_line_does_not_count() -> None:
    title = VOCAB.signals["vague_job_description"]
    named = f"Red flags I noticed:\n- {title}: you said \"couldn't say\"."
    withdrawn = f'OK, I\'ve taken back the red flag "{title}".\nUpdated advice: ...'
    assert _ok({"flags": ["vague_job_description"]}, named) == [True]
    assert _ok({"flags": ["vague_job_description"]}, withdrawn) == [False]
    assert _ok({"not_flags": ["vague_job_description"]}, withdrawn) == [True]
    assert _ok({"not_flags": ["vague_job_description"]}, named) == [False]


def test_not_flags_also_reads_the_conversation_state() -> None:
    quiet = "I didn't spot any red flags in what you wrote."
    active = {"flags": {"poor_communication": [{"quote": "ages"}]}, "withdrawn_flags": []}
    gone = {"flags": {"poor_communication": [{"quote": "ages"}]},
            "withdrawn_flags": ["poor_communication"]}
    checks = de.check_reply({"not_flags": ["poor_communication"]}, quiet, VOCAB, active)
    assert [c.ok for c in checks] == [False] and "still active" in checks[0].detail
    assert _ok({"not_flags": ["poor_communication"]}, quiet, gone) == [True]


def test_advice_and_drafts_by_title() -> None:
    rule_title = VOCAB.advice["internal_tell_manager_first"][0]
    draft_title = VOCAB.drafts["decline_offer"]
    reply = f"1. {rule_title}. Your manager will hear.\nLet's write it: {draft_title}."
    assert _ok({"advice": ["internal_tell_manager_first"],
                "advice_any": ["back_out_how_to_do_it_well", "internal_tell_manager_first"],
                "not_advice": ["back_out_how_to_do_it_well"],
                "draft": "decline_offer"}, reply) == [True, True, True, True]
    assert _ok({"advice": ["back_out_how_to_do_it_well"], "draft": "withdraw_application",
                "not_advice": ["internal_tell_manager_first"]}, reply) == [False, False, False]


def test_facts_need_the_state() -> None:
    state = {"facts": {"interest": {"value": "unsure", "source": "text"},
                       "employed": {"value": False}}}
    assert _ok({"facts": {"interest": "unsure", "employed": False}}, "", state) == [True, True]
    assert _ok({"facts": {"interest": "interested", "stage": "done"}}, "", state) \
        == [False, False]
    assert _ok({"not_facts": {"interest": "interested"}}, "", state) == [True]
    checks = de.check_reply({"facts": {"interest": "unsure"}}, "", VOCAB, None)
    assert not checks[0].ok and "no conversation state" in checks[0].detail


def test_answer_first_looks_at_the_start_only() -> None:
    late = "x" * (de.ANSWER_FIRST_CHARS + 10) + " No, it isn't dishonest."
    early = "No - interviewing while undecided is not dishonest. " + late
    spec = {"answer_first": ["/\\bno\\b/"]}
    assert _ok(spec, early) == [True]
    checks = de.check_reply(spec, late, VOCAB)
    assert not checks[0].ok and checks[0].detail == "found later in the reply"
    # inside the advice list is not first, however early
    buried = ("Noted - you asked about interviewing.\nWhat I'd do:\n1. The offer test. It is "
              "normal and not dishonest.")
    assert _ok({"answer_first": ["not dishonest"]}, buried) == [False]
    assert _ok({"answer_first": ["not dishonest"]},
               "No - it's not dishonest.\n" + buried) == [True]


def test_shared_turns_ignores_short_commands() -> None:
    convs = de.load_conversations(EVAL / "tuning", VOCAB)
    texts = de.turn_texts(convs)
    assert "summary" in texts  # short commands repeat freely ...
    assert de.shared_turns(convs, {"summary"}) == []
    long_turn = next(t.user for c in convs for t in c.turns if len(t.user.split()) > 6)
    # ... long turns do not, whatever their punctuation and case
    assert de.shared_turns(convs, {de.normalise_turn(long_turn.upper() + "!!")})


# --------------------------------------------------------------------------------------------
# the report
# --------------------------------------------------------------------------------------------

def _result(conv: str, category: str, oks: List[bool], fallback: bool = False,
            intent: Any = None, predicted: Any = None) -> de.TurnResult:
    checks = [de.Check("must_contain", "x", ok) for ok in oks]
    return de.TurnResult(conv, category, "tuning", 1, "hi", "reply", checks, fallback,
                         intent, predicted)


def test_summary_counts_expectations_conversations_fallbacks_and_intents() -> None:
    run_eval = de.load_runner()
    summary = run_eval.summarise([
        _result("a", "drafts", [True, True], intent="greet", predicted="greet"),
        _result("a", "drafts", [False], fallback=True, intent="thank", predicted="greet"),
        _result("b", "drafts", [True]),
        _result("c", "retraction", [True, False, False]),
    ])
    assert (summary["met"], summary["expectations"]) == (4, 7)
    assert summary["per_category"]["drafts"] == {"met": 3, "total": 4, "share": 0.75,
                                                  "conversations": 2,
                                                  "conversations_passed": 1}
    assert summary["per_category"]["retraction"]["conversations_passed"] == 0
    assert (summary["conversations"], summary["conversations_passed"]) == (3, 1)
    assert (summary["turns"], summary["fallbacks"]) == (4, 1)
    assert (summary["intent_annotated"], summary["intent_correct"]) == (2, 1)


def test_summary_counts_the_check_conversations_apart() -> None:
    run_eval = de.load_runner()
    summary = run_eval.summarise([
        _result("t_x", "drafts", [True, True]),
        _result("t_x_chk", "drafts", [True, False]),
        _result("t_y_chk", "dilemmas", [False]),
    ])
    assert summary["check"] == {"met": 1, "total": 3, "conversations": 2}
    assert (summary["met"], summary["expectations"]) == (3, 5)   # still counted overall


def test_exit_code_only_fails_below_a_minimum_asked_for() -> None:
    run_eval = de.load_runner()
    summaries: Dict[str, Dict[str, Any]] = {"tuning": {"share": 0.97},
                                            "heldout": {"share": 0.9}}
    assert run_eval.exit_code(summaries, None, None) == 0
    assert run_eval.exit_code(summaries, 0.85, 0.95) == 0
    assert run_eval.exit_code(summaries, 0.95, None) == 1
    assert run_eval.exit_code(summaries, None, 0.99) == 1
