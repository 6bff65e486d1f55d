"""Replies about several opportunities: which one a reply is about, a summary of all of them,
"which one is this about?", the priorities, and the comparison.

Built like every other reply (:mod:`.compose`); the renderers lay them out. This module imports
neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from interview_advisor import Advisor

from . import compose, phrases
from . import opportunities as opp
from .advising import assess
from .answers import mentions_any
from .comparison import compare
from .priorities import in_their_words
from .reply import Option, Reply, Suggestion
from .reply import Question as AskedQuestion
from .state import State

COMPARE = Suggestion("Compare them", "compare them")


def active_label(state: State, advisor: Optional[Advisor] = None,
                 turn: Optional[Mapping[str, Any]] = None) -> Optional[str]:
    """The name of the opportunity replies are about, when there is more than one: the current
    job after a message about it, none after a statement of priorities, else the active one."""
    if turn is not None and turn.get("priorities"):
        return None
    about_current = advisor is not None and turn is not None and \
        opp.turn_about_current_job(advisor, state, turn)
    entry = opp.record(state, opp.CURRENT_JOB if about_current else state.active)
    return opp.label_of(entry) if entry is not None and opp.is_multi(state) else None


def about(advisor: Advisor, state: State, reply: Reply,
          turn: Optional[Mapping[str, Any]] = None) -> Reply:
    """Say which opportunity ``reply`` is about, and add what this turn noted for the others
    ("For the internal role I noted: ...") and the red flags it found for them."""
    label = active_label(state, advisor, turn)
    if label is None:
        return reply
    reply.opportunity = label
    turn = turn or {}
    introduced = _introduced(state, turn)
    if len(introduced) >= 2:    # "three in play: Arbor Health (...), Trellis (...) and ..."
        reply.notes.insert(0, phrases.OPTIONS_NOTED.format(names=", ".join(introduced)))
    if turn.get("switched") and not turn.get("flag_hits") and reply.kind == "advice" and \
            opp.known_before(state, state.active, turn.get("turn")):
        # back to an opportunity with nothing new: remind what is known about it
        reply.notes.insert(0, phrases.SWITCHED.format(name=label))
        reply.flags = [compose.flag_of(advisor, s, ev) for s, ev in state.flags.items()]
        reply.message = reply.message.replace(phrases.NO_FLAGS, "").strip()
    for key, noted in (turn.get("elsewhere") or {}).items():
        entry = opp.record(state, key)
        if entry is None:
            continue
        name = opp.label_of(entry)
        items = [f"{compose.fact_title(advisor, f)}: {compose.fact_label(advisor, f, v)}"
                 for f, v in (noted.get("new_facts") or {}).items()]
        if items:
            reply.notes.append(phrases.NOTED_ELSEWHERE.format(name=name, items="; ".join(items)))
        for signal_id, evidence in (noted.get("flag_hits") or {}).items():
            flag = compose.flag_of(advisor, signal_id, evidence,
                                   signal_id in (noted.get("new_flags") or []))
            flag.opportunity = name
            reply.flags.insert(0, flag)
            # "no red flags in what you wrote" was about the active one only
            reply.message = reply.message.replace(phrases.NO_FLAGS, "").strip()
    for flag in reply.flags:
        flag.opportunity = flag.opportunity or label
    if len(opp.others(state)) >= 2 and COMPARE not in reply.suggestions and reply.advice:
        reply.suggestions.append(COMPARE)
    return reply


def _introduced(state: State, turn: Mapping[str, Any]) -> List[str]:
    """The names of the opportunities this turn named for the first time, in order."""
    mentioned = set(turn.get("mentioned") or [])
    return [opp.label_of(entry) for entry in state.opportunities
            if entry.get("id") in mentioned and
            not opp.known_before(state, entry.get("id"), turn.get("turn"))]


def which_reply(advisor: Advisor, state: State) -> Reply:
    """It is unclear which opportunity the message is about: a button for each."""
    options = [Option(str(e["id"]), opp.label_of(e)) for e in opp.others(state)]
    question = AskedQuestion(fact=None, text=phrases.WHICH_ONE, options=options, optional=False)
    return Reply(kind="question", question=question, turn=state.last_turn.get("turn"))


def summary_all_reply(advisor: Advisor, state: State) -> Reply:
    """Every opportunity's flags, facts and advice, each tagged with its name; the facts
    about the person once."""
    reply = Reply(kind="summary")
    rows = opp.compared(state)
    shared: Dict[str, Any] = {}
    names = []
    for entry in rows:
        view = opp.view_of(advisor, state, str(entry["id"]))
        name = opp.label_of(entry)
        names.append(name)
        for signal_id, evidence in view.flags.items():
            flag = compose.flag_of(advisor, signal_id, evidence, limit=3)
            flag.opportunity = name
            reply.flags.append(flag)
        for fact_id, value in view.facts.items():
            scope = opp.scope_of(advisor, fact_id)
            if scope != "opportunity":
                shared[fact_id] = value
                continue
            fact = compose.fact_of(advisor, fact_id, value)
            fact.opportunity = name
            reply.facts.append(fact)
        for item in assess(advisor, view).advice:
            advice = compose.advice_of(advisor, item)
            advice.opportunity = name
            reply.advice.append(advice)
            reply.rule_ids.append(item.rule)
    reply.facts = [compose.fact_of(advisor, k, v) for k, v in shared.items()] + reply.facts
    reply.message = phrases.ALL_OPPORTUNITIES.format(names=", ".join(names))
    reply.suggestions = [COMPARE]
    return reply


def priorities_question(advisor: Advisor) -> AskedQuestion:
    """Asked once, before the first comparison: the decision topics as quick replies (each
    sends "<topic> matters most", which reads as a statement of priorities)."""
    options = [Option(t.id, phrases.PRIORITY_PAYLOAD.format(title=t.title.lower()))
               for t in advisor.rulebase.active_topics.values()]
    return AskedQuestion(fact=None, text=phrases.ASK_PRIORITIES, options=options,
                         optional=True)


def priorities_note(advisor: Advisor, priorities: Mapping[str, Any]) -> str:
    return phrases.PRIORITIES_NOTED.format(
        order=", then ".join(in_their_words(advisor, dict(priorities))))


def comparison_reply(advisor: Advisor, state: State, notes: Optional[List[str]] = None) -> Reply:
    """The opportunities side by side, with the verdict."""
    if len(opp.compared(state)) < 2:
        return Reply(kind="comparison", message=phrases.COMPARE_NEED_TWO, notes=notes or [])
    result = compare(advisor, state)
    intro = phrases.COMPARE_INTRO_ASSUMED if result.assumed_priorities else \
        phrases.COMPARE_INTRO.format(order=", then ".join(
            p.title.lower() for p in result.priorities if p.part_of is None))
    return Reply(kind="comparison", notes=notes or [], message=intro, comparison=result,
                 closing=phrases.COMPARE_CLOSING, suggestions=[compose.SUMMARY],
                 turn=state.last_turn.get("turn"))


def drafts_offered(advisor: Advisor, state: State) -> Dict[str, List[str]]:
    """Opportunity id -> the drafts its advice offers."""
    offered: Dict[str, List[str]] = {}
    for entry in opp.others(state):
        view = opp.view_of(advisor, state, str(entry["id"]))
        offered[str(entry["id"])] = [a.draft for a in assess(advisor, view).advice if a.draft]
    return offered


def asks_for_all(advisor: Advisor, state: State, text: str, turn: Mapping[str, Any]) -> bool:
    """"Why?" / "summary" for every opportunity: with two roles or more, when the message names
    none of them, or says "all of them"."""
    return opp.is_multi(state) and (not turn.get("mentioned") or mentions_any(
        text, advisor.rulebase.words.opportunity_all))


def why_all_reply(advisor: Advisor, state: State) -> Reply:
    """The reasoning behind the advice last shown for each opportunity, each tagged."""
    reply = Reply(kind="why")
    for entry in opp.compared(state):
        view = opp.view_of(advisor, state, str(entry["id"]))
        if not view.last_advice:
            continue
        part = compose.why_reply(advisor, view, assess(advisor, view))
        for explanation in part.explanations:
            explanation.opportunity = opp.label_of(entry)
        reply.explanations += part.explanations
        reply.rule_ids += part.rule_ids
    if not reply.explanations:
        reply.message = phrases.WHY_NOTHING_YET
    return reply
