"""prefect.yaml: valid for `prefect deploy`, and each entrypoint is the flow it names."""

from __future__ import annotations

import importlib

import pytest
from prefect import Flow
from prefect.cli.deploy._models import PrefectYamlModel  # what `prefect deploy` validates with
from prefect.client.schemas.schedules import CronSchedule
from ruamel.yaml import YAML

from tests.paths import ROOT

EXPECTED_FLOWS = {"track-plan": "track-plan", "record-submission": "record-submission"}


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


def test_dondoc_serve_serves_what_prefect_yaml_declares() -> None:
    from flows.serving import deployments as served

    declared = deployments()
    by_name = {d.name: d for d in served("gap-mat-2023")}
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
    assert by_name["record-submission"].parameters == {"plan": "gap-mat-2023"}
