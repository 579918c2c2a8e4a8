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

from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass

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


@dataclass(frozen=True)
class ChainRun:
    """The chain being run as subflows: where a deliverable's subflow finds its nodes (its
    parameters stay two strings in the UI) and the tags of the run around it."""

    nodes: dict[str, DeliverableNode]
    outer_tags: frozenset[str]


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
    deliverable's state in the parent run (the way Prefect links a subflow's or a task run's
    return value), so Prefect records the input as that run and the graph draws the edge; it
    is no future, so nothing waits (the upstream has already finished)."""

    code: str


def run_chain(chain: Sequence[DeliverableNode]) -> dict[str, State]:
    """Run the chain in order (prerequisites first); the deliverables' states by code."""
    if len(chain) > SUBFLOW_LIMIT:
        return run_flat_chain(chain)
    return run_subflow_chain(chain)


def run_flat_chain(chain: Sequence[DeliverableNode]) -> dict[str, State]:
    """A task run per deliverable, waiting on its prerequisites' task runs (the graph's edges)."""

    def run_node(node: DeliverableNode, upstream: list[Finished]) -> State:
        return assess_deliverable(node, wait_for=upstream, return_state=True)

    return run_in_order(chain, run_node, link_state_to_task_run_result)


def run_subflow_chain(chain: Sequence[DeliverableNode]) -> dict[str, State]:
    """Run the chain's subflows in order (prerequisites first); their states by deliverable."""
    outer = frozenset(TagsContext.get().current_tags)
    token = CURRENT.set(ChainRun({node.code: node for node in chain}, outer))

    def run_node(node: DeliverableNode, upstream: list[Finished]) -> State:
        return deliverable_run(node.code, node.run_name, wait_for=upstream, return_state=True)

    try:
        return run_in_order(chain, run_node, link_state_to_flow_run_result)
    finally:
        CURRENT.reset(token)


def run_in_order(
    chain: Sequence[DeliverableNode],
    run_node: Callable[[DeliverableNode, list[Finished]], State],
    link: Callable[[State, Finished], None],
) -> dict[str, State]:
    """The one loop of both forms: each node in order, under the run's tags and its own,
    waiting on the markers of its finished prerequisites; its state then linked to a marker
    of its own (`link`: as a subflow's or a task run's result) for its dependents."""
    outer = frozenset(TagsContext.get().current_tags)
    states: dict[str, State] = {}
    done: dict[str, Finished] = {}
    for node in chain:
        upstream = [done[code] for code in node.after if code in done]
        with TagsContext(current_tags=set(outer | set(node.tags))):
            states[node.code] = run_node(node, upstream)
        done[node.code] = Finished(node.code)
        link(states[node.code], done[node.code])
    return states
