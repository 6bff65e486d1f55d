"""The grammar red-flag detection reads a message by (``grammar:`` in rules/grammar.yml): words
that negate a match, make it hypothetical, end a clause, or show that a sentence is about
another job, another person, the person's own doing or a general case.

The lists are data, checked by the rule base's schema (what each list does is said there and
in the YAML); this module only turns them into the sets :mod:`.detect` looks words up in. Every
list is required, so that a rule base cannot silently detect with half a grammar. A rule base
folder without a grammar reads with the project's own (:func:`project_grammar`).
This module imports neither Rasa nor spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, Mapping, Tuple

from .yamlload import load_yaml

GRAMMAR_FILE = "grammar.yml"
#: the project's own rule base folder (whatever $INTERVIEW_ADVISOR_RULES says)
PROJECT_RULES = Path(__file__).resolve().parent.parent / "rules"

Words = FrozenSet[str]
Phrases = Tuple[Tuple[str, ...], ...]


@dataclass(frozen=True)
class Grammar:
    """One field per list of ``grammar:``; phrase lists as tuples of words."""

    negations: Words
    negation_breakers: Words
    negation_idioms: Phrases
    answer_no_before: Words
    hypotheticals: Words
    worries: Words
    candid_if: Words
    consequent_subjects: Words
    consequent_modals: Words
    question_auxiliaries: Words
    question_pronouns: Words
    question_determiners: Words
    soft_boundaries: Words
    hard_boundaries: Words
    turns: Words
    gap_excluded: Words
    function_words: Words
    elsewhere_past: Words
    elsewhere_places: Words
    elsewhere_people: Words
    elsewhere_contrasts: Words
    elsewhere_there: Words
    first_person: Words
    own_side: Phrases
    own_actor: Phrases
    own_side_claimed: Words
    own_verbs: Words
    own_traits: Words
    trait_fillers: Words
    actor_subjects: Words
    actor_fillers: Words
    passive_auxiliaries: Words
    undergoer_verbs: Words
    actor_conjunctions: Words
    actor_auxiliaries: Words
    actor_irrealis: Words
    actor_inability: Words
    own_possessives: Phrases
    dispositions: Phrases
    normality: Words
    generic_subjects: Words
    generic_adverbs: Words
    irrealis: Words
    indefinite_places: Words
    general_remarks: Phrases
    general_question_openers: Words
    question_reports: Words
    own_question_auxiliaries: Words
    question_fillers: Words
    reporting_words: Words
    earlier_times: Phrases
    earlier_turns: Phrases
    earlier_ends: Phrases
    earlier_past: Words
    #: what may follow an auxiliary in a question: a pronoun or a determiner
    question_subjects: Words = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "question_subjects",
                           self.question_pronouns | self.question_determiners)


#: the lists that hold phrases of several words (the others hold single words or marks)
PHRASE_LISTS = frozenset(f.name for f in fields(Grammar) if f.type == "Phrases")
#: every list of ``grammar:``, each required
GRAMMAR_LISTS = tuple(f.name for f in fields(Grammar) if f.init)


def grammar_from(lists: Mapping[str, Any]) -> Grammar:
    """A grammar from the ``grammar:`` mapping (already checked: every list present)."""
    values: Dict[str, Any] = {}
    for name in GRAMMAR_LISTS:
        words = [str(w).lower() for w in lists[name]]
        values[name] = (tuple(tuple(w.split()) for w in words) if name in PHRASE_LISTS
                        else frozenset(words))
    return Grammar(**values)


@lru_cache(maxsize=1)
def project_grammar() -> Grammar:
    """The project's own grammar (rules/grammar.yml), for a detector built outside a rule base
    and for a rule base folder that has none."""
    path = PROJECT_RULES / GRAMMAR_FILE
    doc, issues = load_yaml(path.read_text("utf-8"), str(path))
    if issues or not isinstance(doc, dict) or not isinstance(doc.get("grammar"), dict):
        raise ValueError(f"{path}: cannot read the grammar (make rules-check says why)")
    return grammar_from(doc["grammar"])
