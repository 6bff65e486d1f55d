"""NLU evaluation: held-out test set and k-fold cross-validation, with per-intent P/R/F1.

    .venv/bin/python eval/nlu/run_eval.py            # what `make eval-nlu` runs
    .venv/bin/python eval/nlu/run_eval.py --skip-cv  # held-out set only (one training)

1. trains an NLU-only model on the training data (data/, never eval/nlu/heldout.yml) with the
   project's config.yml, into results/nlu/model/;
2. ``rasa test nlu --nlu eval/nlu/heldout.yml`` on it; prints per-intent precision, recall, F1
   and the macro-F1 from the intent report, and whether the target (macro-F1 >= 0.92) is met;
3. ``rasa test nlu --cross-validation --folds 3`` on the training data; prints its macro-F1.

Everything lands under results/nlu/ (git-ignored): logs, Rasa's reports and summary.json.
Exit code: 0 when the held-out target is met, 1 when it is not, 2 on errors.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

HERE = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(HERE / "scripts"))
ROOT = HERE  # the project evaluated; --project changes it (a smoke test on another bot)

import rasa_servers as rs  # noqa: E402

TARGET_MACRO_F1 = 0.92
AGGREGATE_KEYS = {"accuracy", "macro avg", "weighted avg", "micro avg"}
_ANNOTATION = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")


# --------------------------------------------------------------------------------------------
# training data checks (no Rasa import: plain YAML)
# --------------------------------------------------------------------------------------------

def _examples(path: Path) -> Iterable[Tuple[str, str]]:
    """(intent, plain text) of every NLU example in a Rasa YAML file."""
    import yaml

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return
    if not isinstance(doc, dict):
        return
    for block in doc.get("nlu") or []:
        if not isinstance(block, dict) or "intent" not in block:
            continue
        examples = block.get("examples")
        if isinstance(examples, str):
            lines = [ln.strip()[2:] for ln in examples.splitlines() if ln.strip().startswith("- ")]
        elif isinstance(examples, list):
            lines = [e.get("text", "") if isinstance(e, dict) else str(e) for e in examples]
        else:
            lines = []
        for line in lines:
            yield str(block["intent"]), _ANNOTATION.sub(r"\1", line)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split())


def nlu_files(folder: Path) -> List[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def leakage(train_dir: Path, heldout: Path) -> Tuple[int, int, List[str]]:
    """How many held-out examples also occur (normalised) in the training data."""
    seen: Set[str] = set()
    for path in nlu_files(train_dir):
        seen.update(_norm(text) for _, text in _examples(path))
    held = [text for _, text in _examples(heldout)]
    dup = [t for t in held if _norm(t) in seen]
    return len(held), len(dup), dup


# --------------------------------------------------------------------------------------------
# reports
# --------------------------------------------------------------------------------------------

def load_report(folder: Path) -> Dict[str, Any]:
    path = folder / "intent_report.json"
    if not path.exists():
        raise rs.ServerError(f"no intent report at {path}")
    report: Dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return report


def per_intent(report: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    return {k: v for k, v in report.items()
            if k not in AGGREGATE_KEYS and isinstance(v, dict) and "f1-score" in v}


def macro_f1(report: Dict[str, Any]) -> float:
    macro = report.get("macro avg")
    if isinstance(macro, dict) and "f1-score" in macro:
        return float(macro["f1-score"])
    rows = per_intent(report)  # fall back to the mean over intents
    return sum(float(r["f1-score"]) for r in rows.values()) / max(len(rows), 1)


def print_report(title: str, report: Dict[str, Any], target: Optional[float] = None) -> None:
    rows = per_intent(report)
    width = max([len(k) for k in rows] + [6])
    print(f"\n{title}")
    print(f"  {'intent':<{width}}  precision  recall     F1  support  confused with")
    for intent in sorted(rows):
        r = rows[intent]
        confused = ", ".join(f"{k} ({v})" for k, v in
                             sorted((r.get("confused_with") or {}).items(),
                                    key=lambda kv: -kv[1])[:2])
        flag = " <" if target is not None and float(r["f1-score"]) < target else ""
        print(f"  {intent:<{width}}  {r['precision']:9.3f}  {r['recall']:6.3f}  "
              f"{r['f1-score']:5.3f}  {int(r['support']):7d}  {confused}{flag}")
    acc = report.get("accuracy")
    for key in ("macro avg", "weighted avg"):
        if isinstance(report.get(key), dict):
            r = report[key]
            print(f"  {key:<{width}}  {r['precision']:9.3f}  {r['recall']:6.3f}  "
                  f"{r['f1-score']:5.3f}  {int(r['support']):7d}")
    if isinstance(acc, (int, float)):
        print(f"  accuracy: {acc:.3f}")
    if target is not None:
        print("  (< marks intents whose F1 is below the macro target)")


def entity_summary(folder: Path) -> Optional[Dict[str, Any]]:
    """Macro/weighted F1 of the entity extractor report(s), when Rasa wrote one."""
    for path in sorted(folder.glob("*Classifier_report.json")) + \
            sorted(folder.glob("*Extractor_report.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out: Dict[str, Any] = {k: float(data[k]["f1-score"]) for k in ("macro avg", "weighted avg")
               if isinstance(data.get(k), dict)}
        if out:
            out["report"] = str(path.relative_to(ROOT)) if ROOT in path.parents else str(path)
            return out
    return None


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------

def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", default="config.yml", help="pipeline config (project's)")
    parser.add_argument("--train-data", default="data", help="training data folder")
    parser.add_argument("--heldout", default="eval/nlu/heldout.yml")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--skip-cv", action="store_true", help="only the held-out evaluation")
    parser.add_argument("--skip-heldout", action="store_true", help="only cross-validation")
    parser.add_argument("--target", type=float, default=TARGET_MACRO_F1)
    parser.add_argument("--out", default="results/nlu")
    parser.add_argument("--plots", action="store_true", help="let Rasa draw confusion plots")
    parser.add_argument("--project", default=str(HERE), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    global ROOT
    ROOT = Path(args.project).resolve()
    rs.install_signal_handlers()

    config = (ROOT / args.config).resolve()
    train_dir = (ROOT / args.train_data).resolve()
    heldout = (ROOT / args.heldout).resolve()
    out = (ROOT / args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    results_root = ROOT / "results"
    if not (results_root / ".gitignore").exists():
        (results_root / ".gitignore").write_text("*\n", encoding="utf-8")

    for path, what in ((config, "config"), (train_dir, "training data"), (heldout, "held-out")):
        if not path.exists():
            print(f"error: {what} {path} does not exist", file=sys.stderr)
            return 2
    if train_dir == heldout.parent or train_dir in heldout.parents:
        print(f"error: the held-out file {heldout} is inside the training data {train_dir}",
              file=sys.stderr)
        return 2

    summary: Dict[str, Any] = {"config": str(config.relative_to(ROOT)),
                               "train_data": str(train_dir.relative_to(ROOT)),
                               "heldout": str(heldout.relative_to(ROOT)),
                               "target_macro_f1": args.target}
    n_held, n_dup, examples = leakage(train_dir, heldout)
    summary["heldout_examples"] = n_held
    summary["heldout_also_in_training"] = n_dup
    print(f"held-out set: {n_held} examples; {n_dup} also appear in the training data")
    for text in examples:
        print(f"  duplicated: {text!r}")
    if n_dup and not args.skip_heldout:
        print("error: the held-out figures would be inflated; remove these examples from the "
              "training data first", file=sys.stderr)
        return 2

    plot = [] if args.plots else ["--no-plot"]
    met: Optional[bool] = None
    try:
        if not args.skip_heldout:
            model_dir = out / "model"
            print(f"\ntraining an NLU-only model on {train_dir.relative_to(ROOT)}/ ...",
                  flush=True)
            times = rs.run_timed(
                rs.rasa_command() + ["train", "nlu", "--config", str(config),
                                     "--nlu", str(train_dir), "--out", str(model_dir),
                                     "--fixed-model-name", "nlu-eval"],
                ROOT, out / "logs" / "train_nlu.log")
            summary["nlu_train_seconds"] = round(times.wall, 1)
            summary["nlu_train_cpu_seconds"] = round(times.cpu, 1)
            print(f"  trained in {times.wall:.0f} s ({times.cpu:.0f} s CPU)")
            model = model_dir / "nlu-eval.tar.gz"
            report_dir = out / "heldout"
            shutil.rmtree(report_dir, ignore_errors=True)  # no stale reports of another pipeline
            t0 = time.monotonic()
            rs.run_logged(
                rs.rasa_command() + ["test", "nlu", "--model", str(model), "--nlu", str(heldout),
                                     "--out", str(report_dir)] + plot,
                ROOT, out / "logs" / "test_heldout.log")
            summary["heldout_test_seconds"] = round(time.monotonic() - t0, 1)
            report = load_report(report_dir)
            print_report(f"held-out set ({heldout.relative_to(ROOT)})", report, args.target)
            score = macro_f1(report)
            met = score >= args.target
            summary["heldout"] = {
                "macro_f1": round(score, 4),
                "accuracy": report.get("accuracy"),
                "per_intent": {k: {m: v[m] for m in ("precision", "recall", "f1-score",
                                                     "support")}
                               for k, v in per_intent(report).items()},
                "entities": entity_summary(report_dir),
                "report_dir": str(report_dir.relative_to(ROOT)),
            }
            summary["target_met"] = met
            print(f"\nheld-out intent macro-F1: {score:.3f} (target >= {args.target:.2f}): "
                  f"{'met' if met else 'NOT met'}")
            ents = summary["heldout"]["entities"]
            if ents:
                print(f"held-out entity macro-F1: {ents.get('macro avg', float('nan')):.3f} "
                      f"(weighted {ents.get('weighted avg', float('nan')):.3f})")

        if not args.skip_cv:
            cv_dir = out / "cv"
            shutil.rmtree(cv_dir, ignore_errors=True)
            print(f"\n{args.folds}-fold cross-validation on {train_dir.relative_to(ROOT)}/ "
                  f"({args.folds} trainings) ...", flush=True)
            seconds = rs.run_logged(
                rs.rasa_command() + ["test", "nlu", "--nlu", str(train_dir), "--config",
                                     str(config), "--cross-validation", "--folds",
                                     str(args.folds), "--out", str(cv_dir)] + plot,
                ROOT, out / "logs" / "cross_validation.log")
            report = load_report(cv_dir)
            print_report(f"cross-validation, {args.folds} folds (test folds pooled)", report)
            score = macro_f1(report)
            summary["cross_validation"] = {"folds": args.folds, "macro_f1": round(score, 4),
                                           "accuracy": report.get("accuracy"),
                                           "seconds": round(seconds, 1),
                                           "entities": entity_summary(cv_dir),
                                           "report_dir": str(cv_dir.relative_to(ROOT))}
            print(f"\ncross-validation intent macro-F1 ({args.folds} folds): {score:.3f} "
                  f"({seconds:.0f} s)")
    except rs.ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        summary["error"] = str(exc).splitlines()[0]
        return 2
    except KeyboardInterrupt:
        print("interrupted; every Rasa process was stopped", file=sys.stderr)
        return 130
    finally:
        (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n",
                                          encoding="utf-8")
        print(f"\nsummary: {(out / 'summary.json').relative_to(ROOT)}")
    return 0 if met is not False else 1


if __name__ == "__main__":
    sys.exit(main())
