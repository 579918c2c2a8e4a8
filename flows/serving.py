"""`dondoc serve`: the deployments that prefect.yaml declares, served from this process.

prefect.yaml is the one declaration (names, entrypoints, descriptions, schedules, tags);
this module reads it, so `prefect deploy --all` on a worker and `dondoc serve` here cannot
drift apart. The plan to track is the one `dondoc serve --plan` names; the record forms list
that plan's deliverables and units (flows/record_form.py), read from the stored plan when the
deployments are built and again whenever the plan is reloaded while serving."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from prefect import Flow
from prefect.deployments.runner import RunnerDeployment
from prefect.logging import get_logger
from prefect.schedules import Cron
from prefect.utilities.callables import ParameterSchema, parameter_schema
from ruamel.yaml import YAML

from flows import runtime
from flows.record_form import TAILORS, tailored
from models.plan import Plan

PREFECT_YAML = Path(__file__).resolve().parents[1] / "prefect.yaml"
# How often a serving process asks whether the plan was reloaded (one indexed query).
FORM_REFRESH_SECONDS = 30.0

log = get_logger("dondoc.serve")


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


def stored_plan(plan: str) -> Plan:
    """The plan as the runtime's database holds it (a NotFoundError names a plan not loaded)."""
    from models.storage.store import read_snapshot

    with runtime.session() as session:
        return read_snapshot(session, plan).plan


def deployments(plan: str, path: Path = PREFECT_YAML) -> list[RunnerDeployment]:
    """Every deployment of prefect.yaml, for `plan`, with its schedules and tags plus the
    plan's own tag; the record forms list the stored plan's deliverables and units."""
    stored = stored_plan(plan)
    return [_runner(declaration, stored) for declaration in declared(path)]


def _runner(declaration: dict[str, Any], plan: Plan) -> RunnerDeployment:
    schedules = [
        Cron(
            schedule["cron"], timezone=schedule.get("timezone"), active=schedule.get("active", True)
        )
        for schedule in declaration.get("schedules", [])
    ]
    flow = flow_at(declaration["entrypoint"])
    deployment = cast(  # sync_compatible: called sync, not a coroutine
        RunnerDeployment,
        flow.to_deployment(
            name=declaration["name"],
            schedules=schedules,
            parameters={**declaration.get("parameters", {}), "plan": plan.code},
            description=" ".join(str(declaration.get("description", "")).split()),
            tags=[*declaration.get("tags", []), plan.code],
        ),
    )
    # Prefect offers no public way to give a deployment a schema other than its flow's.
    deployment._parameter_openapi_schema = form_of(flow, plan)
    return deployment


def form_of(flow: Flow[..., Any], plan: Plan) -> ParameterSchema:
    """The flow's parameter schema, with the plan's lists where the flow's form takes them."""
    return tailored(flow.name, parameter_schema(flow), plan)


def plan_digest(plan: str) -> str | None:
    """What a reload changes (the plan's id and the digest of its text); None once unknown."""
    from models.storage.store import plan_version

    with runtime.session() as session:
        version = plan_version(session, plan)
    return f"{version.plan_id}:{version.spec_digest}" if version else None


async def refresh_forms(plan: str, path: Path = PREFECT_YAML) -> int:
    """Give the served record deployments the forms of the plan as stored now (a PATCH of
    their parameter schema through the API); how many changed."""
    from prefect import get_client
    from prefect.client.schemas.actions import DeploymentUpdate

    stored = await asyncio.to_thread(stored_plan, plan)
    changed = 0
    async with get_client() as client:
        for declaration in declared(path):
            flow = flow_at(declaration["entrypoint"])
            if flow.name not in TAILORS:
                continue
            form = form_of(flow, stored).model_dump(exclude_unset=True)
            found = await client.read_deployment_by_name(f"{flow.name}/{declaration['name']}")
            if found.parameter_openapi_schema == form:
                continue
            update = DeploymentUpdate(parameter_openapi_schema=form)
            await client.update_deployment(found.id, update)
            changed += 1
    return changed


async def keep_forms_current(
    plan: str, seen: str | None, every: float = FORM_REFRESH_SECONDS
) -> None:
    """While serving: every `every` seconds, one cheap query asks whether `plan` was reloaded
    (`dondoc plan load`) since the forms were built from version `seen`; if so the record
    forms get its new lists. A database or API that does not answer is logged and asked again
    next time; serving goes on."""
    while True:
        await asyncio.sleep(every)
        try:
            digest = await asyncio.to_thread(plan_digest, plan)
            if digest is None or digest == seen:
                continue
            changed = await refresh_forms(plan)
            seen = digest
            log.info("Kế hoạch %s được nạp lại: %d biểu mẫu có danh sách mới", plan, changed)
        except Exception as error:  # not swallowed: logged, and the next round asks again
            log.warning("Chưa cập nhật được biểu mẫu theo kế hoạch %s: %s", plan, error)


async def serve_and_refresh(
    served: Sequence[RunnerDeployment],
    plan: str,
    seen: str | None,
    every: float = FORM_REFRESH_SECONDS,
) -> None:
    """Prefect's `aserve` of the deployments, with `keep_forms_current` beside it."""
    from prefect import aserve

    refresher = asyncio.create_task(keep_forms_current(plan, seen, every))
    try:
        await aserve(*served)
    finally:
        refresher.cancel()


def serve(plan: str, every: float = FORM_REFRESH_SECONDS) -> None:
    """`dondoc serve`: the deployments of prefect.yaml for `plan`, until interrupted; the
    record forms follow the plan's reloads."""
    from prefect.exceptions import TerminationSignal

    seen = plan_digest(plan)  # before building: a reload in between is caught by the refresher
    served = deployments(plan)
    try:
        asyncio.run(serve_and_refresh(served, plan, seen, every))
    except (KeyboardInterrupt, TerminationSignal):
        log.info("Dừng phục vụ các deployment của kế hoạch %s", plan)
