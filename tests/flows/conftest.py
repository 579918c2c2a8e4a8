"""Prefect fixtures: one temporary Prefect server per session, the seed plan in a test database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from prefect.settings import temporary_settings
from prefect.testing.fixtures import asserting_events_worker  # noqa: F401 (a fixture)
from prefect.testing.utilities import prefect_test_harness
from sqlalchemy import Engine

from models.db import session_scope
from models.loader import LoadedPlan
from models.plan import Plan
from models.store import save_plan

# The temporary server records task runs one event per transaction by default; batching keeps
# it from lagging behind runs of a hundred tasks. No telemetry: the sandbox has no network.
# No flow-run heartbeats: their thread sleeps in 1 s steps and is joined at the end of every
# run (up to 1 s per flow call); they only detect crashed runs, which tests do not need.
HARNESS_SETTINGS: dict[str, Any] = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": False,
    "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": None,
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": 200,
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": 200,
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL": 1,
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "prefect: runs flows against a temporary Prefect server (prefect_test_harness)"
    )


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[None]:
    """A temporary Prefect API (own SQLite database) for every test of the session that asks."""
    with temporary_settings(updates=HARNESS_SETTINGS), prefect_test_harness():  # type: ignore[arg-type]
        yield


@pytest.fixture
def seeded(
    prefect_server: None, engine: Engine, database_url: str, seed: LoadedPlan, monkeypatch
) -> Plan:
    """The seed plan stored in this test's database, which the flows find through Settings."""
    monkeypatch.setenv("DONDOC_DATABASE_URL", database_url)
    with session_scope(engine) as session:
        save_plan(session, seed)
    return seed.plan
