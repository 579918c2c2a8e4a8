"""Recording an extension: the rules `decide` applies (the one check of the CLI, the flow and
the import), and one row through `record` on a real database."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine

from models.errors import InvalidInputError
from models.recording import Decision, RecordRequest, decide, describe, record
from models.storage.engine import session_scope
from models.storage.store import all_submissions
from models.submissions import Submission, SubmissionKind
from tests.builders import build, deliverable, local

PLAN = build(
    [
        deliverable("report", "group:huyen", due={"before": "2023-03-09"}),
        deliverable("follow-up", "group:huyen", after=["report"]),
    ]
)
NOW = local(2023, 3, 10, 9)
UNTIL_12 = {"due": "12/03/2023"}
TOLERANCE = timedelta(minutes=10)


def ask(
    data: dict[str, object] | None = None,
    at: datetime = NOW,
    note: str = "đơn vị xin thêm thời gian",
    undo: bool = False,
    deliverable_code: str = "report",
) -> RecordRequest:
    given: dict[str, object] = dict(UNTIL_12) if data is None and not undo else data or {}
    return RecordRequest(
        "p", deliverable_code, "d1", SubmissionKind.EXTENDED, at, NOW, "vptu", note, undo, given
    )


def row(kind: SubmissionKind, at: datetime, id: int = 1, data=None) -> Submission:
    return Submission(id, "report", "d1", kind, at, at, data=data or {})


def decided(request: RecordRequest, mine=()) -> Decision:
    return decide(PLAN, list(mine), request, TOLERANCE)


def test_an_extension_is_stored_with_its_new_deadline_as_iso_text():
    decision = decided(ask({"due": "12/03/2023"}))
    assert decision.kind is SubmissionKind.EXTENDED
    assert dict(decision.values) == {"due_kind": "by", "due": "2023-03-12"}


@pytest.mark.parametrize(
    ("request_", "says"),
    [
        (ask(note=""), "cần ghi lý do"),
        (ask(note="   "), "cần ghi lý do"),
        (ask({"due": "08/03/2023"}), "phải sau hạn gốc"),
        (ask({"due": "12/03/2033"}), "hơn một năm"),
        (ask({"due": "12/13/2023"}), "không đọc được thời điểm"),
        (ask({"due": "12/03/2023", "so_dai_bieu": "3"}), "không kèm số liệu"),
        (ask(deliverable_code="follow-up"), "không có hạn nộp"),
        (ask(at=NOW + timedelta(days=1)), "chưa tới"),
        (ask(undo=True), "không có lần gia hạn nào"),
    ],
)
def test_an_extension_that_breaks_a_rule_is_refused_in_one_vietnamese_line(request_, says):
    with pytest.raises(InvalidInputError, match=says) as caught:
        decided(request_)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("kind", "says"),
    [(SubmissionKind.RECEIVED, "đã nộp từ"), (SubmissionKind.WAIVED, "được miễn từ")],
)
def test_nothing_is_extended_once_delivered_or_waived(kind, says):
    with pytest.raises(InvalidInputError, match=f"{says} .*không còn gì để gia hạn"):
        decided(ask(), [row(kind, local(2023, 3, 9, 9))])


def test_granting_the_same_deadline_again_is_reported_and_another_one_is_added():
    granted = row(
        SubmissionKind.EXTENDED, local(2023, 3, 9, 9), data={"due_kind": "by", "due": "2023-03-12"}
    )
    assert decided(ask({"due": "2023-03-12"}), [granted]).already == granted
    later = decided(ask({"due": "15/03/2023"}), [granted])
    assert later.already is None and later.values["due"] == "2023-03-15"


def test_an_undo_cancels_the_latest_standing_extension():
    first = row(SubmissionKind.EXTENDED, local(2023, 3, 8), 1, {"due": "2023-03-12"})
    second = row(SubmissionKind.EXTENDED, local(2023, 3, 9), 2, {"due": "2023-03-15"})
    decision = decided(ask(undo=True), [first, second])
    assert (decision.kind, decision.undoes) == (SubmissionKind.UNDO, second)


@pytest.mark.db
def test_record_appends_the_extension_row_and_says_both_deadlines(seeded_engine: Engine) -> None:
    request = RecordRequest(
        "gap-mat-2023",
        "bc-huyen",
        "huong-khe",
        SubmissionKind.EXTENDED,
        local(2023, 3, 8, 14),
        NOW,
        "vptu",
        "huyện xin thêm thời gian tổng hợp",
        data=UNTIL_12,
    )
    with session_scope(seeded_engine) as session:
        told = describe(record(session, request), request)
    assert told == (
        "Đã gia hạn: bc-huyen · Huyện ủy Hương Khê: gia hạn đến 12/03/2023 "
        "(hạn gốc: trước ngày 09/03/2023), từ 08/03/2023 14:00."
    )
    with session_scope(seeded_engine) as session:
        (stored,) = all_submissions(session, "gap-mat-2023")
    assert (stored.kind, dict(stored.data)) == (
        SubmissionKind.EXTENDED,
        {"due_kind": "by", "due": "2023-03-12"},
    )
