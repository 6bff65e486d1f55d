"""Signatures, event parsing, the handled-events store and the credentials file (no Rasa)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from interview_advisor.slack_events import (
    EventStore,
    SlackConfigError,
    check_credentials,
    dm_conversation,
    effective_credentials,
    is_placeholder,
    media_type,
    parse_event,
    parse_form_payload,
    sign,
    thread_conversation,
    verify_request,
)

from .fake_slack import BOT_USER, SECRET, TEAM, TOKEN, dm_event, mention_event

ROOT = Path(__file__).resolve().parents[2]
BODY = b'{"type":"event_callback"}'


def test_a_correct_signature_is_accepted() -> None:
    ts = str(int(time.time()))
    assert verify_request(SECRET, ts, sign(SECRET, ts, BODY), BODY).ok


@pytest.mark.parametrize("case, status", [
    ("bad signature", 401), ("other secret", 401), ("stale", 401), ("future", 401),
    ("no signature", 400), ("no timestamp", 400), ("malformed timestamp", 400),
    ("body changed", 401)])
def test_bad_requests_are_refused(case: str, status: int) -> None:
    now = int(time.time())
    ts = str(now - 301) if case == "stale" else str(now + 301) if case == "future" else str(now)
    signature = sign("another-secret-0123456789" if case == "other secret" else SECRET, ts, BODY)
    body = BODY + b" " if case == "body changed" else BODY
    args = {"bad signature": (ts, "v0=" + "0" * 64), "no signature": (ts, None),
            "no timestamp": (None, signature), "malformed timestamp": ("12x", signature)}
    timestamp, sig = args.get(case, (ts, signature))
    verdict = verify_request(SECRET, timestamp, sig, body)
    assert not verdict.ok and verdict.status == status, verdict


def test_media_type_ignores_parameters() -> None:
    assert media_type("application/json; charset=utf-8") == "application/json"
    assert media_type("Application/JSON") == "application/json"
    assert media_type(None) == ""


def envelope(event: dict) -> dict:
    return {"type": "event_callback", "team_id": TEAM, "event_id": "Ev1", "event": event,
            "authorizations": [{"user_id": BOT_USER}]}


def test_a_direct_message_is_parsed() -> None:
    m = parse_event(envelope(dm_event("U1", "hello &lt;there&gt; &amp; you")))
    assert m is not None and m.kind == "dm" and m.user == "U1" and m.channel == "D1"
    assert m.text == "hello <there> & you"
    assert dm_conversation(m.team, m.user) == f"slack_{TEAM}_U1"


def test_a_mention_loses_the_bot_mention_and_keeps_other_markup() -> None:
    m = parse_event(envelope(mention_event("U1", "C1", "hi <!channel> <https://e.x|c>",
                                           ts="1.5")))
    assert m is not None and m.kind == "mention" and m.thread_root == "1.5"
    assert m.text == "hi <!channel> <https://e.x|c>"
    assert thread_conversation(m.team, m.channel, m.thread_root, m.user) == \
        f"slack_{TEAM}_C1_1.5_U1"
    in_thread = parse_event(envelope(mention_event("U1", "C1", "more", ts="2.5",
                                                   thread_ts="1.5")))
    assert in_thread is not None and in_thread.thread_root == "1.5"


@pytest.mark.parametrize("change", [
    {"bot_id": "B1"}, {"subtype": "message_changed"}, {"user": BOT_USER}, {"text": "   "},
    {"channel_type": "channel"}, {"type": "reaction_added"}, {"user": "not an id"}])
def test_events_the_bot_ignores(change: dict) -> None:
    assert parse_event(envelope({**dm_event("U1", "hi"), **change})) is None


def test_form_payload() -> None:
    assert parse_form_payload(b"payload=%7B%22type%22%3A%22block_actions%22%7D") == \
        {"type": "block_actions"}
    assert parse_form_payload(b"payload=not-json") is None
    assert parse_form_payload(b"other=1") is None


def test_the_store_remembers_across_a_restart(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "events.sqlite3")
    assert store.first("event:Ev1")
    assert not store.first("event:Ev1")
    store.set_pref("where:x", "thread")
    store.close()
    again = EventStore(tmp_path / "events.sqlite3")
    assert not again.first("event:Ev1") and again.seen("event:Ev1")
    assert again.first("event:Ev2")
    assert again.pref("where:x") == "thread" and again.pref("where:y") is None
    again.close()


def test_the_store_forgets_old_events(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "e.sqlite3", keep_seconds=0.05)
    assert store.first("k")
    time.sleep(0.1)
    store.prune()
    assert store.first("k")


@pytest.mark.parametrize("token, secret", [
    ("changeme", SECRET), ("xoxb-your-token", SECRET), (TOKEN, "changeme"),
    (TOKEN, "your-signing-secret"), ("xoxp-1234-5678-abcdef", SECRET), (TOKEN, "short"),
    ("", SECRET), (TOKEN, "")])
def test_placeholder_or_malformed_credentials_are_refused(token: str, secret: str) -> None:
    with pytest.raises(SlackConfigError) as err:
        check_credentials(token, secret)
    assert SECRET not in str(err.value)


def test_real_looking_credentials_pass() -> None:
    check_credentials(TOKEN, SECRET)
    assert not is_placeholder("8f742231b10e8888abcd99yyyzzz85a5")


def test_effective_credentials_add_slack_only_when_both_are_set() -> None:
    base = {"rest": None, "socketio": {"x": 1}}
    assert effective_credentials(base, {}) == base
    assert effective_credentials(base, {"SLACK_BOT_TOKEN": TOKEN}) == base
    both = effective_credentials(base, {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET})
    assert both["channels.slack.SlackChannel"] == {
        "slack_token": "${SLACK_BOT_TOKEN}", "slack_signing_secret": "${SLACK_SIGNING_SECRET}"}
    assert both["rest"] is None and both["socketio"] == {"x": 1}


def run_cli(tmp_path: Path, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "credentials.py"),
                           str(tmp_path / "out.yml")], env={**clean, **env},
                          capture_output=True, text=True, check=False)


def test_credentials_cli_with_and_without_slack(tmp_path: Path) -> None:
    without = run_cli(tmp_path, {})
    assert without.returncode == 0, without.stderr
    data = yaml.safe_load((tmp_path / "out.yml").read_text())
    assert "channels.rest.GuardedRestInput" in data  # the `rest` channel (channels/rest.py)
    assert "channels.slack.SlackChannel" not in data
    with_slack = run_cli(tmp_path, {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET})
    assert with_slack.returncode == 0, with_slack.stderr
    text = (tmp_path / "out.yml").read_text()
    assert "${SLACK_BOT_TOKEN}" in text and TOKEN not in text and SECRET not in text
    assert "with Slack" in with_slack.stderr


def test_credentials_cli_refuses_placeholders(tmp_path: Path) -> None:
    result = run_cli(tmp_path, {"SLACK_BOT_TOKEN": "xoxb-your-token",
                                "SLACK_SIGNING_SECRET": "changeme"})
    assert result.returncode == 2
    assert "placeholder" in result.stderr and not (tmp_path / "out.yml").exists()


def test_the_manifest_asks_only_for_the_scopes_the_bot_uses() -> None:
    manifest = yaml.safe_load((ROOT / "slack" / "manifest.yml").read_text(encoding="utf-8"))
    scopes = manifest["oauth_config"]["scopes"]
    assert set(scopes) == {"bot"}
    assert sorted(scopes["bot"]) == ["app_mentions:read", "chat:write", "im:history", "im:write"]
    settings = manifest["settings"]
    assert sorted(settings["event_subscriptions"]["bot_events"]) == ["app_mention", "message.im"]
    url = "https://YOUR-PUBLIC-HOST/webhooks/slack/webhook"
    assert settings["event_subscriptions"]["request_url"] == url
    assert settings["interactivity"] == {"is_enabled": True, "request_url": url}
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    docs = (ROOT / "docs" / "slack.md").read_text(encoding="utf-8")
    for scope in scopes["bot"]:
        assert f"`{scope}`" in docs
