"""Screenshot a unit's own page for the docs (a script, not a test), as a phone shows it.

Records the seed plan in a throwaway SQLite file, signs the personal link of Huyện ủy Hương
Khê's report (bc-huyen) as an e-mail of 07/03/2023 09:00 would carry it, serves the database
with uvicorn on a free loopback port in a thread, the clock at that moment, and in headless
Chromium on a phone-sized screen (390×844, vi-VN, Asia/Ho_Chi_Minh): saves the page before
anything is done as docs/img/unit-page.png; clicks "Đã nhận nhiệm vụ", fills the sender's name
and the seat count, attaches a one-page PDF, sends, and saves the page that confirms it (the
status, the file list with SHA-256, the history) as docs/img/unit-submitted.png.
Run: `.venv/bin/python scripts/screenshot_unit.py` (needs Debian's chromium).
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # for the annotations: main() imports playwright when it runs
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
PAGE_TARGET = ROOT / "docs" / "img" / "unit-page.png"
SUBMITTED_TARGET = ROOT / "docs" / "img" / "unit-submitted.png"
MORNING = datetime(2023, 3, 7, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
PLAN, DELIVERABLE, UNIT = "gap-mat-2023", "bc-huyen", "huong-khe"
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
    "timezone_id": "Asia/Ho_Chi_Minh",
}


def seed_database() -> str:
    """The seed plan on the current runtime; the token of the unit's link, signed at MORNING
    with the key `dondoc web` makes when it starts."""
    from flows import runtime
    from flows.demo.replay import SEED_PLAN
    from models.loader import read_plan_file
    from models.storage.store import save_plan
    from notifications.links import sign

    with runtime.session() as session:
        save_plan(session, read_plan_file(SEED_PLAN))
    secret = runtime.current().link_secret(MORNING)
    return sign(secret, PLAN, DELIVERABLE, UNIT, MORNING)


def shoot(browser: Browser, link: str, pdf: Path) -> None:
    """The two screenshots, through the page as the unit uses it."""
    page = browser.new_context(**PHONE).new_page()
    page.goto(link)
    page.screenshot(path=str(PAGE_TARGET), full_page=True)
    page.get_by_role("button", name="Đã nhận nhiệm vụ").click()
    page.wait_for_url("**xong=da-nhan")
    page.get_by_label("Người gửi (họ tên, chức vụ)").fill("Nguyễn Thị Hoa, Chánh Văn phòng")
    page.get_by_label("Số đại biểu dự gặp mặt").fill("27")
    page.get_by_label("Ghi chú").fill("Danh sách đại biểu theo thành phần ở trang 2.")
    page.set_input_files("#tep", pdf)
    page.get_by_role("button", name="Nộp kết quả").click()
    page.wait_for_url("**xong=da-nop")
    page.screenshot(path=str(SUBMITTED_TARGET), full_page=True)


def main() -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from flows import runtime
    from flows.local_api import free_port
    from flows.web import create_app
    from notifications.links import LINK_PATH
    from tests.models.uploads.samples import pdf_bytes

    with tempfile.TemporaryDirectory() as folder, runtime.use(runtime.in_folder(Path(folder))):
        token = seed_database()
        pdf = Path(folder) / "bao-cao-huong-khe.pdf"
        pdf.write_bytes(pdf_bytes("Bao cao kho khan, vuong mac va so dai bieu"))
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
                shoot(browser, f"http://127.0.0.1:{port}/{LINK_PATH}/{token}", pdf)
                browser.close()
        finally:
            server.should_exit = True
            thread.join(10)
    print(f"wrote {PAGE_TARGET.relative_to(ROOT)} and {SUBMITTED_TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
