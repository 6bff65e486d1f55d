"""Rasa's REST channel, refusing malformed requests with a 400 that says what is wrong.

Registered in credentials.yml in place of Rasa's ``rest`` and named ``rest`` like it, so
nothing else changes: ``POST /webhooks/rest/webhook`` with
``{"sender": "...", "message": "...", "metadata": {...}}``. Rasa's own channel answers a body
that is not an object, or a message that is not a string, with a 500 and writes the message
into its error log; it keeps any metadata (megabytes, thousands of levels deep) in the
conversation and sends it to the action server with every action call. This one checks the
body first (:func:`interview_advisor.guard.request_problem`: a string sender of at most 128
characters, a string message, metadata an object of at most 10,000 characters of JSON and 10
levels) and answers ``400 {"error": "..."}`` otherwise. Messages without a sender are refused
too: Rasa would put them all in one shared conversation called "default".

The REST channel is an interface for trusted servers (a web backend that authenticates its
users and picks unguessable sender ids), not for browsers: anyone who can reach it can continue
any conversation whose sender id they know. See SECURITY.md.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from interview_advisor.guard import request_problem


class GuardedRestInput(RestInput):
    """``rest``: Rasa's REST channel behind a check of the request body."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.on_request
        async def check_body(request: Request) -> Any:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            try:
                body = request.json
            except Exception:  # noqa: BLE001 - Sanic raises its own error for bad JSON
                body = None
            problem = request_problem(body) if body is not None else \
                "the body must be JSON (Content-Type: application/json)"
            if problem:
                error: HTTPResponse = response.json({"error": problem}, status=400)
                return error
            return None

        return blueprint
