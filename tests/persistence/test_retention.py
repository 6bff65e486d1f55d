"""Retention and "delete my data" against a real SQLite tracker database written by Rasa's own
SQLTrackerStore (the table layout the Rasa server uses)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores import config, retention

ROOT = Path(__file__).resolve().parents[2]
DAY = 86_400.0
NOW = time.time()


def write_conversation(store: SQLTrackerStore, sender: str, last_seen_days_ago: float) -> int:
    """A conversation of a few turns whose last event is ``last_seen_days_ago`` days old."""
    end = NOW - last_seen_days_ago * DAY
    events = [SessionStarted(timestamp=end - 3600)]
    for i, text in enumerate(("hi", "the recruiter was vague", "summary")):
        at = end - 60 * (3 - i)
        events += [UserUttered(text, {"name": "greet"}, timestamp=at),
                   ActionExecuted("action_listen", timestamp=at + 1)]
    events[-1].timestamp = end
    tracker = DialogueStateTracker.from_events(sender, events)
    import asyncio

    asyncio.run(store.save(tracker))
    return len(events)


@pytest.fixture
def db(tmp_path: Path) -> Dict[str, object]:
    path = tmp_path / "conversations.db"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
    counts = {sender: write_conversation(store, sender, days) for sender, days in
              (("old-1", 200), ("old-2", 91), ("recent", 89), ("today", 0))}
    store.engine.dispose()
    return {"url": config.sqlite_url(path), "path": path, "counts": counts}


def senders(path: Path) -> Dict[str, int]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id"))


def test_prune_deletes_only_conversations_idle_longer_than_the_retention(db) -> None:
    result = retention.prune(str(db["url"]), days=90, now=NOW)
    assert result.conversations == ["old-1", "old-2"]
    counts: Dict[str, int] = db["counts"]  # type: ignore[assignment]
    assert result.events == counts["old-1"] + counts["old-2"] and result.kept == 2
    assert senders(db["path"]) == {"recent": counts["recent"], "today": counts["today"]}
    # the kept conversations still load in Rasa's store, whole
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db["path"]))
    import asyncio

    tracker = asyncio.run(store.retrieve("recent"))
    assert tracker is not None and [e.text for e in tracker.events
                                     if isinstance(e, UserUttered)] == \
        ["hi", "the recruiter was vague", "summary"]
    # running it again finds nothing more
    assert retention.prune(str(db["url"]), days=90, now=NOW).conversations == []


def test_a_dry_run_deletes_nothing(db) -> None:
    before = senders(db["path"])
    result = retention.prune(str(db["url"]), days=30, now=NOW, dry_run=True)
    assert result.conversations == ["old-1", "old-2", "recent"]
    assert senders(db["path"]) == before


def test_delete_conversation_removes_one_sender_only(db) -> None:
    counts: Dict[str, int] = db["counts"]  # type: ignore[assignment]
    assert retention.delete_conversation(str(db["url"]), "recent") == counts["recent"]
    assert "recent" not in senders(db["path"]) and len(senders(db["path"])) == 3
    assert retention.delete_conversation(str(db["url"]), "recent") == 0
    assert retention.delete_conversation(str(db["url"]), "nobody") == 0


def test_a_missing_database_is_not_created(tmp_path: Path) -> None:
    url = config.sqlite_url(tmp_path / "none" / "conversations.db")
    assert retention.prune(url, days=90).conversations == []
    assert retention.delete_conversation(url, "x") == 0
    assert not (tmp_path / "none").exists()


def test_settings_come_from_the_environment(tmp_path: Path) -> None:
    assert config.retention_days({}) == 90
    assert config.retention_days({"RETENTION_DAYS": "30"}) == 30
    for bad in ("0", "-3", "soon"):
        with pytest.raises(ValueError):
            config.retention_days({"RETENTION_DAYS": bad})
    assert config.db_url({}, base=tmp_path) == f"sqlite:///{tmp_path}/.rasa/conversations.db"
    assert config.db_url({"TRACKER_DB": "/x/y.db"}) == "sqlite:////x/y.db"
    assert config.db_url({"TRACKER_DB": "y.db", "TRACKER_DB_URL": "postgresql://h/db"}) == \
        "postgresql://h/db"


def run_cli(args: List[str], env: Dict[str, str]) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "stores.retention", *args], cwd=ROOT,
                          env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=120)


def test_the_prune_command_reads_tracker_db_and_retention_days(db) -> None:
    env = {"TRACKER_DB": str(db["path"]), "RETENTION_DAYS": "100"}
    done = run_cli(["prune"], env)
    assert done.returncode == 0, done.stderr
    assert "deleted 1 conversation(s) idle for more than 100 day(s)" in done.stdout
    assert sorted(senders(db["path"])) == ["old-2", "recent", "today"]
    done = run_cli(["prune"], {**env, "RETENTION_DAYS": "never"})
    assert done.returncode == 2 and "RETENTION_DAYS" in done.stderr
    done = run_cli(["delete", "today"], env)
    assert done.returncode == 0 and "deleted" in done.stdout
    assert sorted(senders(db["path"])) == ["old-2", "recent"]


@pytest.mark.parametrize("module", ["stores.config", "stores.retention", "stores.faults",
                                    "actions.advisor_service"])
def test_modules_that_need_no_rasa_do_not_import_it(module: str) -> None:
    code = (f"import sys, {module}; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('rasa', 'rasa_sdk')); "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
