"""Replay a conversation against the real bot and print it as text (or Markdown for the README).

    .venv/bin/python scripts/sample_conversation.py                 # the built-in sample
    .venv/bin/python scripts/sample_conversation.py --markdown      # as the README shows it
    .venv/bin/python scripts/sample_conversation.py --demo opportunities   # two offers and
                                                                    # the current job compared
    .venv/bin/python scripts/sample_conversation.py "hi" "the recruiter was vague" "why?"

Trains the model when needed (scripts/train.sh's fingerprint), starts the Rasa server and the
action server on free loopback ports, sends each message over the REST webhook as one user,
prints what the bot answered (text only: the structured payloads are for channels) and stops
both servers.  Exit code 1 when the bot stays silent on a message.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path
from typing import List, Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import rasa_servers as rs  # noqa: E402

SAMPLE = [
    "hi",
    "I had a second interview at Globex yesterday. The hiring manager couldn't really tell me "
    "what I'd be doing day to day, and the recruiter took three weeks to get back to me after "
    "the first round.",
    "it's at another company, I'm employed at the moment",
    "why?",
    "I'm not really interested in it anymore tbh",
    "can you draft a message to withdraw?",
    "data analyst",
    "Alex",
]


#: two offers and the current job, priorities, then the comparison (issue 12; the README's
#: "Several opportunities" sample, replayed by tests/e2e/test_demo_opportunities.py)
OPPORTUNITIES = [
    "I've got two offers and can't decide. Initech offered 78k but the hiring manager couldn't "
    "really say what I'd be doing day to day.",
    "Hooli made me an offer too, 70k, fully remote, and the team I met was great",
    "as for my current job, the people are lovely but there's no growth and the pay is low",
    "growth matters most to me, then pay, then remote",
    "which should I pick?",
]

#: the built-in conversations, by name (``make demo DEMO=<name>``)
DEMOS = {"sample": SAMPLE, "opportunities": OPPORTUNITIES}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("messages", nargs="*", help="what the user says (default: the sample)")
    parser.add_argument("--markdown", action="store_true", help="format for the README")
    parser.add_argument("--demo", choices=sorted(DEMOS), default="sample",
                        help="which built-in conversation (default: sample)")
    parser.add_argument("--port", type=int,
                        help="talk to a Rasa server already running on this port")
    args = parser.parse_args(argv)
    messages = args.messages or DEMOS[args.demo]
    if args.port:
        return replay(rs.RestClient(args.port, timeout=120.0), messages, args.markdown)
    rs.install_signal_handlers()
    model = rs.ensure_model(ROOT)
    with rs.RasaStack(ROOT, model=model.path, name="sample") as stack:
        return replay(stack.client(), messages, args.markdown)


def replay(client: rs.RestClient, messages: List[str], markdown: bool) -> int:
    """Send each message as one new user and print the replies; 1 when the bot stays silent."""
    silent = 0
    sender = f"sample-{uuid.uuid4().hex[:8]}"
    for text in messages:
        reply = client.send(sender, text)
        silent += not reply.texts
        if markdown:
            print(f"> **You:** {text}\n>")
            for line in reply.text.splitlines():
                print(f"> {line}" if line.strip() else ">")
            print()
        else:
            print(f"YOU: {text}")
            for line in reply.text.splitlines():
                print(f"BOT: {line}")
            print()
    client.close()
    return 1 if silent else 0


if __name__ == "__main__":
    sys.exit(main())
