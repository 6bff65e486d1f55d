"""Small text helpers of the dialogue layer: quoting the person, sentences, evidence spans.

Words are normalised and matched in :mod:`interview_advisor.wording`.

This module imports neither Rasa nor spaCy.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Sequence

from ..wording import SPACES

QUOTE_CHARS = 120       # longest quote of the user's words shown in a reply

def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """The user's words in double quotes, shortened with an ellipsis when long."""
    text = SPACES.sub(" ", (text or "").strip())
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


_CLAUSE_END = re.compile(r"[,.;:!?\n]|\s(?:and|but|so|because|which|although|though|while)\s",
                         re.IGNORECASE)
READABLE_EXTRA_WORDS = 6   # a quote may run this many words on, to end where the clause does


def readable_end(text: str, start: int, end: int) -> int:
    """Where a quote of ``text[start:end]`` should end to read well: at the end of its clause
    when that is at most a few words on ("couldn't really tell me what i'd" -> "... what i'd
    be doing day to day"), else where it ends."""
    if not (0 <= start < end <= len(text)) or end == len(text):
        return end
    if text[end - 1] in ",.;:!?":
        return end
    match = _CLAUSE_END.search(text, end)
    stop = match.start() if match else len(text)
    if len(text[end:stop].split()) <= READABLE_EXTRA_WORDS:
        return len(text[:stop].rstrip())
    return end


def readable_start(text: str, start: int, reach: int = READABLE_EXTRA_WORDS) -> int:
    """Where a quote starting at ``text[start]`` should start to read well: at the start of its
    clause when that is at most a few words back ("called Larkspur on friday" -> "a final round
    with a fintech called Larkspur on friday"), ``reach`` words at most, else where it
    starts."""
    if not 0 < start <= len(text):
        return max(start, 0)
    begin = 0
    for match in _CLAUSE_END.finditer(text, 0, start):
        begin = match.end()
    if len(text[begin:start].split()) <= reach:
        return begin + len(text[begin:start]) - len(text[begin:start].lstrip())
    return start


_SENTENCE_END = re.compile(r"[.!?]+\s+\S|\n")


def crosses_sentence(quote: str) -> bool:
    """Does a quote run from one sentence into the next ("second interview at Marlow Health
    today. The recruiter said")?"""
    return bool(_SENTENCE_END.search(quote.strip()))


def prefer_one_sentence(evidence: Sequence[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """Evidence quoted within one sentence, when there is any: a match whose words lie in two
    sentences reads badly and says less than one that stays in its sentence."""
    whole = [dict(e) for e in evidence if not crosses_sentence(str(e.get("quote", "")))]
    return whole or [dict(e) for e in evidence]


def merge_spans(evidence: Sequence[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """One quote per piece of evidence: spans of the same message that overlap or touch are
    merged into the shortest span covering them ("recruiter promised remote work but the
    manager said" + "the manager said 4 days in office" -> one quote), and repeats dropped."""
    merged: List[Dict[str, Any]] = []
    ordered = sorted((dict(e) for e in evidence),
                     key=lambda e: (e.get("turn") or 0, e.get("start") or 0, -(e.get("end") or 0)))
    for entry in ordered:
        last = merged[-1] if merged else None
        if last is not None and isinstance(entry.get("start"), int) and \
                isinstance(last.get("end"), int) and entry.get("turn") == last.get("turn") and \
                entry["start"] <= last["end"]:
            if entry.get("end", 0) > last["end"]:
                overlap = last["end"] - entry["start"]
                last["quote"] = str(last.get("quote", "")) + str(entry.get("quote", ""))[overlap:]
                last["end"] = entry["end"]
            continue
        if last is not None and str(entry.get("quote", "")).strip().lower() == \
                str(last.get("quote", "")).strip().lower():
            continue
        merged.append(entry)
    return merged
