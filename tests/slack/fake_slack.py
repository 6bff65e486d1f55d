"""A fake Slack for tests and the benchmark: the Web API on a free localhost port, and a client
that sends Slack's correctly signed requests to a Rasa server.

``FakeSlack`` records every call (method, headers, JSON or form body, arrival time) and answers
like Slack: ``chat.postMessage`` gives a fresh ``ts``, ``conversations.open`` a ``D...`` id, an
interaction's ``response_url`` (``<base>/response/...``) answers ``ok``. ``fail_next`` makes the
next call of a method answer ``429`` with ``Retry-After`` (or any status / Slack error) once.

Standard library only.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import parse_qs, urlencode

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from interview_advisor.slack_events import sign  # noqa: E402

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"  # the tests' signing secret (not a real one)
TOKEN = "xoxb-1234-5678-testtoken0000"        # the tests' bot token (not a real one)
BOT_USER = "UBOT0001"
TEAM = "T0TEST01"


@dataclass
class Call:
    method: str                    # "chat.postMessage", or "response_url"
    path: str
    headers: Dict[str, str]
    body: Dict[str, Any]
    at: float                      # time.monotonic() on arrival
    status: int = 200
    answer: Dict[str, Any] = field(default_factory=dict)


@dataclass
class _Scripted:
    status: int
    error: Optional[str]
    retry_after: Optional[float]


class FakeSlack:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: List[Call] = []
        self._scripted: Dict[str, List[_Scripted]] = {}
        self._cond = threading.Condition()
        self._ts = 1_700_000_000.000100
        self._server: Optional[ThreadingHTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> FakeSlack:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, headers, body = fake._handle(self.path, dict(self.headers.items()), raw)
                data = body.encode("utf-8")
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="fake-slack")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/response/{uuid.uuid4().hex}"

    # -- scripting ----------------------------------------------------------------------------
    def fail_next(self, method: str, status: int = 429, retry_after: Optional[float] = 1,
                  error: Optional[str] = None) -> None:
        """The next call of ``method`` answers ``status`` (429 with Retry-After by default;
        ``status=200, error="channel_not_found"`` for a Slack error)."""
        with self._cond:
            self._scripted.setdefault(method, []).append(_Scripted(status, error, retry_after))

    # -- what happened ------------------------------------------------------------------------
    def of(self, method: str, since: int = 0) -> List[Call]:
        with self._cond:
            return [c for c in self.calls[since:] if c.method == method]

    def mark(self) -> int:
        with self._cond:
            return len(self.calls)

    def wait_for(self, predicate: Callable[[List[Call]], bool], timeout: float = 60.0,
                 since: int = 0) -> List[Call]:
        """Wait until ``predicate(calls since mark)`` holds; returns those calls. Raises
        AssertionError with every call recorded when it does not within ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                calls = self.calls[since:]
                if predicate(calls):
                    return list(calls)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"fake Slack: condition not met in {timeout} s; "
                                         f"calls: {self.describe(calls)}")
                self._cond.wait(left)

    def wait_method(self, method: str, count: int = 1, timeout: float = 60.0,
                    since: int = 0) -> List[Call]:
        calls = self.wait_for(lambda cs: sum(c.method == method and c.status == 200
                                             for c in cs) >= count, timeout, since)
        return [c for c in calls if c.method == method and c.status == 200]

    @staticmethod
    def describe(calls: List[Call]) -> str:
        return json.dumps([{"method": c.method, "status": c.status, "body": c.body}
                           for c in calls], ensure_ascii=False)[:6000]

    # -- answering ----------------------------------------------------------------------------
    def _handle(self, path: str, headers: Dict[str, str],
                raw: bytes) -> Tuple[int, Dict[str, str], str]:
        ctype = headers.get("Content-Type", headers.get("content-type", ""))
        body: Dict[str, Any]
        if "json" in ctype:
            try:
                body = json.loads(raw.decode("utf-8") or "{}")
            except ValueError:
                body = {"_raw": raw.decode("utf-8", "replace")}
        else:
            body = {k: v[0] for k, v in parse_qs(raw.decode("utf-8")).items()}
        if path.startswith("/response/"):
            method = "response_url"
        elif path.startswith("/api/"):
            method = path[len("/api/"):].split("?", 1)[0]
        else:
            method = path
        call = Call(method, path, headers, body, time.monotonic())
        with self._cond:
            scripted = self._scripted.get(method)
            step = scripted.pop(0) if scripted else None
            status, extra, answer = 200, {}, self._answer(method, body, headers)
            if step is not None:
                status = step.status
                if step.retry_after is not None and status == 429:
                    extra["Retry-After"] = str(int(step.retry_after))
                answer = {"ok": False, "error": step.error or ("ratelimited" if status == 429
                                                               else "fatal_error")}
            call.status, call.answer = status, answer
            self.calls.append(call)
            self._cond.notify_all()
        if method == "response_url" and answer.get("ok"):
            return 200, {"Content-Type": "text/plain"}, "ok"
        return status, {"Content-Type": "application/json; charset=utf-8", **extra}, \
            json.dumps(answer)

    def _answer(self, method: str, body: Dict[str, Any], headers: Dict[str, str]) -> Dict[str, Any]:
        if method == "response_url":
            return {"ok": True}
        auth = headers.get("Authorization", headers.get("authorization", ""))
        if auth != f"Bearer {self.token}":
            return {"ok": False, "error": "invalid_auth"}
        if method in ("chat.postMessage", "chat.update"):
            if not body.get("channel"):
                return {"ok": False, "error": "channel_not_found"}
            if method == "chat.update":
                return {"ok": True, "channel": body["channel"], "ts": body.get("ts")}
            self._ts += 1
            ts = f"{self._ts:.6f}"
            return {"ok": True, "channel": body["channel"], "ts": ts,
                    "message": {"text": body.get("text"), "ts": ts, "bot_id": "B0BOT"}}
        if method == "chat.postEphemeral":
            self._ts += 1
            return {"ok": True, "message_ts": f"{self._ts:.6f}"}
        if method == "conversations.open":
            users = str(body.get("users") or "")
            return {"ok": True, "channel": {"id": "D" + users.split(",")[0][1:]}}
        return {"ok": False, "error": "unknown_method"}


# ------------------------------------------------------------------------------------------
# the sending side: Slack's signed requests to a Rasa server
# ------------------------------------------------------------------------------------------

@dataclass
class Answer:
    status: int
    body: str
    headers: Dict[str, str]
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


class SlackSender:
    """Posts events and interactivity payloads to ``/webhooks/slack/webhook``, signed with
    ``secret`` like Slack does (or deliberately not)."""

    path = "/webhooks/slack/webhook"

    def __init__(self, port: int, secret: str = SECRET, host: str = "127.0.0.1") -> None:
        self.host, self.port, self.secret = host, port, secret
        self._n = 0

    def post(self, body: bytes, content_type: str, timestamp: Optional[str] = None,
             signature: Optional[str] = "sign", extra: Optional[Dict[str, str]] = None,
             secret: Optional[str] = None) -> Answer:
        ts = str(int(time.time())) if timestamp is None else timestamp
        headers = {"Content-Type": content_type}
        if ts != "":
            headers["X-Slack-Request-Timestamp"] = ts
        if signature == "sign":
            headers["X-Slack-Signature"] = sign(secret or self.secret, ts, body)
        elif signature is not None:
            headers["X-Slack-Signature"] = signature
        headers.update(extra or {})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            t0 = time.perf_counter()
            conn.request("POST", self.path, body=body, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
            return Answer(resp.status, text, dict(resp.getheaders()), time.perf_counter() - t0)
        finally:
            conn.close()

    def event(self, event: Dict[str, Any], event_id: Optional[str] = None,
              content_type: str = "application/json", **kw: Any) -> Tuple[str, Answer]:
        """An ``event_callback`` around ``event``; returns (event_id, answer)."""
        self._n += 1
        event_id = event_id or f"Ev{uuid.uuid4().hex[:10].upper()}"
        body = {"token": "legacy", "team_id": TEAM, "api_app_id": "A0TEST",
                "event": event, "type": "event_callback", "event_id": event_id,
                "event_time": int(time.time()),
                "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}]}
        return event_id, self.post(json.dumps(body).encode("utf-8"), content_type, **kw)

    def payload(self, payload: Dict[str, Any], **kw: Any) -> Answer:
        body = urlencode({"payload": json.dumps(payload)}).encode("utf-8")
        return self.post(body, "application/x-www-form-urlencoded", **kw)


def new_ts() -> str:
    return f"{time.time():.6f}"


def dm_event(user: str, text: str, ts: Optional[str] = None) -> Dict[str, Any]:
    return {"type": "message", "channel": "D" + user[1:], "channel_type": "im", "user": user,
            "text": text, "ts": ts or new_ts(), "team": TEAM}


def mention_event(user: str, channel: str, text: str, ts: Optional[str] = None,
                  thread_ts: Optional[str] = None) -> Dict[str, Any]:
    event = {"type": "app_mention", "channel": channel, "user": user,
             "text": f"<@{BOT_USER}> {text}", "ts": ts or new_ts(), "team": TEAM}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def click_payload(user: str, channel: str, message: Dict[str, Any], button: Dict[str, Any],
                  block_id: str, response_url: str) -> Dict[str, Any]:
    """Slack's ``block_actions`` payload for a click on ``button`` in ``message``."""
    return {
        "type": "block_actions", "team": {"id": TEAM, "domain": "test"},
        "user": {"id": user, "team_id": TEAM, "username": "someone"},
        "api_app_id": "A0TEST", "token": "legacy", "trigger_id": "1.2.3",
        "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel,
                      "is_ephemeral": False},
        "channel": {"id": channel, "name": "directmessage"},
        "message": message, "response_url": response_url,
        "actions": [{"type": "button", "action_id": button["action_id"], "block_id": block_id,
                     "text": button["text"], "value": button.get("value"),
                     "action_ts": new_ts()}],
    }
