"""The two steps of telling people each run: decide and enqueue the ladder's e-mails, then
deliver those still wanted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from models.evaluate import AssignmentStatus, evaluate
from models.plan import AssignmentRef, Plan
from models.storage import store
from models.storage.locks import lock_plan
from models.storage.store import Snapshot, read_snapshot
from models.submissions import Submission, SubmissionKind, answer_to, standing_rows
from models.uploads.stored import AttachedFile
from notifications import outbox
from notifications.calendar import OfficeCalendar
from notifications.ladder import (
    Ladder,
    decide,
    extension_answer_for,
    ladder_of,
    receipt_for,
    return_notice_for,
)
from notifications.links import PersonalLinks
from notifications.messages import Message
from notifications.mime import letter
from notifications.outbox import DeliveryReport, SessionFactory
from notifications.sent_log import SentLog
from notifications.transports import Transport


@dataclass(frozen=True)
class NotifyReport:
    """What one decision did: decided, newly enqueued, and messages nobody can receive."""

    decided: int
    enqueued: tuple[str, ...]
    unreachable: tuple[str, ...] = ()  # keys of messages with no address to send to
    per_rule: Mapping[str, int] = field(default_factory=dict)  # enqueued per rule

    @property
    def already_present(self) -> int:
        return self.decided - len(self.unreachable) - len(self.enqueued)


def notify(
    session: Session,
    snapshot: Snapshot,
    statuses: Sequence[AssignmentStatus],
    as_of: datetime,
    *,
    mail_from: str,
    ladder: Ladder | None = None,
    calendar: OfficeCalendar | None = None,
    links: PersonalLinks | None = None,
) -> NotifyReport:
    """Decide the messages due at `as_of` and insert them into the outbox, each composed once
    with From `mail_from` (and each unit's personal link when `links` makes them), in the
    caller's transaction (commit it to make them deliverable). The ladder is the plan's unless
    given. Call it in a fresh transaction: on SQLite it first takes the write lock, so
    concurrent runs queue up cleanly."""
    plan = snapshot.plan
    ladder = ladder or ladder_of(plan)
    lock_plan(session, plan.code)
    plan_id = store.plan_id(session, plan.code)
    sent = outbox.sent_log(session, plan_id)
    messages = decide(plan, statuses, ladder, sent, as_of, calendar or ladder.calendar(plan.tz))
    reachable = [m for m in messages if m.to]
    letters = [letter(m, plan, mail_from, links) for m in reachable]
    enqueued = outbox.enqueue(session, plan_id, letters)
    rules = {m.key: m.rule.value for m in reachable}
    return NotifyReport(
        decided=len(messages),
        enqueued=tuple(enqueued),
        unreachable=tuple(m.key for m in messages if not m.to),
        per_rule=dict(Counter(rules[key] for key in enqueued)),
    )


# What to tell one unit at once, from the plan, its statuses at the moment and the sent log.
Compose = Callable[[Plan, Sequence[AssignmentStatus], SentLog, Snapshot], Message | None]


def _enqueue_one(
    session: Session,
    plan_code: str,
    as_of: datetime,
    compose: Compose,
    *,
    mail_from: str,
    links: PersonalLinks | None,
) -> bool:
    """Put the one message `compose` gives in the outbox now, in the caller's transaction;
    whether it was added. Its key is the one a run would give it, so a second call, or the
    next run, adds nothing. Call it in a fresh transaction: the plan is locked before
    anything is read (on SQLite, a transaction that read first could not take the write
    lock)."""
    lock_plan(session, plan_code)
    snapshot = read_snapshot(session, plan_code)
    plan = snapshot.plan
    plan_id = store.plan_id(session, plan.code)
    statuses = evaluate(plan, snapshot.submissions, as_of)
    message = compose(plan, statuses, outbox.sent_log(session, plan_id), snapshot)
    if message is None or not message.to:
        return False
    return bool(outbox.enqueue(session, plan_id, [letter(message, plan, mail_from, links)]))


def enqueue_receipt(
    session: Session,
    plan_code: str,
    ref: AssignmentRef,
    as_of: datetime,
    files: tuple[AttachedFile, ...],
    *,
    mail_from: str,
    links: PersonalLinks | None = None,
) -> bool:
    """The receipt of `ref`'s arrival, listing its `files` (a unit sent from its page)."""

    def compose(
        plan: Plan, statuses: Sequence[AssignmentStatus], sent: SentLog, _: Snapshot
    ) -> Message | None:
        return receipt_for(plan, statuses, ladder_of(plan), sent, ref, as_of, files)

    return _enqueue_one(session, plan_code, as_of, compose, mail_from=mail_from, links=links)


def enqueue_return_notice(
    session: Session,
    plan_code: str,
    ref: AssignmentRef,
    as_of: datetime,
    *,
    mail_from: str,
    links: PersonalLinks | None = None,
) -> bool:
    """The reason `ref`'s arrival was returned (a coordinator just returned it), with the
    unit's link to send again: told at once, not at the next run."""

    def compose(
        plan: Plan, statuses: Sequence[AssignmentStatus], sent: SentLog, _: Snapshot
    ) -> Message | None:
        return return_notice_for(plan, statuses, ladder_of(plan), sent, ref, as_of)

    return _enqueue_one(session, plan_code, as_of, compose, mail_from=mail_from, links=links)


def enqueue_extension_answer(
    session: Session,
    plan_code: str,
    ref: AssignmentRef,
    as_of: datetime,
    *,
    mail_from: str,
    links: PersonalLinks | None = None,
) -> bool:
    """The answer to `ref`'s latest request for more time (a coordinator just granted or
    refused it); nothing when that request is not answered at `as_of`, or its answer is in
    the outbox already (a double click, a rerun): one e-mail a request."""

    def compose(
        plan: Plan, statuses: Sequence[AssignmentStatus], sent: SentLog, snapshot: Snapshot
    ) -> Message | None:
        standing = [row for row in standing_rows(snapshot.submissions, as_of) if row.ref == ref]
        requests = [row for row in standing if row.kind is SubmissionKind.EXTENSION_REQUESTED]
        request = max(requests, key=lambda row: (row.received_at, row.id), default=None)
        answer = answer_to(request, standing) if request is not None else None
        if request is None or answer is None:
            return None
        return extension_answer_for(plan, statuses, sent, request, answer, as_of)

    return _enqueue_one(session, plan_code, as_of, compose, mail_from=mail_from, links=links)


def enqueue_decision_notice(
    session: Session,
    plan_code: str,
    decided: Submission,
    *,
    mail_from: str,
    links: PersonalLinks | None = None,
) -> bool:
    """What the unit hears at once of a coordinator's decision just recorded (the row
    `decided`, told as of its moment), from the console or the command line alike: why its
    arrival was returned, or how its request for more time was answered (a grant is an
    `extended` row, a refusal `extension_refused`); nothing for the other kinds. Whether an
    e-mail was added (a second call adds nothing: the key is the one a run would give it)."""
    ref, kind, as_of = decided.ref, decided.kind, decided.received_at
    if kind is SubmissionKind.RETURNED:
        return enqueue_return_notice(
            session, plan_code, ref, as_of, mail_from=mail_from, links=links
        )
    if kind in (SubmissionKind.EXTENDED, SubmissionKind.EXTENSION_REFUSED):
        return enqueue_extension_answer(
            session, plan_code, ref, as_of, mail_from=mail_from, links=links
        )
    return False


def deliver_due(
    session_factory: SessionFactory,
    transport: Transport,
    plan_code: str,
    now: datetime,
    *,
    mail_from: str,
    ladder: Ladder | None = None,
    office_hours_only: bool = True,
) -> DeliveryReport:
    """Send the plan's pending messages that are still wanted at `now`, in office hours only
    (the plan's ladder's, unless told otherwise): statuses are re-evaluated at `now`, so a
    reminder whose assignment was submitted meanwhile is superseded instead of sent."""
    with session_factory() as session:
        snapshot = read_snapshot(session, plan_code)
    plan = snapshot.plan
    ladder = ladder or ladder_of(plan)
    if office_hours_only and not ladder.calendar(plan.tz).is_open(now):
        return DeliveryReport(held=True)
    statuses = {s.ref: s for s in evaluate(plan, snapshot.submissions, now)}
    return outbox.send_pending(
        session_factory, transport, plan, now, mail_from=mail_from, statuses=statuses
    )
