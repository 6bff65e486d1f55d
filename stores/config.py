"""Which database holds the conversations, and how long they are kept. No Rasa import.

``TRACKER_DB_URL``  a full SQLAlchemy URL (``postgresql://...``); wins when set.
``TRACKER_DB``      the SQLite file, default ``.rasa/conversations.db``; a relative path is
                    relative to the project folder (where the Rasa server runs).
``RETENTION_DAYS``  conversations idle longer than this many days are deleted by
                    ``make prune`` (default 90).
``LOCK_STORE_URL``  ``redis://host:port/db``: the conversation locks are kept in Redis, so
                    several Rasa servers can share the conversations (the scale-out profile,
                    with ``TRACKER_DB_URL=postgresql://...``); unset: in the Rasa server's
                    memory (one server). See :mod:`stores.lock_store`.

The Rasa server's tracker store (:mod:`stores.tracker_store`) and the prune command read the
same variables, so they always agree on the database. This module is the one place the
profile (default or scale-out) is chosen; docs/persistence.md describes both.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, Optional

DEFAULT_DB = ".rasa/conversations.db"
DEFAULT_RETENTION_DAYS = 90.0

PROJECT_DIR = Path(__file__).resolve().parents[1]


def sqlite_path(env: Optional[Mapping[str, str]] = None,
                base: Optional[Path] = None) -> Path:
    """The SQLite file named by ``TRACKER_DB`` (relative paths: under ``base``, the project)."""
    env = os.environ if env is None else env
    path = Path(env.get("TRACKER_DB") or DEFAULT_DB).expanduser()
    return path if path.is_absolute() else (base or PROJECT_DIR) / path


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def db_url(env: Optional[Mapping[str, str]] = None, base: Optional[Path] = None) -> str:
    """The SQLAlchemy URL of the conversation database."""
    env = os.environ if env is None else env
    url = (env.get("TRACKER_DB_URL") or "").strip()
    return url or sqlite_url(sqlite_path(env, base))


REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def lock_store_url(env: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """``LOCK_STORE_URL`` (a Redis URL), or None for the in-memory lock store of one server.
    Raises ValueError for anything that is not a Redis URL, so that a typo stops the server at
    start-up instead of silently giving each server its own locks."""
    env = os.environ if env is None else env
    url = (env.get("LOCK_STORE_URL") or "").strip()
    if not url:
        return None
    if not url.startswith(REDIS_SCHEMES):
        raise ValueError(f"LOCK_STORE_URL must be a Redis URL (redis://host:port/db), "
                         f"not {url!r}")
    return url


def retention_days(env: Optional[Mapping[str, str]] = None) -> float:
    """``RETENTION_DAYS`` (default 90); raises ValueError when it is not a positive number."""
    env = os.environ if env is None else env
    raw = (env.get("RETENTION_DAYS") or "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    try:
        days = float(raw)
    except ValueError:
        days = 0.0
    if not days > 0:
        raise ValueError(f"RETENTION_DAYS must be a positive number of days, not {raw!r}")
    return days
