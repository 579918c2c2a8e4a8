"""Revision 0003 adds collected figures to a 0002 database without touching its rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text
from sqlmodel import Session

from models.storage.engine import alembic_config, make_engine, migrate, migration_connection
from models.storage.store import append_submission, read_snapshot, save_plan
from models.submissions import SubmissionKind

pytestmark = pytest.mark.db

AT = datetime(2023, 3, 8, 3, tzinfo=UTC)
NEW_COLUMNS = {("plan", "group_titles"), ("deliverable", "fields"), ("submission", "data")}


@pytest.fixture
def engine_0002(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine, "0002")
    yield engine
    engine.dispose()


def _columns(engine: Engine) -> set[tuple[str, str]]:
    found = inspect(engine)
    return {(t, c["name"]) for t, _ in NEW_COLUMNS for c in found.get_columns(t)}


def test_upgrade_adds_the_columns_and_old_submissions_read_as_without_figures(
    engine_0002: Engine, seed
) -> None:
    assert not NEW_COLUMNS & _columns(engine_0002)
    with engine_0002.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO plan (id, code, title, source, timezone, warning_days, leaders, "
                "spec_digest, spec_yaml, loaded_at) VALUES (1, 'gap-mat-2023', 't', '', "
                "'Asia/Ho_Chi_Minh', 3, '[]', 'old', 'code: x', :at)"
            ),
            {"at": AT},
        )
        connection.execute(
            text(
                "INSERT INTO submission (plan_id, deliverable_code, unit_code, kind, "
                "received_at, recorded_at, recorded_by, note) VALUES "
                "(1, 'bc-huyen', 'huong-khe', 'received', :at, :at, 'old', '')"
            ),
            {"at": AT},
        )
    migrate(engine_0002)
    assert _columns(engine_0002) >= NEW_COLUMNS
    with Session(engine_0002) as session:
        save_plan(session, seed)  # the digest differs: the plan is replaced, rows kept
        append_submission(
            session,
            "gap-mat-2023",
            deliverable="bc-huyen",
            unit="ky-anh",
            kind=SubmissionKind.RECEIVED,
            received_at=AT,
            recorded_at=AT,
            data={"so_dai_bieu": 20},
        )
        session.commit()
        snapshot = read_snapshot(session, "gap-mat-2023")
    assert {s.unit: dict(s.data) for s in snapshot.submissions} == {
        "huong-khe": {},
        "ky-anh": {"so_dai_bieu": 20},
    }
    assert snapshot.plan.deliverables["bc-huyen"].fields["so_dai_bieu"].maximum == 500
    assert snapshot.plan.group_title("huyen") == "Các huyện, thành, thị ủy"


def test_downgrade_to_0002_drops_only_the_new_columns(engine_0002: Engine) -> None:
    migrate(engine_0002)
    with migration_connection(engine_0002) as connection:
        command.downgrade(alembic_config(connection), "0002")
    assert not NEW_COLUMNS & _columns(engine_0002)
    assert {"plan", "deliverable", "submission"} <= set(inspect(engine_0002).get_table_names())
