"""Several opportunities: the records of the opportunities in the conversation state.

The conversation state keeps one *view* (``State.facts``, ``flags``, ``withdrawn``,
``last_advice``) of the *active* opportunity; the others are stored in ``State.opportunities``.
:func:`switch` stashes the view's opportunity facts into the active record and loads another.
Which facts are shared is the rule base's ``scope`` of each fact (person, current_job,
opportunity). This module imports neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any, Dict, List, Mapping, Optional

from interview_advisor import Advisor

from .state import CURRENT_JOB, State


def scope_of(advisor: Advisor, fact_id: str) -> str:
    fact = advisor.rulebase.facts.get(fact_id)
    return fact.scope if fact is not None else "opportunity"



def record(state: State, key: Optional[str]) -> Optional[Dict[str, Any]]:
    for entry in state.opportunities:
        if entry.get("id") == key:
            return entry
    return None


def label_of(entry: Mapping[str, Any]) -> str:
    """How a reply names an opportunity ("Globex", "the startup", "your current job")."""
    name = str(entry.get("name") or "")
    kind = entry.get("kind")
    if kind == "current":
        return "your current job"
    if kind in ("employer", "internal"):
        return f"the {name}"
    return name or "this role"


def others(state: State) -> List[Dict[str, Any]]:
    """The opportunities other than the current job, in the order they came up."""
    return [e for e in state.opportunities if e.get("kind") != "current"]


def compared(state: State) -> List[Dict[str, Any]]:
    """The opportunities a comparison or a summary of all covers: every role, then the
    current job when it is one."""
    current = record(state, CURRENT_JOB)
    return others(state) + ([current] if current is not None else [])


def is_multi(state: State) -> bool:
    """Two roles or more: replies say which one they are about. (The current job is compared
    with them, but a role and the current job alone are the conversation as it always was.)"""
    return len(others(state)) >= 2


def new_record(state: State, name: str, kind: str) -> Dict[str, Any]:
    if kind == "current":
        key = CURRENT_JOB
    else:
        key = f"o{1 + sum(1 for e in state.opportunities if e.get('id') != CURRENT_JOB)}"
    entry: Dict[str, Any] = {"id": key, "name": name, "kind": kind, "facts": {}, "flags": {},
                             "withdrawn": [], "last_advice": [], "said": []}
    state.opportunities.append(entry)
    return entry


def stash(advisor: Advisor, state: State) -> None:
    """Copy the view's opportunity facts, red flags and advice into the active record."""
    entry = record(state, state.active)
    if entry is None:
        return
    entry["facts"] = {k: copy.deepcopy(v) for k, v in state.facts.items()
                      if scope_of(advisor, k) == "opportunity"}
    entry["flags"] = copy.deepcopy(state.flags)
    entry["withdrawn"] = list(state.withdrawn)
    entry["last_advice"] = list(state.last_advice)


def load(advisor: Advisor, state: State, key: str) -> None:
    """Make ``key`` the active opportunity: its facts and flags replace the view's."""
    entry = record(state, key)
    if entry is None:
        return
    state.facts = {k: v for k, v in state.facts.items() if scope_of(advisor, k) != "opportunity"}
    state.facts.update(copy.deepcopy(entry.get("facts") or {}))
    state.flags = copy.deepcopy(entry.get("flags") or {})
    state.withdrawn = list(entry.get("withdrawn") or [])
    state.last_advice = list(entry.get("last_advice") or [])
    state.active = key


def switch(advisor: Advisor, state: State, key: str) -> bool:
    """Stash the active opportunity and load ``key``; True when the active one changed."""
    if key == state.active:
        return False
    stash(advisor, state)
    load(advisor, state, key)
    return True


def view_of(advisor: Advisor, state: State, key: str) -> State:
    """A copy of the state with ``key`` active (to assess or summarise another opportunity).

    The view is for reading: its own fields are copies, and so is each record (``stash`` and
    ``load`` replace a record's fields, never change them in place), but the records share
    their contents with ``state`` - copying every record's words for each of many
    opportunities made a comparison grow with the square of their number."""
    view = copy.deepcopy(replace(state, opportunities=[]))
    view.opportunities = [dict(entry) for entry in state.opportunities]
    stash(advisor, view)
    load(advisor, view, key)
    return view
