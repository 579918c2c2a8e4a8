"""Acknowledgement (đã nhận nhiệm vụ): seen from its moment on, never before, and nothing else
changes; the rules `decide` applies to it (the one check of the CLI, the web and the import)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from models.acknowledgement import acknowledgement_text
from models.errors import InvalidInputError
from models.evaluate import AssignmentStatus, evaluate, unacknowledged_count
from models.plan import AssignmentRef
from models.recording import Decision, RecordRequest, decide, describe, record
from models.status_document import status_document
from models.statuses import Status
from models.storage.engine import session_scope
from models.storage.store import all_submissions
from models.submissions import Submission, SubmissionKind
from tests.builders import build, deliverable, local

CHAIN = [
    deliverable("report", "group:huyen", due={"before": "2023-03-09"}),
    deliverable("summary", after=["report"], due={"by": "2023-03-12"}),
]
PLAN = build(CHAIN)
SEEN = local(2023, 3, 6, 9, 30)
NOW = local(2023, 3, 10, 9)
TOLERANCE = timedelta(minutes=10)
ACK = SubmissionKind.ACKNOWLEDGED


def row(kind, at, id=1, unit="d1", undoes=None, data=None) -> Submission:
    return Submission(id, "report", unit, kind, at, at, "vptu", undoes=undoes, data=data or {})


def status_of(rows, as_of, ref=("report", "d1")) -> AssignmentStatus:
    return {s.ref: s for s in evaluate(PLAN, rows, as_of)}[AssignmentRef(*ref)]


def without_acknowledgement(statuses: list[AssignmentStatus]) -> list[AssignmentStatus]:
    return [replace(s, acknowledged_at=None) for s in statuses]


@pytest.mark.parametrize(
    ("as_of", "acknowledged_at"),
    [
        (SEEN - timedelta(seconds=1), None),
        (SEEN, SEEN),
        (local(2023, 3, 9, 8), SEEN),
        (local(2023, 3, 20), SEEN),
    ],
)
def test_an_acknowledgement_is_seen_from_its_moment_on(as_of, acknowledged_at):
    assert status_of([row(ACK, SEEN)], as_of).acknowledged_at == acknowledged_at


def test_an_acknowledged_assignment_is_still_owed_reminded_and_late_like_any_other():
    for as_of in (local(2023, 3, 7), local(2023, 3, 10), local(2023, 3, 13)):
        with_ack = evaluate(PLAN, [row(ACK, SEEN)], as_of)
        assert without_acknowledgement(with_ack) == evaluate(PLAN, [], as_of)
    late = status_of([row(ACK, SEEN)], local(2023, 3, 10))
    assert (late.status, late.days_late, late.unacknowledged) == (Status.OVERDUE, 1, False)


def test_an_undone_acknowledgement_stands_until_its_undo():
    rows = [row(ACK, SEEN, 1), row(SubmissionKind.UNDO, local(2023, 3, 7), 2, undoes=1)]
    assert status_of(rows, local(2023, 3, 6, 12)).acknowledged_at == SEEN
    assert status_of(rows, local(2023, 3, 7)).acknowledged_at is None


def test_the_earliest_standing_acknowledgement_counts():
    rows = [row(ACK, SEEN, 1), row(ACK, SEEN - timedelta(days=1), 2)]
    assert status_of(rows, NOW).acknowledged_at == SEEN - timedelta(days=1)


def test_only_what_is_still_owed_counts_as_unacknowledged():
    rows = [row(SubmissionKind.RECEIVED, local(2023, 3, 8), 1, unit="d2"), row(ACK, SEEN, 2)]
    statuses = evaluate(PLAN, rows, NOW)
    owed = {s.ref.unit: s.unacknowledged for s in statuses if s.deliverable == "report"}
    assert owed == {"d1": False, "d2": False, "d3": True}  # d2 delivered, d1 acknowledged
    assert unacknowledged_count(statuses) == 2  # d3, and the Office's summary


@settings(max_examples=200, deadline=None)
@given(
    seen_minutes=st.integers(min_value=0, max_value=60 * 24 * 30),
    before=st.integers(min_value=1, max_value=60 * 24 * 60),
    after=st.integers(min_value=0, max_value=60 * 24 * 60),
    unit=st.sampled_from(["d1", "d2", "d3"]),
)
def test_any_moment_before_the_acknowledgement_shows_it_not_and_no_moment_changes_status(
    seen_minutes, before, after, unit
):
    seen = local(2023, 3, 1) + timedelta(minutes=seen_minutes)
    rows = [row(ACK, seen, unit=unit)]
    earlier = seen - timedelta(minutes=before)
    assert evaluate(PLAN, rows, earlier) == evaluate(PLAN, [], earlier)
    later = seen + timedelta(minutes=after)
    statuses = evaluate(PLAN, rows, later)
    assert status_of(rows, later, ("report", unit)).acknowledged_at == seen
    assert without_acknowledgement(statuses) == evaluate(PLAN, [], later)


# ---- the rules of recording one ----------------------------------------------------------


def ask(at: datetime = NOW, data=None, undo: bool = False, note: str = "") -> RecordRequest:
    return RecordRequest("p", "report", "d1", ACK, at, NOW, "vptu", note, undo, data or {})


def decided(request: RecordRequest, mine=()) -> Decision:
    return decide(PLAN, list(mine), request, TOLERANCE)


def test_an_acknowledgement_records_who_gave_it_a_coordinator_by_default():
    assert dict(decided(ask()).values) == {"source": "coordinator"}
    assert dict(decided(ask(data={"source": "web"})).values) == {"source": "web"}


@pytest.mark.parametrize(
    ("request_", "says"),
    [
        (ask(data={"source": "email"}), "nguồn báo nhận 'email' không có"),
        (ask(data={"so_dai_bieu": 3}), "không kèm số liệu"),
        (ask(at=NOW + timedelta(hours=1)), "chưa tới"),
        (ask(undo=True), "không có lần báo đã nhận nhiệm vụ nào còn hiệu lực"),
        (ask(note="\x1b[2J"), "ký tự điều khiển"),
    ],
)
def test_an_acknowledgement_that_breaks_a_rule_is_refused_in_one_line(request_, says):
    with pytest.raises(InvalidInputError, match=says) as caught:
        decided(request_)
    assert "\n" not in str(caught.value)


def test_acknowledging_twice_records_once_whoever_gives_it_and_whenever():
    first = row(ACK, SEEN, data={"source": "web"})
    for again in (ask(), ask(at=SEEN - timedelta(days=1)), ask(data={"source": "web"})):
        assert decided(again, [first]).already == first


@pytest.mark.parametrize(
    ("kind", "says"),
    [(SubmissionKind.RECEIVED, "đã nộp từ"), (SubmissionKind.WAIVED, "được miễn từ")],
)
def test_nothing_is_acknowledged_once_delivered_or_excused(kind, says):
    with pytest.raises(InvalidInputError, match=f"{says} 08/03/2023 09:00 .*không cần báo đã nhận"):
        decided(ask(), [row(kind, local(2023, 3, 8, 9))])


def test_an_acknowledgement_dated_before_the_arrival_is_still_taken():
    arrival = row(SubmissionKind.RECEIVED, local(2023, 3, 8, 9))
    assert decided(ask(at=SEEN), [arrival]).already is None  # the phone call came first


def test_after_a_return_the_unit_may_acknowledge():
    receipt = row(SubmissionKind.RECEIVED, local(2023, 3, 7), 1)
    returned = row(SubmissionKind.RETURNED, local(2023, 3, 8), 2, undoes=1)
    assert decided(ask(), [receipt, returned]).kind is ACK


def test_an_undo_cancels_the_standing_acknowledgement():
    given = row(ACK, SEEN)
    decision = decided(ask(undo=True), [given])
    assert (decision.kind, decision.undoes) == (SubmissionKind.UNDO, given)


def test_the_status_document_says_since_when_and_counts_who_has_not():
    rows = [row(ACK, SEEN, data={"source": "web"})]
    document = status_document(PLAN, evaluate(PLAN, rows, NOW), NOW)
    by_unit = {(a["deliverable"], a["unit"]): a for a in document["assignments"]}
    assert by_unit[("report", "d1")]["acknowledged_at"] == "2023-03-06T09:30:00+07:00"
    assert by_unit[("report", "d2")]["acknowledged_at"] is None
    assert document["not_acknowledged"] == 3  # d2, d3 and the summary


def test_the_trail_says_who_recorded_an_acknowledgement():
    assert acknowledgement_text({"source": "web"}) == "đơn vị tự báo trên trang của mình"
    assert acknowledgement_text({"source": "coordinator"}).startswith("điều phối viên ghi lại")
    assert acknowledgement_text({"source": "?"}) == ""


@pytest.mark.db
def test_record_appends_one_acknowledgement_then_reports_the_second(seeded_engine: Engine):
    request = RecordRequest(
        "gap-mat-2023", "bc-huyen", "huong-khe", ACK, local(2023, 3, 6, 9, 30), NOW, "vptu"
    )
    with session_scope(seeded_engine) as session:
        told = describe(record(session, request), request)
    assert told == (
        "Đã ghi: bc-huyen · Huyện ủy Hương Khê đã nhận nhiệm vụ lúc 06/03/2023 09:30. Phân công "
        "vẫn phải nộp như cũ (báo nhận không đổi hạn hay tình trạng)."
    )
    with session_scope(seeded_engine) as session:
        again = describe(record(session, request), request)
        (stored,) = all_submissions(session, "gap-mat-2023")
    assert again.startswith("Đã có từ trước: bc-huyen · Huyện ủy Hương Khê (06/03/2023 09:30, #")
    assert (stored.kind, dict(stored.data)) == (ACK, {"source": "coordinator"})
