"""interview_advisor.webchat: origins, session ids, the bot_uttered payload and the history,
without Rasa (the channel that uses them is tested against the real server in
test_webchat_channel.py)."""

from __future__ import annotations

import secrets

from interview_advisor import webchat
from interview_advisor.dialogue.reply import Flag, Quote, Reply, Suggestion


def test_session_ids_must_be_128_random_bits_in_hex() -> None:
    assert webchat.valid_session_id(secrets.token_hex(16))
    for bad in ("", "alice", "e2e-test", secrets.token_hex(15), secrets.token_hex(17),
                secrets.token_hex(16).upper(), secrets.token_hex(16) + "\n", None, 12,
                "../" + secrets.token_hex(15)):
        assert not webchat.valid_session_id(bad), bad


def test_origins_default_to_the_demo_page_and_follow_the_environment() -> None:
    assert webchat.allowed_origins({}) == ["http://127.0.0.1:8080", "http://localhost:8080"]
    assert webchat.allowed_origins({"WEB_PORT": "9000"}) == [
        "http://127.0.0.1:9000", "http://localhost:9000"]
    assert webchat.allowed_origins(
        {"WEB_ALLOWED_ORIGINS": " https://jobs.example.org/, http://127.0.0.1:3000 ,",
         "WEB_PORT": "9000"}) == ["https://jobs.example.org", "http://127.0.0.1:3000"]


def test_a_reply_is_one_event_with_text_and_the_reply_json() -> None:
    reply = Reply(kind="advice", flags=[Flag("vague_job_description", "Vague job description",
                                             "why", quotes=[Quote("<b>they</b> said")])],
                  suggestions=[Suggestion("Why?", "why?")], rateable=True)
    event = webchat.bot_event({"text": "plain", "custom": {"reply": reply.to_json()}})
    assert event == {"text": "plain", "reply": reply.to_json()}
    assert Reply.from_json(event["reply"]) == reply


def test_a_message_without_a_reply_keeps_its_text_and_buttons() -> None:
    assert webchat.bot_event({"text": "Hi", "buttons": [
        {"title": "Why?", "payload": "why?"}, {"title": "Summary"}, {"payload": "x"}]}) == {
        "text": "Hi", "buttons": [{"title": "Why?", "payload": "why?"},
                                  {"title": "Summary", "payload": "Summary"}]}
    # a custom payload that is not the reply model is not passed on (nor emitted as kwargs)
    assert webchat.bot_event({"text": "Hi", "custom": {"type": "advice", "room": "x"}}) == {
        "text": "Hi", "buttons": []}
    assert webchat.bot_event({"text": ""}) is None
    assert webchat.bot_event({}) is None


def test_history_from_tracker_events() -> None:
    reply = Reply(kind="advice", message="ok").to_json()
    events = [
        {"event": "action", "name": "action_session_start"},
        {"event": "session_started"},
        {"event": "user", "text": "The recruiter was vague", "parse_data": {}},
        {"event": "bot", "text": "Red flags: ...", "data": {"custom": {"reply": reply}}},
        {"event": "slot", "name": "x", "value": 1},
        {"event": "user", "text": "<img src=x>"},
        {"event": "bot", "text": "Hello", "data": {"buttons": [{"title": "Why?",
                                                              "payload": "why?"}]}},
        {"event": "bot", "text": None, "data": {}},
    ]
    assert webchat.history(events) == [
        {"role": "user", "text": "The recruiter was vague"},
        {"role": "bot", "text": "Red flags: ...", "reply": reply},
        {"role": "user", "text": "<img src=x>"},
        {"role": "bot", "text": "Hello", "buttons": [{"title": "Why?", "payload": "why?"}]},
    ]
