"""Throw-away PostgreSQL schemas for tests (one per test) and databases (one per Prefect server
of the browser tests), dropped with everything in them; and every row of a database as text,
to show that a request wrote nothing."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError
from sqlmodel import SQLModel

# The test PostgreSQL unless DONDOC_TEST_POSTGRES_URL names another.
LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def postgres_schema(admin: Engine, url: URL) -> Iterator[str]:
    """The URL of a fresh schema on the test PostgreSQL, dropped with everything in it after.
    Its connections carry the schema's name as their `application_name`, so a test can cut
    its own connections (pg_stat_activity) and no one else's."""
    schema = f"t_{secrets.token_hex(6)}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        scoped = url.update_query_dict(
            {"options": f"-csearch_path={schema}", "application_name": schema}
        )
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


@contextmanager
def postgres_database(url: URL, driver: str) -> Iterator[str | None]:
    """The URL (with `driver`) of a fresh database on the PostgreSQL at `url`, dropped after;
    None when that server does not answer, so the caller can fall back to SQLite."""
    admin = create_engine(url, connect_args={"connect_timeout": 3}, isolation_level="AUTOCOMMIT")
    name = f"t_{secrets.token_hex(6)}"
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except OperationalError:
        admin.dispose()
        yield None
        return
    try:
        yield url.set(drivername=driver, database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def dump(engine: Engine) -> list[tuple[str, list[str]]]:
    """Every row of every table, as text: what a GET (or a refused POST) must leave as it was."""
    with engine.connect() as connection:
        return [
            (table.name, sorted(map(str, connection.execute(table.select()).all())))
            for table in SQLModel.metadata.sorted_tables
        ]
