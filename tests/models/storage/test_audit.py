"""The audit trail as data: rows in, entries out, oldest first, times in the plan's timezone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from models.accounts import LoginOutcome
from models.storage.audit import (
    ACTION_LABELS,
    LOGIN_ACTIONS,
    AuditAction,
    audit_document,
    audit_entries,
    login_document,
    login_entries,
)
from models.storage.tables import LoginEventRow, NotificationRow, NotificationStatus, SubmissionRow
from tests.builders import HCM, local


def submission(row_id: int, kind: str, recorded: datetime, **fields: Any) -> SubmissionRow:
    values: dict[str, Any] = {
        "id": row_id,
        "plan_id": 1,
        "deliverable_code": "bc-huyen",
        "unit_code": "huong-khe",
        "kind": kind,
        "received_at": local(2023, 3, 8, 16, 30),
        "recorded_at": recorded,
        "recorded_by": "vptu.an",
    }
    return SubmissionRow(**(values | fields))


def message(row_id: int, created: datetime, **fields: Any) -> NotificationRow:
    values: dict[str, Any] = {
        "id": row_id,
        "plan_id": 1,
        "key": f"k{row_id}",
        "rule": "overdue",
        "deliverable_code": "bc-huyen",
        "unit_code": "huong-khe",
        "occurrence": "20230309T0000",
        "mail_to": ["bithu@x.example"],
        "mail_cc": ["vp@x.example"],
        "subject": "[Quá hạn 1 ngày] Báo cáo",
        "body_text": "",
        "body_html": "",
        "status": "sent",
        "attempts": 1,
        "created_at": created,
        "sent_at": created,
    }
    return NotificationRow(**(values | fields))


def test_entries_are_in_time_order_across_both_tables():
    rows = [
        submission(1, "received", local(2023, 3, 8, 17)),
        submission(2, "undo", local(2023, 3, 10, 8), undoes_id=1, note="nhầm đơn vị"),
    ]
    messages = [message(7, local(2023, 3, 9, 7, 30))]
    entries = audit_entries(rows, messages)
    assert [e.action for e in entries] == [
        AuditAction.RECEIVED,
        AuditAction.MESSAGE,
        AuditAction.UNDO,
    ]
    undo = entries[2]
    assert (undo.undoes, undo.undone, undo.note, undo.by) == (
        1,
        AuditAction.RECEIVED,
        "nhầm đơn vị",
        "vptu.an",
    )
    assert entries[1].status is NotificationStatus.SENT and entries[1].cc == ("vp@x.example",)


def test_at_the_same_instant_a_submission_comes_before_a_message_then_table_order():
    same = local(2023, 3, 9, 7, 30)
    entries = audit_entries(
        [submission(3, "waived", same), submission(2, "received", same)], [message(1, same)]
    )
    assert [(e.action, e.submission or e.key) for e in entries] == [
        (AuditAction.RECEIVED, 2),
        (AuditAction.WAIVED, 3),
        (AuditAction.MESSAGE, "k1"),
    ]


def test_the_json_document_shows_plan_local_times_and_every_field():
    rows = [submission(1, "received", datetime(2023, 3, 8, 10, tzinfo=UTC), data={"so": 12})]
    failed = message(
        2, local(2023, 3, 9, 7, 30), status="failed", sent_at=None, last_error="550 no such user"
    )
    document = audit_document("p", audit_entries(rows, [failed]), HCM)
    first, second = document["entries"]
    assert first == {
        "at": "2023-03-08T17:00:00+07:00",
        "action": "received",
        "deliverable": "bc-huyen",
        "unit": "huong-khe",
        "submission": 1,
        "received_at": "2023-03-08T16:30:00+07:00",
        "recorded_by": "vptu.an",
        "note": "",
        "undoes": None,
        "data": {"so": 12},
    }
    assert (second["status"], second["sent_at"], second["last_error"]) == (
        "failed",
        None,
        "550 no such user",
    )
    assert second["to"] == ["bithu@x.example"] and second["rule"] == "overdue"


def test_an_empty_record_is_an_empty_trail():
    assert audit_entries([], []) == []


def login(row_id: int, at: datetime, outcome: str, remote: str | None = "10.0.0.7"):
    return LoginEventRow(id=row_id, username="vptu.an", at=at, outcome=outcome, remote=remote)


def test_every_login_outcome_is_an_action_with_a_vietnamese_label():
    assert set(LOGIN_ACTIONS) == set(LoginOutcome)
    assert set(ACTION_LABELS) == set(AuditAction)
    assert LOGIN_ACTIONS[LoginOutcome.LOCKED].label == "Đăng nhập bị chặn (đang tạm khóa)"


def test_logins_are_entries_in_time_order_with_name_and_address():
    same = local(2026, 12, 7, 9)
    rows = [
        login(3, same, "success"),
        login(2, same, "failure", remote=None),
        login(1, local(2026, 12, 7, 10), "locked"),
    ]
    entries = login_entries(rows)
    assert [(e.action, e.by, e.remote) for e in entries] == [
        (AuditAction.LOGIN_FAILED, "vptu.an", None),
        (AuditAction.LOGIN, "vptu.an", "10.0.0.7"),
        (AuditAction.LOGIN_LOCKED, "vptu.an", "10.0.0.7"),
    ]
    assert login_document(entries[:1], HCM) == {
        "logins": [
            {
                "at": "2026-12-07T09:00:00+07:00",
                "action": "login_failed",
                "username": "vptu.an",
                "remote": None,
            }
        ]
    }
