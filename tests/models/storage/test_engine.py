"""Engines, URLs and sessions: SQLite pragmas, psycopg by default, secrets kept out of messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from models.errors import InvalidInputError
from models.loader import LoadedPlan
from models.storage.engine import make_engine, migrate, parse_url, session_scope
from models.storage.store import plan_codes, save_plan
from models.storage.tables import PlanRow


@pytest.mark.parametrize("url", ["postgres://u@h/d", "postgresql://u@h/d"])
def test_a_plain_postgresql_url_uses_psycopg(url: str) -> None:
    assert parse_url(url).drivername == "postgresql+psycopg"


@pytest.mark.parametrize("url", ["s3cret", "postgresql://u:s3cret@h:port/d"])
def test_a_bad_url_is_refused_without_repeating_it(url: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        parse_url(url)
    assert "s3cret" not in str(refused.value)


def test_an_engine_never_shows_its_password() -> None:
    engine = make_engine("postgresql://u:s3cret@127.0.0.1:1/d")
    assert "s3cret" not in repr(engine)
    assert "s3cret" not in str(engine.url)


@pytest.mark.db
def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA busy_timeout").scalar() == 30_000
        assert pragma("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


@pytest.mark.db
def test_a_sqlite_session_reads_one_state_while_others_write(
    tmp_path: Path, seed: LoadedPlan
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    migrate(engine)
    with Session(engine) as reader:
        assert plan_codes(reader) == []
        with session_scope(engine) as writer:
            save_plan(writer, seed)
        assert plan_codes(reader) == []
    with Session(engine) as later:
        assert plan_codes(later) == [seed.plan.code]
    engine.dispose()


@pytest.mark.db
def test_session_scope_commits_on_success_and_rolls_back_on_error(
    engine: Engine, seed: LoadedPlan
) -> None:
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        save_plan(session, seed)
        raise RuntimeError("boom")
    with Session(engine) as session:
        assert session.exec(select(PlanRow)).all() == []
    with session_scope(engine) as session:
        save_plan(session, seed)
    with Session(engine) as session:
        assert session.exec(select(PlanRow.code)).all() == [seed.plan.code]


def test_schema_revision_constant_is_alembic_head() -> None:
    from alembic.script import ScriptDirectory

    from models.storage.engine import SCHEMA_REVISION, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_REVISION


@pytest.mark.db
def test_ensure_schema_migrates_a_new_database_once(database_url: str) -> None:
    from sqlalchemy import event, inspect

    from models.storage.engine import ensure_schema, make_engine

    engine = make_engine(database_url)
    ensure_schema(engine)
    assert "submission" in inspect(engine).get_table_names()
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    ensure_schema(engine)
    assert [s for s in statements if "alembic_version" in s] and len(statements) <= 2
    engine.dispose()
