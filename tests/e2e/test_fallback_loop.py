"""Messages NLU is unsure of, over REST with the real servers (data/rules/fallback.yml).

An unsure message the rule base can answer is answered, and what it told stays for the rest
of the conversation: the two-stage fallback loop, which used to start first, undid that turn
when the next clear message ended it (the red flag and the facts were gone, the intro came
again). A message nobody can answer still gets Rasa's two-stage fallback: "did you mean ...?",
then "please put it another way".

Which words fall below the NLU threshold depends on the trained model, so each test takes the
first of a few candidates that does, and fails when none does (write a new one then).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

from interview_advisor.dialogue import phrases

from .conftest import Conversation, payload

pytestmark = pytest.mark.slow

OPENING = "i had a second interview at Orbis on monday"
#: unsure to NLU (in the model at the time of writing), a vague role to the rule base
TELLS_A_FLAG = ("dunno what the role even is honestly",
                "recruiter was all over the place about what id even do",
                "nobody could tell me wht the job actually is lol")
#: unsure to NLU, and nothing the rule base reads
SAYS_NOTHING = ("hmm the thing with the stuff", "blorp the wibble thing", "ok so the uh")


def intent_of(bot: Any, sender: str, text: str) -> Optional[str]:
    """NLU's intent for the latest user message ``text`` in the stored conversation."""
    events: List[Dict[str, Any]] = bot.tracker(sender)["events"]
    for event in reversed(events):
        if event.get("event") == "user" and event.get("text") == text:
            return str((event.get("parse_data") or {}).get("intent", {}).get("name"))
    return None


def unsure_turn(bot: Any, chat: Callable[[], Conversation], candidates: Tuple[str, ...],
                opening: Optional[str] = None) -> Tuple[Conversation, str, Any]:
    """A conversation (after ``opening``) whose last message is the first candidate NLU put
    below its threshold, with the bot's reply to it."""
    for text in candidates:
        conversation = chat()
        if opening:
            conversation.say(opening)
        reply = conversation.say(text)
        if intent_of(bot, conversation.sender, text) == "nlu_fallback":
            return conversation, text, reply
    pytest.fail(f"none of {candidates} falls below the NLU threshold any more: add a message "
                "that does")


def test_an_answered_unsure_message_keeps_what_it_told(bot, chat):
    conversation, text, reply = unsure_turn(bot, chat, TELLS_A_FLAG, OPENING)
    assert "vague_job_description" in [f["id"] for f in payload(reply)["flags"]], reply.raw
    assert phrases.DID_YOU_MEAN.split("{")[0] not in reply.text

    conversation.say("also i got a raise last month")     # a clear message ends nothing now
    summary = payload(conversation.say("summary"), "summary")
    assert "vague_job_description" in [f["id"] for f in summary["flags"]], \
        conversation.transcript()
    facts = {f["id"] for f in summary["facts"]}
    assert {"stage", "recent_improvement"} <= facts, conversation.transcript()
    intros = [t for _, r in conversation.turns for t in r.texts
              if t.startswith(phrases.INTRO.split(".")[0])]
    assert len(intros) == 1, conversation.transcript()


def test_an_unsure_message_nobody_can_answer_gets_the_two_stage_fallback(bot, chat):
    conversation, _, reply = unsure_turn(bot, chat, SAYS_NOTHING)
    assert reply.text.startswith(phrases.DID_YOU_MEAN.split("{")[0]), reply.raw
    payloads = [b["payload"] for b in reply.buttons] or [
        s["payload"] for s in reply.custom.get("suggestions") or []]   # the reply model
    assert payloads and all(p.startswith("/") for p in payloads), reply.raw
    assert "/out_of_scope" in payloads

    again = conversation.say("/out_of_scope")             # "No, something else"
    assert phrases.ASK_REPHRASE.split(".")[0] in again.text, conversation.transcript()
    tracker = bot.tracker(conversation.sender)
    assert (tracker.get("active_loop") or {}).get("name") == "action_two_stage_fallback"


def test_a_rephrased_unsure_message_is_answered_and_kept(bot, chat):
    """After "something else", the loop asks about the rephrased message itself when NLU is
    still unsure of it; the rule base answers it there too, and what it told is kept: the loop
    ends with that answer (left running, it undid the turn at the next clear message)."""
    conversation, _, _ = unsure_turn(bot, chat, SAYS_NOTHING, OPENING)
    conversation.say("/out_of_scope")                     # "No, something else"
    for text in TELLS_A_FLAG:
        reply = conversation.say(text)
        if intent_of(bot, conversation.sender, text) == "nlu_fallback":
            break
    else:
        pytest.fail(f"none of {TELLS_A_FLAG} falls below the NLU threshold any more")
    assert "vague_job_description" in [f["id"] for f in payload(reply)["flags"]], \
        conversation.transcript()
    assert phrases.DID_YOU_MEAN.split("{")[0] not in reply.text

    conversation.say("also i got a raise last month")
    summary = payload(conversation.say("summary"), "summary")
    assert "vague_job_description" in [f["id"] for f in summary["flags"]], \
        conversation.transcript()
    assert {"stage", "recent_improvement"} <= {f["id"] for f in summary["facts"]}, \
        conversation.transcript()
