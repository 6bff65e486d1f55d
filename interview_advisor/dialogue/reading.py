"""Merging one user message into the conversation state.

:func:`update_state` reads red flags and facts in the text (the core's ``Advisor.detect``),
``interview_type``/``stage`` entities, an answer to the pending question and corrections (a fact
replaced, a red flag withdrawn), and records what changed in a *turn*. This module imports
neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

import copy
from typing import Any, Dict, Iterable, List, Mapping, Sequence, Tuple

from interview_advisor import Advisor
from interview_advisor.engine import MAX_TEXT_CHARS

from ..wording import normalise, word_count
from . import opportunities as opp
from .answers import (
    answer_span,
    claims_the_opposite,
    facts_quoted_in,
    first_clause,
    first_sentence,
    flag_from_entity,
    flags_denied_firmly,
    flags_denied_in,
    flags_left_standing,
    flags_named_in,
    flags_quoted_in,
    gives_a_reason,
    is_explanation,
    is_negation,
    is_retraction,
    is_skip,
    match_boolean,
    match_option,
    names_another_subject,
    negated,
    plain_yes_no,
    refers_to_a_flag,
    standing_spans,
    strip_yes_no,
    values_named_in,
)
from .intents import (
    ANSWER_INTENTS,
    HOLD_INTENTS,
    INTENT_FACTS,
    INTENT_QUESTIONS,
    OUT_OF_SCOPE,
    SIGNAL_INTENTS,
    STORY_INTENTS,
)
from .pointers import flags_pointed_at
from .priorities import priorities_in_story, read_priorities, without_guessed_flags
from .state import DETAIL_ENTITIES, FACT_ENTITIES, TOLD_SOURCES, State, UserMessage, fact_entry
from .text import is_payload_text, merge_spans, prefer_one_sentence, readable_end, readable_start

SHORT_ANSWER_WORDS = 8  # replies up to this long may be a bare answer ("internal", "yes")
INTENT_QUESTION_CONFIDENCE = 0.7  # below this, the intent is too unsure to say what they ask
STORY_WORDS = 12        # a message this long is a story, whatever NLU called it
#: "no word from Glenmoor in 3 weeks since my final" filed as out of scope: what the bot does
#: not cover has no red flag of its own, so a shorter message with one is a story too
STORY_WORDS_OUT_OF_SCOPE = 6
FACT_QUOTE_REACH = 10   # words a fact's quote may reach back, to start where its clause does
#: a bare hedge with no question pending ("not sure tbh.") tells this fact this value, when it
#: is one of the value's answer words and the message is at most HEDGE_WORDS long
HEDGE = ("interest", "unsure")
HEDGE_WORDS = 5


#: the intents a reason for a red flag comes under (a correction, or news NLU took it for)
REASON_INTENTS = ("correct", "inform", "describe_interview", "deny", "report_rejection",
                  "evaluate_offer")


def only_other_subjects(advisor: Advisor, state: State, text: str) -> bool:
    """Does the message name red flags, none of them active ("the salary is fine" when only
    the vague job description was flagged)?"""
    named = flags_named_in(advisor, text)
    return bool(named) and not any(s in state.flags for s in named)


def merge_flags(state: State, turn: Dict[str, Any],
                found: Mapping[str, List[Dict[str, Any]]]) -> None:
    """Add red-flag evidence to ``state`` (in place) and record it in ``turn``. Words already
    quoted for the same flag are not stored again: a person who repeats themselves adds no
    evidence, and the state stays the size of what they said, not of how often."""
    for signal_id, evidence in found.items():
        turn["flag_hits"][signal_id] = evidence
        if signal_id not in state.flags:
            turn["new_flags"].append(signal_id)
            state.flags[signal_id] = []
        stored = state.flags[signal_id]
        quoted = {str(e.get("quote", "")).strip().lower() for e in stored}
        stored.extend(e for e in evidence
                      if str(e.get("quote", "")).strip().lower() not in quoted)
        if signal_id in state.withdrawn:
            state.withdrawn.remove(signal_id)


def update_state(advisor: Advisor, state: State,
                 message: UserMessage) -> Tuple[State, Dict[str, Any]]:
    """Merge one user message into a copy of ``state``; return it and what changed (the turn).

    The turn is also stored as ``state.last_turn``.  Its keys: ``message_id``, ``turn``,
    ``intent``, ``chars``, ``truncated``, ``empty``, ``payload`` (a button payload, no words),
    ``flag_hits`` (signal id -> evidence found in this message), ``new_flags``, ``new_facts``,
    ``changed_facts`` (fact id -> ``{"from", "to"}``), ``answered`` (the fact the pending
    question asked for, when this message answered it), ``unclear_answer`` (the pending fact,
    when a short reply did not answer it), ``withdrawn`` and ``correction_unclear``.
    """
    state = copy.deepcopy(state)
    number = int(state.last_turn.get("turn", 0) or 0) + 1
    raw = message.text or ""
    payload = is_payload_text(raw)
    text = "" if payload else raw[:MAX_TEXT_CHARS]
    # words the person typed freely: not a button payload, not an answer to a form's slot
    free_text = not message.in_form and not payload
    turn: Dict[str, Any] = {
        "message_id": message.key(), "turn": number, "intent": message.intent,
        "chars": len(raw), "truncated": (not payload) and len(raw) > MAX_TEXT_CHARS,
        "empty": (not payload) and not raw.strip(), "payload": payload, "flag_hits": {},
        "new_flags": [], "new_facts": {}, "changed_facts": {}, "answered": None,
        "unclear_answer": None, "gave_up": None, "withdrawn": [], "correction_unclear": False,
        "retracted_facts": {},
    }
    detection = advisor.detect(text) if text.strip() else None
    joined = opp.names_as_words(advisor, state, text, message.entities) if free_text else text
    # facts are read with company names as one word ("interview with Alder & Finch tomorrow")
    fact_detection = advisor.detect(joined) if joined != text else detection
    said = text.strip()[:200]

    def whole_message(value: Any, source: str) -> Dict[str, Any]:
        """A fact read from the message as a whole (an answer, or the intent), not a phrase."""
        return fact_entry(value, source, said, 0, len(said), number)

    def answer(fact_id: str, value: Any) -> Dict[str, Any]:
        """The answer to the question about ``fact_id``, quoted by the sentence that gives it."""
        start, end = answer_span(advisor, fact_id, value, said)
        return fact_entry(value, "answer", said[start:end], start, end, number)

    # -- facts: detected in the text, then entities, then the answer to the pending question
    updates: Dict[str, Dict[str, Any]] = {}
    if fact_detection is not None:
        for fact_id, known in fact_detection.facts.items():
            hit = known.evidence
            start, end = (hit.start, hit.end) if hit else (0, 0)
            if hit and len(joined) == len(text):   # the clause that carries the fact
                start = readable_start(text, start, FACT_QUOTE_REACH)
                end = readable_end(text, start, end)
            quote = text[start:end] if hit else ""
            updates[fact_id] = fact_entry(known.value, "text", quote, start, end, number)
    question = INTENT_QUESTIONS.get(message.intent or "") \
        if message.confidence >= INTENT_QUESTION_CONFIDENCE else None
    if question and "question" in advisor.rulebase.facts and "question" not in updates and \
            free_text and text.strip():
        # what they ask, when the words did not say it: "how do I cancel without burning
        # bridges?" is filed under ask_withdraw by NLU
        updates["question"] = whole_message(question, "intent")
    if message.confidence >= INTENT_QUESTION_CONFIDENCE and free_text and text.strip():
        for fact_id, stated in INTENT_FACTS.get(message.intent or "", {}).items():
            if fact_id in advisor.rulebase.facts and fact_id not in updates:
                updates[fact_id] = whole_message(stated, "intent")
    if not message.in_form:
        for entity in message.entities:
            name = entity.get("entity")
            if name not in FACT_ENTITIES or name not in advisor.rulebase.facts:
                continue
            try:
                parsed = advisor.parse_facts({name: entity.get("value")})[name]
            except ValueError:
                continue
            updates[name] = fact_entry(parsed.value, "entity", message.entity_text(entity),
                                        int(entity.get("start", 0) or 0),
                                        int(entity.get("end", 0) or 0), number)
        pending = state.pending_question
        earlier: Dict[str, Any] = {}
        if text.strip() and message.intent in ANSWER_INTENTS and not plain_yes_no(advisor, text):
            # "yes, really want it": the answer to an earlier question that went unanswered
            for fact_id in state.asked:
                if fact_id != pending and fact_id not in state.facts and fact_id not in updates:
                    value_ = match_option(advisor, fact_id, strip_yes_no(text))
                    if value_ is not None:
                        earlier[fact_id] = value_
                        updates[fact_id] = answer(fact_id, value_)
        if pending and pending in advisor.rulebase.facts and text.strip():
            if pending in updates:
                turn["answered"] = pending
            else:
                spec = advisor.rulebase.facts[pending].spec
                value: Any = None
                if spec.type == "boolean":
                    # a yes/no that came with the answer to another question is ambiguous, and
                    # so is a sentence that told us something else ("I'm not really interested
                    # any more" to "would you turn it down?" is not a "no")
                    told_else = any(k != pending for k in updates) and \
                        not plain_yes_no(advisor, text)
                    value = None if earlier or told_else or is_skip(advisor, text) else \
                        match_boolean(advisor, text, message.intent)
                elif not (word_count(text) > SHORT_ANSWER_WORDS and
                          any(k != pending for k in updates)):
                    # a story that told us something else is not the answer, though it may
                    # use the answer's words ("the pay's meh" to "how keen are you?")
                    value = match_option(advisor, pending, text)
                else:
                    # ... unless it opens with a short sentence or clause that is the answer
                    # ("not sure tbh. pay would be like 12k more but idk", "i mean i want it
                    # yeah, its 8k more and fully remote")
                    for opening in (first_sentence(said), first_clause(said)):
                        if opening != said and word_count(opening) <= SHORT_ANSWER_WORDS:
                            value = match_option(advisor, pending, opening)
                            if value is not None:
                                break
                if value is not None:
                    updates[pending] = answer(pending, value)
                    turn["answered"] = pending
            if turn["answered"]:
                state.pending_question = None
        if not pending and not updates and word_count(text) <= HEDGE_WORDS and \
                free_text and HEDGE[0] in advisor.rulebase.facts and \
                match_option(advisor, HEDGE[0], text) == HEDGE[1]:
            # "not sure tbh.", "idk honestly" said when no question is pending: a shrug about
            # the role under discussion (with a question pending it answers or skips that one)
            updates[HEDGE[0]] = fact_entry(HEDGE[1], "answer", said, 0, len(said), number)
        if not payload and word_count(text) <= SHORT_ANSWER_WORDS and \
                message.intent in ("inform", "correct"):
            # a bare "internal" or "offer": the value of another enum fact named outright
            for fact_id, value in values_named_in(advisor, text).items():
                if fact_id not in updates:
                    updates[fact_id] = fact_entry(value, "answer", text.strip(), 0,
                                                   len(text.strip()), number)

    if message.intent == "correct" and free_text and \
            is_retraction(advisor, text):
        # "forget what I said about the raise": the facts it mentions are taken back
        retracted = [f for f in updates if f in state.facts] or \
            facts_quoted_in(advisor, state, text)
        for fact_id in retracted:
            turn["retracted_facts"][fact_id] = state.facts.pop(fact_id).get("value")
            updates.pop(fact_id, None)
    for fact_id, (value, entry) in implied_facts(advisor, state, updates).items():
        updates[fact_id] = fact_entry(value, "given", entry.get("quote", ""),
                                      int(entry.get("start", 0) or 0),
                                      int(entry.get("end", 0) or 0), number)
    for fact_id, entry in updates.items():
        previous = state.facts.get(fact_id)
        if previous is None:
            turn["new_facts"][fact_id] = entry["value"]
        elif previous.get("value") != entry["value"]:
            turn["changed_facts"][fact_id] = {"from": previous.get("value"), "to": entry["value"]}
        elif entry.get("source") in TOLD_SOURCES:
            # said again in the person's words ("no my boss has no idea", "ok yeah im out"):
            # a confirmation, which the advice that turns on it answers again
            turn.setdefault("restated_facts", {})[fact_id] = entry["value"]
        state.facts[fact_id] = entry

    # -- red flags found in the text; an explanation ("the delay was on my side") explains
    # the flags it mentions away instead of adding evidence for them
    explaining = free_text and bool(state.flags) and \
        message.intent in SIGNAL_INTENTS and is_explanation(advisor, text, state)
    # a reason given with no cue word ("she'd only joined a fortnight before", "my cousin did
    # grumble about the pay"), in a message that tells no red flag and asks nothing: an
    # explanation of the flag it shares words with, or of the only one
    if not explaining and free_text and state.flags and message.intent in REASON_INTENTS and \
            detection is not None and "?" not in text and \
            not any(s in advisor.rulebase.active_signals for s in detection.signals) and \
            gives_a_reason(text) and not only_other_subjects(advisor, state, text):
        explaining = bool(flags_quoted_in(advisor, state, text) or len(state.flags) == 1)
    explained: List[str] = []
    # a self-correction that names an active flag ("thats unfair of me, the culture seemed
    # clear enough") denies it whatever intent NLU gave; words asserting the opposite of the
    # flag are not new evidence for it
    firmly = flags_denied_firmly(advisor, state, text) if free_text and not explaining and \
        message.intent in SIGNAL_INTENTS else []
    # "scrap the role thing", "what i said about the recruiter isnt true": the flag pointed at
    # by its subject is taken back, and its words in the message are not new evidence for it
    pointed = flags_pointed_at(advisor, state, text, standing_spans(advisor, text)) \
        if free_text and message.intent in SIGNAL_INTENTS else []
    if detection is not None:
        active = advisor.rulebase.active_signals
        found = {signal_id: merge_spans(prefer_one_sentence(
                     [evidence_of(text, h, number) for h in hits]))
                 for signal_id, hits in detection.signals.items() if signal_id in active and
                 signal_id not in pointed and
                 not (signal_id in firmly and (claims_the_opposite(advisor, text) or
                                               all(negated(text, h.start) for h in hits)))}
        if explaining:
            explained = [s for s in found if s in state.flags]
            turn["explained_flags"] = sorted(found)
        elif message.intent in HOLD_INTENTS:
            turn["held_flags"] = found
        elif message.intent in SIGNAL_INTENTS or message.intent is None or \
                (message.intent in STORY_INTENTS and word_count(text) >= STORY_WORDS) or \
                (message.intent == OUT_OF_SCOPE and word_count(text) >= STORY_WORDS_OUT_OF_SCOPE):
            merge_flags(state, turn, found)
        else:
            turn["ignored_flags"] = sorted(found)

    # -- corrections: take red flags back (denied, or explained away); NLU may file a denial
    # under inform/deny: then it takes back only the active flags it names
    denied = flags_denied_in(advisor, state, text) if message.intent in ("inform", "deny") \
        and not explaining and free_text else []
    denied += [s for s in firmly + pointed if s not in denied]
    if (message.intent == "correct" or explaining or denied) and free_text:
        # a partial correction withdraws only what it names: "..., but they really were
        # vague" leaves the vague job description standing (and the reply names it again)
        standing = [s for s in flags_left_standing(advisor, text, {
            s: [h.start for h in hits] for s, hits in
            (detection.signals.items() if detection is not None else ())}) if s in state.flags]
        for signal_id in standing:
            turn["flag_hits"].setdefault(signal_id, state.flags[signal_id])
        targets: List[str] = list(explained) + denied
        for value in message.entity_values("red_flag"):
            targets += flag_from_entity(advisor, value)
        # NLU's entity may name a flag that is not active ("the culture thing is still a
        # worry"): the words then say which active one is meant
        targets = [t for t in targets if t in state.flags and t not in standing]
        if not targets:
            targets = flags_named_in(advisor, text)
        if not targets and (explaining or is_negation(advisor, text)):
            targets = flags_quoted_in(advisor, state, text)
        targets = [t for t in dict.fromkeys(targets) if t in state.flags
                   and t not in turn["flag_hits"]]
        facts_corrected = bool(turn["changed_facts"] or turn["retracted_facts"])
        facts_touched = facts_corrected or bool(turn["new_facts"])
        # an explanation may tell something new on the way ("turns out she was off sick, her
        # colleague rang me this morning" also answers "where are you in the process?"); only
        # a fact it corrects makes it a correction of that fact instead
        if not targets and len(state.flags) == 1 and not standing and (
                (explaining and not facts_corrected) or
                (not facts_touched and is_negation(advisor, text) and
                 refers_to_a_flag(advisor, text) and
                 not names_another_subject(advisor, state, text))):
            # "that's not actually a red flag", "it was a misunderstanding": the only flag
            targets = list(state.flags)
        for signal_id in targets:
            state.flags.pop(signal_id, None)
            if signal_id not in state.withdrawn:
                state.withdrawn.append(signal_id)
        turn["withdrawn"] = targets
        turn["explanation"] = explaining
        turn["correction_unclear"] = not targets and not facts_touched

    pending = state.pending_question
    if pending and not message.in_form and text.strip() and not turn["answered"] and \
            not updates:
        if is_skip(advisor, text):
            # "skip", "no idea", "rather not say": the question was optional, let it go
            turn["gave_up"] = pending
            state.pending_question = None
        elif message.intent in ("inform", "affirm", "deny") and \
                word_count(text) <= SHORT_ANSWER_WORDS and not turn["flag_hits"] and \
                not tells_about_them(advisor, text):
            if state.last_turn.get("unclear_answer") == pending:
                turn["gave_up"] = pending          # asked twice already: let it go
                state.pending_question = None
            else:
                turn["unclear_answer"] = pending   # a short reply that did not answer: ask again
    state.last_turn = turn
    return state, turn


#: words that make a short reply news about the company rather than an answer about oneself
THIRD_PERSON = frozenset(("they", "them", "their", "theyve", "theyre", "theyll", "he", "she",
                          "him", "her", "his"))


def tells_about_them(advisor: Advisor, text: str) -> bool:
    """"nothing from them yet obviously" after a question about the person: news about the
    company, not a failed answer - it is read as any statement, not asked again. ("they do",
    "she doesnt" are answers: the affirm/deny words.)"""
    words = normalise(text).split()
    if not THIRD_PERSON.intersection(words):
        return False
    yes_no = advisor.rulebase.words.affirm + advisor.rulebase.words.deny
    return not any(normalise(w).strip() == " ".join(words) for w in yes_no)


def implied_facts(advisor: Advisor, state: State, updates: Mapping[str, Mapping[str, Any]]
                  ) -> Dict[str, Tuple[Any, Mapping[str, Any]]]:
    """Facts settled by the facts just told (``implies`` in rules/facts.yml: an internal role,
    a raise, how they feel about their current job or whether their manager knows say the
    person has a job), when they are neither known nor told: fact id -> (value, the entry of
    the fact that implies it, whose words are quoted)."""
    implied: Dict[str, Tuple[Any, Mapping[str, Any]]] = {}
    for fact_id, entry in updates.items():
        fact = advisor.rulebase.facts.get(fact_id)
        value = entry.get("value")
        if fact is None or value is None:
            continue
        for when, settles in fact.implies:
            if when is not None and when != value:
                continue
            for other, other_value in settles.items():
                if other not in state.facts and other not in updates:
                    implied.setdefault(other, (other_value, entry))
    return implied


def evidence_of(text: str, hit: Any, turn: int) -> Dict[str, Any]:
    """A red flag's evidence as stored: the person's words, ending where their clause does."""
    end = readable_end(text, hit.start, hit.end)
    words = text[hit.start:end] if text[hit.start:hit.end] == hit.text else hit.text
    return {"quote": words, "start": hit.start, "end": hit.start + len(words), "turn": turn,
            "pattern": hit.pattern_text, "kind": hit.via.kind}


def reads_as_story(turn: Mapping[str, Any]) -> bool:
    """A small-talk message that brought new red flags: answer it with advice."""
    return turn.get("intent") in STORY_INTENTS and bool(turn.get("flag_hits"))


def absorb(advisor: Advisor, state: State,
           message: UserMessage) -> Tuple[State, Dict[str, Any], bool]:
    """:func:`update_state` unless this message was merged already (several actions may answer
    one message, e.g. the draft preparation and then the form); a bare button payload such as
    ``/describe_interview`` (see :func:`clarified_message`) reuses the latest turn.
    Returns (state, turn, whether anything was merged now)."""
    if is_payload_text(message.text) and state.last_turn:
        return state, state.last_turn, False
    if state.last_turn.get("message_id") == message.key():
        return state, state.last_turn, False
    new_state, turn = read_message(advisor, state, message)
    return new_state, turn, True


def _finds_red_flags(advisor: Advisor, state: State, message: UserMessage,
                     span: Tuple[int, int]) -> bool:
    """Does the part ``span`` of the message, read alone, show a red flag that a pattern of
    the rule base found (not only the statistical backstop's guess)?"""
    _, alone = update_state(advisor, copy.deepcopy(state), UserMessage(
        opp.masked(message.text, [span]), message.intent, [], message.message_id,
        message.in_form, message.confidence))
    hits = alone.get("flag_hits") or {}
    return any(e.get("kind") != "model" for found in hits.values() for e in found)


def read_message(advisor: Advisor, state: State,
                 message: UserMessage) -> Tuple[State, Dict[str, Any]]:
    """:func:`update_state`, for the opportunity (or opportunities) the message is about.

    A message that names no opportunity is about the active one, as in a conversation about a
    single role. One that names one switches to it first; one that names several is read part
    by part, each part for its own opportunity (see :func:`.opportunities.targets_of`). When it
    is unclear which one a message is about, it is held and the turn asks (``ask_which``).
    The turn gains ``opportunity`` (the active id), ``mentioned`` (ids named),
    ``switched`` and ``elsewhere`` (opportunity id -> flags and facts noted for it)."""
    text = "" if is_payload_text(message.text) else (message.text or "")[:MAX_TEXT_CHARS]
    state = copy.deepcopy(state)
    before = state.active
    # priorities: the answer to the bot's question about them, or a short statement with a cue
    # ("matters most") - never a story with red flags
    stated = read_priorities(advisor, text, state.compare_pending) \
        if text.strip() and not message.in_form else None
    if stated is not None:       # "pay matters most, then growth": the priorities, not a role
        new_state, turn = update_state(advisor, state, message)
        new_state = without_guessed_flags(state, new_state, turn)
        if not turn["flag_hits"]:
            new_state.priorities = stated
            turn.update(opportunity=new_state.active, mentioned=[], switched=False,
                        elsewhere={}, priorities=True)
            return new_state, turn
    # "Saltire pays 60k, Brindle 52k. work life balance matters most to me, then pay": the
    # priorities, and the rest of the message read without that sentence (it says nothing
    # about Brindle)
    told = priorities_in_story(advisor, text) \
        if stated is None and text.strip() and not message.in_form else None
    if told is not None and _finds_red_flags(advisor, state, message, told[1]):
        told = None     # "pay matters most and they were vague about it": a story after all
    if told is not None:
        new_state, turn = read_message(advisor, state, UserMessage(
            opp.masked(text, [(0, told[1][0]), (told[1][1], len(text))]), message.intent,
            [e for e in message.entities if not (isinstance(e.get("start"), int) and
                                                 told[1][0] <= e["start"] < told[1][1])],
            message.message_id, message.in_form, message.confidence))
        new_state.priorities = told[0]
        turn["priorities_noted"] = True
        return new_state, turn
    if text.strip() and opp.asks_to_compare(advisor, state, text):
        # "which should I pick?": a comparison, not the dilemma NLU may file it under
        state, turn = update_state(advisor, state, message)
        opp.compare_with_current_job(state)
        if (state.facts.get("question") or {}).get("source") == "intent":
            state.facts.pop("question")
            turn["new_facts"].pop("question", None)
        turn.update(opportunity=state.active, mentioned=[], switched=False, elsewhere={},
                    compare=True)
        return state, turn
    mentions = opp.find_mentions(advisor, state, text, message.entities) \
        if text.strip() and not message.in_form else []
    mentions = opp.note_current_job_named(state, mentions, advisor, text)
    if mentions and opp.resolves_held(state, message, mentions):
        held = state.held
        message = UserMessage(str(held.get("text") or ""), held.get("intent"),
                              list(held.get("entities") or []), message.message_id)
        text = message.text
        mentions = [mentions[0]]
    state.held = {}
    if not mentions:
        if opp.wants_which(advisor, state, message, SIGNAL_INTENTS):
            state.held = {"text": text, "intent": message.intent, "entities": message.entities}
            state, turn = update_state(advisor, state, UserMessage(
                "", message.intent, [], message.message_id, message.in_form, message.confidence))
            turn.update(empty=False, ask_which=[e["id"] for e in opp.others(state)])
            return state, turn
        state, turn = update_state(advisor, state, message)
        opp.remember_words(state, state.active, text, int(turn["turn"]))
        opp.note_current_job(advisor, state)
        turn.update(opportunity=state.active, mentioned=[], switched=False, elsewhere={})
        return state, turn
    targets = opp.targets_of(advisor, state, text, mentions)
    last_turn = copy.deepcopy(state.last_turn)
    turns: List[Tuple[str, Dict[str, Any]]] = []
    for key, spans in targets:
        opp.switch(advisor, state, key)
        state.last_turn = copy.deepcopy(last_turn)
        part = message if len(targets) == 1 else UserMessage(
            opp.masked(message.text, spans), message.intent,
            [e for e in message.entities if isinstance(e.get("start"), int)
             and any(a <= e["start"] < b for a, b in spans)],
            message.message_id, message.in_form, message.confidence)
        state, turn_ = update_state(advisor, state, part)
        opp.remember_words(state, key, part.text, int(turn_["turn"]))
        turns.append((key, turn_))
    key, turn = opp.main_part_last(advisor, state, turns)[-1]
    elsewhere: Dict[str, Any] = {}
    for other, other_turn in turns:
        if other == key:
            continue
        own = {f: v for f, v in other_turn["new_facts"].items()
               if opp.scope_of(advisor, f) == "opportunity"}
        shared = {f: v for f, v in other_turn["new_facts"].items() if f not in own}
        for fact_id, value in shared.items():
            turn["new_facts"].setdefault(fact_id, value)
        if other_turn["flag_hits"] or own:
            elsewhere[other] = {"flag_hits": other_turn["flag_hits"],
                                "new_flags": other_turn["new_flags"], "new_facts": own}
    opp.note_current_job(advisor, state)
    opp.infer_several(advisor, state, turn)
    if turn.get("unclear_answer"):
        # "the other one seems way more organised" names a role: news about it, not a reply
        # to the pending question that failed to answer it
        turn["unclear_answer"] = None
    turn.update(opportunity=state.active, mentioned=[k for k, _ in targets],
                switched=state.active != before and before is not None, elsewhere=elsewhere)
    state.last_turn = turn
    return state, turn


def clarified_message(latest: UserMessage, earlier: Sequence[Mapping[str, Any]]) -> UserMessage:
    """The words a button payload stands for.

    When NLU is unsure, the two-stage fallback asks "did you mean ...?" with buttons; a click
    sends ``/ask_withdraw`` and Rasa replaces the unclear message by one with that text, so the
    person's words are gone from the applied conversation.  ``earlier`` (the tracker's user
    events, reverted ones included, oldest first) still has them: the latest message with
    words, if NLU was unsure about it, is what the payload clarifies - with the intent and
    entities of the payload added.
    """
    if not is_payload_text(latest.text):
        return latest
    for event in reversed(earlier):
        text = str(event.get("text") or "")
        if not text or is_payload_text(text):
            continue
        parse = event.get("parse_data") or {}
        if (parse.get("intent") or {}).get("name") != "nlu_fallback":
            break
        entities = list(parse.get("entities") or []) + list(latest.entities)
        return UserMessage(text, latest.intent, entities, latest.message_id, latest.in_form,
                           latest.confidence)
    return latest


def entities_of(message: UserMessage, names: Iterable[str] = DETAIL_ENTITIES) -> Dict[str, str]:
    """The last value of each detail entity in the message."""
    found: Dict[str, str] = {}
    for name in names:
        values = message.entity_values(name)
        if values:
            found[name] = values[-1]
    return found
