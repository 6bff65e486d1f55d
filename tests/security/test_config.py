"""Closed defaults that need no server: telemetry off at every entry point, set in one place
(scripts/env.sh), and the Rasa HTTP API only with a real secret (scripts/rasa_api.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import rasa_api  # noqa: E402
import rasa_servers  # noqa: E402

ENV_FILE = ROOT / "scripts" / "env.sh"
GOOD_TOKEN = "kV3q9ZtN2xR7wLp4sYb8"


def outer_env(**extra: str) -> dict:
    """The caller's environment with telemetry switched ON, to show that we switch it off."""
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="true", **extra)
    env.pop("MAKEFLAGS", None)
    env.pop("MAKELEVEL", None)
    return env


# -- telemetry ----------------------------------------------------------------------------------

def test_the_env_file_switches_telemetry_off_in_a_syntax_make_and_bash_share():
    lines = [ln for ln in ENV_FILE.read_text("utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert lines and all(re.fullmatch(r"export [A-Z_][A-Z0-9_]*=[^\s'\"$`]*", ln) for ln in lines)
    assert "export RASA_TELEMETRY_ENABLED=false" in lines
    assert rasa_servers.project_env()["RASA_TELEMETRY_ENABLED"] == "false"


def test_every_make_target_runs_with_telemetry_off():
    out = subprocess.run(
        ["make", "-s", "--no-print-directory",
         "--eval=_telemetry_probe: ; @echo \"telemetry=$$RASA_TELEMETRY_ENABLED\"",
         "_telemetry_probe"], cwd=ROOT, env=outer_env(), capture_output=True, text=True,
        timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "telemetry=false"


def test_sourcing_the_env_file_in_bash_switches_it_off():
    out = subprocess.run(["bash", "-c", ". scripts/env.sh && echo $RASA_TELEMETRY_ENABLED"],
                         cwd=ROOT, env=outer_env(), capture_output=True, text=True, timeout=30)
    assert out.stdout.strip() == "false"


def test_train_sh_calls_rasa_with_telemetry_off(tmp_path):
    fake = tmp_path / "rasa"
    fake.write_text('#!/usr/bin/env bash\necho "telemetry=$RASA_TELEMETRY_ENABLED" >&2\n'
                    'exit 3\n', encoding="utf-8")
    fake.chmod(0o755)
    out = subprocess.run(["bash", "scripts/train.sh", "--force"], cwd=ROOT,
                         env=outer_env(RASA=str(fake)), capture_output=True, text=True,
                         timeout=60)
    assert "telemetry=false" in out.stderr, out.stderr


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "scripts").glob("*.sh")
                                          if re.search(r"\brasa\b|\$BIN/|\bRASA\b",
                                                       p.read_text("utf-8"))))
def test_every_script_that_starts_rasa_sources_the_env_file_first(script):
    lines = (ROOT / "scripts" / script).read_text("utf-8").splitlines()
    sourced = [i for i, ln in enumerate(lines)
               if re.search(r"(^\s*|&&\s*)(\.|source)\s+\"?scripts/env\.sh", ln)]
    starts = [i for i, ln in enumerate(lines)
              if re.search(r"(\"\$BIN/(rasa|python)\"|\"\$RASA\"|\.venv/bin/)", ln)
              and not ln.lstrip().startswith(("#", "RASA="))]
    assert sourced, f"scripts/{script} does not source scripts/env.sh"
    assert not starts or sourced[0] < starts[0]


def test_the_python_harness_switches_it_off_whatever_the_caller_has(monkeypatch):
    monkeypatch.setenv("RASA_TELEMETRY_ENABLED", "true")
    assert rasa_servers.subprocess_env()["RASA_TELEMETRY_ENABLED"] == "false"


def test_telemetry_is_set_in_one_place_only():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    setters = []
    for name in files:
        path = ROOT / name
        if name.endswith(".md") or name == "tests/security/test_config.py" \
                or not path.is_file():
            continue
        text = path.read_text("utf-8", errors="replace")
        if re.search(r"RASA_TELEMETRY_ENABLED[\"']?\s*[=:]", text):
            setters.append(name)
    assert setters == ["scripts/env.sh"]


# -- the HTTP API -------------------------------------------------------------------------------

def test_the_api_is_off_unless_enabled():
    assert rasa_api.rasa_api_args({}) == []
    assert rasa_api.rasa_api_args({"RASA_ENABLE_API": "0", "RASA_API_TOKEN": GOOD_TOKEN}) == []


def test_an_enabled_api_takes_its_token_or_jwt_secret_from_the_environment():
    assert rasa_api.rasa_api_args({"RASA_ENABLE_API": "1", "RASA_API_TOKEN": GOOD_TOKEN}) == [
        "--enable-api", "--auth-token", GOOD_TOKEN]
    assert rasa_api.rasa_api_args({"RASA_ENABLE_API": "true", "RASA_JWT_SECRET": GOOD_TOKEN}) \
        == ["--enable-api", "--jwt-secret", GOOD_TOKEN, "--jwt-method", "HS256"]


@pytest.mark.parametrize("env,why", [
    ({"RASA_ENABLE_API": "1"}, "neither RASA_API_TOKEN nor RASA_JWT_SECRET"),
    ({"RASA_ENABLE_API": "1", "RASA_API_TOKEN": ""}, "neither"),
    ({"RASA_ENABLE_API": "1", "RASA_API_TOKEN": "changeme"}, "shorter than 16"),
    ({"RASA_ENABLE_API": "1", "RASA_API_TOKEN": "changeme-changeme-changeme"}, "placeholder"),
    ({"RASA_ENABLE_API": "1", "RASA_API_TOKEN": "<your-api-token-goes-here>"}, "placeholder"),
    ({"RASA_ENABLE_API": "1", "RASA_JWT_SECRET": "aaaaaaaaaaaaaaaaaaaaaaaa"}, "placeholder"),
    ({"RASA_ENABLE_API": "1", "RASA_API_TOKEN": GOOD_TOKEN,
      "RASA_JWT_SECRET": "your_jwt_secret_here"}, "placeholder"),
    ({"RASA_ENABLE_API": "1", "RASA_API_TOKEN": GOOD_TOKEN + " "}, "whitespace"),
    ({"RASA_ENABLE_API": "maybe"}, "use 1 to enable"),
])
def test_an_enabled_api_refuses_a_missing_or_placeholder_secret(env, why):
    with pytest.raises(rasa_api.ApiConfigError, match=why):
        rasa_api.rasa_api_args(env)


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("RASA_API", "RASA_JWT",
                                                                      "RASA_ENABLE"))}
    return subprocess.run([sys.executable, "scripts/rasa_api.py", *args], cwd=ROOT,
                          env={**clean, **env}, capture_output=True, text=True, timeout=60)


def test_the_command_line_refuses_with_exit_code_2_and_says_why():
    out = run_cli("args", RASA_ENABLE_API="1", RASA_API_TOKEN="changeme")
    assert out.returncode == 2 and out.stdout == "" and "RASA_API_TOKEN" in out.stderr
    out = run_cli("run", "--port", "1", RASA_ENABLE_API="1")
    assert out.returncode == 2 and "neither" in out.stderr


def test_the_command_line_prints_nothing_when_the_api_is_off_and_args_when_on():
    assert run_cli("args").stdout == ""
    assert run_cli("check").returncode == 0
    out = run_cli("args", RASA_ENABLE_API="1", RASA_API_TOKEN=GOOD_TOKEN)
    assert out.stdout.splitlines() == ["--enable-api", "--auth-token", GOOD_TOKEN]
