#!/usr/bin/env python3
"""The reference deployment on this machine (`make scaleout`, docs/deploy.md): nginx in front of
two Rasa servers and two action servers, conversations in PostgreSQL, locks in Redis.

    .venv/bin/python scripts/scaleout.py                 # PostgreSQL + Redis (the reference)
    .venv/bin/python scripts/scaleout.py --store sqlite  # one shared SQLite file (development)

Everything listens on 127.0.0.1 and lives in ``.run/scaleout/`` (``SCALEOUT_DIR``): the
PostgreSQL cluster (kept between runs, like ``.rasa/conversations.db`` is), logs, the nginx
configuration rendered from ``deploy/nginx.conf.template``, the web page's files and
``state.json`` (ports, process ids, URLs - read by ``make loadtest``). Ports: nginx on
``SCALEOUT_PORT`` (8088); the rest on free ports unless ``RASA1_PORT``, ``RASA2_PORT``,
``ACTIONS1_PORT``, ``ACTIONS2_PORT``, ``ACTIONS_LB_PORT``, ``PG_PORT``, ``REDIS_PORT`` say
otherwise. With ``TRACKER_DB_URL`` (and ``LOCK_STORE_URL``) already set, those databases are
used and no PostgreSQL / Redis is started.

Order: PostgreSQL and Redis, the two action servers, the two Rasa servers (loading their models
side by side), nginx; it prints the URL and then watches: a Rasa or action server that dies is
reported and the rest keeps serving (that is the point of two); nginx, PostgreSQL or Redis
dying stops everything. Ctrl-C, SIGTERM, SIGHUP or any error stops every process it started, in
reverse order (``scripts/rasa_servers.py`` runs each in its own process group).

Importable: ``with Deployment(ROOT, run_dir, model) as d: d.url, d.kill("rasa1")`` - used by
tests/deploy and by the load test's fault mode.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import rasa_servers as rs  # noqa: E402

LOOPBACK = rs.LOOPBACK
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
DEFAULT_RUN_DIR = ROOT / ".run" / "scaleout"
DEFAULT_PUBLIC_PORT = 8088
PG_USER = "advisor"     # the cluster's superuser (trust on 127.0.0.1: a local reference only)
PG_DB = "advisor"
RASA_NAMES = ("rasa1", "rasa2")
ACTION_NAMES = ("actions1", "actions2")
PORT_VARS = {"rasa1": "RASA1_PORT", "rasa2": "RASA2_PORT", "actions1": "ACTIONS1_PORT",
             "actions2": "ACTIONS2_PORT", "actions_lb": "ACTIONS_LB_PORT",
             "postgres": "PG_PORT", "redis": "REDIS_PORT"}


def say(*parts: Any) -> None:
    print("scaleout:", *parts, file=sys.stderr, flush=True)


def postgres_bin() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin (Debian's postgresql package)."""
    override = os.environ.get("PG_BIN")
    if override:
        return Path(override)
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                   else 0)
    if not found:
        raise rs.ServerError("PostgreSQL is not installed: apt-get install postgresql "
                             "(or use --store sqlite)")
    return found[-1].parent


def render(template: str, values: Mapping[str, Any]) -> str:
    """Replace every ``${NAME}`` (upper case) - nginx's own ``$variables`` are left alone.
    Raises KeyError naming a placeholder without a value."""
    missing = sorted({m for m in re.findall(r"\$\{([A-Z0-9_]+)\}", template)
                      if m not in values})
    if missing:
        raise KeyError(f"no value for {', '.join(missing)}")
    return re.sub(r"\$\{([A-Z0-9_]+)\}", lambda m: str(values[m.group(1)]), template)


def render_www(www: Path, public_url: str) -> bool:
    """The demo page and widget files as scripts/serve_web.py serves them, with the bot at
    ``public_url`` (nginx serves them itself). False when web/node_modules is missing."""
    import serve_web

    if serve_web.missing_files():
        return False
    site = serve_web.Site(public_url, public_url)
    for path, (body, _ctype) in site.content.items():
        if path in ("/", "/health"):
            continue
        dest = www / path.lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(body)
    return True


def redis_ping(port: int) -> bool:
    with socket.create_connection((LOOPBACK, port), timeout=2) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(64).startswith(b"+PONG")


@dataclass
class Deployment(rs.StartedStopped):
    """nginx + 2 Rasa servers + 2 action servers (+ PostgreSQL and Redis), started and
    stopped as one. ``store``: "postgres" (the reference; started here unless ``env`` or the
    environment has TRACKER_DB_URL) or "sqlite" (one shared file in ``run_dir``).
    ``env``: extra environment for the Rasa and action servers (wins over everything)."""

    project: Path
    run_dir: Path
    model: Path
    store: str = "postgres"
    public_port: Optional[int] = None
    env: Dict[str, str] = field(default_factory=dict)
    startup_timeout: float = 300.0
    servers: Dict[str, rs.ServerProcess] = field(default_factory=dict)
    ports: Dict[str, int] = field(default_factory=dict)
    server_env: Dict[str, str] = field(default_factory=dict)
    page: bool = False
    _cleanup: List[Path] = field(default_factory=list)

    # -- layout ---------------------------------------------------------------------------------
    @property
    def log_dir(self) -> Path:
        return self.run_dir / "logs"

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.ports['nginx']}"

    @property
    def state_file(self) -> Path:
        return self.run_dir / "state.json"

    def _choose_ports(self) -> None:
        wanted = dict(self.ports)
        if self.public_port is not None:
            wanted["nginx"] = self.public_port
        for name, var in PORT_VARS.items():
            if name not in wanted and os.environ.get(var):
                wanted[name] = int(os.environ[var])
        names = ["nginx", *PORT_VARS]
        free = iter(rs.free_ports(len(names)))
        for name in names:
            port = wanted.get(name) or next(free)
            if _port_busy(port):
                raise rs.ServerError(f"port {port} ({name}) is already in use on {LOOPBACK}")
            self.ports[name] = port

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        self.run_dir = Path(self.run_dir).resolve()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._choose_ports()
        external = {k: v for k, v in {**os.environ, **self.env}.items()
                    if k in ("TRACKER_DB_URL", "LOCK_STORE_URL") and v}
        env: Dict[str, str] = {
            "WEB_ALLOWED_ORIGINS": f"{self.url},http://localhost:{self.ports['nginx']}",
            "FEEDBACK_DB": str(self.run_dir / "feedback.sqlite3"),
            # Rasa's PostgreSQL pool defaults to 50 + 100 overflow connections per server; its
            # SQL tracker store is synchronous (one query at a time per process), so a few do
            "SQL_POOL_SIZE": os.environ.get("SQL_POOL_SIZE", "5"),
            "SQL_MAX_OVERFLOW": os.environ.get("SQL_MAX_OVERFLOW", "5"),
        }
        if self.store == "postgres" and "TRACKER_DB_URL" not in external:
            env["TRACKER_DB_URL"] = self.start_postgres()
        if self.store == "postgres" and "LOCK_STORE_URL" not in external:
            env["LOCK_STORE_URL"] = self.start_redis()
        if self.store == "sqlite" and "TRACKER_DB_URL" not in external:
            env["TRACKER_DB"] = str(self.run_dir / "conversations.db")
        env.update(external)
        env.update(self.env)
        self.server_env = env
        self.start_actions()
        self.start_rasa()
        self.start_nginx()
        self.write_state()

    def start_postgres(self) -> str:
        """initdb once (as the unprivileged user postgres when we are root), then postgres in
        the foreground; creates the database. Returns its URL."""
        pg_bin, port = postgres_bin(), self.ports["postgres"]
        data, sockets = self.run_dir / "postgres" / "data", self.run_dir / "postgres" / "run"
        as_postgres: List[str] = []
        if os.geteuid() == 0:   # PostgreSQL refuses to run as root
            as_postgres = ["runuser", "-u", "postgres", "--"]
        for folder in (data, sockets):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            if as_postgres:
                shutil.chown(folder, "postgres", "postgres")
        if not (data / "PG_VERSION").exists():
            say(f"initdb {data}")
            rs.run_logged(as_postgres + [str(pg_bin / "initdb"), "-D", str(data), "-U", PG_USER,
                                         "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"],
                          self.run_dir, self.log_dir / "initdb.log", timeout=120)
        server = self._start("postgres", as_postgres + [
            str(pg_bin / "postgres"), "-D", str(data), "-p", str(port),
            "-c", f"listen_addresses={LOOPBACK}", "-c", f"unix_socket_directories={sockets}",
            "-c", "max_connections=100"])
        rs._wait_until(server, lambda: self._pg_ready(port), 60, "accepting connections")
        self._create_database(port)
        return f"postgresql://{PG_USER}@{LOOPBACK}:{port}/{PG_DB}"

    @staticmethod
    def _pg_ready(port: int) -> bool:
        import psycopg2

        try:
            psycopg2.connect(host=LOOPBACK, port=port, user=PG_USER, dbname="postgres",
                             connect_timeout=2).close()
        except psycopg2.OperationalError:
            return False
        return True

    @staticmethod
    def _create_database(port: int) -> None:
        import psycopg2

        conn = psycopg2.connect(host=LOOPBACK, port=port, user=PG_USER, dbname="postgres")
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DB,))
                if cur.fetchone() is None:
                    cur.execute(f'CREATE DATABASE "{PG_DB}"')
        finally:
            conn.close()

    def start_redis(self) -> str:
        port = self.ports["redis"]
        folder = self.run_dir / "redis"
        folder.mkdir(parents=True, exist_ok=True)
        # locks only: nothing to persist
        server = self._start("redis", ["redis-server", "--bind", LOOPBACK, "--port", str(port),
                                       "--dir", str(folder), "--save", "", "--appendonly",
                                       "no", "--daemonize", "no", "--protected-mode", "yes"])
        rs._wait_until(server, lambda: redis_ping(port), 30, "answering PING")
        return f"redis://{LOOPBACK}:{port}/0"

    def start_actions(self) -> None:
        for name in ACTION_NAMES:
            self._start(name, [sys.executable, "scripts/action_server.py", "--actions",
                               "actions", "--port", str(self.ports[name]), "--host", LOOPBACK],
                        self.server_env)
        for name in ACTION_NAMES:
            port = self.ports[name]
            rs._wait_until(self.servers[name], lambda p=port: _get_ok(p, "/health"),
                           self.startup_timeout, "healthy (GET /health)")
            self._wait_for_log(name, b"rule base loaded", 120)

    def _rasa_files(self) -> tuple[Path, Path]:
        conf = self.run_dir / "rasa"
        conf.mkdir(parents=True, exist_ok=True)
        endpoints = rs.write_endpoints(self.project / "endpoints.yml", conf / "endpoints.yml",
                                       f"http://{LOOPBACK}:{self.ports['actions_lb']}/webhook")
        credentials = conf / "credentials.yml"
        rs.run_logged([sys.executable, "scripts/credentials.py", str(credentials)],
                      self.project, self.log_dir / "credentials.log", timeout=60,
                      env=self.server_env)
        return endpoints, credentials

    def rasa_command(self, name: str) -> List[str]:
        endpoints, credentials = self.run_dir / "rasa" / "endpoints.yml", \
            self.run_dir / "rasa" / "credentials.yml"
        return [sys.executable, "scripts/rasa_api.py", "run", "--model", str(self.model),
                "--interface", LOOPBACK, "--port", str(self.ports[name]),
                "--endpoints", str(endpoints), "--credentials", str(credentials)]

    def start_rasa(self, names: Sequence[str] = RASA_NAMES) -> None:
        """Start the Rasa servers side by side (each loads the model) and wait for all."""
        self._rasa_files()
        for name in names:
            self._start(name, self.rasa_command(name), self.server_env)
        for name in names:
            port = self.ports[name]
            rs._wait_until(self.servers[name],
                           lambda p=port: _get_ok(p, "/webhooks/rest/"),
                           self.startup_timeout, "serving the model (GET /webhooks/rest/)")

    def start_nginx(self) -> None:
        if not Path(NGINX).exists():
            raise rs.ServerError(f"{NGINX} not found: apt-get install nginx")
        conf_dir = self.run_dir / "nginx"
        if os.geteuid() == 0 and not _world_traversable(self.run_dir):
            # nginx's workers run as nobody: the page and the proxy's temporary files must be
            # reachable for them (pytest's tmp folders are 0700)
            conf_dir = Path(tempfile.mkdtemp(prefix="advisor-nginx-"))
            conf_dir.chmod(0o755)
            self._cleanup.append(conf_dir)
        www = conf_dir / "www"
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (conf_dir / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        shutil.rmtree(www, ignore_errors=True)
        www.mkdir(parents=True)
        self.page = render_www(www, self.url)
        if not self.page:
            say("the web page is missing (web/node_modules: run `make setup` with npm); "
                "REST, Slack and socket.io work without it")
        values = {"RUN_DIR": conf_dir, "LOG_DIR": self.log_dir, "WWW_DIR": www,
                  "NGINX_PORT": self.ports["nginx"], "RASA1_PORT": self.ports["rasa1"],
                  "RASA2_PORT": self.ports["rasa2"], "ACTIONS1_PORT": self.ports["actions1"],
                  "ACTIONS2_PORT": self.ports["actions2"],
                  "ACTIONS_LB_PORT": self.ports["actions_lb"]}
        conf = conf_dir / "nginx.conf"
        conf.write_text(render(TEMPLATE.read_text(encoding="utf-8"), values), encoding="utf-8")
        error_log = self.log_dir / "nginx-error.log"
        rs.run_logged([NGINX, "-t", "-q", "-p", str(conf_dir), "-c", str(conf),
                       "-e", str(error_log)], self.run_dir, self.log_dir / "nginx-test.log",
                      timeout=30)
        server = self._start("nginx", [NGINX, "-p", str(conf_dir), "-c", str(conf),
                                       "-e", str(error_log)])
        rs._wait_until(server, lambda: _get_ok(self.ports["nginx"], "/health"), 30,
                       "answering GET /health")
        rs._wait_until(server, lambda: _get_ok(self.ports["actions_lb"], "/health"), 30,
                       "passing GET /health to the action servers")

    def _start(self, name: str, cmd: Sequence[str],
               env: Optional[Dict[str, str]] = None) -> rs.ServerProcess:
        log = self.log_dir / f"{name}.log"
        say(f"starting {name} (log: {log})")
        server = rs.ServerProcess(name, cmd, self.project, log, env).start()
        self.servers[name] = server
        return server

    def _wait_for_log(self, name: str, mark: bytes, timeout: float) -> None:
        log = self.servers[name].log_path
        deadline = time.monotonic() + timeout
        while mark not in log.read_bytes():
            if time.monotonic() > deadline or not self.servers[name].alive():
                say(f"{name}: no {mark.decode()!r} in its log after {timeout:.0f} s")
                return
            time.sleep(0.3)

    def write_state(self) -> None:
        state = {"url": self.url, "store": self.store, "ports": self.ports,
                 "pids": {n: s.pid for n, s in self.servers.items() if s.alive()},
                 "logs": {n: str(s.log_path) for n, s in self.servers.items()},
                 "tracker_db_url": self.server_env.get("TRACKER_DB_URL"),
                 "tracker_db": self.server_env.get("TRACKER_DB"),
                 "lock_store_url": self.server_env.get("LOCK_STORE_URL"),
                 "rasa": list(RASA_NAMES), "actions": list(ACTION_NAMES),
                 "page": self.page, "started": time.time(), "supervisor_pid": os.getpid()}
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=2), encoding="utf-8")
        tmp.replace(self.state_file)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill one server's whole process group (a crash, for fault tests)."""
        server = self.servers[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, sig)
        assert server.proc is not None
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.proc.wait(timeout=15)

    def restart_rasa(self, name: str) -> None:
        old = self.servers.pop(name)
        old.stop(15)
        self.start_rasa([name])
        self.write_state()

    def stop(self) -> None:
        # reverse order of start: nginx, Rasa servers, action servers, Redis, PostgreSQL
        for name in reversed(list(self.servers)):
            with contextlib.suppress(Exception):
                self.servers[name].stop(20 if name == "postgres" else 15)
        while self._cleanup:
            shutil.rmtree(self._cleanup.pop(), ignore_errors=True)
        with contextlib.suppress(OSError):
            self.state_file.unlink()

    # -- health ---------------------------------------------------------------------------------
    def health(self) -> Dict[str, bool]:
        out = {}
        for path in ("/health", "/health/rasa", "/health/rasa1", "/health/rasa2",
                     "/health/actions", "/health/actions1", "/health/actions2"):
            out[path] = _get_ok(self.ports["nginx"], path, quiet=True)
        return out

    def memory(self) -> Dict[str, int]:
        return {name: s.rss_bytes() for name, s in self.servers.items()}


def _world_traversable(path: Path) -> bool:
    """Can any user reach ``path`` (o+x on it and on every folder above it)?"""
    return all(os.stat(p).st_mode & 0o001 for p in [path, *path.parents])


def _port_busy(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((LOOPBACK, port)) == 0


def _get_ok(port: int, path: str, quiet: bool = False) -> bool:
    try:
        status, _ = rs.http_get(f"http://{LOOPBACK}:{port}{path}", timeout=3)
    except OSError:
        if quiet:
            return False
        raise
    return status == 200


def watch(deployment: Deployment) -> int:
    """Until Ctrl-C: report servers that die. Returns an exit code when it must stop."""
    essential = {"nginx", "postgres", "redis"}
    reported: set = set()
    while True:
        for name, server in deployment.servers.items():
            if server.alive() or name in reported:
                continue
            reported.add(name)
            code = server.proc.returncode if server.proc else None
            say(f"{name} stopped (exit code {code}); last lines of {server.log_path}:\n"
                f"{server.log_tail(15)}")
            if name in essential:
                return 1
            others = [n for n in (RASA_NAMES if name in RASA_NAMES else ACTION_NAMES)
                      if n != name and deployment.servers[n].alive()]
            say(f"nginx sends its traffic to {', '.join(others) or 'nobody - none is left'}")
            deployment.write_state()
        time.sleep(1)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=("postgres", "sqlite"),
                        default=os.environ.get("SCALEOUT_STORE", "postgres"))
    parser.add_argument("--port", type=int,
                        default=int(os.environ.get("SCALEOUT_PORT", DEFAULT_PUBLIC_PORT)))
    parser.add_argument("--run-dir", default=os.environ.get("SCALEOUT_DIR", str(DEFAULT_RUN_DIR)))
    parser.add_argument("--model", help="a trained model (default: train or reuse models/)")
    args = parser.parse_args(argv)
    rs.install_signal_handlers()
    model = Path(args.model) if args.model else rs.ensure_model(ROOT).path
    run_dir = Path(args.run_dir)
    if (run_dir / "state.json").exists():
        old = json.loads((run_dir / "state.json").read_text(encoding="utf-8"))
        if _pid_alive(int(old.get("supervisor_pid", 0))):
            say(f"already running (pid {old['supervisor_pid']}, {old.get('url')})")
            return 1
    deployment = Deployment(ROOT, run_dir, model, store=args.store, public_port=args.port)
    try:
        with deployment:
            p = deployment.ports
            senv = deployment.server_env
            say(f"conversations: {senv.get('TRACKER_DB_URL') or senv.get('TRACKER_DB')}; "
                f"locks: {senv.get('LOCK_STORE_URL') or 'in memory, per server (sqlite)'}")
            say(f"rasa1 :{p['rasa1']}  rasa2 :{p['rasa2']}  actions1 :{p['actions1']}  "
                f"actions2 :{p['actions2']}  (Rasa -> actions via nginx :{p['actions_lb']})")
            say(f"ready. Open {deployment.url}/ - REST: {deployment.url}/webhooks/rest/webhook;"
                f" health: {deployment.url}/health/rasa1 ... ; `make loadtest "
                f"LOADTEST_TARGET=scaleout` in another terminal; Ctrl-C stops everything")
            return watch(deployment)
    except KeyboardInterrupt:
        say("stopping")
        return 130
    except rs.ServerError as exc:
        say(str(exc))
        return 1
    finally:
        say("stopped")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


if __name__ == "__main__":
    sys.exit(main())
