"""Building replies: the conversation state and the rule base in, a :class:`Reply` out.

This is the one place that decides what a reply contains; the renderers only lay it out. Every
function returns a reply whose keys mean the same as in every other (docs/reply-model.md).
This module imports neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence

from interview_advisor import AdviceItem, Advisor, Question
from interview_advisor.engine import MAX_TEXT_CHARS, DirectAnswer

from . import phrases
from .advising import TOP_ADVICE, TOP_STEPS, Assessment
from .intents import ANSWER_INTENTS
from .reply import (
    Advice,
    Answer,
    Draft,
    Evidence,
    Explanation,
    Fact,
    Flag,
    Option,
    Quote,
    Reason,
    Reply,
    Suggestion,
    Withdrawn,
)
from .reply import Question as AskedQuestion
from .state import DETAIL_LABELS, TOLD_SOURCES, State
from .text import first_sentence

#: quick replies after advice (the payload is what the button sends, as if typed)
WHY = Suggestion("Why?", "why?")
SUMMARY = Suggestion("Summary", "summary")
DRAFT_IT = Suggestion("Draft it", "draft it")


# -------------------------------------------------------------------------------------------
# pieces
# -------------------------------------------------------------------------------------------

def flag_of(advisor: Advisor, signal_id: str, evidence: Sequence[Mapping[str, Any]],
            new: bool = False, limit: int = 2) -> Flag:
    """A red flag with the person's distinct words (at most ``limit`` quotes)."""
    signal = advisor.rulebase.signals.get(signal_id)
    quotes: List[Quote] = []
    seen = set()
    for entry in evidence:
        words = str(entry.get("quote", "")).strip()
        if not words or words.lower() in seen:
            continue
        seen.add(words.lower())
        quotes.append(Quote(words, entry.get("start"), entry.get("end"), entry.get("turn")))
    return Flag(id=signal_id, title=signal.title if signal else signal_id,
                why=first_sentence(signal.why) if signal else "",
                severity=signal.severity if signal else None, new=new, quotes=quotes[:limit])


def withdrawn_of(advisor: Advisor, signal_ids: Sequence[str]) -> List[Withdrawn]:
    signals = advisor.rulebase.signals
    return [Withdrawn(s, signals[s].title if s in signals else s) for s in signal_ids]


def fact_label(advisor: Advisor, fact_id: str, value: Any) -> str:
    fact = advisor.rulebase.facts.get(fact_id)
    return str(value) if fact is None else fact.spec.label(value)


def fact_title(advisor: Advisor, fact_id: str) -> str:
    fact = advisor.rulebase.facts.get(fact_id)
    return fact_id if fact is None else fact.spec.title


def fact_of(advisor: Advisor, fact_id: str, entry: Mapping[str, Any],
            previous: Any = None) -> Fact:
    source = str(entry.get("source") or "text")
    if source not in ("text", "answer", "intent", "entity", "detail", "given"):
        source = "text"
    return Fact(id=fact_id, title=fact_title(advisor, fact_id), value=entry.get("value"),
                label=fact_label(advisor, fact_id, entry.get("value")), source=source,
                quote=entry.get("quote") or None,
                previous=None if previous is None else fact_label(advisor, fact_id, previous))


def details_of(details: Mapping[str, Optional[str]]) -> List[Fact]:
    """Company, role and contact name as facts of source ``detail``."""
    return [Fact(id=key, title=DETAIL_LABELS.get(key, key), value=value, label=str(value),
                 source="detail") for key, value in details.items() if value]


def advice_of(advisor: Advisor, item: AdviceItem, steps: Optional[int] = None,
              questions: bool = False) -> Advice:
    """The reply model's advice item; with ``questions``, the rule's questions to ask."""
    draft = advisor.rulebase.drafts.get(item.draft) if item.draft else None
    source = item.source or {}
    return Advice(rule=item.rule, title=item.title, text=item.text, why=item.why,
                  next_steps=list(item.next_steps if steps is None else item.next_steps[:steps]),
                  draft=draft.id if draft else None, draft_title=draft.title if draft else None,
                  topic=item.topic,
                  source=": ".join(str(v) for v in source.values()) if source else None,
                  questions_to_ask=list(item.questions_to_ask)
                  if questions and item.questions_to_ask else None)


def question_of(advisor: Advisor, question: Optional[Question],
                repeat: bool = False) -> Optional[AskedQuestion]:
    if question is None:
        return None
    options = [Option(str(value), str(label)) for value, label in (question.options or {}).items()]
    fact = advisor.rulebase.facts.get(question.fact)
    if not options and fact is not None and fact.spec.type == "boolean":
        options = [Option("yes", "yes"), Option("no", "no")]
    return AskedQuestion(fact=question.fact, text=question.question, options=options,
                         optional=True, repeat=repeat)


def answer_of(direct: Optional[DirectAnswer]) -> Optional[Answer]:
    if direct is None:
        return None
    source = ": ".join(str(v) for v in (direct.source or {}).values()) or None
    return Answer(question=direct.title, text=direct.answer, quote=direct.evidence,
                  rule=direct.id, source=source)


def suggestions_for(advice: Sequence[Advice]) -> List[Suggestion]:
    """Why and summary; "draft it" only when the advice shown offers a message to write (else
    the one-tap draft was one the person had not been told about)."""
    return [WHY, SUMMARY] + ([DRAFT_IT] if draft_hint(advice) else [])


def draft_hint(advice: Sequence[Advice]) -> Optional[str]:
    """The title of the first message the shown advice offers to write."""
    for item in advice:
        if item.draft_title:
            return item.draft_title
    return None


def _turn_facts(advisor: Advisor, state: State, turn: Mapping[str, Any],
                details: Mapping[str, Optional[str]]) -> List[Fact]:
    """Facts noted or changed by this turn, then the details named in it."""
    facts = []
    changed = turn.get("changed_facts", {})
    for fact_id in list(turn.get("new_facts", {})) + list(changed):
        entry = state.facts.get(fact_id)
        if entry is not None:
            previous = changed[fact_id]["from"] if fact_id in changed else None
            facts.append(fact_of(advisor, fact_id, entry, previous))
    return facts + details_of(details)


def _turn_notes(turn: Mapping[str, Any], advisor: Optional[Advisor] = None) -> List[str]:
    notes = []
    for fact_id, value in (turn.get("retracted_facts") or {}).items():
        title = fact_title(advisor, fact_id) if advisor else fact_id
        label = fact_label(advisor, fact_id, value) if advisor else str(value)
        notes.append(phrases.FACT_FORGOTTEN.format(title=title, label=label))
    if turn.get("truncated"):
        notes.append(phrases.TRUNCATED.format(chars=turn.get("chars") or 0, limit=MAX_TEXT_CHARS))
    if turn.get("gave_up"):
        notes.append(phrases.QUESTION_DROPPED)
    return notes


# -------------------------------------------------------------------------------------------
# replies
# -------------------------------------------------------------------------------------------

def bears_on(advisor: Advisor, state: State, turn: Mapping[str, Any],
             rule_ids: Sequence[str]) -> bool:
    """Did the message tell, change or say again in the person's words (not only imply) a
    fact that one of ``rule_ids`` turns on? Then that advice answers what they just said, and
    is shown again rather than "that doesn't change my advice"."""
    told = set(turn.get("new_facts") or {}) | set(turn.get("changed_facts") or {}) | \
        set(turn.get("restated_facts") or {})
    told = {f for f in told if (state.facts.get(f) or {}).get("source") in TOLD_SOURCES}
    if not told:
        return False
    rules = {rule.id: rule for rule in advisor.rulebase.active_rules}
    return any(told & rules[r].when.facts() for r in rule_ids if r in rules)


def advice_reply(advisor: Advisor, state: State, turn: Mapping[str, Any],
                 assessment: Assessment, question: Optional[Question],
                 details: Optional[Mapping[str, Optional[str]]] = None,
                 previous_advice: Sequence[str] = (), count: Optional[int] = TOP_ADVICE,
                 steps: Optional[int] = TOP_STEPS,
                 direct: Optional[DirectAnswer] = None) -> Reply:
    """After a description, a dilemma or an answer: what was noted, the red flags found in
    this message, the top advice with next steps, and at most one question. ``count`` and
    ``steps`` limit the advice shown (None: all of it, as the command line shows it). When
    the person asked what to ask the employer (``asks_questions`` in ``turn``), the advice
    shown is the most important that has questions to ask, with them."""
    top = assessment.advice if count is None else assessment.top(count)
    questions = bool(turn.get("asks_questions"))
    if questions:
        asking = [a for a in assessment.advice if a.questions_to_ask]
        top = asking if count is None else asking[:count]
    flag_hits: Mapping[str, Sequence[Mapping[str, Any]]] = turn.get("flag_hits", {})
    message: List[str] = []
    if turn.get("empty"):
        message.append(phrases.NO_WORDS)
    elif not flag_hits and not state.flags and turn.get("intent") not in ANSWER_INTENTS and \
            not turn.get("payload") and not turn.get("withdrawn") and \
            not turn.get("asks_advice"):
        # "no red flags" only while the conversation has none: after three flags, "should i
        # pull out?" raising none is no news
        message.append(phrases.NO_FLAGS)
    # "what should I ask them then?": the advice again, in full, even when nothing changed;
    # and when the message told or confirmed a fact the top advice turns on ("she doesnt know
    # anything yet" under "tell your manager before they hear it elsewhere")
    unchanged = bool(previous_advice) and [a.rule for a in top] == list(previous_advice) and \
        not flag_hits and not turn.get("asks_advice") and \
        not bears_on(advisor, state, turn, [a.rule for a in top])
    advice: List[Advice] = []
    if turn.get("empty"):
        pass
    elif questions:
        message.append(phrases.QUESTIONS_TO_ASK if top else phrases.QUESTIONS_NONE_YET)
        advice = [advice_of(advisor, a, steps, questions=True) for a in top]
    elif not top:
        message.append(phrases.NO_ADVICE_YET)
    elif unchanged:
        message.append(phrases.ADVICE_UNCHANGED)
    else:
        advice = [advice_of(advisor, a, steps) for a in top]
    closing = ""
    if advice:
        hint = draft_hint(advice)
        closing = phrases.AFTER_ADVICE + (phrases.DRAFT_HINT.format(title=hint.lower())
                                          if hint else "") + "."
    return Reply(
        kind="advice", answer=answer_of(direct), notes=_turn_notes(turn, advisor),
        message="\n".join(message),
        withdrawn=withdrawn_of(advisor, turn.get("withdrawn", [])),
        flags=[flag_of(advisor, sid, ev, sid in turn.get("new_flags", []))
               for sid, ev in flag_hits.items()],
        facts=_turn_facts(advisor, state, turn, details or {}), advice=advice,
        more_advice=len(assessment.advice) - len(advice) if advice else 0,
        question=question_of(advisor, question),
        suggestions=suggestions_for(advice) if advice else [], closing=closing,
        rule_ids=[a.rule for a in advice], rateable=bool(advice), turn=turn.get("turn"))


def question_reply(advisor: Advisor, question: Question, state: State) -> Reply:
    """A short reply that did not answer the question: ask it again, with the options."""
    return Reply(kind="question", question=question_of(advisor, question, repeat=True),
                 rule_ids=[], turn=state.last_turn.get("turn"))


def correction_reply(advisor: Advisor, state: State, turn: Mapping[str, Any],
                     assessment: Assessment,
                     details: Optional[Mapping[str, Optional[str]]] = None) -> Reply:
    """What was taken back or replaced, then the updated advice."""
    details = details or {}
    top = assessment.top()
    message = ""
    advice: List[Advice] = []
    if turn.get("correction_unclear") and not details:
        message = phrases.CORRECTION_UNCLEAR.format(state=describe_state_briefly(advisor, state))
    elif top:
        advice = [advice_of(advisor, a, TOP_STEPS) for a in top]
    else:
        message = phrases.NOTHING_APPLIES
    return Reply(
        kind="correction", message=message, notes=_turn_notes(turn, advisor),
        withdrawn=withdrawn_of(advisor, turn.get("withdrawn", [])),
        flags=[flag_of(advisor, sid, ev, sid in turn.get("new_flags", []))
               for sid, ev in turn.get("flag_hits", {}).items()],
        facts=_turn_facts(advisor, state, turn, details), advice=advice,
        more_advice=len(assessment.advice) - len(advice) if advice else 0,
        suggestions=[WHY, SUMMARY] if advice else [],
        rule_ids=[a.rule for a in advice], rateable=bool(advice), turn=turn.get("turn"))


def describe_state_briefly(advisor: Advisor, state: State) -> str:
    parts = [f"{fact_title(advisor, k)}: {fact_label(advisor, k, v['value'])}"
             for k, v in state.facts.items()]
    parts += [f"red flag: {advisor.rulebase.signals[s].title}" for s in state.flags
              if s in advisor.rulebase.signals]
    if not parts:
        return phrases.NOTHING_NOTED
    return "Right now I have: " + "; ".join(parts) + "."


def _reason_of(advisor: Advisor, reason: Mapping[str, Any]) -> Reason:
    evidence = []
    for entry in reason.get("evidence", []):
        words = entry.get("quote")
        if not words:
            continue
        signal = entry.get("signal")
        title = advisor.rulebase.signals[signal].title.lower() \
            if signal and signal in advisor.rulebase.signals else None
        source = "answer" if entry.get("source") == "answer" else "text"
        evidence.append(Evidence(str(words), source, title))
    return Reason(str(reason.get("condition", "")), evidence)


def why_reply(advisor: Advisor, state: State, assessment: Assessment) -> Reply:
    """The rules behind the advice shown last, the conditions that held, the person's words."""
    by_rule = {a.rule: a for a in assessment.advice}
    shown = [by_rule[r] for r in state.last_advice if r in by_rule]
    gone = [r for r in state.last_advice if r not in by_rule]
    if not shown:
        return Reply(kind="why", message=phrases.WHY_GONE if gone else phrases.WHY_NOTHING_YET)
    explanations = [Explanation(rule=item.rule, title=item.title, why=item.why,
                                reasons=[_reason_of(advisor, r) for r in item.because],
                                source=advice_of(advisor, item).source) for item in shown]
    closing = phrases.SOME_ADVICE_GONE.format(rules=", ".join(gone)) if gone else ""
    return Reply(kind="why", explanations=explanations, closing=closing,
                 rule_ids=[item.rule for item in shown])


def summary_reply(advisor: Advisor, state: State, assessment: Assessment,
                  details: Optional[Mapping[str, Optional[str]]] = None) -> Reply:
    """Every flag, fact and piece of advice so far, all next steps as a checklist."""
    details = {k: v for k, v in (details or {}).items() if v}
    if state.empty and not details:
        return Reply(kind="summary", message=phrases.SUMMARY_EMPTY)
    pending = state.pending_question
    question = None
    if pending and pending in advisor.rulebase.facts:
        fact = advisor.rulebase.facts[pending]
        question = question_of(advisor, Question(pending, fact.question, fact.options, [], 0.0))
    return Reply(
        kind="summary",
        flags=[flag_of(advisor, s, ev, limit=3) for s, ev in state.flags.items()],
        withdrawn=withdrawn_of(advisor, state.withdrawn),
        facts=[fact_of(advisor, k, v) for k, v in state.facts.items()] + details_of(details),
        advice=[advice_of(advisor, a) for a in assessment.advice], question=question,
        rule_ids=assessment.rule_ids)


def draft_reply(advisor: Advisor, draft_id: str, values: Mapping[str, str]) -> Reply:
    """A finished message to send, with what is left to fill in."""
    rendered = advisor.draft(draft_id, values)
    brackets = [name for name, placeholder in advisor.rulebase.drafts[draft_id].placeholders.items()
                if not values.get(name) and placeholder.default is None]
    closing = (phrases.FILL_BRACKETS + "\n" if brackets else "") + phrases.READ_IT_THROUGH
    return Reply(kind="draft", draft=Draft(draft_id, rendered.title, rendered.text, brackets),
                 closing=closing)


def say(kind: str, message: str, suggestions: Sequence[Suggestion] = (),
        question: Optional[AskedQuestion] = None) -> Reply:
    """A reply that is only words (introduction, small talk, draft steps, fallback...)."""
    return Reply(kind=kind, message=message, suggestions=list(suggestions), question=question)


def choice_question(text: str, choices: Sequence[tuple]) -> AskedQuestion:
    """A question whose options are given here (value, label), not by a fact."""
    return AskedQuestion(fact=None, text=text,
                         options=[Option(str(v), str(label)) for v, label in choices],
                         optional=False)


def intro_reply(retention_days: float, after_answer: bool = False) -> Reply:
    """The first reply: what the bot does, and truthfully what it keeps and for how long
    (``after_answer``: sent after the direct answer that opened the conversation)."""
    text = phrases.INTRO_AFTER_ANSWER if after_answer else phrases.INTRO
    return say("intro", text.format(days=f"{retention_days:g}"))


def facts_dict(state: State) -> Dict[str, Any]:
    return {k: v.get("value") for k, v in state.facts.items()}
