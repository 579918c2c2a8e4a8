"""Shared fixtures: a fresh database per test (SQLite and, when it answers, PostgreSQL), the
seed plan, one Prefect test server, an SMTP server on loopback, a fresh runtime per test."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from flows.local_api import free_port
from models.loader import LoadedPlan, read_plan_file
from models.plan import Plan
from models.storage.engine import make_engine, migrate, parse_url, session_scope
from models.storage.store import save_plan
from tests.databases import LOCAL_POSTGRES, postgres_schema
from tests.paths import SEED_PLAN
from tests.smtp_sinks import SinkHandler, SmtpSink


@pytest.fixture(autouse=True)
def fresh_runtime() -> Iterator[None]:
    """Each test starts on a runtime read anew from its environment (and its engine closed
    after): the one place tests replace the composition root's process-wide runtime."""
    from flows import runtime

    runtime.reset()
    yield
    runtime.reset()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[tuple[Engine, URL]]:
    """An admin engine on the test PostgreSQL, or a skip saying why there is none."""
    if os.environ.get("DONDOC_TEST_POSTGRES") == "0":
        pytest.skip("PostgreSQL tests turned off (DONDOC_TEST_POSTGRES=0)")
    explicit = os.environ.get("DONDOC_TEST_POSTGRES_URL")
    url = parse_url(explicit or LOCAL_POSTGRES)
    admin = create_engine(url, connect_args={"connect_timeout": 3}, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect():
            pass
    except OperationalError:
        admin.dispose()
        where = "DONDOC_TEST_POSTGRES_URL" if explicit else "127.0.0.1:5432"
        pytest.skip(f"PostgreSQL does not answer at {where}")
    yield admin, url
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database that lives as long as the test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'dondoc.db'}"
        return
    with postgres_schema(*request.getfixturevalue("postgres_server")) as scoped:
        yield scoped


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a migrated database."""
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def seeded_engine(engine: Engine, seed: LoadedPlan) -> Engine:
    """A migrated database (SQLite, and PostgreSQL when it answers) holding the seed plan."""
    with session_scope(engine) as session:
        save_plan(session, seed)
    return engine


@pytest.fixture
def engines_opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URL of every engine made from now on in this process (the runtime makes one per
    process, and keeps none whose schema check failed): count them."""
    import models.storage.engine

    opened: list[str] = []
    real = models.storage.engine.make_engine

    def counting(url: str) -> Engine:
        opened.append(url)
        return real(url)

    monkeypatch.setattr(models.storage.engine, "make_engine", counting)
    return opened


@pytest.fixture(scope="session")
def seed() -> LoadedPlan:
    """The seed plan, gap-mat-2023, as read from plans/."""
    return read_plan_file(SEED_PLAN)


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[None]:
    """A temporary Prefect API (own SQLite database) for every test of the session that asks;
    one for the whole session, whichever folder asks first (Prefect is imported only then)."""
    from prefect.testing.utilities import prefect_test_harness

    from flows.prefect_settings import local_runs

    with local_runs(), prefect_test_harness(server_startup_timeout=120):  # a busy 2-core machine
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
    _no_event_loop_left_running()
    monkeypatch.setenv("DONDOC_DATABASE_URL", database_url)
    monkeypatch.setenv("DONDOC_MAIL_TRANSPORT", "file")
    monkeypatch.setenv("DONDOC_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("DONDOC_BOARD_DIR", str(tmp_path / "board"))
    with session_scope(engine) as session:
        save_plan(session, seed)
    return seed.plan


def _no_event_loop_left_running() -> None:
    """Prefect runs its sync calls async when a loop is running on the thread (State.result()
    and Secret.save() then return coroutines and the test fails far from the cause): say who
    left one, typically a Playwright sync API kept open past its tests."""
    loop = asyncio._get_running_loop()
    if loop is not None:
        pytest.fail(
            f"an asyncio loop is left running on the main thread ({loop!r}): a fixture "
            "(Playwright's sync API?) outlived its tests; make its folder a package"
        )


@pytest.fixture(scope="session")
def smtp_controller() -> Iterator[SmtpSink]:
    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SmtpSink("127.0.0.1", controller.port, handler)
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(smtp_controller: SmtpSink) -> Iterator[SmtpSink]:
    """An SMTP server on a free loopback port, emptied for each test."""
    smtp_controller.handler.reset()
    yield smtp_controller
    smtp_controller.handler.reset()
