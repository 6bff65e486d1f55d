"""Merging the token patterns a phrase expands to: the same matches, fewer patterns (speed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Set, Tuple

import yaml
from spacy.matcher import Matcher

from interview_advisor import Advisor
from interview_advisor.detect import FirstWordMatcher, _phrase_patterns, merge_patterns
from interview_advisor.nlp import Normaliser

ROOT = Path(__file__).resolve().parents[2]

PHRASE = ("(interview|round|panel) * * (on|this|next) "
          "(monday|tuesday|wednesday|thursday|friday)")
TEXTS = ["my interview is on monday", "second round this friday", "the panel is next tuesday",
         "the interview went well on the whole", "a round of golf on sunday",
         "interview with the ceo and the cto on wednesday"]


def _matches(normaliser: Normaliser,
             patterns: List[List[Dict[str, Any]]]) -> List[Set[Tuple[int, int]]]:
    matcher = Matcher(normaliser.nlp.vocab)
    matcher.add("phrase", patterns)
    return [{(s, e) for _, s, e in matcher(normaliser.doc(text))} for text in TEXTS]


def test_merged_patterns_match_exactly_the_same_spans() -> None:
    normaliser = Normaliser()
    expanded = _phrase_patterns(normaliser, PHRASE)
    merged = merge_patterns(expanded)
    assert len(expanded) == 3 * 3 * 5 and len(merged) == 3   # one per first word (below)
    assert _matches(normaliser, merged) == _matches(normaliser, expanded)
    assert [bool(m) for m in _matches(normaliser, merged)] == [True, True, True, False, False,
                                                                False]


def test_patterns_that_differ_in_more_than_words_are_kept_apart() -> None:
    optional = [[{"NORM": "a"}, {"NORM": "b", "OP": "?"}], [{"NORM": "a"}, {"NORM": "c"}]]
    assert merge_patterns(optional) == optional          # "?b" and "c" are not one set
    longer = [[{"NORM": "a"}, {"NORM": "b"}], [{"NORM": "a"}, {"NORM": "b"}, {"NORM": "c"}]]
    assert merge_patterns(longer) == longer
    assert merge_patterns([[{"NORM": "b"}, {"NORM": "x"}], [{"NORM": "b"}, {"NORM": "y"}]]) == \
        [[{"NORM": "b"}, {"NORM": {"IN": ["x", "y"]}}]]


def test_a_set_of_words_never_opens_a_merged_pattern() -> None:
    """The Matcher tests a first word in C but a first set of words with a Python call at every
    token: merged patterns open with one word each."""
    normaliser = Normaliser()
    merged = merge_patterns(_phrase_patterns(normaliser, PHRASE))
    assert len(merged) == 3
    assert sorted(p[0]["NORM"] for p in merged) == ["interview", "panel", "round"]
    yaml_set = [[{"LOWER": {"IN": ["ghosted", "ignored"]}}, {"NORM": "me"}]]
    assert merge_patterns(yaml_set) == [[{"LOWER": "ghosted"}, {"NORM": "me"}],
                                        [{"LOWER": "ignored"}, {"NORM": "me"}]]
    optional_first = [[{"NORM": {"IN": ["so", "very"]}, "OP": "?"}, {"NORM": "vague"}]]
    assert merge_patterns(optional_first) == optional_first


UNBOUNDED = [[{"NORM": "they"}, {"OP": "*"}, {"NORM": "ghosted"}],
             [{"LIKE_NUM": True}, {"NORM": "weeks"}],                 # no first word
             [{"NORM": "so", "OP": "?"}, {"NORM": "vague"}],           # optional first word
             [{"LOWER": "recruiter"}, {"NORM": "never", "OP": "?"}, {"NORM": "called"}]]
MIXED_TEXTS = ["they said they would call and then they ghosted me", "3 weeks and no word",
               "it was so vague", "vague at best", "the recruiter never called, the Recruiter "
               "called once", "nothing here"]


def test_first_word_matchers_find_what_one_matcher_finds() -> None:
    normaliser = Normaliser()
    vocab = normaliser.nlp.vocab
    one = Matcher(vocab)
    split = FirstWordMatcher(vocab)
    for label, pattern in enumerate(UNBOUNDED):
        one.add(f"p{label}", [pattern])
        split.add(f"p{label}", [pattern])
    for text in MIXED_TEXTS:
        doc = normaliser.doc(text)
        assert sorted(split(doc)) == sorted(one(doc)), text
    assert len(split) == len(UNBOUNDED) and len(split.patterns()) == len(UNBOUNDED)


def test_the_rule_base_matches_as_with_one_matcher() -> None:
    """Every compiled pattern of the real rule base, split by first word and run on the spans
    its patterns can reach, finds exactly what one Matcher holding them all finds."""
    advisor = Advisor()
    detector = advisor.rulebase.detector
    detector.run("warm up")
    compiled = detector._compiled
    assert compiled is not None
    one = Matcher(detector.normaliser.nlp.vocab)
    for label, pattern in compiled.matcher.patterns():
        one.add(label, [pattern])
    conversations = yaml.safe_load(
        (ROOT / "eval" / "dialogue" / "tuning" / "several_opportunities.yml").read_text("utf-8"))
    texts = [turn["user"] for conv in conversations["conversations"] for turn in conv["turns"]]
    assert len(texts) > 100
    found = 0
    for text in texts:
        doc = detector.normaliser.doc(text)
        expected = sorted(set(one(doc)))
        assert sorted(set(compiled.matcher(doc))) == expected, text
        found += len(expected)
    assert found > 100
