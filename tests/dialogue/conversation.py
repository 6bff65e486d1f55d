"""Holding a conversation with the dialogue core, as the actions do (no Rasa)."""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from interview_advisor import Advisor
from interview_advisor.dialogue import reading
from interview_advisor.dialogue.state import State, UserMessage


def talk(advisor: Advisor, *messages: Tuple[str, str],
         state: Optional[State] = None) -> Tuple[State, Dict[str, Any]]:
    """Each (text, intent) through reading.absorb; the state and the last turn."""
    state = state or State()
    turn: Dict[str, Any] = {}
    for number, (text, intent) in enumerate(messages):
        message_id = f"m{state.last_turn.get('turn', 0)}-{number}-{text[:20]}"
        state, turn, _ = reading.absorb(advisor, state, UserMessage(text, intent, [], message_id))
    return state, turn
