"""Real PostgreSQL and Redis servers for the scale-out tests, the way pytest-postgresql and
pytest-redis start them: the distribution's binaries, a temporary folder, a free port on
127.0.0.1, stopped on any exit (the fixture's finaliser, else the harness's ``atexit`` hook and
PR_SET_PDEATHSIG - see scripts/rasa_servers.py). Written here rather than taken from those
packages: they are small, and these also stop and restart a server in the middle of a test.

PostgreSQL refuses to run as root, so as root (CI) it runs as the ``postgres`` user the Debian
package creates, in a folder owned by that user.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator, List, NoReturn, Optional

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

import rasa_servers as rs  # noqa: E402

STARTUP_SECONDS = 60.0


def _missing(what: str, package: str) -> NoReturn:
    message = f"{what} not found: apt-get install {package} (.ci/run does)"
    if os.environ.get("CI"):
        pytest.fail(message)   # CI installs it: a missing server is a broken set-up
    pytest.skip(message)


def postgres_bin() -> Path:
    """The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                   else 0)
    if not found:
        _missing("PostgreSQL (/usr/lib/postgresql/*/bin/initdb)", "postgresql")
    return found[-1].parent


def server_user() -> Optional[str]:
    """Who runs PostgreSQL: ``postgres`` when we are root, else ourselves (None)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        _missing("the postgres user", "postgresql")
    return "postgres"


class PostgresServer:
    """One PostgreSQL cluster in a temporary folder; stop() and start() keep its data."""

    def __init__(self, base: Path, user: Optional[str]) -> None:
        self.bin = postgres_bin()
        self.base = base
        self.data = base / "data"
        self.user = user
        self.port = rs.free_port()
        self.server: Optional[rs.ServerProcess] = None
        self.db_user = user or getpass.getuser()

    @property
    def url(self) -> str:
        return f"postgresql://{self.db_user}@{rs.LOOPBACK}:{self.port}/conversations"

    def init(self) -> None:
        as_user = dict(user=self.user, group=pwd.getpwnam(self.user).pw_gid,
                       extra_groups=[]) if self.user else {}
        done = subprocess.run([str(self.bin / "initdb"), "-D", str(self.data), "-U",
                               self.db_user, "--auth=trust", "-E", "UTF8", "--no-sync"],
                              cwd=self.base, capture_output=True, text=True, timeout=120,
                              **as_user)  # type: ignore[call-overload]
        if done.returncode != 0:
            raise rs.ServerError(f"initdb failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> None:
        cmd = [str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port),
               "-c", f"listen_addresses={rs.LOOPBACK}", "-c", "unix_socket_directories="]
        self.server = rs.ServerProcess("postgresql", cmd, self.base, self.base / "postgres.log",
                                       user=self.user, stop_signal=signal.SIGINT).start()
        rs._wait_until(self.server, self._accepts, STARTUP_SECONDS,
                       "accepting connections")

    def _accepts(self) -> bool:
        import psycopg2

        try:
            psycopg2.connect(host=rs.LOOPBACK, port=self.port, user=self.db_user,
                             dbname="postgres", connect_timeout=2).close()
        except psycopg2.OperationalError:
            return False
        return True

    def create_database(self, name: str = "conversations") -> None:
        import psycopg2

        conn = psycopg2.connect(host=rs.LOOPBACK, port=self.port, user=self.db_user,
                                dbname="postgres")
        try:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()

    def stop(self) -> None:
        """A fast shutdown: clients are disconnected, committed data stays."""
        if self.server is not None:
            self.server.stop(timeout=30)

    def query(self, sql: str, *args: object) -> List[tuple]:
        import psycopg2

        conn = psycopg2.connect(host=rs.LOOPBACK, port=self.port, user=self.db_user,
                                dbname="conversations")
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql, args)
                return list(cursor.fetchall())
        finally:
            conn.close()


class RedisServer:
    """One redis-server without persistence (``--save ''``), like the lock store needs."""

    def __init__(self, base: Path) -> None:
        exe = shutil.which("redis-server")
        if exe is None:
            _missing("redis-server", "redis-server")
        self.exe = str(exe)
        self.base = base
        self.port = rs.free_port()
        self.server: Optional[rs.ServerProcess] = None

    @property
    def url(self) -> str:
        return f"redis://{rs.LOOPBACK}:{self.port}/0"

    def start(self) -> None:
        cmd = [self.exe, "--port", str(self.port), "--bind", rs.LOOPBACK, "--save", "",
               "--appendonly", "no", "--dir", str(self.base)]
        self.server = rs.ServerProcess("redis", cmd, self.base, self.base / "redis.log").start()
        rs._wait_until(self.server, self._accepts, STARTUP_SECONDS, "answering PING")

    def _accepts(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(host=rs.LOOPBACK, port=self.port,
                                    socket_timeout=2).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop(timeout=10)


@contextlib.contextmanager
def owned_tempdir(prefix: str, user: Optional[str]) -> Iterator[Path]:
    """A temporary folder that ``user`` owns (pytest's own are root-only), removed at exit."""
    base = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(base, entry.pw_uid, entry.pw_gid)
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    user = server_user()
    with owned_tempdir("scaleout-pg-", user) as base:
        server = PostgresServer(base, user)
        server.init()
        server.start()
        try:
            server.create_database()
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    with owned_tempdir("scaleout-redis-", None) as base:
        server = RedisServer(base)
        server.start()
        try:
            yield server
        finally:
            server.stop()
