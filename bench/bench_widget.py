"""Benchmark of the web chat widget in headless Chromium against the real servers (trains the
bot first if needed). Prints figures; asserts nothing.

- page weight: bytes of script and style the demo page loads (raw, and gzipped as served);
- time from navigation start to a usable input (the chat opened, the session confirmed);
- time from sending a description to the rendered advice cards;
medians over several runs, each in a fresh browser context (empty cache, new conversation).

    .venv/bin/python bench/bench_widget.py [--runs 5]
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import rasa_servers as rs  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DESCRIPTION = "The recruiter couldn't say what the job is and they rescheduled twice."


def start_web(rasa_url: str, port: int, log_dir: Path) -> rs.ServerProcess:
    proc = rs.ServerProcess("web server", [
        sys.executable, str(ROOT / "scripts" / "serve_web.py"), "--host", rs.LOOPBACK,
        "--port", str(port), "--rasa-url", rasa_url], ROOT, log_dir / "web.log").start()
    rs._wait_until(proc, lambda: rs.http_get(f"http://{rs.LOOPBACK}:{port}/health")[0] == 200,
                   30, "serving")
    return proc


def one_run(browser: Any, url: str) -> Dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    loaded: List[Any] = []
    page.on("requestfinished", lambda req: loaded.append(req))
    t0 = time.perf_counter()
    page.goto(url + "/")
    page.get_by_role("button", name="Open the Interview Advisor chat").click()
    page.locator("advisor-chat[ready]").wait_for(state="attached", timeout=60_000)
    page.get_by_role("textbox", name="Message to the Interview Advisor").wait_for()
    ready = time.perf_counter() - t0
    nav_ready = page.evaluate("performance.now()") / 1000  # since navigation start

    weights = {"raw": 0, "gzip": 0, "files": []}
    for req in loaded:
        if req.resource_type not in ("script", "stylesheet", "fetch") or \
                not req.url.startswith(url):
            continue
        if req.resource_type == "fetch" and not req.url.endswith(".css"):
            continue  # the history request is data, not page weight
        resp = req.response()
        body = resp.body() if resp else b""
        weights["raw"] += len(body)
        weights["gzip"] += len(gzip.compress(body, 9))
        weights["files"].append((req.url[len(url):], len(body)))

    textbox = page.get_by_role("textbox", name="Message to the Interview Advisor")
    textbox.fill(DESCRIPTION)
    t1 = time.perf_counter()
    textbox.press("Enter")
    page.locator(".ia-advice").first.wait_for(timeout=120_000)
    advice = time.perf_counter() - t1
    context.close()
    return {"ready": nav_ready, "ready_wall": ready, "advice": advice, "weights": weights}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rs.install_signal_handlers()

    from playwright.sync_api import sync_playwright

    log_dir = Path(tempfile.mkdtemp(prefix="bench-widget-"))
    model = rs.ensure_model(ROOT, log_path=log_dir / "train.log")
    web_port = rs.free_port()
    origin = f"http://{rs.LOOPBACK}:{web_port}"
    with rs.RasaStack(ROOT, model=model.path, log_dir=log_dir, name="bench-widget",
                      extra_env={"WEB_ALLOWED_ORIGINS": origin}) as stack:
        web = start_web(stack.rasa_url, web_port, log_dir)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    one_run(browser, origin)  # warm-up: Rasa's first message loads models
                    runs = [one_run(browser, origin) for _ in range(args.runs)]
                finally:
                    browser.close()
        finally:
            web.stop(10)

    w = runs[0]["weights"]
    print(f"web widget bench ({args.runs} runs after a warm-up, headless Chromium, "
          f"fresh context each run)")
    print(f"  page weight (script + style): {w['raw'] / 1024:.1f} KiB raw, "
          f"{w['gzip'] / 1024:.1f} KiB gzipped")
    for name, size in sorted(w["files"], key=lambda f: -f[1]):
        print(f"    {name:28s} {size / 1024:8.1f} KiB")
    ready = [r["ready"] for r in runs]
    advice = [r["advice"] for r in runs]
    print(f"  navigation start -> usable input (chat open, session confirmed): median "
          f"{statistics.median(ready) * 1000:.0f} ms (min {min(ready) * 1000:.0f}, "
          f"max {max(ready) * 1000:.0f})")
    print(f"  send description -> advice cards rendered: median "
          f"{statistics.median(advice) * 1000:.0f} ms (min {min(advice) * 1000:.0f}, "
          f"max {max(advice) * 1000:.0f})")
    print(f"  logs: {log_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
