"""Several opportunities: "i mixed them up, that was Brindle not Caskwell".

The red flags and facts the last message brought to one opportunity move to the one the person
now says it was about. This module imports neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Optional, Sequence, Tuple

from interview_advisor import Advisor

from .opportunity_mentions import Mention
from .opportunity_records import load, record, scope_of, stash
from .state import State

#: words that say the last message was put under the wrong name ("i mixed them up", "that was
#: X not Y", "i meant X", "wrong company")
_MIXED_UP = re.compile(
    r"(?<![a-z])(?:mixed\s+(?:them|it|those|the\s+two|the\s+names|up)|muddled|mix\s*up|"
    r"got\s+(?:them|it|those)\s+(?:mixed|confused)|confused\s+(?:them|the\s+two)|i\s+meant|"
    r"wrong\s+(?:one|company|place|name)|(?:that|this|it)\s+(?:was|were|is)\s+\S+(?:\s+\S+)?"
    r"\s*,?\s+not)(?![a-z])", re.IGNORECASE)


def reattribute(advisor: Advisor, state: State, text: str, mentions: Sequence[Mention],
                keys: Sequence[str]) -> Optional[Tuple[str, str, int]]:
    """When the message says the last one was about another opportunity, move what the last
    message brought (red flags and facts with its turn number) from the opportunity it went to
    onto the one now named. Returns the ids it moved to and from, and where the sentence that
    says so ends (what follows is news to read as usual), or None."""
    last = state.last_turn
    source = last.get("opportunity")
    if not _MIXED_UP.search(text) or source is None or not last.get("turn"):
        return None
    named = next(((m, k) for m, k in zip(mentions, keys) if k != source and
                  not re.search(r"\bnot\s*$", text[:m.start].lower())), None)
    if named is None:
        return None
    target = named[1]
    if record(state, target) is None or record(state, source) is None:
        return None
    active = state.active
    stash(advisor, state)
    _move(advisor, record(state, source), record(state, target), int(last["turn"]))
    if active is not None:
        load(advisor, state, active)
    stop = re.compile(r"[.;!?\n]").search(text, named[0].end)
    return target, str(source), stop.end() if stop else len(text)


def _move(advisor: Advisor, source: Any, target: Any, turn: int) -> None:
    flags: Dict[str, Any] = {}
    for signal, evidence in (source.get("flags") or {}).items():
        moved = [e for e in evidence if int(e.get("turn") or 0) == turn]
        kept = [e for e in evidence if int(e.get("turn") or 0) != turn]
        if moved:
            target_flags = dict(target.get("flags") or {})
            target_flags[signal] = list(target_flags.get(signal) or []) + moved
            target["flags"] = target_flags
        if kept:
            flags[signal] = kept
    source["flags"] = flags
    facts = dict(source.get("facts") or {})
    for fact_id, entry in list(facts.items()):
        if scope_of(advisor, fact_id) == "opportunity" and int(entry.get("turn") or 0) == turn:
            target["facts"] = {**(target.get("facts") or {}), fact_id: facts.pop(fact_id)}
    source["facts"] = facts
    said = list(source.get("said") or [])
    told = [s for s in said if int(s.get("turn") or 0) == turn]
    source["said"] = [s for s in said if int(s.get("turn") or 0) != turn]
    target["said"] = list(target.get("said") or []) + told
