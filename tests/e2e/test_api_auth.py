"""The Rasa HTTP API, enabled the only way the project allows: through scripts/rasa_api.py with
a token from the environment (a real Rasa server on a free loopback port)."""

from __future__ import annotations

import http.client
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, rs

pytestmark = pytest.mark.slow


def status(port: int, path: str) -> int:
    """GET ``path`` (with its query string) from the server on ``port``."""
    conn = http.client.HTTPConnection(rs.LOOPBACK, port, timeout=30)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def test_an_enabled_api_answers_only_with_the_token(tmp_path: Path) -> None:
    model = rs.ensure_model(ROOT, log_path=tmp_path / "train.log")
    token = secrets.token_urlsafe(24)
    port = rs.free_port()
    server = rs.ServerProcess(
        "rasa api", [sys.executable, "scripts/rasa_api.py", "run", "--model", str(model.path),
                     "--port", str(port), "--interface", rs.LOOPBACK],
        ROOT, tmp_path / "rasa-api.log", {"RASA_ENABLE_API": "1", "RASA_API_TOKEN": token})
    try:
        server.start()
        base = f"http://{rs.LOOPBACK}:{port}"
        rs._wait_until(server, lambda: rs.http_get(base + "/")[0] == 200, 240, "up")
        for path in ("/status", "/conversations/someone/tracker", "/domain"):
            assert status(port, path) == 401, path
            assert status(port, f"{path}?token=wrong-{token}") == 401, path
        assert status(port, f"/status?token={token}") == 200
        assert status(port, f"/conversations/someone/tracker?token={token}") == 200
        with open(f"/proc/{server.pid}/cmdline", "rb") as fh:
            assert token.encode() not in fh.read(), "the token is visible in ps"
    finally:
        server.stop()


def test_an_enabled_api_without_a_real_secret_does_not_start(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "scripts/rasa_api.py", "run", "--port",
                          str(rs.free_port()), "--interface", rs.LOOPBACK],
                         cwd=ROOT, env=rs.subprocess_env({"RASA_ENABLE_API": "1",
                                                          "RASA_API_TOKEN": "changeme"}),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "RASA_API_TOKEN" in out.stderr
