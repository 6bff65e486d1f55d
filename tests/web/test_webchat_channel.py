"""The ``webchat`` channel (channels/webchat.py) on the real Rasa server, spoken to with a
python-socketio client: who may connect, which session ids it accepts, what one reply looks
like on the wire, and the history route."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional, Tuple

import pytest
import socketio

from interview_advisor.dialogue.reply import Reply

pytestmark = pytest.mark.slow

DESCRIPTION = "The recruiter couldn't say what the job is and they rescheduled twice."
FOREIGN = "http://evil.example"


async def _talk(url: str, origin: str, session_id: str, messages: List[str],
                wait: float = 60.0) -> Tuple[List[Any], List[Dict[str, Any]], bool]:
    """Connect with ``origin``, ask for ``session_id``, send ``messages`` one by one (each
    waits for the bot). Returns (session events, bot_uttered payloads, disconnected)."""
    client = socketio.AsyncClient(reconnection=False)
    session: List[Any] = []
    bot: List[Dict[str, Any]] = []
    got = asyncio.Event()
    confirmed = asyncio.Event()
    gone = asyncio.Event()

    @client.on("session_confirm")
    async def on_confirm(data: Any) -> None:
        session.append(("confirm", data))
        confirmed.set()

    @client.on("session_error")
    async def on_error(data: Any) -> None:
        session.append(("error", data))
        confirmed.set()

    @client.on("bot_uttered")
    async def on_bot(data: Dict[str, Any]) -> None:
        bot.append(data)
        got.set()

    @client.on("disconnect")
    async def on_disconnect(*_: Any) -> None:
        gone.set()

    # long-polling: engine.io 4.15's websocket client needs a newer aiohttp than Rasa pins
    await client.connect(url, headers={"Origin": origin}, transports=["polling"],
                         wait_timeout=10)
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), 10)
        for text in messages:
            got.clear()
            await client.emit("user_uttered", {"message": text, "session_id": session_id})
            await asyncio.wait_for(got.wait(), wait)
            await asyncio.sleep(1.0)  # any further messages of the same reply
        with contextlib.suppress(asyncio.TimeoutError):   # refused: the server hangs up
            await asyncio.wait_for(gone.wait(), 1.0)
        return session, bot, gone.is_set()
    finally:
        await client.disconnect()


def talk(url: str, origin: str, session_id: str, messages: List[str]
         ) -> Tuple[List[Any], List[Dict[str, Any]], bool]:
    return asyncio.run(_talk(url, origin, session_id, messages))


def get(url: str, origin: Optional[str] = None) -> Tuple[int, Dict[str, str], Any]:
    request = urllib.request.Request(url, headers={"Origin": origin} if origin else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, dict(resp.headers), json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), json.loads(err.read() or b"null")


def test_a_foreign_origin_cannot_connect(web_stack: Any) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        talk(web_stack.rasa_url, FOREIGN, secrets.token_hex(16), [])


def test_each_bot_message_is_one_event_with_the_reply_model(web_stack: Any) -> None:
    session_id = secrets.token_hex(16)
    session, bot, _ = talk(web_stack.rasa_url, web_stack.web.url, session_id, [DESCRIPTION])
    assert session == [("confirm", session_id)]
    assert bot, "no bot_uttered event"
    for event in bot:
        assert set(event) == {"text", "reply"}, event
        assert event["text"]  # the plain rendering, for screen readers and logs
    replies = [Reply.from_json(event["reply"]) for event in bot]
    flags = [f.id for r in replies for f in r.flags]
    assert "vague_job_description" in flags, [r.kind for r in replies]
    # as many events as the bot uttered (the tracker's bot events): none split, none merged
    bot_events = [e for e in web_stack.rasa.tracker(session_id)["events"] if e["event"] == "bot"]
    assert len(bot_events) == len(bot)


def test_session_ids_of_the_wrong_form_are_refused(web_stack: Any) -> None:
    for bad in ("alice", secrets.token_hex(8), secrets.token_hex(16).upper()):
        session, bot, disconnected = talk(web_stack.rasa_url, web_stack.web.url, bad, [])
        assert session == [("error", {"error": "bad session_id"})]
        assert disconnected
        assert bot == []


def test_history_route(web_stack: Any) -> None:
    session_id = secrets.token_hex(16)
    talk(web_stack.rasa_url, web_stack.web.url, session_id, [DESCRIPTION])
    url = f"{web_stack.rasa_url}/webhooks/webchat/history?session_id={session_id}"

    status, headers, body = get(url, origin=web_stack.web.url)
    assert status == 200
    assert headers.get("Access-Control-Allow-Origin") == web_stack.web.url
    messages = body["messages"]
    assert messages[0] == {"role": "user", "text": DESCRIPTION}
    bots = [Reply.from_json(m["reply"]) for m in messages[1:]]
    assert [m["role"] for m in messages[1:]] == ["bot"] * len(bots)
    assert "vague_job_description" in [f.id for r in bots for f in r.flags]

    status, headers, _ = get(url, origin=FOREIGN)
    assert status == 403
    assert "Access-Control-Allow-Origin" not in headers

    status, _, body = get(f"{web_stack.rasa_url}/webhooks/webchat/history?session_id=alice",
                          origin=web_stack.web.url)
    assert status == 400
    status, _, body = get(f"{web_stack.rasa_url}/webhooks/webchat/history?"
                          f"session_id={secrets.token_hex(16)}", origin=web_stack.web.url)
    assert status == 200 and body["messages"] == []
