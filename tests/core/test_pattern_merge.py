"""Merging the token patterns a phrase expands to: the same matches, fewer patterns (speed)."""

from __future__ import annotations

from typing import Any, Dict, List, Set, Tuple

from spacy.matcher import Matcher

from interview_advisor.detect import _phrase_patterns, merge_patterns
from interview_advisor.nlp import Normaliser

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
    assert len(expanded) == 3 * 3 * 5 and len(merged) == 1
    assert _matches(normaliser, merged) == _matches(normaliser, expanded)
    assert [bool(m) for m in _matches(normaliser, merged)] == [True, True, True, False, False,
                                                                False]


def test_patterns_that_differ_in_more_than_words_are_kept_apart() -> None:
    optional = [[{"NORM": "a"}, {"NORM": "b", "OP": "?"}], [{"NORM": "a"}, {"NORM": "c"}]]
    assert merge_patterns(optional) == optional          # "?b" and "c" are not one set
    longer = [[{"NORM": "a"}, {"NORM": "b"}], [{"NORM": "a"}, {"NORM": "b"}, {"NORM": "c"}]]
    assert merge_patterns(longer) == longer
    assert merge_patterns([[{"NORM": "x"}, {"NORM": "b"}], [{"NORM": "y"}, {"NORM": "b"}]]) == \
        [[{"NORM": {"IN": ["x", "y"]}}, {"NORM": "b"}]]
