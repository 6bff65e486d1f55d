"""The Slack channel end to end: the real Rasa server with ``channels.slack.SlackChannel`` (from
the credentials file scripts/credentials.py writes), the real action server, and a fake Slack
Web API on a free localhost port (``SLACK_API_URL``), fed with correctly signed events.

One stack per module (the last test restarts its Rasa server); every test uses its own Slack
user, so conversations never mix.
"""

from __future__ import annotations

import http.client
import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest

from .conftest import ROOT, rs, slack_env, write_credentials
from .fake_slack import (
    TEAM,
    Call,
    FakeSlack,
    SlackSender,
    click_payload,
    dm_event,
    mention_event,
    new_ts,
)

pytestmark = pytest.mark.slow

VAGUE = ("I had an interview at Acme yesterday. The recruiter couldn't tell me what the job "
         "actually is, and they took three weeks to answer my emails.")
EVIL = ("I had an interview yesterday. The recruiter couldn't tell me what the "
        "<https://evil.example|click> job actually is <!channel> at all")
WAIT = 90.0


@dataclass
class SlackBot:
    stack: rs.RasaStack
    fake: FakeSlack
    sender: SlackSender
    log_dir: Path

    def rasa_log(self) -> str:
        assert self.stack.rasa_server is not None
        return self.stack.rasa_server.log_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlackBot]:
    keep = os.environ.get("SLACK_E2E_LOG_DIR")  # keep the logs where you want them
    tmp = Path(keep) if keep else tmp_path_factory.mktemp("slack-e2e")
    tmp.mkdir(parents=True, exist_ok=True)
    model = rs.ensure_model(ROOT, log_path=tmp / "train.log")
    with FakeSlack() as fake:
        env = slack_env(fake, tmp / "slack-events.sqlite3")
        credentials = write_credentials(tmp / "credentials.yml", env)
        with rs.RasaStack(ROOT, model=model.path, log_dir=tmp, name="slack",
                          credentials=credentials, extra_env=env) as stack:
            assert stack.info is not None
            yield SlackBot(stack, fake, SlackSender(stack.info.rasa_port), tmp)


@pytest.fixture
def user() -> str:
    return "U" + uuid.uuid4().hex[:9].upper()


def dm_of(user: str) -> str:
    return "D" + user[1:]


def blocks_text(blocks: List[Dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def buttons(body: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [dict(el, block_id=b.get("block_id")) for b in body.get("blocks") or []
            if b.get("type") == "actions" for el in b["elements"]]


def posts(calls: List[Call], channel: str, thread_ts: Optional[str] = None) -> List[Call]:
    return [c for c in calls if c.method == "chat.postMessage" and c.status == 200
            and c.body.get("channel") == channel
            and (thread_ts is None or c.body.get("thread_ts") == thread_ts)]


def wait_post(bot: SlackBot, since: int, channel: str,
              match: Callable[[Call], bool] = lambda c: True,
              thread_ts: Optional[str] = None) -> Call:
    """The first chat.postMessage to ``channel`` (since ``since``) that ``match``es."""
    try:
        calls = bot.fake.wait_for(lambda cs: any(match(c) for c in posts(cs, channel, thread_ts)),
                                  WAIT, since)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{bot.stack.log_tails(40)}") from None
    return next(c for c in posts(calls, channel, thread_ts) if match(c))


def settle(bot: SlackBot, quiet: float = 2.0) -> None:
    """Wait until the fake Slack has had no call for ``quiet`` seconds."""
    last = -1
    while True:
        n = bot.fake.mark()
        if n == last:
            return
        last = n
        time.sleep(quiet)


def is_advice(call: Call) -> bool:
    return "Vague job description" in blocks_text(call.body.get("blocks") or [])


def all_events(bot: SlackBot, sender: str) -> List[Dict[str, Any]]:
    assert bot.stack.info is not None
    conn = http.client.HTTPConnection("127.0.0.1", bot.stack.info.rasa_port, timeout=10)
    try:
        conn.request("GET", f"/conversations/{sender}/tracker?include_events=ALL")
        resp = conn.getresponse()
        body = resp.read().decode("utf-8")
    finally:
        conn.close()
    assert resp.status == 200, body
    events: List[Dict[str, Any]] = json.loads(body)["events"]
    return events


def message_of(call: Call) -> Dict[str, Any]:
    """The message as Slack would include it in an interactivity payload."""
    message = {"type": "message", "ts": call.answer["ts"], "text": call.body.get("text"),
               "blocks": call.body.get("blocks"), "bot_id": "B0BOT", "user": "UBOT0001"}
    if call.body.get("thread_ts"):
        message["thread_ts"] = call.body["thread_ts"]
    return message


# ------------------------------------------------------------------------------------------

def test_a_dm_describing_an_interview_gets_block_kit_advice(bot: SlackBot, user: str) -> None:
    since = bot.fake.mark()
    _, answer = bot.sender.event(dm_event(user, VAGUE))
    assert answer.status == 200, answer.body
    call = wait_post(bot, since, dm_of(user), is_advice)
    body, blocks = call.body, call.body["blocks"]
    assert "thread_ts" not in body
    assert blocks[0]["type"] == "header"
    flag = next(b["text"]["text"] for b in blocks
                if b["type"] == "section" and "Vague job description" in b["text"]["text"])
    assert "> couldn't tell me what the job" in flag           # the person's words, quoted
    text = blocks_text(blocks)
    assert "☐ " in text                                          # next steps as a checklist
    values = [b["value"] for b in buttons(body)]
    assert "why?" in values and "that helped" in values and "not helpful" in values
    assert body["text"].strip() and "Vague job description" in body["text"]  # text fallback
    settle(bot)  # Rasa saves the tracker once the whole turn is done
    events = all_events(bot, f"slack_{TEAM}_{user}")
    said = [e for e in events if e["event"] == "user"]
    assert [(e["text"], e["input_channel"]) for e in said] == [(VAGUE, "slack")], \
        [(e["event"], e.get("name") or e.get("text")) for e in events]


def test_json_with_a_charset_is_processed(bot: SlackBot, user: str) -> None:
    since = bot.fake.mark()
    _, answer = bot.sender.event(dm_event(user, "hi"),
                                 content_type="application/json; charset=utf-8")
    assert answer.status == 200, answer.body
    wait_post(bot, since, dm_of(user))


def test_a_mention_gets_a_private_notice_in_its_thread_and_the_answer_in_a_dm(
        bot: SlackBot, user: str) -> None:
    channel, ts = "C0GENERAL", new_ts()
    since = bot.fake.mark()
    event_id, answer = bot.sender.event(mention_event(user, channel, VAGUE, ts=ts))
    assert answer.status == 200
    advice = wait_post(bot, since, dm_of(user), is_advice)
    calls = bot.fake.wait_method("chat.postEphemeral", since=since)
    notice = next(c for c in calls if c.body["user"] == user)
    assert notice.body["channel"] == channel and notice.body["thread_ts"] == ts
    assert "Colleagues" in notice.body["text"]
    assert [c.body["users"] for c in bot.fake.of("conversations.open", since)] == [user]
    assert "thread_ts" not in advice.body
    settle(bot)
    assert not posts(bot.fake.calls[since:], channel), "advice was posted in the channel"

    # they choose to be answered in the thread: the advice arrives there, publicly
    (choice,) = buttons(notice.body)
    since = bot.fake.mark()
    payload = click_payload(user, channel, {"ts": notice.answer["message_ts"]}, choice,
                            choice["block_id"], bot.fake.response_url())
    payload["container"].update(is_ephemeral=True, thread_ts=ts)
    payload.pop("message")
    assert bot.sender.payload(payload).status == 200
    in_thread = wait_post(bot, since, channel, is_advice, thread_ts=ts)
    assert all(b["block_id"].endswith(":" + user) for b in buttons(in_thread.body))
    (replaced,) = bot.fake.wait_method("response_url", since=since)
    assert replaced.body["replace_original"] is True

    # a colleague's click on those buttons does not drive this person's conversation
    settle(bot)
    colleague = "U" + uuid.uuid4().hex[:9].upper()
    why = next(b for b in buttons(in_thread.body) if b["value"] == "why?")
    since = bot.fake.mark()
    assert bot.sender.payload(click_payload(colleague, channel, message_of(in_thread), why,
                                            why["block_id"], bot.fake.response_url())
                              ).status == 200
    (hint,) = bot.fake.wait_method("chat.postEphemeral", since=since)
    assert hint.body["user"] == colleague and f"<@{user}>" in hint.body["text"]
    settle(bot)
    assert [c.method for c in bot.fake.calls[since:]] == ["chat.postEphemeral"]

    # and later mentions in that thread are answered in the thread straight away
    settle(bot)
    since = bot.fake.mark()
    bot.sender.event(mention_event(user, channel, "hi again", ts=new_ts(), thread_ts=ts))
    wait_post(bot, since, channel, thread_ts=ts)
    assert not bot.fake.of("chat.postEphemeral", since)


def test_a_button_click_is_answered_and_the_message_updated(bot: SlackBot, user: str) -> None:
    since = bot.fake.mark()
    bot.sender.event(dm_event(user, VAGUE))
    advice = wait_post(bot, since, dm_of(user), is_advice)
    settle(bot)
    why = next(b for b in buttons(advice.body) if b["value"] == "why?")
    click = click_payload(user, dm_of(user), message_of(advice), why, why["block_id"],
                          bot.fake.response_url())
    since = bot.fake.mark()
    assert bot.sender.payload(click).status == 200
    (update,) = bot.fake.wait_method("chat.update", since=since)
    assert update.body["channel"] == dm_of(user) and update.body["ts"] == advice.answer["ts"]
    assert not [b for b in update.body["blocks"] if b["type"] == "actions"]
    assert "You chose *Why?*" in blocks_text(update.body["blocks"])
    answer = wait_post(bot, since, dm_of(user), lambda c: c.answer["ts"] != advice.answer["ts"])
    assert answer.body["blocks"]
    settle(bot)

    # the same message's buttons cannot be used twice
    since = bot.fake.mark()
    assert bot.sender.payload(click).status == 200
    settle(bot)
    assert not bot.fake.calls[since:]


def test_the_helpful_button_records_feedback_against_the_rules(bot: SlackBot,
                                                                user: str) -> None:
    from interview_advisor.feedback import FeedbackStore

    since = bot.fake.mark()
    bot.sender.event(dm_event(user, VAGUE))
    advice = wait_post(bot, since, dm_of(user), is_advice)
    settle(bot)
    # the rule ids are not in the blocks: compare the store's report before and after
    store = FeedbackStore(bot.log_dir / "feedback.sqlite3")
    before = {r.rule_id: r.helpful for r in store.report()}
    helpful = next(b for b in buttons(advice.body) if b["value"] == "that helped")
    since = bot.fake.mark()
    click = click_payload(user, dm_of(user), message_of(advice), helpful, helpful["block_id"],
                          bot.fake.response_url())
    assert bot.sender.payload(click).status == 200
    wait_post(bot, since, dm_of(user))
    (update,) = bot.fake.wait_method("chat.update", since=since)
    assert "Helpful" in blocks_text(update.body["blocks"])
    settle(bot)
    after = {r.rule_id: r.helpful for r in store.report()}
    gained = [rule for rule, n in after.items() if n > before.get(rule, 0)]
    assert gained, f"no helpful rating recorded: {before} -> {after}"


@pytest.mark.parametrize("case, status", [("bad signature", 401), ("stale timestamp", 401),
                                          ("missing signature", 400),
                                          ("missing timestamp", 400)])
def test_unauthentic_requests_are_refused_and_nothing_is_processed(
        bot: SlackBot, user: str, case: str, status: int) -> None:
    since = bot.fake.mark()
    kw: Dict[str, Any] = {
        "bad signature": {"signature": "v0=" + "ab" * 32},
        "stale timestamp": {"timestamp": str(int(time.time()) - 6 * 60)},
        "missing signature": {"signature": None},
        "missing timestamp": {"timestamp": ""},
    }[case]
    _, answer = bot.sender.event(dm_event(user, VAGUE), **kw)
    assert answer.status == status, answer.body
    time.sleep(3)
    assert not bot.fake.calls[since:]
    assert not [e for e in all_events(bot, f"slack_{TEAM}_{user}") if e["event"] == "user"]


def test_the_url_verification_challenge_is_answered(bot: SlackBot) -> None:
    body = json.dumps({"token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHk"
                       "vFXO7tYXAYM8P", "type": "url_verification"}).encode()
    answer = bot.sender.post(body, "application/json")
    assert answer.status == 200
    assert answer.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    assert bot.sender.post(body, "application/json", signature=None).status == 400


def test_the_persons_words_are_quoted_back_escaped(bot: SlackBot, user: str) -> None:
    since = bot.fake.mark()
    bot.sender.event(dm_event(user, EVIL))
    call = wait_post(bot, since, dm_of(user), is_advice)
    settle(bot)
    sent = json.dumps([c.body for c in bot.fake.calls[since:]], ensure_ascii=False)
    flag = next(b["text"]["text"] for b in call.body["blocks"]
                if b["type"] == "section" and "Vague job description" in b["text"]["text"])
    assert "the &lt;https://evil.example|click&gt; job" in flag, flag  # quoted, escaped
    for raw in ("<!", "<https://evil.example", "<@"):
        assert raw not in sent


def test_a_429_is_retried_after_retry_after_and_the_answer_arrives(bot: SlackBot,
                                                                    user: str) -> None:
    settle(bot)
    since = bot.fake.mark()
    bot.fake.fail_next("chat.postMessage", status=429, retry_after=1)
    bot.sender.event(dm_event(user, "hi"))
    answer = wait_post(bot, since, dm_of(user))
    limited = [c for c in bot.fake.calls[since:]
               if c.method == "chat.postMessage" and c.status == 429]
    assert len(limited) == 1 and limited[0].body["channel"] == dm_of(user)
    assert answer.at - limited[0].at >= 0.95
    assert "rate limited (429), retrying after 1.0 s" in bot.rasa_log()


def test_a_failed_post_is_logged_with_its_code_and_the_conversation_goes_on(
        bot: SlackBot, user: str) -> None:
    settle(bot)
    bot.fake.fail_next("chat.postMessage", status=200, retry_after=None,
                       error="channel_not_found")
    since = bot.fake.mark()
    bot.sender.event(dm_event(user, VAGUE))
    bot.fake.wait_for(lambda cs: any(c.method == "chat.postMessage" and c.status == 200
                                     and c.answer.get("error") == "channel_not_found"
                                     for c in cs), WAIT, since)
    settle(bot)
    assert "Slack chat.postMessage failed: channel_not_found" in bot.rasa_log()
    since = bot.fake.mark()
    bot.sender.event(dm_event(user, "why?"))
    why = wait_post(bot, since, dm_of(user))
    assert "Vague job description" in json.dumps(why.body) or \
        "writing" in json.dumps(why.body).lower()


RETRY_REASONS = ("http_timeout", "http_error", "unknown_error", "too_many_redirects",
                 "ssl_error")


def test_retries_of_a_handled_event_are_not_answered_again_even_after_a_restart(
        bot: SlackBot, user: str) -> None:
    event = dm_event(user, VAGUE)
    since = bot.fake.mark()
    event_id, _ = bot.sender.event(event)
    wait_post(bot, since, dm_of(user), is_advice)
    settle(bot)
    answered = len(posts(bot.fake.calls[since:], dm_of(user)))

    def retry(num: int, reason: str) -> None:
        _, answer = bot.sender.event(event, event_id=event_id,
                                     extra={"X-Slack-Retry-Num": str(num),
                                            "X-Slack-Retry-Reason": reason})
        assert answer.status == 200 and answer.headers.get("X-Slack-No-Retry") == "1"

    for num, reason in enumerate(RETRY_REASONS, start=1):
        retry(num, reason)
    settle(bot)
    assert len(posts(bot.fake.calls[since:], dm_of(user))) == answered

    bot.stack.restart_rasa()
    mark = bot.fake.mark()
    for num, reason in enumerate(RETRY_REASONS, start=1):
        retry(num, reason)
    bot.sender.event(dm_event(user, "hi"))   # a new event is still answered after the restart
    wait_post(bot, mark, dm_of(user))
    settle(bot)
    assert not [c for c in posts(bot.fake.calls[mark:], dm_of(user)) if is_advice(c)]


def test_the_server_refuses_to_start_with_a_placeholder_token(
        tmp_path: Path, fake_slack: FakeSlack) -> None:
    """The channel itself refuses placeholders too (credentials.py is not the only gate)."""
    import yaml

    from interview_advisor.slack_events import SLACK_CREDENTIALS

    credentials = tmp_path / "credentials.yml"
    credentials.write_text(yaml.safe_dump({"rest": None, **SLACK_CREDENTIALS}), encoding="utf-8")
    env = {**slack_env(fake_slack, tmp_path / "events.sqlite3"),
           "SLACK_BOT_TOKEN": "xoxb-your-token"}
    model = rs.ensure_model(ROOT, log_path=tmp_path / "train.log")
    stack = rs.RasaStack(ROOT, model=model.path, actions=None, log_dir=tmp_path,
                         name="placeholder", credentials=credentials, extra_env=env,
                         startup_timeout=180)
    try:
        with pytest.raises(rs.ServerError) as err:
            stack.start()
    finally:
        stack.stop()
    assert "looks like a placeholder" in str(err.value)
    assert "xoxb-your-token" not in str(err.value)
