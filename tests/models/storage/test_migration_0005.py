"""Revision 0005 lets the submissions history hold extensions (kind 'extended')."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from models.storage.engine import alembic_config, make_engine, migrate, migration_connection

pytestmark = pytest.mark.db

AT = datetime(2023, 3, 8, 3, tzinfo=UTC)
PLAN_ROW = (
    "INSERT INTO plan (id, code, title, source, timezone, warning_days, leaders, spec_digest, "
    "spec_yaml, loaded_at) VALUES (1, 'p', 't', '', 'Asia/Ho_Chi_Minh', 3, '[]', 'd', 'code: p', "
    ":at)"
)
EXTENSION_ROW = (
    "INSERT INTO submission (plan_id, deliverable_code, unit_code, kind, received_at, "
    "recorded_at, recorded_by, note) VALUES (1, 'report', 'd1', 'extended', :at, :at, 'vp', 'x')"
)


@pytest.fixture
def engine_0004(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine, "0004")
    with engine.begin() as connection:
        connection.execute(text(PLAN_ROW), {"at": AT})
    yield engine
    engine.dispose()


def _downgrade(engine: Engine) -> None:
    with migration_connection(engine) as connection:
        command.downgrade(alembic_config(connection), "0004")


def test_0004_refuses_an_extension_and_0005_accepts_it(engine_0004: Engine) -> None:
    with pytest.raises(IntegrityError), engine_0004.begin() as connection:
        connection.execute(text(EXTENSION_ROW), {"at": AT})
    migrate(engine_0004)
    with engine_0004.begin() as connection:
        connection.execute(text(EXTENSION_ROW), {"at": AT})


def test_downgrade_is_refused_while_extensions_are_recorded(engine_0004: Engine) -> None:
    migrate(engine_0004)
    _downgrade(engine_0004)  # none yet: back to 0004
    migrate(engine_0004)
    with engine_0004.begin() as connection:
        connection.execute(text(EXTENSION_ROW), {"at": AT})
    with pytest.raises(RuntimeError, match="1 lần gia hạn đã ghi"):
        _downgrade(engine_0004)
    with engine_0004.connect() as connection:
        kinds = connection.execute(text("SELECT kind FROM submission")).scalars().all()
    assert kinds == ["extended"]
