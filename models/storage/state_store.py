"""The last status the tracking flow saw per assignment: read in one query, upsert in bulk."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from models.plan import AssignmentRef
from models.statuses import Status
from models.storage.locks import begin_write
from models.storage.store import plan_id
from models.storage.tables import AssignmentStateRow, PlanRow, as_utc


def read_states(session: Session, plan_code: str) -> dict[AssignmentRef, Status]:
    """Every stored last-seen status of a plan (empty before its first evaluation)."""
    statement = (
        select(AssignmentStateRow)
        .join(PlanRow, col(PlanRow.id) == col(AssignmentStateRow.plan_id))
        .where(PlanRow.code == plan_code)
    )
    return {
        AssignmentRef(row.deliverable_code, row.unit_code): Status(row.status)
        for row in session.exec(statement)
    }


def save_states(
    session: Session,
    plan_code: str,
    statuses: Mapping[AssignmentRef, Status],
    updated_at: datetime,
) -> int:
    """Insert or overwrite the given statuses in one statement; returns how many were written.

    `updated_at` is the `as_of` of the evaluation that saw them (a replay stores its own day).
    """
    if not statuses:
        return 0
    begin_write(session)  # SQLite: lock before the read below, so a concurrent writer waits
    owner = plan_id(session, plan_code)
    moment = as_utc(updated_at)
    rows = [
        {
            "plan_id": owner,
            "deliverable_code": ref.deliverable,
            "unit_code": ref.unit,
            "status": status.value,
            "updated_at": moment,
        }
        for ref, status in statuses.items()
    ]
    session.exec(_upsert(session), params=rows)
    return len(rows)


Upsert = postgresql.Insert | sqlite.Insert
_INSERTS: dict[str, Callable[[type[AssignmentStateRow]], Upsert]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}


def _upsert(session: Session) -> Upsert:
    """INSERT … ON CONFLICT (the primary key) DO UPDATE, in the dialect of the session."""
    dialect = session.get_bind().dialect.name
    insert = _INSERTS.get(dialect)
    if insert is None:
        raise NotImplementedError(f"no upsert for the {dialect} database")
    statement = insert(AssignmentStateRow)
    return statement.on_conflict_do_update(
        index_elements=["plan_id", "deliverable_code", "unit_code"],
        set_={
            "status": statement.excluded.status,
            "updated_at": statement.excluded.updated_at,
        },
    )
