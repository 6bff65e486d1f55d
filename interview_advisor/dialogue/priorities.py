"""What matters to the person when choosing between opportunities, stored as weights.

The decision topics (pay and title, growth, work-life balance, ...) and their words are in the
rule base (``decision_topics:`` in rules/opportunities.yml); "pay matters most, then remote,
then growth" names three of them in order. The first named weighs most: with n topics named,
the k-th (from 0) weighs n - k. This module imports neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Dict, List, Optional, Tuple

from interview_advisor import Advisor

from ..wording import SENTENCE_END_MARKS, normalise, word_count
from .answers import mentions_any
from .opportunity_names import phrase_spans
from .state import State

#: a statement of priorities without the intent is at most this long (a story that mentions
#: pay is not a ranking)
PRIORITY_WORDS = 25


def topics_named(advisor: Advisor, text: str) -> List[Tuple[int, str]]:
    """(position, topic id) of each decision topic the text names, in the order it names them."""
    found: List[Tuple[int, str]] = []
    for topic in advisor.rulebase.active_topics.values():
        spans = [s for word in topic.words for s in phrase_spans(text, word)]
        if spans:
            found.append((min(spans)[0], topic.id))
    return sorted(found)


def read_priorities(advisor: Advisor, text: str, stated: bool) -> Optional[Dict[str, Any]]:
    """The priorities a message states, or None. ``stated``: NLU filed the message as a
    statement of priorities, or it answers the bot's question about them; otherwise it must be
    short and use a word of ``priority_cues`` ("matters most")."""
    named = topics_named(advisor, text)
    if not named:
        return None
    if not stated and not (word_count(text) <= PRIORITY_WORDS and
                           _says_a_cue(text, advisor.rulebase.words.priority_cues)):
        return None
    order = [topic for _, topic in named]
    return {"order": order, "weights": {t: float(len(order) - i) for i, t in enumerate(order)},
            "quote": " ".join(text.split())[:200],
            "words": {topic: _word_at(text, start) for start, topic in named}}


#: a sentence of a longer message: up to its end mark, or the end of the message
_SENTENCE = re.compile(rf"[^{re.escape(SENTENCE_END_MARKS)}]+[{re.escape(SENTENCE_END_MARKS)}]*")


def priorities_in_story(advisor: Advisor, text: str
                        ) -> Optional[Tuple[Dict[str, Any], Tuple[int, int]]]:
    """The priorities one sentence of a longer message states, and where that sentence is:
    "Saltire pays 60k, Brindle pays 52k. work life balance matters most to me, then pay." The
    sentence must read as a statement of priorities on its own (short, with a cue such as
    "matters most"); the rest of the message is a story like any other."""
    for match in _SENTENCE.finditer(text):
        part = match.group(0)
        if word_count(part) == word_count(text):
            return None   # one sentence: the whole message, read by read_priorities
        found = read_priorities(advisor, part, False)
        if found is not None:
            return found, (match.start(), match.end())
    return None


def _says_a_cue(text: str, cues: List[str]) -> bool:
    """A priority cue, also with the verb agreeing with a plural ("growth and learning matter
    most")."""
    if mentions_any(text, cues):
        return True
    said = f" {_lemmas(text)} "
    return any(f" {_lemmas(cue)} " in said for cue in cues)


def _lemmas(text: str) -> str:
    """The words without a plural or third-person "s" ("matters" - "matter")."""
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                    for w in normalise(text).split())


def _word_at(text: str, start: int) -> str:
    """The person's word for a topic ("remote" for commute and flexibility)."""
    match = re.match(r"[\w'-]+(?:\s+[\w'-]+)?", text[start:])
    words = match.group(0).split() if match else []
    return words[0] if words else ""


def in_their_words(advisor: Advisor, priorities: Dict[str, Any]) -> List[str]:
    """The topics in order, each with the person's word when the title does not contain it:
    "commute and flexibility ("remote")", "pay and title"."""
    topics = advisor.rulebase.decision_topics
    said = priorities.get("words") or {}
    out = []
    for topic_id in priorities.get("order") or []:
        if topic_id not in topics:
            continue
        title = topics[topic_id].title.lower()
        word = str(said.get(topic_id) or "").lower()
        out.append(f'{title} ("{word}")' if word and word not in title else title)
    return out


def weight(priorities: Dict[str, Any], topic: str) -> float:
    return float((priorities.get("weights") or {}).get(topic, 0.0))



def without_guessed_flags(before: State, after: State, turn: Dict[str, Any]) -> State:
    """A statement of priorities ("pay matters most, then growth, then remote") read into
    ``after``: red flags that are only the statistical backstop's guesses (no pattern of the
    rule base matched) are dropped - a ranking of what matters says nothing about how a company
    behaved - and, with no red flag left, it is not an unclear answer to the bot's last
    question (it answered something else)."""
    hits = turn.get("flag_hits") or {}
    if hits and all(e.get("kind") == "model" for ev in hits.values() for e in ev):
        after = copy.deepcopy(after)
        after.flags = copy.deepcopy(before.flags)
        after.withdrawn = list(before.withdrawn)
        turn["flag_hits"], turn["new_flags"] = {}, []
    if not turn.get("flag_hits"):
        turn["unclear_answer"] = None
    return after
