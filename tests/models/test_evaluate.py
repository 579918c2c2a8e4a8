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


# Deadlines fixed by another deliverable's arrival (`within_days … after_arrival_of`).
TO_TRINH = {"code": "to-trinh", "title": "Tờ trình", "owner": "group:huyen"}
DUYET = deliverable(
    "duyet", due={"within_days": 2, "after_arrival_of": "to-trinh", "working_days": True}
)
PENDING = "2 ngày làm việc sau khi Tờ trình được nộp (chưa xác định)"
ARRIVALS = [
    row(("to-trinh", "d1"), local(2023, 3, 8, 9), id=1),
    row(("to-trinh", "d2"), local(2023, 3, 9, 9), id=2),
    row(("to-trinh", "d3"), local(2023, 3, 10, 15), id=3),  # a Friday: the last one counts
]


def duyet_at(as_of, submissions=ARRIVALS, deliverables=(TO_TRINH, DUYET), ref=("duyet", "vp")):
    return status_of(build(list(deliverables)), submissions, as_of, ref)


@pytest.mark.parametrize("as_of", [local(2023, 3, 1), local(2023, 3, 10, 14), local(2024, 1, 1)])
def test_a_deadline_waiting_for_an_arrival_is_never_due_before_it(as_of):
    result = duyet_at(as_of, ARRIVALS[:2])
    assert (result.status, result.deadline, result.days_late) == (Status.NOT_DUE, None, None)
    assert result.pending_deadline == PENDING and result.deadline_text() == PENDING


@pytest.mark.parametrize(
    ("as_of", "expected", "fixed"),
    [
        (local(2023, 3, 10, 14, 59, 59), Status.NOT_DUE, False),  # the last district not yet
        (local(2023, 3, 10, 15), Status.NOT_DUE, True),  # through Tuesday 14/03
        (local(2023, 3, 11, 23, 59, 59), Status.NOT_DUE, True),
        (local(2023, 3, 12), Status.DUE_SOON, True),  # warning_days 3 before 15/03 00:00
        (local(2023, 3, 14, 23, 59, 59), Status.DUE_SOON, True),
        (local(2023, 3, 15), Status.OVERDUE, True),
    ],
)
def test_the_last_arrival_of_all_units_fixes_the_deadline(as_of, expected, fixed):
    result = duyet_at(as_of)
    assert result.status is expected
    assert (result.deadline is not None, result.pending_deadline) == (
        (True, "") if fixed else (False, PENDING)
    )


def test_a_fixed_arrival_deadline_is_shown_with_its_date():
    result = duyet_at(local(2023, 3, 13))
    assert result.deadline is not None and result.deadline.due_at == local(2023, 3, 15)
    assert result.deadline_text() == (
        "2 ngày làm việc sau khi Tờ trình được nộp (chậm nhất ngày 14/03/2023)"
    )


def test_replaying_a_moment_before_the_arrival_gives_that_moments_answer():
    later, earlier = duyet_at(local(2023, 3, 16)), duyet_at(local(2023, 3, 10, 12))
    assert (later.status, later.days_late) == (Status.OVERDUE, 1)
    assert (earlier.status, earlier.deadline) == (Status.NOT_DUE, None)


def test_an_undetermined_deadline_is_not_at_risk_though_it_waits_on_overdue_work():
    to_trinh = {**TO_TRINH, "due": {"before": "2023-03-05"}}
    waiting = {**DUYET, "after": ["to-trinh"]}
    after_it = deliverable("tong-hop", due={"before": "2023-04-01"}, after=["duyet"])
    plan = build([to_trinh, waiting, after_it])
    statuses = {s.ref: s for s in evaluate(plan, [], local(2023, 3, 10))}
    assert statuses[AssignmentRef("to-trinh", "d1")].status is Status.OVERDUE
    assert statuses[AssignmentRef("duyet", "vp")].status is Status.NOT_DUE
    # What waits on it is at risk all the same: the chain of late work runs through it.
    assert statuses[AssignmentRef("tong-hop", "vp")].status is Status.AT_RISK


def test_an_excused_unit_is_not_waited_for():
    waived = row(("to-trinh", "d3"), local(2023, 3, 9, 10), SubmissionKind.WAIVED, id=3)
    result = duyet_at(local(2023, 3, 13), [*ARRIVALS[:2], waived])
    assert result.deadline is not None and result.deadline.due_at == local(2023, 3, 14)


def test_an_undone_arrival_makes_the_deadline_undetermined_again():
    undo = row(("to-trinh", "d3"), local(2023, 3, 13, 9), SubmissionKind.UNDO, id=4, undoes=3)
    submissions = [*ARRIVALS, undo]
    assert duyet_at(local(2023, 3, 13, 8), submissions).status is Status.DUE_SOON
    assert duyet_at(local(2023, 3, 16), submissions).status is Status.NOT_DUE


def test_within_one_group_each_unit_waits_for_its_own_arrival():
    per_unit = {**DUYET, "owner": "group:huyen"}
    d1 = duyet_at(local(2023, 3, 9, 12), ARRIVALS, (TO_TRINH, per_unit), ("duyet", "d1"))
    d3 = duyet_at(local(2023, 3, 9, 12), ARRIVALS, (TO_TRINH, per_unit), ("duyet", "d3"))
    assert d1.deadline is not None and d1.deadline.due_at == local(2023, 3, 11)  # Wed 08 → Fri 10
    assert (d3.status, d3.deadline) == (Status.NOT_DUE, None)


def test_work_sent_before_its_deadline_is_fixed_is_on_time():
    early = row(("duyet", "vp"), local(2023, 3, 7), id=9)
    assert duyet_at(local(2023, 3, 20), [early, *ARRIVALS]).status is Status.DONE_ON_TIME


def test_work_sent_after_the_fixed_deadline_is_late():
    late = row(("duyet", "vp"), local(2023, 3, 15, 8), id=9)
    result = duyet_at(local(2023, 3, 20), [*ARRIVALS, late])
    assert (result.status, result.days_late) == (Status.DONE_LATE, 1)


def test_a_fixed_arrival_deadline_can_be_extended():
    grant = Submission(
        9, "duyet", "vp", SubmissionKind.EXTENDED, local(2023, 3, 13), local(2023, 3, 13),
        data={"due_kind": "by", "due": "2023-03-20"},
    )  # fmt: skip
    result = duyet_at(local(2023, 3, 16), [*ARRIVALS, grant])
    assert result.status is Status.NOT_DUE and result.extended
    assert result.deadline is not None and result.deadline.label() == (
        "gia hạn đến 20/03/2023 (hạn gốc: 2 ngày làm việc sau khi Tờ trình được nộp"
        " (chậm nhất ngày 14/03/2023))"
    )
