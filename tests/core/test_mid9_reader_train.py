"""Training the reader (MID9): a fact the patterns read in a training item that its annotation
does not give is unknown for the reader, not a negative - a turn's ``facts:`` expectation lists
what the turn is about, not every fact it mentions, and a rule example is written for one fact.
And ``--exclude`` takes wildcards, so the check half of a round (``*_chk``) can be left out."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.reader_train import (
    dialogue_items,
    excluded,
    fact_label,
    is_check,
    rulebase_items,
    unknown_for,
)

from .helpers import tuning_dialogues


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


def test_a_fact_the_annotation_leaves_out_is_unknown_not_negative(advisor, tmp_path):
    tuning_dialogues(tmp_path,
                     "  - id: t_x\n    category: dilemmas\n    turns:\n"
                     "      - user: \"got an offer from Quarrytown yesterday and i really want "
                     "this one\"\n"
                     "        facts: {interest: interested}\n"
                     "      - user: \"second interview at Quarrytown next tuesday\"\n"
                     "        facts: {stage: upcoming}\n")
    told_interest, told_stage = dialogue_items(tmp_path, advisor)
    offer = fact_label("stage", "offer")
    # the offer is read by the patterns but not annotated: unknown, neither positive nor negative
    assert offer not in told_interest["labels"]
    assert unknown_for(told_interest, offer)
    assert not unknown_for(told_interest, fact_label("interest", "interested"))
    # an annotated fact stays a positive, and the other values of it stay negatives
    assert fact_label("stage", "upcoming") in told_stage["labels"]
    assert not unknown_for(told_stage, offer)


def test_rule_examples_are_negatives_only_for_what_they_are_written_for(advisor):
    items = rulebase_items(advisor)
    example = next(i for i in items
                   if i["text"] == "ive decided to bail on the Sorrento Group interview next week")
    assert example["labels"] == {fact_label("interest", "not_interested")}
    # written for interest, it also says the interview is ahead: not taught as "not upcoming"
    assert unknown_for(example, fact_label("stage", "upcoming"))
    assert not unknown_for(example, fact_label("interest", "interested"))
    # a near miss stays a negative for the value it was written against
    near_miss = next(i for i in items if i["text"] == "i'm not super keen")
    assert not near_miss["labels"]
    assert not unknown_for(near_miss, fact_label("interest", "interested"))


@pytest.mark.parametrize("conv_id, exclude, out", [
    ("t_dlm7_offer", ["t_dlm7_"], True),
    ("t_mid9_surprise_raise_chk", ["*_chk"], True),
    ("t_mid9_surprise_raise", ["*_chk"], False),
    ("t_mid9_chk_like", ["*_chk"], True),
])
def test_exclude_takes_prefixes_and_wildcards(conv_id, exclude, out):
    assert excluded(conv_id, exclude) is out


def test_check_conversations_are_never_trained_on(advisor, tmp_path):
    tuning_dialogues(tmp_path,
                     "  - id: t_z\n    category: dilemmas\n    turns:\n"
                     "      - user: \"second interview at Quarrytown next tuesday\"\n"
                     "  - id: t_z_chk\n    category: dilemmas\n    turns:\n"
                     "      - user: \"third interview at Quarrytown next friday\"\n")
    assert [i["text"] for i in dialogue_items(tmp_path, advisor)] == \
        ["second interview at Quarrytown next tuesday"]
    assert is_check("t_z_chk") and not is_check("t_z") and not is_check("t_chk_z")
