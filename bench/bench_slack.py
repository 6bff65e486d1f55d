"""Benchmark of the Slack channel: time from a signed event arriving at the Rasa server to the
first ``chat.postMessage`` reaching the (fake) Slack Web API. Prints figures; asserts nothing.

The real Rasa server with ``channels.slack.SlackChannel`` and the real action server, the fake
Slack from tests/slack/fake_slack.py on a free localhost port (``SLACK_API_URL``). Each event is
a direct message from a new person (a fresh conversation), the messages cycling through a
greeting, two interview descriptions and a question; events are sent one after another.

    .venv/bin/python bench/bench_slack.py [--events 120] [--warmup 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import rasa_servers as rs  # noqa: E402

from interview_advisor.slack_events import effective_credentials  # noqa: E402
from tests.slack.fake_slack import SECRET, TOKEN, FakeSlack, SlackSender, dm_event  # noqa: E402

MESSAGES = {
    "greeting": "hi",
    "vague role": ("I had an interview at Acme yesterday. The recruiter couldn't tell me what the "
                   "job actually is, and they took three weeks to answer my emails."),
    "only praise": ("Should I keep interviewing there? Everyone I know at the company only says "
                    "great things about it and nobody mentions any downsides."),
    "question": "what can you do?",
}


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=120)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    rs.install_signal_handlers()

    model = rs.ensure_model(ROOT)
    tmp = Path(tempfile.mkdtemp(prefix="bench-slack-"))
    kinds = list(MESSAGES)
    with FakeSlack() as fake:
        env = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET,
               "SLACK_API_URL": fake.api_url, "SLACK_EVENTS_DB": str(tmp / "events.sqlite3"),
               "LOG_LEVEL": "WARNING"}
        import yaml

        base = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8")) or {}
        credentials = tmp / "credentials.yml"
        credentials.write_text(yaml.safe_dump(effective_credentials(base, {**os.environ, **env})),
                               encoding="utf-8")
        with rs.RasaStack(ROOT, model=model.path, log_dir=tmp, name="bench-slack",
                          credentials=credentials, extra_env=env) as stack:
            assert stack.info is not None
            sender = SlackSender(stack.info.rasa_port)
            latencies: Dict[str, List[float]] = {k: [] for k in kinds}
            ack: List[float] = []
            for i in range(args.warmup + args.events):
                kind = kinds[i % len(kinds)]
                user = "U" + uuid.uuid4().hex[:9].upper()
                channel = "D" + user[1:]
                since = fake.mark()
                t0 = time.monotonic()
                _, answer = sender.event(dm_event(user, MESSAGES[kind]))
                if answer.status != 200:
                    raise SystemExit(f"event refused: {answer.status} {answer.body}")
                calls = fake.wait_for(lambda cs, ch=channel: any(
                    c.method == "chat.postMessage" and c.body.get("channel") == ch
                    for c in cs), 120, since)
                first = next(c for c in calls if c.method == "chat.postMessage"
                             and c.body.get("channel") == channel)
                if i >= args.warmup:
                    latencies[kind].append(first.at - t0)
                    ack.append(answer.seconds)
            memory = stack.memory()

    every = [v for vs in latencies.values() for v in vs]
    figures = {
        "events": len(every),
        "median_ms": round(statistics.median(every) * 1000, 1),
        "p95_ms": round(percentile(every, 95) * 1000, 1),
        "min_ms": round(min(every) * 1000, 1),
        "max_ms": round(max(every) * 1000, 1),
        "http_ack_median_ms": round(statistics.median(ack) * 1000, 1),
        "by_message_median_ms": {k: round(statistics.median(v) * 1000, 1)
                                 for k, v in latencies.items() if v},
        "rasa_rss_mb": rs.mb(memory.get("rasa_rss")),
        "actions_rss_mb": rs.mb(memory.get("actions_rss")),
    }
    print(f"Slack: signed event -> first chat.postMessage at the fake Slack API, "
          f"{figures['events']} events (after {args.warmup} warm-up)")
    print(f"  median {figures['median_ms']} ms   p95 {figures['p95_ms']} ms   "
          f"min {figures['min_ms']} ms   max {figures['max_ms']} ms")
    print(f"  HTTP acknowledgement to Slack: median {figures['http_ack_median_ms']} ms "
          "(Slack wants it within 3 s)")
    for kind, value in figures["by_message_median_ms"].items():
        print(f"  {kind:12s} median {value} ms")
    print(f"  memory: rasa {figures['rasa_rss_mb']} MB, actions {figures['actions_rss_mb']} MB")
    print(f"  logs: {tmp}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
