"""Slack Block Kit rendering of the reply model (pure functions; no Rasa, no network).

``render_message(reply, text)`` gives the ``text`` and ``blocks`` of a ``chat.postMessage``:

- a header, the notes, the message;
- each red flag with the person's own words as a quote (``>``) and why it matters;
- the advice, each with its next steps as a checklist;
- "why?" explanations, a summary's facts, a draft in a code block ready to copy;
- buttons for the question's options and the suggestions (each button's value is the text it
  sends, exactly as if typed), and Helpful / Not helpful when the reply is ``rateable``
  (their texts ``that helped`` / ``not helpful``);
- ``text``: the plain-text fallback (notifications, screen readers).

Every string derived from what the person wrote - and, for safety, every string at all that
Slack reads as mrkdwn - is escaped (``&``, ``<``, ``>``), so nobody can make the bot post
``<!channel>``, a user ping or a link they did not write. ``plain_text`` objects (header,
button labels) are not parsed by Slack and are shown literally.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from interview_advisor.dialogue.phrases import CONFIDENCE
from interview_advisor.dialogue.reply import Comparison, Reply

Block = Dict[str, Any]

#: Slack's limits (https://api.slack.com/reference/block-kit/blocks)
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTIONS = 25
MAX_FALLBACK_TEXT = 3900

#: ``action_id`` prefix of a button whose value is sent into the conversation as typed text
SAY_ACTION = "ia_say"
#: the intro's button that asks to delete the conversation (sent as if typed; confirmed first)
FORGET_TITLE = "Delete my data"
FORGET_PAYLOAD = "delete my data"
HELPFUL = "that helped"
NOT_HELPFUL = "not helpful"

HEADERS = {
    "advice": "What I noticed, and what to do",
    "correction": "Updated advice",
    "why": "Why I said that",
    "summary": "Summary so far",
    "draft": "A message you can send",
    "error": "Something went wrong",
    "comparison": "Your options side by side",
}
#: how a comparison cell counts (see reply.Cell)
CELL_ICON = {"for": ":white_check_mark:", "against": ":x:", "said": ":speech_balloon:",
             "unknown": ":grey_question:"}

FLAG_ICON = {"high": ":red_circle:", "medium": ":large_orange_circle:",
             "low": ":large_yellow_circle:"}


def escape(text: Any) -> str:
    """Escape for Slack mrkdwn: ``&`` ``<`` ``>`` (Slack's three control characters)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quote_lines(text: str) -> str:
    """The person's words as a Slack block quote (every line starts with ``>``), escaped."""
    return "\n".join("> " + escape(line) for line in str(text).splitlines() or [""])


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` characters, never ending inside an entity such as ``&amp;``."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    amp = head.rfind("&")
    if amp != -1 and ";" not in head[amp:]:
        head = head[:amp]
    return head + "…"


def section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut(mrkdwn, MAX_SECTION_TEXT)}}


def context(mrkdwn: str) -> Block:
    return {"type": "context",
            "elements": [{"type": "mrkdwn", "text": _cut(mrkdwn, MAX_SECTION_TEXT)}]}


def header(text: str) -> Block:
    return {"type": "header",
            "text": {"type": "plain_text", "text": _cut(text, MAX_HEADER_TEXT), "emoji": True}}


def button(title: str, value: str, index: int, style: Optional[str] = None) -> Dict[str, Any]:
    element: Dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": _cut(title or value, MAX_BUTTON_TEXT),
                 "emoji": True},
        "value": value[:MAX_BUTTON_VALUE],
        "action_id": f"{SAY_ACTION}_{index}",
    }
    if style:
        element["style"] = style
    return element


def actions(elements: Sequence[Dict[str, Any]], block_id: str) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)[:MAX_ACTIONS]}


def render_blocks(reply: Reply) -> List[Block]:
    """The Block Kit blocks for one reply."""
    blocks: List[Block] = []
    title = HEADERS.get(reply.kind)
    if reply.kind == "draft" and reply.draft is not None:
        title = reply.draft.title or title
    if title:
        blocks.append(header(title))
    if reply.opportunity:
        blocks.append(context(f"About *{escape(reply.opportunity)}*"))
    if reply.answer is not None:
        blocks.append(section(f"*{escape(reply.answer.text)}*"))
    if reply.notes:
        blocks.append(context("\n".join(escape(n) for n in reply.notes)))
    if reply.message:
        blocks.append(section(escape(reply.message)))

    for flag in reply.flags:
        icon = FLAG_ICON.get(flag.severity or "", ":triangular_flag_on_post:")
        about = f" ({escape(flag.opportunity)})" if flag.opportunity else ""
        lines = [f"{icon} *{escape(flag.title)}*{about}"]
        lines += [quote_lines(q.text) for q in flag.quotes if q.text]
        if flag.why:
            lines.append(escape(flag.why))
        blocks.append(section("\n".join(lines)))
    if reply.withdrawn:
        blocks.append(context("Withdrawn: " + ", ".join(escape(w.title)
                                                       for w in reply.withdrawn)))

    if reply.facts:
        lines = []
        for fact in reply.facts:
            line = f"• *{escape(fact.title)}*: {escape(fact.label)}"
            if fact.opportunity:
                line += f" ({escape(fact.opportunity)})"
            if fact.previous:
                line += f" (was: {escape(fact.previous)})"
            if fact.quote:
                line += f" - you said “{escape(fact.quote)}”"
            lines.append(line)
        blocks.append(section("\n".join(lines)))

    if reply.advice and (reply.flags or reply.facts):
        blocks.append({"type": "divider"})
    for advice in reply.advice:
        about = f" ({escape(advice.opportunity)})" if advice.opportunity else ""
        lines = [f":bulb: *{escape(advice.title)}*{about}", escape(advice.text)]
        if advice.next_steps:
            lines.append("*Next steps:*")
            lines += [f"☐ {escape(step)}" for step in advice.next_steps]
        if advice.questions_to_ask:
            lines.append("*Questions to ask them:*")
            lines += [f"• {escape(question)}" for question in advice.questions_to_ask]
        blocks.append(section("\n".join(lines)))
    if reply.more_advice:
        more = reply.more_advice
        blocks.append(context(f"+{more} more piece{'s' if more != 1 else ''} of advice - "
                              "ask for a summary to see everything."))

    if reply.comparison is not None:
        blocks += comparison_blocks(reply.comparison)

    for expl in reply.explanations:
        about = f" ({escape(expl.opportunity)})" if expl.opportunity else ""
        lines = [f"*{escape(expl.title)}*{about}"]
        if expl.why:
            lines.append(escape(expl.why))
        for reason in expl.reasons:
            said = "; ".join(f"“{escape(e.quote)}”" for e in reason.evidence
                             if e.source == "text" and e.quote)
            answered = "; ".join(f"“{escape(e.quote)}”" for e in reason.evidence
                                 if e.source != "text" and e.quote)
            line = f"• {escape(reason.condition)}"
            if said:
                line += f" - you said {said}"
            if answered:
                line += f" - your answer: {answered}"
            lines.append(line)
        blocks.append(section("\n".join(lines)))

    if reply.draft is not None:
        if reply.kind != "draft":
            blocks.append(section(f"*{escape(reply.draft.title)}*"))
        # ``` keeps the draft ready to copy; a ``` inside the draft would end the block early
        body = escape(reply.draft.text).replace("```", "'''")
        blocks.append(section(f"```{body}```"))
        if reply.draft.missing:
            blocks.append(context("Fill in before sending: "
                                  + ", ".join(escape(m) for m in reply.draft.missing)))

    buttons: List[Dict[str, Any]] = []
    if reply.question is not None:
        blocks.append(section(f":grey_question: {escape(reply.question.text)}"))
        for option in reply.question.options:
            buttons.append(button(option.label, option.label, len(buttons)))
    for suggestion in reply.suggestions:
        buttons.append(button(suggestion.title, suggestion.payload, len(buttons)))
    if reply.kind == "intro":
        # the privacy note says the conversation is kept: offer to delete it right there
        buttons.append(button(FORGET_TITLE, FORGET_PAYLOAD, len(buttons), "danger"))
    if buttons:
        blocks.append(actions(buttons, "ia_buttons"))
    if reply.closing:
        blocks.append(context(escape(reply.closing)))
    if reply.rateable:
        blocks.append(context("Was this helpful?"))
        blocks.append(actions([button(":+1: Helpful", HELPFUL, len(buttons), "primary"),
                               button(":-1: Not helpful", NOT_HELPFUL, len(buttons) + 1)],
                              "ia_rating"))
    return _fit(blocks)


def comparison_blocks(comparison: Comparison) -> List[Block]:
    """A section per option (rank, then each topic: how it counts, the person's words or the
    question to ask), then the verdict with how sure it is and why."""
    blocks: List[Block] = []
    ranks = {p.topic: p.rank for p in comparison.priorities}
    for option in comparison.options:
        lines = [f"*{option.rank}. {escape(option.opportunity)}*"]
        for cell in option.cells:
            rank = f" (#{ranks[cell.topic]})" if cell.topic in ranks and \
                not comparison.assumed_priorities else ""
            line = f"{CELL_ICON.get(cell.status, '')} *{escape(cell.title)}*{rank}: "
            if cell.flags:
                line += "red flag - " + ", ".join(escape(f) for f in cell.flags)
            elif cell.quotes:
                line += "; ".join(f"“{escape(q.text)}”" for q in cell.quotes[:2])
            else:
                line += f"not known - ask: _{escape(cell.question or '')}_"
            lines.append(line)
        blocks.append(section("\n".join(lines)))
    verdict = comparison.verdict
    lines = [f":scales: *{escape(verdict.text)}* "
             f"({escape(CONFIDENCE.get(verdict.confidence, verdict.confidence))})"]
    lines += [f"• {escape(reason)}" for reason in verdict.reasons]
    blocks.append(section("\n".join(lines)))
    return blocks


def _fit(blocks: List[Block]) -> List[Block]:
    """At most MAX_BLOCKS blocks, keeping the buttons (the last blocks) when trimming."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    tail = [b for b in blocks[-4:] if b["type"] in ("actions", "context")]
    head = blocks[: MAX_BLOCKS - len(tail) - 1]
    return head + [context("(shortened - ask for a summary)")] + tail


def fallback_text(reply: Reply) -> str:
    """A short plain text for a reply that came without one (notifications only)."""
    parts = [reply.answer.text] if reply.answer is not None else []
    parts += reply.notes
    if reply.message:
        parts.append(reply.message)
    parts += [f"Red flag: {f.title}" for f in reply.flags]
    parts += [a.title for a in reply.advice]
    if reply.draft is not None:
        parts.append(reply.draft.title)
    if reply.question is not None:
        parts.append(reply.question.text)
    return "\n".join(parts) or HEADERS.get(reply.kind, "Interview Advisor")


def render_message(reply: Reply, text: Optional[str] = None) -> Dict[str, Any]:
    """``{"text": ..., "blocks": [...]}`` for chat.postMessage; ``text`` is the plain-text
    rendering the bot sent with the reply (escaped here), else a short one made from it."""
    plain = text if text and text.strip() else fallback_text(reply)
    return {"text": _cut(escape(plain), MAX_FALLBACK_TEXT), "blocks": render_blocks(reply)}


def render_plain(text: str, buttons: Sequence[Dict[str, Any]] = ()) -> Dict[str, Any]:
    """A message without a reply model: text (escaped) and optional Rasa buttons
    (``{"title", "payload"}``)."""
    blocks: List[Block] = [section(escape(text))] if text.strip() else []
    elements = [button(str(b.get("title") or b.get("payload")), str(b.get("payload") or ""), i)
                for i, b in enumerate(buttons) if b.get("payload")]
    if elements:
        blocks.append(actions(elements, "ia_buttons"))
    return {"text": _cut(escape(text), MAX_FALLBACK_TEXT), "blocks": blocks}


# --------------------------------------------------------------------------------------------
# after a click, and the privacy notice in channels
# --------------------------------------------------------------------------------------------

def after_click(blocks: Sequence[Block], chosen: str) -> List[Block]:
    """The clicked message's blocks without its buttons, plus a note of the choice."""
    kept = [b for b in blocks if isinstance(b, dict) and b.get("type") != "actions"
            and not _is_rating_prompt(b)]
    return kept + [context(f":white_check_mark: You chose *{escape(chosen)}*")]


def _is_rating_prompt(block: Block) -> bool:
    if block.get("type") != "context":
        return False
    elements = block.get("elements") or []
    return len(elements) == 1 and isinstance(elements[0], dict) and \
        elements[0].get("text") == "Was this helpful?"


PRIVACY_ACTION_THREAD = "ia_privacy_thread"

PRIVACY_TEXT = ("Only you can see this. Colleagues, or your employer, may be able to read this "
                "channel, so I've sent my answer to you in a direct message - let's continue "
                "there.")


def privacy_notice(value: str) -> Dict[str, Any]:
    """The ephemeral notice in a channel (``value`` identifies the message for the button)."""
    return {
        "text": PRIVACY_TEXT,
        "blocks": [
            section(":lock: " + PRIVACY_TEXT),
            actions([{
                "type": "button",
                "text": {"type": "plain_text", "text": "Answer here in the thread instead"},
                "value": value[:MAX_BUTTON_VALUE],
                "action_id": PRIVACY_ACTION_THREAD,
                "confirm": {
                    "title": {"type": "plain_text", "text": "Answer in the thread?"},
                    "text": {"type": "plain_text",
                             "text": "Everyone in this channel will be able to read my advice "
                                     "and what you tell me in this thread."},
                    "confirm": {"type": "plain_text", "text": "Answer in the thread"},
                    "deny": {"type": "plain_text", "text": "Keep it private"},
                },
            }], "ia_privacy"),
        ],
    }


def privacy_chosen_thread() -> Dict[str, Any]:
    text = ("OK - I'll answer you here in the thread. Everyone in this channel can read it; "
            "message me directly any time to talk privately.")
    return {"text": text, "blocks": [section(":speech_balloon: " + text)]}


def dm_intro(channel_id: str) -> Dict[str, Any]:
    """The line that opens a DM answer to something written in a channel (``<#C...>`` is a
    channel link; ``channel_id`` must be a validated Slack id)."""
    text = (f"You wrote to me in <#{channel_id}>. I'm answering here, privately - "
            "only you can read this conversation.")
    return {"text": text, "blocks": [context(text)]}


def not_yours(owner: str) -> Dict[str, Any]:
    text = (f"These buttons belong to <@{owner}>'s conversation. Mention me, or send me a "
            "direct message, to start your own.")
    return {"text": text}
