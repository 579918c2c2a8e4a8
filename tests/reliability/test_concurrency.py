"""Coordinators racing in separate processes: the CLI (`dondoc receive`) and the
`record-submission` flow record the same arrival, undo it and record it again, at once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from prefect.settings import PREFECT_API_URL
from sqlalchemy import Engine
from sqlmodel import select

from models.storage.engine import session_scope
from models.storage.store import read_snapshot
from models.storage.tables import NotificationRow, NotificationStatus
from models.submissions import Submission, SubmissionKind, standing_rows
from tests.builders import local
from tests.processes import PLAN, Outcome, Race, child_env
from tests.smtp_sinks import SmtpSink

pytestmark = [pytest.mark.db, pytest.mark.cli]
ARRIVAL = {"deliverable": "bc-huyen", "unit": "huong-khe", "at": "2023-03-08T10:00"}
RECORDED = "Đã ghi nhận: bc-huyen"
ALREADY = "Đã có từ trước: bc-huyen"
UNDONE = "Đã hủy ghi nhận: bc-huyen"
NOTHING_TO_UNDO = "không có gì để hủy"


def rows(engine: Engine) -> list[Submission]:
    with session_scope(engine) as session:
        snapshot = read_snapshot(session, PLAN)
    return [s for s in snapshot.submissions if (s.deliverable, s.unit) == ("bc-huyen", "huong-khe")]


def kinds_said(outcomes: list[Outcome]) -> Counter[str]:
    said: Counter[str] = Counter()
    for outcome in outcomes:
        found = [p for p in (RECORDED, ALREADY, UNDONE, NOTHING_TO_UNDO) if p in outcome.message]
        assert len(found) == 1, outcome
        said[found[0]] += 1
    return said


def test_six_cli_processes_recording_the_same_arrival_insert_one_row(
    seeded_engine: Engine, database_url: str, race: Race
) -> None:
    env = child_env(database_url)
    outcomes = race([{"via": "cli", "env": env, **ARRIVAL}] * 6)
    assert [o.code for o in outcomes] == [0] * 6
    assert kinds_said(outcomes) == {RECORDED: 1, ALREADY: 5}
    assert [s.kind for s in rows(seeded_engine)] == [SubmissionKind.RECEIVED]


@pytest.mark.prefect
def test_the_cli_and_the_flow_recording_at_once_insert_one_row_and_report_the_other_as_already(
    seeded_engine: Engine, database_url: str, race: Race, prefect_server: None
) -> None:
    cli = child_env(database_url)
    flow = child_env(database_url, PREFECT_API_URL=str(PREFECT_API_URL.value()))
    orders = [{"via": "cli", "env": cli, **ARRIVAL}, {"via": "flow", "env": flow, **ARRIVAL}] * 2
    outcomes = race(orders)
    assert [o.code for o in outcomes] == [0] * 4  # "already" is not an error, in either path
    assert kinds_said(outcomes) == {RECORDED: 1, ALREADY: 3}
    (row,) = rows(seeded_engine)
    assert (row.kind, row.received_at) == (SubmissionKind.RECEIVED, local(2023, 3, 8, 10))


def test_concurrent_undos_and_a_re_record_leave_one_consistent_history(
    seeded_engine: Engine, database_url: str, race: Race
) -> None:
    env = child_env(database_url)
    assert race([{"via": "cli", "env": env, **ARRIVAL}])[0].code == 0
    undo = {"via": "cli", "env": env, **ARRIVAL, "at": "2023-03-09T08:00", "undo": True}
    again = {"via": "cli", "env": env, **ARRIVAL, "at": "2023-03-10T08:00"}
    outcomes = race([undo, again, undo, again])
    said = kinds_said(outcomes)
    history = rows(seeded_engine)
    undos = [s for s in history if s.kind is SubmissionKind.UNDO]
    receipts = [s for s in history if s.kind is SubmissionKind.RECEIVED]
    # What each process said is what the table holds: one undo at most per standing row …
    assert said[UNDONE] == len(undos) == 1 and said[NOTHING_TO_UNDO] == 1
    assert said[RECORDED] == len(receipts) - 1 <= 1
    assert len({s.undoes for s in undos}) == len(undos)
    # … every undo cancels an earlier receipt of the same assignment, and after the race at most
    # one receipt stands: the history replays like some serial order of the four requests.
    by_id = {s.id: s for s in history}
    undone = [(u, by_id[u.undoes]) for u in undos if u.undoes is not None]
    assert len(undone) == len(undos)  # an undo always names the row it cancels
    assert all(r.kind is SubmissionKind.RECEIVED for _, r in undone)
    assert all(r.received_at <= u.received_at for u, r in undone)
    assert len(standing_rows(history, local(2023, 3, 31))) == said[RECORDED]
    failures = [o for o in outcomes if o.code != 0]
    assert [NOTHING_TO_UNDO in o.message for o in failures] == [True]


@pytest.mark.prefect
def test_two_track_plan_runs_at_once_send_each_message_once(
    seeded_engine: Engine,
    database_url: str,
    race: Race,
    prefect_server: None,
    smtp_server: SmtpSink,
    tmp_path: Path,
) -> None:
    """Two schedulers firing together (a retried deployment, a coordinator's manual run), each
    in its own process, against a real SMTP server: every e-mail is decided once (the outbox
    key) and reaches the server once (counted there, by Message-ID)."""
    env = child_env(
        database_url,
        PREFECT_API_URL=str(PREFECT_API_URL.value()),
        DONDOC_MAIL_TRANSPORT="smtp",
        DONDOC_SMTP_HOST=smtp_server.host,
        DONDOC_SMTP_PORT=str(smtp_server.port),
        DONDOC_SMTP_TLS="none",
        DONDOC_BOARD_DIR=str(tmp_path / "board"),
    )
    outcomes = race([{"via": "track", "env": env, "at": "2023-03-10T08:00"}] * 2)
    assert [o.code for o in outcomes] == [0, 0], outcomes
    with session_scope(seeded_engine) as session:
        messages = session.exec(select(NotificationRow.key, NotificationRow.status)).all()
    keys = [key for key, _ in messages]
    assert len(keys) == len(set(keys)) > 30
    assert {status for _, status in messages} == {NotificationStatus.SENT.value}
    ids = [mail.message["Message-ID"] for mail in smtp_server.received]
    assert len(ids) == len(messages) and len(set(ids)) == len(ids)
