"""One :class:`~interview_advisor.Advisor` per action-server process, reloaded in the background.

Loading the rule base compiles every detection pattern (a second on an idle machine, several
on a busy one), so it happens once per process: :func:`preload` starts it in the background
when the action server imports the actions, and the first request waits only for what is left.
After that a background thread ("rule-base-reloader") checks the rule files every
``INTERVIEW_ADVISOR_RELOAD_SECONDS`` seconds (default 5; ``0`` turns checking off). A changed
rule base is compiled in that thread and swapped in only when it is valid; a broken edit keeps
the last good one and logs every problem with its file and line (once per broken version, not
at every check), and the next valid edit is picked up without a restart.

Requests never wait for a reload: :func:`get_advisor` takes no lock once the rule base is
loaded; the reloader replaces the rule base with one assignment.

This module imports neither rasa nor rasa_sdk.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import List, Optional

from interview_advisor import Advisor
from interview_advisor.errors import RuleIssue
from interview_advisor.rulebase import fingerprint

logger = logging.getLogger(__name__)

DEFAULT_RELOAD_SECONDS = 5.0

_load_lock = threading.Lock()     # the first load, and starting/stopping the reloader
_reload_lock = threading.Lock()   # one reload at a time (the reloader, or check_now())
_advisor: Optional[Advisor] = None
_reloader: Optional[threading.Thread] = None
_stop = threading.Event()
_rejected: Optional[str] = None   # fingerprint of the broken rule base already reported


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
    """The process-wide advisor: loaded on first use; never waits for a reload."""
    advisor = _advisor
    if advisor is not None:
        return advisor
    with _load_lock:
        if _advisor is None:
            _load()
        assert _advisor is not None
        return _advisor


def preload() -> threading.Thread:
    """Start loading the rule base in a background thread (the action server calls this when
    it imports the actions, so the first request does not pay for compiling the patterns)."""
    thread = threading.Thread(target=_preload, name="rule-base-preload", daemon=True)
    thread.start()
    return thread


def _preload() -> None:
    try:
        get_advisor()
    except Exception:  # the first request will raise it again, with its own traceback
        logger.exception("loading the rule base failed")


def _load() -> None:
    global _advisor, _reloader
    started = time.perf_counter()
    _advisor = Advisor()
    logger.info("rule base loaded in %.2fs from %s", time.perf_counter() - started,
                _advisor.rules_dir)
    interval = reload_interval()
    if interval > 0:
        _stop.clear()
        _reloader = threading.Thread(target=_watch, args=(interval,),
                                     name="rule-base-reloader", daemon=True)
        _reloader.start()


def _watch(interval: float) -> None:
    while not _stop.wait(interval):
        check_now()


def check_now() -> Optional[List[RuleIssue]]:
    """Reload the rule base if its files changed (what the reloader does at every check).

    Returns None when nothing changed (or this broken version was already reported), [] after
    a successful reload, and the problems of a broken rule base, which is not used."""
    global _rejected
    advisor = _advisor
    if advisor is None:
        return None
    with _reload_lock:
        try:
            current = fingerprint(advisor.rules_dir)
            if current == _rejected:
                return None
            issues = advisor.reload_if_changed()
        except Exception:  # a half-written file must never take the bot down
            logger.exception("checking the rule base for changes failed; keeping it")
            return None
        if issues:
            _rejected = current
            logger.error("the changed rule base in %s has %d problem(s); keeping the last good "
                         "one until the next valid edit:", advisor.rules_dir, len(issues))
            for issue in issues:
                logger.error("  %s", issue)
        elif issues is not None:
            _rejected = None
            logger.info("rule base reloaded from %s", advisor.rules_dir)
        return issues


def reset_advisor() -> None:
    """Stop the reloader and forget the advisor (tests; the next :func:`get_advisor` loads
    it again)."""
    global _advisor, _reloader, _rejected
    with _load_lock:
        _stop.set()
        if _reloader is not None:
            _reloader.join(timeout=30)
        _advisor, _reloader, _rejected = None, None, None
