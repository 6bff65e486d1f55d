"""Reading a conversation back in constant time: the window of recent turns.

Rasa rebuilds a conversation from its events on every message: it reads them from the store,
replays them, sends them all to the action server and turns them into dialogue states for the
policies. Each of these costs grows with the length of the conversation, although nothing
in this bot looks further back than a few turns: the policies read the last five dialogue
states (MemoizationPolicy ``max_history: 5``; the rules are shorter), and everything the
advice needs is in the slots.

So the tracker store reads only a *window*: the events of the last turns, preceded by a
*snapshot* - one ``SlotSet`` per slot whose value differs from its initial value, taken just
before the window's first event. The rebuilt tracker has the same slot values, the same
active form (none: the window only moves when no form is active) and the same recent dialogue
states as the whole conversation would give, so the bot predicts and answers exactly as
before (a test replays long conversations both ways and compares every reply). Every event
is still stored, and Rasa's ``retrieve_full_tracker`` (HTTP API, exports) still reads them
all.

The window holds between :data:`KEEP_TURNS` and :data:`MAX_TURNS` user turns: when a saved
turn makes it longer, it moves forward to the last :data:`KEEP_TURNS` turns. A new session
(Rasa's ``session_expiration_time``) starts a window of its own, as Rasa would.
"""

from __future__ import annotations

from typing import Iterable, List, Optional, Sequence, Tuple

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

#: User turns the window always keeps: enough for the five dialogue states the policies read
#: (about two states per turn) and for a two-stage fallback's reverted turns.
KEEP_TURNS = 4
#: The window moves when it holds more user turns than this.
MAX_TURNS = 8


def last_session_start(events: Sequence[Event], first: int = 0) -> Optional[int]:
    """Index of the latest ``SessionStarted`` at or after ``first``, if any."""
    for index in range(len(events) - 1, first - 1, -1):
        if isinstance(events[index], SessionStarted):
            return index
    return None


def snapshot_before(sender_id: str, events: Sequence[Event], slots: Iterable[Slot],
                    timestamp: Optional[float] = None) -> Tuple[List[Event], bool]:
    """The ``SlotSet`` events that recreate the state after ``events``, and whether a form
    (an active loop) is running at that point."""
    tracker = DialogueStateTracker.from_events(sender_id, list(events), slots)
    snapshot: List[Event] = [
        SlotSet(slot.name, slot.value, timestamp=timestamp)
        for slot in tracker.slots.values() if slot.value != slot.initial_value
    ]
    return snapshot, tracker.active_loop_name is not None


def next_window(tracker: DialogueStateTracker, slots: Iterable[Slot], first: int,
                keep_turns: int = KEEP_TURNS, max_turns: int = MAX_TURNS
                ) -> Optional[Tuple[int, List[Event]]]:
    """Where the window should start after this turn, or None when it stays where it is.

    ``first`` is the index in ``tracker.events`` of the window's first stored event (the
    events before it are the current snapshot). Returns the index of the new first event - an
    ``action_listen`` right before a user message - and the snapshot to put before it. The
    window only moves while no form runs, before and after the cut."""
    if max_turns <= 0 or tracker.active_loop_name is not None:
        return None
    events = list(tracker.events)
    users = [i for i in range(first, len(events)) if isinstance(events[i], UserUttered)]
    if len(users) <= max_turns:
        return None
    start = users[-keep_turns] - 1
    listen = events[start]
    if not (isinstance(listen, ActionExecuted) and listen.action_name == ACTION_LISTEN_NAME):
        return None
    snapshot, form_running = snapshot_before(tracker.sender_id, events[:start], slots,
                                             listen.timestamp)
    if form_running:
        return None
    return start, snapshot
