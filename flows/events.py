"""Prefect events of a tracking run: one per assignment whose status changed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from prefect.events import emit_event

from models.evaluate import AssignmentStatus
from models.plan import AssignmentRef, Plan
from models.statuses import Status


def changed_statuses(
    previous: Mapping[AssignmentRef, Status], statuses: Sequence[AssignmentStatus]
) -> list[AssignmentStatus]:
    """Assignments whose status differs from the last stored evaluation (all, the first time)."""
    return [s for s in statuses if previous.get(s.ref) is not s.status]


def assignment_event(
    plan: Plan, item: AssignmentStatus, previous: Status | None, as_of: datetime
) -> dict[str, Any]:
    """The keyword arguments of `emit_event` for one status change."""
    unit_name = plan.unit_name(item.unit)
    due = item.deadline.due_at.astimezone(plan.tz).isoformat() if item.deadline else None
    return {
        "event": f"dondoc.assignment.{item.status.value}",
        "resource": {
            "prefect.resource.id": f"dondoc.assignment.{plan.code}.{item.deliverable}.{item.unit}",
            "prefect.resource.name": f"{item.deliverable} · {unit_name}",
            "dondoc.plan": plan.code,
            "dondoc.deliverable": item.deliverable,
            "dondoc.unit": item.unit,
        },
        "related": [
            {
                "prefect.resource.id": f"dondoc.plan.{plan.code}",
                "prefect.resource.role": "plan",
                "prefect.resource.name": plan.title,
            },
            {
                "prefect.resource.id": f"dondoc.unit.{plan.code}.{item.unit}",
                "prefect.resource.role": "unit",
                "prefect.resource.name": unit_name,
            },
        ],
        "payload": {
            "status": item.status.value,
            "label": item.status.label,
            "previous": previous.value if previous else None,
            "due": due,
            "days_late": item.days_late,
            "as_of": as_of.astimezone(plan.tz).isoformat(),
        },
    }


def emit_changes(
    plan: Plan,
    statuses: Sequence[AssignmentStatus],
    previous: Mapping[AssignmentRef, Status],
    as_of: datetime,
) -> dict[AssignmentRef, Status]:
    """One Prefect event per status that changed since the last evaluation; returns them."""
    changed = changed_statuses(previous, statuses)
    for item in changed:
        emit_event(**assignment_event(plan, item, previous.get(item.ref), as_of))
    return {item.ref: item.status for item in changed}


def emit_run_events(
    plan: Plan,
    statuses: Sequence[AssignmentStatus],
    previous: Mapping[AssignmentRef, Status],
    as_of: datetime,
    *,
    run_name: str,
) -> dict[AssignmentRef, Status]:
    """The events of one tracking run (the run is already named `run_name`): one per status
    that changed since the last evaluation; returns those changes."""
    return emit_changes(plan, statuses, previous, as_of)
