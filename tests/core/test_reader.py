"""The statistical reader for facts and direct questions (interview_advisor/reader.py): it adds
only what the patterns missed, quotes its clause, keeps out of negated and hoped-for clauses, and
its file agrees with the rule base."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.reader import Reader
from interview_advisor.reader_train import FACTS, fact_label

from .helpers import tuning_dialogues


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


def test_the_reader_is_loaded_and_knows_only_the_rule_base_labels(advisor):
    reader = advisor.reader
    assert reader is not None and reader.thresholds
    for label in reader.labels:
        kind, _, rest = label.partition(":")
        if kind == "fact":
            assert rest.partition("=")[0] in FACTS
        else:
            assert kind == "question" and rest in advisor.rulebase.questions
    assert set(reader.thresholds) <= set(reader.labels)


def test_a_fact_the_patterns_missed_is_read_with_its_clause_as_evidence(advisor):
    text = "long week. the panel is booked for the 3rd of next month, fingers crossed"
    assert not any(h.owner.startswith("fact:stage") for h in advisor.rulebase.detector.run(text))
    fact = advisor.detect(text).facts["stage"]
    assert fact.value == "upcoming"
    assert fact.evidence is not None and fact.evidence.via.kind == "model"
    assert "panel is booked" in fact.evidence.text and "long week" not in fact.evidence.text
    assert "statistical reader" in fact.evidence.via.text


def test_the_patterns_win_where_they_read_the_fact(advisor):
    fact = advisor.detect("my interview with them is on friday afternoon").facts["stage"]
    assert fact.value == "upcoming" and fact.evidence is not None
    assert fact.evidence.via.kind != "model"


@pytest.mark.parametrize("text, fact, value", [
    ("i'm not unemployed", "employed", False),
    ("i hope i dont get rejected", "stage", "rejected"),
])
def test_a_negated_or_hoped_for_clause_is_not_read(advisor, text, fact, value):
    found = advisor.detect(text).facts.get(fact)
    assert found is None or found.value != value


def test_without_the_reader_only_the_patterns_read(advisor):
    text = "the panel is booked for the 3rd of next month"
    reader, advisor.reader = advisor.reader, None
    try:
        assert "stage" not in advisor.detect(text).facts
    finally:
        advisor.reader = reader


def _tiny(weights):
    """A real Reader over hand-set weights: one question label, one fact label (a vocabulary
    of a few words, so no share of known words is asked for)."""
    labels = ["question:more_time_to_decide", fact_label("stage", "offer")]
    return Reader({"labels": labels, "ngram_range": [1, 2], "min_known_share": 0.0,
                   "intercepts": {k: -2.0 for k in labels},
                   "features": {t: {"idf": 1.0, "w": w} for t, w in weights.items()},
                   "thresholds": {k: 0.5 for k in labels}})


def test_a_question_is_read_only_from_a_sentence_that_asks():
    reader = _tiny({"more": {"question:more_time_to_decide": 6.0},
                    "time": {"question:more_time_to_decide": 6.0}})
    assert reader.read("they gave me more time. great", "question") == []
    asked = reader.read("they gave me a deadline. can i get more time?", "question")
    assert [r.name for r in asked] == ["more_time_to_decide"]
    assert "more time" in "they gave me a deadline. can i get more time?"[asked[0].start:
                                                                          asked[0].end]


def test_a_long_story_does_not_dilute_the_sentence_that_tells_the_fact():
    reader = _tiny({"offer": {fact_label("stage", "offer"): 6.0}})
    story = ("so much going on at work, the team is busy, my manager is away, the project is "
             "late and everyone is tired. anyway they made me an offer")
    readings = reader.read(story, "fact")
    assert [r.value for r in readings] == ["offer"]
    assert story[readings[0].start:readings[0].end].strip().startswith("anyway")


@pytest.mark.parametrize("text", ["no", "internal", "yes please"])
def test_a_word_or_two_is_an_answer_not_a_statement(advisor, text):
    # the dialogue reads answers to its question itself (answer_words); the reader stays out
    assert advisor.reader is not None
    assert advisor.reader.read(text, "fact") == []


def test_a_turn_whose_question_the_patterns_miss_teaches_no_question_label(advisor, tmp_path):
    from interview_advisor.reader_train import dialogue_items, unknown_for

    tuning_dialogues(tmp_path,
                     "  - id: t_x\n    category: dilemmas\n    turns:\n"
                     "      - user: \"pulling out of the process at a bakery chain\"\n"
                     "        facts: {interest: not_interested}\n"
                     "      - user: \"zorbly flimflam or what\"\n"
                     "        answer_first: [\"/^No/\"]\n"
                     "      - user: \"is it dishonest to keep interviewing?\"\n"
                     "        answer_first: [\"/^No/\"]\n")
    told, unknown, asked = dialogue_items(tmp_path, advisor)
    assert told["unknown"] is None
    assert told["labels"] == {fact_label("interest", "not_interested")}
    assert unknown["unknown"] == "question" and unknown["labels"] == set()
    assert unknown_for(unknown, "question:withdraw_without_reason")
    assert not unknown_for(unknown, fact_label("stage", "offer"))
    assert asked["unknown"] is None
    assert "question:keep_interviewing_dishonest" in asked["labels"]
