"""Plain-text rendering of a reply: terminals (``rasa shell``, the CLI) and plain REST clients.

:func:`render_text` lays out a :class:`Reply` as readable lines; :func:`buttons` gives its
question options and suggestions as ``{"title", "payload"}`` pairs, for channels that show
choices. No JSON, nothing but the reply's own content. This module imports neither Rasa nor
rasa_sdk.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Dict, List, Optional

from .phrases import CONFIDENCE as CONFIDENCE_WORDS
from .phrases import TYPED_CHOICES
from .reply import Advice, Cell, Comparison, Evidence, Fact, Flag, Reply
from .text import quote, sentence

ADVICE_HEADINGS = {"advice": "What I'd do, most important first:",
                   "correction": "Updated advice, most important first:"}
CELL_CHARS = 34         # widest column of a comparison table
MARKS = {"for": "+", "against": "-", "said": "~", "unknown": "?"}


def keep_together(text: str) -> str:
    """Blank lines as lines with one space: Rasa's REST and socket.io channels split a text at
    every blank line into separate chat bubbles, and a reply should stay one message."""
    return re.sub(r"\n[ \t]*\n", "\n \n", text)


def _origin(fact: Fact) -> str:
    if not fact.quote:
        return ""
    if fact.source == "answer":
        return f" (you answered {quote(fact.quote, 60)})"
    if fact.source == "intent":  # read from the whole message, not from a few words
        return " (from what you asked)"
    return f" (you said {quote(fact.quote, 80)})"


def fact_line(fact: Fact) -> str:
    if fact.source == "detail":
        return f"{fact.title}: {fact.label}"
    return f"{fact.title}: {fact.label}{_origin(fact)}"


def _of(item: object) -> str:
    """" (Acme)" after an item that belongs to one of several opportunities."""
    name = getattr(item, "opportunity", None)
    return f" ({name})" if name else ""


def flag_line(flag: Flag) -> str:
    quotes = ", ".join(quote(q.text, 80) for q in flag.quotes)
    return f"- {flag.title}{_of(flag)}: you said {quotes}. {flag.why}".rstrip()


def advice_lines(number: int, item: Advice) -> List[str]:
    lines = [f"{number}. {sentence(item.title)} {item.text}"]
    if item.next_steps:
        lines.append("   Next steps:")
        lines += [f"   - {step}" for step in item.next_steps]
    if item.questions_to_ask:
        lines.append("   Questions to ask them:")
        lines += [f"   - {question}" for question in item.questions_to_ask]
    return lines


def evidence_text(evidence: Evidence) -> str:
    if evidence.source == "answer":
        return f"you answered {quote(evidence.quote, 60)}"
    label = f" ({evidence.flag})" if evidence.flag else ""
    return f"you said {quote(evidence.quote, 80)}{label}"


def question_text(reply: Reply) -> str:
    question = reply.question
    if question is None:
        return ""
    if question.repeat:
        options = " / ".join(o.label for o in question.options) or "yes / no"
        return f"Sorry, I didn't catch your answer. {question.text} ({options})"
    if reply.kind == "summary":
        return f"Still open: {question.text}"
    if question.optional:
        return f"One question, if you don't mind (you can skip it): {question.text}"
    return question.text


def _summary(reply: Reply) -> List[str]:
    lines = ["Summary so far", f"Red flags ({len(reply.flags)}):"]
    for flag in reply.flags:
        lines.append(f"- {flag.title}{_of(flag)} - you said "
                     + ", ".join(quote(q.text, 80) for q in flag.quotes))
    if not reply.flags:
        lines.append("- none so far")
    if reply.withdrawn:
        lines.append("- taken back by you: " + ", ".join(w.title for w in reply.withdrawn))
    lines.append("What I know about your situation:")
    for fact in reply.facts:
        line = fact_line(fact)
        lines.append("- " + (line[:1].upper() + line[1:] if fact.source == "detail" else line)
                     + _of(fact))
    if not reply.facts:
        lines.append("- nothing yet")
    lines.append(f"Advice and next steps ({len(reply.advice)}):")
    if not reply.advice:
        lines.append("- no advice applies yet")
    for number, item in enumerate(reply.advice, 1):
        lines.append(f"{number}. {item.title}{_of(item)} - {item.text}")
        lines += [f"   [ ] {step}" for step in item.next_steps]
    return lines


def _cell_text(cell: Cell) -> str:
    if cell.flags:
        words = "red flag: " + ", ".join(f.lower() for f in cell.flags)
    elif cell.quotes:
        words = quote(cell.quotes[0].text, CELL_CHARS - 4)
    else:
        words = "not known - ask"
    text = f"{MARKS.get(cell.status, '?')} {words}"
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS - 3] + "..."


def comparison_lines(comparison: Comparison) -> List[str]:
    """The opportunities as aligned columns, one row per topic; then the gaps as questions to
    ask, the verdict and its reasons."""
    options = comparison.options
    weights = {p.topic: p.rank for p in comparison.priorities}
    topics = [(c.topic, c.title) for c in options[0].cells] if options else []
    labels = [f"{title} #{weights[topic]}" if topic in weights and
              not comparison.assumed_priorities else title for topic, title in topics]
    grid = [[_cell_text(next(c for c in o.cells if c.topic == topic)) for o in options]
            for topic, _ in topics]
    first = max([len(x) for x in labels] + [len("You ranked")])
    widths = [max([len(f"{o.rank}. {o.opportunity}")] + [len(row[i]) for row in grid])
              for i, o in enumerate(options)]
    lines = [" | ".join([" " * first] + [f"{o.rank}. {o.opportunity}".ljust(w)
                                         for o, w in zip(options, widths)]).rstrip()]
    lines.append("-+-".join(["-" * first] + ["-" * w for w in widths]))
    for label, row in zip(labels, grid):
        lines.append(" | ".join([label.ljust(first)] + [cell.ljust(w) for cell, w in
                                                       zip(row, widths)]).rstrip())
    lines.append("(+ counts for it, - against it, ~ you mentioned it, ? not known yet)")
    gaps = [(o.opportunity, c.question) for o in options for c in o.cells
            if c.status == "unknown" and c.question]
    if gaps:
        lines.append("Questions to ask:")
        lines += [f"- {name}: {question}" for name, question in gaps]
    verdict = comparison.verdict
    lines.append(f"My verdict ({CONFIDENCE_WORDS.get(verdict.confidence, verdict.confidence)}): "
                 f"{verdict.text}")
    lines += [f"- {reason}" for reason in verdict.reasons]
    return lines


def _why(reply: Reply) -> List[str]:
    lines = ["Here's why I said that:"]
    for number, item in enumerate(reply.explanations, 1):
        lines.append(f"{number}. {item.title}{_of(item)} (rule {item.rule})")
        lines.append("   It applies because:")
        for reason in item.reasons:
            text = reason.condition
            if reason.evidence:
                text += " - " + "; ".join(evidence_text(e) for e in reason.evidence)
            lines.append(f"   - {text}")
        lines.append(f"   Reasoning: {item.why}")
    return lines


def render_text(reply: Reply) -> str:
    """The whole reply as plain text, one line per item, no blank lines."""
    if reply.kind == "summary" and (reply.flags or reply.facts or reply.advice):
        lines = ([f"About {reply.opportunity}:"] if reply.opportunity else []) + \
            ([reply.message] if reply.message else []) + _summary(reply)
        if reply.question:
            lines.append(question_text(reply))
        return "\n".join(lines)
    lines = [f"About {reply.opportunity}:"] if reply.opportunity else []
    lines += [reply.answer.text] if reply.answer else []
    lines += reply.notes
    lines += [f'OK, I\'ve taken back the red flag "{w.title}".' for w in reply.withdrawn]
    changed = [f for f in reply.facts if f.previous is not None]
    lines += [f"Corrected - {f.title}: {f.label} (was: {f.previous})." for f in changed]
    noted = [fact_line(f) for f in reply.facts if f.previous is None]
    if noted:
        lines.append("Noted - " + "; ".join(noted) + ".")
    if reply.flags:
        lines.append("Red flags I noticed:")
        lines += [flag_line(flag) for flag in reply.flags]
    if reply.explanations:
        lines += _why(reply)
    if reply.message:
        lines.append(reply.message)
    if reply.comparison:
        lines += comparison_lines(reply.comparison)
    if reply.advice:
        lines.append(ADVICE_HEADINGS.get(reply.kind, "Advice:"))
        for number, item in enumerate(reply.advice, 1):
            lines += advice_lines(number, item)
    if reply.draft:
        lines += [f"Here's your draft - {reply.draft.title}:", "---",
                  keep_together(reply.draft.text), "---"]
    if reply.closing:
        lines.append(reply.closing)
    if reply.question:
        lines.append(question_text(reply))
    return "\n".join(lines)


def buttons(reply: Reply) -> List[Dict[str, str]]:
    """The reply's choices as buttons: the question's options, then the suggestions."""
    found: List[Dict[str, str]] = []
    if reply.question:
        found += [{"title": o.label, "payload": o.label} for o in reply.question.options]
    found += [{"title": s.title, "payload": s.payload} for s in reply.suggestions]
    return found


def render_typed(reply: Reply, aside: Optional[Reply] = None) -> str:
    """The reply as plain text for a terminal that offers no menu: everything :func:`buttons`
    would offer becomes words to type. The suggestions the text does not already name
    ("Say \"why\" for my reasoning ...") are listed, then the question, last, with its options
    after it - each option is what its button would have sent. ``aside`` (the introduction
    after a direct answer that opened the conversation) goes before the choices, so that the
    question stays the last thing on screen."""
    question = reply.question
    lines = [render_text(replace(reply, question=None))]   # the question comes last
    if aside is not None:
        lines.append(render_text(aside))
    lowered = lines[0].lower()
    unnamed = [s.payload for s in reply.suggestions
               if f'"{s.payload.rstrip("?").lower()}' not in lowered]
    if unnamed:
        lines.append(TYPED_CHOICES.format(choices=", ".join(f'"{p}"' for p in unnamed)))
    if question:
        asked = question_text(reply)
        if question.options and not question.repeat:   # a repeated question lists them already
            asked += " (" + " / ".join(o.label for o in question.options) + ")"
        lines.append(asked)
    return "\n".join(line for line in lines if line)
