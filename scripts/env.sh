# The environment of everything the project starts - the one place it is set.
# Read by the Makefile (`include scripts/env.sh`), by the shell scripts (`. scripts/env.sh`)
# and by the Python harness (scripts/rasa_servers.py: project_env()), so every `make` target,
# script, test and benchmark runs with it. Only lines `export NAME=value` (no spaces, no
# quotes, no expansions): that syntax means the same to make and to bash.
# tests/test_security_config.py checks that every entry point gets these values.

# Rasa's usage telemetry (it would send events to Rasa's servers): off.
export RASA_TELEMETRY_ENABLED=false
