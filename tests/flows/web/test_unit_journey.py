"""A unit answers from the link in its e-mail, as issue 16 tells it, in a real Chromium against a
real `dondoc web` process: the reminder the track-plan flow writes as a .eml file carries the
unit's personal link; on a phone the unit says it has the task and sends a PDF with its seat
count, and gets its receipt; a coordinator returns it with a reason, the unit sends again, the
coordinator accepts. `dondoc status`, the board, each track-plan run and `dondoc log` follow.

The moments. The reminder is the seed plan's own (06/03/2023 09:00, three days before the
districts' report is due "trước ngày 09/3/2023"): that run is given `as_of`. Everything after
happens at the wall clock (2026 or later), because that is the only clock of a `dondoc web`
process: the unit's page, its acknowledgement, its arrivals and the coordinator's decisions are
recorded "now", so every later look (track-plan runs without `as_of`, `dondoc status`, the live
board) is at "now" too; a look at 2023 would not see them yet. The district is then years late:
each arrival is "Hoàn thành quá hạn" (the seed plan keeps the default `review: on_arrival`: an
arrival counts as done when it arrives, a return reopens it, an acceptance keeps it done).
The link opens although the plan ended in 2023: it is signed at the wall clock when the e-mail
is composed, and opens until DONDOC_WEB_LINK_DAYS (30) after the later of the plan's last
deadline and its signing (notifications/links.py), so the default is enough; no setting is
needed. The office is open whenever this test runs: the runs at "now" happen at the wall clock,
and the ladder decides nothing outside office hours on working days (a run at 22:00 or on a
Sunday would decide no overdue notice, and the story below would depend on the hour), so the
test process's office calendar is open at every moment; office hours have tests of their own
(tests/notifications/test_calendar.py, the ladder's). The e-mails of those runs are sent with
`dondoc outbox send --any-time` for the same reason.

Playwright's sync API keeps an asyncio loop running on the thread that starts it, and Prefect's
sync calls would then turn async (tests/conftest.py): Chromium is driven from a thread of its
own, the flow runs on the test's.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from hashlib import sha256
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import httpx
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.local_api import free_port
from flows.track import track_plan
from models.loader import LoadedPlan
from notifications.calendar import OfficeCalendar
from tests.builders import local
from tests.html_pages import elements, parse_html
from tests.models.uploads.samples import pdf_bytes
from tests.web_servers import dondoc_web, seed_database

if TYPE_CHECKING:  # for the annotations: the fixture imports playwright when it runs
    from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright

pytestmark = [pytest.mark.browser, pytest.mark.prefect, pytest.mark.db]
T = TypeVar("T")
CHROMIUM = "/usr/bin/chromium"
PLAN, DELIVERABLE, UNIT = "gap-mat-2023", "bc-huyen", "huong-khe"
REMINDER_MORNING = local(2023, 3, 6, 9, 0)  # Monday, three days before "trước ngày 09/3/2023"
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "locale": "vi-VN",
    "timezone_id": "Asia/Ho_Chi_Minh",
    "is_mobile": True,
    "has_touch": True,
}
DESK: dict[str, Any] = {**PHONE, "viewport": {"width": 1400, "height": 1000}, "is_mobile": False}
SENDER = "Nguyễn Thị Hoa, Chánh Văn phòng Huyện ủy"
COORDINATOR = ("tran.thi.binh", "Trần Thị Bình", "mật khẩu điều phối 2026")
# What `dondoc log` says was recorded, in this order (the e-mails between them apart).
STORY = ["Đã nhận nhiệm vụ", "Ghi nhận đã nộp", "Trả lại", "Ghi nhận đã nộp", "Chấp nhận"]
REASON = "thiếu danh sách đại biểu theo thành phần, đề nghị bổ sung"


class ChromiumThread:
    """Headless Chromium whose every step runs on one thread of its own (see the docstring)."""

    def __init__(self) -> None:
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="chromium")
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None

    def start(self) -> None:
        from playwright.sync_api import sync_playwright

        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, headless=True)

    def stop(self) -> None:
        if self.browser is not None:
            self.browser.close()
        if self.playwright is not None:
            self.playwright.stop()

    def run(self, step: Callable[..., T], *args: Any) -> T:
        """`step(browser, *args)` on Chromium's thread; its result or its exception."""
        return self.executor.submit(lambda: step(self.browser, *args)).result()


@pytest.fixture
def chromium() -> Iterator[ChromiumThread]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)")
    thread = ChromiumThread()
    try:
        thread.executor.submit(thread.start).result()
        yield thread
    finally:
        thread.executor.submit(thread.stop).result()
        thread.executor.shutdown()


@dataclass(frozen=True)
class Office:
    """Where the journey happens: the `dondoc web` address and the folder of sent e-mails."""

    base: str
    outbox: Path


@pytest.fixture
def office(
    prefect_server: None, seed: LoadedPlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Office]:
    """The seed plan in a fresh SQLite file, `dondoc web` serving it on a free loopback port,
    and this process (the flow, the CLI) on the same database, its e-mails as .eml files that
    carry links to that server."""
    monkeypatch.setattr(OfficeCalendar, "is_open", lambda self, moment: True)
    database = seed_database(tmp_path, seed)
    base = f"http://127.0.0.1:{(port := free_port())}"
    outbox = tmp_path / "outbox"
    for name, value in {
        "DONDOC_DATABASE_URL": database,
        "DONDOC_MAIL_TRANSPORT": "file",
        "DONDOC_OUTBOX_DIR": str(outbox),
        "DONDOC_BOARD_DIR": str(tmp_path / "board"),
        "DONDOC_WEB_BASE_URL": base,
        "COLUMNS": "220",
    }.items():
        monkeypatch.setenv(name, value)
    with dondoc_web(database, tmp_path / "web.log", port, DONDOC_WEB_BASE_URL=base):
        yield Office(base, outbox)


def dondoc(*args: str, stdin: str | None = None) -> str:
    """`dondoc ARGS…` in-process; its output, once it exited 0."""
    result = CliRunner().invoke(app, list(args), input=stdin, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def track(as_of: Any = None) -> dict[str, Any]:
    """A track-plan run (at `as_of`, else now), its e-mails sent even out of office hours; the
    assignment's line of the run's status document."""
    state = track_plan(PLAN, as_of=as_of, return_state=True)
    assert state.is_completed(), state.message
    dondoc("outbox", "send", PLAN, "--any-time")
    # The flow is annotated `-> State` (it returns its final state); that state's data is the
    # status document.
    return ours(cast(dict[str, Any], state.result()))


def ours(document: dict[str, Any]) -> dict[str, Any]:
    return next(
        line
        for line in document["assignments"]
        if (line["deliverable"], line["unit"]) == (DELIVERABLE, UNIT)
    )


def status_now() -> dict[str, Any]:
    return ours(json.loads(dondoc("status", PLAN, "--json")))


def board_hint(office: Office) -> str:
    """The title of the assignment's cell on the live board, as `dondoc web` serves it now."""
    page = httpx.get(f"{office.base}/plans/{PLAN}", timeout=30)
    assert page.status_code == 200
    cell = f'//td[@data-unit="{UNIT}"][@data-deliverable="{DELIVERABLE}"]'
    (found,) = elements(parse_html(page.text), cell)
    return str(found.get("title"))


@dataclass(frozen=True)
class Seen:
    """The assignment after a step, as a new track-plan run's status document, `dondoc status
    --json` and the live board's cell (its title) show it."""

    run: dict[str, Any]
    status: dict[str, Any]
    board: str


def everywhere(office: Office) -> Seen:
    """A track-plan run now (its e-mails sent), then `dondoc status`, then the board; the run
    and the command agree (but for days late, should a day begin between them)."""
    seen = Seen(track(), status_now(), board_hint(office))
    assert {**seen.run, "days_late": 0} == {**seen.status, "days_late": 0}
    return seen


def mails(office: Office, rule: str) -> list[Path]:
    """The .eml files of `rule` about the assignment, oldest key first."""
    return sorted(office.outbox.glob(f"{PLAN}_{rule}_{DELIVERABLE}_{UNIT}_*.eml"))


def text_of(eml: Path) -> str:
    """The plain-text part of a .eml file, decoded as a mail reader does."""
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def personal_link(office: Office, eml: Path) -> str:
    """The one personal link in the text of an e-mail."""
    (link,) = re.findall(rf"{re.escape(office.base)}/n/\S+", text_of(eml))
    return str(link)


def written_pdf(folder: Path, name: str, text: str) -> tuple[Path, str]:
    """A real one-page PDF at folder/name, and its SHA-256."""
    path = folder / name
    path.write_bytes(pdf_bytes(text))
    return path, sha256(path.read_bytes()).hexdigest()


# What Chromium does (on its thread): each step returns what the page showed.


def unit_page(browser: Browser, link: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    response = page.goto(link)
    assert response is not None and response.status == 200
    return context, page


def fits_the_phone(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def unit_acknowledges(browser: Browser, link: str) -> dict[str, Any]:
    context, page = unit_page(browser, link)
    shown: dict[str, Any] = {"title": page.title(), "status": page.inner_text("span.status")}
    shown["fits"] = fits_the_phone(page)
    page.get_by_role("button", name="Đã nhận nhiệm vụ").click()
    page.wait_for_url("**xong=da-nhan")
    shown["notice"] = page.inner_text(".notice")
    context.close()
    return shown


def unit_sends(browser: Browser, link: str, seats: str, pdf: Path) -> dict[str, Any]:
    context, page = unit_page(browser, link)
    shown: dict[str, Any] = {"before": page.inner_text("main")}
    page.get_by_label("Người gửi (họ tên, chức vụ)").fill(SENDER)
    page.get_by_label("Số đại biểu dự gặp mặt").fill(seats)
    page.set_input_files("#tep", pdf)
    page.get_by_role("button", name="Nộp kết quả").click()
    page.wait_for_url("**xong=da-nop")
    shown |= {
        "notice": page.inner_text(".notice"),
        "status": page.inner_text("span.status"),
        "files": page.inner_text("ul.files"),
        "forms": page.locator("form.act").count(),
        "fits": fits_the_phone(page),
    }
    context.close()
    return shown


def coordinator_logs_in(browser: Browser, base: str) -> Page:
    page = browser.new_context(**DESK).new_page()
    page.goto(f"{base}/dieu-phoi")
    page.fill("#username", COORDINATOR[0])
    page.fill("#password", COORDINATOR[2])
    page.click("form.login button")
    page.wait_for_url("**/dieu-phoi")
    return page


def arrival_row(page: Page) -> Locator:
    page.reload()
    return page.locator(f'tr.review-row[data-deliverable="{DELIVERABLE}"][data-unit="{UNIT}"]')


def coordinator_returns(browser: Browser, page: Page) -> str:
    row = arrival_row(page)
    row.locator("details.return summary").click()
    row.locator("textarea[name=note]").fill(REASON)
    row.locator("details.return button").click()
    page.wait_for_url("**/dieu-phoi")
    return page.inner_text("#note")


def coordinator_accepts(browser: Browser, page: Page) -> tuple[str, str, int]:
    row = arrival_row(page)
    figures = row.inner_text()
    row.locator("button.accept").click()
    page.wait_for_url("**/dieu-phoi")
    return page.inner_text("#note"), figures, arrival_row(page).count()


def test_a_unit_answers_from_its_e_mail_link_is_returned_sends_again_and_is_accepted(
    chromium: ChromiumThread, office: Office, tmp_path: Path
) -> None:
    # The reminder: a real .eml, with the unit's personal link in its text.
    assert track(REMINDER_MORNING)["status"] == "due_soon"
    (reminder,) = mails(office, "reminder")
    link = personal_link(office, reminder)

    # On a phone, the unit says it has the task: the run, `dondoc status` and the board know.
    seen = chromium.run(unit_acknowledges, link)
    assert seen["title"].startswith("Báo cáo khó khăn") and seen["status"] == "Quá hạn"
    assert seen["notice"].startswith("Văn phòng đã ghi nhận: đơn vị đã nhận nhiệm vụ")
    assert seen["fits"], "the unit's page is wider than a phone"
    acknowledged = everywhere(office)
    assert acknowledged.status["status"] == "overdue" and acknowledged.status["acknowledged_at"]
    assert acknowledged.board.startswith("Quá hạn") and "đã nhận việc" in acknowledged.board

    # It sends a PDF and its seat count, and gets its receipt listing the file's SHA-256.
    first_pdf, first_sha = written_pdf(tmp_path, "bao-cao-huong-khe.pdf", "Bao cao lan 1")
    sent = chromium.run(unit_sends, link, "27", first_pdf)
    assert "Đơn vị đã báo nhận nhiệm vụ lúc" in sent["before"]
    assert sent["notice"].startswith("Văn phòng đã nhận bài nộp của đơn vị")
    assert sent["status"] == "Hoàn thành quá hạn" and sent["forms"] == 0
    assert "bao-cao-huong-khe.pdf" in sent["files"] and first_sha in sent["files"]
    assert sent["fits"], "the page with its file list is wider than a phone"
    arrived = everywhere(office)
    assert (arrived.status["status"], arrived.status["data"]) == ("done_late", {"so_dai_bieu": 27})
    assert arrived.board.startswith("Hoàn thành quá hạn — nộp lúc") and "27" in arrived.board
    (receipt,) = mails(office, "receipt")
    assert re.search(rf"- bao-cao-huong-khe\.pdf \(.+\), SHA-256: {first_sha}", text_of(receipt))

    # A coordinator logs in and returns it with a reason; the unit is told why.
    dondoc(
        "user", "add", COORDINATOR[0], "--role", "coordinator", "--full-name", COORDINATOR[1],
        "--password-stdin", stdin=COORDINATOR[2] + "\n",
    )  # fmt: skip
    console = chromium.run(coordinator_logs_in, office.base)
    note = chromium.run(coordinator_returns, console)
    assert note.startswith(f"Đã trả lại: {DELIVERABLE} · ") and REASON in note
    returned = everywhere(office)
    assert (returned.status["status"], returned.status["return_note"]) == ("returned", REASON)
    assert returned.board.startswith("Bị trả lại") and f"lý do: {REASON}" in returned.board
    (return_mail,) = mails(office, "returned")
    assert f"- Lý do: {REASON}" in text_of(return_mail)
    # Each e-mail signs the link anew (its own time), for the same assignment.
    new_link = personal_link(office, return_mail)
    assert new_link.split(".")[0] == link.split(".")[0] and new_link != link

    # The unit opens the link of that e-mail, reads why, and sends a new PDF.
    second_pdf, second_sha = written_pdf(tmp_path, "bao-cao-bo-sung.pdf", "Bao cao bo sung")
    again = chromium.run(unit_sends, new_link, "31", second_pdf)
    assert "Bị trả lại" in again["before"] and REASON in again["before"]
    assert again["notice"].startswith("Văn phòng đã nhận bài nộp")
    assert second_sha in again["files"] and first_sha in again["files"]
    resent = everywhere(office)
    assert (resent.status["status"], resent.status["data"]) == ("done_late", {"so_dai_bieu": 31})
    assert resent.status["returned_at"] is None and "31" in resent.board
    receipts = mails(office, "receipt")
    assert len(receipts) == 2 and second_sha in text_of(receipts[-1])

    # The coordinator accepts it: done, everywhere.
    accepted, row, left = chromium.run(coordinator_accepts, console)
    assert accepted.startswith(f"Đã chấp nhận: {DELIVERABLE} · ") and "31" in row and left == 0
    final = everywhere(office)
    assert (final.status["status"], final.status["data"]) == ("done_late", {"so_dai_bieu": 31})
    assert final.board.startswith("Hoàn thành quá hạn") and "31" in final.board

    # `dondoc log` tells the story in order: what was recorded and which e-mail went out.
    narrowed = ("log", PLAN, "--unit", UNIT, "--deliverable", DELIVERABLE)
    trail = json.loads(dondoc(*narrowed, "--json"))["entries"]
    assert [e.get("rule") or e["action"] for e in trail] == [
        "reminder",  # 06/03/2023 09:00, the run's moment
        "acknowledged",
        "overdue",  # the next run, at the wall clock: years late
        "received",
        "receipt",
        "returned",
        "returned",  # the e-mail
        "received",
        "receipt",
        "accepted",
    ]
    assert all(e["status"] == "sent" for e in trail if e["action"] == "message")
    assert [e["data"] for e in trail if e["action"] == "received"] == [
        {"so_dai_bieu": 27},
        {"so_dai_bieu": 31},
    ]
    assert {e["recorded_by"] for e in trail if e["action"] in ("returned", "accepted")} == {
        COORDINATOR[0]
    }
    table = dondoc(*narrowed)
    rows = [line.split("│") for line in table.splitlines() if re.match(r"│ \d\d/\d\d/", line)]
    assert [row[2].strip() for row in rows if not row[2].strip().startswith("Thư:")] == STORY
    assert REASON in " ".join(table.replace("│", " ").split())
