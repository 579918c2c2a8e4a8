"""The status document: the one JSON shape of "who is where" (CLI --json, web, artifacts)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from models.evaluate import (
    AssignmentStatus,
    extended_summary,
    summarize,
    unacknowledged_count,
)
from models.plan import Plan


def status_document(
    plan: Plan, statuses: Sequence[AssignmentStatus], as_of: datetime
) -> dict[str, Any]:
    """`{"plan", "as_of", "assignments": [...], "summary": {status: count}, "extended":
    {status: count}, "not_acknowledged": count}`, ISO-8601 with offsets in the plan's timezone.
    `due` is the instant from which the assignment is late (an extension's, once granted),
    `original_due` the plan's when an extension moved it (else null); `data` holds the figures
    sent with the standing arrival ({} when none); `returned_at` and `return_note` when a
    review sent the last arrival back (status `returned`), else null; `acknowledged_at` since
    when the unit has said it has seen the task (else null). `extended` counts the extended
    assignments apart, per status; `not_acknowledged` the assignments still owed by a unit
    that has not said it has seen them."""
    tz = plan.tz

    def iso(moment: datetime | None) -> str | None:
        return moment.astimezone(tz).isoformat() if moment else None

    return {
        "plan": plan.code,
        "as_of": iso(as_of),
        "assignments": [
            {
                "deliverable": s.deliverable,
                "unit": s.unit,
                "due": iso(s.deadline.due_at) if s.deadline else None,
                "due_inferred": bool(s.deadline and s.deadline.inferred),
                "original_due": iso(s.original_deadline.due_at) if s.original_deadline else None,
                "status": s.status.value,
                "returned_at": iso(s.returned_at),
                "return_note": s.return_note or None,
                "acknowledged_at": iso(s.acknowledged_at),
                "submitted_at": iso(s.submitted_at),
                "days_late": s.days_late,
                "data": dict(s.data),
                "unusable_data": list(s.unusable),  # stored figures the plan cannot read
            }
            for s in statuses
        ],
        "summary": {status.value: count for status, count in summarize(statuses).items()},
        "extended": {status.value: n for status, n in extended_summary(statuses).items()},
        "not_acknowledged": unacknowledged_count(statuses),
    }
