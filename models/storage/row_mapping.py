"""Plans and submissions as row fields and back: the pure mapping under models.storage.store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import SQLModel

from models.errors import InvalidInputError
from models.loader import LoadedPlan
from models.plan import Plan
from models.spec import STORED, DeliverableSpec, DueSpec, PlanSpec, UnitSpec
from models.spec_messages import pydantic_message
from models.storage.tables import (
    AssignmentRow,
    DeliverableRow,
    EdgeRow,
    GroupMemberRow,
    PlanRow,
    SubmissionRow,
    UnitRow,
    as_utc,
)
from models.submissions import Submission, SubmissionKind

Fields = dict[str, Any]


def plan_fields(loaded: LoadedPlan, loaded_at: datetime) -> Fields:
    plan = loaded.plan
    ladder = plan.spec.ladder
    return {
        "code": plan.code,
        "title": plan.title,
        "source": plan.source,
        "timezone": plan.timezone,
        "warning_days": plan.warning_days,
        "coordinator": plan.coordinator,
        "leaders": list(plan.leaders),
        "spec_digest": loaded.digest,
        "spec_yaml": loaded.text,
        "loaded_at": loaded_at,
        "ladder": ladder.overrides() if ladder else None,
        "group_titles": dict(plan.group_titles) or None,
        "review": plan.review.value,
    }


def child_rows(plan: Plan) -> list[tuple[type[SQLModel], list[Fields]]]:
    """Each table that describes a plan with its rows; `position` keeps the file's order."""
    spec = plan.spec
    written: list[tuple[type[SQLModel], list[Fields]]] = [
        (UnitRow, [_unit_fields(u) for u in spec.units]),
        (GroupMemberRow, _member_fields(spec)),
        (DeliverableRow, [_deliverable_fields(d) for d in spec.deliverables]),
        (EdgeRow, _edge_fields(spec)),
    ]
    ordered = [
        (table, [{**f, "position": i} for i, f in enumerate(rows)]) for table, rows in written
    ]
    return [*ordered, (AssignmentRow, _assignment_fields(plan))]


def _unit_fields(unit: UnitSpec | UnitRow) -> Fields:
    return {
        "code": unit.code,
        "name": unit.name,
        "email": unit.email,
        "head_email": unit.head_email,
    }


def _member_fields(spec: PlanSpec) -> list[Fields]:
    return [
        {"group_code": group, "unit_code": unit}
        for group, members in spec.groups.items()
        for unit in members
    ]


def _deliverable_fields(deliverable: DeliverableSpec) -> Fields:
    due = deliverable.due
    return {
        "code": deliverable.code,
        "title": deliverable.title,
        "owner": deliverable.owner,
        "to_unit": deliverable.to,
        "due_kind": due.kind if due else None,
        "due_value": due.stored() if due else None,
        "quote": deliverable.quote,
        "fields": {
            name: spec.model_dump(mode="json", exclude_defaults=True)
            for name, spec in deliverable.fields.items()
        }
        or None,
    }


def _edge_fields(spec: PlanSpec) -> list[Fields]:
    return [
        {"prerequisite": prerequisite, "dependent": d.code}
        for d in spec.deliverables
        for prerequisite in dict.fromkeys(d.after)
    ]


def _assignment_fields(plan: Plan) -> list[Fields]:
    rows = []
    for ref in plan.assignments:
        deadline = plan.deliverables[ref.deliverable].deadline
        rows.append(
            {
                "deliverable_code": ref.deliverable,
                "unit_code": ref.unit,
                "due_at": deadline.due_at if deadline else None,
                "due_inferred": bool(deadline and deadline.inferred),
            }
        )
    return rows


def spec_from_rows(
    plan: PlanRow,
    units: Sequence[UnitRow],
    members: Sequence[GroupMemberRow],
    deliverables: Sequence[DeliverableRow],
    edges: Sequence[EdgeRow],
) -> PlanSpec:
    """The spec the rows were written from (children given in `position` order)."""
    groups: dict[str, list[str]] = {}
    for member in members:
        groups.setdefault(member.group_code, []).append(member.unit_code)
    after: dict[str, list[str]] = {}
    for edge in edges:
        after.setdefault(edge.dependent, []).append(edge.prerequisite)
    document = {
        **plan.model_dump(include={"code", "title", "source", "timezone", "warning_days"}),
        "coordinator": plan.coordinator,
        "leaders": plan.leaders,
        "units": [_unit_fields(u) for u in units],
        "groups": groups,
        "deliverables": [_deliverable_document(d, after.get(d.code, [])) for d in deliverables],
        "ladder": plan.ladder,
        "group_titles": plan.group_titles or {},
        **({"review": plan.review} if plan.review else {}),
    }
    try:
        return PlanSpec.model_validate(document, context=STORED)
    except ValidationError as error:  # a rule newer than the stored plan: say so, no traceback
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {pydantic_message(e)}" for e in error.errors()[:5]
        )
        raise InvalidInputError(
            f"kế hoạch '{plan.code}' đã lưu không còn qua được kiểm tra của phiên bản này "
            f"({problems}): sửa tệp kế hoạch rồi nạp lại (dondoc plan load TỆP)"
        ) from None


def _deliverable_document(row: DeliverableRow, after: list[str]) -> Fields:
    return {
        "code": row.code,
        "title": row.title,
        "owner": row.owner,
        "to": row.to_unit,
        "due": DueSpec.from_stored(row.due_kind, row.due_value or "") if row.due_kind else None,
        "after": after,
        "quote": row.quote,
        "fields": row.fields or {},
    }


def submission_from_row(row: SubmissionRow) -> Submission:
    assert row.id is not None, "a submission row is read after it was flushed"
    return Submission(
        id=row.id,
        deliverable=row.deliverable_code,
        unit=row.unit_code,
        kind=SubmissionKind(row.kind),
        received_at=as_utc(row.received_at),
        recorded_at=as_utc(row.recorded_at),
        recorded_by=row.recorded_by,
        note=row.note,
        undoes=row.undoes_id,
        data=row.data or {},
    )
