"""Train the statistical backstop for red-flag detection and write rules/backstop.json.

The YAML patterns in rules/signals.yml are the primary, explainable detector. The backstop is a
small linear model (TF-IDF over words and word pairs, one logistic regression per signal)
trained on the tuning sets in eval/signals/ (never on heldout.yml); it only adds a flag the
patterns missed, quoting the sentence that weighs most. Deterministic: same data, same weights.

    .venv/bin/python scripts/train_backstop.py        (make train-backstop)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from interview_advisor.backstop_train import digests, fit, load_training  # noqa: E402


def main() -> int:
    items = load_training(ROOT)
    model = fit(items)
    model["trained_on"] = digests(ROOT)
    path = ROOT / "rules" / "backstop.json"
    path.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n", "utf-8")
    print(f"wrote {path.relative_to(ROOT)}: {len(model['features'])} features, "
          f"{len(items)} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
