"""What track-plan's two mail tasks do, without Prefect: decide into the outbox, deliver."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from models.evaluate import evaluate
from models.storage.engine import session_scope
from models.storage.store import read_snapshot
from notifications.dispatch import deliver_due, notify
from notifications.outbox import DeliveryReport
from notifications.transports import Transport

MAIL_FROM = "Văn phòng Tỉnh ủy <vptu@hatinh.example>"


def enqueue_at(engine: Engine, plan: str, as_of: datetime) -> tuple[str, ...]:
    """The plan's messages due at `as_of`, into the outbox; the keys enqueued."""
    with session_scope(engine) as session:
        snapshot = read_snapshot(session, plan)
    statuses = evaluate(snapshot.plan, snapshot.submissions, as_of)
    with session_scope(engine) as session:
        return notify(session, snapshot, statuses, as_of, mail_from=MAIL_FROM).enqueued


def mail_run(engine: Engine, transport: Transport, plan: str, as_of: datetime) -> DeliveryReport:
    """One run's mail: decide and enqueue what is due, then deliver it through `transport`."""
    enqueue_at(engine, plan, as_of)
    return deliver_due(lambda: session_scope(engine), transport, plan, as_of, mail_from=MAIL_FROM)
