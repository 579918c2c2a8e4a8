"""How a tracking run looks in the Prefect UI: run names, and a state per assignment status."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from prefect.client.schemas.objects import State, StateType
from prefect.states import Completed, Failed

from models.evaluate import AssignmentStatus, summarize
from models.moments import local_text
from models.plan import AssignmentRef, Plan
from models.statuses import Status

# Only lateness is red. Prefect has no terminal "warning" type (terminal types are COMPLETED,
# FAILED, CANCELLED, CRASHED), so at_risk is Completed and carries its label as the state name.
FAILING: frozenset[Status] = frozenset({Status.OVERDUE})


@dataclass(frozen=True)
class Verdict:
    """What one assignment's task run shows: its name in the graph and the state it ends in."""

    run_name: str
    status: Status
    message: str

    @property
    def state_type(self) -> StateType:
        return StateType.FAILED if self.status in FAILING else StateType.COMPLETED

    def to_state(self) -> State:
        """A new state on each call: Prefect adopts a returned state only while it has no run id."""
        make = Failed if self.status in FAILING else Completed
        return make(name=self.status.label, message=self.message)


def run_name(plan: Plan, ref: AssignmentRef) -> str:
    """`bc-huyen · Huyện ủy Hương Khê`: the deliverable code and the owing unit's name."""
    return f"{ref.deliverable} · {plan.unit_name(ref.unit)}"


def verdict_for(plan: Plan, assignment: AssignmentStatus) -> Verdict:
    return Verdict(run_name(plan, assignment.ref), assignment.status, message_for(plan, assignment))


def message_for(plan: Plan, assignment: AssignmentStatus) -> str:
    """One Vietnamese sentence: what the status means for this assignment."""
    status = assignment.status
    due = assignment.deadline.label() if assignment.deadline else "không có hạn"
    arrived = local_text(assignment.submitted_at, plan.tz)
    if status is Status.OVERDUE:
        return f"Trễ {assignment.days_late} ngày so với hạn ({due})."
    if status is Status.DONE_LATE:
        return f"Nộp lúc {arrived}, trễ {assignment.days_late} ngày so với hạn ({due})."
    if status is Status.DONE_ON_TIME:
        return f"Nộp lúc {arrived}, đúng hạn ({due})."
    if status is Status.AT_RISK:
        return f"Chưa nộp; một nhiệm vụ phải xong trước đang quá hạn (hạn: {due})."
    if status is Status.WAIVED:
        return "Được miễn."
    if status is Status.OPEN:
        return "Không có hạn."
    return f"Chưa nộp; hạn: {due}."


def summary_message(statuses: Iterable[AssignmentStatus]) -> str:
    """`Quá hạn: 18 · Có nguy cơ chậm: 3 · …` in display order, zero counts left out."""
    counts = summarize(statuses)
    return " · ".join(f"{status.label}: {count}" for status, count in counts.items() if count)


def flow_run_name(plan: Plan, as_of: datetime, statuses: Iterable[AssignmentStatus]) -> str:
    """`gap-mat-2023 · 10/03/2023 09:00 · 18 quá hạn`: lateness visible in the runs list."""
    overdue = sum(1 for s in statuses if s.status is Status.OVERDUE)
    return f"{plan.code} · {local_text(as_of, plan.tz)} · {overdue} quá hạn"
