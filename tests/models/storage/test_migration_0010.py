"""Revision 0010 lets the history hold a unit's request for more time and a coordinator's
refusal of it; it will not go back while it holds either."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from models.storage.engine import alembic_config, make_engine, migrate, migration_connection

pytestmark = pytest.mark.db

AT = datetime(2023, 3, 10, 2, tzinfo=UTC)
PLAN_ROW = (
    "INSERT INTO plan (id, code, title, source, timezone, warning_days, leaders, spec_digest, "
    "spec_yaml, loaded_at) VALUES (1, 'p', 't', '', 'Asia/Ho_Chi_Minh', 3, '[]', 'd', 'code: p', "
    ":at)"
)
REQUEST_ROW = (
    "INSERT INTO submission (id, plan_id, deliverable_code, unit_code, kind, received_at, "
    "recorded_at, recorded_by, note, data) VALUES (1, 1, 'report', 'd1', 'extension_requested', "
    ":at, :at, 'd1 (trang cá nhân)', 'thiếu số liệu xã', '{\"due\": \"20/03/2023\"}')"
)
REFUSAL_ROW = (
    "INSERT INTO submission (id, plan_id, deliverable_code, unit_code, kind, received_at, "
    "recorded_at, recorded_by, note, undoes_id) VALUES (2, 1, 'report', 'd1', "
    "'extension_refused', :at, :at, 'vptu', 'hạn đã chốt', 1)"
)


@pytest.fixture
def engine_0009(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine, "0009")
    with engine.begin() as connection:
        connection.execute(text(PLAN_ROW), {"at": AT})
    yield engine
    engine.dispose()


def _insert(engine: Engine, statement: str) -> None:
    with engine.begin() as connection:
        connection.execute(text(statement), {"at": AT})


def _downgrade(engine: Engine) -> None:
    with migration_connection(engine) as connection:
        command.downgrade(alembic_config(connection), "0009")


def test_0009_refuses_a_request_and_0010_accepts_it_and_its_refusal(engine_0009: Engine) -> None:
    with pytest.raises(IntegrityError):
        _insert(engine_0009, REQUEST_ROW)
    migrate(engine_0009)
    _insert(engine_0009, REQUEST_ROW)
    _insert(engine_0009, REFUSAL_ROW)
    with engine_0009.connect() as connection:
        kinds = connection.execute(text("SELECT kind FROM submission ORDER BY id")).scalars()
        assert kinds.all() == ["extension_requested", "extension_refused"]


def test_an_empty_0010_goes_back_to_0009_and_up_again(engine_0009: Engine) -> None:
    migrate(engine_0009)
    _downgrade(engine_0009)
    with pytest.raises(IntegrityError):
        _insert(engine_0009, REQUEST_ROW)
    migrate(engine_0009)
    _insert(engine_0009, REQUEST_ROW)


def test_downgrade_is_refused_while_requests_are_kept(engine_0009: Engine) -> None:
    migrate(engine_0009)
    _insert(engine_0009, REQUEST_ROW)
    with pytest.raises(RuntimeError, match="1 đề nghị gia hạn"):
        _downgrade(engine_0009)
    with engine_0009.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM submission")).scalar() == 1
