"""The events of a track-plan run: what they say (pure) and what the Prefect test server makes
of them, the ready automation of docs/automations/ included."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from prefect.events import Event
from prefect.events.clients import AssertingEventsClient
from prefect.events.worker import EventsWorker
from sqlalchemy import Engine

from flows.events import (
    OVERDUE_LISTED,
    PLAN_EVALUATED,
    assignment_event,
    chip,
    plan_event,
)
from flows.record import record_submission
from flows.track import track_plan
from models.evaluate import AssignmentStatus, evaluate
from models.loader import LoadedPlan, read_plan_text
from models.plan import AssignmentRef, Plan
from models.statuses import Status
from models.storage.engine import session_scope
from models.storage.state_store import read_states
from models.storage.store import read_snapshot
from tests.builders import local

PLAN = "gap-mat-2023"
MEETING_EVE = local(2023, 3, 10, 9, 0)
MORNING = local(2023, 3, 9, 7, 30)  # reports due at 00:00 today: nobody has sent one (35 late)
HUONG_KHE_REPORT = (
    "Huyện ủy Hương Khê · Báo cáo khó khăn, vướng mắc, kiến nghị và số lượng, thành phần dự gặp mặt"
)
NOTICE_AUTOMATION = "dondoc · gap-mat-2023 · báo phân công quá hạn"
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def status_of(statuses: list[AssignmentStatus], deliverable: str, unit: str) -> AssignmentStatus:
    return next(s for s in statuses if s.ref == AssignmentRef(deliverable, unit))


def expected_statuses(engine: Engine, as_of: datetime) -> list[AssignmentStatus]:
    """What the pure evaluation says, on what the database holds now."""
    with session_scope(engine) as session:
        snapshot = read_snapshot(session, PLAN)
    return evaluate(snapshot.plan, snapshot.submissions, as_of)


# What an event says: pure functions, no Prefect server.


def test_an_assignment_event_names_its_unit_and_deliverable_in_vietnamese(
    seed: LoadedPlan,
) -> None:
    plan = seed.plan
    item = status_of(evaluate(plan, [], MEETING_EVE), "bc-huyen", "huong-khe")
    event = Event(**assignment_event(plan, item, Status.DUE_SOON, MEETING_EVE))
    assert event.event == "dondoc.assignment.overdue"
    assert event.resource.id == f"dondoc.assignment.{PLAN}.bc-huyen.huong-khe"
    assert event.resource.name == HUONG_KHE_REPORT
    assert event.resource["dondoc.unit-name"] == "Huyện ủy Hương Khê"
    assert event.resource["dondoc.deliverable-title"].startswith("Báo cáo khó khăn, vướng mắc")
    assert event.resource["dondoc.status-label"] == "Quá hạn"
    named = {r.role: r.name for r in event.related if r.role != "tag"}
    assert named == {
        "plan": "Gặp mặt cán bộ chủ chốt cơ sở năm 2023",
        "deliverable": plan.deliverables["bc-huyen"].title,
        "unit": "Huyện ủy Hương Khê",
    }
    # The feed shows these two as chips: the only words of ours it shows for a dondoc resource
    chips = [r.id.rsplit(".", 1)[1] for r in event.related if r.role == "tag"]
    assert chips == ["Quá hạn", "Huyện ủy Hương Khê"]
    assert event.payload["previous_label"] == "Sắp đến hạn"
    assert event.payload["due_label"] == "trước ngày 09/03/2023"
    assert event.payload["as_of_text"] == "10/03/2023 09:00"


def test_a_chip_keeps_a_name_with_a_dot_whole() -> None:
    """The UI reads a chip after the id's last dot: "TP. Hà Tĩnh" must not read " Hà Tĩnh"."""
    resource = chip("Thành ủy TP. Hà Tĩnh")
    assert resource["prefect.resource.id"].rsplit(".", 1)[1] == "Thành ủy TP․ Hà Tĩnh"


def test_the_plan_event_counts_every_status_and_lists_the_overdue_most_late_first(
    seed: LoadedPlan,
) -> None:
    plan = seed.plan
    statuses = evaluate(plan, [], MEETING_EVE)
    event = Event(**plan_event(plan, statuses, MEETING_EVE, "tên lượt chạy", changed=3))
    payload = event.payload
    assert event.event == PLAN_EVALUATED
    assert event.resource.id == f"dondoc.plan.{PLAN}"
    assert event.resource.name == plan.title
    assert payload["as_of"] == "2023-03-10T09:00:00+07:00"
    assert payload["counts"] == {s.value: sum(x.status is s for x in statuses) for s in Status}
    assert payload["labels"]["at_risk"] == "Có nguy cơ chậm"
    assert payload["total"] == len(statuses) == 81
    assert payload["changed"] == 3
    late = [s for s in statuses if s.status is Status.OVERDUE]
    assert payload["overdue_count"] == len(late) == payload["counts"]["overdue"] > 0
    assert event.resource["dondoc.overdue"] == str(len(late))
    days = [entry["days_late"] for entry in payload["overdue"]]
    assert days == sorted(days, reverse=True) and len(days) == len(late)
    assert {
        "unit": "huong-khe",
        "unit_name": "Huyện ủy Hương Khê",
        "deliverable": "bc-huyen",
        "deliverable_title": plan.deliverables["bc-huyen"].title,
        "days_late": 2,
        "due_label": "trước ngày 09/03/2023",
    } in payload["overdue"]


def test_the_plan_event_of_a_10k_plan_lists_200_overdue_counts_them_all_and_fits(
    seed: LoadedPlan,
) -> None:
    from bench.synthetic import synthetic_plan_text

    plan = read_plan_text(synthetic_plan_text(), "synthetic.yaml").plan
    after_everything = local(2024, 1, 1)
    statuses = evaluate(plan, [], after_everything)
    event = Event(**plan_event(plan, statuses, after_everything, "x", changed=0))
    overdue = sum(s.status is Status.OVERDUE for s in statuses)
    assert len(statuses) == 10_011 and overdue > OVERDUE_LISTED
    assert event.payload["overdue_count"] == overdue
    assert len(event.payload["overdue"]) == OVERDUE_LISTED
    assert event.size_bytes < 100_000  # Prefect refuses events over 1,500,000 bytes


# What the Prefect test server receives.


def dondoc_events(worker: EventsWorker) -> list[Event]:
    """The dondoc events the worker has sent since the last call, and forget them."""
    worker.wait_until_empty()
    client = worker._client
    assert isinstance(client, AssertingEventsClient)
    found = [e for e in client.events if e.event.startswith("dondoc.")]
    client.events.clear()
    return found


def assignment_events(worker: EventsWorker) -> list[Event]:
    return [e for e in dondoc_events(worker) if e.event.startswith("dondoc.assignment.")]


@pytest.mark.prefect
@pytest.mark.db
def test_events_are_emitted_only_when_a_status_changes(
    seeded: Plan, engine: Engine, asserting_events_worker: EventsWorker
) -> None:
    track_plan(PLAN, as_of=MEETING_EVE)
    first = {e.resource.id: e.event for e in assignment_events(asserting_events_worker)}
    assert first == {
        f"dondoc.assignment.{PLAN}.{s.deliverable}.{s.unit}": f"dondoc.assignment.{s.status}"
        for s in expected_statuses(engine, MEETING_EVE)
    }

    track_plan(PLAN, as_of=MEETING_EVE)
    assert assignment_events(asserting_events_worker) == []

    record_submission(PLAN, "bc-huyen", "huong-khe", "Lan", received_at=local(2023, 3, 10, 8))
    track_plan(PLAN, as_of=MEETING_EVE)
    [event] = assignment_events(asserting_events_worker)
    assert event.event == "dondoc.assignment.done_late"
    assert event.resource.id == f"dondoc.assignment.{PLAN}.bc-huyen.huong-khe"
    assert event.resource["prefect.resource.name"] == HUONG_KHE_REPORT
    assert event.payload["previous"] == "overdue"
    assert event.payload["days_late"] == 2
    assert event.payload["as_of"] == "2023-03-10T09:00:00+07:00"
    assert f"dondoc.plan.{PLAN}" in {r.id for r in event.related}
    with session_scope(engine) as session:
        stored = read_states(session, PLAN)
    assert stored == {s.ref: s.status for s in expected_statuses(engine, MEETING_EVE)}
    assert stored[AssignmentRef("bc-huyen", "huong-khe")] is Status.DONE_LATE


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_each_run_emits_one_plan_event_even_unchanged_linking_the_run_by_its_final_name(
    seeded: Plan, asserting_events_worker: EventsWorker
) -> None:
    from prefect import get_client

    names = []
    for _ in range(2):  # the second run changes no status
        state = track_plan(PLAN, as_of=MORNING, return_state=True)
        run_id = state.state_details.flow_run_id
        assert run_id is not None
        events = dondoc_events(asserting_events_worker)
        [evaluated] = [e for e in events if e.event == PLAN_EVALUATED]
        assert evaluated.payload["overdue_count"] == 35
        with get_client(sync_client=True) as client:
            final_name = client.read_flow_run(run_id).name
        assert final_name.startswith(f"{PLAN} · 09/03/2023 07:30 · 35 quá hạn")
        for event in events:  # Prefect would name the run as it started: "gap-mat-2023"
            [run] = [r for r in event.related if r.role == "flow-run"]
            assert (run.id, run.name) == (f"prefect.flow-run.{run_id}", final_name)
            roles = {r.role for r in event.related}
            assert "flow" in roles and "task-run" not in roles  # Prefect adds the flow still
        names.append(len(events))
    assert names == [82, 1]  # 81 first statuses and the plan; then the plan alone


@pytest.fixture
def worker_born_in_a_task_run(monkeypatch: pytest.MonkeyPatch) -> Iterator[EventsWorker]:
    """An asserting events worker first started from inside a task run, as happens in
    `dondoc track` (heartbeats off: the first client-side event is the first task run's)."""
    from prefect import flow, task

    @task
    def start() -> EventsWorker:
        return EventsWorker.instance(AssertingEventsClient)

    @flow
    def starting() -> EventsWorker:
        return start()

    worker = starting()
    monkeypatch.setattr(EventsWorker, "instance", lambda *_: worker)
    try:
        yield worker
    finally:
        worker.drain()


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_no_event_names_a_task_run_even_when_the_events_worker_was_born_in_one(
    seeded: Plan, worker_born_in_a_task_run: EventsWorker
) -> None:
    track_plan(PLAN, as_of=MORNING)
    events = dondoc_events(worker_born_in_a_task_run)
    assert len(events) == 82
    for event in events:
        roles = {r.role for r in event.related}
        assert "task-run" not in roles and "flow-run" in roles, event.event
        assert "prefect.tag.qua-han" not in {r.id for r in event.related}


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_a_preview_evaluates_and_publishes_but_sends_and_stores_nothing(
    seeded: Plan, engine: Engine, tmp_path, asserting_events_worker: EventsWorker
) -> None:
    from sqlmodel import select
    from typer.testing import CliRunner

    from flows.cli import app
    from flows.states import summary_message
    from models.storage.tables import NotificationRow

    morning = MORNING  # 35 overdue: a real run sends a notice for each
    state = track_plan(PLAN, morning, preview=True, return_state=True)
    assert state.is_completed(), state.message
    assert (
        state.message
        == f"{summary_message(evaluate(seeded, [], morning))} · chỉ xem: không gửi thư"
    )
    assert "09/03/2023 07:30" in (tmp_path / "board" / PLAN / "board.html").read_text("utf-8")
    result = CliRunner().invoke(app, ["track", PLAN, "--as-of", "09/03/2023 07:30", "--preview"])
    assert result.exit_code == 0, result.output
    assert "chỉ xem: không gửi thư" in result.stdout
    assert not list((tmp_path / "outbox").glob("*.eml"))
    with session_scope(engine) as session:
        assert session.exec(select(NotificationRow)).all() == []
        assert read_states(session, PLAN) == {}
    assert dondoc_events(asserting_events_worker) == []  # no assignment event, no plan event
    sent = track_plan(PLAN, morning, return_state=True)  # the real run still has it all to do
    assert "thư mới: 0" not in (sent.message or "")
    assert len(list((tmp_path / "outbox").glob("*overdue*.eml"))) == 35


# The ready automation, on the test server (its triggers and actions services run in it).


class NoticeSink(BaseHTTPRequestHandler):
    """Receives what a Custom Webhook notification block posts."""

    received: list[dict[str, Any]]

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


@pytest.fixture
def notices() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A webhook on a free loopback port: its URL and the notices it has received."""
    received: list[dict[str, Any]] = []
    handler = type("Sink", (NoticeSink,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/notice", received
    finally:
        server.shutdown()
        server.server_close()


def create_from_file(path: Path) -> subprocess.CompletedProcess[str]:
    """`prefect automation create --from-file` against the test server, as a person runs it."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    prefect = [sys.executable, "-m", "prefect"]
    return subprocess.run(
        [*prefect, "automation", "create", "--from-file", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def wait_for(received: list[Any], count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while len(received) < count and time.monotonic() < deadline:
        time.sleep(0.25)


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_the_ready_automation_sends_one_notice_for_a_run_with_overdue_and_none_without(
    seeded: Plan, notices: tuple[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    from prefect import get_client
    from prefect.blocks.notifications import CustomWebhookNotificationBlock

    from scripts.automation_file import main as write_automation_file

    url, received = notices
    CustomWebhookNotificationBlock(
        name="dondoc", url=url, json_data={"subject": "{{subject}}", "body": "{{body}}"}
    ).save("dondoc-test-notice", overwrite=True)
    filled = tmp_path / "overdue-notice.yaml"
    assert (
        write_automation_file(
            ["--block", "custom-webhook/dondoc-test-notice", "--plan", PLAN, "--out", str(filled)]
        )
        == 0
    )
    EventsWorker.drain_all()  # no event of an earlier test may reach the new automation
    created = create_from_file(filled)
    assert created.returncode == 0, created.stdout + created.stderr
    assert "Created automation" in created.stdout
    with get_client(sync_client=True) as client:
        [automation] = client.read_automations_by_name(
            "dondoc · gap-mat-2023 · báo phân công quá hạn"
        )
    try:
        track_plan(PLAN, as_of=local(2023, 3, 1, 7, 30))  # nobody late yet: no notice
        track_plan(PLAN, as_of=MEETING_EVE)  # 35 assignment events, one plan event
        wait_for(received, 1, timeout=60)
        time.sleep(5)  # time for a second notice, if one were coming
    finally:
        with get_client(sync_client=True) as client:
            client.delete_automation(automation.id)
    [notice] = received
    assert notice["subject"] == (
        "[dondoc] Gặp mặt cán bộ chủ chốt cơ sở năm 2023: 35 phân công quá hạn lúc 10/03/2023 09:00"
    )
    body = notice["body"]
    assert "Tình hình lúc 10/03/2023 09:00: 35 phân công quá hạn" in body
    assert "- Huyện ủy Hương Khê: Báo cáo khó khăn, vướng mắc" in body
    assert "trễ 2 ngày, hạn trước ngày 09/03/2023" in body
    assert "… và 5 phân công quá hạn khác" in body
    assert f"Lượt chạy: {PLAN} · 10/03/2023 09:00 · 35 quá hạn" in body
