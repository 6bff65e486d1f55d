"""Word classes for the reader (DLM10, opt-in: ``scripts/train_reader.py --word-classes``): a
word the rule base lists for one value of a feeling fact counts as that value's class term as
well, so a model trained with classes can weigh a feeling word it never saw in training; the
reader adds the same class terms at run time as the training analyzer does."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.reader import Reader
from interview_advisor.reader_train import fact_label, fit, word_classes


@pytest.fixture(scope="module")
def classes():
    return word_classes(Advisor())


def test_feeling_and_current_job_words_have_classes(classes):
    assert "wc_current_satisfaction_unsatisfied" in classes["miserable"]
    assert "wc_interest_unsure" in classes["torn"]
    assert "wc_current_job" in classes["current"]
    assert "the" not in classes and "job" not in classes


def test_an_unseen_word_of_a_class_weighs_like_the_seen_ones(classes):
    unhappy = [w for w, c in classes.items() if c == ["wc_current_satisfaction_unsatisfied"]]
    seen, unseen = unhappy[:6], unhappy[6]
    label = fact_label("current_satisfaction", "unsatisfied")
    contexts = ("honestly {}", "{} lately", "so {} at my place", "feeling {} tbh", "been {}",
                "{} every day")
    items = [{"text": c.format(w), "labels": {label}} for c, w in zip(contexts, seen)] + \
        [{"text": t, "labels": set()} for t in (
            "the interview is on monday", "they sent the offer today", "my commute is long",
            "the recruiter called me back", "second round next week", "i got the job")]
    with_classes = Reader(fit(items, [label], classes=classes))
    without = Reader(fit(items, [label]))

    def score(reader: Reader, text: str) -> float:
        return reader.sentence_scores(text)[0][0]

    # without classes an unseen word is no evidence at all; with them it is its class's
    assert score(without, unseen) == pytest.approx(score(without, "zebra"))
    assert score(with_classes, unseen) > score(with_classes, "zebra") + 0.1
