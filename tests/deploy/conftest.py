"""The reference deployment (scripts/scaleout.py): nginx in front of two Rasa servers and two
action servers, all real, on free loopback ports, started once for this folder's tests and
stopped afterwards (also when a test fails or the run is interrupted).

Where the two Rasa servers keep their conversations is the fixture ``store_env``. On this
branch they share one SQLite file (the in-memory lock store is then per server, which these
tests tolerate: they never send two messages of one conversation at the same time). At merge
with the PostgreSQL + Redis profile (tests/scaleout/), ``store_env`` returns that profile's
``TRACKER_DB_URL`` and ``LOCK_STORE_URL`` instead - see its docstring.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Dict, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

import rasa_servers as rs  # noqa: E402
import scaleout  # noqa: E402
from postgres_redis import conftest as servers  # noqa: E402
from postgres_redis.conftest import PostgresServer, RedisServer  # noqa: E402

# the real PostgreSQL and Redis fixtures of tests/postgres_redis/, for this folder too
postgres = servers.postgres
redis_server = servers.redis_server


@pytest.fixture(scope="module")
def store_env(postgres: PostgresServer, redis_server: RedisServer) -> Dict[str, str]:
    """The conversation and lock stores of the deployment under test: the real PostgreSQL
    and Redis servers of tests/postgres_redis/ (scripts/scaleout.py passes both through and
    then starts neither server itself)."""
    return {"TRACKER_DB_URL": postgres.url, "LOCK_STORE_URL": redis_server.url}


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory,
               store_env: Dict[str, str]) -> Iterator[scaleout.Deployment]:
    run_dir = Path(os.environ.get("E2E_LOG_DIR") or tmp_path_factory.mktemp("deploy"))
    override = os.environ.get("E2E_MODEL")
    model = Path(override) if override else \
        rs.ensure_model(ROOT, log_path=run_dir / "train.log").path
    store = "postgres" if "TRACKER_DB_URL" in store_env else "sqlite"
    env = {**store_env, "INTERVIEW_ADVISOR_RELOAD_SECONDS": "0"}
    with scaleout.Deployment(ROOT, run_dir, model, store=store, env=env) as deployed:
        yield deployed
