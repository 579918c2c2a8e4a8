"""Database fixtures: a fresh database per test, on SQLite and (when it answers) PostgreSQL."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from models.loader import LoadedPlan, read_plan_file
from models.plan import Plan
from models.storage.engine import make_engine, migrate, parse_url, session_scope
from models.storage.store import save_plan

ROOT = Path(__file__).resolve().parent.parent
SEED_PLAN = ROOT / "plans" / "gap-mat-2023.yaml"
LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


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


@contextmanager
def postgres_schema(admin: Engine, url: URL) -> Iterator[str]:
    """The URL of a fresh schema on the test PostgreSQL, dropped with everything in it after."""
    schema = f"t_{secrets.token_hex(6)}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        scoped = url.update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


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
