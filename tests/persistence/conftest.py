"""Fixtures for the conversation store and fault tests: a real Rasa server and action server
with their own SQLite tracker database and their own copy of the rule base."""

from __future__ import annotations

import os
import shutil
import sys
import time
import warnings
from pathlib import Path
from typing import Any, Iterator

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

import rasa_servers as rs  # noqa: E402


class Faults:
    """A running stack and the files it uses, for tests that break and restore them."""

    def __init__(self, stack: rs.RasaStack, db: Path, rules: Path) -> None:
        self.stack = stack
        self.db = db
        self.rules = rules

    @property
    def rasa_log(self) -> Path:
        assert self.stack.rasa_server is not None
        return self.stack.rasa_server.log_path

    @property
    def actions_log(self) -> Path:
        assert self.stack.action_server is not None
        return self.stack.action_server.log_path

    def start_actions(self) -> None:
        """(Re)start the action server and wait until it has loaded the rule base: on a busy
        machine that takes longer than the action timeout, and a first request would be told
        to try again (which is right for a person, but not what these tests check)."""
        log = self.stack.log_dir / f"{self.stack.name}-actions.log"
        mark = log.stat().st_size if log.exists() else 0
        if self.stack.action_server is not None and self.stack.action_server.alive():
            self.stack.restart("actions")
        else:
            self.stack.start_actions()
        self.wait_until_loaded(mark)

    def wait_until_loaded(self, mark: int = 0) -> None:
        log = self.stack.log_dir / f"{self.stack.name}-actions.log"
        deadline = time.monotonic() + self.stack.startup_timeout
        while b"rule base loaded" not in log.read_bytes()[mark:]:
            assert time.monotonic() < deadline, "the action server did not load the rule base"
            time.sleep(0.2)


@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Faults]:
    base = tmp_path_factory.mktemp("store")
    log_dir = Path(os.environ.get("E2E_LOG_DIR") or base / "logs")
    db = base / "db" / "conversations.db"
    rules = base / "rules"
    shutil.copytree(ROOT / "rules", rules)
    override = os.environ.get("E2E_MODEL")
    model = rs.ModelInfo(Path(override), False, None) if override else \
        rs.ensure_model(ROOT, log_path=log_dir / "train.log")
    env = {"TRACKER_DB": str(db), "INTERVIEW_ADVISOR_RULES": str(rules),
           "INTERVIEW_ADVISOR_RELOAD_SECONDS": "1"}
    with rs.RasaStack(ROOT, model=model.path, log_dir=log_dir, name="store",
                      extra_env=env) as stack:
        faults = Faults(stack, db, rules)
        faults.wait_until_loaded()   # the rule base loaded before the first message
        yield faults


@pytest.fixture(scope="session")
def domain() -> Any:
    """The project's Rasa domain (for tracker stores built in the test process)."""
    from rasa.shared.core.domain import Domain

    with warnings.catch_warnings():   # Rasa's notes on slot mappings, about our domain
        warnings.simplefilter("ignore")
        return Domain.load(str(ROOT / "domain.yml"))
