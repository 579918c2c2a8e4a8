"""The track-plan flow on the seed plan, against a temporary Prefect server and a real database."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

import pytest
from prefect import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    ArtifactFilterKey,
    FlowRunFilter,
    FlowRunFilterId,
)
from prefect.client.schemas.objects import FlowRun, State, StateType, TaskRun
from sqlalchemy import Engine
from sqlmodel import select

from flows.artifacts import late_rows
from flows.chain_view import STATUS_TAGS, ascii_text
from flows.record import record_submission
from flows.states import summary_message
from flows.track import track_plan
from models.evaluate import AssignmentStatus, evaluate
from models.plan import Plan
from models.status_document import status_document
from models.statuses import Status
from models.storage.engine import session_scope
from models.storage.state_store import read_states
from models.storage.store import read_snapshot
from tests.builders import local

pytestmark = [pytest.mark.prefect, pytest.mark.db]
T = TypeVar("T")
PLAN = "gap-mat-2023"
MEETING_EVE = local(2023, 3, 10, 9, 0)
# The flow is the same on any database; only the status store (an upsert) differs by dialect,
# and the events test covers it on both. The rest runs on SQLite, to keep the suite short.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def expected_statuses(engine: Engine, as_of: datetime) -> list[AssignmentStatus]:
    """What the pure evaluation says, on what the database holds now."""
    with session_scope(engine) as session:
        snapshot = read_snapshot(session, PLAN)
    return evaluate(snapshot.plan, snapshot.submissions, as_of)


def eventually(read: Callable[[], T], done: Callable[[T], bool], timeout: float = 20.0) -> T:
    """Poll until `done`: the server records task runs from their events, a moment later."""
    deadline = time.monotonic() + timeout
    value = read()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(0.25)
        value = read()
    return value


@SQLITE_ONLY
@pytest.mark.parametrize(
    "as_of",
    [local(2023, 3, 5), MEETING_EVE.replace(tzinfo=None), local(2023, 3, 23)],
    ids=["before-deadlines", "meeting-eve-naive", "after-meeting"],
)
def test_the_flow_gives_the_statuses_evaluate_gives_in_a_run_named_for_them(
    seeded: Plan, engine: Engine, as_of: datetime
) -> None:
    record_submission(PLAN, "bc-huyen", "huong-khe", "Lan", received_at=datetime(2023, 3, 8, 10))
    state = track_plan(PLAN, as_of=as_of, return_state=True)
    aware = as_of if as_of.tzinfo else as_of.replace(tzinfo=seeded.tz)
    statuses = expected_statuses(engine, aware)
    assert state.type is StateType.COMPLETED
    assert state.result() == status_document(seeded, statuses, aware)
    assert (state.message or "").startswith(summary_message(statuses))
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(flow_run_id(state))
    overdue = sum(s.status is Status.OVERDUE for s in statuses)
    at_risk = sum(s.status is Status.AT_RISK for s in statuses)
    name = f"{PLAN} · {aware:%d/%m/%Y %H:%M} · {overdue} quá hạn"
    assert run.name == (f"{name} · {at_risk} nguy cơ" if at_risk else name)
    assert run.state is not None
    assert (run.state_type, run.state.message) == (StateType.COMPLETED, state.message)


@SQLITE_ONLY
def test_the_graph_is_the_chain_one_node_per_deliverable_expanding_to_its_units(
    seeded: Plan, engine: Engine
) -> None:
    """Read back as the UI draws it (the graph-v2 API): the top level is the 17 deliverables
    and nothing else, wired as the plan's `after`, each in its worst unit's state; inside, one
    task run per unit in its status' state, tagged with it, named in ASCII."""
    state = track_plan(PLAN, as_of=MEETING_EVE, return_state=True)
    statuses = expected_statuses(engine, MEETING_EVE)
    top = eventually(
        lambda: graph(flow_run_id(state)), lambda g: len(g) == len(seeded.deliverables)
    )
    assert all(node["kind"] == "flow-run" for node in top.values())
    by_code = {node["label"].split(" / ")[1].split(" (")[0]: node for node in top.values()}
    assert list(by_code) == list(seeded.deliverables)  # in the plan's (dependency) order
    for code, node in by_code.items():
        parents = {p["id"] for p in node["parents"]}
        assert parents == {by_code[a]["id"] for a in seeded.deliverables[code].after}, code
        units = [s for s in statuses if s.deliverable == code]
        overdue = sum(s.status is Status.OVERDUE for s in units)
        assert node["state_type"] == ("FAILED" if overdue else "COMPLETED"), code
        assert node["label"].isascii(), node["label"]
    bc_huyen = subflow_run(by_code["bc-huyen"]["id"])
    overdue = sum(s.status is Status.OVERDUE for s in statuses if s.deliverable == "bc-huyen")
    assert bc_huyen.state is not None
    assert (
        bc_huyen.state.name == f"Quá hạn {overdue}/13" and bc_huyen.state_type is StateType.FAILED
    )
    assert "qua-han" in bc_huyen.tags
    inside = eventually(lambda: task_runs_of(bc_huyen.id), lambda runs: len(runs) == 13)
    expected = {s.unit: s.status for s in statuses if s.deliverable == "bc-huyen"}
    unit_of = {f"bc-huyen - {ascii_text(seeded.unit_name(u))}": u for u in expected}
    assert set(inside) == set(unit_of)
    for name, run in inside.items():
        status = expected[unit_of[name]]
        assert run.state_name == status.label and STATUS_TAGS[status] in run.tags, name
        assert (run.state_type is StateType.FAILED) == (status is Status.OVERDUE), name


@SQLITE_ONLY
def test_a_plan_of_more_deliverables_than_subflows_may_be_is_the_same_chain_run_flat(
    seeded: Plan, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above SUBFLOW_LIMIT deliverables (here lowered to 5 for the seed's 17): the top level
    is still one node per deliverable in the plan's order, wired as `after`, in its worst
    unit's state, ASCII-labelled and tagged, but each is a task run naming its units by
    status in its message; no subflow is run."""
    monkeypatch.setattr("flows.chain.SUBFLOW_LIMIT", 5)
    state = track_plan(PLAN, as_of=MEETING_EVE, return_state=True)
    statuses = expected_statuses(engine, MEETING_EVE)
    top = eventually(
        lambda: graph(flow_run_id(state)), lambda g: len(g) == len(seeded.deliverables)
    )
    assert all(node["kind"] == "task-run" for node in top.values())
    by_code = {node["label"].split(" (")[0]: node for node in top.values()}
    assert list(by_code) == list(seeded.deliverables)
    for code, node in by_code.items():
        parents = {p["id"] for p in node["parents"]}
        assert parents == {by_code[a]["id"] for a in seeded.deliverables[code].after}, code
        overdue = sum(s.status is Status.OVERDUE for s in statuses if s.deliverable == code)
        assert node["state_type"] == ("FAILED" if overdue else "COMPLETED"), code
        assert node["label"].isascii(), node["label"]
    runs = eventually(
        lambda: task_runs_of(flow_run_id(state)), lambda r: len(r) == len(seeded.deliverables)
    )
    bc_huyen = next(run for name, run in runs.items() if name.startswith("bc-huyen ("))
    late = [s for s in statuses if s.deliverable == "bc-huyen" and s.status is Status.OVERDUE]
    assert bc_huyen.state is not None and bc_huyen.state.message is not None
    assert bc_huyen.state.name == f"Quá hạn {len(late)}/13" and "qua-han" in bc_huyen.tags
    assert f"— Quá hạn: {seeded.unit_name(late[0].unit)}, " in bc_huyen.state.message
    assert {r.flow_run_id for r in runs.values()} == {flow_run_id(state)}  # no subflow


@SQLITE_ONLY
def test_the_late_table_lists_the_late_who_what_status_and_days_first(
    seeded: Plan, engine: Engine
) -> None:
    state = track_plan(PLAN, as_of=MEETING_EVE, return_state=True)
    statuses = expected_statuses(engine, MEETING_EVE)
    rows = late_table(flow_run_id(state))
    late = [s for s in statuses if s.status in (Status.OVERDUE, Status.AT_RISK)]
    assert rows == late_rows(seeded, statuses)
    assert len(rows) == len(late) > 0
    assert list(rows[0])[:4] == ["Đơn vị", "Nhiệm vụ", "Trạng thái", "Số ngày trễ"]


def graph(run_id: UUID) -> dict[str, dict[str, Any]]:
    """The nodes of a flow run's graph, by id, as the UI's graph fetches them."""
    with get_client(sync_client=True) as client:
        response = client._client.get(f"/flow_runs/{run_id}/graph-v2")
    response.raise_for_status()
    return {node_id: node for node_id, node in response.json()["nodes"]}


def subflow_run(node_id: str) -> FlowRun:
    with get_client(sync_client=True) as client:
        return client.read_flow_run(UUID(node_id))


def task_runs_of(run_id: UUID) -> dict[str, TaskRun]:
    """A flow run's task runs in a final state, by name (the server records them a moment
    after they end)."""
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])), limit=200
        )
    return {r.name: r for r in runs if r.state and r.state.is_final()}


def late_table(run_id: UUID) -> list[dict[str, Any]]:
    """The rows of the run's `<plan>-late` table artifact."""
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=[f"{PLAN}-late"]),
                flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]),
            )
        )
    assert len(artifacts) == 1
    rows = artifacts[0].data
    assert isinstance(rows, str)  # a table artifact keeps its rows as JSON text
    return json.loads(rows)


def flow_run_id(state: State) -> UUID:
    run_id = state.state_details.flow_run_id
    assert run_id is not None
    return run_id


@SQLITE_ONLY
def test_an_unknown_plan_fails_the_run_with_the_cli_message(seeded: Plan) -> None:
    state = track_plan("gap-mat-2032", return_state=True)
    assert state.is_failed()
    assert state.message == "không có kế hoạch 'gap-mat-2032' (có phải 'gap-mat-2023'?)"


@SQLITE_ONLY
def test_a_run_sends_the_ladder_messages_once_and_a_rerun_sends_nothing(
    seeded: Plan, tmp_path
) -> None:
    morning = local(2023, 3, 9, 7, 30)  # reports due at 00:00 today: nobody has sent one
    first = track_plan(PLAN, morning, return_state=True)
    mails = sorted((tmp_path / "outbox").glob("*.eml"))
    overdue = [m for m in mails if "overdue" in m.name]
    late = [s for s in evaluate(seeded, [], morning) if s.status is Status.OVERDUE]
    assert len(overdue) == len(late) == 35  # one notice per overdue assignment, no more
    message = first.message or ""
    assert "thư mới: " in message and f"đã gửi: {len(mails)}" in message
    again = track_plan(PLAN, morning, return_state=True)
    assert "thư mới: 0, đã gửi: 0" in (again.message or "")
    assert sorted((tmp_path / "outbox").glob("*.eml")) == mails


@SQLITE_ONLY
def test_each_run_publishes_its_board_in_a_folder_of_its_moment_and_says_where(
    seeded: Plan, tmp_path
) -> None:
    """Without DONDOC_WEB_BASE_URL: no dead file:// link, the folder named instead; the
    artifact hangs on the flow run itself (tests/flows/test_board_publish.py: the links)."""
    state = track_plan(PLAN, MEETING_EVE, return_state=True)
    folder = tmp_path / "board" / PLAN / "2023-03-10_0900"
    page = (folder / "board.html").read_text(encoding="utf-8")
    assert "10/03/2023 09:00" in page and (folder / "board.xlsx").exists()
    with get_client(sync_client=True) as client:
        notes = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=[f"{PLAN}-board"]),
                flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id(state)]),
            )
        )
    assert len(notes) == 1 and notes[0].task_run_id is None
    markdown = notes[0].data
    assert isinstance(markdown, str) and str(folder.resolve()) in markdown
    assert "file:" not in markdown


@SQLITE_ONLY
def test_a_whole_run_uses_one_engine(seeded: Plan, engines_opened: list[str]) -> None:
    state = track_plan(PLAN, local(2023, 3, 9, 7, 30), return_state=True)
    assert state.is_completed(), state.message
    # read-plan, save-statuses, decide-messages, send-messages (one transaction per e-mail)
    assert len(engines_opened) == 1


@SQLITE_ONLY
def test_a_run_with_the_mail_server_down_says_so_in_one_line_and_keeps_the_mail(
    seeded: Plan, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from flows.cli import app
    from flows.local_api import free_port

    port = free_port()  # nothing listens there
    for name, value in {
        "DONDOC_MAIL_TRANSPORT": "smtp",
        "DONDOC_SMTP_HOST": "127.0.0.1",
        "DONDOC_SMTP_PORT": str(port),
        "DONDOC_SMTP_TLS": "none",
        "DONDOC_SMTP_RETRIES": "0",
    }.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["track", PLAN, "--as-of", "09/03/2023 08:00"])
    assert result.exit_code == 0, result.output
    (line,) = [row for row in result.stdout.splitlines() if "thư mới" in row]
    assert f"127.0.0.1:{port}" in line and "sẽ gửi lại ở lượt chạy sau" in line
    monkeypatch.setenv("COLUMNS", "400")  # the table on one line per message
    listed = CliRunner().invoke(app, ["outbox", "list", PLAN, "--status", "pending"])
    assert f"127.0.0.1:{port}" in listed.stdout  # the last error, on the message it stopped at


@SQLITE_ONLY
def test_a_run_whose_board_step_fails_fails_and_names_the_step(
    seeded: Plan, engine: Engine, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from flows.cli import app

    (tmp_path / "board").write_text("a file where the board's folder should be", encoding="utf-8")
    state = track_plan(PLAN, MEETING_EVE, return_state=True)
    assert state.is_failed()
    assert "bước publish-board thất bại" in (state.message or "")
    assert "thư mới:" in (state.message or "")  # the e-mails were still decided and sent
    with session_scope(engine) as session:
        assert read_states(session, PLAN)  # and the statuses saved
    result = CliRunner().invoke(app, ["track", PLAN, "--as-of", "10/03/2023 09:00"])
    assert result.exit_code == 1, result.output
    assert "Lượt chạy thất bại" in result.stderr and "publish-board" in result.stderr
    assert "never awaited" not in result.output


@SQLITE_ONLY
def test_track_without_a_base_url_says_once_that_e_mails_carry_no_link(
    seeded: Plan, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from flows.cli import app

    monkeypatch.delenv("DONDOC_WEB_BASE_URL", raising=False)
    result = CliRunner().invoke(app, ["track", PLAN, "--as-of", "06/03/2023 08:00"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("DONDOC_WEB_BASE_URL") == 1


@SQLITE_ONLY
def test_track_with_a_base_url_sends_each_unit_its_link(
    seeded: Plan, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from flows.cli import app
    from models.storage.tables import NotificationRow

    monkeypatch.setenv("DONDOC_WEB_BASE_URL", "http://vptu.example:8765/")
    result = CliRunner().invoke(app, ["track", PLAN, "--as-of", "06/03/2023 08:00"])
    assert result.exit_code == 0, result.output
    assert "DONDOC_WEB_BASE_URL" not in result.stdout
    with session_scope(engine) as session:
        rows = session.exec(select(NotificationRow)).all()
        texts = [row.body_text for row in rows if ":escalation:" not in row.key]
    assert texts and all("http://vptu.example:8765/n/" in text for text in texts)
