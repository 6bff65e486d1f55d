#!/usr/bin/env python3
"""Write the credentials file the Rasa server should start with.

    python scripts/credentials.py OUT [--base credentials.yml]

OUT gets every channel of the base file (credentials.yml: rest, socket.io / web chat ...) and,
when both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set, the Slack channel
(``channels.slack.SlackChannel``) reading them as ``${SLACK_BOT_TOKEN}`` /
``${SLACK_SIGNING_SECRET}`` - Rasa expands them when it starts, so no secret is written to disk.
Without them Slack is left out and the server starts as before.

Prints which channels it wrote to stderr. Exit status 2 (and no file) when a Slack variable is
an obvious placeholder (``changeme``, ``xoxb-your-token``) or malformed.
Standard library + PyYAML only; never imports Rasa.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from interview_advisor.slack_events import (  # noqa: E402
    SlackConfigError,
    effective_credentials,
    slack_enabled,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="where to write the credentials file")
    parser.add_argument("--base", default=str(ROOT / "credentials.yml"),
                        help="the project's credentials file (default: credentials.yml)")
    args = parser.parse_args(argv)
    base = yaml.safe_load(Path(args.base).read_text(encoding="utf-8")) or {}
    try:
        data = effective_credentials(base, os.environ)
    except SlackConfigError as exc:
        print(f"credentials: {exc} See docs/slack.md.", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("# written by scripts/credentials.py - edit credentials.yml instead\n"
                   + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    slack = "with Slack" if slack_enabled(os.environ) else \
        "without Slack (SLACK_BOT_TOKEN / SLACK_SIGNING_SECRET not both set)"
    print(f"credentials: wrote {out}: {', '.join(data)} - {slack}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
