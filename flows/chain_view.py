"""What the preparation chain shows in the Prefect UI, computed before anything runs.

One node per deliverable, in the plan's dependency order, each ending in the state of its
worst unit ("Quá hạn 2/13", red); inside it, one node per assignment (or, for a plan too big
for a task run each, one node per status). Pure data: the Prefect calls are in flows/chain.py.

Prefect's graph draws labels with an ASCII-only bitmap font ("Huyện ủy Vũ Quang" would read
"Huyn y V Quang"), so node names are spelled without diacritics; the Vietnamese names are
in the states' names and messages, the popovers, and the artifacts."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from flows.states import message_for
from models.evaluate import AssignmentStatus
from models.plan import Plan
from models.statuses import DISPLAY_ORDER, Status

# Above this many assignments a task run each costs more than a run may (≈ 6 ms per task run
# on the development machine: 10,011 would be a minute of Prefect overhead alone); the chain
# then shows one task run per (deliverable, status), its message naming the units.
PER_ASSIGNMENT_LIMIT = 2_000
# Units named in a grouped node's message, at most (the late table and the board have all).
NAMED_UNITS = 60
# Above this many deliverables a subflow each costs more than a run may (Prefect spends
# ≈ 0.25 s on a subflow here: 211 deliverables are 54 s before any work); each deliverable
# is then one task run at the top level, its message naming its units by status.
SUBFLOW_LIMIT = 60

# The status of a run as a tag the UI's tag filter finds (ASCII, lower case, dashes).
STATUS_TAGS: dict[Status, str] = {
    Status.OVERDUE: "qua-han",
    Status.AT_RISK: "nguy-co",
    Status.DUE_SOON: "sap-den-han",
    Status.NOT_DUE: "chua-den-han",
    Status.OPEN: "khong-co-han",
    Status.DONE_LATE: "nop-tre",
    Status.DONE_ON_TIME: "dung-han",
    Status.WAIVED: "duoc-mien",
    Status.RETURNED: "bi-tra-lai",
    Status.IN_REVIEW: "cho-duyet",
}
# Only lateness is red. Prefect has no terminal "warning" type (terminal types are COMPLETED,
# FAILED, CANCELLED, CRASHED), so at_risk is Completed and carries its label as the state name;
# so are returned (Bị trả lại, whose lateness the overdue notices and late tables carry) and
# in_review (Chờ duyệt).
FAILING: frozenset[Status] = frozenset({Status.OVERDUE})
NO_DIACRITIC = str.maketrans({"đ": "d", "Đ": "D"})


def ascii_text(text: str) -> str:
    """`Huyện ủy Đức Thọ` → `Huyen uy Duc Tho`: what Prefect's graph font can draw. Letters
    lose their marks; any other non-ASCII character is dropped."""
    decomposed = unicodedata.normalize("NFD", text.translate(NO_DIACRITIC))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.encode("ascii", "ignore").decode().split())


@dataclass(frozen=True)
class Node:
    """One task run inside a deliverable: an assignment, or every assignment of one status."""

    run_name: str
    status: Status
    message: str
    units: tuple[str, ...] = ()  # the units' names (Vietnamese)

    @property
    def failing(self) -> bool:
        return self.status in FAILING

    @property
    def tag(self) -> str:
        return STATUS_TAGS[self.status]


@dataclass(frozen=True)
class DeliverableNode:
    """One deliverable of the chain: its run's name, its worst status and its nodes."""

    code: str
    run_name: str
    worst: Status
    worst_count: int
    total: int
    message: str
    nodes: tuple[Node, ...]
    after: tuple[str, ...]

    @property
    def failing(self) -> bool:
        return self.worst in FAILING

    @property
    def state_name(self) -> str:
        """`Quá hạn 2/13`: the worst status and how many of the units are in it."""
        return f"{self.worst.label} {self.worst_count}/{self.total}"

    @property
    def units_message(self) -> str:
        """The deliverable's message and, status by status, its units (a flat chain's node):
        `…: Quá hạn 2 · Hoàn thành đúng hạn 11 — Quá hạn: Huyện ủy Đức Thọ, Thị ủy Kỳ Anh — …`."""
        by_status: dict[Status, list[str]] = {}
        for node in self.nodes:
            by_status.setdefault(node.status, []).extend(node.units)
        lists = [
            named(status, by_status[status]) for status in DISPLAY_ORDER if status in by_status
        ]
        return " — ".join((self.message, *lists))

    @property
    def tags(self) -> tuple[str, ...]:
        """A tag for every status among its units: the tag filter `qua-han` lists every
        deliverable with an overdue unit."""
        present = {node.status for node in self.nodes}
        return tuple(STATUS_TAGS[s] for s in DISPLAY_ORDER if s in present)


def worst_of(statuses: Sequence[AssignmentStatus]) -> tuple[Status, int]:
    """The most urgent status among `statuses` (DISPLAY_ORDER) and how many have it."""
    present = {s.status for s in statuses}
    worst = next(s for s in DISPLAY_ORDER if s in present)
    return worst, sum(1 for s in statuses if s.status is worst)


def counts_text(statuses: Sequence[AssignmentStatus]) -> str:
    """`Quá hạn 2 · Hoàn thành đúng hạn 11`: every status present, most urgent first."""
    counts = {s: 0 for s in DISPLAY_ORDER}
    for item in statuses:
        counts[item.status] += 1
    return " · ".join(f"{status.label} {n}" for status, n in counts.items() if n)


def named(status: Status, units: Sequence[str]) -> str:
    """`Quá hạn: Huyện ủy Đức Thọ, Thị ủy Kỳ Anh`, at most NAMED_UNITS names then how many more."""
    more = f" và {len(units) - NAMED_UNITS} đơn vị khác" if len(units) > NAMED_UNITS else ""
    return f"{status.label}: {', '.join(units[:NAMED_UNITS])}{more}"


def assignment_node(plan: Plan, item: AssignmentStatus, message: str) -> Node:
    """`bc-huyen - Huyen uy Duc Tho`: the deliverable code and the unit's name in ASCII."""
    unit = plan.unit_name(item.unit)
    name = f"{item.deliverable} - {ascii_text(unit)}"
    return Node(name, item.status, f"{unit}: {message}", (unit,))


def status_node(
    plan: Plan, deliverable: str, status: Status, items: Sequence[AssignmentStatus]
) -> Node:
    """`bc-huyen - Qua han (12 don vi)` and, in its message, the units by name."""
    name = f"{deliverable} - {ascii_text(status.label)} ({len(items)} don vi)"
    units = tuple(plan.unit_name(item.unit) for item in items)
    return Node(name, status, f"{named(status, units)}.", units)


def chain_view(
    plan: Plan,
    statuses: Sequence[AssignmentStatus],
    per_assignment: bool | None = None,
) -> list[DeliverableNode]:
    """The chain of `statuses` (in the plan's order, prerequisites first). `per_assignment`
    forces the layout (default: a node per assignment up to PER_ASSIGNMENT_LIMIT)."""
    if per_assignment is None:
        per_assignment = len(statuses) <= PER_ASSIGNMENT_LIMIT
    by_deliverable: dict[str, list[AssignmentStatus]] = {code: [] for code in plan.deliverables}
    for item in statuses:
        by_deliverable[item.deliverable].append(item)
    chain = []
    for code, items in by_deliverable.items():
        if not items:
            continue
        deliverable = plan.deliverables[code]
        worst, count = worst_of(items)
        if per_assignment:
            nodes = tuple(assignment_node(plan, i, message_for(plan, i)) for i in items)
        else:
            nodes = tuple(
                status_node(plan, code, status, [i for i in items if i.status is status])
                for status in DISPLAY_ORDER
                if any(i.status is status for i in items)
            )
        state = f"{worst.label} {count}/{len(items)}"
        chain.append(
            DeliverableNode(
                code=code,
                run_name=f"{code} ({ascii_text(state)})",
                worst=worst,
                worst_count=count,
                total=len(items),
                message=f"{deliverable.title}: {counts_text(items)}",
                nodes=nodes,
                after=tuple(a for a in deliverable.after if by_deliverable.get(a)),
            )
        )
    return chain
