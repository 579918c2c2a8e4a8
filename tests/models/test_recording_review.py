"""Recording a review decision: the rules `decide` applies (the one check of the CLI, the flow
and the import), and rows through `record` on a real database."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine

from models.errors import InvalidInputError
from models.evaluate import evaluate
from models.loader import read_plan_text
from models.plan import AssignmentRef
from models.recording import Decision, RecordRequest, decide, describe, record
from models.review import ReviewPolicy
from models.statuses import Status
from models.storage.engine import session_scope
from models.storage.store import all_submissions, read_snapshot, save_plan
from models.submissions import Submission, SubmissionKind
from tests.builders import build, deliverable, local, plan_text

PLAN = build([deliverable("report", "group:huyen", due={"before": "2023-03-09"})])
NOW = local(2023, 3, 10, 9)
ARRIVED = local(2023, 3, 8, 9)
TOLERANCE = timedelta(minutes=10)
REASON = "thiếu số liệu, yêu cầu bổ sung"


def ask(
    kind: SubmissionKind = SubmissionKind.RETURNED,
    note: str = REASON,
    at: datetime = NOW,
    undo: bool = False,
    data: dict[str, object] | None = None,
) -> RecordRequest:
    return RecordRequest("p", "report", "d1", kind, at, NOW, "vptu", note, undo, data or {})


def row(kind: SubmissionKind, at: datetime, id: int = 1, undoes: int | None = None) -> Submission:
    return Submission(id, "report", "d1", kind, at, at, note="x", undoes=undoes)


RECEIPT = row(SubmissionKind.RECEIVED, ARRIVED)
RETURN = row(SubmissionKind.RETURNED, local(2023, 3, 9, 9), 2, undoes=1)


def decided(request: RecordRequest, mine=(RECEIPT,)) -> Decision:
    return decide(PLAN, list(mine), request, TOLERANCE)


@pytest.mark.parametrize("kind", [SubmissionKind.RETURNED, SubmissionKind.ACCEPTED])
def test_a_decision_names_the_arrival_that_stands(kind):
    decision = decided(ask(kind))
    assert (decision.kind, decision.undoes, dict(decision.values)) == (kind, RECEIPT, {})


@pytest.mark.parametrize(
    ("request_", "mine", "says"),
    [
        (ask(note=""), [RECEIPT], "trả lại cần ghi lý do"),
        (ask(note="  "), [RECEIPT], "trả lại cần ghi lý do"),
        (ask(), [], "không có lần nộp nào còn hiệu lực để duyệt"),
        (ask(SubmissionKind.ACCEPTED), [RECEIPT, RETURN], "đã được trả lại"),
        (ask(at=local(2023, 3, 7)), [RECEIPT], "không có lần nộp nào"),  # before it arrived
        (ask(SubmissionKind.ACCEPTED), [RECEIPT, row(SubmissionKind.UNDO, ARRIVED, 2, 1)], "không"),
        (ask(at=NOW + timedelta(days=1)), [RECEIPT], "chưa tới"),
        (ask(data={"so": "1"}), [RECEIPT], "số liệu"),
        (ask(undo=True), [RECEIPT], "không có lần trả lại nào"),
    ],
)
def test_a_decision_that_breaks_a_rule_is_refused_in_one_vietnamese_line(request_, mine, says):
    with pytest.raises(InvalidInputError, match=says) as caught:
        decided(request_, mine)
    assert "\n" not in str(caught.value)


def test_the_same_decision_again_is_reported_and_the_other_one_is_refused():
    assert decided(ask(), [RECEIPT, RETURN]).already == RETURN
    with pytest.raises(InvalidInputError, match=r"đã được trả lại .*hủy quyết định đó trước"):
        decided(ask(SubmissionKind.ACCEPTED, at=local(2023, 3, 9, 8)), [RECEIPT, RETURN])


def test_an_undo_cancels_the_decision():
    decision = decided(ask(undo=True, note=""), [RECEIPT, RETURN])
    assert (decision.kind, decision.undoes) == (SubmissionKind.UNDO, RETURN)


def test_after_a_return_the_next_arrival_is_new_and_is_reviewed_again():
    again = ask(SubmissionKind.RECEIVED, note="")
    decision = decided(again, [RECEIPT, RETURN])
    assert decision.already is None and decision.kind is SubmissionKind.RECEIVED
    resubmitted = row(SubmissionKind.RECEIVED, NOW, 3)
    review = decided(ask(SubmissionKind.ACCEPTED), [RECEIPT, RETURN, resubmitted])
    assert review.undoes == resubmitted


def test_a_new_arrival_dated_before_the_return_is_refused():
    with pytest.raises(InvalidInputError, match=r"bị trả lại lúc 09/03/2023 09:00.*phải sau"):
        decided(ask(SubmissionKind.RECEIVED, at=local(2023, 3, 8, 20)), [RECEIPT, RETURN])


def test_an_extension_may_follow_a_return():
    request = RecordRequest(
        "p",
        "report",
        "d1",
        SubmissionKind.EXTENDED,
        NOW,
        NOW,
        "vptu",
        "bổ sung",
        data={"due": "15/03/2023"},
    )
    assert decided(request, [RECEIPT, RETURN]).values["due"] == "2023-03-15"


@pytest.mark.db
def test_record_returns_then_the_unit_resubmits_and_it_is_accepted(seeded_engine: Engine) -> None:
    def request(kind: SubmissionKind, at: datetime, note: str = "") -> RecordRequest:
        return RecordRequest("gap-mat-2023", "bc-huyen", "huong-khe", kind, at, NOW, "vptu", note)

    steps = [
        request(SubmissionKind.RECEIVED, local(2023, 3, 8, 9)),
        request(SubmissionKind.RETURNED, local(2023, 3, 8, 14), REASON),
        request(SubmissionKind.RECEIVED, local(2023, 3, 9, 8)),
        request(SubmissionKind.ACCEPTED, local(2023, 3, 9, 10)),
    ]
    told = []
    for step in steps:
        with session_scope(seeded_engine) as session:
            told.append(describe(record(session, step), step))
    assert told[1] == (
        "Đã trả lại: bc-huyen · Huyện ủy Hương Khê (lần nộp #1), từ 08/03/2023 14:00. "
        f"Lý do: {REASON}. Phân công mở lại cho tới khi đơn vị nộp lại."
    )
    assert told[3].startswith("Đã chấp nhận: bc-huyen · Huyện ủy Hương Khê (lần nộp #3)")
    with session_scope(seeded_engine) as session:
        stored = all_submissions(session, "gap-mat-2023")
        snapshot = read_snapshot(session, "gap-mat-2023")
    assert [(s.kind, s.undoes) for s in stored] == [
        (SubmissionKind.RECEIVED, None),
        (SubmissionKind.RETURNED, 1),
        (SubmissionKind.RECEIVED, None),
        (SubmissionKind.ACCEPTED, 3),
    ]
    ref = AssignmentRef("bc-huyen", "huong-khe")

    def status(as_of: datetime) -> Status:
        return {s.ref: s for s in evaluate(snapshot.plan, stored, as_of)}[ref].status

    assert status(local(2023, 3, 8, 15)) is Status.RETURNED
    assert status(NOW) is Status.DONE_LATE  # the plan reviews on arrival: done when it arrived


@pytest.mark.db
def test_a_plan_reviewing_on_acceptance_keeps_it_once_stored(engine: Engine) -> None:
    text = plan_text([deliverable("report", due={"before": "2023-03-09"})], review="on_acceptance")
    with session_scope(engine) as session:
        save_plan(session, read_plan_text(text, "p.yaml"), loaded_at=NOW)
    with session_scope(engine) as session:
        assert read_snapshot(session, "p").plan.review is ReviewPolicy.ON_ACCEPTANCE
