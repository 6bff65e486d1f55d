"""Fixtures for the Slack tests: the fake Slack Web API (fast tests) and, for the slow tests,
the real Rasa server with the project's Slack channel and the real action server, pointed at
the fake Slack (``SLACK_API_URL``), started once per module and stopped on any exit.

The core is imported first with third-party DeprecationWarnings silenced (see
tests/core/conftest.py for why).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator

import pytest  # noqa: E402

from .fake_slack import SECRET, TOKEN, FakeSlack  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

import rasa_servers as rs  # noqa: E402

__all__ = ["ROOT", "rs", "slack_env", "write_credentials"]


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def slack_env(fake: FakeSlack, db: Path) -> Dict[str, str]:
    return {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url, "SLACK_EVENTS_DB": str(db),
            "FEEDBACK_DB": str(db.parent / "feedback.sqlite3"),
            "INTERVIEW_ADVISOR_RELOAD_SECONDS": "0"}


def write_credentials(out: Path, env: Dict[str, str]) -> Path:
    """The effective credentials file, written by scripts/credentials.py as `make run` does."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "credentials.py"), str(out)],
                            env={**os.environ, **env}, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    return out
