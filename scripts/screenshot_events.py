"""Screenshot dondoc's events in the Prefect UI's event feed for docs/automations.md (a script).

Starts a throwaway `prefect server start` on a free port (its own PREFECT_HOME, the UI on),
loads the seed plan into a temporary database, runs `dondoc track` for 10/03/2023 09:00, opens
the event feed in headless Chromium and saves docs/automations/event-feed.png (the overdue
events), event-plan.png (the run's `dondoc.plan.evaluated`) and event-feed-v2.png (the feed
in Prefect's newer UI, /v2). It prints
what the feed shows for the run's flow run and chips, to check docs/automations.md against.
Run: `.venv/bin/python -m scripts.screenshot_events` (needs Debian's chromium).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flows.local_api import free_port
from scripts.screenshot_prefect import CHROMIUM, CHROMIUM_ARGS, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "automations"


def shoot(ui: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(
            viewport={"width": 1400, "height": 1000},
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
        )
        for name, path in (
            ("event-feed", "/events?events=dondoc.assignment.overdue"),
            ("event-plan", "/events?events=dondoc.plan.evaluated"),
            ("event-feed-v2", "/v2/events"),  # Prefect's newer UI, one click away
        ):
            page.goto(f"{ui}{path}", wait_until="networkidle")
            page.get_by_text("Dondoc").first.wait_for(timeout=30_000)
            page.wait_for_timeout(3000)
            page.screenshot(path=str(OUT / f"{name}.png"))
            text = page.inner_text("body")
            print(f"--- {path}\n{text[:1500]}\n", file=sys.stderr)
        browser.close()


def main() -> None:
    port = free_port()
    ui, api = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port}/api"
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "PREFECT_HOME": home,
            "PREFECT_API_URL": api,
            "PREFECT_UI_URL": ui,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_UI_API_URL": api,
            "DONDOC_DATABASE_URL": f"sqlite:///{home}/dondoc.db",
            "DONDOC_OUTBOX_DIR": f"{home}/outbox",
            "DONDOC_BOARD_DIR": f"{home}/board",
        }
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/prefect"), "server", "start", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        dondoc = str(ROOT / ".venv/bin/dondoc")
        try:
            wait_healthy(api)
            subprocess.run([dondoc, "plan", "load", "plans/gap-mat-2023.yaml"], env=env, check=True)
            subprocess.run(
                [dondoc, "track", "gap-mat-2023", "--as-of", "10/03/2023 09:00"],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            time.sleep(5)  # the server stores events a moment after they arrive
            shoot(ui)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print("saved docs/automations/event-{feed,plan,feed-v2}.png", file=sys.stderr)


if __name__ == "__main__":
    main()
