"""The steps that tell people: decide and enqueue the ladder's messages, then deliver them.

Plain calls of track-plan (not task runs: the run's graph is the plan's chain), each with the
retry policy of flows/task_policy.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from flows import runtime
from flows.task_policy import with_retries
from models.evaluate import AssignmentStatus
from models.storage.store import Snapshot
from notifications.dispatch import NotifyReport, deliver_due, notify
from notifications.outbox import DeliveryReport

# Said once per `dondoc track` (and logged once per run that composed e-mails) when unset.
NO_LINK_NOTE = (
    "Thư gửi đơn vị chưa có liên kết riêng tới trang nhiệm vụ: đặt DONDOC_WEB_BASE_URL là "
    "địa chỉ mà các đơn vị mở được của `dondoc web` (ví dụ http://vptu.example:8765)."
)
# The mail server gets longer to come back than the database.
SEND_RETRY_DELAYS: list[float] = [5, 30]


def decide_messages(
    snapshot: Snapshot, statuses: Sequence[AssignmentStatus], as_of: datetime
) -> NotifyReport:
    """The ladder's messages due at `as_of`, into the outbox once, in a transaction of their
    own that starts by writing (on SQLite a read first could not be upgraded to a write);
    each with the unit's personal link when DONDOC_WEB_BASE_URL is set."""
    current = runtime.current()

    def decide() -> NotifyReport:
        # The links are signed at the wall clock (they open from when the e-mail goes out),
        # not at `as_of`, which may be a replayed day.
        links = current.personal_links(datetime.now(UTC))
        with current.session() as session:
            return notify(
                session,
                snapshot,
                statuses,
                as_of,
                mail_from=current.settings.mail.sender,
                links=links,
            )

    return with_retries("decide-messages", decide)


def send_messages(plan: str, as_of: datetime) -> DeliveryReport:
    """Deliver what is pending (office hours only); what fails stays pending for next run. A
    missing Secret block is a mistake to fix, not to wait for (InputError: no retry)."""
    current = runtime.current()

    def send() -> DeliveryReport:
        return deliver_due(
            current.session,
            current.transport(),
            plan,
            as_of,
            mail_from=current.settings.mail.sender,
        )

    return with_retries("send-messages", send, SEND_RETRY_DELAYS)
