"""``webchat``: Rasa's socket.io channel for our web widget (``web/``), registered in
credentials.yml as ``channels.webchat.WebchatInput``.

Differences from Rasa's ``socketio`` channel (rasa/core/channels/socketio.py, 3.6):

- Output: one ``bot_uttered`` event per bot message, ``{"text", "reply"}`` when the message
  carries the reply model (``custom: {"reply": ...}``), else ``{"text", "buttons"}``. Rasa's
  own output passes a custom payload's keys to ``sio.emit(**custom)`` and crashes.
- Only the configured origins may connect (``WEB_ALLOWED_ORIGINS``, comma separated; default
  the demo page on ``WEB_PORT``), instead of ``cors_allowed_origins=[]`` (every origin).
- Sessions are always persistent and their ids must be the widget's random 128-bit ids; a
  socket may only send messages for the session it asked for.
- ``GET /webhooks/webchat/history?session_id=...``: the conversation so far (for a reload),
  readable from the allowed origins only.

The decisions themselves (origins, id form, payloads, history) are in
``interview_advisor.webchat``, which does not import Rasa.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from interview_advisor import webchat
from interview_advisor.dialogue.channels import WEBCHAT

logger = logging.getLogger(__name__)


class WebchatOutput(OutputChannel):
    """Sends each bot message as ONE ``bot_uttered`` event (see ``webchat.bot_event``)."""

    @classmethod
    def name(cls) -> str:
        return WEBCHAT

    def __init__(self, sio: AsyncServer, bot_message_evt: str) -> None:
        self.sio = sio
        self.bot_message_evt = bot_message_evt

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        payload = webchat.bot_event(message)
        if payload is not None:
            await self.sio.emit(self.bot_message_evt, payload, room=recipient_id)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})


class WebchatInput(InputChannel):
    """socket.io input for the widget: origin check, random session ids, history route."""

    @classmethod
    def name(cls) -> str:
        return WEBCHAT

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("socketio_path", "/socket.io"),
            credentials.get("metadata_key", "metadata"),
        )

    def __init__(self, user_message_evt: str = "user_uttered",
                 bot_message_evt: str = "bot_uttered", socketio_path: str = "/socket.io",
                 metadata_key: str = "metadata",
                 origins: Optional[List[str]] = None) -> None:
        self.user_message_evt = user_message_evt
        self.bot_message_evt = bot_message_evt
        self.socketio_path = socketio_path
        self.metadata_key = metadata_key
        self.origins = origins if origins is not None else webchat.allowed_origins()
        self.sio: Optional[AsyncServer] = None
        self.sessions: Dict[str, str] = {}   # socket id -> the session id it asked for

    def get_output_channel(self) -> Optional[OutputChannel]:
        return WebchatOutput(self.sio, self.bot_message_evt) if self.sio else None

    def _cors(self, request: Request, resp: HTTPResponse) -> HTTPResponse:
        origin = request.headers.get("origin")
        if origin in self.origins:
            resp.headers["Access-Control-Allow-Origin"] = origin
            resp.headers["Vary"] = "Origin"
        return resp

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self.origins)
        bp = SocketBlueprint(sio, self.socketio_path, "webchat_webhook", __name__)
        self.sio = sio
        logger.info("webchat: socket.io on %s for origins %s", self.socketio_path, self.origins)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/history", methods=["GET"])
        async def history(request: Request) -> HTTPResponse:
            origin = request.headers.get("origin")
            if origin and origin not in self.origins:
                return response.json({"error": "origin not allowed"}, status=403)
            session_id = request.args.get("session_id")
            if not webchat.valid_session_id(session_id):
                return self._cors(request, response.json({"error": "bad session_id"},
                                                         status=400))
            tracker = await request.app.ctx.agent.tracker_store.retrieve(session_id)
            events = [e.as_dict() for e in tracker.events] if tracker is not None else []
            return self._cors(request, response.json(
                {"session_id": session_id, "messages": webchat.history(events)}))

        @sio.on("connect")
        async def connect(sid: str, environ: Dict, auth: Optional[Dict] = None) -> bool:
            return True

        @sio.on("disconnect")
        async def disconnect(sid: str) -> None:
            self.sessions.pop(sid, None)

        @sio.on("session_request")
        async def session_request(sid: str, data: Optional[Dict]) -> None:
            session_id = str((data or {}).get("session_id") or "")
            if not webchat.valid_session_id(session_id):
                logger.warning("webchat: refused a session id of the wrong form")
                await sio.emit("session_error", {"error": "bad session_id"}, room=sid)
                await sio.disconnect(sid)
                return
            old = self.sessions.get(sid)
            if old and old != session_id:
                await sio.leave_room(sid, old)
            self.sessions[sid] = session_id
            await sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on(self.user_message_evt)
        async def handle_message(sid: str, data: Dict) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = str(data.get("session_id") or "")
            if not webchat.valid_session_id(session_id) or self.sessions.get(sid) != session_id:
                logger.warning("webchat: message for a session this socket did not request")
                await sio.emit("session_error", {"error": "bad session_id"}, room=sid)
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            text = data.get("message")
            await on_new_message(UserMessage(
                text if isinstance(text, str) else "",
                WebchatOutput(sio, self.bot_message_evt), session_id,
                input_channel=self.name(), metadata=metadata))

        return bp
