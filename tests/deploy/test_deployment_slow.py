"""The reference deployment, for real: nginx (Debian's) in front of two Rasa servers and two
action servers (scripts/scaleout.py, deploy/nginx.conf.template).

- every health endpoint answers;
- REST turns of one conversation are spread over both Rasa servers and the conversation stays
  coherent (facts and flags told to one server are known to the other);
- a socket.io session (long-polling, the case that needs stickiness, and websocket) stays on
  one Rasa server for all its requests;
- once one Rasa server is killed, the next messages are answered by the other and the
  conversations go on (runs last: it leaves one server dead).
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
import uuid
from typing import Any, Dict, List, Optional, Tuple

import pytest

from .conftest import rs, scaleout

pytestmark = pytest.mark.slow

socketio = pytest.importorskip("socketio")

DESCRIPTION = ("I had a second interview at Globex yesterday. The hiring manager couldn't really "
               "tell me what I'd be doing day to day, and the recruiter took three weeks to get "
               "back to me after the first round.")
EVIDENCE = "couldn't really tell me what I'd be doing day to day"


def post(port: int, sender: str, text: str) -> Tuple[int, Any, Optional[str]]:
    """One REST turn through nginx: (status, parsed body, the X-Served-By header)."""
    conn = http.client.HTTPConnection(rs.LOOPBACK, port, timeout=60)
    try:
        conn.request("POST", "/webhooks/rest/webhook",
                     body=json.dumps({"sender": sender, "message": text}),
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        body = resp.read().decode("utf-8")
        return resp.status, json.loads(body) if body else None, resp.getheader("X-Served-By")
    finally:
        conn.close()


class Turns:
    """A REST conversation through nginx that remembers which server answered each turn."""

    def __init__(self, deployment: scaleout.Deployment) -> None:
        self.port = deployment.ports["nginx"]
        self.sender = f"deploy-{uuid.uuid4().hex[:12]}"
        self.served_by: List[Optional[str]] = []
        self.log: List[str] = []

    def say(self, text: str) -> str:
        status, body, served_by = post(self.port, self.sender, text)
        self.served_by.append(served_by)
        texts = [m["text"] for m in body or [] if isinstance(m, dict) and m.get("text")]
        self.log.append(f"USER: {text}\nBOT ({served_by}): " + "\n".join(texts))
        assert status == 200, f"HTTP {status}: {body}"
        assert texts, f"no reply to {text!r}: {body}"
        return "\n".join(texts)


def test_every_health_endpoint_answers(deployment: scaleout.Deployment) -> None:
    health = deployment.health()
    assert all(health.values()), health
    status, body = rs.http_get(f"{deployment.url}/nginx_status")
    assert status == 200 and "Active connections" in body
    # Rasa's HTTP API is not reachable through the proxy
    status, _ = rs.http_get(f"{deployment.url}/status")
    assert status == 404


def test_the_page_is_served_with_the_proxy_as_the_bot(deployment: scaleout.Deployment) -> None:
    if not deployment.page:
        pytest.skip("web/node_modules is missing (npm ci in web/)")
    status, page = rs.http_get(f"{deployment.url}/")
    assert status == 200 and deployment.url in page
    status, _ = rs.http_get(f"{deployment.url}/advisor-chat.js")
    assert status == 200


def test_rest_turns_are_spread_over_both_servers_and_stay_coherent(
        deployment: scaleout.Deployment) -> None:
    chat = Turns(deployment)
    try:
        first = chat.say(DESCRIPTION)
        assert "Vague job description" in first and EVIDENCE in first
        noted = chat.say("it's at another company, I'm employed at the moment")
        assert "external" in noted
        why = chat.say("why?")
        # the reasoning quotes words said in the first turn, whichever server heard them
        assert "Here's why" in why and EVIDENCE in why
        for _ in range(3):
            summary = chat.say("summary")
            assert "Vague job description" in summary and "external" in summary
        assert set(chat.served_by) == {"rasa1", "rasa2"}, chat.served_by
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n--- conversation ---\n" + "\n".join(chat.log)) from exc


class Tab:
    """A browser tab's socket.io session through nginx (python-socketio's client)."""

    def __init__(self, deployment: scaleout.Deployment, transports: List[str]) -> None:
        self.session_id = uuid.uuid4().hex
        self.received: List[Dict[str, Any]] = []
        self.confirmed = threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.received.append)
        self.client.on("session_confirm", lambda *_: self.confirmed.set())
        self.client.connect(deployment.url, transports=transports, wait_timeout=30)
        self.client.emit("session_request", {"session_id": self.session_id})
        assert self.confirmed.wait(30), "no session_confirm"

    def say(self, text: str, quiet: float = 2.0, timeout: float = 60.0) -> str:
        before = len(self.received)
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        deadline, last, changed = time.monotonic() + timeout, before, time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.2)
            if len(self.received) != last:
                last, changed = len(self.received), time.monotonic()
            elif last > before and time.monotonic() - changed > quiet:
                break
        texts = [m.get("text") or "" for m in self.received[before:]]
        assert any(t.strip() for t in texts), f"no answer to {text!r}"
        return "\n".join(texts)

    @property
    def route(self) -> Optional[str]:
        http = getattr(self.client.eio, "http", None)
        return http.cookies.get("ia_route") if http is not None else None

    def close(self) -> None:
        self.client.disconnect()

    def __enter__(self) -> Tab:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def socketio_upstreams(deployment: scaleout.Deployment, route: str) -> List[str]:
    log = (deployment.log_dir / "nginx-access.log").read_text(encoding="utf-8")
    return [m.group(1) for m in re.finditer(
        r'"(?:GET|POST) /socket\.io/" \d+ .*?served_by=(\S*) .*?route=' + re.escape(route) + "$",
        log, re.MULTILINE)]


def test_a_long_polling_socketio_session_stays_on_one_server(
        deployment: scaleout.Deployment) -> None:
    with Tab(deployment, ["polling"]) as tab:
        assert "Vague job description" in tab.say(DESCRIPTION)
        assert "external" in tab.say("it's at another company")
        assert EVIDENCE in tab.say("why?")
        route = tab.route
    assert route, "nginx set no ia_route cookie"
    upstreams = socketio_upstreams(deployment, route)
    # the handshake, the session request, three messages and their polls: many requests
    assert len(upstreams) >= 6, upstreams
    assert len(set(upstreams)) == 1 and upstreams[0] in ("rasa1", "rasa2"), upstreams


async def websocket_chat(url: str, messages: List[str], quiet: float = 2.0) -> List[str]:
    """The widget's preferred transport, spoken by hand (python-socketio's client needs the
    websocket-client package for it, which Rasa does not bring; ``websockets`` it does): the
    engine.io v4 / socket.io v5 packets over one websocket through nginx. Returns the text the
    bot answered to each message."""
    import asyncio

    import websockets

    answers: List[str] = []
    uri = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    session_id = uuid.uuid4().hex
    async with websockets.connect(uri, open_timeout=30) as ws:

        async def receive(timeout: float) -> Optional[str]:
            while True:
                packet = await asyncio.wait_for(ws.recv(), timeout)
                if packet == "2":                    # engine.io ping -> pong
                    await ws.send("3")
                    continue
                return str(packet)

        assert (await receive(30)).startswith("0")   # engine.io open
        await ws.send("40")                          # socket.io connect
        assert (await receive(30)).startswith("40")
        await ws.send("42" + json.dumps(["session_request", {"session_id": session_id}]))
        assert "session_confirm" in (await receive(30) or "")
        for message in messages:
            await ws.send("42" + json.dumps(["user_uttered", {"message": message,
                                                              "session_id": session_id}]))
            texts: List[str] = []
            while True:
                try:
                    packet = await receive(quiet if texts else 60)
                except asyncio.TimeoutError:
                    break
                if packet and packet.startswith("42"):
                    event, data = json.loads(packet[2:])[:2]
                    if event == "bot_uttered":
                        texts.append(data.get("text") or "")
            answers.append("\n".join(texts))
    return answers


def test_a_websocket_session_is_answered_through_the_proxy(
        deployment: scaleout.Deployment) -> None:
    import asyncio

    answers = asyncio.run(websocket_chat(deployment.url, [DESCRIPTION, "why?"]))
    assert "Vague job description" in answers[0], answers
    assert "Here's why" in answers[1], answers


def test_when_one_rasa_server_is_killed_the_other_answers(
        deployment: scaleout.Deployment) -> None:
    """Runs last in this module: it kills rasa1 for good."""
    chat = Turns(deployment)
    try:
        chat.say(DESCRIPTION)
        chat.say("it's at another company, I'm employed at the moment")
        deployment.kill("rasa1")
        assert not deployment.servers["rasa1"].alive()
        for text in ("why?", "summary", "I'm not really interested in it anymore tbh",
                     "summary"):
            reply = chat.say(text)
        assert "Vague job description" in reply and "not interested" in reply
        assert chat.served_by[2:] == ["rasa2"] * 4, chat.served_by
        # a conversation started after the kill, and the widget's transport, work too
        other = Turns(deployment)
        assert "Vague job description" in other.say(DESCRIPTION)
        assert other.served_by == ["rasa2"]
        with Tab(deployment, ["polling"]) as tab:
            assert "Vague job description" in tab.say(DESCRIPTION)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n--- conversation ---\n" + "\n".join(chat.log)) from exc
    health = deployment.health()
    assert health["/health/rasa"] and health["/health/rasa2"], health
    assert not health["/health/rasa1"], health
