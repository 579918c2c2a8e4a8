"""The board in a real browser: the live page from a real uvicorn and the written file agree
with evaluate (late rows, a cell's title), and the "Xem tại thời điểm" form looks back; and the
coordinator console, from its login to a return recorded and the logout."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
import uvicorn
from starlette.applications import Starlette

from flows.settings import WebSettings
from flows.web import create_app
from models.accounts import Role
from models.evaluate import evaluate
from models.loader import LoadedPlan
from models.statuses import Status
from models.storage.accounts import add_account
from models.storage.engine import make_engine, session_scope
from models.storage.store import read_snapshot
from models.submissions import SubmissionKind
from notifications.board import BoardView, board_view
from notifications.board_files import write_board_files
from tests.passwords import FAST
from tests.paths import ROOT
from tests.runtimes import runtime_on
from tests.web_servers import seed_database

if TYPE_CHECKING:  # for the annotations: the fixture imports playwright when it runs
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.db]
CHROMIUM = "/usr/bin/chromium"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PLAN = "gap-mat-2023"
MORNING = datetime(2023, 3, 10, 9, tzinfo=HCM)
ARRIVALS = ROOT / "plans" / "gap-mat-2023.arrivals.csv"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def database(tmp_path: Path, seed: LoadedPlan) -> str:
    """A SQLite file with the seed plan and its demo arrivals."""
    return seed_database(tmp_path, seed, ARRIVALS)


@contextmanager
def uvicorn_serving(app: Starlette) -> Iterator[str]:
    """`app` under a real uvicorn, on a free loopback port, in a thread."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uvicorn_server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(10)


@pytest.fixture
def server(database: str) -> Iterator[str]:
    """`dondoc web`'s app under a real uvicorn."""
    with uvicorn_serving(create_app(runtime_on(database))) as base:
        yield base


@pytest.fixture
def parted_server(database: str) -> Iterator[str]:
    """The same with the matrix shown at most 30 cells at a time: the seed plan's 81 cells in
    3 parts, as a 100k plan's would be with the default setting."""
    web = WebSettings(matrix_cells=30)
    with uvicorn_serving(create_app(runtime_on(database, web=web))) as base:
        yield base


def expected(database: str, as_of: datetime) -> tuple[list[tuple[str, str]], str, BoardView]:
    """Overdue (deliverable, unit) most late first, the title of the most late one's matrix
    cell, and the board view."""
    engine = make_engine(database)
    with session_scope(engine) as session:
        snapshot = read_snapshot(session, PLAN)
    engine.dispose()
    statuses = evaluate(snapshot.plan, snapshot.submissions, as_of)
    view = board_view(snapshot.plan, statuses, as_of)
    worst = view.late[0]
    row = next(r for s in view.sections for r in s.rows if r.unit == worst.unit)
    cell = next(c for c in row.cells if c and c.deliverable == worst.deliverable)
    overdue = {tuple(s.ref) for s in statuses if s.status is Status.OVERDUE}
    assert {(x.deliverable, x.unit) for x in view.late} == overdue
    return [(x.deliverable, x.unit) for x in view.late], cell.hint, view


def shown(page: Page) -> tuple[list[tuple[str | None, str | None]], str | None]:
    """The late rows in the page's order, and the title attribute of the first one's matrix
    cell, read from the DOM."""
    rows = page.locator("tr.late-row")
    late = [
        (rows.nth(i).get_attribute("data-deliverable"), rows.nth(i).get_attribute("data-unit"))
        for i in range(rows.count())
    ]
    deliverable, unit = late[0]
    cell = f'td.cell[data-unit="{unit}"][data-deliverable="{deliverable}"]'
    return late, page.locator(cell).get_attribute("title")


def test_live_page_in_chromium_agrees_with_evaluate(
    chromium, server: str, database: str, tmp_path: Path
) -> None:
    late, hint, _ = expected(database, MORNING)
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    response = page.goto(f"{server}/plans/{PLAN}?as_of=10/03/2023 09:00")
    assert response.status == 200
    assert shown(page) == (late, hint)
    assert "Quá hạn" in hint and page.title().startswith("Tiến độ:")
    page.screenshot(path=str(tmp_path / "live.png"), full_page=True)

    page.fill("#as_of", "13/03/2023 09:00")
    page.click("nav.live button")
    page.wait_for_url("**as_of=13%2F03%2F2023+09%3A00")
    earlier_late, earlier_hint, _ = expected(database, datetime(2023, 3, 13, 9, tzinfo=HCM))
    assert shown(page) == (earlier_late, earlier_hint) and earlier_late != late
    assert page.input_value("#as_of") == "13/03/2023 09:00"
    page.screenshot(path=str(tmp_path / "live-13-03.png"))
    assert (tmp_path / "live.png").stat().st_size > 10_000
    page.close()


def test_written_board_file_in_chromium_agrees_with_evaluate(
    chromium, database: str, tmp_path: Path
) -> None:
    late, hint, view = expected(database, MORNING)
    html, _ = write_board_files(view, tmp_path / "board")
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(html.as_uri())
    assert shown(page) == (late, hint)
    assert page.locator("nav.live").count() == 0  # the file has no live block
    page.screenshot(path=str(tmp_path / "file.png"), full_page=True)
    page.close()


def test_unknown_plan_in_chromium_is_a_vietnamese_404(chromium, server: str) -> None:
    page = chromium.new_page()
    response = page.goto(f"{server}/plans/gap-mat-2032")
    assert response.status == 404
    assert "Không có kế hoạch 'gap-mat-2032'" in page.inner_text("main")
    page.click("ul.plans a")
    assert page.url.endswith(f"/plans/{PLAN}") and page.locator("nav.live").count() == 1
    page.close()


def test_a_large_board_in_chromium_shows_late_whole_and_walks_the_matrix_parts(
    chromium, parted_server: str, database: str
) -> None:
    late, _, view = expected(database, MORNING)
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    assert page.goto(f"{parted_server}/plans/{PLAN}?as_of=10/03/2023 09:03").status == 200
    rows = page.locator("tr.late-row")
    assert [rows.nth(i).get_attribute("data-unit") for i in range(rows.count())] == [
        unit for _, unit in late
    ]
    note = page.inner_text("#matrix-note")
    assert "phần 1/3" in note and "Excel" in note
    assert "làm tròn xuống mốc 5 phút" in page.inner_text("nav.live")
    assert page.input_value("#as_of") == "10/03/2023 09:00"
    seen = [page.locator("table.matrix tbody tr").nth(0).get_attribute("data-unit")]
    page.locator("nav.parts a", has_text="3").first.click()
    page.wait_for_url("**page=3")
    assert "phần 3/3" in page.inner_text("#matrix-note")
    assert page.locator("nav.parts .current").first.inner_text() == "3"
    assert page.locator("tr.late-row").count() == len(late)  # still whole
    seen.append(page.locator("table.matrix tbody tr").nth(0).get_attribute("data-unit"))
    owing = [row.unit for section in view.sections for row in section.rows]
    assert seen == [owing[0], owing[12]]  # part 3 begins at the 13th unit
    page.close()


COORDINATOR = ("nguyen.van.an", "mật khẩu điều phối 2023")


@pytest.fixture
def console_server(database: str) -> Iterator[str]:
    """`dondoc web` with a coordinator's account, its key made as `dondoc web` makes it, the
    clock at 10/03/2023 09:00 (the arrivals of the seed plan until then wait for review)."""
    engine = make_engine(database)
    with session_scope(engine) as session:
        name, password = COORDINATOR
        add_account(session, name, "Nguyễn Văn An", Role.COORDINATOR, password, MORNING, FAST)
    engine.dispose()
    runtime = runtime_on(database)
    runtime.link_secret(MORNING)
    app = create_app(runtime, lambda: MORNING)
    app.state.console.hasher = FAST
    with uvicorn_serving(app) as base:
        yield base


def test_a_coordinator_logs_in_returns_an_arrival_with_a_reason_and_logs_out(
    chromium, console_server: str, database: str
) -> None:
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{console_server}/dieu-phoi")
    assert page.url.endswith("/dang-nhap") and page.title().startswith("Đăng nhập")
    page.fill("#username", COORDINATOR[0])
    page.fill("#password", COORDINATOR[1])
    page.click("form.login button")
    page.wait_for_url("**/dieu-phoi")
    assert "Nguyễn Văn An" in page.inner_text("div.who")

    row = page.locator("tr.review-row").first
    deliverable, unit = row.get_attribute("data-deliverable"), row.get_attribute("data-unit")
    row.locator("details.return summary").click()
    row.locator("textarea[name=note]").fill("thiếu danh sách đại biểu, đề nghị bổ sung")
    row.locator("details.return button").click()
    page.wait_for_url("**/dieu-phoi")
    note = page.inner_text("#note")
    assert note.startswith(f"Đã trả lại: {deliverable} · ")
    assert "Lý do: thiếu danh sách đại biểu, đề nghị bổ sung." in note
    returned = returns_recorded(database)
    assert returned == [
        (deliverable, unit, COORDINATOR[0], "thiếu danh sách đại biểu, đề nghị bổ sung")
    ]

    page.click("#logout")
    page.wait_for_url("**/dang-nhap")
    assert page.inner_text("#note") == "Đã đăng xuất."
    page.goto(f"{console_server}/dieu-phoi")
    assert page.url.endswith("/dang-nhap")
    page.close()


def returns_recorded(database: str) -> list[tuple[str, str, str, str]]:
    engine = make_engine(database)
    with session_scope(engine) as session:
        rows = read_snapshot(session, PLAN).submissions
    engine.dispose()
    return [
        (row.deliverable, row.unit, row.recorded_by, row.note)
        for row in rows
        if row.kind is SubmissionKind.RETURNED
    ]
