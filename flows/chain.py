"""The preparation chain as Prefect runs: a subflow per deliverable, prerequisites first, each
waiting on its prerequisites' subflows, its task runs the assignments (flows/chain_view.py).

The top level of a track-plan run is then the plan's chain and nothing else, and the UI's
graph expands a deliverable to its units on a click. Each node's state is decided before it
runs: a task run only reports it.

A plan of more than SUBFLOW_LIMIT deliverables is run flat: the same chain, in the same
order, with the same states, names, tags and edges, but each deliverable is one task run
whose message names its units by status (Prefect's cost per subflow would make such a run
minutes long; docs/benchmarks.md)."""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State
from prefect.context import TagsContext
from prefect.states import Completed, Failed
from prefect.utilities.engine import (
    link_state_to_flow_run_result,
    link_state_to_task_run_result,
)

from flows.chain_view import SUBFLOW_LIMIT, DeliverableNode, Node


@dataclass
class ChainRun:
    """The chain being run: where a deliverable's subflow finds its nodes (its parameters stay
    two strings in the UI), and each finished subflow's state and marker."""

    nodes: dict[str, DeliverableNode]
    outer_tags: frozenset[str]
    states: dict[str, State] = field(default_factory=dict)
    finished: dict[str, Finished] = field(default_factory=dict)


CURRENT: ContextVar[ChainRun] = ContextVar("dondoc_chain_run")


def node_state(node: Node) -> State:
    """A new state on each call: Prefect adopts a returned state only while it has no run id."""
    make = Failed if node.failing else Completed
    return make(name=node.status.label, message=node.message)


def deliverable_state(node: DeliverableNode, message: str | None = None) -> State:
    """`Quá hạn 2/13` (Failed) when a unit is overdue, else Completed named for its worst."""
    make = Failed if node.failing else Completed
    return make(name=node.state_name, message=message or node.message)


@task(name="phan-cong", task_run_name="{node.run_name}", cache_policy=NO_CACHE)
def assess(node: Node) -> State:
    """One assignment (or one status of a big deliverable): ends in the state it was given."""
    return node_state(node)


@task(name="nhiem-vu-gon", task_run_name="{node.run_name}", cache_policy=NO_CACHE)
def assess_deliverable(node: DeliverableNode) -> State:
    """A deliverable of a flat chain: ends in its worst state, its units named by status."""
    return deliverable_state(node, node.units_message)


@flow(name="nhiem-vu", flow_run_name="{label}")
def deliverable_run(deliverable: str, label: str) -> State:
    """Một nhiệm vụ của kế hoạch: mỗi đơn vị phải nộp là một task run, mang trạng thái của mình."""
    chain = CURRENT.get()
    node = chain.nodes[deliverable]
    for item in node.nodes:
        with TagsContext(current_tags=set(chain.outer_tags | {item.tag})):
            assess(item, return_state=True)
    return deliverable_state(node)


@dataclass(eq=False)
class Finished:
    """Stands for a finished deliverable in its dependents' `wait_for`. Linked to that
    subflow's state in the parent run (the way Prefect links a subflow's return value), so
    Prefect records the input as that flow run and the graph draws the edge; it is no future,
    so nothing waits (the upstream has already finished)."""

    code: str


def finished(code: str, state: State) -> Finished:
    marker = Finished(code)
    link_state_to_flow_run_result(state, marker)
    return marker


def run_chain(chain: Sequence[DeliverableNode]) -> dict[str, State]:
    """Run the chain in order (prerequisites first); the deliverables' states by code."""
    if len(chain) > SUBFLOW_LIMIT:
        return run_flat_chain(chain)
    return run_subflow_chain(chain)


def run_flat_chain(chain: Sequence[DeliverableNode]) -> dict[str, State]:
    """A task run per deliverable, waiting on its prerequisites' task runs (the graph's edges)."""
    outer = frozenset(TagsContext.get().current_tags)
    states: dict[str, State] = {}
    done: dict[str, Finished] = {}
    for node in chain:
        upstream = [done[code] for code in node.after if code in done]
        with TagsContext(current_tags=set(outer | set(node.tags))):
            state = assess_deliverable(node, wait_for=upstream, return_state=True)
        states[node.code] = state
        done[node.code] = Finished(node.code)
        link_state_to_task_run_result(state, done[node.code])
    return states


def run_subflow_chain(chain: Sequence[DeliverableNode]) -> dict[str, State]:
    """Run the chain's subflows in order (prerequisites first); their states by deliverable."""
    outer = frozenset(TagsContext.get().current_tags)
    run = ChainRun({node.code: node for node in chain}, outer)
    token = CURRENT.set(run)
    try:
        for node in chain:
            upstream = [run.finished[code] for code in node.after if code in run.finished]
            with TagsContext(current_tags=set(outer | set(node.tags))):
                state = deliverable_run(
                    node.code,
                    node.run_name,
                    wait_for=upstream,
                    return_state=True,
                )
            run.states[node.code] = state
            run.finished[node.code] = finished(node.code, state)
    finally:
        CURRENT.reset(token)
    return run.states
