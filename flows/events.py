"""Prefect events of a tracking run: one per assignment whose status changed, one for the run.

What Prefect's UI (3.9) makes of an event decides their shape. The event feed titles an event
from its name alone ("dondoc.assignment.overdue" reads "Dondoc assignment overdue"), and the
names stay English: they are the keys automations match. It shows a resource of Prefect's own
kinds (flow run, flow, deployment …) by its `prefect.resource.name`, but any other resource
(`dondoc.*`) by its raw id; a related resource whose id starts `prefect.tag.` is drawn as a
chip reading the id's last dot-separated part. So the Vietnamese a coordinator reads in the
feed rides on the flow run (by the name it ends with, not the one it started with) and on
chips (unit, status, plan); every resource still carries its Vietnamese name and labels for
the event's page, automations and their templates. docs/automations.md says more.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from prefect.events import emit_event

from models.evaluate import AssignmentStatus, done_percent, summarize
from models.moments import local_text
from models.plan import AssignmentRef, Plan
from models.statuses import Status

PLAN_EVALUATED = "dondoc.plan.evaluated"
# At most this many overdue assignments are listed in a run's event (their count is always
# whole): a notice names the first of them, and a 10,000-assignment plan stays far below
# Prefect's event size limit (1.5 MB; 200 entries are about 60 KB).
OVERDUE_LISTED = 200
# Prefect's UI reads a chip's text after the id's last '.', so a dot inside the text would
# cut it; U+2024 ONE DOT LEADER looks the same ("TP․ Hà Tĩnh").
DOT_LEADER = "\u2024"

Resource = dict[str, str]


def changed_statuses(
    previous: Mapping[AssignmentRef, Status], statuses: Sequence[AssignmentStatus]
) -> list[AssignmentStatus]:
    """Assignments whose status differs from the last stored evaluation (all, the first time)."""
    return [s for s in statuses if previous.get(s.ref) is not s.status]


def chip(text: str) -> Resource:
    """A related resource Prefect's event feed draws as a chip reading `text`: the one place
    the feed shows words of ours for a resource that is not Prefect's."""
    return {
        "prefect.resource.id": f"prefect.tag.{text.replace('.', DOT_LEADER)}",
        "prefect.resource.role": "tag",
    }


def flow_run_resource(run_name: str) -> list[Resource]:
    """The running flow run as a related resource, named `run_name`. Prefect's events worker
    adds the flow run by itself, but with the name it had when it started (the plan's code),
    and leaves out a resource the event already names: this one takes its place."""
    from prefect.runtime import flow_run

    if not flow_run.id:  # emitted outside a flow run: nothing to link
        return []
    return [
        {
            "prefect.resource.id": f"prefect.flow-run.{flow_run.id}",
            "prefect.resource.role": "flow-run",
            "prefect.resource.name": run_name,
        }
    ]


def assignment_event(
    plan: Plan,
    item: AssignmentStatus,
    previous: Status | None,
    as_of: datetime,
    run: Sequence[Resource] = (),
) -> dict[str, Any]:
    """The keyword arguments of `emit_event` for one status change; `run` is the flow run's
    related resource (flow_run_resource)."""
    unit_name = plan.unit_name(item.unit)
    title = plan.deliverables[item.deliverable].title
    due = item.deadline.due_at.astimezone(plan.tz).isoformat() if item.deadline else None
    return {
        "event": f"dondoc.assignment.{item.status.value}",
        "resource": {
            "prefect.resource.id": f"dondoc.assignment.{plan.code}.{item.deliverable}.{item.unit}",
            "prefect.resource.name": f"{unit_name} · {title}",
            "dondoc.plan": plan.code,
            "dondoc.deliverable": item.deliverable,
            "dondoc.deliverable-title": title,
            "dondoc.unit": item.unit,
            "dondoc.unit-name": unit_name,
            "dondoc.status": item.status.value,
            "dondoc.status-label": item.status.label,
        },
        "related": [
            plan_resource(plan, role="plan"),
            {
                "prefect.resource.id": f"dondoc.deliverable.{plan.code}.{item.deliverable}",
                "prefect.resource.role": "deliverable",
                "prefect.resource.name": title,
            },
            {
                "prefect.resource.id": f"dondoc.unit.{plan.code}.{item.unit}",
                "prefect.resource.role": "unit",
                "prefect.resource.name": unit_name,
            },
            *run,
            chip(item.status.label),
            chip(unit_name),
        ],
        "payload": {
            "status": item.status.value,
            "label": item.status.label,
            "previous": previous.value if previous else None,
            "previous_label": previous.label if previous else None,
            "due": due,
            "due_label": item.deadline_text("") or None,
            "days_late": item.days_late,
            "as_of": as_of.astimezone(plan.tz).isoformat(),
            "as_of_text": local_text(as_of, plan.tz),
        },
    }


def plan_resource(plan: Plan, role: str | None = None) -> Resource:
    """The plan, named by its title; with a role when it is a related resource."""
    resource = {
        "prefect.resource.id": f"dondoc.plan.{plan.code}",
        "prefect.resource.name": plan.title,
    }
    return {**resource, "prefect.resource.role": role} if role else resource


def plan_event(
    plan: Plan,
    statuses: Sequence[AssignmentStatus],
    as_of: datetime,
    run_name: str,
    changed: int,
    run: Sequence[Resource] = (),
) -> dict[str, Any]:
    """The keyword arguments of `emit_event` for the run's one `dondoc.plan.evaluated`: the
    counts (English status keys, with their labels), the share done and who is overdue, most
    days late first. The resource's `dondoc.overdue` label is the overdue count, so that an
    automation can `match` "!0" and hear only of runs that found someone late."""
    counts = summarize(statuses)
    overdue = sorted((s for s in statuses if s.is_overdue), key=lambda s: -(s.days_late or 0))
    return {
        "event": PLAN_EVALUATED,
        "resource": {
            **plan_resource(plan),
            "dondoc.plan": plan.code,
            "dondoc.overdue": str(len(overdue)),  # returned past the deadline included
            "dondoc.at-risk": str(counts[Status.AT_RISK]),
        },
        "related": [*run, chip(plan.title)],
        "payload": {
            "plan": plan.code,
            "plan_title": plan.title,
            "as_of": as_of.astimezone(plan.tz).isoformat(),
            "as_of_text": local_text(as_of, plan.tz),
            "run_name": run_name,
            "total": len(statuses),
            "done_percent": done_percent(statuses),
            "changed": changed,
            "counts": {status.value: count for status, count in counts.items()},
            "labels": {status.value: status.label for status in counts},
            "overdue_count": len(overdue),
            "overdue": [overdue_entry(plan, item) for item in overdue[:OVERDUE_LISTED]],
        },
    }


def overdue_entry(plan: Plan, item: AssignmentStatus) -> dict[str, Any]:
    """Who owes what, since when: one line of a notice."""
    return {
        "unit": item.unit,
        "unit_name": plan.unit_name(item.unit),
        "deliverable": item.deliverable,
        "deliverable_title": plan.deliverables[item.deliverable].title,
        "days_late": item.days_late,
        "due_label": item.deadline_text("") or None,
    }


def emit_run_events(
    plan: Plan,
    statuses: Sequence[AssignmentStatus],
    previous: Mapping[AssignmentRef, Status],
    as_of: datetime,
    *,
    run_name: str,
) -> dict[AssignmentRef, Status]:
    """The events of one tracking run (the run is already named `run_name`): one per status
    that changed since the last evaluation, then the run's `dondoc.plan.evaluated`, sent even
    when nothing changed (one notice per run hangs on it). Returns the changes."""
    run = flow_run_resource(run_name)
    changed = changed_statuses(previous, statuses)
    with outside_any_task_run():
        for item in changed:
            emit_event(**assignment_event(plan, item, previous.get(item.ref), as_of, run))
        emit_event(**plan_event(plan, statuses, as_of, run_name, len(changed), run))
    return {item.ref: item.status for item in changed}


@contextmanager
def outside_any_task_run() -> Iterator[None]:
    """Emit from here with "no task run" said out loud. Prefect's events worker attaches the
    run context of the moment an event was sent, laid over the context its own loop task was
    created in; when a run's first client-side event comes from a task run (the first
    assignment's, with heartbeats off as in `dondoc track`), that task run stays in the
    worker's context, and every later event from the flow's body, where no task run is set,
    would name it (and its tags) as related: "Task run giay-moi - Van phong Tinh uy" on the
    plan's event. A task run set to None in the sent context overrides it."""
    from prefect.context import TaskRunContext

    token = TaskRunContext.__var__.set(None)  # type: ignore[arg-type]  # get() reads None
    try:
        yield
    finally:
        TaskRunContext.__var__.reset(token)
