"""Revision 0007 lets the submissions history hold review decisions and a plan its `review:`."""

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
RECEIPT_ROW = (
    "INSERT INTO submission (id, plan_id, deliverable_code, unit_code, kind, received_at, "
    "recorded_at, recorded_by, note) VALUES (1, 1, 'report', 'd1', 'received', :at, :at, 'vp', '')"
)
RETURN_ROW = (
    "INSERT INTO submission (id, plan_id, deliverable_code, unit_code, kind, received_at, "
    "recorded_at, recorded_by, note, undoes_id) VALUES (2, 1, 'report', 'd1', :kind, :at, :at, "
    "'vp', 'thiếu số liệu', 1)"
)


@pytest.fixture
def engine_0006(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine, "0006")
    with engine.begin() as connection:
        connection.execute(text(PLAN_ROW), {"at": AT})
        connection.execute(text(RECEIPT_ROW), {"at": AT})
    yield engine
    engine.dispose()


def _downgrade(engine: Engine) -> None:
    with migration_connection(engine) as connection:
        command.downgrade(alembic_config(connection), "0006")


@pytest.mark.parametrize("kind", ["returned", "accepted"])
def test_0006_refuses_a_decision_and_0007_accepts_it(engine_0006: Engine, kind: str) -> None:
    with pytest.raises(IntegrityError), engine_0006.begin() as connection:
        connection.execute(text(RETURN_ROW), {"at": AT, "kind": kind})
    migrate(engine_0006)
    with engine_0006.begin() as connection:
        connection.execute(text(RETURN_ROW), {"at": AT, "kind": kind})
        review = connection.execute(text("SELECT review FROM plan")).scalar()
    assert review is None  # a plan loaded before: on arrival, as it was


def test_downgrade_is_refused_while_decisions_are_recorded(engine_0006: Engine) -> None:
    migrate(engine_0006)
    _downgrade(engine_0006)  # none yet: back to 0006
    migrate(engine_0006)
    with engine_0006.begin() as connection:
        connection.execute(text(RETURN_ROW), {"at": AT, "kind": "returned"})
    with pytest.raises(RuntimeError, match="1 quyết định duyệt đã ghi"):
        _downgrade(engine_0006)
    with engine_0006.connect() as connection:
        kinds = connection.execute(text("SELECT kind FROM submission ORDER BY id")).scalars().all()
    assert kinds == ["received", "returned"]
