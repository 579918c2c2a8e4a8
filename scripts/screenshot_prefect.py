"""Screenshot a coordinator's day in the Prefect UI for the docs (a script, not a test).

Starts what tests/flows/prefect_ui starts (its helpers): a throwaway `prefect server start`
on a free port with its own PREFECT_HOME, and `dondoc serve --plan gap-mat-2023` on a SQLite
file holding the seed plan and the demo's arrivals but Đức Thọ's district report. Then, in
headless Chromium as a coordinator in Vietnam (vi-VN, Asia/Ho_Chi_Minh):

1. record-submission → Run → Custom run, filled in for that report (08/03/2023 18:00, Vietnam
   time): docs/img/prefect-record-form.png; submitted, and the run waited for;
2. track-plan at 10/03/2023 07:30 (started on its deployment); its graph in the "Dependency
   grid" layout, full screen: docs/img/prefect-chain.png;
3. that run's Artifacts tab, and the late units' table: prefect-artifacts.png, prefect-late.png;
4. Runs, filtered by the tag `qua-han`: prefect-runs.png.

Run: `.venv/bin/python scripts/screenshot_prefect.py` (needs Debian's chromium).
"""

from __future__ import annotations

import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


if TYPE_CHECKING:  # for the annotations: main() imports playwright when it runs
    from playwright.sync_api import Browser, Page

    from tests.flows.prefect_ui.servers import PrefectUI

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
IMAGES = ROOT / "docs" / "img"
AS_OF = datetime(2023, 3, 10, 7, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


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


def coordinator_page(browser: Browser, width: int, height: int, scale: float = 1.0) -> Page:
    """A page as a coordinator in Vietnam sees it: Vietnamese locale, Vietnam time."""
    return browser.new_page(
        viewport={"width": width, "height": height},
        device_scale_factor=scale,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )


def record_form(browser: Browser, ui: PrefectUI) -> None:
    """The form filled in as a coordinator would, then submitted and its run waited for."""
    from tests.flows.prefect_ui.coordinator import (
        choose,
        form_field,
        open_custom_run,
        submit_and_open_run,
        type_text,
    )
    from tests.flows.prefect_ui.servers import finished_run

    page = coordinator_page(browser, 1400, 1000)
    open_custom_run(page, ui.base, "record-submission")
    choose(page, form_field(page, "Nhiệm vụ"), "bc-huyen")
    choose(page, form_field(page, "Đơn vị"), "duc-tho")
    type_text(form_field(page, "Người ghi nhận"), "Nguyễn Thị Lan")
    type_text(form_field(page, "Thời điểm nộp"), "08/03/2023 18:00")
    page.locator("body").click(position={"x": 5, "y": 990})  # the last field loses focus
    page.screenshot(path=str(IMAGES / "prefect-record-form.png"))
    run = finished_run(ui, submit_and_open_run(page, ui.base))
    print(f"record-submission: {run['name']} ({run['state_name']})", file=sys.stderr)
    page.close()


def chain(browser: Browser, ui: PrefectUI, run_id: str) -> None:
    """The run's graph, "Dependency grid", full screen, at 1.5× for legible labels."""
    from tests.flows.prefect_ui.coordinator import choose_graph_layout

    page = coordinator_page(browser, 1400, 800, scale=1.5)
    page.goto(f"{ui.base}/runs/flow-run/{run_id}", wait_until="networkidle")
    choose_graph_layout(page, "Dependency grid")
    page.get_by_title("Toggle fullscreen (f)").click()
    page.wait_for_timeout(1000)
    page.get_by_title("Recenter graph (c)").click()  # fit the chain to the full screen
    page.wait_for_timeout(1500)  # the graph animates to its place
    page.screenshot(path=str(IMAGES / "prefect-chain.png"))
    page.close()


def artifacts(browser: Browser, ui: PrefectUI, run_id: str) -> None:
    from tests.flows.prefect_ui.coordinator import open_tab

    page = coordinator_page(browser, 1600, 1000)
    page.goto(f"{ui.base}/runs/flow-run/{run_id}", wait_until="networkidle")
    open_tab(page, "Artifacts")
    page.get_by_text("gap-mat-2023-late", exact=True).wait_for()
    settle(page)
    page.screenshot(path=str(IMAGES / "prefect-artifacts.png"))
    page.get_by_text("gap-mat-2023-late", exact=True).click()
    page.wait_for_url("**/artifacts/artifact/**")
    settle(page)
    page.screenshot(path=str(IMAGES / "prefect-late.png"))
    page.close()


def late_runs(browser: Browser, ui: PrefectUI) -> None:
    from tests.flows.prefect_ui.coordinator import filter_runs_by_tag

    page = coordinator_page(browser, 1400, 1000)
    filter_runs_by_tag(page, ui.base, "qua-han")
    page.locator(".flow-run-list-item").first.wait_for()
    settle(page)
    page.screenshot(path=str(IMAGES / "prefect-runs.png"))
    page.close()


def settle(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)


def shoot(ui: PrefectUI) -> None:
    from playwright.sync_api import sync_playwright

    from tests.flows.prefect_ui.servers import finished_run, start_run

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        record_form(browser, ui)
        run_id = start_run(ui, "track-plan/track-plan", {"as_of": AS_OF.isoformat()})
        run = finished_run(ui, run_id, seconds=300)
        print(f"track-plan: {run['name']} ({run['state_name']})", file=sys.stderr)
        chain(browser, ui, run_id)
        artifacts(browser, ui, run_id)
        late_runs(browser, ui)
        browser.close()


def main() -> None:
    from models.loader import read_plan_file
    from tests.flows.prefect_ui.seeding import seeded_database
    from tests.flows.prefect_ui.servers import dondoc_serving, prefect_server
    from tests.paths import SEED_PLAN

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        database_url = seeded_database(folder, read_plan_file(SEED_PLAN))
        (folder / "home").mkdir()
        with (
            prefect_server(folder / "home", folder / "server.log") as ui,
            dondoc_serving(ui, database_url, folder),
        ):
            shoot(ui)
    print(f"saved {IMAGES}/prefect-*.png", file=sys.stderr)


if __name__ == "__main__":
    main()
