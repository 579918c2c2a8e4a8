"""Extensions (gia hạn): the deadline in force before, at and after the grant, and what it moves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.deadlines import DueKind
from models.errors import InvalidInputError
from models.evaluate import evaluate, extended_summary
from models.extensions import Extension, check_extension, extension_text, read_extension
from models.plan import AssignmentRef
from models.statuses import Status
from models.submissions import Submission, SubmissionKind
from tests.builders import HCM, build, deadline_of, deliverable, local

SECOND = timedelta(seconds=1)
REPORT = deliverable("report", due={"before": "2023-03-09"})
PLAN = build([REPORT])
GRANTED = local(2023, 3, 8, 10)  # before the plan's deadline (09/03 00:00)
UNTIL_12 = {"due_kind": "by", "due": "2023-03-12"}  # late from 13/03 00:00


def extended(at, data=UNTIL_12, id=1, ref=("report", "vp")):
    deliverable_code, unit = ref
    kind = SubmissionKind.EXTENDED
    return Submission(id, deliverable_code, unit, kind, at, at, "vptu", "ốm", data=data)


def received(at, id=2, ref=("report", "vp")):
    deliverable_code, unit = ref
    return Submission(id, deliverable_code, unit, SubmissionKind.RECEIVED, at, at)


def undo(at, undoes, id=3, ref=("report", "vp")):
    deliverable_code, unit = ref
    return Submission(id, deliverable_code, unit, SubmissionKind.UNDO, at, at, undoes=undoes)


def status_of(submissions, as_of, plan=PLAN, ref=("report", "vp")):
    return {s.ref: s for s in evaluate(plan, submissions, as_of)}[AssignmentRef(*ref)]


@pytest.mark.parametrize(
    ("as_of", "expected", "is_extended"),
    [
        (GRANTED - SECOND, Status.DUE_SOON, False),  # the plan's deadline, 3 days' window
        (GRANTED, Status.NOT_DUE, True),  # from the grant on: 13/03 is more than 3 days away
        (local(2023, 3, 9), Status.NOT_DUE, True),  # the plan's deadline passes unnoticed
        (local(2023, 3, 9, 23, 59, 59), Status.NOT_DUE, True),
        (local(2023, 3, 10), Status.DUE_SOON, True),  # 3 days before the new deadline
        (local(2023, 3, 12, 23, 59, 59), Status.DUE_SOON, True),  # "đến 12/03": all that day
        (local(2023, 3, 13), Status.OVERDUE, True),
    ],
)
def test_an_extension_moves_the_deadline_from_its_grant_on(as_of, expected, is_extended):
    result = status_of([extended(GRANTED)], as_of)
    assert (result.status, result.extended) == (expected, is_extended)


def test_an_extension_granted_after_the_deadline_ends_the_overdue_status_from_then_on():
    grant = local(2023, 3, 10, 9)
    before = status_of([extended(grant)], grant - SECOND)
    after = status_of([extended(grant)], grant)
    assert (before.status, before.days_late, before.deadline) == (
        Status.OVERDUE,
        2,
        deadline_of(PLAN, "report"),
    )
    assert (after.status, after.days_late) == (Status.DUE_SOON, None)


def test_overdue_after_the_new_deadline_counts_days_from_the_new_deadline():
    result = status_of([extended(GRANTED)], local(2023, 3, 14, 9))
    assert (result.status, result.days_late) == (Status.OVERDUE, 2)


def test_the_original_deadline_is_kept_and_both_are_shown():
    result = status_of([extended(GRANTED)], local(2023, 3, 10))
    assert result.original_deadline == deadline_of(PLAN, "report")
    assert result.deadline is not None
    assert result.deadline.due_at == local(2023, 3, 13)
    assert result.deadline.label() == "gia hạn đến 12/03/2023 (hạn gốc: trước ngày 09/03/2023)"


@pytest.mark.parametrize(
    ("arrival", "expected", "late"),
    [
        (local(2023, 3, 10, 9), Status.DONE_ON_TIME, None),  # late by the plan, on time by now
        (local(2023, 3, 12, 23, 59, 59), Status.DONE_ON_TIME, None),
        (local(2023, 3, 13), Status.DONE_LATE, 1),
    ],
)
def test_an_arrival_after_the_grant_is_judged_by_the_new_deadline(arrival, expected, late):
    result = status_of([extended(GRANTED), received(arrival)], local(2023, 4, 1))
    assert (result.status, result.days_late, result.extended) == (expected, late, True)


def test_an_arrival_before_the_grant_is_judged_by_the_deadline_in_force_when_it_came():
    arrival, grant = local(2023, 3, 10, 9), local(2023, 3, 11, 9)
    result = status_of([received(arrival, id=1), extended(grant, id=2)], local(2023, 4, 1))
    assert (result.status, result.days_late, result.extended) == (Status.DONE_LATE, 2, False)


def test_the_latest_standing_extension_wins_each_from_its_own_grant():
    second = local(2023, 3, 11, 9)
    rows = [extended(GRANTED), extended(second, {"due_kind": "by", "due": "2023-03-20"}, id=2)]
    assert status_of(rows, second - SECOND).deadline.due_at == local(2023, 3, 13)
    assert status_of(rows, second).deadline.due_at == local(2023, 3, 21)
    assert status_of(rows, second).original_deadline == deadline_of(PLAN, "report")


def test_an_undone_extension_is_replayed_before_its_undo_and_gone_after():
    undone = local(2023, 3, 10, 9)
    rows = [extended(GRANTED), undo(undone, undoes=1)]
    before = status_of(rows, undone - SECOND)
    assert (before.status, before.extended) == (Status.DUE_SOON, True)
    after = status_of(rows, undone)
    assert (after.status, after.extended) == (Status.OVERDUE, False)


CHAIN = [
    deliverable("report", "group:huyen", to="vp", due={"before": "2023-03-09"}),
    deliverable("summary", to="vp", due={"before": "2023-03-15"}, after=["report"]),
]


def test_downstream_deliverables_keep_their_deadline_but_stop_being_at_risk():
    plan = build(CHAIN)
    as_of = local(2023, 3, 10, 9)
    grants = [extended(GRANTED, id=n, ref=("report", u)) for n, u in enumerate(["d1", "d2", "d3"])]
    without = status_of([], as_of, plan, ("summary", "vp"))
    with_them = status_of(grants, as_of, plan, ("summary", "vp"))
    assert without.status is Status.AT_RISK and with_them.status is Status.NOT_DUE
    assert with_them.deadline == without.deadline == deadline_of(plan, "summary")


def test_extended_assignments_are_counted_apart():
    statuses = evaluate(
        build(CHAIN),
        [
            extended(GRANTED, ref=("report", "d1")),
            received(local(2023, 3, 11), ref=("report", "d1")),
        ],
        local(2023, 3, 11, 9),
    )
    assert extended_summary(statuses) == {Status.DONE_ON_TIME: 1}


def test_an_unreadable_stored_extension_leaves_the_plan_deadline():
    result = status_of([extended(GRANTED, {"due": "ngày mai"})], local(2023, 3, 10))
    assert (result.status, result.extended) == (Status.OVERDUE, False)


@settings(max_examples=200, deadline=None)
@given(
    grant_minutes=st.integers(min_value=0, max_value=60 * 24 * 30),
    before=st.integers(min_value=1, max_value=60 * 24 * 60),
    days=st.integers(min_value=1, max_value=40),
    kind=st.sampled_from(["by", "before"]),
)
def test_any_moment_before_the_grant_sees_what_it_would_without_it(
    grant_minutes, before, days, kind
):
    plan = build(CHAIN)
    grant = local(2023, 3, 1) + timedelta(minutes=grant_minutes)
    due = (local(2023, 3, 9) + timedelta(days=days)).date().isoformat()
    rows = [extended(grant, {"due_kind": kind, "due": due}, ref=("report", "d2"))]
    as_of = grant - timedelta(minutes=before)
    assert evaluate(plan, rows, as_of) == evaluate(plan, [], as_of)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"due": "12/03/2023"}, Extension(DueKind.BY, local(2023, 3, 12).date())),
        (
            {"due_kind": "before", "due": "2023-03-12"},
            Extension(DueKind.BEFORE, local(2023, 3, 12).date()),
        ),
        (
            {"due_kind": "at", "due": "12/03/2023 17:00"},
            Extension(DueKind.AT, local(2023, 3, 12, 17).replace(tzinfo=None)),
        ),
    ],
)
def test_a_new_deadline_is_read_as_written(data, expected):
    assert read_extension(data, HCM) == expected


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({}, "cần hạn mới"),
        ({"due": "12/03/2023 17:00"}, "chỉ ghi ngày"),
        ({"due": "31/02/2023"}, "không đọc được thời điểm"),
        ({"due_kind": "on", "due": "12/03/2023"}, "không dùng được"),
        ({"due": "12/03/2023", "so_dai_bieu": 3}, "không kèm số liệu"),
    ],
)
def test_a_new_deadline_that_cannot_be_read_is_refused_in_vietnamese(data, says):
    with pytest.raises(InvalidInputError, match=says):
        read_extension(data, HCM)


@pytest.mark.parametrize(
    ("due", "says"),
    [("2023-03-08", "phải sau hạn gốc"), ("2024-03-12", "hơn một năm")],
)
def test_a_new_deadline_must_fall_after_the_plans_within_a_year(due, says):
    extension = read_extension({"due": due}, HCM)
    with pytest.raises(InvalidInputError, match=says):
        check_extension(extension, deadline_of(PLAN, "report"), HCM, "report")


def test_a_deliverable_without_a_deadline_has_nothing_to_extend():
    with pytest.raises(InvalidInputError, match="không có hạn nộp"):
        check_extension(read_extension(UNTIL_12, HCM), None, HCM, "follow-up")


def test_the_log_names_an_extension_by_its_new_date():
    assert extension_text(UNTIL_12, HCM) == "gia hạn đến 12/03/2023"
    assert extension_text({"due": "?"}, HCM) == ""
