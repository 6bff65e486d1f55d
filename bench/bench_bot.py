"""End-to-end benchmark: our bot (Rasa server + action server) against Rasa's sample bot.

    .venv/bin/python bench/bench_bot.py                  # what `make bench` runs
    .venv/bin/python bench/bench_bot.py --messages 100 --reuse-model   # quicker

In one run, on this machine:

1. creates the sample bot with ``rasa init --no-prompt`` in a temporary folder and times a cold
   ``rasa train --force`` there (``rasa init`` does not report its training time);
2. trains our bot cold (``rasa train --force``; ``--reuse-model`` reuses a fresh model and
   reports no training time);
3. starts each bot's servers on free loopback ports (one after the other, so start-up is timed
   alone), warms both up, and sends both the same scripted job-seeker conversations over the
   REST webhook - first sequentially, then from 8 concurrent conversations (threads). The work
   is interleaved (conversation by conversation, then in alternating blocks) so that load from
   other processes on a shared machine affects both bots alike; an idle Rasa server costs no
   CPU;
4. long-conversation mode: 3 conversations of 100 turns per bot (``--long-conversations``,
   ``--long-turns``), turn by turn, interleaved; the median of turns 1-10, 41-50 and the last
   ten. Then it restarts our Rasa server behind a byte-counting HTTP relay to the action server
   and holds one more such conversation, for the bytes sent per action call by turn (the relay
   is used for these bytes only, never for latency). Then it stops every server;
5. prints median/p95/p99 latency, messages/s, resident memory, start-up and training time per
   bot and the ratios ours/sample, checks the targets (issue 13: every latency figure at most
   the sample bot's, throughput at least, turn 100 within 1.2x of turns 1-10, bytes per call
   flat) and saves everything to
   results/bench_bot.json.

Every server is stopped on exit, error or Ctrl-C. Exit code 0 when every target is met, 1 when
one is not, 2 on errors.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import rasa_servers as rs  # noqa: E402

# Scripted, realistic conversations; both bots get exactly the same messages in the same order.
CONVERSATIONS: List[List[str]] = [
    ["hi",
     "I had an interview at Acme yesterday. The recruiter couldn't tell me what the job "
     "actually is, and they took three weeks to answer my emails.",
     "it's an external role, at another company",
     "why?",
     "summary",
     "thanks!"],
    ["hello there",
     "Should I keep interviewing? Everyone I know at the company only says great things and "
     "nobody mentions any downsides.",
     "I'm not sure I even want the job",
     "why do you say that?",
     "can you draft a message to withdraw?",
     "it's Globex",
     "thank you"],
    ["I have an interview next week for an internal role on another team. When I asked about "
     "the culture and values they had no answer.",
     "my manager doesn't know yet",
     "what should I do next?",
     "summary please",
     "bye"],
    ["hey",
     "They said the role would involve a bit of everything, we all wear many hats here, and "
     "nobody could describe a typical day.",
     "why?",
     "I'm keen on it, honestly",
     "draft it",
     "goodbye"],
    ["I got rejected after the final round at Initech, the hiring manager never replied to my "
     "follow-up.",
     "should I still send a thank you note?",
     "yes please draft it",
     "summary",
     "thanks, that helps"],
    ["They offered me the job but the offer is vague, nobody could say who I would report to "
     "and they keep rescheduling calls at the last minute.",
     "why is that a red flag?",
     "I currently have a job and I'm happy there",
     "summary",
     "are you a bot?"],
    ["what's the weather like in Paris?",
     "ok, I had an interview today and the interviewer showed up 20 minutes late and didn't "
     "seem to know what the role was",
     "it was at another company",
     "why?",
     "thanks"],
    ["hi, can you help me?",
     "I want to withdraw from an interview process, they keep changing the job description",
     "it's at Umbrella Corp",
     "draft it",
     "summary",
     "bye"],
]

TARGETS = {
    "ratio_max": 1.0,                # our median, p95, p99 <= the sample bot's (seq and xN)
    "throughput_ratio_min": 1.0,     # our messages/s >= the sample bot's (seq and xN)
    "first_reply_ratio_max": 1.0,    # our first reply after start <= the sample bot's
    "long_growth_max": 1.2,          # turns 91-100 <= 1.2 x turns 1-10 (median, ours)
    "bytes_growth_max": 1.05,        # bytes per action call: turns 91-100 <= 1.05 x turns 41-50
                                     # (the first turns carry less: under four turns of history)
    "train_s_max": 300.0,            # our training <= 5 minutes
    "rasa_rss_mb_max": 1536.0,       # Rasa server <= 1.5 GB
    "action_rss_mb_max": 400.0,      # action server <= 400 MB
}

# One long conversation repeats this cycle: descriptions, answers, corrections, questions,
# a summary and small talk - what a person coming back to the bot for weeks would send.
LONG_CYCLE: List[str] = [
    "I had an interview at Acme yesterday. The recruiter couldn't tell me what the job "
    "actually is, and they took three weeks to answer my emails.",
    "it's an external role, at another company",
    "why?",
    "I'm keen on it, honestly",
    "I currently have a job and I'm happy there",
    "what should I do next?",
    "actually the delay was on my side, I gave them the wrong email address",
    "summary",
    "they also said the salary would double within a year",
    "thanks!",
]


def percentile(values: List[float], p: float) -> float:
    """Nearest-rank-interpolated percentile (same as numpy's default 'linear')."""
    if not values:
        return float("nan")
    data = sorted(values)
    k = (len(data) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


def stats(latencies: List[float], wall: float, counts: Dict[str, int]) -> Dict[str, Any]:
    ms = [x * 1000 for x in latencies]
    return {"messages": len(ms), "errors": counts.get("errors", 0),
            "empty_replies": counts.get("empty", 0),
            "median_ms": round(statistics.median(ms), 1) if ms else None,
            "p95_ms": round(percentile(ms, 95), 1) if ms else None,
            "p99_ms": round(percentile(ms, 99), 1) if ms else None,
            "max_ms": round(max(ms), 1) if ms else None,
            "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
            "msgs_per_s": round(len(ms) / wall, 2) if wall > 0 else None,
            "wall_s": round(wall, 2)}


def script(total: int) -> List[List[str]]:
    """Conversations cycling through CONVERSATIONS, cut so exactly ``total`` messages result."""
    out: List[List[str]] = []
    left, i = total, 0
    while left > 0:
        conv = CONVERSATIONS[i % len(CONVERSATIONS)][:left]
        out.append(conv)
        left -= len(conv)
        i += 1
    return out


class Phase:
    """Latencies and counts of one bot in one mode (sequential or concurrent)."""

    def __init__(self) -> None:
        self.latencies: List[float] = []
        self.by_turn: Dict[int, List[float]] = {}   # turn number in its conversation -> seconds
        self.problems: List[str] = []
        self.counts: Dict[str, int] = {}
        self.wall = 0.0
        self.lock = threading.Lock()

    def result(self) -> Dict[str, Any]:
        out = stats(self.latencies, self.wall, self.counts)
        out["median_ms_by_turn"] = {turn: round(statistics.median(v) * 1000, 1)
                                    for turn, v in sorted(self.by_turn.items())}
        out["problems"] = self.problems[:10]
        return out


def run_conversation(client: rs.RestClient, conv: List[str], tag: str, phase: Phase) -> None:
    """Send one conversation; count errors (no valid answer) and empty (silent) replies."""
    sender = f"bench-{tag}-{uuid.uuid4().hex[:12]}"
    for turn, msg in enumerate(conv, 1):
        t0 = time.perf_counter()
        try:
            reply = client.send(sender, msg)
            elapsed = time.perf_counter() - t0
        except Exception as exc:  # noqa: BLE001 - count it, keep the benchmark going
            elapsed = time.perf_counter() - t0
            client.close()
            with phase.lock:
                phase.counts["errors"] = phase.counts.get("errors", 0) + 1
                phase.problems.append(f"{type(exc).__name__}: {str(exc)[:200]}")
        else:
            if not reply.raw:
                with phase.lock:
                    phase.counts["empty"] = phase.counts.get("empty", 0) + 1
                    if len(phase.problems) < 20:
                        phase.problems.append(f"no reply to {msg[:50]!r}")
        with phase.lock:
            phase.latencies.append(elapsed)
            phase.by_turn.setdefault(turn, []).append(elapsed)


def run_concurrently(stack: rs.RasaStack, convs: List[List[str]], workers: int,
                     phase: Phase) -> None:
    """``workers`` threads, each holding one conversation at a time (bounded, loopback)."""
    todo: queue.Queue[List[str]] = queue.Queue()
    for conv in convs:
        todo.put(conv)
    stop = threading.Event()

    def worker() -> None:
        with stack.client() as client:
            while not stop.is_set():
                try:
                    conv = todo.get_nowait()
                except queue.Empty:
                    return
                run_conversation(client, conv, "par", phase)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    try:
        for t in threads:
            while t.is_alive():
                t.join(0.5)
    except BaseException:
        stop.set()  # threads finish their current message; the caller stops the servers
        raise
    phase.wall += time.perf_counter() - t0


class MemorySampler:
    """Samples a stack's RSS every ``interval`` s while it runs; keeps the maximum."""

    def __init__(self, stack: rs.RasaStack, interval: float = 0.5) -> None:
        self.stack, self.interval = stack, interval
        self.max: Dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        for key, value in self.stack.memory().items():
            if value is not None and key.endswith("_rss") and "peak" not in key:
                self.max[key] = max(self.max.get(key, 0), value)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> MemorySampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join(2)


class Bot:
    """One bot under test: its servers (kept running), figures and memory samples."""

    def __init__(self, name: str, project: Path, model: Path, actions: Optional[str],
                 log_dir: Path) -> None:
        self.name, self.project, self.model, self.actions = name, project, model, actions
        self.stack = rs.RasaStack(project, model=model, actions=actions, log_dir=log_dir,
                                  name=name)
        self.out: Dict[str, Any] = {"name": name, "logs": str(log_dir)}
        self.seq, self.par = Phase(), Phase()
        self.long: Dict[int, List[float]] = {}   # turn of a long conversation -> seconds
        self.sampler: Optional[MemorySampler] = None

    def start(self, warmup: int) -> None:
        print(f"[{self.name}] starting servers ...", flush=True)
        info = self.stack.start()
        self.out["rasa_startup_s"] = round(info.rasa_startup_seconds or 0, 1)
        if info.action_startup_seconds is not None:
            self.out["action_startup_s"] = round(info.action_startup_seconds, 1)
        self.out["model_file"] = info.model_file
        self.out["memory_after_start_mb"] = {k: rs.mb(v) for k, v in self.stack.memory().items()}
        print(f"[{self.name}] ready: rasa server {self.out['rasa_startup_s']} s"
              + (f", action server {self.out['action_startup_s']} s" if self.actions else ""),
              flush=True)
        # first reply (loads lazy parts: the advisor's rule base, TF graphs), then warm-up
        with self.stack.client() as client:
            t0 = time.perf_counter()
            client.send(f"warmup-{uuid.uuid4().hex[:8]}", CONVERSATIONS[0][1])
            self.out["first_reply_ms"] = round((time.perf_counter() - t0) * 1000, 1)
            for conv in script(warmup):
                run_conversation(client, conv, "warm", Phase())
        self.sampler = MemorySampler(self.stack).__enter__()

    def finish(self) -> Dict[str, Any]:
        if self.sampler is not None:
            self.sampler.__exit__(None, None, None)
        mem = self.stack.memory()
        peak = self.sampler.max if self.sampler else {}
        self.out["sequential"] = self.seq.result()
        self.out["concurrent"] = self.par.result()
        self.out["long"] = long_figures(self.long)
        self.out["memory"] = {
            "rasa_rss_mb": rs.mb(mem["rasa_rss"]),
            "rasa_max_rss_mb": rs.mb(peak.get("rasa_rss")),
            "rasa_peak_rss_mb": rs.mb(mem["rasa_peak_rss"]),        # VmHWM, includes loading
            "action_rss_mb": rs.mb(mem["actions_rss"]),
            "action_max_rss_mb": rs.mb(peak.get("actions_rss")),
            "action_peak_rss_mb": rs.mb(mem["actions_peak_rss"]),
        }
        return self.out

    def stop(self) -> None:
        if self.sampler is not None:
            self.sampler.__exit__(None, None, None)
        self.stack.stop()
        for key, server in (("rasa", self.stack.rasa_server),
                            ("action", self.stack.action_server)):
            if server is not None and server.stop_seconds is not None:
                self.out[f"{key}_stop_s"] = round(server.stop_seconds, 1)
                self.out[f"{key}_stop_killed"] = server.killed


def measure(bots: List[Bot], messages: int, workers: int, chunks: int = 4) -> None:
    """The same conversations for every bot, interleaved so that background load on a shared
    machine hits them alike: sequentially conversation by conversation (alternating which bot
    goes first), then concurrently in ``chunks`` alternating blocks."""
    convs = script(messages)
    print(f"[bench] {messages} messages per bot, sequentially (interleaved) ...", flush=True)
    clients = [b.stack.client() for b in bots]
    try:
        for i, conv in enumerate(convs):
            indices = list(range(len(bots)))
            for j in (indices if i % 2 == 0 else indices[::-1]):
                t0 = time.perf_counter()
                run_conversation(clients[j], conv, "seq", bots[j].seq)
                bots[j].seq.wall += time.perf_counter() - t0
    finally:
        for client in clients:
            client.close()
    print(f"[bench] {messages} messages per bot from {workers} concurrent conversations "
          f"({chunks} alternating blocks) ...", flush=True)
    size = -(-len(convs) // chunks)
    for k in range(chunks):
        block = convs[k * size:(k + 1) * size]
        for bot in (bots if k % 2 == 0 else bots[::-1]):
            run_concurrently(bot.stack, block, workers, bot.par)


def long_conversations(bots: List[Bot], conversations: int, turns: int) -> None:
    """``conversations`` conversations of ``turns`` turns each (LONG_CYCLE over and over),
    sent to every bot turn by turn, alternating which bot goes first."""
    print(f"[bench] {conversations} conversations of {turns} turns per bot (interleaved) ...",
          flush=True)
    clients = [b.stack.client() for b in bots]
    try:
        for number in range(conversations):
            senders = [f"bench-long-{number}-{uuid.uuid4().hex[:8]}" for _ in bots]
            for turn in range(1, turns + 1):
                message = LONG_CYCLE[(turn - 1) % len(LONG_CYCLE)]
                order = range(len(bots)) if (turn + number) % 2 else reversed(range(len(bots)))
                for j in order:
                    t0 = time.perf_counter()
                    clients[j].send(senders[j], message)
                    bots[j].long.setdefault(turn, []).append(time.perf_counter() - t0)
    finally:
        for client in clients:
            client.close()


def median_of_turns(table: Dict[int, List[float]], first: int, end: int) -> Optional[float]:
    """The median of every value recorded for turns ``first`` to ``end`` (None: no value)."""
    values = [v for t in range(first, end + 1) for v in table.get(t, [])]
    return statistics.median(values) if values else None


def long_figures(by_turn: Dict[int, List[float]]) -> Dict[str, Any]:
    """Median latency of turns 1-10, 41-50 and the last ten, and of the last turn alone."""
    last = max(by_turn) if by_turn else 0

    def median_ms(first: int, end: int) -> Optional[float]:
        seconds = median_of_turns(by_turn, first, end)
        return round(seconds * 1000, 1) if seconds is not None else None

    return {"turns": last, "turns_1_10_ms": median_ms(1, 10),
            "turns_41_50_ms": median_ms(41, 50),
            "last_10_turns_ms": median_ms(last - 9, last), "last_turn_ms": median_ms(last, last)}


class ByteCountingProxy:
    """An HTTP relay between the Rasa server and the action server that records the size of
    every request body (what Rasa sends per action call) and of every answer. Runs in a
    thread of this process; used only for the byte figures, not for latency."""

    def __init__(self, target_port: Callable[[], int]) -> None:
        import http.client
        import http.server

        proxy = self
        self.calls: List[Tuple[int, int, str]] = []   # (request bytes, answer bytes, sender)
        self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                upstream = http.client.HTTPConnection(rs.LOOPBACK, target_port(), timeout=60)
                try:
                    upstream.request("POST", self.path, body,
                                     {"Content-Type": self.headers.get("Content-Type",
                                                                       "application/json")})
                    answer = upstream.getresponse()
                    data = answer.read()
                finally:
                    upstream.close()
                try:
                    sender = str(json.loads(body).get("sender_id", ""))
                except ValueError:
                    sender = ""
                with proxy.lock:
                    proxy.calls.append((len(body), len(data), sender))
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.getheader("Content-Type") or
                                 "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return

        self.server = http.server.ThreadingHTTPServer((rs.LOOPBACK, 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def action_bytes(bot: Bot, turns: int) -> Dict[str, Any]:
    """Restart ``bot``'s Rasa server behind a byte-counting proxy, hold one conversation of
    ``turns`` turns and report the bytes sent to the action server per call, by turn."""
    stack = bot.stack
    assert stack.info is not None and stack.info.action_port is not None
    proxy = ByteCountingProxy(lambda: int(stack.info.action_port))
    try:
        stack.action_url = f"http://{rs.LOOPBACK}:{proxy.port}/webhook"
        print(f"[{bot.name}] restarting the Rasa server behind a byte-counting proxy ...",
              flush=True)
        stack.restart("rasa")
        sender = f"bench-bytes-{uuid.uuid4().hex[:8]}"
        by_turn: Dict[int, List[float]] = {}
        answers: Dict[int, List[float]] = {}
        with stack.client() as client:
            for turn in range(1, turns + 1):
                before = len(proxy.calls)
                client.send(sender, LONG_CYCLE[(turn - 1) % len(LONG_CYCLE)])
                with proxy.lock:
                    mine = [c for c in proxy.calls[before:] if c[2] == sender]
                by_turn[turn] = [c[0] for c in mine]
                answers[turn] = [c[1] for c in mine]
    finally:
        proxy.close()

    def median_of(first: int, end: int, table: Dict[int, List[float]]) -> Optional[int]:
        value = median_of_turns(table, first, end)
        return int(value) if value is not None else None

    calls = sum(len(v) for v in by_turn.values())
    return {"turns": turns, "calls": calls,
            "calls_per_turn": round(calls / turns, 2),
            "request_bytes_turns_1_10": median_of(1, 10, by_turn),
            "request_bytes_turns_41_50": median_of(41, 50, by_turn),
            "request_bytes_last_10_turns": median_of(turns - 9, turns, by_turn),
            "request_bytes_max": max((v for vs in by_turn.values() for v in vs), default=None),
            "answer_bytes_turns_1_10": median_of(1, 10, answers),
            "answer_bytes_last_10_turns": median_of(turns - 9, turns, answers)}


def make_sample_bot(workdir: Path, log_dir: Path, train_again: bool) -> Tuple[Path, Dict[str, Any]]:
    """``rasa init`` in ``workdir``; then a cold ``rasa train --force`` there, timed."""
    info: Dict[str, Any] = {}
    print(f"[sample] rasa init --no-prompt --init-dir {workdir} ...", flush=True)
    info["init_s"] = round(rs.run_logged(
        rs.rasa_command() + ["init", "--no-prompt", "--init-dir", str(workdir)], workdir,
        log_dir / "sample-init.log", timeout=1800), 1)
    if train_again:
        print("[sample] timing a cold rasa train --force ...", flush=True)
        model = rs.train(workdir, fixed_model_name="sample", force=True,
                         log_path=log_dir / "sample-train.log")
        info["train_s"] = round(model.train_seconds or 0, 1)
        info["train_cpu_s"] = round(model.train_cpu_seconds or 0, 1)
        info["train_how"] = "rasa train --force (no cache), after rasa init"
        return model.path, info
    newest = rs.newest_model(workdir / "models")
    if newest is None:
        raise rs.ServerError("rasa init produced no model")
    info["train_s"] = info["init_s"]
    info["train_how"] = "whole rasa init (scaffold + train)"
    return newest, info


def ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
    return round(a / b, 2) if a is not None and b else None


def fmt(v: Any, unit: str = "") -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.1f}{unit}" if abs(v) >= 10 else f"{v:.2f}{unit}"
    return f"{v}{unit}"


def report(result: Dict[str, Any]) -> Tuple[List[Tuple[str, bool, str]], bool]:
    sample, ours = result["sample"], result["ours"]
    rows: List[Tuple[str, Callable[[Dict[str, Any]], Any], str]] = [
        ("training time (wall)", lambda b: b.get("train_s"), " s"),
        ("training CPU time (user+sys)", lambda b: b.get("train_cpu_s"), " s"),
        ("rasa server start-up", lambda b: b.get("rasa_startup_s"), " s"),
        ("action server start-up", lambda b: b.get("action_startup_s"), " s"),
        ("first reply", lambda b: b.get("first_reply_ms"), " ms"),
        ("seq median", lambda b: b["sequential"]["median_ms"], " ms"),
        ("seq p95", lambda b: b["sequential"]["p95_ms"], " ms"),
        ("seq p99", lambda b: b["sequential"]["p99_ms"], " ms"),
        ("seq throughput", lambda b: b["sequential"]["msgs_per_s"], " msg/s"),
        (f"x{result['config']['concurrency']} median", lambda b: b["concurrent"]["median_ms"],
         " ms"),
        (f"x{result['config']['concurrency']} p95", lambda b: b["concurrent"]["p95_ms"], " ms"),
        (f"x{result['config']['concurrency']} p99", lambda b: b["concurrent"]["p99_ms"], " ms"),
        (f"x{result['config']['concurrency']} throughput",
         lambda b: b["concurrent"]["msgs_per_s"], " msg/s"),
        ("errors (seq + conc)",
         lambda b: b["sequential"]["errors"] + b["concurrent"]["errors"], ""),
        ("silent replies (seq + conc)",
         lambda b: b["sequential"]["empty_replies"] + b["concurrent"]["empty_replies"], ""),
        ("rasa server RSS (end)", lambda b: b["memory"]["rasa_rss_mb"], " MB"),
        ("rasa server RSS (max in run)", lambda b: b["memory"]["rasa_max_rss_mb"], " MB"),
        ("rasa server RSS (peak, VmHWM)", lambda b: b["memory"]["rasa_peak_rss_mb"], " MB"),
        ("action server RSS (end)", lambda b: b["memory"]["action_rss_mb"], " MB"),
        ("action server RSS (peak, VmHWM)", lambda b: b["memory"]["action_peak_rss_mb"], " MB"),
    ]
    print(f"\n{'':34}{'sample bot':>16}{'our bot':>16}{'ours/sample':>13}")
    result["ratios"] = {}
    for label, get, unit in rows:
        a, b = get(sample), get(ours)
        r = ratio(b, a) if isinstance(a, (int, float)) and isinstance(b, (int, float)) else None
        result["ratios"][label] = r
        print(f"{label:34}{fmt(a, unit):>16}{fmt(b, unit):>16}{fmt(r, 'x'):>13}")

    t = TARGETS
    mem = ours["memory"]
    rasa_mem = max([x for x in (mem["rasa_peak_rss_mb"], mem["rasa_max_rss_mb"]) if x] or [0])
    act_mem = max([x for x in (mem["action_peak_rss_mb"], mem["action_max_rss_mb"]) if x] or [0])
    bad = sum(ours[mode][k] for mode in ("sequential", "concurrent")
              for k in ("errors", "empty_replies"))
    n = result["config"]["concurrency"]
    checks: List[Tuple[str, bool, str]] = []
    for mode, name in (("sequential", "sequentially"), ("concurrent", f"with {n} at once")):
        for key in ("median_ms", "p95_ms", "p99_ms"):
            o, smp = ours[mode][key], sample[mode][key]
            r = ratio(o, smp)
            checks.append((f"our {key[:-3]} <= {t['ratio_max']}x the sample bot's {name}",
                           r is not None and r <= t["ratio_max"], f"{o} vs {smp} ms = {r}x"))
        o, smp = ours[mode]["msgs_per_s"], sample[mode]["msgs_per_s"]
        r = ratio(o, smp)
        checks.append((f"our throughput >= {t['throughput_ratio_min']}x the sample bot's {name}",
                       r is not None and r >= t["throughput_ratio_min"],
                       f"{o} vs {smp} msg/s = {r}x"))
    r = ratio(ours.get("first_reply_ms"), sample.get("first_reply_ms"))
    checks.append((f"our first reply after start <= {t['first_reply_ratio_max']}x the sample "
                   "bot's", r is not None and r <= t["first_reply_ratio_max"],
                   f"{ours.get('first_reply_ms')} vs {sample.get('first_reply_ms')} ms = {r}x"))
    long_o = ours.get("long") or {}
    if long_o.get("turns"):
        g = ratio(long_o["last_10_turns_ms"], long_o["turns_1_10_ms"])
        checks.append((f"flat cost: our turns {long_o['turns'] - 9}-{long_o['turns']} <= "
                       f"{t['long_growth_max']}x our turns 1-10 (median)",
                       g is not None and g <= t["long_growth_max"],
                       f"{long_o['last_10_turns_ms']} vs {long_o['turns_1_10_ms']} ms = {g}x "
                       f"(turn {long_o['turns']} alone: {long_o['last_turn_ms']} ms)"))
    sent = ours.get("action_bytes") or {}
    if sent.get("calls") and sent.get("request_bytes_turns_41_50"):
        g = ratio(sent["request_bytes_last_10_turns"], sent["request_bytes_turns_41_50"])
        checks.append((f"bytes per action call do not grow: turns {sent['turns'] - 9}-"
                       f"{sent['turns']} <= {t['bytes_growth_max']}x turns 41-50 (median)",
                       g is not None and g <= t["bytes_growth_max"],
                       f"{sent['request_bytes_last_10_turns']:,} vs "
                       f"{sent['request_bytes_turns_41_50']:,} bytes = {g}x (turns 1-10: "
                       f"{sent['request_bytes_turns_1_10']:,}, less history); largest call "
                       f"{sent['request_bytes_max']:,}; {sent['calls_per_turn']} calls per turn"))
    checks += [
        ("our training <= 5 minutes (wall)",
         ours.get("train_s") is not None and ours["train_s"] <= t["train_s_max"],
         f"{ours.get('train_s')} s wall, {ours.get('train_cpu_s')} s CPU on "
         f"{result['machine']['cpus']} cores" if ours.get("train_s") is not None
         else "not measured (--reuse-model)"),
        ("Rasa server memory <= 1.5 GB (peak)", rasa_mem <= t["rasa_rss_mb_max"],
         f"{rasa_mem} MB"),
        ("action server memory <= 400 MB (peak)", act_mem <= t["action_rss_mb_max"],
         f"{act_mem} MB"),
        ("our bot: no HTTP errors and never silent",
         bad == 0, f"{bad} of {2 * ours['sequential']['messages']} messages"),
    ]
    if long_o.get("turns"):
        print(f"\nlong conversations ({result['config']['long_conversations']} x "
              f"{long_o['turns']} turns), median ms:")
        print(f"  {'':8}{'1-10':>10}{'41-50':>10}{'last 10':>10}{'last':>10}")
        for name, bot in (("sample", sample), ("ours", ours)):
            lf = bot.get("long") or {}
            print(f"  {name:8}" + "".join(f"{fmt(lf.get(k)):>10}" for k in (
                "turns_1_10_ms", "turns_41_50_ms", "last_10_turns_ms", "last_turn_ms")))
    if sent.get("calls"):
        def b(key: str) -> str:
            return f"{sent[key]:,}" if sent.get(key) is not None else "-"

        print(f"\nbytes sent to the action server per call (ours, one conversation of "
              f"{sent['turns']} turns): turns 1-10 {b('request_bytes_turns_1_10')}, 41-50 "
              f"{b('request_bytes_turns_41_50')}, last 10 {b('request_bytes_last_10_turns')}, "
              f"largest {b('request_bytes_max')}; answers {b('answer_bytes_turns_1_10')} -> "
              f"{b('answer_bytes_last_10_turns')}")
    print("\nsequential median by turn of the conversation (ms):")
    for name, bot in (("sample", sample), ("ours", ours)):
        turns = bot["sequential"].get("median_ms_by_turn", {})
        print(f"  {name:8}" + "".join(f"{v:>8.0f}" for v in turns.values()))
    print("\ntargets")
    for label, ok, detail in checks:
        print(f"  [{'met' if ok else 'NOT met':>7}] {label}: {detail}")
    return checks, all(ok for _, ok, _ in checks)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=300, help="messages per bot and mode")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=12, help="warm-up messages per bot")
    parser.add_argument("--long-conversations", type=int, default=3,
                        help="long conversations per bot (0: skip the long mode)")
    parser.add_argument("--long-turns", type=int, default=100, help="turns of each")
    parser.add_argument("--reuse-model", action="store_true",
                        help="reuse our model when it is fresh instead of a cold training")
    parser.add_argument("--sample-dir", help="use this existing `rasa init` bot (kept)")
    parser.add_argument("--out", default="results/bench_bot.json")
    parser.add_argument("--ours-dir", default=str(ROOT), help=argparse.SUPPRESS)  # harness test
    args = parser.parse_args(argv)
    ours_dir = Path(args.ours_dir).resolve()
    if not 1 <= args.concurrency <= 32:
        parser.error("--concurrency must be between 1 and 32")
    if args.long_conversations > 0 and args.long_turns < 60:
        parser.error("--long-turns must be at least 60 (turns 1-10 and 41-50 against the last "
                     "ten)")
    rs.install_signal_handlers()

    results_dir = ROOT / "results"
    results_dir.mkdir(exist_ok=True)
    if not (results_dir / ".gitignore").exists():
        (results_dir / ".gitignore").write_text("*\n", encoding="utf-8")
    log_dir = results_dir / "logs" / f"bench-{time.strftime('%Y%m%d-%H%M%S')}"
    log_dir.mkdir(parents=True, exist_ok=True)

    result: Dict[str, Any] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "config": {"messages": args.messages, "concurrency": args.concurrency,
                   "long_conversations": args.long_conversations, "long_turns": args.long_turns,
                   "warmup": args.warmup, "conversations": len(script(args.messages))},
        "targets": TARGETS,
    }
    load = os.getloadavg()
    result["machine"]["loadavg_at_start"] = [round(x, 2) for x in load]
    if load[0] > 0.5 * (os.cpu_count() or 1):
        print(f"warning: the machine is busy (load average {load[0]:.1f} on {os.cpu_count()} "
              "cores) - latency and training figures will be pessimistic", flush=True)
    tmp: Optional[str] = None
    bots: List[Bot] = []
    try:
        # --- training (both bots, before any server runs) ----------------------------------
        if args.sample_dir:
            sample_dir = Path(args.sample_dir).resolve()
            sample_model = rs.newest_model(sample_dir / "models")
            if sample_model is None:
                raise rs.ServerError(f"no model in {sample_dir}/models")
            sample_info: Dict[str, Any] = {"train_s": None, "train_how": "not measured"}
        else:
            tmp = tempfile.mkdtemp(prefix="rasa-sample-bot-")
            sample_dir = Path(tmp)
            sample_model, sample_info = make_sample_bot(sample_dir, log_dir, train_again=True)
        print(f"[sample] training: {sample_info['train_s']} s", flush=True)

        print("[ours] " + ("checking for a fresh model ..." if args.reuse_model
                           else "timing a cold rasa train --force ..."), flush=True)
        ours_model = rs.ensure_model(ours_dir, force=not args.reuse_model,
                                     log_path=log_dir / "ours-train.log")
        ours_info: Dict[str, Any] = {
            "train_s": round(ours_model.train_seconds, 1) if ours_model.train_seconds else None,
            "train_cpu_s": round(ours_model.train_cpu_seconds, 1)
            if ours_model.train_cpu_seconds else None,
            "train_how": "rasa train --force (no cache)" if ours_model.trained
            else f"reused {ours_model.path.name}"}
        print(f"[ours] training: {ours_info['train_s']} s ({ours_info['train_how']})",
              flush=True)

        # --- servers: started one after the other (start-up timed alone), then both kept up
        sample_bot = Bot("sample", sample_dir, sample_model, None, log_dir)
        ours_bot = Bot("ours", ours_dir, ours_model.path, "actions", log_dir)
        bots.extend([sample_bot, ours_bot])
        for bot in bots:
            bot.start(args.warmup)
        measure(bots, args.messages, args.concurrency)
        if args.long_conversations > 0:
            long_conversations(bots, args.long_conversations, args.long_turns)
        result["sample"] = {**sample_bot.finish(), **sample_info}
        result["ours"] = {**ours_bot.finish(), **ours_info}
        if args.long_conversations > 0:
            result["ours"]["action_bytes"] = action_bytes(ours_bot, args.long_turns)
        for bot in bots:
            bot.stop()
        result["sample"].update(sample_bot.out)
        result["ours"].update(ours_bot.out)
        print(f"[bench] servers stopped (rasa server stop: sample "
              f"{sample_bot.out.get('rasa_stop_s')} s, ours {ours_bot.out.get('rasa_stop_s')} s)",
              flush=True)

        result["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
        checks, all_met = report(result)
        result["checks"] = [{"target": label, "met": ok, "measured": detail}
                            for label, ok, detail in checks]
        result["all_targets_met"] = all_met
        return 0 if all_met else 1
    except KeyboardInterrupt:
        print("\ninterrupted - every server was stopped", file=sys.stderr)
        result["error"] = "interrupted"
        return 130
    except rs.ServerError as exc:
        print(f"\nerror: {exc}", file=sys.stderr)
        result["error"] = str(exc).splitlines()[0]
        return 2
    finally:
        for bot in bots:
            bot.stop()
        rs.stop_all()  # belt and braces: nothing we started outlives us
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        out = ROOT / args.out
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"\nfigures: {out.relative_to(ROOT)}; logs: {log_dir.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
