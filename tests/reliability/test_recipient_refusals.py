"""A server that refuses some recipients of a message (issue 13, class 2): 451 for one (later,
to that recipient alone), 550 for another (for good, said everywhere); the others get it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine
from sqlmodel import col, select

from flows.artifacts import refusals_markdown
from flows.local_api import free_port
from flows.track import delivery_summary
from models.storage.engine import session_scope
from models.storage.store import read_snapshot
from models.storage.tables import NotificationRow, NotificationStatus
from notifications.outbox import Outcome
from notifications.transports.smtp import SmtpConfig, SmtpTransport
from tests.builders import local
from tests.mail_runs import mail_run

pytestmark = pytest.mark.db
PLAN = "gap-mat-2023"
LATER = "bithu.huyenuy.huongkhe@hatinh.example"  # 451 at the first run, accepted after
NEVER = "huyenuy.vuquang@hatinh.example"  # 550 always
MORNING = local(2023, 3, 9, 8)  # every district report overdue since 00:00


CONTACT = "huyenuy.huongkhe@hatinh.example"  # the only recipient of Hương Khê's reminders


@dataclass
class Picky:
    """RCPT: 451 for LATER while `busy`, 550 for NEVER; keeps (key, envelope) of each DATA."""

    busy: bool = True
    put_off: str = LATER
    received: list[tuple[str, list[str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address, options):
        if address == NEVER:
            return "550 5.1.1 no such user"
        if address == self.put_off and self.busy:
            return "451 4.7.1 greylisted, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = bytes(envelope.content)
        key = next(
            line.split(b":", 1)[1].strip().decode()
            for line in content.split(b"\r\n")
            if line.startswith(b"X-Dondoc-Key:")
        )
        with self.lock:
            self.received.append((key, list(envelope.rcpt_tos)))
        return "250 OK"


def smtp_to(port: int) -> SmtpTransport:
    return SmtpTransport(SmtpConfig("127.0.0.1", port, tls="none", timeout=5, retries=0))


@pytest.fixture
def picky() -> Iterator[tuple[Picky, int]]:
    handler = Picky()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


def rows_to(engine: Engine, address: str) -> list[NotificationRow]:
    with session_scope(engine) as session:
        rows = session.exec(select(NotificationRow).order_by(col(NotificationRow.id))).all()
        session.expunge_all()
    found = [r for r in rows if address in (*r.mail_to, *r.mail_cc)]
    assert found
    return found


def test_a_recipient_put_off_gets_the_message_later_alone_and_one_refused_is_said(
    seeded_engine: Engine, picky: tuple[Picky, int]
) -> None:
    handler, port = picky
    first = mail_run(seeded_engine, smtp_to(port), PLAN, MORNING)
    later_rows, never_rows = rows_to(seeded_engine, LATER), rows_to(seeded_engine, NEVER)
    for row in later_rows:  # put off: the others have it, the row waits for that recipient
        assert row.status == NotificationStatus.PENDING.value and row.retry_to == [LATER]
        assert "sẽ gửi lại cho" in (row.last_error or "")
    for row in never_rows:  # refused for good: the others have it, the refusal kept and said
        assert row.status == NotificationStatus.SENT.value
        assert row.refused_to == {NEVER: "550 5.1.1 no such user"}
    assert first.refused_recipients(temporary=True) == len(later_rows)
    assert first.refused_recipients(temporary=False) == len(never_rows)
    summary = delivery_summary(first)
    assert f"người nhận từ chối hẳn: {len(never_rows)}" in summary
    assert f"người nhận hẹn lại: {len(later_rows)}" in summary
    table = refusals_markdown(read_plan(seeded_engine), first.refusals, MORNING)
    assert NEVER in table and "không gửi nữa" in table and LATER in table
    handler.busy = False
    second = mail_run(seeded_engine, smtp_to(port), PLAN, local(2023, 3, 9, 9))
    assert second.outcomes == {row.key: Outcome.SENT for row in later_rows}
    for row in later_rows:
        copies = [recipients for key, recipients in handler.received if key == row.key]
        assert len(copies) == 2 and LATER not in copies[0] and copies[1] == [LATER]
    assert all(r.status == NotificationStatus.SENT.value for r in rows_to(seeded_engine, LATER))
    assert (
        mail_run(seeded_engine, smtp_to(port), PLAN, local(2023, 3, 9, 10)).outcomes == {}
    )  # nothing more


def test_a_message_whose_only_recipient_is_put_off_waits_and_the_batch_goes_on(
    seeded_engine: Engine, picky: tuple[Picky, int]
) -> None:
    handler, port = picky
    handler.put_off = CONTACT
    reminders = local(2023, 3, 6, 8)  # the reminders of the 09/03 reports go out
    first = mail_run(seeded_engine, smtp_to(port), PLAN, reminders)
    waiting = [row for row in rows_to(seeded_engine, CONTACT) if row.mail_to == [CONTACT]]
    assert waiting and all(first.outcomes[row.key] is Outcome.PUT_OFF for row in waiting)
    assert all(r.retry_to == [CONTACT] and r.sent_at is None for r in waiting)
    assert Outcome.DEFERRED not in first.outcomes.values()  # the batch was not stopped
    assert sum(o is Outcome.SENT for o in first.outcomes.values()) > 20  # nobody else held up
    handler.busy = False
    second = mail_run(seeded_engine, smtp_to(port), PLAN, local(2023, 3, 6, 9))
    assert {row.key for row in waiting} <= {
        k for k, o in second.outcomes.items() if o is Outcome.SENT
    }


def read_plan(engine: Engine):
    with session_scope(engine) as session:
        return read_snapshot(session, PLAN).plan
