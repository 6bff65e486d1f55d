"""`make run` / `make api` (scripts/run.sh): starts every server on 127.0.0.1, answers, and
stops them all - every process of its tree - on SIGTERM or Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Set

import pytest

from .conftest import ROOT, listening_sockets, port_open, rs, run_env, survivors, wait_until

RUN = ["bash", str(ROOT / "scripts" / "run.sh")]


def test_a_busy_port_stops_it_before_anything_starts(tmp_path: Path) -> None:
    rasa_port, action_port, web_port = rs.free_ports(3)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", action_port))
        taken.listen()
        result = subprocess.run(RUN + ["web"], cwd=ROOT, capture_output=True, text=True,
                                timeout=60,
                                env=run_env({"RASA_PORT": rasa_port, "ACTION_PORT": action_port,
                                             "WEB_PORT": web_port}, tmp_path))
    assert result.returncode == 1
    assert f"port {action_port} (ACTION_PORT) is already in use" in result.stderr
    assert "ACTION_PORT=... make run" in result.stderr
    assert not (tmp_path / "actions.log").exists(), "nothing may start when a port is taken"


def test_an_unknown_mode_is_refused() -> None:
    result = subprocess.run(RUN + ["serve"], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "usage" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("mode, stop, code", [
    ("web", "SIGTERM", 143),      # make run, stopped by a service manager or `kill`
    ("api", "Ctrl-C", 130),       # make api, SIGINT to its process group as a terminal sends it
])
def test_run_serves_on_loopback_only_and_stops_every_process(
        tmp_path: Path, reaper: Set[int], mode: str, stop: str, code: int) -> None:
    rasa_port, action_port, web_port = rs.free_ports(3)
    out_path = tmp_path / "run.out"
    with open(out_path, "wb") as out:
        # its own session, so that the test's terminal signals do not reach it
        proc = subprocess.Popen(RUN + [mode], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True,
                                env=run_env({"RASA_PORT": rasa_port, "ACTION_PORT": action_port,
                                             "WEB_PORT": web_port}, tmp_path))
    reaper.add(proc.pid)
    output = lambda: out_path.read_text("utf-8", "replace")  # noqa: E731
    try:
        ready = wait_until(lambda: "run: ready." in output() or proc.poll() is not None,
                           timeout=900, step=0.5)
        assert ready and proc.poll() is None, f"run.sh did not get ready:\n{output()[-5000:]}"
        tree = set(rs.process_tree(proc.pid))
        reaper.update(tree)

        # it answers: the Rasa server with the action server behind it
        with rs.RestClient(rasa_port) as client:
            reply = client.send("run-test", "what can you do?")
        assert reply.texts, reply.raw
        status, body = rs.http_get(f"http://127.0.0.1:{action_port}/health")
        assert status == 200 and '"ok"' in body
        web = mode == "web" and (ROOT / "scripts" / "serve_web.py").exists()
        if web:
            assert f"Open http://127.0.0.1:{web_port}/" in output()
            assert rs.http_get(f"http://127.0.0.1:{web_port}/")[0] == 200
        elif mode == "web":
            assert "scripts/serve_web.py) is not in this checkout yet" in output()

        # every listening socket of the whole tree is on the loopback interface
        tree = set(rs.process_tree(proc.pid))
        reaper.update(tree)
        sockets = listening_sockets(tree)
        ports = {port for _, _, port in sockets}
        assert {rasa_port, action_port} <= ports, sockets
        if web:
            assert web_port in ports, sockets
        assert [s for s in sockets if s[1] != "127.0.0.1"] == [], \
            f"listening beyond 127.0.0.1: {sockets}"
        # Rasa's HTTP API is off: only the channels answer
        assert rs.http_get(f"http://127.0.0.1:{rasa_port}/status")[0] == 404

        started = time.monotonic()
        if stop == "SIGTERM":
            os.kill(proc.pid, signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)
        exit_code = proc.wait(timeout=60)
        stopped_in = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
    assert exit_code == code, output()[-3000:]
    assert wait_until(lambda: not survivors(tree), timeout=5), \
        f"still running after {stop}: {survivors(tree)}"
    assert not port_open(rasa_port) and not port_open(action_port) and not port_open(web_port)
    assert f"stopping ({stop})" in output()
    print(f"\nrun.sh {mode}: {len(tree)} processes, stopped {stopped_in:.1f} s after {stop}")
