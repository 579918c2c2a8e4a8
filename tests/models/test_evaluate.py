"""Statuses at a moment: each status, precedence, inference, per-unit edges, undo."""

from datetime import timedelta

import pytest

from models.evaluate import evaluate, summarize
from models.plan import AssignmentRef
from models.statuses import Status
from models.submissions import Submission, SubmissionKind
from tests.builders import build, deadline_of, deliverable, local

SECOND = timedelta(seconds=1)
REPORT = deliverable("report", due={"before": "2023-03-09"})
CHAIN = [
    deliverable("invite", "group:huyen"),
    deliverable("report", "group:huyen", to="vp", due={"before": "2023-03-09"}, after=["invite"]),
    deliverable("summary", to="vp", due={"before": "2023-03-15"}, after=["report"]),
    deliverable("meeting", due={"on": "2023-03-22"}, after=["summary"]),
    deliverable("follow-up", "group:huyen", after=["meeting"]),
]


def row(ref, at, kind=SubmissionKind.RECEIVED, id=1, undoes=None):
    deliverable_code, unit = ref
    return Submission(id, deliverable_code, unit, kind, at, at, undoes=undoes)


def status_of(plan, submissions, as_of, ref=("report", "vp")):
    return {s.ref: s for s in evaluate(plan, submissions, as_of)}[AssignmentRef(*ref)]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (local(2023, 3, 5, 23, 59, 59), Status.NOT_DUE),
        (local(2023, 3, 6), Status.DUE_SOON),
        (local(2023, 3, 8, 23, 59, 59), Status.DUE_SOON),
        (local(2023, 3, 9), Status.OVERDUE),
    ],
)
def test_unsubmitted_status_follows_the_warning_window_and_deadline(as_of, expected):
    assert status_of(build([REPORT]), [], as_of).status is expected


@pytest.mark.parametrize(
    ("received", "expected", "late"),
    [
        (local(2023, 3, 8, 23, 59, 59), Status.DONE_ON_TIME, None),
        (local(2023, 3, 9), Status.DONE_LATE, 1),
        (local(2023, 3, 10, 9), Status.DONE_LATE, 2),
    ],
)
def test_submission_is_on_time_only_before_the_deadline(received, expected, late):
    result = status_of(build([REPORT]), [row(("report", "vp"), received)], local(2023, 4, 1))
    assert (result.status, result.days_late, result.submitted_at) == (expected, late, received)


def test_overdue_days_late_counts_to_as_of():
    assert status_of(build([REPORT]), [], local(2023, 3, 10, 9)).days_late == 2


def test_submission_after_as_of_does_not_count():
    submissions = [row(("report", "vp"), local(2023, 3, 8))]
    assert status_of(build([REPORT]), submissions, local(2023, 3, 7, 23)).status is Status.DUE_SOON


def test_waived_beats_overdue():
    submissions = [row(("report", "vp"), local(2023, 3, 10), SubmissionKind.WAIVED)]
    assert status_of(build([REPORT]), submissions, local(2023, 3, 12)).status is Status.WAIVED


def test_undo_cancels_a_receipt_from_its_own_time_on():
    plan = build([REPORT])
    submissions = [
        row(("report", "vp"), local(2023, 3, 7), id=1),
        row(("report", "vp"), local(2023, 3, 8), SubmissionKind.UNDO, id=2, undoes=1),
    ]
    assert status_of(plan, submissions, local(2023, 3, 7, 12)).status is Status.DONE_ON_TIME
    assert status_of(plan, submissions, local(2023, 3, 8, 12)).status is Status.DUE_SOON
    assert status_of(plan, submissions, local(2023, 3, 9, 12)).status is Status.OVERDUE


def test_rerecording_after_an_undo_counts_the_new_arrival():
    plan = build([REPORT])
    submissions = [
        row(("report", "vp"), local(2023, 3, 7), id=1),
        row(("report", "vp"), local(2023, 3, 8), SubmissionKind.UNDO, id=2, undoes=1),
        row(("report", "vp"), local(2023, 3, 9, 8), id=3),
    ]
    result = status_of(plan, submissions, local(2023, 3, 10))
    assert (result.status, result.submitted_at) == (Status.DONE_LATE, local(2023, 3, 9, 8))


def test_earliest_standing_arrival_decides_timeliness():
    submissions = [
        row(("report", "vp"), local(2023, 3, 10), id=2),
        row(("report", "vp"), local(2023, 3, 8), id=1),
    ]
    assert status_of(build([REPORT]), submissions, local(2023, 3, 11)).status is Status.DONE_ON_TIME


def test_deliverable_without_deadline_or_dated_successor_is_open():
    assert status_of(build([deliverable("report")]), [], local(2030, 1, 1)).status is Status.OPEN


def test_undated_deliverable_inherits_the_earliest_successor_deadline():
    plan = build(CHAIN)
    invite = deadline_of(plan, "invite")
    assert invite.inferred and invite.due_at == local(2023, 3, 9)
    assert plan.deliverables["follow-up"].deadline is None
    assert not deadline_of(plan, "report").inferred


def test_event_prerequisite_inherits_the_start_of_the_event_day():
    plan = build(
        [deliverable("hall"), deliverable("meeting", due={"on": "2023-03-22"}, after=["hall"])]
    )
    assert deadline_of(plan, "hall").due_at == local(2023, 3, 22)
    assert deadline_of(plan, "meeting").due_at == local(2023, 3, 23)


def test_same_group_edge_links_each_unit_to_its_own_prerequisite():
    plan = build(CHAIN)
    assert plan.prerequisites_of(AssignmentRef("report", "d2")) == [AssignmentRef("invite", "d2")]
    assert plan.prerequisites_of(AssignmentRef("summary", "vp")) == [
        AssignmentRef("report", u) for u in ("d1", "d2", "d3")
    ]


def test_only_the_unit_whose_prerequisite_is_late_is_at_risk():
    plan = build(
        [
            deliverable("invite", "group:huyen", due={"before": "2023-03-05"}),
            deliverable("report", "group:huyen", due={"before": "2023-03-20"}, after=["invite"]),
        ]
    )
    submissions = [
        row(("invite", "d1"), local(2023, 3, 1), id=1),
        row(("invite", "d3"), local(2023, 3, 1), id=2),
    ]
    statuses = {s.ref: s.status for s in evaluate(plan, submissions, local(2023, 3, 6))}
    assert statuses[AssignmentRef("report", "d2")] is Status.AT_RISK
    assert statuses[AssignmentRef("report", "d1")] is Status.NOT_DUE


def test_one_late_district_puts_the_synthesis_and_everything_downstream_at_risk():
    plan = build(CHAIN)
    submissions = [row(("report", u), local(2023, 3, 8), id=i) for i, u in enumerate(["d1", "d2"])]
    statuses = {s.ref: s.status for s in evaluate(plan, submissions, local(2023, 3, 10))}
    assert statuses[AssignmentRef("report", "d3")] is Status.OVERDUE
    assert statuses[AssignmentRef("summary", "vp")] is Status.AT_RISK
    assert statuses[AssignmentRef("meeting", "vp")] is Status.AT_RISK
    assert statuses[AssignmentRef("follow-up", "d1")] is Status.AT_RISK


DATED_CHAIN = [  # CHAIN without the undated invitation: every step has its own deadline
    deliverable("report", "group:huyen", to="vp", due={"before": "2023-03-09"}),
    deliverable("summary", to="vp", due={"before": "2023-03-15"}, after=["report"]),
    deliverable("meeting", due={"on": "2023-03-22"}, after=["summary"]),
]


def test_waiting_on_names_the_late_district_all_the_way_downstream():
    plan = build([*DATED_CHAIN, CHAIN[4]])
    submissions = [row(("report", u), local(2023, 3, 8), id=i) for i, u in enumerate(["d1", "d2"])]
    by_ref = {s.ref: s for s in evaluate(plan, submissions, local(2023, 3, 10))}
    late = (AssignmentRef("report", "d3"),)
    assert by_ref[AssignmentRef("summary", "vp")].waiting_on == late
    assert by_ref[AssignmentRef("meeting", "vp")].waiting_on == late  # through the synthesis
    assert by_ref[AssignmentRef("follow-up", "d2")].waiting_on == late
    assert by_ref[AssignmentRef("report", "d3")].waiting_on == ()  # late itself, not waiting
    assert by_ref[AssignmentRef("report", "d1")].waiting_on == ()  # delivered


def test_an_overdue_synthesis_waits_on_the_late_report_too():
    plan = build(DATED_CHAIN)
    by_ref = {s.ref: s for s in evaluate(plan, [], local(2023, 3, 16))}
    summary = by_ref[AssignmentRef("summary", "vp")]
    assert summary.status is Status.OVERDUE
    assert summary.waiting_on == tuple(AssignmentRef("report", u) for u in ("d1", "d2", "d3"))
    assert by_ref[AssignmentRef("meeting", "vp")].waiting_on == (
        AssignmentRef("summary", "vp"),  # the direct prerequisite first, then what it waits on
        *summary.waiting_on,
    )


def test_overdue_beats_at_risk():
    plan = build(CHAIN)
    statuses = {s.ref: s.status for s in evaluate(plan, [], local(2023, 3, 16))}
    assert statuses[AssignmentRef("summary", "vp")] is Status.OVERDUE


def test_delivered_prerequisite_no_longer_puts_dependents_at_risk():
    plan = build(CHAIN)
    submissions = [
        row(("report", u), local(2023, 3, 10), id=i) for i, u in enumerate(["d1", "d2", "d3"])
    ]
    statuses = {s.ref: s.status for s in evaluate(plan, submissions, local(2023, 3, 11))}
    assert statuses[AssignmentRef("report", "d3")] is Status.DONE_LATE
    assert statuses[AssignmentRef("summary", "vp")] is Status.NOT_DUE


def test_naive_as_of_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        evaluate(build([REPORT]), [], local(2023, 3, 1).replace(tzinfo=None))


def test_summary_counts_every_status():
    counts = summarize(evaluate(build(CHAIN), [], local(2023, 3, 10)))
    assert sum(counts.values()) == 3 + 3 + 1 + 1 + 3
    assert counts[Status.OVERDUE] == 6 and set(counts) == set(Status)
