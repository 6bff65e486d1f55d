"""The server harness itself (scripts/rasa_servers.py), without Rasa: seconds, not minutes."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Callable

import pytest
import yaml

from .conftest import rs

SLEEPER = [sys.executable, "-c",
           "import subprocess, sys, time\n"
           "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
           "print('CHILD=%d' % child.pid, flush=True)\n"
           "time.sleep(600)\n"]
STUBBORN = [sys.executable, "-c",
            "import signal, time\n"
            "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            "print('RE' + 'ADY', flush=True)\n"
            "time.sleep(600)\n"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers kill(0); it is dead for our purposes
    with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
        return fh.read().rsplit(")", 1)[-1].split()[0] != "Z"


def _wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_free_ports_are_distinct_and_bindable() -> None:
    ports = rs.free_ports(3)
    assert len(set(ports)) == 3
    assert all(1024 < p < 65536 for p in ports)


def test_stop_kills_the_whole_process_group_and_measures_memory(tmp_path: Path) -> None:
    server = rs.ServerProcess("sleeper", SLEEPER, tmp_path, tmp_path / "sleeper.log").start()
    try:
        assert _wait_for(lambda: "CHILD=" in server.log_tail().replace("'CHILD=", ""))
        child = int(server.log_tail().rsplit("CHILD=", 1)[-1].split()[0])
        assert child in rs.process_tree(server.pid)
        assert server.rss_bytes() > rs.rss_bytes(server.pid, include_children=False) > 0
    finally:
        code = server.stop(timeout=5)
    assert code is not None
    assert not server.alive()
    assert _wait_for(lambda: not _alive(child)), "the grandchild outlived stop()"


def test_stop_escalates_to_sigkill(tmp_path: Path) -> None:
    server = rs.ServerProcess("stubborn", STUBBORN, tmp_path, tmp_path / "stubborn.log").start()
    assert _wait_for(lambda: "READY" in server.log_tail())
    t0 = time.monotonic()
    server.stop(timeout=1)
    assert not server.alive()
    assert time.monotonic() - t0 < 8


def test_a_server_that_dies_at_start_up_fails_fast_with_its_log(tmp_path: Path) -> None:
    server = rs.ServerProcess("crasher", [sys.executable, "-c", "raise SystemExit('boom: bad')"],
                              tmp_path, tmp_path / "crasher.log").start()
    with pytest.raises(rs.ServerError, match="boom: bad"):
        rs._wait_until(server, lambda: False, timeout=30, what="healthy")
    server.stop(1)


def test_stack_stops_the_action_server_when_rasa_fails_to_start(tmp_path: Path) -> None:
    """A Rasa server that cannot start must not leave the action server behind."""
    project = tmp_path / "bot"
    (project / "stub_actions").mkdir(parents=True)
    (project / "stub_actions" / "__init__.py").write_text("")
    stack = rs.RasaStack(project, actions="stub_actions", log_dir=tmp_path / "logs",
                         startup_timeout=120, name="broken", rasa_args=["--no-such-option"])
    with pytest.raises(rs.ServerError), stack:
        pass
    assert stack.action_server is not None and stack.action_server.proc is not None
    assert not stack.action_server.alive()
    assert stack.rasa_server is None or not stack.rasa_server.alive()


def test_endpoints_are_rewritten_to_the_action_port(tmp_path: Path) -> None:
    src = tmp_path / "endpoints.yml"
    src.write_text("action_endpoint:\n  url: http://localhost:5055/webhook\n"
                   "tracker_store:\n  type: InMemoryTrackerStore\n")
    out = rs.write_endpoints(src, tmp_path / "tmp.yml", "http://127.0.0.1:41234/webhook")
    data = yaml.safe_load(out.read_text())
    assert data["action_endpoint"]["url"] == "http://127.0.0.1:41234/webhook"
    assert data["tracker_store"] == {"type": "InMemoryTrackerStore"}
    none = yaml.safe_load(rs.write_endpoints(src, tmp_path / "none.yml", None).read_text())
    assert "action_endpoint" not in none
    assert rs.write_endpoints(None, tmp_path / "empty.yml", None).read_text() == "{}\n"


def test_model_is_reused_only_when_newer_than_every_training_input(tmp_path: Path) -> None:
    (tmp_path / "data" / "nlu").mkdir(parents=True)
    (tmp_path / "models").mkdir()
    for name in ("data/nlu/a.yml", "domain.yml", "config.yml"):
        (tmp_path / name).write_text("x")
    old, new = time.time() - 100, time.time() - 50
    for p in rs.training_inputs(tmp_path):
        os.utime(p, (old, old))
    model = tmp_path / "models" / "m.tar.gz"
    model.write_text("m")
    os.utime(model, (new, new))
    assert rs.newest_model(tmp_path / "models") == model
    assert rs.model_is_fresh(model, tmp_path)
    info = rs.ensure_model(tmp_path)
    assert (info.path, info.trained, info.train_seconds) == (model, False, None)
    os.utime(tmp_path / "data" / "nlu" / "a.yml")  # edited after the model was trained
    assert not rs.model_is_fresh(model, tmp_path)
    assert set(rs.training_inputs(tmp_path)) == {tmp_path / "data/nlu/a.yml",
                                                 tmp_path / "domain.yml",
                                                 tmp_path / "config.yml"}


def test_run_logged_reports_failures_with_the_log(tmp_path: Path) -> None:
    seconds = rs.run_logged([sys.executable, "-c", "print('fine')"], tmp_path, tmp_path / "ok.log")
    assert seconds >= 0 and "fine" in rs.log_tail(tmp_path / "ok.log")
    with pytest.raises(rs.ServerError, match="exit code 3"):
        rs.run_logged([sys.executable, "-c", "print('oops'); raise SystemExit(3)"], tmp_path,
                      tmp_path / "bad.log")
    with pytest.raises(rs.ServerError, match="timed out"):
        rs.run_logged([sys.executable, "-c", "import time; time.sleep(60)"], tmp_path,
                      tmp_path / "slow.log", timeout=0.5)


def test_a_model_named_after_the_training_data_fingerprint_is_reused(tmp_path: Path) -> None:
    (tmp_path / "data" / "nlu").mkdir(parents=True)
    (tmp_path / "models").mkdir()
    for name in ("data/nlu/a.yml", "domain.yml", "config.yml"):
        (tmp_path / name).write_text(name)
    fp = rs.fingerprint(tmp_path)
    assert len(fp) == 12 and fp == rs.fingerprint(tmp_path)
    exact = tmp_path / "models" / f"bot-{fp}.tar.gz"
    exact.write_text("m")
    os.utime(exact, (1, 1))  # older than the data: still the right model (same content)
    assert rs.ensure_model(tmp_path).path == exact
    # a bot-<other fingerprint> model is never taken for fresh, however new it is
    exact.unlink()
    other = tmp_path / "models" / "bot-000000000000.tar.gz"
    other.write_text("m")
    (tmp_path / "data" / "nlu" / "a.yml").write_text("changed")
    assert rs.fingerprint(tmp_path) != fp
    os.utime(other)
    with pytest.raises(rs.ServerError):  # it tries to train; `rasa` on this non-project fails
        rs.ensure_model(tmp_path, log_path=tmp_path / "train.log", timeout=120)


def test_the_fingerprint_covers_config_domain_data_and_the_nlu_components(
        tmp_path: Path) -> None:
    files = {"config.yml": "pipeline: []", "domain.yml": "intents: []",
             "data/nlu/a.yml": "nlu: []", "nlu_components/lr.py": "C = 50",
             "nlu_components/sub/helper.py": "X = 1"}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert [p.relative_to(tmp_path).as_posix() for p in rs.fingerprint_files(tmp_path)] == \
        ["config.yml", "domain.yml", "data/nlu/a.yml", "nlu_components/lr.py",
         "nlu_components/sub/helper.py"]
    base = rs.fingerprint(tmp_path)
    seen = {base}
    for name, text in files.items():  # each input, changed on its own, changes it
        (tmp_path / name).write_text(text + " # changed")
        seen.add(rs.fingerprint(tmp_path))
        (tmp_path / name).write_text(text)
        assert rs.fingerprint(tmp_path) == base
    assert len(seen) == 1 + len(files)
    # a file moved from one data file name to another changes it too (the path is hashed)
    (tmp_path / "data/nlu/a.yml").rename(tmp_path / "data/nlu/b.yml")
    assert rs.fingerprint(tmp_path) != base
    (tmp_path / "data/nlu/b.yml").rename(tmp_path / "data/nlu/a.yml")
    # what the model does not depend on does not
    (tmp_path / "nlu_components/__pycache__").mkdir()
    (tmp_path / "nlu_components/__pycache__/lr.cpython-310.pyc").write_bytes(b"\0")
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions/actions.py").write_text("pass")
    (tmp_path / "README.md").write_text("readme")
    assert rs.fingerprint(tmp_path) == base


def test_the_real_projects_fingerprint_reads_every_nlu_component() -> None:
    root = Path(__file__).resolve().parents[2]
    read = set(rs.fingerprint_files(root))
    components = set((root / "nlu_components").glob("*.py"))
    assert components and components <= read
    # the sentence encoder makes features: a change to it must retrain (found when an encoder
    # fix left the model trained with the old one in use)
    encoder = set((root / "interview_advisor" / "embeddings").glob("*.py"))
    assert encoder and encoder <= read and root / "requirements-model.txt" in read
    assert {root / "config.yml", root / "domain.yml"} <= read


def test_scripts_train_sh_names_the_model_by_the_same_fingerprint() -> None:
    import subprocess

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(["bash", "scripts/train.sh", "--name"], cwd=root,
                            env=dict(os.environ, PY=sys.executable), capture_output=True,
                            text=True, timeout=60, check=True)
    assert result.stdout.strip() == f"models/bot-{rs.fingerprint(root)}.tar.gz"
