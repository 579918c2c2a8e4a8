"""Prefect fixtures: one temporary Prefect server per session, the seed plan in a test database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.testing.fixtures import asserting_events_worker  # noqa: F401 (a fixture)
from prefect.testing.utilities import prefect_test_harness
from sqlalchemy import Engine

from flows.prefect_settings import local_runs
from models.db import session_scope
from models.loader import LoadedPlan
from models.plan import Plan
from models.store import save_plan


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[None]:
    """A temporary Prefect API (own SQLite database) for every test of the session that asks."""
    with local_runs(), prefect_test_harness():
        yield


@pytest.fixture
def seeded(
    prefect_server: None,
    engine: Engine,
    database_url: str,
    seed: LoadedPlan,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Plan:
    """The seed plan stored in this test's database, which the flows find through Settings;
    e-mails go to .eml files under the test's temporary folder."""
    monkeypatch.setenv("DONDOC_DATABASE_URL", database_url)
    monkeypatch.setenv("DONDOC_MAIL_TRANSPORT", "file")
    monkeypatch.setenv("DONDOC_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("DONDOC_BOARD_DIR", str(tmp_path / "board"))
    with session_scope(engine) as session:
        save_plan(session, seed)
    return seed.plan
