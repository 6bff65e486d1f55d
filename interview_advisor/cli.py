"""The ``interview-advisor`` command line.

    interview-advisor analyze [--json] [--fact NAME=VALUE ...] TEXT     (TEXT "-": one per line)
    interview-advisor rules check | test | docs [-o FILE]
    interview-advisor draft ID [--set NAME=VALUE ...]
    interview-advisor eval-signals FILE [FILE ...]
    interview-advisor feedback-report [--db FILE] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Dict, Optional, Sequence

from .dialogue.advising import assess, choose_question
from .dialogue.compose import advice_reply
from .dialogue.reading import update_state
from .dialogue.render_text import render_text
from .dialogue.state import State, UserMessage, fact_entry
from .engine import Advisor
from .errors import RuleBaseError
from .rulebase import check_rulebase

EMPTY_REPLY = ("That message was empty. Tell me how an interview went, or what you are trying "
               "to decide, in your own words.")


def _parse_assignments(pairs: Sequence[str], what: str) -> Dict[str, str]:
    values: Dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"{what} must look like NAME=VALUE, not {pair!r}")
        values[name.strip()] = value.strip()
    return values


def render_analysis(advisor: Advisor, text: str, given: Dict[str, Any]) -> str:
    """The analysis of one message as the chat shows it (the same plain-text renderer), with
    every piece of advice and all its next steps."""
    if not text.strip():
        return EMPTY_REPLY
    facts = {k: fact_entry(v.value, "given", "", 0, 0, 0) for k, v in given.items()}
    state, turn = update_state(advisor, State(facts=facts), UserMessage(text))
    assessment = assess(advisor, state)
    question = choose_question(advisor, state, assessment, turn)
    return render_text(advice_reply(advisor, state, turn, assessment, question,
                                    count=None, steps=None))


def _advisor(args: argparse.Namespace) -> Advisor:
    return Advisor(Path(args.rules) if args.rules else None)


def cmd_analyze(args: argparse.Namespace) -> int:
    advisor = _advisor(args)
    given = _parse_assignments(args.fact or [], "--fact")
    advisor.parse_facts(given)  # fail early, before reading stdin
    if args.text == "-":
        for line in sys.stdin:
            message = line.rstrip("\n")
            data = advisor.analyze(message, given).as_dict()
            data["answers"] = [a.as_dict() for a in advisor.direct_answers(message, given)]
            if not message.strip():
                data["notes"].append("empty message")
            print(json.dumps(data, ensure_ascii=False), flush=True)
        return 0
    result = advisor.analyze(args.text, given)
    if args.json:
        data = result.as_dict()
        data["answers"] = [a.as_dict() for a in advisor.direct_answers(args.text, given)]
        if not args.text.strip():
            data["notes"].append("empty message")
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(render_analysis(advisor, args.text, advisor.parse_facts(given)))
    return 0


def cmd_rules_check(args: argparse.Namespace) -> int:
    rulebase, issues = check_rulebase(Path(args.rules) if args.rules else None)
    if args.json:
        print(json.dumps([i.as_dict() for i in issues], indent=2))
    elif issues:
        # syntax and schema problems first: reference errors elsewhere often follow from them
        first = [i for i in issues if i.kind in ("yaml", "duplicate-key", "schema", "io")]
        rest = [i for i in issues if i not in first]
        for issue in sorted(first, key=lambda i: (i.file, i.line or 0)):
            print(issue)
        if first and rest:
            print("-- the problems below may follow from the ones above --")
        for issue in sorted(rest, key=lambda i: (i.file, i.line or 0)):
            print(issue)
        print(f"{len(issues)} problem{'s' if len(issues) != 1 else ''} found", file=sys.stderr)
    else:
        assert rulebase is not None
        print(f"ok: {len(rulebase.files)} files, {len(rulebase.facts)} facts, "
              f"{len(rulebase.signals)} signals, {len(rulebase.conditions)} named conditions, "
              f"{len(rulebase.rules)} rules, {len(rulebase.drafts)} drafts, "
              f"{len(rulebase.purposes)} draft purposes, "
              f"{len(rulebase.questions)} direct questions")
    return 1 if issues else 0


def cmd_rules_test(args: argparse.Namespace) -> int:
    from .examples import run_examples

    results = run_examples(_advisor(args))
    failed = [r for r in results if not r.passed]
    for result in results if args.verbose else failed:
        print(result)
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def cmd_rules_docs(args: argparse.Namespace) -> int:
    from .docs import catalogue

    text = catalogue(_advisor(args).rulebase)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text, "utf-8")
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    advisor = _advisor(args)
    if args.id not in advisor.rulebase.drafts:
        raise ValueError(f"unknown draft {args.id!r}; drafts: "
                         f"{', '.join(sorted(advisor.rulebase.drafts))}")
    rendered = advisor.draft(args.id, _parse_assignments(args.set or [], "--set"))
    print(rendered.text)
    for name, question in rendered.missing:
        print(f"\n[missing {name}] {question}  (--set {name}=...)", file=sys.stderr)
    return 0


def cmd_eval_signals(args: argparse.Namespace) -> int:
    from .evaluate import cross_validate, evaluate, load_set

    advisor = _advisor(args)
    status = 0
    if args.cross_validate:
        root = Path(__file__).resolve().parent.parent
        reports, _ = cross_validate(advisor, root, args.folds)
        print(f"Out-of-fold figures ({args.folds}-fold): the statistical backstop is retrained "
              "without each fold, so no message is judged by a model that saw it (the YAML "
              "patterns were tuned on these sets).\n")
        for report in reports.values():
            print(report.table() + "\n")
    for path in args.files:
        report = evaluate(advisor, load_set(Path(path)), Path(path).name)
        print(report.table())
        if args.show_errors:
            for item_id, text, gold, found in report.errors:
                print(f"  {item_id}: gold={sorted(gold)} found={sorted(found)}\n"
                      f"      {' '.join(text.split())[:300]}")
        worst = min(c.f1 for c in report.per_signal.values())
        ok = report.micro.f1 >= args.min_micro_f1 and worst >= args.min_signal_f1 and \
            report.no_flag_clean == report.no_flag_total
        print(f"targets (micro-F1 >= {args.min_micro_f1}, every signal >= {args.min_signal_f1}, "
              f"no-flag clean): {'met' if ok else 'NOT met'}\n")
        if not ok and path == args.files[0]:
            status = 1
    return status


def cmd_feedback_report(args: argparse.Namespace) -> int:
    from .feedback import FeedbackStore, format_report

    store = FeedbackStore(args.db)
    if not store.path.exists():
        print(f"No feedback recorded yet ({store.path} does not exist).")
        return 0
    rows = store.report()
    if args.json:
        print(json.dumps([row._asdict() for row in rows], indent=2))
    else:
        print(f"Feedback per advice rule ({store.path})")
        print(format_report(rows))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="interview-advisor",
                                     description="Offline interview advisor: red flags, advice, "
                                                 "next steps.")
    parser.add_argument("--rules", help="rule base folder (default: $INTERVIEW_ADVISOR_RULES or "
                                        "the project's rules/)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("analyze", help="find red flags and give advice for a message")
    p.add_argument("text", help="the message, or - to read one message per line from stdin")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--fact", action="append", metavar="NAME=VALUE",
                   help="a known fact, e.g. interview_type=internal (repeatable)")
    p.set_defaults(func=cmd_analyze)

    rules = sub.add_parser("rules", help="check, test or document the rule base")
    rsub = rules.add_subparsers(dest="rules_command", required=True)
    c = rsub.add_parser("check", help="validate the rule base and report every problem")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_rules_check)
    t = rsub.add_parser("test", help="run every signal's and rule's examples")
    t.add_argument("-v", "--verbose", action="store_true", help="list passing examples too")
    t.set_defaults(func=cmd_rules_test)
    d = rsub.add_parser("docs", help="write a Markdown catalogue of the rule base")
    d.add_argument("-o", "--output", help="file to write (default: stdout)")
    d.set_defaults(func=cmd_rules_docs)

    dr = sub.add_parser("draft", help="fill in a message draft")
    dr.add_argument("id")
    dr.add_argument("--set", action="append", metavar="NAME=VALUE")
    dr.set_defaults(func=cmd_draft)

    e = sub.add_parser("eval-signals", help="precision/recall/F1 of detection on labelled sets")
    e.add_argument("files", nargs="+")
    e.add_argument("--show-errors", action="store_true")
    e.add_argument("--cross-validate", action="store_true",
                   help="also print out-of-fold figures for the backstop's training sets")
    e.add_argument("--folds", type=int, default=5)
    e.add_argument("--min-micro-f1", type=float, default=0.90)
    e.add_argument("--min-signal-f1", type=float, default=0.85)
    e.set_defaults(func=cmd_eval_signals)

    f = sub.add_parser("feedback-report",
                       help="per advice rule: how often it was shown and how it was rated")
    f.add_argument("--db", help="the feedback file (default: $FEEDBACK_DB or "
                                ".rasa/feedback.sqlite3)")
    f.add_argument("--json", action="store_true", help="print JSON")
    f.set_defaults(func=cmd_feedback_report)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except RuleBaseError as exc:
        print(f"interview-advisor: {exc}", file=sys.stderr)
        return 1
    except (ValueError, OSError) as exc:
        print(f"interview-advisor: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
