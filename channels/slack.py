"""The Slack channel: Rasa's ``SlackInput`` with the gaps closed, rendering the reply model as
Block Kit.

Registered in the credentials file as ``channels.slack.SlackChannel`` (see
``scripts/credentials.py`` and docs/slack.md); Slack's request URL, for events and for
interactivity, stays Rasa's ``/webhooks/slack/webhook``.

What it does beyond Rasa's connector (the decisions live in ``interview_advisor.slack_events``,
the Web API client in ``interview_advisor.slack_api``, the rendering in
``interview_advisor.dialogue.render_slack``; this module only wires them into Rasa):

- refuses unsigned, wrongly signed or stale requests (400/401) before looking at them;
- accepts ``application/json`` with parameters (``; charset=utf-8``);
- answers each ``event_id`` once, whatever Slack's retry reason, also after a restart (SQLite);
- answers direct messages in the DM, one conversation per person; a mention in a channel gets
  a private (ephemeral) notice in its thread and the answer in a DM, unless the person chooses
  to be answered in the thread (then one conversation per thread and person);
- renders ``custom.reply`` as Block Kit; button clicks are sent on as typed text and the
  clicked message loses its buttons (``chat.update``);
- posts through a Web API base address that can be changed (``SLACK_API_URL``), retries 429s
  after ``Retry-After``, logs every API error with its code, and never lets a failed post
  break the conversation; errors in background work are logged with their cause.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Tuple

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackInput
from rasa.shared.exceptions import InvalidConfigException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from interview_advisor.dialogue import render_slack
from interview_advisor.dialogue.reply import Reply
from interview_advisor.slack_api import ApiResult, SlackWebAPI
from interview_advisor.slack_events import (
    EventStore,
    Incoming,
    SlackConfigError,
    api_url,
    check_credentials,
    dm_conversation,
    events_db_path,
    media_type,
    parse_event,
    parse_form_payload,
    safe_id,
    safe_ts,
    thread_conversation,
    verify_request,
)

logger = logging.getLogger(__name__)

#: chat.postMessage errors after which the message is sent again as plain text
BLOCK_ERRORS = {"invalid_blocks", "invalid_blocks_format", "too_many_blocks", "msg_too_long"}
#: how long a mention's text is kept (in memory only) for the "answer in the thread" button
PENDING_SECONDS = 3600.0

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class SlackOutput(OutputChannel):
    """Posts the bot's messages to one Slack conversation (a DM, or a thread in a channel)."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    def __init__(self, api: SlackWebAPI, channel: str, thread_ts: Optional[str] = None,
                 owner: Optional[str] = None) -> None:
        super().__init__()
        self.api = api
        self.channel = channel
        self.thread_ts = thread_ts
        self.owner = owner            # in a shared thread: whose conversation the buttons drive
        self.results: List[ApiResult] = []

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        payload = self.render(message)
        if payload is not None:
            await self.post(payload)

    def render(self, message: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        """``{"text", "blocks"}`` for one bot message, or None when there is nothing to show."""
        custom = message.get("custom")
        reply_json = custom.get("reply") if isinstance(custom, dict) else None
        text = str(message.get("text") or "")
        buttons = message.get("buttons") or message.get("quick_replies") or []
        payload: Optional[Dict[str, Any]] = None
        if isinstance(reply_json, dict):
            try:
                payload = render_slack.render_message(Reply.from_json(reply_json), text)
            except (ValueError, TypeError, KeyError) as exc:
                logger.error("Slack: could not read the reply model (%s: %s); sending its text",
                             type(exc).__name__, exc)
        if payload is None and (text.strip() or buttons):
            payload = render_slack.render_plain(text, buttons)
        if payload is None and message.get("image"):
            image = str(message["image"])
            payload = {"text": render_slack.escape(image),
                       "blocks": [{"type": "image", "image_url": image, "alt_text": "image"}]}
        if payload is None:
            if custom is not None:
                logger.warning("Slack: a custom payload without a reply model cannot be shown "
                               "in Slack; skipped (keys: %s)",
                               sorted(custom) if isinstance(custom, dict) else type(custom))
            return None
        if self.owner:
            for block in payload.get("blocks") or []:
                if block.get("type") == "actions":
                    block["block_id"] = f"{block.get('block_id', 'ia')}:{self.owner}"
        return payload

    async def post(self, payload: Dict[str, Any]) -> ApiResult:
        params: Dict[str, Any] = {"channel": self.channel, **payload}
        if self.thread_ts:
            params["thread_ts"] = self.thread_ts
        result = await self.api.call("chat.postMessage", **params)
        if not result.ok and result.error in BLOCK_ERRORS and params.get("blocks"):
            logger.warning("Slack: %s; sending the message as plain text instead", result.error)
            params.pop("blocks")
            result = await self.api.call("chat.postMessage", **params)
        self.results.append(result)
        return result

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.post(render_slack.render_plain(text))


class SlackChannel(SlackInput):
    """Rasa's Slack input channel with de-duplication, privacy in channels and Block Kit."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(
            slack_token=credentials.get("slack_token") or "",
            slack_signing_secret=credentials.get("slack_signing_secret") or "",
            slack_api_url=credentials.get("slack_api_url"),
            events_db=credentials.get("events_db"),
        )

    def __init__(self, slack_token: str, slack_signing_secret: str = "",
                 slack_api_url: Optional[str] = None, events_db: Optional[str] = None) -> None:
        try:
            check_credentials(slack_token, slack_signing_secret)
        except SlackConfigError as exc:
            raise InvalidConfigException(f"{exc} See docs/slack.md.") from None
        super().__init__(slack_token, slack_signing_secret=slack_signing_secret,
                         use_threads=True, conversation_granularity="thread")
        self.api = SlackWebAPI(slack_token, api_url(os.environ, slack_api_url))
        self.store = EventStore(events_db_path(os.environ, events_db))
        self.pending: Dict[str, Tuple[float, Incoming]] = {}
        self._tasks: Set[asyncio.Task] = set()
        logger.info("Slack channel ready: Web API %s, handled events in %s",
                    self.api.base_url, self.store.path)

    def get_output_channel(self, channel: Optional[str] = None,
                           thread_id: Optional[str] = None) -> Optional[OutputChannel]:
        if not channel:
            return None
        return SlackOutput(self.api, channel, thread_id)

    # -- background work: tracked, and every failure logged with its cause ---------------
    def _spawn(self, coro: Awaitable[Any], what: str) -> None:
        task = asyncio.ensure_future(self._guard(coro, what))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _guard(coro: Awaitable[Any], what: str) -> None:
        try:
            await coro
        except Exception:
            logger.exception("Slack: %s failed", what)

    async def _say(self, on_new_message: OnNewMessage, text: str, sender_id: str,
                   out: SlackOutput, metadata: Dict[str, Any]) -> None:
        logger.debug("Slack: %s -> conversation %s (%s)", metadata.get("user"), sender_id,
                     metadata.get("where"))
        await on_new_message(UserMessage(text, out, sender_id, input_channel=self.name(),
                                         metadata={"slack": metadata}))

    # -- the webhook ----------------------------------------------------------------------
    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        slack_webhook = Blueprint("slack_webhook", __name__)

        @slack_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @slack_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            verdict = verify_request(self.slack_signing_secret,
                                     request.headers.get("X-Slack-Request-Timestamp"),
                                     request.headers.get("X-Slack-Signature"),
                                     request.body or b"")
            if not verdict.ok:
                logger.warning("Slack: refused a request from %s: %s",
                               request.ip, verdict.reason)
                return response.text(verdict.reason, status=verdict.status)
            kind = media_type(request.headers.get("content-type"))
            if kind == "application/json":
                return await self._on_json(request, on_new_message)
            if kind == "application/x-www-form-urlencoded":
                return await self._on_form(request, on_new_message)
            return response.text(f"unsupported content type {kind!r}", status=415)

        @slack_webhook.listener("after_server_stop")
        async def close(*_: Any) -> None:
            await self.api.close()
            self.store.close()

        return slack_webhook

    async def _on_json(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        try:
            body = json.loads(request.body)
        except ValueError:
            return response.text("the body is not JSON", status=400)
        if not isinstance(body, dict):
            return response.text("the body is not a JSON object", status=400)
        if body.get("type") == "url_verification":
            return response.json({"challenge": body.get("challenge")})
        if body.get("type") != "event_callback":
            return response.text("")
        event_id = str(body.get("event_id") or "")
        retry = request.headers.get("X-Slack-Retry-Num")
        if event_id and not self.store.first(f"event:{event_id}"):
            logger.info("Slack: event %s was already handled; retry #%s (%s) ignored",
                        event_id, retry, request.headers.get("X-Slack-Retry-Reason"))
            return response.text("", headers={"X-Slack-No-Retry": "1"})
        incoming = parse_event(body)
        if incoming is not None:
            self._spawn(self._on_message(incoming, on_new_message),
                        f"answering event {event_id or incoming.ts} from {incoming.user}")
        return response.text("")

    async def _on_message(self, m: Incoming, on_new_message: OnNewMessage) -> None:
        meta = {"team": m.team, "user": m.user, "channel": m.channel, "ts": m.ts,
                "thread_ts": m.thread_ts, "event_id": m.event_id}
        if m.kind == "dm":
            out = SlackOutput(self.api, m.channel, m.thread_ts)
            await self._say(on_new_message, m.text, dm_conversation(m.team, m.user), out,
                            {**meta, "where": "dm"})
            return
        root = m.thread_root
        if self.store.pref(_thread_key(m.team, m.channel, root, m.user)) == "thread":
            out = SlackOutput(self.api, m.channel, root, owner=m.user)
            await self._say(on_new_message, m.text,
                            thread_conversation(m.team, m.channel, root, m.user), out,
                            {**meta, "where": "thread"})
            return
        # In a channel: a private notice in the thread, the answer in a DM.
        token = m.event_id or f"{m.channel}-{m.ts}"
        self._keep_pending(token, m)
        notice = render_slack.privacy_notice(token)
        await self.api.call("chat.postEphemeral", channel=m.channel, user=m.user,
                            thread_ts=root, **notice)
        opened = await self.api.call("conversations.open", users=m.user)
        dm = safe_id((opened.data.get("channel") or {}).get("id")) if opened.ok else ""
        if not dm:
            logger.error("Slack: could not open a DM with %s (%s); the answer to their message "
                         "in %s was not sent", m.user, opened.error or "no channel id", m.channel)
            return
        await self.api.call("chat.postMessage", channel=dm, **render_slack.dm_intro(m.channel))
        await self._say(on_new_message, m.text, dm_conversation(m.team, m.user),
                        SlackOutput(self.api, dm), {**meta, "where": "dm", "from_channel": True})

    def _keep_pending(self, token: str, m: Incoming) -> None:
        now = time.monotonic()
        for key in [k for k, (at, _) in self.pending.items() if now - at > PENDING_SECONDS]:
            del self.pending[key]
        self.pending[token] = (now, m)

    # -- interactivity ----------------------------------------------------------------------
    async def _on_form(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        payload = parse_form_payload(request.body or b"")
        if payload is None:
            return response.text("no payload", status=400)
        if payload.get("type") != "block_actions" or not payload.get("actions"):
            return response.text("")
        action = payload["actions"][0]
        if not isinstance(action, dict):
            return response.text("")
        action_id = str(action.get("action_id") or "")
        user_info = payload.get("user") or {}
        user = safe_id(user_info.get("id"))
        team = safe_id((payload.get("team") or {}).get("id") or user_info.get("team_id"))
        if not user:
            return response.text("")
        if action_id == render_slack.PRIVACY_ACTION_THREAD:
            token = str(action.get("value") or "")
            if self.store.first(f"click:privacy:{token}"):
                self._spawn(self._answer_in_thread(payload, token, team, user, on_new_message),
                            f"moving {user}'s conversation into the thread")
            return response.text("")
        if not action_id.startswith(render_slack.SAY_ACTION):
            return response.text("")
        text = str(action.get("value") or "").strip()
        container = payload.get("container") or {}
        message = payload.get("message") or {}
        channel = safe_id((payload.get("channel") or {}).get("id") or container.get("channel_id"))
        msg_ts = safe_ts(message.get("ts") or container.get("message_ts"))
        if not (text and channel and msg_ts):
            return response.text("")
        # in a shared thread the buttons' block_id ends with ":<owner>" (SlackOutput.render)
        _, tagged, owner = str(action.get("block_id") or "").rpartition(":")
        owner = safe_id(owner) if tagged else ""
        if owner and owner != user:
            self._spawn(self.api.call("chat.postEphemeral", channel=channel, user=user,
                                      thread_ts=safe_ts(message.get("thread_ts")) or msg_ts,
                                      **render_slack.not_yours(owner)),
                        "telling a colleague the buttons are not theirs")
            return response.text("")
        if not self.store.first(f"click:{channel}:{msg_ts}"):
            logger.info("Slack: a button on message %s in %s was already clicked; ignored",
                        msg_ts, channel)
            return response.text("")
        label = str((action.get("text") or {}).get("text") or text)
        self._spawn(self._on_click(on_new_message, text, label, team, user, channel, message,
                                   msg_ts),
                    f"answering {user}'s click on {msg_ts}")
        return response.text("")

    async def _on_click(self, on_new_message: OnNewMessage, text: str, label: str, team: str,
                        user: str, channel: str, message: Dict[str, Any], msg_ts: str) -> None:
        blocks = message.get("blocks")
        if isinstance(blocks, list):
            await self.api.call("chat.update", channel=channel, ts=msg_ts,
                                text=str(message.get("text") or label),
                                blocks=render_slack.after_click(blocks, label))
        thread_ts = safe_ts(message.get("thread_ts")) or None
        meta = {"team": team, "user": user, "channel": channel, "ts": msg_ts,
                "thread_ts": thread_ts, "click": text}
        if channel.startswith("D"):
            await self._say(on_new_message, text, dm_conversation(team, user),
                            SlackOutput(self.api, channel, thread_ts), {**meta, "where": "dm"})
        else:
            root = thread_ts or msg_ts
            await self._say(on_new_message, text,
                            thread_conversation(team, channel, root, user),
                            SlackOutput(self.api, channel, root, owner=user),
                            {**meta, "where": "thread"})

    async def _answer_in_thread(self, payload: Dict[str, Any], token: str, team: str,
                                user: str, on_new_message: OnNewMessage) -> None:
        kept = self.pending.pop(token, None)
        container = payload.get("container") or {}
        channel = kept[1].channel if kept else safe_id(container.get("channel_id"))
        root = kept[1].thread_root if kept else safe_ts(container.get("thread_ts"))
        if not (channel and root):
            logger.warning("Slack: the thread for %s's choice is unknown; nothing to do", user)
            return
        self.store.set_pref(_thread_key(team, channel, root, user), "thread")
        response_url = payload.get("response_url")
        if isinstance(response_url, str) and response_url.startswith(("https://", "http://")):
            await self.api.post_json(response_url, {"replace_original": True,
                                                    **render_slack.privacy_chosen_thread()})
        if kept is None:
            await self.api.call("chat.postEphemeral", channel=channel, user=user, thread_ts=root,
                                text="I no longer have that message - mention me again in this "
                                     "thread and I'll answer here.")
            return
        m = kept[1]
        meta = {"team": m.team, "user": m.user, "channel": m.channel, "ts": m.ts,
                "thread_ts": m.thread_ts, "event_id": m.event_id, "where": "thread"}
        await self._say(on_new_message, m.text, thread_conversation(team, channel, root, user),
                        SlackOutput(self.api, channel, root, owner=user), meta)


def _thread_key(team: str, channel: str, root: str, user: str) -> str:
    return f"where:{team}:{channel}:{root}:{user}"
