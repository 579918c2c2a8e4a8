"""The transactional outbox: decided messages as rows with a unique key, then sent once each.

Exactly once, as far as a database and a mail server can promise it:
- `enqueue` inserts in the caller's transaction, skipping keys already present (ON CONFLICT
  DO NOTHING), so a second run, or two at once, cannot decide a message twice. Each row holds
  its whole e-mail (`eml`), composed once, so every attempt sends the same bytes.
- `send_pending` sends pending rows in creation order, one short transaction per message: claim
  the row (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the write lock), hand its bytes to the
  transport, mark it sent, commit. A crash before the transport accepts leaves it pending
  (sent next run); the one at-least-once window is between the server's "250 OK" and that
  commit — a single UPDATE by primary key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import bindparam, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from models.errors import NotFoundError
from models.evaluate import AssignmentStatus
from models.plan import AssignmentRef, Plan
from models.storage import store
from models.storage.locks import begin_write
from models.storage.tables import NotificationRow, NotificationStatus, attribute
from notifications.ladder import collapse, superseded
from notifications.messages import Message, message_id, parse_key
from notifications.mime import Letter, as_bytes, compose, mail_of, sender_address
from notifications.render import Rendered
from notifications.rules import Rule
from notifications.sent_log import SentLog
from notifications.transports import Outgoing, PermanentFailure, TemporaryFailure, Transport

SessionFactory = Callable[[], AbstractContextManager[Session]]
INSERT_CHUNK = 500  # rows per INSERT statement (SQLite caps bound parameters)
# Built once: constructing a statement costs more than running it on SQLite. The texts,
# needed only to compose a row from before revision 0002, load if read.
CLAIM = (
    select(NotificationRow)
    .options(defer(attribute(NotificationRow.subject)), defer(attribute(NotificationRow.body_text)))
    .options(defer(attribute(NotificationRow.body_html)))
    .where(NotificationRow.id == bindparam("row_id"))
    .where(NotificationRow.status == NotificationStatus.PENDING.value)
    .with_for_update(skip_locked=True)
)
NOTIFICATION_TABLE = NotificationRow.metadata.tables[NotificationRow.__tablename__]
UPDATE_BY_ID = update(NOTIFICATION_TABLE).where(
    NOTIFICATION_TABLE.c.id == bindparam("row_id")
)  # SET: the columns given with it


def sent_log(session: Session, plan_id: int) -> SentLog:
    """Every key of the plan's outbox, whatever its status, in insertion order."""
    statement = (
        select(NotificationRow.key, NotificationRow.created_at)
        .where(NotificationRow.plan_id == plan_id)
        .order_by(col(NotificationRow.id))
    )
    return SentLog.from_entries(session.exec(statement))


def row_fields(plan_id: int, letter: Letter) -> dict[str, object]:
    message, rendered = letter.message, letter.rendered
    return {
        "plan_id": plan_id,
        "key": message.key,
        "rule": message.rule.value,
        "deliverable_code": message.deliverable,
        "unit_code": message.unit,
        "occurrence": parse_key(message.key).occurrence,
        "thread_key": message.thread,
        "message_id": letter.message_id,
        "mail_to": list(message.to),
        "mail_cc": list(message.cc),
        "subject": rendered.subject,
        "body_text": rendered.text,
        "body_html": rendered.html,
        "eml": letter.eml,
        "status": NotificationStatus.PENDING.value,
        "attempts": 0,
        "created_at": message.decided_at,
    }


def enqueue(session: Session, plan_id: int, letters: Iterable[Letter]) -> list[str]:
    """Insert the letters not yet in the outbox; the keys actually inserted, in order.

    Runs in the caller's transaction; a key already present (this run's or a concurrent
    one's, once it commits) is skipped by the database, never duplicated.
    """
    rows = [row_fields(plan_id, letter) for letter in letters]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    inserted: list[str] = []
    for start in range(0, len(rows), INSERT_CHUNK):
        statement = (
            insert(NotificationRow)
            .values(rows[start : start + INSERT_CHUNK])
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(col(NotificationRow.key))
        )
        inserted.extend(session.exec(statement).scalars())
    order = {row["key"]: i for i, row in enumerate(rows)}
    return sorted(inserted, key=order.__getitem__)


def pending_keys(session: Session, plan_id: int) -> list[tuple[int, str]]:
    """Ids and keys of the rows still to send, oldest first."""
    statement = (
        select(NotificationRow.id, NotificationRow.key)
        .where(NotificationRow.plan_id == plan_id)
        .where(NotificationRow.status == NotificationStatus.PENDING.value)
        .order_by(col(NotificationRow.id))
    )
    return [(row_id, key) for row_id, key in session.exec(statement) if row_id is not None]


def listed(
    session: Session, plan_id: int, status: NotificationStatus | None = None
) -> list[NotificationRow]:
    """The plan's rows (of one status, or all), oldest first."""
    statement = select(NotificationRow).where(NotificationRow.plan_id == plan_id)
    if status is not None:
        statement = statement.where(NotificationRow.status == status.value)
    return list(session.exec(statement.order_by(col(NotificationRow.id))))


def by_key(session: Session, key: str) -> NotificationRow:
    found = session.exec(select(NotificationRow).where(NotificationRow.key == key)).first()
    if found is None:
        raise NotFoundError("thư nào có mã", key)
    return found


def keys_of(session: Session, plan_id: int, keys: Sequence[str]) -> dict[str, str]:
    """Status of each of `keys` that the plan's outbox holds."""
    statement = (
        select(NotificationRow.key, NotificationRow.status)
        .where(NotificationRow.plan_id == plan_id)
        .where(col(NotificationRow.key).in_(keys))
    )
    return dict(session.exec(statement).all())


def mark_sent(
    session: Session, row: NotificationRow, now: datetime, refused: Mapping[str, str]
) -> None:
    partly = "; ".join(f"{address}: {why}" for address, why in refused.items())
    _update(
        session,
        row,
        status=NotificationStatus.SENT.value,
        sent_at=now,
        attempts=row.attempts + 1,
        last_error=f"một số người nhận từ chối: {partly}" if partly else None,
    )


def mark_failed(session: Session, row: NotificationRow, error: str, *, permanent: bool) -> None:
    """Record a failed attempt; a temporary one leaves the row pending for the next run."""
    status = NotificationStatus.FAILED if permanent else NotificationStatus.PENDING
    _update(session, row, status=status.value, attempts=row.attempts + 1, last_error=error)


def mark_superseded(session: Session, row: NotificationRow, reason: str) -> None:
    """Not sent, and never will be: the assignment no longer calls for it (`reason`)."""
    _update(session, row, status=NotificationStatus.SUPERSEDED.value, last_error=reason)


def _update(session: Session, row: NotificationRow, **values: object) -> None:
    """One UPDATE by primary key, a prepared Core statement: at hundreds of messages a second,
    the ORM's flush would cost more than the database."""
    session.connection().execute(UPDATE_BY_ID, {"row_id": row.id, **values})


def retry(session: Session, plan_id: int, keys: Sequence[str] = ()) -> list[str]:
    """Put failed rows (all of the plan's, or those keys) back to pending; their keys.

    Superseded rows stay as they are: the next delivery would supersede them again."""
    statement = (
        update(NotificationRow)
        .where(col(NotificationRow.plan_id) == plan_id)
        .where(col(NotificationRow.status) == NotificationStatus.FAILED.value)
        .values(status=NotificationStatus.PENDING.value)
        .returning(col(NotificationRow.key))
    )
    if keys:
        statement = statement.where(col(NotificationRow.key).in_(keys))
    return sorted(session.exec(statement).scalars())


def counts(session: Session, plan_id: int) -> dict[NotificationStatus, int]:
    """Rows per status, every status listed (0 when none)."""
    statement = (
        select(NotificationRow.status, func.count())
        .where(NotificationRow.plan_id == plan_id)
        .group_by(NotificationRow.status)
    )
    found = dict(session.exec(statement).all())
    return {status: found.get(status.value, 0) for status in NotificationStatus}


def outgoing_of(row: NotificationRow, mail_from: str) -> Outgoing:
    """The row's stored e-mail with its envelope: sender from the setting, To then Cc."""
    recipients = tuple(dict.fromkeys((*row.mail_to, *row.mail_cc)))
    envelope_from = sender_address(mail_from).addr_spec
    return Outgoing(row.key, envelope_from, recipients, row.eml or b"")


def compose_legacy(row: NotificationRow, plan: Plan, mail_from: str) -> None:
    """Store the e-mail of a row enqueued before revision 0002 (which kept no bytes), so this
    attempt and any later one send the same bytes."""
    message = Message(
        row.key,
        Rule(row.rule),
        tuple(row.mail_to),
        tuple(row.mail_cc),
        row.created_at,
        row.deliverable_code,
        row.unit_code,
        thread=row.thread_key,
    )
    rendered = Rendered(row.subject, row.body_text, row.body_html)
    mail = mail_of(message, rendered, plan, mail_from)
    row.eml = as_bytes(compose(mail))
    row.message_id = message_id(mail.key, mail.domain)


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


def send_pending(
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
        queue = pending_keys(session, store.plan_id(session, plan.code))
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
    row_id: int,
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
            mark_superseded(session, row, reason)
            return Outcome.SUPERSEDED, reason
        if row.eml is None:
            compose_legacy(row, plan, mail_from)
        try:
            refused = transport.send(outgoing_of(row, mail_from))
        except PermanentFailure as exc:
            mark_failed(session, row, str(exc), permanent=True)
            return Outcome.FAILED, str(exc)
        except TemporaryFailure as exc:
            mark_failed(session, row, str(exc), permanent=False)
            return Outcome.DEFERRED, str(exc)
        except Exception as exc:  # whatever one message raises stays with that message
            # A message the transport could not even try (an address it cannot encode…):
            # recorded on that row, for `outbox list` and `outbox retry`, and the batch goes on.
            error = f"không gửi được ({type(exc).__name__}: {exc})"
            mark_failed(session, row, error, permanent=True)
            return Outcome.FAILED, error
        mark_sent(session, row, now, refused)
        return Outcome.SENT, ""


def _claim(session: Session, row_id: int) -> NotificationRow | None:
    """The row, locked for this transaction, if it is still pending."""
    begin_write(session)  # SQLite; PostgreSQL locks the row (FOR UPDATE SKIP LOCKED)
    return session.exec(CLAIM, params={"row_id": row_id}).first()
