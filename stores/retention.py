"""Pruning old conversations and deleting one conversation, in the tracker store's database.

Works on the table Rasa's SQL tracker store writes (``events``: one row per event, with
``sender_id`` and a Unix ``timestamp``), through SQLAlchemy Core only - the same code for the
default SQLite file and for PostgreSQL. No Rasa import: the security engineer's "delete my
data" and ``make prune`` use it without loading Rasa.

    python -m stores.retention prune [--days N] [--db-url URL] [--dry-run]
    python -m stores.retention delete SENDER_ID [--db-url URL]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from typing import List, Optional, Sequence

import sqlalchemy as sa

from . import config, schema
from .schema import EVENTS_TABLE

SECONDS_PER_DAY = 86_400.0


@dataclass
class PruneResult:
    cutoff: float                 # Unix time: conversations whose last event is older go
    conversations: List[str]      # sender ids deleted (or that would be, in a dry run)
    events: int                   # rows deleted (or that would be)
    kept: int                     # conversations left


def _engine(db_url: str) -> Optional[sa.engine.Engine]:
    """An engine, or None when there is nothing to act on (no SQLite file, no events table).
    A missing SQLite file is not created."""
    url = sa.engine.make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        from pathlib import Path

        if not Path(url.database).exists():
            return None
    engine = sa.create_engine(db_url)
    if not sa.inspect(engine).has_table(EVENTS_TABLE):
        engine.dispose()
        return None
    return engine


def prune(db_url: str, days: float, now: Optional[float] = None,
          dry_run: bool = False) -> PruneResult:
    """Delete every conversation whose latest event is more than ``days`` days old."""
    if not days > 0:
        raise ValueError(f"days must be positive, not {days!r}")
    cutoff = (time.time() if now is None else now) - days * SECONDS_PER_DAY
    engine = _engine(db_url)
    if engine is None:
        return PruneResult(cutoff, [], 0, 0)
    events = schema.events
    last_seen = (sa.select(events.c.sender_id)
                 .group_by(events.c.sender_id)
                 .having(sa.func.max(events.c.timestamp) < cutoff))
    try:
        with engine.begin() as conn:
            idle = sorted(row[0] for row in conn.execute(last_seen))
            count = conn.execute(sa.select(sa.func.count()).select_from(events)
                                 .where(events.c.sender_id.in_(last_seen))).scalar_one()
            if not dry_run and idle:
                schema.delete_conversations(conn, lambda column: column.in_(last_seen))
            kept = conn.execute(sa.select(sa.func.count(sa.distinct(events.c.sender_id)))
                                ).scalar_one()
    finally:
        engine.dispose()
    return PruneResult(cutoff, idle, int(count), int(kept))


def delete_conversation(db_url: str, sender_id: str) -> int:
    """Delete every event of one conversation; returns the number of events deleted (0 when
    there was no such conversation)."""
    engine = _engine(db_url)
    if engine is None:
        return 0
    try:
        with engine.begin() as conn:
            return schema.delete_conversations(conn, lambda column: column == sender_id)
    finally:
        engine.dispose()


def _redact(db_url: str) -> str:
    return sa.engine.make_url(db_url).render_as_string(hide_password=True)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stores.retention", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db-url", help="SQLAlchemy URL (default: TRACKER_DB_URL, else the "
                                         "SQLite file TRACKER_DB, else .rasa/conversations.db)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prune", help="delete conversations idle longer than the retention")
    p.add_argument("--days", type=float, help="default: RETENTION_DAYS, else 90")
    p.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
    d = sub.add_parser("delete", help="delete one conversation by sender id")
    d.add_argument("sender_id")
    args = parser.parse_args(argv)
    url = args.db_url or config.db_url()
    if args.command == "delete":
        n = delete_conversation(url, args.sender_id)
        print(f"deleted {n} event(s) of conversation {args.sender_id!r} from {_redact(url)}")
        return 0
    try:
        days = args.days if args.days is not None else config.retention_days()
        result = prune(url, days, dry_run=args.dry_run)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    verb = "would delete" if args.dry_run else "deleted"
    print(f"{_redact(url)}: {verb} {len(result.conversations)} conversation(s) idle for more "
          f"than {days:g} day(s) ({result.events} event(s)); {result.kept} conversation(s) "
          f"{'in the store' if args.dry_run else 'kept'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
