"""Screenshot a track-plan run graph in the Prefect UI for the docs (a script, not a test).

Starts a throwaway `prefect server start` on a free port (its own PREFECT_HOME), runs the
demo replay against it, opens the run of 10/03/2023 07:30 in headless Chromium and saves
docs/img/prefect-{run-graph,task-runs,artifacts,runs}.png.
Run: `.venv/bin/python scripts/screenshot_prefect.py` (needs Debian's chromium).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(api: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise RuntimeError("the Prefect server did not become healthy")


def run_id_of(api: str, name_part: str) -> str:
    import json

    request = urllib.request.Request(
        f"{api}/flow_runs/filter",
        data=json.dumps({"limit": 50, "sort": "START_TIME_ASC"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        runs = json.load(response)
    return next(r["id"] for r in runs if name_part in r["name"])


def shoot(ui: str, run_id: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(f"{ui}/runs/flow-run/{run_id}", wait_until="networkidle")
        page.wait_for_timeout(6000)
        page.screenshot(path=str(ROOT / "docs" / "img" / "prefect-run-graph.png"))
        page.get_by_text("Task Runs", exact=True).first.click()
        page.wait_for_timeout(4000)
        page.screenshot(path=str(ROOT / "docs" / "img" / "prefect-task-runs.png"), full_page=False)
        page.get_by_text("Artifacts", exact=True).first.click()
        page.wait_for_timeout(3000)
        page.screenshot(path=str(ROOT / "docs" / "img" / "prefect-artifacts.png"))
        page.goto(f"{ui}/runs", wait_until="networkidle")
        page.wait_for_timeout(4000)
        page.screenshot(path=str(ROOT / "docs" / "img" / "prefect-runs.png"))
        browser.close()


def main() -> None:
    port = free_port()
    ui, api = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port}/api"
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "PREFECT_HOME": home,
            "PREFECT_API_URL": api,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_UI_API_URL": api,
        }
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/prefect"), "server", "start", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_healthy(api)
            subprocess.run(
                [str(ROOT / ".venv/bin/dondoc"), "demo", "--dir", f"{home}/demo"],
                env=env,
                check=True,
            )
            shoot(ui, run_id_of(api, "10/03/2023"))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print("saved docs/img/prefect-*.png", file=sys.stderr)


if __name__ == "__main__":
    main()
