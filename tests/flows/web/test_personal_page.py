"""A unit's assignment page behind its signed link: the link of a composed e-mail opens it,
GET changes nothing, and every bad token gets a Vietnamese page with the right status."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
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
from models.evaluate import evaluate
from models.loader import LoadedPlan
from models.plan import Plan
from models.storage.engine import session_scope
from models.storage.site_secret import rotate_kept_secret
from models.storage.store import append_submission, read_snapshot, save_plan
from models.storage.tables import NotificationRow
from notifications.dispatch import notify
from notifications.links import sign
from tests.databases import dump
from tests.html_pages import parse_html
from tests.runtimes import runtime_on

pytestmark = pytest.mark.db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PLAN = "gap-mat-2023"
BASE = "http://vptu.example:8765"
REMINDED = datetime(2023, 3, 6, 8, tzinfo=HCM)  # reminders of the 09/03 reports are due
NOW = datetime(2023, 3, 10, 9, tzinfo=HCM)  # the page's wall clock
AUTH = ("vptu", "mật-khẩu-thử")
LINK = re.compile(re.escape(BASE) + r"(/n/[A-Za-z0-9_.-]+)")


@pytest.fixture
def stored(engine: Engine, seed: LoadedPlan) -> Engine:
    with session_scope(engine) as session:
        save_plan(session, seed)
    return engine


@pytest.fixture
def runtime(stored: Engine, database_url: str) -> Iterator[Runtime]:
    web = WebSettings(base_url=BASE, user=AUTH[0], password=SecretStr(AUTH[1]))
    runtime = runtime_on(database_url, web=web)
    yield runtime
    runtime.close()


def client_at(runtime: Runtime, now: datetime = NOW) -> TestClient:
    return TestClient(create_app(runtime, lambda: now), raise_server_exceptions=False)


def composed_links(runtime: Runtime) -> dict[str, str]:
    """Decide the reminders due on REMINDED, the wall clock then, and read each unit's link
    from the e-mails' plain text, by message key."""
    with runtime.session() as session:
        snapshot = read_snapshot(session, PLAN)
    statuses = evaluate(snapshot.plan, snapshot.submissions, REMINDED)
    links = runtime.personal_links(REMINDED)
    with runtime.session() as session:
        report = notify(session, snapshot, statuses, REMINDED, mail_from="vp@x.vn", links=links)
    assert report.enqueued
    with runtime.session() as session:
        found = session.exec(select(NotificationRow.key, NotificationRow.body_text)).all()
    paths = {key: LINK.search(text) for key, text in found}
    return {key: match.group(1) for key, match in paths.items() if match}


def refused(response_text: str) -> str:
    page = parse_html(response_text)
    assert page.get("lang") == "vi"
    assert "Traceback" not in response_text
    return response_text


def test_the_link_of_a_composed_reminder_opens_its_assignment_page(runtime: Runtime) -> None:
    links = composed_links(runtime)
    key, path = next((k, p) for k, p in links.items() if ":reminder:" in k)
    _, _, deliverable, unit, _ = key.split(":")
    with client_at(runtime) as client:
        response = client.get(path)  # no login: the token is the unit's
    assert response.status_code == 200, response.text
    snapshot_plan = read_plan(runtime)
    assert snapshot_plan.deliverables[deliverable].title in response.text
    assert snapshot_plan.unit_name(unit) in response.text
    assert "Quá hạn" in response.text  # 10/03: the 09/03 report is late
    assert "lúc 09:00 ngày 10/03/2023" in response.text
    assert response.headers["Cache-Control"] == "no-store"
    assert "<script" not in response.text


def read_plan(runtime: Runtime) -> Plan:
    with runtime.session() as session:
        return read_snapshot(session, PLAN).plan


def test_every_e_mail_to_a_unit_carries_its_own_link(runtime: Runtime) -> None:
    links = composed_links(runtime)
    assert len(set(links.values())) == len(links) > 1


def test_opening_the_page_changes_nothing_in_the_database(runtime: Runtime, stored: Engine) -> None:
    path = next(iter(composed_links(runtime).values()))
    before = dump(stored)
    with client_at(runtime) as client:
        assert client.get(path).status_code == 200
        assert client.head(path).status_code == 200
    assert dump(stored) == before


def test_a_recorded_arrival_shows_on_the_page(runtime: Runtime, stored: Engine) -> None:
    links = composed_links(runtime)
    key, path = next((k, p) for k, p in links.items() if ":reminder:" in k)
    _, _, deliverable, unit, _ = key.split(":")
    arrived = datetime(2023, 3, 8, 15, 20, tzinfo=HCM)
    with session_scope(stored) as session:
        append_submission(
            session,
            PLAN,
            deliverable=deliverable,
            unit=unit,
            kind="received",
            received_at=arrived,
            recorded_at=arrived,
        )
    with client_at(runtime) as client:
        text = client.get(path).text
    assert "Hoàn thành đúng hạn" in text and "Đã nhận" in text and "15:20 ngày 08/03/2023" in text


def test_the_board_still_asks_for_a_login(runtime: Runtime) -> None:
    with client_at(runtime) as client:
        assert client.get(f"/plans/{PLAN}").status_code == 401


def test_a_post_to_the_read_only_page_is_refused(runtime: Runtime) -> None:
    path = next(iter(composed_links(runtime).values()))
    with client_at(runtime) as client:
        response = client.post(path)
    assert response.status_code == 405


def test_a_forged_token_gets_403_in_vietnamese(runtime: Runtime) -> None:
    composed_links(runtime)  # a secret is kept
    forged = sign("f" * 40, PLAN, "bc-huyen", "huong-khe", REMINDED)
    with client_at(runtime) as client:
        response = client.get(f"/n/{forged}")
    assert response.status_code == 403
    assert "Liên kết không đúng" in refused(response.text)


def test_an_altered_token_gets_403(runtime: Runtime) -> None:
    path = next(iter(composed_links(runtime).values()))
    altered = path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb")
    with client_at(runtime) as client:
        for bad in (altered, path[:-10], "/n/" + "x" * 300, "/n/%00%ff"):
            response = client.get(bad)
            assert response.status_code == 403, bad
            refused(response.text)


def test_a_token_before_any_secret_exists_gets_403_and_makes_none(
    runtime: Runtime, stored: Engine
) -> None:
    before = dump(stored)
    with client_at(runtime) as client:
        response = client.get("/n/" + sign("x" * 40, PLAN, "a", "b", REMINDED))
    assert response.status_code == 403
    refused(response.text)
    assert dump(stored) == before


def test_an_expired_token_gets_410_saying_since_when(runtime: Runtime) -> None:
    path = next(iter(composed_links(runtime).values()))
    late = datetime(2024, 1, 1, tzinfo=UTC)
    with client_at(runtime, late) as client:
        response = client.get(path)
    assert response.status_code == 410
    assert "đã hết hạn từ" in refused(response.text)


def test_rotating_the_kept_secret_revokes_the_links_sent(runtime: Runtime, stored: Engine) -> None:
    path = next(iter(composed_links(runtime).values()))
    with session_scope(stored) as session:
        rotate_kept_secret(session, NOW)
    with client_at(runtime) as client:
        response = client.get(path)
    assert response.status_code == 403
    assert "thu hồi" in refused(response.text)


def test_a_link_to_an_assignment_no_longer_in_the_plan_gets_404(runtime: Runtime) -> None:
    secret = runtime.link_secret(REMINDED)
    with client_at(runtime) as client:
        gone = client.get("/n/" + sign(secret, PLAN, "da-bo", "huong-khe", REMINDED))
        no_plan = client.get("/n/" + sign(secret, "khong-co", "x", "y", REMINDED))
    assert gone.status_code == 404 and "không còn trong Kế hoạch" in refused(gone.text)
    assert no_plan.status_code == 404 and "không còn trong hệ thống" in refused(no_plan.text)


def test_without_a_base_url_the_e_mails_carry_no_link(stored: Engine, database_url: str) -> None:
    runtime = runtime_on(database_url)
    try:
        assert runtime.personal_links(REMINDED) is None
        with runtime.session() as session:
            snapshot = read_snapshot(session, PLAN)
        statuses = evaluate(snapshot.plan, snapshot.submissions, REMINDED)
        with runtime.session() as session:
            notify(session, snapshot, statuses, REMINDED, mail_from="vp@x.vn")
            texts = session.exec(select(NotificationRow.body_text)).all()
        assert texts and not any("/n/" in text for text in texts)
    finally:
        runtime.close()


def test_the_signing_moment_is_the_wall_clock_not_the_runs_as_of(runtime: Runtime) -> None:
    """A link composed now for a replayed day opens for link_days after now."""
    wall = datetime(2026, 12, 16, 2, tzinfo=UTC)
    secret = runtime.link_secret(wall)
    path = "/n/" + sign(secret, PLAN, *first_assignment(runtime), wall)
    with client_at(runtime, wall + timedelta(days=29)) as client:
        assert client.get(path).status_code == 200
    with client_at(runtime, wall + timedelta(days=31)) as client:
        assert client.get(path).status_code == 410


def first_assignment(runtime: Runtime) -> tuple[str, str]:
    ref = read_plan(runtime).assignments[0]
    return ref.deliverable, ref.unit
