"""Revision 0011 lets a deliverable keep a period or a counted deadline; it will not go back
while one is stored."""

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
COUNTED_ROW = (
    "INSERT INTO deliverable (id, plan_id, code, title, owner, due_kind, due_value, quote, "
    "position) VALUES (1, 1, 'giay-moi', 'Giấy mời', 'vp', 'days_before', "
    '\'{"days_before": 10, "of": "khai-mac"}\', \'\', 0)'
)
DAY_ROW = (
    "INSERT INTO deliverable (id, plan_id, code, title, owner, due_kind, due_value, quote, "
    "position) VALUES (2, 1, 'khai-mac', 'Khai mạc', 'vp', 'on', '2023-03-22', '', 1)"
)


@pytest.fixture
def engine_0010(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine, "0010")
    with engine.begin() as connection:
        connection.execute(text(PLAN_ROW), {"at": AT})
    yield engine
    engine.dispose()


def _insert(engine: Engine, statement: str) -> None:
    with engine.begin() as connection:
        connection.execute(text(statement), {"at": AT})


def _downgrade(engine: Engine) -> None:
    with migration_connection(engine) as connection:
        command.downgrade(alembic_config(connection), "0010")


def test_0010_refuses_a_counted_deadline_and_0011_accepts_it(engine_0010: Engine) -> None:
    with pytest.raises(IntegrityError):
        _insert(engine_0010, COUNTED_ROW)
    _insert(engine_0010, DAY_ROW)
    migrate(engine_0010)
    _insert(engine_0010, COUNTED_ROW)
    with engine_0010.connect() as connection:
        kinds = connection.execute(text("SELECT due_kind FROM deliverable ORDER BY id")).scalars()
        assert kinds.all() == ["days_before", "on"]


def test_an_0011_with_day_deadlines_only_goes_back_to_0010(engine_0010: Engine) -> None:
    migrate(engine_0010)
    _insert(engine_0010, DAY_ROW)
    _downgrade(engine_0010)
    with pytest.raises(IntegrityError):
        _insert(engine_0010, COUNTED_ROW)


def test_downgrade_is_refused_while_a_counted_deadline_is_stored(engine_0010: Engine) -> None:
    migrate(engine_0010)
    _insert(engine_0010, COUNTED_ROW)
    with pytest.raises(RuntimeError, match="1 nhiệm vụ có hạn theo tháng"):
        _downgrade(engine_0010)
    with engine_0010.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM deliverable")).scalar() == 1
