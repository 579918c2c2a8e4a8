"""The transactional outbox: decided messages as rows with a unique key, then sent once each.

Exactly once, as far as a database and a mail server can promise it:
- `enqueue` inserts in the caller's transaction, skipping keys already present (ON CONFLICT
  DO NOTHING), so a second run, or two at once, cannot decide a message twice.
- `deliver` sends pending rows in creation order, one short transaction per message: claim
  the row (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the write lock), hand it to the
  transport, mark it sent, commit. A crash before the transport accepts leaves it pending
  (sent next run); the one at-least-once window is between the server's "250 OK" and that
  commit — a single UPDATE by primary key.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from models.errors import NotFoundError
from models.evaluate import AssignmentStatus
from models.plan import AssignmentRef, Plan
from models.tables import NotificationRow, NotificationStatus, PlanRow
from notifications.ladder import collapse, superseded
from notifications.messages import Message
from notifications.render import Mail, Rendered, as_bytes, calendar_event, compose, sender_address
from notifications.rules import Rule
from notifications.sent_log import SentLog
from notifications.transports import Outgoing, PermanentFailure, TemporaryFailure, Transport

SessionFactory = Callable[[], AbstractContextManager[Session]]
INSERT_CHUNK = 500  # rows per INSERT statement (SQLite caps bound parameters)
# Until the status CHECK allows 'superseded', a superseded row is 'failed' with this prefix.
SUPERSEDED = "superseded: "
LOCK_CLASS = 0x646F6E  # "don": pg_advisory_xact_lock(class, plan id) namespace


@dataclass(frozen=True)
class Envelope:
    """What the `recipients` column holds (JSON): To, Cc and the thread's first key."""

    to: tuple[str, ...]
    cc: tuple[str, ...] = ()
    thread: str | None = None

    def dumps(self) -> str:
        document = {"to": list(self.to), "cc": list(self.cc), "thread": self.thread}
        return json.dumps(document, ensure_ascii=False)

    @classmethod
    def loads(cls, stored: str) -> Envelope:
        document = json.loads(stored)
        return cls(tuple(document["to"]), tuple(document.get("cc", ())), document.get("thread"))


def plan_id_of(session: Session, code: str) -> int:
    found = session.exec(select(PlanRow.id).where(PlanRow.code == code)).first()
    if found is None:
        raise NotFoundError("plan", code)
    return found


def lock(session: Session, plan_code: str) -> None:
    """Serialize the decide-and-enqueue of one plan: a second run waits, then sees the first's
    rows. Must be the transaction's first statement. SQLite: take the database write lock (a
    no-op UPDATE; a read first would make SQLite refuse the upgrade at once rather than wait).
    PostgreSQL: a transaction-scoped advisory lock on the plan."""
    if session.get_bind().dialect.name != "postgresql":
        _take_sqlite_write_lock(session)
        return
    statement = text(
        "SELECT pg_advisory_xact_lock(:class_id, (SELECT id FROM plan WHERE code = :code))"
    )
    session.exec(statement, params={"class_id": LOCK_CLASS, "code": plan_code})  # type: ignore[call-overload]


def _take_sqlite_write_lock(session: Session) -> None:
    """A write that changes nothing still makes SQLite take the write lock (waiting up to the
    busy timeout), as BEGIN IMMEDIATE would."""
    session.connection().exec_driver_sql("UPDATE notification SET attempts = attempts WHERE 0 = 1")


def sent_log(session: Session, plan_id: int) -> SentLog:
    """Every key of the plan's outbox, whatever its status, in insertion order."""
    statement = (
        select(NotificationRow.key, NotificationRow.created_at)
        .where(NotificationRow.plan_id == plan_id)
        .order_by(NotificationRow.id)
    )
    return SentLog.from_entries(session.exec(statement))


def row_fields(plan_id: int, message: Message, rendered: Rendered) -> dict[str, object]:
    return {
        "plan_id": plan_id,
        "key": message.key,
        "rule": message.rule.value,
        "deliverable_code": message.deliverable,
        "unit_code": message.unit,
        "recipients": Envelope(message.to, message.cc, message.thread).dumps(),
        "subject": rendered.subject,
        "body_text": rendered.text,
        "body_html": rendered.html,
        "status": NotificationStatus.PENDING.value,
        "attempts": 0,
        "created_at": message.decided_at,
    }


def enqueue(
    session: Session, plan_id: int, letters: Iterable[tuple[Message, Rendered]]
) -> list[str]:
    """Insert the letters not yet in the outbox; the keys actually inserted, in order.

    Runs in the caller's transaction; a key already present (this run's or a concurrent
    one's, once it commits) is skipped by the database, never duplicated.
    """
    rows = [row_fields(plan_id, message, rendered) for message, rendered in letters]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    inserted: list[str] = []
    for start in range(0, len(rows), INSERT_CHUNK):
        statement = (
            insert(NotificationRow)
            .values(rows[start : start + INSERT_CHUNK])
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(NotificationRow.key)
        )
        inserted.extend(session.exec(statement).scalars())  # type: ignore[call-overload]
    order = {row["key"]: i for i, row in enumerate(rows)}
    return sorted(inserted, key=order.__getitem__)


def pending(session: Session, plan_id: int) -> list[NotificationRow]:
    """Rows still to send, oldest first."""
    statement = (
        select(NotificationRow)
        .where(NotificationRow.plan_id == plan_id)
        .where(NotificationRow.status == NotificationStatus.PENDING.value)
        .order_by(NotificationRow.id)
    )
    return list(session.exec(statement))


def mark_sent(row: NotificationRow, now: datetime, refused: Mapping[str, str]) -> None:
    row.status = NotificationStatus.SENT.value
    row.sent_at = now
    row.attempts += 1
    partly = "; ".join(f"{address}: {why}" for address, why in refused.items())
    row.last_error = f"refused by some recipients: {partly}" if partly else None


def mark_failed(row: NotificationRow, error: str, *, permanent: bool) -> None:
    """Record a failed attempt; a temporary one leaves the row pending for the next run."""
    row.attempts += 1
    row.last_error = error
    if permanent:
        row.status = NotificationStatus.FAILED.value


def mark_superseded(row: NotificationRow, reason: str) -> None:
    row.status = NotificationStatus.FAILED.value
    row.last_error = SUPERSEDED + reason


def retry(session: Session, plan_id: int, keys: Sequence[str] = ()) -> int:
    """Put failed rows (all of the plan's, or those keys) back to pending; how many."""
    statement = (
        update(NotificationRow)
        .where(NotificationRow.plan_id == plan_id)
        .where(NotificationRow.status == NotificationStatus.FAILED.value)
        .values(status=NotificationStatus.PENDING.value)
    )
    if keys:
        statement = statement.where(NotificationRow.key.in_(keys))  # type: ignore[attr-defined]
    return session.exec(statement).rowcount  # type: ignore[call-overload]


def counts(session: Session, plan_id: int) -> dict[str, int]:
    """Rows per status."""
    statement = (
        select(NotificationRow.status, func.count())
        .where(NotificationRow.plan_id == plan_id)
        .group_by(NotificationRow.status)
    )
    return dict(session.exec(statement).all())  # type: ignore[arg-type]


def mail_of(row: NotificationRow, plan: Plan, mail_from: str) -> Mail:
    """The e-mail of a row; the same row gives the same bytes (a resend is identical)."""
    envelope = Envelope.loads(row.recipients)
    sender = sender_address(mail_from)
    coordinator = plan.units.get(plan.coordinator or "")
    reply_to = coordinator.email or coordinator.head_email if coordinator else None
    if not sender.display_name and coordinator:
        sender = sender.__class__(coordinator.name, sender.username, sender.domain)
    calendar = None
    if row.deliverable_code and row.unit_code:
        calendar = calendar_event(
            row.key, Rule(row.rule), plan, row.deliverable_code, row.unit_code, row.created_at
        )
    return Mail(
        key=row.key,
        sender=str(sender),
        to=envelope.to,
        cc=envelope.cc,
        subject=row.subject,
        text=row.body_text,
        html=row.body_html,
        date=row.created_at.astimezone(plan.tz),
        domain=sender.domain,
        thread=envelope.thread,
        reply_to=(reply_to,) if reply_to else (),
        calendar=calendar,
    )


def outgoing_of(row: NotificationRow, plan: Plan, mail_from: str) -> Outgoing:
    mail = mail_of(row, plan, mail_from)
    envelope_from = sender_address(mail_from).addr_spec
    return Outgoing(row.key, envelope_from, mail.recipients, as_bytes(compose(mail)))


class Outcome(StrEnum):
    SENT = "sent"
    FAILED = "failed"  # refused for good
    DEFERRED = "deferred"  # a temporary failure: still pending, the batch stops
    SUPERSEDED = "superseded"
    SKIPPED = "skipped"  # another deliver took it, or it is no longer pending


@dataclass(frozen=True)
class DeliveryReport:
    outcomes: Mapping[str, Outcome] = field(default_factory=dict)  # key → outcome
    errors: Mapping[str, str] = field(default_factory=dict)
    held: bool = False  # outside office hours: nothing was tried

    def count(self, outcome: Outcome) -> int:
        return sum(1 for found in self.outcomes.values() if found is outcome)


def deliver(
    session_factory: SessionFactory,
    transport: Transport,
    plan: Plan,
    now: datetime,
    *,
    mail_from: str,
    statuses: Mapping[AssignmentRef, AssignmentStatus] | None = None,
) -> DeliveryReport:
    """Send the plan's pending rows, oldest first, each in its own transaction; messages the
    assignment no longer calls for (per `statuses` at `now`) are superseded, not sent. A
    temporary failure stops the batch: that row and the rest stay pending for the next run."""
    with session_factory() as session:
        queue = [(row.id, row.key) for row in pending(session, plan_id_of(session, plan.code))]
    reasons = collapse([key for _, key in queue])
    if statuses is not None:
        for _, key in queue:
            reasons.setdefault(key, superseded(key, statuses, plan.tz))
    outcomes: dict[str, Outcome] = {}
    errors: dict[str, str] = {}
    with transport:
        for row_id, key in queue:
            outcome, error = _deliver_one(
                session_factory, transport, row_id, plan, now, mail_from, reasons.get(key, "")
            )
            outcomes[key] = outcome
            if error:
                errors[key] = error
            if outcome is Outcome.DEFERRED:
                break
    return DeliveryReport(outcomes, errors)


def _deliver_one(
    session_factory: SessionFactory,
    transport: Transport,
    row_id: int | None,
    plan: Plan,
    now: datetime,
    mail_from: str,
    reason: str,
) -> tuple[Outcome, str]:
    with session_factory() as session:
        row = _claim(session, row_id)
        if row is None:
            return Outcome.SKIPPED, ""
        if reason:
            mark_superseded(row, reason)
            return Outcome.SUPERSEDED, reason
        try:
            refused = transport.send(outgoing_of(row, plan, mail_from))
        except PermanentFailure as exc:
            mark_failed(row, str(exc), permanent=True)
            return Outcome.FAILED, str(exc)
        except TemporaryFailure as exc:
            mark_failed(row, str(exc), permanent=False)
            return Outcome.DEFERRED, str(exc)
        mark_sent(row, now, refused)
        return Outcome.SENT, ""


def _claim(session: Session, row_id: int | None) -> NotificationRow | None:
    """The row, locked for this transaction, if it is still pending."""
    if session.get_bind().dialect.name != "postgresql":
        _take_sqlite_write_lock(session)
    statement = (
        select(NotificationRow)
        .where(NotificationRow.id == row_id)
        .where(NotificationRow.status == NotificationStatus.PENDING.value)
        .with_for_update(skip_locked=True)
    )
    return session.exec(statement).first()
