"""`dondoc serve`: the deployments that prefect.yaml declares, served from this process.

prefect.yaml is the one declaration (names, entrypoints, descriptions, schedules, tags);
this module reads it, so `prefect deploy --all` on a worker and `dondoc serve` here cannot
drift apart. The plan to track is the one `dondoc serve --plan` names."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, cast

from prefect import Flow
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from ruamel.yaml import YAML

PREFECT_YAML = Path(__file__).resolve().parents[1] / "prefect.yaml"


def declared(path: Path = PREFECT_YAML) -> list[dict[str, Any]]:
    """The `deployments:` of prefect.yaml, as written."""
    document = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    return list(document["deployments"])


def flow_at(entrypoint: str) -> Flow[..., Any]:
    """The flow an entrypoint names: `flows/track.py:track_plan` → flows.track.track_plan."""
    path, function = entrypoint.split(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    found = getattr(module, function)
    if not isinstance(found, Flow):
        raise TypeError(f"{entrypoint} is not a Prefect flow")
    return found


def deployments(plan: str, path: Path = PREFECT_YAML) -> list[RunnerDeployment]:
    """Every deployment of prefect.yaml, for `plan`, with its schedules and tags plus the
    plan's own tag."""
    return [_runner(declaration, plan) for declaration in declared(path)]


def _runner(declaration: dict[str, Any], plan: str) -> RunnerDeployment:
    schedules = [
        Cron(
            schedule["cron"], timezone=schedule.get("timezone"), active=schedule.get("active", True)
        )
        for schedule in declaration.get("schedules", [])
    ]
    deployment = flow_at(declaration["entrypoint"]).to_deployment(
        name=declaration["name"],
        schedules=schedules,
        parameters={**declaration.get("parameters", {}), "plan": plan},
        description=" ".join(str(declaration.get("description", "")).split()),
        tags=[*declaration.get("tags", []), plan],
    )
    return cast(RunnerDeployment, deployment)  # sync_compatible: called sync, not a coroutine
