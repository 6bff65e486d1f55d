"""The trained bot: `rasa data validate` and `rasa test core` on the test stories (slow).

The model is trained into ``models/bot-<fingerprint>.tar.gz`` - the one fingerprint of
scripts/rasa_servers.py (config.yml, domain.yml, data/, nlu_components/), as scripts/train.sh
names it - and reused when it already exists, so only the first run after a change pays for
training.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import rasa_servers as rs  # noqa: E402

RASA = Path(sys.executable).with_name("rasa")
sys.path.insert(0, str(ROOT / "scripts"))
import rasa_servers  # noqa: E402  (the project's environment: scripts/env.sh)

ENV = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", SQLALCHEMY_SILENCE_UBER_WARNING="1",
           PYTHONDONTWRITEBYTECODE="1", **rasa_servers.project_env())

#: responses that only custom or default actions send (Rasa's validator cannot see that and
#: warns that they are "not used in any story or rule"; that warning does not fail validation)
RESPONSES_USED_BY_ACTIONS = {"utter_intro", "utter_greet_again", "utter_ask_rephrase",
                             "utter_default", "utter_restart", "utter_youre_welcome",
                             "utter_goodbye", "utter_iamabot", "utter_help", "utter_out_of_scope"}

pytestmark = pytest.mark.slow


def rasa(*args: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run([str(RASA), *args], cwd=ROOT, env=ENV, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def model() -> Path:
    name = rs.fingerprint_model_name(ROOT)
    path = ROOT / "models" / f"{name}.tar.gz"
    if not path.exists():
        started = time.monotonic()
        result = rasa("train", "--config", "config.yml", "--domain", "domain.yml", "--data",
                      "data", "--out", "models", "--fixed-model-name", name, timeout=1800)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        print(f"\ntrained {path.name} in {time.monotonic() - started:.0f}s")
    assert path.exists()
    return path


def test_training_data_is_valid():
    result = rasa("data", "validate", "--fail-on-warnings", timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    warnings = re.findall(r"UserWarning: (.*)", output)
    unexpected = [w for w in warnings
                  if not any(f"'{name}' is not used in any story or rule" in w
                             for name in RESPONSES_USED_BY_ACTIONS)]
    assert unexpected == []


def test_dialogue_follows_every_test_story(model, tmp_path):
    out = tmp_path / "results"
    result = rasa("test", "core", "--model", str(model), "--stories", "tests/stories",
                  "--fail-on-prediction-errors", "--out", str(out), timeout=1200)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    failed = (out / "failed_test_stories.yml").read_text("utf-8")
    assert "None of the test stories failed" in failed, failed[:4000]
