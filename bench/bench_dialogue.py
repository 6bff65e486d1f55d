"""Benchmark of the dialogue core on a very long conversation, in-process (no Rasa): the time
to read each message into the state, and the replies whose work grows with the number of
opportunities - the comparison, the summary and the reasons for every one of them. Prints
figures; asserts nothing.

The conversation is every user turn of eval/dialogue/tuning/ in one go (as the windowed
tracker store test replays them): well over a hundred companies and roles come up. The action
server answers each turn within ``ACTION_TIMEOUT_SECONDS`` (6 s) or the person gets an
apology, so the figures to watch are the maximum per turn and the comparison at the end.
    .venv/bin/python bench/bench_dialogue.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval" / "dialogue"))

import dialogue_eval as de  # noqa: E402


def user_turns() -> List[str]:
    return de.user_turns(ROOT / "eval" / "dialogue" / "tuning")


def timed(runs: int, work: Callable[[], object]) -> List[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from interview_advisor import Advisor
    from interview_advisor.dialogue import comparison, reading
    from interview_advisor.dialogue import compose_opportunities as several
    from interview_advisor.dialogue import opportunities as opp
    from interview_advisor.dialogue.state import State, UserMessage

    advisor = Advisor()
    state = State()
    per_turn = []
    for number, text in enumerate(user_turns()):
        start = time.perf_counter()
        state, _, _ = reading.absorb(advisor, state, UserMessage(
            text, "describe_interview", [], f"bench-{number}"))
        per_turn.append(time.perf_counter() - start)
    compared = len(opp.compared(state))
    said = sum(len(e.get("said") or []) for e in state.opportunities)

    ms = 1000.0
    print(f"one conversation of {len(per_turn)} messages: {compared} opportunities compared, "
          f"{said} messages kept with them")
    print(f"read a message into the state   median {statistics.median(per_turn) * ms:8.1f} ms"
          f"   max {max(per_turn) * ms:8.1f} ms")
    for name, work in (("compare all opportunities", lambda: comparison.compare(advisor, state)),
                       ("summary of every one", lambda: several.summary_all_reply(advisor, state)),
                       ("reasons for every one", lambda: several.why_all_reply(advisor, state))):
        times = timed(args.runs, work)
        print(f"{name:<31} median {statistics.median(times) * ms:8.1f} ms"
              f"   max {max(times) * ms:8.1f} ms   ({args.runs} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
