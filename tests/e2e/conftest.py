"""End-to-end fixtures: the real Rasa server and the real action server on free loopback ports.

The session fixture ``bot`` trains the model only when models/ has none newer than the training
data (see ``scripts/rasa_servers.py``), starts both servers once for the whole session and stops
them afterwards - also when a test fails or the run is interrupted. ``chat`` makes a fresh
conversation (a unique sender id) per call; a failing test's report shows every conversation it
held, turn by turn, and the tail of both server logs.

Set ``E2E_LOG_DIR`` to keep the server and training logs in a folder of your choice, and
``E2E_MODEL=models/....tar.gz`` to test that model instead of training/reusing one.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

import rasa_servers as rs  # noqa: E402

from interview_advisor.dialogue.channels import REPLY_MODEL  # noqa: E402

TRANSCRIPTS = pytest.StashKey[List["Conversation"]]()
STACK: Dict[str, rs.RasaStack] = {}


class Conversation:
    """One user talking to the bot over the REST webhook."""

    def __init__(self, client: rs.RestClient, sender: str) -> None:
        self.client = client
        self.sender = sender
        self.turns: List[Tuple[str, rs.Reply]] = []

    def say(self, text: str, allow_silence: bool = False) -> rs.Reply:
        reply = self.client.send(self.sender, text, metadata={REPLY_MODEL: True})
        self.turns.append((text, reply))
        if not allow_silence:
            assert reply.texts, f"the bot said nothing to {text[:80]!r}: {reply.raw}"
        return reply

    def transcript(self) -> str:
        lines = []
        for text, reply in self.turns:
            shown = text if len(text) <= 200 else f"{text[:200]}... ({len(text):,} chars)"
            lines.append(f"USER: {shown}")
            for message in reply.raw:
                if message.get("text"):
                    lines.append("BOT:  " + message["text"].replace("\n", "\n      "))
                if message.get("custom") is not None:
                    custom = json.dumps(message["custom"], ensure_ascii=False)
                    lines.append(f"BOT (custom): {custom[:1500]}")
                if message.get("buttons"):
                    lines.append(f"BOT (buttons): {message['buttons']}")
            lines.append(f"      [{reply.seconds * 1000:.0f} ms]")
        return "\n".join(lines)


def payload(reply: rs.Reply, kind: Optional[str] = None) -> Dict[str, Any]:
    """The reply model of a reply (of the given ``kind``); fails when there is none."""
    for custom in reply.customs:
        if kind is None or custom.get("kind") == kind:
            return custom
    raise AssertionError(f"no reply of kind {kind!r} in {reply.raw}")


@pytest.fixture(scope="session")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[rs.RasaStack]:
    log_dir = Path(os.environ.get("E2E_LOG_DIR") or tmp_path_factory.mktemp("rasa-e2e"))
    override = os.environ.get("E2E_MODEL")
    model = rs.ModelInfo(Path(override), False, None) if override else \
        rs.ensure_model(ROOT, log_path=log_dir / "train.log")
    with rs.RasaStack(ROOT, model=model.path, log_dir=log_dir, name="e2e",
                      extra_env={"INTERVIEW_ADVISOR_RELOAD_SECONDS": "0",
                                 # conversations of the tests stay out of .rasa/
                                 "TRACKER_DB": str(log_dir / "conversations.db"),
                                 "FEEDBACK_DB": str(log_dir / "feedback.sqlite3")}) as stack:
        STACK["bot"] = stack
        try:
            yield stack
        finally:
            STACK.pop("bot", None)


@pytest.fixture
def chat(bot: rs.RasaStack, request: pytest.FixtureRequest) -> Iterator[Callable[[], Conversation]]:
    conversations: List[Conversation] = []
    request.node.stash[TRANSCRIPTS] = conversations

    def new_conversation() -> Conversation:
        name = request.node.name.replace("[", "-").replace("]", "")[:40]
        conversation = Conversation(bot.client(), f"e2e-{name}-{uuid.uuid4().hex[:10]}")
        conversations.append(conversation)
        return conversation

    yield new_conversation
    for conversation in conversations:
        conversation.client.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when != "call" or not report.failed:
        return
    for conversation in item.stash.get(TRANSCRIPTS, []):
        report.sections.append((f"conversation {conversation.sender}", conversation.transcript()))
    stack = STACK.get("bot")
    if stack is not None:
        report.sections.append(("server logs (tail)", stack.log_tails(25)))
