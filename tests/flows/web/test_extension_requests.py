"""Asking for more time (xin gia hạn) end to end: the unit's form on its page, the console's
list with its grant and refusal, the one e-mail that answers, and the page showing the answer;
each POST bound to its token, each refusal writing nothing, a double click recording once. And
the other decision a unit hears of at once: its arrival returned, with the reason."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlmodel import select

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from flows.runtime import Runtime
from flows.settings import WebSettings
from flows.web import create_app
from models.accounts import Role
from models.evaluate import evaluate
from models.loader import LoadedPlan
from models.storage.accounts import add_account
from models.storage.engine import session_scope
from models.storage.store import append_submission, read_snapshot, save_plan
from models.storage.tables import NotificationRow
from models.submissions import Submission, SubmissionKind
from notifications.dispatch import notify
from notifications.links import check_in_time, sign, verify
from tests.databases import dump
from tests.html_pages import elements, parse_html, text_content
from tests.passwords import FAST
from tests.runtimes import runtime_on

pytestmark = pytest.mark.db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PLAN = "gap-mat-2023"
SECRET = "k" * 40
BASE_URL = "http://vptu.example:8765"
NOW = datetime(2023, 3, 7, 9, tzinfo=HCM)  # bc-huyen is due before 09/03
COORDINATOR = ("nguyen.van.an", "mật khẩu điều phối 2023")
LEADER = ("tran.thi.binh", "mật khẩu lãnh đạo 2023")
OURS = ("bc-huyen", "huong-khe")
THEIRS = ("bc-huyen", "can-loc")
REASON = "Chờ số liệu tổng hợp của các xã"
ASKED = {"han_de_nghi": "20/03/2023", "ly_do": REASON}


@pytest.fixture
def stored(engine: Engine, seed: LoadedPlan) -> Engine:
    with session_scope(engine) as session:
        save_plan(session, seed)
        for (name, password), full, role in (
            (COORDINATOR, "Nguyễn Văn An", Role.COORDINATOR),
            (LEADER, "Trần Thị Bình", Role.LEADER),
        ):
            add_account(session, name, full, role, password, NOW - timedelta(days=3), FAST)
    return engine


@pytest.fixture
def runtime(stored: Engine, database_url: str) -> Iterator[Runtime]:
    runtime = runtime_on(database_url, web=WebSettings(secret=SecretStr(SECRET), base_url=BASE_URL))
    yield runtime
    runtime.close()


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    app = create_app(runtime, lambda: NOW)
    app.state.console.hasher = FAST
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
        yield client


def page_of(assignment: tuple[str, str] = OURS) -> str:
    return "/n/" + sign(SECRET, PLAN, *assignment, NOW)


def token_in(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def shown(html: str) -> str:
    return " ".join(text_content(parse_html(html)).split())


def deadline_on(html: str) -> str:
    """The deadline the unit's page shows in its facts table."""
    [cell] = elements(parse_html(html), "//table[@class='facts']//tr[th='Hạn']/td")
    return " ".join(text_content(cell).split())


def ask(client: TestClient, assignment: tuple[str, str] = OURS, **fields: str) -> Any:
    page = page_of(assignment)
    token = token_in(client.get(page).text)
    return client.post(f"{page}/xin-gia-han", data={"csrf": token, **ASKED, **fields})


def log_in(client: TestClient, account: tuple[str, str] = COORDINATOR) -> str:
    form = client.get("/dang-nhap")
    data = {"csrf": token_in(form.text), "username": account[0], "password": account[1]}
    assert client.post("/dang-nhap", data=data).status_code == 303
    return client.get("/dieu-phoi").text


def answer(client: TestClient, action: str, assignment: tuple[str, str] = OURS, **fields: str):
    token = token_in(client.get("/dieu-phoi").text)
    deliverable, unit = assignment
    form = {"csrf": token, "plan": PLAN, "deliverable": deliverable, "unit": unit, **fields}
    return client.post(f"/dieu-phoi/{action}", data=form)


def rows(engine: Engine) -> list[Submission]:
    with session_scope(engine) as session:
        return list(read_snapshot(session, PLAN).submissions)


def outbox(engine: Engine) -> list[tuple[str, tuple[str, ...], str, str]]:
    """(rule, to, subject, text) of every e-mail in the outbox."""
    with session_scope(engine) as session:
        found = session.exec(select(NotificationRow).order_by(NotificationRow.id))  # type: ignore[arg-type]  # a column
        return [(r.rule, tuple(r.mail_to), r.subject, r.body_text) for r in found]


# --- the unit's page ------------------------------------------------------------------------


def test_the_page_offers_the_request_and_a_get_writes_nothing(
    client: TestClient, stored: Engine
) -> None:
    before = dump(stored)
    page = parse_html(client.get(page_of()).text)
    [form] = [f for f in elements(page, "//form") if f.get("action", "").endswith("/xin-gia-han")]
    assert {i.get("name") for i in elements(form, ".//*[@name]")} == {
        "csrf",
        "han_de_nghi",
        "ly_do",
    }
    assert "Xin gia hạn" in text_content(form)
    assert dump(stored) == before


@pytest.mark.parametrize("token", ["", "x" * 43, "another link's"])
def test_a_request_without_its_links_token_is_403_and_writes_nothing(
    client: TestClient, stored: Engine, token: str
) -> None:
    if token == "another link's":
        token = token_in(client.get(page_of(THEIRS)).text)
    before = dump(stored)
    answer = client.post(f"{page_of()}/xin-gia-han", data={"csrf": token, **ASKED})
    assert answer.status_code == 403
    assert dump(stored) == before


def test_a_request_is_recorded_once_and_the_page_says_so_and_shows_it(
    client: TestClient, stored: Engine
) -> None:
    first = ask(client)
    assert first.status_code == 303 and first.headers["location"].endswith("?xong=da-xin")
    assert ask(client).status_code == 303  # a double click: nothing more
    [asked] = rows(stored)
    assert (asked.kind, asked.note, dict(asked.data), asked.recorded_by) == (
        SubmissionKind.EXTENSION_REQUESTED,
        REASON,
        {"due": "20/03/2023"},
        "huong-khe (trang cá nhân)",
    )
    html = client.get(first.headers["location"]).text
    page = shown(html)
    assert "Đã gửi đề nghị gia hạn tới Văn phòng" in page
    assert "Đơn vị đã đề nghị gia hạn đến 20/03/2023" in page and REASON in page
    assert deadline_on(html) == "trước ngày 09/03/2023"  # no deadline moved
    forms = elements(parse_html(client.get(page_of()).text), "//form")
    assert not [f for f in forms if f.get("action", "").endswith("/xin-gia-han")]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"han_de_nghi": "08/03/2023"}, "phải sau hạn đang áp dụng (trước ngày 09/03/2023)"),
        ({"han_de_nghi": "20-03-2023"}, "ghi ngày theo dd/mm/yyyy"),
        ({"ly_do": "  "}, "đề nghị gia hạn cần ghi lý do"),
    ],
)
def test_a_request_the_domain_refuses_shows_why_keeps_what_was_typed_and_writes_nothing(
    client: TestClient, stored: Engine, fields: dict[str, str], message: str
) -> None:
    before = dump(stored)
    refused = ask(client, OURS, **fields)
    assert refused.status_code == 400
    assert message in shown(refused.text)
    typed = elements(parse_html(refused.text), "//*[@name='han_de_nghi']")[0]
    assert typed.get("value") == {**ASKED, **fields}["han_de_nghi"]
    assert dump(stored) == before


def test_a_second_request_while_one_waits_is_refused_in_vietnamese(
    client: TestClient, stored: Engine
) -> None:
    assert ask(client).status_code == 303
    before = dump(stored)
    second = ask(client, han_de_nghi="25/03/2023")
    assert second.status_code == 400  # the page offers no form, but a stale tab might
    assert "đang chờ Văn phòng trả lời: mỗi lần chỉ một đề nghị" in shown(second.text)
    assert dump(stored) == before


# --- the console ----------------------------------------------------------------------------


def test_the_console_lists_the_request_with_the_grant_prefilled_and_leaders_see_no_forms(
    runtime: Runtime, client: TestClient, stored: Engine
) -> None:
    assert ask(client).status_code == 303
    page = parse_html(log_in(client))
    assert "Đơn vị xin gia hạn (1)" in text_content(page)
    [row] = elements(page, "//tr[@class='request-row']")
    assert (row.get("data-deliverable"), row.get("data-unit")) == OURS
    assert "Đến 20/03/2023" in " ".join(text_content(row).split())
    until = elements(row, ".//form[@action='/dieu-phoi/duyet-gia-han']//*[@name='until']")[0]
    note = elements(row, ".//form[@action='/dieu-phoi/duyet-gia-han']//*[@name='note']")[0]
    assert (until.get("value"), note.get("value")) == ("20/03/2023", REASON)
    assert elements(row, ".//form[@action='/dieu-phoi/tu-choi-gia-han']")
    with TestClient(client.app, follow_redirects=False) as leader:
        html = parse_html(log_in(leader, LEADER))
        [row] = elements(html, "//tr[@class='request-row']")
        assert not elements(row, ".//form")
        before = dump(stored)
        assert answer(leader, "tu-choi-gia-han", note="không").status_code == 403
        assert dump(stored) == before


def test_a_grant_moves_the_deadline_from_then_on_and_the_unit_gets_one_email(
    client: TestClient, stored: Engine
) -> None:
    assert ask(client).status_code == 303
    log_in(client)
    for _ in range(2):  # a double click
        done = answer(client, "duyet-gia-han", until="22/03/2023", note=REASON)
        assert done.status_code == 303
    grants = [r for r in rows(stored) if r.kind is SubmissionKind.EXTENDED]
    assert [(dict(r.data), r.note, r.recorded_by) for r in grants] == [
        ({"due_kind": "by", "due": "2023-03-22"}, REASON, COORDINATOR[0])
    ]
    [(rule, to, subject, text)] = outbox(stored)
    assert (rule, to) == ("extension_granted", ("huyenuy.huongkhe@hatinh.example",))
    assert subject.startswith("[Đồng ý gia hạn]")
    assert "gia hạn đến 22/03/2023" in text and "đã được đồng ý" in text
    assert f"{BASE_URL}/n/" in text
    console = text_content(parse_html(client.get("/dieu-phoi").text))
    assert "Đơn vị xin gia hạn (0)" in console
    html = client.get(page_of()).text
    assert "đã được đồng ý" in shown(html)
    assert deadline_on(html) == "gia hạn đến 22/03/2023 (hạn gốc: trước ngày 09/03/2023)"


def test_a_refusal_keeps_the_deadline_and_the_unit_gets_one_email_with_the_reason(
    client: TestClient, stored: Engine
) -> None:
    assert ask(client, THEIRS).status_code == 303
    log_in(client)
    before = dump(stored)
    empty = answer(client, "tu-choi-gia-han", THEIRS, note=" ")
    assert empty.status_code == 400 and "từ chối gia hạn cần ghi lý do" in shown(empty.text)
    assert dump(stored) == before
    for _ in range(2):
        done = answer(client, "tu-choi-gia-han", THEIRS, note="Hạn đã được lãnh đạo chốt")
        assert done.status_code == 303
    [asked, refused] = rows(stored)
    assert (refused.kind, refused.undoes, refused.note) == (
        SubmissionKind.EXTENSION_REFUSED,
        asked.id,
        "Hạn đã được lãnh đạo chốt",
    )
    [(rule, to, subject, text)] = outbox(stored)
    assert (rule, to) == ("extension_refused", ("huyenuy.canloc@hatinh.example",))
    assert subject.startswith("[Không đồng ý gia hạn]")
    assert "Lý do: Hạn đã được lãnh đạo chốt" in text
    html = client.get(page_of(THEIRS)).text
    assert "không được đồng ý" in shown(html) and "Hạn đã được lãnh đạo chốt" in shown(html)
    assert deadline_on(html) == "trước ngày 09/03/2023"


def test_reading_the_console_and_the_pages_changes_nothing(
    client: TestClient, stored: Engine
) -> None:
    assert ask(client).status_code == 303
    log_in(client)
    before = dump(stored)
    for _ in range(2):
        assert client.get("/dieu-phoi").status_code == 200
        assert client.get(page_of()).status_code == 200
    assert dump(stored) == before


def test_a_return_tells_the_unit_at_once_with_its_link_and_the_next_run_adds_nothing(
    client: TestClient, stored: Engine
) -> None:
    arrived = NOW - timedelta(hours=2)
    with session_scope(stored) as session:
        append_submission(
            session, PLAN, deliverable=OURS[0], unit=OURS[1], kind="received",
            received_at=arrived, recorded_at=arrived, data={"so_dai_bieu": 12},
        )  # fmt: skip
    log_in(client)
    for _ in range(2):  # a double click
        assert answer(client, "tra-lai", note="Thiếu danh sách đại biểu").status_code == 303
    [(rule, to, subject, text)] = outbox(stored)
    assert (rule, to) == ("returned", ("huyenuy.huongkhe@hatinh.example",))
    assert subject.startswith("[Trả lại, yêu cầu bổ sung]")
    assert "Thiếu danh sách đại biểu" in text and f"{BASE_URL}/n/" in text
    # Signed at the wall clock, not at the page's (2023): the link opens when it is read.
    [token] = re.findall(rf"{re.escape(BASE_URL)}/n/(\S+)", text)
    claim = verify(SECRET, token)
    assert abs(claim.signed_at - datetime.now(UTC)) < timedelta(minutes=5)
    with session_scope(stored) as session:
        check_in_time(claim, read_snapshot(session, PLAN).plan, datetime.now(UTC), 30)
    with session_scope(stored) as session:  # the morning run decides what it would have sent
        snapshot = read_snapshot(session, PLAN)
        statuses = evaluate(snapshot.plan, snapshot.submissions, NOW + timedelta(hours=1))
        report = notify(session, snapshot, statuses, NOW + timedelta(hours=1), mail_from="vp@x.vn")
    assert "returned" not in report.per_rule
    assert [row[0] for row in outbox(stored)].count("returned") == 1
