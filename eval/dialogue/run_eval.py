"""Multi-turn dialogue evaluation against the real Rasa and action servers (make eval-dialogue).

Every conversation of eval/dialogue/tuning/ and eval/dialogue/heldout.yml is held over the
REST webhook with a fresh sender id; after each turn the bot's plain-text reply (and the
conversation state, from the tracker) is checked against the turn's expectations. Prints the
share of expectations met per category and overall, for the tuning and the held-out part
separately, every miss, the fallback rate ("Sorry, I'm not sure I understood" and its kin) over
the whole set, and how often NLU got the annotated intent.

It is a measurement: the exit code is 0 unless the set is malformed, the servers fail, or
``--min-heldout`` / ``--min-tuning`` is given and not met.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Union

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(HERE))

import dialogue_eval as de  # noqa: E402
import rasa_servers as rs  # noqa: E402

from interview_advisor.reader_train import is_check  # noqa: E402

SETS = {"tuning": HERE / "tuning", "heldout": HERE / "heldout.yml"}


# --------------------------------------------------------------------------------------------
# talking to the bot
# --------------------------------------------------------------------------------------------

class Attached:
    """A Rasa server that is already running (``--port``): the part of RasaStack used here."""

    def __init__(self, port: int) -> None:
        self.port = port

    def client(self) -> rs.RestClient:
        return rs.RestClient(self.port)

    def tracker(self, sender: str) -> Dict[str, Any]:
        status, body = rs.http_get(f"http://{rs.LOOPBACK}:{self.port}/conversations/{sender}"
                                   "/tracker", timeout=10)
        if status != 200:
            raise rs.ServerError(f"tracker of {sender}: HTTP {status}")
        result: Dict[str, Any] = json.loads(body)
        return result


Bot = Union[rs.RasaStack, Attached]


def conversation_state(stack: Bot, sender: str) -> tuple[Optional[Dict[str, Any]],
                                                         Optional[str]]:
    """(state slots, predicted intent of the latest message) from the tracker, or Nones."""
    try:
        tracker = stack.tracker(sender)
    except (rs.ServerError, OSError, ValueError):
        return None, None
    slots = tracker.get("slots") or {}
    state = {"facts": slots.get("facts") or {}, "flags": slots.get("flags") or {},
             "withdrawn_flags": slots.get("withdrawn_flags") or []}
    intent = ((tracker.get("latest_message") or {}).get("intent") or {}).get("name")
    return state, intent


def run_conversation(stack: Bot, conv: de.Conversation,
                     vocab: de.Vocabulary) -> List[de.TurnResult]:
    """Hold one conversation with a fresh sender id; one result per turn."""
    sender = f"evaldlg-{conv.id[:40]}-{uuid.uuid4().hex[:8]}"
    results = []
    with stack.client() as client:
        for n, turn in enumerate(conv.turns, 1):
            reply = client.send(sender, turn.user)
            text = reply.text
            state, intent = conversation_state(stack, sender)
            result = de.TurnResult(conv.id, conv.category, conv.source, n, turn.user, text,
                                   de.check_reply(turn.spec, text, vocab, state),
                                   de.is_fallback(text), turn.intent, intent)
            results.append(result)
    return results


# --------------------------------------------------------------------------------------------
# the report
# --------------------------------------------------------------------------------------------

def share(met: int, total: int) -> str:
    return f"{met / total:.3f}" if total else "  -  "


def summarise(results: Sequence[de.TurnResult]) -> Dict[str, Any]:
    """Expectations met per category and overall, fallback and intent figures."""
    per_cat: Dict[str, List[int]] = {}
    convs: Dict[str, bool] = {}
    conv_cat: Dict[str, str] = {}
    for r in results:
        cat = per_cat.setdefault(r.category, [0, 0])
        for check in r.checks:
            cat[0] += check.ok
            cat[1] += 1
        convs[r.conversation] = convs.get(r.conversation, True) and all(c.ok for c in r.checks)
        conv_cat[r.conversation] = r.category
    met = sum(v[0] for v in per_cat.values())
    total = sum(v[1] for v in per_cat.values())
    annotated = [r for r in results if r.intent_expected]
    checks = [c for r in results if is_check(r.conversation) for c in r.checks]
    return {
        "check": {"met": sum(c.ok for c in checks), "total": len(checks),
                  "conversations": len({r.conversation for r in results
                                        if is_check(r.conversation)})},
        "expectations": total, "met": met, "share": met / total if total else None,
        "per_category": {k: {"met": v[0], "total": v[1], "share": v[0] / v[1] if v[1] else None,
                             "conversations": sum(1 for c in conv_cat.values() if c == k),
                             "conversations_passed": sum(1 for c, ok in convs.items()
                                                         if ok and conv_cat[c] == k)}
                         for k, v in sorted(per_cat.items())},
        "conversations": len(convs), "conversations_passed": sum(convs.values()),
        "turns": len(results), "fallbacks": sum(r.fallback for r in results),
        "intent_annotated": len(annotated),
        "intent_correct": sum(r.intent_expected == r.intent_predicted for r in annotated),
    }


def print_summary(title: str, summary: Dict[str, Any]) -> None:
    print(f"\n{title}: {summary['conversations']} conversations, {summary['turns']} turns, "
          f"{summary['expectations']} expectations")
    print(f"  {'category':<24} {'met':>5} / {'all':<5} share  conversations passed")
    for cat, row in summary["per_category"].items():
        print(f"  {cat:<24} {row['met']:>5} / {row['total']:<5} {share(row['met'], row['total'])}"
              f"  {row['conversations_passed']}/{row['conversations']}")
    print(f"  {'overall':<24} {summary['met']:>5} / {summary['expectations']:<5} "
          f"{share(summary['met'], summary['expectations'])}  "
          f"{summary['conversations_passed']}/{summary['conversations']}")
    check = summary.get("check") or {}
    if check.get("total"):
        print(f"  of which check conversations (*_chk: never fixed from, never trained on): "
              f"{check['met']} / {check['total']} {share(check['met'], check['total'])} "
              f"in {check['conversations']}")
    print(f"  fallback replies: {summary['fallbacks']}/{summary['turns']} turns "
          f"({share(summary['fallbacks'], summary['turns'])})")
    print(f"  intent as annotated: {summary['intent_correct']}/{summary['intent_annotated']} "
          f"({share(summary['intent_correct'], summary['intent_annotated'])})")


def print_misses(results: Sequence[de.TurnResult], limit: int = 0) -> None:
    misses = [(r, c) for r in results for c in r.checks if not c.ok]
    print(f"\nmisses ({len(misses)}):")
    for r, c in misses[:limit or None]:
        detail = f" [{c.detail}]" if c.detail else ""
        print(f"- {r.source}/{r.conversation} turn {r.turn}: {c.kind} {c.expected!r}{detail}")
        print(f"    user: {de.shorten(r.user, 120)}")
        print(f"    bot:  {de.shorten(r.reply, 240)}")
    if limit and len(misses) > limit:
        print(f"  ... and {len(misses) - limit} more")


def fallback_turns(results: Sequence[de.TurnResult]) -> None:
    falls = [r for r in results if r.fallback]
    if falls:
        print(f"\nfallback replies ({len(falls)}):")
        for r in falls:
            print(f"- {r.source}/{r.conversation} turn {r.turn}: {de.shorten(r.user, 120)}")


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------

def load_sets(names: Sequence[str], vocab: de.Vocabulary) -> Dict[str, List[de.Conversation]]:
    return {name: de.load_conversations(SETS[name], vocab, source=name) for name in names}


def check_leakage(loaded: Dict[str, List[de.Conversation]]) -> List[str]:
    problems = []
    training = de.nlu_examples(ROOT / "data" / "nlu")
    for name, convs in loaded.items():
        for cid, text in de.shared_turns(convs, training):
            problems.append(f"{name}/{cid}: turn is in data/nlu: {text!r}")
    if "tuning" in loaded and "heldout" in loaded:
        for cid, text in de.shared_turns(loaded["heldout"], de.turn_texts(loaded["tuning"])):
            problems.append(f"heldout/{cid}: turn is also in the tuning set: {text!r}")
    return problems


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=["tuning", "heldout", "all"], default="all")
    parser.add_argument("--only", default="", help="comma-separated conversation ids")
    parser.add_argument("--model", help="a model .tar.gz (default: train or reuse models/)")
    parser.add_argument("--port", type=int, default=None,
                        help="use a Rasa server already running on this port (with its "
                             "action server) instead of starting both")
    parser.add_argument("--min-heldout", type=float, default=None,
                        help="exit 1 when the held-out share of expectations met is below this")
    parser.add_argument("--min-tuning", type=float, default=None,
                        help="exit 1 when the tuning share of expectations met is below this")
    parser.add_argument("--max-misses", type=int, default=0,
                        help="list at most this many misses (0: all)")
    parser.add_argument("--no-heldout-misses", action="store_true",
                        help="list misses of the tuning set only (counts for held-out)")
    parser.add_argument("--out", default="results/dialogue", help="where summary.json goes")
    args = parser.parse_args(argv)
    rs.install_signal_handlers()

    vocab = de.load_vocabulary(ROOT)
    names = ["tuning", "heldout"] if args.set == "all" else [args.set]
    try:
        loaded = load_sets(names, vocab)
    except de.FormatError as exc:
        print(f"error: the evaluation set is malformed:\n{exc}", file=sys.stderr)
        return 2
    leaks = check_leakage(loaded)
    if leaks:
        print("error: turns shared with the training data or across sets:\n  "
              + "\n  ".join(leaks), file=sys.stderr)
        return 2
    if args.only:
        wanted = set(args.only.split(","))
        loaded = {k: [c for c in v if c.id in wanted] for k, v in loaded.items()}
    total = sum(len(v) for v in loaded.values())
    print(f"dialogue evaluation: {total} conversations "
          + ", ".join(f"{k} {len(v)}" for k, v in loaded.items()))

    out = (ROOT / args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if out.is_relative_to(ROOT / "results") and not (ROOT / "results" / ".gitignore").exists():
        # results/ holds generated files only; --out elsewhere leaves the checkout alone
        (ROOT / "results" / ".gitignore").write_text("*\n", encoding="utf-8")
    results: Dict[str, List[de.TurnResult]] = {k: [] for k in loaded}
    t0 = time.monotonic()

    def hold_all(bot: Bot) -> None:
        for name, convs in loaded.items():
            for conv in convs:
                results[name] += run_conversation(bot, conv, vocab)

    try:
        if args.port:
            print(f"using the Rasa server on port {args.port}; talking ...", flush=True)
            hold_all(Attached(args.port))
        else:
            model = rs.ModelInfo(Path(args.model), False, None) if args.model else \
                rs.ensure_model(ROOT, log_path=out / "train.log")
            if model.trained:
                print(f"trained {model.path.name} in {model.train_seconds:.0f} s")
            with rs.RasaStack(ROOT, model=model.path, log_dir=out / "logs", name="evaldlg",
                              extra_env={"INTERVIEW_ADVISOR_RELOAD_SECONDS": "0"}) as stack:
                print(f"servers up ({model.path.name}); talking ...", flush=True)
                hold_all(stack)
    except rs.ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; the servers were stopped", file=sys.stderr)
        return 130
    seconds = time.monotonic() - t0

    summaries = {name: summarise(rs_) for name, rs_ in results.items()}
    for name, summary in summaries.items():
        label = "held-out (never tuned on)" if name == "heldout" else name
        print_summary(f"{label} ({SETS[name].relative_to(ROOT)})", summary)
    every = [r for rs_ in results.values() for r in rs_]
    whole = summarise(every)
    if len(results) > 1:
        print_summary("whole set", whole)
    print(f"\nfallback rate over the whole set: {whole['fallbacks']}/{whole['turns']} replies "
          f"({share(whole['fallbacks'], whole['turns'])})  [{seconds:.0f} s]")

    listed = [r for name, rs_ in results.items() for r in rs_
              if not (args.no_heldout_misses and name == "heldout")]
    print_misses(listed, args.max_misses)
    fallback_turns(listed)
    (out / "summary.json").write_text(json.dumps(
        {"sets": summaries, "whole": whole, "seconds": round(seconds, 1),
         "misses": [{"set": r.source, "conversation": r.conversation, "turn": r.turn,
                     "kind": c.kind, "expected": c.expected, "detail": c.detail,
                     "user": r.user, "reply": r.reply}
                    for r in every for c in r.checks if not c.ok]},
        indent=2) + "\n", encoding="utf-8")
    written = out / "summary.json"
    print(f"\nsummary: {written.relative_to(ROOT) if written.is_relative_to(ROOT) else written}")

    return exit_code(summaries, args.min_heldout, args.min_tuning)


def exit_code(summaries: Dict[str, Dict[str, Any]], min_heldout: Optional[float],
              min_tuning: Optional[float]) -> int:
    """0, or 1 when a part's share of expectations met is below the minimum asked for."""
    code = 0
    for name, minimum in (("heldout", min_heldout), ("tuning", min_tuning)):
        got = summaries.get(name, {}).get("share")
        if minimum is not None and got is not None and got < minimum:
            print(f"{name}: {got:.3f} of expectations met, below --min-{name} {minimum}",
                  file=sys.stderr)
            code = 1
    return code


if __name__ == "__main__":
    sys.exit(main())
