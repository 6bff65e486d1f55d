"""The statistical reader reads nothing from a sentence it knows too few words of: "recipe for
jollof rice" was read as an interview still ahead at p=0.76, on the one word "for" (after the
tf-idf normalisation the only known word decides alone). Real reader, real weights."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.reader import MIN_KNOWN_SHARE, Reader


@pytest.fixture(scope="module")
def reader():
    reader = Advisor().reader
    assert reader is not None
    return reader


@pytest.mark.parametrize("text", ["recipe for jollof rice", "let's begin anew",
                                  "bait and switch"])
def test_a_sentence_of_mostly_unknown_words_reads_as_nothing(reader, text):
    assert reader.known_share(text) < MIN_KNOWN_SHARE
    assert reader.read(text, "fact") == [] and reader.read(text, "question") == []


def test_a_word_known_alone_does_not_decide():
    """A model that knows only "for" and weighs it for one label: the sentence scores high
    (the normalised vector is all "for"), and only the guard keeps it from being read."""
    label = 'fact:stage="upcoming"'
    model = Reader({"labels": [label], "intercepts": {label: 0.0}, "thresholds": {label: 0.5},
                    "ngram_range": [1, 1],
                    "features": {"for": {"idf": 1.0, "w": {label: 3.0}},
                                 "interview": {"idf": 1.0, "w": {}},
                                 "the": {"idf": 1.0, "w": {}},
                                 "is": {"idf": 1.0, "w": {}}}})
    assert model.sentence_scores("recipe for jollof rice")[0][0] > 0.9
    assert model.read("recipe for jollof rice", "fact") == []
    assert [r.label for r in model.read("the interview is for monday", "fact")] == [label]


def test_an_everyday_sentence_is_still_read(reader):
    text = "Globex came back with an offer today, 64k, hybrid two days a week"
    assert reader.known_share(text) >= MIN_KNOWN_SHARE
    assert 'fact:stage="offer"' in [r.label for r in reader.read(text, "fact")]


def test_known_share_counts_words_the_model_has(reader):
    assert reader.known_share("") == 0.0
    assert reader.known_share("the offer") == 1.0


def test_a_values_unless_phrases_veto_the_reader_too():
    """The rule base's `unless` for a fact value ("not keen on the commute" is no dislike of
    the job) holds for the statistical reader as for the patterns."""
    advisor = Advisor()
    for text in ("not keen on the early starts", "honestly not keen on the commute at all"):
        assert advisor.detect(text).facts.get("interest") is None, text
    label = 'fact:interest="not_interested"'
    model = Reader({"labels": [label], "intercepts": {label: 0.0}, "thresholds": {label: 0.5},
                    "ngram_range": [1, 2], "min_known_share": 0.0,
                    "features": {"not keen": {"idf": 1.0, "w": {label: 4.0}}}})
    assert [r.label for r in model.read("not keen on the early starts", "fact")] == [label]
    advisor.reader = model    # the same reading, through detect: vetoed
    assert advisor.detect("not keen on the early starts").facts.get("interest") is None
    assert advisor.detect("i'm not keen on this job at all").facts["interest"].value == \
        "not_interested"
