"""The web chat widget's side of the socket.io channel, without Rasa (``channels/webchat.py``
is the thin Rasa adapter): which origins may connect, which session ids are accepted, what one
bot message looks like on the wire, and the history of a conversation from tracker events.

This module imports neither Rasa nor spaCy.
"""

from __future__ import annotations

import os
import re
from typing import Any, Dict, Iterable, List, Mapping, Optional

#: Session ids the widget makes: 16 random bytes (crypto.getRandomValues) as 32 hex digits.
#: Anything else is refused, so nobody can pick a guessable id (or someone else's name).
SESSION_ID_RE = re.compile(r"^[0-9a-f]{32}$")

DEFAULT_WEB_PORT = 8080


def valid_session_id(value: Any) -> bool:
    """True for a session id of the widget's form (128 random bits as lowercase hex)."""
    return isinstance(value, str) and SESSION_ID_RE.fullmatch(value) is not None


def allowed_origins(env: Optional[Mapping[str, str]] = None) -> List[str]:
    """Origins allowed to connect: ``WEB_ALLOWED_ORIGINS`` (comma separated), else the demo
    page's own origin on ``WEB_PORT`` (default 8080), as 127.0.0.1 and as localhost."""
    env = os.environ if env is None else env
    configured = [o.strip().rstrip("/") for o in env.get("WEB_ALLOWED_ORIGINS", "").split(",")]
    origins = [o for o in configured if o]
    if origins:
        return origins
    port = (env.get("WEB_PORT") or "").strip() or str(DEFAULT_WEB_PORT)
    return [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]


def _buttons(raw: Any) -> List[Dict[str, str]]:
    buttons = []
    for button in raw or []:
        if isinstance(button, Mapping) and button.get("title") is not None:
            title = str(button["title"])
            payload = button.get("payload")
            buttons.append({"title": title, "payload": str(payload if payload else title)})
    return buttons


def bot_event(message: Mapping[str, Any]) -> Optional[Dict[str, Any]]:
    """The ``bot_uttered`` payload for one Rasa bot message (``OutputChannel.send_response``'s
    ``message``, or a ``bot`` event's text and data): ``{"text", "reply"}`` when the message
    carries ``custom: {"reply": ...}``, else ``{"text", "buttons"}``. None when there is
    nothing to show."""
    text = message.get("text")
    text = text if isinstance(text, str) else ""
    custom = message.get("custom")
    if isinstance(custom, Mapping) and isinstance(custom.get("reply"), Mapping):
        return {"text": text, "reply": dict(custom["reply"])}
    buttons = _buttons(message.get("buttons") or message.get("quick_replies"))
    if not text and not buttons:
        image = message.get("image")
        if isinstance(image, str) and image:
            return {"text": image, "buttons": []}
        return None
    return {"text": text, "buttons": buttons}


def history(events: Iterable[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """The conversation as the widget shows it, from tracker events (``Event.as_dict()``):
    ``{"role": "user", "text"}`` for each message the person sent and ``{"role": "bot", "text",
    "reply" | "buttons"}`` for each bot message, oldest first."""
    out: List[Dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            text = event.get("text")
            if isinstance(text, str) and text:
                out.append({"role": "user", "text": text})
        elif kind == "bot":
            data = event.get("data")
            message = dict(data) if isinstance(data, Mapping) else {}
            message["text"] = event.get("text")
            shown = bot_event(message)
            if shown is not None:
                out.append({"role": "bot", **shown})
    return out
