"""The NLU training data and the held-out file, checked without training anything (fast)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "eval" / "nlu"))

import run_eval  # noqa: E402

HELDOUT = ROOT / "eval" / "nlu" / "heldout.yml"
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
#: intents that only buttons and the fallback produce, never typed text
NOT_TYPED = {"nlu_fallback"}


def training_examples():
    return [pair for path in run_eval.nlu_files(ROOT / "data" / "nlu")
            for pair in run_eval._examples(path)]


def test_no_held_out_example_is_in_the_training_data():
    n_held, n_dup, duplicated = run_eval.leakage(ROOT / "data", HELDOUT)
    assert n_held >= 150
    assert duplicated == [], f"{n_dup} held-out examples are also training examples"


def test_the_leak_check_sees_a_duplicate(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "nlu.yml").write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n'
                                  "    - Hello there!\n    - hi\n", encoding="utf-8")
    held = tmp_path / "held.yml"
    held.write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n'
                    "    - hello   THERE\n    - good morning\n", encoding="utf-8")
    assert run_eval.leakage(data, held) == (2, 1, ["hello   THERE"])


@pytest.mark.parametrize("intent", sorted(set(DOMAIN["intents"]) - NOT_TYPED))
def test_every_intent_has_at_least_25_varied_examples(intent):
    texts = [text for name, text in training_examples() if name == intent]
    distinct = {run_eval._norm(t) for t in texts}
    assert len(distinct) >= 25, f"{intent}: {len(distinct)} distinct examples"


def test_every_training_intent_is_in_the_domain_and_the_held_out_set():
    trained = {name for name, _ in training_examples()}
    held = {name for name, _ in run_eval._examples(HELDOUT)}
    assert trained == set(DOMAIN["intents"]) - NOT_TYPED
    assert held <= trained


def test_central_intents_have_long_stories_and_lower_case_typing():
    counts = Counter()
    for name, text in training_examples():
        if name == "describe_interview":
            counts["long"] += len(text.split()) >= 40
            counts["lower"] += text == text.lower()
    assert counts["long"] >= 20 and counts["lower"] >= 50, counts


def test_each_intent_lives_in_one_topic_file():
    """data/nlu/ is laid out by topic: one file (and one block) per intent, so an intent's
    examples are read in one place, not spread over files named by when they were added."""
    blocks: dict = {}
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for item in yaml.safe_load(path.read_text("utf-8")).get("nlu") or []:
            if "intent" in item:
                blocks.setdefault(item["intent"], []).append(path.name)
    spread = {intent: files for intent, files in blocks.items() if len(files) > 1}
    assert spread == {}, f"intents in more than one block or file: {spread}"


def test_names_written_in_lower_case_map_to_their_capitalised_value():
    """Rasa's synonym mapper learns "acme" -> value from every annotated span, case-insensitively:
    a span typed in lower case with no value of its own would turn "Acme" into "acme" in the
    reply ("company: acme"). Lower-case names must say their value: ``[acme](company:Acme)``."""
    import re

    bare = re.compile(r"\[([^\]]+)\]\((company|person_name)\)")
    wrong = [(path.name, m.group(0)) for path in run_eval.nlu_files(ROOT / "data" / "nlu")
             for m in bare.finditer(path.read_text("utf-8")) if m.group(1)[0].islower()]
    assert wrong == []
