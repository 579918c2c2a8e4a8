"""How a tracking run reads in the Prefect UI: the run's name and message, a sentence per status."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from models.evaluate import AssignmentStatus, summarize
from models.moments import local_text
from models.plan import Plan
from models.statuses import Status


def message_for(plan: Plan, assignment: AssignmentStatus) -> str:
    """One Vietnamese sentence: what the status means for this assignment."""
    status = assignment.status
    due = assignment.deadline_text()
    arrived = local_text(assignment.submitted_at, plan.tz)
    if status is Status.OVERDUE:
        return f"Trễ {assignment.days_late} ngày so với hạn ({due})."
    if status is Status.DONE_LATE:
        return f"Nộp lúc {arrived}, trễ {assignment.days_late} ngày so với hạn ({due})."
    if status is Status.DONE_ON_TIME:
        return f"Nộp lúc {arrived}, đúng hạn ({due})."
    if status is Status.AT_RISK:
        late = "Chưa nộp; một nhiệm vụ phải xong trước đang quá hạn"
        return f"{late} (hạn: {due})." if assignment.deadline else f"{late}."
    if status is Status.WAIVED:
        return "Được miễn."
    if status is Status.RETURNED:
        late = f", trễ {assignment.days_late} ngày" if assignment.days_late else ""
        return f"Bị trả lại: {assignment.return_note}; chưa nộp lại (hạn: {due}{late})."
    if status is Status.IN_REVIEW:
        return f"Nộp lúc {arrived}, chờ duyệt (hạn: {due})."
    if status is Status.OPEN:
        return "Không có hạn."
    return f"Chưa nộp; hạn: {due}."


def summary_message(statuses: Iterable[AssignmentStatus]) -> str:
    """`Quá hạn: 18 · Có nguy cơ chậm: 3 · …` in display order, zero counts left out."""
    counts = summarize(statuses)
    return " · ".join(f"{status.label}: {count}" for status, count in counts.items() if count)


def flow_run_name(plan: Plan, as_of: datetime, statuses: Iterable[AssignmentStatus]) -> str:
    """`gap-mat-2023 · 10/03/2023 09:00 · 18 quá hạn · 3 nguy cơ`: lateness visible in the
    runs list (at risk only when there is some)."""
    counts = summarize(statuses)
    name = f"{plan.code} · {local_text(as_of, plan.tz)} · {counts[Status.OVERDUE]} quá hạn"
    at_risk = counts[Status.AT_RISK]
    return f"{name} · {at_risk} nguy cơ" if at_risk else name
