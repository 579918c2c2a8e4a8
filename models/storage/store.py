"""Plans and submissions in the database: save a plan, read a snapshot, append a submission."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import and_, delete, func, insert
from sqlalchemy import select as core_select
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from models.errors import InputError, InvalidInputError, NotFoundError, listing
from models.files.submissions_csv import SubmissionRecord
from models.loader import LoadedPlan
from models.plan import AssignmentRef, Plan, build_plan
from models.spec import PlanSpec
from models.storage.locks import lock_plan_load
from models.storage.reload_figures import (
    FigureConflictError,
    UnreadableFigure,
    figures_made_unreadable,
)
from models.storage.row_mapping import child_rows, plan_fields, spec_from_rows, submission_from_row
from models.storage.tables import (
    AssignmentRow,
    DeliverableRow,
    EdgeRow,
    GroupMemberRow,
    NotificationRow,
    PlanRow,
    SubmissionRow,
    UnitRow,
    as_utc,
    attribute,
)
from models.submissions import Submission, SubmissionKind

MAX_LISTED_ORPHANS = 10
Ordered = TypeVar("Ordered", UnitRow, GroupMemberRow, DeliverableRow, EdgeRow)  # have `position`
PlanChild = EdgeRow | AssignmentRow | GroupMemberRow | DeliverableRow | UnitRow
# Rows that describe a plan and are replaced on reload; submissions and the outbox never are.
PLAN_CHILDREN: tuple[type[PlanChild], ...] = (
    EdgeRow,
    AssignmentRow,
    GroupMemberRow,
    DeliverableRow,
    UnitRow,
)


class OrphanError(InputError):
    """Reloading would drop assignments that already have submissions."""

    def __init__(self, plan: str, orphans: Sequence[AssignmentRef]):
        self.plan = plan
        self.orphans = tuple(orphans)
        listed = listing([f"{d}/{u}" for d, u in self.orphans], MAX_LISTED_ORPHANS, "phân công")
        super().__init__(
            f"kế hoạch '{plan}': bản mới bỏ {len(self.orphans)} phân công đã có ghi nhận: "
            f"{listed}. Dùng --force để vẫn nạp (các ghi nhận được giữ lại, và không được tính "
            "chừng nào phân công của chúng chưa có lại trong kế hoạch)."
        )


class LoadAction(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class LoadReport:
    """What `save_plan` did; `orphaned` lists the assignments a forced reload dropped."""

    action: LoadAction
    plan: str
    units: int
    deliverables: int
    assignments: int
    orphaned: tuple[AssignmentRef, ...] = ()
    unreadable: tuple[UnreadableFigure, ...] = ()  # stored figures a forced reload left unusable


@dataclass(frozen=True)
class Snapshot:
    """A plan and the submissions of its current assignments, read together."""

    plan: Plan
    submissions: tuple[Submission, ...]


def save_plan(
    session: Session, loaded: LoadedPlan, *, force: bool = False, loaded_at: datetime | None = None
) -> LoadReport:
    """Store a loaded plan: create it, replace an edited one, or do nothing if the text is the same.

    An edit that drops assignments with submissions raises OrphanError unless `force`; the
    submissions stay in the table either way and count again if the assignment comes back.
    """
    plan = loaded.plan
    # Before the read below: a concurrent write would fail it on SQLite, and on PostgreSQL two
    # loads of a new plan would both find no row and both insert it.
    lock_plan_load(session, plan.code)
    # FOR NO KEY UPDATE on PostgreSQL: one reload at a time, readers of the plan wait for it.
    statement = select(PlanRow).where(PlanRow.code == plan.code).with_for_update(key_share=True)
    row = session.exec(statement).first()
    if row is not None and row.spec_digest == loaded.digest:
        return _report(LoadAction.UNCHANGED, plan)
    orphaned = _orphans(session, row.id, plan) if row is not None and row.id is not None else ()
    if orphaned and not force:
        raise OrphanError(plan.code, orphaned)
    unreadable = figures_made_unreadable(session, row.id, plan) if row and row.id else ()
    if unreadable and not force:
        raise FigureConflictError(plan.code, unreadable)
    fields = plan_fields(loaded, loaded_at or datetime.now(UTC))
    if row is None:
        action, row = LoadAction.CREATED, PlanRow(**fields)
    else:
        action = LoadAction.UPDATED
        for table in PLAN_CHILDREN:
            session.exec(delete(table).where(col(table.plan_id) == row.id))
        row.sqlmodel_update(fields)
    session.add(row)
    session.flush()
    assert row.id is not None
    _insert_children(session, row.id, plan)
    return _report(action, plan, orphaned, unreadable)


def _report(
    action: LoadAction,
    plan: Plan,
    orphaned: tuple[AssignmentRef, ...] = (),
    unreadable: tuple[UnreadableFigure, ...] = (),
) -> LoadReport:
    counts = len(plan.units), len(plan.deliverables), len(plan.assignments)
    return LoadReport(action, plan.code, *counts, orphaned, unreadable)


def _orphans(session: Session, plan_id: int, plan: Plan) -> tuple[AssignmentRef, ...]:
    """Assignments stored now, with submissions, that the new plan no longer has."""
    same_assignment = and_(
        col(AssignmentRow.plan_id) == col(SubmissionRow.plan_id),
        col(AssignmentRow.deliverable_code) == col(SubmissionRow.deliverable_code),
        col(AssignmentRow.unit_code) == col(SubmissionRow.unit_code),
    )
    statement = (
        select(SubmissionRow.deliverable_code, SubmissionRow.unit_code)
        .join(AssignmentRow, same_assignment)
        .where(SubmissionRow.plan_id == plan_id)
        .distinct()
    )
    kept = set(plan.assignments)
    found = {AssignmentRef(d, u) for d, u in session.exec(statement)}
    return tuple(sorted(found - kept))


def _insert_children(session: Session, plan_id: int, plan: Plan) -> None:
    """One executemany INSERT per table."""
    for table, rows in child_rows(plan):
        if rows:
            session.exec(insert(table), params=[{"plan_id": plan_id, **row} for row in rows])


def read_snapshot(session: Session, code: str) -> Snapshot:
    """The plan rebuilt from its rows, with the submissions of its current assignments.

    Six SELECTs whatever the plan's size (plus BEGIN on SQLite); no per-row loading.
    """
    # FOR SHARE on PostgreSQL: a concurrent reload cannot interleave with the reads below.
    statement = select(PlanRow).where(PlanRow.code == code).with_for_update(read=True)
    row = session.exec(statement).first()
    if row is None or row.id is None:
        raise unknown_plan(session, code)
    plan = build_plan(_read_spec(session, row, row.id))
    current = set(plan.assignments)
    of_plan = select(SubmissionRow).where(SubmissionRow.plan_id == row.id)
    rows = session.exec(of_plan.order_by(col(SubmissionRow.id))).all()
    submissions = (
        submission_from_row(s) for s in rows if (s.deliverable_code, s.unit_code) in current
    )
    return Snapshot(plan, tuple(submissions))


def _read_spec(session: Session, row: PlanRow, plan_id: int) -> PlanSpec:
    return spec_from_rows(
        row,
        session.exec(_children(UnitRow, plan_id)).all(),
        session.exec(_children(GroupMemberRow, plan_id)).all(),
        session.exec(_children(DeliverableRow, plan_id)).all(),
        session.exec(_children(EdgeRow, plan_id)).all(),
    )


def _children(table: type[Ordered], plan_id: int) -> SelectOfScalar[Ordered]:
    return select(table).where(col(table.plan_id) == plan_id).order_by(col(table.position))


def plan_codes(session: Session) -> list[str]:
    """Every stored plan code, sorted."""
    return list(session.exec(select(PlanRow.code).order_by(PlanRow.code)))


def unknown_plan(session: Session, code: str) -> NotFoundError:
    """The error for a plan code that names nothing, with the loaded codes it may have meant."""
    return NotFoundError("plan", code, plan_codes(session))


def plan_id(session: Session, code: str) -> int:
    """The id of the plan `code` (one indexed SELECT), or a NotFoundError with suggestions."""
    found = session.exec(select(PlanRow.id).where(PlanRow.code == code)).first()
    if found is None:
        raise unknown_plan(session, code)
    return found


def append_submission(
    session: Session,
    plan_code: str,
    *,
    deliverable: str,
    unit: str,
    kind: SubmissionKind | str,
    received_at: datetime,
    recorded_at: datetime,
    recorded_by: str = "",
    note: str = "",
    undoes: int | None = None,
    data: dict[str, Any] | None = None,
) -> Submission:
    """Insert one submission row (codes are the caller's to check against the plan)."""
    row = SubmissionRow(
        plan_id=plan_id(session, plan_code),
        deliverable_code=deliverable,
        unit_code=unit,
        kind=SubmissionKind(kind).value,
        received_at=as_utc(received_at),
        recorded_at=as_utc(recorded_at),
        recorded_by=recorded_by,
        note=note,
        undoes_id=undoes,
        data=data or None,
    )
    session.add(row)
    session.flush()
    return submission_from_row(row)


# ---- the audit trail and the export of submissions (read in bulk, never per assignment) ----


def plan_row(session: Session, code: str) -> PlanRow:
    """The stored plan row (its text as loaded, its timezone), or a NotFoundError."""
    row = session.exec(select(PlanRow).where(PlanRow.code == code)).first()
    if row is None or row.id is None:
        raise unknown_plan(session, code)
    return row


def submission_rows(
    session: Session, plan_code: str, *, deliverable: str | None = None, unit: str | None = None
) -> list[SubmissionRow]:
    """Every submission row of a plan in append order, those of dropped assignments included;
    one SELECT, narrowed to a deliverable and/or a unit when given."""
    statement = select(SubmissionRow).where(SubmissionRow.plan_id == plan_id(session, plan_code))
    if deliverable is not None:
        statement = statement.where(SubmissionRow.deliverable_code == deliverable)
    if unit is not None:
        statement = statement.where(SubmissionRow.unit_code == unit)
    return list(session.exec(statement.order_by(col(SubmissionRow.id))))


def all_submissions(session: Session, plan_code: str) -> list[Submission]:
    """Every submission of a plan in append order, those of dropped assignments included."""
    return [submission_from_row(row) for row in submission_rows(session, plan_code)]


def notification_rows(
    session: Session, plan_code: str, *, deliverable: str | None = None, unit: str | None = None
) -> list[NotificationRow]:
    """Every outbox row of a plan, oldest first, without the bodies and the .eml (one SELECT).
    With a deliverable or a unit, only the messages about it (the leaders' digest is about
    no single one)."""
    wanted = plan_id(session, plan_code)
    bodies = (NotificationRow.body_text, NotificationRow.body_html, NotificationRow.eml)
    statement = (
        select(NotificationRow)
        .options(*(defer(attribute(column)) for column in bodies))
        .where(NotificationRow.plan_id == wanted)
    )
    if deliverable is not None:
        statement = statement.where(NotificationRow.deliverable_code == deliverable)
    if unit is not None:
        statement = statement.where(NotificationRow.unit_code == unit)
    order = (col(NotificationRow.created_at), col(NotificationRow.id))
    return list(session.exec(statement.order_by(*order)))


def insert_submission_records(
    session: Session, plan_code: str, records: Sequence[SubmissionRecord]
) -> int:
    """Append exported submissions to a plan that has none, in their order; an undo points at
    the new row of the record it names. Refused (InvalidInputError) if the plan has any.

    One multi-row INSERT … RETURNING per run of records that name no record of the same run,
    so a file with no undo is one statement."""
    plan = session.exec(select(PlanRow).where(PlanRow.code == plan_code).with_for_update()).first()
    if plan is None or plan.id is None:
        raise unknown_plan(session, plan_code)
    existing = session.exec(
        select(func.count()).select_from(SubmissionRow).where(SubmissionRow.plan_id == plan.id)
    ).one()
    if existing:
        raise InvalidInputError(
            f"kế hoạch '{plan_code}' đã có {existing} ghi nhận: hãy nạp vào một cơ sở dữ liệu "
            "đã nạp kế hoạch này nhưng chưa ghi nhận gì (ví dụ một cơ sở dữ liệu mới)"
        )
    ids: dict[int, int] = {}
    for run in _runs(records):
        params = [_record_fields(plan.id, record, ids) for record in run]
        statement = insert(SubmissionRow).returning(
            col(SubmissionRow.id), sort_by_parameter_order=True
        )
        new_ids = session.execute(statement, params).scalars().all()
        ids.update(zip((record.id for record in run), new_ids, strict=True))
    return len(records)


def _runs(records: Sequence[SubmissionRecord]) -> list[list[SubmissionRecord]]:
    """Consecutive records split where one undoes a record of its own run."""
    runs: list[list[SubmissionRecord]] = []
    current: list[SubmissionRecord] = []
    in_current: set[int] = set()
    for record in records:
        if record.undoes is not None and record.undoes in in_current:
            runs.append(current)
            current, in_current = [], set()
        current.append(record)
        in_current.add(record.id)
    return [*runs, current] if current else runs


def _record_fields(plan_id: int, record: SubmissionRecord, ids: dict[int, int]) -> dict[str, Any]:
    return {
        "plan_id": plan_id,
        "deliverable_code": record.deliverable,
        "unit_code": record.unit,
        "kind": record.kind.value,
        "received_at": as_utc(record.received_at),
        "recorded_at": as_utc(record.recorded_at),
        "recorded_by": record.recorded_by,
        "note": record.note,
        "undoes_id": ids[record.undoes] if record.undoes is not None else None,
        "data": dict(record.data) or None,
    }


# ---- what the live pages read (`dondoc web`): cheap, so every request can ask -------------


@dataclass(frozen=True)
class PlanVersion:
    """What a page of a plan was built from: the plan as loaded and its (append-only)
    submissions. The count catches a row whose id was taken before, but committed after, a
    larger one."""

    plan_id: int
    timezone: str
    loaded_at: datetime
    spec_digest: str
    submissions: int
    last_submission: int | None


def plan_version(session: Session, code: str) -> PlanVersion | None:
    """One cheap query (two index-only counts): has anything a page of `code` shows changed?
    None when no plan has that code."""
    mine = col(SubmissionRow.plan_id) == col(PlanRow.id)
    # SQLAlchemy's select: SQLModel's is typed for at most four columns.
    statement = core_select(
        col(PlanRow.id),
        col(PlanRow.timezone),
        col(PlanRow.loaded_at),
        col(PlanRow.spec_digest),
        select(func.count()).select_from(SubmissionRow).where(mine).scalar_subquery(),
        select(func.max(SubmissionRow.id)).where(mine).scalar_subquery(),
    ).where(col(PlanRow.code) == code)
    row = session.execute(statement).first()
    return PlanVersion(*row) if row else None


@dataclass(frozen=True)
class PlanListing:
    """A loaded plan as the index of plans lists it."""

    code: str
    title: str
    loaded_at: datetime
    timezone: str


def plan_listings(session: Session) -> list[PlanListing]:
    """Every loaded plan, by code (one SELECT of four columns)."""
    statement = select(PlanRow.code, PlanRow.title, PlanRow.loaded_at, PlanRow.timezone)
    return [PlanListing(*row) for row in session.exec(statement.order_by(PlanRow.code))]
