"""Benchmark of the Prefect orchestration (a script, not a test): track-plan vs a bare flow.

Run: `.venv/bin/python bench/prefect_bench.py [--groups 10 --units 50 --deliverables 20]`.
Against PREFECT_API_URL when set, else a temporary local Prefect server. For the seed plan
and the synthetic plan (default: the 10,011-assignment one), prints the task runs per run and
the median wall time of `track-plan` when every status is new (an event per assignment, as on
a first run) and when nothing changed, and of a bare Prefect flow with the same node
structure (a subflow per deliverable, as many no-op task runs in each, the same edges and
status tags).
Targets: track-plan ≤ 1.5 × bare, and ≤ 60 s for the 10k plan.
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
from typing import Any
from zoneinfo import ZoneInfo

# Before Prefect is imported (it configures its logging once): the runs' INFO lines (a line
# per task run, an ERROR per overdue one) would bury the results.
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")

from prefect import Flow, flow, get_client, tags, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.filters import (
    TaskRunFilter,
    TaskRunFilterState,
    TaskRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.settings import temporary_settings
from prefect.testing.utilities import prefect_test_harness
from sqlalchemy import delete

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import store_with_arrivals, synthetic_plan_text  # noqa: E402
from flows import runtime  # noqa: E402
from flows.chain_view import SUBFLOW_LIMIT, DeliverableNode, chain_view  # noqa: E402
from flows.prefect_settings import local_api, local_runs  # noqa: E402
from flows.track import track_plan  # noqa: E402
from models.evaluate import evaluate  # noqa: E402
from models.loader import LoadedPlan, read_plan_file, read_plan_text  # noqa: E402
from models.storage.engine import make_engine, session_scope  # noqa: E402
from models.storage.state_store import read_states  # noqa: E402
from models.storage.store import read_snapshot  # noqa: E402
from models.storage.tables import AssignmentStateRow  # noqa: E402
from notifications.board import board_view  # noqa: E402
from notifications.board_files import render_board_files  # noqa: E402
from notifications.dispatch import deliver_due, notify  # noqa: E402

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
AS_OF = datetime(2023, 3, 12, 9, tzinfo=HCM)
TARGET = 1.5


@task(name="noop", cache_policy=NO_CACHE)
def noop() -> None:
    """A task that does nothing: what Prefect costs per task run."""


@flow(name="bare-deliverable")
def bare_deliverable(code: str, after: list[list[str]], node_tags: list[str]) -> list[str]:
    """A subflow of a no-op task run per node, each with that node's status tag (Prefect
    checks a tagged task run's concurrency slots: tags are part of the structure issue 14
    asked for); its result, passed on, draws the edges."""
    for tag in node_tags:
        with tags(tag):
            noop()
    return [code]


@task(name="bare-deliverable-task", cache_policy=NO_CACHE)
def bare_deliverable_task(code: str, after: list[list[str]]) -> list[str]:
    """A flat chain's deliverable: one no-op task run; its result, passed on, draws the edges."""
    return [code]


def bare_graph(chain: list[DeliverableNode]) -> Flow[[], None]:
    """A bare Prefect flow with track-plan's node structure: a subflow per deliverable, in the
    same order, taking its prerequisites' results (Prefect's own way to draw an edge), each
    holding as many no-op task runs as track-plan's subflow has nodes, with the same status
    tags; or, for a chain of more than SUBFLOW_LIMIT deliverables (run flat), a task run per
    deliverable, with its status tags."""
    if len(chain) > SUBFLOW_LIMIT:
        return bare_flat_graph(chain)

    @flow(name="bare-chain")
    def run() -> None:
        results: dict[str, list[str]] = {}
        for node in chain:
            after = [results[code] for code in node.after if code in results]
            with tags(*node.tags):
                node_tags = [item.tag for item in node.nodes]
                results[node.code] = bare_deliverable(node.code, after, node_tags)

    return run


def bare_flat_graph(chain: list[DeliverableNode]) -> Flow[[], None]:
    @flow(name="bare-flat-chain")
    def run() -> None:
        results: dict[str, list[str]] = {}
        for node in chain:
            after = [results[code] for code in node.after if code in results]
            with tags(*node.tags):
                results[node.code] = bare_deliverable_task(node.code, after)

    return run


FINAL = TaskRunFilter(
    state=TaskRunFilterState(
        type=TaskRunFilterStateType(any_=[StateType.COMPLETED, StateType.FAILED])
    )
)


def final_task_runs() -> int:
    """Task runs the server has recorded in a final state, all runs together (its count API)."""
    with get_client(sync_client=True) as client:
        response = client._client.post(
            "/task_runs/count", json={"task_runs": FINAL.model_dump(mode="json")}
        )
    response.raise_for_status()
    return int(response.json())


def settle(expected: int, timeout: float = 120.0) -> None:
    """Wait until the server has recorded `expected` final task runs in all, so that one
    run's backlog is not charged to the next."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if final_task_runs() >= expected:
            return
        time.sleep(0.5)
    print(f"  (server still recording task runs after {timeout:.0f} s)")


class Timer:
    """Wall time of flow calls (return_state=True), each followed by the server settling."""

    def __init__(self) -> None:
        self.recorded = final_task_runs()

    def __call__(self, run: Callable[[], Any], task_runs: int) -> float:
        start = time.perf_counter()
        state = run()
        elapsed = time.perf_counter() - start
        assert state.is_completed(), state
        self.recorded += task_runs
        settle(self.recorded)
        return elapsed


def forget_statuses(url: str) -> None:
    """Empty the last-seen statuses, so the next track-plan run finds every status new."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        session.exec(delete(AssignmentStateRow))
    engine.dispose()


def chain_of(loaded: LoadedPlan, url: str) -> list[DeliverableNode]:
    """track-plan's chain at AS_OF, on what the benchmark's database holds."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        snapshot = read_snapshot(session, loaded.plan.code)
    engine.dispose()
    return chain_view(snapshot.plan, evaluate(snapshot.plan, snapshot.submissions, AS_OF))


def task_runs_of(chain: list[DeliverableNode]) -> int:
    """Task runs of one run: a subflow's tracking task run per deliverable, plus its nodes;
    for a flat chain, one per deliverable."""
    if len(chain) > SUBFLOW_LIMIT:
        return len(chain)
    return len(chain) + sum(len(node.nodes) for node in chain)


def own_work(code: str, board_dir: Path) -> float:
    """Seconds of what a track-plan run does besides Prefect, done without it, on an unchanged
    plan: read the plan, its arrivals and the last statuses; evaluate; render and write the
    board's files; decide and send the e-mails (none new then). What is left of a run's time
    (the chain's task runs, the artifacts, the run's own states) is Prefect's part."""
    start = time.perf_counter()
    with runtime.session() as session:
        snapshot = read_snapshot(session, code)
        read_states(session, code)
    plan = snapshot.plan
    statuses = evaluate(plan, snapshot.submissions, AS_OF)
    render_board_files(board_view(plan, statuses, AS_OF)).write(board_dir)
    current = runtime.current()
    with current.session() as session:
        notify(session, snapshot, statuses, AS_OF, mail_from=current.settings.mail.sender)
    deliver_due(
        current.session, current.transport(), code, AS_OF, mail_from=current.settings.mail.sender
    )
    return time.perf_counter() - start


def measure(loaded: LoadedPlan, url: str, repeat: int) -> dict[str, float]:
    """Median seconds of: track-plan finding every status new (an event per assignment),
    track-plan with nothing changed (no events), and the bare flow. Runs are interleaved."""
    plan = loaded.plan
    chain = chain_of(loaded, url)
    count = task_runs_of(chain)
    graph = bare_graph(chain)
    timed = Timer()

    def track() -> Any:
        return track_plan(plan.code, as_of=AS_OF, return_state=True)

    def bare() -> Any:
        return graph(return_state=True)

    timed(bare, count)  # warm-up: first server paths, first connections
    timed(track, count)
    times: dict[str, list[float]] = {"first": [], "steady": [], "bare": [], "own": []}
    with tempfile.TemporaryDirectory() as board_dir:
        for _ in range(repeat):
            forget_statuses(url)
            times["first"].append(timed(track, count))
            times["steady"].append(timed(track, count))
            times["bare"].append(timed(bare, count))
            times["own"].append(own_work(plan.code, Path(board_dir)))
    return {"task_runs": count, **{key: statistics.median(v) for key, v in times.items()}}


@contextmanager
def prefect_api(harness: bool) -> Iterator[str]:
    """PREFECT_API_URL when set; else the temporary API `dondoc track` starts (flows/local_api.py)
    on a Prefect home of its own, or with `--harness` Prefect's test harness (its ephemeral
    server, whose SQLite 503s the client waits 2 s on)."""
    with ExitStack() as stack:
        if os.environ.get("PREFECT_API_URL"):
            yield os.environ["PREFECT_API_URL"]
            return
        home = stack.enter_context(tempfile.TemporaryDirectory())
        stack.enter_context(temporary_settings(updates={"PREFECT_HOME": home}))
        stack.enter_context(local_runs(PREFECT_LOGGING_LEVEL="WARNING"))
        if harness:
            stack.enter_context(prefect_test_harness(server_startup_timeout=120))
            yield "Prefect's test harness (ephemeral server)"
            return
        stack.enter_context(local_api())
        yield "dondoc's temporary API (flows/local_api.py)"


def report(name: str, loaded: LoadedPlan, numbers: dict[str, float]) -> None:
    count = len(loaded.plan.assignments)
    bare = numbers["bare"]
    print(f"{name:<10} {count:>5} assignments  {numbers['task_runs']:.0f} task runs per run")
    for label, key in (("every status new", "first"), ("nothing changed", "steady")):
        ratio = numbers[key] / bare
        verdict = "ok" if ratio <= TARGET else f"over {TARGET}×"
        print(
            f"{name:<10} {count:>5} assignments  track-plan, {label:<17} {numbers[key]:6.2f} s"
            f"  bare {bare:6.2f} s  ratio {ratio:4.2f}×  {verdict}"
        )
    own = numbers["own"]
    prefect_part = numbers["steady"] - own
    ratio = prefect_part / bare
    verdict = "ok" if ratio <= TARGET else f"over {TARGET}×"
    print(
        f"{name:<10} {count:>5} assignments  dondoc's own work without Prefect {own:6.2f} s;"
        f" Prefect's part of an unchanged run {prefect_part:6.2f} s  ratio {ratio:4.2f}×  {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument("--units", type=int, default=50, help="units per group")
    parser.add_argument("--deliverables", type=int, default=20, help="per group")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, median kept")
    parser.add_argument("--only", choices=("seed", "synthetic"), help="measure one plan")
    parser.add_argument("--harness", action="store_true", help="Prefect's test harness as API")
    args = parser.parse_args()
    plans = {
        "seed": read_plan_file(ROOT / "plans" / "gap-mat-2023.yaml"),
        "synthetic": read_plan_text(
            synthetic_plan_text(args.groups, args.units, args.deliverables), "synthetic"
        ),
    }
    with tempfile.TemporaryDirectory() as folder, prefect_api(args.harness) as api:
        print(f"Prefect API: {api}; {os.cpu_count()} CPU(s)")
        for name, loaded in plans.items():
            if args.only and name != args.only:
                continue
            url = f"sqlite:///{Path(folder) / name}.db"
            store_with_arrivals(url, loaded)
            os.environ["DONDOC_DATABASE_URL"] = url  # the flow reads its settings, like a worker
            runtime.reset()  # … anew for this plan's database
            report(name, loaded, measure(loaded, url, args.repeat))


if __name__ == "__main__":
    main()
