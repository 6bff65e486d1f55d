"""Slack plumbing that needs no Rasa: request signatures, event parsing, conversation ids, the
store of handled events, and the settings read from the environment.

The Rasa adapter (``channels/slack.py``) stays thin and calls these. Nothing here imports Rasa.

Conversations (Rasa sender ids):

- a direct message: one conversation per person (``slack_<team>_<user>``);
- a channel thread (when the person chose to be answered in the thread): one conversation per
  thread *and person* (``slack_<team>_<channel>_<thread ts>_<user>``), so two colleagues in the
  same thread never share what the bot knows about their situation.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import os
import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

#: how far a request's timestamp may be from our clock (Slack's own recommendation)
MAX_SKEW_SECONDS = 5 * 60

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_EVENTS_DB = ".rasa/slack-events.sqlite3"

ENV_TOKEN = "SLACK_BOT_TOKEN"
ENV_SECRET = "SLACK_SIGNING_SECRET"
ENV_API_URL = "SLACK_API_URL"
ENV_EVENTS_DB = "SLACK_EVENTS_DB"


# --------------------------------------------------------------------------------------------
# settings
# --------------------------------------------------------------------------------------------

_PLACEHOLDER_WORDS = ("changeme", "change-me", "change_me", "your-", "your_", "yourtoken",
                      "placeholder", "replace", "example", "xxxx", "todo", "secret-here",
                      "token-here", "<", "...")


def is_placeholder(value: Optional[str]) -> bool:
    """True for an empty or obviously made-up credential (``changeme``, ``xoxb-your-token``)."""
    if value is None:
        return True
    v = value.strip().lower()
    if not v or v in ("xoxb-", "none", "null", "secret", "token", "test"):
        return True
    return any(word in v for word in _PLACEHOLDER_WORDS)


class SlackConfigError(ValueError):
    """The Slack credentials are missing, placeholders or malformed."""


def check_credentials(token: Optional[str], secret: Optional[str]) -> None:
    """Raise SlackConfigError naming the problem; never repeats a secret in the message."""
    problems = []
    if not token or not token.strip():
        problems.append(f"the bot token ({ENV_TOKEN}) is empty")
    elif is_placeholder(token):
        problems.append(f"the bot token ({ENV_TOKEN}) looks like a placeholder")
    elif not token.startswith("xoxb-"):
        problems.append(f"the bot token ({ENV_TOKEN}) must be a bot token starting with xoxb- "
                        "(Slack: OAuth & Permissions > Bot User OAuth Token)")
    if not secret or not secret.strip():
        problems.append(f"the signing secret ({ENV_SECRET}) is empty")
    elif is_placeholder(secret):
        problems.append(f"the signing secret ({ENV_SECRET}) looks like a placeholder")
    elif len(secret.strip()) < 16:
        problems.append(f"the signing secret ({ENV_SECRET}) is too short "
                        "(Slack: Basic Information > App Credentials > Signing Secret)")
    if problems:
        raise SlackConfigError("Slack is not configured: " + "; ".join(problems) + ".")


def slack_enabled(env: Mapping[str, str]) -> bool:
    """Both Slack variables are set (non-empty); they are checked when the channel starts."""
    return bool(env.get(ENV_TOKEN, "").strip()) and bool(env.get(ENV_SECRET, "").strip())


def api_url(env: Mapping[str, str], configured: Optional[str] = None) -> str:
    """The Web API base address: credentials value, else $SLACK_API_URL, else Slack's; ends
    with a slash."""
    url = (configured or env.get(ENV_API_URL) or DEFAULT_API_URL).strip()
    return url if url.endswith("/") else url + "/"


def events_db_path(env: Mapping[str, str], configured: Optional[str] = None) -> Path:
    return Path(configured or env.get(ENV_EVENTS_DB) or DEFAULT_EVENTS_DB)


#: the entry ``scripts/credentials.py`` adds when both variables are set. The values stay
#: ``${...}``: Rasa expands them when it reads the file, so no secret is ever written to disk.
SLACK_CREDENTIALS: Dict[str, Any] = {
    "channels.slack.SlackChannel": {
        "slack_token": "${" + ENV_TOKEN + "}",
        "slack_signing_secret": "${" + ENV_SECRET + "}",
    }
}


def effective_credentials(base: Dict[str, Any], env: Mapping[str, str]) -> Dict[str, Any]:
    """``base`` (the project's credentials.yml) plus the Slack channel when both variables are
    set; without it otherwise. Raises SlackConfigError for placeholder values."""
    out = {k: v for k, v in base.items() if k not in SLACK_CREDENTIALS and k != "slack"}
    if slack_enabled(env):
        check_credentials(env.get(ENV_TOKEN), env.get(ENV_SECRET))
        out.update(SLACK_CREDENTIALS)
    return out


# --------------------------------------------------------------------------------------------
# request signatures
# --------------------------------------------------------------------------------------------

@dataclass
class Verdict:
    ok: bool
    status: int = 200     # HTTP status to refuse with (400 malformed/missing, 401 not authentic)
    reason: str = ""


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's v0 signature of a request body."""
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    return "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()


def verify_request(secret: str, timestamp: Optional[str], signature: Optional[str],
                   body: bytes, now: Optional[float] = None) -> Verdict:
    """Check ``X-Slack-Request-Timestamp`` / ``X-Slack-Signature`` against the raw body.

    Missing or malformed headers: 400. A timestamp more than five minutes away from our clock
    (a replay) or a wrong signature: 401."""
    if not timestamp or not signature:
        missing = [name for name, value in (("X-Slack-Request-Timestamp", timestamp),
                                            ("X-Slack-Signature", signature)) if not value]
        return Verdict(False, 400, "missing " + " and ".join(missing))
    if not timestamp.isdigit():
        return Verdict(False, 400, "malformed X-Slack-Request-Timestamp")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > MAX_SKEW_SECONDS:
        return Verdict(False, 401, "stale timestamp (more than 5 minutes from our clock)")
    if not hmac.compare_digest(sign(secret, timestamp, body), signature):
        return Verdict(False, 401, "bad signature")
    return Verdict(True)


def media_type(content_type: Optional[str]) -> str:
    """``application/json; charset=utf-8`` -> ``application/json``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


# --------------------------------------------------------------------------------------------
# events
# --------------------------------------------------------------------------------------------

_ID = re.compile(r"^[A-Z0-9]+$")
_TS = re.compile(r"^[0-9]+\.[0-9]+$")


def safe_id(value: Any) -> str:
    """A Slack id (team, channel, user) as it may appear in our ids and markup; else ''."""
    s = str(value or "")
    return s if _ID.match(s) else ""


def safe_ts(value: Any) -> str:
    s = str(value or "")
    return s if _TS.match(s) else ""


@dataclass
class Incoming:
    """A person's message the bot should answer."""
    kind: str                # "dm" or "mention"
    event_id: str
    team: str
    user: str
    channel: str
    ts: str
    thread_ts: Optional[str]  # the thread it was written in, if any
    text: str                 # plain text for the bot (bot mention removed, entities decoded)

    @property
    def thread_root(self) -> str:
        """The thread a mention is answered in: its own thread, else a new one under it."""
        return self.thread_ts or self.ts


def bot_user_ids(body: Mapping[str, Any]) -> Tuple[str, ...]:
    ids = [a.get("user_id") for a in body.get("authorizations") or [] if isinstance(a, dict)]
    ids += list(body.get("authed_users") or [])
    return tuple(i for i in (safe_id(x) for x in ids) if i)


def plain_text(text: str, bot_ids: Tuple[str, ...] = ()) -> str:
    """Slack's message text as the person wrote it: mentions of the bot removed, ``&lt;`` etc.
    decoded. Other ``<...>`` markup stays as literal text (it is escaped again whenever the bot
    quotes it back, so it can never ping or link)."""
    for uid in bot_ids:
        text = re.sub(rf"\s*<@{re.escape(uid)}(\|[^>]*)?>\s*", " ", text)
    return html.unescape(text).strip()


def parse_event(body: Mapping[str, Any]) -> Optional[Incoming]:
    """The person's message in an ``event_callback``, or None for anything the bot ignores
    (its own messages, edits, joins, messages in channels without a mention)."""
    if body.get("type") != "event_callback":
        return None
    event = body.get("event")
    if not isinstance(event, dict):
        return None
    etype = event.get("type")
    if event.get("bot_id") or event.get("subtype") or not isinstance(event.get("text"), str):
        return None
    user, channel = safe_id(event.get("user")), safe_id(event.get("channel"))
    ts = safe_ts(event.get("ts"))
    if not (user and channel and ts):
        return None
    bot_ids = bot_user_ids(body)
    if user in bot_ids:
        return None
    if etype == "message" and event.get("channel_type") == "im":
        kind = "dm"
    elif etype == "app_mention":
        kind = "dm" if channel.startswith("D") else "mention"
    else:
        return None
    text = plain_text(event["text"], bot_ids)
    if not text:
        return None
    team = safe_id(body.get("team_id") or event.get("team"))
    return Incoming(kind, str(body.get("event_id") or ""), team, user, channel, ts,
                    safe_ts(event.get("thread_ts")) or None, text)


def dm_conversation(team: str, user: str) -> str:
    return f"slack_{team or 'T'}_{user}"


def thread_conversation(team: str, channel: str, thread_ts: str, user: str) -> str:
    return f"slack_{team or 'T'}_{channel}_{thread_ts}_{user}"


def parse_form_payload(body: bytes) -> Optional[Dict[str, Any]]:
    """The JSON in an interactivity request's form field ``payload=``; None when absent/bad."""
    from urllib.parse import parse_qs

    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        raw = fields.get("payload", [None])[0]
        payload = json.loads(raw) if raw else None
    except (UnicodeDecodeError, ValueError):
        return None
    return payload if isinstance(payload, dict) else None


# --------------------------------------------------------------------------------------------
# the store of handled events (survives a restart)
# --------------------------------------------------------------------------------------------

class EventStore:
    """SQLite: which events/clicks were handled, and where each person wants answers.

    ``first(key)`` records ``key`` and says whether this is the first time it is seen - one
    atomic INSERT, so a Slack retry arriving while the first delivery is still being processed
    is recognised too. Keys older than ``keep_seconds`` are forgotten (Slack retries within
    minutes). No message text is stored here.
    """

    def __init__(self, path: os.PathLike[str] | str, keep_seconds: float = 7 * 24 * 3600) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.keep_seconds = keep_seconds
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS handled "
                         "(key TEXT PRIMARY KEY, at REAL NOT NULL)")
        self._db.execute("CREATE TABLE IF NOT EXISTS prefs "
                         "(key TEXT PRIMARY KEY, value TEXT NOT NULL, at REAL NOT NULL)")
        self.prune()

    def first(self, key: str) -> bool:
        with self._lock:
            cur = self._db.execute("INSERT OR IGNORE INTO handled (key, at) VALUES (?, ?)",
                                   (key, time.time()))
            return cur.rowcount == 1

    def seen(self, key: str) -> bool:
        with self._lock:
            row = self._db.execute("SELECT 1 FROM handled WHERE key = ?", (key,)).fetchone()
            return row is not None

    def set_pref(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO prefs (key, value, at) VALUES (?, ?, ?)",
                             (key, value, time.time()))

    def pref(self, key: str) -> Optional[str]:
        with self._lock:
            row = self._db.execute("SELECT value FROM prefs WHERE key = ?", (key,)).fetchone()
            return None if row is None else str(row[0])

    def prune(self) -> None:
        cutoff = time.time() - self.keep_seconds
        with self._lock:
            self._db.execute("DELETE FROM handled WHERE at < ?", (cutoff,))

    def close(self) -> None:
        with self._lock:
            self._db.close()
