"""Prefect tasks that tell people: decide and enqueue the ladder's messages, then deliver them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from prefect import task
from prefect.cache_policies import NO_CACHE

from flows import runtime
from flows.task_policy import DATABASE_TASK, retry_unless_input_error
from models.evaluate import AssignmentStatus
from models.storage.store import Snapshot
from notifications.dispatch import NotifyReport, deliver_due, notify
from notifications.outbox import DeliveryReport


@task(name="decide-messages", **DATABASE_TASK)
def decide_messages(
    snapshot: Snapshot, statuses: Sequence[AssignmentStatus], as_of: datetime
) -> NotifyReport:
    """The ladder's messages due at `as_of`, into the outbox once, in a transaction of their
    own that starts by writing (on SQLite a read first could not be upgraded to a write)."""
    current = runtime.current()
    with current.session() as session:
        return notify(session, snapshot, statuses, as_of, mail_from=current.settings.mail.sender)


@task(
    name="send-messages",
    retries=2,
    retry_delay_seconds=[5, 30],
    retry_condition_fn=retry_unless_input_error,  # a missing Secret block: fix it, not wait
    cache_policy=NO_CACHE,
)
def send_messages(plan: str, as_of: datetime) -> DeliveryReport:
    """Deliver what is pending (office hours only); what fails stays pending for next run."""
    current = runtime.current()
    return deliver_due(
        current.session, current.transport(), plan, as_of, mail_from=current.settings.mail.sender
    )
