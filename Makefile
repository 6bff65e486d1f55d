# Interview Advisor - every task the project knows, self-documented: run `make help`.
# The first target that needs Python runs scripts/setup.sh, which finds a Python 3.10,
# creates .venv and installs the pinned dependencies (once).

SHELL := /bin/bash
include scripts/env.sh  # the project's environment, in one place (telemetry off)
VENV ?= .venv
BIN := $(VENV)/bin
export PYTHONDONTWRITEBYTECODE := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.DEFAULT_GOAL := help

.PHONY: help
help: ## Show this list of targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: setup
setup: ## Find Python 3.10, create .venv and install the project (idempotent)
	@scripts/setup.sh

.PHONY: run
run: setup ## Run the assistant with its web page on 127.0.0.1 (trains when needed; Ctrl-C stops all)
	@scripts/run.sh web

.PHONY: shell
shell: setup ## Chat with the assistant in this terminal (action server + rasa shell, on 127.0.0.1)
	@scripts/run.sh shell

.PHONY: api
api: setup ## Serve the assistant's channels on 127.0.0.1, port RASA_PORT (5005), with its action server
	@scripts/run.sh api

.PHONY: train
train: setup ## Train the Rasa model (skipped when models/ is up to date)
	@scripts/train.sh

.PHONY: actions
actions: setup ## Start only the action server on 127.0.0.1, port ACTION_PORT (5055)
	$(BIN)/python scripts/action_server.py --actions actions --port $${ACTION_PORT:-5055}

.PHONY: validate
validate: setup ## rasa data validate --fail-on-warnings
	$(BIN)/rasa data validate --fail-on-warnings

.PHONY: test
test: setup ## Every test (what CI runs): lint, types, rule base checks and examples, pytest incl. the trained bot
	$(BIN)/ruff check interview_advisor actions nlu_components channels stores tests scripts bench eval
	$(BIN)/mypy
	$(BIN)/interview-advisor rules check
	$(BIN)/interview-advisor rules test
	$(BIN)/pytest

.PHONY: test-bot
test-bot: setup ## Only the slow tests: trains the bot if needed, rasa data validate, test stories, conversations over REST
	$(BIN)/pytest -m slow

.PHONY: test-fast
test-fast: setup ## pytest without lint and without the slow tests (no model, seconds)
	$(BIN)/pytest -m "not slow"

.PHONY: lint
lint: setup ## ruff and mypy
	$(BIN)/ruff check interview_advisor actions nlu_components channels stores tests scripts bench eval
	$(BIN)/mypy

.PHONY: rules-check
rules-check: setup ## Validate the rule base; report every problem with file, line and id
	$(BIN)/interview-advisor rules check

.PHONY: rules-test
rules-test: setup ## Run every signal's and advice rule's own examples
	$(BIN)/interview-advisor rules test

.PHONY: rules-docs
rules-docs: setup ## Write the rule base catalogue to docs/rulebase.md
	$(BIN)/interview-advisor rules docs -o docs/rulebase.md

.PHONY: eval-signals
eval-signals: setup ## Precision/recall/F1 of red-flag detection: labelled set, out-of-fold, held-out
	$(BIN)/interview-advisor eval-signals --cross-validate eval/signals/labelled.yml eval/signals/heldout.yml

.PHONY: eval-signal-set
eval-signal-set: setup ## Score one signal set with its misses, e.g. make eval-signal-set SET=eval/signals/tuning34.yml (never the held-out set)
	@case "$(SET)" in ""|*heldout*) echo "SET=eval/signals/NAME.yml (a tuning set; held-out misses are never shown)"; exit 2;; esac
	$(BIN)/interview-advisor eval-signals --show-errors $(SET)

.PHONY: train-backstop
train-backstop: setup ## Retrain the statistical backstop (rules/backstop.json) from eval/signals tuning sets
	$(BIN)/python scripts/train_backstop.py

.PHONY: train-reader
train-reader: setup ## Retrain the fact and question reader (rules/reader.json) from the rule base's examples and eval/dialogue/tuning/
	$(BIN)/python scripts/train_reader.py $(ARGS)

.PHONY: bench-core
bench-core: setup ## Time rule base loading and detection+evaluation of a 150-word message
	$(BIN)/python bench/bench_core.py

.PHONY: eval-nlu
eval-nlu: setup ## Intent precision/recall/F1 on eval/nlu/heldout.yml (never trained on) and cross-validation
	$(BIN)/python eval/nlu/run_eval.py

.PHONY: eval-dialogue
eval-dialogue: setup ## Multi-turn evaluation over REST: expectations met per category (tuning, held-out), misses, fallback rate
	$(BIN)/python eval/dialogue/run_eval.py $(ARGS)

.PHONY: bench-dialogue
bench-dialogue: setup ## Dialogue core on one very long conversation: per message, and comparison / summary of 100+ opportunities
	$(BIN)/python bench/bench_dialogue.py

.PHONY: bench
bench: setup ## Our bot against rasa init's sample bot over REST: latency, throughput, memory, start-up, training
	$(BIN)/python bench/bench_bot.py

.PHONY: feedback-report
feedback-report: setup ## Per advice rule: how often it was shown and rated helpful or not (FEEDBACK_DB)
	$(BIN)/interview-advisor feedback-report

.PHONY: demo
demo: setup ## Replay a sample conversation against the real servers (DEMO=opportunities: two offers and the current job compared)
	$(BIN)/python scripts/sample_conversation.py --demo $${DEMO:-sample} $(ARGS)

.PHONY: analyze
analyze: setup ## Analyse a message: make analyze TEXT="the recruiter couldn't say what the job is"
	$(BIN)/interview-advisor analyze "$(TEXT)"

.PHONY: prune
prune: setup ## Delete conversations idle for more than RETENTION_DAYS (default 90) from the tracker store
	$(BIN)/python -m stores.retention prune

.PHONY: bench-widget
bench-widget: setup ## Web widget in headless Chromium: page weight, time to a usable input, time to rendered advice
	$(BIN)/python bench/bench_widget.py

.PHONY: bench-slack
bench-slack: setup ## Slack channel: signed event -> chat.postMessage at a fake Slack API (median, p95 over 120 events)
	$(BIN)/python bench/bench_slack.py

# -- the reference deployment and the load test (docs/deploy.md) ------------------------------
# Locust lives in its own virtualenv: it pulls in gevent (which monkey-patches the process),
# Flask and pyzmq, and registers a pytest plugin (pytest_locust) that every pytest run of .venv
# would load - none of which Rasa's pinned environment should carry.
LOAD_VENV ?= .venv-load
LOADTEST_REQUIREMENTS := deploy/loadtest-requirements.txt

$(LOAD_VENV)/.installed: $(LOADTEST_REQUIREMENTS)
	@python="$$(scripts/find-python.sh)" && \
	  if ! "$$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then \
	    echo "loadtest: Locust needs Python 3.10 or newer, $$python is older (set PYTHON=...)" >&2; exit 2; fi && \
	  echo "loadtest: creating $(LOAD_VENV) with Locust ($(LOADTEST_REQUIREMENTS))" && \
	  "$$python" -m venv $(LOAD_VENV) && \
	  $(LOAD_VENV)/bin/python -m pip install --quiet -r $(LOADTEST_REQUIREMENTS) && \
	  touch $@

.PHONY: scaleout
scaleout: setup ## Reference deployment on 127.0.0.1: nginx (SCALEOUT_PORT, 8088) + 2 Rasa + 2 action servers, PostgreSQL + Redis (Ctrl-C stops all)
	$(BIN)/python scripts/scaleout.py $(ARGS)

.PHONY: loadtest
loadtest: setup $(LOAD_VENV)/.installed ## Locust: LOADTEST_USERS (50) users for LOADTEST_SECONDS (60) against the running bot (LOADTEST_TARGET=scaleout: through nginx; LOADTEST_KILL=rasa1: fault mode); report in results/loadtest/
	$(BIN)/python scripts/loadtest.py $(ARGS)
