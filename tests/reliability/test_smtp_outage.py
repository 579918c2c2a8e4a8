"""The SMTP server is down for a whole day: every run decides its messages into the outbox and
loses none; the first run after the server is back sends the backlog once, oldest first, and
drops the reminders the deadline has overtaken."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine
from sqlmodel import col, select

from flows.local_api import free_port
from models.evaluate import evaluate
from models.recording import RecordRequest, record
from models.storage.engine import session_scope
from models.storage.store import read_snapshot
from models.storage.tables import NotificationRow, NotificationStatus
from models.submissions import SubmissionKind
from notifications.dispatch import deliver_due, notify
from notifications.outbox import DeliveryReport, Outcome
from notifications.rules import Rule
from notifications.transports.smtp import SmtpConfig, SmtpTransport
from tests.builders import local
from tests.smtp_sinks import SinkHandler

pytestmark = pytest.mark.db
PLAN = "gap-mat-2023"
MAIL_FROM = "Văn phòng Tỉnh ủy <vptu@hatinh.example>"
# 08/03/2023 is the last day before most deadlines (they fall at 09/03 00:00): the runs of that
# day decide the final reminders, which the server, down all day, never gets.
OUTAGE = [local(2023, 3, 8, h, m) for h, m in [(7, 30), (9, 30), (11, 30), (13, 30), (16, 30)]]
BACK = local(2023, 3, 9, 8)


class Server:
    """An aiosmtpd server on a fixed loopback port that can be stopped and started again."""

    def __init__(self) -> None:
        self.handler = SinkHandler()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def keys(self) -> list[str]:
        return [r.message["X-Dondoc-Key"].strip() for r in self.handler.received]


@pytest.fixture
def server() -> Iterator[Server]:
    server = Server()
    server.start()
    yield server
    server.stop()


def run(engine: Engine, server: Server, as_of: datetime) -> DeliveryReport:
    """What track-plan's two mail tasks do: decide into the outbox, then deliver."""
    with session_scope(engine) as session:
        snapshot = read_snapshot(session, PLAN)
    statuses = evaluate(snapshot.plan, snapshot.submissions, as_of)
    with session_scope(engine) as session:
        notify(session, snapshot, statuses, as_of, mail_from=MAIL_FROM)
    config = SmtpConfig("127.0.0.1", server.port, tls="none", timeout=5, retries=2, backoff=0.001)
    return deliver_due(
        lambda: session_scope(engine), SmtpTransport(config), PLAN, as_of, mail_from=MAIL_FROM
    )


def outbox_rows(engine: Engine) -> list[NotificationRow]:
    with session_scope(engine) as session:
        rows = session.exec(select(NotificationRow).order_by(col(NotificationRow.id))).all()
        session.expunge_all()
    return list(rows)


def test_a_day_without_smtp_loses_nothing_and_the_next_run_sends_the_backlog_once_in_order(
    seeded_engine: Engine, server: Server
) -> None:
    engine = seeded_engine
    run(engine, server, local(2023, 3, 6, 8))  # the server is up: the first reminders go
    before = server.keys()
    assert len(before) > 30
    server.stop()
    for i, moment in enumerate(OUTAGE):
        if i == 2:  # meanwhile a unit submits: its pending final reminder must not go out
            arrived = local(2023, 3, 8, 10)
            request = RecordRequest(
                PLAN, "bc-huyen", "huong-khe", SubmissionKind.RECEIVED, arrived, arrived
            )
            with session_scope(engine) as session:
                record(session, request)
        report = run(engine, server, moment)
        assert list(report.outcomes.values()) == [Outcome.DEFERRED]  # tried once, then stop
    rows = outbox_rows(engine)
    waiting = [r for r in rows if r.status == NotificationStatus.PENDING.value]
    assert {r.status for r in rows} == {"sent", "pending"}  # nothing failed, nothing dropped
    assert {r.rule for r in waiting} == {Rule.FINAL_REMINDER.value, Rule.RECEIPT.value}
    assert waiting[0].attempts == len(OUTAGE) and "127.0.0.1" in (waiting[0].last_error or "")
    assert server.keys() == before

    server.start()
    report = run(engine, server, BACK)
    after = outbox_rows(engine)
    received = server.keys()[len(before) :]
    sent_now = [r.key for r in after if r.status == "sent" and r.key not in before]
    assert received == sent_now  # once each, in the order they were decided
    assert len(set(server.keys())) == len(server.keys())
    ids = [r.message["Message-ID"] for r in server.handler.received]
    assert len(set(ids)) == len(ids)
    assert {r.status for r in after} == {"sent", "superseded"}  # the backlog is empty
    by_key = {r.key: r for r in after}
    assert all(by_key[k].status == "superseded" for k in (r.key for r in waiting) if "final" in k)
    assert not [k for k in received if ":final_reminder:" in k or ":reminder:" in k]
    assert any(":receipt:bc-huyen:huong-khe:" in k for k in received)
    assert any(":overdue:bc-huyen:" in k for k in received)
    reasons = {r.last_error for r in after if r.status == "superseded"}
    assert reasons == {
        "đã có thư thay thế: Thông báo quá hạn",
        "phân công đã có kết quả: Hoàn thành đúng hạn",
    }
    assert report.count(Outcome.SENT) == len(received)
