"""The audit trail: of a plan, who recorded, undid, waived, extended, accepted or returned
what, which unit said it had seen its task or asked for more time, who refused it, and which
e-mails went out; of the accounts, who
logged in (or tried) when, from where."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from models.accounts import LoginOutcome
from models.storage.tables import (
    LoginEventRow,
    NotificationRow,
    NotificationStatus,
    SubmissionRow,
    as_utc,
)
from models.submissions import SubmissionKind


class AuditAction(StrEnum):
    """What an entry of the trail records."""

    RECEIVED = "received"
    WAIVED = "waived"
    EXTENDED = "extended"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    ACKNOWLEDGED = "acknowledged"
    EXTENSION_REQUESTED = "extension_requested"
    EXTENSION_REFUSED = "extension_refused"
    UNDO = "undo"
    MESSAGE = "message"
    # A login attempt, one action per outcome (models.accounts.LoginOutcome).
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGIN_LOCKED = "login_locked"
    LOGIN_UNKNOWN_USER = "login_unknown_user"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS: dict[AuditAction, str] = {
    AuditAction.RECEIVED: "Ghi nhận đã nộp",
    AuditAction.WAIVED: "Miễn",
    AuditAction.EXTENDED: "Gia hạn",
    AuditAction.ACCEPTED: "Chấp nhận",
    AuditAction.RETURNED: "Trả lại",
    AuditAction.ACKNOWLEDGED: "Đã nhận nhiệm vụ",
    AuditAction.EXTENSION_REQUESTED: "Xin gia hạn",
    AuditAction.EXTENSION_REFUSED: "Từ chối gia hạn",
    AuditAction.UNDO: "Hủy ghi nhận",
    AuditAction.MESSAGE: "Thư",
    AuditAction.LOGIN: "Đăng nhập",
    AuditAction.LOGIN_FAILED: "Đăng nhập sai mật khẩu",
    AuditAction.LOGIN_LOCKED: "Đăng nhập bị chặn (đang tạm khóa)",
    AuditAction.LOGIN_UNKNOWN_USER: "Đăng nhập bằng tên không có",
}
LOGIN_ACTIONS: dict[LoginOutcome, AuditAction] = {
    LoginOutcome.SUCCESS: AuditAction.LOGIN,
    LoginOutcome.FAILURE: AuditAction.LOGIN_FAILED,
    LoginOutcome.LOCKED: AuditAction.LOGIN_LOCKED,
    LoginOutcome.UNKNOWN_USER: AuditAction.LOGIN_UNKNOWN_USER,
}


@dataclass(frozen=True)
class AuditEntry:
    """One fact of the trail. `at` is when it entered the record: a submission's `recorded_at`,
    a message's `created_at` (queued), a login's attempt. Submission fields are None for
    messages and logins and back; a login's name is `by`, its client address `remote`."""

    at: datetime
    action: AuditAction
    deliverable: str | None
    unit: str | None
    by: str = ""  # who recorded it; "" for a message (dondoc decided it)
    note: str = ""
    submission: int | None = None  # the row's number in the submission table
    received_at: datetime | None = None  # from when the row takes effect
    # the submission an undo cancels, a review decides on, a refusal answers
    undoes: int | None = None
    undone: AuditAction | None = None  # what that submission was
    # figures collected with a receipt; an extension's new deadline; who recorded an
    # acknowledgement
    data: Mapping[str, Any] = field(default_factory=dict)
    key: str | None = None  # the message's key in the outbox
    rule: str | None = None
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    subject: str = ""
    status: NotificationStatus | None = None
    sent_at: datetime | None = None
    attempts: int = 0
    last_error: str | None = None
    remote: str | None = None


def audit_entries(
    submissions: Iterable[SubmissionRow], messages: Iterable[NotificationRow]
) -> list[AuditEntry]:
    """Every submission row and outbox row as entries, oldest first (submissions before
    messages at the same instant, then in table order)."""
    rows = list(submissions)
    kinds = {row.id: AuditAction(row.kind) for row in rows}
    entries = [(_of_submission(row, kinds), 0, row.id or 0) for row in rows]
    entries += [(_of_message(row), 1, row.id or 0) for row in messages]
    entries.sort(key=lambda item: (item[0].at, item[1], item[2]))
    return [entry for entry, _, _ in entries]


def _of_submission(row: SubmissionRow, kinds: Mapping[int | None, AuditAction]) -> AuditEntry:
    undone = kinds.get(row.undoes_id) if row.undoes_id is not None else None
    return AuditEntry(
        at=as_utc(row.recorded_at),
        action=AuditAction(SubmissionKind(row.kind).value),
        deliverable=row.deliverable_code,
        unit=row.unit_code,
        by=row.recorded_by,
        note=row.note,
        submission=row.id,
        received_at=as_utc(row.received_at),
        undoes=row.undoes_id,
        undone=undone,
        data=dict(row.data or {}),
    )


def _of_message(row: NotificationRow) -> AuditEntry:
    return AuditEntry(
        at=as_utc(row.created_at),
        action=AuditAction.MESSAGE,
        deliverable=row.deliverable_code,
        unit=row.unit_code,
        key=row.key,
        rule=row.rule,
        to=tuple(row.mail_to),
        cc=tuple(row.mail_cc),
        subject=row.subject,
        status=NotificationStatus(row.status),
        sent_at=as_utc(row.sent_at) if row.sent_at else None,
        attempts=row.attempts,
        last_error=row.last_error,
    )


def login_entries(events: Iterable[LoginEventRow]) -> list[AuditEntry]:
    """Every login attempt as an entry, oldest first (then in table order)."""
    ordered = sorted(events, key=lambda row: (as_utc(row.at), row.id or 0))
    return [
        AuditEntry(
            at=as_utc(row.at),
            action=LOGIN_ACTIONS[LoginOutcome(row.outcome)],
            deliverable=None,
            unit=None,
            by=row.username,
            remote=row.remote,
        )
        for row in ordered
    ]


def login_document(entries: Sequence[AuditEntry], tz: ZoneInfo) -> dict[str, Any]:
    """The login trail as JSON: `{"logins": [{"at", "action", "username", "remote"}]}`."""

    def document(entry: AuditEntry) -> dict[str, Any]:
        return {
            "at": entry.at.astimezone(tz).isoformat(),
            "action": entry.action.value,
            "username": entry.by,
            "remote": entry.remote,
        }

    return {"logins": [document(entry) for entry in entries]}


def audit_document(plan: str, entries: Sequence[AuditEntry], tz: ZoneInfo) -> dict[str, Any]:
    """The trail as JSON: `{"plan", "entries": [...]}`, times ISO-8601 in the plan's timezone."""

    def iso(moment: datetime | None) -> str | None:
        return moment.astimezone(tz).isoformat() if moment else None

    def document(entry: AuditEntry) -> dict[str, Any]:
        common = {
            "at": iso(entry.at),
            "action": entry.action.value,
            "deliverable": entry.deliverable,
            "unit": entry.unit,
        }
        if entry.action is not AuditAction.MESSAGE:
            return common | {
                "submission": entry.submission,
                "received_at": iso(entry.received_at),
                "recorded_by": entry.by,
                "note": entry.note,
                "undoes": entry.undoes,
                "data": dict(entry.data),
            }
        return common | {
            "key": entry.key,
            "rule": entry.rule,
            "to": list(entry.to),
            "cc": list(entry.cc),
            "subject": entry.subject,
            "status": entry.status.value if entry.status else None,
            "sent_at": iso(entry.sent_at),
            "attempts": entry.attempts,
            "last_error": entry.last_error,
        }

    return {"plan": plan, "entries": [document(entry) for entry in entries]}
