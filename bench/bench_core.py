"""Benchmark of the advisor core, in-process: rule base load + compile, and detection plus
evaluation of a 150-word message after warm-up.  Prints figures; asserts nothing.

Targets (issue #2): detection + evaluation median <= 5 ms; load + compile <= 1 s.
    .venv/bin/python bench/bench_core.py [--runs 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MESSAGE = (
    "So I had my second interview yesterday for a project coordinator role at a mid-size "
    "logistics company. The recruiter had told me on the first call that the job was fully "
    "remote with flexible hours, but the hiring manager said they expect people in the office "
    "three days a week. When I asked what I would actually be doing day to day, she said it "
    "was a bit of everything and that the role would take shape once I joined. Everyone I met "
    "was super enthusiastic and nobody could name a single downside, which felt a bit scripted. "
    "They also rescheduled the interview twice and I still have not heard back about next steps. "
    "It is an internal role, sort of, because my company is merging with theirs, and I just got "
    "a raise at my current job, so I am honestly not sure I want this. Should I keep going?"
)


def percentile(values, q):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()

    t0 = time.perf_counter()
    from interview_advisor import Advisor  # noqa: E402  (import time is reported separately)
    from interview_advisor.nlp import blank_pipeline, lemma_table

    blank_pipeline()
    lemma_table()
    t_import = time.perf_counter() - t0

    load_times = []
    advisor = None
    for _ in range(5):
        t = time.perf_counter()
        advisor = Advisor()
        load_times.append(time.perf_counter() - t)
    assert advisor is not None

    words = len(MESSAGE.split())
    for _ in range(20):  # warm-up
        advisor.analyze(MESSAGE)
    detect_eval = []
    detect_only = []
    for _ in range(args.runs):
        t = time.perf_counter()
        result = advisor.analyze(MESSAGE)
        detect_eval.append(time.perf_counter() - t)
        t = time.perf_counter()
        advisor.detect(MESSAGE)
        detect_only.append(time.perf_counter() - t)

    ms = 1000.0
    print(f"message: {words} words; {len(result.signals)} signals, {len(result.facts)} facts, "
          f"{len(result.advice)} advice items, {len(result.questions)} questions")
    print(f"import spaCy + lemma table (once per process): {t_import * ms:8.1f} ms")
    print(f"rule base load + compile   median {statistics.median(load_times) * ms:8.1f} ms"
          f"   (first {load_times[0] * ms:.1f} ms, max {max(load_times) * ms:.1f} ms)")
    print(f"detect + evaluate          median {statistics.median(detect_eval) * ms:8.3f} ms"
          f"   p95 {percentile(detect_eval, 95) * ms:.3f} ms"
          f"   p99 {percentile(detect_eval, 99) * ms:.3f} ms"
          f"   ({args.runs} runs)")
    print(f"detect only                median {statistics.median(detect_only) * ms:8.3f} ms")
    ok_eval = statistics.median(detect_eval) <= 0.005
    ok_load = statistics.median(load_times) <= 1.0
    print(f"target detect+evaluate median <= 5 ms: {'met' if ok_eval else 'NOT met'}")
    print(f"target load + compile <= 1 s:          {'met' if ok_load else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
