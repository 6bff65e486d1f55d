"""scripts/serve_web.py as `make run` starts it: the demo page with the bot's URL, the widget's
files (gzipped on request), nothing else from the disk, and a clean stop on SIGTERM/SIGINT."""

from __future__ import annotations

import gzip
import http.client
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Tuple

import pytest

from .conftest import ROOT, rs, start_web

pytestmark = pytest.mark.slow


def fetch(port: int, path: str, headers: Dict[str, str] | None = None
          ) -> Tuple[int, Dict[str, str], bytes]:
    conn = http.client.HTTPConnection(rs.LOOPBACK, port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def test_serves_the_demo_page_and_the_widget_files(tmp_path: Path) -> None:
    rasa_url = 'http://127.0.0.1:5005/"><script>'
    web = start_web(rasa_url, tmp_path)
    try:
        status, headers, body = fetch(web.port, "/")
        page = body.decode()
        assert status == 200 and headers["content-type"].startswith("text/html")
        # the bot's URL is an attribute value, escaped
        assert '<advisor-chat server="http://127.0.0.1:5005/&quot;&gt;&lt;script&gt;">' in page
        assert '<script src="advisor-chat.js"></script>' in page

        bundle = (ROOT / "web/node_modules/deep-chat/dist/deepChat.bundle.js").read_bytes()
        status, headers, body = fetch(web.port, "/vendor/deep-chat.js")
        assert status == 200 and body == bundle
        assert headers["content-type"].startswith("text/javascript")
        assert headers["access-control-allow-origin"] == "*"
        status, headers, body = fetch(web.port, "/vendor/deep-chat.js",
                                      {"Accept-Encoding": "gzip, deflate"})
        assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == bundle
        for path in ("/advisor-chat.js", "/advisor-chat.css", "/vendor/socket.io.js",
                     "/demo.css", "/health"):
            assert fetch(web.port, path)[0] == 200, path

        for path in ("/../pyproject.toml", "/src/advisor-chat.js", "/node_modules/",
                     "/web/package.json", "/credentials.yml", "/vendor/"):
            assert fetch(web.port, path)[0] == 404, path
    finally:
        web.process.stop(5)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_on_a_signal(tmp_path: Path, sig: int) -> None:
    web = start_web("http://127.0.0.1:5005", tmp_path)
    proc = web.process.proc
    assert proc is not None
    proc.send_signal(sig)
    t0 = time.monotonic()
    assert proc.wait(timeout=10) == 0
    assert time.monotonic() - t0 < 5
    assert "serve_web: stopped" in web.process.log_tail()
    web.process.stop(1)
    with pytest.raises(OSError):
        fetch(web.port, "/health")


def test_only_the_given_interface(tmp_path: Path) -> None:
    # bound to 127.0.0.1 as asked: its port is not open on another loopback address
    web = start_web("http://127.0.0.1:5005", tmp_path)
    try:
        conn = http.client.HTTPConnection("127.0.0.2", web.port, timeout=3)
        with pytest.raises(OSError):
            conn.request("GET", "/health")
            conn.getresponse()
        conn.close()
    finally:
        web.process.stop(5)


def test_refuses_to_start_without_the_npm_packages(tmp_path: Path) -> None:
    # a copy of the script next to a web/ folder without node_modules
    fake = tmp_path / "project"
    (fake / "scripts").mkdir(parents=True)
    (fake / "web").mkdir()
    (fake / "scripts" / "serve_web.py").write_text(
        (ROOT / "scripts" / "serve_web.py").read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run([sys.executable, str(fake / "scripts" / "serve_web.py"),
                           "--port", str(rs.free_port())],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode != 0
    assert "npm ci" in done.stderr
