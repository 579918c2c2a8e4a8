"""The outbox against a real database: unique keys under races, delivery, supersession, crashes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import Engine, update
from sqlmodel import col, select

from models.evaluate import evaluate
from models.storage import store
from models.storage.engine import session_scope
from models.storage.store import append_submission, read_snapshot
from models.storage.tables import NotificationRow, NotificationStatus
from notifications import outbox
from notifications.dispatch import NotifyReport, deliver_due, notify
from notifications.ladder import DEFAULT_LADDER, decide
from notifications.mime import letter
from notifications.outbox import Outcome
from notifications.sent_log import SentLog
from notifications.transports import Outgoing, PermanentFailure, TemporaryFailure
from notifications.transports.file import FileTransport
from tests.builders import at

pytestmark = pytest.mark.db
PLAN = "gap-mat-2023"
MAIL_FROM = "Văn phòng Tỉnh ủy <vptu@hatinh.example>"


def run_notify(engine: Engine, as_of: datetime) -> NotifyReport:
    with session_scope(engine) as session:
        snapshot = read_snapshot(session, PLAN)
    statuses = evaluate(snapshot.plan, snapshot.submissions, as_of)
    with session_scope(engine) as session:
        return notify(session, snapshot, statuses, as_of, mail_from=MAIL_FROM)


def run_deliver(engine: Engine, transport, now: datetime):
    return deliver_due(lambda: session_scope(engine), transport, PLAN, now, mail_from=MAIL_FROM)


def rows(engine: Engine) -> list[NotificationRow]:
    with session_scope(engine) as session:
        found = list(session.exec(select(NotificationRow).order_by(col(NotificationRow.id))))
        session.expunge_all()
        return found


def receive(engine: Engine, deliverable: str, unit: str, when: datetime) -> None:
    with session_scope(engine) as session:
        append_submission(
            session,
            PLAN,
            deliverable=deliverable,
            unit=unit,
            kind="received",
            received_at=when,
            recorded_at=when,
        )


def test_notify_enqueues_each_message_once_however_often_it_runs(seeded_engine):
    first = run_notify(seeded_engine, at(6))
    again = run_notify(seeded_engine, at(6, 9))
    assert (first.decided, len(first.enqueued), dict(first.per_rule)) == (35, 35, {"reminder": 35})
    assert (again.decided, again.enqueued) == (0, ())
    stored = rows(seeded_engine)
    assert [r.key for r in stored] == list(first.enqueued)
    assert {(r.status, r.attempts, r.created_at) for r in stored} == {("pending", 0, at(6))}


def race(action: Callable[[], object], runners: int = 2) -> list[object]:
    """Run `action` in threads released together; their results (or exceptions)."""
    barrier = threading.Barrier(runners)
    results: list[object] = [None] * runners

    def runner(index: int) -> None:
        barrier.wait()
        try:
            results[index] = action()
        except Exception as exc:  # reported to the test, not swallowed
            results[index] = exc

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_runs_at_once_enqueue_each_message_once(seeded_engine):
    results = race(lambda: run_notify(seeded_engine, at(6)), runners=3)
    reports = [r for r in results if isinstance(r, NotifyReport)]
    assert len(reports) == len(results), results
    enqueued = [key for r in reports for key in r.enqueued]
    assert len(enqueued) == len(set(enqueued)) == 35
    assert len(rows(seeded_engine)) == 35


def letters_at(engine: Engine, as_of: datetime):
    with session_scope(engine) as session:
        snapshot = read_snapshot(session, PLAN)
        plan_id = store.plan_id(session, PLAN)
    statuses = evaluate(snapshot.plan, snapshot.submissions, as_of)
    messages = decide(snapshot.plan, statuses, DEFAULT_LADDER, SentLog(), as_of)
    return plan_id, [letter(m, snapshot.plan, MAIL_FROM) for m in messages]


def test_enqueue_skips_keys_already_present_in_the_same_transaction(seeded_engine):
    plan_id, letters = letters_at(seeded_engine, at(6))
    with session_scope(seeded_engine) as session:
        assert len(outbox.enqueue(session, plan_id, letters[:3])) == 3
        assert outbox.enqueue(session, plan_id, letters[:3] + letters[:3]) == []
    assert len(rows(seeded_engine)) == 3


def test_two_bare_enqueues_at_once_insert_each_key_once(seeded_engine):
    plan_id, letters = letters_at(seeded_engine, at(6))

    def enqueue_all() -> list[str]:  # no lock: the unique key alone must hold
        with session_scope(seeded_engine) as session:
            return outbox.enqueue(session, plan_id, letters)

    results = race(enqueue_all, runners=2)
    inserted = [r for r in results if isinstance(r, list)]
    assert sorted(len(keys) for keys in inserted) == [0, 35], results
    assert len(rows(seeded_engine)) == 35


def test_deliver_sends_pending_messages_oldest_first_and_marks_them_sent(seeded_engine, tmp_path):
    report = run_notify(seeded_engine, at(6))
    transport = FileTransport(tmp_path / "outbox")
    delivered = run_deliver(seeded_engine, transport, at(6, 7, 31))
    assert list(delivered.outcomes) == list(report.enqueued)
    assert delivered.count(Outcome.SENT) == 35
    assert {(r.status, r.attempts, r.sent_at) for r in rows(seeded_engine)} == {
        ("sent", 1, at(6, 7, 31))
    }
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 35
    assert run_deliver(seeded_engine, transport, at(6, 8)).outcomes == {}


def test_deliver_waits_for_office_hours(seeded_engine, tmp_path):
    run_notify(seeded_engine, at(6))
    held = run_deliver(seeded_engine, FileTransport(tmp_path), at(6, 18))
    assert held.held and held.outcomes == {}
    assert {r.status for r in rows(seeded_engine)} == {"pending"}


def test_a_pending_reminder_is_superseded_by_a_submission_or_the_deadline(seeded_engine, tmp_path):
    run_notify(seeded_engine, at(6))
    receive(seeded_engine, "bc-huyen", "huong-khe", at(6, 9))
    delivered = run_deliver(seeded_engine, FileTransport(tmp_path), at(9, 8))
    assert delivered.count(Outcome.SUPERSEDED) == 35
    by_key = {r.key: r for r in rows(seeded_engine)}
    done = by_key["gap-mat-2023:reminder:bc-huyen:huong-khe:20230309T0000"]
    passed = by_key["gap-mat-2023:reminder:bc-huyen:vu-quang:20230309T0000"]
    assert (done.status, done.last_error) == (
        "superseded",
        "phân công đã có kết quả: Hoàn thành đúng hạn",
    )
    assert (passed.status, passed.last_error) == ("superseded", "đã quá hạn nộp")
    assert list(tmp_path.glob("*.eml")) == []
    with session_scope(seeded_engine) as session:
        plan_id = store.plan_id(session, PLAN)
        assert outbox.counts(session, plan_id)[NotificationStatus.SUPERSEDED] == 35
        assert outbox.retry(session, plan_id) == []  # superseded is final, not failed


def test_a_crash_between_insert_and_send_sends_each_message_once_next_run(seeded_engine, tmp_path):
    run_notify(seeded_engine, at(6))  # committed; the process dies before delivering
    assert run_notify(seeded_engine, at(6, 8)).enqueued == ()  # the next run decides nothing new
    delivered = run_deliver(seeded_engine, FileTransport(tmp_path), at(6, 8))
    assert delivered.count(Outcome.SENT) == 35
    assert run_deliver(seeded_engine, FileTransport(tmp_path), at(6, 9)).outcomes == {}


class Flaky:
    """A transport that accepts `accept` messages, then fails as told."""

    def __init__(self, accept: int, failure: Exception):
        self.accept, self.failure = accept, failure
        self.sent: list[str] = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def send(self, mail: Outgoing) -> dict[str, str]:
        if len(self.sent) >= self.accept:
            raise self.failure
        self.sent.append(mail.key)
        return {}


def test_a_temporary_failure_stops_the_batch_and_keeps_the_rest_pending(seeded_engine):
    run_notify(seeded_engine, at(6))
    transport = Flaky(3, TemporaryFailure("421 busy"))
    delivered = run_deliver(seeded_engine, transport, at(6, 8))
    assert (delivered.count(Outcome.SENT), delivered.count(Outcome.DEFERRED)) == (3, 1)
    stored = rows(seeded_engine)
    assert [r.status for r in stored[:4]] == ["sent", "sent", "sent", "pending"]
    assert (stored[3].attempts, stored[3].last_error) == (1, "421 busy")
    assert {(r.status, r.attempts) for r in stored[4:]} == {("pending", 0)}
    again = Flaky(100, TemporaryFailure("never"))
    assert run_deliver(seeded_engine, again, at(6, 9)).count(Outcome.SENT) == 32
    assert sorted(transport.sent + again.sent) == sorted(r.key for r in stored)


def test_a_permanent_failure_marks_that_message_failed_and_the_batch_goes_on(seeded_engine):
    run_notify(seeded_engine, at(6))

    class RefusesOne(Flaky):
        def send(self, mail):
            if mail.key == "gap-mat-2023:reminder:bc-huyen:tx-ky-anh:20230309T0000":
                raise PermanentFailure("550 no such mailbox")
            return super().send(mail)

    delivered = run_deliver(seeded_engine, RefusesOne(100, RuntimeError()), at(6, 8))
    assert (delivered.count(Outcome.SENT), delivered.count(Outcome.FAILED)) == (34, 1)
    with session_scope(seeded_engine) as session:
        plan_id = store.plan_id(session, PLAN)
        assert outbox.counts(session, plan_id) == {
            NotificationStatus.PENDING: 0,
            NotificationStatus.SENT: 34,
            NotificationStatus.FAILED: 1,
            NotificationStatus.SUPERSEDED: 0,
            NotificationStatus.UNCERTAIN: 0,
        }
        assert outbox.retry(session, plan_id) == [
            "gap-mat-2023:reminder:bc-huyen:tx-ky-anh:20230309T0000"
        ]
    assert run_deliver(seeded_engine, Flaky(100, RuntimeError()), at(6, 9)).count(Outcome.SENT) == 1


def test_a_crash_after_the_server_accepted_resends_only_the_message_in_flight(seeded_engine):
    run_notify(seeded_engine, at(6))

    class DiesAfterSending(Flaky):
        def send(self, mail):
            accepted = super().send(mail)
            if len(self.sent) == 3:
                raise KeyboardInterrupt  # killed between "250 OK" and the commit
            return accepted

    transport = DiesAfterSending(100, RuntimeError())
    with pytest.raises(KeyboardInterrupt):
        run_deliver(seeded_engine, transport, at(6, 8))
    survivor = Flaky(100, RuntimeError())
    run_deliver(seeded_engine, survivor, at(6, 9))
    sent = transport.sent + survivor.sent
    duplicates = {key for key in sent if sent.count(key) > 1}
    assert duplicates == {transport.sent[2]}  # the documented at-least-once window
    assert len(set(sent)) == 35


class Recording(Flaky):
    """Records the bytes of each message handed over."""

    def __init__(self, accept: int, failure: Exception):
        super().__init__(accept, failure)
        self.data: dict[str, bytes] = {}

    def send(self, mail: Outgoing) -> dict[str, str]:
        self.data[mail.key] = mail.data
        return super().send(mail)


def test_deliver_sends_the_email_stored_at_enqueue(seeded_engine):
    run_notify(seeded_engine, at(6))
    transport = Recording(100, RuntimeError())
    run_deliver(seeded_engine, transport, at(6, 8))
    assert transport.data == {r.key: r.eml for r in rows(seeded_engine)}


def test_a_row_from_before_0002_is_composed_once_and_resent_with_the_same_bytes(seeded_engine):
    run_notify(seeded_engine, at(6))
    with session_scope(seeded_engine) as session:  # what revision 0002 leaves on old rows
        session.exec(update(NotificationRow).values(eml=None, message_id=None))
    first = Recording(0, TemporaryFailure("421 busy"))
    run_deliver(seeded_engine, first, at(6, 8))
    (tried,) = first.data
    stored = {r.key: r for r in rows(seeded_engine)}
    assert stored[tried].eml == first.data[tried] and stored[tried].message_id
    assert stored[tried].status == "pending"
    again = Recording(100, RuntimeError())
    run_deliver(seeded_engine, again, at(6, 9))
    assert again.data[tried] == first.data[tried]
    assert {r.status for r in rows(seeded_engine)} == {"sent"}
    assert all(r.eml == again.data[r.key] for r in rows(seeded_engine))
