"""Several opportunities in one conversation: which company or role a message is about.

The conversation state keeps one *view* (``State.facts``, ``flags``, ``withdrawn``,
``last_advice``): the facts about the person and their current job, and the facts and red flags
of the *active* opportunity; the records of the others and switching between them are in
:mod:`.opportunity_records`, the words that name a company in :mod:`.opportunity_names`, which
opportunity a mention names in :mod:`.opportunity_mentions`. This module reads a message about
several of them part by part, keeps what was said of each, and decides when to ask "which
one?". With one opportunity nothing is ever stashed, so such a conversation behaves as before.
This module imports neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from interview_advisor import Advisor

from ..cues import says
from ..wording import normalise, word_count
from .opportunity_mentions import Mention, _find_named, find_mentions, resolve
from .opportunity_mixups import reattribute
from .opportunity_names import _company_names, clauses, first_span, names_as_words, phrase_spans
from .opportunity_records import (
    compared,
    is_multi,
    label_of,
    load,
    new_record,
    others,
    record,
    scope_of,
    stash,
    switch,
    view_of,
)
from .state import CURRENT_JOB, State, UserMessage, fact_entry

__all__ = ["CURRENT_JOB", "Mention", "_company_names", "_find_named", "clauses", "compared",
           "find_mentions", "first_span", "is_multi", "label_of", "load", "names_as_words",
           "others", "phrase_spans", "record", "scope_of", "stash", "switch", "view_of"]

SAID_KEPT = 12          # the person's words kept per opportunity (quoted in a comparison)
RESOLVE_WORDS = 6       # a reply this short that names an opportunity answers "which one?"
COMPARE_ALONE_WORDS = 7  # "can you compare the two?" with one option known: the reply says so


# -------------------------------------------------------------------------------------------
# a message about one or several opportunities
# -------------------------------------------------------------------------------------------

def targets_of(advisor: Advisor, state: State, text: str,
               mentions: Sequence[Mention]) -> List[Tuple[str, List[Tuple[int, int]]]]:
    """Each opportunity the message is about, with the parts of the message about it.

    A clause that names opportunities is about them; one that names none is about the
    opportunities of the clause before; the clauses before the first name are about every
    opportunity the message names ("two offers: one from a startup, one from a bank")."""
    keys = [resolve(advisor, state, m) for m in mentions]
    # "i mixed them up, that was Brindle not Caskwell": the last message's flags and facts move
    # to Brindle; that sentence is read no further (its "not" takes nothing back)
    moved = reattribute(advisor, state, text, mentions, keys)
    spans: Dict[str, List[Tuple[int, int]]] = {k: [] for k in keys}
    lead: List[Tuple[int, int]] = []
    current: List[str] = []
    for start, end in clauses(advisor, text):
        if moved is not None and end <= moved[2]:
            continue
        named = [k for m, k in zip(mentions, keys) if start <= m.start < end]
        if named:
            current = list(dict.fromkeys(named))
        if not current:
            lead.append((start, end))
            continue
        for key in current:
            spans[key].append((start, end))
    # the opportunity named first is what the message is about: it is read last, so that it
    # ends up active ("Umbrella made an offer, but I'm still waiting on Cyberdyne")
    first: Dict[str, int] = {}
    for mention, key in zip(mentions, keys):
        first.setdefault(key, mention.start)
    if moved is not None:
        # the one it was about is what the reply is about; two parts at least, so that no
        # part is the whole message (whose "not" would take the moved flags back)
        parts = [(k, lead + s) for k, s in spans.items() if s and k != moved[0]]
        if not parts:
            parts = [(moved[1], [])]
        return parts + [(moved[0], lead + spans.get(moved[0], []))]
    return sorted(((k, lead + s) for k, s in spans.items()), key=lambda item: -first[item[0]])


def _news(advisor: Advisor, turn: Mapping[str, Any]) -> int:
    """How much a part of a message brought: its red flags and facts about a role."""
    facts = [f for f in turn.get("new_facts") or {} if scope_of(advisor, f) == "opportunity"]
    return len(turn.get("flag_hits") or {}) + len(facts)


def main_part_last(advisor: Advisor, state: State,
                   turns: Sequence[Tuple[str, Dict[str, Any]]]
                   ) -> List[Tuple[str, Dict[str, Any]]]:
    """The parts of a message read per opportunity, the one the reply is about last - and
    active: the part that brought the most red flags and facts about a role, the one named
    first on a tie ("still waiting on Initech, final round at Hooli, they couldn't say what the
    role is and took ages to reply": the reply is about Hooli; "Umbrella gave me an offer, but
    I'm still waiting on Cyberdyne": about Umbrella)."""
    parts = list(turns)
    if len(parts) < 2:
        return parts
    best = max(range(len(parts)), key=lambda i: (_news(advisor, parts[i][1]), i))
    parts.append(parts.pop(best))
    switch(advisor, state, parts[-1][0])
    return parts


def masked(text: str, spans: Sequence[Tuple[int, int]]) -> str:
    """The text with everything outside ``spans`` blanked (offsets stay the same)."""
    keep = [" "] * len(text)
    for start, end in spans:
        keep[start:end] = text[start:end]
    return "".join(keep)


def remember_words(state: State, key: Optional[str], text: str, turn: int) -> None:
    """Keep what the person said about an opportunity (a comparison quotes it)."""
    entry = record(state, key)
    current = record(state, CURRENT_JOB)
    if key != CURRENT_JOB and current is not None and \
            (current.get("spans") or {}).get("turn") == turn:
        # the clauses about the current job in this message are its words, not this role's
        keep = [(0, len(text))]
        for start, end in current["spans"].get("spans") or []:
            keep = [(a, b) for a0, b0 in keep
                    for a, b in ((a0, min(b0, start)), (max(a0, end), b0)) if a < b]
        text = masked(text, keep)
    words = " ".join(text.split())
    if entry is None or not words:
        return
    said = entry.setdefault("said", [])
    said.append({"text": words[:400], "turn": turn})
    del said[:-SAID_KEPT]


def known_before(state: State, key: Optional[str], turn: Any) -> bool:
    """Whether the person talked about this opportunity before this turn (going "back to" it)."""
    entry = record(state, key)
    return entry is not None and any(int(s.get("turn") or 0) < int(turn or 0)
                                     for s in entry.get("said") or [])


def wants_which(advisor: Advisor, state: State, message: UserMessage,
                signal_intents: Sequence[str]) -> bool:
    """Unclear which opportunity: several are open, the message names none, the last one named
    several, and the message brings red flags or facts about a role."""
    if len(others(state)) < 2 or message.in_form or message.intent not in signal_intents:
        return False
    if len(state.last_turn.get("mentioned") or []) < 2:
        return False
    detection = advisor.detect(message.text) if message.text.strip() else None
    if detection is None:
        return False
    if detection.signals:
        return True
    # no red flag: a question about the person's own plans ("is it ok to tell orla i have
    # another offer?") is answered, not held - only news about one role needs its name
    return not asks_something(message.text) and \
        any(scope_of(advisor, f) == "opportunity" for f in detection.facts)


_QUESTION_START = re.compile(
    r"^\W*(?:so\s+|and\s+|but\s+|ok\s+|okay\s+)?(?:should|shall|can|could|would|will|is|are|"
    r"am|do|does|did|how|what|when|why|where|who|which)\b", re.IGNORECASE)


def asks_something(text: str) -> bool:
    """The message asks a question: a question mark, or a clause that opens like one
    ("should i tell them", at the end of a long story too)."""
    if "?" in text:
        return True
    return any(_QUESTION_START.match(part) for part in re.split(r"[.;!\n]+", text))


def resolves_held(state: State, message: UserMessage, mentions: Sequence[Mention]) -> bool:
    return bool(state.held) and len({m.key for m in mentions}) == 1 and \
        mentions[0].key is not None and word_count(message.text) <= RESOLVE_WORDS


def infer_several(advisor: Advisor, state: State, turn: Dict[str, Any]) -> None:
    """Two roles or more named: the person is in several processes (unless they said not)."""
    if len(others(state)) >= 2 and "multiple_processes" in advisor.rulebase.facts and \
            "multiple_processes" not in state.facts:
        number = int(turn.get("turn") or 0)
        state.facts["multiple_processes"] = fact_entry(True, "given", "", 0, 0, number)
        turn.setdefault("new_facts", {})["multiple_processes"] = True


def note_current_job(advisor: Advisor, state: State) -> None:
    """Facts about the current job known while another role is discussed: the current job
    becomes an opportunity of its own (compared with the others)."""
    if record(state, CURRENT_JOB) is None and others(state) and any(
            scope_of(advisor, k) == "current_job" for k in state.facts):
        new_record(state, "current job", "current")


def for_draft(advisor: Advisor, state: State, draft_id: str,
              offers: Mapping[str, Sequence[str]]) -> Optional[str]:
    """The opportunity a draft request that names none is about: the active one when its
    advice offers that draft, else the only other one whose advice does. ``offers``: id ->
    the drafts its advice offers."""
    if draft_id in offers.get(str(state.active), ()):
        return state.active
    keys = [k for k, drafts in offers.items() if draft_id in drafts]
    return keys[0] if len(keys) == 1 else None


def company_of(state: State) -> Optional[str]:
    """The company name of the active opportunity (drafts address it), if it has one."""
    entry = record(state, state.active)
    if entry is None or entry.get("kind") != "company" or not entry.get("name"):
        return None
    return str(entry["name"])


def names_an_opportunity(state: State, name: str) -> bool:
    """Is ``name`` what one of the opportunities is called? NLU sometimes tags a company as a
    person ("one from Barclays at 62k"): such a "contact" is the company, not someone to write
    to."""
    wanted = normalise(name).strip()
    return bool(wanted) and any(normalise(str(entry.get("name") or "")).strip() == wanted
                                for entry in state.opportunities)


def asks_to_compare(advisor: Advisor, state: State, text: str) -> bool:
    """"Which should I pick?" (``compare_words``, or ``asks_which_is_better``: "which one
    looks better") with two opportunities or more, or with one
    role while the person has a job (the role against staying); with fewer, a short request
    ("compare them") still is one - its reply says what is missing - while a longer message
    that uses the words is read as what it says ("stay or go? the offer is 10k more ...")."""
    words = advisor.rulebase.words
    spans = first_span(text, words.compare_words)
    if spans is None:
        if not words.asks_which_is_better or not says(words.asks_which_is_better, text):
            return False
    elif text[:spans[0]].lower().split()[-1:] in (["by"], ["in"]):
        return False    # "dead organised by comparison"
    return len(compared(state)) >= 2 or against_staying(state) or \
        word_count(text) <= COMPARE_ALONE_WORDS


def against_staying(state: State) -> bool:
    """One role and a job now: a comparison is the role against staying where they are."""
    return len(others(state)) == 1 and record(state, CURRENT_JOB) is None and \
        (state.facts.get("employed") or {}).get("value") is True


def compare_with_current_job(state: State) -> None:
    """Before comparing one role with staying: the current job as an opportunity of its own."""
    if against_staying(state):
        new_record(state, "current job", "current")


def derived_facts(advisor: Advisor, state: State) -> Dict[str, Any]:
    """The rule base's ``derived`` facts for the active opportunity, worked out from the other
    roles: another offer, another process still open, an internal and an external process at
    once. Empty with fewer than two roles (so a conversation about one is unchanged)."""
    roles = others(state)
    if len(roles) < 2:
        return {}
    stash(advisor, state)
    rest = [e for e in roles if e.get("id") != state.active]

    def value(entry: Mapping[str, Any], fact_id: str) -> Any:
        return ((entry.get("facts") or {}).get(fact_id) or {}).get("value")

    def internal(entry: Mapping[str, Any]) -> bool:
        return entry.get("kind") == "internal" or value(entry, "interview_type") == "internal"

    open_stages = (None, "upcoming", "done")
    found = {
        "other_offer": any(value(e, "stage") == "offer" for e in rest),
        "other_process_open": any(value(e, "stage") in open_stages and
                                  value(e, "interest") != "not_interested" for e in rest),
        "internal_and_external": any(internal(e) for e in roles) and
        any(not internal(e) for e in roles),
    }
    facts = advisor.rulebase.facts
    return {k: v for k, v in found.items() if k in facts and facts[k].scope == "derived"}


def note_current_job_named(state: State, mentions: Sequence[Mention],
                           advisor: Optional[Advisor] = None, text: str = "") -> List[Mention]:
    """"My current job": the current job becomes an opportunity (compared with the others) -
    without switching to it: what is said about it are facts about the current job, which every
    opportunity sees. The clauses about it (with ``advisor`` and ``text``) are its own words,
    kept for the comparison and not counted for the role being discussed ("my current job is
    ok but there's no growth"). Returns the other mentions."""
    if any(m.kind == "current" for m in mentions):
        entry = record(state, CURRENT_JOB) or new_record(state, "current job", "current")
        entry["named"] = True
        number = int(state.last_turn.get("turn", 0) or 0) + 1
        spans = current_job_spans(advisor, text, mentions) if advisor is not None else []
        entry["spans"] = {"turn": number, "spans": [list(s) for s in spans]}
        remember_words(state, CURRENT_JOB, masked(text, spans), number)
    return [m for m in mentions if m.kind != "current"]


def current_job_spans(advisor: Advisor, text: str,
                      mentions: Sequence[Mention]) -> List[Tuple[int, int]]:
    """The clauses of a message about the current job: from a clause that names it (and no
    other opportunity) up to the next clause that names another one; the clauses before the
    first name too when the current job is named first."""
    spans: List[Tuple[int, int]] = []
    lead: List[Tuple[int, int]] = []
    about: Optional[bool] = None
    for start, end in clauses(advisor, text):
        kinds = {m.kind == "current" for m in mentions if start <= m.start < end}
        if kinds:
            about = kinds == {True}
            if about and not spans:
                spans += lead
        if about is None:
            lead.append((start, end))
        elif about:
            spans.append((start, end))
    return spans


def turn_about_current_job(advisor: Advisor, state: State, turn: Mapping[str, Any]) -> bool:
    """This message was about the person's current job, tracked next to another role: it named
    the current job or told facts about it, and named no role and brought no red flag and no
    fact about one."""
    entry = record(state, CURRENT_JOB)
    if entry is None or not others(state) or turn.get("mentioned") or turn.get("flag_hits"):
        return False
    new = turn.get("new_facts") or {}
    if any(scope_of(advisor, f) == "opportunity" for f in new):
        return False
    named = (entry.get("spans") or {}).get("turn") == turn.get("turn")
    return named or any(scope_of(advisor, f) == "current_job" for f in new)


def question_fits(advisor: Advisor, state: State, turn: Mapping[str, Any], fact_id: str) -> bool:
    """Whether the bot may ask about ``fact_id`` after this message: not a question about "this
    role" right after the person talked about their current job (which is not that role) or
    about what matters to them (which is about no role)."""
    return not (scope_of(advisor, fact_id) == "opportunity" and
                (turn_about_current_job(advisor, state, turn) or bool(turn.get("priorities"))))
