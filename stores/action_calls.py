"""Lighter calls to the action server (Rasa Open Source 3.6), with nothing changed in what an
action sees or what Rasa accepts. Measured with py-spy on the Rasa server; see the README's
performance section.

1. **What Rasa sends.** Every call carries the whole tracker the Rasa server holds - every
   event of it, each with the message's full parse, the bot's messages and every slot value
   ever set. Our actions read the slots (sent in full, as their current values), the latest
   message and, for a fallback's clarified message or a form's validation, the events of the
   last few turns - never older ones. With ``keep_turns`` set, the call carries the events
   from the ``action_listen`` before the ``keep_turns``-th last user message on, so its size
   stays the same however long the conversation is. The slots, the latest message, the active
   form and the latest action are sent as before.

2. **How Rasa checks the answer.** Rasa checks every answer with
   ``jsonschema.validate(answer, schema)``, which first checks *the schema itself* against
   the meta-schema and builds a new validator - on every call: a fifth of the Rasa server's
   time per message. One validator built once from the same schema gives the same verdict;
   a failing answer goes to Rasa's own check, which raises its usual error.

:func:`install` is idempotent; the tracker store calls it (``window_turns: 0`` in
endpoints.yml sends whole trackers, as Rasa does).
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.constants import ACTION_LISTEN_NAME

logger = logging.getLogger(__name__)

_INSTALLED = "_interview_advisor_action_calls"

#: User turns whose events go with each call (None: every event, as Rasa sends them).
keep_turns: Optional[int] = None


def recent_events(events: List[Dict[str, Any]], turns: int) -> List[Dict[str, Any]]:
    """The events from the ``action_listen`` before the ``turns``-th last user message on
    (all of them when there are fewer user messages)."""
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    if len(users) <= turns:
        return events
    start = users[-turns]
    before = events[start - 1] if start > 0 else {}
    if before.get("event") == "action" and before.get("name") == ACTION_LISTEN_NAME:
        start -= 1
    return events[start:]


def install(turns: Optional[int]) -> None:
    """Send the events of the last ``turns`` user turns (None: all) and check answers with a
    compiled schema."""
    global keep_turns
    keep_turns = turns
    if getattr(RemoteAction, _INSTALLED, False):
        return
    call_format = RemoteAction._action_call_format
    check = RemoteAction._validate_action_result
    schema = RemoteAction.action_response_format_spec()
    validator = validator_for(schema)(schema)

    def _action_call_format(self: RemoteAction, tracker: Any, domain: Any) -> Dict[str, Any]:
        body = call_format(self, tracker, domain)
        state = body.get("tracker") or {}
        if keep_turns is not None and isinstance(state.get("events"), list):
            state["events"] = recent_events(state["events"], keep_turns)
        return body

    def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        try:
            validator.validate(result)
        except ValidationError:
            return bool(check(self, result))   # raises Rasa's own error, message and all
        return True

    RemoteAction._action_call_format = _action_call_format
    RemoteAction._validate_action_result = _validate_action_result
    setattr(RemoteAction, _INSTALLED, True)
    logger.debug("Action calls carry the last turns' events and answers are checked by a "
                 "compiled schema (stores.action_calls)")
