#!/usr/bin/env bash
# Train the Rasa model unless models/ already holds one trained on the current data, domain
# and config (Rasa itself skips training when its fingerprint matches).
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 RASA_TELEMETRY_ENABLED=false
newest_model="$(ls -t models/*.tar.gz 2>/dev/null | head -n 1 || true)"
if [ -n "$newest_model" ] && [ -z "$(find data domain.yml config.yml -newer "$newest_model" -type f 2>/dev/null | head -n 1)" ]; then
  echo "train: $newest_model is up to date"
  exit 0
fi
echo "train: training the assistant (about 2 minutes on 2 cores)"
.venv/bin/rasa train --data data --domain domain.yml --config config.yml --out models --quiet
