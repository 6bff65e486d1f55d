"""Answering the person when our side fails, in the Rasa server (Rasa Open Source 3.6).

Rasa has no setting for either of these, so :func:`install` (run by
:class:`stores.tracker_store.StrictSQLTrackerStore` when Rasa creates it from endpoints.yml,
before the agent exists) adjusts two places of :class:`rasa.core.agent.Agent`:

1. **No silent fallback.** ``Agent._create_tracker_store`` wraps every tracker store in
   ``FailSafeTrackerStore``, which swallows store errors (an empty conversation on a failed
   read, memory only on a failed write). Our strict store is used as it is, so its
   :class:`~stores.tracker_store.ConversationStoreError` reaches ``Agent.handle_message`` -
   the one call every channel (REST, socket.io, ours) makes for each message. There we tell
   the person :data:`~interview_advisor.dialogue.phrases.STORE_FAILED` through the message's
   own output channel; on a collecting channel (REST) the replies to the unsaved turn are
   dropped first, so the person sees only the error and can simply send the message again.
   Other tracker stores keep Rasa's wrapper.

2. **A bounded, answered action call.** ``RemoteAction`` calls the action server with a fixed
   300 s timeout, and when the call fails the processor logs it and carries on as if the
   action had said nothing: the person gets silence. The agent's action endpoint is replaced
   by :class:`GuardedActionEndpoint`, whose ``request`` waits at most
   ``ACTION_TIMEOUT_SECONDS`` (default 6) and, when the server is down, hangs or answers with
   an error (not the 400 a form uses to reject), returns an ordinary action-server response
   carrying :data:`~interview_advisor.dialogue.phrases.ACTIONS_UNAVAILABLE` and no events.
   Rasa then sends it like any bot message; the conversation state is unchanged, and the next
   message tries the action server again, so the bot recovers by itself. Within one turn the
   action server is tried once: later actions of the same turn (a form's question after its
   validation) are skipped, so the person gets one message and waits one timeout at most.
   Rasa opens a new HTTP session and connection for every call; this endpoint keeps one
   session with its connections open (closed after 2 s idle, before the action server would).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import time
from collections import OrderedDict
from typing import Any, Dict, List, Optional, Tuple

import aiohttp
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from . import faults
from .tracker_store import ConversationStoreError, StrictSQLTrackerStore

logger = logging.getLogger(__name__)

DEFAULT_ACTION_TIMEOUT = 6.0
_INSTALLED = "_interview_advisor_guard"


def action_timeout(env: Optional[Dict[str, str]] = None) -> float:
    """``ACTION_TIMEOUT_SECONDS`` (default 6): the longest wait for one action-server call."""
    raw = (os.environ if env is None else env).get("ACTION_TIMEOUT_SECONDS", "").strip()
    try:
        value = float(raw) if raw else DEFAULT_ACTION_TIMEOUT
    except ValueError:
        value = 0.0
    if value <= 0:
        logger.warning("ACTION_TIMEOUT_SECONDS=%r is not a positive number; using %s",
                       raw, DEFAULT_ACTION_TIMEOUT)
        return DEFAULT_ACTION_TIMEOUT
    return value


class _Kept:
    """``async with`` over a client session that stays open afterwards."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *exc: Any) -> None:
        return None


class GuardedActionEndpoint(EndpointConfig):
    """The action endpoint with a short timeout and an answer for the person on failure."""

    MAX_TURNS = 2_000   # turns remembered as "the action server already failed in this turn"
    #: An idle connection to the action server is closed after this long - before the action
    #: server (Sanic, 5 s) closes it, so a request never goes out on a connection being closed.
    KEEPALIVE_SECONDS = 2.0

    def __init__(self, *args: Any, timeout: Optional[float] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timeout_seconds = timeout if timeout is not None else action_timeout()
        self._failed_turns: OrderedDict[Tuple[str, str], float] = OrderedDict()
        self._session: Optional[aiohttp.ClientSession] = None

    def session(self) -> Any:
        """One client session (and its open connections) for every call, instead of Rasa's new
        session and TCP connection per action call; made again if the event loop changes."""
        loop = asyncio.get_running_loop()
        session = self._session
        if session is None or session.closed or session._loop is not loop:
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) \
                if self.basic_auth else None
            session = self._session = aiohttp.ClientSession(
                headers=self.headers, auth=auth,
                timeout=aiohttp.ClientTimeout(total=self.timeout_seconds),
                connector=aiohttp.TCPConnector(keepalive_timeout=self.KEEPALIVE_SECONDS))
        return _Kept(session)

    @classmethod
    def wrapping(cls, endpoint: EndpointConfig) -> GuardedActionEndpoint:
        return cls(endpoint.url, endpoint.params, endpoint.headers, endpoint.basic_auth,
                   endpoint.token, endpoint.token_name, endpoint.cafile, **endpoint.kwargs)

    async def request(self, method: str = "post", subpath: Optional[str] = None,
                      content_type: Optional[str] = "application/json",
                      compress: bool = False, **kwargs: Any) -> Optional[Any]:
        body = kwargs.get("json")
        if not isinstance(body, dict) or "next_action" not in body:
            return await super().request(method, subpath, content_type, compress, **kwargs)
        action = str(body.get("next_action"))
        tracker = body.get("tracker") or {}
        sender = str(tracker.get("sender_id") or body.get("sender_id") or "")
        turn = (sender, str((tracker.get("latest_message") or {}).get("message_id") or ""))
        channel = str(tracker.get("latest_input_channel") or "")
        if turn in self._failed_turns:
            logger.warning("Skipped action %s for %s: the action server already failed in "
                           "this turn", action, sender)
            return {"events": [], "responses": []}
        kwargs["timeout"] = aiohttp.ClientTimeout(total=self.timeout_seconds)
        started = time.monotonic()
        try:
            return await super().request(method, subpath, content_type, compress, **kwargs)
        except ClientResponseError as exc:
            if exc.status == 400:   # the action rejected itself (a form): Rasa handles it
                raise
            cause = f"HTTP {exc.status} {exc.message}"
        except asyncio.TimeoutError:
            cause = f"no answer within {self.timeout_seconds:g} s"
        except aiohttp.ClientError as exc:
            cause = f"{type(exc).__name__}: {exc}"
        logger.error("Action server at %s could not run %s for %s (%s, after %.1f s); "
                     "told the person to try again", self.url, action, sender, cause,
                     time.monotonic() - started)
        self._failed_turns[turn] = time.time()
        while len(self._failed_turns) > self.MAX_TURNS:
            self._failed_turns.popitem(last=False)
        return {"events": [], "responses": [faults.actions_unavailable(channel)]}


def guard_actions(agent: Agent) -> None:
    """Put :class:`GuardedActionEndpoint` in place of the agent's (and processor's) endpoint."""
    endpoint = agent.action_endpoint
    if endpoint is not None and not isinstance(endpoint, GuardedActionEndpoint):
        endpoint = agent.action_endpoint = GuardedActionEndpoint.wrapping(endpoint)
        logger.info("Action server calls wait at most %g s (ACTION_TIMEOUT_SECONDS)",
                    endpoint.timeout_seconds)
    processor = agent.processor
    if processor is not None and endpoint is not None and \
            processor.action_endpoint is not endpoint:
        processor.action_endpoint = endpoint


async def tell_store_failed(message: UserMessage, error: ConversationStoreError
                            ) -> Optional[List[Dict[str, Any]]]:
    """Answer the person whose message could not be loaded or saved."""
    out = message.output_channel
    channel = message.input_channel or out.name()
    collected = isinstance(out, CollectingOutputChannel) and isinstance(out.messages, list)
    if collected:
        out.messages.clear()   # the turn was not kept: do not show replies to it
    logger.warning("Told %s on %s that the conversation could not be %s (%s)",
                 message.sender_id, channel, "loaded" if error.operation == "load" else "saved",
                 error.cause.__class__.__name__)
    await out.send_response(message.sender_id, dict(faults.store_failed(channel)))
    return out.messages if collected else None


def install() -> None:
    """Adjust :class:`Agent` as described above (idempotent)."""
    if getattr(Agent, _INSTALLED, False):
        return
    create_store = Agent._create_tracker_store

    def _create_tracker_store(store: Any, domain: Any) -> Any:
        if isinstance(store, StrictSQLTrackerStore):
            store.domain = domain
            return store   # not wrapped in FailSafeTrackerStore
        return create_store(store, domain)

    handle_message = Agent.handle_message

    @functools.wraps(handle_message)
    async def guarded_handle_message(self: Agent, message: UserMessage
                                     ) -> Optional[List[Dict[str, Any]]]:
        guard_actions(self)
        try:
            return await handle_message(self, message)
        except ConversationStoreError as error:
            return await tell_store_failed(message, error)

    Agent._create_tracker_store = staticmethod(_create_tracker_store)
    Agent.handle_message = guarded_handle_message
    setattr(Agent, _INSTALLED, True)
    logger.info("Store and action-server failures are answered (stores.guard)")
