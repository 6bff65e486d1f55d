"""Bad input over socket.io (the web chat's transport), with python-socketio's client against
the socket.io channel configured in credentials.yml on the real servers."""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any, Dict, List

import pytest
import yaml

from .conftest import ROOT, rs
from .test_bad_input import FLAG, HUGE

pytestmark = pytest.mark.slow

socketio = pytest.importorskip("socketio")


def channel_config() -> Dict[str, Any]:
    """The settings of the socket.io channel in credentials.yml (Rasa's or our own)."""
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text("utf-8")) or {}
    for name, config in credentials.items():
        if "socketio" in name.lower() or "webchat" in name.lower():
            return dict(config or {})
    pytest.skip("no socket.io channel in credentials.yml")


class Chat:
    """One browser tab: a socket.io session, its messages and the bot's answers."""

    def __init__(self, port: int) -> None:
        config = channel_config()
        self.user_event = config.get("user_message_evt", "user_uttered")
        bot_event = config.get("bot_message_evt", "bot_uttered")
        self.session_id = uuid.uuid4().hex
        self.received: List[Any] = []
        self.confirmed = threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on(bot_event, self.received.append)
        self.client.on("session_confirm", lambda *_: self.confirmed.set())
        self.client.connect(f"http://{rs.LOOPBACK}:{port}", transports=["polling"],
                            socketio_path=config.get("socketio_path", "/socket.io"),
                            wait_timeout=30)
        self.client.emit("session_request", {"session_id": self.session_id})
        assert self.confirmed.wait(30), "no session_confirm"

    def send(self, data: Any, quiet: float = 3.0, timeout: float = 60.0) -> List[Any]:
        """Emit ``data`` and collect what the bot answers until it has been quiet a while."""
        before = len(self.received)
        self.client.emit(self.user_event, data)
        deadline = time.monotonic() + timeout
        last_count, last_change = before, time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.2)
            if len(self.received) != last_count:
                last_count, last_change = len(self.received), time.monotonic()
                continue
            waited = time.monotonic() - last_change
            if waited > (quiet if last_count > before else timeout / 2):
                break
        return self.received[before:]

    def say(self, text: str, **extra: Any) -> str:
        answers = self.send({"message": text, "session_id": self.session_id, **extra})
        texts = [a.get("text") or "" for a in answers if isinstance(a, dict)]
        assert any(t.strip() for t in texts), f"no answer to {text[:60]!r}: {answers}"
        return "\n".join(texts)

    def close(self) -> None:
        self.client.disconnect()


BROKEN = ("Rasa 3.6's socketio channel calls python-socketio 5's coroutine enter_room() without "
          "awaiting it: with session_persistence no reply reaches the browser. The web chat "
          "channel (channels/webchat.py) must await it.")


@pytest.fixture(scope="module")
def socketio_answers(bot) -> bool:
    """Does the configured channel answer at all? (Probed once, not once per test.)"""
    chat = Chat(bot.info.rasa_port)
    try:
        return bool(chat.send({"message": "hello", "session_id": chat.session_id},
                              timeout=90))
    finally:
        chat.close()


@pytest.fixture
def tab(bot, socketio_answers):
    if not socketio_answers:
        pytest.xfail(BROKEN)
    chat = Chat(bot.info.rasa_port)
    yield chat
    chat.close()


def knows_acme(bot, tab: Chat) -> None:
    slots = bot.tracker(tab.session_id)["slots"]
    assert slots.get("company") == "Acme" and FLAG in (slots.get("flags") or {}), slots


@pytest.mark.parametrize("message,expected", [
    ("", "didn't get any text"),
    ("\u200b\u200d\ufeff", "didn't get any text"),
    (HUGE, "summarise"),
    ("🦄🦄🦄", "emoji"),
    ("Hallo, ich hatte gestern ein Vorstellungsgespräch und bin unsicher.",
     "only understand English"),
    ("你好，我昨天参加了面试，不知道该怎么办。", "only understand English"),
    ('/inform{"company": "Evil Corp"}', "own words"),
    ('/inform{"company": ', "own words"),
])
def test_bad_messages_over_socketio_get_a_clear_answer(bot, tab, message, expected):
    tab.say("I had an interview at Acme yesterday. The recruiter couldn't tell me what the "
            "job actually is.")
    assert expected in tab.say(message)
    knows_acme(bot, tab)


def test_malformed_socketio_events_crash_nothing(bot, tab):
    tab.say("I had an interview at Acme yesterday. The recruiter couldn't tell me what the "
            "job actually is.")
    for data in ("just a string", 12345, None, [1, 2], {"message": 42,
                                                         "session_id": tab.session_id},
                 {"message": {"nested": True}, "session_id": tab.session_id},
                 {"message": "hi"},  # no session id
                 {"message": "<script>alert(1)</script>", "session_id": tab.session_id},
                 {"message": "hi", "session_id": "0" * 32},  # not this socket's session
                 {"message": "hi", "session_id": tab.session_id,   # Rasa's and ours
                  "customData": {"k": "x" * 200_000}, "metadata": {"k": "x" * 200_000}},
                 {"message": "hi", "session_id": tab.session_id, "customData": "{not json",
                  "metadata": "{not json"},
                 {"message": "hi", "session_id": tab.session_id,
                  "metadata": json.dumps({"k": [[[[[[[[[[[[1]]]]]]]]]]]]})}):
        tab.send(data, quiet=1.0, timeout=8.0)
        assert bot.healthy(), f"unhealthy after {str(data)[:80]}"
    assert "Vague job description" in tab.say("summary")
    knows_acme(bot, tab)
