"""Revision 0002 upgrades a 0001 database that already has an outbox, and downgrades it back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

import models.storage.tables  # noqa: F401  (the tables the migrated schema must match)
from models.storage.engine import alembic_config, make_engine, migrate, migration_connection

pytestmark = pytest.mark.db

CREATED = datetime(2023, 3, 6, 0, 30, tzinfo=UTC)
REMINDER = "p:reminder:report:d1:20230309T0000"
# (key, recipients as 0001 stored them, status, last_error)
OLD_ROWS: list[tuple[str, dict[str, Any], str, str | None]] = [
    (REMINDER, {"to": ["d1@x.example"], "cc": [], "thread": None}, "sent", None),
    (
        "p:overdue:report:d1:20230309T0000",
        {"to": ["bt.d1@x.example"], "cc": ["d1@x.example", "vp@x.example"], "thread": REMINDER},
        "pending",
        "421 busy",
    ),
    (
        "p:final_reminder:report:d2:20230309T0000",
        {"to": ["d2@x.example"], "cc": ["bt.d2@x.example"], "thread": None},
        "failed",
        "superseded: the assignment is done_on_time",
    ),
    (
        "p:escalation:digest:20230313",
        {"to": ["tt@x.example"], "cc": ["vp@x.example"]},  # no "thread": older rows lack it
        "failed",
        "550 no such mailbox",
    ),
]


def _insert_0001_rows(engine: Engine) -> None:
    """A plan and its outbox written the way revision 0001 stored them (raw SQL: the models
    already describe 0002)."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO plan (id, code, title, source, timezone, warning_days, leaders, "
                "spec_digest, spec_yaml, loaded_at) VALUES (1, 'p', 'Kế hoạch', '', "
                "'Asia/Ho_Chi_Minh', 3, '[]', 'd', 'code: p', :at)"
            ),
            {"at": CREATED},
        )
        for number, (key, recipients, status, error) in enumerate(OLD_ROWS, start=1):
            parts = key.split(":")
            connection.execute(
                text(
                    "INSERT INTO notification (id, plan_id, key, rule, deliverable_code, "
                    "unit_code, recipients, subject, body_text, body_html, status, attempts, "
                    "created_at, last_error) VALUES (:id, 1, :key, :rule, :deliverable, :unit, "
                    ":recipients, 'Tiêu đề', 'Nội dung', '<p>Nội dung</p>', :status, 1, :at, "
                    ":error)"
                ),
                {
                    "id": number,
                    "key": key,
                    "rule": parts[1],
                    "deliverable": parts[2] if len(parts) == 5 else None,
                    "unit": parts[3] if len(parts) == 5 else None,
                    "recipients": json.dumps(recipients, ensure_ascii=False),
                    "status": status,
                    "at": CREATED,
                    "error": error,
                },
            )


@pytest.fixture
def old_engine(database_url: str) -> Iterator[Engine]:
    """A database at revision 0001 holding a plan and four outbox rows."""
    engine = make_engine(database_url)
    migrate(engine, "0001")
    _insert_0001_rows(engine)
    yield engine
    engine.dispose()


def _outbox(engine: Engine) -> dict[str, dict[str, object]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM notification ORDER BY id")).mappings()
        return {row["key"]: dict(row) for row in rows}


def _as_list(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value  # SQLite gives JSON text


def _downgrade(engine: Engine, revision: str) -> None:
    with migration_connection(engine) as connection:
        command.downgrade(alembic_config(connection), revision)


def _insert_status(engine: Engine, status: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE notification SET status = :status WHERE id = 1"), {"status": status}
        )


def test_upgrade_splits_recipients_into_columns_and_keeps_every_row(old_engine: Engine) -> None:
    migrate(old_engine)
    rows = _outbox(old_engine)
    assert list(rows) == [key for key, *_ in OLD_ROWS]
    found = {
        key: (_as_list(r["mail_to"]), _as_list(r["mail_cc"]), r["thread_key"], r["occurrence"])
        for key, r in rows.items()
    }
    assert found == {
        REMINDER: (["d1@x.example"], [], None, "20230309T0000"),
        "p:overdue:report:d1:20230309T0000": (
            ["bt.d1@x.example"],
            ["d1@x.example", "vp@x.example"],
            REMINDER,
            "20230309T0000",
        ),
        "p:final_reminder:report:d2:20230309T0000": (
            ["d2@x.example"],
            ["bt.d2@x.example"],
            None,
            "20230309T0000",
        ),
        "p:escalation:digest:20230313": (["tt@x.example"], ["vp@x.example"], None, "20230313"),
    }
    assert {(r["message_id"], r["eml"]) for r in rows.values()} == {(None, None)}
    assert "recipients" not in {c["name"] for c in inspect(old_engine).get_columns("notification")}


def test_upgrade_turns_the_superseded_workaround_into_the_status(old_engine: Engine) -> None:
    migrate(old_engine)
    statuses = {key: (r["status"], r["last_error"]) for key, r in _outbox(old_engine).items()}
    assert statuses == {
        REMINDER: ("sent", None),
        "p:overdue:report:d1:20230309T0000": ("pending", "421 busy"),
        "p:final_reminder:report:d2:20230309T0000": (
            "superseded",
            "the assignment is done_on_time",
        ),
        "p:escalation:digest:20230313": ("failed", "550 no such mailbox"),
    }


def test_the_upgraded_schema_is_exactly_the_tables_and_plans_have_no_ladder(
    old_engine: Engine,
) -> None:
    migrate(old_engine)
    with old_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
        assert connection.execute(text("SELECT ladder FROM plan")).scalar_one() is None


def test_the_status_check_accepts_superseded_after_the_upgrade_only(old_engine: Engine) -> None:
    with pytest.raises(IntegrityError):
        _insert_status(old_engine, "superseded")
    migrate(old_engine)
    _insert_status(old_engine, "superseded")
    with pytest.raises(IntegrityError):
        _insert_status(old_engine, "bogus")


def test_downgrade_restores_the_0001_rows_exactly(old_engine: Engine) -> None:
    migrate(old_engine)
    _downgrade(old_engine, "0001")
    rows = _outbox(old_engine)
    for key, recipients, status, error in OLD_ROWS:
        restored = json.loads(str(rows[key]["recipients"]))
        assert restored == {"thread": None, **recipients}
        assert (rows[key]["status"], rows[key]["last_error"]) == (status, error)
    columns = {c["name"] for c in inspect(old_engine).get_columns("notification")}
    assert columns.isdisjoint({"eml", "mail_to", "mail_cc", "message_id", "thread_key"})
    assert "ladder" not in {c["name"] for c in inspect(old_engine).get_columns("plan")}
    with pytest.raises(IntegrityError):
        _insert_status(old_engine, "superseded")


def test_upgrade_downgrade_upgrade_round_trips(old_engine: Engine) -> None:
    migrate(old_engine)
    upgraded = _outbox(old_engine)
    _downgrade(old_engine, "0001")
    migrate(old_engine)
    assert _outbox(old_engine) == upgraded
