#!/usr/bin/env bash
# Train the Rasa model into models/ - unless a model for the current config.yml, domain.yml and
# data/ already exists there (its name carries a fingerprint of those files), then print its path
# on the last line. Deterministic: DIET and TED have fixed random seeds in config.yml.
#
#   scripts/train.sh            # reuse or train
#   scripts/train.sh --force    # always train
#
# The fingerprint is the same as in tests/actions/test_bot_slow.py (keep them in step).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh  # telemetry off (the project's environment, in one place)
RASA="${RASA:-.venv/bin/rasa}"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}" SQLALCHEMY_SILENCE_UBER_WARNING=1

fingerprint() {
  { cat config.yml domain.yml; LC_ALL=C find data -name '*.yml' -type f | LC_ALL=C sort | \
      xargs cat; } | sha256sum | cut -c1-12
}

name="bot-$(fingerprint)"
model="models/$name.tar.gz"
if [ "${1:-}" != "--force" ] && [ -f "$model" ]; then
  echo "train: $model is up to date with config.yml, domain.yml and data/" >&2
  echo "$model"
  exit 0
fi
echo "train: training $model (about a few minutes on 2 CPU cores)" >&2
start=$(date +%s)
"$RASA" train --config config.yml --domain domain.yml --data data --out models \
  --fixed-model-name "$name" >&2
echo "train: done in $(( $(date +%s) - start ))s" >&2
echo "$model"
