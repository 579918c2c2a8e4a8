"""Statuses as Prefect states, the chain's nodes and run names: pure mapping, no server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from prefect.client.schemas.objects import StateType

from flows.chain import deliverable_state, node_state
from flows.chain_view import STATUS_TAGS, ascii_text, chain_view
from flows.events import changed_statuses
from flows.states import flow_run_name, message_for, summary_message
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
        (Status.RETURNED, StateType.COMPLETED),  # named "Bị trả lại"; its lateness is told apart
        (Status.IN_REVIEW, StateType.COMPLETED),
    ],
)
def test_each_status_ends_in_a_state_named_by_its_label_and_tagged_with_it(
    status, state_type
) -> None:
    item = AssignmentStatus("invite", "vp", status, None, days_late=2)
    [node] = chain_view(PLAN, [item])[0].nodes
    state = node_state(node)
    assert (state.type, state.name) == (state_type, status.label)
    assert node.tag == STATUS_TAGS[status] and node.tag.isascii()


def test_a_returned_assignment_says_why_and_how_late_in_its_message() -> None:
    item = AssignmentStatus(
        "invite", "vp", Status.RETURNED, None, days_late=2, return_note="thiếu số liệu"
    )
    assert (
        message_for(PLAN, item)
        == "Bị trả lại: thiếu số liệu; chưa nộp lại (hạn: không có hạn, trễ 2 ngày)."
    )


def test_a_node_gives_a_new_state_each_time_because_prefect_adopts_it() -> None:
    [node] = chain_view(PLAN, [AssignmentStatus("invite", "vp", Status.NOT_DUE, None)])[0].nodes
    assert node_state(node) is not node_state(node)


def test_status_tags_are_distinct_and_cover_every_status() -> None:
    assert set(STATUS_TAGS) == set(Status)
    assert len(set(STATUS_TAGS.values())) == len(Status)


def test_the_chain_has_a_node_per_deliverable_in_its_worst_units_state() -> None:
    statuses = list(
        statuses_at(local(2023, 3, 10, 9), arrival("report", "d1", local(2023, 3, 8))).values()
    )
    chain = chain_view(PLAN, statuses)
    assert [node.code for node in chain] == ["invite", "report", "meeting", "follow-up"]
    report = chain[1]
    assert report.after == ("invite",)
    assert (report.state_name, report.run_name) == ("Quá hạn 2/3", "report (Qua han 2/3)")
    state = deliverable_state(report)
    assert (state.type, state.name) == (StateType.FAILED, "Quá hạn 2/3")
    assert report.tags == ("qua-han", "dung-han")
    assert [n.run_name for n in report.nodes] == [
        "report - Don vi d1",
        "report - Don vi d2",
        "report - Don vi d3",
    ]
    assert chain[2].state_name == "Có nguy cơ chậm 1/1"
    assert deliverable_state(chain[2]).type is StateType.COMPLETED


def test_a_big_chain_has_a_node_per_status_naming_its_units() -> None:
    statuses = list(
        statuses_at(local(2023, 3, 10, 9), arrival("report", "d1", local(2023, 3, 8))).values()
    )
    report = chain_view(PLAN, statuses, per_assignment=False)[1]
    assert [(n.run_name, n.status) for n in report.nodes] == [
        ("report - Qua han (2 don vi)", Status.OVERDUE),
        ("report - Hoan thanh dung han (1 don vi)", Status.DONE_ON_TIME),
    ]
    assert report.nodes[0].message == "Quá hạn: Đơn vị d2, Đơn vị d3."


def test_names_in_the_graph_are_ascii_without_losing_the_letters() -> None:
    assert ascii_text("Huyện ủy Đức Thọ") == "Huyen uy Duc Tho"
    assert ascii_text("Ban Tổ chức Tỉnh ủy · Hà Tĩnh") == "Ban To chuc Tinh uy Ha Tinh"


@given(st.text())
def test_ascii_text_is_always_ascii_on_one_line(text: str) -> None:
    shown = ascii_text(text)
    assert shown.isascii() and "\n" not in shown and shown == shown.strip()


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


def test_the_summary_lists_nonzero_counts_most_urgent_first() -> None:
    statuses = list(
        statuses_at(local(2023, 3, 10, 9), arrival("report", "d1", local(2023, 3, 8))).values()
    )
    assert summary_message(statuses) == ("Quá hạn: 3 · Có nguy cơ chậm: 2 · Hoàn thành đúng hạn: 1")


def test_the_flow_run_name_shows_the_moment_and_the_overdue_count() -> None:
    statuses = list(statuses_at(local(2023, 3, 10, 9)).values())
    assert flow_run_name(PLAN, local(2023, 3, 10, 9), statuses) == (
        "p · 10/03/2023 09:00 · 4 quá hạn · 2 nguy cơ"
    )
    early = list(statuses_at(local(2023, 3, 1, 9)).values())
    assert flow_run_name(PLAN, local(2023, 3, 1, 9), early) == "p · 01/03/2023 09:00 · 0 quá hạn"


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
