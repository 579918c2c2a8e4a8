"""Recording an arrival, a waiver or an undo: the one path shared by the CLI and the flows."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlmodel import Session

from models import store
from models.errors import InvalidInputError, NotFoundError
from models.moments import local_text
from models.plan import AssignmentRef, Plan
from models.submissions import Submission, SubmissionKind, standing_rows


@dataclass(frozen=True)
class RecordRequest:
    """What a coordinator asks: `kind` is what is recorded, or undone when `undo`.

    `at` may be naive (typed without a timezone): it is then read in the plan's timezone."""

    plan: str
    deliverable: str
    unit: str
    kind: SubmissionKind
    at: datetime
    now: datetime
    recorded_by: str = ""
    note: str = ""
    undo: bool = False


@dataclass(frozen=True)
class Recorded:
    """What a request did: a new row, or nothing because the same fact already stands."""

    plan: Plan
    submission: Submission | None
    already: Submission | None = None


def check_assignment(plan: Plan, deliverable: str, unit: str) -> AssignmentRef:
    """The assignment named by two codes, or a clear error with suggestions."""
    if deliverable not in plan.deliverables:
        raise NotFoundError("deliverable", deliverable, plan.deliverables)
    if unit not in plan.units:
        raise NotFoundError("unit", unit, plan.units)
    owners = plan.deliverables[deliverable].owners
    if unit not in owners:
        listed = ", ".join(owners[:5]) + (", …" if len(owners) > 5 else "")
        raise InvalidInputError(f"unit '{unit}' does not owe '{deliverable}' (owed by: {listed})")
    return AssignmentRef(deliverable, unit)


def record(
    session: Session, request: RecordRequest, future_tolerance: timedelta = timedelta(minutes=10)
) -> Recorded:
    """Append one row after checking the codes, the time and what already stands."""
    snapshot = store.read_snapshot(session, request.plan)
    plan = snapshot.plan
    if request.at.tzinfo is None:
        request = replace(request, at=request.at.replace(tzinfo=plan.tz))
    ref = check_assignment(plan, request.deliverable, request.unit)
    if request.at > request.now + future_tolerance:
        when = local_text(request.at, plan.tz)
        raise InvalidInputError(f"{when} is in the future: record an arrival once it happened")
    mine = [s for s in snapshot.submissions if s.ref == ref]
    standing = [s for s in standing_rows(mine, request.at) if s.kind is request.kind]
    if request.undo:
        if not standing:
            what = f"{request.kind.value} row for {ref.deliverable}/{ref.unit}"
            raise InvalidInputError(f"nothing to undo: no {what} stands at that time")
        target = max(standing, key=lambda s: (s.received_at, s.id))
        return Recorded(plan, _append(session, request, SubmissionKind.UNDO, target.id))
    if standing:
        return Recorded(plan, None, already=min(standing, key=lambda s: (s.received_at, s.id)))
    return Recorded(plan, _append(session, request, request.kind, None))


def _append(
    session: Session, request: RecordRequest, kind: SubmissionKind, undoes: int | None
) -> Submission:
    return store.append_submission(
        session,
        request.plan,
        deliverable=request.deliverable,
        unit=request.unit,
        kind=kind,
        received_at=request.at,
        recorded_at=request.now,
        recorded_by=request.recorded_by,
        note=request.note,
        undoes=undoes,
    )
