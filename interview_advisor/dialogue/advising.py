"""Evaluating the advice rules on the conversation state, and choosing the one question.

This module imports neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, List, Mapping, Optional

from interview_advisor import AdviceItem, Advisor, Question
from interview_advisor.conditions import KnownFact

from .opportunities import derived_facts, question_fits
from .state import State, hits_from_flags, known_facts

TOP_ADVICE = 3          # advice items shown after a description
TOP_STEPS = 2           # next steps shown per item in the chat (all of them in the summary)


@dataclass
class Assessment:
    advice: List[AdviceItem]
    questions: List[Question]          # most useful first, facts already asked left out

    @property
    def rule_ids(self) -> List[str]:
        return [a.rule for a in self.advice]

    def top(self, count: int = TOP_ADVICE) -> List[AdviceItem]:
        return self.advice[:count]


def assess(advisor: Advisor, state: State) -> Assessment:
    """The advice and the questions for the active opportunity; with several, the facts
    derived from the others (another offer, another open process) count too."""
    facts = known_facts(state.facts)
    for fact_id, value in derived_facts(advisor, copy.deepcopy(state)).items():
        facts.setdefault(fact_id, KnownFact(value, "given", None))
    advice, questions = advisor.evaluate(hits_from_flags(state.flags), facts,
                                         skip_questions=state.asked)
    return Assessment(advice, questions)


def choose_question(advisor: Advisor, state: State, assessment: Assessment,
                    turn: Mapping[str, Any]) -> Optional[Question]:
    """At most one question: the pending one again when a short reply did not answer it,
    otherwise the most useful fact not asked yet."""
    if turn.get("empty"):
        return None  # nothing was said: just ask for words, not for facts
    unclear = turn.get("unclear_answer")
    if unclear and unclear in advisor.rulebase.facts and unclear not in state.facts:
        fact = advisor.rulebase.facts[unclear]
        return Question(unclear, fact.question, fact.options, [], 0.0)
    for question in assessment.questions:
        if question.fact not in state.facts and question.fact not in state.asked and \
                question_fits(advisor, state, turn, question.fact):
            return question
    return None


def remember_question(state: State, question: Optional[Question]) -> State:
    state = copy.deepcopy(state)
    state.pending_question = question.fact if question else None
    if question and question.fact not in state.asked:
        state.asked.append(question.fact)
    return state

