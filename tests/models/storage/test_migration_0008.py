"""Revision 0008 adds the accounts and their login history beside the plans, and will not go
back while it holds an account or a login."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from models.storage.engine import alembic_config, make_engine, migrate, migration_connection

pytestmark = pytest.mark.db

AT = datetime(2026, 12, 7, 2, tzinfo=UTC)
NEW_TABLES = {"account", "login_event"}
PLAN_ROW = (
    "INSERT INTO plan (id, code, title, source, timezone, warning_days, leaders, spec_digest, "
    "spec_yaml, loaded_at) VALUES (1, 'p', 't', '', 'Asia/Ho_Chi_Minh', 3, '[]', 'd', 'code: p', "
    ":at)"
)
ACCOUNT_ROW = (
    "INSERT INTO account (username, full_name, role, password_hash, created_at, "
    "password_changed_at) VALUES ('an', 'Nguyễn Văn An', 'coordinator', 'h', :at, :at)"
)
LOGIN_ROW = "INSERT INTO login_event (username, at, outcome) VALUES ('ai', :at, 'unknown_user')"


@pytest.fixture
def engine_0007(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine, "0007")
    with engine.begin() as connection:
        connection.execute(text(PLAN_ROW), {"at": AT})
    yield engine
    engine.dispose()


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def _downgrade(engine: Engine) -> None:
    with migration_connection(engine) as connection:
        command.downgrade(alembic_config(connection), "0007")


def test_0008_adds_the_account_tables_and_keeps_the_plans(engine_0007: Engine) -> None:
    assert _tables(engine_0007) & NEW_TABLES == set()
    migrate(engine_0007)
    assert _tables(engine_0007) >= NEW_TABLES
    with engine_0007.begin() as connection:
        connection.execute(text(ACCOUNT_ROW), {"at": AT})
        assert connection.execute(text("SELECT code FROM plan")).scalars().all() == ["p"]


def test_an_empty_0008_goes_back_to_0007_and_up_again(engine_0007: Engine) -> None:
    migrate(engine_0007)
    _downgrade(engine_0007)
    assert _tables(engine_0007) & NEW_TABLES == set()
    with engine_0007.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM plan")).scalar() == 1
    migrate(engine_0007)
    assert _tables(engine_0007) >= NEW_TABLES


@pytest.mark.parametrize(
    ("row", "said"), [(ACCOUNT_ROW, "1 tài khoản và 0 lần"), (LOGIN_ROW, "0 tài khoản và 1 lần")]
)
def test_downgrade_is_refused_while_accounts_or_logins_are_kept(
    engine_0007: Engine, row: str, said: str
) -> None:
    migrate(engine_0007)
    with engine_0007.begin() as connection:
        connection.execute(text(row), {"at": AT})
    with pytest.raises(RuntimeError, match=said):
        _downgrade(engine_0007)
    assert _tables(engine_0007) >= NEW_TABLES
