"""Helpers for the tests that start scripts/run.sh: process trees, their listening sockets, and
a fixture that kills whatever a test left running (the scripts are expected to clean up after
themselves; this only keeps a failing test from leaving servers behind)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Set, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import rasa_servers as rs  # noqa: E402

TCP_LISTEN = "0A"


def alive(pid: int) -> bool:
    """Running (a zombie, which only waits to be reaped, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return False


def survivors(pids: Set[int]) -> Dict[int, str]:
    """The processes among ``pids`` still running, with their command lines."""
    out = {}
    for pid in pids:
        if alive(pid):
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            out[pid] = cmd.strip()
    return out


def socket_inodes(pid: int) -> Set[str]:
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(target[len("socket:["):-1])
    return inodes


def _decode_address(hex_address: str) -> Tuple[str, int]:
    host_hex, port_hex = hex_address.split(":")
    raw = bytes.fromhex(host_hex)
    if len(raw) == 4:
        host = socket.inet_ntop(socket.AF_INET, raw[::-1])
    else:  # IPv6: four little-endian 32-bit words
        host = socket.inet_ntop(socket.AF_INET6,
                                b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4)))
    return host, int(port_hex, 16)


def listening_sockets(pids: Set[int]) -> List[Tuple[int, str, int]]:
    """Every TCP socket in LISTEN state owned by one of ``pids``: (pid, address, port)."""
    owner = {inode: pid for pid in pids for inode in socket_inodes(pid)}
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table, encoding="ascii") as fh:
            next(fh)
            for line in fh:
                fields = line.split()
                local, state, inode = fields[1], fields[3], fields[9]
                if state == TCP_LISTEN and inode in owner:
                    host, port = _decode_address(local)
                    found.append((owner[inode], host, port))
    return found


def wait_until(predicate: Callable[[], bool], timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def reaper() -> Iterator[Set[int]]:
    """A set the test adds pids to; whatever of them still runs at the end is SIGKILLed."""
    pids: Set[int] = set()
    yield pids
    for pid in survivors(pids):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def run_env(ports: Dict[str, int], log_dir: Path) -> Dict[str, str]:
    env = rs.subprocess_env()
    env.pop("SANIC_HOST", None)  # the scripts must bind 127.0.0.1 on their own
    env.update({name: str(port) for name, port in ports.items()})
    env["RUN_LOG_DIR"] = str(log_dir)
    env["PYTHONUNBUFFERED"] = "1"
    return env
