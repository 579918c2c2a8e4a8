"""The coordinator console of `dondoc web`: its login (sessions, lockout, audit), its CSRF
check on every POST, its roles, and each action recorded through the domain as the user."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine
from starlette.responses import Response
from starlette.routing import Route

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from flows.runtime import Runtime
from flows.settings import WebSettings
from flows.web import create_app
from flows.web.csrf import csrf_token
from flows.web.sessions import COOKIE, SessionCookies
from models.accounts import LoginOutcome, Role
from models.loader import LoadedPlan
from models.recording import Recorded, RecordRequest, describe
from models.storage.accounts import add_account, change_password, login_events, remove_account
from models.storage.engine import session_scope
from models.storage.store import append_submission, read_snapshot, save_plan
from models.submissions import Submission, SubmissionKind
from tests.databases import dump
from tests.html_pages import elements, parse_html, text_content
from tests.passwords import FAST
from tests.runtimes import runtime_on

pytestmark = pytest.mark.db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PLAN = "gap-mat-2023"
NOW = datetime(2023, 3, 10, 9, tzinfo=HCM)
ARRIVED = datetime(2023, 3, 8, 15, 20, tzinfo=HCM)  # bc-huyen/huong-khe, on time
COORDINATOR = ("nguyen.van.an", "mật khẩu điều phối 2023")
LEADER = ("tran.thi.binh", "mật khẩu lãnh đạo 2023")
BASIC = ("vptu", "mật-khẩu-thử")
ACTIONS = (
    "chap-nhan",
    "tra-lai",
    "gia-han",
    "mien",
    "ghi-nhan",
    "duyet-gia-han",
    "tu-choi-gia-han",
)
ACTION_PATHS = [f"/dieu-phoi/{a}" for a in ACTIONS]
POST_PATHS = ["/dang-nhap", "/dang-xuat", *ACTION_PATHS]


class Clock:
    """The app's wall clock, moved by the test."""

    def __init__(self, now: datetime = NOW):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def stored(engine: Engine, seed: LoadedPlan) -> Engine:
    """The seed plan, a coordinator and a leader, one arrival waiting for review."""
    with session_scope(engine) as session:
        save_plan(session, seed)
        add_account(
            session,
            COORDINATOR[0],
            "Nguyễn Văn An",
            Role.COORDINATOR,
            COORDINATOR[1],
            NOW - timedelta(days=3),
            FAST,
        )
        add_account(
            session,
            LEADER[0],
            "Trần Thị Bình",
            Role.LEADER,
            LEADER[1],
            NOW - timedelta(days=3),
            FAST,
        )
        append_submission(
            session,
            PLAN,
            deliverable="bc-huyen",
            unit="huong-khe",
            kind="received",
            received_at=ARRIVED,
            recorded_at=ARRIVED,
            data={"so_dai_bieu": 12},
        )
    return engine


@pytest.fixture
def runtime(stored: Engine, database_url: str) -> Iterator[Runtime]:
    """A runtime whose signing key is kept in the database, as `dondoc web` makes it."""
    runtime = runtime_on(database_url, web=WebSettings())
    runtime.link_secret(NOW)
    yield runtime
    runtime.close()


def client_on(runtime: Runtime, clock: Clock | None = None) -> TestClient:
    app = create_app(runtime, clock or Clock())
    app.state.console.hasher = FAST  # the real cost is 64 MiB and ~0.2 s an attempt
    return TestClient(app, raise_server_exceptions=False, follow_redirects=False)


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with client_on(runtime) as client:
        yield client


def token_in(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def log_in(client: TestClient, account: tuple[str, str] = COORDINATOR) -> str:
    """Log in through the form; the console page it lands on."""
    form = client.get("/dang-nhap")
    assert form.status_code == 200
    answer = client.post(
        "/dang-nhap",
        data={"csrf": token_in(form.text), "username": account[0], "password": account[1]},
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/dieu-phoi", answer.text
    page = client.get("/dieu-phoi")
    assert page.status_code == 200
    return page.text


def note_of(html: str) -> str:
    found = elements(parse_html(html), "//*[@id='note']")
    return text_content(found[0]).strip() if found else ""


def submissions(engine: Engine) -> list[Submission]:
    with session_scope(engine) as session:
        return list(read_snapshot(session, PLAN).submissions)


def row_form(deliverable: str = "bc-huyen", unit: str = "huong-khe", **fields: str) -> dict:
    return {"plan": PLAN, "deliverable": deliverable, "unit": unit, **fields}


# --- logging in and out ---------------------------------------------------------------------


def test_the_console_sends_a_visitor_who_is_not_logged_in_to_the_login_page(
    client: TestClient,
) -> None:
    answer = client.get("/dieu-phoi")
    assert answer.status_code == 303 and answer.headers["location"] == "/dang-nhap"


def test_the_login_page_is_vietnamese_and_sets_a_protected_session_cookie(
    client: TestClient,
) -> None:
    answer = client.get("/dang-nhap")
    page = parse_html(answer.text)
    assert page.get("lang") == "vi" and "<script" not in answer.text
    assert "Tên đăng nhập" in answer.text and "Mật khẩu" in answer.text
    assert "sau 8 giờ không dùng" in answer.text
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie
    assert "SameSite=lax" in cookie and "Max-Age=28800" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # the site is http here
    assert answer.headers["cache-control"] == "no-store"


def test_behind_https_the_cookie_is_secure(runtime: Runtime) -> None:
    web = WebSettings(base_url="https://vptu.example/dondoc")
    https = runtime_on(runtime.settings.database.url.get_secret_value(), web=web)
    with client_on(https) as client:
        assert "Secure" in client.get("/dang-nhap").headers["set-cookie"]
    https.close()


def test_a_coordinator_logs_in_and_the_login_is_in_the_audit_log(
    client: TestClient, stored: Engine
) -> None:
    html = log_in(client)
    text = text_content(parse_html(html))
    assert "Nguyễn Văn An" in text and "Điều phối viên" in text and "Đăng xuất" in text
    assert "Chờ duyệt (1)" in text and "Quá hạn (" in text
    with session_scope(stored) as session:
        [event] = login_events(session, COORDINATOR[0])
        assert (event.outcome, event.remote) == (LoginOutcome.SUCCESS.value, "testclient")


@pytest.mark.parametrize("account", [(COORDINATOR[0], "mật khẩu sai hẳn"), ("khong.co", "x" * 12)])
def test_a_wrong_name_or_password_is_refused_alike_and_logged(
    client: TestClient, stored: Engine, account: tuple[str, str]
) -> None:
    form = client.get("/dang-nhap")
    answer = client.post(
        "/dang-nhap",
        data={"csrf": token_in(form.text), "username": account[0], "password": account[1]},
    )
    assert answer.status_code == 200
    error = elements(parse_html(answer.text), "//*[@id='error']")
    assert text_content(error[0]).strip() == "Sai tên đăng nhập hoặc mật khẩu."
    assert f'value="{account[0]}"' in answer.text and account[1] not in answer.text
    assert client.get("/dieu-phoi").status_code == 303  # not logged in
    with session_scope(stored) as session:
        [event] = login_events(session, account[0])
        assert event.outcome != LoginOutcome.SUCCESS.value


def test_five_failures_lock_the_name_even_for_the_right_password(
    client: TestClient, stored: Engine
) -> None:
    token = token_in(client.get("/dang-nhap").text)
    for _ in range(5):
        wrong = {"csrf": token, "username": COORDINATOR[0], "password": "không phải mật khẩu"}
        assert client.post("/dang-nhap", data=wrong).status_code == 200
    right = {"csrf": token, "username": COORDINATOR[0], "password": COORDINATOR[1]}
    answer = client.post("/dang-nhap", data=right)
    assert answer.status_code == 200
    said = text_content(elements(parse_html(answer.text), "//*[@id='error']")[0]).strip()
    assert said == ("Tài khoản đang tạm khóa vì đăng nhập sai 5 lần: thử lại sau 10/03/2023 09:15.")
    with session_scope(stored) as session:
        outcomes = [e.outcome for e in login_events(session, COORDINATOR[0])]
    assert outcomes == ["failure"] * 5 + ["locked"]


def test_logging_out_ends_the_session_in_this_browser(client: TestClient) -> None:
    html = log_in(client)
    answer = client.post("/dang-xuat", data={"csrf": token_in(html)})
    assert answer.status_code == 303 and answer.headers["location"] == "/dang-nhap"
    assert note_of(client.get("/dang-nhap").text) == "Đã đăng xuất."
    assert client.get("/dieu-phoi").status_code == 303


def end_by_password_change(engine: Engine) -> None:
    with session_scope(engine) as session:
        change_password(session, COORDINATOR[0], "mật khẩu mới dài hơn", NOW, FAST)


def end_by_removal(engine: Engine) -> None:
    with session_scope(engine) as session:
        remove_account(session, COORDINATOR[0], NOW)


@pytest.mark.parametrize("change", [end_by_password_change, end_by_removal])
def test_a_changed_password_or_a_removed_account_ends_its_sessions(
    client: TestClient, stored: Engine, change: Any
) -> None:
    html = log_in(client)
    change(stored)
    before = submissions(stored)
    posted = client.post("/dieu-phoi/chap-nhan", data={"csrf": token_in(html), **row_form()})
    assert posted.status_code == 303 and posted.headers["location"] == "/dang-nhap"
    assert submissions(stored) == before
    assert "thao tác vừa rồi chưa được ghi" in note_of(client.get("/dang-nhap").text)
    answer = client.get("/dieu-phoi")
    assert answer.status_code == 303 and answer.headers["location"] == "/dang-nhap"


def test_a_session_ends_after_the_idle_time_and_each_request_restarts_it(
    runtime: Runtime,
) -> None:
    clock = Clock()
    with client_on(runtime, clock) as client:
        log_in(client)
        clock.now += timedelta(hours=7, minutes=59)
        assert client.get("/dieu-phoi").status_code == 200  # re-signed now
        clock.now += timedelta(hours=7, minutes=59)
        assert client.get("/dieu-phoi").status_code == 200
        clock.now += timedelta(hours=8, minutes=1)
        answer = client.get("/dieu-phoi")
        assert answer.status_code == 303 and answer.headers["location"] == "/dang-nhap"
        assert "Phiên làm việc đã kết thúc" in note_of(client.get("/dang-nhap").text)


def test_the_idle_time_is_a_setting(runtime: Runtime) -> None:
    url = runtime.settings.database.url.get_secret_value()
    short = runtime_on(url, web=WebSettings(session_idle_minutes=30))
    clock = Clock()
    with client_on(short, clock) as client:
        assert "Max-Age=1800" in client.get("/dang-nhap").headers["set-cookie"]
        log_in(client)
        clock.now += timedelta(minutes=31)
        assert client.get("/dieu-phoi").status_code == 303
    short.close()


def test_a_cookie_not_signed_with_the_sites_key_is_no_session(
    client: TestClient, runtime: Runtime
) -> None:
    log_in(client)
    genuine = client.cookies[COOKIE]
    key = runtime.checking_secret()
    assert key is not None
    cookies = SessionCookies(timedelta(hours=8), secure=False)
    session = cookies.read(key, genuine, NOW)
    assert session is not None and session.username == COORDINATOR[0]
    response = Response()
    cookies.write(response, "another key, forty characters long.......", session, NOW, "/")
    signed_elsewhere = response.headers["set-cookie"].split(";")[0].removeprefix(f"{COOKIE}=")
    for forged in (signed_elsewhere, genuine[:-2] + ("A" if genuine[-2] != "A" else "B") + "x"):
        client.cookies.set(COOKIE, forged)
        assert client.get("/dieu-phoi").status_code == 303


# --- CSRF -----------------------------------------------------------------------------------


def other_session_token(runtime: Runtime) -> str:
    """A genuine token of another browser's session: valid there, not here."""
    with client_on(runtime) as other:
        return token_in(log_in(other))


@pytest.mark.parametrize("path", POST_PATHS)
@pytest.mark.parametrize("token", ["missing", "forged", "another session's"])
def test_a_post_without_its_valid_token_is_403_and_writes_nothing(
    runtime: Runtime, client: TestClient, stored: Engine, path: str, token: str
) -> None:
    stolen = other_session_token(runtime) if token == "another session's" else ""
    log_in(client)
    given = {"missing": {}, "forged": {"csrf": "x" * 43}, "another session's": {"csrf": stolen}}
    fields = {
        "username": COORDINATOR[0],
        "password": COORDINATOR[1],
        "note": "lý do",
        "until": "20/03/2023",
    }
    before = dump(stored)
    answer = client.post(path, data={**row_form(), **fields, **given[token]})
    assert answer.status_code == 403
    page = text_content(parse_html(answer.text))
    assert "Thao tác bị từ chối" in page and "không có gì được ghi" in page
    assert dump(stored) == before
    assert client.get("/dieu-phoi").status_code == 200  # still logged in


def test_every_post_route_of_the_app_is_one_the_csrf_tests_cover(runtime: Runtime) -> None:
    app = create_app(runtime)
    posted = set()
    for route in app.routes:
        if isinstance(route, Route) and route.methods and "POST" in route.methods:
            posted.add(route.path)
    # tests/flows/web/test_unit_forms.py, tests/flows/web/test_extension_requests.py
    units = {"/n/{token}/da-nhan", "/n/{token}/nop", "/n/{token}/xin-gia-han"}
    assert posted == {"/dang-nhap", "/dang-xuat", "/dieu-phoi/{action}", *units}


def test_a_login_without_its_token_is_refused_before_the_password_is_tried(
    client: TestClient, stored: Engine
) -> None:
    client.get("/dang-nhap")
    answer = client.post(
        "/dang-nhap", data=dict(zip(("username", "password"), COORDINATOR, strict=True))
    )
    assert answer.status_code == 403
    with session_scope(stored) as session:
        assert login_events(session) == []


def test_a_body_that_is_not_a_small_form_is_refused(client: TestClient, stored: Engine) -> None:
    token = token_in(log_in(client))
    before = dump(stored)
    as_json = client.post("/dieu-phoi/mien", json={"csrf": token, **row_form(note="x")})
    assert as_json.status_code == 415
    huge = client.post("/dieu-phoi/mien", data={"csrf": token, **row_form(note="x" * 70_000)})
    assert huge.status_code == 413
    assert dump(stored) == before


# --- roles ----------------------------------------------------------------------------------


def test_a_leader_reads_the_console_without_forms_and_gets_403_on_posts(
    client: TestClient, stored: Engine
) -> None:
    html = log_in(client, LEADER)
    page = parse_html(html)
    assert "Lãnh đạo" in text_content(page) and "chỉ xem" in text_content(page)
    assert "Chờ duyệt (1)" in text_content(page)
    actions = [f.get("action") for f in elements(page, "//form")]
    assert actions == ["/dang-xuat"]  # no action form, only the logout
    before = dump(stored)
    for path in ACTION_PATHS:
        answer = client.post(path, data={"csrf": token_in(html), **row_form(note="x")})
        assert answer.status_code == 403, path
        assert "Tài khoản lãnh đạo chỉ được xem" in answer.text
    assert dump(stored) == before


def test_a_unit_has_no_way_into_the_console(client: TestClient) -> None:
    """Units have no account; their personal link opens only their own page (/n/…)."""
    answer = client.post("/dang-nhap", data={"username": "huong-khe", "password": "x" * 12})
    assert answer.status_code == 403
    assert client.get("/dieu-phoi").status_code == 303


# --- actions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A form posted on a row, the rows it must add (kind, note, data) and the start of the
    confirmation. huong-khe's bc-huyen waits for review; can-loc's is late."""

    action: str
    unit: str
    fields: dict[str, str]
    rows: list[tuple[SubmissionKind, str, dict[str, object]]]
    told: str


CASES = [
    Case(
        "chap-nhan",
        "huong-khe",
        {},
        [(SubmissionKind.ACCEPTED, "", {})],
        "Đã chấp nhận: bc-huyen · Huyện ủy Hương Khê (lần nộp #",
    ),
    Case(
        "tra-lai",
        "huong-khe",
        {"note": "thiếu danh sách đại biểu"},
        [(SubmissionKind.RETURNED, "thiếu danh sách đại biểu", {})],
        "Đã trả lại: bc-huyen · Huyện ủy Hương Khê (lần nộp #",
    ),
    Case(
        "tra-lai",
        "huong-khe",
        {"note": "thiếu danh sách", "until": "14/03/2023"},
        [
            (SubmissionKind.RETURNED, "thiếu danh sách", {}),
            (SubmissionKind.EXTENDED, "thiếu danh sách", {"due_kind": "by", "due": "2023-03-14"}),
        ],
        "Đã trả lại: bc-huyen · Huyện ủy Hương Khê (lần nộp #",
    ),
    Case(
        "gia-han",
        "can-loc",
        {"until": "13/03/2023", "note": "huyện xin thêm thời gian"},
        [
            (
                SubmissionKind.EXTENDED,
                "huyện xin thêm thời gian",
                {"due_kind": "by", "due": "2023-03-13"},
            )
        ],
        "Đã gia hạn: bc-huyen · Huyện ủy Can Lộc: gia hạn đến 13/03/2023 (hạn gốc: trước "
        "ngày 09/03/2023), từ 10/03/2023 09:00.",
    ),
    Case(
        "mien",
        "can-loc",
        {"note": "đơn vị sáp nhập"},
        [(SubmissionKind.WAIVED, "đơn vị sáp nhập", {})],
        "Đã miễn: bc-huyen · Huyện ủy Can Lộc lúc 10/03/2023 09:00.",
    ),
    Case(
        "ghi-nhan",
        "can-loc",
        {"at": "09/03/2023 16:45", "so_lieu.so_dai_bieu": "15", "note": "bản giấy"},
        [(SubmissionKind.RECEIVED, "bản giấy", {"so_dai_bieu": 15})],
        "Đã ghi nhận: bc-huyen · Huyện ủy Can Lộc lúc 09/03/2023 16:45. Số đại biểu dự gặp mặt: 15",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.action}-{len(case.rows)}")
def test_each_action_is_recorded_through_the_domain_as_the_logged_in_user(
    client: TestClient, stored: Engine, case: Case
) -> None:
    token = token_in(log_in(client))
    before = {row.id for row in submissions(stored)}
    answer = client.post(
        f"/dieu-phoi/{case.action}", data={"csrf": token, **row_form(unit=case.unit), **case.fields}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/dieu-phoi", answer.text
    added = [row for row in submissions(stored) if row.id not in before]
    assert [(row.kind, row.note, dict(row.data)) for row in added] == case.rows
    assert {(row.deliverable, row.unit, row.recorded_by) for row in added} == {
        ("bc-huyen", case.unit, COORDINATOR[0])
    }
    page = client.get("/dieu-phoi").text
    assert note_of(page).startswith(case.told), note_of(page)
    assert note_of(client.get("/dieu-phoi").text) == ""  # said once


def test_the_confirmation_is_the_domains_own_sentence(client: TestClient, stored: Engine) -> None:
    """What the CLI prints for the same decision (`describe`), recorded in a twin database."""
    token = token_in(log_in(client))
    fields = {"csrf": token, **row_form(), "note": "thiếu số liệu"}
    assert client.post("/dieu-phoi/tra-lai", data=fields).status_code == 303
    [returned] = [row for row in submissions(stored) if row.kind is SubmissionKind.RETURNED]
    request = RecordRequest(
        PLAN,
        "bc-huyen",
        "huong-khe",
        SubmissionKind.RETURNED,
        NOW,
        NOW,
        COORDINATOR[0],
        "thiếu số liệu",
    )
    with session_scope(stored) as session:
        snapshot = read_snapshot(session, PLAN)
    expected = describe(Recorded(snapshot.plan, returned), request)
    assert note_of(client.get("/dieu-phoi").text) == expected


def test_a_decision_already_recorded_is_reported_not_added(
    client: TestClient, stored: Engine
) -> None:
    token = token_in(log_in(client))
    for _ in range(2):
        answer = client.post("/dieu-phoi/chap-nhan", data={"csrf": token, **row_form()})
        assert answer.status_code == 303
    kinds = [row.kind for row in submissions(stored)]
    assert kinds.count(SubmissionKind.ACCEPTED) == 1
    # Accepted, the arrival leaves the list waiting for review.
    assert "Chờ duyệt (0)" in text_content(parse_html(client.get("/dieu-phoi").text))


INVALID = [
    (
        "gia-han",
        "can-loc",
        {"until": "01/03/2023", "note": "xin thêm"},
        "hạn mới (gia hạn đến 01/03/2023) phải sau hạn gốc (trước ngày 09/03/2023)",
        "extend",
    ),
    (
        "ghi-nhan",
        "can-loc",
        {"at": "10/03/2023 12:00", "note": "bản giấy"},
        "thời điểm 10/03/2023 12:00 chưa tới: chỉ ghi nhận sau khi đơn vị đã nộp thực sự",
        "receive",
    ),
    (
        "ghi-nhan",
        "can-loc",
        {"at": "31/02/2023", "note": "bản giấy"},
        "không đọc được thời điểm '31/02/2023'",
        "receive",
    ),
    ("ghi-nhan", "can-loc", {"so_lieu.so_dai_bieu": "mười hai"}, "so_dai_bieu", "receive"),
    ("tra-lai", "huong-khe", {"note": "  "}, "trả lại cần ghi lý do", "return"),
]


@pytest.mark.parametrize(("action", "unit", "fields", "message", "form"), INVALID)
def test_a_mistake_shows_the_form_again_with_the_domains_message_and_writes_nothing(
    client: TestClient,
    stored: Engine,
    action: str,
    unit: str,
    fields: dict[str, str],
    message: str,
    form: str,
) -> None:
    token = token_in(log_in(client))
    before = dump(stored)
    answer = client.post(
        f"/dieu-phoi/{action}", data={"csrf": token, **row_form(unit=unit), **fields}
    )
    assert answer.status_code == 400
    assert dump(stored) == before
    page = parse_html(answer.text)
    assert message in text_content(elements(page, "//*[@id='error']")[0])
    row = f"//tr[@data-deliverable='bc-huyen'][@data-unit='{unit}']"
    [opened] = elements(page, f"{row}//details[@open]")
    assert opened.get("class") == form
    assert message in text_content(opened)
    for name, value in fields.items():  # what was typed is still there
        typed = elements(opened, f".//*[@name='{name}']")[0]
        assert (typed.get("value") or typed.text or "") == value


def test_a_paper_arrival_of_any_assignment_from_the_plans_own_form(
    client: TestClient, stored: Engine
) -> None:
    token = token_in(log_in(client))
    fields = {"origin": "ke-hoach", "at": "09/03/2023 08:00", "figures": "so_dai_bieu=9"}
    wrong = client.post(
        "/dieu-phoi/ghi-nhan", data={"csrf": token, **row_form("bc-huyen", "vptu"), **fields}
    )
    assert wrong.status_code == 400
    [opened] = elements(parse_html(wrong.text), "//details[@open]")
    assert opened.get("class") == "receive-any"
    assert "không được giao nhiệm vụ 'bc-huyen'" in text_content(opened)
    right = client.post(
        "/dieu-phoi/ghi-nhan", data={"csrf": token, **row_form("bc-huyen", "ky-anh"), **fields}
    )
    assert right.status_code == 303
    [row] = [row for row in submissions(stored) if row.unit == "ky-anh"]
    assert (row.kind, dict(row.data), row.recorded_by) == (
        SubmissionKind.RECEIVED,
        {"so_dai_bieu": 9},
        COORDINATOR[0],
    )
    assert row.received_at == datetime(2023, 3, 9, 8, tzinfo=HCM)


def test_an_unknown_action_is_404(client: TestClient) -> None:
    token = token_in(log_in(client))
    assert client.post("/dieu-phoi/xoa", data={"csrf": token, **row_form()}).status_code == 404


# --- what GET does, and what stays as it was --------------------------------------------------


def test_get_and_head_change_nothing_in_the_database(
    runtime: Runtime, client: TestClient, stored: Engine
) -> None:
    before = dump(stored)
    assert client.get("/dang-nhap").status_code == 200
    assert client.head("/dang-nhap").status_code == 200
    assert client.get("/dieu-phoi").status_code == 303
    with client_on(runtime) as logged_in:
        log_in(logged_in)
        before = dump(stored)  # the login itself is kept in the login history
        for _ in range(2):
            assert logged_in.get("/dieu-phoi").status_code == 200
            assert logged_in.head("/dieu-phoi").status_code == 200
            assert logged_in.get("/dang-nhap").status_code == 303
    assert dump(stored) == before


def test_without_a_signing_key_the_login_page_says_what_to_do_and_makes_none(
    stored: Engine, database_url: str
) -> None:
    runtime = runtime_on(database_url)  # no key configured, none kept yet
    before = dump(stored)
    with client_on(runtime) as client:
        answer = client.get("/dang-nhap")
        assert answer.status_code == 503 and "DONDOC_WEB_SECRET" in answer.text
        assert client.get("/dieu-phoi").status_code == 303
    assert dump(stored) == before
    runtime.close()


def test_the_board_keeps_its_basic_auth_and_the_console_has_its_own(
    stored: Engine, database_url: str
) -> None:
    web = WebSettings(user=BASIC[0], password=SecretStr(BASIC[1]), secret=SecretStr("k" * 40))
    runtime = runtime_on(database_url, web=web)
    with client_on(runtime) as client:
        assert client.get(f"/plans/{PLAN}").status_code == 401
        assert client.get(f"/plans/{PLAN}", auth=BASIC).status_code == 200
        assert client.post(f"/plans/{PLAN}", auth=BASIC).status_code == 405
        assert client.post("/", auth=BASIC).status_code == 405
        log_in(client)  # no basic auth asked on the console's pages
        assert client.put("/dieu-phoi").status_code == 405
    runtime.close()


def test_a_logged_in_account_opens_the_board_without_the_boards_basic_auth(
    stored: Engine, database_url: str
) -> None:
    """A leader who logged in to the console follows its board link without a second
    password; the board's basic auth stands for everyone else, and for a session that has
    ended (logged out, account removed) or a cookie that is not ours."""
    web = WebSettings(user=BASIC[0], password=SecretStr(BASIC[1]), secret=SecretStr("k" * 40))
    runtime = runtime_on(database_url, web=web)
    with client_on(runtime) as client:
        client.cookies.set(COOKIE, "forged.cookie.value")
        assert client.get(f"/plans/{PLAN}").status_code == 401
        client.cookies.clear()
        log_in(client, LEADER)
        before = dump(stored)
        for path in (f"/plans/{PLAN}", f"/plans/{PLAN}.json", f"/plans/{PLAN}.xlsx", "/"):
            assert client.get(path).status_code == 200, path
        assert client.post(f"/plans/{PLAN}").status_code == 405  # still read-only
        assert dump(stored) == before  # reading the session wrote nothing
        client.post("/dang-xuat", data={"csrf": token_in(client.get("/dieu-phoi").text)})
        assert client.get(f"/plans/{PLAN}").status_code == 401
        log_in(client, LEADER)
        with session_scope(stored) as session:
            remove_account(session, LEADER[0], NOW)
        assert client.get(f"/plans/{PLAN}").status_code == 401
    runtime.close()


def test_below_a_proxy_prefix_links_redirects_and_the_cookie_keep_the_prefix(
    runtime: Runtime,
) -> None:
    app = create_app(runtime, Clock())
    app.state.console.hasher = FAST
    with TestClient(app, root_path="/dondoc", follow_redirects=False) as client:
        form = client.get("/dondoc/dang-nhap")
        assert form.status_code == 200 and "Path=/dondoc" in form.headers["set-cookie"]
        assert 'action="/dondoc/dang-nhap"' in form.text
        credentials = dict(zip(("username", "password"), COORDINATOR, strict=True))
        answer = client.post("/dondoc/dang-nhap", data={"csrf": token_in(form.text), **credentials})
        assert answer.headers["location"] == "/dondoc/dieu-phoi"
        page = client.get("/dondoc/dieu-phoi").text
        assert 'action="/dondoc/dieu-phoi/chap-nhan"' in page
        assert f'href="/dondoc/plans/{PLAN}"' in page


def test_the_pages_token_is_the_csrf_helpers_for_the_sessions_nonce(
    client: TestClient, runtime: Runtime
) -> None:
    """The forms carry csrf_token(key, nonce), the helper the unit pages bind to their link;
    a login gives the session a new nonce, so a token seen before it is worthless after."""
    key = runtime.checking_secret()
    assert key is not None
    cookies = SessionCookies(timedelta(hours=8), secure=False)
    before = token_in(client.get("/dang-nhap").text)
    html = log_in(client)
    session = cookies.read(key, client.cookies[COOKIE], NOW)
    assert session is not None
    assert token_in(html) == csrf_token(key, session.nonce) != before
