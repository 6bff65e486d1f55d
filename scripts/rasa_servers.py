"""Start, probe, measure and stop a Rasa server and its action server - for tests and benchmarks.

Standard library only (plus PyYAML, which Rasa depends on), importable from tests and bench::

    import sys; sys.path.insert(0, "scripts")
    from rasa_servers import RasaStack, ensure_model

    model = ensure_model(".")                     # reuses models/*.tar.gz when it is fresh
    with RasaStack(".", model=model.path) as stack:   # free ports, action server, Rasa server
        replies = stack.client().send("alice", "hi")
        print(stack.startup_seconds, stack.memory())
    # both servers are stopped here, also after an exception or Ctrl-C

Every server runs in its own session (process group): stopping sends SIGTERM to the group,
waits, then SIGKILLs it. Children also get SIGTERM from the kernel if the Python thread that
started them dies (PR_SET_PDEATHSIG), and anything still running at interpreter exit is
stopped by an ``atexit`` hook, so no server outlives its harness. Start servers from the main
thread (or a thread that lives as long as they should).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, TypeVar, Union

PathLike = Union[str, "os.PathLike[str]"]
_S = TypeVar("_S", bound="StartedStopped")

PROJECT_ENV_FILE = Path(__file__).resolve().with_name("env.sh")


def project_env(path: Path = PROJECT_ENV_FILE) -> Dict[str, str]:
    """The project's environment (telemetry off): the ``export NAME=value`` lines of
    scripts/env.sh, the one place it is set (the Makefile and the shell scripts read it too)."""
    env: Dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("export ") and "=" in line:
            name, value = line[len("export "):].split("=", 1)
            env[name.strip()] = value.strip()
    return env


#: Environment for every Rasa/rasa_sdk subprocess: quiet TensorFlow, no telemetry, no network.
QUIET_ENV = {
    **project_env(),
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONUNBUFFERED": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "SANIC_HOST": "127.0.0.1",  # rasa_sdk binds here instead of 0.0.0.0
}

LOOPBACK = "127.0.0.1"


class ServerError(RuntimeError):
    """A server did not start, died, or a command failed; the message ends with its log tail."""


# --------------------------------------------------------------------------------------------
# small utilities
# --------------------------------------------------------------------------------------------

def free_ports(count: int = 1) -> List[int]:
    """``count`` distinct free TCP ports on the loopback interface (held open together)."""
    socks = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((LOOPBACK, 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def free_port() -> int:
    return free_ports(1)[0]


def subprocess_env(extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(QUIET_ENV)
    # Make the virtualenv's scripts win even when the caller did not activate it.
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    if extra:
        env.update(extra)
    return env


def rasa_command() -> List[str]:
    """The ``rasa`` executable next to the running interpreter (the project's .venv)."""
    exe = Path(sys.executable).parent / "rasa"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "rasa"]


def log_tail(path: Optional[Path], lines: int = 40) -> str:
    if path is None or not Path(path).exists():
        return ""
    with open(path, "rb") as fh:
        try:
            fh.seek(-20_000, os.SEEK_END)
        except OSError:
            fh.seek(0)
        text = fh.read().decode("utf-8", "replace")
    # progress bars use \r; keep the last state of each line
    cleaned = [ln.rsplit("\r", 1)[-1] for ln in text.splitlines()]
    return "\n".join(cleaned[-lines:])


def _pdeathsig() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Child: be sent SIGTERM when the parent thread dies, and lead a new session."""
    os.setsid()
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _primary_group(user: str) -> int:
    import pwd

    return pwd.getpwnam(user).pw_gid


def _children_map() -> Dict[int, List[int]]:
    children: Dict[int, List[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as fh:
                stat = fh.read()
        except OSError:
            continue
        # field 4 (ppid) comes after the ")" closing the command name
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) >= 2:
            children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def process_tree(pid: int) -> List[int]:
    """``pid`` and all its descendants that are still alive."""
    children = _children_map()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def rss_bytes(pid: int, include_children: bool = True) -> int:
    """Resident memory (VmRSS) of ``pid`` - and of its descendants - in bytes."""
    pids = process_tree(pid) if include_children else [pid]
    return sum(_status_kb(p, "VmRSS") for p in pids) * 1024


def peak_rss_bytes(pid: int, include_children: bool = True) -> int:
    """Peak resident memory (VmHWM) summed over ``pid`` and its live descendants, in bytes."""
    pids = process_tree(pid) if include_children else [pid]
    return sum(_status_kb(p, "VmHWM") for p in pids) * 1024


def http_get(url: str, timeout: float = 5.0) -> tuple[int, str]:
    """GET ``url`` (http only); returns (status, body); raises OSError on connection problems."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or LOOPBACK, parts.port or 80,
                                      timeout=timeout)
    try:
        conn.request("GET", parts.path or "/")
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


# --------------------------------------------------------------------------------------------
# processes
# --------------------------------------------------------------------------------------------

_LIVE: weakref.WeakSet[ServerProcess] = weakref.WeakSet()
_LIVE_LOCK = threading.Lock()


def stop_all() -> None:
    """Stop every server this process started and has not stopped yet."""
    with _LIVE_LOCK:
        live = list(_LIVE)
    for server in live:
        with contextlib.suppress(Exception):
            server.stop(timeout=5)


atexit.register(stop_all)


def install_signal_handlers() -> None:
    """Turn SIGTERM/SIGHUP into KeyboardInterrupt so ``with`` blocks clean up (main thread only).

    Ctrl-C (SIGINT) already raises KeyboardInterrupt. Servers run in their own sessions, so a
    terminal Ctrl-C does not reach them directly: the harness stops them itself, in order.
    """
    def handler(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    for sig in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError, OSError):
            signal.signal(sig, handler)


class ServerProcess:
    """One server subprocess with its log file; stop() is idempotent."""

    def __init__(self, name: str, cmd: Sequence[str], cwd: PathLike, log_path: PathLike,
                 env: Optional[Dict[str, str]] = None, user: Optional[str] = None,
                 stop_signal: int = signal.SIGTERM) -> None:
        """``user``: run as this (unprivileged) user - PostgreSQL refuses to run as root.
        ``stop_signal``: what :meth:`stop` sends first (PostgreSQL: SIGINT, a fast shutdown;
        its SIGTERM waits for every client to disconnect)."""
        self.name = name
        self.user = user
        self.stop_signal = stop_signal
        self.cmd = list(cmd)
        self.cwd = Path(cwd)
        self.log_path = Path(log_path)
        self.env = subprocess_env(env)
        self.proc: Optional[subprocess.Popen[bytes]] = None
        self.started_at = 0.0
        self.ready_seconds: Optional[float] = None
        self.stop_seconds: Optional[float] = None   # SIGTERM to exit, when stop() ended it
        self.killed = False                          # True when SIGTERM was not enough

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> ServerProcess:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            log.write(f"$ {' '.join(self.cmd)}\n".encode())
            log.flush()
            self.started_at = time.monotonic()
            as_user: Dict[str, Any] = {}
            if self.user is not None:   # set before preexec_fn runs, so PDEATHSIG stays
                as_user = dict(user=self.user, group=_primary_group(self.user),
                               extra_groups=[])
            self.proc = subprocess.Popen(self.cmd, cwd=self.cwd, env=self.env, stdout=log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         preexec_fn=_pdeathsig, **as_user)
        with _LIVE_LOCK:
            _LIVE.add(self)
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None, f"{self.name} was not started"
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = 15.0) -> Optional[int]:
        """Signal the process group (``stop_signal``, SIGTERM), wait ``timeout`` s, then SIGKILL
        it. Returns the exit code."""
        proc = self.proc
        if proc is None:
            return None
        t0 = time.monotonic()
        try:
            if proc.poll() is None:
                self._signal_group(self.stop_signal)
                try:
                    proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self.killed = True
                    self._signal_group(signal.SIGKILL)
                    proc.wait(timeout=10)
                self.stop_seconds = time.monotonic() - t0
            # stray members of the group (a worker that ignored SIGTERM) die too
            self._signal_group(signal.SIGKILL)
        finally:
            with _LIVE_LOCK:
                _LIVE.discard(self)
        return proc.returncode

    def _signal_group(self, sig: int) -> None:
        assert self.proc is not None
        try:
            os.killpg(self.proc.pid, sig)  # the child leads its own group (setsid)
        except (ProcessLookupError, PermissionError):
            with contextlib.suppress(ProcessLookupError):
                if self.proc.poll() is None:
                    self.proc.send_signal(sig)

    # -- probes -------------------------------------------------------------------------------
    def rss_bytes(self) -> int:
        return rss_bytes(self.pid) if self.alive() else 0

    def peak_rss_bytes(self) -> int:
        return peak_rss_bytes(self.pid) if self.alive() else 0

    def log_tail(self, lines: int = 40) -> str:
        return log_tail(self.log_path, lines)

    def fail(self, why: str) -> ServerError:
        return ServerError(f"{self.name}: {why}\n--- last lines of {self.log_path} ---\n"
                           f"{self.log_tail()}")


def _wait_until(server: ServerProcess, probe: Any, timeout: float, what: str) -> float:
    """Poll ``probe()`` until true; fail fast when the process exits. Returns seconds taken."""
    deadline = server.started_at + timeout
    last_error = ""
    while True:
        if not server.alive():
            code = server.proc.returncode if server.proc else None
            raise server.fail(f"exited with code {code} before it was {what}")
        try:
            if probe():
                server.ready_seconds = time.monotonic() - server.started_at
                return server.ready_seconds
        except (OSError, http.client.HTTPException, ValueError) as exc:
            last_error = f"{type(exc).__name__}: {exc}"
        if time.monotonic() > deadline:
            raise server.fail(f"not {what} after {timeout:.0f} s ({last_error or 'no answer'})")
        time.sleep(0.2)


# --------------------------------------------------------------------------------------------
# the REST client
# --------------------------------------------------------------------------------------------

@dataclass
class Reply:
    """What the bot answered to one message: the raw list and handy views of it."""

    raw: List[Dict[str, Any]]
    seconds: float

    @property
    def texts(self) -> List[str]:
        return [m["text"] for m in self.raw if isinstance(m.get("text"), str)]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def customs(self) -> List[Dict[str, Any]]:
        """The reply models (``custom.reply``) of the messages that carry one."""
        found = []
        for m in self.raw:
            custom = m.get("custom")
            if isinstance(custom, dict):
                found.append(custom.get("reply") if isinstance(custom.get("reply"), dict)
                             else custom)
        return found

    @property
    def custom(self) -> Dict[str, Any]:
        """All custom payloads of this reply merged (later keys win)."""
        merged: Dict[str, Any] = {}
        for c in self.customs:
            merged.update(c)
        return merged

    @property
    def buttons(self) -> List[Dict[str, Any]]:
        return [b for m in self.raw for b in (m.get("buttons") or [])]


class RestClient:
    """POSTs to /webhooks/rest/webhook over one keep-alive connection (one per thread)."""

    def __init__(self, port: int, host: str = LOOPBACK, timeout: float = 60.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._conn: Optional[http.client.HTTPConnection] = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> RestClient:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def post_json(self, path: str, payload: Any) -> tuple[int, Any, float]:
        body = json.dumps(payload).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        for attempt in (1, 2):  # one retry when a kept-alive connection was closed under us
            conn = self._connection()
            t0 = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                elapsed = time.perf_counter() - t0
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
                    http.client.CannotSendRequest):
                self.close()
                if attempt == 2:
                    raise
                continue
            text = data.decode("utf-8", "replace")
            try:
                parsed = json.loads(text) if text else None
            except ValueError:
                parsed = text
            return resp.status, parsed, elapsed
        raise AssertionError("unreachable")

    def send(self, sender: str, message: str,
             metadata: Optional[Dict[str, Any]] = None) -> Reply:
        """Send one user message; raises ServerError on a non-200 status or a non-list body.
        ``metadata={"reply_model": True}`` asks for the reply model next to the text."""
        body: Dict[str, Any] = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        status, parsed, elapsed = self.post_json("/webhooks/rest/webhook", body)
        if status != 200 or not isinstance(parsed, list):
            raise ServerError(f"webhook answered {status}: {str(parsed)[:500]}")
        return Reply(parsed, elapsed)


# --------------------------------------------------------------------------------------------
# the stack: action server + Rasa server
# --------------------------------------------------------------------------------------------

def write_endpoints(src: Optional[Path], dest: Path, action_url: Optional[str]) -> Path:
    """Copy the project's endpoints.yml (if any) with action_endpoint pointed at ``action_url``
    (or removed when None)."""
    import yaml

    data: Dict[str, Any] = {}
    if src is not None and src.exists():
        loaded = yaml.safe_load(src.read_text(encoding="utf-8"))
        if isinstance(loaded, dict):
            data = loaded
    if action_url:
        endpoint = data.get("action_endpoint")
        endpoint = dict(endpoint) if isinstance(endpoint, dict) else {}
        endpoint["url"] = action_url
        data["action_endpoint"] = endpoint
    else:
        data.pop("action_endpoint", None)
    dest.write_text(yaml.safe_dump(data, sort_keys=False) if data else "{}\n",
                    encoding="utf-8")
    return dest


@dataclass
class StackInfo:
    rasa_port: int
    action_port: Optional[int]
    rasa_startup_seconds: Optional[float] = None
    action_startup_seconds: Optional[float] = None
    model_file: Optional[str] = None
    log_dir: str = ""
    extra: Dict[str, Any] = field(default_factory=dict)


class StartedStopped:
    """Mixin: ``with X(...) as x`` calls ``start()``, and ``stop()`` on the way out - also when
    ``start()`` itself fails halfway (whatever it started is stopped)."""

    def start(self) -> Any:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self: _S) -> _S:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class RasaStack(StartedStopped):
    """Context manager: an action server (optional) and a Rasa server with the REST API.

    ``project`` is the bot's folder (cwd of both servers). ``model`` is a .tar.gz or a folder
    (default ``models/``). ``actions`` is the action package name, or None for a bot without
    custom actions (like the ``rasa init`` sample). Logs go to ``log_dir`` (a new temporary
    folder by default; it is kept so failures can be read).
    """

    def __init__(self, project: PathLike, model: Optional[PathLike] = None,
                 actions: Optional[str] = "actions", log_dir: Optional[PathLike] = None,
                 credentials: Optional[PathLike] = "credentials.yml",
                 endpoints: Optional[PathLike] = "endpoints.yml",
                 startup_timeout: float = 240.0, stop_timeout: float = 15.0,
                 name: str = "bot", extra_env: Optional[Dict[str, str]] = None,
                 rasa_args: Sequence[str] = ()) -> None:
        self.project = Path(project).resolve()
        self.model = Path(model) if model is not None else self.project / "models"
        self.actions = actions
        self.log_dir = Path(log_dir) if log_dir else Path(tempfile.mkdtemp(prefix="rasa-logs-"))
        self.credentials = self._in_project(credentials)
        self.endpoints = self._in_project(endpoints)
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.name = name
        self.extra_env = extra_env or {}
        self.rasa_args = list(rasa_args)
        self.action_server: Optional[ServerProcess] = None
        self.rasa_server: Optional[ServerProcess] = None
        self._tmp: Optional[tempfile.TemporaryDirectory[str]] = None
        self.info: Optional[StackInfo] = None
        #: When set, the Rasa server calls the action server at this URL instead of directly
        #: (a benchmark puts a byte-counting proxy there); read when the Rasa server starts.
        self.action_url: Optional[str] = None

    def _in_project(self, p: Optional[PathLike]) -> Optional[Path]:
        if p is None:
            return None
        path = Path(p)
        return path if path.is_absolute() else self.project / path

    # -- start/stop ---------------------------------------------------------------------------
    def start(self) -> StackInfo:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._tmp = tempfile.TemporaryDirectory(prefix="rasa-stack-")
        rasa_port, action_port = free_ports(2)
        info = StackInfo(rasa_port, action_port if self.actions else None,
                         log_dir=str(self.log_dir))
        self.info = info
        if self.actions:
            self.start_actions()
        self.start_rasa()
        return info

    def start_actions(self) -> float:
        """Start the action server on the stack's action port; returns seconds to healthy."""
        assert self.info is not None and self.info.action_port is not None and self.actions
        port = self.info.action_port
        self.action_server = ServerProcess(
            f"{self.name} action server",
            [sys.executable, "-m", "rasa_sdk", "--actions", self.actions, "--port", str(port)],
            self.project, self.log_dir / f"{self.name}-actions.log", self.extra_env,
        ).start()
        seconds = _wait_until(self.action_server, lambda: self._action_healthy(port),
                              self.startup_timeout, "healthy (GET /health)")
        self.info.action_startup_seconds = seconds
        return seconds

    def start_rasa(self) -> float:
        """Start the Rasa server on the stack's Rasa port; returns seconds to ready."""
        assert self.info is not None and self._tmp is not None
        info = self.info
        action_url = self.action_url or (
            f"http://{LOOPBACK}:{info.action_port}/webhook" if self.actions else None)
        endpoints = write_endpoints(self.endpoints, Path(self._tmp.name) / "endpoints.yml",
                                    action_url)
        cmd = rasa_command() + ["run", "--enable-api", "--model", str(self.model),
                                "--port", str(info.rasa_port), "--interface", LOOPBACK,
                                "--endpoints", str(endpoints)]
        if self.credentials is not None and self.credentials.exists():
            cmd += ["--credentials", str(self.credentials)]
        cmd += self.rasa_args
        self.rasa_server = ServerProcess(f"{self.name} rasa server", cmd, self.project,
                                         self.log_dir / f"{self.name}-rasa.log",
                                         self.extra_env).start()
        seconds = _wait_until(self.rasa_server, lambda: self._rasa_ready(info.rasa_port, info),
                              self.startup_timeout, "serving a model (GET / and /status)")
        info.rasa_startup_seconds = seconds
        return seconds

    def restart(self, which: str) -> float:
        """Stop one server ("rasa" or "actions") and start it again on the same port, with
        the same log file (appended); returns seconds to ready."""
        if which == "rasa":
            if self.rasa_server is not None:
                self.rasa_server.stop(self.stop_timeout)
            return self.start_rasa()
        if which == "actions":
            if self.action_server is not None:
                self.action_server.stop(self.stop_timeout)
            return self.start_actions()
        raise ValueError(f"which must be 'rasa' or 'actions', not {which!r}")

    def stop(self) -> None:
        # Rasa first (it calls the action server), then actions; each in its own try.
        for server in (self.rasa_server, self.action_server):
            if server is not None:
                with contextlib.suppress(Exception):
                    server.stop(self.stop_timeout)
        if self._tmp is not None:
            with contextlib.suppress(Exception):
                self._tmp.cleanup()
            self._tmp = None

    def restart_rasa(self) -> float:
        """Stop the Rasa server and start it again with the same command, port and environment
        (the action server keeps running). Returns the new server's start-up seconds."""
        assert self.rasa_server is not None and self.info is not None, "stack not started"
        info, old = self.info, self.rasa_server
        old.stop(self.stop_timeout)
        self.rasa_server = ServerProcess(old.name, old.cmd, self.project, old.log_path,
                                         self.extra_env).start()
        info.rasa_startup_seconds = _wait_until(
            self.rasa_server, lambda: self._rasa_ready(info.rasa_port, info),
            self.startup_timeout, "serving a model again (GET / and /status)")
        return info.rasa_startup_seconds

    # -- health -------------------------------------------------------------------------------
    @staticmethod
    def _action_healthy(port: int) -> bool:
        status, body = http_get(f"http://{LOOPBACK}:{port}/health", timeout=2)
        return status == 200 and json.loads(body).get("status") == "ok"

    @staticmethod
    def _rasa_ready(port: int, info: StackInfo) -> bool:
        status, body = http_get(f"http://{LOOPBACK}:{port}/", timeout=2)
        if status != 200 or "Hello from Rasa" not in body:
            return False
        status, body = http_get(f"http://{LOOPBACK}:{port}/status", timeout=5)
        if status != 200:
            return False
        model_file = json.loads(body).get("model_file")
        if model_file:
            info.model_file = model_file
            return True
        return False

    def healthy(self) -> bool:
        assert self.info is not None
        try:
            ok = self._rasa_ready(self.info.rasa_port, self.info)
            if self.info.action_port is not None:
                ok = ok and self._action_healthy(self.info.action_port)
            return ok
        except (OSError, http.client.HTTPException, ValueError):
            return False

    # -- use ----------------------------------------------------------------------------------
    @property
    def rasa_url(self) -> str:
        assert self.info is not None
        return f"http://{LOOPBACK}:{self.info.rasa_port}"

    def client(self, timeout: float = 60.0) -> RestClient:
        assert self.info is not None, "stack not started"
        return RestClient(self.info.rasa_port, timeout=timeout)

    def memory(self) -> Dict[str, Optional[int]]:
        """Resident memory in bytes (process + children) now and at peak, per server."""
        out: Dict[str, Optional[int]] = {}
        for key, server in (("rasa", self.rasa_server), ("actions", self.action_server)):
            out[f"{key}_rss"] = server.rss_bytes() if server else None
            out[f"{key}_peak_rss"] = server.peak_rss_bytes() if server else None
        return out

    def tracker(self, sender: str) -> Dict[str, Any]:
        status, body = http_get(f"{self.rasa_url}/conversations/{sender}/tracker", timeout=10)
        if status != 200:
            raise ServerError(f"tracker of {sender}: HTTP {status}")
        result: Dict[str, Any] = json.loads(body)
        return result

    def log_tails(self, lines: int = 30) -> str:
        parts = []
        for server in (self.rasa_server, self.action_server):
            if server is not None:
                parts.append(f"--- {server.log_path} ---\n{server.log_tail(lines)}")
        return "\n".join(parts)


# --------------------------------------------------------------------------------------------
# training
# --------------------------------------------------------------------------------------------

@dataclass
class ModelInfo:
    path: Path
    trained: bool                     # False when an existing model was reused
    train_seconds: Optional[float]    # wall-clock seconds of `rasa train` when it trained
    log_path: Optional[Path] = None
    train_cpu_seconds: Optional[float] = None   # its user + system CPU seconds


def training_inputs(project: PathLike) -> List[Path]:
    """Files whose change makes a trained model stale: data/**, domain(.yml|/), config.yml,
    nlu_components/**/*.py."""
    project = Path(project)
    files: List[Path] = []
    for folder in (project / "data", project / "domain"):
        if folder.is_dir():
            files += [p for p in folder.rglob("*") if p.is_file()]
    for name in ("domain.yml", "domain.yaml", "config.yml"):
        if (project / name).is_file():
            files.append(project / name)
    if (project / "nlu_components").is_dir():  # custom NLU components are trained into it
        files += [p for p in (project / "nlu_components").rglob("*.py") if p.is_file()]
    return files


#: what a trained model depends on, for :func:`fingerprint` (folders: files matching the glob)
FINGERPRINT_INPUTS = (("config.yml", None), ("domain.yml", None), ("data", "*.yml"),
                      ("nlu_components", "*.py"),
                      # the sentence encoder and the pinned model package: they make features
                      ("interview_advisor/embeddings", "*.py"), ("requirements-model.txt", None))


def fingerprint_files(project: PathLike) -> List[Path]:
    """The files :func:`fingerprint` reads, in the order it reads them."""
    project = Path(project)
    files: List[Path] = []
    for name, pattern in FINGERPRINT_INPUTS:
        path = project / name
        if pattern is None:
            if path.is_file():
                files.append(path)
        elif path.is_dir():
            files += sorted((p for p in path.rglob(pattern)
                             if p.is_file() and "__pycache__" not in p.parts),
                            key=lambda p: p.relative_to(project).as_posix().encode())
    return files


def fingerprint(project: PathLike) -> str:
    """sha256[:12] over config.yml, domain.yml, data/**/*.yml, the custom NLU components
    (nlu_components/**/*.py), the sentence encoder (interview_advisor/embeddings/**/*.py) and
    the model package it reads (requirements-model.txt): each file's path, size and bytes.
    The one place the model fingerprint is computed - scripts/train.sh asks for it
    (``rasa_servers.py --fingerprint``) - so a model any of them trained
    (``models/bot-<fingerprint>.tar.gz``) is reused by the others."""
    project = Path(project)
    digest = hashlib.sha256()
    for path in fingerprint_files(project):
        data = path.read_bytes()
        digest.update(f"{path.relative_to(project).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:12]


def fingerprint_model_name(project: PathLike) -> str:
    return f"bot-{fingerprint(project)}"


def newest_model(models_dir: PathLike) -> Optional[Path]:
    models = [p for p in Path(models_dir).glob("*.tar.gz") if p.is_file()]
    return max(models, key=lambda p: p.stat().st_mtime) if models else None


def model_is_fresh(model: Path, project: PathLike) -> bool:
    inputs = training_inputs(project)
    if not inputs:
        return True
    return model.stat().st_mtime > max(p.stat().st_mtime for p in inputs)


@dataclass
class RunTimes:
    wall: float   # seconds from start to exit
    cpu: float    # user + system CPU seconds of the command (and children it waited for)


def run_timed(cmd: Sequence[str], cwd: PathLike, log_path: PathLike,
              timeout: Optional[float] = None,
              env: Optional[Dict[str, str]] = None) -> RunTimes:
    """Run ``cmd`` to completion with output to ``log_path``; returns wall and CPU seconds.

    CPU time hardly depends on what else the machine is doing, wall time does: on a busy
    machine, compare CPU seconds. Raises ServerError (with the log tail) on a non-zero exit.
    The child is killed with its process group on timeout, error or Ctrl-C.
    """
    log_path = Path(log_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    server = ServerProcess(Path(cmd[0]).name, cmd, cwd, log_path, env)
    t0 = time.monotonic()
    server.start()
    proc = server.proc
    assert proc is not None
    cpu = 0.0
    try:
        # os.wait4 gives this child's own resource usage (not every child ever reaped)
        deadline = None if timeout is None else t0 + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                proc.returncode = os.waitstatus_to_exitcode(status)
                cpu = usage.ru_utime + usage.ru_stime
                break
            if deadline is not None and time.monotonic() > deadline:
                server.stop(5)
                raise server.fail(f"timed out after {timeout} s")
            time.sleep(0.1)
    finally:
        if server.alive():
            server.stop(5)
        else:
            server.stop(1)  # reap stray group members, drop from the live set
    elapsed = time.monotonic() - t0
    if proc.returncode != 0:
        raise server.fail(f"`{' '.join(cmd)}` failed with exit code {proc.returncode}")
    return RunTimes(elapsed, cpu)


def run_logged(cmd: Sequence[str], cwd: PathLike, log_path: PathLike,
               timeout: Optional[float] = None, env: Optional[Dict[str, str]] = None) -> float:
    """:func:`run_timed`, returning only the wall seconds."""
    return run_timed(cmd, cwd, log_path, timeout, env).wall


def train(project: PathLike, fixed_model_name: Optional[str] = None,
          models_dir: str = "models", force: bool = False, log_path: Optional[PathLike] = None,
          timeout: Optional[float] = 3600, extra_args: Sequence[str] = ()) -> ModelInfo:
    """``rasa train`` in ``project``; ``force`` ignores Rasa's training cache (a cold train).

    The model is named ``bot-<fingerprint>`` unless ``fixed_model_name`` is given; the
    fingerprint is taken *before* training, so data edited during a long training never get
    credited to this model."""
    project = Path(project).resolve()
    fixed_model_name = fixed_model_name or fingerprint_model_name(project)
    log = Path(log_path) if log_path else project / "results" / "logs" / "train.log"
    cmd = rasa_command() + ["train", "--fixed-model-name", fixed_model_name,
                            "--out", models_dir] + list(extra_args)
    if force:
        cmd.append("--force")
    times = run_timed(cmd, project, log, timeout=timeout)
    path = project / models_dir / (fixed_model_name if fixed_model_name.endswith(".tar.gz")
                                   else fixed_model_name + ".tar.gz")
    if not path.exists():
        raise ServerError(f"rasa train finished but {path} is missing\n{log_tail(log)}")
    return ModelInfo(path, True, times.wall, log, times.cpu)


def ensure_model(project: PathLike = ".", fixed_model_name: Optional[str] = None,
                 models_dir: str = "models", log_path: Optional[PathLike] = None,
                 force: bool = False, timeout: Optional[float] = 3600) -> ModelInfo:
    """A model for the current training data, trained only when needed.

    Reuses, in this order: ``models/bot-<fingerprint>.tar.gz`` for exactly the current
    config/domain/data (what scripts/train.sh makes); else the newest ``models/*.tar.gz`` that
    is newer than every training input - except ``bot-*`` models, whose name says they were
    trained on other data. Otherwise trains (``force``: always, cold). ``train_seconds`` is
    set only when it trained."""
    project = Path(project).resolve()
    models = project / models_dir
    if not force:
        exact = models / f"{fingerprint_model_name(project)}.tar.gz"
        if exact.is_file():
            return ModelInfo(exact, False, None)
        candidates = [p for p in models.glob("*.tar.gz")
                      if p.is_file() and not p.name.startswith("bot-")] if models.is_dir() else []
        existing = max(candidates, key=lambda p: p.stat().st_mtime) if candidates else None
        if existing is not None and model_is_fresh(existing, project):
            return ModelInfo(existing, False, None)
    return train(project, fixed_model_name, models_dir, force=force, log_path=log_path,
                 timeout=timeout)


@contextlib.contextmanager
def running_stack(*args: Any, **kwargs: Any) -> Iterator[RasaStack]:
    """Functional spelling of ``with RasaStack(...) as stack``."""
    with RasaStack(*args, **kwargs) as stack:
        yield stack


def mb(n: Optional[int]) -> Optional[float]:
    return None if n is None else round(n / 2**20, 1)


def _main(argv: Optional[Sequence[str]] = None) -> int:
    """Smoke test: ``python scripts/rasa_servers.py PROJECT [--no-actions]``."""
    import argparse

    parser = argparse.ArgumentParser(description=_main.__doc__)
    parser.add_argument("project", nargs="?", default=".")
    parser.add_argument("--no-actions", action="store_true")
    parser.add_argument("--message", default="hello")
    parser.add_argument("--fingerprint", action="store_true",
                        help="only print the model fingerprint of PROJECT (for scripts/train.sh)")
    args = parser.parse_args(argv)
    if args.fingerprint:
        print(fingerprint(args.project))
        return 0
    install_signal_handlers()
    model = ensure_model(args.project)
    print(f"model {model.path} (trained: {model.trained}, {model.train_seconds})")
    with RasaStack(args.project, model=model.path,
                   actions=None if args.no_actions else "actions") as stack:
        assert stack.info is not None
        print(f"ready: rasa {stack.info.rasa_startup_seconds:.1f} s, "
              f"actions {stack.info.action_startup_seconds}")
        with stack.client() as client:
            reply = client.send("smoke", args.message)
        print(f"{reply.seconds * 1000:.0f} ms: {reply.raw}")
        print({k: mb(v) for k, v in stack.memory().items()}, "MB")
        print("logs:", stack.log_dir)
    return 0


if __name__ == "__main__":
    sys.exit(_main())
