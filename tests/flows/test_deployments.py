"""prefect.yaml: valid for `prefect deploy`, and each entrypoint is the flow it names; what
`dondoc serve` serves from it, with the record forms listing the stored plan's codes."""

from __future__ import annotations

import asyncio
import importlib
import time
from typing import Any, cast
from uuid import UUID

import httpx
import pytest
from prefect import Flow, get_client
from prefect.cli.deploy._models import PrefectYamlModel  # what `prefect deploy` validates with
from prefect.client.schemas.objects import FlowRun
from prefect.client.schemas.schedules import CronSchedule
from prefect.deployments.runner import RunnerDeployment
from ruamel.yaml import YAML
from sqlalchemy import Engine

from models.errors import NotFoundError
from models.loader import read_plan_text
from models.plan import Plan
from models.storage.engine import session_scope
from models.storage.store import read_snapshot, save_plan
from tests.paths import ROOT, SEED_PLAN

EXPECTED_FLOWS = {
    "track-plan": "track-plan",
    "record-submission": "record-submission",
    "ghi-nhan-theo-buoc": "record-step-by-step",
}
PLAN = "gap-mat-2023"
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
BC_HUYEN = "bc-huyen — Báo cáo khó khăn, vướng mắc, kiến nghị và số lượng, thành phần dự gặp mặt"


def deployments() -> dict[str, dict]:
    document = YAML(typ="safe", pure=True).load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    PrefectYamlModel.model_validate(document)
    return {d["name"]: d for d in document["deployments"]}


def test_prefect_yaml_declares_the_two_deployments_on_the_dondoc_pool() -> None:
    found = deployments()
    assert set(found) == set(EXPECTED_FLOWS)
    assert {d["work_pool"]["name"] for d in found.values()} == {"dondoc"}


def test_the_tracking_deployment_runs_on_working_days_in_vietnam_time() -> None:
    track = deployments()["track-plan"]
    assert track["parameters"] == {"plan": "gap-mat-2023"}
    assert track["schedules"] == [
        {"cron": "30 7,13 * * 1-5", "timezone": "Asia/Ho_Chi_Minh", "active": True}
    ]
    assert "schedules" not in deployments()["record-submission"]


@pytest.mark.parametrize("name", sorted(EXPECTED_FLOWS))
def test_each_entrypoint_imports_to_the_flow_of_that_name(name: str) -> None:
    path, function = deployments()[name]["entrypoint"].split(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    flow = getattr(module, function)
    assert isinstance(flow, Flow)
    assert flow.name == EXPECTED_FLOWS[name]


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_dondoc_serve_serves_what_prefect_yaml_declares(seeded: Plan) -> None:
    from flows.serving import deployments as served

    declared = deployments()
    by_name = {d.name: d for d in served(PLAN)}
    assert set(by_name) == set(declared)
    track = by_name["track-plan"]
    assert track.schedules is not None
    (schedule,) = track.schedules
    cron = schedule.schedule
    assert isinstance(cron, CronSchedule)
    assert cron.cron == declared["track-plan"]["schedules"][0]["cron"]
    assert cron.timezone == declared["track-plan"]["schedules"][0]["timezone"]
    assert track.parameters == declared["track-plan"]["parameters"]
    assert not by_name["record-submission"].schedules
    assert by_name["record-submission"].parameters == {"plan": PLAN}
    assert by_name["ghi-nhan-theo-buoc"].parameters == {"plan": PLAN}


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_serving_a_plan_not_loaded_says_which_plans_are(seeded: Plan) -> None:
    from flows.serving import deployments as served

    with pytest.raises(NotFoundError) as refused:
        served("gap-mat-2024")
    assert str(refused.value).startswith("không có kế hoạch 'gap-mat-2024' (có phải 'gap-mat-2023'")


def registered(name: str) -> dict[str, Any]:
    """The deployment `name` as `dondoc serve` registers it (the runner applies each), read
    back from the API: what the Run form is drawn from."""
    from flows.serving import deployments as served

    (deployment,) = [d for d in served(PLAN) if d.name == name]
    deployment_id = cast(UUID, deployment.apply())  # sync_compatible: called sync, a UUID
    with get_client(sync_client=True) as client:
        found = client.read_deployment(deployment_id)
    return {"id": found.id, "schema": found.parameter_openapi_schema, "served": deployment}


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_the_served_record_form_lists_the_stored_plan_s_codes(seeded: Plan) -> None:
    form = registered("record-submission")["schema"]["properties"]
    assert form["plan"]["enum"] == [PLAN]
    assert BC_HUYEN in form["deliverable"]["enum"]
    assert "duc-tho — Huyện ủy Đức Thọ" in form["unit"]["enum"]
    assert "so_dai_bieu (Số đại biểu dự gặp mặt" in form["data"]["description"]
    step = registered("ghi-nhan-theo-buoc")["schema"]["properties"]
    assert BC_HUYEN in step["deliverable"]["enum"] and "unit" not in step


def run_in_process(created: FlowRun) -> FlowRun:
    """A run of the deployment executed here, as the runner's `python -m prefect.engine`."""
    from prefect.flow_engine import run_flow

    from flows.record import record_submission

    run_flow(record_submission, flow_run=created)
    with get_client(sync_client=True) as client:
        return client.read_flow_run(created.id)


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_the_api_takes_a_run_with_list_entries_and_refuses_a_code_off_the_list(
    seeded: Plan, engine: Engine
) -> None:
    """enforce_parameter_schema: the API checks a run's parameters against the form's lists."""
    deployment_id = registered("record-submission")["id"]
    chosen = {
        "deliverable": BC_HUYEN,
        "unit": "duc-tho — Huyện ủy Đức Thọ",
        "recorded_by": "Trần Thị Lan",
        "received_at": "08/03/2023 18:00",
        "data": "so_dai_bieu=12",
    }
    with get_client(sync_client=True) as client:
        created = client.create_flow_run_from_deployment(deployment_id, parameters=chosen)
        # Through the deployment, a bare code is off the list too (`prefect deployment run`
        # passes the entry); the flow itself takes both (dondoc receive, Python).
        for off_the_list in ({"unit": "duc-thoo"}, {"unit": "duc-tho"}, {"plan": "gap-mat-2024"}):
            with pytest.raises(httpx.HTTPStatusError) as refused:
                client.create_flow_run_from_deployment(
                    deployment_id, parameters={**chosen, **off_the_list}
                )
            assert refused.value.response.status_code == 409
            assert "is not one of" in refused.value.response.text
    run = run_in_process(created)
    assert run.state is not None and run.state.is_completed(), run.state
    assert run.name == "bc-huyen · Huyện ủy Đức Thọ · nộp 08/03 18:00"
    with session_scope(engine) as session:
        (row,) = read_snapshot(session, PLAN).submissions
    assert (row.deliverable, row.unit, row.data) == ("bc-huyen", "duc-tho", {"so_dai_bieu": 12})


def reload_with_unit_renamed(engine: Engine, old: str, new: str) -> None:
    """`dondoc plan load` of the seed plan with one unit's name edited."""
    text = SEED_PLAN.read_text(encoding="utf-8").replace(old, new)
    with session_scope(engine) as session:
        save_plan(session, read_plan_text(text, "edited.yaml"))


def unit_entries_of(deployment_id: Any) -> list[str]:
    with get_client(sync_client=True) as client:
        found = client.read_deployment(deployment_id)
    assert found.parameter_openapi_schema is not None
    return list(found.parameter_openapi_schema["properties"]["unit"]["enum"])


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_a_plan_reloaded_while_serving_gives_the_form_its_new_lists(
    seeded: Plan, engine: Engine
) -> None:
    from flows.serving import keep_forms_current, plan_digest, refresh_forms

    seen = plan_digest(PLAN)
    deployment_id = registered("record-submission")["id"]
    assert asyncio.run(refresh_forms(PLAN)) == 0  # as served: nothing to change
    reload_with_unit_renamed(engine, "Huyện ủy Hương Khê", "Huyện ủy huyện Hương Khê")
    assert plan_digest(PLAN) != seen

    async def serving_for_a_while() -> None:
        refresher = asyncio.create_task(keep_forms_current(PLAN, seen, every=0.1))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            if "huong-khe — Huyện ủy huyện Hương Khê" in unit_entries_of(deployment_id):
                break
        refresher.cancel()

    asyncio.run(serving_for_a_while())
    entries = unit_entries_of(deployment_id)
    assert "huong-khe — Huyện ủy huyện Hương Khê" in entries
    assert "huong-khe — Huyện ủy Hương Khê" not in entries


def test_the_served_schema_is_the_one_prefect_registers() -> None:
    """serving.py gives a RunnerDeployment its schema through a private attribute (Prefect has
    no public one): if Prefect renames it, say so here rather than serve forms without lists."""
    assert "_parameter_openapi_schema" in RunnerDeployment.__private_attributes__
