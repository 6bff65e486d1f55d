#!/usr/bin/env bash
# Chat with the assistant in the terminal: trains the model when the data changed, starts the
# action server in the background, opens `rasa shell`, and stops the action server on exit.
#   scripts/run.sh [shell|api]     api: REST + socket.io server on :5005 instead of the shell
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
mode="${1:-shell}"
. scripts/env.sh  # telemetry off (the project's environment, in one place)
export TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1

scripts/train.sh

port="${ACTION_PORT:-5055}"
if curl -fsS "http://localhost:$port/health" >/dev/null 2>&1; then
  echo "run: an action server is already answering on port $port; using it"
  action_pid=""
else
  mkdir -p .rasa
  echo "run: starting the action server on port $port (log: .rasa/actions.log)"
  "$BIN/python" -m rasa_sdk --actions actions --port "$port" >.rasa/actions.log 2>&1 &
  action_pid=$!
  trap '[ -n "$action_pid" ] && kill "$action_pid" 2>/dev/null || true' EXIT INT TERM
  for _ in $(seq 1 60); do
    curl -fsS "http://localhost:$port/health" >/dev/null 2>&1 && break
    if ! kill -0 "$action_pid" 2>/dev/null; then
      echo "run: the action server stopped; see .rasa/actions.log" >&2; cat .rasa/actions.log >&2; exit 1
    fi
    sleep 0.5
  done
fi

if [ "$mode" = "api" ]; then
  "$BIN/rasa" run --enable-api --cors "*" --model models --endpoints endpoints.yml \
    --credentials credentials.yml --port "${RASA_PORT:-5005}"
else
  "$BIN/rasa" shell --model models --endpoints endpoints.yml
fi
