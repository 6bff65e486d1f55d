#!/usr/bin/env bash
# Train the Rasa model into models/ - unless a model for the current config.yml, domain.yml,
# data/, nlu_components/ and the sentence encoder already exists there (its name carries a
# fingerprint of those files), then print its path on the last line. Deterministic: the intent classifier has a fixed
# random_state in config.yml, the CRF and the rule/memoization policies involve no randomness.
#
#   scripts/train.sh            # reuse or train
#   scripts/train.sh --force    # always train
#   scripts/train.sh --name     # only print the model's path (models/bot-<fingerprint>.tar.gz)
#
# The fingerprint is computed in one place: fingerprint() in scripts/rasa_servers.py.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
[ -f scripts/env.sh ] && . scripts/env.sh  # the project's environment, in one place
RASA="${RASA:-.venv/bin/rasa}"
PY="${PY:-.venv/bin/python}"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}" SQLALCHEMY_SILENCE_UBER_WARNING=1

name="bot-$("$PY" scripts/rasa_servers.py --fingerprint .)"
model="models/$name.tar.gz"
if [ "${1:-}" = "--name" ]; then
  echo "$model"
  exit 0
fi
if [ "${1:-}" != "--force" ] && [ -f "$model" ]; then
  echo "train: $model is up to date with config.yml, domain.yml, data/, nlu_components/ and the sentence encoder" >&2
  echo "$model"
  exit 0
fi
echo "train: training $model (about a minute on 2 CPU cores)" >&2
start=$(date +%s)
"$RASA" train --config config.yml --domain domain.yml --data data --out models \
  --fixed-model-name "$name" >&2
echo "train: done in $(( $(date +%s) - start ))s" >&2
echo "$model"
