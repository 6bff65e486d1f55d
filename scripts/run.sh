#!/usr/bin/env bash
# Run the assistant on this machine - every server bound to 127.0.0.1 - and stop all of it on exit.
#
#   scripts/run.sh web     (make run)   train when needed; action server, Rasa server and the
#                                       local web page; prints the address to open
#   scripts/run.sh shell   (make shell) train when needed; action server and `rasa shell` here
#   scripts/run.sh api     (make api)   train when needed; action server and Rasa server (the
#                                       channels in the credentials file), no web page
#
# Ports: RASA_PORT (5005), ACTION_PORT (5055), WEB_PORT (8080). Logs: RUN_LOG_DIR (.rasa/logs).
# Rasa's HTTP API stays off unless RASA_ENABLE_API=1 with a token (scripts/rasa_api.py).
# Ctrl-C, SIGTERM or SIGHUP stops every server this script started: each runs in its own session
# (process group), and the whole group is sent SIGTERM, then SIGKILL after STOP_SECONDS (10).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
[ -f scripts/env.sh ] && . scripts/env.sh
BIN="${VENV:-.venv}/bin"
PY="$BIN/python"
HOST=127.0.0.1
mode="${1:-web}"
RASA_PORT="${RASA_PORT:-5005}" ACTION_PORT="${ACTION_PORT:-5055}" WEB_PORT="${WEB_PORT:-8080}"
STOP_SECONDS="${STOP_SECONDS:-10}"
log_dir="${RUN_LOG_DIR:-.rasa/logs}"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}" SQLALCHEMY_SILENCE_UBER_WARNING=1 \
       PYTHONUNBUFFERED=1

case "$mode" in
  web|shell|api) ;;
  *) echo "usage: scripts/run.sh [web|shell|api]" >&2; exit 2 ;;
esac

say() { echo "run: $*" >&2; }

port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

for port_var in RASA_PORT ACTION_PORT WEB_PORT; do
  [ "$port_var" = WEB_PORT ] && [ "$mode" != web ] && continue
  if port_busy "${!port_var}"; then
    say "port ${!port_var} ($port_var) is already in use on $HOST - is the assistant already" \
        "running? Stop it, or choose another port: $port_var=... make ${mode/web/run}"
    exit 1
  fi
done

# -- servers: started in their own sessions, stopped as whole process groups ------------------
pids=() names=() logs=()
run_dir=""
shell_pid=""   # rasa shell, while it runs (make shell)

start() {  # start NAME LOG COMMAND...
  local name=$1 log=$2
  shift 2
  # Without job control a background child is not a group leader, so setsid(1) does not fork:
  # $! is the new session's (and process group's) id.
  setsid "$@" >>"$log" 2>&1 </dev/null &
  pids+=("$!") names+=("$name") logs+=("$log")
}

group_alive() { kill -0 -- "-$1" 2>/dev/null; }

stopped=0
stop_all() {
  [ "$stopped" = 1 ] && return
  stopped=1
  trap '' INT TERM HUP   # a later signal must not cut this short
  local i pid alive deadline
  if [ -n "$shell_pid" ]; then   # rasa shell first: it holds the terminal and Rasa's port
    kill -TERM "$shell_pid" 2>/dev/null || true
    for _ in $(seq 1 $(( STOP_SECONDS * 5 ))); do
      kill -0 "$shell_pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$shell_pid" 2>/dev/null || true
  fi
  # newest first: the web page, then Rasa (it calls the action server), then the actions
  for (( i=${#pids[@]}-1; i>=0; i-- )); do
    kill -TERM -- "-${pids[i]}" 2>/dev/null || true
  done
  deadline=$(( $(date +%s) + STOP_SECONDS ))
  while :; do
    alive=0
    for pid in "${pids[@]}"; do
      group_alive "$pid" && alive=1
    done
    [ "$alive" = 0 ] && break
    if [ "$(date +%s)" -ge "$deadline" ]; then
      say "some servers ignored SIGTERM for ${STOP_SECONDS}s; killing them"
      break
    fi
    sleep 0.2
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  [ -n "$run_dir" ] && rm -rf "$run_dir"
  [ ${#pids[@]} -gt 0 ] && say "stopped ${names[*]}"
  return 0
}
trap 'stop_all' EXIT
# each ignores the signals that may follow it (a closed terminal sends SIGHUP more than once),
# which would otherwise cut the EXIT trap's stop_all short and leave servers running
trap 'trap "" INT TERM HUP; echo >&2; say "stopping (Ctrl-C)"; exit 130' INT
trap 'trap "" INT TERM HUP; say "stopping (SIGTERM)"; exit 143' TERM
trap 'trap "" INT TERM HUP; exit 129' HUP

wait_for() {  # wait_for INDEX URL WHAT TIMEOUT: until URL answers 200; fail if the server dies
  local i=$1 url=$2 what=$3 timeout=$4 t0
  t0=$(date +%s)
  until curl -fsS -o /dev/null --max-time 5 "$url" 2>/dev/null; do
    if ! kill -0 "${pids[i]}" 2>/dev/null; then
      say "the ${names[i]} stopped before it was $what; last lines of ${logs[i]}:"
      tail -n 30 "${logs[i]}" >&2
      exit 1
    fi
    if [ $(( $(date +%s) - t0 )) -ge "$timeout" ]; then
      say "the ${names[i]} was not $what after ${timeout}s; last lines of ${logs[i]}:"
      tail -n 30 "${logs[i]}" >&2
      exit 1
    fi
    sleep 0.5
  done
}

# -- model, configuration ------------------------------------------------------------------------
model="$(scripts/train.sh | tail -n 1)"
mkdir -p "$log_dir" .rasa
run_dir="$(mktemp -d .rasa/run.XXXXXX)"

# endpoints.yml with the action server at our port
"$PY" - endpoints.yml "$run_dir/endpoints.yml" "http://$HOST:$ACTION_PORT/webhook" <<'EOF'
import sys
from pathlib import Path

sys.path.insert(0, "scripts")
from rasa_servers import write_endpoints  # noqa: E402

write_endpoints(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
EOF

# the channels: scripts/credentials.py writes the effective file (Slack only when its secrets
# are set); without it, credentials.yml as it is
credentials=credentials.yml
if [ -f scripts/credentials.py ]; then
  credentials="$run_dir/credentials.yml"
  "$PY" scripts/credentials.py "$credentials"
fi

# -- start ---------------------------------------------------------------------------------------
say "starting the action server on $HOST:$ACTION_PORT (log: $log_dir/actions.log)"
start "action server" "$log_dir/actions.log" \
  "$PY" scripts/action_server.py --actions actions --port "$ACTION_PORT" --host "$HOST"
wait_for 0 "http://$HOST:$ACTION_PORT/health" "healthy" 120

if [ "$mode" = shell ]; then
  say "opening rasa shell with $model (loading it takes a moment; log: $log_dir/shell.log)"
  # In the foreground, on this terminal; its own server listens on $HOST:$RASA_PORT. The
  # conversation is on stdout; stderr (Rasa's logs and the deprecation warnings of its
  # dependencies, which would bury the conversation) goes to the log.
  # It runs as a child this script waits for, reading this terminal (<&0: without job control
  # a background command would read /dev/null): bash runs a trap only between commands, so with
  # rasa shell in the foreground SIGTERM or a closed terminal (SIGHUP) would wait for it, and
  # the servers would keep the ports.
  status=0
  "$BIN/rasa" shell --model "$model" --endpoints "$run_dir/endpoints.yml" \
    --interface "$HOST" --port "$RASA_PORT" --quiet 2>>"$log_dir/shell.log" <&0 &
  shell_pid=$!
  wait "$shell_pid" || status=$?
  shell_pid=""
  if [ "$status" != 0 ] && [ "$status" != 130 ]; then
    say "rasa shell stopped with exit code $status; last lines of $log_dir/shell.log:"
    tail -n 30 "$log_dir/shell.log" >&2
  fi
  exit "$status"
fi

# the HTTP API only with RASA_ENABLE_API=1 and a real RASA_API_TOKEN / RASA_JWT_SECRET
"$PY" scripts/rasa_api.py check || exit 2
say "starting the Rasa server on $HOST:$RASA_PORT with $model (log: $log_dir/rasa.log)"
start "Rasa server" "$log_dir/rasa.log" \
  "$PY" scripts/rasa_api.py run --model "$model" --interface "$HOST" --port "$RASA_PORT" \
  --endpoints "$run_dir/endpoints.yml" --credentials "$credentials"
# the channels' webhooks answer only once the model is loaded
wait_for 1 "http://$HOST:$RASA_PORT/webhooks/rest/" "serving the model" 300

if [ "$mode" = web ]; then
  if [ -f scripts/serve_web.py ]; then
    say "starting the web page on $HOST:$WEB_PORT (log: $log_dir/web.log)"
    start "web page" "$log_dir/web.log" "$PY" scripts/serve_web.py --host "$HOST" \
      --port "$WEB_PORT" --rasa-url "http://$HOST:$RASA_PORT"
    wait_for 2 "http://$HOST:$WEB_PORT/" "serving the page" 60
    say "ready. Open http://$HOST:$WEB_PORT/ in your browser (Ctrl-C stops everything)"
  else
    say "note: the web page (scripts/serve_web.py) is not in this checkout yet; the assistant" \
        "answers over REST at http://$HOST:$RASA_PORT/webhooks/rest/webhook"
    say "ready. Try: curl -s -XPOST http://$HOST:$RASA_PORT/webhooks/rest/webhook" \
        "-d '{\"sender\": \"me\", \"message\": \"hi\"}'   (Ctrl-C stops everything)"
  fi
else
  say "ready. The assistant answers on http://$HOST:$RASA_PORT (REST: /webhooks/rest/webhook;" \
      "Ctrl-C stops everything)"
fi

# until Ctrl-C / SIGTERM, or until a server dies on its own
while :; do
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[i]}" 2>/dev/null; then
      say "the ${names[i]} stopped on its own; last lines of ${logs[i]}:"
      tail -n 30 "${logs[i]}" >&2
      exit 1
    fi
  done
  sleep 1 &
  wait $! || true
done
