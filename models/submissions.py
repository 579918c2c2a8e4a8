"""Submissions as the domain sees them: append-only records of arrivals, waivers, extensions
and undos."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from models.plan import AssignmentRef


class SubmissionKind(StrEnum):
    RECEIVED = "received"  # the deliverable arrived (received_at = when it arrived)
    WAIVED = "waived"  # a coordinator excused the unit (received_at = from when)
    # A coordinator granted more time (received_at = when granted; data = the new deadline,
    # see models/extensions.py)
    EXTENDED = "extended"
    UNDO = "undo"  # cancels the row `undoes` from received_at on; nothing is ever deleted


@dataclass(frozen=True)
class Submission:
    """One append-only row. `received_at` is when it takes effect; `recorded_at` when typed in."""

    id: int
    deliverable: str
    unit: str
    kind: SubmissionKind
    received_at: datetime
    recorded_at: datetime
    recorded_by: str = ""
    note: str = ""
    undoes: int | None = None
    # Figures collected (receipts); the new deadline (extensions)
    data: Mapping[str, object] = field(default_factory=dict)

    @property
    def ref(self) -> AssignmentRef:
        return AssignmentRef(self.deliverable, self.unit)


@dataclass(frozen=True)
class Standing:
    """What the effective submissions of one assignment say at a moment."""

    received_at: datetime | None = None  # earliest arrival still standing
    waived: bool = False
    data: Mapping[str, object] = field(default_factory=dict)  # that arrival's figures
    extensions: tuple[Submission, ...] = ()  # standing extensions, in order of effect


def standing_rows(submissions: Iterable[Submission], as_of: datetime) -> list[Submission]:
    """Receipts, waivers and extensions in effect at `as_of`: effective by then and not undone
    by then.

    Only rows with received_at ≤ as_of count, so replaying a past day gives that day's answer.
    """
    effective = [s for s in submissions if s.received_at <= as_of]
    undone = {s.undoes for s in effective if s.kind is SubmissionKind.UNDO}
    return [s for s in effective if s.kind is not SubmissionKind.UNDO and s.id not in undone]


def standings(submissions: Iterable[Submission], as_of: datetime) -> dict[AssignmentRef, Standing]:
    """Per assignment, what stands at `as_of` (earliest standing arrival, waived or not, the
    extensions granted)."""
    result: dict[AssignmentRef, Standing] = {}
    for s in standing_rows(submissions, as_of):
        current = result.get(s.ref, Standing())
        if s.kind is SubmissionKind.WAIVED:
            result[s.ref] = Standing(current.received_at, True, current.data, current.extensions)
        elif s.kind is SubmissionKind.EXTENDED:
            granted = sorted((*current.extensions, s), key=lambda e: (e.received_at, e.id))
            result[s.ref] = replace(current, extensions=tuple(granted))
        elif current.received_at is None or s.received_at < current.received_at:
            result[s.ref] = Standing(s.received_at, current.waived, s.data, current.extensions)
    return result
