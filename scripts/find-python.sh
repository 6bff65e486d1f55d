#!/usr/bin/env bash
# Print the path of a Python 3.10 (or 3.9) interpreter that Rasa 3.6 can run on.
# Order: $PYTHON (override), python3.10 / python3.9 on PATH, pyenv versions, common locations.
# Exits 1 with instructions when none is found.
set -u

ok() {  # ok INTERPRETER -> 0 when it is CPython 3.9 or 3.10 and can make venvs
  "$1" - <<'PY' >/dev/null 2>&1
import sys, venv, ensurepip  # noqa: F401
sys.exit(0 if sys.version_info[:2] in ((3, 10), (3, 9)) else 1)
PY
}

if [ -n "${PYTHON:-}" ]; then
  if ok "$PYTHON"; then command -v "$PYTHON" || echo "$PYTHON"; exit 0; fi
  echo "error: PYTHON=$PYTHON is not a usable Python 3.9 or 3.10 (Rasa 3.6 needs 3.8-3.10)." >&2
  exit 1
fi

for name in python3.10 python3.9; do
  if command -v "$name" >/dev/null 2>&1 && ok "$(command -v "$name")"; then
    command -v "$name"; exit 0
  fi
done

if command -v pyenv >/dev/null 2>&1; then
  for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(10|9)(\.[0-9]+)?$' | sort -t. -k2,2nr -k3,3nr); do
    candidate="$(pyenv prefix "$version" 2>/dev/null)/bin/python"
    if [ -x "$candidate" ] && ok "$candidate"; then echo "$candidate"; exit 0; fi
  done
fi

for candidate in /usr/bin/python3.10 /usr/local/bin/python3.10 /opt/python3.10/bin/python3 \
                 "$HOME"/.pyenv/versions/3.10*/bin/python /usr/bin/python3.9; do
  if [ -x "$candidate" ] && ok "$candidate"; then echo "$candidate"; exit 0; fi
done

cat >&2 <<'MSG'
error: no Python 3.10 (or 3.9) found. Rasa 3.6 runs on Python 3.8-3.10 only.
Install one, then run the command again:
  - Debian/Ubuntu:  sudo apt-get install python3.10 python3.10-venv   (or the deadsnakes PPA)
  - pyenv:          pyenv install 3.10.13
  - macOS:          brew install python@3.10
Or point PYTHON at an interpreter you already have:  make PYTHON=/path/to/python3.10 test
MSG
exit 1
