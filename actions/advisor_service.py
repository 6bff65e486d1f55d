"""One :class:`~interview_advisor.Advisor` per action-server process.

Loading the rule base compiles every detection pattern (about a second), so it happens once, on
first use, not per request.  While the server runs, the rule files are checked for changes at
most every ``INTERVIEW_ADVISOR_RELOAD_SECONDS`` seconds (default 5; ``0`` turns checking off);
a changed rule base is loaded in the background of that request and swapped in only when it is
valid - a broken edit keeps the last good one and is logged.

This module imports neither rasa nor rasa_sdk.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Optional

from interview_advisor import Advisor

logger = logging.getLogger(__name__)

DEFAULT_RELOAD_SECONDS = 5.0

_lock = threading.Lock()
_advisor: Optional[Advisor] = None
_last_check = 0.0


def reload_interval() -> float:
    """Seconds between two checks of the rule files (0 or less: never check)."""
    raw = os.environ.get("INTERVIEW_ADVISOR_RELOAD_SECONDS", "")
    try:
        return float(raw) if raw.strip() else DEFAULT_RELOAD_SECONDS
    except ValueError:
        logger.warning("INTERVIEW_ADVISOR_RELOAD_SECONDS=%r is not a number; using %s",
                       raw, DEFAULT_RELOAD_SECONDS)
        return DEFAULT_RELOAD_SECONDS


def get_advisor() -> Advisor:
    """The process-wide advisor: loaded on first use, reloaded when the rule files change."""
    global _advisor, _last_check
    with _lock:
        now = time.monotonic()
        if _advisor is None:
            started = time.perf_counter()
            _advisor = Advisor()
            _last_check = now
            logger.info("rule base loaded in %.2fs from %s", time.perf_counter() - started,
                        _advisor.rules_dir)
            return _advisor
        interval = reload_interval()
        if interval > 0 and now - _last_check >= interval:
            _last_check = now
            try:
                issues = _advisor.reload_if_changed()
            except Exception:  # a half-written file must never take the bot down
                logger.exception("checking the rule base for changes failed; keeping it")
                issues = None
            if issues:
                logger.error("the changed rule base has %d problem(s); keeping the last good "
                             "one. First: %s", len(issues), issues[0])
            elif issues is not None:
                logger.info("rule base reloaded from %s", _advisor.rules_dir)
        return _advisor


def reset_advisor() -> None:
    """Forget the loaded advisor (tests; the next :func:`get_advisor` loads it again)."""
    global _advisor, _last_check
    with _lock:
        _advisor = None
        _last_check = 0.0
