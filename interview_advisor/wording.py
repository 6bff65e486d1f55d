"""Words as the rule base's word lists see them: a text normalised (lower case, apostrophes
dropped, punctuation read as spaces) and whole-word phrase tests on it.

Used by the engine and by the dialogue layer alike, so it sits below both. This module
imports neither Rasa nor spaCy.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

#: the marks that end a sentence for every check that stays inside one: the engine's evidence
#: and cue windows, detection's clause scopes, stance's earlier feelings ("..." is three ".")
SENTENCE_END_MARKS = ".!?;\u2026\n"

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_NON_WORD = re.compile(r"[^a-z0-9' ]+")
SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped ("don't" -> "dont"), punctuation as spaces, padded."""
    text = (text or "").lower().translate(_APOSTROPHES)
    text = _NON_WORD.sub(" ", text).replace("'", "")
    return " " + SPACES.sub(" ", text).strip() + " "


@lru_cache(maxsize=16384)
def _needle(phrase: str) -> str:
    """A phrase normalised, or "" when it has no word; kept, as the word lists are checked
    against every clause."""
    needle = normalise(phrase)
    return needle if needle.strip() else ""


def contains_phrase(text: str, phrase: str) -> bool:
    """Does the normalised ``text`` contain ``phrase`` as whole words?"""
    return contains_any(text, (phrase,))


def contains_any(text: str, phrases: Sequence[str]) -> bool:
    """Does ``text`` contain any of ``phrases`` as whole words? (``text`` normalised once.)"""
    hay = normalise(text)
    return any(needle != "" and needle in hay for needle in map(_needle, phrases))


def word_count(text: str) -> int:
    return len(normalise(text).split())
