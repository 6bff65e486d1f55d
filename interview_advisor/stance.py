"""A feeling told as an earlier one and turned away from in the same breath.

"i was keen at first but now im not sure", "i was excited about it until they told me the
pay", "honestly i was keen before but the office thing kills it for me": the words that say
"keen" or "excited" describe how the person *used to* feel. For a fact marked ``changes_mind``
in facts.yml (interest, certainty about saying no, how they feel about their current job) such
a clause is not read; what they say after the turn is. The words come from the rule base's
grammar (``earlier_times``, ``earlier_turns``, ``earlier_ends``). This module imports neither
spaCy nor Rasa.
"""

from __future__ import annotations

import re
from typing import List, Optional, Sequence, Tuple

from .grammar import Grammar, Phrases
from .wording import SENTENCE_END_MARKS

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[" + re.escape(SENTENCE_END_MARKS) + "]")
_SENTENCE_END = frozenset(SENTENCE_END_MARKS)
#: words of the next sentence a turn may open it with ("i was keen before. now ...")
NEXT_SENTENCE_REACH = 2

Token = Tuple[str, int, int]


def _tokens(text: str) -> List[Token]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text.lower())]


def _phrase_at(tokens: Sequence[Token], i: int, phrases: Phrases) -> Optional[int]:
    """The length in tokens of the longest phrase of ``phrases`` that starts at token ``i``."""
    best = 0
    for phrase in phrases:
        n = len(phrase)
        if n > best and tuple(t[0] for t in tokens[i:i + n]) == phrase:
            best = n
    return best or None


def _past(word: str, grammar: Grammar) -> bool:
    return word in grammar.earlier_past or (len(word) > 3 and word.endswith("ed"))


def _sentence(tokens: Sequence[Token], i: int) -> Tuple[int, int]:
    """Token range [first, last) of the sentence around token ``i`` (without its end mark)."""
    first = i
    while first > 0 and tokens[first - 1][0] not in _SENTENCE_END:
        first -= 1
    last = i
    while last < len(tokens) and tokens[last][0] not in _SENTENCE_END:
        last += 1
    return first, last


def earlier_feeling(text: str, start: int, end: int, grammar: Grammar) -> bool:
    """Is the feeling read at ``text[start:end]`` one the person says they have left behind?

    Yes when its sentence places it earlier (one of ``earlier_times``, anywhere before the
    turn) and turns away from it after the words (one of ``earlier_turns`` later in the
    sentence, or among the first words of the next one), or when one of ``earlier_ends``
    ("until") follows the words in a sentence told in the past ("i loved it until ...")."""
    tokens = _tokens(text)
    inside = [i for i, t in enumerate(tokens) if start <= t[1] < end]
    if not inside:
        return False
    first, last = _sentence(tokens, inside[0])
    after = inside[-1] + 1
    for i in range(after, last):
        if _phrase_at(tokens, i, grammar.earlier_ends):
            if any(_past(t[0], grammar) for t in tokens[first:i]):
                return True
            break
    turn: Optional[int] = next((i for i in range(after, last)
                                if _phrase_at(tokens, i, grammar.earlier_turns)), None)
    if turn is None and last < len(tokens):
        reach = range(last + 1, min(len(tokens), last + 1 + NEXT_SENTENCE_REACH))
        turn = next((i for i in reach if _phrase_at(tokens, i, grammar.earlier_turns)), None)
    if turn is None:
        return False
    return any(_phrase_at(tokens, i, grammar.earlier_times)
               for i in range(first, min(turn, last)))
