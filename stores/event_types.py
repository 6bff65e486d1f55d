"""Looking up Rasa's event classes by name in constant time (Rasa Open Source 3.6).

Every event Rasa reads - from the conversation store, from the action server's answer, from
the HTTP API - goes through ``Event.resolve_by_type(name)``, which walks the whole tree of
``Event`` subclasses (about forty classes, recursively) for each event. With a conversation of
a few hundred events that walk was about a tenth of the Rasa server's time per message
(measured with py-spy; see the README's performance section).

:func:`install` puts a memo in front of it: a name found once maps to the same class ever
after. Anything not in the memo (an unknown name, ``topic``, a default) goes to Rasa's own
function, so errors and defaults are Rasa's, and a class defined later is still found.
"""

from __future__ import annotations

import logging
from typing import Dict, Optional, Type

from rasa.shared.core.events import Event

logger = logging.getLogger(__name__)

_INSTALLED = "_interview_advisor_memo"


def install() -> None:
    """Memoise ``Event.resolve_by_type`` (idempotent)."""
    if getattr(Event, _INSTALLED, False):
        return
    resolve = Event.resolve_by_type
    found: Dict[str, Type[Event]] = {}

    def resolve_by_type(type_name: str, default: Optional[Type[Event]] = None
                        ) -> Optional[Type[Event]]:
        cls = found.get(type_name)
        if cls is not None:
            return cls
        cls = resolve(type_name, default)
        if cls is not None and cls is not default and cls.type_name == type_name:
            found[type_name] = cls
        return cls

    Event.resolve_by_type = staticmethod(resolve_by_type)
    setattr(Event, _INSTALLED, True)
    logger.debug("Event.resolve_by_type memoised (stores.event_types)")
