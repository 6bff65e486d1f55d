"""Evaluating the advice rules on the conversation state, and choosing the one question.

This module imports neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any, List, Mapping, Optional, Set

from interview_advisor import AdviceItem, Advisor, Question
from interview_advisor.conditions import KnownFact

from ..wording import normalise
from .answers import (
    asks_for_summary,
    asks_questions_to_ask,
    asks_what_to_do,
    asks_why_advice,
    is_greeting_with_lead_in,
    opens_a_story,
)
from .drafting import asks_for_a_draft
from .intents import ASK_SUMMARY, ASK_WHY, GREET, HELP, REQUEST_DRAFT
from .opportunities import derived_facts, others, question_fits
from .state import State, hits_from_flags, known_facts

TOP_ADVICE = 3          # advice items shown after a description
#: the fact that tells an internal role from an external one
INTERVIEW_TYPE = "interview_type"
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
    return Assessment(rank_by_news(advisor, advice, told_now(state)), questions)


def told_now(state: State) -> Set[str]:
    """The facts the latest message told or changed (not the ones it only implied) - none
    for the first message: everything in it is new, and its advice is ranked as the command
    line ranks it, by the rules' priorities."""
    turn = state.last_turn or {}
    if int(turn.get("turn") or 0) <= 1:
        return set()
    return set(turn.get("new_facts") or {}) | set(turn.get("changed_facts") or {})


def rank_by_news(advisor: Advisor, advice: List[AdviceItem],
                 told: Set[str]) -> List[AdviceItem]:
    """``advice`` (by priority) with each rule that turns on a fact in ``told`` moved up by
    that fact's ``news_bonus`` in the rule base (the largest, when it uses several): news told
    midway ("the raise doesn't fix the real problem", "my boss has no idea") changes which
    advice comes first, not only what the summary lists. A stable sort: equals keep the rule
    base's order."""
    facts = advisor.rulebase.facts
    bonus = {f: facts[f].news_bonus for f in told if f in facts and facts[f].news_bonus}
    if not bonus or not advice:
        return advice
    lift = {rule.id: max((bonus.get(f, 0) for f in rule.when.facts()), default=0)
            for rule in advisor.rulebase.active_rules}
    return sorted(advice, key=lambda a: -(a.priority + lift.get(a.rule, 0)))


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
                question_fits(advisor, state, turn, question.fact) and \
                not settled_by_names(advisor, state, question.fact):
            return question
    return None


def settled_by_names(advisor: Advisor, state: State, fact_id: str) -> bool:
    """Would asking ``fact_id`` ask what the names already told? "Is this role at the company
    you work for now?" is not asked while two named companies are weighed (two offers, two
    processes): each is another firm than the other, and neither is the person's own team,
    which they call "internal", "my company" or by the team's name. Nor while a company is
    weighed beside an internal role ("an internal opening, and a recruiter from some
    fintech"): the company is the outside one."""
    if fact_id != INTERVIEW_TYPE:
        return False
    roles = others(state)
    firms = [e for e in roles if e.get("kind") in ("company", "employer")]
    active = next((e for e in roles if e.get("id") == state.active), None)
    return len(firms) >= 2 or (active in firms and
                               any(e.get("kind") == "internal" for e in roles)) or \
        (active is not None and active.get("kind") == "employer" and
         described_as_another_firm(advisor, active))


def described_as_another_firm(advisor: Advisor, entry: Mapping[str, Any]) -> bool:
    """"a second interview at a fintech", "some startup", "another big bank": a firm described,
    not named, with an indefinite article is not the person's own employer (they would say "my
    company" or "internal"), unless they say they work there ("i work at a bank": the words
    ``own_employer_cues`` of rules/opportunities.yml, right before the article)."""
    firm = re.compile(r"\b(?:a|an|some|another)(?:\s+[a-z-]+){0,2}?\s+" +
                      re.escape(str(entry.get("name") or "").lower()) + r"s?\b", re.IGNORECASE)
    cues = [normalise(w) for w in advisor.rulebase.words.own_employer_cues]   # " work at "
    for said in entry.get("said") or []:
        text = str(said.get("text") or "")
        for match in firm.finditer(text):
            before = normalise(text[max(0, match.start() - 30):match.start()])
            if not any(before.endswith(cue) for cue in cues):
                return True
    return False


def remember_question(state: State, question: Optional[Question]) -> State:
    state = copy.deepcopy(state)
    state.pending_question = question.fact if question else None
    if question and question.fact not in state.asked:
        state.asked.append(question.fact)
    return state



#: what to do with a message NLU was unsure of (see :func:`answer_when_unsure`)
UNSURE_ADVICE, UNSURE_SUMMARY, UNSURE_WHY, UNSURE_DRAFT = "advice", "summary", "why", "draft"
UNSURE_GREET = "greet"


def answer_when_unsure(advisor: Advisor, before: State, text: str, guess: Optional[str],
                       turn: Mapping[str, Any]) -> Optional[str]:
    """A message below NLU's confidence threshold that the rule base can answer anyway: a
    direct question it knows ("do I need to tell them why?"), a message that told something
    new (facts, red flags, a flag explained away), or "so what now?".
    ``guess`` is NLU's best intent and ``turn`` what reading the message changed. Returns how
    to answer (advice, or the summary / the reasons when that is what NLU leaned to and the
    message also told something new), or None: ask "did you mean ...?" as usual."""
    told = bool(turn.get("new_facts") or turn.get("changed_facts") or turn.get("flag_hits")
                or turn.get("withdrawn") or turn.get("retracted_facts"))
    if told and guess == ASK_SUMMARY:
        return UNSURE_SUMMARY
    if told and guess == ASK_WHY and before.last_advice:
        return UNSURE_WHY
    # "walk me through how you got there", "whats the short version": the words ask why or
    # for the summary, whatever NLU leaned to (a message that told something new gets the
    # advice, with the reasons or as the summary, see actions.advise)
    if (guess == ASK_WHY or not told) and before.last_advice and asks_why_advice(advisor, text):
        return UNSURE_WHY
    if (guess == ASK_SUMMARY or not told) and asks_for_summary(advisor, text):
        return UNSURE_SUMMARY
    facts = {k: v.get("value") for k, v in before.facts.items()}
    answers = advisor.direct_answers(text, facts)
    # "i need something to nudge them along": the words ask for a message - NLU leaned to a
    # draft, or the message told nothing new
    if (guess == REQUEST_DRAFT or not told) and asks_for_a_draft(advisor, text, answers):
        return UNSURE_DRAFT
    # "hiya, bit of a weird one": hello, with a lead-in NLU could not place
    if not told and guess in (GREET, HELP) and is_greeting_with_lead_in(advisor, text):
        return UNSURE_GREET
    # "ok bear with me, this is a long one": a story announced, not told yet - invite it
    if not told and not answers and opens_a_story(advisor, text):
        return UNSURE_GREET
    # "so which way do i lean": the rule base's comparison words, with several options; "the
    # ostrava people have been great": news about an opportunity named before
    if told or answers or asks_what_to_do(advisor, text) or turn.get("compare") or \
            (asks_questions_to_ask(advisor, text) and (before.facts or before.flags)) or \
            restates_known(advisor, before, text) or \
            (turn.get("mentioned") and len(before.opportunities) >= 2) or \
            opens_with_an_opportunity(before, turn):
        return UNSURE_ADVICE
    return None


def restates_known(advisor: Advisor, before: State, text: str) -> bool:
    """"ok yeah im out" after "is it too late to bail": the message says again what is known
    (a fact with the same value) - a confirmation, answered with the advice, not "did you mean
    ...?"."""
    known = {k: v.get("value") for k, v in before.facts.items()}
    return any(fact_id in known and known[fact_id] == found.value
               for fact_id, found in advisor.detect(text).facts.items())


def opens_with_an_opportunity(before: State, turn: Mapping[str, Any]) -> bool:
    """"need some advice about a claims analyst job at Glenholm Insurance": the first message
    names a company or role and nothing else yet - the start of a story, answered as one (the
    company is noted and the most useful question asked), not "did you mean ...?"."""
    return bool(turn.get("mentioned")) and not (before.facts or before.flags or
                                                before.opportunities)
