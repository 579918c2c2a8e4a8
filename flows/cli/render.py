"""Terminal rendering with rich: status tables, the plan tree, summaries (Vietnamese labels)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.markup import escape
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from models.evaluate import (
    AssignmentStatus,
    extended_summary,
    summarize,
    unacknowledged_count,
)
from models.fields import figures_text
from models.moments import local_text
from models.plan import GROUP_PREFIX, Deliverable, Plan
from models.statuses import Status

STYLES: dict[Status, str] = {
    Status.OVERDUE: "bold red",
    Status.AT_RISK: "dark_orange",
    Status.DUE_SOON: "yellow",
    Status.NOT_DUE: "default",
    Status.OPEN: "dim",
    Status.DONE_LATE: "magenta",
    Status.DONE_ON_TIME: "green",
    Status.WAIVED: "dim italic",
    Status.RETURNED: "bold magenta",
    Status.IN_REVIEW: "cyan",
}


def status_label(status: Status) -> Text:
    return Text(status.label, style=STYLES[status])


def status_table(plan: Plan, statuses: Sequence[AssignmentStatus], as_of: datetime) -> Table:
    """One row per assignment: what, who, deadline, status, when it arrived, days late, and
    the figures sent with it when the plan collects any."""
    collects = any(d.fields for d in plan.deliverables.values())
    table = Table(
        title=f"{escape(plan.title)}\nTình hình tại {local_text(as_of, plan.tz)}",
        title_justify="left",
        header_style="bold",
    )
    table.add_column("Nhiệm vụ", no_wrap=True)
    table.add_column("Đơn vị")
    table.add_column("Hạn", no_wrap=True)
    table.add_column("Trạng thái", no_wrap=True)
    table.add_column("Ngày nộp", no_wrap=True)
    table.add_column("Trễ (ngày)", justify="right")
    if collects:
        table.add_column("Số liệu")
    for item in statuses:
        deadline = item.deadline_text("—")
        cells: list[str | Text] = [
            item.deliverable,
            Text(plan.unit_name(item.unit)),  # plan text, never rich markup
            deadline,
            status_label(item.status),
            local_text(item.submitted_at, plan.tz),
            str(item.days_late) if item.days_late else "",
        ]
        if collects:
            fields = plan.deliverables[item.deliverable].fields
            cells.append(Text(figures_text(fields, item.data, item.unusable)))
        table.add_row(*cells)
    return table


def summary_line(statuses: Sequence[AssignmentStatus]) -> Text:
    """`Quá hạn: 18 · Có nguy cơ chậm: 3 · …` (zero counts left out), then the extended
    assignments apart: `Được gia hạn: 2 (Hoàn thành đúng hạn: 1, Chưa đến hạn: 1)`, and those
    still owed by a unit that has not acknowledged them: `Chưa báo nhận việc: 5`."""
    text = Text()
    for status, count in summarize(statuses).items():
        if count:
            if text:
                text.append(" · ")
            text.append(f"{status.label}: {count}", style=STYLES[status])
    extended = extended_summary(statuses)
    if extended:
        which = ", ".join(f"{status.label}: {n}" for status, n in extended.items())
        text.append(f" · Được gia hạn: {sum(extended.values())} ({which})")
    unacknowledged = unacknowledged_count(statuses)
    if unacknowledged:
        text.append(f" · Chưa báo nhận việc: {unacknowledged}")
    return text


def plan_tree(plan: Plan) -> Tree:
    """The DAG from the first deliverables to the last; a node reached twice is shown once."""
    dependents: dict[str, list[str]] = {code: [] for code in plan.deliverables}
    for deliverable in plan.deliverables.values():
        for prerequisite in deliverable.after:
            dependents[prerequisite].append(deliverable.code)
    tree = Tree(f"[bold]{escape(plan.title)}[/] ({plan.code})")
    shown: set[str] = set()
    for deliverable in plan.deliverables.values():
        if not deliverable.after:
            _grow(tree, plan, deliverable, dependents, shown)
    return tree


def _grow(
    parent: Tree,
    plan: Plan,
    item: Deliverable,
    dependents: dict[str, list[str]],
    shown: set[str],
) -> None:
    if item.code in shown:
        parent.add(f"[dim]↳ {item.code} (đã liệt kê ở trên)[/]")
        return
    shown.add(item.code)
    node = parent.add(_describe(plan, item))
    for code in dependents[item.code]:
        _grow(node, plan, plan.deliverables[code], dependents, shown)


def _describe(plan: Plan, item: Deliverable) -> str:
    owner = item.owner
    if owner.startswith(GROUP_PREFIX):
        owner = f"{len(item.owners)} đơn vị ({owner})"
    else:
        owner = escape(plan.unit_name(owner))
    to = f" → {escape(plan.unit_name(item.to))}" if item.to else ""
    due = item.deadline_text()
    return f"[bold]{item.code}[/] — {escape(item.title)}\n[dim]{owner}{to} · {due}[/]"
