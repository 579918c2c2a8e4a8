"""The transactional outbox: decided messages as rows with a unique key, then sent to the server.

Never lost, never a stream of copies (exactly once is impossible over SMTP):
- `enqueue` inserts in the caller's transaction, skipping keys already present (ON CONFLICT
  DO NOTHING), so a second run, or two at once, cannot decide a message twice. Each row holds
  its whole e-mail (`eml`), composed once, so every attempt sends the same bytes.
- `send_pending` sends due rows in creation order, two short transactions per message: the
  first claims the row (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the write lock) and marks
  it *uncertain*, committed, before its bytes go to the transport; the second records what
  the server said (sent, refused, or back to pending when it refused before the DATA). A
  message left uncertain (the line dropped after the DATA, the database lost before the
  sent mark, the process killed) may have arrived: it is resent at most once, after
  RESEND_UNCERTAIN_AFTER, with the same bytes and so the same Message-ID, on which receiving
  servers de-duplicate. At most two copies, never a stream of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import and_, bindparam, func, or_, update
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
from notifications.transports import (
    Outgoing,
    PermanentFailure,
    RecipientsPutOff,
    TemporaryFailure,
    Transport,
    UncertainDelivery,
    put_off,
)

SessionFactory = Callable[[], AbstractContextManager[Session]]
INSERT_CHUNK = 500  # rows per INSERT statement (SQLite caps bound parameters)
RESEND_UNCERTAIN_AFTER = timedelta(minutes=30)  # a late "250" or a bounce has come by then
MAX_UNCERTAIN_SENDS = 2  # the first hand-over, and one resend when no answer came
# Built once: constructing a statement costs more than running it on SQLite. The texts,
# needed only to compose a row from before revision 0002, load if read.
DUE = or_(
    col(NotificationRow.status) == NotificationStatus.PENDING.value,
    and_(
        col(NotificationRow.status) == NotificationStatus.UNCERTAIN.value,
        col(NotificationRow.uncertain_since) <= bindparam("resend_before"),
        col(NotificationRow.uncertain_sends) < MAX_UNCERTAIN_SENDS,
    ),
)
CLAIM = (
    select(NotificationRow)
    .options(defer(attribute(NotificationRow.subject)), defer(attribute(NotificationRow.body_text)))
    .options(defer(attribute(NotificationRow.body_html)))
    .where(NotificationRow.id == bindparam("row_id"))
    .where(DUE)
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


def due_keys(session: Session, plan_id: int, now: datetime) -> list[tuple[int, str]]:
    """Ids and keys of the rows to send at `now`, oldest first: pending ones, and uncertain
    ones not resent yet whose wait is over."""
    statement = (
        select(NotificationRow.id, NotificationRow.key)
        .where(NotificationRow.plan_id == plan_id)
        .where(DUE)
        .order_by(col(NotificationRow.id))
    )
    found = session.exec(statement, params={"resend_before": now - RESEND_UNCERTAIN_AFTER})
    return [(row_id, key) for row_id, key in found if row_id is not None]


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


def handing_over(now: datetime, attempts: int, sends: int) -> dict[str, object]:
    """The row's values while its bytes are with the server: uncertain, committed first."""
    return {
        "status": NotificationStatus.UNCERTAIN.value,
        "uncertain_since": now,
        "uncertain_sends": sends,
        "attempts": attempts,
    }


def sent(
    now: datetime,
    refusals: Mapping[str, str],
    before: Mapping[str, str],
    sends: int,
    *,
    delivered: bool = True,
) -> dict[str, object]:
    """Taken by the server for some recipients at least (`delivered`), or for none when every
    one was refused. One refused for now (a 4xx reply) gets it at a later run, alone
    (`retry_to`); one refused for good (5xx, or an address the server cannot take) is kept
    with the reply (`refused_to`, with those refused `before`)."""
    later = {address: why for address, why in refusals.items() if put_off(why)}
    never = {**before, **{a: why for a, why in refusals.items() if a not in later}}
    said = [f"từ chối hẳn: {_listed(never)}"] if never else []
    values: dict[str, object] = {
        "status": NotificationStatus.SENT.value,
        "refused_to": never or None,
        "retry_to": None,
    }
    if delivered:
        values["sent_at"] = now
    if later:
        said.append(f"sẽ gửi lại cho: {_listed(later)}")
        # Those left were refused this time: this hand-over was no delivery to them.
        values.update(status=NotificationStatus.PENDING.value, retry_to=list(later))
        values.update(uncertain_sends=sends - 1)
    values["last_error"] = "; ".join(said) or None
    return values


def _listed(refusals: Mapping[str, str]) -> str:
    return ", ".join(f"{address} ({why})" for address, why in refusals.items())


def refused(error: str, sends: int, *, permanent: bool) -> dict[str, object]:
    """Refused before the message was taken: failed for good, or pending again (temporary);
    this hand-over does not count as a possible delivery."""
    status = NotificationStatus.FAILED if permanent else NotificationStatus.PENDING
    return {"status": status.value, "last_error": error, "uncertain_sends": sends - 1}


def unanswered(error: str, sends: int) -> dict[str, object]:
    """Handed over with no answer: stays uncertain; says whether it will be resent."""
    wait = int(RESEND_UNCERTAIN_AFTER.total_seconds() // 60)
    then = (
        f"sẽ gửi lại một lần sau {wait} phút (cùng Message-ID)"
        if sends < MAX_UNCERTAIN_SENDS
        else "đã gửi lại một lần, không gửi nữa: hãy hỏi đơn vị đã nhận chưa"
    )
    return {"last_error": f"không rõ đã tới chưa ({error}); {then}"}


def mark_superseded(session: Session, row_id: int, reason: str) -> None:
    """Not sent, and never will be: the assignment no longer calls for it (`reason`)."""
    _update(session, row_id, status=NotificationStatus.SUPERSEDED.value, last_error=reason)


def _update(session: Session, row_id: int, **values: object) -> None:
    """One UPDATE by primary key, a prepared Core statement: at hundreds of messages a second,
    the ORM's flush would cost more than the database."""
    session.connection().execute(UPDATE_BY_ID, {"row_id": row_id, **values})


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
    """The row's stored e-mail with its envelope: sender from the setting, To then Cc, or only
    the recipients a server put off last time."""
    everyone = (*row.mail_to, *row.mail_cc)
    recipients = tuple(dict.fromkeys(row.retry_to or everyone))
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
    UNCERTAIN = "uncertain"  # handed over, no answer: may have arrived; resent once, later
    PUT_OFF = "put_off"  # every recipient refused, some for now (4xx): tried again, alone
    SUPERSEDED = "superseded"
    SKIPPED = "skipped"  # another deliver took it, or it is no longer pending


@dataclass(frozen=True)
class DeliveryReport:
    outcomes: Mapping[str, Outcome] = field(default_factory=dict)  # key → outcome
    errors: Mapping[str, str] = field(default_factory=dict)
    held: bool = False  # outside office hours: nothing was tried
    # Per message sent: the recipients the server refused in this run (address → reply).
    refusals: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def refused_recipients(self, *, temporary: bool) -> int:
        """Recipients refused in this run: for now (4xx, sent again later) or for good."""
        return sum(
            1
            for refused in self.refusals.values()
            for why in refused.values()
            if put_off(why) == temporary
        )

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
    """Send the plan's due rows, oldest first; messages the assignment no longer calls for
    (per `statuses` at `now`) are superseded, not sent. A temporary failure stops the batch:
    that row and the rest stay pending for the next run."""
    with session_factory() as session:
        queue = due_keys(session, store.plan_id(session, plan.code), now)
    reasons = collapse([key for _, key in queue])
    if statuses is not None:
        for _, key in queue:
            reasons.setdefault(key, superseded(key, statuses, plan.tz))
    outcomes: dict[str, Outcome] = {}
    errors: dict[str, str] = {}
    refusals: dict[str, Mapping[str, str]] = {}
    with transport:
        for row_id, key in queue:
            outcome, error, refused_now = _deliver_one(
                session_factory, transport, row_id, plan, now, mail_from, reasons.get(key, "")
            )
            outcomes[key] = outcome
            if error:
                errors[key] = error
            if refused_now:
                refusals[key] = refused_now
            if outcome is Outcome.DEFERRED:
                break
    return DeliveryReport(outcomes, errors, refusals=refusals)


def _deliver_one(
    session_factory: SessionFactory,
    transport: Transport,
    row_id: int,
    plan: Plan,
    now: datetime,
    mail_from: str,
    reason: str,
) -> tuple[Outcome, str, Mapping[str, str]]:
    """One message: its outcome, the error, the recipients refused in this attempt."""
    with session_factory() as session:
        row = _claim(session, row_id, now)
        if row is None:
            return Outcome.SKIPPED, "", {}
        if reason:
            mark_superseded(session, row_id, reason)
            return Outcome.SUPERSEDED, reason, {}
        if row.eml is None:
            compose_legacy(row, plan, mail_from)
        outgoing = outgoing_of(row, mail_from)
        sends, before = row.uncertain_sends + 1, dict(row.refused_to or {})
        # Committed before the bytes leave: whatever happens next (the line drops after the
        # DATA, the database goes, the process dies), the row is uncertain, never pending.
        _update(session, row_id, **handing_over(now, row.attempts + 1, sends))
    try:
        refusals = transport.send(outgoing)
    except RecipientsPutOff as exc:  # nothing delivered; the recipients wait, the batch goes on
        refusals = exc.refusals
        values = sent(now, refusals, before, sends, delivered=False)
        outcome, error = Outcome.PUT_OFF, str(exc)
    except Exception as exc:  # whatever one message raises stays with that message
        outcome, error, values = _failed(exc, sends)
        refusals = {}
    else:
        outcome, error, values = Outcome.SENT, "", sent(now, refusals, before, sends)
    with session_factory() as session:
        _update(session, row_id, **values)
    return outcome, error, refusals


def _failed(exc: Exception, sends: int) -> tuple[Outcome, str, dict[str, object]]:
    """What a failed hand-over means for the row, by what kind of failure it was."""
    if isinstance(exc, UncertainDelivery):
        return Outcome.UNCERTAIN, str(exc), unanswered(str(exc), sends)
    if isinstance(exc, PermanentFailure):
        return Outcome.FAILED, str(exc), refused(str(exc), sends, permanent=True)
    if isinstance(exc, TemporaryFailure):
        return Outcome.DEFERRED, str(exc), refused(str(exc), sends, permanent=False)
    # A message the transport could not even try (an address it cannot encode…): recorded
    # on that row, for `outbox list` and `outbox retry`, and the batch goes on.
    error = f"không gửi được ({type(exc).__name__}: {exc})"
    return Outcome.FAILED, error, refused(error, sends, permanent=True)


def _claim(session: Session, row_id: int, now: datetime) -> NotificationRow | None:
    """The row, locked for this transaction, if it is still due."""
    begin_write(session)  # SQLite; PostgreSQL locks the row (FOR UPDATE SKIP LOCKED)
    params = {"row_id": row_id, "resend_before": now - RESEND_UNCERTAIN_AFTER}
    return session.exec(CLAIM, params=params).first()
