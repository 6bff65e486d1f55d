"""A small asynchronous client for Slack's Web API (no Rasa).

- The base address is configurable (``SLACK_API_URL``; default ``https://slack.com/api/``), so
  tests and benchmarks talk to a fake Slack on localhost.
- A ``429`` is retried after its ``Retry-After`` seconds (a few times), a 5xx or a network
  error once after a second.
- Every failure is logged with the method and Slack's error code (``channel_not_found``,
  ``invalid_auth``, ``ratelimited`` ...) and returned, never raised: a failed post must not
  break the conversation that produced it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

import aiohttp

logger = logging.getLogger(__name__)


@dataclass
class ApiResult:
    method: str
    ok: bool
    data: Dict[str, Any] = field(default_factory=dict)
    error: Optional[str] = None   # Slack's error code, or http_<status> / network_error
    attempts: int = 1


class SlackWebAPI:
    def __init__(self, token: str, base_url: str = "https://slack.com/api/",
                 max_rate_limit_retries: int = 3, max_retry_after: float = 60.0,
                 timeout: float = 30.0) -> None:
        self.token = token
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.max_rate_limit_retries = max_rate_limit_retries
        self.max_retry_after = max_retry_after
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: Optional[aiohttp.ClientSession] = None

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def call(self, method: str, **params: Any) -> ApiResult:
        """POST ``params`` as JSON to ``<base>/<method>``."""
        return await self.post_json(self.base_url + method, params, method=method,
                                    auth=True)

    async def post_json(self, url: str, body: Dict[str, Any], method: Optional[str] = None,
                        auth: bool = False) -> ApiResult:
        """POST JSON to ``url`` (a Web API method, or an interaction's ``response_url``)."""
        name = method or "response_url"
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if auth:
            headers["Authorization"] = f"Bearer {self.token}"
        attempts, rate_limited, failed_once = 0, 0, False
        while True:
            attempts += 1
            try:
                async with self._get_session().post(url, json=body, headers=headers) as resp:
                    if resp.status == 429 and rate_limited < self.max_rate_limit_retries:
                        rate_limited += 1
                        wait = _retry_after(resp.headers.get("Retry-After"),
                                            self.max_retry_after)
                        logger.warning("Slack %s: rate limited (429), retrying after %s s "
                                       "(retry %d of %d)", name, wait, rate_limited,
                                       self.max_rate_limit_retries)
                        await asyncio.sleep(wait)
                        continue
                    if resp.status >= 500 and not failed_once:
                        failed_once = True
                        logger.warning("Slack %s: HTTP %d, retrying once in 1 s",
                                       name, resp.status)
                        await asyncio.sleep(1.0)
                        continue
                    text = await resp.text()
                    status = resp.status
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                if not failed_once:
                    failed_once = True
                    logger.warning("Slack %s: %s: %s, retrying once in 1 s",
                                   name, type(exc).__name__, exc)
                    await asyncio.sleep(1.0)
                    continue
                logger.error("Slack %s failed: network_error (%s: %s)",
                             name, type(exc).__name__, exc)
                return ApiResult(name, False, {}, "network_error", attempts)
            return _result(name, status, text, attempts)


def _retry_after(value: Optional[str], cap: float) -> float:
    try:
        seconds = float(value) if value is not None else 1.0
    except ValueError:
        seconds = 1.0
    return max(0.0, min(seconds, cap))


def _result(name: str, status: int, text: str, attempts: int) -> ApiResult:
    import json

    data: Dict[str, Any] = {}
    try:
        loaded = json.loads(text) if text else {}
        if isinstance(loaded, dict):
            data = loaded
    except ValueError:
        data = {}
    if status == 200 and (data.get("ok") or (not data and text.strip() == "ok")):
        # response_url answers a bare "ok"; the Web API answers {"ok": true, ...}
        if data.get("warning"):
            logger.info("Slack %s: warning %s", name, data.get("warning"))
        return ApiResult(name, True, data, None, attempts)
    error = str(data.get("error") or f"http_{status}")
    detail = data.get("response_metadata", {}).get("messages") if isinstance(
        data.get("response_metadata"), dict) else None
    logger.error("Slack %s failed: %s (HTTP %d)%s", name, error, status,
                 f" {detail}" if detail else "")
    return ApiResult(name, False, data, error, attempts)
