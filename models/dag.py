"""Graph utilities for the plan's DAG: cycle finding and a stable topological order."""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence


def find_cycle(prerequisites: Mapping[str, Sequence[str]]) -> list[str] | None:
    """A cycle as a closed walk `[a, b, c, a]` (each waits on the next), or None.

    Iterative DFS so a long chain cannot hit Python's recursion limit. Edges to nodes that are
    not keys are ignored (unknown references are reported elsewhere).
    """
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(prerequisites, white)
    for root in prerequisites:
        if colour[root] != white:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = [root]
        colour[root] = grey
        while stack:
            node, index = stack[-1]
            edges = [e for e in prerequisites[node] if e in colour]
            if index == len(edges):
                colour[node] = black
                stack.pop()
                path.pop()
                continue
            stack[-1] = (node, index + 1)
            nxt = edges[index]
            if colour[nxt] == grey:
                return [*path[path.index(nxt) :], nxt]
            if colour[nxt] == white:
                colour[nxt] = grey
                stack.append((nxt, 0))
                path.append(nxt)
    return None


def topological_order(prerequisites: Mapping[str, Sequence[str]]) -> list[str]:
    """Prerequisites before dependents; ties keep the order of the mapping (the plan's order).

    Raises ValueError on a cycle; callers validate first with `find_cycle`.
    """
    position = {node: i for i, node in enumerate(prerequisites)}
    remaining = {node: len(set(prerequisites[node])) for node in prerequisites}
    dependents: dict[str, list[str]] = {node: [] for node in prerequisites}
    for node, prereqs in prerequisites.items():
        for prereq in set(prereqs):
            dependents[prereq].append(node)
    heap = [(position[n], n) for n, count in remaining.items() if count == 0]
    order: list[str] = []
    heapq.heapify(heap)
    while heap:
        _, node = heapq.heappop(heap)
        order.append(node)
        for dependent in dependents[node]:
            remaining[dependent] -= 1
            if remaining[dependent] == 0:
                heapq.heappush(heap, (position[dependent], dependent))
    if len(order) != len(prerequisites):
        raise ValueError("the graph has a cycle")
    return order
