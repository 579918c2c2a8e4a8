"""Runs of the ladder for tests: statuses at a moment, the messages decided, a replay."""

from __future__ import annotations

from datetime import datetime

from models.evaluate import AssignmentStatus, evaluate
from models.plan import Plan
from notifications.ladder import DEFAULT_LADDER, Ladder, decide
from notifications.messages import Message
from notifications.sent_log import SentLog


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
