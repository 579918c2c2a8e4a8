"""What the coordinator console shows of one plan at a moment: the arrivals waiting for a
review decision, the units' requests for more time and the late assignments, each row with
what its action forms need."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

from models.evaluate import AssignmentStatus, evaluate
from models.extension_requests import ExtensionRequest
from models.fields import values_text
from models.plan import Plan
from models.statuses import Status
from models.submissions import Submission, awaiting_review
from notifications.render import moment_text, one_line, status_deadline_text

# Rows shown per list: a large plan's console stays a page; the board lists them all.
LISTED = 200


def plan_console(
    plan: Plan, submissions: Sequence[Submission], now: datetime, listed: int = LISTED
) -> dict[str, Any]:
    """The template's context for `plan` at `now`: its three lists, most urgent first (the
    arrivals to review and the requests for more time: the oldest first), at most
    `listed` rows each (with how many more), and the plan's deliverables and units for the
    form that records a paper arrival of any assignment."""
    statuses = evaluate(plan, submissions, now)
    found = {status.ref: status for status in statuses}
    waiting = [
        (found[ref], receipt)
        for ref, receipt in awaiting_review(submissions, now).items()
        if ref in found and found[ref].status is not Status.WAIVED
    ]
    waiting.sort(key=lambda pair: (pair[1].received_at, pair[1].id))  # the oldest first
    late = sorted((s for s in statuses if s.is_overdue), key=lambda s: -(s.days_late or 0))
    asking = sorted(
        ((s, s.extension_request) for s in statuses if s.extension_request is not None),
        key=lambda pair: (pair[1].at, pair[1].row),
    )  # the oldest first
    return {
        "code": plan.code,
        "title": one_line(plan.title),
        "now": moment_text(now, plan),
        "board_url": f"/plans/{quote(plan.code)}",  # below the root path
        "review": [_review_row(plan, status, receipt) for status, receipt in waiting[:listed]],
        "review_more": max(0, len(waiting) - listed),
        "requests": [_request_row(plan, status, asked) for status, asked in asking[:listed]],
        "requests_more": max(0, len(asking) - listed),
        "late": [_late_row(plan, status) for status in late[:listed]],
        "late_more": max(0, len(late) - listed),
        "deliverables": [
            {"code": d.code, "title": one_line(d.title)} for d in plan.deliverables.values()
        ],
        "units": [{"code": u.code, "name": one_line(u.name)} for u in plan.units.values()],
    }


def _row(plan: Plan, status: AssignmentStatus) -> dict[str, Any]:
    """What every row shows and every form of it sends back (the codes)."""
    deliverable = plan.deliverables[status.deliverable]
    return {
        "deliverable": status.deliverable,
        "unit": status.unit,
        "title": one_line(deliverable.title),
        "unit_name": one_line(plan.unit_name(status.unit)),
        "deadline": status_deadline_text(status),
        "status": status.status.value,
        "status_label": status.status.label,
        "days_late": status.days_late or 0,
    }


def _review_row(plan: Plan, status: AssignmentStatus, receipt: Submission) -> dict[str, Any]:
    fields = plan.deliverables[status.deliverable].fields
    return {
        **_row(plan, status),
        "receipt": receipt.id,
        "arrived": moment_text(receipt.received_at, plan),
        "figures": values_text(fields, receipt.data) if receipt.data else "",
        "note": one_line(receipt.note),
    }


def _request_row(plan: Plan, status: AssignmentStatus, asked: ExtensionRequest) -> dict[str, Any]:
    return {
        **_row(plan, status),
        "request": asked.row,
        "until": asked.until_text,
        "reason": one_line(asked.reason),
        "asked_at": moment_text(asked.at, plan),
    }


def _late_row(plan: Plan, status: AssignmentStatus) -> dict[str, Any]:
    fields = plan.deliverables[status.deliverable].fields.values()
    return {
        **_row(plan, status),
        "return_note": one_line(status.return_note),
        "fields": [{"name": f.name, "label": f.label, "required": f.required} for f in fields],
    }
