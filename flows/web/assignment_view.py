"""What a unit's assignment page shows, from the domain at one moment: the ask, the deadline,
the status now, what it waits on, the figures it collects, its request for more time and the
answer, and what was already recorded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from models.evaluate import AssignmentStatus
from models.extension_requests import request_text, stored_request
from models.extensions import extension_text
from models.fields import DataField, values_text
from models.plan import AssignmentRef, Plan
from models.submissions import Submission, SubmissionKind, answer_to, standing_rows
from models.uploads.limits import size_text
from models.uploads.stored import AttachedFile
from notifications.render import moment_text, one_line, status_deadline_text

KIND_LABELS = {
    "received": "Đã nhận",
    "waived": "Được miễn",
    "extended": "Được gia hạn",
    "undo": "Hủy một ghi nhận trước",
    "accepted": "Được chấp nhận",
    "returned": "Bị trả lại để bổ sung, sửa",
    "acknowledged": "Đã báo nhận nhiệm vụ",
    "extension_requested": "Xin gia hạn",
    "extension_refused": "Không được gia hạn",
}


def assignment_view(
    plan: Plan,
    statuses: Sequence[AssignmentStatus],
    submissions: Sequence[Submission],
    ref: AssignmentRef,
    now: datetime,
    files: Mapping[int, Sequence[AttachedFile]] | None = None,
) -> dict[str, Any]:
    """The template's context for `ref` at `now` (`statuses` evaluated at `now`); `files`:
    the files of its arrivals, by submission row."""
    found = {status.ref: status for status in statuses}
    status = found[ref]
    deliverable = plan.deliverables[ref.deliverable]
    return {
        "plan_title": one_line(plan.title),
        "title": one_line(deliverable.title),
        "quote": one_line(deliverable.quote),
        "unit": one_line(plan.unit_name(ref.unit)),
        "to": one_line(plan.unit_name(deliverable.to)) if deliverable.to else "",
        "deadline": status_deadline_text(status),
        "status": status.status.value,
        "status_label": status.status.label,
        "days_late": status.days_late or 0,
        "submitted_at": moment_text(status.submitted_at, plan) if status.submitted_at else "",
        "now": moment_text(now, plan),
        "prerequisites": [_prerequisite(plan, found[p]) for p in plan.prerequisites_of(ref)],
        "blocking": [_prerequisite(plan, found[p]) for p in status.waiting_on],
        "fields": [
            {"name": f.name, "label": f.label, "required": f.required, "type": f.type.value}
            for f in deliverable.fields.values()
        ],
        "history": _history(plan, submissions, ref, now),
        "awaits_unit": status.status.awaits_unit,
        "acknowledged_at": _acknowledged_at(plan, submissions, ref, now),
        "files": _files(plan, submissions, ref, now, files or {}),
        **_extension_request(plan, status, submissions, now),
    }


def _extension_request(
    plan: Plan, status: AssignmentStatus, submissions: Sequence[Submission], now: datetime
) -> dict[str, Any]:
    """The request waiting (`asked`), or the answer to the latest one (`answer`: granted, with
    the deadline in force; refused, with the reason), and whether the unit may ask now."""
    asked = status.extension_request
    waiting = (
        {
            "until": asked.until_text,
            "reason": one_line(asked.reason),
            "at": moment_text(asked.at, plan),
        }
        if asked
        else None
    )
    standing = [row for row in standing_rows(submissions, now) if row.ref == status.ref]
    requests = [row for row in standing if row.kind is SubmissionKind.EXTENSION_REQUESTED]
    latest = max(requests, key=lambda row: (row.received_at, row.id), default=None)
    answered = answer_to(latest, standing) if latest is not None and asked is None else None
    answer = None
    if latest is not None and answered is not None and stored_request(latest) is not None:
        granted = answered.kind is SubmissionKind.EXTENDED
        answer = {
            "granted": granted,
            "asked": request_text(latest, plan.tz),
            "at": moment_text(answered.received_at, plan),
            "deadline": extension_text(answered.data, plan.tz) if granted else "",
            "reason": one_line(answered.note),
        }
    can_ask = status.status.awaits_unit and status.deadline is not None and asked is None
    return {"asked": waiting, "answer": answer, "can_ask": can_ask}


def _acknowledged_at(
    plan: Plan, submissions: Sequence[Submission], ref: AssignmentRef, now: datetime
) -> str:
    """When the unit said it has seen its task ('' if it has not): the first such row."""
    rows = [
        s
        for s in submissions
        if s.ref == ref and s.kind is SubmissionKind.ACKNOWLEDGED and s.received_at <= now
    ]
    return moment_text(min(rows, key=lambda s: s.received_at).received_at, plan) if rows else ""


def _files(
    plan: Plan,
    submissions: Sequence[Submission],
    ref: AssignmentRef,
    now: datetime,
    files: Mapping[int, Sequence[AttachedFile]],
) -> list[dict[str, str]]:
    """Every file the unit sent for `ref`, oldest first: name, size, checksum, when."""
    rows = sorted(
        (s for s in submissions if s.ref == ref and s.received_at <= now and s.id in files),
        key=lambda s: (s.received_at, s.id),
    )
    return [
        {
            "name": attached.name,
            "size": size_text(attached.size),
            "sha256": attached.sha256,
            "at": moment_text(row.received_at, plan),
        }
        for row in rows
        for attached in files[row.id]
    ]


def _prerequisite(plan: Plan, status: AssignmentStatus) -> dict[str, str]:
    return {
        "title": one_line(plan.deliverables[status.deliverable].title),
        "unit": one_line(plan.unit_name(status.unit)),
        "status": status.status.value,
        "status_label": status.status.label,
    }


def _history(
    plan: Plan, submissions: Sequence[Submission], ref: AssignmentRef, now: datetime
) -> list[dict[str, str]]:
    """Every row recorded for the assignment that has taken effect by `now`, oldest first."""
    fields = plan.deliverables[ref.deliverable].fields
    rows = sorted(
        (s for s in submissions if s.ref == ref and s.received_at <= now),
        key=lambda s: (s.received_at, s.id),
    )
    return [
        {
            "kind": KIND_LABELS.get(row.kind.value, row.kind.value),
            "at": moment_text(row.received_at, plan),
            "detail": _detail(plan, row, fields),
            "note": one_line(row.note),
        }
        for row in rows
    ]


def _detail(plan: Plan, row: Submission, fields: Mapping[str, DataField]) -> str:
    if row.kind is SubmissionKind.EXTENDED:
        return extension_text(row.data, plan.tz)
    if row.kind is SubmissionKind.EXTENSION_REQUESTED:
        return request_text(row, plan.tz)
    if row.kind is SubmissionKind.ACKNOWLEDGED:
        return ""  # its source is for the Office's trail, not the unit's page
    return values_text(fields, row.data) if row.data else ""
