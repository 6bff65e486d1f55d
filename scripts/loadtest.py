#!/usr/bin/env python3
"""`make loadtest`: Locust users hold realistic conversations with a running bot, then a report.

    make api &                                   # one Rasa server (+ actions) on RASA_PORT
    make loadtest                                # 50 users, 60 s, against it
    make scaleout &                              # the reference deployment (nginx, 2 + 2)
    make loadtest LOADTEST_TARGET=scaleout       # the same through nginx
    make loadtest LOADTEST_TARGET=scaleout LOADTEST_KILL=rasa1   # fault mode

Settings (arguments win over the environment): LOADTEST_USERS (50), LOADTEST_SECONDS (60),
LOADTEST_THINK (seconds between a user's messages, "5-15"), LOADTEST_TARGET ("single": the bot
on RASA_PORT, default 5005; "scaleout": nginx of `make scaleout`, read from
.run/scaleout/state.json), LOADTEST_URL (any other address), LOADTEST_KILL (a server of the
scale-out profile to SIGKILL at LOADTEST_KILL_AT of the run, default 0.5), LOADTEST_OUT.

Locust (scripts/loadtest_locustfile.py) runs from .venv-load (the Makefile makes it; Locust
does not belong in Rasa's environment, see docs/deploy.md). This script runs in .venv: it
starts Locust, samples every server's resident memory and the machine's load each second,
kills a server in fault mode, then reads Locust's per-request records and checks every user's
conversation against the tracker store (each turn stored exactly once: nothing lost, nothing
duplicated). It writes report.md, report.json and latency.png to
results/loadtest/<time>-<target>/ and prints the figures.

Exit code: 0 when the targets hold (no errors, no lost or duplicated reply, p95 under 1 s; in
fault mode: conversations continued through the other server), 1 when not, 2 on errors.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import rasa_servers as rs  # noqa: E402

STATE = ROOT / ".run" / "scaleout" / "state.json"
LOCUSTFILE = ROOT / "scripts" / "loadtest_locustfile.py"
P95_TARGET_MS = 1000.0


def percentile(values: Sequence[float], p: float) -> Optional[float]:
    if not values:
        return None
    data = sorted(values)
    k = (len(data) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(data) - 1)
    return round(data[lo] + (data[hi] - data[lo]) * (k - lo), 1)


def listening_pid(port: int) -> Optional[int]:
    """The process listening on 127.0.0.1:``port`` (from /proc/net/tcp and /proc/*/fd)."""
    inode = None
    with open("/proc/net/tcp", encoding="ascii") as fh:
        for line in fh.readlines()[1:]:
            parts = line.split()
            local, state = parts[1], parts[3]
            if state == "0A" and int(local.split(":")[1], 16) == port:
                inode = parts[9]
                break
    if inode is None:
        return None
    target = f"socket:[{inode}]"
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            for fd in os.listdir(f"/proc/{entry}/fd"):
                if os.readlink(f"/proc/{entry}/fd/{fd}") == target:
                    return int(entry)
        except OSError:
            continue
    return None


def group_leader(pid: int) -> int:
    """The process-group leader of ``pid`` (the harness starts each server as one)."""
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return pid


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by ``pid`` and its live descendants."""
    total = 0
    for p in rs.process_tree(pid):
        try:
            with open(f"/proc/{p}/stat", encoding="utf-8", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[-1].split()
            total += int(fields[11]) + int(fields[12])   # utime, stime (fields 14 and 15)
        except (OSError, ValueError, IndexError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


class Sampler(threading.Thread):
    """Every second: resident memory (process tree) per server and the 1-minute load."""

    def __init__(self, pids: Dict[str, int]) -> None:
        super().__init__(daemon=True)
        self.pids = pids
        self.rows: List[Dict[str, Any]] = []
        self.stopping = threading.Event()
        self.cpu_start: Dict[str, float] = {}
        self.cpu_end: Dict[str, float] = {}

    def run(self) -> None:
        self.cpu_start = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        while not self.stopping.is_set():
            for name, pid in self.pids.items():
                used = cpu_seconds(pid)
                if used > 0:     # a killed server keeps its last sample
                    self.cpu_end[name] = used
            row: Dict[str, Any] = {"t": time.time(), "load1": os.getloadavg()[0]}
            for name, pid in self.pids.items():
                row[name] = round(rs.rss_bytes(pid) / 2**20, 1)
            self.rows.append(row)
            self.stopping.wait(1.0)


def tracker_counts(db_url: str, run: str) -> Dict[str, int]:
    """User messages stored per sender of this run, read from the tracker store's events: the
    ``user`` events less the ``rewind`` events (Rasa's two-stage fallback rewinds a message
    and stores it again once it is understood - one turn, two rows)."""
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT sender_id, sum(CASE WHEN type_name = 'user' THEN 1 ELSE -1 END) "
                "FROM events WHERE type_name IN ('user', 'rewind') "
                "AND sender_id LIKE :prefix GROUP BY sender_id"), {"prefix": f"load-{run}-%"})
            return {str(sender): int(n) for sender, n in rows}
    finally:
        engine.dispose()


def analyse(records: List[Dict[str, Any]], stored: Optional[Dict[str, int]],
            kill_time: Optional[float], killed: Optional[str]) -> Dict[str, Any]:
    done = [r for r in records if r["ev"] == "done"]
    sent = [r for r in records if r["ev"] == "sent"]
    keys_done = {(r["sender"], r["turn"]) for r in done}
    unfinished = [r for r in sent if (r["sender"], r["turn"]) not in keys_done]
    ok = [r for r in done if not r.get("error")]
    failed = [r for r in done if r.get("error")]
    ms = [r["ms"] for r in ok]
    t0 = min((r["t"] for r in sent), default=time.time())
    t1 = max((r["t"] for r in done), default=t0)
    wall = max(t1 - t0, 1e-9)
    out: Dict[str, Any] = {
        "requests": len(sent), "answered": len(ok), "errors": len(failed),
        "unfinished_at_end": len(unfinished),
        "errors_by_kind": dict(Counter(str(r["error"]) for r in failed)),
        "median_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95),
        "p99_ms": percentile(ms, 99), "max_ms": max(ms) if ms else None,
        "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
        "messages_per_s": round(len(ok) / wall, 2), "wall_s": round(wall, 1),
        "served_by": dict(Counter(str(r.get("served_by")) for r in ok)),
        "by_kind": {kind: {"n": len(v), "median_ms": percentile(v, 50),
                           "p95_ms": percentile(v, 95)}
                    for kind, v in sorted(_group(ok, "kind").items())},
        "users": len({r["user"] for r in sent}),
        "conversations": len({r["sender"] for r in sent}),
        "repeated_messages_in_a_reply": sum(r.get("repeated", 0) for r in ok),
    }
    # per user (sender): every message answered, every turn stored exactly once
    per_sender: Dict[str, Dict[str, int]] = defaultdict(lambda: {"sent": 0, "ok": 0})
    for r in sent:
        per_sender[r["sender"]]["sent"] += 1
    for r in ok:
        per_sender[r["sender"]]["ok"] += 1
    lost = sum(v["sent"] - v["ok"] for v in per_sender.values())
    out["lost_replies"] = lost - len(unfinished)
    if stored is not None:
        duplicated = {s: stored.get(s, 0) - v["sent"] for s, v in per_sender.items()
                      if stored.get(s, 0) > v["sent"]}
        unstored = {s: v["ok"] - stored.get(s, 0) for s, v in per_sender.items()
                    if stored.get(s, 0) < v["ok"]}
        out["store_check"] = {
            "conversations_checked": len(per_sender),
            "turns_stored": sum(stored.get(s, 0) for s in per_sender),
            "duplicated_turns": sum(duplicated.values()),
            "answered_but_not_stored": sum(unstored.values()),
            "examples": {"duplicated": list(duplicated)[:5], "unstored": list(unstored)[:5]},
        }
    if kill_time is not None:
        before = [r for r in done if r["t"] < kill_time]
        after = [r for r in done if r["t"] >= kill_time]
        window = [r for r in failed if kill_time - 1 <= r["t"] <= kill_time + 15]
        spanning = {r["sender"] for r in before} & {r["sender"] for r in after}
        continued = {s for s in spanning
                     if any(r["sender"] == s and not r.get("error") for r in after)}
        out["fault"] = {
            "killed": killed, "at_s": round(kill_time - t0, 1),
            "errors_around_kill": len(window),
            "errors_after_kill": sum(1 for r in after if r.get("error")),
            "answered_after_kill": sum(1 for r in after if not r.get("error")),
            "served_by_after_kill": dict(Counter(str(r.get("served_by"))
                                                 for r in after if not r.get("error"))),
            "conversations_spanning_kill": len(spanning),
            "of_them_continued": len(continued),
            "p95_ms_after_kill": percentile([r["ms"] for r in after if not r.get("error")],
                                            95),
        }
    return out


def _group(rows: List[Dict[str, Any]], key: str) -> Dict[str, List[float]]:
    groups: Dict[str, List[float]] = defaultdict(list)
    for r in rows:
        groups[str(r.get(key))].append(r["ms"])
    return groups


def plot(records: List[Dict[str, Any]], samples: List[Dict[str, Any]], servers: List[str],
         kill_time: Optional[float], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    done = [r for r in records if r["ev"] == "done"]
    t0 = min((r["t"] for r in records), default=time.time())
    fig, (ax1, ax2, ax3) = plt.subplots(3, 1, figsize=(10, 10), sharex=True)
    for name in sorted({str(r.get("served_by")) for r in done}):
        rows = [r for r in done if str(r.get("served_by")) == name and not r.get("error")]
        ax1.scatter([r["t"] - t0 for r in rows], [r["ms"] for r in rows], s=6,
                    label=f"answered by {name}" if name != "None" else "answered", alpha=0.6)
    bad = [r for r in done if r.get("error")]
    if bad:
        ax1.scatter([r["t"] - t0 for r in bad], [r["ms"] for r in bad], s=18, marker="x",
                    color="red", label="error")
    # rolling p95 over 5-second windows
    buckets: Dict[int, List[float]] = defaultdict(list)
    for r in done:
        if not r.get("error"):
            buckets[int((r["t"] - t0) // 5)].append(r["ms"])
    xs = sorted(buckets)
    ax1.plot([x * 5 + 2.5 for x in xs], [percentile(buckets[x], 95) for x in xs], color="black",
             label="p95 per 5 s")
    ax1.set_ylabel("latency (ms)")
    ax1.set_yscale("log")
    ax1.legend(fontsize=8, loc="upper left")
    ax1.set_title(title, fontsize=10)
    per_s = Counter(int(r["t"] - t0) for r in done if not r.get("error"))
    xs = list(range(0, max(per_s, default=0) + 1))
    ax2.bar(xs, [per_s.get(x, 0) for x in xs], width=1.0, color="tab:green")
    ax2.set_ylabel("replies / s")
    for name in servers:
        ax3.plot([s["t"] - t0 for s in samples], [s.get(name, 0) for s in samples], label=name)
    ax3.set_ylabel("resident memory (MB)")
    ax3.set_xlabel("seconds since the first message")
    ax3.legend(fontsize=8, loc="center right", ncol=2)
    if kill_time is not None:
        for ax in (ax1, ax2, ax3):
            ax.axvline(kill_time - t0, color="red", linestyle="--")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def markdown(report: Dict[str, Any]) -> str:
    r, s = report["results"], report["settings"]
    lines = [f"# Load test {report['run']} - {s['target']}", "",
             f"{s['users']} users, {s['seconds']} s, think time {s['think']} s between a "
             f"user's messages, against {s['url']}.",
             f"Machine: {report['machine']['cpus']} CPUs, load average "
             f"{report['machine']['load_before']} before, {report['machine']['load_max_during']}"
             f" at most during the run (1-minute load; shared with other work).", "",
             "| figure | value |", "| --- | --- |"]
    for key in ("requests", "answered", "errors", "lost_replies", "unfinished_at_end",
                "median_ms", "p95_ms", "p99_ms", "max_ms", "messages_per_s", "users",
                "conversations", "repeated_messages_in_a_reply"):
        lines.append(f"| {key.replace('_', ' ')} | {r.get(key)} |")
    lines.append(f"| answered by | {r['served_by']} |")
    lines.append(f"| CPU ms per answered message | {r.get('cpu_ms_per_answered_message')} |")
    if r.get("errors_by_kind"):
        lines.append(f"| errors by kind | {r['errors_by_kind']} |")
    check = r.get("store_check")
    if check:
        lines.append(f"| tracker store check | {check['conversations_checked']} conversations, "
                     f"{check['turns_stored']} turns stored, {check['duplicated_turns']} "
                     f"duplicated, {check['answered_but_not_stored']} answered but not "
                     f"stored |")
    fault = r.get("fault")
    if fault:
        lines += ["", f"## Fault: {fault['killed']} killed (SIGKILL) at {fault['at_s']} s", "",
                  "| figure | value |", "| --- | --- |"]
        for key, value in fault.items():
            if key not in ("killed", "at_s"):
                lines.append(f"| {key.replace('_', ' ')} | {value} |")
    lines += ["", "| kind of message | n | median ms | p95 ms |", "| --- | --- | --- | --- |"]
    for kind, v in r["by_kind"].items():
        lines.append(f"| {kind} | {v['n']} | {v['median_ms']} | {v['p95_ms']} |")
    lines += ["", "| server | peak resident memory (MB) | at the end (MB) |", "| --- | --- | --- |"]
    for name, v in report["memory_mb"].items():
        lines.append(f"| {name} | {v['peak']} | {v['end']} |")
    lines += ["", f"Targets: {report['targets']}", "", "![latency, throughput and memory over "
              "time](latency.png)", ""]
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    env = os.environ
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=int(env.get("LOADTEST_USERS", 50)))
    parser.add_argument("--seconds", type=int, default=int(env.get("LOADTEST_SECONDS", 60)))
    parser.add_argument("--think", default=env.get("LOADTEST_THINK", "5-15"))
    parser.add_argument("--target", choices=("single", "scaleout"),
                        default=env.get("LOADTEST_TARGET", "single"))
    parser.add_argument("--url", default=env.get("LOADTEST_URL"))
    parser.add_argument("--kill", default=env.get("LOADTEST_KILL") or None,
                        help="scale-out only: the server to SIGKILL during the run (rasa1...)")
    parser.add_argument("--kill-at", type=float, default=float(env.get("LOADTEST_KILL_AT", 0.5)))
    parser.add_argument("--spawn-rate", type=float, default=10.0)
    parser.add_argument("--out", default=env.get("LOADTEST_OUT"))
    parser.add_argument("--locust", default=str(ROOT / ".venv-load" / "bin" / "locust"))
    parser.add_argument("--db-url", help="the tracker store to check (default: the target's)")
    args = parser.parse_args(argv)

    state: Dict[str, Any] = {}
    pids: Dict[str, int] = {}
    if args.target == "scaleout":
        if not STATE.exists():
            print(f"loadtest: {STATE} not found - start `make scaleout` first", file=sys.stderr)
            return 2
        state = json.loads(STATE.read_text(encoding="utf-8"))
        url = args.url or state["url"]
        pids = {n: int(p) for n, p in state["pids"].items()}
        db_url = args.db_url or state.get("tracker_db_url") or \
            f"sqlite:///{state['tracker_db']}"
    else:
        port = int(env.get("RASA_PORT", 5005))
        url = args.url or f"http://{rs.LOOPBACK}:{port}"
        for name, p in (("rasa", port), ("actions", int(env.get("ACTION_PORT", 5055)))):
            pid = listening_pid(p)
            if pid is not None:
                pids[name] = group_leader(pid)
        if args.db_url:
            db_url = args.db_url
        else:
            sys.path.insert(0, str(ROOT))
            from stores import config
            db_url = config.db_url()
    if args.kill and args.kill not in pids:
        print(f"loadtest: cannot kill {args.kill!r}: not one of {sorted(pids)}", file=sys.stderr)
        return 2
    try:
        status, _ = rs.http_get(url + "/webhooks/rest/", timeout=5)
    except OSError as exc:
        print(f"loadtest: nothing answers at {url} ({exc}) - start the bot first "
              "(`make api`, or `make scaleout` with LOADTEST_TARGET=scaleout)", file=sys.stderr)
        return 2
    if status != 200:
        print(f"loadtest: {url}/webhooks/rest/ answered {status}", file=sys.stderr)
        return 2
    if not Path(args.locust).exists():
        print(f"loadtest: {args.locust} missing - run it through `make loadtest`",
              file=sys.stderr)
        return 2

    run = uuid.uuid4().hex[:8]
    label = args.target + (f"-kill-{args.kill}" if args.kill else "")
    out = Path(args.out) if args.out else \
        ROOT / "results" / "loadtest" / f"{time.strftime('%Y%m%d-%H%M%S')}-{label}"
    out.mkdir(parents=True, exist_ok=True)
    records_path = out / "records.jsonl"
    load_before = round(os.getloadavg()[0], 2)
    print(f"loadtest: {args.users} users for {args.seconds} s against {url} (think "
          f"{args.think} s; load {load_before}); report in {out}", flush=True)
    sampler = Sampler(pids)
    sampler.start()
    cmd = [args.locust, "-f", str(LOCUSTFILE), "--headless", "--users", str(args.users),
           "--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.seconds}s",
           "--host", url, "--stop-timeout", "90", "--csv", str(out / "locust"),
           "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"]
    locust_env = {**env, "LOADTEST_RUN": run, "LOADTEST_RECORDS": str(records_path),
                  "LOADTEST_THINK": args.think}
    kill_time: Optional[float] = None
    with open(out / "locust.log", "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=locust_env, stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            if args.kill:
                time.sleep(args.seconds * args.kill_at)
                kill_time = time.time()
                print(f"loadtest: killing {args.kill} (pid {pids[args.kill]}, SIGKILL)",
                      flush=True)
                os.killpg(pids[args.kill], signal.SIGKILL)
            code = proc.wait(timeout=args.seconds + 200)
        except BaseException:
            proc.terminate()
            proc.wait(timeout=30)
            raise
        finally:
            sampler.stopping.set()
            sampler.join(5)
    if code != 0:
        print(f"loadtest: locust exited with {code}; see {out / 'locust.log'}", file=sys.stderr)
        return 2
    records = [json.loads(line) for line in records_path.read_text("utf-8").splitlines()
               if line.strip()]
    try:
        stored: Optional[Dict[str, int]] = tracker_counts(db_url, run)
    except Exception as exc:  # noqa: BLE001 - report without the check rather than nothing
        print(f"loadtest: could not read the tracker store {db_url}: {exc}", file=sys.stderr)
        stored = None
    results = analyse(records, stored, kill_time, args.kill)
    samples = sampler.rows
    memory = {name: {"peak": max((s.get(name, 0) for s in samples), default=None),
                     "end": samples[-1].get(name) if samples else None} for name in pids}
    # CPU per answered message: what a turn costs each server, whatever else the machine
    # runs (a server killed during the run keeps its last sample)
    answered = max(results["answered"], 1)
    results["cpu_ms_per_answered_message"] = {
        name: round((sampler.cpu_end.get(name, 0.0) - start) * 1000 / answered, 1)
        for name, start in sampler.cpu_start.items()}
    check = results.get("store_check") or {}
    targets = {
        "no_errors": results["errors"] == 0 and results["lost_replies"] == 0,
        "nothing_duplicated_or_unstored": bool(check) and check["duplicated_turns"] == 0
        and check["answered_but_not_stored"] == 0,
        "p95_under_1s": (results["p95_ms"] or 1e9) < P95_TARGET_MS,
    }
    if args.kill:
        fault = results["fault"]
        targets = {"conversations_continued": fault["of_them_continued"] > 0
                   and fault["answered_after_kill"] > 0,
                   "nothing_duplicated": bool(check) and check["duplicated_turns"] == 0}
    report = {
        "run": run, "settings": {"users": args.users, "seconds": args.seconds,
                                 "think": args.think, "target": label, "url": url,
                                 "tracker_store": rs_hide(db_url)},
        "machine": {"cpus": os.cpu_count(), "load_before": load_before,
                    "load_max_during": round(max((s["load1"] for s in samples),
                                                 default=0), 2),
                    "load_after": round(os.getloadavg()[0], 2)},
        "results": results, "memory_mb": memory, "targets": targets,
        "memory_samples": samples,
    }
    (out / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    title = (f"{label}: {args.users} users, {args.seconds} s, think {args.think} s - median "
             f"{results['median_ms']} ms, p95 {results['p95_ms']} ms, "
             f"{results['messages_per_s']} msg/s, {results['errors']} errors")
    plot(records, samples, list(pids), kill_time, out / "latency.png", title)
    (out / "report.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    print(f"loadtest: report {out / 'report.md'}")
    return 0 if all(targets.values()) else 1


def rs_hide(url: str) -> str:
    """The database URL without a password."""
    if "@" in url and ":" in url.split("@", 1)[0].split("//", 1)[-1]:
        scheme, rest = url.split("//", 1)
        user = rest.split("@", 1)[0].split(":", 1)[0]
        return f"{scheme}//{user}:***@{rest.split('@', 1)[1]}"
    return url


if __name__ == "__main__":
    sys.exit(main())
