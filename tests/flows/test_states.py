"""Statuses as Prefect states and run names: pure mapping, no server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from prefect.client.schemas.objects import StateType

from flows.events import changed_statuses
from flows.states import flow_run_name, message_for, run_name, summary_message, verdict_for
from flows.track import moment_of
from models.evaluate import AssignmentStatus, evaluate
from models.plan import AssignmentRef
from models.statuses import Status
from models.submissions import Submission, SubmissionKind
from tests.builders import HCM, build, deliverable, local

PLAN = build(
    [
        deliverable("invite", due={"before": "2023-03-05"}),
        deliverable("report", "group:huyen", due={"before": "2023-03-09"}, after=["invite"]),
        deliverable("meeting", due={"on": "2023-03-22"}, after=["report"]),
        deliverable("follow-up", after=["meeting"]),
    ]
)


def arrival(deliverable_code: str, unit: str, at, kind=SubmissionKind.RECEIVED, id=1):
    return Submission(id, deliverable_code, unit, kind, at, at)


def statuses_at(as_of, *submissions: Submission) -> dict[AssignmentRef, AssignmentStatus]:
    return {s.ref: s for s in evaluate(PLAN, submissions, as_of)}


@pytest.mark.parametrize(
    ("status", "state_type"),
    [
        (Status.OVERDUE, StateType.FAILED),
        (Status.AT_RISK, StateType.COMPLETED),
        (Status.DUE_SOON, StateType.COMPLETED),
        (Status.NOT_DUE, StateType.COMPLETED),
        (Status.OPEN, StateType.COMPLETED),
        (Status.DONE_ON_TIME, StateType.COMPLETED),
        (Status.DONE_LATE, StateType.COMPLETED),
        (Status.WAIVED, StateType.COMPLETED),
    ],
)
def test_each_status_ends_in_a_state_named_by_its_label(status, state_type) -> None:
    item = AssignmentStatus("invite", "vp", status, None, days_late=2)
    state = verdict_for(PLAN, item).to_state()
    assert (state.type, state.name) == (state_type, status.label)
    assert verdict_for(PLAN, item).state_type is state_type


def test_a_verdict_gives_a_new_state_each_time_because_prefect_adopts_it() -> None:
    verdict = verdict_for(PLAN, AssignmentStatus("invite", "vp", Status.NOT_DUE, None))
    assert verdict.to_state() is not verdict.to_state()


def test_an_overdue_message_says_how_many_days_late() -> None:
    item = statuses_at(local(2023, 3, 10, 9))[AssignmentRef("report", "d1")]
    assert item.status is Status.OVERDUE
    assert message_for(PLAN, item) == "Trễ 2 ngày so với hạn (trước ngày 09/03/2023)."


def test_a_late_arrival_message_gives_the_time_it_came() -> None:
    came = local(2023, 3, 9, 14, 30)
    item = statuses_at(local(2023, 3, 10), arrival("report", "d2", came))[
        AssignmentRef("report", "d2")
    ]
    assert message_for(PLAN, item) == (
        "Nộp lúc 09/03/2023 14:30, trễ 1 ngày so với hạn (trước ngày 09/03/2023)."
    )


def test_a_run_is_named_by_deliverable_code_and_unit_name() -> None:
    assert run_name(PLAN, AssignmentRef("report", "d3")) == "report · Đơn vị d3"


def test_the_summary_lists_nonzero_counts_most_urgent_first() -> None:
    statuses = list(
        statuses_at(local(2023, 3, 10, 9), arrival("report", "d1", local(2023, 3, 8))).values()
    )
    assert summary_message(statuses) == ("Quá hạn: 3 · Có nguy cơ chậm: 2 · Hoàn thành đúng hạn: 1")


def test_the_flow_run_name_shows_the_moment_and_the_overdue_count() -> None:
    statuses = list(statuses_at(local(2023, 3, 10, 9)).values())
    assert (
        flow_run_name(PLAN, local(2023, 3, 10, 9), statuses) == "p · 10/03/2023 09:00 · 4 quá hạn"
    )


def test_a_naive_moment_is_read_in_the_plan_timezone_and_none_is_now() -> None:
    from datetime import UTC, datetime

    assert moment_of(datetime(2023, 3, 10, 9), HCM) == local(2023, 3, 10, 9)
    now = moment_of(None, HCM)
    assert now.tzinfo is UTC and abs(datetime.now(UTC) - now) < timedelta(seconds=5)


def test_only_changed_statuses_are_news_and_everything_is_new_the_first_time() -> None:
    before = statuses_at(local(2023, 3, 10, 9))
    after = statuses_at(local(2023, 3, 10, 9), arrival("report", "d1", local(2023, 3, 10, 8)))
    previous = {ref: s.status for ref, s in before.items()}
    assert changed_statuses({}, list(after.values())) == list(after.values())
    assert changed_statuses(previous, list(before.values())) == []
    assert [s.ref for s in changed_statuses(previous, list(after.values()))] == [
        AssignmentRef("report", "d1")
    ]
