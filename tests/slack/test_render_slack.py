"""Block Kit rendering of the reply model (no Rasa, no network)."""

from __future__ import annotations

import json
from typing import Any, Dict, List

from interview_advisor.dialogue.render_slack import (
    HELPFUL,
    MAX_BLOCKS,
    NOT_HELPFUL,
    after_click,
    escape,
    privacy_notice,
    render_message,
    render_plain,
)
from interview_advisor.dialogue.reply import (
    Advice,
    Draft,
    Evidence,
    Explanation,
    Fact,
    Flag,
    Option,
    Question,
    Quote,
    Reason,
    Reply,
    Suggestion,
)

EVIL = "<!channel> <@U999> <https://evil.example|click> & co"


def advice_reply(quote: str = "couldn't really tell me what I'd") -> Reply:
    return Reply(
        kind="advice",
        notes=['Noted - stage: done (you said "had a second interview")'],
        flags=[Flag(id="vague_job_description", title="Vague job description",
                    why="When nobody can say what the job is, it is whatever lands on your desk.",
                    severity="high", new=True, quotes=[Quote(text=quote, start=1, end=2)])],
        facts=[Fact(id="stage", title="Where you are", value="done", label="done",
                    quote="had a second interview")],
        advice=[Advice(rule="vague_role_get_it_in_writing", title="Get the role in writing",
                       text="Nobody has pinned down what this job is.",
                       next_steps=["Email the recruiter within 24 hours", "Ask for the JD"])],
        more_advice=2,
        question=Question(fact="interest", text="How much do you want this job?",
                          options=[Option("high", "keen"), Option("unsure", "unsure"),
                                   Option("low", "not really interested")]),
        suggestions=[Suggestion("Why?", "why?"), Suggestion("Summary", "summary"),
                     Suggestion("Draft it", "draft it")],
        closing="Say why for my reasoning.",
        rule_ids=["vague_role_get_it_in_writing"], rateable=True, turn=1)


def texts(blocks: List[Dict[str, Any]]) -> List[str]:
    """Every mrkdwn/plain text in the blocks."""
    out = []
    for block in blocks:
        if isinstance(block.get("text"), dict):
            out.append(block["text"]["text"])
        for el in block.get("elements") or []:
            if el.get("type") in ("mrkdwn", "plain_text"):
                out.append(el["text"])
            elif isinstance(el.get("text"), dict):
                out.append(el["text"]["text"])
    return out


def buttons(blocks: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [el for b in blocks if b["type"] == "actions" for el in b["elements"]]


def test_advice_reply_has_header_flags_quotes_checklist_and_buttons() -> None:
    msg = render_message(advice_reply(), "plain text rendering")
    blocks = msg["blocks"]
    assert msg["text"] == "plain text rendering"
    assert blocks[0]["type"] == "header"
    joined = "\n".join(texts(blocks))
    flag = next(t for t in texts(blocks) if "Vague job description" in t)
    assert "> couldn't really tell me what I'd" in flag       # the person's words, quoted
    assert "it is whatever lands on your desk" in flag        # and why it matters
    assert "☐ Email the recruiter within 24 hours" in joined  # next steps as a checklist
    assert "☐ Ask for the JD" in joined
    assert "+2 more pieces of advice" in joined
    assert "How much do you want this job?" in joined
    values = [b["value"] for b in buttons(blocks)]
    assert values == ["keen", "unsure", "not really interested", "why?", "summary", "draft it",
                      HELPFUL, NOT_HELPFUL]
    ids = [b["action_id"] for b in buttons(blocks)]
    assert len(set(ids)) == len(ids) and all(i.startswith("ia_say_") for i in ids)
    json.dumps(msg)  # serialisable as sent


def test_not_rateable_reply_has_no_rating_buttons() -> None:
    reply = advice_reply()
    reply.rateable = False
    values = [b["value"] for b in buttons(render_message(reply)["blocks"])]
    assert HELPFUL not in values and NOT_HELPFUL not in values


def test_user_words_are_escaped_everywhere() -> None:
    reply = advice_reply(quote=EVIL)
    reply.facts[0].quote = EVIL
    reply.facts[0].label = EVIL
    reply.draft = Draft(id="d", title="Draft", text=f"Dear {EVIL}")
    msg = render_message(reply, f"you said {EVIL}")
    dumped = json.dumps(msg)
    for raw in ("<!channel>", "<@U999>", "<https://evil.example"):
        assert raw not in dumped
    assert "&lt;!channel&gt; &lt;@U999&gt; &lt;https://evil.example|click&gt; &amp; co" in dumped
    assert msg["text"].startswith("you said &lt;!channel&gt;")


def test_multiline_quote_stays_inside_the_quote() -> None:
    text = "\n".join(texts(render_message(advice_reply(quote="line one\nline two"))["blocks"]))
    assert "> line one\n> line two" in text


def test_draft_reply_is_a_code_block() -> None:
    reply = Reply(kind="draft", draft=Draft(id="role_clarity", title="Ask for the role in writing",
                                            text="Hi Sam,\n\nCould you send ```the``` JD?",
                                            missing=["[your name]"]),
                  suggestions=[Suggestion("Summary", "summary")])
    blocks = render_message(reply, "draft")["blocks"]
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text",
                                                   "text": "Ask for the role in writing",
                                                   "emoji": True}}
    code = [t for t in texts(blocks) if t.startswith("```")]
    assert code == ["```Hi Sam,\n\nCould you send '''the''' JD?```"]
    assert "Fill in before sending: [your name]" in texts(blocks)


def test_why_reply_lists_reasons_with_quotes() -> None:
    reply = Reply(kind="why", explanations=[Explanation(
        rule="r", title="Get it in writing", why="Because.",
        reasons=[Reason("the job was vague", [Evidence("couldn't tell me <b>")]),
                 Reason("you are keen", [Evidence("keen", source="answer")])])])
    joined = "\n".join(texts(render_message(reply)["blocks"]))
    assert "• the job was vague - you said “couldn't tell me &lt;b&gt;”" in joined
    assert "• you are keen - your answer: “keen”" in joined


def test_reply_without_text_gets_a_fallback() -> None:
    msg = render_message(advice_reply(), None)
    assert "Red flag: Vague job description" in msg["text"]


def test_block_limit_is_respected_and_buttons_kept() -> None:
    reply = advice_reply()
    reply.advice = reply.advice * 80
    blocks = render_message(reply)["blocks"]
    assert len(blocks) <= MAX_BLOCKS
    assert blocks[-1]["type"] == "actions"


def test_plain_message_with_rasa_buttons() -> None:
    msg = render_plain("Pick <one>", [{"title": "Yes", "payload": "yes"}])
    assert msg["text"] == "Pick &lt;one&gt;"
    assert buttons(msg["blocks"])[0]["value"] == "yes"


def test_after_click_removes_buttons_and_notes_the_choice() -> None:
    blocks = render_message(advice_reply())["blocks"]
    after = after_click(blocks, "Why? <b>")
    assert not [b for b in after if b["type"] == "actions"]
    assert "Was this helpful?" not in texts(after)
    assert after[-1]["elements"][0]["text"].endswith("*Why? &lt;b&gt;*")


def test_privacy_notice_has_one_button_with_the_token() -> None:
    notice = privacy_notice("Ev123")
    assert "Colleagues" in notice["text"]
    (btn,) = buttons(notice["blocks"])
    assert btn["value"] == "Ev123" and btn["action_id"] == "ia_privacy_thread"


def test_escape() -> None:
    assert escape("a & <b> c") == "a &amp; &lt;b&gt; c"


def test_long_text_is_cut_without_breaking_an_escape() -> None:
    reply = Reply(kind="advice", message="x" * 2996 + "<<<<<<")
    (block,) = render_message(reply)["blocks"][1:]
    text = block["text"]["text"]
    assert len(text) <= 3000 and text.endswith("x…")  # not "&lt…"


def test_a_direct_answer_comes_first_and_is_escaped() -> None:
    from interview_advisor.dialogue.reply import Answer
    reply = advice_reply()
    reply.answer = Answer(question="Is it dishonest?", text=f"No - {EVIL}", quote=EVIL)
    blocks = render_message(reply, None)["blocks"]
    first_text = next(b for b in blocks if b["type"] == "section")["text"]["text"]
    assert first_text.startswith("*No - &lt;!channel&gt;")
    assert "<!channel>" not in json.dumps(blocks)


def test_the_introduction_offers_to_delete_the_data() -> None:
    from interview_advisor.dialogue.compose import intro_reply
    blocks = render_message(intro_reply(90), None)["blocks"]
    values = [e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert values == ["delete my data"]
    advice_values = [e["value"] for b in render_message(advice_reply(), None)["blocks"]
                     if b["type"] == "actions" for e in b["elements"]]
    assert "delete my data" not in advice_values
