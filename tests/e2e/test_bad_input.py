"""Bad input against the real servers: every item of the "Bad input" list of issue 10, over the
REST channel and the action server's own endpoint (POST /webhook).

Each bad input must get a reply a person understands (or, for a malformed request, a 4xx
status), must not crash either server, and must not lose the conversation: every test starts
by telling the bot about an interview at Acme with a vague job description, and checks
afterwards that the conversation still knows the company and the red flag.
"""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from typing import Any, Dict, List, Optional, Tuple

import pytest

from .conftest import Conversation, rs

pytestmark = pytest.mark.slow

STORY = ("I had an interview at Acme yesterday. The recruiter couldn't tell me what the job "
         "actually is.")
FLAG = "vague_job_description"
UNREADABLE = "unreadable_input"   # interview_advisor.UNREADABLE (not imported: no spaCy here)
HUGE = "word " * 20_000  # 100 KB

#: (message, words the reply must contain - lower case)
BAD_MESSAGES: List[Tuple[str, Tuple[str, ...]]] = [
    ("", ("didn't get any text",)),
    ("   \n\t  ", ("didn't get any text",)),
    ("\u200b\u200c\u200d\ufeff\u2060", ("didn't get any text",)),
    ("\x00\x01\x02\x1b\x7f", ("didn't get any text",)),
    (HUGE, ("too long", "5,000", "summarise")),
    ("🦄🦄🦄", ("emoji",)),
    ("Hallo, ich hatte gestern ein Vorstellungsgespräch und bin unsicher.",
     ("only understand english",)),
    ("Hola, ayer tuve una entrevista de trabajo y no sé qué hacer.",
     ("only understand english",)),
    ("Bonjour, j'ai passé un entretien hier et je ne sais pas quoi faire.",
     ("only understand english",)),
    ("Здравствуйте, вчера у меня было собеседование.", ("only understand english",)),
    ("你好，我昨天参加了面试，不知道该怎么办。", ("only understand english",)),
    ('/inform{"company": "Evil Corp"}', ("own words",)),
    ('/greet{"company": "Evil Corp", "stage": "offer"}', ("own words",)),
    ("/restart_everything", ("own words",)),
    ("/nlu_fallback", ("own words",)),
    ('/inform{"company": ', ("own words",)),
    ("/inform{not json", ("own words",)),
    ('/inform{"company": "' + "E" * 20_000 + '"}', ("too long",)),
    ('/inform{"company": "' + "E" * 3_000 + '"}', ("own words",)),
    ('/inform{"company": {"nested": [1, 2, {"deeper": null}]}}', ("own words",)),
    ('/inform@99{"company": "Evil"}', ("own words",)),
]

#: inputs that are plain text and go through understanding as usual (no crash, an answer)
PLAIN_BAD = [
    "<script>alert('x')</script>",
    "<b>the recruiter</b> couldn't say <img src=x onerror=alert(1)> what the job is",
    "the\u200b recruiter\x07 was\u202e rude\ud800 \ufffd",
    "👍",
    "?!?!",
    "'; DROP TABLE trackers; --",
    "{{7*7}} ${7*7} %s %n",
]


def knows_acme(bot: rs.RasaStack, sender: str) -> None:
    slots = bot.tracker(sender)["slots"]
    assert slots.get("company") == "Acme", slots.get("company")
    assert FLAG in (slots.get("flags") or {}), slots.get("flags")


def started(chat) -> Conversation:
    conversation = chat()
    conversation.say(STORY)
    return conversation


@pytest.mark.parametrize("message,expected", BAD_MESSAGES,
                         ids=[f"{i}-{m[:20]!r}" for i, (m, _) in enumerate(BAD_MESSAGES)])
def test_a_bad_message_gets_a_clear_answer_and_the_conversation_goes_on(bot, chat, message,
                                                                       expected):
    conversation = started(chat)
    reply = conversation.say(message)
    said = reply.text.lower()
    for words in expected:
        assert words in said, reply.texts
    assert "evil" not in said and "{" not in said
    knows_acme(bot, conversation.sender)
    assert "Vague job description" in conversation.say("summary").text


@pytest.mark.parametrize("message", PLAIN_BAD)
def test_html_script_and_odd_characters_are_plain_text(bot, chat, message):
    conversation = started(chat)
    reply = conversation.say(message)
    assert reply.texts and all(t.strip() for t in reply.texts)
    assert not any(c in reply.text for c in "\x00\x07\u202e\ud800")
    knows_acme(bot, conversation.sender)


def test_a_fallback_button_payload_still_works(bot, chat):
    conversation = chat()
    reply = conversation.say("hmm the thing with the stuff")
    payloads = [b["payload"] for b in reply.buttons] or [
        s["payload"] for s in reply.custom.get("suggestions") or []]   # the reply model
    if not payloads:
        pytest.skip(f"the bot did not ask 'did you mean' here: {reply.texts}")
    assert all(p.startswith("/") for p in payloads)
    conversation.say(payloads[0])
    latest = bot.tracker(conversation.sender)["latest_message"]
    assert latest["intent"]["name"] == payloads[0][1:] and "input_guard" not in latest


# -- malformed requests to the REST webhook -------------------------------------------------

def raw(port: int, path: str, body: bytes, content_type: Optional[str],
        method: str = "POST") -> Tuple[int, bytes]:
    conn = http.client.HTTPConnection(rs.LOOPBACK, port, timeout=120)
    try:
        headers = {"Content-Type": content_type} if content_type else {}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"k": value}
    return value


def rest_requests(sender: str) -> List[Tuple[str, bytes, Optional[str], int]]:
    """(name, body, content type, the status channels/rest.py answers with)."""
    def body(**data: Any) -> bytes:
        return json.dumps({"sender": sender, **data}).encode()

    deep_text = (json.dumps({"sender": sender, "message": "hi"})[:-1] + ', "metadata": ' +
                 '{"k": ' * 100_000 + "1" + "}" * 100_000 + "}")
    return [
        ("malformed json", b'{"sender": "x", "message": "hi"', "application/json", 400),
        ("not json at all", b"hello there", "application/json", 400),
        ("invalid utf-8", b'{"sender": "' + sender.encode() + b'", "message": "caf\xe9 \xff"}',
         "application/json", 400),
        ("form", f"sender={sender}&message=hi".encode(), "application/x-www-form-urlencoded",
         400),
        ("a list", b"[1, 2, 3]", "application/json", 400),
        ("no sender", json.dumps({"message": "hi"}).encode(), "application/json", 400),
        ("sender not a string", json.dumps({"sender": {"id": 1}, "message": "hi"}).encode(),
         "application/json", 400),
        ("sender too long", json.dumps({"sender": "s" * 10_000, "message": "hi"}).encode(),
         "application/json", 400),
        ("message is a number", body(message=12345), "application/json", 400),
        ("message is an object", body(message={"text": "hi"}), "application/json", 400),
        ("huge metadata", body(message="hi", metadata={"k": "x" * 2_000_000}),
         "application/json", 400),
        ("deep metadata", json.dumps({"sender": sender, "message": "hi",
                                      "metadata": nested(200)}).encode(), "application/json",
         400),
        ("very deep metadata", deep_text.encode(), "application/json", 400),
        ("metadata not an object", body(message="hi", metadata=[1, "two"]),
         "application/json", 400),
        # accepted, as by Rasa's own channel: JSON is JSON whatever the header says
        ("text/plain", body(message="hi"), "text/plain", 200),
        ("no content type", body(message="hi"), None, 200),
        ("message is null", body(message=None), "application/json", 200),
        ("no message", body(), "application/json", 200),
        ("small metadata", body(message="hi", metadata={"reply_model": False}),
         "application/json", 200),
    ]


def test_malformed_requests_to_the_rest_webhook_get_a_400_that_says_why(bot, chat):
    conversation = started(chat)
    statuses: Dict[str, int] = {}
    for name, payload, content_type, expected in rest_requests(conversation.sender):
        status, answer = raw(bot.info.rasa_port, "/webhooks/rest/webhook", payload,
                             content_type)
        statuses[name] = status
        assert bot.healthy(), f"{name}: the servers are not healthy any more ({statuses})"
        if expected == 400:
            assert status == 400 and json.loads(answer)["error"], (name, status, answer[:300])
        else:
            assert status == 200 and json.loads(answer), (name, status, answer[:300])
    knows_acme(bot, conversation.sender)
    assert "Vague job description" in conversation.say("summary").text
    log = bot.rasa_server.log_path.read_text("utf-8", errors="replace")
    assert "rest.message.received.failure" not in log


# -- the action server's own endpoint -------------------------------------------------------

def action_call(sender: str, action: str, latest: Dict[str, Any],
                metadata: Any = None) -> Dict[str, Any]:
    return {"next_action": action, "sender_id": sender, "version": "3.6.21",
            "domain": {}, "tracker": {
                "sender_id": sender, "slots": {}, "latest_message": latest, "events": [
                    {"event": "user", "text": latest.get("text"), "parse_data": latest,
                     "metadata": metadata or {}}],
                "paused": False, "followup_action": None, "active_loop": {},
                "latest_action_name": "action_listen", "latest_event_time": 0}}


def test_malformed_calls_to_the_action_webhook_crash_nothing(bot, chat):
    conversation = started(chat)
    port = bot.info.action_port
    sender = f"attacker-{uuid.uuid4().hex[:6]}"
    latest = {"text": "hi", "intent": {"name": UNREADABLE, "confidence": 1.0},
              "entities": [], "input_guard": {"problem": "too_long", "length": 10**9}}
    calls = [
        ("malformed json", b'{"next_action": "action_greet_user"', "application/json"),
        ("invalid utf-8", b'{"next_action": "\xff\xfe"}', "application/json"),
        ("text/plain", json.dumps(action_call(sender, "action_greet_user", latest)).encode(),
         "text/plain"),
        ("form", b"next_action=action_greet_user", "application/x-www-form-urlencoded"),
        ("no next_action", b"{}", "application/json"),
        ("unknown action", json.dumps(action_call(sender, "action_nope", latest)).encode(),
         "application/json"),
        ("no tracker", json.dumps({"next_action": "action_analyze_situation"}).encode(),
         "application/json"),
        ("huge metadata", json.dumps(action_call(
            sender, "action_answer_unreadable_input", latest, {"k": "x" * 2_000_000})).encode(),
         "application/json"),
        ("deep metadata", json.dumps(action_call(
            sender, "action_answer_unreadable_input", latest, nested(200))).encode(),
         "application/json"),
        ("very deep", b'{"next_action": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
         "application/json"),
        ("odd guard finding", json.dumps(action_call(
            sender, "action_answer_unreadable_input",
            {**latest, "input_guard": {"problem": {"x": [1]}, "length": "lots"}})).encode(),
         "application/json"),
        ("odd latest message", json.dumps(action_call(
            sender, "action_analyze_situation",
            {"text": ["not", "text"], "intent": "greet", "entities": "none"})).encode(),
         "application/json"),
    ]
    statuses = {}
    for name, payload, content_type in calls:
        status, body = raw(port, "/webhook", payload, content_type)
        statuses[name] = status
        assert bot.healthy(), f"{name}: the servers are not healthy any more ({statuses})"
    assert statuses["unknown action"] == 404, statuses
    answered = json.loads(raw(port, "/webhook", json.dumps(action_call(
        sender, "action_answer_unreadable_input", latest)).encode(), "application/json")[1])
    assert "too long" in answered["responses"][0]["text"]
    knows_acme(bot, conversation.sender)
    assert "Vague job description" in conversation.say("summary").text


# -- a flood from one sender ----------------------------------------------------------------

def test_a_flood_from_one_sender_is_answered_in_full(bot, chat):
    conversation = started(chat)
    results: List[Tuple[int, Any]] = []
    lock = threading.Lock()

    def send(i: int) -> None:
        with rs.RestClient(bot.info.rasa_port, timeout=180) as client:
            status, parsed, _ = client.post_json("/webhooks/rest/webhook",
                                                 {"sender": conversation.sender,
                                                  "message": f"ok {i}"})
        with lock:
            results.append((status, parsed))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert len(results) == 50
    answered = [p for s, p in results if s == 200 and isinstance(p, list) and p]
    throttled = [s for s, _ in results if s == 429]
    assert len(answered) + len(throttled) == 50, results[:5]
    assert bot.healthy()
    knows_acme(bot, conversation.sender)


# -- what the logs keep -----------------------------------------------------------------------

def test_message_texts_are_not_written_to_the_logs(bot, chat):
    canary = f"zebracanary{uuid.uuid4().hex[:8]}"
    conversation = chat()
    for text in (f"I had an interview at Acme, the recruiter {canary} couldn't say what the "
                 "job is", f'/inform{{"company": "{canary}"}}', f"/{canary}",
                 f"Hallo, ich hatte gestern ein {canary} Vorstellungsgespräch.",
                 f"{canary} " * 2_000):
        conversation.say(text)
    for server in (bot.rasa_server, bot.action_server):
        assert server is not None
        log = server.log_path.read_text("utf-8", errors="replace")
        assert canary not in log, f"{server.log_path} contains the message text"
