"""One feedback store per action-server process (``interview_advisor.feedback``).

Recording feedback must never cost the person their reply: a failure is logged with its
cause and the conversation goes on. This module imports neither rasa nor rasa_sdk.
"""

from __future__ import annotations

import logging
import threading
from typing import Optional, Sequence

from interview_advisor.feedback import FeedbackStore

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_store: Optional[FeedbackStore] = None


def get_store() -> FeedbackStore:
    global _store
    with _lock:
        if _store is None:
            _store = FeedbackStore()
        return _store


def reset_store() -> None:
    """Forget the store (tests: the next call opens ``FEEDBACK_DB`` again)."""
    global _store
    with _lock:
        _store = None


def record_shown(conversation_id: str, channel: str, rule_ids: Sequence[str]) -> None:
    try:
        get_store().record_shown(conversation_id, channel, list(rule_ids))
    except Exception:  # noqa: BLE001 - feedback is never worth a lost reply
        logger.exception("could not record which advice was shown")


def record_rating(conversation_id: str, channel: str, rule_ids: Sequence[str],
                  helpful: bool) -> None:
    try:
        get_store().record(conversation_id, channel, list(rule_ids), helpful)
    except Exception:  # noqa: BLE001
        logger.exception("could not record a rating")


def forget_ratings(conversation_id: str) -> None:
    """"Delete my data": every rating and showing recorded for this conversation."""
    try:
        get_store().delete_conversation(conversation_id)
    except Exception:  # noqa: BLE001
        logger.exception("could not delete the ratings of a conversation")
