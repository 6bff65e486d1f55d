"""A fast subset of the multi-turn evaluation (eval/dialogue/tuning/) against the real
servers: ten conversations the bot passes, every expectation of every turn must hold.

The whole evaluation (tuning and held-out, with per-category shares and the fallback rate) is
`make eval-dialogue`; this keeps the part that works from regressing in `make test`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Dict

import pytest

from .conftest import rs

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "eval" / "dialogue"
if str(EVAL) not in sys.path:
    sys.path.insert(0, str(EVAL))

import dialogue_eval as de  # noqa: E402

run_eval = de.load_runner()  # eval/dialogue/run_eval.py (eval/nlu has a run_eval.py too)

pytestmark = pytest.mark.slow

#: one or two per category that the bot handles today
SUBSET = [
    "t_promises_remote_changed",      # red flag named, then "why" explains the rule
    "t_no_flags_clean_interview",     # no false flags; interest stated midway
    "t_raise_keep_interviewing",      # a dilemma with a recent raise, summary lists the advice
    "t_rejected_unemployed",          # rejection while between jobs
    "t_back_out_how",                 # how to back out, then the withdrawal draft
    "t_denial_not_vague",             # "they weren't vague" withdraws the flag
    "t_details_withdraw_to_sam",      # name and company given with the draft request
    "t_draft_decline_offer",          # decline draft, then "stop"
    "t_draft_role_clarity",           # the draft of the top advice
    "t_meta_greet_help_bot",          # greeting, help, bot challenge
]

VOCAB = de.load_vocabulary(ROOT)
CONVERSATIONS: Dict[str, de.Conversation] = {
    c.id: c for c in de.load_conversations(EVAL / "tuning", VOCAB, source="tuning")}


def test_subset_ids_exist() -> None:
    assert set(SUBSET) <= set(CONVERSATIONS), set(SUBSET) - set(CONVERSATIONS)


@pytest.mark.parametrize("conversation_id", SUBSET)
def test_conversation_passes(bot: rs.RasaStack, conversation_id: str) -> None:
    results = run_eval.run_conversation(bot, CONVERSATIONS[conversation_id], VOCAB)
    assert len(results) == len(CONVERSATIONS[conversation_id].turns)
    misses = [f"turn {r.turn} {c.kind} {c.expected!r} {c.detail}\n  user: {r.user}\n"
              f"  bot: {de.shorten(r.reply, 600)}"
              for r in results for c in r.checks if not c.ok]
    assert not misses, "\n".join(misses)
    assert sum(len(r.checks) for r in results) >= len(results)  # something was checked
