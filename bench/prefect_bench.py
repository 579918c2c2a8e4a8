"""Benchmark of the Prefect orchestration (a script, not a test): track-plan vs a bare flow.

Run: `.venv/bin/python bench/prefect_bench.py [--groups 4 --units 25 --deliverables 20]`.
Against PREFECT_API_URL when set, else a temporary local Prefect server. For the seed plan
and a synthetic plan of about 2,000 assignments, prints the median wall time of `track-plan`
when every status is new (an event per assignment, as on a first run) and when nothing
changed (no events), and of a bare flow with as many no-op tasks, wired the same way and on
the same task runner. Target: track-plan ≤ 1.5 × bare.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, cast
from uuid import UUID
from zoneinfo import ZoneInfo

from prefect import Flow, allow_failure, flow, get_client, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterId,
    TaskRunFilter,
    TaskRunFilterState,
    TaskRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.futures import PrefectFuture, wait
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.testing.utilities import prefect_test_harness
from sqlalchemy import delete

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import store_with_arrivals, synthetic_plan_text  # noqa: E402
from flows import runtime  # noqa: E402
from flows.prefect_settings import local_runs  # noqa: E402
from flows.track import TASK_THREADS, track_plan  # noqa: E402
from models.loader import LoadedPlan, read_plan_file, read_plan_text  # noqa: E402
from models.plan import AssignmentRef, Plan  # noqa: E402
from models.storage.engine import make_engine, session_scope  # noqa: E402
from models.storage.tables import AssignmentStateRow  # noqa: E402

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
AS_OF = datetime(2023, 3, 12, 9, tzinfo=HCM)
TARGET = 1.5


@task(name="noop", cache_policy=NO_CACHE)
def noop() -> None:
    """A task that does nothing: what Prefect costs per task run."""


def bare_graph(plan: Plan) -> Flow[[], None]:
    """A flow of as many no-op tasks as the plan has assignments, wired like `track-plan`."""
    # Prefect's own types call its thread pool incompatible with the decorator's parameter
    pool = cast(TaskRunner[PrefectFuture[Any]], ThreadPoolTaskRunner(max_workers=TASK_THREADS))

    @flow(name="bare-graph", task_runner=pool)
    def run() -> None:
        futures: dict[AssignmentRef, PrefectFuture[None]] = {}
        for ref in plan.assignments:
            upstream = [allow_failure(futures[p]) for p in plan.prerequisites_of(ref)]
            # return_state named (the default): only those overloads of submit() take wait_for
            futures[ref] = noop.submit(return_state=False, wait_for=upstream)
        wait(list(futures.values()))

    return run


def settle(flow_run_id: UUID, task_runs: int, timeout: float = 120.0) -> None:
    """Wait until the server has recorded the run's task runs in a final state, so that one
    run's backlog is not charged to the next. (offset = n - 1: is there an n-th row?)"""
    final = TaskRunFilter(
        state=TaskRunFilterState(
            type=TaskRunFilterStateType(any_=[StateType.COMPLETED, StateType.FAILED])
        )
    )
    runs = FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            found = client.read_task_runs(
                flow_run_filter=runs, task_run_filter=final, offset=task_runs - 1, limit=1
            )
            if found:
                return
            time.sleep(0.5)
    print(f"  (server still recording task runs of {flow_run_id} after {timeout:.0f} s)")


def timed(run: Callable[[], Any], task_runs: int) -> float:
    """Wall time of one flow call (return_state=True), then wait for the server to settle."""
    start = time.perf_counter()
    state = run()
    elapsed = time.perf_counter() - start
    assert state.is_completed(), state
    settle(state.state_details.flow_run_id, task_runs)
    return elapsed


def forget_statuses(url: str) -> None:
    """Empty the last-seen statuses, so the next track-plan run finds every status new."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        session.exec(delete(AssignmentStateRow))
    engine.dispose()


def measure(loaded: LoadedPlan, url: str, repeat: int) -> dict[str, float]:
    """Median seconds of: track-plan finding every status new (an event per assignment),
    track-plan with nothing changed (no events), and the bare flow. Runs are interleaved."""
    plan = loaded.plan
    count = len(plan.assignments)
    graph = bare_graph(plan)

    def track() -> Any:
        return track_plan(plan.code, as_of=AS_OF, return_state=True)

    def bare() -> Any:
        return graph(return_state=True)

    timed(bare, count)  # warm-up: first server paths, first connections
    # track-plan's own task runs: read-plan, publish-artifacts, and save-statuses when a
    # status changed
    timed(track, count + 3)
    times: dict[str, list[float]] = {"first": [], "steady": [], "bare": []}
    for _ in range(repeat):
        forget_statuses(url)
        times["first"].append(timed(track, count + 3))
        times["steady"].append(timed(track, count + 2))
        times["bare"].append(timed(bare, count))
    return {key: statistics.median(values) for key, values in times.items()}


@contextmanager
def prefect_api() -> Iterator[str]:
    """PREFECT_API_URL when set; else a temporary local server with its own database."""
    with ExitStack() as stack:
        if os.environ.get("PREFECT_API_URL"):
            yield os.environ["PREFECT_API_URL"]
            return
        stack.enter_context(local_runs(PREFECT_LOGGING_LEVEL="WARNING"))
        stack.enter_context(prefect_test_harness(server_startup_timeout=120))
        yield "temporary server"


def report(name: str, loaded: LoadedPlan, numbers: dict[str, float]) -> None:
    count = len(loaded.plan.assignments)
    bare = numbers["bare"]
    for label, key in (("every status new", "first"), ("nothing changed", "steady")):
        ratio = numbers[key] / bare
        verdict = "ok" if ratio <= TARGET else f"over {TARGET}×"
        print(
            f"{name:<10} {count:>5} assignments  track-plan, {label:<17} {numbers[key]:6.2f} s"
            f"  bare {bare:6.2f} s  ratio {ratio:4.2f}×  {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=4)
    parser.add_argument("--units", type=int, default=25, help="units per group")
    parser.add_argument("--deliverables", type=int, default=20, help="per group")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, median kept")
    args = parser.parse_args()
    plans = {
        "seed": read_plan_file(ROOT / "plans" / "gap-mat-2023.yaml"),
        "synthetic": read_plan_text(
            synthetic_plan_text(args.groups, args.units, args.deliverables), "synthetic"
        ),
    }
    with tempfile.TemporaryDirectory() as folder, prefect_api() as api:
        print(f"Prefect API: {api}; {os.cpu_count()} CPU(s)")
        for name, loaded in plans.items():
            url = f"sqlite:///{Path(folder) / name}.db"
            store_with_arrivals(url, loaded)
            os.environ["DONDOC_DATABASE_URL"] = url  # the flow reads its settings, like a worker
            runtime.reset()  # … anew for this plan's database
            report(name, loaded, measure(loaded, url, args.repeat))


if __name__ == "__main__":
    main()
