"""Small plans for the ladder tests: an office, three districts with heads, one leader."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from models.evaluate import AssignmentStatus, evaluate
from models.loader import read_plan_text
from models.plan import Plan
from models.submissions import Submission, SubmissionKind
from notifications.ladder import DEFAULT_LADDER, Ladder, decide
from notifications.messages import Message
from notifications.sent_log import SentLog
from tests.builders import HCM, deliverable

UNITS = [
    {
        "code": "vp",
        "name": "Văn phòng",
        "email": "vp@x.example",
        "head_email": "chanh.vp@x.example",
    },
    {"code": "lead", "name": "Thường trực", "email": "tt@x.example"},
    *(
        {
            "code": c,
            "name": f"Huyện {c}",
            "email": f"{c}@x.example",
            "head_email": f"bt.{c}@x.example",
        }
        for c in ("d1", "d2", "d3")
    ),
]


def ladder_plan(deliverables: list[dict[str, Any]], **top: Any) -> Plan:
    document = {
        "code": "p",
        "title": "Kế hoạch thử",
        "coordinator": "vp",
        "leaders": ["lead"],
        "units": UNITS,
        "groups": {"huyen": ["d1", "d2", "d3"]},
        "deliverables": deliverables,
        **top,
    }
    return read_plan_text(json.dumps(document, default=str, ensure_ascii=False), "t.yaml").plan


REPORT = deliverable("report", "group:huyen", to="vp", due={"before": "2023-03-09"})


def received(deliverable_code: str, unit: str, at: datetime, number: int = 1) -> Submission:
    return Submission(number, deliverable_code, unit, SubmissionKind.RECEIVED, at, at)


def statuses_at(plan: Plan, as_of: datetime, submissions=()) -> list[AssignmentStatus]:
    return evaluate(plan, list(submissions), as_of)


def decide_at(
    plan: Plan,
    as_of: datetime,
    submissions=(),
    sent: SentLog | None = None,
    ladder: Ladder = DEFAULT_LADDER,
) -> list[Message]:
    return decide(plan, statuses_at(plan, as_of, submissions), ladder, sent or SentLog(), as_of)


def replay(
    plan: Plan, moments: list[datetime], submissions=(), ladder: Ladder = DEFAULT_LADDER
) -> list[tuple[datetime, Message]]:
    """Decide at each moment in turn, every decided key going into the log (as enqueue does)."""
    entries: list[tuple[str, datetime]] = []
    decided: list[tuple[datetime, Message]] = []
    for as_of in moments:
        log = SentLog.from_entries(entries)
        effective = [s for s in submissions if s.received_at <= as_of]
        for message in decide_at(plan, as_of, effective, log, ladder):
            entries.append((message.key, message.decided_at))
            decided.append((as_of, message))
    return decided


def at(day: int, hour: int = 7, minute: int = 30, month: int = 3, year: int = 2023) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HCM)
