"""Locust users for `make loadtest` (scripts/loadtest.py runs Locust with this file; it runs in
.venv-load, which has Locust and not Rasa: see docs/deploy.md, "Load test").

Each simulated user is a job seeker holding one scripted, realistic conversation over the REST
webhook - a description of an interview, answers to the bot's questions, "why", "summary", a
draft request and its details - waiting LOADTEST_THINK seconds (default 5-15: reading the
advice, typing) between messages; then a new conversation under a new sender id.

Every request is written as two JSON lines to LOADTEST_RECORDS (one file per Locust process):
``{"ev": "sent", ...}`` before and ``{"ev": "done", ...}`` after, with the sender, turn, kind
of message, latency, HTTP status, number of bot messages, which Rasa server answered
(nginx's X-Served-By header) and any error. scripts/loadtest.py turns them into the report and
checks them per user against the tracker store.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
import uuid
from typing import Any, Dict, List, Tuple

from locust import HttpUser, between, task

Turn = Tuple[str, str]   # (kind, text)

CONVERSATIONS: List[List[Turn]] = [
    [("greeting", "hi"),
     ("description", "I had a second interview at Globex yesterday. The hiring manager couldn't "
                     "really tell me what I'd be doing day to day, and the recruiter took three "
                     "weeks to get back to me after the first round."),
     ("answer", "it's at another company, I'm employed at the moment"),
     ("why", "why?"),
     ("answer", "I'm not really interested in it anymore tbh"),
     ("draft", "can you draft a message to withdraw?"),
     ("draft_detail", "data analyst"),
     ("draft_detail", "Alex"),
     ("thanks", "thanks, that helps")],
    [("greeting", "hello there"),
     ("description", "Should I keep interviewing? Everyone I know at the company only says great "
                     "things and nobody mentions any downsides."),
     ("answer", "I'm not sure I even want the job"),
     ("why", "why do you say that?"),
     ("summary", "summary"),
     ("thanks", "thank you")],
    [("description", "I have an interview next week for an internal role on another team. When I "
                     "asked about the culture and values they had no answer."),
     ("answer", "my manager doesn't know yet"),
     ("question", "what should I do next?"),
     ("summary", "summary please"),
     ("draft", "can you draft the message to my manager?"),
     ("draft_detail", "skip"),
     ("draft_detail", "Sam"),
     ("thanks", "bye")],
    [("greeting", "hey"),
     ("description", "They said the role would involve a bit of everything, we all wear many hats "
                     "here, and nobody could describe a typical day."),
     ("why", "why?"),
     ("answer", "I'm keen on it, honestly"),
     ("draft", "draft it"),
     ("draft_detail", "product designer"),
     ("draft_detail", "Jordan"),
     ("summary", "summary"),
     ("thanks", "goodbye")],
    [("description", "I got rejected after the final round at Initech, the hiring manager never "
                     "replied to my follow-up."),
     ("question", "should I still send a thank you note?"),
     ("draft", "yes please draft it"),
     ("draft_detail", "skip"),
     ("draft_detail", "Robin"),
     ("summary", "summary"),
     ("thanks", "thanks, that helps")],
    [("description", "They offered me the job but the offer is vague, nobody could say who I "
                     "would report to and they keep rescheduling calls at the last minute."),
     ("why", "why is that a red flag?"),
     ("answer", "I currently have a job and I'm happy there"),
     ("summary", "summary"),
     ("other", "are you a bot?")],
    [("other", "what's the weather like in Paris?"),
     ("description", "ok, I had an interview today and the interviewer showed up 20 minutes late "
                     "and didn't seem to know what the role was"),
     ("answer", "it was at another company"),
     ("why", "why?"),
     ("summary", "summary"),
     ("thanks", "thanks")],
    [("greeting", "hi, can you help me?"),
     ("description", "I want to withdraw from an interview process, they keep changing the job "
                     "description and the remote days they promised are gone now"),
     ("answer", "it's at Umbrella Corp"),
     ("draft", "draft it"),
     ("draft_detail", "backend engineer"),
     ("draft_detail", "Kim"),
     ("summary", "summary"),
     ("thanks", "bye")],
]


def _think() -> Tuple[float, float]:
    raw = os.environ.get("LOADTEST_THINK", "5-15")
    low, _, high = raw.partition("-")
    return float(low), float(high or low)


RUN = os.environ.get("LOADTEST_RUN") or uuid.uuid4().hex[:8]
_LOCK = threading.Lock()
_OUT = open(os.environ.get("LOADTEST_RECORDS", f"loadtest-{RUN}.jsonl"), "a",  # noqa: SIM115
            encoding="utf-8", buffering=1)


def record(row: Dict[str, Any]) -> None:
    line = json.dumps(row, ensure_ascii=False)
    with _LOCK:
        _OUT.write(line + "\n")


class JobSeeker(HttpUser):
    wait_time = between(*_think())

    def on_start(self) -> None:
        self.user_no = uuid.uuid4().hex[:6]
        self.new_conversation()

    def new_conversation(self) -> None:
        self.sender = f"load-{RUN}-{self.user_no}-{uuid.uuid4().hex[:8]}"
        self.script = random.choice(CONVERSATIONS)
        self.turn = 0

    @task
    def say(self) -> None:
        if self.turn >= len(self.script):
            self.new_conversation()
        kind, text = self.script[self.turn]
        self.turn += 1
        base = {"sender": self.sender, "user": self.user_no, "turn": self.turn, "kind": kind}
        record({"ev": "sent", "t": time.time(), **base})
        t0 = time.perf_counter()
        row: Dict[str, Any] = {"ev": "done", **base}
        with self.client.post("/webhooks/rest/webhook",
                              json={"sender": self.sender, "message": text},
                              name=f"/webhooks/rest/webhook [{kind}]", timeout=60,
                              catch_response=True) as resp:
            row["ms"] = round((time.perf_counter() - t0) * 1000, 1)
            row["t"] = time.time()
            row["status"] = resp.status_code
            row["served_by"] = resp.headers.get("X-Served-By") or None
            error = None
            try:
                body = resp.json() if resp.status_code == 200 else None
            except ValueError:
                body = None
            if resp.status_code != 200:
                error = f"HTTP {resp.status_code}" + (f" {resp.error}" if resp.error else "")
            elif not isinstance(body, list):
                error = "not a list of messages"
            texts = [m.get("text") for m in body or [] if isinstance(m, dict) and m.get("text")]
            row["replies"] = len(texts)
            row["repeated"] = len(texts) - len(set(texts))
            if error is None and not texts:
                error = "no reply"
            if error is None and any("went wrong on my side" in t for t in texts):
                error = "store failure reply"
            if error is None and any("can't analyse that right now" in t for t in texts):
                error = "action server failure reply"
            row["error"] = error
            if error:
                resp.failure(error)
            else:
                resp.success()
        record(row)
