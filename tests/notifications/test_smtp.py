"""Delivery to a real SMTP server on loopback (aiosmtpd): content, one connection, faults."""

from __future__ import annotations

import contextlib
from datetime import datetime

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from flows.runtime import transport_for
from flows.settings import MailSettings, SmtpSettings
from models.evaluate import evaluate
from models.storage.engine import session_scope
from models.storage.store import append_submission, read_snapshot
from models.storage.tables import NotificationRow, NotificationStatus
from notifications.dispatch import deliver_due, notify
from notifications.outbox import Outcome
from notifications.transports import Outgoing, PermanentFailure, TemporaryFailure
from notifications.transports.file import FileTransport
from notifications.transports.smtp import SmtpConfig, SmtpTransport
from tests.builders import at
from tests.smtp_sinks import SmtpSink

pytestmark = pytest.mark.db
PLAN = "gap-mat-2023"
MAIL_FROM = "Văn phòng Tỉnh ủy <vptu@hatinh.example>"


def smtp(sink: SmtpSink, retries: int = 3) -> SmtpTransport:
    config = SmtpConfig(sink.host, sink.port, tls="none", timeout=5, retries=retries, backoff=0.001)
    return SmtpTransport(config)


def enqueue_at(engine: Engine, as_of: datetime) -> tuple[str, ...]:
    with session_scope(engine) as session:
        snapshot = read_snapshot(session, PLAN)
    statuses = evaluate(snapshot.plan, snapshot.submissions, as_of)
    with session_scope(engine) as session:
        return notify(session, snapshot, statuses, as_of, mail_from=MAIL_FROM).enqueued


def send(engine: Engine, transport, now: datetime):
    return deliver_due(lambda: session_scope(engine), transport, PLAN, now, mail_from=MAIL_FROM)


def keys_received(sink: SmtpSink) -> list[str]:
    return [r.message["X-Dondoc-Key"].strip() for r in sink.received]


def test_messages_arrive_with_their_recipients_subject_parts_and_calendar(
    seeded_engine, smtp_server
):
    enqueued = enqueue_at(seeded_engine, at(8))
    transport = smtp(smtp_server)
    report = send(seeded_engine, transport, at(8, 8))
    assert report.count(Outcome.SENT) == len(enqueued) > 20
    assert keys_received(smtp_server) == list(enqueued)
    assert (smtp_server.handler.sessions, transport.connections_opened) == (1, 1)
    final = next(
        r
        for r in smtp_server.received
        if ":final_reminder:bc-huyen:vu-quang:" in r.message["X-Dondoc-Key"]
    )
    mail = final.message
    assert final.sender == "vptu@hatinh.example"
    assert final.recipients == [
        "huyenuy.vuquang@hatinh.example",
        "bithu.huyenuy.vuquang@hatinh.example",
    ]
    assert (mail["To"], mail["Cc"]) == tuple(final.recipients)
    assert mail["Subject"] == (
        "[Nhắc lần cuối] Báo cáo khó khăn, vướng mắc, kiến nghị… — Huyện ủy Vũ Quang"
    )
    assert "Kính gửi: Huyện ủy Vũ Quang" in mail.get_body(("plain",)).get_content()
    assert "hôm nay là ngày cuối để gửi" in mail.get_body(("html",)).get_content()
    (calendar,) = [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert "DTSTART;VALUE=DATE:20230308" in calendar.get_content()


def test_a_receipt_goes_only_to_the_unit_contact(seeded_engine, smtp_server):
    with session_scope(seeded_engine) as session:
        arrived = at(6, 15, 0)
        append_submission(
            session, PLAN, deliverable="bc-huyen", unit="tp-ha-tinh", kind="received",
            received_at=arrived, recorded_at=arrived,
        )  # fmt: skip
    enqueue_at(seeded_engine, at(7))
    send(seeded_engine, smtp(smtp_server), at(7, 8))
    receipt = next(
        r
        for r in smtp_server.received
        if ":receipt:bc-huyen:tp-ha-tinh:" in r.message["X-Dondoc-Key"]
    )
    assert receipt.recipients == ["thanhuy.hatinh@hatinh.example"]
    assert (
        "- Thời điểm nhận: 15:00 ngày 06/03/2023"
        in receipt.message.get_body(("plain",)).get_content()
    )


def test_a_refusal_mid_batch_loses_nothing_and_duplicates_nothing(seeded_engine, smtp_server):
    enqueued = enqueue_at(seeded_engine, at(6))
    smtp_server.handler.faults = ["", "", *["451 4.3.0 try again later"] * 4]
    first = send(seeded_engine, smtp(smtp_server, retries=3), at(6, 8))
    assert (first.count(Outcome.SENT), first.count(Outcome.DEFERRED)) == (2, 1)
    assert "451 4.3.0 try again later (sau 4 lần thử)" in first.errors[enqueued[2]]
    second = send(seeded_engine, smtp(smtp_server), at(6, 9))
    assert second.count(Outcome.SENT) == len(enqueued) - 2
    assert sorted(keys_received(smtp_server)) == sorted(enqueued)


def test_a_line_dropped_after_the_data_is_uncertain_and_resent_once_after_the_wait(
    seeded_engine, smtp_server
):
    enqueued = enqueue_at(seeded_engine, at(6))
    smtp_server.handler.faults = ["", "", "", "keep-drop"]  # message 4 arrives, no "250"
    transport = smtp(smtp_server, retries=2)
    first = send(seeded_engine, transport, at(6, 8))
    # message 4 is not retried at once (it may have arrived); the batch goes on without it
    assert (first.count(Outcome.SENT), first.count(Outcome.UNCERTAIN)) == (len(enqueued) - 1, 1)
    assert "ngắt kết nối trước khi trả lời" in first.errors[enqueued[3]]
    assert keys_received(smtp_server).count(enqueued[3]) == 1
    assert send(seeded_engine, smtp(smtp_server), at(6, 8, 50)).outcomes == {}  # still waiting
    again = send(seeded_engine, smtp(smtp_server), at(6, 9, 1))  # the wait is over: once more
    assert again.outcomes == {enqueued[3]: Outcome.SENT}
    assert send(seeded_engine, smtp(smtp_server), at(6, 11)).outcomes == {}
    copies = [r for r in smtp_server.received if r.message["X-Dondoc-Key"].strip() == enqueued[3]]
    assert len(copies) == 2  # at most twice, and with the same Message-ID to de-duplicate on
    assert copies[0].message["Message-ID"] == copies[1].message["Message-ID"]
    assert sorted(set(keys_received(smtp_server))) == sorted(enqueued)


def test_a_message_unanswered_twice_is_not_sent_a_third_time(seeded_engine, smtp_server):
    enqueued = enqueue_at(seeded_engine, at(6))
    smtp_server.handler.faults = ["keep-drop"]
    send(seeded_engine, smtp(smtp_server), at(6, 8))
    smtp_server.handler.faults = ["keep-drop"]
    send(seeded_engine, smtp(smtp_server), at(6, 9))
    for hour in (10, 14, 16):
        send(seeded_engine, smtp(smtp_server), at(6, hour))
    assert keys_received(smtp_server).count(enqueued[0]) == 2
    with session_scope(seeded_engine) as session:
        row = session.exec(select(NotificationRow).where(NotificationRow.key == enqueued[0])).one()
        assert row.status == NotificationStatus.UNCERTAIN.value and row.uncertain_sends == 2
        assert "không gửi nữa" in (row.last_error or "")


def test_a_line_dropped_before_the_data_ends_is_retried_at_once(seeded_engine, smtp_server):
    """A refusal or a break before the final "." means nothing was delivered: safe to retry."""
    enqueued = enqueue_at(seeded_engine, at(6))
    smtp_server.handler.faults = ["", "451 4.3.0 try again", "451 4.3.0 try again"]
    transport = smtp(smtp_server, retries=2)
    first = send(seeded_engine, transport, at(6, 8))
    assert first.count(Outcome.SENT) == len(enqueued)  # message 2 retried on the spot
    assert sorted(keys_received(smtp_server)) == sorted(enqueued)


def test_a_permanently_refused_message_fails_alone(seeded_engine, smtp_server):
    enqueued = enqueue_at(seeded_engine, at(6))
    smtp_server.handler.faults = ["", "554 5.6.0 message refused"]
    report = send(seeded_engine, smtp(smtp_server), at(6, 8))
    assert (report.count(Outcome.SENT), report.count(Outcome.FAILED)) == (len(enqueued) - 1, 1)
    assert report.errors == {enqueued[1]: "554 5.6.0 message refused"}
    assert enqueued[1] not in keys_received(smtp_server)


def test_a_server_that_is_down_leaves_everything_pending(seeded_engine, smtp_server):
    enqueue_at(seeded_engine, at(6))
    closed = SmtpConfig("127.0.0.1", 1, tls="none", timeout=1, retries=1, backoff=0.001)
    report = send(seeded_engine, SmtpTransport(closed), at(6, 8))
    assert list(report.outcomes.values()) == [Outcome.DEFERRED]
    assert "không mở được phiên SMTP với 127.0.0.1:1" in next(iter(report.errors.values()))


def test_a_crash_between_insert_and_send_delivers_each_message_once_next_run(
    seeded_engine, smtp_server
):
    enqueued = enqueue_at(seeded_engine, at(6))  # committed, then the process dies
    assert enqueue_at(seeded_engine, at(6, 8)) == ()
    send(seeded_engine, smtp(smtp_server), at(6, 8))
    send(seeded_engine, smtp(smtp_server), at(6, 9))
    assert keys_received(smtp_server) == list(enqueued)


def outgoing(key: str = "p:reminder:report:d1:20230309T0000") -> Outgoing:
    return Outgoing(key, "vp@x.example", ("d1@x.example",), b"Subject: x\r\n\r\nbody\r\n")


def test_backoff_doubles_between_retries(smtp_server):
    pauses: list[float] = []
    config = SmtpConfig(smtp_server.host, smtp_server.port, tls="none", retries=3, backoff=0.5)
    smtp_server.handler.faults = ["421 busy"] * 3
    with SmtpTransport(config, sleep=pauses.append) as transport:
        assert transport.send(outgoing()) == {}
    assert pauses == [0.5, 1.0, 2.0]


def test_recipients_refused_by_the_server_are_classified(smtp_server):
    class Refusing:
        async def handle_RCPT(self, server, session, envelope, address, options):
            return "550 5.1.1 unknown" if address.startswith("bad") else "451 later"

    from aiosmtpd.controller import Controller

    from flows.local_api import free_port

    controller = Controller(Refusing(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        config = SmtpConfig("127.0.0.1", controller.port, tls="none", retries=0)
        with SmtpTransport(config) as transport, pytest.raises(PermanentFailure, match="550"):
            transport.send(Outgoing("k", "vp@x.example", ("bad@x.example",), b"\r\n"))
        with SmtpTransport(config) as transport, pytest.raises(TemporaryFailure, match="451"):
            transport.send(Outgoing("k", "vp@x.example", ("ok@x.example",), b"\r\n"))
    finally:
        controller.stop()


def test_the_settings_choose_the_transport(tmp_path):
    # the folder by its alias: the pydantic plugin cannot see the populate_by_name of _env()
    file = transport_for(MailSettings(transport="file", outbox_dir=tmp_path), SmtpSettings())
    assert isinstance(file, FileTransport) and file.folder == tmp_path
    server = transport_for(
        MailSettings(transport="smtp"),
        SmtpSettings(host="mail.x", tls="ssl", user="u", password=SecretStr("pw")),
    )
    assert isinstance(server, SmtpTransport)
    assert (server.config.resolved_port, server.config.user, server.config.password) == (
        465,
        "u",
        "pw",
    )


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_database_lost_right_after_a_send_sends_no_second_copy(
    seeded_engine, smtp_server, postgres_server, database_url
):
    """A real cut: as soon as the server has taken a message, every connection of this
    test's database is terminated (pg_terminate_backend). Before, the sent mark shared the claim's
    transaction and died with it, and the next run sent the message again."""
    admin, _ = postgres_server
    ours = make_url(database_url).query["application_name"]
    enqueued = enqueue_at(seeded_engine, at(6))

    class CutAfterFirst(SmtpTransport):
        cut = False
        terminated: tuple = ()

        def send(self, mail: Outgoing) -> dict[str, str]:
            refused = super().send(mail)
            if not self.cut:
                self.cut = True
                with admin.connect() as connection:  # this test's connections only
                    CutAfterFirst.terminated = tuple(
                        connection.exec_driver_sql(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE application_name = %s AND pid <> pg_backend_pid()",
                            (ours,),
                        )
                    )
            return refused

    config = SmtpConfig(smtp_server.host, smtp_server.port, tls="none", timeout=5, retries=0)
    with contextlib.suppress(OperationalError):  # the run may fail on the cut; the next catch up
        send(seeded_engine, CutAfterFirst(config), at(6, 8))
    assert CutAfterFirst.terminated, "the cut found none of this test's connections"
    for moment in (at(6, 9), at(6, 10), at(6, 13)):
        send(seeded_engine, smtp(smtp_server), moment)
    received = keys_received(smtp_server)
    assert sorted(set(received)) == sorted(enqueued)
    assert len(received) == len(enqueued)  # each message once: no copy after the cut
