"""Submissions as the domain sees them: append-only records of arrivals, waivers, extensions,
review decisions, acknowledgements, requests for more time and their refusals, and undos."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from models.plan import AssignmentRef


class SubmissionKind(StrEnum):
    RECEIVED = "received"  # the deliverable arrived (received_at = when it arrived)
    WAIVED = "waived"  # a coordinator excused the unit (received_at = from when)
    # A coordinator granted more time (received_at = when granted; data = the new deadline,
    # see models/extensions.py)
    EXTENDED = "extended"
    # A coordinator's review of one receipt (received_at = when decided; `undoes` names the
    # receipt decided on; note = the reason, required for a return). See models/review.py.
    ACCEPTED = "accepted"
    RETURNED = "returned"
    # The unit has seen its task (đã nhận nhiệm vụ; received_at = when it said so; data =
    # who recorded it, see models/acknowledgement.py). It changes no status: still owed.
    ACKNOWLEDGED = "acknowledged"
    # The unit asks for more time (xin gia hạn; received_at = when it asked; data = the day it
    # proposes, note = why; see models/extension_requests.py). It changes no deadline: a
    # coordinator answers with an `extended` row (the grant) or a refusal.
    EXTENSION_REQUESTED = "extension_requested"
    # A coordinator refused a request (received_at = when; `undoes` names the request, note =
    # the reason, required).
    EXTENSION_REFUSED = "extension_refused"
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
    # The row this one refers to: the row an undo cancels, the receipt a review decides on.
    # One reference column serves both (a decision is never an undo), so the foreign key, the
    # id mapping of a bulk import and the export's ordinals carry decisions unchanged.
    undoes: int | None = None
    # Figures collected (receipts); the new deadline (extensions)
    data: Mapping[str, object] = field(default_factory=dict)

    @property
    def ref(self) -> AssignmentRef:
        return AssignmentRef(self.deliverable, self.unit)

    @property
    def decides(self) -> int | None:
        """The receipt a review decision is about; None for every other kind."""
        return self.undoes if self.kind in REVIEW_KINDS else None


REVIEW_KINDS = frozenset({SubmissionKind.ACCEPTED, SubmissionKind.RETURNED})
# The kinds whose `undoes` names the row they decide on, and the kind of that row.
DECISION_TARGETS: dict[SubmissionKind, SubmissionKind] = {
    SubmissionKind.ACCEPTED: SubmissionKind.RECEIVED,
    SubmissionKind.RETURNED: SubmissionKind.RECEIVED,
    SubmissionKind.EXTENSION_REFUSED: SubmissionKind.EXTENSION_REQUESTED,
}


@dataclass(frozen=True)
class Standing:
    """What the effective submissions of one assignment say at a moment."""

    received_at: datetime | None = None  # earliest arrival still standing
    waived: bool = False
    data: Mapping[str, object] = field(default_factory=dict)  # that arrival's figures
    extensions: tuple[Submission, ...] = ()  # standing extensions, in order of effect
    accepted: bool = False  # that arrival was accepted by a review
    # The latest standing return, when no arrival stands since (the assignment is open again)
    returned: Submission | None = None
    # The earliest standing acknowledgement: the unit has seen its task since then
    acknowledged: Submission | None = None
    # The unit's request for more time no coordinator has answered yet (pending_request)
    extension_request: Submission | None = None


def standing_rows(submissions: Iterable[Submission], as_of: datetime) -> list[Submission]:
    """Receipts, waivers, extensions, decisions and acknowledgements in effect at `as_of`:
    effective by then and not undone by then.

    Only rows with received_at ≤ as_of count, so replaying a past day gives that day's answer.
    """
    effective = [s for s in submissions if s.received_at <= as_of]
    undone = {s.undoes for s in effective if s.kind is SubmissionKind.UNDO}
    return [s for s in effective if s.kind is not SubmissionKind.UNDO and s.id not in undone]


def standings(submissions: Iterable[Submission], as_of: datetime) -> dict[AssignmentRef, Standing]:
    """Per assignment, what stands at `as_of`: the arrival that counts (the earliest accepted
    one not returned, else the earliest not returned), waived or not, the extensions granted,
    the return that reopened it when nothing arrived since, and since when the unit has
    acknowledged it."""
    rows: dict[AssignmentRef, list[Submission]] = {}
    for s in standing_rows(submissions, as_of):
        rows.setdefault(s.ref, []).append(s)
    return {ref: _standing(mine) for ref, mine in rows.items()}


def _standing(mine: list[Submission]) -> Standing:
    receipts = {s.id: s for s in mine if s.kind is SubmissionKind.RECEIVED}
    # A decision about a receipt no longer standing (undone) decides nothing.
    decisions = [s for s in mine if s.kind in REVIEW_KINDS and s.undoes in receipts]
    returned = {s.undoes for s in decisions if s.kind is SubmissionKind.RETURNED}
    accepted = {s.undoes for s in decisions if s.kind is SubmissionKind.ACCEPTED}
    live = [r for r in receipts.values() if r.id not in returned]
    counted = min(live, key=lambda r: (r.id not in accepted, r.received_at, r.id), default=None)
    returns = [s for s in decisions if s.kind is SubmissionKind.RETURNED]
    extensions = sorted(
        (s for s in mine if s.kind is SubmissionKind.EXTENDED), key=lambda e: (e.received_at, e.id)
    )
    acknowledgements = [s for s in mine if s.kind is SubmissionKind.ACKNOWLEDGED]
    return Standing(
        received_at=counted.received_at if counted else None,
        waived=any(s.kind is SubmissionKind.WAIVED for s in mine),
        data=counted.data if counted else {},
        extensions=tuple(extensions),
        accepted=counted is not None and counted.id in accepted,
        returned=None if counted else max(returns, key=_order, default=None),
        acknowledged=min(acknowledgements, key=_order, default=None),
        extension_request=pending_request(mine),
    )


def pending_request(standing: Iterable[Submission]) -> Submission | None:
    """Among one assignment's standing rows, the latest request for more time, unless it is
    answered: by a standing refusal naming it, or by an extension granted after it (a grant
    undone leaves the request waiting again)."""
    rows = list(standing)
    requests = [s for s in rows if s.kind is SubmissionKind.EXTENSION_REQUESTED]
    latest = max(requests, key=_order, default=None)
    if latest is None or answer_to(latest, rows) is not None:
        return None
    return latest


def answer_to(request: Submission, standing: Iterable[Submission]) -> Submission | None:
    """The standing row that answers `request`: the first extension granted after it, or
    the refusal naming it; None while it waits."""
    answers = [
        s
        for s in standing
        if (s.kind is SubmissionKind.EXTENSION_REFUSED and s.undoes == request.id)
        or (s.kind is SubmissionKind.EXTENDED and _order(s) > _order(request))
    ]
    return min(answers, key=_order, default=None)


def _order(row: Submission) -> tuple[datetime, int]:
    return (row.received_at, row.id)


def live_receipts(submissions: Iterable[Submission], as_of: datetime) -> list[Submission]:
    """The receipts standing at `as_of` that no standing return sent back."""
    standing = standing_rows(submissions, as_of)
    returned = {s.undoes for s in standing if s.kind is SubmissionKind.RETURNED}
    return [s for s in standing if s.kind is SubmissionKind.RECEIVED and s.id not in returned]


def awaiting_review(
    submissions: Iterable[Submission], as_of: datetime
) -> dict[AssignmentRef, Submission]:
    """Per assignment, the arrival a coordinator has yet to decide on at `as_of`: the latest
    receipt standing then, when no decision standing then names it. It is the receipt
    `recording` would accept or return, so a list made from this offers exactly the decisions
    that can be recorded (under either policy: on arrival it counts already, but may still be
    returned)."""
    standing = standing_rows(submissions, as_of)
    decided = {row.undoes for row in standing if row.kind in REVIEW_KINDS}
    latest: dict[AssignmentRef, Submission] = {}
    for row in standing:
        if row.kind is not SubmissionKind.RECEIVED:
            continue
        known = latest.get(row.ref)
        if known is None or (row.received_at, row.id) > (known.received_at, known.id):
            latest[row.ref] = row
    return {ref: receipt for ref, receipt in latest.items() if receipt.id not in decided}
