"""`dondoc log`: the read-only audit trail of a plan — who recorded what, which e-mails went out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from flows.cli._app import AsJson, PlanCode, app, cli_errors, out

if TYPE_CHECKING:
    from models.plan import Plan
    from models.storage.audit import AuditEntry

UnitOption = Annotated[str | None, typer.Option("--unit", help="Chỉ những gì về đơn vị này.")]
DeliverableOption = Annotated[
    str | None, typer.Option("--deliverable", help="Chỉ những gì về nhiệm vụ này.")
]
COLUMNS = ("Thời điểm", "Việc", "Nhiệm vụ", "Đơn vị", "Người ghi / Gửi tới", "Chi tiết")


@app.command("log")
@cli_errors
def log(
    plan: PlanCode,
    unit: UnitOption = None,
    deliverable: DeliverableOption = None,
    as_json: AsJson = False,
) -> None:
    """Nhật ký (chỉ đọc): ai ghi nhận, hủy, miễn, gia hạn, duyệt việc gì, đơn vị nào đã nhận
    nhiệm vụ; thư nào gửi ai, lúc nào. Các lần đăng nhập: dondoc user log."""
    from flows import runtime
    from models.errors import NotFoundError
    from models.storage.audit import audit_document, audit_entries
    from models.storage.store import notification_rows, read_snapshot, submission_rows

    # Both tables in one transaction, the trail assembled from them.
    with runtime.session() as session:
        the_plan = read_snapshot(session, plan).plan
        if unit is not None and unit not in the_plan.units:
            raise NotFoundError("unit", unit, the_plan.units)
        if deliverable is not None and deliverable not in the_plan.deliverables:
            raise NotFoundError("deliverable", deliverable, the_plan.deliverables)
        narrowed = {"unit": unit, "deliverable": deliverable}
        entries = audit_entries(
            submission_rows(session, plan, **narrowed), notification_rows(session, plan, **narrowed)
        )
    if as_json:
        document = audit_document(plan, entries, the_plan.tz)
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2 if out.is_terminal else None))
        return
    if not entries:
        out.print("Nhật ký trống: chưa có ghi nhận hay thư nào.")
        return
    out.print(log_table(the_plan, entries))
    out.print(f"{len(entries)} mục. Nhật ký chỉ để xem: dondoc không có lệnh sửa hay xóa.")


def log_table(plan: Plan, entries: Sequence[AuditEntry]) -> Table:
    """One row per entry, oldest first; names and text shown as text, never as markup."""
    from models.moments import local_text

    table = Table(
        title=f"Nhật ký · {escape(plan.title)}", title_justify="left", header_style="bold"
    )
    for column in COLUMNS:
        table.add_column(column, overflow="fold", no_wrap=column == "Thời điểm")
    for entry in entries:
        table.add_row(
            local_text(entry.at, plan.tz),
            Text(_action(entry)),
            Text(entry.deliverable or ""),
            Text(plan.unit_name(entry.unit) if entry.unit else "Lãnh đạo"),
            Text(entry.by if entry.status is None else ", ".join(entry.to)),
            Text(_details(plan, entry)),
        )
    return table


def _action(entry: AuditEntry) -> str:
    from models.storage.audit import AuditAction
    from notifications.rules import Rule

    if entry.action is AuditAction.MESSAGE:
        known = {rule.value for rule in Rule}
        return f"Thư: {Rule(entry.rule).label}" if entry.rule in known else f"Thư: {entry.rule}"
    return entry.action.label


def _details(plan: Plan, entry: AuditEntry) -> str:
    """What a coordinator needs to judge the entry, in dd/mm/yyyy HH:MM plan time."""
    from models.acknowledgement import acknowledgement_text
    from models.extensions import extension_text
    from models.moments import local_text
    from models.storage.audit import AuditAction

    if entry.action is not AuditAction.MESSAGE:
        parts = [
            f"hiệu lực từ {local_text(entry.received_at, plan.tz)}",
            f"dòng #{entry.submission}",
        ]
        if entry.undoes is not None and entry.action in (
            AuditAction.ACCEPTED,
            AuditAction.RETURNED,
        ):
            parts.append(f"lần nộp dòng #{entry.undoes}")
        elif entry.undoes is not None and entry.action is AuditAction.EXTENSION_REFUSED:
            parts.append(f"đề nghị dòng #{entry.undoes}")
        elif entry.undoes is not None:
            what = entry.undone.label.lower() if entry.undone else "ghi nhận"
            parts.append(f"hủy {what} dòng #{entry.undoes}")
        if entry.action is AuditAction.EXTENDED:
            parts.insert(0, extension_text(entry.data, plan.tz) or f"hạn mới: {entry.data}")
        elif entry.action is AuditAction.EXTENSION_REQUESTED:
            parts.insert(0, f"xin gia hạn đến {entry.data.get('due', '?')}")
        elif entry.action is AuditAction.ACKNOWLEDGED:
            parts.insert(0, acknowledgement_text(entry.data) or f"nguồn: {entry.data}")
        elif entry.data:
            parts.append(_figures(plan, entry))
        if entry.note:
            reasons = (
                AuditAction.RETURNED,
                AuditAction.EXTENSION_REQUESTED,
                AuditAction.EXTENSION_REFUSED,
            )
            said = "lý do" if entry.action in reasons else "ghi chú"
            parts.append(f"{said}: {entry.note}")
        return " · ".join(parts)
    assert entry.status is not None
    parts = [entry.subject, entry.status.label]
    if entry.cc:
        parts.insert(1, "cc " + ", ".join(entry.cc))
    if entry.sent_at:
        parts.append(f"gửi lúc {local_text(entry.sent_at, plan.tz)}")
    parts.append(f"{entry.attempts} lần thử")
    if entry.last_error:
        superseded = entry.status.value == "superseded"
        parts.append(f"{'lý do' if superseded else 'lỗi'}: {entry.last_error}")
    return " · ".join(parts)


def _figures(plan: Plan, entry: AuditEntry) -> str:
    """The figures with their labels (`Số đại biểu dự gặp mặt: 19`), raw names for a
    deliverable the plan no longer has."""
    from models.fields import values_text

    deliverable = plan.deliverables.get(entry.deliverable or "")
    if deliverable is None:
        return ", ".join(f"{name} = {value}" for name, value in entry.data.items())
    return values_text(deliverable.fields, entry.data)
