"""Prefect artifacts of a tracking run: the late table, progress, and a Markdown summary."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from prefect.artifacts import (
    acreate_markdown_artifact,
    acreate_progress_artifact,
    acreate_table_artifact,
    create_markdown_artifact,
)

from models.evaluate import AssignmentStatus, done_percent, summarize
from models.moments import local_text
from models.plan import Plan
from models.statuses import DISPLAY_ORDER, Status
from notifications.board import figure_totals
from notifications.transports import put_off

LATE: tuple[Status, ...] = (Status.OVERDUE, Status.AT_RISK)
# Who, what, how late first: the UI's table panel is narrower than five long columns, and
# what a leader looks for must not be the part scrolled out of sight.
COLUMNS: tuple[str, ...] = ("Đơn vị", "Nhiệm vụ", "Trạng thái", "Số ngày trễ", "Hạn")
# A deliverable's title in the late table, at most (its code follows; the board has it whole).
TITLE_CHARS = 48
# Markdown punctuation that could change the meaning of inline text (HTML is escaped apart).
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~!])")


def artifact_key(plan_code: str, suffix: str) -> str:
    """`gap-mat-2023-late`: stable, so each run adds a version; only a-z, 0-9 and dashes."""
    return re.sub(r"[^a-z0-9-]+", "-", f"{plan_code}-{suffix}".lower()).strip("-")


def escape_markdown(text: str) -> str:
    """Text shown as itself in Markdown, on one line (a line break would start a new block):
    whitespace runs as one space, HTML entities, then Markdown punctuation."""
    one_line = " ".join(text.split())
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(one_line, quote=False))


def late_assignments(statuses: Sequence[AssignmentStatus]) -> list[AssignmentStatus]:
    """Overdue then at-risk, most days late first; plan order otherwise (the sort is stable)."""
    # A returned assignment past its deadline is overdue work too, listed with the overdue.
    late = [s for s in statuses if s.status in LATE or s.is_overdue]
    return sorted(late, key=lambda s: (0 if s.is_overdue else 1, -(s.days_late or 0)))


def late_rows(plan: Plan, statuses: Sequence[AssignmentStatus]) -> list[dict[str, Any]]:
    """The rows of the late table, one per overdue or at-risk assignment. The Prefect UI
    renders string cells as Markdown, so names are escaped."""
    rows = []
    for item in late_assignments(statuses):
        deliverable = plan.deliverables[item.deliverable]
        values = (
            escape_markdown(plan.unit_name(item.unit)),
            escape_markdown(f"{shortened(deliverable.title)} ({deliverable.code})"),
            item.status.label,
            item.days_late if item.days_late is not None else "",
            item.deadline_text(""),
        )
        rows.append(dict(zip(COLUMNS, values, strict=True)))
    return rows


def shortened(text: str, limit: int = TITLE_CHARS) -> str:
    """`text` cut at a word before `limit` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return f"{cut}…"


def summary_markdown(plan: Plan, statuses: Sequence[AssignmentStatus], as_of: datetime) -> str:
    """Counts by status, then per unit what is late; every name escaped."""
    lines = [
        f"# {escape_markdown(plan.title)}",
        "",
        f"Tình hình lúc **{local_text(as_of, plan.tz)}** · {len(statuses)} phân công · "
        f"đã xong hoặc được miễn {done_percent(statuses)}%",
        "",
        "| Trạng thái | Số phân công |",
        "| --- | ---: |",
    ]
    counts = summarize(statuses)
    lines += [f"| {status.label} | {counts[status]} |" for status in DISPLAY_ORDER]
    figures = figure_totals(plan, statuses)
    if figures:
        lines += ["", "## Số liệu các đơn vị báo", ""]
        lines += [
            f"- **{escape_markdown(f.label)}**: {f.total} ({f.reported}/{f.owing} đơn vị đã báo)"
            for f in figures
        ]
    lines += ["", "## Đơn vị đang chậm", ""]
    lines += _late_by_unit(plan, statuses) or ["Không có đơn vị nào quá hạn hay có nguy cơ chậm."]
    return "\n".join(lines) + "\n"


def _late_by_unit(plan: Plan, statuses: Sequence[AssignmentStatus]) -> list[str]:
    by_unit: dict[str, list[AssignmentStatus]] = {}
    for item in late_assignments(statuses):
        by_unit.setdefault(item.unit, []).append(item)
    lines = []
    position = {code: i for i, code in enumerate(plan.units)}
    for unit in sorted(by_unit, key=position.__getitem__):
        lines.append(f"- **{escape_markdown(plan.unit_name(unit))}**")
        for item in by_unit[unit]:
            title = escape_markdown(plan.deliverables[item.deliverable].title)
            late = f", trễ {item.days_late} ngày" if item.days_late else ""
            lines.append(f"  - {title} (`{item.deliverable}`): {item.status.label}{late}")
    return lines


def publish_sync(plan: Plan, statuses: Sequence[AssignmentStatus], as_of: datetime) -> None:
    """`publish` from a sync flow's body: the artifacts hang on the flow run itself."""
    from prefect.utilities.asyncutils import run_coro_as_sync

    run_coro_as_sync(publish(plan, statuses, as_of))


async def publish(plan: Plan, statuses: Sequence[AssignmentStatus], as_of: datetime) -> None:
    """Create the three artifacts of a run under their stable keys, the API calls at once."""
    when = local_text(as_of, plan.tz)
    await asyncio.gather(
        acreate_table_artifact(
            late_rows(plan, statuses) or {column: [] for column in COLUMNS},
            key=artifact_key(plan.code, "late"),
            description=f"Phân công quá hạn hoặc có nguy cơ chậm lúc {when}",
        ),
        acreate_progress_artifact(
            done_percent(statuses),
            key=artifact_key(plan.code, "progress"),
            description=f"Phần trăm phân công đã xong hoặc được miễn lúc {when}",
        ),
        acreate_markdown_artifact(
            summary_markdown(plan, statuses, as_of),
            key=artifact_key(plan.code, "summary"),
            description=f"Tóm tắt tình hình lúc {when}",
        ),
    )


def refusals_markdown(
    plan: Plan, refusals: Mapping[str, Mapping[str, str]], as_of: datetime
) -> str:
    """The recipients a mail server refused in a run, per message, with its reply."""
    lines = [
        f"# Người nhận bị từ chối lúc {local_text(as_of, plan.tz)}",
        "",
        "| Thư | Người nhận | Máy chủ trả lời | Sẽ làm gì |",
        "| --- | --- | --- | --- |",
    ]
    for key, refused in refusals.items():
        for address, why in refused.items():
            then = "gửi lại cho riêng người này ở lượt sau" if put_off(why) else "không gửi nữa"
            cells = (escape_markdown(key), escape_markdown(address), escape_markdown(why), then)
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def publish_refusals(
    plan: Plan, refusals: Mapping[str, Mapping[str, str]], as_of: datetime
) -> None:
    """A Markdown artifact of the run naming every refused recipient (`<plan>-refused`)."""
    create_markdown_artifact(
        refusals_markdown(plan, refusals, as_of),
        key=artifact_key(plan.code, "refused"),
        description=f"Người nhận bị máy chủ thư từ chối lúc {local_text(as_of, plan.tz)}",
    )
