"""The record-submission flow: the CLI's recording path, run by Prefect."""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any, cast

import pytest
from prefect import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    LogFilter,
    LogFilterFlowRunId,
)
from prefect.client.schemas.objects import FlowRun, State
from prefect.states import Failed
from prefect.utilities.callables import parameter_schema
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from flows.record import record_submission
from flows.task_policy import retry_unless_input_error
from models.errors import NotFoundError
from models.evaluate import evaluate
from models.plan import AssignmentRef, Plan
from models.statuses import Status
from models.storage.engine import session_scope
from models.storage.store import read_snapshot
from models.submissions import SubmissionKind
from tests.builders import local

PLAN = "gap-mat-2023"
# Recording is the CLI's path, tested on both databases there; here it runs on SQLite only.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def result_of(state: State[Any]) -> dict[str, Any]:
    """What a finished record-submission run returned. The flow returns a State, which becomes
    the run's own; Prefect types `result()` of its state as that State, not as the data."""
    return cast(dict[str, Any], state.result())


def test_a_person_s_mistake_is_not_retried_but_a_database_hiccup_is() -> None:
    mistake: State[None] = Failed(data=NotFoundError("unit", "huong-khee", ["huong-khe"]))
    hiccup: State[None] = Failed(
        data=OperationalError("SELECT 1", {}, Exception("database is locked"))
    )
    assert retry_unless_input_error(None, None, mistake) is False  # type: ignore[arg-type]  # why: the hook reads only the state
    assert retry_unless_input_error(None, None, hiccup) is True  # type: ignore[arg-type]  # why: the hook reads only the state


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_an_unknown_unit_fails_the_run_with_the_cli_message(seeded: Plan) -> None:
    state = record_submission(PLAN, "bc-huyen", "huong-khee", "Lan", return_state=True)
    assert state.is_failed()
    assert state.message == str(NotFoundError("unit", "huong-khee", seeded.units))
    assert state.message.startswith("không có đơn vị 'huong-khee' (có phải 'huong-khe'")
    with pytest.raises(NotFoundError):
        state.result()


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_an_arrival_is_recorded_in_plan_time_and_can_be_undone(
    seeded: Plan, engine: Engine
) -> None:
    arrived = datetime(2023, 3, 8, 10, 0)  # naive: plan time
    state = record_submission(
        PLAN,
        "bc-huyen",
        "huong-khe",
        "Trần Thị Lan",
        received_at=arrived,
        note="bản giấy",
        return_state=True,
    )
    assert state.is_completed()
    assert state.message == "Đã ghi nhận: bc-huyen · Huyện ủy Hương Khê lúc 08/03/2023 10:00."
    assert result_of(state)["already"] is False
    again = record_submission(
        PLAN, "bc-huyen", "huong-khe", "Lan", received_at=local(2023, 3, 8, 11), return_state=True
    )
    assert (again.message or "").startswith("Đã có từ trước: bc-huyen · Huyện ủy Hương Khê")
    undone = record_submission(
        PLAN,
        "bc-huyen",
        "huong-khe",
        "Lan",
        received_at=local(2023, 3, 9),
        undo=True,
        return_state=True,
    )
    assert (undone.message or "").startswith("Đã hủy ghi nhận: bc-huyen · Huyện ủy Hương Khê")
    with session_scope(engine) as session:
        rows = read_snapshot(session, PLAN).submissions
    assert [(r.kind, r.received_at, r.note, r.recorded_by) for r in rows[:1]] == [
        (SubmissionKind.RECEIVED, local(2023, 3, 8, 10), "bản giấy", "Trần Thị Lan")
    ]
    assert [r.kind for r in rows] == [SubmissionKind.RECEIVED, SubmissionKind.UNDO]


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_figures_typed_in_the_form_are_checked_and_stored(seeded: Plan, engine: Engine) -> None:
    arrived = datetime(2023, 3, 8, 10, 0)

    def typed(figures: str | dict[str, str], unit: str = "ky-anh") -> State[Any]:
        return record_submission(
            PLAN, "bc-huyen", unit, "Lan", received_at=arrived, data=figures, return_state=True
        )

    refusals = {
        "so_dai_bieu=hai mươi": "so_dai_bieu: giá trị 'hai mươi' không hợp lệ",
        "so_dai_bieuu=20": "'bc-huyen' không có số liệu 'so_dai_bieuu' (có phải 'so_dai_bieu'?",
        "so_dai_bieu=900": "so_dai_bieu: 900 lớn hơn mức tối đa 500",
        "20": "số liệu '20': viết tên=giá trị",
        '{"so_dai_bieu": "20"}': 'số liệu \'{"so_dai_bieu": "20"}\': viết tên=giá trị',
    }
    for figures, said in refusals.items():
        wrong = typed(figures)
        assert wrong.is_failed() and (wrong.message or "").startswith(said), wrong.message
    state = typed("so_dai_bieu=20")
    assert state.is_completed() and (state.message or "").endswith("Số đại biểu dự gặp mặt: 20")
    assert result_of(state)["data"] == {"so_dai_bieu": 20}
    from_python = typed({"so_dai_bieu": "7"}, unit="duc-tho")  # a mapping, as --set's pairs
    assert result_of(from_python)["data"] == {"so_dai_bieu": 7}
    with session_scope(engine) as session:
        rows = read_snapshot(session, PLAN).submissions
    assert {r.unit: r.data for r in rows} == {
        "ky-anh": {"so_dai_bieu": 20},
        "duc-tho": {"so_dai_bieu": 7},
    }


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_the_form_s_list_entries_name_the_deliverable_and_the_unit(
    seeded: Plan, engine: Engine
) -> None:
    """What the served form sends ("duc-tho — Huyện ủy Đức Thọ") records what a code would."""
    state = record_submission(
        PLAN,
        "bc-huyen — Báo cáo khó khăn, vướng mắc, kiến nghị và số lượng, thành phần dự gặp mặt",
        "duc-tho — Huyện ủy Đức Thọ",
        "Lan",
        received_at="08/03/2023 18:00",
        return_state=True,
    )
    assert state.message == "Đã ghi nhận: bc-huyen · Huyện ủy Đức Thọ lúc 08/03/2023 18:00."
    assert flow_run_of(state).name == "bc-huyen · Huyện ủy Đức Thọ · nộp 08/03 18:00"
    with session_scope(engine) as session:
        (row,) = read_snapshot(session, PLAN).submissions
    assert (row.deliverable, row.unit) == ("bc-huyen", "duc-tho")
    mistyped = record_submission(
        PLAN, "bc-huyen — …", "duc-thoo — Huyện ủy", "Lan", return_state=True
    )
    assert (mistyped.message or "").startswith("không có đơn vị 'duc-thoo' (có phải 'duc-tho'")


def flow_run_of(state: State[Any]) -> FlowRun:
    """The run a finished flow call was, as the Prefect API holds it (name, logs, artifacts)."""
    run_id = state.state_details.flow_run_id
    assert run_id is not None
    with get_client(sync_client=True) as client:
        return client.read_flow_run(run_id)


def artifacts_of(run: FlowRun) -> list[str]:
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id]))
        )
    return [str(a.data) for a in found]


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_a_time_typed_in_the_form_is_plan_time_and_the_run_is_named_for_it(
    seeded: Plan, engine: Engine
) -> None:
    """The issue's case: "08/03 18:00" for Đức Thọ was read as UTC, so 09/03 01:00: late."""
    state = record_submission(
        PLAN,
        "bc-huyen",
        "duc-tho",
        recorded_by="Trần Thị Lan",
        received_at="08/03/2023 18:00",
        return_state=True,
    )
    with session_scope(engine) as session:
        snapshot = read_snapshot(session, PLAN)
    (row,) = [s for s in snapshot.submissions if s.unit == "duc-tho"]
    assert row.received_at == local(2023, 3, 8, 18) and row.recorded_by == "Trần Thị Lan"
    statuses = evaluate(snapshot.plan, snapshot.submissions, local(2023, 3, 10, 9))
    (status,) = [s for s in statuses if s.ref == AssignmentRef("bc-huyen", "duc-tho")]
    assert status.status is Status.DONE_ON_TIME
    assert datetime.fromisoformat(result_of(state)["received_at"]) == local(2023, 3, 8, 18)
    iso = record_submission(
        PLAN, "bc-huyen", "ky-anh", "Trần Thị Lan", "2023-03-08T18:00", return_state=True
    )
    run = flow_run_of(iso)
    assert run.name == "bc-huyen · Huyện ủy Kỳ Anh · nộp 08/03 18:00"
    (markdown,) = artifacts_of(run)
    assert "Đã ghi nhận" in markdown and "08/03/2023 18:00" in markdown
    assert "Trần Thị Lan" in markdown


def test_the_form_titles_every_parameter_in_vietnamese_and_asks_who_records() -> None:
    schema = parameter_schema(record_submission)
    properties = schema.properties
    assert set(properties) == {
        "plan",
        "deliverable",
        "unit",
        "recorded_by",
        "received_at",
        "note",
        "undo",
        "kind",
        "data",
    }
    for name, shown in properties.items():
        assert shown["title"] != name and shown.get("description"), name
    assert "recorded_by" in schema.required and "default" not in properties["recorded_by"]
    assert properties["recorded_by"]["title"] == "Người ghi nhận"
    when = properties["received_at"]
    assert "giờ Việt Nam" in when["title"] and "dd/mm/yyyy HH:MM" in when["description"]
    assert "date-time" not in json.dumps(when)  # a text field, not Prefect's UTC date picker
    # One plain text field each: `str | None` would show as two tabs, "str" and "None" (chosen).
    for text in ("received_at", "data"):
        assert properties[text]["type"] == "string" and properties[text]["default"] == ""
        assert "anyOf" not in properties[text], text
    assert "tên=giá trị" in properties["data"]["description"]
    (kinds,) = [d["enum"] for d in schema.definitions.values() if "enum" in d]
    assert kinds == ["đã nộp", "được miễn"]


def run_as_a_deployment(parameters: dict[str, Any]) -> FlowRun:
    """A flow run of record-submission run as `python -m prefect.engine` runs a deployment's:
    the engine asks for the run's result, and logs what that raises to the run's logs."""
    from prefect.flow_engine import run_flow
    from prefect.logging.loggers import flow_run_logger

    with get_client(sync_client=True) as client:
        created = client.create_flow_run(record_submission, parameters=parameters)
    with pytest.raises(NotFoundError):  # the engine raises it; the worker's process exits 1
        logger = flow_run_logger(created)
        # why: Prefect's engine passes this very adapter; its annotation says Logger
        run_flow(record_submission, flow_run=created, error_logger=logger)  # type: ignore[arg-type]
    with get_client(sync_client=True) as client:
        return client.read_flow_run(created.id)


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_a_typo_fails_the_run_with_the_message_and_no_traceback_in_its_logs(
    seeded: Plan,
) -> None:
    from prefect.logging.handlers import APILogHandler

    typed = {"plan": PLAN, "deliverable": "bc-huyen", "unit": "huong-khee", "recorded_by": "Lan"}
    run = run_as_a_deployment(typed)
    assert run.state is not None and run.state.is_failed()
    said = run.state.message or ""
    assert said.startswith("không có đơn vị 'huong-khee' (có phải 'huong-khe'")
    assert run.name == "bc-huyen · huong-khee · không ghi nhận được"
    (markdown,) = artifacts_of(run)
    assert "Không ghi nhận được" in markdown and "có phải" in markdown
    APILogHandler().flush()  # the logs still queued in this process go to the API
    logs_of_run = LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id]))

    def read() -> list[str]:
        with get_client(sync_client=True) as client:
            return [log.message for log in client.read_logs(log_filter=logs_of_run)]

    deadline = time.monotonic() + 20
    while not any(said in m for m in read()) and time.monotonic() < deadline:
        time.sleep(0.25)
    logs = read()
    assert any(said in m for m in logs), logs  # the mistake is in the run's logs ...
    assert not [m for m in logs if "Traceback" in m], logs  # ... in one line, no traceback
