"""Fixtures for the web widget: Debian's Chromium through Playwright, the widget's web server
(scripts/serve_web.py) and the real Rasa + action servers with the ``webchat`` channel.

Chromium is /usr/bin/chromium (``bash .ci/run`` installs it with apt when it is missing);
Playwright never downloads a browser here. Screenshots go to ``artifacts/web/`` (gitignored),
or to ``$WEB_ARTIFACTS``.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

import rasa_servers as rs  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(os.environ.get("WEB_ARTIFACTS") or ROOT / "artifacts" / "web")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def example_reply() -> Dict[str, Any]:
    """The advice reply printed in docs/reply-model.md (the contract's own example)."""
    doc = (ROOT / "docs" / "reply-model.md").read_text(encoding="utf-8")
    block = re.search(r"## An advice reply\s+```json\n(.*?)```", doc, re.S)
    assert block, "docs/reply-model.md has no advice reply example"
    reply: Dict[str, Any] = json.loads(block.group(1))
    return reply


@dataclass
class WebServer:
    url: str
    port: int
    process: rs.ServerProcess


def start_web(rasa_url: str, log_dir: Path, port: Optional[int] = None) -> WebServer:
    port = port or rs.free_port()
    proc = rs.ServerProcess(
        "web server",
        [sys.executable, str(ROOT / "scripts" / "serve_web.py"), "--host", rs.LOOPBACK,
         "--port", str(port), "--rasa-url", rasa_url],
        ROOT, log_dir / f"web-{port}.log").start()
    url = f"http://{rs.LOOPBACK}:{port}"
    rs._wait_until(proc, lambda: rs.http_get(url + "/health", timeout=2)[0] == 200, 30,
                   "serving (GET /health)")
    return WebServer(url, port, proc)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the session (Playwright's sync API)."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), \
        f"{CHROMIUM} is missing: apt-get install chromium (bash .ci/run does)"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def static_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServer]:
    """serve_web.py pointed at a Rasa URL where nothing listens: for rendering tests."""
    log_dir = tmp_path_factory.mktemp("web-static")
    web = start_web(f"http://{rs.LOOPBACK}:{rs.free_port()}", log_dir)
    try:
        yield web
    finally:
        web.process.stop(10)


@dataclass
class Stack:
    rasa: rs.RasaStack
    web: WebServer

    @property
    def rasa_url(self) -> str:
        return self.rasa.rasa_url


@pytest.fixture(scope="session")
def web_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real action server, the real Rasa server (credentials.yml: webchat channel, allowed
    origin = the web server below) and serve_web.py, all on free loopback ports."""
    log_dir = Path(os.environ.get("E2E_LOG_DIR") or tmp_path_factory.mktemp("web-e2e"))
    override = os.environ.get("E2E_MODEL")
    model = rs.ModelInfo(Path(override), False, None) if override else \
        rs.ensure_model(ROOT, log_path=log_dir / "train.log")
    web_port = rs.free_port()
    origin = f"http://{rs.LOOPBACK}:{web_port}"
    with rs.RasaStack(ROOT, model=model.path, log_dir=log_dir, name="web",
                      extra_env={"INTERVIEW_ADVISOR_RELOAD_SECONDS": "0",
                                 "WEB_ALLOWED_ORIGINS": origin}) as rasa:
        web = start_web(rasa.rasa_url, log_dir, port=web_port)
        try:
            yield Stack(rasa, web)
        finally:
            web.process.stop(10)


@pytest.fixture
def page_errors() -> List[str]:
    return []


def new_page(browser: Any, viewport: Dict[str, int], errors: List[str]) -> Any:
    """A page in a fresh context (its own localStorage) that records errors and dialogs."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]

    def on_dialog(dialog: Any) -> None:
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
