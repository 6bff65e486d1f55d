"""Train the statistical reader for facts and direct questions and write rules/reader.json.

The phrase patterns in rules/facts.yml and rules/questions.yml read first; the reader only adds
a fact or a direct question they missed (see interview_advisor/reader.py). Prints, per label,
the out-of-fold figures on the items the patterns missed, at the threshold chosen.

    .venv/bin/python scripts/train_reader.py [--exclude t_dlm7_] [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from interview_advisor import Advisor  # noqa: E402
from interview_advisor.reader import READER_FILE  # noqa: E402
from interview_advisor.reader_train import (  # noqa: E402
    choose_thresholds,
    dialogue_items,
    fit,
    labels_of,
    out_of_fold,
    pattern_labels,
    rulebase_items,
    word_classes,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exclude", action="append", default=[],
                        help="leave out tuning conversations whose id starts with this "
                             "(wildcards allowed: '*_chk' leaves out every check conversation)")
    parser.add_argument("--dry-run", action="store_true", help="print figures, write nothing")
    parser.add_argument("--word-classes", action="store_true",
                        help="add word-class terms (the feeling and current-job words the "
                             "rule base lists, see reader_train.word_classes) to the 1-2-grams; "
                             "off by default: round DLM10 measured +3/207 on the check "
                             "conversations and -1/231 held-out")
    args = parser.parse_args()
    advisor = Advisor(ROOT / "rules")
    items = rulebase_items(advisor) + dialogue_items(ROOT, advisor, args.exclude)
    for item in items:
        item["patterns"] = pattern_labels(advisor, item["text"])
    labels = labels_of(items)
    classes = word_classes(advisor) if args.word_classes else {}
    report = choose_thresholds(items, out_of_fold(items, labels, classes), labels)
    right = wrong = missed = 0
    print(f"{len(items)} items, {len(labels)} labels; out of fold, the reader alone (and "
          "where the patterns read nothing: right/wrong/missed):")
    for label, row in report.items():
        print(f"  {label:50s} threshold {row['threshold']}  right {row['right']:3d}  "
              f"wrong {row['wrong']:3d}  missed {row['missed']:3d}  "
              f"({'/'.join(map(str, row['where_patterns_missed']))})")
        if row["threshold"] is not None:
            right, wrong, missed = (right + row["right"], wrong + row["wrong"],
                                    missed + row["missed"])
    print(f"  used labels together: right {right}, wrong {wrong}, still missed {missed}")
    if args.dry_run:
        return 0
    used = [k for k in labels if report[k]["threshold"] is not None]
    # a label that is never read needs no weights in the file
    model = fit(items, used, classes=classes)
    model["thresholds"] = {k: report[k]["threshold"] for k in used}
    model["out_of_fold"] = report
    path = ROOT / "rules" / READER_FILE
    path.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n", "utf-8")
    print(f"wrote {path.relative_to(ROOT)}: {len(model['features'])} features")
    return 0


if __name__ == "__main__":
    sys.exit(main())
