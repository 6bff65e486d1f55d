"""Small text helpers of the dialogue layer: normalising words, quoting the person.

This module imports neither Rasa nor spaCy.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Sequence

QUOTE_CHARS = 120       # longest quote of the user's words shown in a reply

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_NON_WORD = re.compile(r"[^a-z0-9' ]+")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped ("don't" -> "dont"), punctuation as spaces, padded."""
    text = (text or "").lower().translate(_APOSTROPHES)
    text = _NON_WORD.sub(" ", text).replace("'", "")
    return " " + _SPACES.sub(" ", text).strip() + " "


def contains_phrase(text: str, phrase: str) -> bool:
    """Does the normalised ``text`` contain ``phrase`` as whole words?"""
    needle = normalise(phrase)
    return needle.strip() != "" and needle in normalise(text)


def word_count(text: str) -> int:
    return len(normalise(text).split())


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """The user's words in double quotes, shortened with an ellipsis when long."""
    text = _SPACES.sub(" ", (text or "").strip())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f'"{text}"'


def keep_together(text: str) -> str:
    """Blank lines as lines with one space: Rasa's REST and socket.io channels split a text at
    every blank line into separate chat bubbles, and a draft should stay one message."""
    return re.sub(r"\n[ \t]*\n", "\n \n", text)


def first_sentence(text: str) -> str:
    text = (text or "").strip()
    match = re.search(r"(?<=[.!?])\s", text)
    return text[: match.start()].strip() if match else text


def is_payload_text(text: Optional[str]) -> bool:
    """A button payload such as ``/describe_interview`` (no words of the user in it)."""
    return bool(text) and str(text).lstrip().startswith("/")




def unique_quotes(evidence: Sequence[Mapping[str, Any]]) -> List[str]:
    """The distinct quotes of a flag's evidence, first spelling kept."""
    seen: Dict[str, str] = {}
    for entry in evidence:
        words = str(entry.get("quote", "")).strip()
        if words and words.lower() not in seen:
            seen[words.lower()] = words
    return list(seen.values())


def sentence(text: str) -> str:
    """``text`` ending in punctuation (titles may end in "?" already)."""
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."
