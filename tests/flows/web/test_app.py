"""`dondoc web`: the live board over HTTP agrees with evaluate, answers bad requests clearly,
stays read-only, asks for a login when configured, and binds loopback by default."""

from __future__ import annotations

import base64
import io
import os
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from pydantic import SecretStr
from sqlalchemy import Engine
from typer.testing import CliRunner

with warnings.catch_warnings():  # Starlette 1.x would rather have httpx2; httpx works the same
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from flows.cli.web import is_loopback
from flows.settings import Settings, WebSettings
from flows.web import boards, create_app
from flows.web.cache import Page, PageCache
from flows.web.connection import GuardedH11Protocol
from flows.web.gate import basic_credentials
from flows.web.renders import Busy
from models.errors import InvalidInputError
from models.evaluate import AssignmentStatus, evaluate
from models.loader import LoadedPlan
from models.plan import Plan
from models.status_document import status_document
from models.statuses import Status
from models.storage.engine import session_scope
from models.storage.store import PlanVersion, append_submission, read_snapshot, save_plan
from models.submissions import Submission
from notifications.board import BoardView, board_view
from tests.html_pages import elements, parse_html, text_content
from tests.runtimes import runtime_on

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PLAN = "gap-mat-2023"
MORNING = datetime(2023, 3, 10, 9, tzinfo=HCM)  # the seed plan's worst morning
AUTH = ("vptu", "mật-khẩu-thử")


@pytest.fixture
def stored(engine: Engine, seed: LoadedPlan) -> Engine:
    """The seed plan in this test's database, nothing received yet."""
    with session_scope(engine) as session:
        save_plan(session, seed)
    return engine


def make_client(
    database_url: str,
    clock: Callable[[], datetime] = lambda: MORNING,
    web: WebSettings | None = None,
) -> TestClient:
    runtime = runtime_on(database_url, web=web or WebSettings())
    app = create_app(runtime, clock)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(stored: Engine, database_url: str) -> Iterator[TestClient]:
    with make_client(database_url) as client:
        yield client


def receive(engine: Engine, deliverable: str, unit: str, at: datetime) -> None:
    with session_scope(engine) as session:
        append_submission(
            session,
            PLAN,
            deliverable=deliverable,
            unit=unit,
            kind="received",
            received_at=at,
            recorded_at=at,
        )


def having(tag: str, css_class: str) -> str:
    """XPath of `tag` elements with `css_class` among their classes."""
    return f"//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {css_class} ')]"


def late_rows(html: str) -> set[tuple[str, str]]:
    rows = elements(parse_html(html), having("tr", "late-row"))
    return {(r.get("data-deliverable", ""), r.get("data-unit", "")) for r in rows}


def overdue_now(engine: Engine, as_of: datetime) -> set[tuple[str, str]]:
    with session_scope(engine) as session:
        snapshot = read_snapshot(session, PLAN)
    statuses = evaluate(snapshot.plan, snapshot.submissions, as_of)
    return {s.ref for s in statuses if s.status is Status.OVERDUE}


# --- pages that work ------------------------------------------------------------------------


@pytest.mark.db
def test_index_lists_the_loaded_plans_in_vietnamese(client: TestClient, seed: LoadedPlan) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = parse_html(response.text)
    assert page.get("lang") == "vi"
    links = [a.get("href") for a in elements(page, having("tr", "plan") + "//a")]
    assert f"plans/{PLAN}" in links
    assert seed.plan.title in response.text


@pytest.mark.db
@pytest.mark.parametrize("as_of", ["10/03/2023 09:00", "2023-03-10T09:00", "2023-03-10T02:00Z"])
def test_board_as_of_10_march_lists_the_overdue_of_evaluate(
    client: TestClient, stored: Engine, as_of: str
) -> None:
    response = client.get(f"/plans/{PLAN}", params={"as_of": as_of})
    assert response.status_code == 200
    late = late_rows(response.text)
    assert late == overdue_now(stored, MORNING)
    assert sum(1 for d, _ in late if d == "bc-huyen") == 13
    assert sum(1 for d, _ in late if d == "bc-ban-dang") == 5
    assert "10/03/2023 09:00" in response.text


@pytest.mark.db
def test_looking_back_answers_for_that_day_not_today(client: TestClient, stored: Engine) -> None:
    earlier = datetime(2023, 3, 6, 9, tzinfo=HCM)
    response = client.get(f"/plans/{PLAN}", params={"as_of": "06/03/2023 09:00"})
    assert late_rows(response.text) == overdue_now(stored, earlier)
    assert late_rows(response.text) != late_rows(client.get(f"/plans/{PLAN}").text)


@pytest.mark.db
def test_matrix_cells_carry_the_status_and_a_title(client: TestClient, stored: Engine) -> None:
    page = parse_html(client.get(f"/plans/{PLAN}").text)
    cell = elements(
        page, having("td", "cell") + '[@data-unit="huong-khe"][@data-deliverable="bc-huyen"]'
    )[0]
    assert "s-overdue" in cell.get("class", "")
    assert cell.get("title", "").startswith("Quá hạn — hạn")


@pytest.mark.db
@pytest.mark.parametrize("as_of", [None, "10/03/2023 09:00", "2023-03-16T12:00+07:00"])
def test_json_route_is_the_status_document(
    client: TestClient, stored: Engine, as_of: str | None
) -> None:
    params = {"as_of": as_of} if as_of else {}
    response = client.get(f"/plans/{PLAN}.json", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    moment = (
        MORNING
        if as_of is None
        else datetime.fromisoformat("2023-03-10T09:00+07:00" if "/" in as_of else as_of)
    )
    with session_scope(stored) as session:
        snapshot = read_snapshot(session, PLAN)
    statuses = evaluate(snapshot.plan, snapshot.submissions, moment)
    assert response.json() == status_document(snapshot.plan, statuses, moment)


@pytest.mark.db
def test_xlsx_route_downloads_the_workbook(client: TestClient, stored: Engine) -> None:
    response = client.get(f"/plans/{PLAN}.xlsx", params={"as_of": "10/03/2023 09:00"})
    assert response.status_code == 200
    assert 'filename="gap-mat-2023-2023-03-10-0900.xlsx"' in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["Quá hạn", "Ma trận", "Tất cả"]
    assert book["Quá hạn"].max_row == 1 + len(overdue_now(stored, MORNING))  # header, rows


@pytest.mark.db
def test_now_page_refreshes_itself_and_links_the_same_moment(client: TestClient) -> None:
    live = parse_html(client.get(f"/plans/{PLAN}").text)
    assert elements(live, '//meta[@http-equiv="refresh"]')[0].get("content") == "300"
    assert elements(live, having("a", "json"))[0].get("href") == f"./{PLAN}.json"
    looking_back = client.get(f"/plans/{PLAN}", params={"as_of": "2023-03-06T09:00"}).text
    back = parse_html(looking_back)
    assert not elements(back, '//meta[@http-equiv="refresh"]')
    assert elements(back, '//input[@id="as_of"]')[0].get("value") == "06/03/2023 09:00"
    assert (
        elements(back, having("a", "xlsx"))[0].get("href")
        == f"./{PLAN}.xlsx?as_of=06%2F03%2F2023+09%3A00"
    )


@pytest.mark.db
@pytest.mark.parametrize("path", [f"/plans/{PLAN}", f"/plans/{PLAN}?as_of=10/03/2023 09:00"])
def test_a_new_arrival_shows_on_the_next_request(
    client: TestClient, stored: Engine, path: str
) -> None:
    late_report = ("bc-huyen", "huong-khe")
    assert late_report in late_rows(client.get(path).text)
    receive(stored, *late_report, MORNING - timedelta(hours=1))
    assert late_report not in late_rows(client.get(path).text)
    document = client.get(f"/plans/{PLAN}.json").json()
    entry = next(a for a in document["assignments"] if (a["deliverable"], a["unit"]) == late_report)
    assert entry["status"] == "done_late"


@pytest.mark.db
def test_the_now_page_follows_the_clock(stored: Engine, database_url: str) -> None:
    moments = iter([MORNING, MORNING + timedelta(days=12)])
    with make_client(database_url, clock=lambda: next(moments)) as client:
        first = client.get(f"/plans/{PLAN}").text
        later = client.get(f"/plans/{PLAN}").text
    assert "10/03/2023 09:00" in first and "22/03/2023 09:00" in later


@pytest.mark.db
def test_pages_are_compressed_for_clients_that_accept_gzip(client: TestClient) -> None:
    zipped = client.get(f"/plans/{PLAN}", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and "<html" in zipped.text
    plain = client.get(f"/plans/{PLAN}", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.text == zipped.text


@pytest.mark.db
def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    response = client.head(f"/plans/{PLAN}")
    assert response.status_code == 200 and response.content == b""


@pytest.mark.db
def test_health_probe(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


# --- bad requests ---------------------------------------------------------------------------


@pytest.mark.db
def test_unknown_plan_is_404_in_vietnamese_naming_the_loaded_ones(client: TestClient) -> None:
    response = client.get("/plans/gap-mat-2032")
    assert response.status_code == 404
    page = parse_html(response.text)
    assert "Không có kế hoạch 'gap-mat-2032'" in text_content(page)
    assert "Có phải là: gap-mat-2023?" in text_content(page)
    assert [a.get("href") for a in elements(page, having("ul", "plans") + "//a")] == [
        f"/plans/{PLAN}"
    ]
    assert "Traceback" not in response.text


@pytest.mark.db
def test_unknown_plan_on_the_json_route_is_a_json_404(client: TestClient) -> None:
    response = client.get("/plans/xyz.json")
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "error": "Không có kế hoạch 'xyz'.",
        "plans": [PLAN],
    }


@pytest.mark.db
def test_no_plan_loaded_says_how_to_load_one(engine: Engine, database_url: str) -> None:
    with make_client(database_url) as client:
        response = client.get("/plans/gap-mat-2023")
        assert response.status_code == 404 and "dondoc plan load" in response.text
        assert "dondoc plan load" in client.get("/").text


@pytest.mark.db
def test_hostile_codes_in_the_address_are_escaped(client: TestClient) -> None:
    response = client.get("/plans/<script>alert(1)</script>")
    assert response.status_code == 404
    assert "<script>" not in response.text and "&lt;script&gt;" in response.text


@pytest.mark.db
@pytest.mark.parametrize(
    "as_of",
    ["hôm qua", "32/13/2023", "2023-13-01", "10/03/2023 25:00", "0001-01-01T00:00+14:00"],
)
def test_malformed_as_of_is_400_naming_the_accepted_formats(client: TestClient, as_of: str) -> None:
    response = client.get(f"/plans/{PLAN}", params={"as_of": as_of})
    assert response.status_code == 400
    text = text_content(parse_html(response.text))
    assert f"Không đọc được thời điểm '{as_of}'" in text
    assert "ISO-8601" in text and "dd/mm/yyyy HH:MM" in text
    document = client.get(f"/plans/{PLAN}.json", params={"as_of": as_of}).json()
    assert document["status"] == 400 and "ISO-8601" in document["hint"]


@pytest.mark.db
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("path", ["/", f"/plans/{PLAN}", f"/plans/{PLAN}.json", "/nope"])
def test_anything_but_get_and_head_is_405(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    if path.endswith(".json"):
        assert response.json()["status"] == 405
    else:
        assert "chỉ để xem" in response.text


@pytest.mark.db
def test_unknown_address_is_a_vietnamese_404(client: TestClient) -> None:
    response = client.get("/khong-co")
    assert response.status_code == 404 and "Không có trang /khong-co" in response.text


@pytest.mark.db
def test_a_failure_is_a_500_page_never_a_traceback(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(boards, "board_view", broken)
    response = client.get(f"/plans/{PLAN}", params={"as_of": "01/03/2023"})
    assert response.status_code == 500
    assert "Có lỗi khi lập trang" in response.text
    assert "Traceback" not in response.text and "secret internals" not in response.text


# --- login ----------------------------------------------------------------------------------


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.fixture
def guarded(stored: Engine, database_url: str) -> Iterator[TestClient]:
    with make_client(
        database_url, web=WebSettings(user=AUTH[0], password=SecretStr(AUTH[1]))
    ) as client:
        yield client


@pytest.mark.db
@pytest.mark.parametrize(
    "headers",
    [
        {},
        basic(AUTH[0], "sai"),
        basic("khach", AUTH[1]),
        {"Authorization": "Bearer abc"},
        {"Authorization": "Basic !!!"},
    ],
)
@pytest.mark.parametrize("path", ["/", f"/plans/{PLAN}", f"/plans/{PLAN}.json"])
def test_with_a_login_set_wrong_or_missing_credentials_are_401(
    guarded: TestClient, headers: dict[str, str], path: str
) -> None:
    response = guarded.get(path, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Basic realm="dondoc"')
    assert AUTH[1] not in response.text


@pytest.mark.db
def test_with_a_login_set_the_right_credentials_open_every_page(guarded: TestClient) -> None:
    for path in ["/", f"/plans/{PLAN}", f"/plans/{PLAN}.json", f"/plans/{PLAN}.xlsx"]:
        assert guarded.get(path, headers=basic(*AUTH)).status_code == 200
    assert guarded.get("/healthz").status_code == 200  # probes carry no credentials


@pytest.mark.db
def test_without_a_login_set_no_credentials_are_asked(client: TestClient) -> None:
    response = client.get(f"/plans/{PLAN}")
    assert response.status_code == 200 and "www-authenticate" not in response.headers


def test_a_login_needs_both_user_and_password() -> None:
    with pytest.raises(InvalidInputError, match="cả DONDOC_WEB_USER lẫn DONDOC_WEB_PASSWORD"):
        create_app(runtime_on("sqlite://", web=WebSettings(user="vptu")))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (b"Basic dnB0dTpwOng=", (b"vptu", b"p:x")),  # a colon in the password is kept
        (b"basic dnB0dTo=", (b"vptu", b"")),
        (b"Basic dnB0dQ==", None),  # no colon
        (b"Basic ***", None),
        (b"Digest abc", None),
        (b"", None),
    ],
)
def test_basic_credentials_are_read_strictly(
    header: bytes, expected: tuple[bytes, bytes] | None
) -> None:
    assert basic_credentials(header) == expected


# --- the page cache -------------------------------------------------------------------------


def version(submissions: int) -> PlanVersion:
    return PlanVersion(1, "Asia/Ho_Chi_Minh", MORNING, "digest", submissions, submissions or None)


def counting_builder() -> tuple[list[int], Callable[[], Page]]:
    built: list[int] = []

    def build() -> Page:
        built.append(1)
        return Page(str(len(built)).encode(), "text/plain")

    return built, build


def test_cache_rebuilds_only_when_the_data_or_the_minute_changes() -> None:
    cache = PageCache()
    built, build = counting_builder()
    assert cache.get("k", version(1), build, MORNING).body == b"1"
    assert cache.get("k", version(1), build, MORNING).body == b"1"
    assert cache.get("k", version(2), build, MORNING).body == b"2"
    assert cache.get("k", version(2), build, MORNING + timedelta(minutes=1)).body == b"3"
    assert len(built) == 3


def test_concurrent_requests_for_a_missing_page_build_it_once() -> None:
    cache = PageCache()
    built, build = counting_builder()
    release = threading.Event()

    def slow() -> Page:
        release.wait(5)
        return build()

    results: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get("k", version(1), slow).body))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(5)
    assert results == [b"1"] * 8 and len(built) == 1


def test_while_a_new_minute_is_built_readers_get_the_last_one_unless_data_changed() -> None:
    cache = PageCache()
    _, build = counting_builder()
    cache.get("k", version(1), build, MORNING)
    started, release = threading.Event(), threading.Event()

    def slow() -> Page:
        started.set()
        release.wait(30)
        return build()

    later = MORNING + timedelta(minutes=1)
    builder = threading.Thread(target=lambda: cache.get("k", version(1), slow, later))
    builder.start()
    assert started.wait(10)  # someone is building 09:01
    assert cache.get("k", version(1), build, later).body == b"1"
    release.set()
    builder.join(30)
    assert cache.get("k", version(1), build, later).body == b"2"
    assert cache.building == 0


@dataclass(frozen=True)
class SameHash:
    """A page key whose hash is every other's: pages must not share a build for it."""

    name: str

    def __hash__(self) -> int:
        return 0


def test_a_page_never_waits_for_the_build_of_another_page() -> None:
    # Build locks shared by hash made the JSON request of the render-limit test below wait
    # 120 s for the held HTML build whenever their keys fell on one lock (1 run in 32).
    cache = PageCache()
    started, release = threading.Event(), threading.Event()

    def held() -> Page:
        started.set()
        release.wait(30)
        return page_of(1)

    first = threading.Thread(target=lambda: cache.get(SameHash("a"), version(1), held))
    first.start()
    assert started.wait(10)
    answers: list[bytes] = []
    other = threading.Thread(
        target=lambda: answers.append(cache.get(SameHash("b"), version(1), lambda: page_of(2)).body)
    )
    other.start()
    other.join(5)
    waited = other.is_alive()
    release.set()
    first.join(30)
    other.join(30)
    assert not waited and answers == [b"xx"]
    assert cache.building == 0


def page_of(size: int) -> Page:
    return Page(b"x" * size, "text/plain")


def test_cache_keeps_pages_within_its_byte_budget_dropping_the_least_recently_asked() -> None:
    cache = PageCache(size=10, budget_bytes=250)
    for key in "abc":
        cache.get(key, version(1), lambda: page_of(100))
    assert cache.held_bytes == 200  # "a" went when "c" came
    built, build = counting_builder()
    cache.get("a", version(1), build)
    assert len(built) == 1  # rebuilt
    cache.get("c", version(1), build)
    assert len(built) == 1  # still kept


def test_cache_serves_a_page_larger_than_its_budget_without_keeping_it() -> None:
    cache = PageCache(size=10, budget_bytes=250)
    cache.get("small", version(1), lambda: page_of(100))
    assert cache.get("huge", version(1), lambda: page_of(1000)).body == b"x" * 1000
    assert cache.held_bytes == 100


def test_a_new_minute_refused_as_busy_serves_the_last_minute_of_the_same_data() -> None:
    cache = PageCache()
    _, build = counting_builder()
    cache.get("k", version(1), build, MORNING)

    def busy() -> Page:
        raise Busy(waiting=False)

    later = MORNING + timedelta(minutes=1)
    assert cache.get("k", version(1), busy, later).body == b"1"
    with pytest.raises(Busy):  # new data: the old page would be wrong
        cache.get("k", version(2), busy, later)


# --- look-backs, large boards, the render limit ---------------------------------------------


@pytest.mark.db
def test_a_look_back_is_rounded_down_to_five_minutes_and_says_so(
    client: TestClient, stored: Engine
) -> None:
    response = client.get(f"/plans/{PLAN}", params={"as_of": "10/03/2023 09:04:59"})
    assert response.status_code == 200
    page = parse_html(response.text)
    assert late_rows(response.text) == overdue_now(stored, MORNING)
    note = text_content(elements(page, having("span", "as-of-note"))[0])
    assert "Đang xem bảng lúc 10/03/2023 09:00" in note
    assert "làm tròn xuống mốc 5 phút" in note
    assert elements(page, '//input[@id="as_of"]')[0].get("value") == "10/03/2023 09:00"
    document = client.get(f"/plans/{PLAN}.json", params={"as_of": "10/03/2023 09:03"}).json()
    assert document["as_of"].startswith("2023-03-10T09:00:00")
    xlsx = client.get(f"/plans/{PLAN}.xlsx", params={"as_of": "2023-03-10T09:04"})
    assert "gap-mat-2023-2023-03-10-0900.xlsx" in xlsx.headers["content-disposition"]


@pytest.mark.db
def test_look_backs_within_one_step_share_one_build(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    evaluated: list[datetime] = []

    def counting(
        plan: Plan, submissions: Iterable[Submission], as_of: datetime
    ) -> list[AssignmentStatus]:
        evaluated.append(as_of)
        return evaluate(plan, submissions, as_of)

    monkeypatch.setattr(boards, "evaluate", counting)
    for minute in ["09:00", "09:01", "09:02:30", "09:04", "09:05"]:
        assert client.get(f"/plans/{PLAN}", params={"as_of": f"10/03/2023 {minute}"}).is_success
    assert evaluated == [MORNING, MORNING + timedelta(minutes=5)]


@pytest.mark.db
def test_the_step_is_a_setting(stored: Engine, database_url: str) -> None:
    with make_client(database_url, web=WebSettings(as_of_step_minutes=1)) as client:
        text = client.get(f"/plans/{PLAN}", params={"as_of": "10/03/2023 09:04:59"}).text
    assert "Đang xem bảng lúc" in text and "10/03/2023 09:04" in text
    assert "làm tròn xuống mốc 1 phút" in text


@pytest.mark.db
@pytest.mark.parametrize(
    ("as_of", "said"),
    [
        (
            "01/03/2022 09:00",
            "sớm hơn quá một năm so với hạn đầu tiên của kế hoạch: trước ngày 09/03/2023",
        ),
        ("24/04/2023 09:00", "chưa tới và muộn hơn quá 31 ngày so với hạn cuối của kế hoạch"),
        ("10/03/2033 09:00", "chưa tới và muộn hơn quá 31 ngày"),
    ],
)
def test_a_look_back_outside_the_plan_is_400_saying_which_moments_are_seen(
    client: TestClient, as_of: str, said: str
) -> None:
    response = client.get(f"/plans/{PLAN}", params={"as_of": as_of})
    assert response.status_code == 400
    text = text_content(parse_html(response.text))
    assert said in text and "Bảng xem lại được từ 09/03/2022 00:00 đến 23/04/2023 00:00" in text
    document = client.get(f"/plans/{PLAN}.json", params={"as_of": as_of}).json()
    assert document["status"] == 400 and said in document["error"]


@pytest.mark.db
@pytest.mark.parametrize("as_of", ["10/03/2022 09:00", "20/04/2023 09:00"])
def test_a_look_back_just_within_the_plan_is_shown(client: TestClient, as_of: str) -> None:
    assert client.get(f"/plans/{PLAN}", params={"as_of": as_of}).status_code == 200


@pytest.fixture
def parted(stored: Engine, database_url: str) -> Iterator[TestClient]:
    """The seed plan's 81 cells shown at most 30 at a time: 3 parts (6, 6 and 11 units)."""
    with make_client(database_url, web=WebSettings(matrix_cells=30)) as client:
        yield client


def matrix_units(html: str) -> list[str]:
    return [
        row.get("data-unit", "")
        for row in elements(parse_html(html), "//table[@class='matrix']/tbody/tr")
    ]


@pytest.mark.db
def test_a_large_board_shows_its_matrix_a_part_at_a_time_and_late_and_at_risk_whole(
    parted: TestClient, stored: Engine, seed: LoadedPlan
) -> None:
    params = {"as_of": "10/03/2023 09:00"}
    pages = [parted.get(f"/plans/{PLAN}", params={**params, "page": str(n)}) for n in (1, 2, 3)]
    assert all(page.status_code == 200 for page in pages)
    assert pages[0].text == parted.get(f"/plans/{PLAN}", params=params).text  # part 1 first
    shown = [matrix_units(page.text) for page in pages]
    assert [len(units) for units in shown] == [6, 6, 11]
    owing = {ref.unit for ref in seed.plan.assignments}
    assert sorted(u for units in shown for u in units) == sorted(owing)
    for page in pages:
        assert late_rows(page.text) == overdue_now(stored, MORNING)
    first = parse_html(pages[0].text)
    note = text_content(elements(first, '//div[@id="matrix-note"]')[0])
    assert "ma trận có 81 ô của 23 đơn vị" in note and "phần 1/3: đơn vị thứ 1–6" in note
    xlsx = elements(first, '//div[@id="matrix-note"]//a[@class="xlsx"]')[0].get("href")
    assert xlsx == f"./{PLAN}.xlsx?as_of=10%2F03%2F2023+09%3A00"
    links = {a.get("href") for a in elements(first, '//nav[@class="parts"]//a')}
    assert links == {f"./{PLAN}?as_of=10%2F03%2F2023+09%3A00&page={n}" for n in (2, 3)}
    groups = elements(first, having("tr", "group-row"))
    assert [text_content(g[1]) for g in groups] == ["13", "5", "5"]


@pytest.mark.db
def test_the_now_board_links_its_parts_without_a_moment(parted: TestClient) -> None:
    page = parse_html(parted.get(f"/plans/{PLAN}").text)
    links = {a.get("href") for a in elements(page, '//nav[@class="parts"]//a')}
    assert links == {f"./{PLAN}?page=2", f"./{PLAN}?page=3"}


@pytest.mark.db
@pytest.mark.parametrize(
    ("part", "said"),
    [
        ("4", "Không có phần 4 của ma trận: bảng này có 3 phần (1–3)."),
        ("0", "Không có phần 0 của ma trận"),
        ("hai", "Không đọc được số phần 'hai'"),
        ("-1", "Không đọc được số phần '-1'"),
        ("9" * 40, "Không đọc được số phần"),
    ],
)
def test_a_part_that_does_not_exist_is_400(parted: TestClient, part: str, said: str) -> None:
    response = parted.get(f"/plans/{PLAN}", params={"page": part})
    assert response.status_code == 400 and said in text_content(parse_html(response.text))


@pytest.mark.db
def test_a_board_that_fits_has_one_part_and_no_note(client: TestClient) -> None:
    page = client.get(f"/plans/{PLAN}")
    assert 'id="matrix-note"' not in page.text and len(matrix_units(page.text)) == 23
    assert client.get(f"/plans/{PLAN}", params={"page": "2"}).status_code == 400


@pytest.mark.db
def test_a_build_beyond_the_render_limit_is_503_in_vietnamese_while_built_pages_answer(
    stored: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(boards, "LIMITED_FROM", 0)  # the seed plan counts as large
    started, release = threading.Event(), threading.Event()

    def slow(*args: Any, **kwargs: Any) -> BoardView:
        if args[2] != MORNING:  # the page "now" is built at once
            started.set()
            # Held until the test has asked its questions (the JSON request of another page
            # must be refused at once, not wait for this build: see the cache test above).
            release.wait(120)
        return board_view(*args, **kwargs)

    monkeypatch.setattr(boards, "board_view", slow)
    web = WebSettings(renders=1, render_queue=0)
    with make_client(database_url, web=web) as client:
        assert client.get(f"/plans/{PLAN}").status_code == 200
        first = threading.Thread(
            target=lambda: client.get(f"/plans/{PLAN}", params={"as_of": "06/03/2023 09:00"})
        )
        first.start()
        assert started.wait(10)
        refused = client.get(f"/plans/{PLAN}", params={"as_of": "07/03/2023 09:00"})
        refused_json = client.get(f"/plans/{PLAN}.json", params={"as_of": "07/03/2023 09:00"})
        built = client.get(f"/plans/{PLAN}")
        release.set()
        first.join(120)
        later = client.get(f"/plans/{PLAN}", params={"as_of": "07/03/2023 09:00"})
    assert refused.status_code == 503 and refused.headers["retry-after"] == "10"
    text = text_content(parse_html(refused.text))
    assert "Máy chủ đang lập nhiều bảng lớn cùng lúc" in text and "10 giây" in text
    assert refused_json.status_code == 503 and refused_json.json()["status"] == 503
    assert built.status_code == 200 and later.status_code == 200


@pytest.mark.db
def test_readers_waiting_for_builds_hold_no_database_connection(
    stored: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """20 look-backs waiting for one build slot, more than the pool's 15 connections: the
    index, which needs one, still answers at once (before, each waiting reader held its
    session, and the 16th request failed after the pool's 30 s)."""
    monkeypatch.setattr(boards, "LIMITED_FROM", 0)
    release = threading.Event()

    def slow(*args: Any, **kwargs: Any) -> BoardView:
        release.wait(20)
        return board_view(*args, **kwargs)

    monkeypatch.setattr(boards, "board_view", slow)
    web = WebSettings(renders=1, render_queue=30, render_wait_seconds=30)
    with make_client(database_url, web=web) as client:
        readers = [
            threading.Thread(
                target=client.get,
                args=(f"/plans/{PLAN}",),
                kwargs={"params": {"as_of": f"{day:02d}/03/2023 09:00"}},
            )
            for day in range(1, 21)
        ]
        for reader in readers:
            reader.start()
        time.sleep(1)
        started = time.monotonic()
        index = client.get("/")
        waited = time.monotonic() - started
        release.set()
        for reader in readers:
            reader.join(30)
    assert index.status_code == 200 and waited < 5


# --- the command ----------------------------------------------------------------------------


def test_default_bind_is_loopback_on_8765(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DONDOC_WEB_HOST", raising=False)
    monkeypatch.delenv("DONDOC_WEB_PORT", raising=False)
    web = Settings().web
    assert (web.host, web.port) == ("127.0.0.1", 8765)
    assert web.user == "" and web.password.get_secret_value() == ""


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, tmp_path) -> list[dict]:
    """`dondoc web` with uvicorn.run replaced: records how it would have served."""
    import uvicorn

    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    monkeypatch.setenv("DONDOC_DATABASE_URL", f"sqlite:///{tmp_path / 'web.db'}")
    for name in [name for name in os.environ if name.startswith("DONDOC_WEB_")]:
        monkeypatch.delenv(name)
    return calls


@pytest.mark.cli
def test_dondoc_web_binds_127_0_0_1_and_prints_the_url(served: list[dict]) -> None:
    from flows.cli import app

    result = CliRunner().invoke(app, ["web"], catch_exceptions=False)
    assert result.exit_code == 0
    [options] = served
    protocol = options.pop("http")
    assert issubclass(protocol, GuardedH11Protocol)
    assert (protocol.request_timeout, protocol.write_timeout) == (5.0, 30.0)
    assert options == {
        "host": "127.0.0.1",
        "port": 8765,
        "timeout_keep_alive": 5,
        "limit_concurrency": 1_000,
        "h11_max_incomplete_event_size": 16_384,
        "log_level": "info",
        "server_header": False,
    }
    assert "http://127.0.0.1:8765/" in result.stdout
    assert "Cảnh báo" not in result.stderr


@pytest.mark.cli
def test_dondoc_web_takes_its_limits_from_the_environment(
    served: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.cli import app

    for name, value in [
        ("REQUEST_TIMEOUT_SECONDS", "2.5"),
        ("WRITE_TIMEOUT_SECONDS", "7"),
        ("KEEP_ALIVE_SECONDS", "3"),
        ("MAX_CONNECTIONS", "200"),
        ("MAX_HEADER_BYTES", "8192"),
    ]:
        monkeypatch.setenv(f"DONDOC_WEB_{name}", value)
    assert CliRunner().invoke(app, ["web"]).exit_code == 0
    [options] = served
    assert (options["http"].request_timeout, options["http"].write_timeout) == (2.5, 7.0)
    assert options["timeout_keep_alive"] == 3 and options["limit_concurrency"] == 200
    assert options["h11_max_incomplete_event_size"] == 8192


@pytest.mark.cli
def test_dondoc_web_warns_when_exposed_without_a_login(served: list[dict]) -> None:
    from flows.cli import app

    result = CliRunner().invoke(app, ["web", "--host", "0.0.0.0", "--port", "9000"])
    assert result.exit_code == 0
    assert served[0]["host"] == "0.0.0.0" and served[0]["port"] == 9000
    assert "Cảnh báo" in result.stderr and "DONDOC_WEB_PASSWORD" in result.stderr


@pytest.mark.cli
def test_dondoc_web_with_a_login_does_not_warn_nor_print_the_password(
    served: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.cli import app

    monkeypatch.setenv("DONDOC_WEB_USER", AUTH[0])
    monkeypatch.setenv("DONDOC_WEB_PASSWORD", AUTH[1])
    result = CliRunner().invoke(app, ["web", "--host", "0.0.0.0"])
    assert result.exit_code == 0 and "Cảnh báo" not in result.stderr
    assert AUTH[1] not in result.stdout + result.stderr


@pytest.mark.cli
def test_dondoc_web_refuses_half_a_login(served: list[dict], monkeypatch) -> None:
    from flows.cli import app

    monkeypatch.setenv("DONDOC_WEB_PASSWORD", AUTH[1])
    result = CliRunner().invoke(app, ["web"])
    assert result.exit_code == 2 and "DONDOC_WEB_USER" in result.stderr and not served


@pytest.mark.cli
@pytest.mark.parametrize(
    ("url", "code", "said"),
    [
        ("postgresql+psycopg://u:pw-9z@127.0.0.1:9/x", 1, "không kết nối được máy chủ cơ sở"),
        ("mysql://u@127.0.0.1/x", 2, "dondoc không dùng được loại cơ sở dữ liệu 'mysql'"),
    ],
)
def test_dondoc_web_checks_the_database_before_serving(
    served: list[dict], monkeypatch: pytest.MonkeyPatch, url: str, code: int, said: str
) -> None:
    from flows.cli import app

    monkeypatch.setenv("DONDOC_DATABASE_URL", url)
    result = CliRunner().invoke(app, ["web"])
    assert result.exit_code == code and said in result.stderr and not served
    assert "Traceback" not in result.output and "pw-9z" not in result.output


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        *[("127.0.0.1", True), ("127.0.1.1", True), ("::1", True), ("localhost", True)],
        *[("0.0.0.0", False), ("192.168.1.10", False), ("::", False), ("dondoc.local", False)],
    ],
)
def test_which_hosts_stay_on_this_machine(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
