"""One feedback store per action-server process (``interview_advisor.feedback``).

Recording feedback must never cost the person their reply: a failure is logged with its
cause and the conversation goes on. Nor may it hold up other conversations: the writes go to
one writer thread, in the order they were made, and the action server's event loop does not
wait for the database. "Delete my data" waits for every earlier write and for the deletion
itself before the bot says it is done. This module imports neither rasa nor rasa_sdk.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Optional, Sequence

from interview_advisor.feedback import FeedbackStore

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_store: Optional[FeedbackStore] = None
#: One thread: writes happen one at a time, in order (joined when the process exits).
_writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feedback-writer")


def get_store() -> FeedbackStore:
    global _store
    with _lock:
        if _store is None:
            _store = FeedbackStore()
        return _store


def reset_store() -> None:
    """Finish the pending writes, then forget the store (tests: the next call opens
    ``FEEDBACK_DB`` again)."""
    global _store
    flush()
    with _lock:
        _store = None


def _write(what: str, work: Callable[[FeedbackStore], Any]) -> Future[None]:
    """Run ``work`` on the store in the writer thread; a failure is logged, never raised."""
    def run() -> None:
        try:
            work(get_store())
        except Exception:  # noqa: BLE001 - feedback is never worth a lost reply
            logger.exception("could not %s", what)

    return _writer.submit(run)


def record_shown(conversation_id: str, channel: str, rule_ids: Sequence[str]) -> None:
    rules = list(rule_ids)
    _write("record which advice was shown",
           lambda store: store.record_shown(conversation_id, channel, rules))


def record_rating(conversation_id: str, channel: str, rule_ids: Sequence[str],
                  helpful: bool) -> None:
    rules = list(rule_ids)
    _write("record a rating", lambda store: store.record(conversation_id, channel, rules,
                                                         helpful))


def forget_ratings(conversation_id: str) -> None:
    """"Delete my data": every rating and showing recorded for this conversation (returns
    once they are deleted, after every write made before)."""
    _write("delete the ratings of a conversation",
           lambda store: store.delete_conversation(conversation_id)).result()


def flush() -> None:
    """Wait until every write made so far is done."""
    _writer.submit(lambda: None).result()
