"""Database plumbing: the engine for a URL, Alembic migrations, and one session per unit of work."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlmodel import Session

from models.errors import InvalidInputError
from models.storage.locks import lock_schema

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_MS = 30_000
# An execution option: this connection's transactions begin with the SQLite write lock.
WRITE_LOCK_FIRST = "dondoc_write_lock_first"
# The newest migration; kept equal to Alembic's head by tests/models/test_db.py.
SCHEMA_REVISION = "0011"


def parse_url(url: str) -> URL:
    """A SQLAlchemy URL; plain postgres:// and postgresql:// URLs use psycopg 3.

    The error never repeats the text, which may hold a password.
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise InvalidInputError(
            "địa chỉ cơ sở dữ liệu (database URL) không hợp lệ (ví dụ sqlite:///dondoc.db hoặc "
            "postgresql+psycopg://user@host/dbname)"
        ) from None
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for another database, an in-memory one or a bad URL)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


class PipelineExitNoise(logging.Filter):
    """Drops psycopg's "error ignored terminating <psycopg.Pipeline [BAD]>: the connection is
    lost", logged when a connection drops during an executemany. psycopg logs it only while the
    error that broke the pipeline is being raised, so it repeats that error, which dondoc reports
    in its own words, as a stray line on the terminal. Every other record passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != "error ignored terminating %r: %s" or not isinstance(record.args, tuple):
            return True
        return type(record.args[0]).__name__ not in ("Pipeline", "AsyncPipeline")


PIPELINE_EXIT_NOISE = PipelineExitNoise()


def make_engine(url: str) -> Engine:
    """An engine for `url`: SQLite with WAL, synchronous=NORMAL, a 30 s busy timeout and foreign
    keys; or PostgreSQL."""
    parsed = parse_url(url)
    try:
        if parsed.get_backend_name() != "sqlite":
            logging.getLogger("psycopg").addFilter(PIPELINE_EXIT_NOISE)  # kept once
            return create_engine(parsed, pool_pre_ping=True)
        engine = create_engine(parsed)
    except (NoSuchModuleError, ImportError):  # name the driver only: the URL may hold a password
        raise InvalidInputError(
            f"dondoc không dùng được loại cơ sở dữ liệu '{parsed.drivername}': dùng SQLite "
            "(sqlite:///dondoc.db) hoặc PostgreSQL (postgresql+psycopg://user@host/dbname)"
        ) from None
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite opens transactions only before writes, so a multi-SELECT snapshot would not be
    # one snapshot; we take over and emit BEGIN ourselves (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # The busy timeout first: on a new file, switching to WAL waits for the other processes
        # doing the same instead of failing at once with "database is locked".
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        # With WAL, NORMAL syncs at checkpoints, not at each commit: a power cut may lose the
        # last commits but never corrupts the file; a crash of the process loses nothing.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # A connection marked WRITE_LOCK_FIRST (a migration) takes the write lock at BEGIN, waiting
    # up to the busy timeout; a deferred transaction that has read fails at once on its first
    # write if another process wrote meanwhile.
    immediate = connection.get_execution_options().get(WRITE_LOCK_FIRST, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic settings without an ini file; migrations run on `connection` when given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to `revision` (default the latest), in one transaction."""
    from alembic import command  # loaded only when a migration may run: it costs ~0.3 s

    with migration_connection(engine) as connection:
        command.upgrade(alembic_config(connection), revision)


def ensure_schema(engine: Engine) -> None:
    """Migrate unless the database is already at SCHEMA_REVISION (one cheap query).

    Every CLI command calls this, so a command on an up-to-date database never loads Alembic.
    Many processes starting at once on a new database: the first to take the migration's lock
    migrates; the others wait for it, look again inside the lock and find nothing to do.
    """
    try:
        with engine.connect() as connection:
            if _revisions(connection) == [SCHEMA_REVISION]:
                return
    except DBAPIError:
        pass  # no alembic_version table yet (a new database), or it is being created
    from alembic import command

    with migration_connection(engine) as connection:
        # A failed query would abort a PostgreSQL transaction: ask whether the table is there.
        migrated = inspect(connection).has_table("alembic_version")
        if not migrated or _revisions(connection) != [SCHEMA_REVISION]:
            command.upgrade(alembic_config(connection), "head")


def _revisions(connection: Connection) -> list[str]:
    return list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction for schema changes, one process at a time.

    The lock is the transaction's first step, before anything is read: on PostgreSQL an
    advisory lock on the current schema (models.storage.locks.lock_schema), on SQLite the
    write lock (BEGIN IMMEDIATE), both held until commit.

    On SQLite, foreign keys are off meanwhile (batch migrations copy, drop and rename tables,
    which they would refuse) and checked before commit; the pragma only changes outside a
    transaction, hence the raw connection.
    """
    with engine.connect() as connection:
        if engine.dialect.name != "sqlite":
            with connection.begin():
                lock_schema(connection)
                yield connection
            return
        connection.execution_options(**{WRITE_LOCK_FIRST: True})
        raw = connection.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit when the block succeeds, roll back when it raises."""
    with Session(engine) as session, session.begin():
        yield session


def answers(engine: Engine) -> bool:
    """Whether the database answers a trivial query now (the health probe of `dondoc web`)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True
