"""Review (duyệt): a return reopens an assignment, acceptance decides when it counts as done."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.evaluate import evaluate
from models.plan import AssignmentRef
from models.statuses import DISPLAY_ORDER, LABELS, Status
from models.submissions import Submission, SubmissionKind, awaiting_review
from tests.builders import build, deliverable, local

SECOND = timedelta(seconds=1)
REPORT = deliverable("report", due={"before": "2023-03-09"})  # late from 09/03 00:00
LATER = deliverable("later", due={"before": "2023-03-20"}, after=["report"])
ON_ARRIVAL = build([REPORT, LATER])
ON_ACCEPTANCE = build([REPORT, LATER], review="on_acceptance")
ARRIVED = local(2023, 3, 7, 9)  # on time
RETURNED = local(2023, 3, 8, 10)  # before the deadline
AGAIN = local(2023, 3, 10, 9)  # the second arrival, late


def row(kind, at, id, undoes=None, note=""):
    return Submission(id, "report", "vp", kind, at, at, "vptu", note, undoes=undoes)


def received(at, id=1):
    return row(SubmissionKind.RECEIVED, at, id)


def returned(at, receipt=1, id=2, note="thiếu số liệu"):
    return row(SubmissionKind.RETURNED, at, id, undoes=receipt, note=note)


def accepted(at, receipt=1, id=3):
    return row(SubmissionKind.ACCEPTED, at, id, undoes=receipt)


def undo(at, undoes, id=9):
    return row(SubmissionKind.UNDO, at, id, undoes=undoes)


def status_of(submissions, as_of, plan=ON_ARRIVAL, code="report"):
    return {s.ref: s for s in evaluate(plan, submissions, as_of)}[AssignmentRef(code, "vp")]


def test_every_status_has_a_label_and_a_place_in_the_display_order():
    assert set(LABELS) == set(Status) == set(DISPLAY_ORDER)
    assert (Status.RETURNED.label, Status.IN_REVIEW.label) == ("Bị trả lại", "Chờ duyệt")
    assert not Status.RETURNED.is_settled and not Status.IN_REVIEW.is_done
    assert Status.RETURNED.awaits_unit and not Status.IN_REVIEW.awaits_unit


RETURN_HISTORY = [received(ARRIVED), returned(RETURNED), received(AGAIN, id=4)]


@pytest.mark.parametrize(
    ("as_of", "expected", "days_late"),
    [
        (ARRIVED - SECOND, Status.DUE_SOON, None),
        (ARRIVED, Status.DONE_ON_TIME, None),  # on arrival: done when it arrives
        (RETURNED - SECOND, Status.DONE_ON_TIME, None),
        (RETURNED, Status.RETURNED, None),  # open again, the deadline unchanged
        (local(2023, 3, 9), Status.RETURNED, 1),  # …and late once it passes
        (AGAIN - SECOND, Status.RETURNED, 2),
        (AGAIN, Status.DONE_LATE, 2),  # judged by the arrival that counts now
    ],
)
def test_on_arrival_a_return_reopens_the_assignment_until_the_next_arrival(
    as_of, expected, days_late
):
    result = status_of(RETURN_HISTORY, as_of)
    assert (result.status, result.days_late) == (expected, days_late)


def test_a_returned_assignment_carries_when_and_why():
    result = status_of(RETURN_HISTORY, RETURNED)
    assert (result.returned_at, result.return_note, result.submitted_at) == (
        RETURNED,
        "thiếu số liệu",
        None,
    )
    assert not result.is_overdue
    assert status_of(RETURN_HISTORY, local(2023, 3, 9)).is_overdue


ACCEPT_HISTORY = [received(ARRIVED), accepted(local(2023, 3, 12, 9))]


@pytest.mark.parametrize(
    ("plan", "as_of", "expected"),
    [
        (ON_ARRIVAL, ARRIVED, Status.DONE_ON_TIME),
        (ON_ACCEPTANCE, ARRIVED - SECOND, Status.DUE_SOON),
        (ON_ACCEPTANCE, ARRIVED, Status.IN_REVIEW),
        (ON_ACCEPTANCE, local(2023, 3, 10), Status.IN_REVIEW),  # waiting is not the unit's delay
        (ON_ACCEPTANCE, local(2023, 3, 12, 9), Status.DONE_ON_TIME),  # by its arrival time
        (ON_ARRIVAL, local(2023, 3, 12, 9), Status.DONE_ON_TIME),
    ],
)
def test_on_acceptance_an_arrival_counts_once_accepted_and_on_time_by_when_it_arrived(
    plan, as_of, expected
):
    assert status_of(ACCEPT_HISTORY, as_of, plan).status is expected


def test_on_acceptance_a_returned_then_accepted_late_resubmission_is_done_late():
    history = [*RETURN_HISTORY, accepted(local(2023, 3, 11), receipt=4, id=5)]
    assert status_of(history, local(2023, 3, 10, 12), ON_ACCEPTANCE).status is Status.IN_REVIEW
    done = status_of(history, local(2023, 3, 11), ON_ACCEPTANCE)
    assert (done.status, done.submitted_at, done.days_late) == (Status.DONE_LATE, AGAIN, 2)


def test_an_undone_return_restores_the_arrival():
    history = [received(ARRIVED), returned(RETURNED), undo(local(2023, 3, 8, 11), undoes=2)]
    assert status_of(history, local(2023, 3, 8, 10, 30)).status is Status.RETURNED
    assert status_of(history, local(2023, 3, 8, 11)).status is Status.DONE_ON_TIME


def test_a_decision_about_an_undone_receipt_decides_nothing():
    history = [received(ARRIVED), returned(RETURNED), undo(local(2023, 3, 8, 11), undoes=1)]
    assert status_of(history, local(2023, 3, 8, 12)).status is Status.DUE_SOON


def test_a_returned_assignment_past_its_deadline_puts_what_waits_on_it_at_risk():
    later = status_of(RETURN_HISTORY[:2], local(2023, 3, 9, 9), code="later")
    assert later.status is Status.AT_RISK
    assert later.waiting_on == (AssignmentRef("report", "vp"),)


def test_an_arrival_in_review_holds_nothing_up_downstream():
    later = status_of(ACCEPT_HISTORY[:1], local(2023, 3, 10), ON_ACCEPTANCE, code="later")
    assert later.status is Status.NOT_DUE


KINDS = st.sampled_from([SubmissionKind.RETURNED, SubmissionKind.ACCEPTED])


@settings(max_examples=80, deadline=None)
@given(
    decided_minutes=st.integers(min_value=0, max_value=60 * 24 * 10),
    earlier_minutes=st.integers(min_value=1, max_value=60 * 24 * 12),
    kind=KINDS,
    on_acceptance=st.booleans(),
)
def test_any_moment_before_a_decision_is_as_if_it_had_not_been_made(
    decided_minutes, earlier_minutes, kind, on_acceptance
):
    plan = ON_ACCEPTANCE if on_acceptance else ON_ARRIVAL
    decided = ARRIVED + timedelta(minutes=decided_minutes)
    decision = row(kind, decided, 2, undoes=1, note="lý do")
    as_of = decided - timedelta(minutes=earlier_minutes)
    assert evaluate(plan, [received(ARRIVED), decision], as_of) == evaluate(
        plan, [received(ARRIVED)], as_of
    )


# --- what waits for a review decision -------------------------------------------------------


def test_an_arrival_without_a_decision_awaits_review():
    assert awaiting_review([received(ARRIVED)], AGAIN) == {("report", "vp"): received(ARRIVED)}
    assert awaiting_review([received(ARRIVED)], ARRIVED - SECOND) == {}


@pytest.mark.parametrize("decision", [returned(RETURNED), accepted(RETURNED)])
def test_a_decided_arrival_no_longer_awaits_review_from_the_decision_on(decision):
    history = [received(ARRIVED), decision]
    assert awaiting_review(history, RETURNED) == {}
    assert awaiting_review(history, RETURNED - SECOND) != {}


def test_after_a_return_the_next_arrival_awaits_review():
    assert awaiting_review(RETURN_HISTORY, AGAIN) == {("report", "vp"): received(AGAIN, id=4)}


def test_an_undone_decision_puts_the_arrival_back_and_an_undone_arrival_takes_it_away():
    history = [received(ARRIVED), accepted(RETURNED), undo(AGAIN, undoes=3)]
    assert awaiting_review(history, AGAIN) == {("report", "vp"): received(ARRIVED)}
    assert awaiting_review([received(ARRIVED), undo(AGAIN, undoes=1)], AGAIN) == {}
