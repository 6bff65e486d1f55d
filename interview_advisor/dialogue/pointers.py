"""Corrections that point at what was said by its subject rather than by the red flag's name:
"scrap the role thing", "what i said about the recruiter", "my culture comment", "that bit
about the values", "the pay stuff". The subject (the words inside the pointer) names the flag -
by the flag's correction words or by a word of its quoted evidence - and the message takes that
flag back when it marks itself as a correction. Grammar of how people refer back to their own
words; the domain words stay in rules/signals.yml. No Rasa, no spaCy of its own.
"""

from __future__ import annotations

import re
from typing import List, Sequence, Tuple

from interview_advisor import Advisor

from ..cues import clauses
from .answers import (
    QUOTE_STOPWORDS,
    facts_quoted_in,
    flags_named_in,
    is_retraction,
    is_self_correction,
    mentions_any,
)
from .state import State

#: nouns that stand for something said ("the role thing", "my culture comment")
_NOUNS = ("thing|things|stuff|bit|bits|part|comment|comments|point|remark|remarks|business|"
          "issue|situation|side of things")
_WORD = r"[a-z0-9]+ "
#: "the role thing", "that pay stuff", "my culture comment" (the subject: one to three words)
_NOUN_POINTER = re.compile(
    rf" (?:the|that|this|my|those|these|whole) ((?:{_WORD}){{1,3}}?)(?:{_NOUNS}) ")
#: "what i said about the recruiter", "everything i wrote re the pay"
_SAID_POINTER = re.compile(
    r" (?:what|everything|anything|all|the stuff|the things|the thing) i "
    r"(?:said|wrote|mentioned|told you|put|was saying|typed|complained) "
    rf"(?:about|re|on|regarding|around) ((?:{_WORD}){{1,4}})")
#: "that bit about the values", "the part on pay"
_ABOUT_POINTER = re.compile(
    rf" (?:bit|part|comment|point|remark|stuff) (?:about|re|on|regarding|around) "
    rf"((?:{_WORD}){{1,4}})")
#: words that drop what follows them ("scrap the role thing", "forget my pay comment")
_DROP = re.compile(r" (?:scrap|scratch|forget|ignore|drop|ditch|bin|disregard|strike|nvm|"
                   r"nevermind|never mind|delete|cancel|skip|lose) (?:about )?(?:all )?$")
#: where a pointer's subject ends: its verb ("what i said about the recruiter | isnt true")
_VERB = re.compile(r" (?:is|isnt|was|wasnt|were|werent|are|arent|has|had|does|didnt|did|it|"
                   r"that|which|i|was) ")
#: words of a subject too common to tie it to a quote ("the whole thing", "all the stuff")
_DETERMINERS = frozenset({"the", "a", "an", "all", "whole", "my", "your", "our", "this", "that",
                          "those", "these", "bit", "of", "on", "in", "at", "to", "and", "or"})
#: a word that drops what was said, in a pointer's comment ("the raving thing, scrap it")
_DROPPED_IN_COMMENT = re.compile(r" (?:scrap|scratch|forget|ignore|ditch|disregard|strike|nvm|"
                                 r"nevermind|delete) (?:it|that|this) ")
#: a drop that only sets the subject aside for now ("forget the pay stuff for a sec, ...")
_FOR_NOW = re.compile(r" for (?:now|a sec|a second|a minute|a moment|the moment|the time being) ")
_POINTERS = (_NOUN_POINTER, _SAID_POINTER, _ABOUT_POINTER)


#: words in the pointer's own clause that say it was wrong ("what i said about the recruiter
#: isnt true", "that bit about the values is unfair")
_WRONG = re.compile(r" (?:not|isnt|wasnt|werent|arent|never|wrong|untrue|false|nothing|unfair|"
                    r"harsh|exaggerated|overblown|nonsense|rubbish|off) ")


def pointers_in(text: str) -> List[Tuple[str, bool, str]]:
    """Each pointer in ``text`` clause by clause: its subject words, whether a word that drops
    it comes just before ("scrap the role thing" -> ("role", True, ...)), and what is said of
    it: its clause, and the next one when the pointer ends its clause ("that praise thing, i
    take it back")."""
    found = []
    parts = clauses(text)
    for number, said in enumerate(parts):
        for pattern in _POINTERS:
            for match in pattern.finditer(said):
                dropped = bool(_DROP.search(said[:match.start() + 1])) and \
                    not _FOR_NOW.search(said[match.start():])
                subject = _VERB.split(f" {match.group(1)}")[0].strip()
                comment = said + " ".join(parts[number + 1:number + 2]) \
                    if match.end() >= len(said) else said
                if subject:
                    found.append((subject, dropped, comment))
    return found


def _flags_of_subject(advisor: Advisor, state: State, subject: str) -> List[str]:
    """Active flags a pointer's subject names: by the flag's correction words or title, else
    by a word of its quoted evidence (as a lemma)."""
    named = [s for s in flags_named_in(advisor, f" the {subject} ") if s in state.flags]
    if named:
        return named
    lemmas = advisor.rulebase.detector.normaliser.phrase_keys
    words = {w for w in lemmas(subject) if len(w) >= 2 and w not in QUOTE_STOPWORDS and
             w not in _DETERMINERS}
    return [signal_id for signal_id, evidence in state.flags.items()
            if words & {w for e in evidence for w in lemmas(str(e.get("quote") or ""))}]


def _says_wrong(advisor: Advisor, clause: str) -> bool:
    """Does a pointer's clause say that what it points at was wrong, or correct it?"""
    return bool(_WRONG.search(clause) or _DROPPED_IN_COMMENT.search(clause)) or \
        is_self_correction(advisor, clause) or \
        is_retraction(advisor, clause) or \
        mentions_any(clause, advisor.rulebase.words.explanation_cues)


def flags_pointed_at(advisor: Advisor, state: State, text: str,
                     keep: Sequence[Tuple[int, int]] = ()) -> List[str]:
    """Active flags a correction takes back by pointing at their subject: a pointer right
    after a word that drops it ("scrap the role thing", "nvm my culture comment"), or one whose
    clause says it was wrong ("what i said about the recruiter isnt true"). ``keep``:
    character spans that say what still holds (left out: "..., but the pay stuff stands")."""
    if not state.flags or not text:
        return []
    withdrawing = "".join(" " if any(a <= i < b for a, b in keep) else ch
                          for i, ch in enumerate(text))
    found: List[str] = []
    for subject, dropped, clause in pointers_in(withdrawing):
        if not (dropped or _says_wrong(advisor, clause)):
            continue
        flags = _flags_of_subject(advisor, state, subject)
        if not flags and dropped and len(state.flags) == 1 and \
                not flags_named_in(advisor, f" the {subject} ") and \
                not facts_quoted_in(advisor, state, subject):
            # "forget all the hr stuff" with one flag raised: a subject that names nothing
            # else points at that one
            flags = list(state.flags)
        found += [s for s in flags if s not in found]
    return found
