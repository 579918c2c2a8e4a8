"""Screenshot the coordinator console for the docs (a script, not a test).

Records the seed plan and its demo arrivals in a throwaway SQLite file (as the demo does), adds
a coordinator's account, serves the database with uvicorn on a free loopback port in a thread,
the clock at 10/03/2023 09:00, and in headless Chromium: saves the login page as
docs/img/console-login.png; logs in, returns the first arrival waiting for review with a reason,
opens the next one's return form and saves the console (confirmation, the arrivals waiting
for review, the late assignments) as docs/img/console-review.png.
Run: `.venv/bin/python scripts/screenshot_console.py` (needs Debian's chromium).
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # for the annotations: main() imports playwright when it runs
    from playwright.sync_api import Browser, ViewportSize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
LOGIN_TARGET = ROOT / "docs" / "img" / "console-login.png"
REVIEW_TARGET = ROOT / "docs" / "img" / "console-review.png"
MORNING = datetime(2023, 3, 10, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
LOGIN_VIEWPORT: ViewportSize = {"width": 900, "height": 620}
VIEWPORT: ViewportSize = {"width": 1400, "height": 1250}
USERNAME, PASSWORD = "nguyen.van.an", "một mật khẩu đủ dài"


def seed_database() -> None:
    """The seed plan, every demo arrival until 10/03/2023 09:00, and a coordinator."""
    from flows import runtime
    from models.accounts import Role
    from models.storage.accounts import add_account
    from scripts.screenshot_board import seed_database as seed_plan_and_arrivals

    seed_plan_and_arrivals()
    with runtime.session() as session:
        add_account(session, USERNAME, "Nguyễn Văn An", Role.COORDINATOR, PASSWORD, MORNING)


def shoot(browser: Browser, base: str) -> None:
    """The two screenshots, through the pages as a coordinator uses them."""
    page = browser.new_page(viewport=LOGIN_VIEWPORT)
    page.goto(f"{base}/dieu-phoi")
    page.fill("#username", USERNAME)
    page.screenshot(path=str(LOGIN_TARGET))
    page.fill("#password", PASSWORD)
    page.click("form.login button")
    page.wait_for_url("**/dieu-phoi")
    page.set_viewport_size(VIEWPORT)
    first = page.locator("tr.review-row").first
    first.locator("details.return summary").click()
    first.locator("textarea[name=note]").fill("thiếu danh sách đại biểu, đề nghị bổ sung")
    first.locator("details.return button").click()
    page.wait_for_url("**/dieu-phoi")
    following = page.locator("tr.review-row").nth(1)
    following.locator("details.return summary").click()
    page.screenshot(path=str(REVIEW_TARGET))


def main() -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from flows import runtime
    from flows.local_api import free_port
    from flows.web import create_app

    with tempfile.TemporaryDirectory() as folder, runtime.use(runtime.in_folder(Path(folder))):
        seed_database()
        runtime.current().link_secret(MORNING)  # as `dondoc web` does when it starts
        port = free_port()
        app = create_app(runtime.current(), lambda: MORNING)
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
                shoot(browser, f"http://127.0.0.1:{port}")
                browser.close()
        finally:
            server.should_exit = True
            thread.join(10)
    print(f"wrote {LOGIN_TARGET.relative_to(ROOT)} and {REVIEW_TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
