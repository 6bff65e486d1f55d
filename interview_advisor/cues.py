"""Cues: the word lists of rules/words.yml that say what a message does ("how come", "sum it
up", "to be fair"), compiled once into matchers.

A cue is words as in any word list (case-insensitive, apostrophes dropped, punctuation read as
spaces), where a word may give alternatives (``do|did``) or be optional (``?all``), the first
word may start with ``^`` (only at the start of a clause) and the last end with ``$`` (only at
its end). A message is read clause by clause: it is split at , . ; : ! ? and line ends.
This module imports neither Rasa nor spaCy.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import List, Optional, Sequence, Tuple

from .wording import normalise

_CLAUSE_BREAK = re.compile(r"[,.;:!?\n]+")


def clauses(text: Optional[str]) -> List[str]:
    """The clauses of a message, each normalised (" word word "), empty ones left out."""
    parts = (normalise(part) for part in _CLAUSE_BREAK.split(text or ""))
    return [part for part in parts if part.strip()]


def alternation(words: Sequence[str]) -> str:
    """A regex that matches any of ``words`` normalised (longest first), e.g. "(?:was|is)"."""
    alternatives = sorted({normalise(w).strip() for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(a) for a in alternatives if a) + ")"


def _word(token: str) -> str:
    """One word of a cue as a regex that consumes it and the space after it."""
    body = alternation(token.lstrip("?").split("|")) + " "
    return f"(?:{body})?" if token.startswith("?") else body


def _cue(cue: str, whole_word: bool = True) -> str:
    """One cue as a regex over a normalised clause (``whole_word``: starting after a space)."""
    text = cue.strip()
    start, end = text.startswith("^"), text.endswith("$")
    words = "".join(_word(token) for token in text.strip("^$").split())
    lead = ("(?<=^ )" if start else "(?<= )") if whole_word else ""
    return lead + words + ("$" if end else "")


@lru_cache(maxsize=64)
def compile_cues(cues: Tuple[str, ...], unless: Tuple[str, ...] = ()) -> re.Pattern[str]:
    """One pattern for a list of cues (kept: each list is compiled once); a match followed
    at once by one of ``unless`` does not count."""
    pattern = "|".join(f"(?:{_cue(c)})" for c in cues) or "(?!)"
    if unless:
        pattern = f"(?:{pattern})(?!{'|'.join(_cue(c, whole_word=False) for c in unless)})"
    return re.compile(pattern)


def says(cues: Sequence[str], text: Optional[str], unless: Sequence[str] = (),
         first_clause_only: bool = False) -> bool:
    """Does a clause of ``text`` (or its first) hold one of ``cues``?"""
    return in_clauses(compile_cues(tuple(cues), tuple(unless)), text, first_clause_only)


def in_clauses(pattern: re.Pattern[str], text: Optional[str],
               first_clause_only: bool = False) -> bool:
    """Does ``pattern`` match in a normalised clause of ``text`` (or in its first)?"""
    parts = clauses(text)
    return any(pattern.search(part) for part in (parts[:1] if first_clause_only else parts))
