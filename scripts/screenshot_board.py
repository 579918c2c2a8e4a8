"""Screenshot the board for the docs (a script, not a test): the file and the live page.

Records the seed plan and its demo arrivals in a throwaway SQLite file (as the demo does),
writes the board of 10/03/2023 09:00 as files (`dondoc board`) and saves the page as
docs/img/board.png; then serves the database with uvicorn on a free loopback port in a
thread, opens /plans/gap-mat-2023?as_of=10/03/2023 09:00 in headless Chromium and saves
docs/img/board-live.png.
Run: `.venv/bin/python scripts/screenshot_board.py` (needs Debian's chromium).
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotations: main() imports playwright when it runs
    from playwright.sync_api import ViewportSize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.local_api import free_port  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
TARGET = ROOT / "docs" / "img" / "board-live.png"
FILE_TARGET = ROOT / "docs" / "img" / "board.png"
FILE_VIEWPORT: ViewportSize = {"width": 1400, "height": 1800}
PAGE = "/plans/gap-mat-2023?as_of=10/03/2023%2009:00"
VIEWPORT: ViewportSize = {"width": 1400, "height": 1150}


def seed_database() -> None:
    """The seed plan and every demo arrival (with its figures), recorded like `dondoc receive`,
    on the current runtime."""
    from flows import runtime
    from flows.demo.replay import SEED_ARRIVALS, SEED_PLAN, record_all
    from models.files.arrivals_csv import read_arrivals_csv
    from models.loader import read_plan_file
    from models.storage.store import save_plan

    loaded = read_plan_file(SEED_PLAN)
    with runtime.session() as session:
        save_plan(session, loaded)
    arrivals = sorted(read_arrivals_csv(SEED_ARRIVALS, loaded.plan.tz), key=lambda a: a.received_at)
    record_all(loaded.plan.code, arrivals, datetime.now(UTC))


def main() -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from flows import runtime
    from flows.web import create_app
    from models.storage.store import read_snapshot
    from notifications.board_files import write_board_at

    with tempfile.TemporaryDirectory() as folder, runtime.use(runtime.in_folder(Path(folder))):
        seed_database()
        with runtime.session() as session:
            snapshot = read_snapshot(session, "gap-mat-2023")
        morning = datetime(2023, 3, 10, 9, tzinfo=snapshot.plan.tz)
        board_file = write_board_at(snapshot, morning, Path(folder) / "board")[0]
        port = free_port()
        app = create_app(runtime.current())
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
                page = browser.new_page(viewport=VIEWPORT)
                page.goto(f"http://127.0.0.1:{port}{PAGE}")
                page.screenshot(path=str(TARGET))
                page = browser.new_page(viewport=FILE_VIEWPORT)
                page.goto(board_file.as_uri())
                page.screenshot(path=str(FILE_TARGET))
                browser.close()
        finally:
            server.should_exit = True
            thread.join(10)
    print(f"wrote {FILE_TARGET.relative_to(ROOT)} and {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
