#!/usr/bin/env python3
"""Serve the web chat widget and its demo page (standard library only).

    python scripts/serve_web.py --host 127.0.0.1 --port 8080 --rasa-url http://127.0.0.1:5005

Serves a fixed list of files - nothing else from the disk:

    /                       the demo page (web/demo/index.html: the embed snippet on a page)
    /demo.css               its style
    /advisor-chat.js        the widget (web/src/), the one script a page includes
    /advisor-chat.css       the widget's style (loaded by the widget)
    /vendor/deep-chat.js    deep-chat's bundle, from web/node_modules (`npm ci` in web/)
    /vendor/socket.io.js    socket.io-client's ES module, from web/node_modules
    /health                 "ok"

Text files are gzipped when the browser accepts it. The widget's files may be loaded from
any page (Access-Control-Allow-Origin: *); which pages may talk to the bot is decided by the
Rasa channel (WEB_ALLOWED_ORIGINS, channels/webchat.py). Stops cleanly on SIGINT/SIGTERM.
"""

from __future__ import annotations

import argparse
import gzip
import html
import signal
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Optional, Sequence, Tuple
from urllib.parse import urlsplit

WEB = Path(__file__).resolve().parents[1] / "web"
MODULES = WEB / "node_modules"

#: URL path -> (file, content type)
FILES: Dict[str, Tuple[Path, str]] = {
    "/demo.css": (WEB / "demo" / "demo.css", "text/css; charset=utf-8"),
    "/advisor-chat.js": (WEB / "src" / "advisor-chat.js", "text/javascript; charset=utf-8"),
    "/advisor-chat.css": (WEB / "src" / "advisor-chat.css", "text/css; charset=utf-8"),
    "/vendor/deep-chat.js": (MODULES / "deep-chat" / "dist" / "deepChat.bundle.js",
                             "text/javascript; charset=utf-8"),
    "/vendor/socket.io.js": (MODULES / "socket.io-client" / "dist" / "socket.io.esm.min.js",
                             "text/javascript; charset=utf-8"),
}
DEMO_PAGE = WEB / "demo" / "index.html"


def missing_files() -> list[Path]:
    return [p for p, _ in FILES.values() if not p.is_file()] + \
        ([] if DEMO_PAGE.is_file() else [DEMO_PAGE])


class Site:
    """The bytes of every file, read once (gzipped on first request)."""

    def __init__(self, rasa_url: str, public_url: str) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.public_url = public_url.rstrip("/")
        self._gz: Dict[str, bytes] = {}
        self._lock = threading.Lock()
        self.content: Dict[str, Tuple[bytes, str]] = {}
        for path, (file, ctype) in FILES.items():
            self.content[path] = (file.read_bytes(), ctype)
        page = DEMO_PAGE.read_text(encoding="utf-8")
        page = page.replace("{{RASA_URL}}", html.escape(self.rasa_url, quote=True))
        page = page.replace("{{WIDGET_URL}}",
                            html.escape(self.public_url + "/advisor-chat.js", quote=True))
        self.content["/"] = (page.encode("utf-8"), "text/html; charset=utf-8")
        self.content["/index.html"] = self.content["/"]
        self.content["/health"] = (b"ok\n", "text/plain; charset=utf-8")

    def gzipped(self, path: str) -> bytes:
        with self._lock:
            if path not in self._gz:
                self._gz[path] = gzip.compress(self.content[path][0], compresslevel=9, mtime=0)
            return self._gz[path]


def make_handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "advisor-web"
        sys_version = ""
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            sys.stderr.write(f"web: {self.address_string()} {format % args}\n")

        def _send(self, head_only: bool) -> None:
            path = urlsplit(self.path).path
            if path not in site.content:
                body = b"not found\n"
                self.send_response(HTTPStatus.NOT_FOUND)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head_only:
                    self.wfile.write(body)
                return
            body, ctype = site.content[path]
            encoding = None
            if "gzip" in (self.headers.get("Accept-Encoding") or "") and len(body) > 1024:
                body, encoding = site.gzipped(path), "gzip"
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Vary", "Accept-Encoding")
            if encoding:
                self.send_header("Content-Encoding", encoding)
            if path not in ("/", "/index.html"):
                self.send_header("Access-Control-Allow-Origin", "*")
            else:
                self.send_header("Referrer-Policy", "no-referrer")
            self.end_headers()
            if not head_only:
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            self._send(head_only=False)

        def do_HEAD(self) -> None:  # noqa: N802
            self._send(head_only=True)

    return Handler


def serve(host: str, port: int, rasa_url: str, ready: Optional[threading.Event] = None) -> None:
    missing = missing_files()
    if missing:
        raise SystemExit("serve_web: missing " + ", ".join(str(p) for p in missing) +
                         "\n  run `npm ci` in web/ (or `make setup`)")
    site = Site(rasa_url, f"http://{host}:{port}")
    httpd = ThreadingHTTPServer((host, port), make_handler(site))
    httpd.daemon_threads = True

    def stop(signum: int, _frame: object) -> None:
        # shutdown() waits for serve_forever() to return, so it must run in another thread
        threading.Thread(target=httpd.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"serve_web: http://{host}:{httpd.server_address[1]}/ (bot: {site.rasa_url})",
          flush=True)
    if ready is not None:
        ready.set()
    try:
        httpd.serve_forever(poll_interval=0.2)
    finally:
        httpd.server_close()
        print("serve_web: stopped", flush=True)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005",
                        help="the Rasa server the widget talks to (its webchat channel)")
    args = parser.parse_args(argv)
    serve(args.host, args.port, args.rasa_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
