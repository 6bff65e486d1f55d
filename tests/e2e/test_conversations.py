"""Multi-turn conversations with the real bot: Rasa server + action server over REST.

Each test holds one or more conversations (fresh sender ids) and asserts on meaning - flag
titles, the user's own words quoted back, rule ids, questions, drafts - and on the structured
reply model (docs/reply-model.md) that the REST client asks for with the ``reply_model``
metadata flag, never on whole sentences.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List

import pytest

from .conftest import Conversation, payload, rs

pytestmark = pytest.mark.slow

Chat = Callable[[], Conversation]

VAGUE_AND_SLOW = ("I had an interview at Acme yesterday. The recruiter couldn't tell me what the "
                  "job actually is, and they took three weeks to answer my emails.")
ONLY_PRAISE = ("Should I keep interviewing there? Everyone I know at the company only says "
               "great things about it and nobody mentions any downsides.")

#: how a person would answer the bot's question about each fact (and what the value becomes)
ANSWERS: Dict[str, tuple[str, Any]] = {
    "stage": ("I already had the interview, it was yesterday", "done"),
    "interview_type": ("it's at another company, an external role", "external"),
    "interest": ("honestly I'm not really interested in it", "not_interested"),
    "current_satisfaction": ("I'm pretty unhappy in my current job", "unsatisfied"),
    "manager_aware": ("no, my manager doesn't know", False),
    "employed": ("yes, I have a job right now", True),
    "multiple_processes": ("yes, I'm talking to several companies", True),
    "certain_to_decline": ("yes, I'm sure I'd turn it down", True),
    "recent_improvement": ("no, nothing has improved lately", False),
    "other_roles_suggested": ("no, nobody mentioned another role", False),
    "better_pay_or_title": ("yes, it pays more", True),
    "withdrew_before": ("no, never", False),
    "future_interest_in_employer": ("yes, I'd like to work there one day", True),
}


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[\"“”'’]", "'", text).lower().split())


def flag_ids(data: Dict[str, Any], key: str = "flags") -> List[str]:
    return [f["id"] for f in data.get(key) or []]


def facts_of(data: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """The facts a reply lists, by id."""
    return {f["id"]: f for f in data.get("facts") or []}


def assert_quotes_user(flag: Dict[str, Any], said: str) -> None:
    """The flag's evidence is the user's own words, verbatim (at the offsets it claims)."""
    assert flag["quotes"], flag
    for quote in flag["quotes"]:
        evidence = quote["text"]
        assert evidence and evidence.strip(), flag
        assert _norm(evidence) in _norm(said), f"{evidence!r} is not in what the user said"
        assert isinstance(quote["start"], int) and isinstance(quote["end"], int), quote
        assert said[quote["start"]:quote["end"]] == evidence


def assert_advice_with_next_steps(data: Dict[str, Any]) -> None:
    advice = data["advice"]
    assert advice, f"no advice in {data}"
    assert data["rule_ids"] == [a["rule"] for a in advice]
    for item in advice:
        assert item["rule"] and item["title"] and item["text"]
        assert item["next_steps"], f"advice {item['rule']} has no next steps"


# ------------------------------------------------------------------------------------------
# 1. red flags named, the user's words quoted, advice with next steps
# ------------------------------------------------------------------------------------------

def test_red_flags_are_named_with_the_users_words_and_advice_has_next_steps(chat: Chat) -> None:
    c = chat()
    hello = c.say("hi")
    assert "interview" in hello.text.lower()

    reply = c.say(VAGUE_AND_SLOW)
    data = payload(reply, "advice")
    flags = {f["id"]: f for f in data["flags"]}
    assert "vague_job_description" in flags
    vague = flags["vague_job_description"]
    assert vague["title"] == "Vague job description"
    assert vague["severity"] in ("low", "medium", "high") and vague["why"]
    for flag in flags.values():
        assert_quotes_user(flag, VAGUE_AND_SLOW)
    # the chat text names each flag and quotes the user's words back (long quotes shortened)
    for flag in flags.values():
        assert flag["title"] in reply.text
        assert f'"{flag["quotes"][0]["text"][:60]}' in reply.text
    assert_advice_with_next_steps(data)
    assert "vague_role_ask_for_written_scope" in data["rule_ids"] or \
        any("writing" in a["title"].lower() for a in data["advice"])
    assert "next steps" in reply.text.lower()
    for step in data["advice"][0]["next_steps"]:
        assert step in reply.text
    # what the message told us about the situation is noted, with its source
    assert facts_of(data)["stage"]["value"] == "done"


# ------------------------------------------------------------------------------------------
# 2. a question for a missing fact; the answer changes the advice
# ------------------------------------------------------------------------------------------

def test_a_missing_fact_is_asked_for_and_the_answer_changes_the_advice(chat: Chat) -> None:
    c = chat()
    first = c.say(ONLY_PRAISE)
    data = payload(first, "advice")
    assert "overly_positive_acquaintances" in flag_ids(data)
    question = data["question"]
    assert question and question["fact"] in ANSWERS, f"no usable question: {question}"
    assert question["text"] in first.text, "the question is not asked in the chat"
    assert question["text"].endswith("?")

    seen_rules = list(data["rule_ids"])
    changed = False
    for _ in range(3):  # answer up to three questions; the advice must change on the way
        answer, value = ANSWERS[question["fact"]]
        reply = c.say(answer)
        after = payload(reply, "advice")
        fact = facts_of(after).get(question["fact"])
        assert fact is not None and fact["value"] == value, \
            f"the answer {answer!r} did not set {question['fact']}={value!r}: {after['facts']}"
        assert fact["source"] in ("answer", "text", "entity")
        if after["advice"] and after["rule_ids"] != seen_rules:   # new advice shown
            changed = True
            break
        question = after["question"]
        if not question or question["fact"] not in ANSWERS:
            break
    assert changed, "answering the bot's questions never changed its advice"
    # the flag found earlier is still part of the picture
    summary = payload(c.say("summary"), "summary")   # the earlier flag is still known
    assert "overly_positive_acquaintances" in flag_ids(summary)


# ------------------------------------------------------------------------------------------
# 3. a correction withdraws a flag
# ------------------------------------------------------------------------------------------

def test_a_correction_withdraws_the_red_flag(chat: Chat) -> None:
    c = chat()
    data = payload(c.say(VAGUE_AND_SLOW), "advice")
    assert "vague_job_description" in flag_ids(data)

    reply = c.say("actually they weren't vague at all, the job description was clear")
    fix = payload(reply, "correction")
    assert "vague_job_description" in flag_ids(fix, "withdrawn")
    assert "vague_job_description" not in flag_ids(fix)
    assert "Vague job description" in reply.text
    assert any(w in reply.text.lower() for w in ("taken back", "withdrawn", "removed"))
    assert "vague_role_ask_for_written_scope" not in fix["rule_ids"]

    summary = payload(c.say("summary"), "summary")
    assert "vague_job_description" not in flag_ids(summary)
    assert "vague_job_description" in flag_ids(summary, "withdrawn")


# ------------------------------------------------------------------------------------------
# 4. "why?" names the rule and quotes the user's words
# ------------------------------------------------------------------------------------------

def test_why_names_the_rule_and_quotes_the_users_words(chat: Chat) -> None:
    c = chat()
    advice = payload(c.say(VAGUE_AND_SLOW), "advice")
    shown = advice["rule_ids"]
    assert shown

    reply = c.say("why?")
    data = payload(reply, "why")
    explained = [r["rule"] for r in data["explanations"]]
    assert explained == shown, "why? must explain the advice that was just shown"
    for rule in data["explanations"]:
        assert rule["rule"] in reply.text and rule["title"] in reply.text
        assert rule["why"] and rule["reasons"]
    quoted = re.findall(r'you said "([^"]+?)…?"', reply.text)
    assert quoted, "why? does not quote the user's words"
    assert all(_norm(q.rstrip("…")) in _norm(VAGUE_AND_SLOW) for q in quoted)
    # every explained rule says why it applies - each condition that held - in the text
    assert reply.text.count("It applies because:") == len(data["explanations"])
    for rule in data["explanations"]:
        for reason in rule["reasons"]:
            assert reason["condition"] in reply.text


# ------------------------------------------------------------------------------------------
# 5. "summary" lists flags, facts and advice as a checklist
# ------------------------------------------------------------------------------------------

def test_summary_lists_flags_facts_and_advice(chat: Chat) -> None:
    c = chat()
    empty = c.say("summary")
    assert payload(empty, "summary")["flags"] == []
    assert "nothing" in empty.text.lower()

    c.say(VAGUE_AND_SLOW)
    c.say("it's at another company, an external role")
    reply = c.say("can I get a summary of everything so far?")
    data = payload(reply, "summary")
    assert "vague_job_description" in flag_ids(data)
    for flag in data["flags"]:
        assert flag["title"] in reply.text
        assert_quotes_user(flag, VAGUE_AND_SLOW)
    assert facts_of(data)["interview_type"]["value"] == "external"
    assert facts_of(data)["stage"]["value"] == "done"
    assert data["advice"]
    for item in data["advice"]:
        assert item["title"] in reply.text
        for step in item["next_steps"]:
            assert step in reply.text
    assert reply.text.count("[ ]") == sum(len(a["next_steps"]) for a in data["advice"]) > 0


# ------------------------------------------------------------------------------------------
# 6. "draft it": asks for a missing detail, then hands over the message
# ------------------------------------------------------------------------------------------

def _answer_draft_questions(c: Conversation, reply: rs.Reply,
                            answers: Dict[str, str]) -> rs.Reply:
    """Answer the form's questions (by keyword) until a draft payload arrives."""
    for _ in range(6):
        if any(cu.get("kind") == "draft" for cu in reply.customs):
            return reply
        asked = reply.texts[-1].lower()
        answer = next((a for key, a in answers.items() if key in asked), "skip")
        reply = c.say(answer)
    return reply


def test_draft_asks_for_a_missing_detail_and_produces_the_message(chat: Chat) -> None:
    c = chat()
    c.say("I had an interview for a role at another company but I'm not interested in the job "
          "any more")
    reply = c.say("can you draft a message to withdraw from the process?")
    assert any(w in reply.text.lower() for w in ("withdraw", "pull out"))
    assert "?" in reply.texts[-1], "the bot should ask for a missing detail"
    assert "company" in reply.text.lower() or "name" in reply.text.lower()
    asked_first = reply.texts[-1]

    final = _answer_draft_questions(c, reply, {"company": "It's Globex",
                                               "your name": "Alex",
                                               "sign": "Alex",
                                               "name": "Sam"})
    draft = payload(final, "draft")["draft"]
    assert draft["id"].startswith("withdraw")
    assert draft["text"]
    for line in draft["text"].splitlines():  # the whole message is in the chat, line by line
        assert line.strip() in final.text
    assert "company" in asked_first.lower(), asked_first
    assert "Globex" in draft["text"] and "company" not in draft["missing"]
    assert "[company]" not in draft["text"]


def test_draft_it_after_advice_picks_a_message_and_can_be_stopped(chat: Chat) -> None:
    c = chat()
    c.say(VAGUE_AND_SLOW)
    reply = c.say("draft it")
    assert "?" in reply.texts[-1]
    stopped = c.say("stop")
    assert payload(stopped, "draft_step")["message"].startswith("OK, I've dropped the draft")
    assert not any(cu.get("kind") == "draft" for cu in stopped.customs)
    # the form is over: the next message is understood as usual, not taken as an answer
    assert payload(c.say("summary"), "summary")["flags"]


# ------------------------------------------------------------------------------------------
# 7. out of scope, empty and huge messages, small talk, restart
# ------------------------------------------------------------------------------------------

def test_out_of_scope_is_redirected_politely(chat: Chat) -> None:
    c = chat()
    reply = c.say("what's the weather like in Paris tomorrow?")
    text = reply.text.lower()
    assert "interview" in text
    assert [cu.get("kind") for cu in reply.customs] == ["out_of_scope"]
    # and the bot still works afterwards
    assert "vague_job_description" in flag_ids(payload(c.say(VAGUE_AND_SLOW), "advice"))


@pytest.mark.parametrize("message", ["", "   "], ids=["empty", "blank"])
def test_an_empty_message_gets_a_polite_reply(chat: Chat, message: str) -> None:
    c = chat()
    reply = c.say(message)
    assert reply.text.strip()
    assert "error" not in reply.text.lower()


def test_a_30000_character_message_gets_a_polite_reply(chat: Chat) -> None:
    c = chat()
    sentence = ("The interview went on and on and nobody could tell me what the job actually "
                "is. ")
    huge = (sentence * (30_000 // len(sentence) + 1))[:30_000]
    assert len(huge) == 30_000
    reply = c.say(huge)
    assert reply.text.strip()
    assert "error" not in reply.text.lower()
    data = reply.customs[-1]
    # above the input guard's limit (5,000 characters) the person is asked to summarise,
    # before anything is analysed - a clear answer, not a silent cut
    assert data["kind"] == "fallback", data["kind"]
    assert "too long" in reply.text.lower() and "summarise" in reply.text.lower()
    assert "29,999 characters" in reply.text and "5,000" in reply.text   # trailing space cleaned
    assert not flag_ids(data)
    # the conversation is still usable: the summary works, and so does the short version
    assert c.say("summary").text
    short = c.say(sentence)
    assert "vague_job_description" in flag_ids(payload(short, "advice"))


def test_small_talk(chat: Chat) -> None:
    c = chat()
    assert "bot" in c.say("are you a bot?").text.lower()
    helped = c.say("what can you do?").text.lower()
    assert "red flag" in helped and "draft" in helped
    assert "welcome" in c.say("thanks!").text.lower()
    assert "luck" in c.say("bye").text.lower()


def test_restart_clears_everything(chat: Chat) -> None:
    c = chat()
    c.say(VAGUE_AND_SLOW)
    assert payload(c.say("summary"), "summary")["flags"]
    reply = c.say("restart")
    assert any(w in reply.text.lower() for w in ("forgotten", "start over", "fresh", "new"))
    after = c.say("summary")
    data = payload(after, "summary")
    assert data["flags"] == [] and data["facts"] == [] and data["advice"] == []
    assert "nothing" in after.text.lower()
    # "why?" has nothing left to explain either
    why = c.say("why?")
    assert payload(why, "why")["explanations"] == []


def test_conversations_do_not_leak_into_each_other(chat: Chat) -> None:
    alice, bob = chat(), chat()
    alice.say(VAGUE_AND_SLOW)
    bob_summary = payload(bob.say("summary"), "summary")
    assert bob_summary["flags"] == []
    assert payload(alice.say("summary"), "summary")["flags"]


# ------------------------------------------------------------------------------------------
# 8. the examples the README promises are understood
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,intent", [
    ("the recruiter couldn't say what the job is", "describe_interview"),
    ("the recruiter could not tell me what the job is", "describe_interview"),
    ("everyone there raved about the place but nobody would name a single downside",
     "describe_interview"),
    ("I just got a raise, should I keep interviewing?", "ask_keep_interviewing"),
    ("it's an internal role, my manager will know", "inform"),
    ("how do I back out politely?", "ask_withdraw"),
    ("I got an offer but I'm not sure", "evaluate_offer"),
    ("they rejected me, what now?", "report_rejection"),
    ("no, they weren't vague actually", "correct"),
    ("why?", "ask_why"), ("summary", "ask_summary"), ("draft it", "request_draft"),
    ("what can you do?", "help"), ("start over", "restart")])
def test_the_readme_examples_are_understood(bot: rs.RasaStack, text: str, intent: str) -> None:
    client = bot.client()
    try:
        status, parsed, _ = client.post_json("/model/parse", {"text": text})
    finally:
        client.close()
    assert status == 200
    assert parsed["intent"]["name"] == intent, parsed["intent_ranking"][:3]
