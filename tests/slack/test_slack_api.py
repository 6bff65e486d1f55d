"""The Slack Web API client against the fake Slack on localhost (no Rasa)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from interview_advisor.slack_api import SlackWebAPI

from .fake_slack import TOKEN, FakeSlack


def call(fake: FakeSlack, method: str, token: str = TOKEN, **params: object):
    async def go():
        api = SlackWebAPI(token, fake.api_url)
        try:
            return await api.call(method, **params)
        finally:
            await api.close()
    return asyncio.run(go())


def test_posts_json_with_the_bot_token_to_the_configured_base(fake_slack: FakeSlack) -> None:
    result = call(fake_slack, "chat.postMessage", channel="D1", text="hi <b>",
                  blocks=[{"type": "divider"}])
    assert result.ok and result.data["ts"]
    (posted,) = fake_slack.of("chat.postMessage")
    assert posted.headers["Authorization"] == f"Bearer {TOKEN}"
    assert posted.headers["Content-Type"] == "application/json; charset=utf-8"
    assert posted.body == {"channel": "D1", "text": "hi <b>", "blocks": [{"type": "divider"}]}


def test_a_429_is_retried_after_retry_after(fake_slack: FakeSlack,
                                            caplog: pytest.LogCaptureFixture) -> None:
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=1)
    with caplog.at_level(logging.WARNING, logger="interview_advisor.slack_api"):
        result = call(fake_slack, "chat.postMessage", channel="D1", text="hi")
    assert result.ok and result.attempts == 2
    first, second = fake_slack.of("chat.postMessage")
    assert first.status == 429 and second.status == 200
    assert second.at - first.at >= 0.95
    assert "rate limited (429), retrying after 1.0 s" in caplog.text


def test_slack_errors_are_logged_with_their_code(fake_slack: FakeSlack,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    fake_slack.fail_next("chat.postMessage", status=200, retry_after=None,
                         error="channel_not_found")
    with caplog.at_level(logging.ERROR, logger="interview_advisor.slack_api"):
        result = call(fake_slack, "chat.postMessage", channel="C404", text="hi")
    assert not result.ok and result.error == "channel_not_found"
    assert "Slack chat.postMessage failed: channel_not_found" in caplog.text
    bad = call(fake_slack, "chat.postMessage", token="xoxb-wrong", channel="D1", text="x")
    assert bad.error == "invalid_auth"


def test_a_server_error_is_retried_once(fake_slack: FakeSlack) -> None:
    fake_slack.fail_next("chat.update", status=503, retry_after=None)
    fake_slack.fail_next("chat.update", status=503, retry_after=None)
    result = call(fake_slack, "chat.update", channel="D1", ts="1.2", text="x")
    assert not result.ok and result.error == "fatal_error" and result.attempts == 2
    assert [c.status for c in fake_slack.of("chat.update")] == [503, 503]


def test_a_network_error_is_reported_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    with FakeSlack() as fake:
        url = fake.api_url
    async def go():
        api = SlackWebAPI(TOKEN, url)
        try:
            return await api.call("chat.postMessage", channel="D1", text="x")
        finally:
            await api.close()
    with caplog.at_level(logging.ERROR, logger="interview_advisor.slack_api"):
        result = asyncio.run(go())
    assert not result.ok and result.error == "network_error"
    assert "network_error" in caplog.text
