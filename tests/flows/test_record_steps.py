"""record-step-by-step: a run of the served deployment suspends with a form listing only the
units that still owe the chosen deliverable; resumed with one, it records it.

Each run is executed here as the runner executes it (`run_flow` on the deployment's run):
once up to its suspension, and once more after "Resume", when the server has rescheduled it."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from typing import Any, cast
from uuid import UUID

import pytest
from prefect import get_client
from prefect.client.schemas.objects import FlowRun
from prefect.client.schemas.responses import SetStateStatus
from prefect.exceptions import Pause
from prefect.flow_engine import run_flow
from sqlalchemy import Engine

from flows.record import record_submission
from flows.record_steps import record_step_by_step
from models.errors import InputError
from models.plan import Plan
from models.storage.engine import session_scope
from models.storage.store import read_snapshot
from tests.builders import local

PLAN = "gap-mat-2023"
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
BC_HUYEN = "bc-huyen — Báo cáo khó khăn, vướng mắc, kiến nghị và số lượng, thành phần dự gặp mặt"
pytestmark = [pytest.mark.prefect, pytest.mark.db, SQLITE_ONLY]


def started(deliverable: str, recorded_by: str = "Trần Thị Lan") -> FlowRun:
    """A run of the ghi-nhan-theo-buoc deployment as `dondoc serve` registers it, with the
    first step's form filled in."""
    from flows.serving import deployments

    (deployment,) = [d for d in deployments(PLAN) if d.name == "ghi-nhan-theo-buoc"]
    parameters = {"deliverable": deliverable, "recorded_by": recorded_by}
    deployment_id = cast(UUID, deployment.apply())  # sync_compatible: called sync, a UUID
    with get_client(sync_client=True) as client:
        return client.create_flow_run_from_deployment(deployment_id, parameters=parameters)


def executed(run: FlowRun) -> FlowRun:
    """The run executed once by the runner; as the API holds it after."""
    with get_client(sync_client=True) as client:
        current = client.read_flow_run(run.id)
        # Pause: the engine's way out of a suspended run (its process exits 0); a run Failed
        # by a mistake is raised again by the engine (its process exits 1), in one log line
        with contextlib.suppress(Pause, InputError):
            run_flow(record_step_by_step, flow_run=current)
        return client.read_flow_run(run.id)


def asked(run: FlowRun) -> tuple[dict[str, Any], str]:
    """The form the suspended run shows behind its Resume button, and the text above it."""
    assert run.state is not None and run.state.name == "Suspended", run.state
    keys = run.state.state_details.run_input_keyset
    assert keys is not None
    with get_client(sync_client=True) as client:
        schema = json.loads(client.read_flow_run_input(run.id, keys["schema"]))
        description = json.loads(client.read_flow_run_input(run.id, keys["description"]))
    return schema, description


def resumed(run: FlowRun, answer: dict[str, Any]) -> SetStateStatus:
    with get_client(sync_client=True) as client:
        return client.resume_flow_run(run.id, run_input=answer).status


def test_the_second_step_lists_only_the_units_that_still_owe_and_records_the_chosen_one(
    seeded: Plan, engine: Engine
) -> None:
    record_submission(PLAN, "bc-huyen", "duc-tho", "Lan", "08/03/2023 18:00")
    run = executed(started(BC_HUYEN))
    form, description = asked(run)
    units = form["properties"]["unit"]["enum"]
    assert len(units) == 12 and "huong-khe — Huyện ủy Hương Khê" in units
    assert not [u for u in units if u.startswith("duc-tho")]  # delivered: not offered
    assert form["required"] == ["unit"]
    seats = form["properties"]["so_dai_bieu"]  # the deliverable's figure, a number box
    assert (seats["type"], seats["title"], seats["maximum"]) == (
        "integer",
        "Số đại biểu dự gặp mặt",
        500,
    )
    assert "default" not in seats  # Prefect's form would send an untouched field as null
    assert "còn 12/13 đơn vị chưa nộp" in description
    assert "- Huyện ủy Hương Khê (huong-khe): Quá hạn" in description  # the machine's today

    off_the_list = {"unit": "duc-tho — Huyện ủy Đức Thọ"}
    assert resumed(run, off_the_list) is SetStateStatus.REJECT  # the API checks the list
    answer = {"unit": "huong-khe — Huyện ủy Hương Khê", "received_at": "10/03/2023 16:00"}
    assert resumed(run, {**answer, "so_dai_bieu": 14}) is SetStateStatus.ACCEPT
    done = executed(run)  # the runner picks the rescheduled run up and runs it again
    assert done.state is not None and done.state.is_completed(), done.state
    assert done.name == "bc-huyen · Huyện ủy Hương Khê · nộp 10/03 16:00"
    assert done.state.message == (
        "Đã ghi nhận: bc-huyen · Huyện ủy Hương Khê lúc 10/03/2023 16:00. "
        "Số đại biểu dự gặp mặt: 14"
    )
    with session_scope(engine) as session:
        rows = [s for s in read_snapshot(session, PLAN).submissions if s.unit == "huong-khe"]
    assert [(r.received_at, r.recorded_by, dict(r.data)) for r in rows] == [
        (local(2023, 3, 10, 16), "Trần Thị Lan", {"so_dai_bieu": 14})
    ]


def test_a_mistake_in_the_second_step_fails_the_run_in_one_line_and_writes_nothing(
    seeded: Plan, engine: Engine
) -> None:
    run = executed(started(BC_HUYEN))
    answer = {"unit": "ky-anh — Huyện ủy Kỳ Anh", "received_at": "10/03/2023 16:60"}
    assert resumed(run, answer) is SetStateStatus.ACCEPT
    failed = executed(run)
    assert failed.state is not None and failed.state.is_failed()
    assert (failed.state.message or "").startswith("không đọc được thời điểm '10/03/2023 16:60'")
    assert failed.name == "bc-huyen · ky-anh · không ghi nhận được"
    with session_scope(engine) as session:
        assert read_snapshot(session, PLAN).submissions == ()


def test_a_deliverable_nobody_owes_any_more_ends_the_run_without_asking(
    seeded: Plan, engine: Engine
) -> None:
    record_submission(PLAN, "giay-moi", "vptu", "Lan", datetime(2023, 2, 28, 9))
    run = executed(started("giay-moi — Giấy mời dự gặp mặt"))
    assert run.state is not None and run.state.is_completed(), run.state
    assert run.state.message == (
        "giay-moi: mọi đơn vị đã nộp hoặc được miễn, không còn gì để ghi nhận."
    )
    assert run.name == "giay-moi · không còn đơn vị nào chưa nộp"


def test_called_from_python_it_says_to_use_the_deployment(seeded: Plan) -> None:
    state = record_step_by_step(PLAN, "bc-huyen", "Lan", return_state=True)
    assert state.is_failed()
    assert (state.message or "").startswith("ghi nhận theo bước chạy như một deployment")
