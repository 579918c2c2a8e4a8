"""The Alembic migrations build exactly the schema of models.storage.tables, both ways."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlmodel import Session, SQLModel

import models.storage.tables  # noqa: F401  (the tables the migrations must match)
from models.loader import LoadedPlan
from models.storage.engine import alembic_config, make_engine, migrate, migration_connection
from models.storage.store import append_submission, read_snapshot, save_plan

pytestmark = pytest.mark.db

TABLES = {
    "plan",
    "unit",
    "group_member",
    "deliverable",
    "edge",
    "assignment",
    "submission",
    "submission_file",
    "notification",
    "assignment_state",
    "setting",
    "account",
    "login_event",
}


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_migrated_schema_matches_the_tables(engine: Engine) -> None:
    assert _differences(engine) == []


def test_migrate_leaves_the_database_at_the_latest_revision(engine: Engine) -> None:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    assert _revision(engine) == head


def test_migrating_twice_changes_nothing(engine: Engine) -> None:
    before = _revision(engine)
    migrate(engine)
    assert _revision(engine) == before
    assert _differences(engine) == []


def test_downgrade_to_base_drops_every_table_and_upgrade_restores_them(engine: Engine) -> None:
    assert set(inspect(engine).get_table_names()) >= TABLES
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    assert set(inspect(engine).get_table_names()) & TABLES == set()
    assert _revision(engine) is None
    migrate(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES
    assert _differences(engine) == []


def test_a_sqlite_batch_rebuild_keeps_rows_that_reference_the_table(
    tmp_path: Path, seed: LoadedPlan
) -> None:
    """Future migrations rebuild tables on SQLite; submissions must survive their plan's rebuild."""
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    migrate(engine)
    moment = datetime(2023, 3, 8, tzinfo=UTC)
    with Session(engine) as session:
        save_plan(session, seed)
        kept = append_submission(
            session,
            seed.plan.code,
            deliverable="bc-huyen",
            unit="duc-tho",
            kind="received",
            received_at=moment,
            recorded_at=moment,
        )
        session.commit()
    with migration_connection(engine) as connection:
        operations = Operations(MigrationContext.configure(connection))
        with operations.batch_alter_table("plan", recreate="always") as batch:
            batch.add_column(sa.Column("extra", sa.Integer(), nullable=True))
    with Session(engine) as session:
        assert read_snapshot(session, seed.plan.code).submissions == (kept,)
    engine.dispose()
