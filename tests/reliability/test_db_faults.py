"""The database fails under the flows: unreachable at the start of a run, or a statement failing
mid-run. Database tasks retry with backoff (flows/task_policy.py), then the run fails with the
driver's reason; a failed unit of work leaves no row behind."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, func
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from flows.local_api import free_port
from flows.record import record_submission
from flows.track import track_plan
from models.plan import Plan
from models.storage.engine import session_scope
from models.storage.tables import AssignmentStateRow, NotificationRow
from notifications import outbox
from tests.builders import local
from tests.processes import FAST_DELAYS

pytestmark = [pytest.mark.db, pytest.mark.prefect]
PLAN = "gap-mat-2023"
PASSWORD = "db-pass-7Q2x"
MONDAY_MORNING = local(2023, 3, 6, 8)  # office hours: messages are decided and delivered


def count(engine: Engine, table: Any) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


def unreachable(kind: str) -> tuple[str, str]:
    """A database URL that refuses connections, and the reason the driver gives."""
    if kind == "sqlite":
        return "sqlite:////nonexistent-dondoc-dir/sub/dondoc.db", "unable to open database file"
    url = f"postgresql+psycopg://dondoc:{PASSWORD}@127.0.0.1:{free_port()}/dondoc"
    return url, "Connection refused"


RUNS: dict[str, Callable[[], Any]] = {
    "track-plan": lambda: track_plan(PLAN, MONDAY_MORNING, return_state=True),
    "record-submission": lambda: record_submission(
        PLAN, "bc-huyen", "huong-khe", "Lan", received_at=local(2023, 3, 6, 9), return_state=True
    ),
}


@pytest.mark.parametrize("flow", RUNS)
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_an_unreachable_database_is_retried_with_backoff_then_fails_the_run_with_the_reason(
    prefect_server: None,
    fast_retries: None,
    engines_opened: list[str],
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    flow: str,
) -> None:
    url, reason = unreachable(kind)
    monkeypatch.setenv("DONDOC_DATABASE_URL", url)
    started = time.monotonic()
    state = RUNS[flow]()
    elapsed = time.monotonic() - started
    assert state.is_failed()
    assert len(engines_opened) == 1 + len(FAST_DELAYS)  # the first attempt and three retries
    assert elapsed >= sum(FAST_DELAYS)
    assert "OperationalError" in state.message and reason in state.message, state.message
    assert PASSWORD not in state.message


def fail_enqueue(monkeypatch: pytest.MonkeyPatch, times: int) -> list[int]:
    """outbox.enqueue inserts its rows, then the connection breaks (before the commit)."""
    calls: list[int] = []
    real = outbox.enqueue

    def breaking(session, plan_id, letters):
        inserted = real(session, plan_id, letters)
        calls.append(len(inserted))
        if len(calls) <= times:
            raise OperationalError("INSERT INTO notification …", {}, Exception("server closed"))
        return inserted

    monkeypatch.setattr(outbox, "enqueue", breaking)
    return calls


def test_a_fault_after_the_outbox_insert_rolls_it_back_and_the_retry_enqueues_each_once(
    seeded: Plan, engine: Engine, fast_retries: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = fail_enqueue(monkeypatch, times=1)
    state = track_plan(PLAN, MONDAY_MORNING, return_state=True)
    assert state.is_completed(), state.message
    assert len(calls) == 2 and calls[0] == calls[1] > 20  # the retry inserted them all again
    with session_scope(engine) as session:
        keys = session.exec(select(NotificationRow.key)).all()
    assert len(keys) == len(set(keys)) == calls[1]


def test_a_fault_that_persists_fails_the_run_with_no_outbox_row_and_the_next_run_catches_up(
    seeded: Plan, engine: Engine, fast_retries: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = outbox.enqueue
    calls = fail_enqueue(monkeypatch, times=99)
    state = track_plan(PLAN, MONDAY_MORNING, return_state=True)
    assert state.is_failed()
    assert "server closed" in (state.message or "")
    assert len(calls) == 1 + len(FAST_DELAYS)
    assert count(engine, NotificationRow) == 0  # each attempt rolled back whole
    monkeypatch.setattr(outbox, "enqueue", real)  # the database is back
    again = track_plan(PLAN, local(2023, 3, 6, 9), return_state=True)
    assert again.is_completed(), again.message
    assert count(engine, NotificationRow) == calls[0]


def test_a_fault_saving_statuses_leaves_no_status_row_and_no_message(
    seeded: Plan, engine: Engine, fast_retries: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import models.storage.state_store

    real = models.storage.state_store.save_states
    attempts: list[int] = []

    def breaking(session, plan, statuses, as_of):
        attempts.append(real(session, plan, statuses, as_of))
        raise OperationalError("INSERT INTO assignment_state …", {}, Exception("disk I/O error"))

    monkeypatch.setattr("flows.track.save_states", breaking)
    state = track_plan(PLAN, MONDAY_MORNING, return_state=True)
    assert state.is_failed() and "disk I/O error" in (state.message or "")
    assert len(attempts) == 1 + len(FAST_DELAYS) and attempts[0] == len(seeded.assignments)
    assert (count(engine, AssignmentStateRow), count(engine, NotificationRow)) == (0, 0)
