"""Status of every assignment at an explicit moment: the pure heart of dondoc."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from models.deadlines import Deadline, days_late
from models.extension_requests import ExtensionRequest, stored_request
from models.extensions import deadline_in_force
from models.fields import Value, usable_values
from models.plan import AssignmentRef, Deliverable, Plan
from models.review import ReviewPolicy
from models.statuses import Status
from models.submissions import Standing, Submission, standings


@dataclass(frozen=True)
class AssignmentStatus:
    """One assignment's status at `as_of`, with what a person needs to act on it."""

    deliverable: str
    unit: str
    status: Status
    # The deadline that counts: an extension's (with the plan's as `deadline.original`) from
    # its grant on, else the plan's. A delivered assignment is judged by the one in force
    # when it arrived.
    deadline: Deadline | None
    submitted_at: datetime | None = None
    days_late: int | None = None
    data: Mapping[str, Value] = field(default_factory=dict)  # figures sent, read by their fields
    # The overdue assignments this one waits on, directly or through unsettled ones (a
    # delivered prerequisite holds nothing up); empty once settled. Computed here, once, for
    # the board, the ladder's at-risk notices and everything else that says "waiting on".
    waiting_on: tuple[AssignmentRef, ...] = ()
    # Stored figures the plan's fields cannot read (`data` holds only those it can).
    unusable: tuple[str, ...] = ()
    # When a review sent the last arrival back, and why (status `returned`); None otherwise.
    returned_at: datetime | None = None
    return_note: str = ""
    # Since when the unit has said it has seen its task (đã nhận nhiệm vụ); None: not (yet)
    # at `as_of`. It changes nothing else: an acknowledged assignment is still owed.
    acknowledged_at: datetime | None = None
    # The unit's request for more time waiting for an answer at `as_of` (xin gia hạn: the day
    # it proposes, why, when); None when there is none, or nothing is owed any more. It
    # changes nothing else: the deadline stays the one in force until a grant.
    extension_request: ExtensionRequest | None = None
    # A deadline counted from another deliverable's arrival, that arrival not there yet at
    # `as_of` ("2 ngày làm việc sau khi Tờ trình được nộp (chưa xác định)"); `deadline` is
    # then None and nothing is due yet. Empty otherwise.
    pending_deadline: str = ""

    def deadline_text(self, without: str = "không có hạn") -> str:
        """The deadline as people read it: its label, the wording of one not determined yet,
        else `without`."""
        if self.deadline is not None:
            return self.deadline.label()
        return self.pending_deadline or without

    @property
    def ref(self) -> AssignmentRef:
        return AssignmentRef(self.deliverable, self.unit)

    @property
    def is_overdue(self) -> bool:
        """Owed and past the deadline in force: overdue, or returned after (or until) it passed
        (`days_late` is then set). What notices, the late lists and the at-risk chain count."""
        if self.status is Status.RETURNED:
            return self.days_late is not None
        return self.status is Status.OVERDUE

    @property
    def unacknowledged(self) -> bool:
        """The unit still owes it and has not said it has seen it: who to call first."""
        return self.status.awaits_unit and self.acknowledged_at is None

    @property
    def original_deadline(self) -> Deadline | None:
        """The plan's deadline when an extension moved it; None otherwise."""
        return self.deadline.original if self.deadline else None

    @property
    def extended(self) -> bool:
        """An extension (gia hạn) sets the deadline that counts."""
        return self.original_deadline is not None


def evaluate(
    plan: Plan, submissions: Iterable[Submission], as_of: datetime
) -> list[AssignmentStatus]:
    """Statuses in the plan's assignment order (prerequisites first).

    Precedence: waived > done (in_review instead, under `review: on_acceptance`, until
    accepted) > returned (a review sent the last arrival back; late too once the deadline
    passes) > overdue > at_risk (a transitive prerequisite is overdue) > due_soon > not_due;
    `open` when there is no deadline and nothing upstream is overdue. Only submissions
    effective at or before `as_of` count, extensions, review decisions and acknowledgements
    included: one made after `as_of` is unknown yet. An acknowledgement sets
    `acknowledged_at` and nothing else; a request for more time sets `extension_request` and
    nothing else. A deadline counted from another deliverable's arrival (`within_days`) is
    fixed by that arrival as it stands at `as_of`; until then it is undetermined and the
    assignment `not_due` (never due soon, at risk or overdue), its wording in
    `pending_deadline`. O(assignments + edges).
    """
    if as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware")
    standing = standings(submissions, as_of)
    warning = timedelta(days=plan.warning_days)
    late_here: dict[AssignmentRef, bool] = {}  # overdue itself, or waiting on something overdue
    late_any: dict[str, bool] = {}  # same, for any unit of a deliverable
    found: dict[AssignmentRef, AssignmentStatus] = {}
    results: list[AssignmentStatus] = []
    for deliverable in plan.deliverables.values():
        fixed_by = _ArrivalDeadlines(plan, deliverable, standing)
        for unit in deliverable.owners:
            ref = AssignmentRef(deliverable.code, unit)
            blocked = any(
                late_here[AssignmentRef(p, unit)]
                if plan.links_per_unit(p, deliverable.code)
                else late_any[p]
                for p in deliverable.after
            )
            mine = standing.get(ref)
            deadline, pending = fixed_by.deadline(unit)
            own = _own_deadline(deadline, mine, as_of, plan) if mine else deadline
            # Undetermined: nothing is due yet, nor at risk of being late (no date to miss).
            status = _status_of(mine, own, as_of, warning, blocked and not pending, plan.review)
            if pending and status is Status.OPEN:
                status = Status.NOT_DUE
            waits = _waiting_on(plan, ref, found) if blocked and status.awaits_unit else ()
            item = _describe(ref, status, deliverable, own, mine, as_of, waits, pending)
            late_here[ref] = item.is_overdue or (blocked and status.awaits_unit)
            found[ref] = item
            results.append(item)
        late_any[deliverable.code] = any(
            late_here[AssignmentRef(deliverable.code, u)] for u in deliverable.owners
        )
    return results


class _ArrivalDeadlines:
    """Per unit, the deadline of one deliverable: the plan's, or the one its upstream's
    arrival fixes (`within_days … after_arrival_of`) as it stands: (deadline, "") or, until
    that arrival, (None, the undetermined wording)."""

    def __init__(
        self, plan: Plan, deliverable: Deliverable, standing: Mapping[AssignmentRef, Standing]
    ):
        self.plan, self.deliverable, self.standing = plan, deliverable, standing
        rule = deliverable.arrival
        self.per_unit = rule is not None and plan.links_per_unit(rule.upstream, deliverable.code)
        self.shared = None if rule is None or self.per_unit else self._arrived(rule.upstream, None)

    def deadline(self, unit: str) -> tuple[Deadline | None, str]:
        rule = self.deliverable.arrival
        if rule is None:
            return self.deliverable.deadline, ""
        arrived = self._arrived(rule.upstream, unit) if self.per_unit else self.shared
        if arrived is None:
            return None, rule.undetermined_label()
        return rule.deadline(arrived, self.plan.tz), ""

    def _arrived(self, upstream: str, unit: str | None) -> datetime | None:
        """When `upstream` arrived for `unit` (None: for all its units, the latest arrival;
        units excused do not count), None until it has."""
        units = (unit,) if unit is not None else self.plan.deliverables[upstream].owners
        arrivals = []
        for owner in units:
            found = self.standing.get(AssignmentRef(upstream, owner))
            if found is not None and found.waived:
                continue
            if found is None or found.received_at is None:
                return None
            arrivals.append(found.received_at)
        return max(arrivals, default=None)


def _own_deadline(
    deadline: Deadline | None, standing: Standing, as_of: datetime, plan: Plan
) -> Deadline | None:
    """The deadline in force for one assignment: at its arrival when it arrived (an extension
    granted afterwards cannot make a late arrival on time), else at `as_of`."""
    if not standing.extensions:
        return deadline
    moment = standing.received_at or as_of
    return deadline_in_force(deadline, standing.extensions, moment, plan.tz)


def _waiting_on(
    plan: Plan, ref: AssignmentRef, found: Mapping[AssignmentRef, AssignmentStatus]
) -> tuple[AssignmentRef, ...]:
    """The overdue assignments `ref` waits on: each unsettled prerequisite that is overdue,
    and what each unsettled prerequisite itself waits on (known: prerequisites come first)."""
    reached: dict[AssignmentRef, None] = {}
    for prerequisite in plan.prerequisites_of(ref):
        upstream = found[prerequisite]
        if upstream.status.is_settled:
            continue
        if upstream.is_overdue:
            reached[prerequisite] = None
        reached.update(dict.fromkeys(upstream.waiting_on))
    return tuple(reached)


def _status_of(
    standing: Standing | None,
    deadline: Deadline | None,
    as_of: datetime,
    warning: timedelta,
    blocked: bool,
    review: ReviewPolicy = ReviewPolicy.ON_ARRIVAL,
) -> Status:
    if standing and standing.waived:
        return Status.WAIVED
    if standing and standing.received_at is not None:
        if review is ReviewPolicy.ON_ACCEPTANCE and not standing.accepted:
            return Status.IN_REVIEW
        late = deadline is not None and standing.received_at >= deadline.due_at
        return Status.DONE_LATE if late else Status.DONE_ON_TIME
    if standing and standing.returned is not None:
        return Status.RETURNED
    if deadline is not None and as_of >= deadline.due_at:
        return Status.OVERDUE
    if blocked:
        return Status.AT_RISK
    if deadline is None:
        return Status.OPEN
    return Status.DUE_SOON if as_of >= deadline.due_at - warning else Status.NOT_DUE


def _describe(
    ref: AssignmentRef,
    status: Status,
    deliverable: Deliverable,
    deadline: Deadline | None,
    standing: Standing | None,
    as_of: datetime,
    waiting_on: tuple[AssignmentRef, ...] = (),
    pending: str = "",
) -> AssignmentStatus:
    submitted_at = standing.received_at if standing else None
    late: int | None = None
    past_due = deadline is not None and as_of >= deadline.due_at
    if status in (Status.OVERDUE, Status.RETURNED) and deadline and past_due:
        late = days_late(deadline.due_at, as_of)
    elif status is Status.DONE_LATE and deadline and submitted_at:
        late = days_late(deadline.due_at, submitted_at)
    stored = standing.data if standing and submitted_at else {}
    data, unusable = usable_values(deliverable.fields, stored) if stored else ({}, ())
    returned = standing.returned if standing else None
    acknowledged = standing.acknowledged if standing else None
    asked = standing.extension_request if standing and status.awaits_unit else None
    return AssignmentStatus(
        ref.deliverable, ref.unit, status, deadline, submitted_at, late, data, waiting_on, unusable,
        returned.received_at if returned else None, returned.note if returned else "",
        acknowledged.received_at if acknowledged else None,
        stored_request(asked) if asked else None, pending,
    )  # fmt: skip


def done_percent(statuses: Sequence[AssignmentStatus]) -> float:
    """Share of assignments settled (delivered, on time or late, or waived), 0–100 with one
    decimal; 100 for a plan with nothing to do."""
    if not statuses:
        return 100.0
    settled = sum(1 for s in statuses if s.status.is_settled)
    return round(100 * settled / len(statuses), 1)


def extended_summary(statuses: Iterable[AssignmentStatus]) -> dict[Status, int]:
    """Count per status of the extended assignments alone (zeros left out): the summary counts
    them with the rest, this says how many of its "on time" were on time by a new date."""
    counts: dict[Status, int] = {}
    for item in statuses:
        if item.extended:
            counts[item.status] = counts.get(item.status, 0) + 1
    return counts


def unacknowledged_count(statuses: Iterable[AssignmentStatus]) -> int:
    """How many assignments the units still owe without having said they have seen them."""
    return sum(1 for item in statuses if item.unacknowledged)


def summarize(statuses: Iterable[AssignmentStatus]) -> dict[Status, int]:
    """Count per status, every status present (zero included) in display order."""
    from models.statuses import DISPLAY_ORDER

    counts = dict.fromkeys(DISPLAY_ORDER, 0)
    for item in statuses:
        counts[item.status] += 1
    return counts
